import type { FeatureValue } from '../features/extract';
import type { FeatureSchema } from '../features/frame';
import { CodedColumn, NumberColumn, type Column, type EventColumns, type ScoringTable } from '../features/columns';

/**
 * Table rows on their way to a scoring worker, and the worker's table they make. A worker's table
 * holds only its lane's rows, in the order they were sent; categorical ids are the sending
 * table's, with its dictionaries.
 */
export interface RowsChunk {
  time: Float64Array;
  /** Per column: categorical ids, or numbers (NaN for null). */
  columns: (Int32Array | Float64Array)[];
  /** Per categorical column: its dictionary's values (by id). */
  dictionary: (string[] | null)[];
}

/** The buffers of rows on their way, to transfer rather than copy. */
export function rowsBuffers(chunk: RowsChunk): ArrayBuffer[] {
  return [chunk.time, ...chunk.columns].map((a) => a.buffer as ArrayBuffer);
}

/** Rows `rows` of `table`, column by column. */
export function rowsChunk(table: EventColumns, rows: Int32Array): RowsChunk {
  const n = rows.length;
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) time[i] = table.time[rows[i]];
  const columns = table.columns.map((c) => {
    const from = c.coded ? c.ids : c.values;
    const to = c.coded ? new Int32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++) to[i] = from[rows[i]];
    return to;
  });
  return { time, columns, dictionary: table.columns.map((c) => (c.coded ? c.dict.values : null)) };
}

/** A worker's table: the rows of a chunk. */
export class LaneTable implements ScoringTable {
  readonly size: number;
  readonly time: Float64Array;
  readonly columns: Column[];

  constructor(
    readonly schema: FeatureSchema,
    chunk: RowsChunk,
  ) {
    this.size = chunk.time.length;
    this.time = chunk.time;
    this.columns = schema.kinds.map((kind, i) => {
      if (kind !== 'categorical') return NumberColumn.over(chunk.columns[i] as Float64Array);
      const column = CodedColumn.over(chunk.columns[i] as Int32Array);
      for (const v of chunk.dictionary[i] ?? []) column.dict.id(v);
      return column;
    });
  }

  value(r: number, c: number): FeatureValue {
    return c < 0 ? null : this.columns[c].get(r);
  }
}
