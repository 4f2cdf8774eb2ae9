import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { InputItem, RawEvent } from '../types';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { errorDocument } from '../io/write_events';
import { buildUserFrames, schemaOf, type FeatureSchema } from '../features/frame';
import type { FeatureValue } from '../features/extract';
import { Fingerprint } from '../model/fingerprint';
import { timeseriesCheck } from '../score/timeseries';
import { collectRows } from './collect';
import { errorFields, scoredFields } from './dfp_fields';
import type { InputReport } from './input_report';

export interface ScoreOptions {
  profile: Profile;
  store: ModelStore;
  threshold?: number;
  tsThreshold?: number;
  tsBinMinutes?: number;
  topFeatures?: number;
  userFilter?: RegExp;
  onProgress?: (p: { done: number; total: number; user: string }) => void;
}

export interface ScoredUser {
  user: string;
  label?: string;
  events: number;
  flagged: number;
  maxZscore: number;
  generic: boolean;
  /** Input position of the user's most anomalous event. */
  worstIndex: number;
  worstTopFeatures: string[];
}

export interface ScoredEvent {
  inputIndex: number;
  user: string;
  zscore: number;
  time: number;
  /** The top features with the value seen and what the model expected instead. */
  why: { feature: string; seen: unknown; expected: unknown }[];
}

export interface ScoreSummary {
  events: number;
  scored: number;
  errors: number;
  flagged: number;
  tsFlagged: number;
  users: ScoredUser[];
  /** The most anomalous events, highest z first. */
  topEvents: ScoredEvent[];
  report: InputReport;
  durationMs: number;
}

/**
 * The score pipeline, top to bottom: read → per-user frames (derived features from each user's
 * own events) → each user's fingerprint (or the generic one) → z-scores, flags, explanations →
 * time-series check → every input item written out, in input order, scored or with dfp.error.
 */
export async function scoreEvents(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  opts: ScoreOptions,
  write: (doc: Record<string, unknown>) => Promise<void>,
): Promise<ScoreSummary> {
  const started = Date.now();
  const scoredAt = new Date().toISOString();
  const threshold = opts.threshold ?? DEFAULTS.zscoreThreshold;
  const topFeatures = opts.topFeatures ?? DEFAULTS.topFeatures;
  const { profile, store } = opts;

  const collected = await collectRows(items, profile, { userFilter: opts.userFilter, keepItems: true });
  const fields: (DfpFields | undefined)[] = new Array(collected.items.length);
  for (const [i, reason] of collected.rejected) fields[i] = errorFields(null, reason, scoredAt);

  const summary: ScoreSummary = {
    events: collected.items.length,
    scored: 0,
    errors: 0,
    flagged: 0,
    tsFlagged: 0,
    users: [],
    topEvents: [],
    report: collected.report,
    durationMs: 0,
  };

  const genericJson = await store.load(profile.name, null);
  const generic = genericJson ? Fingerprint.fromJson(genericJson) : null;
  const frames = [...buildUserFrames(collected.rows, profile).values()];
  const schema = schemaOf(profile);
  let staleModels = 0;
  try {
    let done = 0;
    for (const frame of frames) {
      const ownJson = await store.load(profile.name, frame.user);
      const own = ownJson ? Fingerprint.fromJson(ownJson) : null;
      const model = own ?? generic;
      if (!model) {
        const why = `no model for user "${frame.user}" and no generic model: run dfp train first`;
        for (const i of frame.inputIndex) fields[i] = errorFields(frame.user, why, scoredAt);
      } else {
        const values = alignColumns(frame.values, schema, model.json.schema);
        if (values !== frame.values) {
          if (staleModels++ > 0) summary.report.tally('stale model');
          else summary.report.add('stale model', `model for ${model.json.user ?? 'generic'} v${model.json.version} (and any counted with it) was trained on other features than the profile now has: retrain`);
        }
        const scores = model.score(values);
        const ts = timeseriesCheck(frame.times, { threshold: opts.tsThreshold, binMinutes: opts.tsBinMinutes });
        const user: ScoredUser = { user: frame.user, label: frame.label, events: scores.length, flagged: 0, maxZscore: -Infinity, generic: !own, worstIndex: -1, worstTopFeatures: [] };
        scores.forEach((s, k) => {
          const inputIndex = frame.inputIndex[k];
          const z = ts.eventZ[k];
          const dfp = scoredFields(frame.user, s, model.json, values[k], {
            threshold,
            topFeatures,
            scoredAt,
            ts: { z: Number.isFinite(z) ? z : 0, anomaly: ts.eventAnomaly[k] },
          });
          fields[inputIndex] = dfp;
          if (dfp.is_anomaly) user.flagged += 1;
          if (dfp.ts_anomaly) summary.tsFlagged += 1;
          if (s.zscore > user.maxZscore) {
            user.maxZscore = s.zscore;
            user.worstIndex = inputIndex;
            user.worstTopFeatures = dfp.top_features ?? [];
          }
          const names = model.json.schema.names;
          const why = (dfp.top_features ?? []).map((f) => {
            const c = names.indexOf(f);
            return { feature: f, seen: values[k][c], expected: s.predictions[c] };
          });
          summary.topEvents.push({ inputIndex, user: frame.user, zscore: s.zscore, time: frame.times[k], why });
        });
        summary.flagged += user.flagged;
        summary.users.push(user);
        // Keep only the most anomalous events as we go: memory stays bounded by the input.
        if (summary.topEvents.length > 1000) trimTop(summary.topEvents, 100);
      }
      own?.dispose();
      opts.onProgress?.({ done: ++done, total: frames.length, user: frame.user });
    }
  } finally {
    generic?.dispose();
  }
  trimTop(summary.topEvents, 100);
  summary.users.sort((a, b) => b.maxZscore - a.maxZscore);

  for (let i = 0; i < collected.items.length; i++) {
    const item = collected.items[i];
    if (item.kind === 'error') {
      summary.errors += 1;
      await write(errorDocument(item));
      continue;
    }
    const dfp =
      fields[i] ??
      errorFields(null, collected.filtered.has(i) ? 'user not selected by the user filter' : 'not scored', scoredAt);
    if (dfp.error) summary.errors += 1;
    else summary.scored += 1;
    await write(withDfp(item.event, dfp));
  }
  summary.durationMs = Date.now() - started;
  return summary;
}

/**
 * Rows in the model's column order. A model trained before the profile's fields changed still
 * scores, by column name (a column the profile no longer reads is null), instead of silently
 * reading one field's values as another's.
 */
export function alignColumns(rows: FeatureValue[][], have: FeatureSchema, want: FeatureSchema): FeatureValue[][] {
  if (have.names.length === want.names.length && have.names.every((n, i) => n === want.names[i])) return rows;
  const from = want.names.map((n) => have.names.indexOf(n));
  return rows.map((r) => from.map((c) => (c >= 0 ? r[c] : null)));
}

function withDfp(event: RawEvent, dfp: DfpFields): Record<string, unknown> {
  return { ...event, dfp };
}

function trimTop(events: ScoredEvent[], keep: number): void {
  events.sort((a, b) => b.zscore - a.zscore);
  events.length = Math.min(events.length, keep);
}
