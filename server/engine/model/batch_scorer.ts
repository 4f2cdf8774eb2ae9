import * as tf from '@tensorflow/tfjs-core';
import type { FeatureValue } from '../features/extract';
import { NULL_SLOT, OTHER_SLOT, type ColumnEncoding } from '../features/encoding';
import { denseKernel } from './simd_dense';
import type { Prediction } from './predictions';
import type { ScoringModel } from './scoring_model';
import { CodedColumn, NumberColumn, type ColumnRows } from '../features/columns';

/**
 * One user's rows and the model that scores them: rows in the model's column order, or rows of
 * an EventColumns table (what file scoring keeps) mapped to the model's columns.
 */
export interface ScoreJob {
  model: ScoringModel;
  rows: readonly (readonly FeatureValue[])[] | ColumnRows;
}

/** Row i's value of the model's column c. */
type ValueAt = (i: number, c: number) => FeatureValue;

function valueReader(rows: ScoreJob['rows']): ValueAt {
  if (Array.isArray(rows)) return (i, c) => rows[i][c];
  const { table, rows: ids, columns } = rows as ColumnRows;
  return (i, c) => table.value(ids[i], columns[c]);
}

/**
 * Slots of rows [start, start + m) of a categorical block into out[0…m): `_null` for null, the
 * value's slot, else `_other` (as encodeRows). From a table, each distinct value is looked up
 * once per job rather than once per row.
 */
type SlotFiller = (start: number, m: number, out: Int32Array) => void;

function slotFiller(rows: ScoreJob['rows'], column: number, slotOf: Map<string, number>): SlotFiller {
  const bySlot = (v: FeatureValue): number => (v === null ? NULL_SLOT : (slotOf.get(String(v)) ?? OTHER_SLOT));
  const value = valueReader(rows);
  const col = tableColumn(rows, column);
  if (!(col instanceof CodedColumn)) {
    return (start, m, out) => {
      for (let i = 0; i < m; i++) out[i] = bySlot(value(start + i, column));
    };
  }
  const ids = (rows as ColumnRows).rows;
  const memo = col.memo(); // slot of each value id, stamped with this job's lookup
  const stamp = memo.next();
  return (start, m, out) => {
    for (let i = 0; i < m; i++) {
      const id = col.ids[ids[start + i]];
      if (id < 0) {
        out[i] = NULL_SLOT;
        continue;
      }
      if (memo.stamp[id] !== stamp) {
        memo.stamp[id] = stamp;
        memo.slot[id] = bySlot(col.dict.values[id]);
      }
      out[i] = memo.slot[id];
    }
  };
}

/** Numbers of rows [start, start + m) of a numeric or binary column into out[0…m), present[i] 0 where not a number. */
type NumberFiller = (start: number, m: number, out: Float64Array, present: Uint8Array) => void;

function numberFiller(rows: ScoreJob['rows'], column: number): NumberFiller {
  const value = valueReader(rows);
  const col = tableColumn(rows, column);
  if (!(col instanceof NumberColumn)) {
    return (start, m, out, present) => {
      for (let i = 0; i < m; i++) {
        const v = value(start + i, column);
        present[i] = typeof v === 'number' ? 1 : 0;
        out[i] = typeof v === 'number' ? v : 0;
      }
    };
  }
  const ids = (rows as ColumnRows).rows;
  return (start, m, out, present) => {
    for (let i = 0; i < m; i++) {
      const v = col.values[ids[start + i]];
      present[i] = v === v ? 1 : 0; // NaN stands for null in a table
      out[i] = v;
    }
  };
}

/** The table column holding the model's `column`, when the rows are a table's and it has one. */
function tableColumn(rows: ScoreJob['rows'], column: number): CodedColumn | NumberColumn | null {
  if (Array.isArray(rows)) return null;
  const { table, columns } = rows as ColumnRows;
  return columns[column] < 0 ? null : table.columns[columns[column]];
}

/**
 * Scores of many users' rows at once, with the numbers `Fingerprint.score` gives for each user
 * alone (bit for bit on the wasm backend; see `BatchScorer`). Row `i` of job `j` is global row
 * `rowStart[j] + i`; its per-feature z (the model's schema order) start at `zStart[j] + i·F`.
 * Valid until the scorer's next `score` call: the arrays are reused.
 */
export interface BatchScores {
  rowStart: Int32Array;
  zStart: Int32Array;
  z: Float64Array;
  /** The per-feature losses the z come from (float32, as tfjs computes them), indexed as `z`. */
  loss: Float32Array;
  /** dfp.anomaly_score before rounding: the mean of the row's z. */
  anomalyScore: Float64Array;
  maxAbsZ: Float64Array;
  /** dfp.zscore before rounding. */
  zscore: Float64Array;
  /**
   * What the model predicts for each column of one row (schema order) as numbers, written to
   * `out[at…]`: a categorical's vocabulary index, a numeric's or binary's raw output (a float32).
   * `predictionOf` turns them into what `predictionsOf` gives.
   */
  predictions(job: number, row: number, out: Float32Array | Float64Array, at: number): void;
}

/** A prediction stored as a number by `BatchScores.predictions`, as `predictionsOf` gives it. */
export function predictionOf(model: Pick<ScoringModel, 'columns'>, column: number, stored: number): Prediction {
  const col = model.columns[column];
  if (col.kind === 'categorical') return col.vocab[stored];
  if (col.kind === 'numeric') return Number((stored * col.std + col.mean).toFixed(4));
  return stored > 0;
}

/**
 * Scores many users' rows in one pass: each user's forward pass in the dense kernel (one call per
 * layer), then the per-feature losses of all users together, with the three transcendental
 * functions run as one tfjs op each (in slices) over every user's values. The losses follow
 * `FeatureLoss.compute` operation by operation in float32 (the order of each sum included), and
 * exp/log/log1p are the backend's own, which is why the results equal scoring each user alone.
 *
 * Keeps its working arrays between calls: a scoring run calls it per batch of users, and fresh
 * multi-megabyte arrays each time make V8 collect (and mark the whole heap) far more often.
 */
export class BatchScorer {
  private readonly scratch = new Map<string, Float32Array | Float64Array | Int32Array>();

  score(jobs: readonly ScoreJob[]): BatchScores {
    const n = jobs.length;
    const rowStart = this.i32('rowStart', n + 1);
    const zStart = this.i32('zStart', n + 1);
    const outStart = this.i32('outStart', n + 1);
    const catStart = this.i32('catStart', n + 1); // categorical blocks (one log each) and hot slots
    const expStart = this.i32('expStart', n + 1); // exp arguments: cat slots, then binaries, per row
    const denseStart = this.i32('denseStart', n + 1); // encoded numeric and binary inputs (loss targets)
    const binStart = this.i32('binStart', n + 1); // binaries (one log1p each)
    for (const a of [rowStart, zStart, outStart, catStart, expStart, denseStart, binStart]) a[0] = 0;
    jobs.forEach(({ model, rows }, j) => {
      const m = rows.length;
      const { layout } = model;
      rowStart[j + 1] = rowStart[j] + m;
      zStart[j + 1] = zStart[j] + m * model.columns.length;
      outStart[j + 1] = outStart[j] + m * model.outStride;
      catStart[j + 1] = catStart[j] + m * layout.cat.length;
      expStart[j + 1] = expStart[j] + m * (layout.catWidth + layout.bin.length);
      denseStart[j + 1] = denseStart[j] + m * (layout.num.length + layout.bin.length);
      binStart[j + 1] = binStart[j] + m * layout.bin.length;
    });
    const rows = rowStart[n];
    const outputs = this.f32('outputs', outStart[n]);
    const hot = this.i32('hot', catStart[n]);
    const targets = this.f32('targets', denseStart[n]);
    const rowMax = this.f32('rowMax', rows);
    const expIn = this.f32('expIn', expStart[n]);

    // 1. Forward passes, and what the losses need from each: exp arguments, hot slots, targets.
    for (let j = 0; j < n; j++) {
      const { model, rows: values } = jobs[j];
      if (values.length === 0) continue;
      forward(model, values, outputs, outStart[j], hot, catStart[j], targets, denseStart[j]);
      expArguments(model, values.length, outputs, outStart[j], rowMax, rowStart[j], expIn, expStart[j]);
    }

    // 2. exp of every user's values at once; then block sums (for log) and binaries (for log1p).
    const expOut = unary('exp', expIn, this.f32('expOut', expIn.length));
    const logIn = this.f32('logIn', catStart[n]);
    const log1pIn = this.f32('log1pIn', binStart[n]);
    for (let j = 0; j < n; j++) {
      blockSums(jobs[j].model, jobs[j].rows.length, expOut, expStart[j], logIn, catStart[j], log1pIn, binStart[j]);
    }
    const logOut = unary('log', logIn, this.f32('logOut', logIn.length));
    const log1pOut = unary('log1p', log1pIn, this.f32('log1pOut', log1pIn.length));

    // 3. Per-feature losses → z → the row's aggregates.
    const z = this.f64('z', zStart[n]);
    const loss = this.f32('loss', zStart[n]);
    const anomalyScore = this.f64('anomalyScore', rows);
    const maxAbsZ = this.f64('maxAbsZ', rows);
    const zscore = this.f64('zscore', rows);
    for (let j = 0; j < n; j++) {
      const { model, rows: values } = jobs[j];
      const { layout, lossMean, lossStd, groups, scale, outStride } = model;
      const discount = model.json.schema.discount;
      const value = valueReader(values);
      const f = model.columns.length;
      const nCat = layout.cat.length;
      const nNum = layout.num.length;
      const nBin = layout.bin.length;
      for (let i = 0; i < values.length; i++) {
        const g = rowStart[j] + i;
        const out = outStart[j] + i * outStride;
        const zr = zStart[j] + i * f;
        const max = rowMax[g];
        for (let b = 0; b < nCat; b++) {
          const { column, offset } = layout.cat[b];
          const c = catStart[j] + i * nCat + b;
          // log-sum-exp, then minus the target's logit (the one-hot picks exactly that logit)
          const lse = Math.fround(logOut[c] + max);
          const l = Math.fround(lse - outputs[out + offset + hot[c]]);
          loss[zr + column] = l;
          z[zr + column] = Math.max(0, l - lossMean[column]) / lossStd[column];
        }
        const t = denseStart[j] + i * (nNum + nBin);
        for (let k = 0; k < nNum; k++) {
          const { column, offset } = layout.num[k];
          const d = Math.fround(outputs[out + offset] - targets[t + k]);
          const l = Math.fround(d * d);
          loss[zr + column] = l;
          z[zr + column] = Math.max(0, l - lossMean[column]) / lossStd[column];
        }
        for (let k = 0; k < nBin; k++) {
          const { column, offset } = layout.bin[k];
          // max(x, 0) − x·t + log1p(e^−|x|), each step rounded as tfjs rounds it
          const x = outputs[out + offset];
          const relu = x > 0 ? x : 0;
          const l = Math.fround(Math.fround(relu - Math.fround(x * targets[t + nNum + k])) + log1pOut[binStart[j] + i * nBin + k]);
          loss[zr + column] = l;
          z[zr + column] = Math.max(0, l - lossMean[column]) / lossStd[column];
        }
        // fingerprint.mean, Math.max(...z), evidence · weightOf, userZ: same operations, same order
        let sum = 0;
        let top = -Infinity;
        for (let c = 0; c < f; c++) {
          const v = z[zr + c];
          sum += v;
          top = Math.max(top, v);
        }
        let evidence = 0;
        for (const group of groups) {
          let m = 0;
          for (const c of group) m = Math.max(m, z[zr + c]);
          evidence += Math.sqrt(m);
        }
        anomalyScore[g] = f > 0 ? sum / f : 0;
        maxAbsZ[g] = top;
        // fingerprint.weightOf: e.g. failed sign-ins count half
        const weight = discount && discount.values.includes(String(value(i, discount.column))) ? discount.weight : 1;
        zscore[g] = (evidence * weight - scale.median) / scale.scale;
      }
    }

    return {
      rowStart,
      zStart,
      z,
      loss,
      anomalyScore,
      maxAbsZ,
      zscore,
      predictions(job, row, preds, at) {
        const { model } = jobs[job];
        const { layout } = model;
        const base = outStart[job] + row * model.outStride;
        // as predictionsOf: arg max of each block (first wins); numbers and binaries decoded by predictionOf
        for (const b of layout.cat) {
          let best = 0;
          for (let k = 1; k < b.size; k++) if (outputs[base + b.offset + k] > outputs[base + b.offset + best]) best = k;
          preds[at + b.column] = best;
        }
        for (const b of layout.num) preds[at + b.column] = outputs[base + b.offset];
        for (const b of layout.bin) preds[at + b.column] = outputs[base + b.offset];
      },
    };
  }

  private f32(name: string, length: number): Float32Array {
    return this.array(name, length, (n) => new Float32Array(n)) as Float32Array;
  }

  private f64(name: string, length: number): Float64Array {
    return this.array(name, length, (n) => new Float64Array(n)) as Float64Array;
  }

  private i32(name: string, length: number): Int32Array {
    return this.array(name, length, (n) => new Int32Array(n)) as Int32Array;
  }

  /** A reused array of at least `length`, as a view of exactly `length`. */
  private array<T extends Float32Array | Float64Array | Int32Array>(name: string, length: number, make: (n: number) => T): T {
    let a = this.scratch.get(name) as T | undefined;
    if (!a || a.length < length) {
      a = make(Math.max(length, Math.ceil((a?.length ?? 0) * 1.5), 1024));
      this.scratch.set(name, a);
    }
    return a.subarray(0, length) as T;
  }
}

/** Rows encoded and run through the kernel together: bounds the kernel's memory whatever a user's size. */
const ROW_BLOCK = 2048;

/** One column's values for a block of rows, while encoding. */
const scratch = { slot: new Int32Array(ROW_BLOCK), num: new Float64Array(ROW_BLOCK), present: new Uint8Array(ROW_BLOCK) };

/**
 * Encodes one user's rows into the kernel's memory (as encodeRows does), runs the layers, and
 * copies the output rows to `outputs`. Also keeps each row's hot slot per categorical block and
 * its encoded numeric and binary inputs: the losses' targets.
 */
function forward(
  model: ScoringModel,
  rows: ScoreJob['rows'],
  outputs: Float32Array,
  outAt: number,
  hot: Int32Array,
  hotAt: number,
  targets: Float32Array,
  targetAt: number,
): void {
  const kernel = denseKernel();
  const { layout, layers, packed, columns, slotOf, outStride } = model;
  const width = layout.width;
  const nCat = layout.cat.length;
  const nNum = layout.num.length;
  const nDense = nNum + layout.bin.length;
  let widest = 0;
  for (const l of layers) widest = Math.max(widest, l.n4);
  const xAt = packed.length;
  const hA = xAt + ROW_BLOCK * width;
  const hB = hA + ROW_BLOCK * widest;
  kernel.reserve(hB + ROW_BLOCK * widest);
  const mem = kernel.f32;
  mem.set(packed, 0);
  // What encodeRows computes, a column at a time over each block of rows.
  const slots = layout.cat.map((b) => slotFiller(rows, b.column, slotOf[b.column]!));
  const numbers = [...layout.num, ...layout.bin].map((b) => numberFiller(rows, b.column));
  const slot = scratch.slot;
  const num = scratch.num;
  const present = scratch.present;
  for (let start = 0; start < rows.length; start += ROW_BLOCK) {
    const m = Math.min(ROW_BLOCK, rows.length - start);
    mem.fill(0, xAt, xAt + m * width);
    for (let b = 0; b < nCat; b++) {
      slots[b](start, m, slot);
      const offset = layout.cat[b].offset;
      for (let i = 0; i < m; i++) {
        mem[xAt + i * width + offset + slot[i]] = 1;
        hot[hotAt + (start + i) * nCat + b] = slot[i];
      }
    }
    for (let k = 0; k < nNum; k++) {
      const { column, offset } = layout.num[k];
      const col = columns[column] as Extract<ColumnEncoding, { kind: 'numeric' }>;
      numbers[k](start, m, num, present);
      for (let i = 0; i < m; i++) {
        const x = xAt + i * width + offset;
        mem[x] = present[i] ? (num[i] - col.mean) / col.std : 0;
        targets[targetAt + (start + i) * nDense + k] = mem[x];
      }
    }
    for (let k = 0; k < layout.bin.length; k++) {
      const { column, offset } = layout.bin[k];
      const col = columns[column] as Extract<ColumnEncoding, { kind: 'binary' }>;
      numbers[nNum + k](start, m, num, present);
      for (let i = 0; i < m; i++) {
        const x = xAt + i * width + offset;
        mem[x] = present[i] ? num[i] : col.mean;
        targets[targetAt + (start + i) * nDense + nNum + k] = mem[x];
      }
    }
    let input = xAt;
    let out = hA;
    for (let i = 0; i < layers.length; i++) {
      const l = layers[i];
      kernel.dense(input, m, l.k, l.w, l.n4, l.b, out, i < layers.length - 1);
      input = out;
      out = out === hA ? hB : hA;
    }
    outputs.set(mem.subarray(input, input + m * outStride), outAt + start * outStride);
  }
}

/** Per row: the largest categorical logit, and the arguments of exp (logit − max; −|binary logit|). */
function expArguments(model: ScoringModel, m: number, outputs: Float32Array, outAt: number, rowMax: Float32Array, rowAt: number, expIn: Float32Array, expAt: number): void {
  const { catWidth, num, bin } = model.layout;
  let e = expAt;
  for (let i = 0; i < m; i++) {
    const base = outAt + i * model.outStride;
    if (catWidth > 0) {
      let max = outputs[base];
      for (let s = 1; s < catWidth; s++) if (outputs[base + s] > max) max = outputs[base + s];
      rowMax[rowAt + i] = max;
      for (let s = 0; s < catWidth; s++) expIn[e++] = outputs[base + s] - max; // stored as f32: tf.sub's rounding
    }
    for (let k = 0; k < bin.length; k++) expIn[e++] = -Math.abs(outputs[base + catWidth + num.length + k]);
  }
}

/**
 * Per row and categorical block: the sum of its exps from 0 in slot order (what the matmul with
 * the block-indicator matrix computes: the other slots add exact zeros), plus 1e-30 as float32.
 * Binaries pass their exp on to log1p.
 */
function blockSums(model: ScoringModel, m: number, expOut: Float32Array, expAt: number, logIn: Float32Array, catAt: number, log1pIn: Float32Array, binAt: number): void {
  const { cat, catWidth, bin } = model.layout;
  const tiny = Math.fround(1e-30);
  let e = expAt;
  let c = catAt;
  let q = binAt;
  for (let i = 0; i < m; i++) {
    for (const b of cat) {
      let acc = 0;
      for (let k = 0; k < b.size; k++) acc = Math.fround(acc + expOut[e + b.offset + k]);
      logIn[c++] = acc + tiny; // stored as f32
    }
    e += catWidth;
    for (let k = 0; k < bin.length; k++) log1pIn[q++] = expOut[e++];
  }
}

/** One tfjs op over a whole array into `out`, on the active backend (the float32 functions we must match). */
function unary(op: 'exp' | 'log' | 'log1p', input: Float32Array, out: Float32Array): Float32Array {
  for (let start = 0; start < input.length; start += UNARY_SLICE) {
    const part = input.subarray(start, Math.min(input.length, start + UNARY_SLICE));
    // Not inside tf.tidy: tidy would walk the returned array looking for tensors, element by element.
    const x = tf.tensor1d(part);
    try {
      const y = tf[op](x);
      try {
        out.set(y.dataSync() as Float32Array, start);
      } finally {
        y.dispose();
      }
    } finally {
      x.dispose();
    }
  }
  return out;
}

/** Elements per tfjs op: tensors of many megabytes only add copying and allocator work. */
const UNARY_SLICE = 1 << 16;
