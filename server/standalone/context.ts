/**
 * What the standalone server's handlers work with: scored files in memory (the demo's output), or
 * a cluster (reads, models, jobs in worker threads, settings in the state index).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { parseSourceConfig, type SourceConfig } from '../../common/source_config';
import { PROFILES } from '../engine/profiles';
import { FsModelStore } from '../engine/io/model_store_fs';
import { FsTriageStore } from '../engine/io/triage_store';
import { EsTriageStore } from '../engine/io/es/triage_store';
import { EsModelStore } from '../engine/io/es/model_store';
import { ownedIndexNames } from '../engine/io/es/owned_index';
import type { EsConnection } from '../engine/io/es/client';
import type { ModelStore } from '../engine/io/model_store';
import { ScoredFiles } from './scored_files';
import { EsScoresReader } from '../data/es_scores_reader';
import { defaultSettings, EsSettingsStore, FileSettingsStore } from '../data/settings_store';
import { esSourceStatus } from '../data/source_status';
import { WorkerJobControl } from '../job_control/worker_job_control';
import type { JobControl } from '../job_control/job_control';
import { HttpError, type RouteContext } from '../routes/types';

/** Who decides in the standalone server, which has one identity (its token): the account running it. */
export const STANDALONE_ACTOR = process.env.USER || process.env.USERNAME || 'standalone';

/** Jobs where there is no Elasticsearch to keep their state: none run, and the API says why. */
const NO_JOBS: JobControl = {
  available: false,
  list: async () => [],
  get: async () => null,
  start: async () => {
    throw new HttpError(409, 'jobs need Elasticsearch: this server reads scored files only (start it with --es-url)');
  },
  cancel: async () => false,
};

export interface FileData {
  context: RouteContext;
  sources: SourceConfig[];
  /** Lines of the scored files that were not documents. */
  unreadable: number;
}

/**
 * Over a folder laid out like the demo's output: `<dir>/<profile>/scored.ndjson` and
 * `<dir>/<profile>/models/`. Each profile folder becomes a source named after it.
 */
export async function fileContext(dir: string, now: () => number = Date.now, actor = STANDALONE_ACTOR, benignDays?: number): Promise<FileData> {
  const sources: SourceConfig[] = [];
  const files = new Map<string, string>();
  for (const name of (await fs.readdir(dir)).sort()) {
    const scored = path.join(dir, name, 'scored.ndjson');
    if (!Object.hasOwn(PROFILES, name) || !(await fs.stat(scored).catch(() => null))?.isFile()) continue;
    sources.push(parseSourceConfig({ id: name, profile: name }));
    files.set(name, scored);
  }
  if (sources.length === 0) throw new Error(`no scored data in ${dir}: expected <profile>/scored.ndjson (run npm run demo)`);
  // Read again whenever a file changes (a dfp score beside the server), so no restart is needed.
  const scored = new ScoredFiles(files);
  const { unreadable } = await scored.current();
  const stores = new Map(sources.map((s) => [s.id, new FsModelStore(path.join(dir, s.id, 'models'))]));
  const settings = new FileSettingsStore(path.join(dir, 'settings.json'), defaultSettings(sources));
  // Every source's decisions in one file beside the settings (`dfp train --triage` reads it).
  const triage = new FsTriageStore(path.join(dir, 'triage.ndjson'));
  const context: RouteContext = {
    scores: scored.reader(),
    models: (source) => storeOf(stores, source),
    jobs: NO_JOBS,
    settings,
    triage,
    actor,
    ...(benignDays !== undefined ? { benignDays } : {}),
    now,
    sourceStatus: async (source) => {
      const t = (await scored.current()).newest.get(source.id);
      const iso = t !== undefined ? new Date(t).toISOString() : null;
      return { newestEvent: iso, scoredUpTo: iso };
    },
  };
  return { context, sources, unreadable };
}

function storeOf(stores: Map<string, ModelStore>, source: SourceConfig): ModelStore {
  const store = stores.get(source.id);
  if (!store) throw new HttpError(404, `no models for source "${source.id}" in this data folder`);
  return store;
}

export interface EsContextOptions {
  client: Client;
  /** Who decides (triage records): default STANDALONE_ACTOR. */
  actor?: string;
  /** Days an event marked benign suppresses its pattern (default DEFAULTS.benignSuppressionDays). */
  benignDays?: number;
  connection: EsConnection;
  indexPrefix?: string;
  workers?: number;
  holder: string;
  now?: () => number;
  log?: (line: string) => void;
}

/** Over a cluster: the same readers, stores and jobs the Kibana plugin uses, as one identity. */
export function esContext(opts: EsContextOptions): { context: RouteContext; jobs: WorkerJobControl } {
  const names = ownedIndexNames(opts.indexPrefix);
  const settings = new EsSettingsStore(opts.client, names.state, defaultSettings());
  const jobs = new WorkerJobControl({
    client: opts.client,
    settings,
    connectionFor: async () => opts.connection,
    holder: opts.holder,
    indexPrefix: opts.indexPrefix,
    maxWorkers: opts.workers,
    log: opts.log,
  });
  const store = new EsModelStore(opts.client, { index: names.models });
  const context: RouteContext = {
    triage: new EsTriageStore(opts.client, { index: names.triage }),
    actor: opts.actor ?? STANDALONE_ACTOR,
    ...(opts.benignDays !== undefined ? { benignDays: opts.benignDays } : {}),
    scores: new EsScoresReader(opts.client),
    models: () => store,
    jobs,
    settings,
    now: opts.now ?? Date.now,
    sourceStatus: (source) => esSourceStatus(opts.client, source, names.state),
  };
  return { context, jobs };
}
