/**
 * The RouteContext of one Kibana request. Everything a handler reads goes through the caller's
 * own clients: Elasticsearch as `asCurrentUser` (an analyst who cannot read an index cannot see
 * its users' scores through us), saved objects and advanced settings with their privileges.
 */
import { EsTriageStore } from '../engine/io/es/triage_store';
import type { Client } from '@elastic/elasticsearch';
import type { ScoresReader } from '../data/scores_reader';
import { EsModelStore } from '../engine/io/es/model_store';
import { ownedIndexNames } from '../engine/io/es/owned_index';
import type { ModelStore } from '../engine/io/model_store';
import type { RouteContext } from '../routes/types';
import type { DfpConfig } from '../config';
import { jobsForRequest, type Scheduler } from './scheduler_contract';
import { HIDDEN_TYPES } from './saved_objects';
import { KibanaSettingsStore } from './settings_store';
import type { SourceKeyInfo, SourceKeys } from './source_keys';
import { removeDfpSavedObjects } from './uninstall';
import { esSourceStatus } from '../data/source_status';
import type { CoreRequestHandlerContext, KibanaRequest, SecurityPluginStart } from './types';

/** Kibana only: the API keys a source's background jobs run with. */
export interface SourceKeysForRequest {
  /** Whose key the source runs with (null: none yet). */
  info(sourceId: string): Promise<SourceKeyInfo | null>;
  /** Grants a new key with the caller's privileges, replacing (and invalidating) the old one. */
  renew(sourceId: string): Promise<SourceKeyInfo | null>;
}

export type KibanaRouteContext = RouteContext & { sourceKeys: SourceKeysForRequest };

export interface RequestContextDeps {
  config: DfpConfig;
  scoresReader(client: Client): ScoresReader;
  keys: SourceKeys;
  security?: SecurityPluginStart;
  scheduler?: Scheduler;
}

export function buildRouteContext(deps: RequestContextDeps, request: KibanaRequest, core: CoreRequestHandlerContext): KibanaRouteContext {
  const client = core.elasticsearch.client.asCurrentUser;
  const names = ownedIndexNames(deps.config.indexPrefix);
  const savedObjects = core.savedObjects.getClient({ includedHiddenTypes: HIDDEN_TYPES });
  // Global settings where Kibana has them (the plugin registered them there), else per space.
  const uiSettings = core.uiSettings.globalClient ?? core.uiSettings.client;
  const username = deps.security?.authc.getCurrentUser(request)?.username;
  const { keys } = deps;
  let models: ModelStore | undefined;
  return {
    scores: deps.scoresReader(client),
    // One index holds every source's models, keyed by profile: one store serves the request.
    models: () => (models ??= new EsModelStore(client, { index: names.models })),
    jobs: jobsForRequest(deps.scheduler, client, names.state, username),
    // As the analyst: their Elasticsearch privileges decide, as for the models.
    triage: new EsTriageStore(client, { index: names.triage }),
    actor: username ?? 'anonymous',
    benignDays: deps.config.benignDays,
    settings: new KibanaSettingsStore({
      savedObjects,
      uiSettings,
      config: deps.config,
      user: username,
      keys: {
        // The admin saving a source is the one whose privileges its jobs get; an admin who points a
        // source somewhere else gets it a key of their own, or (when they cannot grant one) the
        // change is refused. A failure part-way leaves an already re-keyed source without a key,
        // never with its old key on a new target: its jobs refuse to run until an admin saves it.
        added: async (sources, retargeted) => {
          const granted: string[] = [];
          const newKey = async (id: string) => retargeted.includes(id) || !(await keys.info(savedObjects, id));
          try {
            for (const s of sources) if ((await newKey(s.id)) && (await keys.grant(request, savedObjects, s.id))) granted.push(s.id);
          } catch (e) {
            // Nothing is saved when one fails: the keys granted so far go too.
            for (const id of granted) await keys.revoke(savedObjects, id).catch(() => undefined);
            throw e;
          }
          return granted;
        },
        removed: async (ids) => {
          for (const id of ids) await keys.revoke(savedObjects, id);
        },
      },
      onChange: async () => deps.scheduler?.refresh?.(),
    }),
    sourceStatus: (source) => esSourceStatus(client, source, names.state),
    now: () => Date.now(),
    sourceKeys: {
      info: (id) => keys.info(savedObjects, id),
      renew: (id) => keys.grant(request, savedObjects, id),
    },
    encryption: () => keys.encryptionStatus(),
    removeSavedObjects: () => removeDfpSavedObjects({ savedObjects, uiSettings, keys, indexPrefix: deps.config.indexPrefix }),
  };
}
