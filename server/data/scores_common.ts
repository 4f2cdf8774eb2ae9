/**
 * What both scores readers (Elasticsearch, and scored files in memory) must compute alike, so that
 * they give the same answers: which events count, time buckets, sort orders, the user's label,
 * and the `dfp` object as the API returns it.
 *
 * Definitions shared by both:
 * - An event is in a range when its event time (`@timestamp`; in files, the profile's timestamp
 *   fields) is in [from, to). Events without a time are in no range.
 * - A *scored* event has a numeric `dfp.zscore`; an *error* has `dfp.error`. Users, rankings, user
 *   events and feature values are about scored events only (an error has no score to rank).
 * - *Flagged*: `dfp.zscore >= threshold`, the threshold in force now (never the stored `is_anomaly`),
 *   and no `dfp.suppressed`: an analyst marked the same pattern benign (score/benign_suppression.ts).
 * - *Suppressed*: at or above that threshold but for `dfp.suppressed`: what would have been flagged.
 *   Flagged + suppressed = the events at or above the threshold.
 * - A ranked user's *why* (common/why.ts) is their worst event (highest z, then newest) that is not
 *   suppressed, else their worst: an analyst who marked the trip benign reads the next reason.
 * - A user's *risk* in a range: their highest `dfp.user_risk` there (null where no event has one);
 *   the user is flagged when it is at or above the user-risk threshold in force now (never the
 *   stored `user_flagged`).
 */
import { DEFAULTS, type DfpFields } from '../../common/fields';
import type { TimeRange, UserSort } from '../../common/api';
import type { FeatureValue } from '../engine/features/extract';
import { firstValue } from '../engine/profiles/field_path';

/** Sparkline buckets per user when the query names none. */
export const DEFAULT_SPARKLINE_BUCKETS = 24;
/** The overview's histogram has at most this many buckets unless the query asks for fewer. */
export const MAX_OVERVIEW_BUCKETS = 100;

/** Fixed intervals the overview's histogram picks from, each at most 2.5× the one before. */
const NICE_INTERVALS: [string, number][] = [
  ['1s', 1e3], ['2s', 2e3], ['5s', 5e3], ['10s', 1e4], ['30s', 3e4],
  ['1m', 6e4], ['2m', 12e4], ['5m', 3e5], ['10m', 6e5], ['15m', 9e5], ['30m', 18e5],
  ['1h', 36e5], ['2h', 72e5], ['3h', 108e5], ['6h', 216e5], ['12h', 432e5],
  ['1d', 864e5], ['2d', 1728e5], ['7d', 6048e5], ['14d', 12096e5], ['30d', 2592e6],
];

/**
 * The overview's bucket width: the smallest nice interval that covers [from, to) in at most
 * `maxBuckets` epoch-aligned (UTC) buckets, so 40–100 buckets for the default 100. Ranges longer
 * than 100 × 30 days get 30-day buckets, more than 100 of them.
 */
export function overviewInterval(from: number, to: number, maxBuckets = MAX_OVERVIEW_BUCKETS): { label: string; ms: number } {
  const wanted = Math.max(1, Math.floor(maxBuckets));
  for (const [label, ms] of NICE_INTERVALS) {
    if (Math.floor((to - 1) / ms) - Math.floor(from / ms) + 1 <= wanted) return { label, ms };
  }
  const [label, ms] = NICE_INTERVALS[NICE_INTERVALS.length - 1];
  return { label, ms };
}

/** Start of every epoch-aligned bucket of width `ms` that [from, to) touches, oldest first. */
export function bucketStarts(from: number, to: number, ms: number): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(from / ms) * ms; t < to; t += ms) starts.push(t);
  return starts;
}

/**
 * Sparkline bucket width: whole milliseconds, buckets aligned on `from` (bucket i covers
 * [from + i·w, from + (i+1)·w)), so that `buckets` of them cover the range.
 */
export function sparklineWidth(from: number, to: number, buckets: number): number {
  return Math.max(1, Math.ceil((to - from) / buckets));
}

/** Aggregated z-scores at the precision the engine writes them (dfp.zscore is mapped `float` in Elasticsearch). */
export function roundZ(z: number): number {
  return Math.round(z * 1e4) / 1e4;
}

/** `suppressed`: the event has `dfp.suppressed` (present: not null). */
export function isFlagged(zscore: number, threshold: number, suppressed: boolean): boolean {
  return zscore >= threshold && !suppressed;
}

/** At or above the threshold, but a benign decision keeps it from being flagged. */
export function isSuppressed(zscore: number, threshold: number, suppressed: boolean): boolean {
  return zscore >= threshold && suppressed;
}

/** The user-risk threshold a query asks with (the setting in force), else the default. */
export function userRiskThresholdOf(q: { userRiskThreshold?: number }): number {
  return q.userRiskThreshold ?? DEFAULTS.userRiskThreshold;
}

/** A user's risk in a range (highest dfp.user_risk, null: none) flags them at or above the threshold. */
export function isUserFlagged(userRisk: number | null, threshold: number): boolean {
  return userRisk !== null && userRisk >= threshold;
}

/**
 * How users are ranked for each sort: the metric in the direction asked, ties by user key
 * ascending (code-unit order, as Elasticsearch orders keywords). `user` sorts by the name the app
 * shows (the label, else the key; case ignored), ties by key: the key is often an opaque id the
 * analyst never reads, so an order by it looks random.
 */
export interface RankMetrics {
  user: string;
  /** The display name (labelFrom); needed only to sort by `user`. */
  label?: string;
  /** Highest dfp.user_risk; -Infinity where no event has one (ranks last descending, as Elasticsearch's empty max does). */
  userRisk: number;
  maxZscore: number;
  flagged: number;
  events: number;
  lastSeenMs: number;
}

export function compareRanked(a: RankMetrics, b: RankMetrics, sort: UserSort, order: 'asc' | 'desc'): number {
  const sign = order === 'asc' ? 1 : -1;
  const byKey = a.user < b.user ? -1 : a.user > b.user ? 1 : 0;
  if (sort === 'user') return sign * (compareNames(a, b) || byKey);
  const metric = sort === 'lastSeen' ? 'lastSeenMs' : sort;
  // User risk's ties (most users have none) by the highest z-score, as the swimlane ranks them.
  const tie = sort === 'userRisk' ? sign * Math.sign(a.maxZscore - b.maxZscore) : 0;
  return sign * Math.sign(a[metric] - b[metric]) || tie || byKey;
}

/**
 * A user's label: the first display field present (in the profile's order) on the user's newest
 * event that has one; none when it equals the key (the key is then readable already).
 */
export function labelFrom(doc: unknown, displayFields: readonly string[] | undefined, user: string): string | undefined {
  if (!displayFields || displayFields.length === 0) return undefined;
  const v = firstValue(doc, displayFields);
  if (v === undefined || v === null || typeof v === 'object') return undefined;
  const label = String(v);
  return label === user ? undefined : label;
}

/** Two users by the name the app shows them under (label, else key), ignoring case; 0 on a tie. */
export function compareNames(a: { user: string; label?: string }, b: { user: string; label?: string }): number {
  const x = (a.label ?? a.user).toLowerCase();
  const y = (b.label ?? b.user).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Whether a value contains the search term, ignoring case. */
export function containsTerm(value: unknown, lowerTerm: string): boolean {
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => (typeof v === 'string' || typeof v === 'number') && String(v).toLowerCase().includes(lowerTerm));
}

/**
 * The `dfp` object as the API returns it: fields written as null (in place, a rescore nulls what
 * it does not set) left out, and the scores document's `source` (or a file error's) split off.
 */
export function apiDfp(raw: unknown): { dfp: DfpFields; source?: { index: string; id: string } } {
  const obj = (raw ?? {}) as Record<string, unknown>;
  const dfp: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined && k !== 'source') dfp[k] = v;
  const src = obj.source as Record<string, unknown> | undefined;
  const source = typeof src?.index === 'string' && typeof src?.id === 'string' ? { index: src.index, id: src.id } : undefined;
  return { dfp: { user: null, ...dfp } as DfpFields, ...(source ? { source } : {}) };
}

/** Whether a field holds a value (Elasticsearch's `exists`: not null, not an empty array). */
export function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(Array.isArray(v) && v.every((x) => x === null));
}

/**
 * `dfp.features.<name>.value` of each event, per feature name found in any of them (the profile's
 * and derived features alike), aligned with the events: null where an event lacks the feature.
 */
export function featureValues(featuresPerEvent: readonly unknown[]): Record<string, FeatureValue[]> {
  const names = new Set<string>();
  for (const f of featuresPerEvent) if (f && typeof f === 'object') for (const name of Object.keys(f)) names.add(name);
  const values: Record<string, FeatureValue[]> = {};
  for (const name of names) {
    values[name] = featuresPerEvent.map((f) => {
      const v = (f as Record<string, { value?: unknown } | undefined> | undefined)?.[name]?.value;
      return typeof v === 'string' || typeof v === 'number' ? v : null;
    });
  }
  return values;
}

export function rangeOf(q: { from: number; to: number }): TimeRange {
  return { from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() };
}
