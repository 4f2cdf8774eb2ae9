// The in-memory ES 8 test server, exercised only through the official client over real HTTP:
// search, PIT paging, aggregations.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { plainClient, responseError, ids } from './es_server/test_helpers';

const es = useTestServer(plainClient);

describe('es test server: search, PIT paging, aggregations', () => {
  it('_source filtering keeps a list of lists a list of lists, as Elasticsearch does', async () => {
    await es.client.index({ index: 'lists', id: 'a', refresh: true, document: { dfp: { features: { country: { z: 4, usual: [['NL', 0.97], ['DE', 0.03]] } }, other: [[{ x: 2, y: 3 }, { x: 4 }], [{ y: 5 }]] } } });
    const hit = (await es.client.search({ index: 'lists', _source: ['dfp.features.*.usual', 'dfp.other.x'] })).hits.hits[0];
    assert.deepEqual(hit._source, { dfp: { features: { country: { usual: [['NL', 0.97], ['DE', 0.03]] } }, other: [[{ x: 2 }, { x: 4 }]] } });
  });

  it('searches with bool/range/terms and pages a PIT with search_after', async () => {
    await es.client.indices.create({ index: 'auth', mappings: { properties: { user: { type: 'keyword' }, '@timestamp': { type: 'date' }, bytes: { type: 'long' } } } });
    const base = Date.parse('2026-03-01T00:00:00Z');
    const ops = Array.from({ length: 25 }, (_, i) => [
      { index: { _index: 'auth', _id: `d${i}` } },
      { user: ['alice', 'bob', 'carol'][i % 3], '@timestamp': new Date(base + (i % 5) * 3600_000).toISOString(), bytes: i * 10, outcome: i % 4 === 0 ? 'failure' : 'success' },
    ]).flat();
    await es.client.bulk({ operations: ops, refresh: true });

    const q = await es.client.search({
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

    const pit = await es.client.openPointInTime({ index: 'auth', keep_alive: '1m' });
    await es.client.bulk({ refresh: true, operations: [{ index: { _index: 'auth', _id: 'late' } }, { user: 'alice', '@timestamp': '2026-02-01T00:00:00Z', bytes: 1 }] });
    assert.equal((await es.client.count({ index: 'auth' })).count, 26);
    const seen: string[] = [];
    let after: any[] | undefined;
    for (;;) {
      const page = await es.client.search({ pit: { id: pit.id, keep_alive: '1m' }, size: 10, sort: [{ '@timestamp': 'asc' }, { _shard_doc: 'asc' }], search_after: after, track_total_hits: false });
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
    const implicit = await es.client.search({ pit: { id: pit.id }, size: 1, sort: [{ bytes: 'desc' }] });
    assert.deepEqual(implicit.hits.hits[0].sort, [240, 24]);
    assert.deepEqual(await es.client.closePointInTime({ id: pit.id }), { succeeded: true, num_freed: 1 });
    const [st, body] = await responseError(es.client.search({ pit: { id: pit.id } }));
    assert.equal(st, 404);
    assert.equal(body.error.type, 'search_context_missing_exception');
  });

  it('aggregates with terms and date_histogram and sub-aggregations', async () => {
    await es.client.indices.create({ index: 'agg', mappings: { properties: { user: { type: 'keyword' }, ts: { type: 'date' }, bytes: { type: 'long' } } } });
    const rows = [
      ['alice', '2026-03-01T00:10:00Z', 10],
      ['alice', '2026-03-01T00:20:00Z', 30],
      ['bob', '2026-03-01T00:30:00Z', 5],
      ['alice', '2026-03-01T02:05:00Z', 20],
      ['carol', '2026-03-01T02:55:00Z', 7],
    ] as const;
    await es.client.bulk({ refresh: true, operations: rows.flatMap(([user, ts, bytes], i) => [{ index: { _index: 'agg', _id: String(i) } }, { user, ts, bytes }]) });
    const r = await es.client.search({
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
    await es.client.indices.create({ index: 'wc', mappings: { properties: { user: { type: 'keyword' }, note: { type: 'text' } } } });
    const users = ['Alice.Smith', 'alice', 'BOB', 'a*b', 'carol'];
    await es.client.bulk({ refresh: true, operations: users.flatMap((user, i) => [{ index: { _index: 'wc', _id: user } }, { user, note: i === 4 ? 'Quick Brown fox' : 'x' }]) });
    const found = async (query: object): Promise<string[]> => ids(await es.client.search({ index: 'wc', query: query as any, sort: ['_doc'] }));
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
    await es.client.indices.create({ index: 'rank', mappings: { properties: { user: { type: 'keyword' }, ts: { type: 'date' }, z: { type: 'float' } } } });
    const rows = [
      ['ann', '2026-03-01T00:10:00Z', 9],
      ['ann', '2026-03-01T05:00:00Z', 2],
      ['bob', '2026-03-01T01:30:00Z', 12],
      ['cat', '2026-03-01T02:00:00Z', 9],
      ['cat', '2026-03-01T03:00:00Z', 8.5],
      ['cat', '2026-03-01T04:00:00Z', 1],
      ['dan', '2026-03-01T04:30:00Z', 3],
    ] as const;
    await es.client.bulk({ refresh: true, operations: rows.flatMap(([user, ts, z], i) => [{ index: { _index: 'rank', _id: `r${i}` } }, { user, ts, z }]) });
    const t0 = Date.parse('2026-03-01T00:00:00Z');
    const r = await es.client.search({
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
    const [st, body] = await responseError(es.client.search({ index: 'rank', size: 0, aggs: { u: { terms: { field: 'user', order: { nope: 'desc' } } } } }));
    assert.equal(st, 400);
    assert.match(body.error.reason, /^Invalid aggregation order path \[nope\]/);
    // extended_bounds fill empty buckets even when nothing matched.
    const none = await es.client.search({ index: 'rank', size: 0, query: { term: { user: 'zed' } }, aggs: { h: { date_histogram: { field: 'ts', fixed_interval: '1d', extended_bounds: { min: t0, max: t0 + 86_400_000 } } } } });
    assert.deepEqual((none.aggregations as any).h.buckets.map((b: any) => [b.key, b.doc_count]), [[t0, 0], [t0 + 86_400_000, 0]]);
  });
});
