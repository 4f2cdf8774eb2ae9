/** How the app shows a user's priority: the risk level's colour and words, the trend, the swimlane's colours. */
import type { RankedUser, SwimlaneResponse } from '../../common/api';
import { RISK_BAND_LIMITS, riskLevel, type RiskBand, type RiskLevel } from '../../common/risk_level';
import { zText } from '../../common/z_text';

/** Elastic's risk-level colours (EUI's risk palette as the Entity Analytics pages use it), low to critical. */
export const BAND_COLOUR: Readonly<Record<RiskBand, string>> = { low: '#54B399', moderate: '#D6BF57', high: '#DA8B45', critical: '#E7664C' };

const BAND_NAME: Readonly<Record<RiskBand, string>> = { low: 'Low', moderate: 'Moderate', high: 'High', critical: 'Critical' };

/** "87 High", the 0–100 score and its level. */
export function riskText(risk: RiskLevel): string {
  return `${risk.score} ${BAND_NAME[risk.band]}`;
}

export function bandName(band: RiskBand): string {
  return BAND_NAME[band];
}

/** The trend in words, with the previous period's 0–100 score: "▲ from 40", "▼ from 80", "= 40", "new" (no scored event then). */
export function trendText(u: Pick<RankedUser, 'trend' | 'previousUserRisk'>, userRiskThreshold: number): string {
  const previousScore = u.previousUserRisk === null || u.previousUserRisk === undefined ? null : riskLevel(u.previousUserRisk, userRiskThreshold).score;
  switch (u.trend) {
    case 'up':
      return `▲ from ${previousScore ?? 0}`;
    case 'down':
      return `▼ from ${previousScore ?? 0}`;
    case 'same':
      return `= ${previousScore ?? 0}`;
    case 'new':
      return 'new';
    default:
      return '';
  }
}

/** The swimlane's colour bands on the 0–100 score: Elastic's levels. */
export function swimlaneBands(): { start: number; end: number; color: string; label: string }[] {
  const ascending = [...RISK_BAND_LIMITS].reverse();
  return ascending.map(({ band, from }, i) => ({ start: from, end: i + 1 < ascending.length ? ascending[i + 1].from : Infinity, color: BAND_COLOUR[band], label: BAND_NAME[band] }));
}

/** One drawn cell of the swimlane. */
export interface SwimlanePoint {
  /** Bucket start, epoch ms. */
  time: number;
  user: string;
  score: number;
  tooltip: string;
}

/** The swimlane's cells as chart data (empty buckets are not drawn). */
export function swimlanePoints(res: SwimlaneResponse): SwimlanePoint[] {
  const points: SwimlanePoint[] = [];
  for (const u of res.users) {
    u.cells.forEach((c, i) => {
      if (c === null) return;
      const risk = c.userRisk === null ? 'no user risk recorded' : `user risk ${zText(c.userRisk, res.userRiskThreshold)}`;
      points.push({ time: Date.parse(res.buckets[i]), user: u.user, score: c.score, tooltip: `${c.events} events, highest z ${zText(c.maxZscore, res.threshold)}, ${risk}` });
    });
  }
  return points;
}

/** The range a cell opens on the user's page: its bucket, clipped to the swimlane's range. */
export function cellRange(res: Pick<SwimlaneResponse, 'range' | 'intervalMs'>, time: number): { from: string; to: string } {
  const from = Math.max(time, Date.parse(res.range.from));
  const to = Math.min(time + res.intervalMs, Date.parse(res.range.to));
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
