import type { DfpFields } from '../../../common/fields';
import type { Column } from '../features/columns';
import { USUAL_VALUES, type ValueHistory } from '../model/history';
import { assembleDfp, type FieldOptions } from './dfp_fields';
import type { FeaturesBuilder } from './dfp_features';
import { NO_HISTORY, type ChunkScores, type ModelInfo, type SchemaInfo } from './lane_numbers';

/**
 * One scored row's `dfp` object from a lane's numbers: the one place it is assembled, whether on
 * the writing thread (scored_rows.ts: file scoring) or where the lane ran (lane_docs.ts: an
 * Elasticsearch run's documents serialised on the scoring workers). Both read the same numbers,
 * so both give the same object.
 */

/** How a user's rows read: their model, its schema, the features builder over the table's columns. */
export interface RowReads {
  model: ModelInfo;
  schema: SchemaInfo;
  build: FeaturesBuilder;
  /** dfp.model.fallback_reason of the user's events (the generic model stands in for an unusable own model). */
  fallbackReason?: string;
}

/**
 * The `dfp` object of row `i` of `chunk`, table row `row` of `columns`, scored for `user`;
 * `strings`: the lane's predicted categories (every one met so far).
 */
export function rowDfp(user: string, reads: RowReads, strings: readonly string[], chunk: ChunkScores, i: number, columns: readonly Column[], row: number, opts: Omit<FieldOptions, 'ts'>): DfpFields {
  const features = reads.build(chunk, strings, chunk.zAt[i], columns, row);
  const topNames = topOf(reads.schema, chunk, i);
  for (let t = 0; t < topNames.length; t++) {
    const h = historyAt(reads.model, strings, chunk, chunk.topAt[i] + t);
    const explained = features[topNames[t]];
    if (!h || !explained) continue;
    if (h.seen !== undefined) explained.seen = h.seen;
    explained.usual = h.usual;
  }
  return assembleDfp(user, reads.model, topNames, features, chunk.anomalyScore[i], chunk.maxAbsZ[i], chunk.zscore[i], opts, chunk.tsZ[i], chunk.tsAnomaly[i] === 1, reads.fallbackReason);
}

/** The history of the top feature at `slot` of a chunk's `top` (ChunkScores.topSeen, ModelInfo.usual); undefined where the model keeps none. */
export function historyAt(model: ModelInfo, strings: readonly string[], chunk: ChunkScores, slot: number): ValueHistory | undefined {
  const seen = chunk.topSeen[slot];
  if (seen === NO_HISTORY || !model.usual) return undefined;
  const c = chunk.top[slot];
  const usual: [string, number][] = [];
  for (let q = 0; q < USUAL_VALUES; q++) {
    const at = (c * USUAL_VALUES + q) * 2;
    if (model.usual[at] >= 0) usual.push([strings[model.usual[at]], model.usual[at + 1] / 1e4]);
  }
  return seen >= 0 ? { seen, usual } : { usual };
}

/** dfp.model.fallback_reason for a user whose own model could not be used (LaneUser.ownProblem). */
export function fallbackReason(ownProblem: string): string {
  return `own model unusable: ${ownProblem}`;
}

/** The names of a chunk row's top features. */
export function topOf(schema: SchemaInfo, chunk: ChunkScores, i: number): string[] {
  const n = chunk.topCount[i];
  const from = chunk.topAt[i];
  const names = new Array<string>(n);
  for (let t = 0; t < n; t++) names[t] = schema.names[chunk.top[from + t]];
  return names;
}
