// User risk's shared novelty across scheduled Elasticsearch runs (io/es/novelty_state.ts): a rollout
// spans many runs, so each run hands its adoptions on in the state index, and the next run knows
// who started using a new app before it. Without the hand-on the second run counts only its own
// adoptions, and the rollout's first events there weigh again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { esScoreBench } from './es_score_speed_setup';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { scoreEsSource } from '../server/engine/jobs/es_score';
import { stateDocId } from '../server/engine/io/es/state_index';
import { inApp } from './azure_event_edits';
import { readNoveltyState } from '../server/engine/io/es/novelty_state';

const base = resolveProfile('azure-signin');
// Six users, all starting on one new app: shared once 2 others did; every z-score is evidence (floor 0).
const profile = { ...base, userRiskFloor: 0, sharedNovelty: { features: ['app', 'resource'], users: 2, windowHours: 72 } };
const ds = generate({ profile: 'azure-signin', seed: 29, users: 6, trainDays: 20, testDays: 2, compromisedUsers: 0, start: '2026-04-01T00:00:00Z' });
const testStart = Date.parse('2026-04-21T00:00:00Z');
const testEnd = Date.parse('2026-04-23T00:00:00Z');
const testEvents = ds.test.map((e, i) => (i % 5 === 2 ? inApp(e, 'Contoso Rollout') : e));

const bench = esScoreBench({ name: 'novelty', profile, train: ds.train, test: testEvents, epochs: 2, to: testStart, catchBulk: true });

/** Scheduled runs (no range: each from the checkpoint) ending at each of `ends`; each event's user risk by document id, and the runs' warnings. */
async function scheduled(ends: number[], handOn = true): Promise<{ risk: Map<string, number>; rollouts: unknown[]; warnings: string[]; source: string }> {
  const { ns, options } = await bench.newRun('n', 'scores');
  const risk = new Map<string, number>();
  const rollouts: unknown[] = [];
  const warnings: string[] = [];
  for (const end of ends) {
    const { result, bodies } = await bench.catchBulk(() => scoreEsSource(bench.client, { ...options, runId: `run-${ns}-${end}`, now: end, pageSize: 50 }));
    warnings.push(...result.warnings);
    if (!handOn) await bench.client.delete({ index: bench.names.state, id: stateDocId('novelty', options.source.id), refresh: true });
    for (const [id, r] of userRisks(bodies, rollouts)) risk.set(id, r);
  }
  return { risk, rollouts, warnings, source: options.source.id };
}

describe('shared novelty through Elasticsearch', () => {
  it('scheduled runs hand the adoptions on to the next run', async () => {
    const split = await scheduled([testStart + 30 * 3_600_000, testEnd + 60_000]);
    assert.deepEqual(split.warnings, []);
    assert.equal(split.risk.size, testEvents.length, 'every event scored once');
    const state = await readNoveltyState(bench.client, bench.names.state, split.source);
    assert.ok(state.adoptions.some((a) => a.value === 'Contoso Rollout'), 'the rollout is handed on');
    assert.ok(state.adoptions.filter((a) => a.feature === 'app' && a.value === 'Contoso Rollout').length <= 3, 'the newest 3 adopters (users + 1) of each value only');
    // The events the rollout explains say so in the documents written (dfp.rollout), naming it.
    assert.ok(split.rollouts.length > 0, 'some events are explained by the rollout');
    // (inApp sets the app and its resource alike: the rollout names whichever the event explains.)
    for (const r of split.rollouts) assert.deepEqual({ ...(r as object), feature: 'either' }, { feature: 'either', value: 'Contoso Rollout', users: 2, window_hours: 72 });
    assert.ok(split.rollouts.every((r) => ['app', 'resource'].includes((r as { feature: string }).feature)));

    // Without the hand-on (the document deleted after each run) the second run does not know who started using the app in the first.
    const forgetful = await scheduled([testStart + 30 * 3_600_000, testEnd + 60_000], false);
    const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    assert.equal(forgetful.risk.size, testEvents.length);
    assert.ok(sum(forgetful.risk) > sum(split.risk), 'the rollout weighs again in the second run');
  });
});

/** dfp.user_risk of each scored event in `_bulk` bodies (action line, then the document); each dfp.rollout into `rollouts`. */
function userRisks(bodies: string[], rollouts: unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const body of bodies) {
    const lines = body.split('\n').filter((l) => l.length > 0);
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const action = JSON.parse(lines[i]) as Record<string, { _id?: string }>;
      const doc = JSON.parse(lines[i + 1]) as { dfp?: { user_risk?: number; rollout?: unknown } };
      if (doc.dfp?.rollout) rollouts.push(doc.dfp.rollout);
      const id = Object.values(action)[0]?._id;
      if (id !== undefined && typeof doc.dfp?.user_risk === 'number') out.set(id, doc.dfp.user_risk);
    }
  }
  return out;
}
