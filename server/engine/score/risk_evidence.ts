/**
 * One event's evidence toward its user's risk (score/user_risk.ts sums it over time): what its
 * z-score exceeds the floor by, a burst's sub-floor share, the first-seen rule, and the
 * time-series check of its bin. Read from the event's `dfp` fields, or from what a scoring worker
 * worked out from them (the Elasticsearch lanes).
 */

import { VOLUME_FEATURES } from '../features/derived';
import type { FirstSeenEvidence } from '../profiles/types';
import type { NovelTarget } from './shared_novelty';
import { USER_RISK_MODEL, type UserRiskModel } from './risk_model';

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

/** Evidence as the sums take it: never negative or NaN, at most MAX_EVIDENCE. */
export function clampEvidence(e: number): number {
  return e > 0 ? Math.min(e, MAX_EVIDENCE) : 0; // NaN too
}
