import type { ScoringModel } from '../model/scoring_model';
import { sharedScorer, type BatchScores, type ScoreJob } from '../model/batch_scorer';
import { fixed4 } from '../model/predictions';
import { OTHER_SLOT } from '../features/encoding';
import { USUAL_VALUES } from '../model/history';
import { schemaOfModel, usualOfModel } from './lane_models';
import { columnsFor, type ScoringTable } from '../features/columns';
import { countsZ, timeseriesCheck, timeseriesFits, TIMESERIES_DEFAULTS } from '../score/timeseries';
import { round, topColumnsInto, topSlots } from './dfp_fields';
import { BufferPool, type ArrayKind, type NumberArray } from './buffer_pool';
import { EXACT, NO_HISTORY, SEEN_UNKNOWN, toUnits, type ChunkScores, type DocOptions, type LaneUser, type LaneUsers, type ModelInfo, type SchemaInfo } from './lane_numbers';

// The lane's results are described in lane_numbers.ts; importers of this file find them here too.
export { EXACT, NO_HISTORY, SEEN_UNKNOWN, toUnits, fromUnits, chunkBuffers } from './lane_numbers';
export type { ChunkDocs, ChunkScores, ColumnKind, DocOptions, LaneUser, LaneUsers, ModelInfo, SchemaInfo } from './lane_numbers';

// Local copies of what the per-row loops call: under tsx (CommonJS output) an imported binding is
// read through a getter at every use.
const round4 = round;
const topColumns = topColumnsInto;
const toFixed4 = fixed4;

/**
 * One lane of file scoring: some users' rows of a table scored with their models, every number
 * the written `dfp` objects need computed (rounded z, decoded predictions, top features, the
 * time-series check) and kept in typed arrays, a chunk of rows at a time. A lane runs on the
 * scoring thread itself or in a scoring worker (score_worker.ts), whose table holds only its
 * users' rows; both give the same numbers, and the thread that writes the documents only
 * assembles objects from them (scored_rows.ts).
 */
export interface LaneOptions {
  /** How many top features each event names (dfp.top_features). */
  topFeatures: number;
  tsThreshold?: number;
  tsBinMinutes?: number;
  /** Elasticsearch runs: each scored row's `dfp` object serialised where it is scored (ChunkScores.docs, lane_docs.ts). */
  docs?: DocOptions;
}

/**
 * Each user's event counts per bin over the days before (Elasticsearch runs: a run's events are
 * minutes of a user's activity, the time-series check needs days of it, io/es/user_counts.ts):
 * lane user u's series is series[u·bins … (u + 1)·bins), bin 0 starting at `firstBin`.
 */
export interface LaneCounts {
  firstBin: number;
  binMs: number;
  bins: number;
  series: Float64Array;
}


/**
 * Rows scored together in one batch (a user larger than this is split). Small enough that a
 * batch's models are let go while still young in V8's heap; large enough that the three tfjs ops
 * a batch costs are noise.
 */
const BATCH_ROWS = 1024;

/**
 * Rows of a user in a chunk from which the lane keeps the user's own slot of every value of the
 * table's categorical columns (an array per column as long as its dictionary): below, the rows'
 * values are looked up in each column's shared memo. A run with many users of a few rows each
 * (a scheduled Elasticsearch run) allocated those arrays per user otherwise.
 */
const OWN_SLOTS_ROWS = 64;
const NO_SLOTS: (Int32Array | null)[] = [];

/** Per model met in a lane: its info's index, and each categorical column's vocabulary index → string index. */
interface ModelEntry {
  info: number;
  vocab: (Int32Array | null)[];
}

/** A lane user's model and how it reads the table. */
interface UserModel {
  model: ScoringModel;
  entry: ModelEntry;
  /** The table column of each of the model's columns. */
  columns: Int32Array;
  /** The model's slot of each value of each categorical column (ScoreJob.slots), made at its first chunk. */
  slots?: (Int32Array | null)[];
}

/** The arrays of a chunk being scored. */
interface ChunkArrays {
  base: number;
  zAt: Int32Array;
  topAt: Int32Array;
  topCount: Uint16Array;
  anomalyScore: Float64Array;
  maxAbsZ: Float64Array;
  zscore: Float64Array;
  zShared: Float64Array;
  z: Int32Array;
  pred: Int32Array;
  top: Int16Array;
  topSeen: Int32Array;
  zExact: Map<number, number>;
  predExact: Map<number, number>;
  zUsed: number;
  topUsed: number;
}

/**
 * Users are set first (`setUser`, with their models), and each user's time-series check runs over
 * the user's rows in time order (`timeseries`); then the table's rows are scored a chunk at a time
 * (`scoreChunk`).
 */
export class ScoreLane {
  private readonly users: LaneUser[] = [];
  private readonly models: (UserModel | null)[] = [];
  private readonly infos: ModelInfo[] = [];
  private readonly entries = new Map<ScoringModel, ModelEntry>();
  private readonly schemas: SchemaInfo[] = [];
  private readonly schemaIds = new Map<string, number>();
  private strings: string[] = [];
  /** Strings already sent with a chunk (ModelInfo.usual adds some before the first). */
  private stringsSent = 0;
  private readonly stringIds = new Map<string, number>();
  /** One row's predictions as BatchScores.predictions writes them. */
  private stored = new Float64Array(64);
  private readonly identity: Int32Array;
  /** The time-series check's results, by table row (until their chunk takes them). */
  private readonly tsZ: Float64Array;
  private readonly tsAnomaly: Uint8Array;

  /** `buffers`: where the chunks' arrays come from (spares of earlier chunks, see BufferPool). */
  constructor(
    private readonly table: ScoringTable,
    private readonly opts: LaneOptions,
    private readonly buffers = new BufferPool(0),
  ) {
    this.identity = Int32Array.from({ length: table.schema.names.length }, (_, i) => i);
    this.tsZ = new Float64Array(table.size);
    this.tsAnomaly = new Uint8Array(table.size);
  }

  /**
   * User `index` scored with their own model, else the generic one (none: the user's rows are not
   * scored). `ownProblem`: why the user's own model could not be used, when it could not.
   */
  setUser(index: number, own: ScoringModel | null, generic: ScoringModel | null, ownProblem?: string): void {
    const model = own ?? generic;
    const user: LaneUser = { model: -1, own: own !== null, stale: false };
    if (ownProblem !== undefined) user.ownProblem = ownProblem;
    this.users[index] = user;
    this.models[index] = null;
    if (!model) return;
    const entry = this.entryOf(model);
    user.model = entry.info;
    // The model's columns in the table: by name when the model was trained on other fields.
    const columns = columnsFor(this.table.schema, model.json.schema);
    user.stale = columns !== null;
    this.models[index] = { model, entry, columns: columns ?? this.identity };
  }

  /** Whether user `index` has a model to be scored with. */
  scores(index: number): boolean {
    return this.models[index] != null;
  }

  /** The lane's users and their models. */
  laneUsers(): LaneUsers {
    return { users: this.users, models: this.infos, schemas: this.schemas };
  }

  /** Every predicted category met so far (what chunks' `pred` and ModelInfo.usual index). */
  allStrings(): readonly string[] {
    return this.strings;
  }

  /** The time-series check over a user's rows, in time order (Morpheus' fftAD per user). */
  timeseries(rows: Int32Array): void {
    const times = new Float64Array(rows.length);
    for (let k = 0; k < rows.length; k++) times[k] = this.table.time[rows[k]];
    // Events centuries apart (a clock gone wrong: year 1000 among this year's) make no series:
    // the user's events keep ts z 0, as a series too short to judge, and the run goes on.
    if (rows.length > 0 && !timeseriesFits(times[0], times[rows.length - 1], this.opts.tsBinMinutes)) return;
    const ts = timeseriesCheck(times, { threshold: this.opts.tsThreshold, binMinutes: this.opts.tsBinMinutes });
    for (let k = 0; k < rows.length; k++) {
      const z = ts.eventZ[k];
      this.tsZ[rows[k]] = Number.isFinite(z) ? z : 0;
      this.tsAnomaly[rows[k]] = ts.eventAnomaly[k] ? 1 : 0;
    }
  }

  /**
   * The time-series check of a user's rows from their counts (see LaneCounts): each row's z is
   * its bin's residual z over the user's series (countsZ), flagged at the threshold unless the
   * series is too short to judge; a row outside the series keeps z 0.
   */
  countsTimeseries(rows: Int32Array, counts: LaneCounts, u: number): void {
    const { binZ, tooShort } = countsZ(counts.series.subarray(u * counts.bins, (u + 1) * counts.bins), { minBins: TIMESERIES_DEFAULTS.minBins });
    const threshold = this.opts.tsThreshold ?? TIMESERIES_DEFAULTS.threshold;
    for (const r of rows) {
      const bin = Math.floor((this.table.time[r] - counts.firstBin) / counts.binMs);
      const z = bin >= 0 && bin < binZ.length ? binZ[bin] : 0;
      this.tsZ[r] = z;
      this.tsAnomaly[r] = !tooShort && z >= threshold ? 1 : 0;
    }
  }

  /**
   * Scores the table's rows base … base + n − 1 (`users[r]`: the user of row r, indexed by table
   * row) whose users have a model, after their users' time-series checks.
   */
  scoreChunk(base: number, n: number, users: Int32Array): ChunkScores {
    const f = this.identity.length;
    const stride = topSlots(this.opts.topFeatures, f);
    const take = <T extends NumberArray>(kind: ArrayKind<T>, length: number): T => this.buffers.take(kind, length);
    const out: ChunkArrays = {
      base,
      zAt: take(Int32Array, n),
      topAt: take(Int32Array, n),
      topCount: take(Uint16Array, n),
      anomalyScore: take(Float64Array, n),
      maxAbsZ: take(Float64Array, n),
      zscore: take(Float64Array, n),
      zShared: take(Float64Array, n),
      z: take(Int32Array, n * f),
      pred: take(Int32Array, n * f),
      top: take(Int16Array, n * stride),
      topSeen: take(Int32Array, n * stride),
      zExact: new Map(),
      predExact: new Map(),
      zUsed: 0,
      topUsed: 0,
    };
    // Each user's rows together: one job per user (and model) in a batch.
    const byUser = new Map<number, number[]>();
    for (let r = base; r < base + n; r++) {
      const u = users[r];
      if (!this.models[u]) continue;
      let list = byUser.get(u);
      if (!list) byUser.set(u, (list = []));
      list.push(r);
    }
    let jobs: ScoreJob[] = [];
    let owners: UserModel[] = [];
    let batchRows = 0;
    const flush = (): void => {
      if (jobs.length > 0) {
        const scores = sharedScorer().score(jobs); // used at once: the scorer reuses its arrays
        jobs.forEach((job, j) => this.store(scores, j, (job.rows as { rows: Int32Array }).rows, owners[j], out));
      }
      jobs = [];
      owners = [];
      batchRows = 0;
    };
    for (const [u, list] of byUser) {
      const m = this.models[u]!;
      // Per-user slots pay when the user's rows are many; few rows look their values up in the
      // table column's shared memo instead (the same slots: see writeSlots).
      m.slots ??= list.length >= OWN_SLOTS_ROWS ? this.slotsOf(m) : NO_SLOTS;
      const all = Int32Array.from(list);
      for (let from = 0; from < all.length; from += BATCH_ROWS) {
        const part = all.subarray(from, from + BATCH_ROWS);
        jobs.push({ model: m.model, rows: { table: this.table, rows: part, columns: m.columns, length: part.length }, ...(m.slots !== NO_SLOTS ? { slots: m.slots } : {}) });
        owners.push(m);
        batchRows += part.length;
        if (batchRows >= BATCH_ROWS) flush();
      }
    }
    flush();
    const tsZ = take(Float64Array, n);
    tsZ.set(this.tsZ.subarray(base, base + n));
    const tsAnomaly = take(Uint8Array, n);
    tsAnomaly.set(this.tsAnomaly.subarray(base, base + n));
    const strings = this.strings.slice(this.stringsSent);
    this.stringsSent = this.strings.length;
    return {
      strings,
      zAt: out.zAt,
      z: out.z.subarray(0, out.zUsed),
      zExact: out.zExact,
      pred: out.pred.subarray(0, out.zUsed),
      predExact: out.predExact,
      topAt: out.topAt,
      top: out.top.subarray(0, out.topUsed),
      topSeen: out.topSeen.subarray(0, out.topUsed),
      topCount: out.topCount,
      anomalyScore: out.anomalyScore,
      maxAbsZ: out.maxAbsZ,
      zscore: out.zscore,
      zShared: out.zShared,
      tsZ,
      tsAnomaly,
    };
  }

  /** Room for a user's slots of every value of the table's categorical columns (none looked up yet). */
  private slotsOf({ model, columns }: UserModel): (Int32Array | null)[] {
    return model.columns.map((col, c) => {
      const table = columns[c] < 0 ? undefined : this.table.columns[columns[c]];
      return col.kind === 'categorical' && table?.coded ? new Int32Array(table.dict.values.length).fill(-1) : null;
    });
  }

  private entryOf(model: ScoringModel): ModelEntry {
    let entry = this.entries.get(model);
    if (!entry) {
      const { json } = model;
      const info: ModelInfo = { user: json.user, version: json.version, generic: json.generic, trainedAt: json.trainedAt, schema: this.schemaOf(model) };
      this.infos.push(info);
      entry = { info: this.infos.length - 1, vocab: model.columns.map((c) => (c.kind === 'categorical' ? new Int32Array(c.vocab.length).fill(-1) : null)) };
      this.entries.set(model, entry);
      if (model.fromHistory) info.usual = this.usualOf(model, entry);
    }
    return entry;
  }

  /** ModelInfo.usual of a model with history. */
  private usualOf(model: ScoringModel, entry: ModelEntry): Int32Array {
    const out = new Int32Array(model.columns.length * USUAL_VALUES * 2).fill(-1);
    usualOfModel(model).forEach((usual, c) => {
      const { vocab } = model.columns[c] as { vocab: string[] };
      usual?.forEach(([slot, share], q) => {
        out[(c * USUAL_VALUES + q) * 2] = this.stringOf(entry, c, vocab, slot);
        out[(c * USUAL_VALUES + q) * 2 + 1] = Math.round(share * 1e4);
      });
    });
    return out;
  }

  /** ChunkScores.topSeen of column `c` in row `row` of batch job `job`. */
  private seenOf(scores: BatchScores, job: number, row: number, model: ScoringModel, c: number): number {
    const counts = model.fromHistory?.slotZ[c] ? model.json.history?.columns[c] : null;
    if (!counts) return NO_HISTORY;
    const slot = scores.slot(job, row, c);
    // (as historyOf: rows in `_other` mean values were lumped there, whose own counts are gone)
    return slot === OTHER_SLOT && counts.counts[OTHER_SLOT] > 0 ? SEEN_UNKNOWN : counts.counts[slot];
  }

  private schemaOf(model: ScoringModel): number {
    const { key, names, kinds } = schemaOfModel(model);
    let id = this.schemaIds.get(key);
    if (id === undefined) {
      id = this.schemas.push({ names, kinds }) - 1;
      this.schemaIds.set(key, id);
    }
    return id;
  }

  /** Keeps what the documents need of each row of batch job `job`. */
  private store(scores: BatchScores, job: number, rows: Int32Array, { model, entry }: UserModel, out: ChunkArrays): void {
    const columns = model.columns;
    const f = columns.length;
    const k = this.opts.topFeatures;
    const stride = topSlots(k, f);
    const count = rows.length;
    reserve(out, count * f, count * stride);
    const { z, pred, zExact, predExact } = out;
    if (this.stored.length < f) this.stored = new Float64Array(f);
    const stored = this.stored;
    for (let i = 0; i < count; i++) {
      const g = scores.rowStart[job] + i;
      const r = rows[i] - out.base;
      const zs = scores.zStart[job] + i * f;
      const at = out.zUsed;
      out.zUsed += f;
      out.zAt[r] = at;
      for (let c = 0; c < f; c++) {
        // dfp_fields.round, as units: Math.round(v·10⁴) is the integer of round(v).
        const v = scores.z[zs + c];
        const m = Math.round(v * 1e4);
        const inRange = m > EXACT && m <= 0x7fffffff && (m !== 0 || 1 / m > 0); // (not −0)
        z[at + c] = inRange ? m : toUnits(Number.isFinite(v) ? m / 1e4 : v, at + c, zExact);
      }
      out.topAt[r] = out.topUsed;
      const tops = topColumns(scores.z, zs, f, k, out.top, out.topUsed);
      out.topCount[r] = tops;
      for (let t = 0; t < tops; t++) out.topSeen[out.topUsed + t] = this.seenOf(scores, job, i, model, out.top[out.topUsed + t]);
      out.topUsed += stride;
      // The predictions as stored numbers (see BatchScores.predictions), decoded as predictionOf does.
      scores.predictions(job, i, stored, 0);
      for (let c = 0; c < f; c++) {
        const col = columns[c];
        const s = stored[c];
        if (col.kind === 'categorical') pred[at + c] = this.stringOf(entry, c, col.vocab, s);
        else if (col.kind === 'numeric') pred[at + c] = toUnits(toFixed4(s * col.std + col.mean), at + c, predExact);
        else pred[at + c] = s > 0 ? 1 : 0;
      }
      out.anomalyScore[r] = round4(scores.anomalyScore[g]);
      out.maxAbsZ[r] = round4(scores.maxAbsZ[g]);
      out.zscore[r] = scores.zscore[g];
      out.zShared[r] = scores.zShared[g];
    }
  }

  /** The index in the lane's strings of the model's vocabulary entry `slot` of column `c`. */
  private stringOf(entry: ModelEntry, c: number, vocab: readonly string[], slot: number): number {
    const ids = entry.vocab[c]!;
    let id = ids[slot];
    if (id < 0) {
      const s = vocab[slot];
      id = this.stringIds.get(s) ?? -1;
      if (id < 0) {
        id = this.strings.push(s) - 1;
        this.stringIds.set(s, id);
      }
      ids[slot] = id;
    }
    return id;
  }
}

/** Room in a chunk's per-feature arrays for `z` (and `pred`) and `top` more numbers (a model wider than the table, trained before a field was dropped). */
function reserve(out: ChunkArrays, z: number, top: number): void {
  if (out.zUsed + z > out.z.length) {
    const n = Math.max(out.zUsed + z, Math.ceil(out.z.length * 1.5));
    out.z = grown(out.z, n);
    out.pred = grown(out.pred, n);
  }
  if (out.topUsed + top > out.top.length) {
    const n = Math.max(out.topUsed + top, Math.ceil(out.top.length * 1.5));
    out.top = grown(out.top, n);
    out.topSeen = grown(out.topSeen, n);
  }
}

function grown<T extends NumberArray>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a as never);
  return b;
}
