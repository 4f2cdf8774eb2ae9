/**
 * The Kibana server plugin: registers the feature, advanced settings, saved objects and routes at
 * setup; starts the job scheduler at start; stops it (waiting for running jobs) at stop. The work
 * itself is in server/kibana/ (Kibana wiring), server/routes/ (handlers) and the engine.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import type { ScoresReader } from './data/scores_reader';
import type { RouteDef } from './routes/types';
import { readConfig, type DfpConfig, type RawDfpConfig } from './config';
import { dfpFeature } from './kibana/feature';
import { dfpUiSettings } from './kibana/ui_settings';
import { dfpSavedObjectTypes, HIDDEN_TYPES, registerEncryptedTypes } from './kibana/saved_objects';
import { registerRoutes } from './kibana/router';
import { buildRouteContext } from './kibana/request_context';
import { KibanaSettingsStore } from './kibana/settings_store';
import { encryptionKeyMissing, SourceKeys } from './kibana/source_keys';
import type { Scheduler, SchedulerFactory } from './kibana/scheduler_contract';
import type { ConfigSchemaApi, CoreSetup, CoreStart, DfpSetupDeps, DfpStartDeps, ElasticsearchConfig, Logger, PluginInitializerContext, SecurityPluginStart } from './kibana/types';

/** What the plugin is built from (server/index.ts passes the real ones; tests may pass their own). */
export interface DfpPluginServices {
  /** Kibana's `@kbn/config-schema` `schema` (advanced settings need its types). */
  schema: ConfigSchemaApi;
  routes: readonly RouteDef[];
  /** Scored events as `client` may read them. */
  scoresReader(client: Client): ScoresReader;
  /** The job scheduler; without one, jobs can be listed but not started. */
  scheduler?: SchedulerFactory;
}

export class DfpPlugin {
  private readonly logger: Logger;
  private readonly config: DfpConfig;
  private esConfig?: ElasticsearchConfig;
  private esConfigSubscription?: { unsubscribe(): void };
  private started?: { keys: SourceKeys; security?: SecurityPluginStart };
  private scheduler?: Scheduler;
  /** encryptedSavedObjects' setup answer: whether it has an encryption key. */
  private canEncrypt = false;

  constructor(
    ctx: PluginInitializerContext<RawDfpConfig>,
    private readonly services: DfpPluginServices,
  ) {
    this.logger = ctx.logger.get();
    this.config = readConfig(ctx.config.get<RawDfpConfig>());
  }

  setup(core: CoreSetup, plugins: DfpSetupDeps): void {
    plugins.features.registerKibanaFeature(dfpFeature());
    const settings = dfpUiSettings(this.services.schema);
    // Global where Kibana has global settings (8.10+): the jobs applying them serve every space.
    if (core.uiSettings.registerGlobal) core.uiSettings.registerGlobal(settings);
    else core.uiSettings.register(settings);
    for (const type of dfpSavedObjectTypes(this.services.schema)) core.savedObjects.registerType(type);
    const eso = plugins.encryptedSavedObjects;
    if (eso) registerEncryptedTypes(eso);
    // Only Kibana with security grants keys; without an encryption key they cannot be stored.
    this.canEncrypt = eso !== undefined && eso.canEncrypt !== false;
    if (!this.canEncrypt && plugins.security !== undefined) this.logger.warn(encryptionKeyMissing(eso !== undefined));
    this.esConfigSubscription = core.elasticsearch?.legacy?.config$?.subscribe((c) => (this.esConfig = c));

    registerRoutes(
      core.http.createRouter(),
      this.services.routes,
      async (request, coreContext) => {
        if (!this.started) throw new Error('the plugin has not started yet');
        return buildRouteContext({ config: this.config, scoresReader: this.services.scoresReader, scheduler: this.scheduler, ...this.started }, request, coreContext);
      },
      this.logger,
    );
  }

  start(core: CoreStart, plugins: DfpStartDeps): void {
    const keys = new SourceKeys({
      security: plugins.security,
      encryptedSavedObjects: plugins.encryptedSavedObjects,
      canEncrypt: this.canEncrypt,
      asScoped: (request) => core.elasticsearch.client.asScoped(request),
      esConfig: () => this.esConfig,
      logger: this.logger,
    });
    this.started = { keys, security: plugins.security };
    if (!this.services.scheduler) {
      this.logger.warn('no job scheduler: training and scoring run only from the dfp command line');
      return;
    }
    const repository = core.savedObjects.createInternalRepository(HIDDEN_TYPES);
    this.scheduler = this.services.scheduler({
      config: this.config,
      logger: this.logger.get('jobs'),
      holder: `kibana:${hostname()}:${randomUUID().slice(0, 8)}`,
      settings: new KibanaSettingsStore({
        savedObjects: repository,
        uiSettings: core.uiSettings.globalAsScopedToClient?.(repository) ?? core.uiSettings.asScopedToClient(repository),
        config: this.config,
      }),
      connectionFor: (source) => keys.connectionFor(source.id),
      clientFor: (source) => keys.clientFor(source.id),
      internalClient: core.elasticsearch.client.asInternalUser,
    });
    // Kibana's start is synchronous: the schedules start in the background, failures logged.
    Promise.resolve()
      .then(() => this.scheduler?.start())
      .catch((e: Error) => this.logger.error(`the job scheduler did not start: ${e.stack ?? e.message}`));
  }

  async stop(): Promise<void> {
    this.esConfigSubscription?.unsubscribe();
    await this.scheduler?.stop();
  }
}
