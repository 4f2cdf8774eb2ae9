import * as tf from '@tensorflow/tfjs-core';
import type { Layout } from '../features/encoding';
import { batchSizeFor, smoothTargets, type AutoencoderConfig, type DenseWeights } from './autoencoder';
import { makeRng, permutation, type Rng } from './rng';
import { swapNoise } from './swap_noise';
import { trainKernels } from './wasm/train_kernels';
import { KernelStackProgram } from './stack_kernels_program';
import { TensorStackProgram } from './stack_tensor_program';

/**
 * Training many users' autoencoders together.
 *
 * Small nets are bound by the cost of launching kernels (~350 a step for one user through tfjs's
 * tape), not by arithmetic. A stack runs a step of U users as one program with no tape: the
 * forward pass, the loss and its gradient in one pass, backprop by hand, one Adam update over all
 * U users' parameters. Two programs do that arithmetic (see StackProgram): our own WebAssembly
 * SIMD kernels on CPU backends, tfjs batched matmuls over [U, in, out] weights on GPU backends.
 *
 * Each member follows the path Autoencoder.train takes alone: the same initial weights, seeded
 * swap noise, batch order and batch sizes, the same loss and Adam (elementwise, so per member).
 * What makes that hold:
 * - Users' encodings differ in width (their own vocabularies). Each member's rows keep their own
 *   layout and are padded at the end to the stack's widest; padded inputs are always 0, so their
 *   weights get no gradient, and the loss reads each member's outputs through its own layout,
 *   ignoring the padding, so those weights get none either.
 * - A member's rows fill the first rows of each step's [R, width] slab; the rest are ignored. The
 *   objective is the sum of the members' own mean losses, so each member's gradient is that of
 *   its own loss.
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

/**
 * What runs a stack's steps: forward pass, loss, backpropagation and Adam over all members, on
 * parameters it holds. `x` and `y` are the next step's inputs and targets, [members × maxRows ×
 * width]: member u's rows start at u·maxRows·width, `width` apart, in the member's own layout.
 */
export interface StackProgram {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly width: number;
  /** One step over member u's first rows[u] rows (≥ 1); returns each member's mean loss. */
  step(rows: Int32Array): Float64Array;
  /** Member u's weights, without padding. */
  weights(u: number): DenseWeights[];
  dispose(): void;
}

/**
 * `kernels`: our WebAssembly SIMD kernels (stack_kernels_program.ts), where the backend computes
 * on the CPU anyway and the runtime has SIMD. `tensors`: tfjs batched matmuls
 * (stack_tensor_program.ts), for GPU backends, where one large program per step suits the device.
 */
export type StackProgramKind = 'kernels' | 'tensors';

export function defaultStackProgram(): StackProgramKind {
  const onCpu = tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';
  return onCpu && trainKernels() !== null ? 'kernels' : 'tensors';
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
export function trainStack(members: StackMember[], config: AutoencoderConfig, kind: StackProgramKind = defaultStackProgram()): StackResult[] {
  if (members.length === 0) return [];
  const steps = stepsPerEpoch(members[0].rows, config);
  for (const m of members) {
    if (stepsPerEpoch(m.rows, config) !== steps) throw new Error('trainStack: members take different numbers of steps an epoch; group them with planStacks');
  }
  const states = members.map((m) => memberState(m, config));
  const U = members.length;
  // Each member's every step has at least one row: its steps are ⌈rows / batch⌉.
  const R = Math.max(...states.map((s) => s.batch));
  const program = kind === 'kernels' ? kernelsProgram(members, config, R) : new TensorStackProgram(members, config, R);
  try {
    const history: number[][] = members.map(() => []);
    const W = program.width;
    const stepRows = new Int32Array(U);
    const epochLoss = new Float64Array(U);
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      for (const s of states) s.startEpoch();
      epochLoss.fill(0);
      for (let step = 0; step < steps; step++) {
        states.forEach((s, u) => (stepRows[u] = s.fillStep(step, program.x, program.y, u * R * W, W)));
        const memberLoss = program.step(stepRows);
        for (let u = 0; u < U; u++) epochLoss[u] += memberLoss[u] * stepRows[u];
      }
      states.forEach((s, u) => history[u].push(epochLoss[u] / s.rows));
    }
    return members.map((_, u) => ({ weights: program.weights(u), lossHistory: history[u] }));
  } finally {
    program.dispose();
  }
}

function kernelsProgram(members: StackMember[], config: AutoencoderConfig, R: number): StackProgram {
  const kernels = trainKernels();
  if (kernels === null) throw new Error('trainStack: this runtime cannot compile WebAssembly SIMD; use the tensors program');
  return new KernelStackProgram(kernels, members, config, R);
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
