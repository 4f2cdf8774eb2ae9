// Scheduled scoring's batch pipeline end to end (jobs/es_batches.ts, jobs/es_score.ts): with
// several batches, batch N + 1 is read and scored while batch N is written, and still every
// event's scores are those of scoring the same events from files (derived features see the
// batches in order), user risk is applied in read order, and a write that fails while the next
// batch is scored, or a scoring that fails while the batch before is written, leaves the
// checkpoint at the last page written whole: the rerun writes the rest, nothing lost, nothing
// twice. Over HTTP against the in-memory test server (fault injection needs it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { runPieces } from './es_score_speed_setup';
import { cleanUp, indexLikeIntegration, NEEDS_TEST_SERVER, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig, type SourceConfig, type WriteMode } from '../common/source_config';
import { DEFAULTS, type DfpFields } from '../common/fields';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEsSource, type EsScoreOptions, type EsScoreSummary } from '../server/engine/jobs/es_score';
import { scoreEvents } from '../server/engine/jobs/score';
import { closeScorePool } from '../server/engine/jobs/score_pool';
import { userRiskModelFor } from '../server/engine/score/risk_model';
import { EventRisk } from '../server/engine/score/user_risk';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 23, users: 10, trainDays: 10, testDays: 2, compromisedUsers: 1, start: '2026-03-01T00:00:00Z' });
const testStart = Date.parse('2026-03-11T00:00:00Z');
const testEnd = Date.parse('2026-03-13T00:00:00Z');
const N = ds.test.length;
/** Two pages of 10 a batch: ten batches or so. */
const SMALL = { pageSize: 10, batchEvents: 20, workers: 2 } as const;

let cluster: TestCluster;
let client: Client;
let names: { models: string; state: string };
let dataset: string;
let runs = 0;
const made: string[] = [];
/** The file path's dfp objects of the test events, by event id. */
const fromFiles = new Map<string, DfpFields>();

before(async () => {
  await initBackend('wasm');
  cluster = await startCluster();
  client = cluster.client;
  names = ownedIndexNames(`.dfp-${cluster.tag}`);
  dataset = `dfptest.pipe${cluster.tag}`;
  const train = await indexLikeIntegration(client, profile, dataset, 'train', ds.train);
  made.push(train);
  await trainEsSource(client, {
    source: source('train', 'scores', train),
    profile,
    store: store(),
    backend: 'wasm',
    config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 },
    minHistory: 120,
    to: testStart,
  });
  await scoreEvents(
    ds.test.map((event, i) => ({ kind: 'event' as const, event, source: { file: 'test', line: i + 1 } })),
    { profile, store: store() },
    async (doc) => void fromFiles.set((doc.event as { id: string }).id, doc.dfp as DfpFields),
  );
  assert.equal(fromFiles.size, N);
  assert.ok(N > 8 * SMALL.batchEvents, `several batches (${N} events)`);
});

after(async () => {
  await closeScorePool();
  await cleanUp(client, {
    dataStreams: [...made, ...made.map((s) => `logs-dfp.scores-${s.split('-').pop()}`), ...made.map((s) => `logs-dfp.user_risk-${s.split('-').pop()}`)],
    indices: [names.models, names.state],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

function store(): EsModelStore {
  return new EsModelStore(client, { index: names.models });
}

function source(ns: string, writeMode: WriteMode, index: string): SourceConfig {
  return parseSourceConfig({ id: `${cluster.tag}-${ns}`, profile: 'azure-signin', index, writeMode, namespace: ns, settleSeconds: 0, initialLookbackHours: 24 * 3 });
}

/** A fresh copy of the test period in its own data stream, and a source over it. */
async function fresh(writeMode: WriteMode): Promise<SourceConfig> {
  const ns = `p${runs++}${cluster.tag}`;
  const stream = await indexLikeIntegration(client, profile, dataset, ns, ds.test);
  made.push(stream);
  return source(ns, writeMode, stream);
}

async function score(src: SourceConfig, extra: Partial<EsScoreOptions> = {}): Promise<EsScoreSummary> {
  return scoreEsSource(client, {
    ...(await runPieces(client, names, src, profile)),
    runId: src.namespace,
    now: testEnd + 60_000,
    ...SMALL,
    ...extra,
  });
}

interface Written {
  id: string;
  time: number;
  /** The source document, as the read orders ties. */
  index: string;
  doc: string;
  dfp: DfpFields;
}

/** Every written dfp (scores stream or the source's documents in place), in read order. */
async function written(src: SourceConfig): Promise<Written[]> {
  const index = src.writeMode === 'scores' ? `logs-dfp.scores-${src.namespace}` : src.index;
  await client.indices.refresh({ index });
  const res = await client.search<{ '@timestamp': string; event: { id: string }; dfp: DfpFields & { source?: { index: string; id: string } } }>({ index, size: 10_000, query: { match_all: {} } });
  const out = res.hits.hits.map((h) => {
    const s = h._source!;
    const at = src.writeMode === 'scores' ? s.dfp.source! : { index: h._index, id: h._id! };
    return { id: s.event.id, time: Date.parse(s['@timestamp']), index: at.index, doc: at.id, dfp: s.dfp };
  });
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return out.sort((a, b) => a.time - b.time || cmp(a.index, b.index) || cmp(a.doc, b.doc));
}

/** A dfp object without what a batch's time-series window, user risk and the run itself change. */
function comparable(d: DfpFields): Partial<DfpFields> {
  const { scored_at: _at, source: _s, ts_zscore: _z, ts_anomaly: _a, user_risk: _r, user_flagged: _f, ...rest } = d as DfpFields & { source?: unknown };
  const out = JSON.parse(JSON.stringify(rest)) as Partial<DfpFields>; // as written: JSON has no −0
  // In place, fields an earlier scoring may have left are cleared with null (error, suppressed).
  for (const [k, v] of Object.entries(out)) if (v === null) delete (out as Record<string, unknown>)[k];
  return out;
}

/** Each written event once, with the file path's scores, and user risk as applying it in read order gives. */
function assertExact(out: Written[]): void {
  assert.equal(out.length, N, 'every event written');
  assert.equal(new Set(out.map((w) => w.id)).size, N, 'none twice');
  for (const w of out) assert.deepEqual(comparable(w.dfp), comparable(fromFiles.get(w.id)!), `event ${w.id}`);
  const risk = new EventRisk(DEFAULTS.userRiskThreshold, DEFAULTS.tsThreshold, userRiskModelFor(profile));
  let withRisk = 0;
  for (const w of out) {
    const { user_risk: got, user_flagged: flagged, ...input } = w.dfp;
    for (const [k, v] of Object.entries(input)) if (v === null && k !== 'user') delete (input as Record<string, unknown>)[k];
    const want = risk.apply(input, w.time);
    assert.equal(got, want, `user risk of event ${w.id} (user ${w.dfp.user})`);
    if (want !== undefined) {
      withRisk += 1;
      assert.equal(flagged, want >= DEFAULTS.userRiskThreshold);
    }
  }
  assert.ok(withRisk > N / 2);
}

describe('the batch pipeline through Elasticsearch', () => {
  for (const mode of ['scores', 'in_place'] as const) {
    it(`${mode}: in batches of two pages, every event is scored as from files, user risk in read order, written once`, async () => {
      const src = await fresh(mode);
      const run = await score(src);
      assert.equal(run.written, N);
      assert.ok(run.pages >= 2 * Math.floor(N / SMALL.batchEvents));
      assertExact(await written(src));
      const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
      assert.equal(cp?.checkpoint.events, N);
    });
  }

  it('a write that fails while the next batch is scored: the run fails, the checkpoint stays at the last page written whole, the rerun writes the rest once', { skip: NEEDS_TEST_SERVER }, async () => {
    const src = await fresh('scores');
    // Every attempt of the third bulk (batch 1's first page) on: slow, then the socket dropped
    // half-answered (the writes applied, the client never told). What the engine asks meanwhile
    // is logged: batch 2's user counts prove it was scored during batch 1's writes.
    const seen: string[] = [];
    let bulks = 0;
    cluster.server!.faults.inject({
      path: /\/_search$/,
      when: (req) => {
        if (req.raw.includes('"by_user"')) seen.push('counts');
        return false;
      },
    });
    cluster.server!.faults.inject({
      path: /\/_bulk$/,
      when: () => {
        const failing = ++bulks >= 3;
        seen.push(failing ? 'failing bulk' : 'bulk');
        return failing;
      },
      delayMs: 30,
      destroySocket: 'mid-response',
    });
    try {
      await assert.rejects(score(src), /still failed after retries/);
    } finally {
      cluster.server!.faults.clear();
    }
    const perBatch = seen.slice(0, seen.indexOf('bulk')).filter((s) => s === 'counts').length; // batch 0's
    const beforeFailing = seen.slice(0, seen.indexOf('failing bulk')).filter((s) => s === 'counts').length;
    const all = seen.filter((s) => s === 'counts').length;
    assert.ok(perBatch > 0 && all > beforeFailing, `the next batch was scored while the failing writes went on: ${seen.join(', ')}`);
    assert.ok(all <= 3 * perBatch, 'no batch scored beyond the one ahead');
    const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
    assert.equal(cp?.checkpoint.events, SMALL.batchEvents, "batch 0's two pages checkpointed, nothing of batch 1");
    const rerun = await score(src);
    assert.equal(rerun.written, N - SMALL.batchEvents, 'the rerun wrote the rest, from the checkpoint');
    const out = await written(src);
    assert.equal(out.length, N, 'no event lost, none twice');
    assert.equal(new Set(out.map((w) => w.id)).size, N);
    for (const w of out) assert.deepEqual(comparable(w.dfp), comparable(fromFiles.get(w.id)!), `event ${w.id}`);
  });

  it('a scoring that fails while the batch before is written: that batch is written whole with its checkpoints, nothing after; the rerun writes the rest once', { skip: NEEDS_TEST_SERVER }, async () => {
    const src = await fresh('scores');
    // The third batch's user counts (each batch's window ends at its newest event) are refused.
    const ends: number[] = [];
    cluster.server!.faults.inject({
      path: /\/_search$/,
      when: (req) => {
        if (!req.raw.includes('"by_user"')) return false;
        const end = Number(/"lt":(\d+)/.exec(req.raw)?.[1]);
        if (!ends.includes(end)) ends.push(end);
        return ends.indexOf(end) === 2;
      },
      status: 400,
    });
    try {
      await assert.rejects(score(src), /injected bad request|illegal_argument/);
    } finally {
      cluster.server!.faults.clear();
    }
    const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
    assert.equal(cp?.checkpoint.events, 2 * SMALL.batchEvents, 'batches 0 and 1 written whole and checkpointed');
    assert.equal((await written(src)).length, 2 * SMALL.batchEvents, 'nothing of batch 2 or after written');
    const rerun = await score(src);
    assert.equal(rerun.written, N - 2 * SMALL.batchEvents);
    const out = await written(src);
    assert.equal(out.length, N, 'no event lost, none twice');
    assert.equal(new Set(out.map((w) => w.id)).size, N);
    for (const w of out) assert.deepEqual(comparable(w.dfp), comparable(fromFiles.get(w.id)!), `event ${w.id}`);
  });

  it('an abort while a batch is written stops the run before its next page, the batch ahead released', async () => {
    const src = await fresh('scores');
    const controller = new AbortController();
    let pages = 0;
    const run = score(src, {
      signal: controller.signal,
      onPage: () => {
        if (++pages === 3) controller.abort(new Error('lease lost'));
      },
    });
    await assert.rejects(run, /lease lost/);
    const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
    assert.equal(cp?.checkpoint.events, 3 * SMALL.pageSize, 'three pages checkpointed, none after the abort');
    const rerun = await score(src);
    assert.equal(rerun.written, N - 3 * SMALL.pageSize);
    assert.equal((await written(src)).length, N);
  });
});
