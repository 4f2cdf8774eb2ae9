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
 * parameters and data it holds. Before each epoch the trainer writes each member's swap-noised
 * rows and row order into the program's buffers (`noisy`, `order`); a step then takes member u's
 * rows order[starts[u] …] (rows[u] of them) and their targets.
 */
export interface StackProgram {
  /** Member u's inputs for the coming epoch, [rows × own width]. */
  noisy(u: number): Float32Array;
  /** Member u's row order for the coming epoch. */
  order(u: number): Uint32Array;
  /** One step over member u's rows[u] (≥ 1) rows from starts[u]; returns each member's mean loss. */
  step(starts: Int32Array, rows: Int32Array): Float64Array;
  /** Member u's weights, without padding. */
  weights(u: number): DenseWeights[];
  dispose(): void;
}

/** A member as its program gets it: with its label-smoothed targets ([rows × own width]). */
export interface ProgramMember extends StackMember {
  targets: Float32Array;
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
 * each, at most `maxCells` cells (members × step rows × padded width) in a step's input and at
 * most `maxDataCells` in the epoch's inputs (Σ rows × width, held by the program with as many
 * targets), so memory stays bounded whatever the number of users and however long their
 * histories. Similar widths and batch sizes are put together to keep padding small. Returns
 * indices into `members`.
 */
export function planStacks(
  members: { rows: number; width: number }[],
  config: AutoencoderConfig,
  maxMembers = 64,
  maxCells = 2_000_000,
  maxDataCells = 8_000_000,
): number[][] {
  const order = members
    .map((m, i) => ({ i, steps: stepsPerEpoch(m.rows, config), batch: batchSizeFor(m.rows, config.batchSize), width: m.width, data: m.rows * m.width }))
    .sort((a, b) => a.steps - b.steps || a.batch - b.batch || a.width - b.width || a.i - b.i);
  const stacks: number[][] = [];
  let current: typeof order = [];
  const cells = (group: typeof order): number =>
    group.length * Math.max(...group.map((g) => g.batch)) * Math.max(...group.map((g) => g.width));
  const data = (group: typeof order): number => group.reduce((sum, g) => sum + g.data, 0);
  for (const m of order) {
    const next = [...current, m];
    // Sorted by batch, so current[0] has the smallest: members padded to more than 1.25× their own
    // rows would waste more than they save.
    const fits =
      current.length === 0 ||
      (current[0].steps === m.steps && m.batch <= current[0].batch * 1.25 && next.length <= maxMembers && cells(next) <= maxCells && data(next) <= maxDataCells);
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
  const U = members.length;
  const batches = Int32Array.from(members, (m) => batchSizeFor(m.rows, config.batchSize));
  // Each member's every step has at least one row: its steps are ⌈rows / batch⌉.
  const R = Math.max(...batches);
  const withTargets = members.map((m) => ({ ...m, targets: smoothTargets(m.clean, m.rows, m.layout, config.labelSmoothing ?? 0) }));
  const program = kind === 'kernels' ? kernelsProgram(withTargets, config, R) : new TensorStackProgram(withTargets, config, R);
  try {
    // Each member's random stream advances as Autoencoder.train's would: swap noise, then order.
    const rngs: Rng[] = members.map(() => makeRng(`train:${config.seed}`));
    const history: number[][] = members.map(() => []);
    const starts = new Int32Array(U);
    const stepRows = new Int32Array(U);
    const epochLoss = new Float64Array(U);
    for (let epoch = 0; epoch < config.epochs; epoch++) {
      members.forEach((m, u) => {
        swapNoise(m.clean, m.rows, m.layout, config.swapProbability, rngs[u], program.noisy(u));
        permutation(m.rows, rngs[u], program.order(u));
      });
      epochLoss.fill(0);
      for (let step = 0; step < steps; step++) {
        for (let u = 0; u < U; u++) {
          starts[u] = step * batches[u];
          stepRows[u] = Math.min(batches[u], members[u].rows - starts[u]);
        }
        const memberLoss = program.step(starts, stepRows);
        for (let u = 0; u < U; u++) epochLoss[u] += memberLoss[u] * stepRows[u];
      }
      members.forEach((m, u) => history[u].push(epochLoss[u] / m.rows));
    }
    return members.map((_, u) => ({ weights: program.weights(u), lossHistory: history[u] }));
  } finally {
    program.dispose();
  }
}

function kernelsProgram(members: ProgramMember[], config: AutoencoderConfig, R: number): StackProgram {
  const kernels = trainKernels();
  if (kernels === null) throw new Error('trainStack: this runtime cannot compile WebAssembly SIMD; use the tensors program');
  return new KernelStackProgram(kernels, members, config, R);
}
