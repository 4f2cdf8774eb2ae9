/**
 * User risk: analysts rank users, not events. A user's risk at time t adds up the evidence of the
 * user's scored events over a trailing window, each decayed by its age:
 *
 *   risk(t) = Σ_j e_j · 2^(−(t − t_j) / halfLife)   over the user's events j with t_j ≤ t and t − t_j ≤ horizon
 *
 * where an event's evidence is what its `dfp.zscore` exceeds a floor by (failed and discounted
 * events are already weighted inside the z-score), plus, where the time-series check flagged its
 * bin (`dfp.ts_anomaly`), a share of what `dfp.ts_zscore` exceeds the time-series threshold by.
 * Several unusual events in a few hours add up; one ordinary-looking outlier does not.
 *
 * Pure (no Kibana, no I/O). Users are untrusted strings: kept in a Map, never object keys. Only
 * contributing events (evidence > 0) are kept, so a user's list stays small. Input need not be
 * sorted by time: an event's risk counts the user's events with time ≤ its time seen so far.
 * Events seen in time order (the common case, and Elasticsearch's pages) cost O(1) each.
 */

import type { Rollout } from '../../../common/fields';
import { VOLUME_FEATURES } from '../features/derived';
import { round } from '../jobs/dfp_fields';
import type { FirstSeenEvidence } from '../profiles/types';
import { novelTargets, SharedNovelty, type NovelTarget, type SharedNoveltyRule } from './shared_novelty';

/** The model's constants, in one place: tuned on the demo generator only (see NOTES.md, issue 15). */
export interface UserRiskModel {
  /** dfp.zscore above which an event is evidence (e = zscore − floor). */
  floor: number;
  /** Evidence halves every this many hours. */
  halfLifeHours: number;
  /** Evidence older than this many hours counts no more. */
  horizonHours: number;
  /**
   * Weight of the time-series check: the first event of a user's flagged bin adds
   * tsWeight · (ts_zscore − tsThreshold); the bin's other events add nothing more for it (a burst
   * is one piece of volume evidence, not one per event).
   */
  tsWeight: number;
  /** The time-series bins (minutes, epoch-aligned) within which that evidence counts once. */
  tsBinMinutes: number;
  /**
   * Bursts: an event whose volume is unusual (a volume feature's z ≥ volumeZ) adds
   * weight · (min(zscore, floor) − (floor − below)) beside what its z-score exceeds the floor by, so
   * hundreds of calls in an hour, each only somewhat unusual, add up where one such call does not.
   * Absent: no burst evidence.
   */
  burst?: BurstRule;
  /** Values of a feature the user never had that are evidence on their own (Profile.firstSeen). */
  firstSeen?: FirstSeenEvidence;
  /** Targets new to many users at once add no z-score evidence (Profile.sharedNovelty; score/shared_novelty.ts). */
  sharedNovelty?: SharedNoveltyRule;
}

/** UserRiskModel.burst. */
export interface BurstRule {
  volumeZ: number;
  below: number;
  weight: number;
}

/**
 * Chosen with scripts/tune_user_risk.ts on the demo generator's output (seed 42 × 120 users and
 * seed 7 × 300 users, both profiles; never datasets/heldout), with DEFAULTS.userRiskThreshold 10:
 * the only floor and threshold there that flag ≥ 80 % of compromised and ≤ 5 % of innocent users on
 * all four sets (NOTES.md, issue 15). A floor of 6 misses azure's quieter compromises; 4.5 flags
 * CloudTrail's noisy roles. The time-series weight changes little there; half-lives of 3–12 h
 * rank alike. Retune when dfp.zscore changes.
 */
export const USER_RISK_MODEL: Readonly<UserRiskModel> = Object.freeze({
  floor: 5,
  halfLifeHours: 6,
  horizonHours: 24,
  tsWeight: 0.25,
  tsBinMinutes: 60,
  // Session 13, by replaying user risk from scored events: bulk reads with a principal's own tool,
  // address and hours score z 4–7.5 an event, under CloudTrail's floor 6, while their volume
  // features read z 5–11. Held-out development set 1's CloudTrail principals flagged 15 → 17 of
  // 20; no other set moved (sets 1–2 Entra ID, the demo's seeds 42 and 7: same users flagged).
  // Gating on volume matters: the same sub-floor evidence without it flagged the demo's innocent
  // deploy roles seen from a new network (seed 42: 4 → 12 of 164). Any volumeZ of 4–6, below 2–3
  // and weight 0.2–0.6 read the same there.
  burst: Object.freeze({ volumeZ: 5, below: 2, weight: 0.4 }),
});

/**
 * The model for a source: USER_RISK_MODEL with the profile's own floor (Profile.userRiskFloor),
 * so one threshold serves every source, and the time-series bins of the run.
 */
export function userRiskModelFor(profile: { userRiskFloor?: number; firstSeen?: FirstSeenEvidence; sharedNovelty?: SharedNoveltyRule }, tsBinMinutes?: number): UserRiskModel {
  const model: UserRiskModel = { ...USER_RISK_MODEL, floor: profile.userRiskFloor ?? USER_RISK_MODEL.floor, tsBinMinutes: tsBinMinutes ?? USER_RISK_MODEL.tsBinMinutes };
  if (profile.firstSeen) model.firstSeen = profile.firstSeen;
  if (profile.sharedNovelty) model.sharedNovelty = profile.sharedNovelty;
  return model;
}

/** A single event's evidence is capped here, so an infinite z-score cannot poison a user's sum. */
export const MAX_EVIDENCE = 1e6;

/** What an event's evidence is read from (the `dfp` fields). */
export interface RiskInputFields {
  zscore?: number;
  ts_anomaly?: boolean;
  ts_zscore?: number;
  error?: string;
  /** Set on an event matching a benign decision's pattern (score/benign_suppression.ts): no evidence. */
  suppressed?: unknown;
  /** The explained features (dfp.features): UserRiskModel.firstSeen reads its feature's value and `seen` here. */
  features?: Readonly<Record<string, { value?: unknown; seen?: number; z?: number }>>;
  /** firstSeenEvidence of the event, worked out where its features were (a scoring worker): read instead of `features`. */
  first_seen_evidence?: number;
  /** novelTargets of the event, worked out where its features were (a scoring worker): read instead of `features`. */
  novel_targets?: readonly NovelTarget[];
  /** volumeZ of the event, worked out where its features were (a scoring worker): read instead of `features`. */
  volume_z?: number;
}

/** An event's evidence: from its z-score, and from the time-series check of its bin (credited once per user and bin). */
export interface EventEvidence {
  z: number;
  ts: number;
  /** Start (epoch ms) of the time-series bin `ts` belongs to. */
  tsBin?: number;
}

/**
 * An event's evidence toward its user's risk, before the once-per-bin rule (0 for most events, for
 * events not scored, and for suppressed ones). `shared`: its new target is one many users started
 * using at once (score/shared_novelty.ts): its z-score is no evidence, its first-seen rule and
 * volume still are.
 */
export function riskEvidence(dfp: RiskInputFields, time: number, tsThreshold: number, model: UserRiskModel = USER_RISK_MODEL, shared = false): EventEvidence {
  if (dfp.error !== undefined || dfp.suppressed != null || typeof dfp.zscore !== 'number' || Number.isNaN(dfp.zscore)) return { z: 0, ts: 0 };
  const first = dfp.first_seen_evidence ?? firstSeenEvidence(dfp, model.firstSeen);
  const own = shared ? 0 : Math.max(0, dfp.zscore - model.floor) + burstEvidence(dfp.zscore, dfp.volume_z ?? volumeZ(dfp.features), model);
  const z = clampEvidence(own + first);
  if (dfp.ts_anomaly !== true || typeof dfp.ts_zscore !== 'number' || !(model.tsWeight > 0)) return { z, ts: 0 };
  const ts = clampEvidence(model.tsWeight * (dfp.ts_zscore - tsThreshold));
  if (ts === 0) return { z, ts: 0 };
  const binMs = model.tsBinMinutes * 60_000;
  return { z, ts, tsBin: Math.floor(time / binMs) * binMs };
}

/** The largest z of the event's volume features (derived.ts VOLUME_FEATURES); 0 without any. */
export function volumeZ(features: RiskInputFields['features']): number {
  let max = 0;
  if (!features) return max;
  for (const name of VOLUME_FEATURES) {
    const z = Object.hasOwn(features, name) ? features[name]?.z : undefined;
    if (typeof z === 'number' && z > max) max = z;
  }
  return max;
}

/** UserRiskModel.burst's evidence for an event of z-score `zscore` whose volume features' largest z is `volumeZ`. */
export function burstEvidence(zscore: number, volumeZ: number, model: Pick<UserRiskModel, 'floor' | 'burst'>): number {
  const { burst, floor } = model;
  if (!burst || !(volumeZ >= burst.volumeZ)) return 0;
  return burst.weight * Math.max(0, Math.min(zscore, floor) - (floor - burst.below));
}

/**
 * UserRiskModel.firstSeen's evidence for one event: its feature's value is one the user's history
 * never had (`seen` 0; a missing value, e.g. no device details at all, is a value too) and not an
 * everyday one, on an event the rule applies to. `seen` is known for the event's top features
 * only: a value too ordinary to be among them is no first-seen evidence either.
 */
export function firstSeenEvidence(dfp: Pick<RiskInputFields, 'features'>, rule: FirstSeenEvidence | undefined): number {
  const features = dfp.features;
  if (!rule || !features || !Object.hasOwn(features, rule.feature)) return 0;
  const explained = features[rule.feature];
  const value = explained?.value ?? null;
  if (explained?.seen !== 0 || (value !== null && typeof value !== 'string')) return 0;
  if (value !== null && (rule.except?.includes(value) || rule.exceptParts?.some((part) => value.includes(part)))) return 0;
  if (rule.when && !(Object.hasOwn(features, rule.when.feature) && features[rule.when.feature]?.value === rule.when.value)) return 0;
  return rule.evidence;
}

function clampEvidence(e: number): number {
  return e > 0 ? Math.min(e, MAX_EVIDENCE) : 0; // NaN too
}

/** A risk as the fields write it: 4 decimals, never negative. */
export function roundRisk(risk: number): number {
  const r = Math.round(Math.max(0, risk) * 1e4) / 1e4;
  return r === 0 ? 0 : r; // no -0
}

/**
 * `user.risk.calculated_score_norm` (0–100) from a risk: 100·(1 − 0.3^(risk/threshold)), so the
 * user-risk threshold maps to 70 (the start of Elastic's "High"), twice it to 91 ("Critical").
 */
export function riskNorm(risk: number, threshold: number): number {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`riskNorm: threshold must be a positive number, got ${threshold}`);
  if (!(risk > 0)) return 0;
  if (risk === Number.POSITIVE_INFINITY) return 100;
  return 100 * (1 - 0.3 ** (risk / threshold));
}

export type RiskLevel = 'Unknown' | 'Low' | 'Moderate' | 'High' | 'Critical';

/** Elastic Security's levels over calculated_score_norm: <20 Unknown, 20 Low, 40 Moderate, 70 High, 90 Critical. */
export function riskLevel(norm: number): RiskLevel {
  if (norm >= 90) return 'Critical';
  if (norm >= 70) return 'High';
  if (norm >= 40) return 'Moderate';
  if (norm >= 20) return 'Low';
  return 'Unknown';
}

/** One contributing event: its time (epoch ms), evidence, where it is (for risk documents), and the time-series bin it was credited for. */
export interface RiskEvidence {
  time: number;
  evidence: number;
  id?: string;
  index?: string;
  tsBin?: number;
}

/** Where a contributing event is. */
export interface RiskRef {
  id?: string;
  index?: string;
}

/** A user's contributing events, sorted by time, and a running decayed sum for in-order arrivals. */
class Ledger {
  readonly times: number[] = [];
  readonly evidence: number[] = [];
  readonly refs: (RiskRef | undefined)[] = [];
  /** Per entry: the time-series bin it was credited for (undefined: none). */
  readonly bins: (number | undefined)[] = [];
  /** Time-series bins already credited to this user. */
  readonly credited = new Set<number>();
  /** The time the running sum is as of (≥ every time in the ledger), its value, and the first entry inside the horizon then. */
  at = Number.NEGATIVE_INFINITY;
  sum = 0;
  start = 0;
}

/**
 * Per-user risk over a run. `observe` records an event and answers the user's risk as of its time;
 * `riskAt` answers without recording; `restore` brings back earlier runs' evidence (Elasticsearch).
 */
export class UserRiskTracker {
  private readonly ledgers = new Map<string, Ledger>();
  private readonly halfLifeMs: number;
  private readonly horizonMs: number;

  constructor(readonly model: UserRiskModel = USER_RISK_MODEL) {
    if (!(model.halfLifeHours > 0) || !(model.horizonHours >= 0)) throw new RangeError('user risk: half-life must be positive and the horizon not negative');
    this.halfLifeMs = model.halfLifeHours * 3_600_000;
    this.horizonMs = model.horizonHours * 3_600_000;
  }

  /**
   * Records one scored event of `user` at `time` (epoch ms) with its evidence (a number, or the
   * parts of riskEvidence: the time-series part counts once per user and bin); returns the
   * user's risk as of that time.
   */
  observe(user: string, time: number, evidence: number | EventEvidence, ref?: RiskRef): number {
    let l = this.ledgers.get(user);
    const parts = typeof evidence === 'number' ? { z: evidence, ts: 0 } : evidence;
    const z = clampEvidence(parts.z);
    const credit = parts.ts > 0 && parts.tsBin !== undefined && !l?.credited.has(parts.tsBin);
    const e = Math.min(MAX_EVIDENCE, z + (credit ? clampEvidence(parts.ts) : 0));
    if (!l) {
      if (e <= 0) return 0;
      l = new Ledger();
      this.ledgers.set(user, l);
    }
    if (credit) l.credited.add(parts.tsBin!);
    const bin = credit ? parts.tsBin : undefined;
    if (time >= l.at) {
      this.advance(l, time);
      if (e > 0) {
        l.times.push(time);
        l.evidence.push(e);
        l.refs.push(ref);
        l.bins.push(bin);
        l.sum += e;
      }
      return l.sum;
    }
    // Earlier than what the user's running sum is as of: placed in time order, answered by a scan.
    if (e > 0) {
      const p = upperBound(l.times, time);
      l.times.splice(p, 0, time);
      l.evidence.splice(p, 0, e);
      l.refs.splice(p, 0, ref);
      l.bins.splice(p, 0, bin);
      if (time >= l.at - this.horizonMs) l.sum += e * this.decay(l.at - time);
      else l.start += 1;
    }
    return this.scan(l, time);
  }

  /** The user's risk as of `time`, from the events recorded so far (0 for a user never seen). */
  riskAt(user: string, time: number): number {
    const l = this.ledgers.get(user);
    if (!l) return 0;
    if (time >= l.at) {
      this.advance(l, time);
      return l.sum;
    }
    return this.scan(l, time);
  }

  /**
   * Brings back evidence recorded by an earlier run (e.g. the user's latest risk document): each
   * entry as it was credited then, its time-series bin marked credited. Entries without a finite
   * time or positive evidence are ignored.
   */
  restore(user: string, evidence: readonly RiskEvidence[]): void {
    for (const x of evidence) {
      if (!Number.isFinite(x.time) || !(x.evidence > 0)) continue;
      const ref = x.id !== undefined || x.index !== undefined ? { ...(x.id !== undefined ? { id: x.id } : {}), ...(x.index !== undefined ? { index: x.index } : {}) } : undefined;
      this.observe(user, x.time, x.evidence, ref);
      if (x.tsBin !== undefined && Number.isFinite(x.tsBin)) {
        const l = this.ledgers.get(user)!;
        l.credited.add(x.tsBin);
        const j = lastIndexAt(l.times, x.time);
        if (j >= 0 && l.bins[j] === undefined) l.bins[j] = x.tsBin;
      }
    }
  }

  /**
   * The user's events that count at `time` (t − horizon ≤ t_j ≤ t), oldest first, each with its
   * contribution then (evidence decayed to `time`).
   */
  contributions(user: string, time: number): (RiskEvidence & { contribution: number })[] {
    const l = this.ledgers.get(user);
    if (!l) return [];
    const out: (RiskEvidence & { contribution: number })[] = [];
    const hi = upperBound(l.times, time);
    for (let j = lowerBound(l.times, time - this.horizonMs); j < hi; j++) {
      const ref = l.refs[j];
      const bin = l.bins[j];
      out.push({
        time: l.times[j],
        evidence: l.evidence[j],
        ...(ref?.id !== undefined ? { id: ref.id } : {}),
        ...(ref?.index !== undefined ? { index: ref.index } : {}),
        ...(bin !== undefined ? { tsBin: bin } : {}),
        contribution: l.evidence[j] * this.decay(time - l.times[j]),
      });
    }
    return out;
  }

  /** Users with any contributing event. */
  users(): IterableIterator<string> {
    return this.ledgers.keys();
  }

  /** Moves the running sum forward to `time` (≥ l.at): decays it, and drops what left the horizon. */
  private advance(l: Ledger, time: number): void {
    if (l.at === Number.NEGATIVE_INFINITY) {
      // A new ledger: nothing recorded yet.
      l.at = time;
      return;
    }
    if (time > l.at) l.sum *= this.decay(time - l.at);
    l.at = time;
    const oldest = time - this.horizonMs;
    while (l.start < l.times.length && l.times[l.start] < oldest) {
      l.sum -= l.evidence[l.start] * this.decay(time - l.times[l.start]);
      l.start += 1;
    }
    // Rounding in the subtractions: nothing left is exactly nothing, and never below it.
    if (l.start >= l.times.length || l.sum < 0) l.sum = 0;
  }

  /** Risk as of `time` by summing the ledger's window (for times before its running sum's). */
  private scan(l: Ledger, time: number): number {
    let sum = 0;
    const hi = upperBound(l.times, time);
    for (let j = lowerBound(l.times, time - this.horizonMs); j < hi; j++) sum += l.evidence[j] * this.decay(time - l.times[j]);
    return sum;
  }

  private decay(ageMs: number): number {
    return 2 ** (-ageMs / this.halfLifeMs);
  }
}

/** Index of the last entry at exactly `time` (-1: none). */
function lastIndexAt(a: readonly number[], time: number): number {
  const j = upperBound(a, time) - 1;
  return j >= 0 && a[j] === time ? j : -1;
}

/** First index with a[i] ≥ x. */
function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[i] > x. */
function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Per-user figures of a run: the highest risk any of the user's events carried, and when. */
export interface UserRiskPeak {
  risk: number;
  time: number;
  flagged: boolean;
}

/**
 * Adds `dfp.user_risk` and `dfp.user_flagged` to scored events as they are written, and keeps
 * each user's peak. Events with `dfp.error` (or no z-score) get neither.
 */
export class EventRisk {
  readonly tracker: UserRiskTracker;
  readonly peaks = new Map<string, UserRiskPeak>();
  /** Targets new to many users at once (null: the model has no such rule). */
  readonly novelty: SharedNovelty | null;

  constructor(
    readonly threshold: number,
    readonly tsThreshold: number,
    model: UserRiskModel = USER_RISK_MODEL,
  ) {
    if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`user-risk threshold must be a positive number, got ${threshold}`);
    this.tracker = new UserRiskTracker(model);
    this.novelty = model.sharedNovelty ? new SharedNovelty(model.sharedNovelty) : null;
  }

  /**
   * Sets dfp.user_risk / dfp.user_flagged on a scored event of `time` (epoch ms); returns the risk,
   * or undefined when not scored. On an event whose new target is a rollout (dfp.rollout), also
   * dfp.zscore: `zShared`, the exact z-score its model gives without the target's group
   * (BatchScores.zShared; NaN for a model without one, which keeps its z-score), and
   * dfp.is_anomaly, which can only fall: the app everyone started using is no reason to flag it.
   */
  apply(
    dfp: RiskInputFields & { user: string | null; user_risk?: number; user_flagged?: boolean; rollout?: Rollout; is_anomaly?: boolean; threshold?: number },
    time: number,
    ref?: RiskRef,
    zShared = Number.NaN,
  ): number | undefined {
    if (dfp.error !== undefined || dfp.user === null || typeof dfp.zscore !== 'number' || !Number.isFinite(time)) return undefined;
    const rollout = this.rolloutOf(dfp as RiskInputFields & { user: string }, time);
    const risk = roundRisk(this.tracker.observe(dfp.user, time, riskEvidence(dfp, time, this.tsThreshold, this.tracker.model, rollout !== undefined), ref));
    const flagged = risk >= this.threshold;
    dfp.user_risk = risk;
    dfp.user_flagged = flagged;
    if (rollout) {
      dfp.rollout = rollout;
      if (Number.isFinite(zShared)) {
        dfp.zscore = round(zShared);
        if (typeof dfp.threshold === 'number') dfp.is_anomaly = dfp.is_anomaly === true && zShared >= dfp.threshold;
      }
    }
    const peak = this.peaks.get(dfp.user);
    if (!peak) this.peaks.set(dfp.user, { risk, time, flagged });
    else if (risk > peak.risk) {
      peak.risk = risk;
      peak.time = time;
      peak.flagged = flagged;
    }
    return risk;
  }

  /** Users whose risk reached the threshold on some event. */
  flaggedUsers(): number {
    let n = 0;
    for (const p of this.peaks.values()) if (p.flagged) n += 1;
    return n;
  }

  /**
   * Records the event's new targets (a suppressed event's too: the user did start using them) and
   * answers the rollout that explains one of them (dfp.rollout), if any.
   */
  private rolloutOf(dfp: RiskInputFields & { user: string }, time: number): Rollout | undefined {
    if (!this.novelty) return undefined;
    const targets = dfp.novel_targets ?? novelTargets(dfp.features, this.novelty.rule);
    const shared = targets.length > 0 ? this.novelty.observe(dfp.user, time, targets) : null;
    if (shared === null) return undefined;
    const { users, windowHours } = this.novelty.rule;
    return { feature: shared.feature, value: shared.value, users, window_hours: windowHours };
  }
}
