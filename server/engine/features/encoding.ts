import type { FeatureKind } from '../profiles';
import type { FeatureValue } from './extract';
import type { FeatureSchema } from './frame';

/**
 * How each column becomes numbers, fitted on training rows and stored with the model.
 * Categorical: one-hot over [_null, _other, ...kept values]; nulls and unseen values get separate
 * slots so "no error code" and "an error code never seen" stay apart. Numeric: null → training
 * mean, then standard scaling (σ floored, see NUMERIC_STD_FLOOR). Binary: 0/1, null → training mean.
 */
export type ColumnEncoding =
  | { name: string; kind: 'categorical'; vocab: string[] }
  | { name: string; kind: 'numeric'; mean: number; std: number }
  | { name: string; kind: 'binary'; mean: number };

/** Smallest scale a numeric column gets, in its own units. */
export const NUMERIC_STD_FLOOR = 1;

export const NULL_SLOT = 0;
export const OTHER_SLOT = 1;
export const NULL_LABEL = '_null';
export const OTHER_LABEL = '_other';

export interface Encoding {
  columns: ColumnEncoding[];
}

export interface EncodingOptions {
  /** A value is kept if seen at least this often (dfencoder's min_cats). */
  minCount: number;
  /** At most this many values per column are kept, most frequent first (a column's FeatureSchema.maxValues may say fewer). */
  maxCategories: number;
}

export const DEFAULT_ENCODING_OPTIONS: EncodingOptions = { minCount: 1, maxCategories: 64 };

export function fitEncoding(schema: FeatureSchema, rows: FeatureValue[][], opts = DEFAULT_ENCODING_OPTIONS): Encoding {
  const columns = schema.names.map((name, c): ColumnEncoding => {
    const kind: FeatureKind = schema.kinds[c];
    if (kind === 'categorical') {
      const cap = schema.maxValues?.[c];
      const most = typeof cap === 'number' && cap >= 0 ? Math.min(cap, opts.maxCategories) : opts.maxCategories;
      const counts = new Map<string, number>();
      for (const r of rows) {
        const v = r[c];
        if (v !== null) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      const kept = [...counts.entries()]
        .filter(([, n]) => n >= opts.minCount)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, most)
        .map(([v]) => v);
      return { name, kind, vocab: [NULL_LABEL, OTHER_LABEL, ...kept] };
    }
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    for (const r of rows) {
      const v = r[c];
      if (typeof v === 'number') {
        sum += v;
        sumSq += v * v;
        n += 1;
      }
    }
    const mean = n > 0 ? sum / n : 0;
    if (kind === 'binary') return { name, kind, mean };
    const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
    // Floored: a count that never varied (one location a day, every day) would otherwise turn
    // its first change into dozens of standard deviations.
    const std = Math.max(Math.sqrt(Math.max(variance, 0)), NUMERIC_STD_FLOOR, 0.1 * Math.abs(mean));
    return { name, kind: 'numeric', mean, std };
  });
  return { columns };
}

/** Where each column sits in the encoded vector: categorical blocks first, then numeric, then binary. */
export interface Layout {
  /** Encoded width. */
  width: number;
  /** Width of the categorical part (the first columns of the vector). */
  catWidth: number;
  cat: { column: number; offset: number; size: number }[];
  num: { column: number; offset: number }[];
  bin: { column: number; offset: number }[];
  /** Column order of per-feature losses: categorical, then numeric, then binary. */
  lossOrder: number[];
}

export function layoutOf(enc: Encoding): Layout {
  const cat: Layout['cat'] = [];
  const num: Layout['num'] = [];
  const bin: Layout['bin'] = [];
  let offset = 0;
  enc.columns.forEach((col, c) => {
    if (col.kind === 'categorical') {
      cat.push({ column: c, offset, size: col.vocab.length });
      offset += col.vocab.length;
    }
  });
  const catWidth = offset;
  enc.columns.forEach((col, c) => {
    if (col.kind === 'numeric') num.push({ column: c, offset: offset++ });
  });
  enc.columns.forEach((col, c) => {
    if (col.kind === 'binary') bin.push({ column: c, offset: offset++ });
  });
  const lossOrder = [...cat.map((b) => b.column), ...num.map((b) => b.column), ...bin.map((b) => b.column)];
  return { width: offset, catWidth, cat, num, bin, lossOrder };
}

/** Rows → a row-major [n × width] matrix. */
export function encodeRows(enc: Encoding, layout: Layout, rows: FeatureValue[][]): Float32Array {
  const out = new Float32Array(rows.length * layout.width);
  const lookups = enc.columns.map((col) =>
    col.kind === 'categorical' ? new Map(col.vocab.map((v, i) => [v, i])) : null,
  );
  rows.forEach((r, i) => {
    const base = i * layout.width;
    for (const b of layout.cat) {
      const v = r[b.column];
      const slot = v === null ? NULL_SLOT : (lookups[b.column]!.get(String(v)) ?? OTHER_SLOT);
      out[base + b.offset + slot] = 1;
    }
    for (const b of layout.num) {
      const col = enc.columns[b.column] as Extract<ColumnEncoding, { kind: 'numeric' }>;
      const v = r[b.column];
      out[base + b.offset] = typeof v === 'number' ? (v - col.mean) / col.std : 0;
    }
    for (const b of layout.bin) {
      const col = enc.columns[b.column] as Extract<ColumnEncoding, { kind: 'binary' }>;
      const v = r[b.column];
      out[base + b.offset] = typeof v === 'number' ? v : col.mean;
    }
  });
  return out;
}
