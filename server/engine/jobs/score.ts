import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { InputItem, RawEvent } from '../types';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { errorDocument } from '../io/write_events';
import type { FeatureSchema } from '../features/frame';
import { columnFrames, columnsFor, type ColumnFrame, type ColumnRows } from '../features/columns';
import type { FeatureValue } from '../features/extract';
import { ScoringModel } from '../model/scoring_model';
import { BatchScorer, type ScoreJob } from '../model/batch_scorer';
import { timeseriesCheck } from '../score/timeseries';
import { collectColumns } from './collect';
import { errorFields } from './dfp_fields';
import { ScoredRows, type ScoredUserRows } from './scored_rows';
import { ownModels } from './model_shelf';
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
 * The score pipeline, top to bottom: read (events into columns) → per-user frames (derived features
 * from each user's own events) → each user's fingerprint (or the generic one), users scored in
 * batches → z-scores, flags, explanations → time-series check → every input item written out, in
 * input order, scored or with dfp.error. Each event's `dfp` object is built only as it is written;
 * until then its scores are numbers in typed arrays (ScoredRows).
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

  // Sized at once when the input's length is known: growing big arrays leaves big garbage.
  const capacity = Array.isArray(items) ? items.length : undefined;
  const collected = await collectColumns(items, profile, { userFilter: opts.userFilter, capacity });
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
  const generic = genericJson ? ScoringModel.fromJson(genericJson) : null;
  const table = collected.table;
  const frames = columnFrames(table, profile);
  // Users' models (kept from earlier runs where unchanged) load ahead of scoring, a few at a time:
  // reads overlap with parsing and scoring.
  const ownModel = await ownModels(store, profile.name);
  const owned = inOrder(frames, (f) => ownModel(f.user), LOAD_AHEAD);

  const scored = new ScoredRows(collected.items.length, table.size, table.schema.names.length);
  const scorer = sharedScorer();
  const top = new TopEvents(summary.topEvents);
  // Users in input order, each finished (summary, progress) once all its rows are scored.
  const queue: (ScoredUserRows | ColumnFrame)[] = [];
  let finished = 0;
  const finishReady = (): void => {
    while (finished < queue.length) {
      const next = queue[finished];
      if ('model' in next) {
        if (next.stored < next.rows.length) return;
        finishUser(next);
      }
      finished += 1;
      opts.onProgress?.({ done: finished, total: frames.length, user: 'model' in next ? next.frame.user : next.user });
    }
  };
  const finishUser = (u: ScoredUserRows): void => {
    const { frame } = u;
    const times = Float64Array.from(frame.rows, (r) => table.time[r]);
    scored.setTimeseries(u, timeseriesCheck(times, { threshold: opts.tsThreshold, binMinutes: opts.tsBinMinutes }));
    const user: ScoredUser = { user: frame.user, label: frame.label, events: u.rows.length, flagged: 0, maxZscore: -Infinity, generic: !u.own, worstIndex: -1, worstTopFeatures: [] };
    let worst = -1;
    for (let k = 0; k < u.rows.length; k++) {
      const inputIndex = table.inputIndex[frame.rows[k]];
      const r = u.rowAt + k;
      const zscore = scored.zscore[r];
      if (zscore >= threshold) user.flagged += 1;
      if (scored.tsAnomaly[r] === 1) summary.tsFlagged += 1;
      if (zscore > user.maxZscore) {
        user.maxZscore = zscore;
        user.worstIndex = inputIndex;
        worst = k;
      }
      if (top.admits(zscore)) {
        const why = scored.topFeatures(u, k, topFeatures).map((feature) => {
          const c = u.model.json.schema.names.indexOf(feature);
          return { feature, seen: scored.value(u, k, c), expected: scored.prediction(u, k, c) };
        });
        top.push({ inputIndex, user: frame.user, zscore, time: times[k], why });
      }
    }
    if (worst >= 0) user.worstTopFeatures = scored.topFeatures(u, worst, topFeatures);
    summary.flagged += user.flagged;
    summary.users.push(user);
    top.endOfUser();
  };

  // Rows wait in a batch until it holds enough; a user larger than a batch is split over several.
  let batch: { user: ScoredUserRows; from: number }[] = [];
  let jobs: ScoreJob[] = [];
  let batchRows = 0;
  const scoreBatch = (): void => {
    if (jobs.length === 0) return;
    const scores = scorer.score(jobs); // kept at once: the scorer reuses its arrays
    batch.forEach((b, j) => scored.store(b.user, b.from, scores, j));
    batch = [];
    jobs = [];
    batchRows = 0;
    finishReady();
  };
  let staleModels = 0;
  for (const frame of frames) {
    const own = (await owned.next()).value ?? null;
    const model = own ?? generic;
    if (!model) {
      const why = `no model for user "${frame.user}" and no generic model: run dfp train first`;
      for (const r of frame.rows) fields[table.inputIndex[r]] = errorFields(frame.user, why, scoredAt);
      queue.push(frame);
      continue;
    }
    // The model's columns in the table: by name when the model was trained on other fields.
    const columns = columnsFor(table.schema, model.json.schema);
    if (columns) {
      if (staleModels++ > 0) summary.report.tally('stale model');
      else summary.report.add('stale model', `model for ${model.json.user ?? 'generic'} v${model.json.version} (and any counted with it) was trained on other features than the profile now has: retrain`);
    }
    const all: ColumnRows = { table, rows: frame.rows, columns: columns ?? identity(table.schema.names.length), length: frame.rows.length };
    const user = scored.addUser(frame, model, own !== null, all);
    queue.push(user);
    for (let from = 0; from < all.length; from += BATCH_ROWS) {
      const part = all.rows.subarray(from, from + BATCH_ROWS);
      const rows: ColumnRows = { ...all, rows: part, length: part.length };
      batch.push({ user, from });
      jobs.push({ model, rows });
      batchRows += rows.length;
      if (batchRows >= BATCH_ROWS) scoreBatch();
    }
  }
  scoreBatch();
  finishReady();
  trimTop(summary.topEvents, TOP_EVENTS);
  summary.users.sort((a, b) => b.maxZscore - a.maxZscore);

  const fieldOpts = { threshold, topFeatures, scoredAt };
  for (let i = 0; i < collected.items.length; i++) {
    const item = collected.items[i];
    if (item.kind === 'error') {
      summary.errors += 1;
      await write(errorDocument(item));
      continue;
    }
    // Built here, just before writing: short-lived objects instead of a heap full of them.
    const dfp =
      fields[i] ??
      scored.dfp(i, fieldOpts) ??
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

/**
 * `{ ...event, dfp }`, built by assignment onto a fresh object. The spread gives each copy its
 * event's hidden class and adding `dfp` then derives a new one, per event and in the old heap
 * (measured: ~9 MB per 35k events, which brings V8's full collections sooner); assignment grows
 * every copy along one shared chain of classes. Only an own `__proto__` key (possible from
 * JSON.parse) would be treated differently by assignment, so such events keep the spread.
 */
function withDfp(event: RawEvent, dfp: DfpFields): Record<string, unknown> {
  if (Object.prototype.hasOwnProperty.call(event, '__proto__')) return { ...event, dfp };
  const doc: Record<string, unknown> = Object.assign({}, event);
  doc.dfp = dfp;
  return doc;
}

function trimTop(events: ScoredEvent[], keep: number): void {
  events.sort((a, b) => b.zscore - a.zscore);
  events.length = Math.min(events.length, keep);
}

/**
 * Rows scored together in one batch (a user larger than this is split). Small enough that a
 * batch's models are let go while still young in V8's heap; large enough that the three tfjs ops
 * a batch costs are noise.
 */
const BATCH_ROWS = 1024;

const identities = new Map<number, Int32Array>();
/** 0, 1, … n − 1: a table's own columns. */
function identity(n: number): Int32Array {
  let a = identities.get(n);
  if (!a) identities.set(n, (a = Int32Array.from({ length: n }, (_, i) => i)));
  return a;
}

/**
 * One scorer for the process: its working arrays are reused from run to run. Callers use its
 * results before their next await (scoring is synchronous), so concurrent runs can share it.
 */
let scorer: BatchScorer | undefined;
export function sharedScorer(): BatchScorer {
  scorer ??= new BatchScorer();
  return scorer;
}

/** Models read and verified ahead of the user being scored. */
const LOAD_AHEAD = 16;
/** summary.topEvents holds the most anomalous events: this many. */
const TOP_EVENTS = 100;

/**
 * The most anomalous events, kept as they come: trimmed to the top 100 when more than 1000 pile
 * up. Once trimmed, an event scoring no higher than the 100th can never make the final list (ties
 * go to the earlier event, as the stable sort gives them), so it is not even built.
 */
class TopEvents {
  private cutoff = -Infinity;

  constructor(private readonly events: ScoredEvent[]) {}

  admits(zscore: number): boolean {
    return !(zscore <= this.cutoff);
  }

  push(e: ScoredEvent): void {
    this.events.push(e);
  }

  /** Trims between users, as scoring has always done (memory stays bounded by the input). */
  endOfUser(): void {
    if (this.events.length <= 1000) return;
    trimTop(this.events, TOP_EVENTS);
    this.cutoff = this.events[this.events.length - 1].zscore;
  }
}

/**
 * `load(item)` for every item, at most `ahead` running at once, results handed out in item order.
 * A failed load throws when its turn comes, so the first failure in order is the one reported.
 */
function inOrder<T, R>(items: readonly T[], load: (item: T) => Promise<R>, ahead: number): { next(): Promise<{ value: R | undefined }> } {
  type Settled = { ok: true; value: R } | { ok: false; error: unknown };
  const pending: Promise<Settled>[] = [];
  let started = 0;
  const start = (): void => {
    const item = items[started++];
    pending.push(load(item).then((value): Settled => ({ ok: true, value }), (error: unknown): Settled => ({ ok: false, error })));
  };
  return {
    async next() {
      while (started < items.length && pending.length < ahead) start();
      const settled = pending.shift();
      if (!settled) return { value: undefined };
      const r = await settled;
      if (!r.ok) throw r.error;
      return { value: r.value };
    },
  };
}
