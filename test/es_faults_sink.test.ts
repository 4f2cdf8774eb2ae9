// The scores stream's rollover gap: a run killed after writing copies that were never refreshed,
// then a rollover, then the next run rescoring the same events. Its ids lookup cannot see those
// copies, and a create through the stream would land in the new write index as a second copy.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { useTestServer } from './es_cluster';
import { createEsClient } from '../server/engine/io/es/client';
import { EsSink, scoresDocId, type ScoredHit } from '../server/engine/io/es/sink';
import type { DfpFields } from '../common/fields';

const es = useTestServer((url) => createEsClient({ url }));
const SCORES = 'logs-dfp.scores-default';
const RETRY = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };
const today = (): string => new Date().toISOString().slice(0, 10).replace(/-/g, '.');
const backing = (generation: number): string => `.ds-${SCORES}-${today()}-${String(generation).padStart(6, '0')}`;

const dfpOf = (z: number): DfpFields => ({ user: 'u', zscore: z, anomaly_score: z, max_abs_z: z, is_anomaly: false, threshold: 8, scored_at: '2026-03-02T00:00:00.000Z' });
const hits = (z: number): ScoredHit[] =>
  Array.from({ length: 5 }, (_, i) => ({ index: 'logs-auth', id: `d${i}`, time: new Date(Date.parse('2026-03-01T00:00:00Z') + i * 1000).toISOString(), event: { user: { name: 'u' } }, dfp: dfpOf(z) }));

/** One run's sink: set up, every hit written, flushed (no refresh: what a killed run leaves unsearchable). */
async function run(z: number): Promise<Awaited<ReturnType<EsSink['flush']>>> {
  const sink = new EsSink(es.client, { mode: 'scores', featureNames: [], retry: RETRY });
  await sink.setup();
  for (const h of hits(z)) await sink.write(h);
  return sink.flush();
}

async function copies(): Promise<{ index: string; id: string; version: number; z: number }[]> {
  await es.client.indices.refresh({ index: SCORES });
  const res = await es.client.search<{ dfp: DfpFields }>({ index: SCORES, size: 100, version: true });
  return res.hits.hits.map((h) => ({ index: h._index, id: h._id!, version: h._version!, z: h._source!.dfp.zscore! })).sort((a, b) => (a.id < b.id ? -1 : 1));
}

describe('scores written just before a rollover', () => {
  it('are found and overwritten in their backing index by the next run, not written again', async () => {
    assert.equal((await run(1)).written, 5);
    await es.client.indices.rollover({ alias: SCORES }); // before any refresh made the copies searchable
    const next = await run(2);
    assert.deepEqual([next.written, next.failed, next.warnings], [5, 0, []]);
    const found = await copies();
    assert.equal(found.length, 5, 'one copy per event');
    for (const c of found) assert.deepEqual([c.index, c.version, c.z], [backing(1), 2, 2]);
    assert.deepEqual(found.map((c) => c.id).sort(), hits(0).map((h) => scoresDocId(h.index, h.id)).sort());
  });

  it('without the privilege to refresh, the ids the search misses are read in real time from the older backing indices', async () => {
    assert.equal((await run(1)).written, 5);
    await es.client.indices.rollover({ alias: SCORES });
    es.server.faults.inject({ path: `/${SCORES}/_refresh`, status: 403, errorType: 'security_exception', reason: 'action [indices:admin/refresh] is unauthorized' });
    es.server.requests.length = 0;
    const next = await run(2);
    es.server.faults.clear();
    assert.deepEqual([next.written, next.failed, next.warnings], [5, 0, []]);
    const mgets = es.server.requests.filter((r) => r.path === '/_mget').map((r) => (r.body as { docs: { _index: string }[] }).docs.map((d) => d._index));
    assert.deepEqual(mgets, [Array(5).fill(backing(1))], 'the write index is left to the create conflict');
    const found = await copies();
    assert.equal(found.length, 5);
    for (const c of found) assert.deepEqual([c.index, c.z], [backing(1), 2]);
  });

  it('without the privilege to refresh nor to list backing indices, the run says what to grant', async () => {
    await run(1);
    es.server.faults.inject({ path: `/${SCORES}/_refresh`, status: 403, errorType: 'security_exception' });
    es.server.faults.inject({ method: 'GET', path: `/_data_stream/${SCORES}`, status: 403, errorType: 'security_exception' });
    const next = await run(2);
    assert.equal(next.written, 5);
    assert.equal(next.warnings.length, 1);
    assert.match(next.warnings[0], /cannot refresh logs-dfp\.scores-default nor list its backing indices .*grant maintenance or view_index_metadata/);
  });
});
