// Train and score from Elasticsearch end to end, over HTTP: the generated azure-signin dataset in
// a data stream set up like the integration's, models and job state in the cluster, scores written
// back in both modes. Every test asserts exact counts: every event scored once, none lost, none twice.
// Runs against the in-memory test server, or a real cluster when ES_URL is set (see README).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { cleanUp, indexLikeIntegration, NEEDS_TEST_SERVER, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig, type SourceConfig, type WriteMode } from '../common/source_config';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsSink } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { schemaOf } from '../server/engine/features/frame';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEsSource, type EsScoreOptions, type EsScoreSummary } from '../server/engine/jobs/es_score';
import { runEsJob } from '../server/engine/jobs/es_job';
import { scoreEvents } from '../server/engine/jobs/score';
import { Lease } from '../server/engine/io/es/lease';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { FLAGGED_PERIOD_MS } from '../server/engine/model/left_out';

const profile = resolveProfile('azure-signin');
const DAY = 86_400_000;
const ds = generate({ profile: 'azure-signin', seed: 11, users: 10, trainDays: 10, testDays: 2, compromisedUsers: 1, start: '2026-03-01T00:00:00Z' });
const testStart = Date.parse('2026-03-11T00:00:00Z');
const testEnd = Date.parse('2026-03-13T00:00:00Z');
const N = ds.test.length;

let cluster: TestCluster;
let client: Client;
let names: { models: string; state: string };
let dataset: string;
let store: EsModelStore;
const made: string[] = [];

before(async () => {
  await initBackend('wasm');
  cluster = await startCluster();
  client = cluster.client;
  names = ownedIndexNames(`.dfp-${cluster.tag}`);
  dataset = `dfptest.signin${cluster.tag}`;
  store = new EsModelStore(client, { index: names.models });
  const trainStream = await indexLikeIntegration(client, profile, dataset, 'train', ds.train);
  made.push(trainStream);
  const trained = await trainEsSource(client, {
    source: source('train', 'scores', trainStream),
    profile,
    store,
    backend: 'wasm',
    config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 4 },
    minHistory: 120,
    to: testStart,
  });
  assert.equal(trained.events, ds.train.length, 'training read every event of the window');
  assert.ok(trained.users.some((u) => u.model === 'own'), 'some users have a model of their own');
});

after(async () => {
  await cleanUp(client, {
    dataStreams: [...made, ...made.map((s) => `logs-dfp.scores-${s.split('-').pop()}`), ...made.map((s) => `logs-dfp.user_risk-${s.split('-').pop()}`)],
    indices: [names.models, `${names.models}-retrain-in_place`, `${names.models}-retrain-scores`, names.state, `.dfp-${cluster.tag}-cli-models`, `.dfp-${cluster.tag}-cli-state`],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

function source(ns: string, writeMode: WriteMode, index?: string): SourceConfig {
  return parseSourceConfig({ id: `${cluster.tag}-${ns}`, profile: 'azure-signin', index: index ?? `logs-${dataset}-${ns}`, writeMode, namespace: ns, settleSeconds: 0, initialLookbackHours: 24 * 3 });
}

/** A fresh copy of the test period in its own data stream (in-place writes change documents). */
async function seedStream(ns: string): Promise<string> {
  const stream = await indexLikeIntegration(client, profile, dataset, ns, ds.test);
  made.push(stream);
  return stream;
}

function sinkFor(src: SourceConfig): EsSink {
  return new EsSink(client, {
    mode: src.writeMode,
    namespace: src.namespace,
    sourceName: src.id,
    featureNames: schemaOf(profile).names,
    keyFields: [...profile.userFields, ...(profile.displayFields ?? [])],
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
}

async function score(src: SourceConfig, now: number, extra: Partial<EsScoreOptions> = {}): Promise<EsScoreSummary> {
  const sink = sinkFor(src);
  await sink.setup();
  return scoreEsSource(client, { source: src, profile, store, sink, checkpoints: new Checkpoints(client, { index: names.state }), runId: 'test', now, pageSize: 50, ...extra });
}

/** Every document of an index pattern: ids, versions and sources (at most 10,000). */
async function docs(index: string): Promise<{ id: string; index: string; version: number; source: any }[]> {
  await client.indices.refresh({ index });
  const res = await client.search({ index, size: 10_000, version: true, query: { match_all: {} } });
  return res.hits.hits.map((h) => ({ id: h._id!, index: h._index, version: h._version!, source: h._source }));
}

describe('elasticsearch jobs', () => {
  it('scores mode, incremental: two runs write one document per event, a third finds nothing new', async () => {
    const ns = `sc${cluster.tag}`;
    const stream = await seedStream(ns);
    const src = source(ns, 'scores', stream);
    // The first run stops mid-day, so the second must replay the day's earlier events to derive
    // the same per-user daily counts a single pass would.
    const first = await score(src, testStart + 30 * 3_600_000);
    const second = await score(src, testEnd + 60_000);
    const third = await score(src, testEnd + 60_000);
    assert.ok(first.written > 0 && second.written > 0, 'both runs wrote');
    assert.equal(first.written + second.written, N, 'together the runs wrote every event once');
    assert.equal(first.failed + second.failed, 0);
    assert.equal(third.written, 0, 'nothing new');
    assert.equal(third.alreadyScored, third.read, 'the third run only re-read the checkpoint boundary');

    const out = await docs(`logs-dfp.scores-${ns}`);
    assert.equal(out.length, N, 'one scores document per event');
    const sourceIds = new Set(out.map((d) => `${d.source.dfp.source.index}/${d.source.dfp.source.id}`));
    assert.equal(sourceIds.size, N, 'no event twice');
    const originals = await docs(stream);
    for (const o of originals) assert.ok(sourceIds.has(`${o.index}/${o.id}`), `event ${o.id} was scored`);
    for (const d of out) {
      assert.equal(d.version, 1, 'written once, never overwritten');
      assert.equal(d.source.dfp.source.name, src.id);
      assert.ok(typeof d.source.dfp.zscore === 'number' || typeof d.source.dfp.error === 'string');
      if (!d.source.dfp.error) {
        assert.ok(d.source.event.risk_score_norm >= 0 && d.source.event.risk_score_norm <= 100);
        assert.equal(d.source.event.risk_score, d.source.dfp.zscore);
      }
    }
    for (const d of out) if (!d.source.dfp.error) assert.equal(typeof d.source.dfp.ts_zscore, 'number', 'time-series check ran');

    // Page by page over two runs, the scores equal one pass over the same events from files.
    const byEventId = new Map(out.map((d) => [d.source.event?.id, d.source.dfp.zscore]));
    const fromFiles: Record<string, any>[] = [];
    await scoreEvents(ds.test.map((event, i) => ({ kind: 'event' as const, event, source: { file: 'test', line: i + 1 } })), { profile, store }, async (doc) => void fromFiles.push(doc));
    assert.equal(fromFiles.length, N);
    for (const doc of fromFiles) {
      const esZ = byEventId.get(doc.event.id);
      assert.ok(Math.abs(esZ - doc.dfp.zscore) < 1e-6, `event ${doc.event.id}: ${esZ} from Elasticsearch, ${doc.dfp.zscore} from files`);
    }

    const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
    assert.equal(cp?.checkpoint.events, N, 'the checkpoint counted every event once');
    const newest = Math.max(...ds.test.map((e) => Date.parse(e['@timestamp'] as string)));
    assert.equal(cp?.checkpoint.timeMs, newest, 'the checkpoint is at the newest event');
  });

  it('in-place mode: each original document gains dfp.* exactly once', async () => {
    const ns = `ip${cluster.tag}`;
    const stream = await seedStream(ns);
    const src = source(ns, 'in_place', stream);
    const first = await score(src, testStart + DAY);
    const second = await score(src, testEnd + 60_000);
    assert.equal(first.written + second.written, N);
    const out = await docs(stream);
    assert.equal(out.length, N, 'no document added or lost');
    for (const d of out) {
      assert.ok(d.source.dfp, `${d.id} has dfp`);
      assert.equal(d.version, 2, `${d.id} updated exactly once`);
      assert.equal(d.source.user.id, d.source.dfp.user ?? d.source.user.id, 'scored for its own user');
    }
    const mapping = await client.indices.getMapping({ index: stream });
    for (const m of Object.values(mapping)) {
      assert.equal((m.mappings.properties?.dfp as any)?.properties?.zscore?.type, 'float', 'dfp.zscore mapped on every backing index');
    }
  });

  for (const mode of ['in_place', 'scores'] as const) {
    it(`retraining over a source scored in ${mode} mode leaves out the events that run flagged`, async () => {
      const ns = `rt${mode === 'scores' ? 's' : 'p'}${cluster.tag}`;
      const stream = await seedStream(ns);
      const src = source(ns, mode, stream);
      await score(src, testEnd + 60_000);
      const scored = await docs(mode === 'scores' ? `logs-dfp.scores-${ns}` : stream);
      assert.equal(scored.length, N);
      // A threshold that flags a few events of the week: their users' flagged periods take more, not all.
      const threshold = [...scored.map((d) => d.source.dfp.zscore as number)].sort((a, b) => a - b)[Math.floor(scored.length * 0.98)];
      // Flagged, or in the flagged period of its user (FLAGGED_PERIOD_MS either side of one of theirs).
      const isFlagged = (d: (typeof scored)[number]): boolean => d.source.dfp.zscore >= threshold || d.source.dfp.user_flagged === true;
      const timeOf = (d: (typeof scored)[number]): number => Date.parse(d.source['@timestamp'] as string);
      const flags = scored.filter(isFlagged);
      const expected = scored.filter((d) => isFlagged(d) || flags.some((f) => f.source.dfp.user === d.source.dfp.user && Math.abs(timeOf(f) - timeOf(d)) <= FLAGGED_PERIOD_MS)).length;
      assert.ok(expected > flags.length && expected < N, `a flagged period adds events, and some are learned (${flags.length} flagged, ${expected} left out of ${N})`);
      const retrained = await trainEsSource(client, {
        source: src,
        profile,
        store: new EsModelStore(client, { index: `${names.models}-retrain-${mode}` }),
        backend: 'wasm',
        config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 1 },
        minHistory: 120,
        threshold,
        to: testEnd + 60_000,
      });
      assert.equal(retrained.events, N, 'every event read');
      assert.equal(retrained.leftOut.events, expected, 'the events the run flagged, and their users\' flagged periods, are left out, the rest learned');
      assert.equal(retrained.rowsInWindow, N - expected);
    });
  }

  it('a run that fails mid-way leaves the checkpoint at its last whole page; the rerun completes without duplicates', { skip: NEEDS_TEST_SERVER }, async () => {
    const ns = `cr${cluster.tag}`;
    const stream = await seedStream(ns);
    const src = source(ns, 'scores', stream);
    // The third bulk request and all its retries die with the socket half-answered: the writes
    // were applied, the client never learned it.
    let bulks = 0;
    cluster.server!.faults.inject({ path: /\/_bulk$/, when: () => ++bulks >= 3, destroySocket: 'mid-response' });
    try {
      await assert.rejects(score(src, testEnd + 60_000), /still failed after retries/);
    } finally {
      cluster.server!.faults.clear();
    }
    const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
    assert.equal(cp?.checkpoint.events, 100, 'two pages of 50 checkpointed');
    const rerun = await score(src, testEnd + 60_000);
    assert.equal(rerun.written, N - 100, 'the rerun wrote the rest, from the checkpoint');
    const out = await docs(`logs-dfp.scores-${ns}`);
    assert.equal(out.length, N, 'no event lost, none twice');
    assert.equal(new Set(out.map((d) => d.source.dfp.source.id)).size, N);
  });

  it('429s on items and a 503 on a whole bulk are retried: every event written once', { skip: NEEDS_TEST_SERVER }, async () => {
    const ns = `ft${cluster.tag}`;
    const stream = await seedStream(ns);
    const src = source(ns, 'scores', stream);
    cluster.server!.faults.bulkItemFailures({ every: 7, status: 429, times: 40 });
    cluster.server!.faults.inject({ path: /\/_bulk$/, status: 503, times: 1 });
    let run: EsScoreSummary;
    try {
      run = await score(src, testEnd + 60_000);
    } finally {
      cluster.server!.faults.clear();
    }
    assert.equal(run.written, N);
    assert.equal(run.failed, 0);
    const out = await docs(`logs-dfp.scores-${ns}`);
    assert.equal(out.length, N);
  });

  it('two runners at once: the lease lets exactly one score, the other is told who holds it', async () => {
    const ns = `tw${cluster.tag}`;
    const stream = await seedStream(ns);
    const src = source(ns, 'scores', stream);
    const job = (holder: string) =>
      runEsJob(client, { type: 'score', source: src.id, holder, stateIndex: names.state }, async ({ run, signal }) => {
        const result = await score(src, testEnd + 60_000, { runId: run.id, signal });
        return { result, counts: { written: result.written } };
      });
    const [a, b] = await Promise.all([job('runner-a'), job('runner-b')]);
    const outcomes = [a, b].map((o) => o.status).sort();
    assert.deepEqual(outcomes, ['busy', 'succeeded']);
    const busy = [a, b].find((o) => o.status === 'busy');
    assert.ok(busy?.status === 'busy' && ['runner-a', 'runner-b'].includes(busy.heldBy.holder));
    const out = await docs(`logs-dfp.scores-${ns}`);
    assert.equal(out.length, N, 'scored once');
    const runs = await new JobRuns(client, { index: names.state }).list({ source: src.id });
    assert.equal(runs.length, 1, 'one run recorded');
    assert.equal(runs[0].status, 'succeeded');
    assert.equal(runs[0].counts.written, N);
  });

  it('a rescore of a range overwrites the same documents and leaves the checkpoint alone', async () => {
    const ns = `rs${cluster.tag}`;
    const stream = await seedStream(ns);
    const src = source(ns, 'scores', stream);
    await score(src, testEnd + 60_000);
    const cps = new Checkpoints(client, { index: names.state });
    const before = await cps.read(src.id);
    const rescore = await score(src, testEnd + 60_000, { range: { from: testStart, to: testStart + DAY } });
    assert.ok(rescore.written > 0);
    const after = await cps.read(src.id);
    assert.deepEqual(after?.checkpoint, before?.checkpoint);
    const out = await docs(`logs-dfp.scores-${ns}`);
    assert.equal(out.length, N, 'overwritten, not duplicated');
    assert.equal(out.filter((d) => d.version === 2).length, rescore.written, 'the rescored documents were overwritten once');
  });

  it('in place, a read-only backing index is reported by name and not retried forever; the run goes on', async () => {
    const ns = `ro${cluster.tag}`;
    const stream = await seedStream(ns);
    const old = (await client.indices.getDataStream({ name: stream })).data_streams[0].indices[0].index_name;
    await client.indices.rollover({ alias: stream });
    const late = ds.test.slice(0, 5).map((e, i) => ({ ...e, '@timestamp': new Date(testEnd - 1000 + i).toISOString(), event: { ...(e.event as object), id: `late-${i}` } }));
    await client.bulk({ operations: late.flatMap((d) => [{ create: { _index: stream } }, d]), refresh: true });
    await client.indices.putSettings({ index: old, settings: { 'index.blocks.read_only': true } });
    try {
      const src = source(ns, 'in_place', stream);
      const run = await score(src, testEnd + 60_000);
      assert.equal(run.read, N + 5);
      assert.equal(run.written, 5, 'the documents in the writable backing index were updated');
      assert.equal(run.failed, N, 'every document in the read-only one is reported');
      assert.deepEqual(run.readOnlyIndices, [old]);
      assert.ok(Object.keys(run.failedByReason).every((r) => /cluster_block_exception|read.only/i.test(r)), JSON.stringify(run.failedByReason));
      const again = await score(src, testEnd + 60_000);
      assert.equal(again.written + again.failed, 0, 'the checkpoint moved past them: the next run does not retry them forever');
    } finally {
      await client.indices.putSettings({ index: old, settings: { 'index.blocks.read_only': null } });
    }
  });

  it('the CLI trains and scores with --es-url; a job whose lease is held elsewhere exits non-zero naming the holder', async () => {
    const ns = `cli${cluster.tag}`;
    const stream = await seedStream(ns);
    const prefix = `.dfp-${cluster.tag}-cli`;
    const common = ['--es-url', cluster.url, '--es-index-prefix', prefix, '--profile', 'azure-signin', '--json', '--quiet'];
    const train = await dfp('train', ...common, '--index', `logs-${dataset}-train`, '--source-id', `${ns}-train`, '--to', new Date(testStart).toISOString(), '--epochs', '2', '--min-history', '120');
    assert.equal(train.code, 0, train.stderr);
    assert.equal(JSON.parse(train.stdout).events, ds.train.length);

    // A second training makes version 2; an admin rolls one user back to version 1.
    const retrain = await dfp('train', ...common, '--index', `logs-${dataset}-train`, '--source-id', `${ns}-train`, '--to', new Date(testStart).toISOString(), '--epochs', '2', '--min-history', '120');
    assert.equal(retrain.code, 0, retrain.stderr);
    const models = ['--es-url', cluster.url, '--es-index-prefix', prefix, '--profile', 'azure-signin', '--json'];
    const listed = JSON.parse((await dfp('models', ...models)).stdout) as { user: string; versions: number[]; active: number }[];
    assert.ok(listed.length > 0 && listed.every((u) => u.active === 2 && u.versions.join() === '1,2'), JSON.stringify(listed));
    const someone = listed[0].user;
    const rolled = await dfp('models', ...models, '--user', someone, '--rollback', '1');
    assert.equal(rolled.code, 0, rolled.stderr);
    assert.deepEqual((JSON.parse(rolled.stdout) as { version: number; active: boolean }[]).map((v) => [v.version, v.active]), [[1, true], [2, false]]);
    const missing = await dfp('models', ...models, '--user', someone, '--rollback', '7');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot roll back .* to version 7: stored versions: 1, 2/);

    const scoreArgs = [...common, '--index', stream, '--source-id', ns, '--namespace', ns, '--settle-seconds', '0', '--initial-lookback-hours', '72', '--to', new Date(testEnd + 60_000).toISOString()];
    const held = await Lease.acquire(client, { index: `${prefix}-state`, name: `score:${ns}`, holder: 'kibana:other-node', ttlMs: 60_000 });
    assert.ok(held instanceof Lease);
    const busy = await dfp('score', ...scoreArgs);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /scoring of .* is already running: lease held by kibana:other-node/);
    await held.release();

    const scored = await dfp('score', ...scoreArgs);
    assert.equal(scored.code, 0, scored.stderr);
    const summary = JSON.parse(scored.stdout);
    assert.equal(summary.written, N);
    assert.equal(summary.failed, 0);
    assert.equal((await docs(`logs-dfp.scores-${ns}`)).length, N);
  });
});

/** Runs the dfp CLI as a child process, asynchronously: the in-memory server shares our event loop. */
function dfp(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = path.join(__dirname, '..', 'scripts', 'dfp.ts');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, CI: '1' }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}
