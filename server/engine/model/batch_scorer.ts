import * as tf from '@tensorflow/tfjs-core';
import type { ColumnEncoding } from '../features/encoding';
import { denseKernel } from './simd_dense';
import type { ScoringModel } from './scoring_model';
import { memoStamp, readNumbers, valueAt, writeSlots, type JobRows } from './batch_rows';
import { residentWeights } from './resident_weights';
import { raiseByHistory } from '../score/history_evidence';
import { groupMax, NO_TRIP, onTrip, tripOf } from './fingerprint';

/**
 * One user's rows and the model that scores them: rows in the model's column order, or rows of
 * an EventColumns table (what file scoring keeps) mapped to the model's columns.
 */
export interface ScoreJob {
  model: ScoringModel;
  rows: JobRows;
  /**
   * For rows of a table: per model column, the slot of each of the table column's value ids (−1
   * not looked up yet), kept by the caller for all of a model's jobs over one table (a user's rows
   * come a chunk at a time). Without it, values are looked up again in each job.
   */
  slots?: (Int32Array | null)[];
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
  /** dfp.anomaly_score before rounding: the mean of the row's z. */
  anomalyScore: Float64Array;
  maxAbsZ: Float64Array;
  /** dfp.zscore before rounding. */
  zscore: Float64Array;
  /**
   * dfp.zscore before rounding with the model's target group (ScoringModel.target: the app or
   * service reached) left out: what an event whose new target is a rollout is scored (dfp.rollout).
   * NaN for a model without a target group.
   */
  zShared: Float64Array;
  /**
   * What the model predicts for each column of one row (schema order) as numbers, written to
   * `out[at…]`: a categorical's vocabulary index, a numeric's or binary's raw output (a float32).
   * `predictionOf` turns them into what `predictionsOf` gives.
   */
  predictions(job: number, row: number, out: Float32Array | Float64Array, at: number): void;
  /** The vocabulary slot a categorical column's value took in one row (−1 for other columns). */
  slot(job: number, row: number, column: number): number;
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
  private readonly f32s = new Map<string, Float32Array>();
  private readonly f64s = new Map<string, Float64Array>();
  private readonly i32s = new Map<string, Int32Array>();

  // (Each step in a function of its own: a long function whose loops V8 compiles mid-run kept
  // dropping its compiled code when it reached the steps after them.)
  score(jobs: readonly ScoreJob[]): BatchScores {
    const at = this.offsets(jobs);
    const n = jobs.length;
    const rows = at.rowStart[n];
    const outputs = this.f32('outputs', at.outStart[n]);
    const hot = this.i32('hot', at.catStart[n]);
    const best = this.i32('best', at.catStart[n]); // each categorical block's arg max (what the model predicts)
    const targets = this.f32('targets', at.denseStart[n]);
    const rowMax = this.f32('rowMax', rows);
    const expIn = this.f32('expIn', at.expStart[n]);

    // 1. Forward passes, and what the losses need from each: exp arguments, hot slots, targets.
    forwardAll(jobs, at, outputs, hot, best, targets, rowMax, expIn);
    // 2. exp of every user's values at once; then block sums (for log) and binaries (for log1p).
    const expOut = unary('exp', expIn, this.f32('expOut', expIn.length));
    const logIn = this.f32('logIn', at.catStart[n]);
    const log1pIn = this.f32('log1pIn', at.binStart[n]);
    for (let j = 0; j < n; j++) {
      blockSums(jobs[j].model, jobs[j].rows.length, expOut, at.expStart[j], logIn, at.catStart[j], log1pIn, at.binStart[j]);
    }
    const logOut = unary('log', logIn, this.f32('logOut', logIn.length));
    const log1pOut = unary('log1p', log1pIn, this.f32('log1pOut', log1pIn.length));
    // 3. Per-feature losses → z → the row's aggregates.
    const z = this.f64('z', at.zStart[n]);
    const anomalyScore = this.f64('anomalyScore', rows);
    const maxAbsZ = this.f64('maxAbsZ', rows);
    const zscore = this.f64('zscore', rows);
    const zShared = this.f64('zShared', rows);
    for (let j = 0; j < n; j++) losses(jobs[j], j, at, outputs, hot, targets, rowMax, logOut, log1pOut, z, anomalyScore, maxAbsZ, zscore, zShared);
    return new Scores(jobs, at, z, anomalyScore, maxAbsZ, zscore, zShared, outputs, best, hot);
  }

  /** Where each job's rows, numbers and slots start in the batch's arrays. */
  private offsets(jobs: readonly ScoreJob[]): Offsets {
    const n = jobs.length;
    const at: Offsets = {
      rowStart: this.i32('rowStart', n + 1),
      zStart: this.i32('zStart', n + 1),
      outStart: this.i32('outStart', n + 1),
      catStart: this.i32('catStart', n + 1), // categorical blocks (one log each) and hot slots
      expStart: this.i32('expStart', n + 1), // exp arguments: cat slots, then binaries, per row
      denseStart: this.i32('denseStart', n + 1), // encoded numeric and binary inputs (loss targets)
      binStart: this.i32('binStart', n + 1), // binaries (one log1p each)
    };
    for (const a of Object.values(at)) a[0] = 0;
    for (let j = 0; j < n; j++) {
      const { model, rows } = jobs[j];
      const m = rows.length;
      const { layout } = model;
      at.rowStart[j + 1] = at.rowStart[j] + m;
      at.zStart[j + 1] = at.zStart[j] + m * model.columns.length;
      at.outStart[j + 1] = at.outStart[j] + m * model.outStride;
      at.catStart[j + 1] = at.catStart[j] + m * layout.cat.length;
      at.expStart[j + 1] = at.expStart[j] + m * (layout.catWidth + layout.bin.length);
      at.denseStart[j + 1] = at.denseStart[j] + m * (layout.num.length + layout.bin.length);
      at.binStart[j + 1] = at.binStart[j] + m * layout.bin.length;
    }
    return at;
  }

  /** A reused array of at least `length`, as a view of exactly `length` (one method per type: see score). */
  private f32(name: string, length: number): Float32Array {
    let a = this.f32s.get(name);
    if (!a || a.length < length) this.f32s.set(name, (a = new Float32Array(grownLength(a, length))));
    return a.subarray(0, length);
  }

  private f64(name: string, length: number): Float64Array {
    let a = this.f64s.get(name);
    if (!a || a.length < length) this.f64s.set(name, (a = new Float64Array(grownLength(a, length))));
    return a.subarray(0, length);
  }

  private i32(name: string, length: number): Int32Array {
    let a = this.i32s.get(name);
    if (!a || a.length < length) this.i32s.set(name, (a = new Int32Array(grownLength(a, length))));
    return a.subarray(0, length);
  }
}

/** A reused array's next length: what is asked, or half again as long, and at least 1024. */
function grownLength(a: { length: number } | undefined, length: number): number {
  return Math.max(length, Math.ceil((a?.length ?? 0) * 1.5), 1024);
}

/** Per job: where its rows, z, outputs, categorical blocks, exp arguments, dense inputs and binaries start. */
interface Offsets {
  rowStart: Int32Array;
  zStart: Int32Array;
  outStart: Int32Array;
  catStart: Int32Array;
  expStart: Int32Array;
  denseStart: Int32Array;
  binStart: Int32Array;
}

/** A batch's results (BatchScores). */
class Scores implements BatchScores {
  readonly rowStart: Int32Array;
  readonly zStart: Int32Array;

  constructor(
    private readonly jobs: readonly ScoreJob[],
    private readonly at: Offsets,
    readonly z: Float64Array,
    readonly anomalyScore: Float64Array,
    readonly maxAbsZ: Float64Array,
    readonly zscore: Float64Array,
    readonly zShared: Float64Array,
    private readonly outputs: Float32Array,
    private readonly best: Int32Array,
    private readonly hot: Int32Array,
  ) {
    this.rowStart = at.rowStart;
    this.zStart = at.zStart;
  }

  predictions(job: number, row: number, preds: Float32Array | Float64Array, at: number): void {
    const { model } = this.jobs[job];
    const { layout } = model;
    const base = this.at.outStart[job] + row * model.outStride;
    // as predictionsOf: arg max of each block (first wins; found by expArguments); numbers and binaries decoded by predictionOf
    const cats = this.at.catStart[job] + row * layout.cat.length;
    for (let b = 0; b < layout.cat.length; b++) preds[at + layout.cat[b].column] = this.best[cats + b];
    for (const b of layout.num) preds[at + b.column] = this.outputs[base + b.offset];
    for (const b of layout.bin) preds[at + b.column] = this.outputs[base + b.offset];
  }

  slot(job: number, row: number, column: number): number {
    const { model } = this.jobs[job];
    const b = model.blockOf[column];
    return b < 0 ? -1 : this.hot[this.at.catStart[job] + row * model.layout.cat.length + b];
  }
}

/** Every job's forward pass, and what its losses need: hot slots, targets, arg maxes, exp arguments. */
function forwardAll(
  jobs: readonly ScoreJob[],
  at: Offsets,
  outputs: Float32Array,
  hot: Int32Array,
  best: Int32Array,
  targets: Float32Array,
  rowMax: Float32Array,
  expIn: Float32Array,
): void {
  for (let j = 0; j < jobs.length; j++) {
    const { model, rows: values } = jobs[j];
    if (values.length === 0) continue;
    forward(jobs[j], outputs, at.outStart[j], hot, at.catStart[j], targets, at.denseStart[j]);
    expArguments(model, values.length, outputs, at.outStart[j], rowMax, at.rowStart[j], expIn, at.expStart[j], best, at.catStart[j]);
  }
}

/** Job j's per-feature losses → z → each row's aggregates, as Fingerprint.score computes them. */
function losses(
  job: ScoreJob,
  j: number,
  at: Offsets,
  outputs: Float32Array,
  hot: Int32Array,
  targets: Float32Array,
  rowMax: Float32Array,
  logOut: Float32Array,
  log1pOut: Float32Array,
  z: Float64Array,
  anomalyScore: Float64Array,
  maxAbsZ: Float64Array,
  zscore: Float64Array,
  zShared: Float64Array,
): void {
  const { model, rows: values } = job;
  const { layout, lossMean, lossStd, groups, travel, target, scale, outStride, fromHistory } = model;
  const discount = model.json.schema.discount;
  const f = model.columns.length;
  const nCat = layout.cat.length;
  const nNum = layout.num.length;
  const nBin = layout.bin.length;
  for (let i = 0; i < values.length; i++) {
    const g = at.rowStart[j] + i;
    const out = at.outStart[j] + i * outStride;
    const zr = at.zStart[j] + i * f;
    const max = rowMax[g];
    for (let b = 0; b < nCat; b++) {
      const { column, offset } = layout.cat[b];
      const c = at.catStart[j] + i * nCat + b;
      // log-sum-exp, then minus the target's logit (the one-hot picks exactly that logit)
      const lse = Math.fround(logOut[c] + max);
      const l = Math.fround(lse - outputs[out + offset + hot[c]]);
      z[zr + column] = Math.max(0, l - lossMean[column]) / lossStd[column];
    }
    const t = at.denseStart[j] + i * (nNum + nBin);
    for (let k = 0; k < nNum; k++) {
      const { column, offset } = layout.num[k];
      const d = Math.fround(outputs[out + offset] - targets[t + k]);
      const l = Math.fround(d * d);
      z[zr + column] = Math.max(0, l - lossMean[column]) / lossStd[column];
    }
    for (let k = 0; k < nBin; k++) {
      const { column, offset } = layout.bin[k];
      // max(x, 0) − x·t + log1p(e^−|x|), each step rounded as tfjs rounds it
      const x = outputs[out + offset];
      const relu = x > 0 ? x : 0;
      const l = Math.fround(Math.fround(relu - Math.fround(x * targets[t + nNum + k])) + log1pOut[at.binStart[j] + i * nBin + k]);
      z[zr + column] = Math.max(0, l - lossMean[column]) / lossStd[column];
    }
    if (fromHistory !== null) raiseByHistory(fromHistory, layout, z, zr, hot, at.catStart[j] + i * nCat, targets, t);
    // fingerprint.mean, Math.max(...z), evidence · weightOf, userZ: same operations, same order
    let sum = 0;
    let top = -Infinity;
    for (let c = 0; c < f; c++) {
      const v = z[zr + c];
      sum += v;
      top = Math.max(top, v);
    }
    const trip = travel !== undefined ? tripOf(z, groups, travel, zr) : NO_TRIP;
    let evidence = 0;
    let targeted = 0;
    for (let u = 0; u < groups.length; u++) {
      const m = groupMax(z, groups[u], zr);
      const part = Math.sqrt(onTrip(travel, trip, u) ? m * travel!.weight : m);
      evidence += part;
      if (u === target) targeted = part;
    }
    anomalyScore[g] = f > 0 ? sum / f : 0;
    maxAbsZ[g] = top;
    // fingerprint.weightOf: e.g. failed sign-ins count half
    const weight = discount && discount.values.includes(String(valueAt(values, i, discount.column))) ? discount.weight : 1;
    zscore[g] = (evidence * weight - scale.median) / scale.scale;
    zShared[g] = target === undefined ? Number.NaN : ((evidence - targeted) * weight - scale.median) / scale.scale;
  }
}

/**
 * One scorer per thread: its working arrays are reused from run to run. Callers use its results
 * before their next await (scoring is synchronous), so concurrent runs can share it.
 */
let shared: BatchScorer | undefined;
export function sharedScorer(): BatchScorer {
  shared ??= new BatchScorer();
  return shared;
}

/** Rows encoded and run through the kernel together: bounds the kernel's memory whatever a user's size. */
const ROW_BLOCK = 2048;

/** One column's values for a block of rows, while encoding. */
const scratch = { num: new Float64Array(ROW_BLOCK), present: new Uint8Array(ROW_BLOCK), stamps: new Int32Array(64) };

/**
 * Encodes one user's rows into the kernel's memory (as encodeRows does), runs the layers, and
 * copies the output rows to `outputs`. Also keeps each row's hot slot per categorical block and
 * its encoded numeric and binary inputs: the losses' targets.
 */
function forward(
  { model, rows, slots }: ScoreJob,
  outputs: Float32Array,
  outAt: number,
  hot: Int32Array,
  hotAt: number,
  targets: Float32Array,
  targetAt: number,
): void {
  const kernel = denseKernel();
  const { layout, layers, columns, slotOf, outStride } = model;
  const width = layout.width;
  const nCat = layout.cat.length;
  const nNum = layout.num.length;
  const nDense = nNum + layout.bin.length;
  let widest = 0;
  for (const l of layers) widest = Math.max(widest, l.n4);
  const weights = residentWeights(kernel, model);
  const xAt = weights.end;
  const hA = xAt + ROW_BLOCK * width;
  const hB = hA + ROW_BLOCK * widest;
  kernel.reserve(hB + ROW_BLOCK * widest);
  const base = weights.at(model, kernel.f32);
  // What encodeRows computes, a column at a time over each block of rows.
  const stamps = scratch.stamps.length >= nCat ? scratch.stamps : (scratch.stamps = new Int32Array(nCat));
  for (let b = 0; b < nCat; b++) stamps[b] = slots?.[layout.cat[b].column] ? 0 : memoStamp(rows, layout.cat[b].column);
  const num = scratch.num;
  const present = scratch.present;
  for (let start = 0; start < rows.length; start += ROW_BLOCK) {
    const m = Math.min(ROW_BLOCK, rows.length - start);
    const mem = kernel.f32; // (read again each block: see DenseKernel)
    mem.fill(0, xAt, xAt + m * width);
    for (let b = 0; b < nCat; b++) {
      const { column, offset } = layout.cat[b];
      writeSlots(rows, column, slotOf[column]!, slots?.[column] ?? null, stamps[b], start, m, mem, xAt + offset, width, hot, hotAt + start * nCat + b, nCat);
    }
    for (let k = 0; k < nNum; k++) {
      const { column, offset } = layout.num[k];
      const col = columns[column] as Extract<ColumnEncoding, { kind: 'numeric' }>;
      readNumbers(rows, column, start, m, num, present);
      for (let i = 0; i < m; i++) {
        const x = xAt + i * width + offset;
        mem[x] = present[i] ? (num[i] - col.mean) / col.std : 0;
        targets[targetAt + (start + i) * nDense + k] = mem[x];
      }
    }
    for (let k = 0; k < layout.bin.length; k++) {
      const { column, offset } = layout.bin[k];
      const col = columns[column] as Extract<ColumnEncoding, { kind: 'binary' }>;
      readNumbers(rows, column, start, m, num, present);
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
      kernel.dense(input, m, l.k, base + l.w, l.n4, base + l.b, out, i < layers.length - 1);
      input = out;
      out = out === hA ? hB : hA;
    }
    outputs.set(kernel.f32.subarray(input, input + m * outStride), outAt + start * outStride);
  }
}

/**
 * Per row: the largest categorical logit, and the arguments of exp (logit − max; −|binary logit|);
 * and, in the same pass, each categorical block's arg max (first wins), as predictionsOf finds it.
 */
function expArguments(
  model: ScoringModel,
  m: number,
  outputs: Float32Array,
  outAt: number,
  rowMax: Float32Array,
  rowAt: number,
  expIn: Float32Array,
  expAt: number,
  best: Int32Array,
  bestAt: number,
): void {
  const { catWidth, cat, num, bin } = model.layout;
  let e = expAt;
  let c = bestAt;
  for (let i = 0; i < m; i++) {
    const base = outAt + i * model.outStride;
    if (catWidth > 0) {
      // Slot by slot in order, as a plain scan for the row's max goes (NaN compares false either way).
      let max = outputs[base];
      for (let b = 0; b < cat.length; b++) {
        const from = base + cat[b].offset;
        let top = 0;
        for (let k = 0; k < cat[b].size; k++) {
          const v = outputs[from + k];
          if (v > outputs[from + top]) top = k;
          if (v > max) max = v;
        }
        best[c++] = top;
      }
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
