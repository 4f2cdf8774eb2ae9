// Reads under faults, with the client configured as in production (transport retries 3, which
// covers dropped connections and 502-504 but never 429): the point in time, search pages, the
// connection check and the state index's mapping update are retried; an expired point in time is
// named as such. And the order of events at the same time does not depend on how they were stored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { checkConnection, createEsClient } from '../server/engine/io/es/client';
import { readEsPages, type EsSourceOptions } from '../server/engine/io/es/source';
import { ensureStateIndex } from '../server/engine/io/es/state_index';

const es = useTestServer((url) => createEsClient({ url }));
const BASE = Date.parse('2026-03-01T00:00:00.000Z');
const at = (minute: number): string => new Date(BASE + minute * 60_000).toISOString();

/** Docs `d<i>` of `index`, at the given minutes, indexed in the order given. */
async function seed(index: string, docs: { id: string; minute: number }[]): Promise<void> {
  if (!(await es.client.indices.exists({ index }))) await es.client.indices.create({ index, mappings: { properties: { '@timestamp': { type: 'date' } } } });
  const operations = docs.flatMap((d) => [{ index: { _index: index, _id: d.id } }, { '@timestamp': at(d.minute), n: d.id }]);
  const res = await es.client.bulk({ operations, refresh: true });
  assert.equal(res.errors, false);
}

async function readAll(opts: EsSourceOptions): Promise<{ ids: string[]; counts: number[] }> {
  const ids: string[] = [];
  const counts: number[] = [];
  for await (const page of readEsPages(es.client, { retry: { baseDelayMs: 5, maxDelayMs: 20 }, ...opts })) {
    counts.push(page.count);
    for (const h of page.hits) ids.push(`${h.index}/${h.id}`);
  }
  return { ids, counts };
}

/** Search requests with their bodies (a request answered by a fault is logged unparsed). */
const searches = (): { status?: number; body: any }[] =>
  es.server.requests.filter((r) => r.path === '/_search').map((r) => ({ status: r.status, body: typeof r.body === 'string' ? JSON.parse(r.body) : r.body }));

describe('reads that meet 429s', () => {
  it('opening the point in time is retried', async () => {
    await seed('logs-a', [{ id: 'd1', minute: 1 }, { id: 'd2', minute: 2 }]);
    es.server.faults.inject({ method: 'POST', path: '/logs-a/_pit', status: 429, times: 2 });
    assert.deepEqual((await readAll({ index: 'logs-a' })).ids, ['logs-a/d1', 'logs-a/d2']);
  });

  it('a search page is asked again with the same point in time and search_after: every document once', async () => {
    await seed('logs-a', Array.from({ length: 10 }, (_, i) => ({ id: `d${i}`, minute: i })));
    es.server.requests.length = 0;
    es.server.faults.inject({ path: '/_search', when: (req) => req.raw.includes('search_after'), status: 429, times: 2 });
    const { ids, counts } = await readAll({ index: 'logs-a', pageSize: 4 });
    assert.deepEqual(ids, Array.from({ length: 10 }, (_, i) => `logs-a/d${i}`));
    assert.deepEqual(counts, [4, 4, 2]);
    const paged = searches().filter((r) => r.body.search_after);
    assert.deepEqual(paged.map((r) => r.status), [429, 429, 200, 200]);
    assert.deepEqual(paged[0].body.search_after, paged[2].body.search_after);
    assert.equal(paged[0].body.pit.id, paged[2].body.pit.id);
  });

  it('a point in time that expired between pages is named as the cause', async () => {
    await seed('logs-a', Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, minute: i })));
    const pages = readEsPages(es.client, { index: 'logs-a', pageSize: 3 });
    assert.equal((await pages.next()).done, false);
    es.server.store.pits.clear(); // its keep-alive ran out
    await assert.rejects(pages.next(), /Elasticsearch read of index "logs-a" failed \(search\): the point in time expired between two pages \(keep-alive 2m\)/);
  });

  it('the connection check waits out a busy cluster instead of calling it unreachable', async () => {
    es.server.faults.inject({ method: 'GET', path: '/', status: 429, times: 2 });
    const info = await checkConnection(es.client, es.server.url, { baseDelayMs: 5 });
    assert.equal(info.cluster, 'es-test-cluster');
  });

  it("the state index's mapping update is retried", async () => {
    await ensureStateIndex(es.client);
    es.server.faults.inject({ method: 'PUT', path: '/.dfp-state/_mapping', status: 429, times: 2 });
    await ensureStateIndex(es.client, undefined);
    assert.deepEqual(es.server.requests.filter((r) => r.path === '/.dfp-state/_mapping').map((r) => r.status), [429, 429, 200]);
  });
});

describe('events at the same time', () => {
  it('come in document order, whatever the indexing order, and a page never splits them', async () => {
    // Five docs at minute 1 over two indices, indexed in a shuffled order; pages of 2.
    await seed('logs-b', [{ id: 'x', minute: 1 }, { id: 'a', minute: 1 }, { id: 'z', minute: 0 }]);
    await seed('logs-a', [{ id: 'm', minute: 1 }, { id: 'c', minute: 2 }, { id: 'b', minute: 1 }]);
    const first = await readAll({ index: 'logs-*', pageSize: 2 });
    assert.deepEqual(first.ids, ['logs-b/z', 'logs-a/b', 'logs-a/m', 'logs-b/a', 'logs-b/x', 'logs-a/c']);
    assert.deepEqual(first.counts, [5, 1]); // the first page grows until minute 1 ends

    // An update re-stores a document (its _shard_doc changes, as in place scoring does): same order.
    for (const [index, id] of [['logs-b', 'a'], ['logs-a', 'b']]) await es.client.update({ index, id, doc: { dfp: { zscore: 1 } }, refresh: true });
    assert.deepEqual((await readAll({ index: 'logs-*', pageSize: 2 })).ids, first.ids);
  });
});
