import os from 'node:os';
import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { InputItem, RawEvent } from '../types';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { errorDocument } from '../io/write_events';
import type { FeatureSchema } from '../features/frame';
import { columnFrames, type ArraySource, type ColumnFrame } from '../features/columns';
import type { FeatureValue } from '../features/extract';
import { currentBackend } from '../model/backend';
import type { ValueHistory } from '../model/history';
import { collectColumns, type CollectedColumns, type RowCount } from './collect';
import { errorFields } from './dfp_fields';
import { ScoredRows, type Placement, type ScoredUserRows } from './scored_rows';
import { runModels } from './model_shelf';
import { chunkBuffers, type LaneOptions } from './score_lane';
import { BufferPool } from './buffer_pool';
import { scorePool, type ScorePool } from './score_pool';
import { scoreHere } from './score_here';
import { userRiskModelFor, type UserRiskModel } from '../score/risk_model';
import { EventRisk } from '../score/user_risk';
import type { BenignSuppression } from '../score/benign_suppression';
import type { InputReport } from './input_report';

export interface ScoreOptions {
  profile: Profile;
  store: ModelStore;
  threshold?: number;
  tsThreshold?: number;
  tsBinMinutes?: number;
  /** dfp.user_risk at or above which dfp.user_flagged is set (default DEFAULTS.userRiskThreshold). */
  userRiskThreshold?: number;
  /** The user-risk model's constants (default USER_RISK_MODEL; tests and tuning change them). */
  userRiskModel?: UserRiskModel;
  topFeatures?: number;
  userFilter?: RegExp;
  onProgress?: (p: { done: number; total: number; user: string }) => void;
  /**
   * Scoring worker threads (score_pool.ts): 0 or 1 scores on this thread; more spreads the users
   * over that many workers (at most 64). By default one per core (at most 8), for inputs of
   * POOL_MIN_ROWS rows or more.
   */
  workers?: number;
  /** Rows per chunk of results from the workers (default 8192; smaller in tests, to have many). */
  chunkRows?: number;
  /**
   * Events analysts marked benign (score/benign_suppression.ts): the user's events with the same
   * pattern are not flagged and add nothing to user risk while the mark is in force.
   */
  benign?: BenignSuppression;
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
  /** The highest dfp.user_risk of the user's events (set for every scored user). */
  userRisk?: number;
  /** Whether that risk reached the user-risk threshold. */
  userFlagged?: boolean;
}

export interface ScoredEvent {
  inputIndex: number;
  user: string;
  zscore: number;
  time: number;
  /** The top features with the value seen and what the model expected instead. */
  why: { feature: string; seen: unknown; expected: unknown; history?: ValueHistory }[];
}

export interface UnusableModel {
  user: string | null;
  reason: string;
  events: number;
  scoredBy: 'generic' | null;
}

export interface ScoreSummary {
  events: number;
  scored: number;
  errors: number;
  flagged: number;
  /** Events at or above the threshold that an analyst's benign decision kept from being flagged (dfp.suppressed). */
  suppressed: number;
  tsFlagged: number;
  /** Users whose dfp.user_risk reached the user-risk threshold on some event, and that threshold. */
  usersFlagged: number;
  userRiskThreshold: number;
  users: ScoredUser[];
  /** The most anomalous events, highest z first. */
  topEvents: ScoredEvent[];
  /**
   * Stored models that could not be used (unreadable, corrupt): each user's (null: the generic
   * model's), why, the user's events, and what scored them instead (null: nothing, they carry dfp.error).
   */
  unusableModels: UnusableModel[];
  report: InputReport;
  /** Scoring worker threads that scored the run (0: the main thread did, by choice or after a worker died). */
  workers: number;
  durationMs: number;
}

/**
 * Rows below which the default is to score on this thread: starting workers (a backend each) and
 * sending them the table cost more than scoring a small input.
 */
export const POOL_MIN_ROWS = 8192;
/** Workers by default: one per core, up to this many (each holds a backend and its own models). */
const DEFAULT_MAX_WORKERS = 8;
const MAX_WORKERS = 64;

/**
 * The score pipeline, top to bottom: read (events into columns) → per-user frames (derived features
 * from each user's own events) → users scored in lanes (score_lane.ts; on this thread, or one lane
 * per scoring worker, users split by a hash of their name): each user's fingerprint (or the
 * generic one), z-scores, explanations, the time-series check → flags and the summary → every
 * input item written out, in input order, scored or with dfp.error. Each event's `dfp` object is
 * built only as it is written; until then its scores are numbers in the lanes' typed arrays
 * (ScoredRows).
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
  const lanes = Math.min(MAX_WORKERS, Math.max(1, Math.floor(opts.workers ?? Math.min(os.availableParallelism(), DEFAULT_MAX_WORKERS))));
  const poolFrom = opts.workers === undefined ? POOL_MIN_ROWS : 1;
  // Workers start (a backend each) as soon as the input is known to be big enough: while it is read.
  const pool = (): ScorePool => scorePool(lanes, currentBackend()?.name ?? 'auto');
  if (lanes > 1 && Array.isArray(items) && items.length >= poolFrom) pool();
  const onRows = lanes > 1 ? new StartPool(poolFrom, pool) : undefined;

  // Sized at once when the input's length is known: growing big arrays leaves big garbage.
  const capacity = Array.isArray(items) ? items.length : undefined;
  const collected = await collectColumns(items, profile, { userFilter: opts.userFilter, capacity, onRows, arrays: spareArrays });
  const table = collected.table;
  const frames = columnFrames(table, profile);
  const laneOpts: LaneOptions = { topFeatures, tsThreshold: opts.tsThreshold, tsBinMinutes: opts.tsBinMinutes };
  const workers = lanes > 1 && table.size >= poolFrom ? pool() : undefined;
  const models = runModels(store, profile.name);
  models.catch(() => {}); // awaited in the try below; this only keeps a failure from being "unhandled" first
  const here = async (): Promise<Placement> => scoreHere(table, frames, await models, laneOpts, spare);
  const run: RunPlacement = { placed: undefined, rescue: rescueFrom(workers, here, collected.report) };
  try {
    run.placed = workers
      ? await workers.score(table, frames, await models, laneOpts, Math.max(1, Math.floor(opts.chunkRows ?? CHUNK_ROWS))).catch(run.rescue)
      : await here();
    return await writeScored(collected, frames, run, { ...opts, threshold, topFeatures, scoredAt, started }, write);
  } finally {
    // Written: the table's and the results' buffers serve the next run (see BufferPool).
    const placed = run.placed;
    if (placed && workers && !workers.broken) workers.recycle(placed);
    else if (placed) spare.give(placed.lanes.flatMap((lane) => lane.chunks.flatMap(chunkBuffers)));
    spare.give(table.buffers());
  }
}

/** Where a run's scores are (set once scored), and what to do when the workers' scores will not come. */
interface RunPlacement {
  placed: Placement | undefined;
  rescue: (error: unknown) => Promise<Placement>;
}

/**
 * A scoring worker that dies mid-run (out of memory, a crash in its backend; or the pool closed
 * under the run) must not lose the run: it is scored again on this thread, which gives the same
 * numbers, so writing goes on from the document where it stopped. Any other failure (a model that
 * cannot be read) is the run's own, thrown as the one-thread run would throw it.
 */
function rescueFrom(workers: ScorePool | undefined, here: () => Promise<Placement>, report: InputReport): (error: unknown) => Promise<Placement> {
  return async (error) => {
    if (!workers?.broken) throw error;
    report.add('scoring worker failed', `${workers.broken.message}: the run was scored again on the main thread`);
    return here();
  };
}

/** Starts the scoring pool once the input has `count` readable events. */
class StartPool implements RowCount {
  constructor(
    readonly count: number,
    private readonly start: () => unknown,
  ) {}

  reached(): void {
    this.start();
  }
}

/** Options of the last steps of a run. */
interface WriteOptions extends ScoreOptions {
  threshold: number;
  topFeatures: number;
  scoredAt: string;
  started: number;
}

/**
 * Every input item written out, in input order, each scored event's as soon as its chunk of
 * scores is in; then the summary (flags, users, top events, progress).
 */
async function writeScored(
  collected: CollectedColumns,
  frames: readonly ColumnFrame[],
  run: RunPlacement,
  opts: WriteOptions,
  write: (doc: Record<string, unknown>) => Promise<void>,
): Promise<ScoreSummary> {
  const { table } = collected;
  const { threshold, topFeatures, scoredAt } = opts;
  const fields: (DfpFields | undefined)[] = new Array(collected.items.length);
  for (const [i, reason] of collected.rejected) fields[i] = errorFields(null, reason, scoredAt);
  const summary: ScoreSummary = {
    events: collected.items.length,
    scored: 0,
    errors: 0,
    flagged: 0,
    suppressed: 0,
    tsFlagged: 0,
    usersFlagged: 0,
    userRiskThreshold: opts.userRiskThreshold ?? DEFAULTS.userRiskThreshold,
    users: [],
    topEvents: [],
    unusableModels: [],
    report: collected.report,
    workers: 0,
    durationMs: 0,
  };

  let placed = run.placed!;
  let scored = new ScoredRows(table, placed, collected.items.length);
  const usersOf = (): (ScoredUserRows | undefined)[] =>
    frames.map((frame, u) => {
      const user = scored.add(u, frame);
      if (!user) {
        const why = unscoredReason(frame.user, scored.laneUser(u).ownProblem, placed.genericProblem);
        for (const r of frame.rows) fields[table.inputIndex[r]] = errorFields(frame.user, why, scoredAt);
      }
      return user;
    });
  let users = usersOf();
  /** Waits for chunk c of the scores; if they will not come (see rescueFrom), reads the run's rescored placement from then on. */
  const chunkIn = async (c: number): Promise<void> => {
    try {
      await placed.ready(c);
    } catch (error) {
      run.placed = placed = await run.rescue(error);
      scored = new ScoredRows(table, placed, collected.items.length);
      users = usersOf();
    }
  };

  const fieldOpts = { threshold, topFeatures, scoredAt };
  // User risk (score/user_risk.ts): each scored event gets its user's risk as of its time, counting
  // the user's events written so far (input order), so documents still stream out one by one.
  const riskModel = opts.userRiskModel ?? userRiskModelFor(opts.profile, opts.tsBinMinutes);
  const risk = new EventRisk(summary.userRiskThreshold, opts.tsThreshold ?? DEFAULTS.tsThreshold, riskModel);
  // Input positions of events a benign decision suppressed: not counted as flagged below.
  const suppressed = new Set<number>();
  // Input positions of events whose new target is a rollout, with the z-score they were given without it.
  const rolledOut = new Map<number, number>();
  let ready = -1; // chunks in so far (input order is table order: they are needed in order)
  for (let i = 0; i < collected.items.length; i++) {
    const item = collected.items[i];
    if (item.kind === 'error') {
      summary.errors += 1;
      await write(errorDocument(item));
      continue;
    }
    const r = scored.rowOf(i);
    if (r >= 0 && !fields[i]) {
      const c = (r / placed.chunkRows) | 0;
      if (c > ready) {
        await chunkIn(c);
        ready = c;
      }
    }
    // Built here, just before writing: short-lived objects instead of a heap full of them.
    const dfp =
      fields[i] ??
      scored.dfp(i, fieldOpts) ??
      errorFields(null, collected.filtered.has(i) ? 'user not selected by the user filter' : 'not scored', scoredAt);
    if (dfp.error) summary.errors += 1;
    else summary.scored += 1;
    if (r >= 0 && !dfp.error) {
      // Before risk: a suppressed event adds no evidence.
      if (opts.benign?.apply(dfp, table.time[r])) suppressed.add(i);
      const zShared = scored.zShared(i);
      risk.apply(dfp, table.time[r], undefined, zShared);
      if (dfp.rollout && Number.isFinite(zShared)) rolledOut.set(i, zShared);
    }
    await write(withDfp(item.event, dfp));
  }

  // Users in order of first appearance: flags, the summary, progress.
  for (let c = ready + 1; c < placed.chunks; c++) await chunkIn(c);
  const top = new TopEvents(summary.topEvents);
  let staleModels = 0;
  const finishUser = (u: ScoredUserRows): void => {
    const { frame } = u;
    const rows = frame.rows;
    const user: ScoredUser = { user: frame.user, label: frame.label, events: rows.length, flagged: 0, maxZscore: -Infinity, generic: !u.at.own, worstIndex: -1, worstTopFeatures: [] };
    let worst = -1;
    for (let k = 0; k < rows.length; k++) {
      const inputIndex = table.inputIndex[rows[k]];
      // As the event's dfp says: a rollout's event scored without its target (EventRisk.apply).
      const zscore = rolledOut.get(inputIndex) ?? scored.zscore(u, k);
      if (zscore >= threshold) {
        if (suppressed.has(inputIndex)) summary.suppressed += 1;
        else user.flagged += 1;
      }
      if (scored.tsAnomaly(u, k)) summary.tsFlagged += 1;
      if (zscore > user.maxZscore) {
        user.maxZscore = zscore;
        user.worstIndex = inputIndex;
        worst = k;
      }
      if (top.admits(zscore)) {
        const why = scored.topFeatures(u, k).map((feature, t) => {
          const c = u.schema.names.indexOf(feature);
          const history = scored.history(u, k, t);
          return { feature, seen: scored.value(u, k, c), expected: scored.prediction(u, k, c), ...(history ? { history } : {}) };
        });
        top.push({ inputIndex, user: frame.user, zscore, time: table.time[rows[k]], why });
      }
    }
    if (worst >= 0) user.worstTopFeatures = scored.topFeatures(u, worst);
    summary.flagged += user.flagged;
    summary.users.push(user);
    top.endOfUser();
  };
  noteUnusableModels(summary, frames, scored, placed.genericProblem);
  users.forEach((user, u) => {
    if (user) {
      if (user.at.stale) {
        if (staleModels++ > 0) summary.report.tally('stale model');
        else summary.report.add('stale model', `model for ${user.model.user ?? 'generic'} v${user.model.version} (and any counted with it) was trained on other features than the profile now has: retrain`);
      }
      finishUser(user);
    }
    opts.onProgress?.({ done: u + 1, total: frames.length, user: frames[u].user });
  });
  // Each user's highest risk (their peak over the run) and whether it flagged them.
  for (const user of summary.users) {
    const peak = risk.peaks.get(user.user);
    user.userRisk = peak?.risk ?? 0;
    user.userFlagged = peak?.flagged ?? false;
  }
  summary.usersFlagged = risk.flaggedUsers();
  trimTop(summary.topEvents, TOP_EVENTS);
  summary.users.sort((a, b) => b.maxZscore - a.maxZscore);
  summary.workers = placed.workers;
  summary.durationMs = Date.now() - opts.started;
  return summary;
}

/**
 * dfp.error of a user's events when no model scores them: none stored, or the user's own model and
 * the generic one cannot be used.
 */
export function unscoredReason(user: string, ownProblem: string | undefined, genericProblem: string | undefined): string {
  const generic = genericProblem !== undefined ? `the generic model is unusable too: ${genericProblem}` : 'there is no generic model';
  if (ownProblem !== undefined) return `model for user ${JSON.stringify(user)} unusable: ${ownProblem}; ${generic}`;
  if (genericProblem !== undefined) return `no model for user ${JSON.stringify(user)} and the generic model is unusable: ${genericProblem}`;
  return `no model for user ${JSON.stringify(user)} and no generic model: run dfp train first`;
}

/** The run's unusable models in the summary: each user by name with why and what scored their events; the generic model. */
function noteUnusableModels(summary: ScoreSummary, frames: readonly ColumnFrame[], scored: ScoredRows, genericProblem: string | undefined): void {
  if (genericProblem !== undefined) {
    summary.unusableModels.push({ user: null, reason: genericProblem, events: 0, scoredBy: null });
    summary.report.add('unusable model', `the generic model: ${genericProblem}`);
  }
  frames.forEach((frame, u) => {
    const { ownProblem, model } = scored.laneUser(u);
    if (ownProblem === undefined) return;
    const scoredBy = model >= 0 ? 'generic' : null;
    summary.unusableModels.push({ user: frame.user, reason: ownProblem, events: frame.rows.length, scoredBy });
    const what = scoredBy ? 'scored by the generic model' : 'not scored';
    summary.report.add('unusable model', `user ${JSON.stringify(frame.user)}: ${ownProblem} (${frame.rows.length} events ${what})`);
  });
}

/**
 * Table rows per chunk of results from the scoring workers: the documents of one chunk are written
 * while the workers score the next. Smaller chunks start writing sooner; each costs every user
 * with rows in it another batch job.
 */
const CHUNK_ROWS = 8192;

/** Buffers of earlier runs' tables and results on this thread, for the next run's. */
const spare = new BufferPool();
const spareArrays: ArraySource = { int32: (n) => spare.take(Int32Array, n), float64: (n) => spare.take(Float64Array, n) };

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
