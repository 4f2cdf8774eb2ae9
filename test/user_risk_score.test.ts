// User risk on the file scoring path (jobs/score.ts): every scored event carries dfp.user_risk and
// dfp.user_flagged, errors carry neither, each value is the decayed sum of the user's events seen
// so far in input order (recomputed here by hand), and the summary's users and counts agree.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem, RawEvent } from '../server/engine/types';
import type { DfpFields } from '../common/fields';
import { DEFAULTS } from '../common/fields';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents, type ScoreSummary } from '../server/engine/jobs/score';
import { closeScorePool } from '../server/engine/jobs/score_pool';
import type { UserRiskModel } from '../server/engine/score/risk_model';
import { inApp } from './azure_event_edits';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 23, users: 8, trainDays: 10, testDays: 3, compromisedUsers: 1 });
const H = 3_600_000;
// A low floor, so that most users have evidence and the sums have many terms.
const model: UserRiskModel = { floor: 1, halfLifeHours: 6, horizonHours: 24, tsWeight: 0.5, tsBinMinutes: 60 };
const TS_THRESHOLD = 3;
let store: FsModelStore;

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

before(async () => {
  await initBackend('wasm');
  store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-user-risk-')));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 }, minHistory: 40, minHistoryWarmStart: 20 });
});

async function score(input: InputItem[], extra: { workers?: number; chunkRows?: number; userRiskThreshold?: number } = {}): Promise<{ docs: Record<string, unknown>[]; summary: ScoreSummary }> {
  const docs: Record<string, unknown>[] = [];
  const summary = await scoreEvents(input, { profile, store, tsThreshold: TS_THRESHOLD, userRiskModel: model, userRiskThreshold: 5, ...extra }, async (doc) => void docs.push(doc));
  return { docs, summary };
}

/**
 * The risk each scored document should carry, by the definition: per user, the events written
 * before it (input order) and itself with time ≤ its time and within the horizon, each e·2^(−age/6 h),
 * e = max(0, z − floor) plus, for the first event of a flagged time-series bin, 0.5·(ts_z − threshold).
 */
function expectedRisks(docs: Record<string, unknown>[]): (number | undefined)[] {
  const seen = new Map<string, { t: number; e: number }[]>();
  const credited = new Map<string, Set<number>>();
  return docs.map((doc) => {
    const dfp = doc.dfp as DfpFields;
    if (dfp.error !== undefined || typeof dfp.zscore !== 'number') return undefined;
    const t = Date.parse(String(doc['@timestamp']));
    const user = dfp.user!;
    let e = Math.max(0, dfp.zscore - model.floor);
    const bin = Math.floor(t / H) * H;
    const bins = credited.get(user) ?? new Set<number>();
    credited.set(user, bins);
    if (dfp.ts_anomaly && dfp.ts_zscore! > TS_THRESHOLD && !bins.has(bin)) {
      e += model.tsWeight * (dfp.ts_zscore! - TS_THRESHOLD);
      bins.add(bin);
    }
    const list = seen.get(user) ?? [];
    seen.set(user, list);
    if (e > 0) list.push({ t, e });
    return list.filter((x) => x.t <= t && t - x.t <= 24 * H).reduce((s, x) => s + x.e * 2 ** (-(t - x.t) / (6 * H)), 0);
  });
}

function check(docs: Record<string, unknown>[], threshold: number): void {
  const want = expectedRisks(docs);
  let scored = 0;
  docs.forEach((doc, i) => {
    const dfp = doc.dfp as DfpFields;
    if (want[i] === undefined) {
      assert.ok(!('user_risk' in dfp) && !('user_flagged' in dfp), `document ${i} (${dfp.error ?? 'not scored'}) has no user risk`);
      return;
    }
    scored += 1;
    assert.equal(typeof dfp.user_risk, 'number', `document ${i} has dfp.user_risk`);
    assert.equal(dfp.user_risk, Math.round(dfp.user_risk! * 1e4) / 1e4, 'four decimals');
    assert.ok(Math.abs(dfp.user_risk! - want[i]!) <= 5e-5 + 1e-9 * want[i]!, `document ${i}: user_risk ${dfp.user_risk}, by hand ${want[i]}`);
    assert.equal(dfp.user_flagged, dfp.user_risk! >= threshold, `document ${i}: flagged at ${threshold}`);
  });
  assert.ok(scored > 100, 'most documents were scored');
}

test('every scored event carries its user risk as of its time; errors carry none', async () => {
  const bad: InputItem[] = [
    { kind: 'error', message: 'invalid JSON', source: { file: 'generated', line: 0 }, raw: '{"oops' },
    { kind: 'event', event: { '@timestamp': '2026-05-01T00:00:00Z', event: { id: 'nouser' } }, source: { file: 'generated', line: 0 } },
  ];
  const input = [...bad, ...items(ds.test)];
  const { docs, summary } = await score(input);
  assert.equal(docs.length, input.length, 'every input comes out');
  check(docs, 5);
  assert.ok(docs.some((d) => ((d.dfp as DfpFields).user_risk ?? 0) > 0), 'some events have risk');
  const risky = docs.filter((d) => (d.dfp as DfpFields).user_flagged === true);
  assert.ok(risky.length > 0, 'some users reach the threshold');

  // The summary: each user's highest risk, flagged users counted once.
  const highest = new Map<string, number>();
  for (const d of docs) {
    const dfp = d.dfp as DfpFields;
    if (typeof dfp.user_risk === 'number') highest.set(dfp.user!, Math.max(highest.get(dfp.user!) ?? 0, dfp.user_risk));
  }
  assert.equal(summary.userRiskThreshold, 5);
  assert.equal(summary.usersFlagged, [...highest.values()].filter((r) => r >= 5).length);
  assert.ok(summary.usersFlagged >= 1);
  for (const u of summary.users) {
    assert.equal(u.userRisk, highest.get(u.user), `${u.user}: highest risk`);
    assert.equal(u.userFlagged, highest.get(u.user)! >= 5);
  }
});

test('out of time order: each event counts the user\'s events at or before its time seen so far', async () => {
  const reversed = items([...ds.test].reverse());
  const { docs } = await score(reversed);
  check(docs, 5);
  // Newest first, an event sees no earlier event of its user: its risk is its own evidence.
  const forward = (await score(items(ds.test))).docs;
  const maxOf = (ds: Record<string, unknown>[]) => Math.max(...ds.map((d) => (d.dfp as DfpFields).user_risk ?? 0));
  assert.ok(maxOf(docs) < maxOf(forward), 'read newest first, evidence cannot pile up as it does in time order');
});

test('the same risks whatever the scoring workers and chunking', async () => {
  const here = await score(items(ds.test), { workers: 0 });
  const pooled = await score(items(ds.test), { workers: 2, chunkRows: 97 });
  await closeScorePool();
  const risks = (docs: Record<string, unknown>[]) => docs.map((d) => [(d.dfp as DfpFields).user_risk, (d.dfp as DfpFields).user_flagged]);
  assert.deepEqual(risks(pooled.docs), risks(here.docs));
});

test('the default threshold is DEFAULTS.userRiskThreshold, and a user-risk threshold changes only the flags', async () => {
  const docs: Record<string, unknown>[] = [];
  const summary = await scoreEvents(items(ds.test), { profile, store }, async (doc) => void docs.push(doc));
  assert.equal(summary.userRiskThreshold, DEFAULTS.userRiskThreshold);
  const high = await score(items(ds.test), { userRiskThreshold: 1e6 });
  assert.equal(high.summary.usersFlagged, 0);
  assert.ok(high.docs.every((d) => (d.dfp as DfpFields).user_flagged !== true));
  const low = await score(items(ds.test), { userRiskThreshold: 5 });
  assert.deepEqual(
    high.docs.map((d) => (d.dfp as DfpFields).user_risk),
    low.docs.map((d) => (d.dfp as DfpFields).user_risk),
  );
});

test("a rollout's events are scored without the app: their documents, the flagged count and the top events agree", async () => {
  // Every fifth sign-in to one new app: with 8 users, a rollout once 2 others started using it.
  const rollout: UserRiskModel = { ...model, sharedNovelty: { features: ['app', 'resource'], users: 2, windowHours: 72 } };
  const input = items(ds.test.map((e, i) => (i % 5 === 2 ? inApp(e, 'Contoso Rollout') : e)));
  const run = async (userRiskModel: UserRiskModel) => {
    const docs: Record<string, unknown>[] = [];
    const summary = await scoreEvents(input, { profile, store, tsThreshold: TS_THRESHOLD, userRiskModel, userRiskThreshold: 5, threshold: 2 }, async (doc) => void docs.push(doc));
    return { docs: docs.map((d) => d.dfp as DfpFields), summary };
  };
  const [withRule, without] = [await run(rollout), await run(model)];
  let lowered = 0;
  withRule.docs.forEach((dfp, i) => {
    const was = without.docs[i];
    if (dfp.rollout) lowered += dfp.zscore! < was.zscore! ? 1 : 0;
    else assert.deepEqual([dfp.zscore, dfp.is_anomaly], [was.zscore, was.is_anomaly], `document ${i}`);
  });
  assert.ok(lowered > 0, "some rollout's events score lower");
  assert.ok(withRule.docs.filter((d) => d.rollout && !d.is_anomaly).length > withRule.docs.filter((d) => d.rollout && d.is_anomaly).length, 'most are no longer flagged');
  for (const { docs, summary } of [withRule, without]) {
    assert.equal(summary.flagged, docs.filter((d) => d.is_anomaly === true).length, 'the summary counts what the documents flag');
    for (const top of summary.topEvents) assert.ok(Math.abs(top.zscore - docs[top.inputIndex].zscore!) < 1e-4, `top event ${top.inputIndex}: as its document`);
  }
  assert.ok(withRule.summary.flagged < without.summary.flagged);
});
