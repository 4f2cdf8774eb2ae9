import type { Layout } from '../features/encoding';

/**
 * The reconstruction loss of a stack of networks and its gradient, in one pass over the outputs.
 *
 * The same loss as FeatureLoss (cross-entropy per categorical block, squared error per numeric,
 * binary cross-entropy on logits), written out for the tensor stack program (the kernel program
 * has the same in wasm/assembly/train_kernels.ts, tested against this): as tensor ops it is ~30
 * kernels forward and as many back (slices, pads, block-indicator matmuls, an exp each way), which
 * on wasm cost more than the network itself. Here each output is read once and its gradient is the
 * closed form: softmax − target, 2·(prediction − target), sigmoid − target.
 *
 * Member u's rows are the first `rows[u]` of its R, each in the member's own layout at the start
 * of a `width`-wide row; each member's loss is its own mean over rows and features, so its
 * gradient is what training it alone would compute. Padding (rows past `rows[u]`, columns past
 * the member's own width) gets gradient 0 and adds nothing.
 */
export class StackLoss {
  private readonly features: number;
  /** Per member: offsets and sizes of its categorical blocks, offsets of its numerics and binaries. */
  private readonly catOffset: Int32Array[];
  private readonly catSize: Int32Array[];
  private readonly numOffset: Int32Array[];
  private readonly binOffset: Int32Array[];
  private gradient = new Float32Array(0);

  constructor(memberLayouts: Layout[], private readonly width: number) {
    this.features = memberLayouts[0].lossOrder.length;
    for (const l of memberLayouts) {
      if (l.lossOrder.length !== this.features) throw new Error('StackLoss: members were encoded from different schemas');
    }
    this.catOffset = memberLayouts.map((l) => Int32Array.from(l.cat, (b) => b.offset));
    this.catSize = memberLayouts.map((l) => Int32Array.from(l.cat, (b) => b.size));
    this.numOffset = memberLayouts.map((l) => Int32Array.from(l.num, (b) => b.offset));
    this.binOffset = memberLayouts.map((l) => Int32Array.from(l.bin, (b) => b.offset));
  }

  /**
   * `out` and `target` are [U × R × width]. Returns each member's mean loss and the gradient of
   * the sum of those means with respect to `out` (valid until the next call).
   */
  evaluate(out: Float32Array, target: Float32Array, rows: Int32Array, U: number, R: number): { gradient: Float32Array; memberLoss: Float64Array } {
    const W = this.width;
    if (this.gradient.length !== U * R * W) this.gradient = new Float32Array(U * R * W);
    const grad = this.gradient;
    grad.fill(0);
    const memberLoss = new Float64Array(U);
    for (let u = 0; u < U; u++) {
      const n = rows[u];
      if (n === 0) continue;
      const c = 1 / (n * this.features);
      const sizes = this.catSize[u];
      const catOffset = this.catOffset[u];
      const numOffset = this.numOffset[u];
      const binOffset = this.binOffset[u];
      let total = 0;
      for (let i = 0; i < n; i++) {
        const base = (u * R + i) * W;
        for (let j = 0; j < sizes.length; j++) {
          const from = base + catOffset[j];
          const to = from + sizes[j];
          let max = -Infinity;
          for (let k = from; k < to; k++) if (out[k] > max) max = out[k];
          let sum = 0;
          let targetLogit = 0;
          for (let k = from; k < to; k++) {
            const e = Math.exp(out[k] - max);
            grad[k] = e;
            sum += e;
            targetLogit += out[k] * target[k];
          }
          total += Math.log(sum) + max - targetLogit;
          for (let k = from; k < to; k++) grad[k] = c * (grad[k] / sum - target[k]);
        }
        for (let j = 0; j < numOffset.length; j++) {
          const k = base + numOffset[j];
          const d = out[k] - target[k];
          total += d * d;
          grad[k] = c * 2 * d;
        }
        for (let j = 0; j < binOffset.length; j++) {
          const k = base + binOffset[j];
          const x = out[k];
          const t = target[k];
          const e = Math.exp(-Math.abs(x));
          total += Math.max(x, 0) - x * t + Math.log1p(e);
          const sigmoid = x >= 0 ? 1 / (1 + e) : e / (1 + e);
          grad[k] = c * (sigmoid - t);
        }
      }
      memberLoss[u] = total * c;
    }
    return { gradient: grad, memberLoss };
  }
}
