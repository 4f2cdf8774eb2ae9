/**
 * How the app writes numbers, times and feature values. Pure functions, so every page says the
 * same thing the same way (and tests can hold them to it).
 */

import { zText } from '../../common/z_text';

const EMPTY = '—';

/**
 * A dfp.zscore: two decimals while small enough to read, whole numbers beyond 100. With the
 * threshold it is judged against, never rounded across it (7.998 against 8 is "7.998").
 */
export function formatZ(z: number | null | undefined, threshold?: number): string {
  if (z === null || z === undefined || Number.isNaN(z)) return EMPTY;
  if (!Number.isFinite(z)) return z > 0 ? '∞' : '-∞';
  return Math.abs(z) >= 100 ? zText(z, threshold, 0) : zText(z, threshold);
}

/** A count with thousands separators ("9,973"). */
export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return EMPTY;
  return Math.round(n).toLocaleString('en-US');
}

/** A share in [0, 1] as a percentage: whole percents, one decimal below 10 %, "<0.1%" for crumbs. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || Number.isNaN(share)) return EMPTY;
  const pct = share * 100;
  if (pct === 0) return '0%';
  if (pct < 0.1) return '<0.1%';
  if (pct < 10) return `${pct.toFixed(1).replace(/\.0$/, '')}%`;
  return `${Math.round(pct)}%`;
}

/** A measured number (a numeric feature, a loss): at most three decimals, no trailing zeros. */
export function formatNumber(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return EMPTY;
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toFixed(3)));
}

/** A duration in milliseconds, coarsest two units ("1 h 5 min", "42 s", "350 ms"). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms) || ms < 0) return EMPTY;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/**
 * An instant as "2026-10-02 22:50:57" in a time zone (default: the browser's, as Kibana shows
 * times). Unparseable input is returned as it came, so nothing is silently hidden.
 */
export function formatTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return EMPTY;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  // sv-SE writes ISO-like "YYYY-MM-DD HH:mm:ss".
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(new Date(t));
}

/**
 * A feature's value as the model sees it. The engine's encoder has two reserved slots:
 * `_null` (the field was absent) and `_other` (a value outside the learned vocabulary).
 */
export function formatFeatureValue(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined || v === '' || v === '_null') return '(none)';
  if (v === '_other') return '(a rare value)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return formatNumber(v);
  return v;
}

/** "1 event", "3 events". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
