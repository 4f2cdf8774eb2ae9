import type { DfpFields } from '../../../common/fields';
import type { FeatureValue } from '../features/extract';
import { columnsFor, type ColumnFrame, type EventColumns } from '../features/columns';
import type { Prediction } from '../model/predictions';
import { round, type FieldOptions } from './dfp_fields';
import type { EncodedDfp } from '../io/es/sink_body';
import type { ValueHistory } from '../model/history';
import { featuresBuilder, type FeaturesBuilder } from './dfp_features';
import { fromUnits, type ChunkScores, type LaneUser, type LaneUsers, type SchemaInfo } from './lane_numbers';
import { fallbackReason, historyAt, rowDfp, topOf, type RowReads } from './row_dfp';
import type { NovelTarget } from '../score/shared_novelty';

export { fallbackReason };

/** A lane's results as they come in (see ScoreLane), chunk by chunk. */
export interface PlacedLane {
  users: LaneUsers;
  /** The lane's predicted categories (a chunk's `pred` indexes them), grown by each chunk. */
  strings: string[];
  /** Its chunks' results, as they come: chunk c is the lane's rows chunkStart[c] … chunkStart[c + 1]. */
  chunks: ChunkScores[];
  chunkStart: Int32Array;
}

/** Where each user's and row's numbers are among the lanes' results. */
export interface Placement {
  lanes: PlacedLane[];
  /** Per table user: the lane, and the user's index among the lane's users. */
  laneOfUser: Uint8Array;
  userIndex: Int32Array;
  /** Per table row: its row in its lane. */
  slot: Int32Array;
  /** Chunk c holds table rows c·chunkRows … (c + 1)·chunkRows − 1 (of every lane). */
  chunkRows: number;
  chunks: number;
  /** Scoring workers the lanes ran on (0: this thread). */
  workers: number;
  /** Why the stored generic model could not be used (users without a model of their own then go unscored). */
  genericProblem?: string;
  /** Settles once every lane's chunk c is in (rejects when a lane failed). */
  ready(c: number): Promise<void>;
}

/** A scored event's `dfp` as its lane serialised it (LaneOptions.docs), with what user risk reads of it. */
export interface EncodedRow extends EncodedDfp {
  user: string;
  tsAnomaly: boolean;
  /** dfp.ts_zscore as written. */
  tsZscore: number;
  /** The profile's first-seen evidence for user risk (ChunkDocs.firstSeen; 0 without a rule). */
  firstSeen: number;
  /** The largest z of the row's volume features (ChunkDocs.volumeZ). */
  volumeZ: number;
  /** The exact z-score without the model's target group (ChunkScores.zShared; NaN without one), and whether the exact z-score was flagged. */
  zShared: number;
  flagged: boolean;
  /** The row's new targets for user risk's shared-novelty rule (ChunkDocs.novel; empty without a rule). */
  novel: readonly NovelTarget[];
}

/** One scored user: their frame, the lane holding their numbers, and how their rows read (RowReads). */
export interface ScoredUserRows extends RowReads {
  frame: ColumnFrame;
  lane: PlacedLane;
  at: LaneUser;
  /** The table column of each of the model's columns (−1: the table has none). */
  columns: Int32Array;
}

/**
 * Every scored event of a run as numbers in the lanes' typed arrays, from scoring until its
 * document is written, when `dfp` builds its `dfp` object. Building all those objects up front
 * (two dozen per event) filled the old heap, and V8 then marked the whole heap — the input
 * included — every run. A row's numbers are read once its chunk is in (Placement.ready).
 */
export class ScoredRows {
  /** Per input position: its table row, −1 where none. */
  private readonly rowOfInput: Int32Array;
  /** Per table user: the scored user, if scored. */
  private readonly users: (ScoredUserRows | undefined)[] = [];
  /** Which of the table's columns are categorical (what a features builder reads of each). */
  private readonly coded: boolean[];
  /** Per schema (a lane's are usually one or two): its table columns, and its features builder. */
  private readonly bySchema = new Map<SchemaInfo, { columns: Int32Array; build: FeaturesBuilder }>();

  constructor(
    private readonly table: EventColumns,
    private readonly placed: Placement,
    inputs: number,
  ) {
    this.rowOfInput = new Int32Array(inputs).fill(-1);
    for (let r = 0; r < table.size; r++) this.rowOfInput[table.inputIndex[r]] = r;
    this.coded = table.columns.map((c) => c.coded);
  }

  /** How table user `u`'s lane scores them (or why it does not). */
  laneUser(u: number): LaneUser {
    return this.placed.lanes[this.placed.laneOfUser[u]].users.users[this.placed.userIndex[u]];
  }

  /** Table user `u` (its frame), as its lane scores it; undefined when no model scores them. */
  add(u: number, frame: ColumnFrame): ScoredUserRows | undefined {
    const lane = this.placed.lanes[this.placed.laneOfUser[u]];
    const { users, models, schemas } = lane.users;
    const at = users[this.placed.userIndex[u]];
    if (at.model < 0) return undefined;
    const model = models[at.model];
    const schema = schemas[model.schema];
    let reads = this.bySchema.get(schema);
    if (!reads) {
      const columns = columnsFor(this.table.schema, schema) ?? Int32Array.from(schema.names, (_, c) => c);
      reads = { columns, build: featuresBuilder(schema.names, schema.kinds, columns, this.coded) };
      this.bySchema.set(schema, reads);
    }
    const user: ScoredUserRows = { frame, lane, at, model, schema, ...reads };
    if (at.ownProblem !== undefined) user.fallbackReason = fallbackReason(at.ownProblem);
    this.users[u] = user;
    return user;
  }

  /** The table row of input position `inputIndex`; −1 when it has none (not a readable event). */
  rowOf(inputIndex: number): number {
    return this.rowOfInput[inputIndex];
  }

  /** The chunk of table row `r` (a row of `lane`). */
  private chunkOf(lane: PlacedLane, r: number): ChunkScores {
    return lane.chunks[(r / this.placed.chunkRows) | 0];
  }

  /** Row `r`'s place in its chunk. */
  private indexOf(lane: PlacedLane, r: number): number {
    return this.placed.slot[r] - lane.chunkStart[(r / this.placed.chunkRows) | 0];
  }

  zscore(user: ScoredUserRows, k: number): number {
    const r = user.frame.rows[k];
    return this.chunkOf(user.lane, r).zscore[this.indexOf(user.lane, r)];
  }

  tsAnomaly(user: ScoredUserRows, k: number): boolean {
    const r = user.frame.rows[k];
    return this.chunkOf(user.lane, r).tsAnomaly[this.indexOf(user.lane, r)] === 1;
  }

  /** dfp.top_features of the user's k-th row. */
  topFeatures(user: ScoredUserRows, k: number): string[] {
    const r = user.frame.rows[k];
    return topOf(user.schema, this.chunkOf(user.lane, r), this.indexOf(user.lane, r));
  }

  /** The value of the model's `column` in the user's k-th row. */
  value(user: ScoredUserRows, k: number, column: number): FeatureValue {
    return this.table.value(user.frame.rows[k], user.columns[column]);
  }

  /** What the model expected for `column` of the user's k-th row. */
  prediction(user: ScoredUserRows, k: number, column: number): Prediction {
    const { lane, schema } = user;
    const r = user.frame.rows[k];
    const chunk = this.chunkOf(lane, r);
    const at = chunk.zAt[this.indexOf(lane, r)] + column;
    const stored = chunk.pred[at];
    const kind = schema.kinds[column];
    return kind === 'categorical' ? lane.strings[stored] : kind === 'binary' ? stored === 1 : fromUnits(stored, at, chunk.predExact);
  }

  /** The exact z-score of the event at input position `inputIndex` without its model's target group (ChunkScores.zShared); NaN where it has none. */
  zShared(inputIndex: number): number {
    const r = this.rowOfInput[inputIndex];
    const user = r < 0 ? undefined : this.users[this.table.user[r]];
    if (!user) return Number.NaN;
    return this.chunkOf(user.lane, r).zShared[this.indexOf(user.lane, r)];
  }

  /** The `dfp` object of the event at input position `inputIndex`; undefined when it was not scored. */
  dfp(inputIndex: number, opts: Omit<FieldOptions, 'ts'>): DfpFields | undefined {
    const r = this.rowOfInput[inputIndex];
    if (r < 0) return undefined;
    const user = this.users[this.table.user[r]];
    if (!user) return undefined;
    const { lane, frame } = user;
    return rowDfp(frame.user, user, lane.strings, this.chunkOf(lane, r), this.indexOf(lane, r), this.table.columns, r, opts);
  }

  /**
   * The event at input position `inputIndex` as its lane serialised it; undefined when it was not
   * scored or its lane serialised nothing. `threshold`: dfp.threshold (the lane wrote it in the JSON).
   */
  encoded(inputIndex: number, threshold: number): EncodedRow | undefined {
    const r = this.rowOfInput[inputIndex];
    if (r < 0) return undefined;
    const user = this.users[this.table.user[r]];
    if (!user) return undefined;
    const chunk = this.chunkOf(user.lane, r);
    if (!chunk.docs) return undefined;
    const i = this.indexOf(user.lane, r);
    const { bytes, at } = chunk.docs;
    const firstSeen = chunk.docs.firstSeen?.[i] ?? 0;
    const novel = chunk.docs.novel ? novelOf(chunk.docs.novel, i) : NONE;
    return { user: user.frame.user, bytes, start: at[i], end: at[i + 1], zscore: round(chunk.zscore[i]), threshold, tsAnomaly: chunk.tsAnomaly[i] === 1, tsZscore: round(chunk.tsZ[i]), firstSeen, volumeZ: chunk.docs.volumeZ[i], zShared: chunk.zShared[i], flagged: chunk.zscore[i] >= threshold, novel };
  }

  /** What the user's history says of the value of top feature `t` (0: the first) of the user's k-th row. */
  history(user: ScoredUserRows, k: number, t: number): ValueHistory | undefined {
    const r = user.frame.rows[k];
    const chunk = this.chunkOf(user.lane, r);
    const i = this.indexOf(user.lane, r);
    return t < chunk.topCount[i] ? historyAt(user.model, user.lane.strings, chunk, chunk.topAt[i] + t) : undefined;
  }
}

const NONE: readonly NovelTarget[] = Object.freeze([]);

/** Row i's new targets in a chunk's list (rows in order, few of them): a binary search. */
function novelOf(novel: readonly { row: number; targets: NovelTarget[] }[], i: number): readonly NovelTarget[] {
  let lo = 0;
  let hi = novel.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (novel[mid].row < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < novel.length && novel[lo].row === i ? novel[lo].targets : NONE;
}
