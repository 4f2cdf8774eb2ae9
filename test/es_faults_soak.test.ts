// A small run of the fault soak (scripts/es_fault_soak.ts): 600 events per write mode through the
// in-memory Elasticsearch while ~13% of requests fail (429s, 503s, slow answers, connections
// dropped before and after being applied, per-item 429s), production client settings, one scoring
// run per mode killed mid-way and the stream rolled over behind it. No run may fail, no event be
// lost or scored twice, and a full rescore must give every event the score it already had.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { runSoak } from '../scripts/es_fault_soak';

it('under a 13% fault rate no run fails and every event is scored exactly once, with a stable score', async () => {
  const r = await runSoak({ events: 600, faultRate: 0.13, seed: 1, modes: ['scores', 'in_place'], users: 10, slices: 3, killedLeaseTtlMs: 6000 });
  const faults = Object.values(r.faults).reduce((a, b) => a + b, 0);
  assert.ok(faults - r.faults['bulk item 429'] > 0.08 * r.requests, `faults were injected: ${JSON.stringify(r.faults)} in ${r.requests} requests`);
  for (const [kind, n] of Object.entries(r.faults)) assert.ok(n > 0, `some ${kind} faults: ${JSON.stringify(r.faults)}`);
  assert.deepEqual(r.training.failedRuns, []);
  for (const m of r.modes) {
    assert.equal(m.killed, 1, `${m.mode}: one run killed`);
    assert.ok(m.tiedEvents > 0, 'some events share their user\'s millisecond');
    assert.deepEqual(m.failedRuns, [], `${m.mode}: no run failed`);
    assert.deepEqual([m.lost, m.duplicated, m.rescoredDifferently], [0, 0, 0], `${m.mode}: none lost, none twice, none rescored differently`);
  }
});
