import type { FeatureValue } from '../features/extract';
import { NULL_SLOT, OTHER_SLOT } from '../features/encoding';
import { CodedColumn, NumberColumn, type ColumnRows } from '../features/columns';

/**
 * Reading a batch job's rows as the model's encoder reads them: values, categorical slots and
 * numbers, a column at a time, from plain rows or straight from an EventColumns table's typed
 * columns (no row objects).
 */

/** Rows in the model's column order, or rows of an EventColumns table mapped to the model's columns. */
export type JobRows = readonly (readonly FeatureValue[])[] | ColumnRows;

/**
 * Row i's value of the model's column c. (Plain functions rather than closures made per job: a
 * run makes a job per user and chunk of rows, and under tsx every closure made also gets its name
 * defined, which costs more than the job's small loops.)
 */
export function valueAt(rows: JobRows, i: number, c: number): FeatureValue {
  if (Array.isArray(rows)) return rows[i][c];
  const { table, rows: ids, columns } = rows as ColumnRows;
  return table.value(ids[i], columns[c]);
}

/**
 * The slots' numbers as local constants: under tsx (CommonJS output) an imported binding is read
 * through a getter at every use, and these are read once per row and block.
 */
const NULL = NULL_SLOT;
const OTHER = OTHER_SLOT;

/** A categorical value's slot: `_null` for null, the value's slot, else `_other` (as encodeRows). */
function slotOfValue(v: FeatureValue, slotOf: Map<string, number>): number {
  return v === null ? NULL : (slotOf.get(String(v)) ?? OTHER);
}

/**
 * One-hot encoding of the model's categorical `column` for rows [start, start + m): a 1 at each
 * row's slot, row i's block at x[at + i·width]; the slot also kept at hot[hotAt + i·hotStride]
 * (the loss's target). From a table, each distinct value is looked up once: in `known` (the
 * job's slots of this column), else once per job (`stamp`, a lookup of the column's SlotMemo).
 */
export function writeSlots(
  rows: JobRows,
  column: number,
  slotOf: Map<string, number>,
  known: Int32Array | null,
  stamp: number,
  start: number,
  m: number,
  x: Float32Array,
  at: number,
  width: number,
  hot: Int32Array,
  hotAt: number,
  hotStride: number,
): void {
  const col = tableColumn(rows, column);
  if (!(col instanceof CodedColumn)) {
    for (let i = 0; i < m; i++) {
      const slot = slotOfValue(valueAt(rows, start + i, column), slotOf);
      x[at + i * width + slot] = 1;
      hot[hotAt + i * hotStride] = slot;
    }
    return;
  }
  const ids = (rows as ColumnRows).rows;
  const colIds = col.ids;
  if (known) {
    for (let i = 0; i < m; i++) {
      const id = colIds[ids[start + i]];
      let slot = NULL;
      if (id >= 0) {
        slot = known[id];
        if (slot < 0) known[id] = slot = slotOfValue(col.dict.values[id], slotOf);
      }
      x[at + i * width + slot] = 1;
      hot[hotAt + i * hotStride] = slot;
    }
    return;
  }
  const memo = col.memo();
  for (let i = 0; i < m; i++) {
    const id = colIds[ids[start + i]];
    let slot = NULL;
    if (id >= 0) {
      if (memo.stamp[id] !== stamp) {
        memo.stamp[id] = stamp;
        memo.slot[id] = slotOfValue(col.dict.values[id], slotOf);
      }
      slot = memo.slot[id];
    }
    x[at + i * width + slot] = 1;
    hot[hotAt + i * hotStride] = slot;
  }
}

/** A new lookup of the categorical column's SlotMemo for a job (0 when the rows are not a table's). */
export function memoStamp(rows: JobRows, column: number): number {
  const col = tableColumn(rows, column);
  return col instanceof CodedColumn ? col.memo().next() : 0;
}

/** Numbers of rows [start, start + m) of a numeric or binary column into out[0…m), present[i] 0 where not a number. */
export function readNumbers(rows: JobRows, column: number, start: number, m: number, out: Float64Array, present: Uint8Array): void {
  const col = tableColumn(rows, column);
  if (!(col instanceof NumberColumn)) {
    for (let i = 0; i < m; i++) {
      const v = valueAt(rows, start + i, column);
      present[i] = typeof v === 'number' ? 1 : 0;
      out[i] = typeof v === 'number' ? v : 0;
    }
    return;
  }
  const ids = (rows as ColumnRows).rows;
  const values = col.values;
  for (let i = 0; i < m; i++) {
    const v = values[ids[start + i]];
    present[i] = v === v ? 1 : 0; // NaN stands for null in a table
    out[i] = v;
  }
}

/** The table column holding the model's `column`, when the rows are a table's and it has one. */
function tableColumn(rows: JobRows, column: number): CodedColumn | NumberColumn | null {
  if (Array.isArray(rows)) return null;
  const { table, columns } = rows as ColumnRows;
  return columns[column] < 0 ? null : table.columns[columns[column]];
}
