import os from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import type { EsHitItem } from '../io/es/source';
import { esStatus, isConnectionError } from '../io/es/errors';
import { userBinCounts } from '../io/es/user_counts';
import { columnFrames, EventColumns, type ArraySource, type ColumnFrame } from '../features/columns';
import { schemaOf, type FeatureSchema } from '../features/frame';
import type { RawEvent } from '../types';
import type { FeatureValue } from '../features/extract';
import type { UserActivity } from '../features/derived';
import { TIMESERIES_DEFAULTS } from '../score/timeseries';
import { currentBackend } from '../model/backend';
import { errorFields } from './dfp_fields';
import { readRow } from './collect';
import type { InputReport } from './input_report';
import { runModels, type RunModels } from './model_shelf';
import { chunkBuffers, type LaneCounts, type LaneOptions } from './score_lane';
import { scorePool, type ScorePool } from './score_pool';
import { scoreHere } from './score_here';
import { ScoredRows, type EncodedRow, type Placement } from './scored_rows';
import { encodeChunkDocs } from './lane_docs';
import { BufferPool } from './buffer_pool';
import { unscoredReason } from './score';

const DAY_MS = 86_400_000;
/** Scoring workers by default: one per core, up to this many (as file scoring). */
const DEFAULT_MAX_WORKERS = 8;
const MAX_WORKERS = 64;

export interface EsPageOptions {
  profile: Profile;
  store: ModelStore;
  /** The source's index (the time-series counts are read from it). */
  index: string;
  /** RunModels.source: where the models live, the same for every run over them (see EsScoreOptions.modelsKey). */
  modelsKey?: string;
  /** Scoring worker threads: 0 or 1 scores on this thread; default one per core (at most 8). */
  workers?: number;
  threshold?: number;
  tsThreshold?: number;
  tsBinMinutes?: number;
  tsLookbackDays?: number;
  topFeatures?: number;
  /** Scored events' dfp objects serialised by their lanes (default true; see EsScoreOptions.laneJson). */
  laneJson?: boolean;
}

export interface EsScoredEvent {
  user: string;
  zscore: number;
  time: string;
  /** `<index>/<id>` of the source document. */
  doc: string;
  topFeatures: string[];
}

/** What a page's scoring adds to the run's summary (EsScoreSummary). */
export interface PageTally {
  report: InputReport;
  flagged: number;
  tsFlagged: number;
  scored: number;
  errors: number;
  /** The most anomalous events, highest z first (at most TOP_EVENTS). */
  topEvents: EsScoredEvent[];
}

/** A batch scored (EsPageScorer.score). */
export interface ScoredBatch {
  /** Each hit's event time (epoch ms), in batch order. */
  times: number[];
  /** Hit k's dfp object, built now (undefined for a hit that is not fresh). */
  dfp(k: number): DfpFields | undefined;
  /**
   * Hit k's dfp serialised by its lane (undefined for a hit that is not fresh or not scored: its
   * `dfp` object says why). What the documents are written from: no object is built here.
   */
  encoded(k: number): EncodedRow | undefined;
  /** Hit k's exact z-score without its model's target group (ChunkScores.zShared): NaN where it has none. */
  zShared(k: number): number;
  /** The batch is written: its buffers go back for the next batch's. */
  release(): void;
}

/** PageTally.topEvents holds this many. */
const TOP_EVENTS = 20;

/**
 * Scores the pages of one Elasticsearch run, a batch of pages at a time (es_score.ts), as file
 * scoring scores a file: the events as columns (features/columns.ts), per-user frames whose
 * derived features carry on from earlier batches (`activities`), the users' lanes on the scoring
 * workers (score_pool.ts) or on this thread (score_here.ts), and each scored event's `dfp` object
 * built from the lanes' numbers and serialised where the lane ran (lane_docs.ts: this thread then
 * only copies bytes into bulk requests; scored_rows.ts builds the objects of events not scored,
 * or all of them with `laneJson` false). The same events and models give the same documents as
 * files do, bit for bit, except the time-series check: a batch holds hours of a user's activity,
 * so the lanes check each user's counts over the days before, counted by Elasticsearch
 * (io/es/user_counts.ts), in a window ending at the batch's newest event.
 *
 * Models: the store's active versions and the generic model are read once per run; users' models
 * are kept between runs on the model shelf of the thread that scores them (model_shelf.ts). A
 * stored model that cannot be used (corrupt) is that user's problem: the generic model scores
 * them, saying why. A failure to reach the store is the run's: it is thrown before the page is
 * written, so the checkpoint does not move past events the user's own model should have scored.
 */
export class EsPageScorer {
  readonly users = new Set<string>();
  staleModels = 0;
  /** Users' models read from the store in this run (the others were kept from earlier runs). */
  modelsRead = 0;
  /** Users (null: the generic model) whose stored model could not be used, reported once a run. */
  private readonly unusable = new Set<string | null>();
  private models: Promise<RunModels> | undefined;
  /** A cluster failure met reading a user's model: the page fails with it. */
  private fatal: unknown;
  private readonly schema;
  private readonly lanes: number;
  private readonly laneOpts: LaneOptions;
  private readonly threshold: number;
  private readonly tsThreshold: number;
  private readonly binMinutes: number;
  private readonly topFeatures: number;

  constructor(
    private readonly client: Client,
    private readonly opts: EsPageOptions,
  ) {
    this.schema = schemaOf(opts.profile);
    this.lanes = Math.min(MAX_WORKERS, Math.max(1, Math.floor(opts.workers ?? Math.min(os.availableParallelism(), DEFAULT_MAX_WORKERS))));
    this.threshold = opts.threshold ?? DEFAULTS.zscoreThreshold;
    this.tsThreshold = opts.tsThreshold ?? DEFAULTS.tsThreshold;
    this.binMinutes = opts.tsBinMinutes ?? TIMESERIES_DEFAULTS.binMinutes;
    this.topFeatures = opts.topFeatures ?? DEFAULTS.topFeatures;
    this.laneOpts = { topFeatures: this.topFeatures, tsThreshold: this.tsThreshold, tsBinMinutes: opts.tsBinMinutes };
  }

  /** Feeds a page's events to the users' activity without scoring them (the day's events before the run's range). */
  replay(hits: EsHitItem[], activities: Map<string, UserActivity>, report: InputReport): void {
    const table = this.tableOf(hits, report, () => {});
    try {
      columnFrames(table, this.opts.profile, activities);
    } finally {
      spare.give(table.buffers());
    }
  }

  /** A new batch to read pages into (BatchRows); `report` hears of events the profile cannot read. */
  batch(report: InputReport, capacity: number): BatchRows {
    return new BatchRows(this.schema, this.opts.profile, report, capacity);
  }

  /**
   * Scores a batch of hits (read into `batch`): each one's event time now (an unreadable event's:
   * the read's sort value), its dfp serialised by its lane (`encoded`) and, for the hits no lane
   * scored, its dfp object (undefined for hits not fresh, which still feed the users' activity).
   * The tally (counts, top events) is taken now, from the lanes' numbers. `release()` once the
   * batch is written: its buffers serve the next batch.
   */
  async score(batch: BatchRows, activities: Map<string, UserActivity>, tally: PageTally): Promise<ScoredBatch> {
    const { hits, fresh, table } = batch;
    const scoredAt = new Date().toISOString();
    const errors = new Map<number, DfpFields>();
    for (const [k, reason] of batch.rejected) if (fresh[k]) errors.set(k, errorFields(null, reason, scoredAt));
    const times = hits.map((h) => (Number.isFinite(Number(h.time)) ? Number(h.time) : Date.now()));
    let rows: { scored: ScoredRows; release: () => void } | undefined;
    try {
      const frames = columnFrames(table, this.opts.profile, activities);
      for (let r = 0; r < table.size; r++) times[table.inputIndex[r]] = table.time[r];
      const { firstSeen, sharedNovelty } = this.opts.profile;
      const docs = this.opts.laneJson !== false ? { docs: { threshold: this.threshold, scoredAt, ...(firstSeen ? { firstSeen } : {}), ...(sharedNovelty ? { sharedNovelty } : {}) } } : {};
      if (table.size > 0) rows = await this.scoreRows(table, frames, hits, fresh, errors, tally, scoredAt, { ...this.laneOpts, ...docs });
    } catch (error) {
      spare.give(table.buffers());
      throw error;
    }
    tally.errors += errors.size;
    const fieldOpts = { threshold: this.threshold, topFeatures: this.topFeatures, scoredAt };
    let released = false;
    return {
      times,
      dfp: (k) => (fresh[k] ? errors.get(k) ?? rows?.scored.dfp(k, fieldOpts) : undefined),
      encoded: (k) => (fresh[k] && !errors.has(k) ? rows?.scored.encoded(k, this.threshold) : undefined),
      zShared: (k) => (fresh[k] && !errors.has(k) && rows ? rows.scored.zShared(k) : Number.NaN),
      release: () => {
        if (released) return;
        released = true;
        rows?.release();
        spare.give(table.buffers());
      },
    };
  }

  /** The page's events the profile can read, as a table (row r's input index: the hit's position); `rejected` hears of the others. */
  private tableOf(hits: EsHitItem[], report: InputReport, rejected: (k: number, reason: string) => void): EventColumns {
    const table = new EventColumns(this.schema, hits.length, spareArrays);
    const into: FeatureValue[] = []; // one values array for every row: the table copies each row's values
    hits.forEach((hit, k) => {
      const read = readRow(hit.event, this.opts.profile, report, { file: docKey(hit), line: 1 }, into);
      if (read.ok) table.add(k, read.row);
      else rejected(k, read.reason);
    });
    return table;
  }

  /**
   * The readable events scored: the rows of users no model scores get their error fields now;
   * the tally counts the others from the lanes' numbers (their dfp objects are built later, from
   * the same numbers). `release()` gives the results' buffers back once the documents are built.
   */
  private async scoreRows(
    table: EventColumns,
    frames: ColumnFrame[],
    hits: EsHitItem[],
    fresh: boolean[],
    errors: Map<number, DfpFields>,
    tally: PageTally,
    scoredAt: string,
    laneOpts: LaneOptions,
  ): Promise<{ scored: ScoredRows; release: () => void }> {
    const counts = await this.userCounts(table, frames);
    const models = await this.runModels();
    const { placed, pool } = await this.place(table, frames, models, counts, tally.report, laneOpts);
    const release = (): void => {
      if (pool && !pool.broken) pool.recycle(placed);
      else spare.give(placed.lanes.flatMap((lane) => lane.chunks.flatMap(chunkBuffers)));
    };
    try {
      if (this.fatal !== undefined) throw this.fatal;
      this.noteUnusable(frames, placed, tally.report);
      const scored = new ScoredRows(table, placed, hits.length);
      frames.forEach((frame, u) => {
        this.users.add(frame.user);
        const user = scored.add(u, frame);
        if (!user) {
          const why = unscoredReason(frame.user, scored.laneUser(u).ownProblem, placed.genericProblem);
          for (const r of frame.rows) if (fresh[table.inputIndex[r]]) errors.set(table.inputIndex[r], errorFields(frame.user, why, scoredAt));
          return;
        }
        if (user.at.stale) this.staleModels += 1;
        for (let k = 0; k < frame.rows.length; k++) {
          const i = table.inputIndex[frame.rows[k]];
          if (!fresh[i]) continue;
          tally.scored += 1;
          // As the dfp object will say: is_anomaly on the exact zscore, ts_anomaly the lane's flag.
          const zscore = scored.zscore(user, k);
          if (zscore >= this.threshold) tally.flagged += 1;
          if (scored.tsAnomaly(user, k)) tally.tsFlagged += 1;
          if (tally.topEvents.length < TOP_EVENTS || zscore > tally.topEvents[tally.topEvents.length - 1].zscore) {
            keepTop(tally.topEvents, { user: frame.user, zscore, time: new Date(table.time[frame.rows[k]]).toISOString(), doc: docKey(hits[i]), topFeatures: scored.topFeatures(user, k) });
          }
        }
      });
      return { scored, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * The lanes: on the scoring workers (one chunk each), else on this thread; a worker that died is
   * rescored here, which gives the same numbers (as file scoring does). Resolves with every chunk in.
   */
  private async place(
    table: EventColumns,
    frames: ColumnFrame[],
    models: RunModels,
    counts: LaneCounts,
    report: InputReport,
    laneOpts: LaneOptions,
  ): Promise<{ placed: Placement; pool?: ScorePool }> {
    if (this.lanes > 1) {
      const pool = scorePool(this.lanes, currentBackend()?.name ?? 'auto');
      try {
        const placed = await pool.score(table, frames, models, laneOpts, Math.max(1, table.size), counts);
        await placed.ready(0);
        return { placed, pool };
      } catch (error) {
        if (!pool.broken) throw error;
        report.add('scoring worker failed', `${pool.broken.message}: the events were scored again on the main thread`);
      }
    }
    // One lane here, as one chunk: its documents serialised here too, as a worker would have.
    const placed = await scoreHere(table, frames, models, laneOpts, spare, counts);
    if (laneOpts.docs) {
      const [lane] = placed.lanes;
      const opts = { ...laneOpts.docs, topFeatures: laneOpts.topFeatures };
      const names = frames.map((f) => f.user);
      lane.chunks[0].docs = encodeChunkDocs({ table, base: 0, rowUser: table.user, users: lane.users, names, strings: lane.strings, chunk: lane.chunks[0], n: table.size, opts }, spare);
    }
    return { placed };
  }

  /** The run's models (once per run); a user's model read failing for the cluster's sake fails the page that needed it. */
  private runModels(): Promise<RunModels> {
    this.models ??= runModels(this.opts.store, this.opts.profile.name, {
      ...(this.opts.modelsKey !== undefined ? { source: `${this.opts.modelsKey}\u0000${this.opts.profile.name}` } : {}),
      fatal: fromCluster,
    }).then((models) => ({
      ...models,
      load: async (user: string) => {
        this.modelsRead += 1;
        try {
          return await models.load(user);
        } catch (error) {
          if (fromCluster(error)) this.fatal ??= error;
          throw error;
        }
      },
    }));
    return this.models;
  }

  /** Each unusable model once a run in the report, naming the user (or the generic model) and why. */
  private noteUnusable(frames: ColumnFrame[], placed: Placement, report: InputReport): void {
    const generic = placed.genericProblem;
    frames.forEach((frame, u) => {
      const at = placed.lanes[placed.laneOfUser[u]].users.users[placed.userIndex[u]];
      if (generic !== undefined && at.model < 0 && !this.unusable.has(null)) {
        this.unusable.add(null);
        report.add('unusable model', `the generic model: ${generic}`);
      }
      if (at.ownProblem !== undefined && !this.unusable.has(frame.user)) {
        this.unusable.add(frame.user);
        report.add('unusable model', `user ${JSON.stringify(frame.user)}: ${at.ownProblem} (${at.model >= 0 ? 'scored by the generic model' : 'not scored'})`);
      }
    });
  }

  /**
   * Each user's event counts per bin over the lookback window ending at the newest event scored,
   * counted by Elasticsearch (the time-series check needs days of a user's activity; the lanes run it).
   */
  private async userCounts(table: EventColumns, frames: ColumnFrame[]): Promise<LaneCounts> {
    let end = -Infinity;
    for (const f of frames) end = Math.max(end, table.time[f.rows[f.rows.length - 1]]);
    end += 1;
    const counts = await userBinCounts(this.client, {
      index: this.opts.index,
      timeField: this.opts.profile.timestampFields[0],
      userFields: this.opts.profile.userFields,
      users: frames.map((f) => f.user),
      start: end - (this.opts.tsLookbackDays ?? 7) * DAY_MS,
      end,
      binMinutes: this.binMinutes,
    });
    const bins = counts.counts.values().next().value?.length ?? 0; // every user's series is as long
    const series = new Float64Array(frames.length * bins);
    frames.forEach((f, u) => {
      const s = counts.counts.get(f.user);
      if (s) series.set(s.subarray(0, bins), u * bins);
    });
    return { firstBin: counts.firstBin, binMs: counts.binMs, bins, series };
  }
}

/**
 * A batch's events as their pages are read: each page's rows go into the batch's table at once,
 * and each hit then holds only what its write reads of the event (`keep`). Why: a batch's parsed
 * documents (20,000 events of dozens of objects each) held until written outlived V8's young
 * generation, and marking them made its collections of the whole heap pause for seconds.
 */
export class BatchRows {
  readonly hits: EsHitItem[] = [];
  /** Per hit: to be scored and written (else only read, for the users' activity). */
  readonly fresh: boolean[] = [];
  /** Why the profile could not read a hit, by its position in the batch. */
  readonly rejected = new Map<number, string>();
  readonly table: EventColumns;
  /** One values array for every row: the table copies each row's values. */
  private readonly into: FeatureValue[] = [];

  constructor(
    schema: FeatureSchema,
    private readonly profile: Profile,
    private readonly report: InputReport,
    capacity: number,
  ) {
    this.table = new EventColumns(schema, capacity, spareArrays);
  }

  /** A page's hits: `fresh(hit)` whether it is to be scored; `keep(event)` what to hold of its event until it is written. */
  add(hits: readonly EsHitItem[], fresh: (hit: EsHitItem) => boolean, keep: (event: RawEvent) => RawEvent): void {
    for (const hit of hits) {
      const k = this.hits.push(hit) - 1;
      this.fresh.push(fresh(hit));
      const read = readRow(hit.event, this.profile, this.report, { file: docKey(hit), line: 1 }, this.into);
      if (read.ok) this.table.add(k, read.row);
      else this.rejected.set(k, read.reason);
      hit.event = keep(hit.event);
    }
  }
}

/** Whether a store's failure came from Elasticsearch itself (an error answer, no answer), not from what it holds. */
function fromCluster(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (esStatus(e) !== undefined || isConnectionError(e)) return true;
  }
  return false;
}

export function docKey(hit: { index: string; id: string }): string {
  return `${hit.index}/${hit.id}`;
}

function keepTop(top: EsScoredEvent[], e: EsScoredEvent): void {
  top.push(e);
  top.sort((a, b) => b.zscore - a.zscore);
  if (top.length > TOP_EVENTS) top.length = TOP_EVENTS;
}

/**
 * A top event's z-score lowered after the tally (a rollout's event: EventRisk.apply), re-ranked. An
 * event it now ranks below and that the tally had already left out stays out.
 */
export function lowerTopEvent(top: EsScoredEvent[], doc: string, zscore: number): void {
  const e = top.find((x) => x.doc === doc);
  if (!e || !(zscore < e.zscore)) return;
  e.zscore = zscore;
  top.sort((a, b) => b.zscore - a.zscore);
}

/** Buffers of earlier pages' tables and results on this thread, for the next page's. */
const spare = new BufferPool();
const spareArrays: ArraySource = { int32: (n) => spare.take(Int32Array, n), float64: (n) => spare.take(Float64Array, n) };
