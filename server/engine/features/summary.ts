import type { FeatureSummary } from '../../../common/feature_summary';
import type { FeatureKind } from '../profiles';
import type { FeatureValue } from './extract';
import type { FeatureSchema } from './frame';

/**
 * What is normal for a user, feature by feature, in words an analyst reads: a user's usual apps,
 * places, browsers and hours with their shares, and the usual range of their volumes. Kept with
 * each fingerprint (from its training rows) and computed the same way over recent events, so the
 * two can be shown side by side.
 */
export type { FeatureSummary };

/** Values listed per categorical feature: enough to see a habit, few enough to read. */
export const SUMMARY_TOP_VALUES = 10;

export function summarizeFeatures(schema: FeatureSchema, rows: readonly FeatureValue[][]): FeatureSummary[] {
  return schema.names.map((name, c) => summarizeColumn(name, schema.kinds[c], rows.map((r) => r[c])));
}

export function summarizeColumn(name: string, kind: FeatureKind, values: readonly FeatureValue[]): FeatureSummary {
  const present = values.filter((v): v is NonNullable<FeatureValue> => v !== null && v !== undefined);
  const rows = values.length;
  const nullShare = rows === 0 ? 0 : round((rows - present.length) / rows);
  if (kind === 'categorical') {
    const counts = new Map<string, number>();
    for (const v of present) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    const top = [...counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, SUMMARY_TOP_VALUES)
      .map(([value, n]) => ({ value, share: round(n / rows) }));
    return { name, kind, rows, nullShare, distinct: counts.size, top };
  }
  const nums = present.map(Number).filter(Number.isFinite);
  if (kind === 'binary') {
    return { name, kind, rows, nullShare, trueShare: nums.length === 0 ? 0 : round(nums.filter((v) => v > 0).length / nums.length) };
  }
  const sorted = Float64Array.from(nums).sort();
  const mean = nums.length === 0 ? 0 : nums.reduce((a, b) => a + b, 0) / nums.length;
  const std = nums.length === 0 ? 0 : Math.sqrt(nums.reduce((a, b) => a + (b - mean) ** 2, 0) / nums.length);
  return { name, kind, rows, nullShare, mean: round(mean), std: round(std), p5: round(quantile(sorted, 0.05)), p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)) };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
