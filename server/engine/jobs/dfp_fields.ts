import type { DfpFields, FeatureExplanation, ModelRef } from '../../../common/fields';
import type { FingerprintJson, RowScore } from '../model/fingerprint';
import type { Prediction } from '../model/predictions';
import type { FeatureValue } from '../features/extract';
import { addHistory, historyViewOf } from '../model/history';

/** Numbers as the dfp fields carry them: 4 decimals. */
export const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v);

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

/** What the `dfp` object names of the model that scored the event (encoding and history: the user's history in explanations). */
export type ModelFields = Pick<FingerprintJson, 'schema' | 'version' | 'generic' | 'trainedAt'> & Partial<Pick<FingerprintJson, 'encoding' | 'history'>>;

/** scoredFields over a row of a batch: the same object, without a RowScore per event. */
export function scoredFieldsAt(user: string, model: ModelFields, values: readonly FeatureValue[], s: RowScoreAt, opts: FieldOptions, fallbackReason?: string): DfpFields {
  return dfpObject(user, model, values, s.z, s.at, s.anomalyScore, s.maxAbsZ, s.zscore, s.predictions, opts, opts.ts.z, opts.ts.anomaly, fallbackReason);
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
  fallbackReason?: string,
): DfpFields {
  const names = model.schema.names;
  const features: Record<string, FeatureExplanation> = {};
  for (let c = 0; c < names.length; c++) {
    const explained = { z: round(z[at + c]), pred: predictions[c], value: values[c] ?? null };
    if (names[c] === '__proto__') defineOwn(features, names[c], explained);
    else features[names[c]] = explained;
  }
  const top = topFeatures(names, z, at, opts.topFeatures);
  addHistory(features, top, names, historyViewOf(model));
  return assembleDfp(user, model, top, features, round(anomalyScore), round(maxAbsZ), zscore, opts, tsZ, tsAnomaly, fallbackReason);
}

/**
 * The `dfp` object of a scored event in the contract's key order, from its parts: the one place
 * that order is written (dfpObject and the file scoring's documents both build it here).
 * `anomalyScore` and `maxAbsZ` come rounded; `zscore` and `tsZ` not (the flag reads the exact z).
 * `fallbackReason`: the generic model scored a user whose own model could not be used, and why.
 */
export function assembleDfp(
  user: string,
  model: Pick<ModelFields, 'version' | 'generic' | 'trainedAt'>,
  top: string[],
  features: Record<string, FeatureExplanation>,
  anomalyScore: number,
  maxAbsZ: number,
  zscore: number,
  opts: Omit<FieldOptions, 'ts'>,
  tsZ: number,
  tsAnomaly: boolean,
  fallbackReason?: string,
): DfpFields {
  const modelRef: ModelRef = { version: String(model.version), generic: model.generic, trained_at: model.trainedAt };
  if (fallbackReason !== undefined) modelRef.fallback_reason = fallbackReason;
  return {
    user,
    anomaly_score: anomalyScore,
    max_abs_z: maxAbsZ,
    zscore: round(zscore),
    is_anomaly: zscore >= opts.threshold,
    threshold: opts.threshold,
    top_features: top,
    features,
    model: modelRef,
    ts_anomaly: tsAnomaly,
    ts_zscore: round(tsZ),
    scored_at: opts.scoredAt,
  };
}

/**
 * The `k` features with the largest z > 0, largest first, ties in column order: what a stable
 * sort of all features followed by a slice gives.
 */
export function topFeatures(names: readonly string[], z: Float64Array, at: number, k: number): string[] {
  const columns = new Int16Array(topSlots(k, names.length));
  const n = topColumnsInto(z, at, names.length, k, columns, 0);
  const top = new Array<string>(n);
  for (let i = 0; i < n; i++) top[i] = names[columns[i]];
  return top;
}

/** Room the top features of a row of `f` features can take for `k`: at most k, at most f. */
export function topSlots(k: number, f: number): number {
  return Number.isInteger(k) && k >= 0 ? Math.min(k, f) : f;
}

/**
 * topFeatures as column numbers, written to out[outAt…] (topSlots(k, f) of room); returns how many.
 * For a count, by insertion into a list of k (no sort, no array per row).
 */
export function topColumnsInto(z: Float64Array, at: number, f: number, k: number, out: Int16Array, outAt: number): number {
  if (!Number.isInteger(k) || k < 0) {
    // Not a count (slice's negative ends and the like): the plain definition.
    const top = Array.from({ length: f }, (_, c) => c)
      .filter((c) => z[at + c] > 0)
      .sort((a, b) => z[at + b] - z[at + a])
      .slice(0, k);
    out.set(top, outAt);
    return top.length;
  }
  if (k === 0) return 0;
  let n = 0;
  for (let c = 0; c < f; c++) {
    const v = z[at + c];
    if (!(v > 0)) continue;
    if (n === k && !(v > z[at + out[outAt + k - 1]])) continue;
    let p = n;
    while (p > 0 && z[at + out[outAt + p - 1]] < v) p--;
    // Shift the smaller ones down one place (the last falls off when the list is full).
    for (let q = Math.min(n, k - 1); q > p; q--) out[outAt + q] = out[outAt + q - 1];
    if (p < k) out[outAt + p] = c;
    if (n < k) n++;
  }
  return n;
}

/** obj[key] = value as an own property, for a key (`__proto__`) that assignment would not make one. */
export function defineOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The `dfp` object for an event that could not be scored: it still comes out, saying why. */
export function errorFields(user: string | null, error: string, scoredAt: string): DfpFields {
  return { user, error, scored_at: scoredAt };
}
