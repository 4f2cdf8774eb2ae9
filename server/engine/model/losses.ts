import * as tf from '@tensorflow/tfjs-core';
import type { Layout } from '../features/encoding';

/**
 * Per-feature reconstruction losses, [rows × features] in layout.lossOrder: cross-entropy per
 * categorical block, squared error per numeric, binary cross-entropy (from logits) per binary.
 *
 * All categorical blocks are handled by matmuls with a block-indicator matrix instead of one
 * slice per column, so the op count (the dominant cost for small nets on wasm) does not grow
 * with the number of columns.
 */
export class FeatureLoss {
  private readonly blockIndicator: tf.Tensor2D | null;
  private readonly slotIndicator: tf.Tensor2D | null;
  private readonly blockLogSumExp: (logits: tf.Tensor2D) => tf.Tensor2D;

  constructor(private readonly layout: Layout) {
    this.blockIndicator = layout.cat.length > 0 ? tf.keep(indicatorMatrix(layout)) : null;
    this.slotIndicator = this.blockIndicator ? tf.keep(tf.transpose(this.blockIndicator)) : null;
    this.blockLogSumExp = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const logits = args[0] as tf.Tensor2D;
      const save = args[1] as tf.GradSaveFunc;
      // Subtracting the row's max logit keeps exp() finite. Its gradient cancels in log-sum-exp,
      // so the gradient is given directly (each block's softmax): differentiating through max
      // would only add kernels (on wasm, a slow broadcast equal) to compute zeros.
      const rowMax = tf.max(logits, 1, true);
      const blockSums = tf.matMul(tf.exp(tf.sub(logits, rowMax)), this.blockIndicator!);
      const value = tf.add(tf.log(tf.add(blockSums, 1e-30)), rowMax) as tf.Tensor2D;
      save([logits, value]);
      const gradFunc = (dy: tf.Tensor2D, saved: tf.Tensor[]): tf.Tensor2D => {
        const [x, lse] = saved as tf.Tensor2D[];
        const perSlot = (t: tf.Tensor2D): tf.Tensor2D => tf.matMul(t, this.slotIndicator!);
        return tf.mul(perSlot(dy), tf.exp(tf.sub(x, perSlot(lse))));
      };
      return { value, gradFunc };
    }) as (logits: tf.Tensor2D) => tf.Tensor2D;
  }

  compute(output: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor2D {
    const { catWidth, num, bin } = this.layout;
    const rows = output.shape[0];
    const parts: tf.Tensor2D[] = [];
    if (this.blockIndicator) {
      const logits = tf.slice(output, [0, 0], [rows, catWidth]);
      const onehot = tf.slice(target, [0, 0], [rows, catWidth]);
      const logSumExp = this.blockLogSumExp(logits);
      const targetLogit = tf.matMul(tf.mul(logits, onehot), this.blockIndicator);
      parts.push(tf.sub(logSumExp, targetLogit));
    }
    if (num.length > 0) {
      const pred = tf.slice(output, [0, catWidth], [rows, num.length]);
      const truth = tf.slice(target, [0, catWidth], [rows, num.length]);
      parts.push(tf.squaredDifference(pred, truth));
    }
    if (bin.length > 0) {
      const at = catWidth + num.length;
      const x = tf.slice(output, [0, at], [rows, bin.length]);
      const t = tf.slice(target, [0, at], [rows, bin.length]);
      // max(x, 0) − x·t + log(1 + e^−|x|): the stable form of BCE on logits.
      parts.push(tf.add(tf.sub(tf.relu(x), tf.mul(x, t)), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  }

  dispose(): void {
    this.blockIndicator?.dispose();
    this.slotIndicator?.dispose();
  }
}

function indicatorMatrix(layout: Layout): tf.Tensor2D {
  const m = new Float32Array(layout.catWidth * layout.cat.length);
  layout.cat.forEach((b, f) => {
    for (let k = 0; k < b.size; k++) m[(b.offset + k) * layout.cat.length + f] = 1;
  });
  return tf.tensor2d(m, [layout.catWidth, layout.cat.length]);
}
