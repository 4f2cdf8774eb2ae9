import * as tf from '@tensorflow/tfjs-core';
import type { Layout } from '../features/encoding';
import { batchSizeFor, smoothTargets, type AutoencoderConfig, type DenseWeights } from './autoencoder';
import { StackLoss } from './stacked_loss';
import { makeRng, permutation, type Rng } from './rng';
import { swapNoise } from './swap_noise';
import { Adam } from './adam';

/**
 * Training many users' autoencoders as one tensor program.
 *
 * Small nets on wasm are bound by the cost of launching kernels (~350 a step for one user through
 * the tape), not by arithmetic. Stacking U users' weights into [U, in, out] tensors runs a step
 * of all U users with the kernels of one step: batched matmuls for the dense layers, backprop by
 * hand (no tape), the loss and its gradient in one pass (StackLoss), one Adam update.
 *
 * Each member follows the path Autoencoder.train takes alone: the same initial weights, seeded
 * swap noise, batch order and batch sizes, the same loss and Adam (elementwise, so per member).
 * What makes that hold:
 * - Users' encodings differ in width (their own vocabularies). Each member's rows keep their own
 *   layout and are padded at the end to the stack's widest; padded inputs are always 0, so their
 *   weights get no gradient, and StackLoss reads each member's outputs through its own layout,
 *   ignoring the padding, so those weights get none either.
 * - A member's rows fill the first rows of each step's [R, width] slab; the rest are zeros that
 *   the loss ignores. The objective is the sum of the members' own mean losses, so each member's
 *   gradient is that of its own loss.
 * - Members take the same number of steps an epoch (Adam's step count is shared): `planStacks`
 *   groups them so.
 * Results equal training alone up to float rounding (tests: test/stacked_training.test.ts).
 */

/** One network of a stack: its own layout, clean encoded rows and starting weights. */
export interface StackMember {
  layout: Layout;
  /** [rows × layout.width] encoded training rows. */
  clean: Float32Array;
  rows: number;
  init: DenseWeights[];
}

export interface StackResult {
  weights: DenseWeights[];
  /** Mean training loss of each epoch, as Autoencoder.train reports it. */
  lossHistory: number[];
}

/** Steps an epoch a user with `rows` rows takes (alone or in a stack). */
export function stepsPerEpoch(rows: number, config: AutoencoderConfig): number {
  return Math.ceil(rows / batchSizeFor(rows, config.batchSize));
}

/**
 * Splits members into stacks that can train together: equal steps an epoch, at most `maxMembers`
 * each and at most `maxCells` cells (members × step rows × padded width) in a step's input, so
 * memory stays bounded whatever the number of users. Similar widths and batch sizes are put
 * together to keep padding small. Returns indices into `members`.
 */
export function planStacks(
  members: { rows: number; width: number }[],
  config: AutoencoderConfig,
  maxMembers = 64,
  maxCells = 2_000_000,
): number[][] {
  const order = members
    .map((m, i) => ({ i, steps: stepsPerEpoch(m.rows, config), batch: batchSizeFor(m.rows, config.batchSize), width: m.width }))
    .sort((a, b) => a.steps - b.steps || a.batch - b.batch || a.width - b.width || a.i - b.i);
  const stacks: number[][] = [];
  let current: typeof order = [];
  const cells = (group: typeof order): number =>
    group.length * Math.max(...group.map((g) => g.batch)) * Math.max(...group.map((g) => g.width));
  for (const m of order) {
    const next = [...current, m];
    // Sorted by batch, so current[0] has the smallest: members padded to more than 1.25× their own
    // rows would waste more than they save.
    const fits =
      current.length === 0 ||
      (current[0].steps === m.steps && m.batch <= current[0].batch * 1.25 && next.length <= maxMembers && cells(next) <= maxCells);
    if (fits) current = next;
    else {
      stacks.push(current.map((g) => g.i));
      current = [m];
    }
  }
  if (current.length > 0) stacks.push(current.map((g) => g.i));
  return stacks;
}

/** Trains every member together; members must agree on steps an epoch (see planStacks). */
export function trainStack(members: StackMember[], config: AutoencoderConfig): StackResult[] {
  if (members.length === 0) return [];
  const steps = stepsPerEpoch(members[0].rows, config);
  for (const m of members) {
    if (stepsPerEpoch(m.rows, config) !== steps) throw new Error('trainStack: members take different numbers of steps an epoch; group them with planStacks');
  }
  const states = members.map((m) => memberState(m, config));
  const U = members.length;
  const W = Math.max(...members.map((m) => m.layout.width));
  const R = Math.max(...states.map((s) => s.batch));

  const params = stackedParams(members, W);
  const loss = new StackLoss(members.map((m) => m.layout), W);
  const optimizer = new Adam(params.flatMap((l) => [l.w, l.b]), config.learningRate);
  const history: number[][] = members.map(() => []);
  const x = new Float32Array(U * R * W);
  const y = new Float32Array(U * R * W);
  const stepRows = new Int32Array(U);
  const epochLoss = new Float64Array(U);
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (const s of states) s.startEpoch();
    epochLoss.fill(0);
    for (let step = 0; step < steps; step++) {
      x.fill(0);
      y.fill(0);
      states.forEach((s, u) => (stepRows[u] = s.fillStep(step, x, y, u * R * W, W)));
      // The parameters live in JS arrays (Adam updates them there in one pass); the backend sees
      // them for the matmuls only.
      const gradTensors = tf.tidy(() => {
        const layers = params.map((l) => ({ w: tf.tensor3d(l.w, l.shape), b: tf.tensor3d(l.b, [U, 1, l.shape[2]]) }));
        const activations = forward(tf.tensor3d(x, [U, R, W]), layers);
        const out = activations.pop()!;
        // Loss and its gradient in one pass over the outputs (see StackLoss).
        const { gradient, memberLoss } = loss.evaluate(out.dataSync() as Float32Array, y, stepRows, U, R);
        for (let u = 0; u < U; u++) epochLoss[u] += memberLoss[u] * stepRows[u];
        return backward(tf.tensor3d(gradient, [U, R, W]), activations, layers);
      });
      // Read outside tidy: tidy would walk every element of returned typed arrays.
      optimizer.apply(gradTensors.map((g) => g.dataSync() as Float32Array));
      for (const g of gradTensors) g.dispose();
    }
    states.forEach((s, u) => history[u].push(epochLoss[u] / s.rows));
  }
  return members.map((m, u) => ({ weights: unstack(params, u, m), lossHistory: history[u] }));
}

/** A layer of the stack: weights [U, in, out] and biases [U, out]. */
interface StackedLayer {
  w: Float32Array;
  b: Float32Array;
  shape: [number, number, number];
}

/** Every layer's output, input first and the raw (pre-activation) network output last. */
function forward(x: tf.Tensor3D, layers: { w: tf.Tensor3D; b: tf.Tensor3D }[]): tf.Tensor3D[] {
  const acts = [x];
  layers.forEach((l, i) => {
    const z = tf.add(tf.matMul(acts[i], l.w), l.b) as tf.Tensor3D;
    acts.push(i < layers.length - 1 ? tf.relu(z) : z);
  });
  return acts;
}

/**
 * Backpropagation through the dense ReLU layers by hand: the kernels a tape would run, minus its
 * bookkeeping and minus the input layer's unused input gradient. `acts` are the layer inputs.
 */
/** Gradients in Adam's parameter order: each layer's weights, then its biases. */
function backward(dOut: tf.Tensor3D, acts: tf.Tensor3D[], layers: { w: tf.Tensor3D; b: tf.Tensor3D }[]): tf.Tensor[] {
  const grads: tf.Tensor[] = new Array(2 * layers.length);
  let g = dOut;
  for (let i = layers.length - 1; i >= 0; i--) {
    grads[2 * i] = tf.matMul(acts[i], g, true, false);
    grads[2 * i + 1] = tf.sum(g, 1);
    // ReLU's derivative is 1 where its output is positive (the same as where its input is).
    if (i > 0) g = tf.mul(tf.matMul(g, layers[i].w, false, true), tf.step(acts[i])) as tf.Tensor3D;
  }
  return grads;
}

/** One member's data and random stream, advancing exactly as Autoencoder.train's would. */
function memberState(m: StackMember, config: AutoencoderConfig) {
  const w = m.layout.width;
  const targets = smoothTargets(m.clean, m.rows, m.layout, config.labelSmoothing ?? 0);
  const rng: Rng = makeRng(`train:${config.seed}`);
  const batch = batchSizeFor(m.rows, config.batchSize);
  let noisy = m.clean;
  let order: Uint32Array = new Uint32Array(0);
  return {
    rows: m.rows,
    batch,
    startEpoch(): void {
      noisy = swapNoise(m.clean, m.rows, m.layout, config.swapProbability, rng);
      order = permutation(m.rows, rng);
    },
    /** Writes this step's rows at `at` in x and y, `stride` apart; returns how many. */
    fillStep(step: number, x: Float32Array, y: Float32Array, at: number, stride: number): number {
      const start = step * batch;
      const size = Math.min(batch, m.rows - start);
      for (let i = 0; i < size; i++) {
        const r = order[start + i];
        x.set(noisy.subarray(r * w, (r + 1) * w), at + i * stride);
        y.set(targets.subarray(r * w, (r + 1) * w), at + i * stride);
      }
      return size;
    },
  };
}

/** Members' starting weights in stacked arrays: the first layer's rows and the last layer's columns padded to W. */
function stackedParams(members: StackMember[], W: number): StackedLayer[] {
  const U = members.length;
  const depth = members[0].init.length;
  return Array.from({ length: depth }, (_, l) => {
    const inDim = l === 0 ? W : members[0].init[l].inDim;
    const outDim = l === depth - 1 ? W : members[0].init[l].outDim;
    const w = new Float32Array(U * inDim * outDim);
    const b = new Float32Array(U * outDim);
    members.forEach((m, u) => {
      const src = m.init[l];
      for (let r = 0; r < src.inDim; r++) w.set(src.w.subarray(r * src.outDim, (r + 1) * src.outDim), (u * inDim + r) * outDim);
      b.set(src.b, u * outDim);
    });
    return { w, b, shape: [U, inDim, outDim] as [number, number, number] };
  });
}

/** Member u's trained weights, without the padding. */
function unstack(trained: StackedLayer[], u: number, m: StackMember): DenseWeights[] {
  return trained.map((l, i) => {
    const [, inDim, outDim] = l.shape;
    const own = m.init[i];
    const w = new Float32Array(own.inDim * own.outDim);
    for (let r = 0; r < own.inDim; r++) {
      const from = (u * inDim + r) * outDim;
      w.set(l.w.subarray(from, from + own.outDim), r * own.outDim);
    }
    const b = l.b.slice(u * outDim, u * outDim + own.outDim);
    return { inDim: own.inDim, outDim: own.outDim, w, b };
  });
}
