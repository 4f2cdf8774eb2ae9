import * as tf from '@tensorflow/tfjs-core';
import type { AutoencoderConfig, DenseWeights } from './autoencoder';
import { StackLoss } from './stacked_loss';
import { Adam } from './adam';
import type { ProgramMember, StackMember, StackProgram } from './stacked_training';

/**
 * A stack's steps as tfjs tensor programs, for GPU backends: weights [U, in, out], batched
 * matmuls forward and back (backprop by hand, no tape), the loss and its gradient in one JS pass
 * (StackLoss), Adam in one JS pass over parameters kept in JS arrays (the backend sees them for
 * the matmuls only). Rows are padded to the widest member's width.
 */
export class TensorStackProgram implements StackProgram {
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private readonly width: number;
  private readonly noisyRows: Float32Array[];
  private readonly orders: Uint32Array[];
  private readonly params: StackedLayer[];
  private readonly loss: StackLoss;
  private readonly optimizer: Adam;
  private readonly U: number;

  constructor(
    private readonly members: ProgramMember[],
    config: AutoencoderConfig,
    private readonly R: number,
  ) {
    this.U = members.length;
    this.width = Math.max(...members.map((m) => m.layout.width));
    this.x = new Float32Array(this.U * R * this.width);
    this.y = new Float32Array(this.U * R * this.width);
    this.noisyRows = members.map((m) => new Float32Array(m.rows * m.layout.width));
    this.orders = members.map((m) => new Uint32Array(m.rows));
    this.params = stackedParams(members, this.width);
    this.loss = new StackLoss(members.map((m) => m.layout), this.width);
    this.optimizer = new Adam(this.params.flatMap((l) => [l.w, l.b]), config.learningRate);
  }

  noisy(u: number): Float32Array {
    return this.noisyRows[u];
  }

  order(u: number): Uint32Array {
    return this.orders[u];
  }

  step(starts: Int32Array, rows: Int32Array): Float64Array {
    const { U, R, width: W, params } = this;
    // Rows past a member's count are computed too: they must be zero.
    this.x.fill(0);
    this.y.fill(0);
    this.members.forEach((m, u) => {
      const w = m.layout.width;
      for (let i = 0; i < rows[u]; i++) {
        const r = this.orders[u][starts[u] + i];
        this.x.set(this.noisyRows[u].subarray(r * w, (r + 1) * w), (u * R + i) * W);
        this.y.set(m.targets.subarray(r * w, (r + 1) * w), (u * R + i) * W);
      }
    });
    let memberLoss: Float64Array = new Float64Array(U);
    const gradTensors = tf.tidy(() => {
      const layers = params.map((l) => ({ w: tf.tensor3d(l.w, l.shape), b: tf.tensor3d(l.b, [U, 1, l.shape[2]]) }));
      const activations = forward(tf.tensor3d(this.x, [U, R, W]), layers);
      const out = activations.pop()!;
      // Loss and its gradient in one pass over the outputs (see StackLoss).
      const evaluated = this.loss.evaluate(out.dataSync() as Float32Array, this.y, rows, U, R);
      memberLoss = evaluated.memberLoss;
      return backward(tf.tensor3d(evaluated.gradient, [U, R, W]), activations, layers);
    });
    // Read outside tidy: tidy would walk every element of returned typed arrays.
    this.optimizer.apply(gradTensors.map((g) => g.dataSync() as Float32Array));
    for (const g of gradTensors) g.dispose();
    return memberLoss;
  }

  weights(u: number): DenseWeights[] {
    return unstack(this.params, u, this.members[u]);
  }

  dispose(): void {}
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
 * Returns the gradients in Adam's parameter order: each layer's weights, then its biases.
 */
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
