// Conformance: the `filter_path` response filter, as Elasticsearch applies it. From the REST YAML
// tests search/70_response_filtering.yml (`*`, `took`, `_shards.*`, `hits.**._i*` with `**.total`,
// includes with excludes, `-*` on count), the "Response filtering" common options (comma list, `*`,
// `**`, `-` to exclude), and ES's AbstractRestChannel (error answers are not filtered),
// FilterPath / FilterPathBasedFilter and Jackson's FilteringGeneratorDelegate (array elements are
// matched as the array; an object or array a filter emptied is dropped, an element of an array too;
// includes drop empty containers under a partial match, excludes keep ones that were empty).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useConformanceCluster } from './es_server/conformance';
import { rawAnswer, responseError } from './es_server/test_helpers';

const es = useConformanceCluster();
const n = es.name;

/** Two documents as the YAML test indexes them. */
async function twoDocuments(): Promise<void> {
  await es.client.bulk({
    refresh: true,
    operations: [
      { index: { _index: n('index-1'), _id: '1' } },
      { name: 'First document', properties: { size: 123, meta: { foo: 'bar' } } },
      { index: { _index: n('index-1'), _id: '2' } },
      { name: 'Second document', properties: { size: 465, meta: { foo: 'bar', baz: 'qux' } } },
    ],
  });
}

/** A search of index-1 sorted by _id, its answer filtered by `filter_path`. */
const filtered = async (filterPath: string | string[], extra: Record<string, unknown> = {}): Promise<any> =>
  es.client.search({ index: n('index-1'), sort: [{ 'name.keyword': 'asc' }], filter_path: filterPath, ...extra });

describe('conformance: filter_path', () => {
  it('keeps what `*`, a name, `_shards.*` and `**` paths name, and the objects leading to it', async () => {
    await twoDocuments();
    const all = await filtered('*');
    assert.ok(all.took >= 0);
    assert.equal(all._shards.failed, 0);
    assert.equal(all.hits.hits.length, 2);
    assert.deepEqual(all.hits.hits[0]._source, { name: 'First document', properties: { size: 123, meta: { foo: 'bar' } } });

    const took = await filtered('took');
    assert.deepEqual(Object.keys(took), ['took']);

    const shards = await filtered('_shards.*');
    assert.deepEqual(Object.keys(shards), ['_shards']);
    assert.equal(shards._shards.total > 0 && shards._shards.failed === 0, true);

    // `**` is one level or more: `hits.**._i*` reaches each hit's _index and _id (not _ignored: none).
    const deep = await filtered(['hits.**._i*', '**.total']);
    assert.deepEqual(Object.keys(deep).sort(), ['_shards', 'hits']);
    assert.deepEqual(Object.keys(deep._shards), ['total']);
    assert.deepEqual(deep.hits.total, { value: 2, relation: 'eq' });
    assert.deepEqual(deep.hits.hits, [
      { _index: n('index-1'), _id: '1' },
      { _index: n('index-1'), _id: '2' },
    ]);
  });

  it('applies includes first, then excludes to what they kept; `-*` leaves an empty object', async () => {
    await twoDocuments();
    const a = await filtered(['-**._source.properties', '**._source']);
    assert.deepEqual(a, { hits: { hits: [{ _source: { name: 'First document' } }, { _source: { name: 'Second document' } }] } });

    const b = await filtered(['**.properties', '-hits.hits._source.properties.meta']);
    assert.deepEqual(b, { hits: { hits: [{ _source: { properties: { size: 123 } } }, { _source: { properties: { size: 465 } } }] } });

    // An object the exclusion emptied goes (the first meta); one it only thinned stays.
    const c = await filtered('**._source,-**.meta.foo');
    assert.deepEqual(
      c.hits.hits.map((h: any) => h._source),
      [
        { name: 'First document', properties: { size: 123 } },
        { name: 'Second document', properties: { size: 465, meta: { baz: 'qux' } } },
      ],
    );

    assert.deepEqual(await es.client.count({ index: n('index-1'), filter_path: '-*' }), {});
    // Entries are trimmed; an empty entry is ignored.
    assert.deepEqual(await es.client.count({ index: n('index-1'), filter_path: ' count , ' }), { count: 2 });
  });

  it('on _bulk, `items.*.error` keeps only failed items: their positions no longer match the operations', async () => {
    await es.client.index({ index: n('b'), id: 'taken', document: { v: 0 }, refresh: true });
    const operations = [
      { create: { _index: n('b'), _id: 'new1' } },
      { v: 1 },
      { create: { _index: n('b'), _id: 'taken' } },
      { v: 2 },
      { create: { _index: n('b'), _id: 'new2' } },
      { v: 3 },
    ];
    const errorsOnly: any = await es.client.bulk({ operations, filter_path: 'items.*.error' });
    assert.equal(errorsOnly.items.length, 1);
    assert.equal(errorsOnly.items[0].create.error.type, 'version_conflict_engine_exception');
    assert.deepEqual(Object.keys(errorsOnly.items[0].create), ['error']);

    // A field every item has keeps every item, in order.
    const again = operations.map((o) => ('create' in o && o.create ? { create: { ...o.create, _id: `${o.create._id}-b` } } : o));
    const statuses: any = await es.client.bulk({ operations: again, filter_path: 'errors,items.*.status,items.*._id' });
    assert.deepEqual(statuses, { errors: false, items: [{ create: { _id: 'new1-b', status: 201 } }, { create: { _id: 'taken-b', status: 201 } }, { create: { _id: 'new2-b', status: 201 } }] });

    // No failed item: the emptied items array goes, and the answer is an empty object.
    const none: any = await es.client.bulk({ operations: [{ index: { _index: n('b'), _id: 'x' } }, { v: 4 }], filter_path: 'items.*.error' });
    assert.deepEqual(none, {});
  });

  it('keeps an empty object or array a path names whole, drops scalars and emptied containers under a partial match', async () => {
    // `a` unparsed (enabled: false), so its array may mix objects, numbers and arrays as _source keeps them.
    await es.client.indices.create({ index: n('e'), mappings: { properties: { a: { type: 'object', enabled: false } } } });
    await es.client.index({
      index: n('e'),
      id: '1',
      refresh: true,
      document: { a: [{ x: 1 }, { y: 2 }, 3, [], { x: null }], e: {}, l: [], s: 'text', 'd.t': 'dotted', d: { t: 'nested' } },
    });
    const src = async (filterPath: string): Promise<any> => (await es.client.search({ index: n('e'), filter_path: filterPath })) as any;

    assert.deepEqual(await src('hits.hits._source.e,hits.hits._source.l'), { hits: { hits: [{ _source: { e: {}, l: [] } }] } });
    // Under `a.x`: the element {y: 2}, the number and the empty array go; {x: null} stays (x named whole).
    assert.deepEqual(await src('hits.hits._source.a.x'), { hits: { hits: [{ _source: { a: [{ x: 1 }, { x: null }] } }] } });
    // A path through a scalar or an empty object keeps nothing of it.
    assert.deepEqual(await src('hits.hits._source.s.x,hits.hits._source.e.x'), {});
    // Excluding `a.y`: {y: 2} is emptied and goes; the number, the empty array and the untouched stay.
    assert.deepEqual(await src('hits.hits._source,-hits.hits._source.a.y,-hits.hits._source.d,-hits.hits._source.d\\.t'), {
      hits: { hits: [{ _source: { a: [{ x: 1 }, 3, [], { x: null }], e: {}, l: [], s: 'text' } }] },
    });
    // `\.` is a dot inside a name.
    assert.deepEqual(await src('hits.hits._source.d\\.t'), { hits: { hits: [{ _source: { 'd.t': 'dotted' } }] } });
    assert.deepEqual(await src('hits.hits._source.d.t'), { hits: { hits: [{ _source: { d: { t: 'nested' } } }] } });
    // A search with no hits keeps an array named whole, and drops one only partly named.
    assert.deepEqual(await es.client.search({ index: n('e'), query: { ids: { values: ['none'] } }, filter_path: 'hits.hits' }), { hits: { hits: [] } });
    assert.deepEqual(await es.client.search({ index: n('e'), query: { ids: { values: ['none'] } }, filter_path: 'hits.hits._id,timed_out' }), { timed_out: false });
  });

  it('filters answers that are not errors (a missing document) but never an error answer', async () => {
    await es.client.index({ index: n('g'), id: '1', document: { v: 1 }, refresh: true });
    const missing = await es.client.get({ index: n('g'), id: 'nope', filter_path: 'found' }, { ignore: [404] });
    assert.deepEqual(missing, { found: false });
    const [status, body] = await responseError(es.client.search({ index: n('no-such-index'), filter_path: 'took' }));
    assert.equal(status, 404);
    assert.equal(body.error.type, 'index_not_found_exception');
    assert.equal(body.status, 404);
  });

  it('keeps a point in time id and sort values as they are, longs above 2^53 included', async () => {
    await es.client.indices.create({ index: n('ns'), mappings: { properties: { date: { type: 'date_nanos' } } } });
    await es.client.index({ index: n('ns'), id: '1', document: { date: '2018-10-29T12:12:12.123456789Z' }, refresh: true });
    const text = await rawAnswer(es.client, 'POST', `/${n('ns')}/_search?filter_path=hits.hits.sort`, { sort: [{ date: 'asc' }] });
    assert.equal(text, '{"hits":{"hits":[{"sort":[1540815132123456789]}]}}');

    const pit = await es.client.openPointInTime({ index: n('ns'), keep_alive: '1m' });
    try {
      const page: any = await es.client.search({ pit: { id: pit.id, keep_alive: '1m' }, sort: [{ date: { order: 'asc', numeric_type: 'date' } }], filter_path: 'pit_id,hits.hits._id,hits.hits.sort' });
      assert.deepEqual(Object.keys(page).sort(), ['hits', 'pit_id']);
      assert.equal(typeof page.pit_id, 'string');
      assert.equal(page.hits.hits.length, 1);
      assert.deepEqual(Object.keys(page.hits.hits[0]).sort(), ['_id', 'sort']);
      assert.equal(page.hits.hits[0].sort[0], 1540815132123);
      assert.equal(page.hits.hits[0].sort.length, 2); // the implicit _shard_doc tiebreak
    } finally {
      await es.client.closePointInTime({ id: pit.id });
    }
  });
});
