import type { DfpFields } from '../../../common/fields';
import type { FeatureValue } from '../features/extract';
import type { ColumnFrame, ColumnRows } from '../features/columns';
import { predictionOf, type BatchScores } from '../model/batch_scorer';
import type { Prediction } from '../model/predictions';
import type { ScoringModel } from '../model/scoring_model';
import { dfpObject, topFeatures, type FieldOptions } from './dfp_fields';

/** One user's place in a run's scores. */
export interface ScoredUserRows {
  index: number;
  frame: ColumnFrame;
  /** What the `dfp` objects need of the model; the model itself (its weights) is let go once scored. */
  model: Pick<ScoringModel, 'json' | 'columns'>;
  own: boolean;
  /** The user's rows, in the model's column order. */
  rows: ColumnRows;
  /** The user's first row among the run's rows. */
  rowAt: number;
  /** Where the user's per-feature numbers start (F per row). */
  zAt: number;
  /** Rows whose scores are in so far. */
  stored: number;
}

/**
 * Every scored event of a run as numbers in typed arrays, from scoring until its document is
 * written, when `dfp` builds its `dfp` object. Building all those objects up front (two dozen per
 * event) filled the old heap, and V8 then marked the whole heap — the input included — every run.
 */
export class ScoredRows {
  readonly users: ScoredUserRows[] = [];
  readonly anomalyScore: Float64Array;
  readonly maxAbsZ: Float64Array;
  readonly zscore: Float64Array;
  readonly tsZ: Float64Array;
  readonly tsAnomaly: Uint8Array;
  /** Run row of each input position, −1 where none. */
  private readonly rowOfInput: Int32Array;
  private readonly userOfRow: Int32Array;
  /**
   * Per row, F values each (float32, half the memory of the z they give): the per-feature losses,
   * whose z is recomputed exactly when needed, and predictions as BatchScores.predictions stores them.
   */
  private loss: Float32Array;
  private pred: Float32Array;
  /** One row's z, recomputed (see `zOf`). */
  private readonly z = new Float64Array(64);
  private rows = 0;
  private used = 0;
  private readonly preds: Prediction[] = [];
  private readonly values: FeatureValue[] = [];

  constructor(inputs: number, rows: number, featuresPerRow: number) {
    this.rowOfInput = new Int32Array(inputs).fill(-1);
    this.userOfRow = new Int32Array(rows);
    this.anomalyScore = new Float64Array(rows);
    this.maxAbsZ = new Float64Array(rows);
    this.zscore = new Float64Array(rows);
    this.tsZ = new Float64Array(rows);
    this.tsAnomaly = new Uint8Array(rows);
    this.loss = new Float32Array(rows * featuresPerRow);
    this.pred = new Float32Array(rows * featuresPerRow);
  }

  addUser(frame: ColumnFrame, scoring: ScoringModel, own: boolean, rows: ColumnRows): ScoredUserRows {
    const model = { json: scoring.json, columns: scoring.columns };
    const f = model.columns.length;
    const need = this.used + rows.length * f;
    if (need > this.loss.length) {
      // A model with more columns than the profile (trained before a field was dropped).
      const size = Math.max(need, Math.ceil(this.loss.length * 1.5));
      this.loss = grown(this.loss, size);
      this.pred = grown(this.pred, size);
    }
    const user: ScoredUserRows = { index: this.users.length, frame, model, own, rows, rowAt: this.rows, zAt: this.used, stored: 0 };
    for (let k = 0; k < rows.length; k++) {
      this.rowOfInput[rows.table.inputIndex[rows.rows[k]]] = user.rowAt + k;
      this.userOfRow[user.rowAt + k] = user.index;
    }
    this.users.push(user);
    this.rows += rows.length;
    this.used = need;
    return user;
  }

  /** Keeps the scores of batch job `job`: the user's rows from `from` on. */
  store(user: ScoredUserRows, from: number, scores: BatchScores, job: number): void {
    const f = user.model.columns.length;
    const count = scores.rowStart[job + 1] - scores.rowStart[job];
    const at = user.zAt + from * f;
    this.loss.set(scores.loss.subarray(scores.zStart[job], scores.zStart[job] + count * f), at);
    for (let i = 0; i < count; i++) {
      const g = scores.rowStart[job] + i;
      const r = user.rowAt + from + i;
      this.anomalyScore[r] = scores.anomalyScore[g];
      this.maxAbsZ[r] = scores.maxAbsZ[g];
      this.zscore[r] = scores.zscore[g];
      scores.predictions(job, i, this.pred, at + i * f);
    }
    user.stored += count;
  }

  /** The time-series check's per-event results for the user (non-finite z as 0, as written). */
  setTimeseries(user: ScoredUserRows, ts: { eventZ: Float64Array; eventAnomaly: boolean[] }): void {
    for (let k = 0; k < user.rows.length; k++) {
      const z = ts.eventZ[k];
      this.tsZ[user.rowAt + k] = Number.isFinite(z) ? z : 0;
      this.tsAnomaly[user.rowAt + k] = ts.eventAnomaly[k] ? 1 : 0;
    }
  }

  /** dfp.top_features of the user's k-th row. */
  topFeatures(user: ScoredUserRows, k: number, count: number): string[] {
    return topFeatures(user.model.json.schema.names, this.zOf(user, k), 0, count);
  }

  /** The per-feature z of the user's k-th row, from its losses as featureZ computes them (valid until the next call). */
  private zOf(user: ScoredUserRows, k: number): Float64Array {
    const { mean, std } = user.model.json.lossStats;
    const f = mean.length;
    const at = user.zAt + k * f;
    const z = f <= this.z.length ? this.z.subarray(0, f) : new Float64Array(f);
    for (let c = 0; c < f; c++) z[c] = Math.max(0, this.loss[at + c] - mean[c]) / std[c];
    return z;
  }

  /** The value of the model's `column` in the user's k-th row. */
  value(user: ScoredUserRows, k: number, column: number): FeatureValue {
    const { table, rows, columns } = user.rows;
    return table.value(rows[k], columns[column]);
  }

  /** What the model expected for `column` of the user's k-th row. */
  prediction(user: ScoredUserRows, k: number, column: number): Prediction {
    const f = user.model.columns.length;
    return predictionOf(user.model, column, this.pred[user.zAt + k * f + column]);
  }

  /** The `dfp` object of the event at input position `inputIndex`; undefined when it was not scored. */
  dfp(inputIndex: number, opts: Omit<FieldOptions, 'ts'>): DfpFields | undefined {
    const r = this.rowOfInput[inputIndex];
    if (r < 0) return undefined;
    const user = this.users[this.userOfRow[r]];
    const k = r - user.rowAt;
    const { columns, json } = user.model;
    const f = columns.length;
    const at = user.zAt + k * f;
    const preds = this.preds;
    const values = this.values;
    const { table, rows, columns: from } = user.rows;
    for (let c = 0; c < f; c++) {
      preds[c] = predictionOf(user.model, c, this.pred[at + c]);
      values[c] = table.value(rows[k], from[c]);
    }
    preds.length = f;
    values.length = f;
    return dfpObject(user.frame.user, json, values, this.zOf(user, k), 0, this.anomalyScore[r], this.maxAbsZ[r], this.zscore[r], preds, opts, this.tsZ[r], this.tsAnomaly[r] === 1);
  }
}

function grown(a: Float32Array, size: number): Float32Array {
  const b = new Float32Array(size);
  b.set(a);
  return b;
}
