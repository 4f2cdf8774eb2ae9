// User risk arithmetic (server/engine/score/user_risk.ts): the decayed sum over a trailing window,
// checked against the formula written out by hand; events out of time order; the time-series
// evidence counted once per bin; untrusted user names; the fields on events.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_EVIDENCE, burstEvidence, riskEvidence, volumeZ } from '../server/engine/score/risk_evidence';
import { USER_RISK_MODEL, type UserRiskModel, userRiskModelFor } from '../server/engine/score/risk_model';
import { EventRisk, UserRiskTracker, riskLevel, riskNorm, roundRisk } from '../server/engine/score/user_risk';
import { cloudtrail } from '../server/engine/profiles/cloudtrail';
import { azureSignin } from '../server/engine/profiles/azure_signin';
import { DEFAULTS } from '../common/fields';

const H = 3_600_000;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const model: UserRiskModel = { floor: 5, halfLifeHours: 6, horizonHours: 24, tsWeight: 0.5, tsBinMinutes: 60 };

/** The formula, written out: Σ e_j · 2^(−(t − t_j)/halfLife) over t_j ≤ t, t − t_j ≤ horizon. */
function expected(events: { t: number; e: number }[], t: number, m = model): number {
  return events.filter((x) => x.t <= t && t - x.t <= m.horizonHours * H).reduce((s, x) => s + x.e * 2 ** (-(t - x.t) / (m.halfLifeHours * H)), 0);
}

describe('user risk: the decayed sum', () => {
  it('adds evidence and halves it every half-life', () => {
    const r = new UserRiskTracker(model);
    assert.equal(r.observe('alice', T0, 4), 4);
    // 6 h later the first event counts half: 2 + 3.
    assert.ok(Math.abs(r.observe('alice', T0 + 6 * H, 3) - 5) < 1e-12);
    // 12 h after the first: 4/4 + 3/2 = 2.5, with an event of no evidence.
    assert.ok(Math.abs(r.observe('alice', T0 + 12 * H, 0) - 2.5) < 1e-12);
    assert.ok(Math.abs(r.riskAt('alice', T0 + 18 * H) - (4 / 8 + 3 / 4)) < 1e-12);
  });

  it('forgets evidence past the horizon, exactly at its edge', () => {
    const r = new UserRiskTracker(model);
    r.observe('bob', T0, 8);
    // At exactly 24 h the event still counts (t − t_j ≤ horizon): 8 / 16.
    assert.ok(Math.abs(r.riskAt('bob', T0 + 24 * H) - 0.5) < 1e-12);
    // One millisecond later it is gone, and nothing left is exactly 0.
    assert.equal(r.riskAt('bob', T0 + 24 * H + 1), 0);
    assert.equal(r.observe('bob', T0 + 30 * H, 0), 0);
  });

  it('matches the formula over a long in-order stream (the running sum does not drift)', () => {
    const r = new UserRiskTracker(model);
    const events: { t: number; e: number }[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    let t = T0;
    for (let i = 0; i < 3000; i++) {
      t += Math.floor(rnd() * 2 * H);
      const e = rnd() < 0.3 ? rnd() * 10 : 0;
      events.push({ t, e });
      const got = r.observe('carol', t, e);
      const want = expected(events, t);
      assert.ok(Math.abs(got - want) < 1e-9 * Math.max(1, want), `event ${i}: ${got} vs ${want}`);
    }
  });

  it('counts, for an event out of time order, only the events at or before its time seen so far', () => {
    const r = new UserRiskTracker(model);
    r.observe('dave', T0 + 10 * H, 6);
    r.observe('dave', T0 + 20 * H, 2);
    // An event at T0 + 12 h arriving late: counts the one at 10 h (seen, earlier) and itself, not the one at 20 h.
    assert.ok(Math.abs(r.observe('dave', T0 + 12 * H, 1) - (6 * 2 ** (-2 / 6) + 1)) < 1e-12);
    // Later events count it too.
    const seen = [{ t: T0 + 10 * H, e: 6 }, { t: T0 + 20 * H, e: 2 }, { t: T0 + 12 * H, e: 1 }];
    assert.ok(Math.abs(r.observe('dave', T0 + 21 * H, 0) - expected(seen, T0 + 21 * H)) < 1e-12);
    // An event older than the horizon of the running sum, then one at its own time.
    r.observe('dave', T0 - 10 * H, 5);
    seen.push({ t: T0 - 10 * H, e: 5 });
    assert.ok(Math.abs(r.riskAt('dave', T0 + 21 * H) - expected(seen, T0 + 21 * H)) < 1e-12);
    assert.ok(Math.abs(r.riskAt('dave', T0 + 13 * H) - expected(seen, T0 + 13 * H)) < 1e-12);
  });

  it('gives the same risks whatever the order, once every event is seen', () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ t: T0 + ((i * 7919) % 200) * 0.37 * H, e: i % 3 === 0 ? (i % 11) + 0.5 : 0 }));
    const shuffled = new UserRiskTracker(model);
    for (const x of events) shuffled.observe('erin', x.t, x.e);
    for (const t of [T0, T0 + 20 * H, T0 + 50 * H, T0 + 73.9 * H, T0 + 100 * H]) {
      assert.ok(Math.abs(shuffled.riskAt('erin', t) - expected(events, t)) < 1e-9, `at ${(t - T0) / H} h`);
    }
  });

  it('keeps users apart, including ones named like Object.prototype members', () => {
    const r = new UserRiskTracker(model);
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(r.riskAt(name, T0), 0, `${name} starts at 0`);
      assert.equal(r.observe(name, T0, 3), 3);
    }
    assert.equal(r.observe('__proto__', T0, 2), 5);
    assert.equal(r.riskAt('constructor', T0), 3);
    assert.deepEqual([...r.users()].sort(), ['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('keeps no ledger for users without evidence', () => {
    const r = new UserRiskTracker(model);
    assert.equal(r.observe('quiet', T0, 0), 0);
    assert.deepEqual([...r.users()], []);
  });

  it('caps one event at MAX_EVIDENCE and ignores NaN', () => {
    const r = new UserRiskTracker(model);
    assert.equal(r.observe('x', T0, Number.POSITIVE_INFINITY), MAX_EVIDENCE);
    assert.equal(r.observe('x', T0, Number.NaN), MAX_EVIDENCE);
    assert.equal(r.riskAt('x', T0 + 25 * H), 0);
  });

  it('restores evidence of an earlier run, and lists what counts with its decayed contribution', () => {
    const first = new UserRiskTracker(model);
    first.observe('fay', T0, 4, { id: 'a', index: 'ix' });
    first.observe('fay', T0 + 3 * H, 2, { id: 'b', index: 'ix' });
    const state = first.contributions('fay', T0 + 4 * H);
    assert.deepEqual(state.map((s) => [s.id, s.index, s.evidence]), [['a', 'ix', 4], ['b', 'ix', 2]]);
    assert.ok(Math.abs(state[0].contribution - 4 * 2 ** (-4 / 6)) < 1e-12);
    const second = new UserRiskTracker(model);
    second.restore('fay', state);
    assert.ok(Math.abs(second.observe('fay', T0 + 5 * H, 1) - expected([{ t: T0, e: 4 }, { t: T0 + 3 * H, e: 2 }, { t: T0 + 5 * H, e: 1 }], T0 + 5 * H)) < 1e-12);
    // Past the horizon of the first event, only the others are listed.
    assert.deepEqual(second.contributions('fay', T0 + 26 * H).map((s) => s.evidence), [2, 1]);
  });
});

describe('user risk: an event\'s evidence', () => {
  it('is what dfp.zscore exceeds the floor by, and nothing for errors or missing scores', () => {
    assert.deepEqual(riskEvidence({ zscore: 8 }, T0, 8, model), { z: 3, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 4 }, T0, 8, model), { z: 0, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 9, error: 'x' }, T0, 8, model), { z: 0, ts: 0 });
    assert.deepEqual(riskEvidence({}, T0, 8, model), { z: 0, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: Number.NaN }, T0, 8, model), { z: 0, ts: 0 });
  });

  it('adds the time-series check once per user and bin', () => {
    const ev = riskEvidence({ zscore: 0, ts_anomaly: true, ts_zscore: 12 }, T0 + 10 * 60_000, 8, model);
    assert.deepEqual(ev, { z: 0, ts: 2, tsBin: T0 });
    assert.deepEqual(riskEvidence({ zscore: 0, ts_anomaly: false, ts_zscore: 12 }, T0, 8, model), { z: 0, ts: 0 });
    const r = new UserRiskTracker(model);
    assert.equal(r.observe('gus', T0 + 10 * 60_000, ev), 2);
    // Same bin: the burst's second event brings nothing more for it (only its own z evidence).
    const again = riskEvidence({ zscore: 6, ts_anomaly: true, ts_zscore: 12 }, T0 + 20 * 60_000, 8, model);
    assert.ok(Math.abs(r.observe('gus', T0 + 20 * 60_000, again) - (2 * 2 ** (-10 / 360) + 1)) < 1e-12);
    // The next bin counts again; another user's same bin is theirs.
    const next = riskEvidence({ zscore: 0, ts_anomaly: true, ts_zscore: 10 }, T0 + 70 * 60_000, 8, model);
    assert.equal(next.tsBin, T0 + H);
    assert.ok(r.observe('gus', T0 + 70 * 60_000, next) > 2.9);
    assert.equal(r.observe('hal', T0 + 10 * 60_000, ev), 2);
    // A restored state remembers the credited bin.
    const state = r.contributions('gus', T0 + 2 * H);
    assert.deepEqual(state.map((s) => s.tsBin), [T0, undefined, T0 + H]);
    const restored = new UserRiskTracker(model);
    restored.restore('gus', state);
    const before = restored.riskAt('gus', T0 + 80 * 60_000);
    assert.ok(Math.abs(restored.observe('gus', T0 + 80 * 60_000, riskEvidence({ zscore: 0, ts_anomaly: true, ts_zscore: 20 }, T0 + 80 * 60_000, 8, model)) - before) < 1e-12);
  });

  it("adds the profile's first-seen evidence for a value the user never had, not for an everyday or known one", () => {
    const first: UserRiskModel = { ...model, firstSeen: { feature: 'action_tactic', except: ['routine'], evidence: 8 } };
    const tactic = (value: unknown, seen?: number) => ({ action_tactic: { value, seen } });
    // Below the floor the z-score brings nothing, the first persistence call all of its 8.
    assert.deepEqual(riskEvidence({ zscore: 3, features: tactic('persistence', 0) }, T0, 8, first), { z: 8, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 7, features: tactic('persistence', 0) }, T0, 8, first), { z: 10, ts: 0 });
    // Seen before, everyday, unknown history, another feature, or a model without the rule: the z-score alone.
    assert.deepEqual(riskEvidence({ zscore: 7, features: tactic('persistence', 3) }, T0, 8, first), { z: 2, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 7, features: tactic('routine', 0) }, T0, 8, first), { z: 2, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 7, features: tactic('persistence') }, T0, 8, first), { z: 2, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 7, features: { action: { value: 'CreateAccessKey', seen: 0 } } }, T0, 8, first), { z: 2, ts: 0 });
    assert.deepEqual(riskEvidence({ zscore: 7, features: tactic('persistence', 0) }, T0, 8, model), { z: 2, ts: 0 });
    // A feature only inherited from Object.prototype is not the event's.
    assert.deepEqual(riskEvidence({ zscore: 7, features: Object.create({ action_tactic: { value: 'persistence', seen: 0 } }) }, T0, 8, first), { z: 2, ts: 0 });
    // Errors and suppressed events bring nothing, first seen or not.
    assert.deepEqual(riskEvidence({ zscore: 7, error: 'x', features: tactic('persistence', 0) }, T0, 8, first), { z: 0, ts: 0 });
  });

  it('applies a first-seen rule only where its event condition holds, and not to values with an excepted part', () => {
    const device: UserRiskModel = { ...model, firstSeen: { feature: 'device', exceptParts: ['managed=true'], when: { feature: 'outcome', value: 'success' }, evidence: 4 } };
    const signIn = (value: string | null, outcome: string, seen = 0) => ({ zscore: 5, features: { device: { value, seen }, outcome: { value: outcome } } });
    // No device details at all, or an unmanaged one, never seen, on a successful sign-in: 4 on top of the z-score's 0.
    assert.deepEqual(riskEvidence(signIn(null, 'success'), T0, 8, device), { z: 4, ts: 0 });
    assert.deepEqual(riskEvidence(signIn('trust=Azure AD registered, compliant=false, managed=false', 'success'), T0, 8, device), { z: 4, ts: 0 });
    // A failed attempt, a new managed device, or one seen before: nothing.
    assert.deepEqual(riskEvidence(signIn(null, 'failure'), T0, 8, device), { z: 0, ts: 0 });
    assert.deepEqual(riskEvidence(signIn('trust=Azure AD joined, compliant=true, managed=true', 'success'), T0, 8, device), { z: 0, ts: 0 });
    assert.deepEqual(riskEvidence(signIn(null, 'success', 2), T0, 8, device), { z: 0, ts: 0 });
    // The condition's feature missing from the event: the rule does not apply.
    assert.deepEqual(riskEvidence({ zscore: 5, features: { device: { value: null, seen: 0 } } }, T0, 8, device), { z: 0, ts: 0 });
  });

  it('takes the first-seen rule from the profile (CloudTrail: the first call of a sensitive tactic)', () => {
    assert.deepEqual(userRiskModelFor(cloudtrail).firstSeen, { feature: 'action_tactic', except: ['routine'], evidence: 8 });
    assert.equal(userRiskModelFor({ userRiskFloor: 4.5 }).firstSeen, undefined);
    assert.equal(userRiskModelFor(azureSignin).firstSeen?.feature, 'device');
    // Two first calls in an afternoon flag a principal at the default threshold; one alone does not.
    const risk = new EventRisk(DEFAULTS.userRiskThreshold, 8, userRiskModelFor(cloudtrail));
    const call = () => ({ user: 'svc-backup', zscore: 2, features: { action_tactic: { value: 'exfiltration', seen: 0 } } });
    risk.apply(call(), T0);
    assert.equal(risk.flaggedUsers(), 0);
    risk.apply(call(), T0 + 2 * H);
    assert.equal(risk.flaggedUsers(), 1);
  });
});

describe("user risk: a burst's evidence", () => {
  const burst: UserRiskModel = { ...model, floor: 6, burst: { volumeZ: 5, below: 2, weight: 0.4 } };
  const call = (zscore: number, familycount: number) => ({ zscore, features: { action: { z: 1, value: 'GetObject' }, hourcount: { z: 2 }, familycount: { z: familycount } } });

  it('adds weight · (min(z, floor) − (floor − below)) to an event whose volume is unusual, under the floor and over it', () => {
    // z 5 under the floor 6, volume z 9: 0.4 · (5 − 4) = 0.4, where the z-score alone brings nothing.
    assert.ok(Math.abs(riskEvidence(call(5, 9), T0, 8, burst).z - 0.4) < 1e-12);
    // z 7.5 over the floor: 1.5 from the z-score and the burst's most, 0.4 · 2.
    assert.ok(Math.abs(riskEvidence(call(7.5, 9), T0, 8, burst).z - 2.3) < 1e-12);
    // At or under floor − below: nothing.
    assert.equal(riskEvidence(call(4, 9), T0, 8, burst).z, 0);
  });

  it('gives nothing where the volume is ordinary, for a model without the rule, or on a rollout', () => {
    assert.equal(riskEvidence(call(5.5, 4.99), T0, 8, burst).z, 0);
    assert.equal(riskEvidence(call(5.5, 9), T0, 8, { ...burst, burst: undefined }).z, 0);
    assert.equal(riskEvidence(call(5.5, 9), T0, 8, burst, true).z, 0);
    // NaN or a volume z only inherited from Object.prototype is no evidence.
    assert.equal(burstEvidence(5.5, Number.NaN, burst), 0);
    assert.equal(volumeZ(Object.create({ familycount: { z: 9 } }) as Record<string, { z: number }>), 0);
  });

  it('reads the largest volume feature z, or the one a scoring worker worked out', () => {
    assert.equal(volumeZ(call(5, 9).features), 9);
    assert.equal(volumeZ({ logcount: { z: 6 }, hourcount: { z: 3 }, app: { z: 50 } }), 6);
    assert.equal(volumeZ(undefined), 0);
    // volume_z (lane_docs.ts) is read instead of the features: the ES path carries no features object.
    assert.ok(Math.abs(riskEvidence({ zscore: 5, volume_z: 9 }, T0, 8, burst).z - 0.4) < 1e-12);
    assert.equal(riskEvidence({ ...call(5, 9), volume_z: 1 }, T0, 8, burst).z, 0);
  });

  it('is in the default model, so a bulk read under the floor flags its principal within the hour', () => {
    const risk = new EventRisk(DEFAULTS.userRiskThreshold, 8, userRiskModelFor(cloudtrail));
    // 200 reads in an hour at z 5.5, each with its hour's volume at z 10: 200 · 0.4 · 1.5 = 120 before decay.
    for (let i = 0; i < 200; i++) risk.apply({ user: 'etl-role', ...call(5.5, 10) }, T0 + i * 18_000);
    assert.equal(risk.flaggedUsers(), 1);
    // The same reads at the principal's usual volume add nothing.
    const calm = new EventRisk(DEFAULTS.userRiskThreshold, 8, userRiskModelFor(cloudtrail));
    for (let i = 0; i < 200; i++) calm.apply({ user: 'etl-role', ...call(5.5, 1) }, T0 + i * 18_000);
    assert.equal(calm.flaggedUsers(), 0);
  });
});

describe('user risk: the event fields', () => {
  it('sets dfp.user_risk (4 decimals) and dfp.user_flagged on scored events, nothing on errors', () => {
    const risk = new EventRisk(5, 8, model);
    const a: Record<string, unknown> & { user: string; zscore: number } = { user: 'ivy', zscore: 7.123456 };
    assert.equal(risk.apply(a, T0), 2.1235);
    assert.equal(a.user_risk, 2.1235);
    assert.equal(a.user_flagged, false);
    const b = { user: 'ivy', zscore: 8 };
    risk.apply(b, T0 + 1);
    assert.equal((b as { user_flagged?: boolean }).user_flagged, true, '2.12 + 3 ≥ 5');
    const err = { user: 'ivy', zscore: 9, error: 'no model' } as Record<string, unknown> & { user: string };
    assert.equal(risk.apply(err, T0 + 2), undefined);
    assert.ok(!('user_risk' in err) && !('user_flagged' in err));
    const nobody = { user: null, zscore: 9 };
    assert.equal(risk.apply(nobody, T0), undefined);
    assert.deepEqual(risk.peaks.get('ivy'), { risk: 5.1235, time: T0 + 1, flagged: true });
    assert.equal(risk.flaggedUsers(), 1);
  });

  it('flags at the threshold exactly', () => {
    const risk = new EventRisk(3, 8, model);
    const d = { user: 'jo', zscore: 8 };
    risk.apply(d, T0);
    assert.equal((d as { user_flagged?: boolean }).user_flagged, true);
  });

  it('refuses a threshold that is not a positive number', () => {
    assert.throws(() => new EventRisk(0, 8), RangeError);
    assert.throws(() => new EventRisk(Number.NaN, 8), RangeError);
  });
});

describe('user risk: normalised score and level', () => {
  it('maps the threshold to 70 (High) and twice it to 91 (Critical), as Elastic levels them', () => {
    assert.equal(riskNorm(0, 10), 0);
    assert.ok(Math.abs(riskNorm(10, 10) - 70) < 1e-9);
    assert.ok(Math.abs(riskNorm(20, 10) - 91) < 1e-9);
    assert.equal(riskNorm(Number.POSITIVE_INFINITY, 10), 100);
    assert.deepEqual([0, 19.9, 20, 39.99, 40, 69.9, 70, 89.9, 90, 100].map(riskLevel), ['Unknown', 'Unknown', 'Low', 'Low', 'Moderate', 'Moderate', 'High', 'High', 'Critical', 'Critical']);
    assert.throws(() => riskNorm(1, 0), RangeError);
  });

  it('rounds to 4 decimals, never negative', () => {
    assert.equal(roundRisk(1.23456), 1.2346);
    assert.equal(Object.is(roundRisk(-1e-17), 0), true);
  });

  it('has its constants in one frozen block', () => {
    assert.ok(Object.isFrozen(USER_RISK_MODEL));
    assert.ok(USER_RISK_MODEL.halfLifeHours > 0 && USER_RISK_MODEL.horizonHours >= USER_RISK_MODEL.halfLifeHours);
  });
});
