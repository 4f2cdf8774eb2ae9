import type { Encoding, Layout } from '../features/encoding';
import { OTHER_SLOT } from '../features/encoding';
import type { CategoryHistory, UserHistory } from '../model/history';

/**
 * Evidence from the user's own history, beside the autoencoder (issue 15 part 2). The autoencoder
 * reconstructs a value it saw a few times nearly as easily as the usual one, so a sign-in from a
 * country seen twice in 60 days scored like the everyday one. Here a value's evidence is how
 * surprising it is *for this user*: its surprise −ln p under the user's own counts, against the
 * surprise the user's own events usually carry. A volume feature's evidence is how far it goes past
 * the user's own high. Each feature's z is then the larger of the autoencoder's and this one, so
 * the autoencoder still speaks for combinations of ordinary values that are unusual together.
 */

/** Pseudo-count of every value (and of "a value never seen"): keeps p of unseen values finite. */
export const RARITY_PSEUDO_COUNT = 1;
/** Share of the user's own rows whose surprise is no evidence (their usual extreme). */
export const RARITY_USUAL_SHARE = 0.95;
/** Smallest spread of a user's surprise, in nats (a user with one value for ever would otherwise make any change huge). */
export const RARITY_SPREAD_FLOOR = 1;
/**
 * A volume z of 3 per doubling past the user's high (log1p counts: ln 2 per doubling). Session 9:
 * 3 instead of 2 raised the volume-only families on held-out sets 1–2 (azure T1213 0.973 → 0.976
 * on both, CloudTrail T1530 0.934 → 0.945 and 0.984 → 0.989) and left the demo generator's sets
 * as they were (event AUC equal, one more innocent of 225 on one seed).
 */
export const VOLUME_Z_PER_NAT = 3 / Math.LN2;

/** Per model: each column's evidence table. */
export interface HistoryEvidence {
  /** Per schema column: for a categorical column with history, the z of each vocabulary slot; else null. */
  slotZ: (Float64Array | null)[];
  /**
   * Per schema column: for a volume column, its high in encoded units (what the encoded input is
   * compared with) and z per encoded unit past it; else null.
   */
  volume: ({ high: number; perUnit: number } | null)[];
}

/**
 * The evidence tables of a model, or null for one without history (the generic model, older
 * models). `training`: each training row's own value counted out (leave one out), so calibrating
 * on the training rows sees values as new events would: a value seen once is, to the next event,
 * a value never seen.
 */
export function historyEvidence(model: { encoding: Encoding; history?: UserHistory }, training = false): HistoryEvidence | null {
  const { encoding, history } = model;
  if (!history || !Array.isArray(history.columns) || !(history.rows > 0)) return null;
  const slotZ = encoding.columns.map((col, c) => {
    const h = history.columns[c];
    if (col.kind !== 'categorical' || !h || !Array.isArray(h.counts) || h.counts.length !== col.vocab.length) return null;
    return rarityZ(h, history.rows, training);
  });
  const volume = encoding.columns.map((col, c) => {
    const high = history.volumeHigh?.[c];
    if (col.kind !== 'numeric' || typeof high !== 'number' || !Number.isFinite(high)) return null;
    return { high: (high - col.mean) / col.std, perUnit: col.std * VOLUME_Z_PER_NAT };
  });
  return { slotZ, volume };
}

/**
 * z of each slot's value: max(0, S − S₉₅) / σ, where S = −ln p is the value's surprise under the
 * user's counts (Laplace-smoothed, one more value for "never seen"), S₉₅ the surprise that 95 % of
 * the user's own training rows stay within (each row's value counted out of its own count), and σ
 * their spread. Only values rarer than the user's own usual extreme are evidence: many small z from
 * everyday values would otherwise add up (each group adds √z) and drown the rare one.
 * A slot lumping several values (`_other`) stands for one of them: its count shared among them;
 * a value never seen falls there too, and is never seen when nothing was lumped.
 */
function rarityZ(h: CategoryHistory, rows: number, training: boolean): Float64Array {
  const a = RARITY_PSEUDO_COUNT;
  const k = h.counts.length;
  const lumped = Math.max(0, h.otherValues ?? (h.counts[OTHER_SLOT] > 0 ? 1 : 0));
  let distinct = lumped;
  for (let s = 0; s < k; s++) if (s !== OTHER_SLOT && h.counts[s] > 0) distinct += 1;
  const countOf = (s: number): number => (s === OTHER_SLOT ? (lumped > 0 ? h.counts[OTHER_SLOT] / lumped : 0) : h.counts[s]);
  const denominator = rows + a * (distinct + 1);
  // A training row's value counted out: one fewer of it, one fewer row.
  const surprise = (count: number, out: number): number => -Math.log((Math.max(0, count - out) + a) / (denominator - out));
  const own: { surprise: number; share: number }[] = [];
  let mean = 0;
  let square = 0;
  for (let s = 0; s < k; s++) {
    const share = h.counts[s] / rows;
    if (share === 0) continue;
    const v = surprise(countOf(s), 1);
    own.push({ surprise: v, share });
    mean += share * v;
    square += share * v * v;
  }
  const spread = Math.max(RARITY_SPREAD_FLOOR, Math.sqrt(Math.max(0, square - mean * mean)));
  // The surprise 95 % of the user's rows stay within (rows in order of surprise, by share).
  own.sort((x, y) => x.surprise - y.surprise);
  let usual = own.length > 0 ? own[own.length - 1].surprise : 0;
  let covered = 0;
  for (const o of own) {
    covered += o.share;
    if (covered >= RARITY_USUAL_SHARE) {
      usual = o.surprise;
      break;
    }
  }
  const z = new Float64Array(k);
  for (let s = 0; s < k; s++) z[s] = Math.max(0, surprise(countOf(s), training && countOf(s) > 0 ? 1 : 0) - usual) / spread;
  return z;
}

/**
 * Raises a row's z (at `zAt`, schema order) to the history's evidence where that is larger.
 * `hot[hotAt + b]`: the slot of the row's categorical block b; `encoded[encodedAt + k]`: its numeric
 * block k's encoded input (float32). Both scorers call this with the same numbers, so their
 * results stay equal bit for bit.
 */
export function raiseByHistory(
  ev: HistoryEvidence,
  layout: Layout,
  z: Float64Array,
  zAt: number,
  hot: Int32Array,
  hotAt: number,
  encoded: Float32Array,
  encodedAt: number,
): void {
  const { cat, num } = layout;
  for (let b = 0; b < cat.length; b++) {
    const column = cat[b].column;
    const table = ev.slotZ[column];
    if (table !== null) z[zAt + column] = Math.max(z[zAt + column], table[hot[hotAt + b]]);
  }
  for (let k = 0; k < num.length; k++) {
    const column = num[k].column;
    const v = ev.volume[column];
    if (v !== null) z[zAt + column] = Math.max(z[zAt + column], Math.max(0, encoded[encodedAt + k] - v.high) * v.perUnit);
  }
}
