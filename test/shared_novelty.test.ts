// The population view of "never seen before" (score/shared_novelty.ts): an app new to many users
// at once is a rollout, and adds no z-score evidence to user risk; a value new to one user does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_VALUES, novelTargets, SharedNovelty } from '../server/engine/score/shared_novelty';
import { withZscore } from '../server/engine/jobs/lane_docs';
import { USER_RISK_MODEL } from '../server/engine/score/risk_model';
import { EventRisk } from '../server/engine/score/user_risk';

const H = 3_600_000;
const rule = { features: ['app', 'resource'], users: 3, windowHours: 72 };
const copilot = [{ feature: 'app', value: 'Copilot' }];

test('a value becomes shared once enough other users started using it within the window', () => {
  const n = new SharedNovelty(rule);
  assert.equal(n.observe('a', 0, copilot), null);
  assert.equal(n.observe('b', 1 * H, copilot), null);
  assert.equal(n.observe('c', 2 * H, copilot), null);
  // The same user again does not count as another.
  assert.equal(n.observe('c', 3 * H, copilot), null, 'two others (a, b): not yet');
  assert.deepEqual(n.observe('d', 4 * H, copilot), copilot[0], 'three others (a, b, c): the rollout names the value');
  // A different value, or the same value of another feature, is another matter.
  assert.equal(n.observe('e', 5 * H, [{ feature: 'app', value: 'Teams' }]), null);
  assert.equal(n.observe('e', 5 * H, [{ feature: 'resource', value: 'Copilot' }]), null);
  // Adoptions older than the window count no more.
  assert.equal(n.observe('f', 2 * H + 73 * H, copilot), null, 'a, b and c started more than 72 h before');
});

test('values are untrusted strings: names of object properties are values like any other', () => {
  const n = new SharedNovelty({ ...rule, users: 1 });
  for (const value of ['constructor', '__proto__', 'hasOwnProperty']) {
    assert.equal(n.observe('a', 0, [{ feature: 'app', value }]), null);
    assert.notEqual(n.observe('b', 1, [{ feature: 'app', value }]), null, value);
  }
  assert.equal(n.observe('constructor', 2, [{ feature: 'app', value: 'x' }]), null);
  assert.notEqual(n.observe('__proto__', 3, [{ feature: 'app', value: 'x' }]), null);
});

test('memory is bounded: the value met first is forgotten past MAX_VALUES', () => {
  const n = new SharedNovelty({ ...rule, users: 1 });
  n.observe('a', 0, [{ feature: 'app', value: 'first' }]);
  for (let i = 0; i < MAX_VALUES; i++) n.observe('a', 1, [{ feature: 'app', value: `v${i}` }]);
  assert.equal(n.observe('b', 2, [{ feature: 'app', value: 'first' }]), null, 'forgotten');
  assert.notEqual(n.observe('b', 2, [{ feature: 'app', value: `v${MAX_VALUES - 1}` }]), null, 'kept');
  assert.ok(n.adoptions(2).length <= MAX_VALUES + 1);
});

test('adoptions carry over to the next run', () => {
  const first = new SharedNovelty(rule);
  for (const [i, u] of ['a', 'b', 'c'].entries()) first.observe(u, i * H, copilot);
  const next = new SharedNovelty(rule);
  next.restore(first.adoptions(10 * H));
  assert.notEqual(next.observe('d', 11 * H, copilot), null);
  assert.deepEqual(first.adoptions(74 * H).map((a) => a.user), ['c'], 'only those within the window before asOf');
  assert.deepEqual(first.adoptions(10 * H, 2).map((a) => a.user), ['c', 'b'], 'of each value, the newest kept');
  // Malformed entries (a document edited by hand) are skipped.
  next.restore([{ feature: 'app', value: 'x', user: 'z', time: Number.NaN }, { feature: 'app', value: 7 as unknown as string, user: 'z', time: 1 }]);
});

test("novelTargets reads the rule's features whose value the user never had (seen 0)", () => {
  const features = {
    app: { value: 'Copilot', seen: 0 },
    resource: { value: 'Copilot', seen: 4 },
    city: { value: 'Lisbon', seen: 0 },
  };
  assert.deepEqual(novelTargets(features, rule), [{ feature: 'app', value: 'Copilot' }]);
  assert.deepEqual(novelTargets(features, undefined), []);
  assert.deepEqual(novelTargets(undefined, rule), []);
  assert.deepEqual(novelTargets(Object.create(null), rule), []);
});

test('user risk: a rollout adds no z-score evidence, one user alone with a new app still does', () => {
  const risk = new EventRisk(10, 8, { ...USER_RISK_MODEL, floor: 5, sharedNovelty: rule });
  const newApp = (user: string, value = 'Copilot') => ({ user, zscore: 12, features: { app: { value, seen: 0 } } });
  const risks = ['a', 'b', 'c', 'd', 'e'].map((u, i) => risk.apply(newApp(u), i * H));
  assert.deepEqual(risks, [7, 7, 7, 0, 0], 'the first three carry their evidence; after them the rollout is shared');
  // The event says so (dfp.rollout), for the analyst: which value, how many others, how recently.
  const fourth = newApp('h');
  risk.apply(fourth, 5 * H);
  assert.deepEqual((fourth as { rollout?: unknown }).rollout, { feature: 'app', value: 'Copilot', users: 3, window_hours: 72 });
  const alone = newApp('f', 'Rare Tool');
  assert.equal(risk.apply(alone, 5 * H), 7, 'an app new to one user only');
  assert.equal((alone as { rollout?: unknown }).rollout, undefined);
  // Precomputed targets (the Elasticsearch lanes) read the same.
  assert.equal(risk.apply({ user: 'g', zscore: 12, novel_targets: copilot }, 6 * H), 0);
  // Without the rule, every new app is evidence.
  const plain = new EventRisk(10, 8, { ...USER_RISK_MODEL, floor: 5 });
  assert.deepEqual(['a', 'b', 'c', 'd'].map((u, i) => plain.apply(newApp(u), i * H)), [7, 7, 7, 7]);
});

test("a rollout's event is scored without its target: dfp.zscore from zShared, dfp.is_anomaly only ever falls", () => {
  const risk = new EventRisk(10, 8, { ...USER_RISK_MODEL, floor: 5, sharedNovelty: rule });
  const newApp = (user: string, flagged = true) => ({ user, zscore: 12, is_anomaly: flagged, threshold: 8, features: { app: { value: 'Copilot', seen: 0 } } });
  // The first three users are no rollout yet: their z-scores stand, whatever zShared says.
  const early = ['a', 'b', 'c'].map((u) => newApp(u));
  early.forEach((e, i) => risk.apply(e, i * H, undefined, 3.21));
  assert.deepEqual(early.map((e) => [e.zscore, e.is_anomaly]), [[12, true], [12, true], [12, true]]);
  // The fourth is: 4 decimals of zShared, and no longer flagged.
  const fourth = newApp('d');
  risk.apply(fourth, 4 * H, undefined, 3.212345);
  assert.deepEqual([fourth.zscore, fourth.is_anomaly], [3.2123, false]);
  // Still flagged where zShared is at or above the threshold; a suppressed event (not flagged) is never flagged again.
  const high = newApp('e');
  risk.apply(high, 5 * H, undefined, 9);
  assert.deepEqual([high.zscore, high.is_anomaly], [9, true]);
  const suppressed = newApp('f', false);
  risk.apply(suppressed, 6 * H, undefined, 9);
  assert.deepEqual([suppressed.zscore, suppressed.is_anomaly], [9, false]);
  // A model without a target group (NaN) keeps the event's z-score; the rollout is still said.
  const old = newApp('g');
  risk.apply(old, 7 * H, undefined, Number.NaN);
  assert.deepEqual([old.zscore, old.is_anomaly, (old as { rollout?: unknown }).rollout !== undefined], [12, true, true]);
});

test("a lane's serialised dfp gets the rollout's z-score and flag in place of its own, and nothing else changes (withZscore)", () => {
  const dfp = { user: 'x"zscore":1,"is_anomaly":true,"threshold":2 — Zoë 🌋', anomaly_score: 0.5, max_abs_z: 3, zscore: 12.3456, is_anomaly: true, threshold: 8, top_features: ['zscore'], features: { zscore: { z: 1 } } };
  const json = JSON.stringify(dfp);
  const bytes = Buffer.concat([Buffer.from('prefix'), Buffer.from(json.slice(0, -1)), Buffer.from('suffix')]);
  const row = { bytes: new Uint8Array(bytes), start: 6, end: 6 + Buffer.byteLength(json) - 1, zscore: 12.3456, threshold: 8 };
  withZscore(row, 3.5, false);
  assert.equal(Buffer.from(row.bytes.subarray(row.start, row.end)).toString() + '}', JSON.stringify({ ...dfp, zscore: 3.5, is_anomaly: false }));
  assert.equal(row.zscore, 3.5);
});
