import * as tf from '@tensorflow/tfjs-core';
import type { Layout } from '../features/encoding';
import { FeatureLoss } from './losses';
import { makeRng, permutation, type Rng } from './rng';
import { swapNoise } from './swap_noise';

export interface AutoencoderConfig {
  /** Hidden layer sizes from input to bottleneck (Morpheus: [512, 500]). */
  encoderLayers: number[];
  /** Hidden layer sizes from bottleneck to output (Morpheus: [512]). */
  decoderLayers: number[];
  epochs: number;
  /** Smallest batch; large training sets use bigger ones (see batchSizeFor). */
  batchSize: number;
  /** Adam's step size. Morpheus' SGD at 0.001 barely moves in 30 epochs (DESIGN.md section 6). */
  learningRate: number;
  swapProbability: number;
  /**
   * Share of each categorical (and binary) training target spread over the other values. Without
   * it the logits of values never seen are pushed towards −∞ for as long as training runs, so the
   * loss of an unseen value measures the epoch count, not surprise; with it that loss is bounded
   * near log(K / ε) nats.
   */
  labelSmoothing: number;
  seed: number;
}

/**
 * Defaults sized for per-user fingerprints: a user's vocabulary is tens of values, not thousands,
 * so 64-32-64 has room to spare at a fraction of 512-500-512's cost (DESIGN.md section 6).
 */
export const DEFAULT_AUTOENCODER_CONFIG: AutoencoderConfig = {
  encoderLayers: [64, 32],
  decoderLayers: [64],
  epochs: 30,
  batchSize: 64,
  learningRate: 0.005,
  swapProbability: 0.2,
  labelSmoothing: 0.02,
  seed: 42,
};

export interface DenseWeights {
  inDim: number;
  outDim: number;
  w: Float32Array;
  b: Float32Array;
}

export interface Evaluation {
  /** [rows × features] per-feature losses, features in layout.lossOrder. */
  losses: Float32Array;
  /** [rows × width] raw network outputs (logits for categorical and binary parts). */
  outputs: Float32Array;
}

/** dfencoder-style autoencoder over an encoded layout: dense ReLU layers, one output per input slot. */
export class Autoencoder {
  private readonly params: tf.Variable[];
  private readonly loss: FeatureLoss;

  private constructor(readonly layout: Layout, weights: DenseWeights[]) {
    this.params = weights.flatMap((l) => [
      tf.variable(tf.tensor2d(l.w, [l.inDim, l.outDim]), true),
      tf.variable(tf.tensor1d(l.b), true),
    ]);
    this.loss = new FeatureLoss(layout);
  }

  /** A fresh network with seeded Glorot-uniform weights and zero biases. */
  static create(layout: Layout, config: AutoencoderConfig): Autoencoder {
    return new Autoencoder(layout, initialWeights(layout, config));
  }

  static fromWeights(layout: Layout, weights: DenseWeights[]): Autoencoder {
    return new Autoencoder(layout, weights);
  }

  get featureCount(): number {
    return this.layout.lossOrder.length;
  }

  /** Trains on clean rows with swap noise; returns the mean training loss of each epoch. */
  train(clean: Float32Array, rows: number, config: AutoencoderConfig, onEpoch?: (epoch: number) => void): number[] {
    const rng = makeRng(`train:${config.seed}`);
    const optimizer = tf.train.adam(config.learningRate);
    const width = this.layout.width;
    const history: number[] = [];
    const targets = smoothTargets(clean, rows, this.layout, config.labelSmoothing ?? 0);
    const batchSize = batchSizeFor(rows, config.batchSize);
    try {
      for (let epoch = 0; epoch < config.epochs; epoch++) {
        const noisy = swapNoise(clean, rows, this.layout, config.swapProbability, rng);
        const order = permutation(rows, rng);
        let lossSum: tf.Scalar | null = null;
        for (let start = 0; start < rows; start += batchSize) {
          const size = Math.min(batchSize, rows - start);
          const xs = gatherRows(noisy, order, start, size, width);
          const ys = gatherRows(targets, order, start, size, width);
          const cost = tf.tidy(() => {
            const x = tf.tensor2d(xs, [size, width]);
            const y = tf.tensor2d(ys, [size, width]);
            const mean = () => tf.mean(this.loss.compute(this.forward(x), y)) as tf.Scalar;
            return optimizer.minimize(mean, true, this.params)!;
          });
          const previous: tf.Scalar | null = lossSum;
          lossSum = tf.tidy((): tf.Scalar => {
            const weighted = tf.mul(cost, size) as tf.Scalar;
            return previous ? (tf.add(previous, weighted) as tf.Scalar) : weighted;
          });
          cost.dispose();
          previous?.dispose();
        }
        // One read per epoch: reading every step would stall the backend on each batch.
        history.push(lossSum ? (lossSum.dataSync()[0] as number) / rows : 0);
        lossSum?.dispose();
        onEpoch?.(epoch);
      }
    } finally {
      optimizer.dispose();
    }
    return history;
  }

  /** Per-feature losses and raw outputs for clean rows, in chunks to bound memory. */
  evaluate(x: Float32Array, rows: number, chunk = 8192): Evaluation {
    const width = this.layout.width;
    const f = this.featureCount;
    const losses = new Float32Array(rows * f);
    const outputs = new Float32Array(rows * width);
    for (let start = 0; start < rows; start += chunk) {
      const size = Math.min(chunk, rows - start);
      const [l, o] = tf.tidy(() => {
        const input = tf.tensor2d(x.subarray(start * width, (start + size) * width), [size, width]);
        const out = this.forward(input);
        return [this.loss.compute(out, input), out];
      });
      losses.set(l.dataSync() as Float32Array, start * f);
      outputs.set(o.dataSync() as Float32Array, start * width);
      l.dispose();
      o.dispose();
    }
    return { losses, outputs };
  }

  weights(): DenseWeights[] {
    const out: DenseWeights[] = [];
    for (let i = 0; i < this.params.length; i += 2) {
      const [inDim, outDim] = this.params[i].shape;
      out.push({
        inDim,
        outDim,
        w: this.params[i].dataSync() as Float32Array,
        b: this.params[i + 1].dataSync() as Float32Array,
      });
    }
    return out;
  }

  dispose(): void {
    for (const p of this.params) p.dispose();
    this.loss.dispose();
  }

  private forward(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    const layers = this.params.length / 2;
    for (let i = 0; i < layers; i++) {
      const w = this.params[2 * i] as tf.Tensor2D;
      const b = this.params[2 * i + 1] as tf.Tensor1D;
      h = tf.add(tf.matMul(h, w), b);
      if (i < layers - 1) h = tf.relu(h);
    }
    return h;
  }
}

/**
 * About 8 steps an epoch, between the configured batch size and 512. Small nets on wasm are
 * bound by per-kernel overhead (~350 kernel calls a step), not arithmetic, so a heavy user or the
 * 20,000-row generic model takes fewer, larger steps; a user with 300 events keeps small batches.
 */
export function batchSizeFor(rows: number, minBatch: number): number {
  return Math.max(minBatch, Math.min(512, Math.ceil(rows / 8)));
}

/** Seeded Glorot-uniform weights and zero biases for a fresh network over `layout`. */
export function initialWeights(layout: Layout, config: AutoencoderConfig): DenseWeights[] {
  const rng = makeRng(`init:${config.seed}`);
  const dims = [layout.width, ...config.encoderLayers, ...config.decoderLayers, layout.width];
  return dims.slice(0, -1).map((inDim, i) => glorot(inDim, dims[i + 1], rng));
}

/** Training targets: one-hot blocks and binaries pulled towards uniform by ε; numerics as they are. */
export function smoothTargets(clean: Float32Array, rows: number, layout: Layout, epsilon: number): Float32Array {
  if (epsilon <= 0) return clean;
  const out = clean.slice();
  const w = layout.width;
  for (let i = 0; i < rows; i++) {
    for (const b of layout.cat) {
      const base = i * w + b.offset;
      for (let k = 0; k < b.size; k++) out[base + k] = out[base + k] * (1 - epsilon) + epsilon / b.size;
    }
    for (const b of layout.bin) out[i * w + b.offset] = out[i * w + b.offset] * (1 - epsilon) + epsilon / 2;
  }
  return out;
}

function glorot(inDim: number, outDim: number, rng: Rng): DenseWeights {
  const limit = Math.sqrt(6 / (inDim + outDim));
  const w = new Float32Array(inDim * outDim);
  for (let i = 0; i < w.length; i++) w[i] = (rng() * 2 - 1) * limit;
  return { inDim, outDim, w, b: new Float32Array(outDim) };
}

function gatherRows(src: Float32Array, order: Uint32Array, start: number, size: number, width: number): Float32Array {
  const out = new Float32Array(size * width);
  for (let i = 0; i < size; i++) {
    const r = order[start + i];
    out.set(src.subarray(r * width, (r + 1) * width), i * width);
  }
  return out;
}
