/**
 * User risk: analysts rank users, not events. A user's risk at time t adds up the evidence of the
 * user's scored events over a trailing window, each decayed by its age:
 *
 *   risk(t) = Σ_j e_j · 2^(−(t − t_j) / halfLife)   over the user's events j with t_j ≤ t and t − t_j ≤ horizon
 *
 * where an event's evidence is what its `dfp.zscore` exceeds a floor by (failed and discounted
 * events are already weighted inside the z-score), plus, where the time-series check flagged its
 * bin (`dfp.ts_anomaly`), a share of what `dfp.ts_zscore` exceeds the time-series threshold by
 * (risk_evidence.ts; the constants are risk_model.ts's). Several unusual events in a few hours
 * add up; one ordinary-looking outlier does not.
 *
 * Pure (no Kibana, no I/O). Users are untrusted strings: kept in a Map, never object keys. Only
 * contributing events (evidence > 0) are kept, so a user's list stays small. Input need not be
 * sorted by time: an event's risk counts the user's events with time ≤ its time seen so far.
 * Events seen in time order (the common case, and Elasticsearch's pages) cost O(1) each.
 */

import type { Rollout } from '../../../common/fields';
import { round } from '../jobs/dfp_fields';
import { clampEvidence, MAX_EVIDENCE, riskEvidence, type EventEvidence, type RiskInputFields } from './risk_evidence';
import { USER_RISK_MODEL, type UserRiskModel } from './risk_model';
import { novelTargets, SharedNovelty } from './shared_novelty';

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
