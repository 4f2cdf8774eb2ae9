// Conformance: shards, partial results and the pre-filter, as Elasticsearch answers them.
// From the REST YAML test search/140_pre_filter_search_shards.yml (skipped shards, one shard
// always runs, pre_filter_shard_size) and ES's AbstractSearchAsyncAction,
// SearchPhaseExecutionException and ShardSearchFailure (the "all shards failed" and "Partial
// shards failure" answers, allow_partial_search_results=false), Murmur3HashFunctionTests.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { needsTestServer, useConformanceCluster } from './es_server/conformance';
import { ids, responseError } from './es_server/test_helpers';
import { routingHash } from './es_server/routing';

const es = useConformanceCluster();
const n = es.name;

async function sharded(shards = 3, docs = 30): Promise<string[]> {
  const index = n('sharded');
  await es.client.indices.create({ index, settings: { number_of_shards: shards }, mappings: { properties: { n: { type: 'long' }, '@timestamp': { type: 'date' } } } });
  const all = Array.from({ length: docs }, (_, i) => `d${i}`);
  await es.client.bulk({ refresh: true, operations: all.flatMap((id, i) => [{ index: { _index: index, _id: id } }, { n: i, '@timestamp': new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() }]) });
  return all;
}

describe('conformance: shards and partial results', () => {
  it('routes _id with Murmur3 as Elasticsearch does (its own known hash values)', () => {
    // Murmur3HashFunctionTests.testKnownValues
    const known: [number, string][] = [
      [0x5a0cb7c3, 'hell'],
      [0xd7c31989, 'hello'],
      [0x22ab2984, 'hello w'],
      [0xdf0ca123, 'hello wo'],
      [0xe7744d61, 'hello wor'],
      [0xe07db09c, 'The quick brown fox jumps over the lazy dog'],
      [0x4e63d2ad, 'The quick brown fox jumps over the lazy cog'],
    ];
    for (const [hash, text] of known) assert.equal(routingHash(text), hash | 0, text);
  });

  it('reports truthful _shards on search, count, point in time and refresh', async () => {
    await sharded();
    await es.client.indices.create({ index: n('single') });
    const all = { total: 3, successful: 3, skipped: 0, failed: 0 };
    assert.deepEqual((await es.client.search({ index: n('sharded') }))._shards, all);
    assert.deepEqual((await es.client.count({ index: n('sharded') }))._shards, all);
    assert.deepEqual((await es.client.openPointInTime({ index: n('sharded'), keep_alive: '1m' }))._shards, all);
    assert.deepEqual((await es.client.indices.refresh({ index: n('sharded') }))._shards, { total: 6, successful: 3, failed: 0 });
    assert.deepEqual((await es.client.search({ index: `${n('sharded')},${n('single')}` }))._shards, { total: 4, successful: 4, skipped: 0, failed: 0 });
    // An index created without settings has one shard (ES 7+).
    assert.deepEqual((await es.client.count({ index: n('single') }))._shards, { total: 1, successful: 1, skipped: 0, failed: 0 });
  });

  it('answers 200 with the other shards\' hits when one shard fails, and says so in _shards', { skip: needsTestServer }, async () => {
    const all = await sharded();
    es.server.faults.shardFailure({ index: n('sharded'), shard: 1 });
    const partial = await es.client.search({ index: n('sharded'), size: 100 });
    assert.equal(partial.timed_out, false);
    const { failures, ...counts } = partial._shards;
    assert.deepEqual(counts, { total: 3, successful: 2, skipped: 0, failed: 1 });
    assert.equal(failures?.length, 1);
    assert.equal(failures![0].shard, 1);
    assert.equal(failures![0].index, n('sharded'));
    assert.equal(typeof failures![0].node, 'string');
    assert.equal(failures![0].reason.type, 'no_shard_available_action_exception');
    assert.deepEqual(partial.hits.total, { value: partial.hits.hits.length, relation: 'eq' });

    // The missing hits are exactly shard 1's: fail the other two shards to see them.
    es.server.faults.clear();
    es.server.faults.shardFailure({ index: n('sharded'), shard: 0 });
    es.server.faults.shardFailure({ index: n('sharded'), shard: 2 });
    const onlyShard1 = ids(await es.client.search({ index: n('sharded'), size: 100 }));
    const seen = ids(partial);
    assert.ok(onlyShard1.length > 0 && seen.length > 0);
    assert.deepEqual([...seen, ...onlyShard1].sort(), [...all].sort());

    // Count answers the same way.
    es.server.faults.clear();
    es.server.faults.shardFailure({ index: n('sharded'), shard: 1 });
    const count = await es.client.count({ index: n('sharded') });
    assert.equal(count.count, seen.length);
    assert.equal(count._shards.failed, 1);
    assert.equal(count._shards.failures?.[0].reason.type, 'no_shard_available_action_exception');
  });

  it('answers "Partial shards failure" with allow_partial_search_results=false, and "all shards failed" always', { skip: needsTestServer }, async () => {
    await sharded();
    es.server.faults.shardFailure({ index: n('sharded'), shard: 1, times: 1 });
    const [status, body] = await responseError(es.client.search({ index: n('sharded'), allow_partial_search_results: false }));
    assert.equal(status, 503);
    assert.equal(body.status, 503);
    assert.equal(body.error.type, 'search_phase_execution_exception');
    assert.equal(body.error.reason, 'Partial shards failure');
    assert.equal(body.error.phase, 'query');
    assert.equal(body.error.grouped, true);
    assert.equal(body.error.failed_shards.length, 1);
    assert.deepEqual(Object.keys(body.error.failed_shards[0]).sort(), ['index', 'node', 'reason', 'shard']);
    assert.equal(body.error.root_cause[0].type, 'no_shard_available_action_exception');
    // `times: 1` is spent: the next search is whole.
    assert.equal((await es.client.search({ index: n('sharded'), allow_partial_search_results: false }))._shards.failed, 0);

    for (const shard of [0, 1, 2]) es.server.faults.shardFailure({ index: n('sharded'), shard, type: 'illegal_argument_exception', reason: 'boom', status: 400 });
    const [allStatus, all] = await responseError(es.client.search({ index: n('sharded') }));
    assert.equal(allStatus, 400);
    assert.equal(all.error.reason, 'all shards failed');
    // One entry per index and cause (ExceptionsHelper.groupBy).
    assert.equal(all.error.failed_shards.length, 1);
    assert.deepEqual(all.error.root_cause, [{ type: 'illegal_argument_exception', reason: 'boom' }]);
  });

  it("fails a point-in-time search's lost shard context with search_context_missing_exception", { skip: needsTestServer }, async () => {
    await sharded();
    const pit = await es.client.openPointInTime({ index: n('sharded'), keep_alive: '1m' });
    es.server.faults.shardFailure({ shard: 2 });
    const page = await es.client.search({ pit: { id: pit.id }, size: 100, sort: [{ n: 'asc' }] });
    assert.equal(page._shards.failed, 1);
    assert.equal(page._shards.failures![0].reason.type, 'search_context_missing_exception');
    assert.match(page._shards.failures![0].reason.reason!, /^No search context found for id \[\d+\]$/);
    const [status, body] = await responseError(es.client.search({ pit: { id: pit.id }, sort: [{ n: 'asc' }], allow_partial_search_results: false }));
    assert.equal(status, 404);
    assert.equal(body.error.type, 'search_phase_execution_exception');
    assert.equal(body.error.root_cause[0].type, 'search_context_missing_exception');
  });

  it('marks a search timed_out when a shard runs past its timeout, or fails it without partial results', { skip: needsTestServer }, async () => {
    const all = await sharded();
    es.server.faults.shardFailure({ index: n('sharded'), shard: 0, timedOut: true });
    // No timeout asked: nothing can time out.
    const whole = await es.client.search({ index: n('sharded'), size: 100 });
    assert.equal(whole.timed_out, false);
    assert.equal(whole.hits.hits.length, all.length);

    const late = await es.client.search({ index: n('sharded'), size: 100, timeout: '10ms' });
    assert.equal(late.timed_out, true);
    assert.deepEqual(late._shards, { total: 3, successful: 3, skipped: 0, failed: 0 });
    assert.ok(late.hits.hits.length < all.length);

    const [status, body] = await responseError(es.client.search({ index: n('sharded'), timeout: '10ms', allow_partial_search_results: false }));
    assert.equal(status, 429);
    assert.equal(body.error.reason, 'Partial shards failure');
    assert.equal(body.error.root_cause[0].type, 'search_timeout_exception');
  });

  it('skips shards the query cannot match when the primary sort is a field (the pre-filter), always running one', async () => {
    for (const [i, day] of ['2026-01-01', '2026-01-02', '2026-01-03'].entries()) {
      await es.client.indices.create({ index: n(`logs-${i}`), mappings: { properties: { '@timestamp': { type: 'date' } } } });
      await es.client.bulk({ refresh: true, operations: [0, 1].flatMap((h) => [{ index: { _index: n(`logs-${i}`), _id: `${i}-${h}` } }, { '@timestamp': `${day}T0${h}:00:00Z` }]) });
    }
    const range = (gte: string, lt: string) => ({ range: { '@timestamp': { gte, lt } } });
    const sorted = await es.client.search({ index: n('logs-*'), query: range('2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'), sort: [{ '@timestamp': 'asc' }] });
    assert.deepEqual(sorted._shards, { total: 3, successful: 3, skipped: 2, failed: 0 });
    assert.deepEqual(ids(sorted), ['1-0', '1-1']);
    const none = await es.client.search({ index: n('logs-*'), query: range('2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z'), sort: [{ '@timestamp': 'asc' }] });
    assert.deepEqual(none._shards, { total: 3, successful: 3, skipped: 2, failed: 0 });
    // No field sort: the pre-filter runs only past 128 shards.
    const scored = await es.client.search({ index: n('logs-*'), query: range('2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z') });
    assert.equal(scored._shards.skipped, 0);

    // Paging with search_after and track_total_hits false skips the shards wholly before the cursor.
    const pit = await es.client.openPointInTime({ index: n('logs-*'), keep_alive: '1m' });
    const first = await es.client.search({ pit: { id: pit.id }, size: 3, sort: [{ '@timestamp': 'asc' }], track_total_hits: false });
    assert.equal(first._shards.skipped, 0);
    const next = await es.client.search({ pit: { id: pit.id }, size: 3, sort: [{ '@timestamp': 'asc' }], search_after: first.hits.hits.at(-1)!.sort, track_total_hits: false });
    assert.deepEqual(ids(next), ['1-1', '2-0', '2-1']);
    assert.equal(next._shards.skipped, 1);
  });

  it('skips shards as 140_pre_filter_search_shards asserts: by pre_filter_shard_size, not for match_all or aggregations that visit every doc', async () => {
    for (const [i, type, day] of [[1, 'date', '2016-01-01'], [2, 'date_nanos', '2017-01-01'], [3, 'date', '2018-01-01']] as const) {
      await es.client.indices.create({ index: n(`index_${i}`), settings: { number_of_shards: 1 }, mappings: { properties: { created_at: { type, format: 'yyyy-MM-dd' } } } });
      await es.client.index({ index: n(`index_${i}`), id: String(i), document: { created_at: day } });
    }
    await es.client.indices.refresh({ index: n('index_*') });
    const range = { range: { created_at: { gte: '2016-02-01', lt: '2018-02-01' } } };
    const counts = async (params: Record<string, unknown>) => {
      const r = await es.client.search({ index: n('index_*'), size: 0, rest_total_hits_as_int: true, ...params });
      return [r._shards.skipped, r.hits.total];
    };
    assert.deepEqual(await counts({ query: range }), [0, 2]);
    assert.deepEqual(await counts({ pre_filter_shard_size: 1 }), [0, 3]);
    assert.deepEqual(await counts({ pre_filter_shard_size: 1, query: range }), [1, 2]);
    assert.deepEqual(await counts({ pre_filter_shard_size: 1, query: { range: { created_at: { gte: '2019-02-01', lt: '2020-02-01' } } } }), [2, 0]);
    assert.deepEqual(await counts({ pre_filter_shard_size: 1, query: range, aggs: { idx: { terms: { field: '_index', min_doc_count: 0 } } } }), [0, 2]);
    const byIndex = await es.client.search({ index: n('index_*'), size: 0, pre_filter_shard_size: 1, query: range, aggs: { idx: { terms: { field: '_index' } } } });
    assert.equal(byIndex._shards.skipped, 1);
    assert.equal((byIndex.aggregations!.idx as { buckets: unknown[] }).buckets.length, 2);
    const sorted = await es.client.search({ index: n('index_*'), size: 1, pre_filter_shard_size: 1, track_total_hits: 1, sort: [{ created_at: { order: 'desc', numeric_type: 'date' } }] });
    assert.deepEqual([sorted._shards.skipped, sorted.hits.total, ids(sorted)], [0, { value: 1, relation: 'gte' }, ['3']]);
    const [status, body] = await responseError(es.client.search({ index: n('index_*'), pre_filter_shard_size: 0 }));
    assert.equal(status, 400);
    assert.match(body.error.reason, /preFilterShardSize must be >= 1/);
  });

  it('fails the shards of an index where the sort field is unmapped, unless unmapped_type says what it is', async () => {
    await es.client.indices.create({ index: n('mapped'), mappings: { properties: { user: { type: 'keyword' } } } });
    await es.client.indices.create({ index: n('bare'), mappings: { dynamic: false } });
    await es.client.index({ index: n('mapped'), id: 'm', document: { user: 'alice' }, refresh: true });
    await es.client.index({ index: n('bare'), id: 'b', document: { user: 'bob' }, refresh: true });
    const partial = await es.client.search({ index: `${n('mapped')},${n('bare')}`, sort: [{ user: 'asc' }] });
    assert.deepEqual(ids(partial), ['m']);
    assert.equal(partial._shards.failed, 1);
    assert.deepEqual(partial._shards.failures![0].reason, { type: 'query_shard_exception', reason: 'No mapping found for [user] in order to sort on', index_uuid: partial._shards.failures![0].reason.index_uuid, index: n('bare') });
    const typed = await es.client.search({ index: `${n('mapped')},${n('bare')}`, sort: [{ user: { order: 'asc', unmapped_type: 'keyword' } }] });
    assert.equal(typed._shards.failed, 0);
    assert.deepEqual(typed.hits.hits.map((h) => [h._id, h.sort]), [['m', ['alice']], ['b', [null]]]);
    // Unmapped fields match no query either.
    assert.equal((await es.client.count({ index: n('bare'), query: { term: { user: 'bob' } } })).count, 0);
    const [status, body] = await responseError(es.client.search({ index: n('bare'), sort: [{ user: 'asc' }] }));
    assert.equal(status, 400);
    assert.equal(body.error.reason, 'all shards failed');
    assert.equal(body.error.root_cause[0].type, 'query_shard_exception');
  });

  it('refuses a bad number_of_shards and changing it on an open index', async () => {
    const [status, body] = await responseError(es.client.indices.create({ index: n('zero'), settings: { number_of_shards: 0 } }));
    assert.equal(status, 400);
    assert.equal(body.error.reason, 'Failed to parse value [0] for setting [index.number_of_shards] must be >= 1');
    await es.client.indices.create({ index: n('two'), settings: { number_of_shards: 2 } });
    const [s2, b2] = await responseError(es.client.indices.putSettings({ index: n('two'), settings: { number_of_shards: 3 } }));
    assert.equal(s2, 400);
    assert.ok(b2.error.reason.startsWith(`Can't update non dynamic settings [[index.number_of_shards]] for open indices [[${n('two')}/`));
  });
});
