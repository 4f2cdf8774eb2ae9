/**
 * A worker thread that runs one train or score job against Elasticsearch, so training never
 * blocks the event loop of the process that started it (Kibana's, or the standalone server's).
 * The parent hears: `started` (the run is recorded), `busy` (another process holds the job's
 * lease), `done` (with the run's outcome). It may send `cancel`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceConfig } from '../../common/source_config';
import { createEsClient, type EsConnection } from '../engine/io/es/client';
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

export type JobWorkerMessage =
  | { kind: 'started'; runId: string }
  | { kind: 'busy'; holder: string; expiresAt: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'done'; status: 'succeeded' | 'failed' | 'cancelled'; runId: string; message?: string }
  | { kind: 'error'; message: string };

async function main(input: JobWorkerInput): Promise<void> {
  const post = (m: JobWorkerMessage): void => parentPort!.postMessage(m);
  const cancel = new AbortController();
  parentPort!.on('message', (m: { kind: string; reason?: string }) => {
    if (m.kind === 'cancel') cancel.abort(new Error(m.reason ?? 'cancelled'));
  });
  // Listening for `cancel` must not keep the thread alive once the job is done.
  parentPort!.unref();
  const client = createEsClient(input.connection);
  try {
    const names = ownedIndexNames(input.indexPrefix);
    const profile = profileOfSource(input.source);
    const backend = await initBackend(input.backend);
    const store = new EsModelStore(client, { index: names.models });
    const outcome = await runEsJob(
      client,
      { type: input.type, source: input.source.id, holder: input.holder, stateIndex: names.state, leaseTtlMs: input.leaseTtlMs, signal: cancel.signal, firing: input.firing, params: input.user ? { user: input.user } : undefined },
      async ({ run, signal }): Promise<{ result: null; counts: Record<string, number> }> => {
        post({ kind: 'started', runId: run.id });
        if (input.type === 'train') {
          const summary = await trainEsSource(client, {
            source: input.source,
            profile,
            store,
            backend: backend.name,
            minHistory: input.settings.minHistory,
            usersOnly: input.user !== undefined,
            userFilter: input.user === undefined ? undefined : new RegExp(`^${input.user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
            ...(input.epochs ? { config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: input.epochs } } : {}),
            signal,
            onProgress: (p) => run.progress({ phase: p.phase, done: p.done, total: p.total }),
          });
          const models = summary.users.filter((u) => u.model !== 'generic').length + (summary.generic ? 1 : 0);
          return { result: null, counts: { events: summary.events, rows: summary.rowsInWindow, users: summary.users.length, models } };
        }
        const sink = new EsSink(client, sinkOptionsOf(input.source, profile, { signal }));
        await sink.setup();
        const summary = await scoreEsSource(client, {
          source: input.source,
          profile,
          store,
          sink,
          checkpoints: new Checkpoints(client, { index: names.state }),
          runId: run.id,
          threshold: input.settings.zscoreThreshold,
          tsThreshold: input.settings.tsThreshold,
          userRiskThreshold: input.settings.userRiskThreshold,
          signal,
          onPage: (s) => run.progress({ phase: 'scoring', done: s.read, total: 0 }, { read: s.read, written: s.written, failed: s.failed, flagged: s.flagged }),
        });
        for (const e of summary.failureExamples) run.error(e);
        return { result: null, counts: { read: summary.read, scored: summary.scored, errors: summary.errors, flagged: summary.flagged, written: summary.written, failed: summary.failed } };
      },
    );
    if (outcome.status === 'busy') post({ kind: 'busy', holder: outcome.heldBy.holder, expiresAt: outcome.heldBy.expiresAt });
    else if (outcome.status === 'skipped') post({ kind: 'skipped', reason: outcome.reason });
    else post({ kind: 'done', status: outcome.status, runId: outcome.run.id, message: outcome.status === 'succeeded' ? outcome.run.message : outcome.error.message });
  } finally {
    await client.close();
  }
}

if (parentPort) {
  main(workerData as JobWorkerInput).catch((e: unknown) => parentPort!.postMessage({ kind: 'error', message: (e as Error)?.stack ?? String(e) } satisfies JobWorkerMessage));
}
