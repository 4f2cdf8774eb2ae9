import type { FeatureExplanation } from '../../../common/fields';
import type { FeatureValue } from '../features/extract';
import type { FeatureSchema } from '../features/frame';
import { NULL_SLOT, OTHER_SLOT, type Encoding } from '../features/encoding';
import { VOLUME_FEATURES } from '../features/derived';
import { quantileSorted } from '../score/zscore';

/**
 * The user's own history over the training window, kept beside the autoencoder (issue 15 part 2):
 * what the user normally does, in counts an analyst can read ("never seen before", "usually NL
 * 97%"). It explains, and it is evidence beside the autoencoder (score/history_evidence.ts): how
 * rare the event's values are for this user, and how far its volume goes past the user's own high.
 *
 * Compact and safe with untrusted values: per categorical column, arrays parallel to the
 * encoding's vocabulary (`_null`, `_other`, then the kept values), never objects keyed by values.
 */
export interface UserHistory {
  /** Training rows counted. */
  rows: number;
  /** Rows per UTC hour of day (24 bins). */
  hours: number[];
  /** Per schema column: for a categorical one, its slots' history; null for numeric and binary. */
  columns: (CategoryHistory | null)[];
  /**
   * Per schema column: for a volume feature (features/derived.ts VOLUME_FEATURES), the user's high
   * in the window (its 99th percentile, raw units); null for the others. Absent in older models.
   */
  volumeHigh?: (number | null)[];
}

/** One categorical column's history, each array parallel to the column's vocabulary. */
export interface CategoryHistory {
  /** Rows holding each slot's value (`_null`: rows without one; `_other`: values not kept). */
  counts: number[];
  /** First and last time (ms since the epoch) each slot was seen; null where never. */
  first: (number | null)[];
  last: (number | null)[];
  /** Distinct values counted in `_other` (not kept by the encoding); absent in older models. */
  otherValues?: number;
}

/** Values `usual` names at most. */
export const USUAL_VALUES = 3;

/** The history of the training rows (`times` parallel to `rows`) under the fitted encoding. */
export function fitHistory(schema: FeatureSchema, encoding: Encoding, rows: readonly FeatureValue[][], times: readonly number[]): UserHistory {
  const volume = new Set(VOLUME_FEATURES);
  const hours = new Array<number>(24).fill(0);
  for (const t of times) {
    if (Number.isFinite(t)) hours[new Date(t).getUTCHours()] += 1;
  }
  const columns = encoding.columns.map((col, c): CategoryHistory | null => {
    if (col.kind !== 'categorical' || schema.kinds[c] !== 'categorical') return null;
    const slotOf = new Map(col.vocab.map((v, i) => [v, i]));
    const k = col.vocab.length;
    const counts = new Array<number>(k).fill(0);
    const first = new Array<number | null>(k).fill(null);
    const last = new Array<number | null>(k).fill(null);
    const others = new Set<string>();
    rows.forEach((r, i) => {
      const v = r[c];
      // The slot the encoder gives the value (encodeRows' rule).
      const s = v === null || v === undefined ? NULL_SLOT : (slotOf.get(String(v)) ?? OTHER_SLOT);
      counts[s] += 1;
      if (s === OTHER_SLOT) others.add(String(v));
      const t = times[i];
      if (!Number.isFinite(t)) return;
      if (first[s] === null || t < (first[s] as number)) first[s] = t;
      if (last[s] === null || t > (last[s] as number)) last[s] = t;
    });
    return { counts, first, last, otherValues: others.size };
  });
  const volumeHigh = schema.names.map((name, c) => {
    if (!volume.has(name) || schema.kinds[c] !== 'numeric') return null;
    const values: number[] = [];
    for (const r of rows) if (typeof r[c] === 'number' && Number.isFinite(r[c])) values.push(r[c] as number);
    return values.length > 0 ? quantileSorted(Float64Array.from(values).sort(), VOLUME_HIGH_QUANTILE) : null;
  });
  return { rows: rows.length, hours, columns, volumeHigh };
}

/** Where a user's volume high sits among the window's values (robust to one odd day). */
export const VOLUME_HIGH_QUANTILE = 0.99;

/**
 * What an explanation needs of a model's history, as plain data (it crosses from scoring workers
 * to the thread writing documents): per schema column, the vocabulary, the counts and the user's
 * usual values with their shares.
 */
export interface HistoryView {
  columns: (ColumnView | null)[];
}

interface ColumnView {
  vocab: string[];
  counts: number[];
  usual: [string, number][];
}

/** A model's history as a view; undefined for a model without one (older models, the generic model). */
export function historyViewOf(model: { encoding?: Encoding; history?: UserHistory }): HistoryView | undefined {
  const { encoding, history } = model;
  if (!encoding || !history || !Array.isArray(history.columns)) return undefined;
  let view = views.get(history);
  if (!view) {
    view = {
      columns: encoding.columns.map((col, c) => {
        const h = history.columns[c];
        if (col.kind !== 'categorical' || !h || !Array.isArray(h.counts) || h.counts.length !== col.vocab.length) return null;
        return { vocab: col.vocab, counts: h.counts, usual: usualOf(col.vocab, h.counts, history.rows) };
      }),
    };
    views.set(history, view);
  }
  return view;
}

const views = new WeakMap<UserHistory, HistoryView>();

/** The most common kept values (not `_null`/`_other`) with their shares of the rows, largest first. */
function usualOf(vocab: readonly string[], counts: readonly number[], rows: number): [string, number][] {
  return usualSlots(vocab, counts, rows).map(([s, share]) => [vocab[s], share]);
}

/** usualOf as vocabulary slots. */
export function usualSlots(vocab: readonly string[], counts: readonly number[], rows: number): [number, number][] {
  const slots: number[] = [];
  for (let s = 0; s < vocab.length; s++) if (s !== NULL_SLOT && s !== OTHER_SLOT && counts[s] > 0) slots.push(s);
  slots.sort((a, b) => counts[b] - counts[a] || a - b);
  return slots.slice(0, USUAL_VALUES).map((s) => [s, rows > 0 ? Math.round((counts[s] / rows) * 1e4) / 1e4 : 0]);
}

/** Per view, each column's value → slot (built on first use, on the thread that writes). */
const lookups = new WeakMap<HistoryView, (Map<string, number> | null)[]>();

/** What the user's history says of `value` in schema column `column`: undefined where it keeps none. */
export interface ValueHistory {
  /** Rows with this value in the window (0: never seen); absent where the count cannot say. */
  seen?: number;
  usual: [string, number][];
}

/**
 * The history of one value. `seen` is left out where the count cannot say: a value in `_other`
 * when other values were lumped there too.
 */
export function historyOf(view: HistoryView | undefined, column: number, value: unknown): ValueHistory | undefined {
  const col = view?.columns[column];
  if (!view || !col) return undefined;
  let slots = lookups.get(view);
  if (!slots) {
    slots = view.columns.map(() => null);
    lookups.set(view, slots);
  }
  let slotOf = slots[column];
  if (!slotOf) slotOf = slots[column] = new Map(col.vocab.map((v, i) => [v, i]));
  const s = value === null || value === undefined ? NULL_SLOT : (slotOf.get(String(value)) ?? OTHER_SLOT);
  // A copy: each document owns its arrays (writers may keep or change them).
  const usual = col.usual.map(([v, share]): [string, number] => [v, share]);
  return s === OTHER_SLOT && col.counts[OTHER_SLOT] > 0 ? { usual } : { seen: col.counts[s], usual };
}

/**
 * Adds `seen` and `usual` to the explanations of the event's top features that are categorical
 * (at most `top.length`, three by default: cheap at write time).
 */
export function addHistory(features: Record<string, FeatureExplanation>, top: readonly string[], names: readonly string[], view: HistoryView | undefined): void {
  if (!view) return;
  for (const name of top) {
    if (!Object.prototype.hasOwnProperty.call(features, name)) continue;
    const explained = features[name];
    const h = historyOf(view, names.indexOf(name), explained.value);
    if (!h) continue;
    if (h.seen !== undefined) explained.seen = h.seen;
    explained.usual = h.usual;
  }
}
