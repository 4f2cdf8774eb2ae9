/**
 * The hour of day, whole: a feature summary keeps a categorical feature's 10 most common values
 * (features/summary.ts), which for the hour drops most of a user's day and leaves the rest in
 * order of share. The fingerprint answers every hour seen instead, from the user's history
 * (model/history.ts counts training rows per UTC hour) and from all the recent values.
 */
import type { FeatureSummary } from '../../common/feature_summary';
import type { FeatureValue } from '../engine/features/extract';
import type { FingerprintJson } from '../engine/model/fingerprint';

/** The derived feature that holds the UTC hour of day, "00" … "23" (features/derived.ts). */
export const HOUR_FEATURE = 'hour';

const hourValue = (h: number): string => String(h).padStart(2, '0');

/** Training side: the history's 24 counts where the model keeps them, else the summary as stored (generic and older models). */
export function trainedHours(model: FingerprintJson, stored: FeatureSummary | null): FeatureSummary | null {
  const hours = model.history?.hours;
  if (!hours || hours.length !== 24) return stored;
  const rows = hours.reduce((a, b) => a + b, 0);
  if (rows === 0) return stored;
  return categorical(hours.map((n, h) => [hourValue(h), n] as const), rows, 0);
}

/** Recent side: every value among the events' hours, in clock order. */
export function recentHours(values: readonly FeatureValue[]): FeatureSummary {
  const counts = new Map<string, number>();
  let present = 0;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    present += 1;
    counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  }
  const nullShare = values.length === 0 ? 0 : round((values.length - present) / values.length);
  return categorical([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), values.length, nullShare);
}

function categorical(counts: readonly (readonly [string, number])[], rows: number, nullShare: number): FeatureSummary {
  const seen = counts.filter(([, n]) => n > 0);
  return { name: HOUR_FEATURE, kind: 'categorical', rows, nullShare, distinct: seen.length, top: seen.map(([value, n]) => ({ value, share: round(n / rows) })) };
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
