// Issue 16: the source read against what Elasticsearch really answers. A shard that fails leaves
// its hits out of a 200 answer (a short page would read as the end: events skipped for good), and
// a `date_nanos` time field sorts by epoch-nanosecond longs that lose digits as JSON numbers.
// Over real HTTP with the production client settings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { createEsClient } from '../server/engine/io/es/client';
import { readEsPages } from '../server/engine/io/es/source';

const es = useTestServer((url) => createEsClient({ url }));
const FAST_RETRY = { retries: 4, baseDelayMs: 1, maxDelayMs: 5 };
const T0 = Date.UTC(2026, 2, 1, 8);
/** A shard moving between nodes (its point-in-time context survives; a lost context is es_faults_reads'). */
const RELOCATING = { status: 503, type: 'no_shard_available_action_exception' };

async function readAll(index: string, pageSize = 7): Promise<{ id: string; time: unknown; at: string }[]> {
  const out: { id: string; time: unknown; at: string }[] = [];
  for await (const page of readEsPages(es.client, { index, pageSize, retry: FAST_RETRY })) {
    for (const h of page.hits) out.push({ id: String(h.event.n), time: h.time, at: String(h.event['@timestamp']) });
  }
  return out;
}

describe('a shard that fails during the read', () => {
  const index = 'logs-shards-test';
  const setup = async (): Promise<void> => {
    await es.client.indices.create({ index, settings: { number_of_shards: 3 }, mappings: { properties: { '@timestamp': { type: 'date' }, n: { type: 'keyword' } } } });
    const docs = Array.from({ length: 40 }, (_, i) => ({ '@timestamp': new Date(T0 + i * 60_000).toISOString(), n: String(i) }));
    await es.client.bulk({ operations: docs.flatMap((d, i) => [{ create: { _index: index, _id: `doc-${i}` } }, d]), refresh: true });
  };

  it('once: the page is asked again and every event is read once, in time order', async () => {
    await setup();
    es.server.faults.shardFailure({ index, shard: 1, times: 2, ...RELOCATING });
    const read = await readAll(index);
    assert.deepEqual(read.map((r) => r.id), Array.from({ length: 40 }, (_, i) => String(i)));
  });

  it('for good: the read fails with the reason instead of ending early', async () => {
    await setup();
    es.server.faults.shardFailure({ index, shard: 1, ...RELOCATING });
    await assert.rejects(readAll(index), /shard/i);
  });
});

describe('a date_nanos time field', () => {
  it('reads every event once, in order, with epoch-millisecond times, across pages and same-millisecond ties', async () => {
    const index = 'logs-nanos-test';
    await es.client.indices.create({ index, mappings: { properties: { '@timestamp': { type: 'date_nanos' }, n: { type: 'keyword' } } } });
    // Three events in each millisecond, nanoseconds apart: epoch nanoseconds are > 2^53.
    const ms = new Date(T0).toISOString().slice(0, 19);
    const docs = Array.from({ length: 30 }, (_, i) => ({ '@timestamp': `${ms}.${String(Math.floor(i / 3)).padStart(3, '0')}${String(100 + (i % 3)).padStart(6, '0')}Z`, n: String(i) }));
    await es.client.bulk({ operations: docs.flatMap((d, i) => [{ create: { _index: index, _id: `d${String(i).padStart(2, '0')}` } }, d]), refresh: true });
    const read = await readAll(index, 4);
    assert.deepEqual(read.map((r) => r.id).sort((a, b) => Number(a) - Number(b)), docs.map((d) => d.n), 'every event exactly once');
    for (const r of read) {
      assert.equal(typeof r.time, 'number');
      assert.ok(Number.isSafeInteger(r.time), `time ${String(r.time)} is a safe integer`);
      assert.equal(new Date(r.time as number).toISOString().slice(0, 23), r.at.slice(0, 23), 'the millisecond of the event');
    }
    const times = read.map((r) => r.time as number);
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in time order');
  });
});
