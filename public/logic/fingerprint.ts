/**
 * A user's fingerprint, feature by feature: what the model learned as normal (the training
 * distribution) against what was seen in the range, and how far the two have moved apart.
 */
import type { FingerprintResponse } from '../../common/api';
import type { FeatureSummary } from '../../common/feature_summary';
import { formatFeatureValue, formatNumber, formatShare } from './format';

export type FingerprintFeature = FingerprintResponse['features'][number];

export interface CategoryBar {
  value: string;
  label: string;
  side: 'training' | 'recent';
  share: number;
}

export interface CategoryRow {
  value: string;
  label: string;
  training: number | null;
  recent: number | null;
  /** Seen recently but absent from the training top values. */
  isNew: boolean;
}

type Categorical = Extract<FeatureSummary, { kind: 'categorical' }>;
type Numeric = Extract<FeatureSummary, { kind: 'numeric' }>;
type Binary = Extract<FeatureSummary, { kind: 'binary' }>;

const NONE = '_null';

function shares(s: Categorical | null): Map<string, number> | null {
  if (!s) return null;
  const m = new Map(s.top.map((t) => [t.value, t.share]));
  if (s.nullShare > 0) m.set(NONE, (m.get(NONE) ?? 0) + s.nullShare);
  return m;
}

/**
 * The union of the top values on both sides (absence counted as its own value), ordered by the
 * larger of the two shares, at most `limit` rows. A side without a summary gives null shares.
 */
export function categoryRows(trained: FeatureSummary | null, recent: FeatureSummary | null, limit = 8): CategoryRow[] {
  const t = shares(trained?.kind === 'categorical' ? trained : null);
  const r = shares(recent?.kind === 'categorical' ? recent : null);
  const values = new Set([...(t?.keys() ?? []), ...(r?.keys() ?? [])]);
  const rows = [...values].map((value) => {
    const training = t ? (t.get(value) ?? 0) : null;
    const rec = r ? (r.get(value) ?? 0) : null;
    return { value, label: formatFeatureValue(value), training, recent: rec, isNew: t !== null && (rec ?? 0) > 0 && !t.has(value) };
  });
  rows.sort((a, b) => Math.max(b.training ?? 0, b.recent ?? 0) - Math.max(a.training ?? 0, a.recent ?? 0) || a.value.localeCompare(b.value));
  return rows.slice(0, limit);
}

/** The hour-of-day feature (values "00" … "23", UTC). */
export const HOUR_FEATURE = 'hour';

/**
 * The hour feature as 24 rows, 00 to 23 in clock order, whatever the shares: a day read by the
 * clock, where an hour never seen shows as an empty slot rather than going missing.
 */
export function hourRows(trained: FeatureSummary | null, recent: FeatureSummary | null): CategoryRow[] {
  const t = shares(trained?.kind === 'categorical' ? trained : null);
  const r = shares(recent?.kind === 'categorical' ? recent : null);
  return Array.from({ length: 24 }, (_, h) => {
    const value = String(h).padStart(2, '0');
    const rec = r ? (r.get(value) ?? 0) : null;
    return { value, label: value, training: t ? (t.get(value) ?? 0) : null, recent: rec, isNew: t !== null && (rec ?? 0) > 0 && !t.has(value) };
  });
}

/** The same rows as grouped bars for @elastic/charts (one bar per side and value). */
export function categoryBars(rows: CategoryRow[]): CategoryBar[] {
  return rows.flatMap((row) => [
    ...(row.training !== null ? [{ value: row.value, label: row.label, side: 'training' as const, share: row.training }] : []),
    ...(row.recent !== null ? [{ value: row.value, label: row.label, side: 'recent' as const, share: row.recent }] : []),
  ]);
}

export interface RangeBar {
  side: 'training' | 'recent';
  p5: number;
  p50: number;
  p95: number;
  mean: number;
}

/** A numeric feature's typical range (5th–95th percentile, median) on each side that has one. */
export function numericRanges(trained: FeatureSummary | null, recent: FeatureSummary | null): RangeBar[] {
  const out: RangeBar[] = [];
  for (const [side, s] of [['training', trained], ['recent', recent]] as const) {
    if (s?.kind === 'numeric' && s.rows > 0 && s.nullShare < 1) out.push({ side, p5: s.p5, p50: s.p50, p95: s.p95, mean: s.mean });
  }
  return out;
}

/**
 * How far recent behaviour has moved from training, in [0, 1]: for categorical and binary
 * features the total variation distance between the two distributions (absence included);
 * for numeric ones the shift of the median in units of two training standard deviations, capped
 * at 1. Null when a side is missing.
 */
export function featureShift(f: Pick<FingerprintFeature, 'kind' | 'trained' | 'recent'>): number | null {
  const { trained, recent } = f;
  if (!trained || !recent) return null;
  if (trained.kind === 'categorical' && recent.kind === 'categorical') {
    const t = shares(trained)!;
    const r = shares(recent)!;
    // Mass outside the top lists is unknown on each side: count it as "other" on both.
    const rest = (m: Map<string, number>): number => Math.max(0, 1 - [...m.values()].reduce((a, b) => a + b, 0));
    let tv = Math.abs(rest(t) - rest(r));
    for (const v of new Set([...t.keys(), ...r.keys()])) tv += Math.abs((t.get(v) ?? 0) - (r.get(v) ?? 0));
    return clamp01(tv / 2);
  }
  if (trained.kind === 'binary' && recent.kind === 'binary') {
    const dist = (s: Binary): number[] => [s.trueShare * (1 - s.nullShare), (1 - s.trueShare) * (1 - s.nullShare), s.nullShare];
    const [a, b] = [dist(trained), dist(recent)];
    return clamp01(a.reduce((acc, x, i) => acc + Math.abs(x - b[i]), 0) / 2);
  }
  if (trained.kind === 'numeric' && recent.kind === 'numeric') {
    if (recent.nullShare >= 1 || trained.nullShare >= 1) return trained.nullShare === recent.nullShare ? 0 : 1;
    const spread = Math.max((trained as Numeric).std, 1e-9);
    return clamp01(Math.abs(recent.p50 - trained.p50) / (2 * spread));
  }
  return null;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Words for a shift, with the EUI colour that goes with it. */
export function shiftLabel(shift: number | null): { text: string; color: 'default' | 'warning' | 'danger' | 'hollow' } {
  if (shift === null) return { text: 'not comparable', color: 'hollow' };
  if (shift >= 0.5) return { text: 'changed a lot', color: 'danger' };
  if (shift >= 0.2) return { text: 'changed', color: 'warning' };
  return { text: 'as usual', color: 'default' };
}

/** Features with the largest shift first; ones that cannot be compared last, by name. */
export function sortFeaturesByShift<T extends Pick<FingerprintFeature, 'name' | 'kind' | 'trained' | 'recent'>>(features: T[]): T[] {
  return [...features]
    .map((f) => ({ f, s: featureShift(f) }))
    .sort((a, b) => (b.s ?? -1) - (a.s ?? -1) || a.f.name.localeCompare(b.f.name))
    .map(({ f }) => f);
}

/** One line for a summary: "Windows 10 45%, macOS 30%…" / "median 3 (1–7)" / "yes 80%". */
export function summaryLine(s: FeatureSummary | null): string {
  if (!s) return 'no data';
  if (s.rows === 0 || s.nullShare >= 1) return 'always absent';
  switch (s.kind) {
    case 'categorical':
      // Largest first (the hour's values come in clock order).
      return [...s.top].sort((a, b) => b.share - a.share).slice(0, 3).map((t) => `${formatFeatureValue(t.value)} ${formatShare(t.share)}`).join(', ') + (s.distinct > 3 ? ` … (${s.distinct} values)` : '');
    case 'numeric':
      return `median ${formatNumber(s.p50)} (${formatNumber(s.p5)}–${formatNumber(s.p95)})`;
    case 'binary':
      return `yes ${formatShare(s.trueShare)}`;
  }
}
