/**
 * `npm run bench [-- --json]`: on the backend `auto` picks,
 * - the training engine (scripts/bench/training.ts): users/min one model at a time, stacked on
 *   one thread, stacked on a worker pool, on `--users` × `--rows`; GFLOP/s against a matmul
 *   microbenchmark; memory over the run;
 * - the jobs end to end on a generated azure-signin workload of `--job-users` users: train, score
 *   from memory, scheduled scoring through Elasticsearch (scripts/bench/es_scoring.ts: the
 *   in-memory test server in a process of its own, `--es-users` users' models, `--es-events`
 *   events), and the event loop while a train job and a score job run in job workers.
 * Figures go to BENCHMARKS.md.
 */
import { Command } from 'commander';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem } from '../server/engine/types';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend, measureMatmulGflops } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels, type TrainSummary } from '../server/engine/jobs/train';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { createEsClient } from '../server/engine/io/es/client';
import { parseSourceConfig } from '../common/source_config';
import { indexLikeIntegration } from '../test/es_cluster';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { WorkerJobControl } from '../server/job_control/worker_job_control';
import { defaultSettings, EsSettingsStore } from '../server/data/settings_store';
import { round, trainingBench } from './bench/training';
import { measureScoring } from './bench/scoring';
import { closeScorePool } from '../server/engine/jobs/score_pool';
import { esScoringBench, eventsOverWeeks, medianRun, type EsShape, type EsShapeFigures } from './bench/es_scoring';
import { startEsServerProcess } from './bench/es_server_process';

const opts = new Command('bench')
  .option('--json', 'end with one JSON line of the figures')
  .option('--users <n>', 'users in the training-engine workload', (v) => Number(v), 2000)
  .option('--rows <n>', 'rows per user in the training-engine workload', (v) => Number(v), 500)
  .option('--sequential-users <n>', 'users trained one model at a time for the sequential rate', (v) => Number(v), 40)
  .option('--one-thread-users <n>', 'users trained stacked on one thread', (v) => Number(v), 128)
  .option('--workers <n>', 'worker threads for batched training', (v) => Number(v), os.availableParallelism())
  .option('--job-users <n>', 'users in the end-to-end jobs workload', (v) => Number(v), 500)
  .option('--days <n>', 'training days of the jobs workload', (v) => Number(v), 28)
  .option('--es-users <n>', "users (and users' models) of the Elasticsearch scoring workload", (v) => Number(v), 10_000)
  .option('--es-events <n>', "events of the Elasticsearch throughput shape (the jobs workload's events to score, in time order, then the same again weeks later)", (v) => Number(v), 100_000)
  .option('--es-sparse-events <n>', 'events of the Elasticsearch sparse shape (the oldest events to score: ~1 per user, as a run every few minutes sees); 0: none', (v) => Number(v), 10_000)
  .option('--es-runs <n>', 'timed Elasticsearch runs after the cold one (the median is the figure)', (v) => Number(v), 3)
  .option('--es-profile <file>', "write a CPU profile (.cpuprofile) of this thread over the Elasticsearch step's warm runs")
  .option('--only <step>', "run only this step: `es` (the jobs workload's training, then the Elasticsearch step; figures es_* only)")
  .option('--models-dir <dir>', "keep the jobs workload's trained models here and reuse them when the workload is the same (saves the training with --only es)")
  .option('--backend <name>', 'backend', 'auto')
  .parse(process.argv)
  .opts<{
    json?: boolean; users: number; rows: number; sequentialUsers: number; oneThreadUsers: number; workers: number; jobUsers: number; days: number;
    esUsers: number; esEvents: number; esSparseEvents: number; esRuns: number; esProfile?: string; only?: string; modelsDir?: string; backend: 'auto' | 'wasm' | 'cpu';
  }>();
if (opts.only !== undefined && opts.only !== 'es') throw new Error(`--only: unknown step ${JSON.stringify(opts.only)} (known: es)`);

/** Timed scoring passes after the cold one; the median is the figure (see bench/scoring.ts). */
const SCORE_RUNS = 5;

const asItems = (events: Record<string, unknown>[]): InputItem[] =>
  events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

async function main(): Promise<void> {
  const say = (s: string): void => void process.stderr.write(`${s}\n`);
  const backend = await initBackend(opts.backend);
  say(`backend: ${backend.name} (${backend.detail}); ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  const all = opts.only === undefined;
  let engineFigures: Record<string, unknown> = {};
  let matmulGflops = 0;
  if (all) {
    matmulGflops = round(measureMatmulGflops(512, 10));
    const engine = await trainingBench({
      profile: resolveProfile('azure-signin'), backend: backend.name, users: opts.users, rows: opts.rows,
      sequentialUsers: opts.sequentialUsers, oneThreadUsers: opts.oneThreadUsers, workers: opts.workers, say,
    });
    say(`training engine: ${engine.users_per_min_sequential} users/min one model at a time, ${engine.users_per_min_stacked_one_thread} stacked on one thread, ${engine.users_per_min_batched} stacked on ${engine.workers} workers: ${engine.batched_vs_sequential}x`);
    say(`  ${engine.gflops} GFLOP/s of training arithmetic (dense-equivalent) on ${engine.workers} workers, against ${matmulGflops} GFLOP/s for a 512² matmul on one thread`);
    say(`  RSS over the batched run: ${JSON.stringify(engine.train_rss_mb)} MB`);
    const { train_rss_mb: trace, ...rest } = engine;
    engineFigures = { ...rest, train_rss_mb_quarter: trace.quarter, train_rss_mb_end: trace.end };
  }

  const workload = { profile: 'azure-signin' as const, seed: 7, users: opts.jobUsers, trainDays: opts.days, testDays: 7, compromisedUsers: Math.max(1, Math.round(opts.jobUsers / 20)) };
  const ds = generate(workload);
  say(`jobs workload: ${opts.jobUsers} users, ${ds.train.length} training events, ${ds.test.length} events to score`);

  const dir = opts.modelsDir ?? mkdtempSync(path.join(os.tmpdir(), 'dfp-bench-'));
  try {
    const profile = resolveProfile('azure-signin');
    const store = new FsModelStore(dir);
    const trained = await trainedModels(ds.train, dir, { ...workload, backend: backend.name }, () => trainModels(asItems(ds.train), { profile, store, backend: backend.name }), say);

    const jobFigures: Record<string, unknown> = {};
    if (trained) {
      const modelled = trained.summary.users.filter((u) => u.model !== 'generic').length;
      Object.assign(jobFigures, {
        users: opts.jobUsers,
        train_rows: trained.summary.rowsInWindow,
        epochs: DEFAULT_AUTOENCODER_CONFIG.epochs,
        train_seconds: round(trained.seconds),
        train_rows_per_s: round(trained.summary.rowsInWindow / trained.seconds),
        users_per_min: round((modelled / trained.seconds) * 60),
      });
      say(`trained ${modelled} user models + generic on ${jobFigures.train_rows} rows × ${jobFigures.epochs} epochs in ${jobFigures.train_seconds} s: ${jobFigures.train_rows_per_s} rows/s, ${jobFigures.users_per_min} users/min`);
    }
    if (all) {
      // Scoring from memory: a cold pass (models read, workers started), then the median of 5 full passes (see bench/scoring.ts).
      const scoring = await measureScoring(asItems(ds.test), { profile, store }, SCORE_RUNS);
      // The scoring workers go now, not at their idle timeout in the middle of a later measurement.
      await closeScorePool();
      Object.assign(jobFigures, {
        score_events: scoring.events,
        score_seconds: round(scoring.events / scoring.eventsPerSecond),
        score_events_per_s: round(scoring.eventsPerSecond),
        score_events_per_s_best: round(scoring.bestEventsPerSecond),
        score_events_per_s_first: round(scoring.events / scoring.firstSeconds),
      });
      say(`scored ${scoring.events} events: ${jobFigures.score_events_per_s} events/s (median of ${SCORE_RUNS} warm runs; best ${jobFigures.score_events_per_s_best}; runs ${scoring.seconds.map(round).join(', ')} s); the cold first pass ${jobFigures.score_events_per_s_first} events/s`);
    }

    // Let the training events go (~400 MB): a Kibana process scoring on schedule holds no such
    // thing, and every full collection during the Elasticsearch step marked them all (~25 µs of
    // main-thread time an event, measured).
    ds.train.length = 0;
    const shapes: EsShape[] = [];
    if (opts.esEvents > 0) shapes.push({ name: 'throughput', events: eventsOverWeeks(ds.test, opts.esEvents, profile.timestampFields) });
    if (opts.esSparseEvents > 0) shapes.push({ name: 'sparse', events: eventsOverWeeks(ds.test, opts.esSparseEvents, profile.timestampFields) });
    const es = await esScoringBench({ profile, store, shapes, users: opts.esUsers, runs: opts.esRuns, profileTo: opts.esProfile, say });
    const esFigures: Record<string, number> = { es_users: es.users, es_models: es.models };
    for (const shape of es.shapes) {
      const suffix = shape.name === 'throughput' ? '' : `_${shape.name}`;
      const figures = esFiguresOf(shape, suffix);
      Object.assign(esFigures, figures);
      const f = (name: string): number => figures[`${name}${suffix}`];
      say(
        `through Elasticsearch (test server in its own process), ${shape.name} shape, ${shape.events} events of ${shape.usersWithEvents} users (of ${es.users}, ${es.models} models): ${f('es_events_per_s')} events/s end to end; ` +
          `plugin side ${f('es_plugin_events_per_s')} events/s (wall less waiting for Elasticsearch), ${f('es_plugin_cpu_events_per_s')} per CPU-second of the plugin's process; ` +
          `the cold run ${f('es_cold_plugin_events_per_s')} (${shape.cold.modelsRead} models read); file scoring of the same events and models ${f('es_file_events_per_s')} events/s`,
      );
    }

    let loopFigures: Record<string, unknown> = {};
    if (all) {
      const loop = await eventLoopDuringJobs(backend.name);
      loopFigures = { event_loop_p99_ms_training_in_worker: loop.trainP99Ms, event_loop_p99_ms_scoring_in_worker: loop.scoreP99Ms, event_loop_p99_ms_training_inline: loop.inlineP99Ms, matmul_gflops: matmulGflops };
      say(`event-loop delay p99 while ${loop.users} users train: ${loop.trainP99Ms} ms with the job in a worker thread (as the plugin runs it), ${loop.inlineP99Ms} ms training on the event loop itself; while they are scored: ${loop.scoreP99Ms} ms`);
      say(`matmul ${matmulGflops} GFLOP/s`);
    }
    const figures = { backend: backend.name, ...engineFigures, ...jobFigures, ...esFigures, ...loopFigures, peak_mb: round(process.resourceUsage().maxRSS / 1024) };
    say(`peak RSS ${figures.peak_mb} MB`);
    if (opts.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    if (opts.modelsDir === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The es_* figures of one shape of the Elasticsearch step (see BENCHMARKS.md for what each
 * means), their names ending in `suffix` (the throughput shape's have none).
 */
function esFiguresOf(shape: EsShapeFigures, suffix: string): Record<string, number> {
  const warm = medianRun(shape.warm);
  const figures: Record<string, number> = {
    es_events: shape.events,
    es_users_with_events: shape.usersWithEvents,
    es_events_per_s: round(shape.events / warm.seconds),
    es_plugin_events_per_s: round(shape.events / (warm.seconds - warm.waitSeconds)),
    es_plugin_cpu_events_per_s: round(shape.events / warm.pluginCpuSeconds),
    es_cold_plugin_events_per_s: round(shape.events / (shape.cold.seconds - shape.cold.waitSeconds)),
    es_models_read_cold: shape.cold.modelsRead,
    es_models_read_warm: warm.modelsRead,
    es_server_cpu_s: round(warm.serverCpuSeconds),
    es_file_events_per_s: round(shape.events / (shape.file.seconds - shape.file.waitSeconds)),
    // The Elasticsearch path against file scoring of the same events, in this one invocation.
    es_plugin_vs_file: round((shape.file.seconds - shape.file.waitSeconds) / (warm.seconds - warm.waitSeconds)),
    // The main thread's CPU (Kibana's event loop) per event, unmoved by other load on the machine.
    es_main_cpu_us_per_event: round((warm.mainCpuSeconds * 1e6) / shape.events),
    es_file_main_cpu_us_per_event: round((shape.file.mainCpuSeconds * 1e6) / shape.events),
  };
  return Object.fromEntries(Object.entries(figures).map(([k, v]) => [`${k}${suffix}`, v]));
}

/**
 * The jobs workload's models in `dir`: trained now (with the training's time), or, when `dir`
 * holds models of the same workload (its generator options and backend, recorded beside them by
 * an earlier bench), those (undefined: no training figures).
 */
async function trainedModels(
  train: unknown[],
  dir: string,
  workload: Record<string, unknown>,
  trainNow: () => Promise<TrainSummary>,
  say: (s: string) => void,
): Promise<{ summary: TrainSummary; seconds: number } | undefined> {
  const marker = path.join(dir, 'bench-workload.json');
  const key = JSON.stringify({ ...workload, events: train.length });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === key) {
    say(`models of this workload reused from ${dir} (no training figures)`);
    return undefined;
  }
  const t0 = performance.now();
  const summary = await trainNow();
  const seconds = (performance.now() - t0) / 1000;
  writeFileSync(marker, key);
  return { summary, seconds };
}

/**
 * What jobs do to the event loop of the process that serves HTTP (Kibana's): p99 of the loop's
 * delay while a train job, then a score job, run in job workers as the plugin runs them, against
 * the same training on the loop itself. Elasticsearch (the test server) runs in a process of its
 * own, as a cluster would: in this process its linear scans stalled the loop measured (150–200 ms
 * a page of the training read) and the figure said nothing of the plugin.
 */
async function eventLoopDuringJobs(backend: string): Promise<{ users: number; trainP99Ms: number; scoreP99Ms: number; inlineP99Ms: number }> {
  const users = 40;
  const ds = generate({ profile: 'azure-signin', seed: 8, users, trainDays: 14, testDays: 1, compromisedUsers: 1, start: new Date(Date.now() - 15 * 86_400_000).toISOString() });
  const profile = resolveProfile('azure-signin');
  const server = await startEsServerProcess();
  const client = createEsClient({ url: server.url });
  try {
    const index = await indexLikeIntegration(client, profile, 'azure.signinlogs', 'loop', [...ds.train, ...ds.test]);
    const source = parseSourceConfig({ id: 'loop', profile: profile.name, index, settleSeconds: 0 });
    const settings = new EsSettingsStore(client, '.dfp-state', defaultSettings([source]));
    const jobs = new WorkerJobControl({ client, settings, connectionFor: async () => ({ url: server.url }), holder: 'bench', backend: backend as 'wasm' });
    const during = async (type: 'train' | 'score'): Promise<number> => {
      const loop = monitorEventLoopDelay({ resolution: 10 });
      // A timer that needs the loop, as HTTP requests would.
      const tick = setInterval(() => {}, 10);
      loop.enable();
      await jobs.start({ type, source: 'loop' });
      await jobs.idle();
      loop.disable();
      clearInterval(tick);
      return round(loop.percentile(99) / 1e6);
    };
    const trainP99Ms = await during('train');
    const scoreP99Ms = await during('score');
    await jobs.stop();

    const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-bench-loop-'));
    const inline = monitorEventLoopDelay({ resolution: 10 });
    inline.enable();
    const tick = setInterval(() => {}, 10);
    await trainModels(asItems(ds.train), { profile, store: new FsModelStore(dir), backend });
    clearInterval(tick);
    inline.disable();
    rmSync(dir, { recursive: true, force: true });
    return { users, trainP99Ms, scoreP99Ms, inlineP99Ms: round(inline.percentile(99) / 1e6) };
  } finally {
    await client.close();
    await server.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
