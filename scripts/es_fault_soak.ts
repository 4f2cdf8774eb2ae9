/**
 * Fault soak of the Elasticsearch path (issue 16): train and score generated events through the
 * in-memory Elasticsearch test server while a share of requests fail (429s, 503s, slow answers,
 * connections dropped before and after a request was applied, per-item 429s in bulks), with the
 * client configured as in production (`createEsClient` defaults: the transport retries dropped
 * connections and 502–504 itself). In each write mode one scoring run is killed mid-way (a child
 * process, SIGKILLed when its second bulk arrives: applied, never answered, never checkpointed),
 * the target stream rolls over, and the next run takes over once the dead run's lease expires.
 * A last run rescores everything: every event must keep its score.
 *
 *   npx tsx scripts/es_fault_soak.ts --events 5000 --fault-rate 0.13 --seed 1
 *
 * Prints runs, faults injected, runs failed, events lost, duplicated and rescored differently.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import type { Client, estypes } from '@elastic/elasticsearch';
import { EsTestServer } from '../test/es_server/server';
import { indexLikeIntegration } from '../test/es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile, type Profile } from '../server/engine/profiles';
import { getField } from '../server/engine/profiles/field_path';
import { parseSourceConfig, type SourceConfig, type WriteMode } from '../common/source_config';
import { createEsClient } from '../server/engine/io/es/client';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsSink, scoresStreamName, sinkOptionsOf } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { Lease } from '../server/engine/io/es/lease';
import { jobLeaseName } from '../server/engine/io/es/job_runs';
import { runEsJob, type EsJobOutcome } from '../server/engine/jobs/es_job';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEsSource } from '../server/engine/jobs/es_score';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import type { RawEvent } from '../server/engine/types';
import { FaultMix, type FaultCounts } from './es_fault_mix';

export interface SoakOptions {
  events: number;
  /** Share of requests that get a fault (per-item bulk failures come on top, at a quarter of it). */
  faultRate: number;
  seed: number;
  modes: WriteMode[];
  pageSize?: number;
  /** Events a scoring run scores together (EsScoreOptions.batchEvents): small, several batches a run, written while the next is scored. Default: the engine's. */
  batchEvents?: number;
  /** Users in the generated data. Default 30. */
  users?: number;
  /** Incremental scoring runs per mode (one of them is killed and run again). Default 4. */
  slices?: number;
  /** Lease time to live of the run that gets killed: how long its source stays blocked (the other
   *  runs keep the production default). Default 10 s. */
  killedLeaseTtlMs?: number;
  log?: (line: string) => void;
}

export interface ModeResult {
  mode: WriteMode;
  events: number;
  /** Events sharing their user's previous event's millisecond (made so: the generator writes none). */
  tiedEvents: number;
  runs: number;
  killed: number;
  failedRuns: string[];
  lost: number;
  duplicated: number;
  /** Events whose dfp.zscore the final rescore changed, and the first few as "<doc>: <before> → <after>". */
  rescoredDifferently: number;
  rescoreExamples: string[];
}

export interface SoakResult {
  modes: ModeResult[];
  training: { runs: number; failedRuns: string[] };
  requests: number;
  faults: FaultCounts;
  seconds: number;
}

const PROFILE = 'azure-signin';
const DAY = 86_400_000;
const START = '2026-03-01T00:00:00Z';
const TRAIN_DAYS = 5;
const TEST_DAYS = 2;

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const t0 = Date.now();
  const log = opts.log ? (line: string) => opts.log!(`${((Date.now() - t0) / 1000).toFixed(1)} s ${line}`) : () => {};
  const profile = resolveProfile(PROFILE);
  const users = opts.users ?? 30;
  const ds = generate({ profile: PROFILE, seed: opts.seed, users, trainDays: TRAIN_DAYS, testDays: TEST_DAYS, compromisedUsers: 2, start: START, eventsPerUserPerDay: Math.max(1, Math.round(opts.events / (users * TEST_DAYS))) });
  const testStart = Date.parse(START) + TRAIN_DAYS * DAY;
  const testEnd = testStart + TEST_DAYS * DAY;
  const { events: test, tied } = withTies(ds.test.slice(0, opts.events), profile);

  await initBackend('wasm');
  const server = await new EsTestServer().start();
  const client = createEsClient({ url: server.url }); // production settings: maxRetries 3
  const faults = new FaultMix(server, opts.faultRate, opts.seed);
  const names = ownedIndexNames('.dfp-soak');
  const store = new EsModelStore(client, { index: names.models });
  const ctx: Ctx = { client, server, faults, profile, store, names, pageSize: opts.pageSize ?? 250, batchEvents: opts.batchEvents, killedLeaseTtlMs: opts.killedLeaseTtlMs ?? 10_000, log };
  try {
    const trainStream = await indexLikeIntegration(client, profile, 'soak.signin', 'train', ds.train);
    const training = { runs: 0, failedRuns: [] as string[] };
    const trainSource = sourceOf('soak-train', trainStream, 'scores', 1);
    for (let ok = false; !ok && training.runs < 3; ) {
      training.runs++;
      faults.on = true;
      const outcome = await runEsJob(client, { type: 'train', source: trainSource.id, stateIndex: names.state }, async () => {
        const s = await trainEsSource(client, { source: trainSource, profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 }, to: testStart, pageSize: ctx.pageSize });
        return { result: s, counts: { events: s.events } };
      });
      faults.on = false;
      ok = outcome.status === 'succeeded';
      log(`train: ${outcome.status}`);
      if (!ok) {
        training.failedRuns.push(describe('train', outcome));
        await waitForLeaseExpiry(ctx, 'train', trainSource);
      }
    }
    const modes: ModeResult[] = [];
    for (const mode of opts.modes) modes.push(await soakMode(ctx, mode, test, tied, { testStart, testEnd, slices: opts.slices ?? 4 }));
    return { modes, training, requests: server.requests.length, faults: faults.counts, seconds: Math.round((Date.now() - t0) / 1000) };
  } finally {
    await client.close();
    await server.stop();
  }
}

interface Ctx {
  client: Client;
  server: EsTestServer;
  faults: FaultMix;
  profile: Profile;
  store: EsModelStore;
  names: { models: string; state: string };
  pageSize: number;
  batchEvents?: number;
  killedLeaseTtlMs: number;
  log: (line: string) => void;
}

function sourceOf(id: string, index: string, writeMode: WriteMode, lookbackHours: number): SourceConfig {
  return parseSourceConfig({ id, profile: PROFILE, index, writeMode, namespace: id.replace(/[^a-z0-9]/g, ''), settleSeconds: 0, initialLookbackHours: lookbackHours });
}

/** Incremental runs over the test days (one killed and taken over), then a rescore of everything. */
async function soakMode(ctx: Ctx, mode: WriteMode, test: RawEvent[], tied: number, p: { testStart: number; testEnd: number; slices: number }): Promise<ModeResult> {
  const { client, faults } = ctx;
  const ns = mode === 'scores' ? 'scoresmode' : 'inplacemode';
  const stream = await indexLikeIntegration(client, ctx.profile, 'soak.signin', ns, test);
  const sliceMs = (p.testEnd + 60_000 - p.testStart) / p.slices;
  const source = sourceOf(`soak-${ns}`, stream, mode, sliceMs / 3_600_000);
  const result: ModeResult = { mode, events: test.length, tiedEvents: tied, runs: 0, killed: 0, failedRuns: [], lost: 0, duplicated: 0, rescoredDifferently: 0, rescoreExamples: [] };
  const killAt = Math.min(1, p.slices - 1);

  const run = async (label: string, now: number, range?: { from: number; to: number }): Promise<void> => {
    for (let attempt = 0; attempt < 3; attempt++) {
      result.runs++;
      faults.on = true;
      const outcome = await scoreJob(ctx, source, now, range);
      faults.on = false;
      ctx.log(`${mode} ${label}: ${outcome.status}${outcome.status === 'failed' ? ` (${outcome.error.message})` : ''}`);
      if (outcome.status === 'succeeded') return;
      result.failedRuns.push(describe(label, outcome));
      // As the next scheduled firing would: after a lease left behind (if any) expired.
      await waitForLeaseExpiry(ctx, 'score', source);
    }
  };

  for (let k = 0; k < p.slices; k++) {
    const now = p.testStart + (k + 1) * sliceMs;
    if (k === killAt) {
      result.runs++;
      faults.on = true;
      const killed = await killedScoreRun(ctx, source, now);
      faults.on = false;
      if (killed) result.killed++;
      else result.failedRuns.push(`${mode} run to be killed ended by itself`);
      ctx.log(`${mode} slice ${k + 1}: ${killed ? 'killed at its second bulk' : 'was not killed'}`);
      // The stream written to rolls over before the next run (the killed run's last copies unrefreshed).
      await client.indices.rollover({ alias: mode === 'scores' ? scoresStreamName(source.namespace) : stream });
      await waitForLeaseExpiry(ctx, 'score', source);
    }
    await run(`slice ${k + 1}`, now);
  }
  const before = await scoresByEvent(ctx, source, stream);
  await run('rescore', p.testEnd + 60_000, { from: p.testStart, to: p.testEnd + 60_000 });
  const after = await scoresByEvent(ctx, source, stream);

  if (mode === 'scores') {
    for (const copies of after.copies.values()) result.duplicated += copies - 1;
    result.lost = test.length - after.copies.size;
  } else {
    // In place nothing can be written twice, only documents added: count the documents instead.
    result.lost = [...after.copies.values()].filter((n) => n === 0).length;
    result.duplicated = Math.max(0, after.copies.size - test.length);
  }
  for (const [id, z] of after.zscore) {
    const was = before.zscore.get(id);
    if (was !== undefined && Math.abs(was - z) <= 1e-6 * Math.max(1, Math.abs(z))) continue;
    result.rescoredDifferently++;
    if (result.rescoreExamples.length < 5) result.rescoreExamples.push(`${id} at ${after.time.get(id)}: ${was} → ${z}`);
  }
  return result;
}

/** One scoring run under its lease, as the CLI and Kibana run it. */
async function scoreJob(ctx: Ctx, source: SourceConfig, now: number, range?: { from: number; to: number }, signal?: AbortSignal): Promise<EsJobOutcome<unknown>> {
  const { client, profile, store, names } = ctx;
  return runEsJob(client, { type: 'score', source: source.id, stateIndex: names.state, signal }, async ({ run, signal: jobSignal }) => {
    try {
      const sink = new EsSink(client, sinkOptionsOf(source, profile, { signal: jobSignal }));
      await sink.setup();
      const s = await scoreEsSource(client, { source, profile, store, sink, checkpoints: new Checkpoints(client, { index: names.state }), runId: run.id, now, range, pageSize: ctx.pageSize, batchEvents: ctx.batchEvents, signal: jobSignal });
      if (s.failed > 0) throw new Error(`${s.failed} events not written: ${s.failureExamples.slice(0, 3).join('; ')}`);
      return { result: s, counts: { written: s.written } };
    } catch (e) {
      // Work stopped by a lost lease fails with whatever request it cut: say why it stopped.
      if (jobSignal.aborted) throw new Error(`${(e as Error).message} [stopped: ${(jobSignal.reason as Error)?.message}]`, { cause: e });
      throw e;
    }
  });
}

/** A scoring run in a child process, SIGKILLed as its second bulk arrives; false if it ended first. */
async function killedScoreRun(ctx: Ctx, source: SourceConfig, now: number): Promise<boolean> {
  const spec: ChildSpec = { url: ctx.server.url, source, now, state: ctx.names.state, models: ctx.names.models, pageSize: ctx.pageSize, batchEvents: ctx.batchEvents, leaseTtlMs: ctx.killedLeaseTtlMs };
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--child'], { env: { ...process.env, DFP_SOAK_CHILD: JSON.stringify(spec) }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
  let bulks = 0;
  let killed = false;
  ctx.faults.onRequest = (req) => {
    if (req.method === 'POST' && /\/_bulk$/.test(req.path) && ++bulks === 2) {
      // Before the server applies it: the bulk lands, its answer never reaches anyone.
      killed = child.kill('SIGKILL');
    }
  };
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  ctx.faults.onRequest = undefined;
  if (!killed && code !== 0) ctx.log(`child run failed: ${stderr.slice(-500)}`);
  return killed;
}

/**
 * A dead run's lease blocks its source until it expires; runs started before are refused. Read
 * again after the wait: a renewal the run sent just before it was killed can land after the first
 * read (a slow answer), moving the expiry on once.
 */
async function waitForLeaseExpiry(ctx: Ctx, type: 'train' | 'score', source: SourceConfig): Promise<void> {
  for (let read = 0; read < 5; read++) {
    const lease = await Lease.read(ctx.client, jobLeaseName(type, source.id), ctx.names.state);
    const left = lease ? Date.parse(lease.expiresAt) - Date.now() : -1;
    if (left < 0) return;
    await sleep(left + 50);
  }
}

/** Per source event: how many scored copies exist, and its dfp.zscore. */
async function scoresByEvent(ctx: Ctx, source: SourceConfig, stream: string): Promise<{ copies: Map<string, number>; zscore: Map<string, number>; time: Map<string, string> }> {
  const { client } = ctx;
  const copies = new Map<string, number>();
  const zscore = new Map<string, number>();
  const time = new Map<string, string>();
  const scoresMode = source.writeMode === 'scores';
  const index = scoresMode ? scoresStreamName(source.namespace) : stream;
  await client.indices.refresh({ index });
  if (!scoresMode) {
    // In place a document cannot be duplicated, only added: count the originals instead.
    for (const h of await allDocs(client, stream)) copies.set(`${h._index}/${h._id}`, 0);
  }
  for (const h of await allDocs(client, index)) {
    const dfp = (h._source as { dfp?: { zscore?: number; source?: { index: string; id: string } } }).dfp;
    if (!dfp) continue;
    const id = scoresMode ? `${dfp.source!.index}/${dfp.source!.id}` : `${h._index}/${h._id}`;
    copies.set(id, (copies.get(id) ?? 0) + 1);
    if (typeof dfp.zscore === 'number') zscore.set(id, dfp.zscore);
    time.set(id, String((h._source as { '@timestamp'?: unknown })['@timestamp']));
  }
  return { copies, zscore, time };
}

/** Every document of `index`, through a point in time (faults are off while the soak counts). */
async function allDocs(client: Client, index: string): Promise<{ _index: string; _id?: string; _source?: unknown }[]> {
  const out: { _index: string; _id?: string; _source?: unknown }[] = [];
  const pit = await client.openPointInTime({ index, keep_alive: '1m' });
  try {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await client.search({ pit: { id: pit.id, keep_alive: '1m' }, size: 5000, sort: [{ _shard_doc: 'asc' }], ...(after ? { search_after: after } : {}) });
      if (res.hits.hits.length === 0) return out;
      out.push(...res.hits.hits);
      after = res.hits.hits[res.hits.hits.length - 1].sort;
    }
  } finally {
    await client.closePointInTime({ id: pit.id });
  }
}

/**
 * The generator writes no two events of a user in the same millisecond; real logs do. Every 50th
 * event takes its user's previous event's time, so that the order of ties matters to the scores.
 */
function withTies(events: RawEvent[], profile: Profile): { events: RawEvent[]; tied: number } {
  const last = new Map<string, unknown>();
  let tied = 0;
  const out = events.map((e, i) => {
    const user = String(profile.userFields.map((f) => getField(e, f)).find((v) => v !== undefined && v !== null));
    const prev = last.get(user);
    last.set(user, e['@timestamp']);
    if (i % 50 !== 49 || prev === undefined) return e;
    tied++;
    return { ...e, '@timestamp': prev };
  });
  return { events: out, tied };
}

function describe(label: string, outcome: EsJobOutcome<unknown>): string {
  if (outcome.status === 'busy') return `${label}: busy, lease held by ${outcome.heldBy.holder}`;
  if (outcome.status === 'skipped') return `${label}: skipped, ${outcome.reason}`;
  if (outcome.status === 'succeeded') return `${label}: succeeded`;
  return `${label}: ${outcome.status}: ${outcome.error.message}`;
}

// ---- the child process's side ----

interface ChildSpec {
  url: string;
  source: SourceConfig;
  now: number;
  state: string;
  models: string;
  pageSize: number;
  batchEvents?: number;
  leaseTtlMs: number;
}

async function child(spec: ChildSpec): Promise<void> {
  await initBackend('wasm');
  const client = createEsClient({ url: spec.url });
  const profile = resolveProfile(spec.source.profile);
  const outcome = await runEsJob(client, { type: 'score', source: spec.source.id, stateIndex: spec.state, leaseTtlMs: spec.leaseTtlMs }, async ({ run, signal }) => {
    const sink = new EsSink(client, sinkOptionsOf(spec.source, profile, { signal }));
    await sink.setup();
    const s = await scoreEsSource(client, { source: spec.source, profile, store: new EsModelStore(client, { index: spec.models }), sink, checkpoints: new Checkpoints(client, { index: spec.state }), runId: run.id, now: spec.now, pageSize: spec.pageSize, batchEvents: spec.batchEvents, signal });
    return { result: s, counts: { written: s.written } };
  });
  await client.close();
  if (outcome.status !== 'succeeded') throw new Error(describe('child run', outcome));
}

// ---- command line ----

function report(r: SoakResult): string {
  const lines = [
    `${r.requests} requests in ${r.seconds} s; faults injected: ${Object.entries(r.faults).map(([k, n]) => `${n} ${k}`).join(', ')}`,
    `training: ${r.training.runs} runs, ${r.training.failedRuns.length} failed${r.training.failedRuns.map((f) => `\n  ${f}`).join('')}`,
  ];
  for (const m of r.modes) {
    lines.push(
      `${m.mode}: ${m.events} events (${m.tiedEvents} tied), ${m.runs} runs (${m.killed} killed), ${m.failedRuns.length} failed, ` +
        `${m.lost} lost, ${m.duplicated} duplicated, ${m.rescoredDifferently} rescored differently${[...m.failedRuns, ...m.rescoreExamples].map((f) => `\n  ${f}`).join('')}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child(JSON.parse(process.env.DFP_SOAK_CHILD ?? '{}') as ChildSpec);
  const program = new Command('es_fault_soak')
    .description('score generated events through the ES test server while requests fail; count failed runs, lost and duplicated events')
    .option('--events <n>', 'events to score per write mode', (v) => Number.parseInt(v, 10), 5000)
    .option('--fault-rate <r>', 'share of requests given a fault', Number.parseFloat, 0.13)
    .option('--seed <n>', 'data and fault seed', (v) => Number.parseInt(v, 10), 1)
    .option('--page-size <n>', 'events per page', (v) => Number.parseInt(v, 10), 250)
    .option('--batch-events <n>', 'events a scoring run scores together (default: the engine\'s)', (v) => Number.parseInt(v, 10))
    .option('--users <n>', 'users in the generated data', (v) => Number.parseInt(v, 10), 30)
    .option('--slices <n>', 'incremental scoring runs per mode', (v) => Number.parseInt(v, 10), 4)
    .option('--killed-lease-ttl-ms <n>', 'lease time to live of the run that is killed (what the next run waits out)', (v) => Number.parseInt(v, 10), 10_000)
    .addOption(new Option('--modes <list>', 'write modes').default('scores,in_place'))
    .option('--json', 'print the result as one JSON line too');
  program.parse();
  const o = program.opts<{ events: number; faultRate: number; seed: number; pageSize: number; batchEvents?: number; users: number; slices: number; killedLeaseTtlMs: number; modes: string; json?: boolean }>();
  const modes = o.modes.split(',').map((m) => m.trim()) as WriteMode[];
  for (const m of modes) if (m !== 'scores' && m !== 'in_place') throw new Error(`--modes: unknown write mode "${m}"`);
  const result = await runSoak({ events: o.events, faultRate: o.faultRate, seed: o.seed, modes, pageSize: o.pageSize, batchEvents: o.batchEvents, users: o.users, slices: o.slices, killedLeaseTtlMs: o.killedLeaseTtlMs, log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${report(result)}\n`);
  if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  const bad = result.training.failedRuns.length + result.modes.reduce((n, m) => n + m.failedRuns.length + m.lost + m.duplicated + m.rescoredDifferently, 0);
  process.exitCode = bad > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`es_fault_soak: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
