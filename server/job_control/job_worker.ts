/**
 * A worker thread that runs train and score jobs against Elasticsearch, so training never blocks
 * the event loop of the process that started it (Kibana's, or the standalone server's).
 *
 * Two lives (JobWorkerData): a one-job worker runs the job it was started with and ends (train
 * jobs: their memory goes with the thread); a resident worker runs the jobs it is sent one after
 * another and lives on between them (score jobs: its scoring workers keep users' models from one
 * scheduled run to the next, see model_shelf.ts), until the parent terminates it.
 *
 * The parent hears, per job: `started` (the run is recorded), `busy` (another process holds the
 * job's lease), `skipped`, `done` (with the run's outcome) or `error`; then `finished` (a resident
 * worker is free for the next job). It may send `cancel` (the job in progress), and a resident
 * worker `job`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceConfig } from '../../common/source_config';
import { createEsClient, type EsConnection } from '../engine/io/es/client';
import { EsTriageStore } from '../engine/io/es/triage_store';
import { EsModelStore } from '../engine/io/es/model_store';
import { ownedIndexNames } from '../engine/io/es/owned_index';
import { EsSink, sinkOptionsOf } from '../engine/io/es/sink';
import { Checkpoints } from '../engine/io/es/checkpoints';
import { profileOfSource } from '../engine/profiles';
import { initBackend, type BackendName } from '../engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../engine/model/autoencoder';
import { runEsJob } from '../engine/jobs/es_job';
import { trainEsSource } from '../engine/jobs/es_train';
import { scoreEsSource } from '../engine/jobs/es_score';
import { keepScorePool } from '../engine/jobs/score_pool';
import type { JobType } from '../../common/jobs';

export interface JobWorkerInput {
  type: JobType;
  source: SourceConfig;
  /** Train jobs: just this user. */
  user?: string;
  connection: EsConnection;
  indexPrefix: string;
  backend: BackendName | 'auto';
  holder: string;
  settings: { zscoreThreshold: number; tsThreshold: number; userRiskThreshold?: number; minHistory: number };
  leaseTtlMs?: number;
  /** Epochs override (tests). */
  epochs?: number;
  /** A scheduled firing's time: skip if a run already started since (another instance made it). */
  firing?: string;
}

/** What a job worker starts with: the one job it runs, or none (a resident worker, sent jobs as `job` messages). */
export type JobWorkerData = { job: JobWorkerInput } | { resident: true };

export type JobWorkerMessage =
  | { kind: 'started'; runId: string }
  | { kind: 'busy'; holder: string; expiresAt: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'done'; status: 'succeeded' | 'failed' | 'cancelled'; runId: string; message?: string }
  | { kind: 'error'; message: string }
  | { kind: 'finished' };

export type JobWorkerRequest = { kind: 'job'; input: JobWorkerInput } | { kind: 'cancel'; reason?: string };

type Post = (m: JobWorkerMessage) => void;

async function runJob(input: JobWorkerInput, post: Post, cancel: AbortSignal): Promise<void> {
  const client = createEsClient(input.connection);
  try {
    const names = ownedIndexNames(input.indexPrefix);
    const profile = profileOfSource(input.source);
    const backend = await initBackend(input.backend);
    const store = new EsModelStore(client, { index: names.models });
    const outcome = await runEsJob(
      client,
      { type: input.type, source: input.source.id, holder: input.holder, stateIndex: names.state, leaseTtlMs: input.leaseTtlMs, signal: cancel, firing: input.firing, params: input.user ? { user: input.user } : undefined },
      async ({ run, signal }): Promise<{ result: null; counts: Record<string, number> }> => {
        post({ kind: 'started', runId: run.id });
        if (input.type === 'train') {
          const summary = await trainEsSource(client, {
            source: input.source,
            profile,
            store,
            backend: backend.name,
            minHistory: input.settings.minHistory,
            // Events a run flagged at this threshold are not learned (model/left_out.ts).
            threshold: input.settings.zscoreThreshold,
            triage: new EsTriageStore(client, { index: names.triage }),
            usersOnly: input.user !== undefined,
            userFilter: input.user === undefined ? undefined : new RegExp(`^${input.user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
            ...(input.epochs ? { config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: input.epochs } } : {}),
            signal,
            onProgress: (p) => run.progress({ phase: p.phase, done: p.done, total: p.total }),
          });
          const models = summary.users.filter((u) => u.model !== 'generic').length + (summary.generic ? 1 : 0);
          return { result: null, counts: { events: summary.events, rows: summary.rowsInWindow, users: summary.users.length, models, left_out: summary.leftOut.events } };
        }
        const sink = new EsSink(client, sinkOptionsOf(input.source, profile, { signal }));
        await sink.setup();
        const summary = await scoreEsSource(client, {
          source: input.source,
          profile,
          store,
          // Models kept between runs are those of this cluster's models index (whichever source's key read them).
          modelsKey: `${input.connection.url}|${names.models}`,
          sink,
          checkpoints: new Checkpoints(client, { index: names.state }),
          runId: run.id,
          threshold: input.settings.zscoreThreshold,
          tsThreshold: input.settings.tsThreshold,
          userRiskThreshold: input.settings.userRiskThreshold,
          triage: new EsTriageStore(client, { index: names.triage }),
          signal,
          onPage: (s) => run.progress({ phase: 'scoring', done: s.read, total: 0 }, { read: s.read, written: s.written, failed: s.failed, flagged: s.flagged }),
        });
        for (const e of summary.failureExamples) run.error(e);
        return {
          result: null,
          counts: { read: summary.read, scored: summary.scored, errors: summary.errors, flagged: summary.flagged, written: summary.written, failed: summary.failed, models_read: summary.modelsRead },
        };
      },
    );
    if (outcome.status === 'busy') post({ kind: 'busy', holder: outcome.heldBy.holder, expiresAt: outcome.heldBy.expiresAt });
    else if (outcome.status === 'skipped') post({ kind: 'skipped', reason: outcome.reason });
    else post({ kind: 'done', status: outcome.status, runId: outcome.run.id, message: outcome.status === 'succeeded' ? outcome.run.message : outcome.error.message });
  } finally {
    await client.close();
  }
}

/** Runs a job, telling the parent how it went and then that it finished (failures included). */
async function serve(input: JobWorkerInput, cancel: AbortSignal): Promise<void> {
  const post: Post = (m) => parentPort!.postMessage(m);
  try {
    await runJob(input, post, cancel);
  } catch (e) {
    post({ kind: 'error', message: (e as Error)?.stack ?? String(e) });
  }
  post({ kind: 'finished' });
}

if (parentPort) {
  const port = parentPort;
  const data = workerData as JobWorkerData;
  let cancel = new AbortController();
  if ('job' in data) {
    port.on('message', (m: JobWorkerRequest) => {
      if (m.kind === 'cancel') cancel.abort(new Error(m.reason ?? 'cancelled'));
    });
    // Listening for `cancel` must not keep the thread alive once the job is done.
    port.unref();
    void serve(data.job, cancel.signal);
  } else {
    // The scoring workers live as long as this thread: the parent ends it when it has been idle long enough.
    keepScorePool(2 ** 31 - 1);
    let queue = Promise.resolve();
    port.on('message', (m: JobWorkerRequest) => {
      if (m.kind === 'cancel') return cancel.abort(new Error(m.reason ?? 'cancelled'));
      // The parent sends a job only when the last one finished; a cancel reaches the latest job.
      const job = (cancel = new AbortController());
      queue = queue.then(() => serve(m.input, job.signal));
    });
  }
}
