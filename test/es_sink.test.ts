// EsSink and BulkWriter against the in-memory ES test server, through the official client over HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { LoggedRequest } from './es_server/server';
import { useTestServer } from './es_cluster';
import { EsSink, scoresDocId, type EsSinkOptions, type ScoredHit } from '../server/engine/io/es/sink';
import { BulkWriter, type BulkOp } from '../server/engine/io/es/bulk';
import { createEsClient } from '../server/engine/io/es/client';
import { riskScoreNorm, type DfpFields } from '../common/fields';

const es = useTestServer();

const RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
const FEATURES = ['hour', 'city'];
const SCORED_AT = '2026-03-02T00:00:00.000Z';
const STREAM = 'logs-auth-default';
const SCORES = 'logs-dfp.scores-default';
const today = (): string => new Date().toISOString().slice(0, 10).replace(/-/g, '.');
const backing = (stream: string, generation: number): string => `.ds-${stream}-${today()}-${String(generation).padStart(6, '0')}`;

/** Scores of a scored event (z given) or of one that could not be scored (z undefined). */
function dfpOf(user: string, z: number | undefined, extraFeatures: Record<string, { z: number; pred: string | number }> = {}): DfpFields {
  if (z === undefined) return { user, scored_at: SCORED_AT, error: `no model for user ${user}` };
  return {
    user,
    anomaly_score: z / 2,
    max_abs_z: z,
    zscore: z,
    is_anomaly: z >= 8,
    threshold: 8,
    top_features: ['city', 'hour'],
    features: { hour: { z: 0, pred: 9 }, city: { z, pred: 'Oslo' }, ...extraFeatures },
    model: { version: 'v1', generic: false, trained_at: '2026-01-01T00:00:00.000Z' },
    ts_anomaly: false,
    ts_zscore: 0.5,
    scored_at: SCORED_AT,
  };
}

/** Every document of `index` as a hit (search order: time), scored by `score(i)`. */
async function readHits(index: string, score: (i: number, source: Record<string, any>) => DfpFields): Promise<ScoredHit[]> {
  await es.client.indices.refresh({ index });
  const res = await es.client.search<Record<string, any>>({ index, size: 1000, sort: [{ '@timestamp': 'asc' }] });
  return res.hits.hits.map((h, i) => ({ index: h._index, id: h._id!, time: h._source!['@timestamp'], event: h._source!, dfp: score(i, h._source!) }));
}

/** The user name of a hit's event. */
const userOf = (h: ScoredHit): string => (h.event.user as { name: string }).name;

async function writeAll(sink: EsSink, hits: ScoredHit[]): Promise<ReturnType<EsSink['flush']>> {
  for (const h of hits) await sink.write(h);
  return sink.flush();
}

const sinkOf = (opts: Partial<EsSinkOptions> & Pick<EsSinkOptions, 'mode'>): EsSink => new EsSink(es.client, { featureNames: FEATURES, retry: RETRY, ...opts });
const requests = (method: string, path: string | RegExp): LoggedRequest[] =>
  es.server.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
/** The operations of a logged `_bulk` body as [action, metadata]; each but delete is followed by its source line. */
function bulkActions(r: LoggedRequest): [string, any][] {
  const lines = (r.body as string).trim().split('\n').map((l) => JSON.parse(l));
  const out: [string, any][] = [];
  for (let i = 0; i < lines.length; i++) {
    const [action] = Object.keys(lines[i]);
    out.push([action, lines[i][action]]);
    if (action !== 'delete') i++;
  }
  return out;
}

/** The source data stream `logs-auth-default`, its template composing `logs-auth@custom`. */
async function sourceStream(): Promise<void> {
  await es.client.indices.putIndexTemplate({
    name: 'logs-auth',
    index_patterns: ['logs-auth-*'],
    data_stream: {},
    priority: 150,
    composed_of: ['logs-auth@custom'],
    ignore_missing_component_templates: ['logs-auth@custom'],
    template: { mappings: { properties: { user: { properties: { name: { type: 'keyword' } } } }, dynamic_templates: [{ strings: { match_mapping_type: 'string', mapping: { type: 'keyword' } } }] } },
  });
}

async function addEvents(target: string, from: number, n: number, op: 'create' | 'index' = 'create'): Promise<void> {
  const operations = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return [{ [op]: { _index: target, _id: `d${i}` } }, { '@timestamp': new Date(Date.parse('2026-03-01T00:00:00Z') + i * 60_000).toISOString(), user: { name: `user${i % 3}`, full_name: `User ${i % 3}` }, ...(i % 2 === 0 ? { event: { id: `e${i}` } } : {}), source: { ip: '10.0.0.1' } }];
  }).flat();
  const res = await es.client.bulk({ operations, refresh: true });
  assert.equal(res.errors, false);
}

describe('EsSink in place', () => {
  it('updates each event in its backing index, maps dfp.* there and in the stream\'s @custom, across rollovers', async () => {
    // An operator's @custom exists before the stream: its settings, mappings and _meta must survive.
    await es.client.cluster.putComponentTemplate({ name: 'logs-auth@custom', template: { settings: { index: { number_of_replicas: '0' } }, mappings: { properties: { note: { type: 'keyword' } } } }, _meta: { owner: 'ops' } });
    await sourceStream();
    await addEvents(STREAM, 0, 6);
    await es.client.indices.rollover({ alias: STREAM });
    await addEvents(STREAM, 6, 4);
    const [first, second, third] = [backing(STREAM, 1), backing(STREAM, 2), backing(STREAM, 3)];
    const hits = await readHits(STREAM, (i, s) => dfpOf(s.user.name, i === 0 ? undefined : i));
    assert.deepEqual(hits.map((h) => h.index), [...Array(6).fill(first), ...Array(4).fill(second)]);

    es.server.requests.length = 0;
    const sink = sinkOf({ mode: 'in_place', refresh: 'wait_for' });
    await sink.setup();
    const report = await writeAll(sink, hits);
    assert.deepEqual(report, { written: 10, failed: 0, failedByReason: {}, examples: [], readOnlyIndices: [], retriedItems: 0, retryableLeft: 0, warnings: [] });
    // Updates go to the backing indices, never through the stream name; no document is added.
    const bulks = requests('POST', '/_bulk');
    assert.equal(bulks.length, 1);
    assert.deepEqual(bulkActions(bulks[0]).map(([a, m]) => [a, m._index]), hits.map((h) => ['update', h.index]));
    assert.equal((await es.client.count({ index: STREAM })).count, 10);
    const d1 = await es.client.get<Record<string, any>>({ index: first, id: hits[1].id });
    assert.deepEqual(d1._source!.dfp, { ...dfpOf(userOf(hits[1]), 1), error: null, user_risk: null, user_flagged: null, rollout: null, suppressed: null });
    assert.equal(d1._source!.source.ip, '10.0.0.1');
    assert.equal((await es.client.get<Record<string, any>>({ index: first, id: hits[0].id }))._source!.dfp.error, `no model for user ${userOf(hits[0])}`);

    // Mapped once per backing index, existing dynamic templates kept after ours.
    assert.deepEqual(requests('PUT', /\/_mapping$/).map((r) => r.path), [`/${first}/_mapping`, `/${second}/_mapping`]);
    for (const ix of [first, second]) {
      const m = (await es.client.indices.getMapping({ index: ix }))[ix].mappings as any;
      assert.deepEqual(m.properties.dfp.properties.features.properties.city, { properties: { z: { type: 'float' }, pred: { type: 'keyword', ignore_above: 1024 }, value: { type: 'keyword', ignore_above: 1024 }, seen: { type: 'long' }, usual: { type: 'keyword', ignore_above: 1024 } } });
      assert.deepEqual(m.properties.dfp.properties.error, { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 1024 } } });
      assert.deepEqual(m.properties.dfp.properties.zscore, { type: 'float' });
      assert.deepEqual(m.properties.dfp.properties.model.properties.trained_at, { type: 'date' });
      assert.deepEqual(m.dynamic_templates.map((t: object) => Object.keys(t)[0]), ['dfp_features_z', 'dfp_features_pred', 'dfp_features_value', 'dfp_features_seen', 'dfp_features_usual', 'strings']);
    }
    // @custom: dfp.* merged in, everything the operator had kept.
    const custom = (await es.client.cluster.getComponentTemplate({ name: 'logs-auth@custom' })).component_templates[0].component_template as any;
    assert.deepEqual(custom._meta, { owner: 'ops' });
    assert.deepEqual(custom.template.settings, { index: { number_of_replicas: '0' } });
    assert.deepEqual(custom.template.mappings.properties.note, { type: 'keyword' });
    assert.deepEqual(custom.template.mappings.properties.dfp.properties.features.properties.hour.properties.z, { type: 'float' });
    assert.deepEqual(custom.template.mappings.dynamic_templates.map((t: object) => Object.keys(t)[0]), ['dfp_features_z', 'dfp_features_pred', 'dfp_features_value', 'dfp_features_seen', 'dfp_features_usual']);
    assert.equal(requests('PUT', /^\/_component_template\/logs-auth(@|%40)custom$/).length, 1);

    // The next backing index has dfp.* from the start: no mapping update; a new feature maps by dynamic template.
    await es.client.indices.rollover({ alias: STREAM });
    await addEvents(STREAM, 10, 1);
    es.server.requests.length = 0;
    const late = (await readHits(STREAM, (_, s) => dfpOf(s.user.name, 12, { geo: { z: 3, pred: 'NO' } }))).filter((h) => h.index === third);
    assert.equal(late.length, 1);
    const report2 = await writeAll(sink, late);
    assert.deepEqual([report2.written, report2.failed], [1, 0]);
    assert.equal(requests('PUT', /\/_mapping$/).length, 0);
    const m3 = (await es.client.indices.getMapping({ index: third }))[third].mappings as any;
    assert.deepEqual(m3.properties.dfp.properties.features.properties.geo, { properties: { z: { type: 'float' }, pred: { type: 'keyword', ignore_above: 1024 } } });
    assert.deepEqual(m3.properties.note, { type: 'keyword' });

    // A re-run replaces the dfp of an event that was unscored before: the old error is cleared.
    const rerun = await writeAll(sink, [{ ...hits[0], dfp: dfpOf('user0', 9) }]);
    assert.deepEqual([rerun.written, rerun.failed], [1, 0]);
    const d0 = await es.client.get<Record<string, any>>({ index: first, id: hits[0].id });
    assert.deepEqual([d0._source!.dfp.zscore, d0._source!.dfp.error], [9, null]);
    assert.deepEqual([sink.total.written, sink.total.failed], [12, 0]);
  });

  it('reports read-only indices and deleted documents as permanent failures, without retrying them', async () => {
    await sourceStream();
    await addEvents(STREAM, 0, 6);
    await es.client.indices.rollover({ alias: STREAM });
    await addEvents(STREAM, 6, 4);
    await addEvents('legacy-auth', 20, 3, 'index');
    const [first, second] = [backing(STREAM, 1), backing(STREAM, 2)];
    const hits = [...(await readHits(STREAM, (i) => dfpOf('u', i + 1))), ...(await readHits('legacy-auth', () => dfpOf('u', 2)))];
    es.server.faults.readOnly(first); // mapping and writes refused (index.blocks.read_only)
    await es.client.indices.putSettings({ index: 'legacy-auth', settings: { 'index.blocks.write': true } }); // mapping allowed, writes refused
    await es.client.delete({ index: second, id: 'd7', refresh: true }); // deleted since it was read

    es.server.requests.length = 0;
    const sink = sinkOf({ mode: 'in_place' });
    const report = await writeAll(sink, hits);
    assert.deepEqual([report.written, report.failed, report.retryableLeft, report.retriedItems], [3, 10, 0, 0]);
    assert.deepEqual(report.failedByReason, { 'HTTP 403 cluster_block_exception': 9, 'HTTP 404 document_missing_exception': 1 });
    assert.deepEqual(report.readOnlyIndices, [first, 'legacy-auth'].sort());
    assert.equal(report.examples.length, 10);
    assert.ok(report.examples[0].startsWith(`${first}/d0: `));
    assert.match(report.examples[0], new RegExp(`index \\[${first.replace(/\./g, '\\.')}\\] blocked by: \\[FORBIDDEN/5/index read-only \\(api\\)\\]`));
    assert.ok(report.examples.some((e) => e.startsWith(`${second}/d7: HTTP 404 document_missing_exception`)));
    // The read-only backing index was asked once (its mapping), never sent a write.
    assert.equal(requests('PUT', `/${first}/_mapping`).length, 1);
    const bulks = requests('POST', '/_bulk');
    assert.equal(bulks.length, 1);
    assert.deepEqual(bulkActions(bulks[0]).map(([, m]) => m._index), [...Array(4).fill(second), ...Array(3).fill('legacy-auth')]);

    // Next window: both are known read-only; nothing is sent to them, nothing retried.
    es.server.requests.length = 0;
    const again = await writeAll(sink, hits.filter((h) => h.index !== second));
    assert.deepEqual([again.written, again.failed, again.retryableLeft], [0, 9, 0]);
    assert.deepEqual(again.failedByReason, { 'HTTP 403 cluster_block_exception': 9 });
    assert.match(again.examples.find((e) => e.startsWith('legacy-auth/'))!, /index \[legacy-auth\] is read-only, not written \(HTTP 403 cluster_block_exception: index \[legacy-auth\] blocked by: \[FORBIDDEN\/8\/index write \(api\)\];\)/);
    assert.equal(es.server.requests.length, 0);
    assert.deepEqual(sink.total.failedByReason, { 'HTTP 403 cluster_block_exception': 18, 'HTTP 404 document_missing_exception': 1 });
    assert.deepEqual([sink.total.written, sink.total.failed], [3, 19]);
  });
});

describe('EsSink: mappings that cannot hold the dfp fields', () => {
  it('reports and counts every event refused, and says once per index what to fix', async () => {
    // Another tool's `dfp` string; a dfp.zscore mapped as a date (both refused when dfp.* is mapped);
    // a feature the sink does not map itself (dfp.features.device.pred) mapped as a long (refused per document).
    const mapped = { '@timestamp': { type: 'date' }, user: { properties: { name: { type: 'keyword' } } } } as const;
    await es.client.indices.create({ index: 'legacy-a', mappings: { properties: { ...mapped, dfp: { type: 'keyword' } } } });
    await es.client.indices.create({ index: 'legacy-b', mappings: { properties: { ...mapped, dfp: { properties: { zscore: { type: 'date' } } } } } });
    await es.client.indices.create({ index: 'legacy-c', mappings: { properties: { ...mapped, dfp: { properties: { features: { properties: { device: { properties: { pred: { type: 'long' } } } } } } } } } });
    for (const index of ['legacy-a', 'legacy-b', 'legacy-c']) await addEvents(index, 0, 2, 'index');
    const hits = (await Promise.all(['legacy-a', 'legacy-b', 'legacy-c'].map((i) => readHits(i, () => dfpOf('u', 5, { device: { z: 1, pred: 'laptop' } }))))).flat();
    const sink = sinkOf({ mode: 'in_place' });
    const report = await writeAll(sink, hits);
    assert.deepEqual([report.written, report.failed, report.retryableLeft], [0, 6, 0], 'every event accounted for, none left to retry');
    assert.deepEqual(report.failedByReason, { 'HTTP 400 illegal_argument_exception': 4, 'HTTP 400 document_parsing_exception': 2 });
    assert.equal(report.examples.length, 6);
    assert.match(report.examples.find((e) => e.startsWith('legacy-a/'))!, /mapper \[dfp\] cannot be changed from type \[keyword\]/);
    assert.match(report.examples.find((e) => e.startsWith('legacy-c/'))!, /document_parsing_exception.*dfp\.features\.device\.pred.*long/);
    assert.equal(report.warnings.length, 3, 'one warning per index');
    for (const index of ['legacy-a', 'legacy-b', 'legacy-c']) {
      assert.match(report.warnings.find((w) => w.startsWith(`${index} `))!, /cannot hold the dfp fields.*To fix: score this source in the "scores" write mode/);
    }
  });
});

describe('EsSink in place: templates', () => {
  it('warns when the stream\'s template does not compose its @custom, and still maps each backing index', async () => {
    await es.client.indices.putIndexTemplate({ name: 'logs-auth', index_patterns: ['logs-auth-*'], data_stream: {}, priority: 150 });
    await addEvents(STREAM, 0, 2);
    const hits = await readHits(STREAM, () => dfpOf('u', 3));
    const report = await writeAll(sinkOf({ mode: 'in_place' }), hits);
    assert.deepEqual([report.written, report.failed], [2, 0]);
    assert.deepEqual(report.warnings, [
      `index template [logs-auth] of data stream [${STREAM}] does not use [logs-auth@custom]; dfp.* is mapped on each backing index when first written instead`,
    ]);
    assert.equal(es.server.store.componentTemplates.size, 0);
    const m = (await es.client.indices.getMapping({ index: backing(STREAM, 1) }))[backing(STREAM, 1)].mappings as any;
    assert.deepEqual(m.properties.dfp.properties.is_anomaly, { type: 'boolean' });
  });
});

describe('EsSink scores data stream', () => {
  it('writes one document per event, and a re-run (also after a rollover) overwrites it', async () => {
    await addEvents('auth', 0, 5, 'index');
    const sink = sinkOf({ mode: 'scores', keyFields: ['user.name', 'user.full_name'], refresh: 'wait_for' });
    await sink.setup();
    const tmpl = (await es.client.indices.getIndexTemplate({ name: 'logs-dfp.scores' })).index_templates[0].index_template;
    assert.deepEqual([tmpl.index_patterns, tmpl.priority, tmpl.composed_of, tmpl.ignore_missing_component_templates], [['logs-dfp.scores-*'], 200, ['logs-dfp.scores@custom'], ['logs-dfp.scores@custom']]);
    assert.deepEqual(tmpl.data_stream, {});

    const zs = [undefined, 4, 8, 16, 0];
    const hits = await readHits('auth', (i, s) => dfpOf(s.user.name, zs[i]));
    const report = await writeAll(sink, hits);
    assert.deepEqual([report.written, report.failed, report.retryableLeft], [5, 0, 0]);
    const [first, second] = [backing(SCORES, 1), backing(SCORES, 2)];
    assert.equal((await es.client.count({ index: SCORES })).count, 5);

    const doc = await es.client.get<Record<string, any>>({ index: first, id: scoresDocId('auth', 'd2') });
    assert.deepEqual(doc._source, {
      user: { name: 'user2', full_name: 'User 2' },
      '@timestamp': '2026-03-01T00:02:00.000Z',
      event: { id: 'e2', risk_score: 8, risk_score_norm: 50 },
      dfp: { ...dfpOf('user2', 8), source: { index: 'auth', id: 'd2' } },
      data_stream: { type: 'logs', dataset: 'dfp.scores', namespace: 'default' },
    });
    const unscored = await es.client.get<Record<string, any>>({ index: first, id: scoresDocId('auth', 'd0') });
    assert.deepEqual(unscored._source!.event, { id: 'e0', risk_score_norm: 0 });
    assert.equal(unscored._source!.dfp.error, 'no model for user user0');
    const odd = await es.client.get<Record<string, any>>({ index: first, id: scoresDocId('auth', 'd3') });
    assert.deepEqual(odd._source!.event, { risk_score: 16, risk_score_norm: 75 }); // no event.id in the source
    const m = (await es.client.indices.getMapping({ index: first }))[first].mappings as any;
    assert.deepEqual(m.properties.event.properties, { id: { type: 'keyword', ignore_above: 1024 }, risk_score: { type: 'float' }, risk_score_norm: { type: 'float' } });
    assert.deepEqual(m.properties.user.properties.full_name, { type: 'keyword', ignore_above: 1024 });
    assert.deepEqual(m.properties.dfp.properties.features.properties.city.properties.z, { type: 'float' });
    assert.deepEqual(m.properties.dfp.properties.source.properties.id, { type: 'keyword', ignore_above: 1024 });

    // Re-run with new scores: same ids, overwritten in place through the backing index, no new document.
    es.server.requests.length = 0;
    const rerun = await writeAll(sink, hits.map((h) => ({ ...h, dfp: dfpOf(userOf(h), 20) })));
    assert.deepEqual([rerun.written, rerun.failed], [5, 0]);
    assert.equal((await es.client.count({ index: SCORES })).count, 5);
    assert.deepEqual(bulkActions(requests('POST', '/_bulk')[0]).map(([a, meta]) => [a, meta._index, meta.if_seq_no !== undefined, meta.if_primary_term]), Array(5).fill(['index', first, true, 1]));
    assert.equal((await es.client.get<Record<string, any>>({ index: first, id: scoresDocId('auth', 'd0') }))._source!.event.risk_score, 20);

    // After a rollover the copies stay in the old backing index and are overwritten there.
    await es.client.indices.rollover({ alias: SCORES });
    const third = await writeAll(sink, hits.map((h) => ({ ...h, dfp: dfpOf(userOf(h), 24) })));
    assert.deepEqual([third.written, third.failed], [5, 0]);
    assert.equal((await es.client.count({ index: SCORES })).count, 5);
    assert.equal((await es.client.count({ index: second })).count, 0);
    const d4 = await es.client.get<Record<string, any>>({ index: first, id: scoresDocId('auth', 'd4') });
    assert.deepEqual([d4._version, d4._source!.event.risk_score, d4._source!.event.risk_score_norm], [3, 24, riskScoreNorm(24, 8)]);
    assert.deepEqual([sink.total.written, sink.total.failed], [15, 0]);
  });

  it('overwrites a copy not yet searchable after the create conflicts, reading it in real time', async () => {
    await addEvents('auth', 0, 3, 'index');
    const sink = sinkOf({ mode: 'scores' }); // no refresh: the first run's documents are not searchable
    await sink.setup();
    const hits = await readHits('auth', () => dfpOf('u', 5));
    assert.deepEqual((await writeAll(sink, hits)).written, 3);
    es.server.requests.length = 0;
    const rerun = await writeAll(sink, hits.map((h) => ({ ...h, dfp: dfpOf('u', 6) })));
    assert.deepEqual([rerun.written, rerun.failed], [3, 0]);
    assert.deepEqual(requests('POST', '/_bulk').map((r) => bulkActions(r).map(([a]) => a).join()), ['create,create,create', 'index,index,index']);
    assert.equal(requests('POST', '/_mget').length, 1);
    await es.client.indices.refresh({ index: SCORES });
    assert.equal((await es.client.count({ index: SCORES })).count, 3);
    assert.equal((await es.client.get<Record<string, any>>({ index: backing(SCORES, 1), id: scoresDocId('auth', 'd1') }))._source!.dfp.zscore, 6);
  });

  it('re-sends a bulk whose socket closed mid-response without duplicating documents', async () => {
    await addEvents('auth', 0, 4, 'index');
    const sink = sinkOf({ mode: 'scores', refresh: 'wait_for' });
    await sink.setup();
    const hits = await readHits('auth', () => dfpOf('u', 3));
    es.server.requests.length = 0;
    es.server.faults.inject({ path: '/_bulk', destroySocket: 'mid-response', times: 1 });
    const report = await writeAll(sink, hits);
    assert.deepEqual([report.written, report.failed, report.retryableLeft], [4, 0, 0]);
    // Applied, cut, re-sent (4 conflicts), overwritten.
    assert.deepEqual(requests('POST', '/_bulk').map((r) => [r.status, bulkActions(r).length]), [[undefined, 4], [200, 4], [200, 4]]);
    assert.equal((await es.client.count({ index: SCORES })).count, 4);
  });

  it('refuses an invalid namespace', () => {
    assert.throws(() => sinkOf({ mode: 'scores', namespace: 'Prod' }), /invalid data stream namespace \[Prod\]: it must be lowercase/);
    assert.throws(() => sinkOf({ mode: 'scores', namespace: 'eu-west' }), /must not contain/);
    assert.throws(() => sinkOf({ mode: 'scores', namespace: 'x'.repeat(101) }), /at most 100 bytes/);
    assert.doesNotThrow(() => sinkOf({ mode: 'scores', namespace: 'eu_west.1' }));
  });
});

describe('EsSink retries', () => {
  it('retries items refused with 429 until written, and reports those still refused after the last retry', async () => {
    await addEvents('auth', 0, 6, 'index');
    const hits = await readHits('auth', () => dfpOf('u', 2));
    es.server.requests.length = 0;
    es.server.faults.bulkItemFailures({ every: 2, status: 429, times: 3 });
    const report = await writeAll(sinkOf({ mode: 'in_place' }), hits);
    assert.deepEqual([report.written, report.failed, report.retriedItems, report.retryableLeft], [6, 0, 3, 0]);
    assert.deepEqual(requests('POST', '/_bulk').map((r) => bulkActions(r).map(([, m]) => m._id).join()), ['d0,d1,d2,d3,d4,d5', 'd1,d3,d5']);

    es.server.reset();
    await addEvents('auth', 0, 2, 'index');
    const two = await readHits('auth', () => dfpOf('u', 2));
    es.server.requests.length = 0;
    es.server.faults.bulkItemFailures({ predicate: (item) => item.id === 'd1', status: 429 });
    const stuck = await writeAll(sinkOf({ mode: 'in_place' }), two);
    assert.deepEqual([stuck.written, stuck.failed, stuck.retriedItems, stuck.retryableLeft], [1, 1, 3, 1]);
    assert.deepEqual(stuck.failedByReason, { 'HTTP 429 es_rejected_execution_exception': 1 });
    assert.equal(requests('POST', '/_bulk').length, 4); // the first try and 3 retries
  });

  it('re-sends a whole request refused with 503, and fails a permanently refused one at once', async () => {
    await addEvents('auth', 0, 3, 'index');
    const hits = await readHits('auth', () => dfpOf('u', 2));
    es.server.requests.length = 0;
    es.server.faults.inject({ path: '/_bulk', status: 503, times: 2 });
    const report = await writeAll(sinkOf({ mode: 'in_place' }), hits);
    assert.deepEqual([report.written, report.failed, report.retriedItems], [3, 0, 0]);
    assert.deepEqual(requests('POST', '/_bulk').map((r) => r.status), [503, 503, 200]);

    es.server.requests.length = 0;
    es.server.faults.inject({ path: '/_bulk', status: 403, times: 1 });
    const refused = await writeAll(sinkOf({ mode: 'in_place' }), hits);
    assert.deepEqual([refused.written, refused.failed, refused.retryableLeft], [0, 3, 0]);
    assert.deepEqual(refused.failedByReason, { 'HTTP 403 security_exception': 3 });
    assert.match(refused.examples[0], /^auth\/d0: HTTP 403 security_exception: action \[indices:data\/write\/bulk\] is unauthorized/);
    assert.equal(requests('POST', '/_bulk').length, 1);
  });

  it('keeps writes left by an abort as retryable failures', async () => {
    await addEvents('auth', 0, 3, 'index');
    const hits = await readHits('auth', () => dfpOf('u', 2));
    const ac = new AbortController();
    const sink = sinkOf({ mode: 'in_place', signal: ac.signal });
    for (const h of hits) await sink.write(h);
    ac.abort();
    const report = await sink.flush();
    assert.deepEqual([report.written, report.failed, report.retryableLeft], [0, 3, 3]);
    assert.equal(report.examples.length, 3);
  });
});

describe('bulk batching', () => {
  const op = (i: number): BulkOp<number> => ({ op: 'index', _index: 'b', _id: `d${i}`, body: { pad: 'x'.repeat(100) }, ref: i });
  const opBytes = Buffer.byteLength(`${JSON.stringify({ index: { _index: 'b', _id: 'd1' } })}\n${JSON.stringify({ pad: 'x'.repeat(100) })}\n`);

  it('sizes requests by bytes and by operation count', async () => {
    const bySize = new BulkWriter<number>(es.client, { maxBytes: Math.floor(opBytes * 2.5), retry: RETRY });
    for (let i = 1; i <= 7; i++) await bySize.add(op(i));
    assert.equal(bySize.buffered, 1);
    const r = await bySize.flush();
    assert.deepEqual(r.succeeded.map((s) => s.ref), [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(r.succeeded[6], { ref: 7, op: 'index', _index: 'b', _id: 'd7', result: 'created', _seq_no: 6, _primary_term: 1 });
    const bulks = requests('POST', '/_bulk');
    assert.deepEqual(bulks.map((b) => bulkActions(b).length), [2, 2, 2, 1]);
    for (const b of bulks) assert.ok(Buffer.byteLength(b.body as string) <= opBytes * 2.5);
    assert.deepEqual(bySize.stats, { requests: 4, items: 7, retriedItems: 0, retriedRequests: 0 });

    es.server.requests.length = 0;
    const byCount = new BulkWriter<number>(es.client, { maxOps: 3 });
    for (let i = 1; i <= 7; i++) await byCount.add(op(i));
    assert.equal((await byCount.flush()).succeeded.length, 7);
    assert.deepEqual(requests('POST', '/_bulk').map((b) => bulkActions(b).length), [3, 3, 1]);
  });

  it('splits a sink\'s writes into several requests when maxBytes is small', async () => {
    await addEvents('auth', 0, 5, 'index');
    const hits = await readHits('auth', () => dfpOf('u', 2));
    es.server.requests.length = 0;
    // Each update is just over 500 bytes (action line, dfp, the absent fields nulled): two fit in 1,100.
    const report = await writeAll(sinkOf({ mode: 'in_place', maxBytes: 1100 }), hits);
    assert.deepEqual([report.written, report.failed], [5, 0]);
    const bulks = requests('POST', '/_bulk');
    assert.deepEqual(bulks.map((b) => bulkActions(b).length), [2, 2, 1]);
    for (const b of bulks) assert.ok(Buffer.byteLength(b.body as string) <= 1100);
  });
});

describe('bulk answers filtered to what is read', () => {
  it('asks only for each item\'s status, error, index, id, result and sequence numbers, every item in its operation\'s place', async () => {
    await sourceStream();
    await addEvents(STREAM, 0, 1); // the stream and its first backing index
    await es.client.index({ index: 'plain', id: 'taken', document: { v: 0 }, refresh: true });
    es.server.requests.length = 0;
    const writer = new BulkWriter<string>(es.client, { retry: RETRY });
    const ops: BulkOp<string>[] = [
      { op: 'create', _index: STREAM, _id: 'new', body: { '@timestamp': '2026-03-01T00:00:00Z', user: { name: 'a' } }, ref: 'stream create' },
      { op: 'create', _index: 'plain', _id: 'taken', body: { v: 1 }, ref: 'conflict' },
      { op: 'update', _index: 'plain', _id: 'absent', body: { doc: { v: 2 } }, ref: 'missing update' },
      { op: 'delete', _index: 'plain', _id: 'absent', ref: 'missing delete' },
      { op: 'index', _index: 'plain', _id: 'taken', body: { v: 3 }, ref: 'overwrite' },
    ];
    for (const op of ops) await writer.add(op);
    const r = await writer.flush();
    const [bulk] = requests('POST', '/_bulk');
    assert.ok(bulk.query.filter_path?.includes('items.*.status'), 'the request names what it reads');
    assert.deepEqual(
      r.succeeded.map((s) => [s.ref, s._index, s._id, s.result, s._seq_no, s._primary_term]),
      [
        ['stream create', backing(STREAM, 1), 'new', 'created', 1, 1],
        ['missing delete', 'plain', 'absent', 'not_found', undefined, undefined],
        ['overwrite', 'plain', 'taken', 'updated', 2, 1], // the delete of a missing document took seq_no 1
      ],
    );
    assert.deepEqual(
      r.failed.map((f) => [f.ref, f._index, f._id, f.status, f.type, f.retryable]),
      [
        ['conflict', 'plain', 'taken', 409, 'version_conflict_engine_exception', false],
        ['missing update', 'plain', 'absent', 404, 'document_missing_exception', false],
      ],
    );
    assert.match(r.failed[0].reason, /^HTTP 409 version_conflict_engine_exception: \[taken\]: version conflict/);
  });

  it('keeps every operation for another try when the answer\'s items do not match its operations one to one', async () => {
    // An answer one item short: which operation each item answers cannot be told.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' });
        res.end(JSON.stringify({ errors: false, items: [{ index: { _index: 'b', _id: 'd2', status: 201, result: 'created', _seq_no: 0, _primary_term: 1 } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = createEsClient({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, maxRetries: 0 });
    try {
      const writer = new BulkWriter<number>(client, { retry: { ...RETRY, retries: 0 } });
      await writer.add({ op: 'index', _index: 'b', _id: 'd1', body: {}, ref: 1 });
      await writer.add({ op: 'index', _index: 'b', _id: 'd2', body: {}, ref: 2 });
      const r = await writer.flush();
      assert.deepEqual(r.succeeded, []);
      assert.deepEqual(r.failed.map((f) => [f.ref, f.type, f.retryable, f.reason]), [
        [1, 'missing_item', true, 'the _bulk answer has 1 items for 2 operations'],
        [2, 'missing_item', true, 'the _bulk answer has 1 items for 2 operations'],
      ]);
    } finally {
      await client.close();
      server.close();
    }
  });
});
