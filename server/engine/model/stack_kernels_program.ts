import type { AutoencoderConfig, DenseWeights } from './autoencoder';
import type { ProgramMember, StackProgram } from './stacked_training';
import type { TrainKernels } from './wasm/train_kernels';

/** Adam's constants, as tf.train.adam's defaults (and adam.ts). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

/**
 * A stack's steps in our WebAssembly SIMD kernels (wasm/train_kernels.ts), for CPU backends.
 *
 * Everything lives in the kernels' memory: parameters, their gradients and Adam's moments as one
 * region each (so Adam is one call over all members), each member's epoch of noisy rows, row order
 * and targets, the step's inputs, activations and their gradients. A step walks the members:
 * gather its rows, forward through the dense layers, its loss and gradient, backward; then one
 * Adam update for all. Each member's products cover its
 * own rows, and its first layer only its own columns, so no work goes to padding.
 *
 * Every dimension is padded to a multiple of 4 (SIMD lanes): rows to the stack's widest, hidden
 * layers with units whose weights start and stay 0 (a 0 unit passes no gradient either way).
 */
export class KernelStackProgram implements StackProgram {
  private readonly width: number;
  private readonly U: number;
  /** Per layer: padded sizes and where its weights and biases sit in each parameter-shaped region. */
  private readonly layers: { inDim: number; outDim: number; w: number; b: number }[];
  private readonly paramCount: number;
  private readonly params: number;
  private readonly grads: number;
  private readonly moment1: number;
  private readonly moment2: number;
  /** acts[l]: layer l's input for every member, [U × R × inDim] (acts[0] is x); out: raw outputs. */
  private readonly acts: number[];
  private readonly out: number;
  private readonly target: number;
  /** The loss's gradient by the outputs, and by each hidden layer's output (index as acts). */
  private readonly gradOut: number;
  private readonly gradActs: number[];
  /** Scratch for a transposed weight matrix. */
  private readonly transposed: number;
  /** Per member: its epoch's noisy rows, targets and row order ([rows × own width], [rows]). */
  private readonly data: { noisy: number; targets: number; order: number }[];
  private readonly noisyViews: Float32Array[];
  private readonly orderViews: Uint32Array[];
  private readonly lossLayouts: { cat: number; nCat: number; num: number; nNum: number; bin: number; nBin: number; features: number }[];
  private adamStep = 0;

  constructor(
    private readonly kernels: TrainKernels,
    private readonly members: ProgramMember[],
    private readonly config: AutoencoderConfig,
    private readonly R: number,
  ) {
    const U = (this.U = members.length);
    const W = (this.width = roundUp4(Math.max(...members.map((m) => m.layout.width))));
    const hidden = [...config.encoderLayers, ...config.decoderLayers].map(roundUp4);
    const dims = [W, ...hidden, W];
    let offset = 0;
    this.layers = dims.slice(0, -1).map((inDim, l) => {
      const outDim = dims[l + 1];
      const layer = { inDim, outDim, w: offset, b: offset + U * inDim * outDim };
      offset = layer.b + U * outDim;
      return layer;
    });
    this.paramCount = offset;

    kernels.claim();
    this.params = kernels.alloc(offset);
    this.grads = kernels.alloc(offset);
    this.moment1 = kernels.alloc(offset);
    this.moment2 = kernels.alloc(offset);
    this.acts = dims.slice(0, -1).map((d) => kernels.alloc(U * R * d));
    this.out = kernels.alloc(U * R * W);
    this.target = kernels.alloc(U * R * W);
    this.gradOut = kernels.alloc(U * R * W);
    this.gradActs = dims.slice(0, -1).map((d, l) => (l === 0 ? -1 : kernels.alloc(U * R * d)));
    this.transposed = kernels.alloc(Math.max(...this.layers.map((l) => l.inDim * l.outDim)));
    this.lossLayouts = members.map((m) => {
      const { cat, num, bin } = m.layout;
      const at = kernels.alloc(2 * cat.length + num.length + bin.length);
      const ints = kernels.i32;
      cat.forEach((block, j) => {
        ints[at + 2 * j] = block.offset;
        ints[at + 2 * j + 1] = block.size;
      });
      num.forEach((block, j) => (ints[at + 2 * cat.length + j] = block.offset));
      bin.forEach((block, j) => (ints[at + 2 * cat.length + num.length + j] = block.offset));
      return { cat: at, nCat: cat.length, num: at + 2 * cat.length, nNum: num.length, bin: at + 2 * cat.length + num.length, nBin: bin.length, features: m.layout.lossOrder.length };
    });
    // 4 floats more than the rows: gatherRows copies whole vectors (see the kernel).
    this.data = members.map((m) => ({ noisy: kernels.alloc(m.rows * m.layout.width + 4), targets: kernels.alloc(m.rows * m.layout.width + 4), order: kernels.alloc(m.rows) }));
    // Views last: an allocation that grows the memory would leave earlier views detached.
    const f32 = kernels.f32;
    this.noisyViews = members.map((m, u) => f32.subarray(this.data[u].noisy, this.data[u].noisy + m.rows * m.layout.width));
    this.orderViews = members.map((m, u) => kernels.u32.subarray(this.data[u].order, this.data[u].order + m.rows));
    members.forEach((m, u) => f32.set(m.targets, this.data[u].targets));
    members.forEach((m, u) =>
      m.init.forEach((own, l) => {
        const { inDim, outDim, w, b } = this.layers[l];
        for (let r = 0; r < own.inDim; r++) f32.set(own.w.subarray(r * own.outDim, (r + 1) * own.outDim), this.params + w + (u * inDim + r) * outDim);
        f32.set(own.b, this.params + b + u * outDim);
      }),
    );
  }

  noisy(u: number): Float32Array {
    return this.noisyViews[u];
  }

  order(u: number): Uint32Array {
    return this.orderViews[u];
  }

  step(starts: Int32Array, rows: Int32Array): Float64Array {
    const k = this.kernels;
    const { U, R, width: W, layers } = this;
    const last = layers.length - 1;
    const memberLoss = new Float64Array(U);
    for (let u = 0; u < U; u++) {
      const n = rows[u];
      const ownWidth = this.members[u].layout.width;
      const data = this.data[u];
      k.gatherRows(data.noisy, data.order + starts[u], n, ownWidth, this.acts[0] + u * R * W, W);
      k.gatherRows(data.targets, data.order + starts[u], n, ownWidth, this.target + u * R * W, W);
      for (let l = 0; l <= last; l++) {
        const { inDim, outDim, w, b } = layers[l];
        const input = this.acts[l] + u * R * inDim;
        const z = l === last ? this.out + u * R * W : this.acts[l + 1] + u * R * outDim;
        const weights = this.params + w + u * inDim * outDim;
        // The first layer's input is one-hot blocks (and a few numbers): only nonzeros cost.
        if (l === 0) k.gemmSparseA(input, inDim, 1, weights, z, n, ownWidth, outDim);
        else k.gemm(input, inDim, 1, weights, z, n, inDim, outDim);
        k.biasAct(z, this.params + b + u * outDim, n, outDim, l < last);
      }
      const loss = this.lossLayouts[u];
      const scale = 1 / (n * loss.features);
      const at = u * R * W;
      memberLoss[u] = scale * k.memberLoss(this.out + at, this.target + at, this.gradOut + at, n, W, ownWidth, loss.cat, loss.nCat, loss.num, loss.nNum, loss.bin, loss.nBin, scale);

      let grad = this.gradOut + at;
      for (let l = last; l >= 0; l--) {
        const { inDim, outDim, w, b } = layers[l];
        const input = this.acts[l] + u * R * inDim;
        // dW = inputᵀ · grad; for the first layer, only the member's own input rows (the rest stay 0).
        const dw = this.grads + w + u * inDim * outDim;
        if (l === 0) k.gemmSparseAT(input, inDim, grad, dw, n, ownWidth, outDim);
        else k.gemm(input, 1, inDim, grad, dw, inDim, n, outDim);
        k.colSum(grad, n, outDim, this.grads + b + u * outDim);
        if (l === 0) break;
        // The gradient by this layer's input: grad · Wᵀ, through the ReLU that made the input.
        const below = this.gradActs[l] + u * R * inDim;
        k.transpose(this.params + w + u * inDim * outDim, inDim, outDim, this.transposed);
        k.gemm(grad, outDim, 1, this.transposed, below, n, outDim, inDim);
        k.reluMask(below, input, n * inDim);
        grad = below;
      }
    }
    this.adamStep += 1;
    const c1 = 1 / (1 - BETA1 ** this.adamStep);
    const c2 = 1 / (1 - BETA2 ** this.adamStep);
    k.adam(this.params, this.grads, this.moment1, this.moment2, this.paramCount, this.config.learningRate, c1, c2, BETA1, BETA2, EPSILON);
    return memberLoss;
  }

  weights(u: number): DenseWeights[] {
    const f32 = this.kernels.f32;
    return this.members[u].init.map((own, l) => {
      const { inDim, outDim, w, b } = this.layers[l];
      const weights = new Float32Array(own.inDim * own.outDim);
      for (let r = 0; r < own.inDim; r++) {
        const from = this.params + w + (u * inDim + r) * outDim;
        weights.set(f32.subarray(from, from + own.outDim), r * own.outDim);
      }
      const from = this.params + b + u * outDim;
      return { inDim: own.inDim, outDim: own.outDim, w: weights, b: f32.slice(from, from + own.outDim) };
    });
  }

  dispose(): void {
    this.kernels.release();
  }
}

function roundUp4(n: number): number {
  return Math.ceil(n / 4) * 4;
}
