/**
 * What a lane of scoring (score_lane.ts) hands back, as numbers in typed arrays: its users and
 * their models, and each chunk's scores (ChunkScores) with, for Elasticsearch runs, each scored
 * row's `dfp` object already serialised (ChunkDocs, lane_docs.ts). Apart from score_lane.ts so
 * that what reads these numbers (dfp_features.ts, row_dfp.ts, scored_rows.ts) needs nothing of
 * the lane itself.
 */
import type { FirstSeenEvidence } from '../profiles/types';
import type { NovelTarget, SharedNoveltyRule } from '../score/shared_novelty';

/** What a lane needs to serialise its rows' `dfp` objects (LaneOptions.docs): as dfp_fields.assembleDfp takes them. */
export interface DocOptions {
  threshold: number;
  scoredAt: string;
  /** The profile's first-seen rule (Profile.firstSeen): its evidence per row rides with the bytes (ChunkDocs.firstSeen). */
  firstSeen?: FirstSeenEvidence;
  /** The profile's shared-novelty rule (Profile.sharedNovelty): each row's new targets ride with the bytes (ChunkDocs.novel). */
  sharedNovelty?: SharedNoveltyRule;
}

export type ColumnKind = 'categorical' | 'numeric' | 'binary';

/** A model's feature names and kinds: what its per-feature numbers mean. */
export interface SchemaInfo {
  names: string[];
  kinds: ColumnKind[];
}

/** What a document says of the model that scored it. */
export interface ModelInfo {
  user: string | null;
  version: number;
  generic: boolean;
  trainedAt: string;
  /** Index into LaneUsers.schemas. */
  schema: number;
  /**
   * The user's usual values, for the explanations (absent: the model keeps no history): per schema
   * column, USUAL_VALUES pairs (an index into the lane's strings, −1 for none; the share in units
   * of 10⁻⁴), largest first. One small array per model: what crosses to the writing thread.
   */
  usual?: Int32Array;
}

/** ChunkScores.topSeen of a top feature the model keeps no history of (not categorical, or no history). */
export const NO_HISTORY = -2;
/** ChunkScores.topSeen of a value whose count the history cannot tell (lumped with others in `_other`). */
export const SEEN_UNKNOWN = -1;

/** One of a lane's users. */
export interface LaneUser {
  /** Index into LaneUsers.models; −1 when no model scores the user (none of their own, no generic). */
  model: number;
  own: boolean;
  /** The model was trained on other features than the table holds (its columns are read by name). */
  stale: boolean;
  /**
   * Why the user's own model could not be used (unreadable, corrupt): the generic model scores
   * them instead, or nothing does (`model` −1). Absent when there was no such problem.
   */
  ownProblem?: string;
}

/** A lane's users and the models that score them. */
export interface LaneUsers {
  users: LaneUser[];
  models: ModelInfo[];
  schemas: SchemaInfo[];
}

/**
 * The results of a chunk of a lane's rows (consecutive rows of its table), by row within the
 * chunk. Per feature of a row (its model's width of them, from `zAt`): `z` and `pred` (a
 * categorical's prediction as an index into the lane's strings, a binary's as 1 or 0, a number's as
 * written), numbers in units (see `toUnits`). Per row: the top features as columns (from `topAt`),
 * the scores (anomaly score and max |z| rounded, zscore exact: flags and rankings read it), and the
 * time-series z (exact, non-finite as 0) and flag. Rows of users without a model hold nothing.
 */
export interface ChunkScores {
  /** Predicted categories first met in this chunk: the lane's strings go on with them. */
  strings: string[];
  zAt: Int32Array;
  z: Int32Array;
  /** The z of slots holding EXACT. */
  zExact: Map<number, number>;
  pred: Int32Array;
  /** The numeric predictions of slots holding EXACT. */
  predExact: Map<number, number>;
  topAt: Int32Array;
  top: Int16Array;
  /** Parallel to `top`: how often the user had the feature's value in the window (or NO_HISTORY, SEEN_UNKNOWN). */
  topSeen: Int32Array;
  topCount: Uint16Array;
  anomalyScore: Float64Array;
  maxAbsZ: Float64Array;
  zscore: Float64Array;
  /** Exact too: zscore with the model's target group left out (BatchScores.zShared; NaN without one), for a rollout's event. */
  zShared: Float64Array;
  tsZ: Float64Array;
  tsAnomaly: Uint8Array;
  /** Elasticsearch runs (LaneOptions.docs): each row's `dfp` object as JSON. */
  docs?: ChunkDocs;
}

/**
 * The `dfp` objects of a chunk's rows as JSON in UTF-8, less the closing brace (the writing thread
 * appends the fields it adds, dfp.user_risk and dfp.user_flagged, then closes it): row i's are
 * bytes[at[i] … at[i + 1]), empty for a row no model scored.
 */
export interface ChunkDocs {
  bytes: Uint8Array;
  at: Int32Array;
  /** Per row, with DocOptions.firstSeen: the rule's evidence for user risk, read off the object before it became bytes. */
  firstSeen?: Float64Array;
  /** Per row: the largest z of its volume features, for user risk's burst evidence (score/risk_evidence.ts volumeZ). */
  volumeZ: Float64Array;
  /** With DocOptions.sharedNovelty: the rows with new targets (row index in the chunk, and the targets), read off the objects too. */
  novel?: { row: number; targets: NovelTarget[] }[];
}

/**
 * The dfp fields' numbers have 4 decimals (z rounded, numeric predictions as toFixed(4) gives
 * them): a lane keeps such a number v as the integer v·10⁴, which v is exactly that integer / 10⁴
 * — half the bytes of a double. (Every new buffer counts towards V8's next full collection of the
 * writing thread's heap, which holds the whole input.) A number that is no such integer in int32
 * range (NaN, ±∞, −0, huge) keeps its slot at EXACT and its value in a side map.
 */
export const EXACT = -0x80000000;

/** The units slot `at` holds, or EXACT after putting `v` in `exact`. `v` has at most 4 decimals. */
export function toUnits(v: number, at: number, exact: Map<number, number>): number {
  const m = Math.round(v * 1e4);
  if (m > EXACT && m <= 0x7fffffff && m / 1e4 === v && !Object.is(v, -0)) return m;
  exact.set(at, v);
  return EXACT;
}

/** The number a units slot stands for. */
export function fromUnits(stored: number, at: number, exact: Map<number, number>): number {
  return stored !== EXACT ? stored / 1e4 : exact.get(at)!;
}

/** The buffers of a chunk's results, to transfer rather than copy, and to give back once written. */
export function chunkBuffers(s: ChunkScores): ArrayBuffer[] {
  const arrays = [s.zAt, s.z, s.pred, s.topAt, s.top, s.topSeen, s.topCount, s.anomalyScore, s.maxAbsZ, s.zscore, s.zShared, s.tsZ, s.tsAnomaly, ...(s.docs ? [s.docs.bytes, s.docs.at] : [])];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
