import type { FeatureKind } from '../profiles';

/**
 * Turning losses into scores that mean the same thing for every user and feature.
 *
 * Morpheus divides each feature's loss by its training σ. A feature that never varied in a user's
 * training data has σ ≈ 0, so any new value scores in the thousands and the score measures how
 * constant a feature was rather than how surprising the event is (DESIGN.md section 6). So σ gets
 * a floor in the loss's own units (nats for cross-entropy, squared standard deviations for
 * numerics), and a loss below the training mean counts as 0: a better-than-usual reconstruction is
 * no evidence of anything.
 */
export const LOSS_SCALE_FLOOR: Record<FeatureKind, number> = {
  categorical: 1.0,
  numeric: 1.0,
  binary: 1.0,
};

/** The user's evidence scores (see fingerprint.evidence) are rescaled by at least this much, for the same reason. */
export const SCORE_SCALE_FLOOR = 1.0;

export interface LossStats {
  /** Per feature (schema column order): mean training loss μ_f. */
  mean: number[];
  /** Per feature: training loss σ_f after the floor. */
  std: number[];
}

export function fitLossStats(losses: Float32Array, rows: number, kinds: FeatureKind[]): LossStats {
  const f = kinds.length;
  const mean = new Array<number>(f).fill(0);
  const sq = new Array<number>(f).fill(0);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < f; c++) {
      const v = losses[i * f + c];
      mean[c] += v;
      sq[c] += v * v;
    }
  }
  const std = mean.map((sum, c) => {
    const m = rows > 0 ? sum / rows : 0;
    mean[c] = m;
    const variance = rows > 1 ? Math.max(0, (sq[c] - rows * m * m) / (rows - 1)) : 0;
    return Math.max(Math.sqrt(variance), LOSS_SCALE_FLOOR[kinds[c]]);
  });
  return { mean, std };
}

/** z_f = max(0, loss_f − μ_f) / σ_f for one row, written into out. */
export function featureZ(losses: Float32Array, row: number, stats: LossStats, out: Float64Array): void {
  const f = stats.mean.length;
  for (let c = 0; c < f; c++) {
    out[c] = Math.max(0, losses[row * f + c] - stats.mean[c]) / stats.std[c];
  }
}

/** Where a user's normal anomaly scores sit: median and a floored robust spread (1.4826·MAD). */
export interface ScoreScale {
  median: number;
  scale: number;
  count: number;
}

export function fitScoreScale(scores: ArrayLike<number>): ScoreScale {
  const sorted = Float64Array.from(scores).sort();
  const median = quantileSorted(sorted, 0.5);
  const deviations = sorted.map((s) => Math.abs(s - median)).sort();
  const mad = quantileSorted(deviations, 0.5);
  return { median, scale: Math.max(1.4826 * mad, SCORE_SCALE_FLOOR), count: sorted.length };
}

/** dfp.zscore: how many robust standard deviations above the user's usual the score is. */
export function userZ(score: number, scale: ScoreScale): number {
  return (score - scale.median) / scale.scale;
}

export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
