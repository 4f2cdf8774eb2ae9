/**
 * The output field contract (DESIGN.md section 7), shared by the engine, the API and the browser app.
 * Every scored event carries a `dfp` object of this shape; events that could not be scored carry
 * `dfp.error` instead of scores. Nothing is dropped.
 */

export const PLUGIN_ID = 'digitalFingerprinting';
export const FIELD_NAMESPACE = 'dfp';

/** Per-feature explanation: the feature's z-loss, the value seen and what the model expected instead. */
export interface FeatureExplanation {
  z: number;
  pred: string | number | boolean | null;
  /** The value the model saw (after the profile's transforms; derived features included). */
  value?: string | number | null;
  /**
   * The user's history (top categorical features of a model that keeps one): how many of the
   * user's training-window rows had this value (0: never seen). Absent where unknown.
   */
  seen?: number;
  /** The user's most common values in the window with their shares, largest first (at most 3). */
  usual?: [string, number][];
}

export interface ModelRef {
  version: string;
  generic: boolean;
  trained_at: string;
  /**
   * Why the generic model scored an event of a user who has a model of their own: that model could
   * not be used (corrupt, unreadable). Absent otherwise.
   */
  fallback_reason?: string;
}

/** dfp.suppressed: which benign decision suppressed the event's flag, and until when. */
export interface Suppressed {
  /** Who marked the benign event. */
  by: string;
  /** When the mark was made (ISO 8601): with the user, it names the decision in the triage trail. */
  at: string;
  /** The suppression's end (ISO 8601). */
  until: string;
  /** The event marked benign (its index and id). */
  event: { index: string; id: string };
}

/**
 * dfp.rollout: the event reached a target (an Entra app, an AWS service) new to its user that at
 * least `users` other users started using within the `window_hours` before it: the organisation
 * rolling something out (server/engine/score/shared_novelty.ts), so the event's z-score adds
 * nothing to dfp.user_risk, and the z-score itself leaves out the target's group (the app or
 * service and what moves with it): dfp.zscore and dfp.is_anomaly are the event's without it.
 */
export interface Rollout {
  /** The profile's feature naming the target ("app", "provider"). */
  feature: string;
  value: string;
  users: number;
  window_hours: number;
}

/** The `dfp` object added to every output event. */
export interface DfpFields {
  user: string | null;
  anomaly_score?: number;
  max_abs_z?: number;
  zscore?: number;
  is_anomaly?: boolean;
  threshold?: number;
  top_features?: string[];
  features?: Record<string, FeatureExplanation>;
  model?: ModelRef;
  ts_anomaly?: boolean;
  ts_zscore?: number;
  /** The user's risk as of this event: their events' evidence over a trailing window, decayed (server/engine/score/user_risk.ts). */
  user_risk?: number;
  /** dfp.user_risk ≥ the user-risk threshold in force. */
  user_flagged?: boolean;
  /** Set when a rollout explains what was new in the event (Rollout): the z-score leaves the target out and adds nothing to dfp.user_risk. */
  rollout?: Rollout;
  /**
   * Set when an analyst marked an event of this user benign and this event has the same values of
   * that event's top features, while the mark is in force: the event keeps its scores but is not
   * flagged (is_anomaly false) and adds nothing to the user's risk.
   */
  suppressed?: Suppressed;
  scored_at: string;
  /** Why the event could not be scored (absent when it was). */
  error?: string;
}

/** Defaults an admin can override (CLI flags, Kibana advanced settings). */
export const DEFAULTS = {
  /** dfp.zscore at or above which an event is flagged. */
  zscoreThreshold: 8,
  /** Time-series residual z at or above which a bin's events get dfp.ts_anomaly (Morpheus: 8). */
  tsThreshold: 8,
  /** Rows a user needs for a model of their own trained from scratch (Morpheus: 300). */
  minHistory: 300,
  /**
   * Rows a user needs for a model warm-started from the generic one (fewer: the generic model
   * scores them, with no history of their own, so "never seen before" cannot count for them).
   * Session 11: 30 → 10 gave 10–29-row users their own history and calibration. Held-out
   * development set 2: CloudTrail macro event AUC 0.969 → 0.985, user AUC 0.961 → 0.983, 20 → 21
   * of 27 flagged; Entra ID user AUC 0.971 → 0.979, 17 → 18 of 22 flagged, innocents 6 → 9 of 278.
   * Set 1 and the demo generator (seeds 7 and 42) as they were.
   */
  minHistoryWarmStart: 10,
  /** Training window in days (Morpheus: 60). */
  windowDays: 60,
  /** How many top features each event names. */
  topFeatures: 3,
  /** dfp.user_risk at or above which a user is flagged (tuned on the demo generator with user_risk.ts's constants). */
  userRiskThreshold: 10,
  /** Days an event marked benign keeps the same pattern of its user from being flagged. */
  benignSuppressionDays: 30,
} as const;

export const SETTINGS_KEYS = {
  zscoreThreshold: 'dfp:zscoreThreshold',
  tsThreshold: 'dfp:tsThreshold',
  minHistory: 'dfp:minHistory',
  userRiskThreshold: 'dfp:userRiskThreshold',
} as const;

/**
 * `event.risk_score_norm` (ECS, 0–100) from `dfp.zscore`: 100·(1 − 2^(−z/threshold)), so the
 * threshold in force maps to 50, twice the threshold to 75, approaching 100 as z grows.
 * 0 when the event was not scored (no z) or z ≤ 0. `threshold` must be positive.
 */
export function riskScoreNorm(zscore: number | undefined, threshold: number): number {
  if (!(threshold > 0) || !Number.isFinite(threshold)) throw new RangeError(`riskScoreNorm: threshold must be a positive number, got ${threshold}`);
  if (zscore === Number.POSITIVE_INFINITY) return 100;
  if (zscore === undefined || Number.isNaN(zscore) || zscore <= 0) return 0;
  return 100 * (1 - 2 ** (-zscore / threshold));
}
