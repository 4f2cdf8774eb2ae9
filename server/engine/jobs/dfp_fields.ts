import type { DfpFields, FeatureExplanation } from '../../../common/fields';
import type { FingerprintJson, RowScore } from '../model/fingerprint';
import type { FeatureValue } from '../features/extract';

const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v);

/** The `dfp` object for one scored event (DESIGN.md section 7); `values` in the model's column order. */
export function scoredFields(
  user: string,
  score: RowScore,
  model: FingerprintJson,
  values: readonly FeatureValue[],
  opts: { threshold: number; topFeatures: number; scoredAt: string; ts: { z: number; anomaly: boolean } },
): DfpFields {
  const names = model.schema.names;
  const features: Record<string, FeatureExplanation> = {};
  names.forEach((name, c) => {
    features[name] = { z: round(score.z[c]), pred: score.predictions[c], value: values[c] ?? null };
  });
  const top = names
    .map((name, c) => ({ name, z: score.z[c] }))
    .filter((f) => f.z > 0)
    .sort((a, b) => b.z - a.z)
    .slice(0, opts.topFeatures)
    .map((f) => f.name);
  return {
    user,
    anomaly_score: round(score.anomalyScore),
    max_abs_z: round(score.maxAbsZ),
    zscore: round(score.zscore),
    is_anomaly: score.zscore >= opts.threshold,
    threshold: opts.threshold,
    top_features: top,
    features,
    model: { version: String(model.version), generic: model.generic, trained_at: model.trainedAt },
    ts_anomaly: opts.ts.anomaly,
    ts_zscore: round(opts.ts.z),
    scored_at: opts.scoredAt,
  };
}

/** The `dfp` object for an event that could not be scored: it still comes out, saying why. */
export function errorFields(user: string | null, error: string, scoredAt: string): DfpFields {
  return { user, error, scored_at: scoredAt };
}
