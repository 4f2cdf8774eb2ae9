/**
 * A user's risk (dfp.user_risk, open-ended) on the 0–100 scale and in the levels of Elastic's
 * entity risk scoring, so that analysts who know Entity Analytics read ours the same way. Elastic's
 * levels on its normalised score: Unknown < 20, Low 20–40, Moderate 40–70, High 70–90, Critical
 * > 90 (docs: "Turn on the risk scoring engine"). Our users all have scored events, so what Elastic
 * calls Unknown (no alerts at all) is Low here.
 *
 * The scale is relative to the admin's user-risk threshold, so that "critical" and "flagged" are
 * one thing: the threshold maps to 90, 0 to 0, linearly in between; above the threshold the score
 * approaches 100 (halfway to 100 for each further threshold's worth of risk). Changing the
 * threshold in the settings moves every user's score with it, as it moves who is flagged.
 */

export type RiskBand = 'low' | 'moderate' | 'high' | 'critical';

/** Lower limits of Elastic's levels on the 0–100 score (Low from 0: see above). */
export const RISK_BAND_LIMITS: readonly { band: RiskBand; from: number }[] = [
  { band: 'critical', from: 90 },
  { band: 'high', from: 70 },
  { band: 'moderate', from: 40 },
  { band: 'low', from: 0 },
];

/** Where the user-risk threshold lands on the 0–100 scale: the start of "critical". */
export const THRESHOLD_SCORE = 90;

/**
 * "Near the threshold": a user risk of at least this share of the threshold, not yet at it (a
 * score of 72 up to 90). Worth a look before they are flagged.
 */
export const NEAR_THRESHOLD_SHARE = 0.8;

/** A change of the 0–100 score smaller than this is no trend ("same"). */
export const TREND_MIN_CHANGE = 5;

/** dfp.user_risk as 0–100 against the user-risk threshold in force (module comment). Not a number or ≤ 0: 0. */
export function riskScore100(userRisk: number, userRiskThreshold: number): number {
  if (!(userRiskThreshold > 0) || !Number.isFinite(userRiskThreshold)) throw new RangeError(`riskScore100: the user-risk threshold must be a positive number, got ${userRiskThreshold}`);
  if (Number.isNaN(userRisk) || userRisk <= 0) return 0;
  if (userRisk < userRiskThreshold) return (THRESHOLD_SCORE * userRisk) / userRiskThreshold;
  if (userRisk === Number.POSITIVE_INFINITY) return 100;
  return THRESHOLD_SCORE + (100 - THRESHOLD_SCORE) * (1 - 2 ** (-(userRisk - userRiskThreshold) / userRiskThreshold));
}

/** Elastic's level of a 0–100 score. */
export function riskBand(score: number): RiskBand {
  for (const { band, from } of RISK_BAND_LIMITS) if (score >= from) return band;
  return 'low';
}

/** What the app and the API show for a user's risk: the 0–100 score (whole), its level, and whether it is near the threshold. */
export interface RiskLevel {
  /** 0–100, whole: 90 and above exactly when the user is flagged. */
  score: number;
  band: RiskBand;
  /** At least NEAR_THRESHOLD_SHARE of the threshold, below it. */
  near: boolean;
}

export function riskLevel(userRisk: number, userRiskThreshold: number): RiskLevel {
  const exact = riskScore100(userRisk, userRiskThreshold);
  const flagged = userRisk >= userRiskThreshold;
  // Whole numbers, never rounded across the threshold (89.7 for an unflagged user stays 89).
  const score = flagged ? Math.max(THRESHOLD_SCORE, Math.floor(exact)) : Math.min(THRESHOLD_SCORE - 1, Math.round(exact));
  return { score, band: riskBand(score), near: !flagged && userRisk >= NEAR_THRESHOLD_SHARE * userRiskThreshold };
}

export type RiskTrend = 'up' | 'down' | 'same' | 'new';

/**
 * The trend of a user's risk against the previous period of the same length: `new` where they had
 * no scored event then, `up`/`down` where the 0–100 score moved by TREND_MIN_CHANGE or more.
 * A user with events but no dfp.user_risk counts as 0.
 */
export function riskTrend(now: number, before: number | null): RiskTrend {
  if (before === null) return 'new';
  if (now - before >= TREND_MIN_CHANGE) return 'up';
  if (before - now >= TREND_MIN_CHANGE) return 'down';
  return 'same';
}
