import * as tf from '@tensorflow/tfjs-core';
import type { Layout } from '../features/encoding';

/**
 * Per-feature reconstruction losses, [rows × features] in layout.lossOrder: cross-entropy per
 * categorical block, squared error per numeric, binary cross-entropy (from logits) per binary.
 *
 * All categorical blocks are handled by two matmuls with a block-indicator matrix instead of one
 * slice per column, so the op count (the dominant cost for small nets on wasm) does not grow
 * with the number of columns. Subtracting the row's max logit keeps exp() finite; its gradient
 * cancels exactly in log-sum-exp, so no stop-gradient is needed.
 */
export class FeatureLoss {
  private readonly blockIndicator: tf.Tensor2D | null;

  constructor(private readonly layout: Layout) {
    this.blockIndicator = layout.cat.length > 0 ? tf.keep(indicatorMatrix(layout)) : null;
  }

  compute(output: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor2D {
    const { catWidth, num, bin } = this.layout;
    const rows = output.shape[0];
    const parts: tf.Tensor2D[] = [];
    if (this.blockIndicator) {
      const logits = tf.slice(output, [0, 0], [rows, catWidth]);
      const onehot = tf.slice(target, [0, 0], [rows, catWidth]);
      const rowMax = tf.max(logits, 1, true);
      const blockSums = tf.matMul(tf.exp(tf.sub(logits, rowMax)), this.blockIndicator);
      const logSumExp = tf.add(tf.log(tf.add(blockSums, 1e-30)), rowMax);
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
  }
}

function indicatorMatrix(layout: Layout): tf.Tensor2D {
  const m = new Float32Array(layout.catWidth * layout.cat.length);
  layout.cat.forEach((b, f) => {
    for (let k = 0; k < b.size; k++) m[(b.offset + k) * layout.cat.length + f] = 1;
  });
  return tf.tensor2d(m, [layout.catWidth, layout.cat.length]);
}
