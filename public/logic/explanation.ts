/**
 * Why an event was anomalous: per feature, its z-loss, the value seen and what the model expected
 * (its reconstruction), largest z first, the event's top features marked.
 */
import type { ScoredEventDoc } from '../../common/api';
import type { Rollout } from '../../common/fields';
import { historyText } from '../../common/history_text';
import { utcHourIn, zoneName } from '../../common/why';

/** The derived feature holding the UTC hour of day (server/engine/features/derived.ts). */
const HOUR_FEATURE = 'hour';
import { formatFeatureValue, formatNumber } from './format';

export interface ExplanationRow {
  feature: string;
  z: number;
  /** The value seen, formatted; "(not recorded)" for events scored before values were kept. */
  seen: string;
  expected: string;
  /** Among the event's top features (the ones that made it anomalous). */
  top: boolean;
  /** The model's prediction differs from what was seen. */
  differs: boolean;
  /**
   * What the user normally does, in words ("never seen before (usually NL 97%)"), for top
   * categorical features of models that keep the user's history; absent otherwise.
   */
  history?: string;
}

const NOT_RECORDED = '(not recorded)';

/**
 * `timeZone`: where the app shows times (default: the browser's). The hour feature is the UTC hour;
 * with the event's time (for the day's offset) it is shown on the clock of that zone, labelled, as
 * the tables show times: an event the table shows at 14:48 in New York reads "14:00
 * America/New_York (expected 15:00)", not "18 (expected 19)".
 */
export function explainEvent(event: Pick<ScoredEventDoc, 'dfp'> & { time?: string }, timeZone?: string): ExplanationRow[] {
  const features = event.dfp.features ?? {};
  const top = new Set(event.dfp.top_features ?? []);
  const at = event.time === undefined ? NaN : Date.parse(event.time);
  return Object.entries(features)
    .map(([feature, f]) => {
      const recorded = f.value !== undefined;
      // Binary features are seen as 0/1 and predicted as booleans: compare and show them alike.
      const value = typeof f.pred === 'boolean' && typeof f.value === 'number' ? f.value > 0 : f.value;
      const clock = feature === HOUR_FEATURE && Number.isFinite(at);
      const seen = !recorded ? NOT_RECORDED : clock && value !== null ? `${utcHourIn(String(value), at, timeZone)} ${zoneName(timeZone)}` : formatFeatureValue(value);
      const expected = clock && f.pred !== null && f.pred !== undefined ? utcHourIn(String(f.pred), at, timeZone) : formatFeatureValue(f.pred);
      const row: ExplanationRow = { feature, z: f.z, seen, expected, top: top.has(feature), differs: recorded && !sameValue(value, f.pred) };
      const usual = clock ? f.usual?.map(([v, share]): [string, number] => [utcHourIn(v, at, timeZone), share]) : f.usual;
      const history = historyText(f.seen, usual);
      if (history !== undefined) row.history = history;
      const rollout = event.dfp.rollout;
      if (rollout?.feature === feature) row.history = `${row.history ?? 'new to this user'}; ${rolloutText(rollout)}`;
      return row;
    })
    .sort((a, b) => b.z - a.z || a.feature.localeCompare(b.feature));
}

/** Seen and predicted agree: equal strings/booleans, or numbers within 5 % (regressions are never exact). */
function sameValue(seen: unknown, pred: unknown): boolean {
  if (typeof seen === 'number' && typeof pred === 'number') return Math.abs(seen - pred) <= 0.05 * Math.max(1, Math.abs(seen), Math.abs(pred));
  const norm = (v: unknown): string => (v === null || v === undefined || v === '' ? '_null' : String(v));
  return norm(seen) === norm(pred);
}

/**
 * "value seen (expected)", the form analysts read in the events table; in the user's terms where
 * the event carries their history: "TR — never seen before (usually NL 97%)".
 */
export function seenVsExpected(row: Pick<ExplanationRow, 'seen' | 'expected' | 'history'>): string {
  return row.history !== undefined ? `${row.seen} — ${row.history}` : `${row.seen} (expected ${row.expected})`;
}

/** One line per event: its top features with what was seen and expected, long values cut to `maxValue` characters. */
export function topFeatureSummary(event: Pick<ScoredEventDoc, 'dfp'> & { time?: string }, maxValue = Infinity, timeZone?: string): string {
  const rows = explainEvent(event, timeZone);
  const top = (event.dfp.top_features ?? []).map((name) => rows.find((r) => r.feature === name)).filter((r): r is ExplanationRow => r !== undefined);
  if (top.length === 0) return event.dfp.error ? `not scored: ${event.dfp.error}` : '';
  const cut = (v: string): string => (v.length > maxValue ? `${v.slice(0, Math.max(1, maxValue - 1))}…` : v);
  return top.map((r) => `${r.feature}: ${seenVsExpected({ seen: cut(r.seen), expected: cut(r.expected), history: r.history === undefined ? undefined : cut(r.history) })}`).join('; ');
}

/** A z-loss as the explanation table shows it. */
export function formatFeatureZ(z: number): string {
  return formatNumber(Math.round(z * 100) / 100);
}

/** dfp.rollout in words: why a value new to the user neither scores nor adds to their risk. */
export function rolloutText(rollout: Rollout): string {
  return `a rollout: at least ${rollout.users} other users started using it within ${rollout.window_hours} h before, so it counts neither in this event's z-score nor in the user's risk`;
}
