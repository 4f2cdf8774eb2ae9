// Conformance: document writes and reads, as Elasticsearch answers them. From the REST YAML tests
// index/ and create/ (ids, op_type), data_stream write tests ("only write ops with an op_type of
// create are allowed in data streams"), get/ and mget/ (_source filtering parameters),
// search/10_source_filtering.yml and search/90_search_after.yml ("_shard_doc sort"), and ES's
// RestIndexAction.AutoIdHandler (POST without an id defaults op_type to create),
// BulkRequestParser (an _id read as text) and FetchSourceContext.parseFromRestRequest.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useConformanceCluster } from './es_server/conformance';
import { ids, responseError, today } from './es_server/test_helpers';

const es = useConformanceCluster();
const n = es.name;

async function logsStream(): Promise<void> {
  await es.client.indices.putIndexTemplate({ name: n('logs-app'), index_patterns: [n('logs-app-*')], data_stream: {}, template: { mappings: { properties: { '@timestamp': { type: 'date' } } } } });
  await es.client.indices.createDataStream({ name: n('logs-app-default') });
}

describe('conformance: document writes and reads', () => {
  it('accepts an id-less POST to a data stream (op_type defaults to create), refusing only index semantics', async () => {
    await logsStream();
    const res = await es.client.index({ index: n('logs-app-default'), document: { '@timestamp': '2026-01-01T00:00:00Z', msg: 'hi' } });
    assert.equal(res.result, 'created');
    assert.equal(res._index, `.ds-${n('logs-app-default')}-${today()}-000001`);
    assert.match(res._id, /^[A-Za-z0-9_-]{20}$/);
    assert.equal((await es.client.get<{ msg: string }>({ index: res._index, id: res._id }))._source!.msg, 'hi');

    const [status, body] = await responseError(es.client.index({ index: n('logs-app-default'), op_type: 'index', document: { '@timestamp': '2026-01-01T00:00:00Z' } }));
    assert.equal(status, 400);
    assert.equal(body.error.reason, 'only write ops with an op_type of create are allowed in data streams');
    // In a bulk, an index action without an id keeps index semantics and is refused per item.
    const bulk = await es.client.bulk({ operations: [{ index: { _index: n('logs-app-default') } }, { '@timestamp': '2026-01-01T00:00:00Z' }, { create: { _index: n('logs-app-default') } }, { '@timestamp': '2026-01-01T00:00:00Z' }] });
    assert.equal(bulk.items[0].index!.status, 400);
    assert.equal(bulk.items[0].index!.error!.reason, 'only write ops with an op_type of create are allowed in data streams');
    assert.equal(bulk.items[1].create!.status, 201);
  });

  it('reads a numeric _id in a bulk action as text', async () => {
    const res = await es.client.bulk({ refresh: true, operations: [{ index: { _index: n('n'), _id: 5 as unknown as string } }, { a: 1 }, { delete: { _index: n('n'), _id: 6 as unknown as string } }] });
    assert.equal(res.items[0].index!._id, '5');
    assert.equal(res.items[1].delete!._id, '6');
    assert.equal((await es.client.get({ index: n('n'), id: '5' }))._id, '5');
    assert.deepEqual(ids(await es.client.search({ index: n('n'), query: { ids: { values: ['5'] } } })), ['5']);
    assert.deepEqual((await es.client.mget({ index: n('n'), ids: [5 as unknown as string] })).docs.map((d) => d._id), ['5']);
  });

  it('honours _source, _source_includes and _source_excludes on search, get and mget', async () => {
    const doc = { user: { name: 'alice', id: 7 }, host: 'web', tags: ['a', 'b'] };
    await es.client.index({ index: n('src'), id: '1', document: doc, refresh: true });
    const searched = async (params: Record<string, unknown>) => (await es.client.search({ index: n('src'), ...params })).hits.hits[0]._source;
    assert.deepEqual(await searched({ _source_includes: ['user.*'] }), { user: { name: 'alice', id: 7 } });
    assert.deepEqual(await searched({ _source_excludes: ['user'] }), { host: 'web', tags: ['a', 'b'] });
    assert.deepEqual(await searched({ _source_includes: ['user'], _source_excludes: ['user.id'] }), { user: { name: 'alice' } });
    assert.equal(await searched({ _source: false }), undefined);
    assert.deepEqual(await searched({ _source: ['host', 'tags'] }), { host: 'web', tags: ['a', 'b'] });
    // Query parameters win over the body's _source.
    const viaQuery = await es.client.transport.request({ method: 'POST', path: `/${n('src')}/_search`, querystring: { _source_includes: 'host' }, body: { _source: ['user'] } });
    assert.deepEqual((viaQuery as any).hits.hits[0]._source, { host: 'web' });

    assert.deepEqual((await es.client.get({ index: n('src'), id: '1', _source_includes: ['user.name', 'host'] }))._source, { user: { name: 'alice' }, host: 'web' });
    assert.deepEqual((await es.client.get({ index: n('src'), id: '1', _source_excludes: ['user', 'tags'] }))._source, { host: 'web' });
    assert.equal((await es.client.get({ index: n('src'), id: '1', _source: false }))._source, undefined);
    assert.deepEqual((await es.client.get({ index: n('src'), id: '1', _source_includes: ['nothing'] }))._source, {});

    const mget = await es.client.mget({ index: n('src'), _source_includes: ['host'], docs: [{ _id: '1' }, { _id: '1', _source: ['tags'] }, { _id: '1', _source: false }] });
    assert.deepEqual(mget.docs.map((d) => ('_source' in d ? d._source : 'none')), [{ host: 'web' }, { tags: ['a', 'b'] }, 'none']);
  });

  it('refuses _shard_doc without a point in time, and from with search_after', async () => {
    await es.client.index({ index: n('p'), id: '1', document: { n: 1 }, refresh: true });
    const [status, body] = await responseError(es.client.search({ index: n('p'), sort: ['_shard_doc'], search_after: [0] }));
    assert.equal(status, 400);
    assert.match(body.error.root_cause[0].reason, /\[_shard_doc\] sort field cannot be used without \[point in time\]/);
    const [s2, b2] = await responseError(es.client.search({ index: n('p'), from: 1, sort: [{ n: 'asc' }], search_after: [0] }));
    assert.equal(s2, 400);
    assert.equal(b2.error.reason, 'Validation Failed: 1: `from` parameter must be set to 0 when `search_after` is used.;');
    const [s3, b3] = await responseError(es.client.search({ index: n('p'), sort: [{ n: 'asc' }], search_after: [0, 1] }));
    assert.equal(s3, 400);
    assert.equal(b3.error.root_cause[0].reason, 'search_after has 2 value(s) but sort has 1.');
  });

  it('pages search_after across sort keys, multi-valued fields by min ascending and max descending', async () => {
    // 90_search_after "search with search_after parameter"
    await es.client.indices.create({ index: n('test') });
    for (const [id, age] of [['1', 18], ['42', 18], ['172', 24]] as const) await es.client.index({ index: n('test'), id, document: { id: Number(id), foo: 'bar', age } });
    await es.client.indices.refresh({ index: n('test') });
    const page = async (after?: number[]) => (await es.client.search({ index: n('test'), size: 1, sort: [{ age: 'desc' }, { id: 'desc' }], search_after: after })).hits.hits;
    let hits = await page();
    assert.deepEqual([hits[0]._id, hits[0].sort], ['172', [24, 172]]);
    hits = await page([24, 172]);
    assert.deepEqual([hits[0]._id, hits[0].sort], ['42', [18, 42]]);
    hits = await page([18, 42]);
    assert.deepEqual([hits[0]._id, hits[0].sort], ['1', [18, 1]]);
    assert.deepEqual(await page([18, 1]), []);

    await es.client.index({ index: n('multi'), id: 'a', document: { v: [5, 1] }, refresh: true });
    await es.client.index({ index: n('multi'), id: 'b', document: { v: 3 }, refresh: true });
    const asc = await es.client.search({ index: n('multi'), sort: [{ v: 'asc' }] });
    assert.deepEqual(asc.hits.hits.map((h) => [h._id, h.sort]), [['a', [1]], ['b', [3]]]);
    const desc = await es.client.search({ index: n('multi'), sort: [{ v: 'desc' }] });
    assert.deepEqual(desc.hits.hits.map((h) => [h._id, h.sort]), [['a', [5]], ['b', [3]]]);
    const sum = await es.client.search({ index: n('multi'), sort: [{ v: { order: 'desc', mode: 'sum' } }] });
    assert.deepEqual(sum.hits.hits.map((h) => h.sort), [[6], [3]]);
  });
});
