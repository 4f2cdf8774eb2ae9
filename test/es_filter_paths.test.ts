// The `filter_path`s our reads send keep everything the code reads of the answer: checked on the
// answers the test server gives them (over HTTP, through the official client), where a field
// filtered out would make the check fail. Above all the completeness fields: with
// allow_partial_search_results=false Elasticsearch answers a failed shard with an error, so the
// 200-with-failed-shards that requireWhole refuses (a timeout, a cluster setting) is asked for here
// directly, and must still say that it is partial after filtering.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { PAGE_FILTER_PATH } from '../server/engine/io/es/source';
import { COPIES_FILTER_PATH } from '../server/engine/io/es/scores_copies';
import { IncompleteSearchError, requireWhole } from '../server/engine/io/es/whole_search';

const es = useTestServer();

async function threeShards(index: string): Promise<void> {
  await es.client.indices.create({ index, settings: { number_of_shards: 3 }, mappings: { properties: { '@timestamp': { type: 'date' } } } });
  const operations = Array.from({ length: 12 }, (_, i) => [{ index: { _index: index, _id: `d${i}` } }, { '@timestamp': new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(), user: { name: `u${i % 3}` }, pad: 'x' }]).flat();
  await es.client.bulk({ operations, refresh: true });
}

describe('the filter_path of a source page', () => {
  it('keeps each hit\'s index, id, source and sort values, and the point in time id', async () => {
    await threeShards('events');
    const pit = await es.client.openPointInTime({ index: 'events', keep_alive: '1m' });
    const page: any = await es.client.search({
      pit: { id: pit.id, keep_alive: '1m' },
      size: 5,
      sort: [{ '@timestamp': { order: 'asc', numeric_type: 'date' } }, { _shard_doc: 'asc' }],
      track_total_hits: false,
      _source: { includes: ['user.name'] },
      filter_path: PAGE_FILTER_PATH,
    });
    assert.equal(page.pit_id, pit.id);
    assert.deepEqual(page._shards.failed, 0);
    assert.equal(page.timed_out, false);
    assert.deepEqual(Object.keys(page).sort(), ['_shards', 'hits', 'pit_id', 'timed_out']);
    assert.deepEqual(Object.keys(page.hits), ['hits']);
    assert.deepEqual(Object.keys(page.hits.hits[0]).sort(), ['_id', '_index', '_source', 'sort']);
    assert.deepEqual(page.hits.hits.map((h: any) => [h._index, h._id, h._source.user.name, h.sort[0]]).slice(0, 2), [
      ['events', 'd0', 'u0', Date.UTC(2026, 2, 1, 0, 0)],
      ['events', 'd1', 'u1', Date.UTC(2026, 2, 1, 0, 1)],
    ]);
    await es.client.closePointInTime({ id: pit.id });
  });

  it('keeps what says an answer is partial: a failed shard, or a timeout', async () => {
    await threeShards('events');
    es.server.faults.shardFailure({ index: 'events', shard: 1, times: 1 });
    const failed = await es.client.search({ index: 'events', sort: [{ '@timestamp': 'asc' }], filter_path: PAGE_FILTER_PATH });
    assert.throws(() => requireWhole(failed, 'read a page'), (e: unknown) => e instanceof IncompleteSearchError && /1 of 3 shards failed; first: events\[1\] no_shard_available_action_exception/.test((e as Error).message));

    es.server.faults.shardFailure({ index: 'events', shard: 2, times: 1, timedOut: true });
    const late = await es.client.search({ index: 'events', timeout: '1s', sort: [{ '@timestamp': 'asc' }], filter_path: PAGE_FILTER_PATH });
    assert.throws(() => requireWhole(late, 'read a page'), (e: unknown) => e instanceof IncompleteSearchError && /timed out/.test((e as Error).message));
  });
});

describe('the filter_path of the scores copies lookup', () => {
  it('keeps each copy\'s index, id and sequence numbers, and what says the answer is partial', async () => {
    await threeShards('copies');
    const found: any = await es.client.search({ index: 'copies', _source: false, seq_no_primary_term: true, query: { ids: { values: ['d4', 'd7'] } }, filter_path: COPIES_FILTER_PATH });
    assert.deepEqual(
      found.hits.hits.map((h: any) => [h._index, h._id, typeof h._seq_no, h._primary_term]).sort(),
      [
        ['copies', 'd4', 'number', 1],
        ['copies', 'd7', 'number', 1],
      ],
    );
    assert.deepEqual(Object.keys(found.hits.hits[0]).sort(), ['_id', '_index', '_primary_term', '_seq_no']);
    requireWhole(found, 'look up copies');

    // No copy: no hits at all in the answer, which the lookup reads as none.
    const none: any = await es.client.search({ index: 'copies', _source: false, seq_no_primary_term: true, query: { ids: { values: ['nope'] } }, filter_path: COPIES_FILTER_PATH });
    assert.equal(none.hits, undefined);

    es.server.faults.shardFailure({ index: 'copies', shard: 0, times: 1 });
    const partial = await es.client.search({ index: 'copies', _source: false, seq_no_primary_term: true, query: { ids: { values: ['d4'] } }, filter_path: COPIES_FILTER_PATH });
    assert.throws(() => requireWhole(partial, 'look up copies'), IncompleteSearchError);
  });
});
