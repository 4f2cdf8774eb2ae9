import type { DfpFields } from '../../../common/fields';
import type { FeatureValue } from '../features/extract';
import { columnsFor, type ColumnFrame, type ScoringTable } from '../features/columns';
import type { Prediction } from '../model/predictions';
import { assembleDfp, type FieldOptions } from './dfp_fields';
import { featuresBuilder, type FeaturesBuilder } from './dfp_features';
import type { LaneScores, LaneUser, ModelInfo, SchemaInfo } from './score_lane';

/** One scored user: their frame, and where their numbers lie in a lane's results. */
export interface ScoredUserRows {
  frame: ColumnFrame;
  lane: LaneScores;
  at: LaneUser;
  model: ModelInfo;
  schema: SchemaInfo;
  /** The table column of each of the model's columns (−1: the table has none). */
  columns: Int32Array;
  build: FeaturesBuilder;
}

/**
 * Every scored event of a run as numbers in the lanes' typed arrays, from scoring until its
 * document is written, when `dfp` builds its `dfp` object. Building all those objects up front
 * (two dozen per event) filled the old heap, and V8 then marked the whole heap — the input
 * included — every run.
 */
export class ScoredRows {
  /** Per input position: index into `users`, −1 where not scored; and the row within that user. */
  private readonly userOfInput: Int32Array;
  private readonly rowOfInput: Int32Array;
  private readonly users: ScoredUserRows[] = [];
  private readonly values: FeatureValue[] = [];
  /** Table columns by schema, per lane (a lane's schemas are usually one or two). */
  private readonly columnsOf = new Map<SchemaInfo, Int32Array>();

  constructor(
    private readonly table: ScoringTable & { inputIndex: Int32Array },
    inputs: number,
  ) {
    this.userOfInput = new Int32Array(inputs).fill(-1);
    this.rowOfInput = new Int32Array(inputs);
  }

  /** The user `lane.users[index]`, scored with a model; its events map to its rows. */
  add(frame: ColumnFrame, lane: LaneScores, index: number): ScoredUserRows {
    const at = lane.users[index];
    const model = lane.models[at.model];
    const schema = lane.schemas[model.schema];
    let columns = this.columnsOf.get(schema);
    if (!columns) {
      columns = columnsFor(this.table.schema, schema) ?? Int32Array.from(schema.names, (_, c) => c);
      this.columnsOf.set(schema, columns);
    }
    const user: ScoredUserRows = { frame, lane, at, model, schema, columns, build: featuresBuilder(schema.names, schema.kinds) };
    const u = this.users.push(user) - 1;
    for (let k = 0; k < frame.rows.length; k++) {
      const i = this.table.inputIndex[frame.rows[k]];
      this.userOfInput[i] = u;
      this.rowOfInput[i] = k;
    }
    return user;
  }

  zscore(user: ScoredUserRows, k: number): number {
    return user.lane.zscore[user.at.rowAt + k];
  }

  tsAnomaly(user: ScoredUserRows, k: number): boolean {
    return user.lane.tsAnomaly[user.at.rowAt + k] === 1;
  }

  /** dfp.top_features of the user's k-th row. */
  topFeatures(user: ScoredUserRows, k: number): string[] {
    const { lane, at, schema } = user;
    const n = lane.topCount[at.rowAt + k];
    const from = at.topAt + k * at.topStride;
    const top = new Array<string>(n);
    for (let i = 0; i < n; i++) top[i] = schema.names[lane.top[from + i]];
    return top;
  }

  /** The value of the model's `column` in the user's k-th row. */
  value(user: ScoredUserRows, k: number, column: number): FeatureValue {
    return this.table.value(user.frame.rows[k], user.columns[column]);
  }

  /** What the model expected for `column` of the user's k-th row. */
  prediction(user: ScoredUserRows, k: number, column: number): Prediction {
    const { lane, at, schema } = user;
    const stored = lane.pred[at.zAt + k * at.width + column];
    const kind = schema.kinds[column];
    return kind === 'categorical' ? lane.strings[stored] : kind === 'binary' ? stored === 1 : stored;
  }

  /** The `dfp` object of the event at input position `inputIndex`; undefined when it was not scored. */
  dfp(inputIndex: number, opts: Omit<FieldOptions, 'ts'>): DfpFields | undefined {
    const u = this.userOfInput[inputIndex];
    if (u < 0) return undefined;
    const user = this.users[u];
    const k = this.rowOfInput[inputIndex];
    const { lane, at, columns, frame } = user;
    const f = at.width;
    const values = this.values;
    const row = frame.rows[k];
    for (let c = 0; c < f; c++) values[c] = this.table.value(row, columns[c]) ?? null;
    values.length = f;
    const features = user.build(lane.z, lane.pred, at.zAt + k * f, lane.strings, values);
    const r = at.rowAt + k;
    return assembleDfp(frame.user, user.model, this.topFeatures(user, k), features, lane.anomalyScore[r], lane.maxAbsZ[r], lane.zscore[r], opts, lane.tsZ[r], lane.tsAnomaly[r] === 1);
  }
}
