// The in-memory ES 8 test server, exercised only through the official client over real HTTP.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, errors } from '@elastic/elasticsearch';
import { EsTestServer, ES_VERSION } from './es_server/server';

const server = new EsTestServer();
let client: Client;

before(async () => {
  await server.start();
  client = new Client({ node: server.url });
});
after(async () => {
  await client.close();
  await server.stop();
});
beforeEach(() => server.reset());

/** Runs `p` expecting a ResponseError; returns [status, error body]. */
async function responseError(p: Promise<unknown>): Promise<[number, any]> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof errors.ResponseError, `expected ResponseError, got ${String(e)}`);
    return [e.statusCode ?? 0, e.body];
  }
  assert.fail('expected the request to fail');
}

const today = (): string => new Date().toISOString().slice(0, 10).replace(/-/g, '.');
const ids = (r: { hits: { hits: { _id?: string }[] } }): string[] => r.hits.hits.map((h) => h._id!);

describe('es test server', () => {
  it('answers root info and manages indices with mappings', async () => {
    const info = await client.info();
    assert.equal(info.version.number, ES_VERSION);
    assert.equal(info.tagline, 'You Know, for Search');
    assert.deepEqual(await client.indices.create({ index: 'dfp-models', mappings: { properties: { user: { type: 'keyword' } } } }), {
      acknowledged: true,
      shards_acknowledged: true,
      index: 'dfp-models',
    });
    const [status, body] = await responseError(client.indices.create({ index: 'dfp-models' }));
    assert.equal(status, 400);
    assert.equal(body.error.type, 'resource_already_exists_exception');
    assert.match(body.error.reason, /^index \[dfp-models\/[\w-]+\] already exists$/);
    assert.equal(body.error.root_cause[0].type, 'resource_already_exists_exception');
    assert.equal(await client.indices.exists({ index: 'dfp-models' }), true);
    assert.equal(await client.indices.exists({ index: 'nope' }), false);
    await client.indices.putMapping({ index: 'dfp-models', properties: { trained_at: { type: 'date' } } });
    await client.index({ index: 'dfp-models', id: 'u1', document: { user: 'alice', note: 'hello', n: 3 }, refresh: true });
    assert.deepEqual(await client.indices.getMapping({ index: 'dfp-models' }), {
      'dfp-models': {
        mappings: {
          properties: {
            user: { type: 'keyword' },
            trained_at: { type: 'date' },
            note: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
            n: { type: 'long' },
          },
        },
      },
    });
    const [s404, b404] = await responseError(client.search({ index: 'missing' }));
    assert.equal(s404, 404);
    assert.deepEqual(b404.error.root_cause[0], {
      type: 'index_not_found_exception',
      reason: 'no such index [missing]',
      'resource.type': 'index_or_alias',
      'resource.id': 'missing',
      index_uuid: '_na_',
      index: 'missing',
    });
    assert.deepEqual(await client.indices.delete({ index: 'dfp-models' }), { acknowledged: true });
    assert.equal(await client.indices.exists({ index: 'dfp-models' }), false);
  });

  it('routes data stream writes to a backing index and refuses non-create ops through the stream', async () => {
    await client.cluster.putComponentTemplate({ name: 'dfp-mappings', template: { mappings: { properties: { 'user.name': { type: 'keyword' } } } } });
    await client.indices.putIndexTemplate({ name: 'dfp-scores', index_patterns: ['logs-dfp.scores-*'], data_stream: {}, composed_of: ['dfp-mappings'], priority: 200 });
    const tmpl = await client.indices.getIndexTemplate({ name: 'dfp-scores' });
    assert.deepEqual(tmpl.index_templates[0].index_template.index_patterns, ['logs-dfp.scores-*']);
    const ds = 'logs-dfp.scores-default';
    const backing = `.ds-${ds}-${today()}-000001`;
    const bulk = await client.bulk({
      refresh: true,
      operations: [
        { create: { _index: ds, _id: 'a' } },
        { '@timestamp': '2026-01-01T00:00:00Z', user: { name: 'alice' }, dfp: { zscore: 1.5 } },
        { create: { _index: ds, _id: 'b' } },
        { '@timestamp': '2026-01-01T01:00:00Z', user: { name: 'bob' }, dfp: { zscore: 4 } },
        { index: { _index: ds, _id: 'c' } },
        { '@timestamp': '2026-01-01T02:00:00Z', user: { name: 'carol' } },
      ],
    });
    assert.equal(bulk.errors, true);
    assert.deepEqual(bulk.items.map((i) => Object.keys(i)[0]), ['create', 'create', 'index']);
    assert.equal(bulk.items[0].create!._index, backing);
    assert.equal(bulk.items[0].create!.status, 201);
    assert.equal(bulk.items[1].create!._seq_no, 1);
    assert.deepEqual(bulk.items[2].index!.error, { type: 'illegal_argument_exception', reason: 'only write ops with an op_type of create are allowed in data streams' });
    assert.equal(bulk.items[2].index!.status, 400);

    const got = await client.indices.getDataStream({ name: ds });
    assert.equal(got.data_streams.length, 1);
    assert.equal(got.data_streams[0].name, ds);
    assert.equal(got.data_streams[0].template, 'dfp-scores');
    assert.deepEqual(got.data_streams[0].indices.map((i) => i.index_name), [backing]);
    assert.deepEqual((await client.indices.getMapping({ index: backing }))[backing].mappings.properties!['user'], { properties: { name: { type: 'keyword' } } });

    const hits = await client.search({ index: ds, sort: [{ '@timestamp': 'asc' }] });
    assert.deepEqual(hits.hits.hits.map((h) => [h._index, h._id, h.sort]), [
      [backing, 'a', [Date.parse('2026-01-01T00:00:00Z')]],
      [backing, 'b', [Date.parse('2026-01-01T01:00:00Z')]],
    ]);
    // Wildcards reach the stream's docs through the stream; dot indices only when the pattern names them.
    await client.index({ index: '.dfp-internal', id: 'x', document: { a: 1 }, refresh: true });
    assert.deepEqual(ids(await client.search({ index: '*', sort: ['_doc'] })), ['a', 'b']);
    assert.deepEqual(ids(await client.search({ index: '.ds-logs-dfp*', sort: ['_doc'] })), ['a', 'b']);
    assert.deepEqual(ids(await client.search({ index: '.dfp-*' })), ['x']);

    const [st, body] = await responseError(client.update({ index: ds, id: 'a', doc: { dfp: { zscore: 2 } } }));
    assert.equal(st, 400);
    assert.deepEqual(body.error.root_cause, [{ type: 'illegal_argument_exception', reason: 'only write ops with an op_type of create are allowed in data streams' }]);
    const [st2, body2] = await responseError(client.index({ index: backing, id: 'a', document: { '@timestamp': '2026-01-01T00:00:00Z' } }));
    assert.equal(st2, 400);
    assert.equal(
      body2.error.reason,
      `index request with op_type=index and no if_primary_term and if_seq_no set targeting backing indices is disallowed, target corresponding data stream [${ds}] instead`,
    );
    const upd = await client.update({ index: backing, id: 'a', doc: { dfp: { zscore: 2 } }, refresh: true });
    assert.equal(upd.result, 'updated');
    assert.equal(upd._seq_no, 2);
    const doc = await client.get({ index: backing, id: 'a' });
    assert.deepEqual(doc._source, { '@timestamp': '2026-01-01T00:00:00Z', user: { name: 'alice' }, dfp: { zscore: 2 } });
  });

  it("works with the client's bulk helper, which retries 429 items", async () => {
    server.faults.bulkItemFailures({ every: 3, status: 429, times: 2 });
    const stats = await client.helpers.bulk({
      datasource: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })),
      onDocument: (doc) => ({ index: { _index: 'helper', _id: `h${doc.n}` } }),
      refresh: 'wait_for',
      retries: 3,
      wait: 5,
    });
    // The helper counts retried NDJSON lines (action + source), so 2 retried docs → retry 4.
    assert.deepEqual([stats.total, stats.successful, stats.failed, stats.retry], [7, 7, 0, 4]);
    const bulks = server.requests.filter((r) => r.path === '/_bulk');
    assert.deepEqual(bulks.map((r) => (r.body as string).trim().split('\n').length), [14, 4]);
    const r = await client.search({ index: 'helper', seq_no_primary_term: true, sort: [{ n: 'asc' }], size: 1 });
    assert.deepEqual(r.hits.hits[0], { _index: 'helper', _id: 'h1', _seq_no: 0, _primary_term: 1, _score: null, _source: { n: 1 }, sort: [1] });
    assert.equal((await client.count({ index: 'helper' })).count, 7);
    const [st, body] = await responseError(client.search({ index: 'helper', highlight: { fields: { n: {} } } }));
    assert.deepEqual([st, body.error.type], [400, 'illegal_argument_exception']);
  });

  it('reports partial bulk failures per item', async () => {
    server.faults.bulkItemFailures({ every: 3, status: 429 });
    const ops = [1, 2, 3, 4, 5, 6].flatMap((n) => [{ index: { _index: 'events', _id: `e${n}` } }, { n }]);
    const r = await client.bulk({ operations: ops });
    assert.equal(r.errors, true);
    assert.deepEqual(r.items.map((i) => i.index!.status), [201, 201, 429, 201, 201, 429]);
    assert.equal(r.items[2].index!.error!.type, 'es_rejected_execution_exception');
    assert.equal(r.items[2].index!._id, 'e3');
    server.faults.clear();
    const again = await client.bulk({
      refresh: 'wait_for',
      operations: [{ create: { _index: 'events', _id: 'e1' } }, { n: 1 }, { delete: { _index: 'events', _id: 'e2' } }, { update: { _index: 'events', _id: 'e9' } }, { doc: { n: 9 } }],
    });
    assert.equal(again.errors, true);
    assert.deepEqual(again.items.map((i) => Object.values(i)[0].status), [409, 200, 404]);
    assert.equal(again.items[0].create!.error!.reason, '[e1]: version conflict, document already exists (current version [1])');
    assert.equal(again.items[2].update!.error!.type, 'document_missing_exception');
    assert.equal((await client.count({ index: 'events' })).count, 3);
  });

  it('hides unrefreshed docs from search but not from realtime get', async () => {
    await client.index({ index: 'vis', id: '1', document: { user: 'alice' } });
    const before = await client.search({ index: 'vis' });
    assert.deepEqual(before.hits.total, { value: 0, relation: 'eq' });
    assert.equal((await client.count({ index: 'vis' })).count, 0);
    const got = await client.get({ index: 'vis', id: '1' });
    assert.deepEqual([got.found, got._seq_no, got._primary_term, got._version, got._source], [true, 0, 1, 1, { user: 'alice' }]);
    assert.deepEqual(await client.indices.refresh({ index: 'vis' }), { _shards: { total: 2, successful: 1, failed: 0 } });
    assert.deepEqual(ids(await client.search({ index: 'vis' })), ['1']);
    const r = await client.index({ index: 'vis', id: '2', document: { user: 'bob' }, refresh: true });
    assert.equal(r.forced_refresh, true);
    assert.equal((await client.count({ index: 'vis' })).count, 2);
  });

  it('searches with bool/range/terms and pages a PIT with search_after', async () => {
    await client.indices.create({ index: 'auth', mappings: { properties: { user: { type: 'keyword' }, '@timestamp': { type: 'date' }, bytes: { type: 'long' } } } });
    const base = Date.parse('2026-03-01T00:00:00Z');
    const ops = Array.from({ length: 25 }, (_, i) => [
      { index: { _index: 'auth', _id: `d${i}` } },
      { user: ['alice', 'bob', 'carol'][i % 3], '@timestamp': new Date(base + (i % 5) * 3600_000).toISOString(), bytes: i * 10, outcome: i % 4 === 0 ? 'failure' : 'success' },
    ]).flat();
    await client.bulk({ operations: ops, refresh: true });

    const q = await client.search({
      index: 'auth',
      size: 100,
      sort: [{ bytes: { order: 'desc' } }],
      _source: ['user', 'bytes'],
      query: {
        bool: {
          filter: [{ range: { bytes: { gte: 50, lt: 200 } } }, { terms: { user: ['alice', 'bob'] } }],
          must_not: [{ term: { 'outcome.keyword': 'failure' } }],
          should: [{ range: { '@timestamp': { gte: '2026-03-01T02:00:00Z' } } }, { ids: { values: ['d10'] } }],
          minimum_should_match: 1,
        },
      },
    });
    assert.deepEqual(ids(q), ['d19', 'd18', 'd13', 'd10', 'd9', 'd7']);
    assert.deepEqual(q.hits.hits[0], { _index: 'auth', _id: 'd19', _score: null, _source: { user: 'bob', bytes: 190 }, sort: [190] });

    const pit = await client.openPointInTime({ index: 'auth', keep_alive: '1m' });
    await client.bulk({ refresh: true, operations: [{ index: { _index: 'auth', _id: 'late' } }, { user: 'alice', '@timestamp': '2026-02-01T00:00:00Z', bytes: 1 }] });
    assert.equal((await client.count({ index: 'auth' })).count, 26);
    const seen: string[] = [];
    let after: any[] | undefined;
    for (;;) {
      const page = await client.search({ pit: { id: pit.id, keep_alive: '1m' }, size: 10, sort: [{ '@timestamp': 'asc' }, { _shard_doc: 'asc' }], search_after: after, track_total_hits: false });
      assert.equal(page.pit_id, pit.id);
      assert.equal(page.hits.total, undefined);
      if (page.hits.hits.length === 0) break;
      seen.push(...ids(page));
      after = page.hits.hits.at(-1)!.sort;
    }
    assert.equal(seen.length, 25);
    assert.equal(seen.includes('late'), false);
    assert.deepEqual(seen.slice(0, 6), ['d0', 'd5', 'd10', 'd15', 'd20', 'd1']);
    // Implicit _shard_doc tiebreak is appended when the sort lacks one.
    const implicit = await client.search({ pit: { id: pit.id }, size: 1, sort: [{ bytes: 'desc' }] });
    assert.deepEqual(implicit.hits.hits[0].sort, [240, 24]);
    assert.deepEqual(await client.closePointInTime({ id: pit.id }), { succeeded: true, num_freed: 1 });
    const [st, body] = await responseError(client.search({ pit: { id: pit.id } }));
    assert.equal(st, 404);
    assert.equal(body.error.type, 'search_context_missing_exception');
  });

  it('aggregates with terms and date_histogram and sub-aggregations', async () => {
    await client.indices.create({ index: 'agg', mappings: { properties: { user: { type: 'keyword' }, ts: { type: 'date' }, bytes: { type: 'long' } } } });
    const rows = [
      ['alice', '2026-03-01T00:10:00Z', 10],
      ['alice', '2026-03-01T00:20:00Z', 30],
      ['bob', '2026-03-01T00:30:00Z', 5],
      ['alice', '2026-03-01T02:05:00Z', 20],
      ['carol', '2026-03-01T02:55:00Z', 7],
    ] as const;
    await client.bulk({ refresh: true, operations: rows.flatMap(([user, ts, bytes], i) => [{ index: { _index: 'agg', _id: String(i) } }, { user, ts, bytes }]) });
    const r = await client.search({
      index: 'agg',
      size: 0,
      aggs: {
        users: { terms: { field: 'user', size: 2 }, aggs: { avg_bytes: { avg: { field: 'bytes' } }, last: { max: { field: 'ts' } } } },
        hourly: { date_histogram: { field: 'ts', fixed_interval: '1h' }, aggs: { users: { cardinality: { field: 'user' } } } },
        total: { sum: { field: 'bytes' } },
        n: { value_count: { field: 'user' } },
        first: { min: { field: 'ts' } },
      },
    });
    assert.deepEqual(r.hits, { total: { value: 5, relation: 'eq' }, max_score: 1, hits: [] });
    assert.deepEqual(r.aggregations, {
      users: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 1,
        buckets: [
          { key: 'alice', doc_count: 3, avg_bytes: { value: 20 }, last: { value: Date.parse('2026-03-01T02:05:00Z'), value_as_string: '2026-03-01T02:05:00.000Z' } },
          { key: 'bob', doc_count: 1, avg_bytes: { value: 5 }, last: { value: Date.parse('2026-03-01T00:30:00Z'), value_as_string: '2026-03-01T00:30:00.000Z' } },
        ],
      },
      hourly: {
        buckets: [
          { key_as_string: '2026-03-01T00:00:00.000Z', key: Date.parse('2026-03-01T00:00:00Z'), doc_count: 3, users: { value: 2 } },
          { key_as_string: '2026-03-01T01:00:00.000Z', key: Date.parse('2026-03-01T01:00:00Z'), doc_count: 0, users: { value: 0 } },
          { key_as_string: '2026-03-01T02:00:00.000Z', key: Date.parse('2026-03-01T02:00:00Z'), doc_count: 2, users: { value: 2 } },
        ],
      },
      total: { value: 72 },
      n: { value: 5 },
      first: { value: Date.parse('2026-03-01T00:10:00Z'), value_as_string: '2026-03-01T00:10:00.000Z' },
    });
  });

  it('matches wildcard queries on keywords, case-insensitively when asked, with escapes', async () => {
    await client.indices.create({ index: 'wc', mappings: { properties: { user: { type: 'keyword' }, note: { type: 'text' } } } });
    const users = ['Alice.Smith', 'alice', 'BOB', 'a*b', 'carol'];
    await client.bulk({ refresh: true, operations: users.flatMap((user, i) => [{ index: { _index: 'wc', _id: user } }, { user, note: i === 4 ? 'Quick Brown fox' : 'x' }]) });
    const found = async (query: object): Promise<string[]> => ids(await client.search({ index: 'wc', query: query as any, sort: ['_doc'] }));
    assert.deepEqual(await found({ wildcard: { user: { value: '*lic*' } } }), ['Alice.Smith', 'alice']);
    assert.deepEqual(await found({ wildcard: { user: { value: '*LIC*' } } }), [], 'case-sensitive by default');
    assert.deepEqual(await found({ wildcard: { user: { value: '*LIC*', case_insensitive: true } } }), ['Alice.Smith', 'alice']);
    assert.deepEqual(await found({ wildcard: { user: { value: 'b?b', case_insensitive: true } } }), ['BOB'], '? is exactly one character');
    assert.deepEqual(await found({ wildcard: { user: 'alice' } }), ['alice'], 'short form; the whole value must match');
    assert.deepEqual(await found({ wildcard: { user: { value: '*\\**' } } }), ['a*b'], 'an escaped * is a literal star');
    assert.deepEqual(await found({ wildcard: { user: { wildcard: '*.*' } } }), ['Alice.Smith'], '. is literal; `wildcard` names the pattern too');
    assert.deepEqual(await found({ wildcard: { note: { value: 'bro*' } } }), ['carol'], 'text fields match token by token');
  });

  it('aggregates with filter, top_hits, terms ordered by sub-aggregations, and date_histogram offset and extended_bounds', async () => {
    await client.indices.create({ index: 'rank', mappings: { properties: { user: { type: 'keyword' }, ts: { type: 'date' }, z: { type: 'float' } } } });
    const rows = [
      ['ann', '2026-03-01T00:10:00Z', 9],
      ['ann', '2026-03-01T05:00:00Z', 2],
      ['bob', '2026-03-01T01:30:00Z', 12],
      ['cat', '2026-03-01T02:00:00Z', 9],
      ['cat', '2026-03-01T03:00:00Z', 8.5],
      ['cat', '2026-03-01T04:00:00Z', 1],
      ['dan', '2026-03-01T04:30:00Z', 3],
    ] as const;
    await client.bulk({ refresh: true, operations: rows.flatMap(([user, ts, z], i) => [{ index: { _index: 'rank', _id: `r${i}` } }, { user, ts, z }]) });
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const r = await client.search({
      index: 'rank',
      size: 0,
      aggs: {
        by_max: {
          terms: { field: 'user', size: 3, order: [{ max_z: 'desc' }, { _key: 'desc' }] },
          aggs: { max_z: { max: { field: 'z' } }, high: { filter: { range: { z: { gte: 8.5 } } } } },
        },
        by_high: {
          terms: { field: 'user', order: { high: 'desc' } },
          aggs: { high: { filter: { range: { z: { gte: 8.5 } } }, aggs: { top: { max: { field: 'z' } } } } },
        },
        by_deep: { terms: { field: 'user', order: { 'high>top.value': 'asc' } }, aggs: { high: { filter: { range: { z: { gte: 8.5 } } }, aggs: { top: { max: { field: 'z' } } } } } },
        worst: { terms: { field: 'user', size: 1, order: { _key: 'asc' } }, aggs: { hit: { top_hits: { size: 1, sort: [{ z: 'desc' }], _source: ['ts'] } } } },
        hours: {
          date_histogram: { field: 'ts', fixed_interval: '2h', offset: '+30m', min_doc_count: 0, extended_bounds: { min: t0, max: '2026-03-01T08:59:59Z' } },
          aggs: { high: { filter: { range: { z: { gte: 8.5 } } } } },
        },
        empty_range: { date_histogram: { field: 'ts', fixed_interval: '1h', offset: '1800000ms', min_doc_count: 1 } },
      },
    });
    const aggs = r.aggregations as any;
    // Ties on max_z (ann and cat, 9) fall to the next order given: _key desc.
    assert.deepEqual(aggs.by_max.buckets.map((b: any) => [b.key, b.max_z.value, b.high.doc_count]), [['bob', 12, 1], ['cat', 9, 2], ['ann', 9, 1]]);
    assert.equal(aggs.by_max.sum_other_doc_count, 1);
    // A single-bucket aggregation orders by its doc_count; ties fall to _key asc.
    assert.deepEqual(aggs.by_high.buckets.map((b: any) => [b.key, b.high.doc_count]), [['cat', 2], ['ann', 1], ['bob', 1], ['dan', 0]]);
    // An empty max orders as −∞: dan (no high values) first ascending.
    assert.deepEqual(aggs.by_deep.buckets.map((b: any) => b.key), ['dan', 'ann', 'cat', 'bob']);
    assert.deepEqual(aggs.worst.buckets[0].hit, {
      hits: { total: { value: 2, relation: 'eq' }, max_score: null, hits: [{ _index: 'rank', _id: 'r0', _score: null, _source: { ts: '2026-03-01T00:10:00Z' }, sort: [9] }] },
    });
    // Buckets start at offset 30m; the bounds (rounded down to a bucket) widen the filled range past the data.
    assert.deepEqual(
      aggs.hours.buckets.map((b: any) => [b.key_as_string, b.doc_count, b.high.doc_count]),
      [
        ['2026-02-28T22:30:00.000Z', 1, 1],
        ['2026-03-01T00:30:00.000Z', 2, 2],
        ['2026-03-01T02:30:00.000Z', 2, 1],
        ['2026-03-01T04:30:00.000Z', 2, 0],
        ['2026-03-01T06:30:00.000Z', 0, 0],
        ['2026-03-01T08:30:00.000Z', 0, 0],
      ],
    );
    assert.deepEqual(aggs.empty_range.buckets.map((b: any) => b.key_as_string), ['2026-02-28T23:30:00.000Z', '2026-03-01T01:30:00.000Z', '2026-03-01T02:30:00.000Z', '2026-03-01T03:30:00.000Z', '2026-03-01T04:30:00.000Z']);
    const [st, body] = await responseError(client.search({ index: 'rank', size: 0, aggs: { u: { terms: { field: 'user', order: { nope: 'desc' } } } } }));
    assert.equal(st, 400);
    assert.match(body.error.reason, /^Invalid aggregation order path \[nope\]/);
    // extended_bounds fill empty buckets even when nothing matched.
    const none = await client.search({ index: 'rank', size: 0, query: { term: { user: 'zed' } }, aggs: { h: { date_histogram: { field: 'ts', fixed_interval: '1d', extended_bounds: { min: t0, max: t0 + 86_400_000 } } } } });
    assert.deepEqual((none.aggregations as any).h.buckets.map((b: any) => [b.key, b.doc_count]), [[t0, 0], [t0 + 86_400_000, 0]]);
  });

  it('rejects a conditional write with a stale seq_no with 409', async () => {
    const first = await client.index({ index: 'leases', id: 'train', document: { owner: 'kbn-1' } });
    assert.deepEqual([first.result, first._seq_no, first._primary_term, first._version], ['created', 0, 1, 1]);
    const second = await client.index({ index: 'leases', id: 'train', document: { owner: 'kbn-2' }, if_seq_no: 0, if_primary_term: 1 });
    assert.deepEqual([second.result, second._seq_no, second._version], ['updated', 1, 2]);
    const [st, body] = await responseError(client.index({ index: 'leases', id: 'train', document: { owner: 'kbn-3' }, if_seq_no: 0, if_primary_term: 1 }));
    assert.equal(st, 409);
    assert.equal(body.error.type, 'version_conflict_engine_exception');
    assert.equal(body.error.reason, '[train]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]');
    assert.equal(body.error.shard, '0');
    assert.equal(body.error.index, 'leases');
    const [st2] = await responseError(client.update({ index: 'leases', id: 'train', doc: { owner: 'kbn-3' }, if_seq_no: 0, if_primary_term: 1 }));
    assert.equal(st2, 409);
    const [st3, body3] = await responseError(client.create({ index: 'leases', id: 'train', document: { owner: 'x' } }));
    assert.equal(st3, 409);
    assert.equal(body3.error.reason, '[train]: version conflict, document already exists (current version [2])');
    const up = await client.update({ index: 'leases', id: 'score', doc: { owner: 'kbn-1' }, doc_as_upsert: true });
    assert.deepEqual([up.result, up._seq_no], ['created', 2]);
    const noop = await client.update({ index: 'leases', id: 'score', doc: { owner: 'kbn-1' } });
    assert.deepEqual([noop.result, noop._seq_no], ['noop', 2]);
    assert.equal((await client.get({ index: 'leases', id: 'train' }))._source!['owner' as never], 'kbn-2');
  });

  it('injects 429 twice then succeeds, and lets the client retry 503s', async () => {
    server.faults.inject({ path: /\/_bulk$/, status: 429, times: 2 });
    const ops = [{ index: { _index: 'retry', _id: '1' } }, { a: 1 }];
    for (let i = 0; i < 2; i++) {
      const [st, body] = await responseError(client.bulk({ operations: ops }));
      assert.equal(st, 429);
      assert.equal(body.error.type, 'es_rejected_execution_exception');
      assert.equal(body.status, 429);
    }
    assert.equal((await client.bulk({ operations: ops })).errors, false);
    server.requests.length = 0;
    server.faults.inject({ path: '/_bulk', status: 503, times: 2 });
    assert.equal((await client.bulk({ operations: ops })).items[0].index!.result, 'updated');
    assert.deepEqual(server.requests.map((r) => [r.path, r.status]), [['/_bulk', 503], ['/_bulk', 503], ['/_bulk', 200]]);
  });

  it('surfaces a socket destroyed mid-bulk as a connection error', async () => {
    const noRetry = new Client({ node: server.url, maxRetries: 0 });
    try {
      server.faults.inject({ path: '/_bulk', destroySocket: 'mid-response', times: 1 });
      await assert.rejects(noRetry.bulk({ operations: [{ index: { _index: 'cut', _id: '1' } }, { a: 1 }] }), (e: unknown) => e instanceof errors.ConnectionError);
      // The write was applied before the socket died: the client cannot know, and retries must be idempotent.
      assert.equal((await client.get({ index: 'cut', id: '1' })).found, true);
      server.faults.inject({ path: '/cut/_count', delayMs: 300, times: 1 });
      await assert.rejects(noRetry.count({ index: 'cut' }, { requestTimeout: 50 }), (e: unknown) => e instanceof errors.TimeoutError);
    } finally {
      await noRetry.close();
    }
  });

  it('answers 403 on write-blocked and read-only indices', async () => {
    await client.indices.create({ index: 'blocked' });
    await client.indices.putSettings({ index: 'blocked', settings: { index: { blocks: { write: true } } } });
    const [st, body] = await responseError(client.index({ index: 'blocked', id: '1', document: { a: 1 } }));
    assert.equal(st, 403);
    assert.deepEqual(body, {
      error: {
        root_cause: [{ type: 'cluster_block_exception', reason: 'index [blocked] blocked by: [FORBIDDEN/8/index write (api)];' }],
        type: 'cluster_block_exception',
        reason: 'index [blocked] blocked by: [FORBIDDEN/8/index write (api)];',
      },
      status: 403,
    });
    const bulk = await client.bulk({ operations: [{ index: { _index: 'blocked', _id: '1' } }, { a: 1 }] });
    assert.deepEqual([bulk.errors, bulk.items[0].index!.status, bulk.items[0].index!.error!.type], [true, 403, 'cluster_block_exception']);
    await client.indices.putSettings({ index: 'blocked', settings: { 'index.blocks.write': null } });
    assert.equal((await client.index({ index: 'blocked', id: '1', document: { a: 1 } })).result, 'created');
    server.faults.readOnly('blocked');
    const [st2, body2] = await responseError(client.delete({ index: 'blocked', id: '1' }));
    assert.equal(st2, 403);
    assert.equal(body2.error.reason, 'index [blocked] blocked by: [FORBIDDEN/5/index read-only (api)];');
  });

  it('accepts gzip-compressed request bodies', async () => {
    const gz = new Client({ node: server.url, compression: true });
    try {
      const r = await gz.bulk({ refresh: true, operations: [{ index: { _index: 'gz', _id: '1' } }, { msg: 'x'.repeat(2000) }] });
      assert.equal(r.errors, false);
      assert.equal(server.requests.at(-1)!.headers['content-encoding'], 'gzip');
      assert.equal((await gz.count({ index: 'gz' })).count, 1);
    } finally {
      await gz.close();
    }
  });

  it('maps new fields through dynamic templates (match, path_match, match_mapping_type, placeholders)', async () => {
    await client.indices.create({
      index: 'dyn',
      mappings: {
        dynamic_templates: [
          { feature_z: { path_match: 'dfp.features.*.z', mapping: { type: 'float' } } },
          { feature_pred: { path_match: 'dfp.features.*.pred', mapping: { type: 'keyword', ignore_above: 1024 } } },
          { ips: { match_mapping_type: 'string', match: '*_ip', unmatch: 'internal_*', mapping: { type: 'ip' } } },
          { counts: { match_mapping_type: 'long', match: 'n_*', mapping: { type: 'integer', meta: { from: '{name}' } } } },
          { typed: { match: 'any_*', path_unmatch: 'skip.*', mapping: { type: '{dynamic_type}', doc_values: false } } },
        ],
      },
    });
    await client.index({
      index: 'dyn',
      id: '1',
      document: {
        dfp: { features: { hour: { z: 0, pred: 7 }, city: { z: 1.5, pred: 'Oslo' } } },
        src_ip: '10.0.0.1',
        internal_ip: '10.0.0.2',
        n_logins: 3,
        n_ratio: 0.5,
        any_text: 'x',
        any_num: 2.5,
        skip: { any_flag: true },
      },
    });
    const m = (await client.indices.getMapping({ index: 'dyn' })).dyn.mappings;
    const keyword256 = { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
    assert.deepEqual(m.properties, {
      dfp: {
        properties: {
          features: {
            properties: {
              hour: { properties: { z: { type: 'float' }, pred: { type: 'keyword', ignore_above: 1024 } } },
              city: { properties: { z: { type: 'float' }, pred: { type: 'keyword', ignore_above: 1024 } } },
            },
          },
        },
      },
      src_ip: { type: 'ip' },
      internal_ip: keyword256,
      n_logins: { type: 'integer', meta: { from: 'n_logins' } },
      n_ratio: { type: 'float' },
      any_text: { type: 'text', doc_values: false },
      any_num: { type: 'float', doc_values: false },
      skip: { properties: { any_flag: { type: 'boolean' } } },
    });
    // PUT _mapping replaces the dynamic_templates list, as ES's mapping-update merge does.
    await client.indices.putMapping({ index: 'dyn', dynamic_templates: [{ only: { match: 'zz', mapping: { type: 'keyword' } } }] });
    assert.deepEqual((await client.indices.getMapping({ index: 'dyn' })).dyn.mappings.dynamic_templates, [{ only: { match: 'zz', mapping: { type: 'keyword' } } }]);
  });

  it('rolls a data stream over to a new backing index built from the template and its component templates', async () => {
    const [st0, body0] = await responseError(
      client.indices.putIndexTemplate({ name: 'events', index_patterns: ['logs-ev-*'], data_stream: {}, priority: 150, composed_of: ['events@custom'] }),
    );
    assert.equal(st0, 400);
    assert.equal(body0.error.type, 'invalid_index_template_exception');
    assert.equal(body0.error.reason, 'index_template [events] invalid, cause [index template [events] specifies component templates [events@custom] that do not exist]');
    await client.indices.putIndexTemplate({
      name: 'events',
      index_patterns: ['logs-ev-*'],
      data_stream: {},
      priority: 150,
      composed_of: ['events@custom'],
      ignore_missing_component_templates: ['events@custom'],
      template: { mappings: { properties: { user: { type: 'keyword' } }, dynamic_templates: [{ a: { match: 'a_*', mapping: { type: 'keyword' } } }] } },
    });
    const ds = 'logs-ev-default';
    const first = `.ds-${ds}-${today()}-000001`;
    const second = `.ds-${ds}-${today()}-000002`;
    await client.create({ index: ds, id: 'e1', document: { '@timestamp': '2026-01-01T00:00:00Z', user: 'alice' } });
    assert.equal((await client.indices.getMapping({ index: first }))[first].mappings.properties!['note'], undefined);

    await client.cluster.putComponentTemplate({
      name: 'events@custom',
      template: { mappings: { properties: { note: { type: 'keyword' } }, dynamic_templates: [{ a: { match: 'a_*', mapping: { type: 'long' } } }, { b: { match: 'b_*', mapping: { type: 'ip' } } }] } },
    });
    const [st1, body1] = await responseError(client.cluster.putComponentTemplate({ name: 'events@custom', create: true, template: {} }));
    assert.deepEqual([st1, body1.error.type, body1.error.reason], [400, 'illegal_argument_exception', 'component template [events@custom] already exists']);

    const dry = await client.indices.rollover({ alias: ds, dry_run: true });
    assert.deepEqual([dry.dry_run, dry.rolled_over, dry.old_index, dry.new_index], [true, false, first, second]);
    const rolled = await client.indices.rollover({ alias: ds });
    assert.deepEqual(rolled, { acknowledged: true, shards_acknowledged: true, old_index: first, new_index: second, rolled_over: true, dry_run: false, lazy: false, conditions: {} });
    const mapping = (await client.indices.getMapping({ index: second }))[second].mappings;
    assert.deepEqual(mapping.properties!['note'], { type: 'keyword' });
    assert.deepEqual(mapping.properties!['user'], { type: 'keyword' });
    // Composition merges dynamic templates by name: the index template's `a` replaces the component's in place.
    assert.deepEqual(mapping.dynamic_templates, [{ a: { match: 'a_*', mapping: { type: 'keyword' } } }, { b: { match: 'b_*', mapping: { type: 'ip' } } }]);

    const w = await client.create({ index: ds, id: 'e2', document: { '@timestamp': '2026-01-02T00:00:00Z', user: 'bob' } });
    assert.equal(w._index, second);
    const got = await client.indices.getDataStream({ name: ds });
    assert.deepEqual(got.data_streams[0].indices.map((i) => i.index_name), [first, second]);
    assert.deepEqual([got.data_streams[0].generation, got.data_streams[0].template], [2, 'events']);
    await client.indices.refresh({ index: ds });
    assert.equal((await client.count({ index: ds })).count, 2);

    await client.indices.create({ index: 'plain' });
    const [st2, body2] = await responseError(client.indices.rollover({ alias: 'plain' }));
    assert.deepEqual([st2, body2.error.reason], [400, 'rollover target is a [concrete index] but one of [alias,data_stream] was expected']);
  });

  it('refuses mapping updates on read-only indices but not on write-blocked ones', async () => {
    await client.indices.create({ index: 'ro' });
    await client.indices.putSettings({ index: 'ro', settings: { 'index.blocks.write': true } });
    assert.deepEqual(await client.indices.putMapping({ index: 'ro', properties: { a: { type: 'keyword' } } }), { acknowledged: true });
    server.faults.readOnly('ro');
    const [st, body] = await responseError(client.indices.putMapping({ index: 'ro', properties: { b: { type: 'keyword' } } }));
    assert.equal(st, 403);
    assert.deepEqual(body.error.root_cause, [{ type: 'cluster_block_exception', reason: 'index [ro] blocked by: [FORBIDDEN/5/index read-only (api)];' }]);
    assert.deepEqual(Object.keys((await client.indices.getMapping({ index: 'ro' })).ro.mappings.properties!), ['a']);
  });

  it('reads several documents in real time with _mget', async () => {
    await client.index({ index: 'mg', id: 'a', document: { n: 1 } });
    await client.index({ index: 'mg', id: 'a', document: { n: 2 } });
    const r = await client.mget({ docs: [{ _index: 'mg', _id: 'a' }, { _index: 'mg', _id: 'zz' }, { _index: 'nope', _id: 'a' }] });
    assert.deepEqual(r.docs[0], { _index: 'mg', _id: 'a', _version: 2, _seq_no: 1, _primary_term: 1, found: true, _source: { n: 2 } });
    assert.deepEqual(r.docs[1], { _index: 'mg', _id: 'zz', found: false });
    assert.equal((r.docs[2] as any).error.type, 'index_not_found_exception');
    const byIds = await client.mget({ index: 'mg', ids: ['a'], _source: false });
    assert.deepEqual(byIds.docs, [{ _index: 'mg', _id: 'a', _version: 2, _seq_no: 1, _primary_term: 1, found: true }]);
  });
});
