import type { DfpFields, FeatureExplanation } from '../../../common/fields';
import type { FingerprintJson, RowScore } from '../model/fingerprint';
import type { Prediction } from '../model/predictions';
import type { FeatureValue } from '../features/extract';

const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v);

export interface FieldOptions {
  threshold: number;
  topFeatures: number;
  scoredAt: string;
  ts: { z: number; anomaly: boolean };
}

/** The `dfp` object for one scored event (DESIGN.md section 7); `values` in the model's column order. */
export function scoredFields(
  user: string,
  score: RowScore,
  model: FingerprintJson,
  values: readonly FeatureValue[],
  opts: FieldOptions,
): DfpFields {
  return scoredFieldsAt(user, model, values, { z: score.z, at: 0, anomalyScore: score.anomalyScore, maxAbsZ: score.maxAbsZ, zscore: score.zscore, predictions: score.predictions }, opts);
}

/** One row's scores where they lie: per-feature z from `z[at]` on (schema order), as the batch scorer keeps them. */
export interface RowScoreAt {
  z: Float64Array;
  at: number;
  anomalyScore: number;
  maxAbsZ: number;
  zscore: number;
  predictions: readonly Prediction[];
}

/** What the `dfp` object names of the model that scored the event. */
export type ModelFields = Pick<FingerprintJson, 'schema' | 'version' | 'generic' | 'trainedAt'>;

/** scoredFields over a row of a batch: the same object, without a RowScore per event. */
export function scoredFieldsAt(user: string, model: ModelFields, values: readonly FeatureValue[], s: RowScoreAt, opts: FieldOptions): DfpFields {
  return dfpObject(user, model, values, s.z, s.at, s.anomalyScore, s.maxAbsZ, s.zscore, s.predictions, opts, opts.ts.z, opts.ts.anomaly);
}

/** The `dfp` object from its parts, in the contract's key order (scoredFields and scoredFieldsAt both build it here). */
export function dfpObject(
  user: string,
  model: ModelFields,
  values: readonly FeatureValue[],
  z: Float64Array,
  at: number,
  anomalyScore: number,
  maxAbsZ: number,
  zscore: number,
  predictions: readonly Prediction[],
  opts: Omit<FieldOptions, 'ts'>,
  tsZ: number,
  tsAnomaly: boolean,
): DfpFields {
  const names = model.schema.names;
  const features: Record<string, FeatureExplanation> = {};
  for (let c = 0; c < names.length; c++) {
    features[names[c]] = { z: round(z[at + c]), pred: predictions[c], value: values[c] ?? null };
  }
  return {
    user,
    anomaly_score: round(anomalyScore),
    max_abs_z: round(maxAbsZ),
    zscore: round(zscore),
    is_anomaly: zscore >= opts.threshold,
    threshold: opts.threshold,
    top_features: topFeatures(names, z, at, opts.topFeatures),
    features,
    model: { version: String(model.version), generic: model.generic, trained_at: model.trainedAt },
    ts_anomaly: tsAnomaly,
    ts_zscore: round(tsZ),
    scored_at: opts.scoredAt,
  };
}

/**
 * The `k` features with the largest z > 0, largest first, ties in column order: what a stable
 * sort of all features followed by a slice gives, by insertion into a list of k.
 */
export function topFeatures(names: readonly string[], z: Float64Array, at: number, k: number): string[] {
  if (!Number.isInteger(k) || k < 0) {
    // Not a count (slice's negative ends and the like): the plain definition.
    return names
      .map((name, c) => ({ name, z: z[at + c] }))
      .filter((f) => f.z > 0)
      .sort((a, b) => b.z - a.z)
      .slice(0, k)
      .map((f) => f.name);
  }
  const top: number[] = [];
  for (let c = 0; c < names.length; c++) {
    const v = z[at + c];
    if (!(v > 0)) continue;
    if (top.length === k && !(v > z[at + top[k - 1]])) continue;
    let p = top.length;
    while (p > 0 && z[at + top[p - 1]] < v) p--;
    top.splice(p, 0, c);
    if (top.length > k) top.pop();
  }
  return top.map((c) => names[c]);
}

/** The `dfp` object for an event that could not be scored: it still comes out, saying why. */
export function errorFields(user: string | null, error: string, scoredAt: string): DfpFields {
  return { user, error, scored_at: scoredAt };
}
