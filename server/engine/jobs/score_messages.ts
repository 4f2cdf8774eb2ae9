/**
 * What the scoring thread and a scoring worker (score_worker.ts) say to each other, for one lane
 * of one run (`id`):
 *
 *   → score    the lane's rows (in table order), their users, each user's rows in time order, the
 *              chunks they come back in; the users' active model versions, the generic model's key;
 *              the users' counts over the days before, for an Elasticsearch run's time-series check
 *   ← need     which users' models (and whether the generic model) the worker does not keep
 *   → generic  the generic model, when needed (before any user's)
 *   → model    each needed user's stored model, in order (at most MODEL_WINDOW ahead of `took`), or
 *              why it could not be read (the generic model scores that user, saying why)
 *   ← took     the worker has taken the next model
 *   ← users    every model is known: the users and their models
 *   ← chunk    a chunk's scores (buffers transferred), chunk after chunk: the scoring thread
 *              writes the documents of one chunk while the worker scores the next; with
 *              LaneOptions.docs (Elasticsearch runs), its rows' dfp objects as JSON (lane_docs.ts)
 *   ← failed   why it could not score, at which user (−1: the generic model; −2: the whole lane)
 *   → recycle  (any time later) chunks' buffers, for later chunks (see BufferPool)
 *
 * Models cross as the store's JSON: the worker verifies and decodes them itself, and keeps them
 * (its own ModelShelf) for the next runs, so a steady run sends no model at all.
 */
import type { FeatureSchema } from '../features/frame';
import type { FingerprintJson } from '../model/fingerprint';
import type { RowsChunk } from './lane_table';
import type { ChunkScores, LaneCounts, LaneOptions, LaneUsers } from './score_lane';

export interface ScoreLaneRows {
  type: 'score';
  id: number;
  schema: FeatureSchema;
  opts: LaneOptions;
  /** Store and profile the models come from: part of the key the worker keeps them under. */
  source: string;
  /** Identifies the generic model's content (store, version, checksum); null when there is none. */
  generic: string | null;
  users: string[];
  /** Active model version per user (store.list); NaN when the store lists none. */
  versions: Float64Array;
  /** Per user: the digest of the listed version's content ('' where the store names none; see RunModels.digestOf). */
  digests: string[];
  /** The lane's rows, and the user of each. */
  rows: RowsChunk;
  rowUser: Int32Array;
  /** User u's rows in time order: userRows[userRowStart[u] … userRowStart[u + 1]). */
  userRows: Int32Array;
  userRowStart: Int32Array;
  /** Chunk c is rows chunkStart[c] … chunkStart[c + 1]. */
  chunkStart: Int32Array;
  /** The users' counts over the days before, when the time-series check runs over them (Elasticsearch runs). */
  counts?: LaneCounts;
}

export interface GenericModel {
  type: 'generic';
  id: number;
  json: FingerprintJson;
}

export interface UserModel {
  type: 'model';
  id: number;
  /** Index into ScoreLaneRows.users. */
  user: number;
  /** The stored model; null when the user has none; undefined when reading it failed. */
  json: FingerprintJson | null | undefined;
  /** Why reading it failed (json undefined). */
  error?: string;
}

export interface Recycle {
  type: 'recycle';
  buffers: ArrayBuffer[];
}

export type ToWorker = ScoreLaneRows | GenericModel | UserModel | Recycle;

export type FromWorker =
  | { type: 'need'; id: number; users: number[]; generic: boolean }
  | { type: 'took'; id: number }
  | { type: 'users'; id: number; users: LaneUsers }
  | { type: 'chunk'; id: number; index: number; scores: ChunkScores }
  | { type: 'failed'; id: number; user: number; message: string };

/** Models sent ahead of what the worker has taken: bounds the worker's memory on a cold run. */
export const MODEL_WINDOW = 32;
