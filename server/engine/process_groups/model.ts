/**
 * The process-group autoencoder: dense 16 → 8 → 4 → 8 → 16 with leaky ReLU on the hidden layers,
 * a linear output, MSE loss and Adam, written on tfjs-core ops so it runs on whichever backend is
 * active (it never picks one). A window's score is the Euclidean distance between its standardised
 * hashed vector and the reconstruction; training-distance statistics turn that into a robust z.
 *
 * Reproducible: weights start from a seeded Glorot-uniform draw and batches from a seeded shuffle,
 * so the same seed, data and backend give the same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; training needs them (a no-op if already loaded).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import seedrandom from 'seedrandom';
import { murmurhash3_32 } from './hashing';

export interface ProcessGroupTrainOptions {
  seed?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  /** Hidden layer widths (default the original notebook's 8, 4, 8). */
  hidden?: number[];
  /** Recorded as trained_at (default now). */
  trainedAt?: Date;
}

/** Median and robust spread (1.4826 · MAD, floored) of a set of distances. */
export interface DistanceStats {
  median: number;
  scale: number;
  count: number;
}

export interface DenseLayerJson {
  inputs: number;
  units: number;
  /** Row-major [inputs, units]. */
  kernel: number[];
  bias: number[];
}

export interface ProcessGroupModelJson {
  format: 'dfp-process-groups';
  /** Content hash of the weights: names this model in every scored event. */
  version: string;
  trained_at: string;
  dims: number;
  leaky_alpha: number;
  layers: DenseLayerJson[];
  /** Standardisation learnt from the training vectors. */
  input: { mean: number[]; std: number[] };
  /** Training distances, for the robust z. */
  distance: DistanceStats;
  training: { seed: number; epochs: number; batch_size: number; lr: number; rows: number; final_loss: number };
}

export const MODEL_DEFAULTS = { seed: 42, epochs: 60, batchSize: 64, lr: 0.005, hidden: [8, 4, 8] } as const;
const LEAKY_ALPHA = 0.01;
/**
 * A hashed bucket that barely varied in training (e.g. always empty) still gets σ ≥ 0.1 (a tenth of
 * a unit of log1p(count)), so a small change there is large but finite.
 */
const INPUT_STD_FLOOR = 0.1;
/** Scale floors, so a perfectly regular host (MAD 0) gives large but finite z: absolute and relative to the median. */
const DISTANCE_SCALE_FLOOR = 0.05;
const DISTANCE_SCALE_FLOOR_REL = 0.05;

export function distanceStats(distances: ArrayLike<number>): DistanceStats {
  const d = Float64Array.from(distances).sort();
  if (d.length === 0) throw new RangeError('distanceStats: no distances');
  const median = medianOfSorted(d);
  const dev = Float64Array.from(d, (x) => Math.abs(x - median)).sort();
  const mad = medianOfSorted(dev);
  const scale = Math.max(1.4826 * mad, DISTANCE_SCALE_FLOOR_REL * median, DISTANCE_SCALE_FLOOR);
  return { median, scale, count: d.length };
}

export function robustZ(distance: number, stats: DistanceStats): number {
  return (distance - stats.median) / stats.scale;
}

export class ProcessGroupModel {
  private constructor(
    private readonly weights: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[],
    private readonly meta: Omit<ProcessGroupModelJson, 'layers'>,
  ) {}

  get dims(): number {
    return this.meta.dims;
  }

  get stats(): DistanceStats {
    return this.meta.distance;
  }

  get version(): string {
    return this.meta.version;
  }

  get trainedAt(): string {
    return this.meta.trained_at;
  }

  static train(vectors: Float32Array[], opts: ProcessGroupTrainOptions = {}): ProcessGroupModel {
    const rows = vectors.length;
    if (rows === 0) throw new RangeError('ProcessGroupModel.train: no training vectors');
    const dims = vectors[0].length;
    if (vectors.some((v) => v.length !== dims)) throw new RangeError('ProcessGroupModel.train: vectors differ in length');
    const seed = opts.seed ?? MODEL_DEFAULTS.seed;
    const epochs = opts.epochs ?? MODEL_DEFAULTS.epochs;
    const batchSize = Math.max(1, Math.min(opts.batchSize ?? MODEL_DEFAULTS.batchSize, rows));
    const lr = opts.lr ?? MODEL_DEFAULTS.lr;
    const hidden = opts.hidden ?? [...MODEL_DEFAULTS.hidden];

    const { mean, std } = standardisation(vectors, dims);
    const data = standardise(vectors, mean, std);
    const rng = seedrandom(`dfp-process-groups:${seed}`);
    const sizes = [dims, ...hidden, dims];
    const vars: { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> }[] = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const k = new Float32Array(fanIn * fanOut);
      for (let i = 0; i < k.length; i++) k[i] = (2 * rng() - 1) * limit;
      const k0 = tf.tensor2d(k, [fanIn, fanOut]);
      const b0 = tf.zeros([fanOut]) as tf.Tensor1D;
      vars.push({ kernel: tf.variable(k0, true), bias: tf.variable(b0, true) });
      // The variables hold their own reference to the data.
      k0.dispose();
      b0.dispose();
    }
    const varList = vars.flatMap((v) => [v.kernel, v.bias]);
    const optimizer = tf.train.adam(lr);
    const order = Array.from({ length: rows }, (_, i) => i);
    const batch = new Float32Array(batchSize * dims);
    let finalLoss = NaN;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        shuffle(order, rng);
        let lossSum = 0;
        let batches = 0;
        for (let s = 0; s < rows; s += batchSize) {
          const n = Math.min(batchSize, rows - s);
          for (let r = 0; r < n; r++) batch.set(data.subarray(order[s + r] * dims, (order[s + r] + 1) * dims), r * dims);
          const cost = tf.tidy(() => {
            const x = tf.tensor2d(batch.subarray(0, n * dims), [n, dims]);
            return optimizer.minimize(() => tf.mean(tf.squaredDifference(forward(x, vars), x)) as tf.Scalar, true, varList)!;
          });
          lossSum += cost.dataSync()[0];
          cost.dispose();
          batches++;
        }
        finalLoss = lossSum / Math.max(1, batches);
      }
    } finally {
      optimizer.dispose();
    }

    const weights = vars.map((v) => ({ kernel: v.kernel as tf.Tensor2D, bias: v.bias as tf.Tensor1D }));
    const trainedAt = (opts.trainedAt ?? new Date()).toISOString();
    const meta: Omit<ProcessGroupModelJson, 'layers'> = {
      format: 'dfp-process-groups',
      version: '',
      trained_at: trainedAt,
      dims,
      leaky_alpha: LEAKY_ALPHA,
      input: { mean: Array.from(mean), std: Array.from(std) },
      distance: { median: 0, scale: 1, count: 0 },
      training: { seed, epochs, batch_size: batchSize, lr, rows, final_loss: finalLoss },
    };
    const model = new ProcessGroupModel(weights, meta);
    meta.distance = distanceStats(model.distances(vectors));
    meta.version = `pg-${murmurhash3_32(JSON.stringify(model.layersJson())).toString(16).padStart(8, '0')}`;
    return model;
  }

  /** Euclidean distance between each (standardised) vector and its reconstruction. */
  distances(vectors: Float32Array[]): Float32Array {
    const dims = this.meta.dims;
    if (vectors.length === 0) return new Float32Array(0);
    if (vectors.some((v) => v.length !== dims)) throw new RangeError(`distances: vectors must have ${dims} values`);
    const data = standardise(vectors, Float32Array.from(this.meta.input.mean), Float32Array.from(this.meta.input.std));
    const d = tf.tidy(() => {
      const x = tf.tensor2d(data, [vectors.length, dims]);
      return tf.sqrt(tf.sum(tf.squaredDifference(forward(x, this.weights), x), 1));
    });
    try {
      return Float32Array.from(d.dataSync());
    } finally {
      d.dispose();
    }
  }

  /** Robust z of distances against the training distances. */
  zscore(distance: number): number {
    return robustZ(distance, this.meta.distance);
  }

  toJSON(): ProcessGroupModelJson {
    return { ...structuredClone(this.meta), layers: this.layersJson() };
  }

  static fromJSON(j: ProcessGroupModelJson): ProcessGroupModel {
    if (!j || j.format !== 'dfp-process-groups') throw new Error('not a process-group model (format mismatch)');
    const layers = j.layers ?? [];
    if (layers.length === 0 || layers[0].inputs !== j.dims || layers[layers.length - 1].units !== j.dims) {
      throw new Error(`process-group model: layers do not map ${j.dims} dims back to ${j.dims}`);
    }
    if (j.input?.mean?.length !== j.dims || j.input?.std?.length !== j.dims) {
      throw new Error('process-group model: input standardisation does not match dims');
    }
    layers.forEach((l, i) => {
      if (l.kernel.length !== l.inputs * l.units || l.bias.length !== l.units || (i > 0 && l.inputs !== layers[i - 1].units)) {
        throw new Error(`process-group model: layer ${i} has inconsistent shapes`);
      }
    });
    const weights = layers.map((l) => ({
      kernel: tf.tensor2d(l.kernel, [l.inputs, l.units], 'float32'),
      bias: tf.tensor1d(l.bias, 'float32'),
    }));
    const { layers: _omit, ...meta } = j;
    return new ProcessGroupModel(weights, structuredClone(meta));
  }

  dispose(): void {
    for (const w of this.weights) {
      w.kernel.dispose();
      w.bias.dispose();
    }
  }

  private layersJson(): DenseLayerJson[] {
    return this.weights.map((w) => ({
      inputs: w.kernel.shape[0],
      units: w.kernel.shape[1],
      kernel: Array.from(w.kernel.dataSync()),
      bias: Array.from(w.bias.dataSync()),
    }));
  }
}

/** Dense layers, leaky ReLU between them, linear output (standardised inputs can be negative). */
function forward(x: tf.Tensor2D, layers: { kernel: tf.Tensor2D; bias: tf.Tensor1D }[]): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.kernel), l.bias);
    if (i < layers.length - 1) h = tf.leakyRelu(h, LEAKY_ALPHA);
  });
  return h;
}

function standardisation(vectors: Float32Array[], dims: number): { mean: Float32Array; std: Float32Array } {
  const mean = new Float64Array(dims);
  for (const v of vectors) for (let j = 0; j < dims; j++) mean[j] += v[j];
  for (let j = 0; j < dims; j++) mean[j] /= vectors.length;
  const variance = new Float64Array(dims);
  for (const v of vectors) for (let j = 0; j < dims; j++) variance[j] += (v[j] - mean[j]) ** 2;
  const std = Float64Array.from(variance, (s) => Math.max(Math.sqrt(s / vectors.length), INPUT_STD_FLOOR));
  return { mean: Float32Array.from(mean), std: Float32Array.from(std) };
}

function standardise(vectors: Float32Array[], mean: Float32Array, std: Float32Array): Float32Array {
  const dims = mean.length;
  const out = new Float32Array(vectors.length * dims);
  vectors.forEach((v, r) => {
    for (let j = 0; j < dims; j++) out[r * dims + j] = (v[j] - mean[j]) / std[j];
  });
  return out;
}

function shuffle(a: number[], rng: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}

function medianOfSorted(d: Float64Array): number {
  const m = d.length >> 1;
  return d.length % 2 ? d[m] : (d[m - 1] + d[m]) / 2;
}
