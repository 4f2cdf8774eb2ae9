// The in-memory ES 8 test server, exercised only through the official client over real HTTP:
// bulk failures, conflicts, injected faults, blocks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, errors } from '@elastic/elasticsearch';
import { useTestServer } from './es_cluster';
import { plainClient, responseError } from './es_server/test_helpers';

const es = useTestServer(plainClient);

describe('es test server: bulk failures, conflicts, injected faults, blocks', () => {
  it("works with the client's bulk helper, which retries 429 items", async () => {
    es.server.faults.bulkItemFailures({ every: 3, status: 429, times: 2 });
    const stats = await es.client.helpers.bulk({
      datasource: [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })),
      onDocument: (doc) => ({ index: { _index: 'helper', _id: `h${doc.n}` } }),
      refresh: 'wait_for',
      retries: 3,
      wait: 5,
    });
    // The helper counts retried NDJSON lines (action + source), so 2 retried docs → retry 4.
    assert.deepEqual([stats.total, stats.successful, stats.failed, stats.retry], [7, 7, 0, 4]);
    const bulks = es.server.requests.filter((r) => r.path === '/_bulk');
    assert.deepEqual(bulks.map((r) => (r.body as string).trim().split('\n').length), [14, 4]);
    const r = await es.client.search({ index: 'helper', seq_no_primary_term: true, sort: [{ n: 'asc' }], size: 1 });
    assert.deepEqual(r.hits.hits[0], { _index: 'helper', _id: 'h1', _seq_no: 0, _primary_term: 1, _score: null, _source: { n: 1 }, sort: [1] });
    assert.equal((await es.client.count({ index: 'helper' })).count, 7);
    const [st, body] = await responseError(es.client.search({ index: 'helper', highlight: { fields: { n: {} } } }));
    assert.deepEqual([st, body.error.type], [400, 'illegal_argument_exception']);
  });

  it('reports partial bulk failures per item', async () => {
    es.server.faults.bulkItemFailures({ every: 3, status: 429 });
    const ops = [1, 2, 3, 4, 5, 6].flatMap((n) => [{ index: { _index: 'events', _id: `e${n}` } }, { n }]);
    const r = await es.client.bulk({ operations: ops });
    assert.equal(r.errors, true);
    assert.deepEqual(r.items.map((i) => i.index!.status), [201, 201, 429, 201, 201, 429]);
    assert.equal(r.items[2].index!.error!.type, 'es_rejected_execution_exception');
    assert.equal(r.items[2].index!._id, 'e3');
    es.server.faults.clear();
    const again = await es.client.bulk({
      refresh: 'wait_for',
      operations: [{ create: { _index: 'events', _id: 'e1' } }, { n: 1 }, { delete: { _index: 'events', _id: 'e2' } }, { update: { _index: 'events', _id: 'e9' } }, { doc: { n: 9 } }],
    });
    assert.equal(again.errors, true);
    assert.deepEqual(again.items.map((i) => Object.values(i)[0].status), [409, 200, 404]);
    assert.equal(again.items[0].create!.error!.reason, '[e1]: version conflict, document already exists (current version [1])');
    assert.equal(again.items[2].update!.error!.type, 'document_missing_exception');
    assert.equal((await es.client.count({ index: 'events' })).count, 3);
  });

  it('rejects a conditional write with a stale seq_no with 409', async () => {
    const first = await es.client.index({ index: 'leases', id: 'train', document: { owner: 'kbn-1' } });
    assert.deepEqual([first.result, first._seq_no, first._primary_term, first._version], ['created', 0, 1, 1]);
    const second = await es.client.index({ index: 'leases', id: 'train', document: { owner: 'kbn-2' }, if_seq_no: 0, if_primary_term: 1 });
    assert.deepEqual([second.result, second._seq_no, second._version], ['updated', 1, 2]);
    const [st, body] = await responseError(es.client.index({ index: 'leases', id: 'train', document: { owner: 'kbn-3' }, if_seq_no: 0, if_primary_term: 1 }));
    assert.equal(st, 409);
    assert.equal(body.error.type, 'version_conflict_engine_exception');
    assert.equal(body.error.reason, '[train]: version conflict, required seqNo [0], primary term [1]. current document has seqNo [1] and primary term [1]');
    assert.equal(body.error.shard, '0');
    assert.equal(body.error.index, 'leases');
    const [st2] = await responseError(es.client.update({ index: 'leases', id: 'train', doc: { owner: 'kbn-3' }, if_seq_no: 0, if_primary_term: 1 }));
    assert.equal(st2, 409);
    const [st3, body3] = await responseError(es.client.create({ index: 'leases', id: 'train', document: { owner: 'x' } }));
    assert.equal(st3, 409);
    assert.equal(body3.error.reason, '[train]: version conflict, document already exists (current version [2])');
    const up = await es.client.update({ index: 'leases', id: 'score', doc: { owner: 'kbn-1' }, doc_as_upsert: true });
    assert.deepEqual([up.result, up._seq_no], ['created', 2]);
    const noop = await es.client.update({ index: 'leases', id: 'score', doc: { owner: 'kbn-1' } });
    assert.deepEqual([noop.result, noop._seq_no], ['noop', 2]);
    assert.equal((await es.client.get({ index: 'leases', id: 'train' }))._source!['owner' as never], 'kbn-2');
  });

  it('injects 429 twice then succeeds, and lets the client retry 503s', async () => {
    es.server.faults.inject({ path: /\/_bulk$/, status: 429, times: 2 });
    const ops = [{ index: { _index: 'retry', _id: '1' } }, { a: 1 }];
    for (let i = 0; i < 2; i++) {
      const [st, body] = await responseError(es.client.bulk({ operations: ops }));
      assert.equal(st, 429);
      assert.equal(body.error.type, 'es_rejected_execution_exception');
      assert.equal(body.status, 429);
    }
    assert.equal((await es.client.bulk({ operations: ops })).errors, false);
    es.server.requests.length = 0;
    es.server.faults.inject({ path: '/_bulk', status: 503, times: 2 });
    assert.equal((await es.client.bulk({ operations: ops })).items[0].index!.result, 'updated');
    assert.deepEqual(es.server.requests.map((r) => [r.path, r.status]), [['/_bulk', 503], ['/_bulk', 503], ['/_bulk', 200]]);
  });

  it('surfaces a socket destroyed mid-bulk as a connection error', async () => {
    const noRetry = new Client({ node: es.server.url, maxRetries: 0 });
    try {
      es.server.faults.inject({ path: '/_bulk', destroySocket: 'mid-response', times: 1 });
      await assert.rejects(noRetry.bulk({ operations: [{ index: { _index: 'cut', _id: '1' } }, { a: 1 }] }), (e: unknown) => e instanceof errors.ConnectionError);
      // The write was applied before the socket died: the client cannot know, and retries must be idempotent.
      assert.equal((await es.client.get({ index: 'cut', id: '1' })).found, true);
      es.server.faults.inject({ path: '/cut/_count', delayMs: 300, times: 1 });
      await assert.rejects(noRetry.count({ index: 'cut' }, { requestTimeout: 50 }), (e: unknown) => e instanceof errors.TimeoutError);
    } finally {
      await noRetry.close();
    }
  });

  it('answers 403 on write-blocked and read-only indices', async () => {
    await es.client.indices.create({ index: 'blocked' });
    await es.client.indices.putSettings({ index: 'blocked', settings: { index: { blocks: { write: true } } } });
    const [st, body] = await responseError(es.client.index({ index: 'blocked', id: '1', document: { a: 1 } }));
    assert.equal(st, 403);
    assert.deepEqual(body, {
      error: {
        root_cause: [{ type: 'cluster_block_exception', reason: 'index [blocked] blocked by: [FORBIDDEN/8/index write (api)];' }],
        type: 'cluster_block_exception',
        reason: 'index [blocked] blocked by: [FORBIDDEN/8/index write (api)];',
      },
      status: 403,
    });
    const bulk = await es.client.bulk({ operations: [{ index: { _index: 'blocked', _id: '1' } }, { a: 1 }] });
    assert.deepEqual([bulk.errors, bulk.items[0].index!.status, bulk.items[0].index!.error!.type], [true, 403, 'cluster_block_exception']);
    await es.client.indices.putSettings({ index: 'blocked', settings: { 'index.blocks.write': null } });
    assert.equal((await es.client.index({ index: 'blocked', id: '1', document: { a: 1 } })).result, 'created');
    es.server.faults.readOnly('blocked');
    const [st2, body2] = await responseError(es.client.delete({ index: 'blocked', id: '1' }));
    assert.equal(st2, 403);
    assert.equal(body2.error.reason, 'index [blocked] blocked by: [FORBIDDEN/5/index read-only (api)];');
  });

  it('refuses mapping updates on read-only indices but not on write-blocked ones', async () => {
    await es.client.indices.create({ index: 'ro' });
    await es.client.indices.putSettings({ index: 'ro', settings: { 'index.blocks.write': true } });
    assert.deepEqual(await es.client.indices.putMapping({ index: 'ro', properties: { a: { type: 'keyword' } } }), { acknowledged: true });
    es.server.faults.readOnly('ro');
    const [st, body] = await responseError(es.client.indices.putMapping({ index: 'ro', properties: { b: { type: 'keyword' } } }));
    assert.equal(st, 403);
    assert.deepEqual(body.error.root_cause, [{ type: 'cluster_block_exception', reason: 'index [ro] blocked by: [FORBIDDEN/5/index read-only (api)];' }]);
    assert.deepEqual(Object.keys((await es.client.indices.getMapping({ index: 'ro' })).ro.mappings.properties!), ['a']);
  });
});
