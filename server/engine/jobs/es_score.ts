import type { Client } from '@elastic/elasticsearch';
import { sourceIndex } from '../profiles';
import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { SourceConfig } from '../../../common/source_config';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { profileSourcePaths, readEsPages, type EsHitItem } from '../io/es/source';
import { scoresStreamName, type EsSink } from '../io/es/sink';
import { advanceCheckpoint, type Checkpoint, type Checkpoints } from '../io/es/checkpoints';
import { userBinCounts } from '../io/es/user_counts';
import type { ProfileRow } from '../features/extract';
import { buildUserFrames, schemaOf, type UserFrame } from '../features/frame';
import type { UserActivity } from '../features/derived';
import { countsZ, TIMESERIES_DEFAULTS } from '../score/timeseries';
import { defineOwn, errorFields, scoredFieldsAt } from './dfp_fields';
import { InputReport } from './input_report';
import { readRow } from './collect';
import { ModelCache, type FoundModel, type NoModel } from './model_cache';
import { fallbackReason } from './scored_rows';
import { alignColumns, unscoredReason } from './score';
import type { FeatureValue } from '../features/extract';
import type { ScoringModel } from '../model/scoring_model';
import { sharedScorer, type BatchScorer } from '../model/batch_scorer';
import { predictionOf, type Prediction } from '../model/predictions';
import { EsUserRisk } from './es_user_risk';
import { userRiskModelFor } from '../score/user_risk';
import type { UserRiskModel } from '../score/user_risk';

const DAY_MS = 86_400_000;

export interface EsScoreOptions {
  source: SourceConfig;
  profile: Profile;
  store: ModelStore;
  sink: EsSink;
  checkpoints: Checkpoints;
  /** The job run this scoring belongs to (recorded on the checkpoint). */
  runId: string;
  /** Rescore [from, to) (epoch ms) instead of going on from the checkpoint; the checkpoint is left alone. */
  range?: { from: number; to: number };
  /** The clock, for tests. */
  now?: number;
  threshold?: number;
  tsThreshold?: number;
  tsBinMinutes?: number;
  /** dfp.user_risk at or above which dfp.user_flagged is set (default DEFAULTS.userRiskThreshold). */
  userRiskThreshold?: number;
  /** Write one document per user to the user-risk stream at the end of the run (default true). */
  writeUserRisk?: boolean;
  /** The user-risk model's constants (default USER_RISK_MODEL; tests and tuning change them). */
  userRiskModel?: UserRiskModel;
  /** Days of each user's history the time-series check looks at. Default 7. */
  tsLookbackDays?: number;
  topFeatures?: number;
  pageSize?: number;
  /** Aborted when the job must stop (cancelled, or its lease lost): no checkpoint is written after. */
  signal?: AbortSignal;
  onPage?: (p: EsScoreSummary) => void;
}

export interface EsScoredEvent {
  user: string;
  zscore: number;
  time: string;
  /** `<index>/<id>` of the source document. */
  doc: string;
  topFeatures: string[];
}

export interface EsScoreSummary {
  source: string;
  /** The range read, ISO; null bounds when there was nothing to read. */
  from: string;
  to: string;
  pages: number;
  /** Documents read (including those already scored by an interrupted earlier run). */
  read: number;
  /** Read again at the checkpoint's boundary and not written twice. */
  alreadyScored: number;
  scored: number;
  /** Written with dfp.error (unreadable user or time, no model). */
  errors: number;
  flagged: number;
  tsFlagged: number;
  /** Users whose dfp.user_risk reached the user-risk threshold on an event of this run, and that threshold. */
  usersFlagged: number;
  userRiskThreshold: number;
  /** The run's documents in the user-risk stream (`logs-dfp.user_risk-<namespace>`): one per user scored. */
  userRiskDocs: { stream: string; written: number; failed: number };
  written: number;
  failed: number;
  failedByReason: Record<string, number>;
  failureExamples: string[];
  readOnlyIndices: string[];
  /** Problems that failed no write (e.g. a stream template without @custom): worth an admin's look. */
  warnings: string[];
  users: number;
  staleModels: number;
  report: InputReport;
  /** The most anomalous events, highest z first (at most 20). */
  topEvents: EsScoredEvent[];
  checkpoint: Checkpoint | null;
  durationMs: number;
}

/**
 * Incremental scoring of one Elasticsearch source, top to bottom, a page at a time:
 * checkpoint → warm-up (the day's earlier events, for the per-user derived features) → read a page
 * (PIT, time order) → rows → per-user frames (activity carried across pages) → each user's model
 * (or the generic one) → dfp fields, with the time-series check over the user's recent counts →
 * bulk write (in place or scores stream) → checkpoint after the page is safely written.
 *
 * Exactly once: a page's checkpoint is written only after every one of its writes succeeded or
 * failed for good (reported); a crash in between re-reads the page next run and overwrites the
 * same documents. Events sharing the checkpoint's time are recognised by id and not rewritten.
 */
export async function scoreEsSource(client: Client, opts: EsScoreOptions): Promise<EsScoreSummary> {
  const started = Date.now();
  const { source, profile, sink, checkpoints } = opts;
  const index = sourceIndex(source, profile);
  const now = opts.now ?? Date.now();

  const previous = opts.range ? null : await checkpoints.read(source.id);
  const to = opts.range?.to ?? now - source.settleSeconds * 1000;
  const from = opts.range?.from ?? previous?.checkpoint.timeMs ?? to - source.initialLookbackHours * 3_600_000;
  const summary = emptySummary(source.id, from, to);
  summary.userRiskThreshold = opts.userRiskThreshold ?? DEFAULTS.userRiskThreshold;
  if (from >= to) return finish(summary, started);

  const read = { index, timeField: source.timeField, sourcePaths: profileSourcePaths(profile), pageSize: opts.pageSize };
  const activities = new Map<string, UserActivity>();
  // The derived features count each user's events so far that UTC day: replay the day up to `from`.
  for await (const page of readEsPages(client, { ...read, from: Math.floor(from / DAY_MS) * DAY_MS, to: from })) {
    buildUserFrames(readableRows(page.hits, profile).rows, profile, activities);
  }

  const scorer = new PageScorer(client, opts, index);
  const risk = new EsUserRisk(client, {
    threshold: summary.userRiskThreshold,
    tsThreshold: opts.tsThreshold ?? DEFAULTS.tsThreshold,
    tsBinMinutes: opts.tsBinMinutes,
    model: opts.userRiskModel ?? userRiskModelFor(profile, opts.tsBinMinutes),
    sourceName: source.id,
    namespace: source.namespace,
    runId: opts.runId,
    from,
    to,
    rescore: opts.range !== undefined,
    retry: { signal: opts.signal },
    signal: opts.signal,
  });
  summary.userRiskDocs.stream = risk.stream;
  let checkpoint = previous?.checkpoint ?? null;
  let expected = previous ? { seqNo: previous.seqNo, primaryTerm: previous.primaryTerm } : null;
  const alreadyScored = new Set(checkpoint?.ids ?? []);
  try {
    for await (const page of readEsPages(client, { ...read, from, to })) {
      throwIfAborted(opts.signal);
      summary.pages += 1;
      summary.read += page.hits.length;
      const fresh = page.hits.map((h) => !alreadyScored.has(docKey(h)));
      const scored = await scorer.score(page.hits, fresh, activities, summary);
      await restoreRisk(risk, scored.dfp, summary);
      for (let k = 0; k < page.hits.length; k++) {
        const hit = page.hits[k];
        const dfp = scored.dfp[k];
        if (!dfp) {
          summary.alreadyScored += 1;
          continue;
        }
        if (!dfp.error) risk.apply(dfp, scored.times[k], { id: hit.id, index: hit.index });
        await sink.write({ index: hit.index, id: hit.id, time: new Date(scored.times[k]).toISOString(), event: hit.event, dfp });
      }
      const report = await sink.flush();
      summary.written += report.written;
      summary.failed += report.failed;
      for (const [reason, n] of Object.entries(report.failedByReason)) addCount(summary.failedByReason, reason, n);
      for (const e of report.examples) if (summary.failureExamples.length < 20) summary.failureExamples.push(e);
      for (const ix of report.readOnlyIndices) if (!summary.readOnlyIndices.includes(ix)) summary.readOnlyIndices.push(ix);
      for (const w of report.warnings) if (!summary.warnings.includes(w)) summary.warnings.push(w);
      if (report.retryableLeft > 0) {
        throw new Error(
          `${report.retryableLeft} writes to Elasticsearch still failed after retries (${Object.keys(report.failedByReason).join('; ')}): ` +
            'the checkpoint was not moved, so the next run scores these events again',
        );
      }

      if (!opts.range) {
        throwIfAborted(opts.signal); // a job that lost its lease must not move the checkpoint
        checkpoint = advanceCheckpoint(checkpoint, {
          source: source.id,
          runId: opts.runId,
          events: page.hits.map((h) => ({ time: Number(h.time), id: docKey(h) })),
        });
        expected = await checkpoints.write(checkpoint, expected);
      }
      opts.onPage?.(summary);
    }
  } finally {
    scorer.dispose();
  }
  if (summary.written > 0) await refreshQuietly(client, source.writeMode === 'scores' ? scoresStreamName(source.namespace) : index);
  summary.usersFlagged = risk.flaggedUsers();
  if (opts.writeUserRisk !== false) await writeRiskDocs(risk, summary, opts.signal);
  summary.users = scorer.users.size;
  summary.staleModels = scorer.staleModels;
  summary.checkpoint = checkpoint;
  return finish(summary, started);
}

/**
 * The page's users' recent evidence from earlier runs, looked up the first time the run meets them.
 * A lookup that fails (no read privilege on the stream) leaves their risk to this run's events: warned, not fatal.
 */
async function restoreRisk(risk: EsUserRisk, dfp: (DfpFields | undefined)[], summary: EsScoreSummary): Promise<void> {
  const users = new Set<string>();
  for (const d of dfp) if (d && !d.error && d.user !== null) users.add(d.user);
  try {
    await risk.restore(users);
  } catch (e) {
    const w = `user risk of earlier runs not restored from ${risk.stream}: ${(e as Error).message}`;
    if (!summary.warnings.includes(w)) summary.warnings.push(w);
  }
}

/** The run's user-risk documents; failures are warnings (the events' own fields are written already). */
async function writeRiskDocs(risk: EsUserRisk, summary: EsScoreSummary, signal: AbortSignal | undefined): Promise<void> {
  try {
    const report = await risk.finish();
    summary.userRiskDocs.written = report.written;
    summary.userRiskDocs.failed = report.failed;
    if (report.failed > 0) summary.warnings.push(`${report.failed} user risk documents not written to ${risk.stream}: ${report.examples.slice(0, 3).join('; ')}`);
  } catch (e) {
    if (signal?.aborted) throw e;
    summary.warnings.push(`user risk documents not written to ${risk.stream}: ${(e as Error).message}`);
  }
}

/** Scores one page's hits; keeps the models it loaded for the next page. */
class PageScorer {
  readonly users = new Set<string>();
  /** Users (null: the generic model) whose stored model could not be used, reported once a run. */
  private readonly unusable = new Set<string | null>();
  staleModels = 0;
  private readonly models: ModelCache;
  private readonly scorer: BatchScorer = sharedScorer();
  private readonly schema;
  private readonly threshold: number;
  private readonly tsThreshold: number;
  private readonly binMinutes: number;
  private readonly topFeatures: number;

  constructor(
    private readonly client: Client,
    private readonly opts: EsScoreOptions,
    private readonly index: string,
  ) {
    this.models = new ModelCache(opts.store, opts.profile.name);
    this.schema = schemaOf(opts.profile);
    this.threshold = opts.threshold ?? DEFAULTS.zscoreThreshold;
    this.tsThreshold = opts.tsThreshold ?? DEFAULTS.tsThreshold;
    this.binMinutes = opts.tsBinMinutes ?? TIMESERIES_DEFAULTS.binMinutes;
    this.topFeatures = opts.topFeatures ?? DEFAULTS.topFeatures;
  }

  /**
   * The dfp object and event time of every fresh hit, in page order (undefined for the others,
   * which still feed the users' activity). An unreadable event's time is the read's sort value.
   */
  async score(hits: EsHitItem[], fresh: boolean[], activities: Map<string, UserActivity>, summary: EsScoreSummary): Promise<{ dfp: (DfpFields | undefined)[]; times: number[] }> {
    const scoredAt = new Date().toISOString();
    const dfp: (DfpFields | undefined)[] = new Array(hits.length);
    const times = hits.map((h) => (Number.isFinite(Number(h.time)) ? Number(h.time) : Date.now()));
    const { rows, rejected } = readableRows(hits, this.opts.profile, summary.report);
    for (const [k, reason] of rejected) if (fresh[k]) dfp[k] = errorFields(null, reason, scoredAt);

    const frames = [...buildUserFrames(rows, this.opts.profile, activities).values()];
    const ts = await this.timeseries(frames);
    // Each user's model (cached across pages), then the page's users scored as one batch.
    const users: { frame: UserFrame; model: ScoringModel; values: FeatureValue[][]; fallback?: string }[] = [];
    for (const frame of frames) {
      this.users.add(frame.user);
      const found = await this.models.forUser(frame.user);
      this.noteUnusable(frame.user, found, summary);
      if (!('model' in found)) {
        const why = unscoredReason(frame.user, found.ownProblem, found.genericProblem);
        for (const k of frame.inputIndex) if (fresh[k]) dfp[k] = errorFields(frame.user, why, scoredAt);
        continue;
      }
      const { model } = found;
      const values = alignColumns(frame.values, this.schema, model.json.schema);
      if (values !== frame.values) this.staleModels += 1;
      users.push({ frame, model, values, ...(found.ownProblem !== undefined ? { fallback: fallbackReason(found.ownProblem) } : {}) });
    }
    const scores = this.scorer.score(users.map(({ model, values }) => ({ model, rows: values })));
    const stored = new Float64Array(this.schema.names.length);
    const preds: Prediction[] = [];
    users.forEach(({ frame, model, values, fallback }, job) => {
      const tsOfUser = ts.get(frame.user);
      const f = model.columns.length;
      const row = stored.length >= f ? stored : new Float64Array(f);
      for (let i = 0; i < values.length; i++) {
        const k = frame.inputIndex[i];
        times[k] = frame.times[i];
        if (!fresh[k]) continue;
        const bin = tsOfUser ? Math.floor((frame.times[i] - tsOfUser.firstBin) / tsOfUser.binMs) : -1;
        const z = tsOfUser && bin >= 0 && bin < tsOfUser.binZ.length ? tsOfUser.binZ[bin] : 0;
        const g = scores.rowStart[job] + i;
        scores.predictions(job, i, row, 0);
        preds.length = f;
        for (let c = 0; c < f; c++) preds[c] = predictionOf(model, c, row[c]);
        const fields = scoredFieldsAt(
          frame.user,
          model.json,
          values[i],
          { z: scores.z, at: scores.zStart[job] + i * f, anomalyScore: scores.anomalyScore[g], maxAbsZ: scores.maxAbsZ[g], zscore: scores.zscore[g], predictions: preds },
          {
            threshold: this.threshold,
            topFeatures: this.topFeatures,
            scoredAt,
            ts: { z, anomaly: !!tsOfUser && !tsOfUser.tooShort && z >= this.tsThreshold },
          },
          fallback,
        );
        dfp[k] = fields;
        if (fields.is_anomaly) summary.flagged += 1;
        if (fields.ts_anomaly) summary.tsFlagged += 1;
        keepTop(summary.topEvents, { user: frame.user, zscore: scores.zscore[g], time: new Date(frame.times[i]).toISOString(), doc: docKey(hits[k]), topFeatures: fields.top_features ?? [] });
      }
    });
    for (const d of dfp) {
      if (d?.error) summary.errors += 1;
      else if (d) summary.scored += 1;
    }
    return { dfp, times };
  }

  /** Each unusable model once a run in the summary's report, naming the user (or the generic model) and why. */
  private noteUnusable(user: string, found: FoundModel | NoModel, summary: EsScoreSummary): void {
    const ownProblem = found.ownProblem;
    const genericProblem = 'model' in found ? undefined : found.genericProblem;
    if (genericProblem !== undefined && !this.unusable.has(null)) {
      this.unusable.add(null);
      summary.report.add('unusable model', `the generic model: ${genericProblem}`);
    }
    if (ownProblem !== undefined && !this.unusable.has(user)) {
      this.unusable.add(user);
      summary.report.add('unusable model', `user ${JSON.stringify(user)}: ${ownProblem} (${'model' in found ? 'scored by the generic model' : 'not scored'})`);
    }
  }

  /** Each page user's bin z over the lookback window ending at the user's newest event of the page. */
  private async timeseries(frames: UserFrame[]): Promise<Map<string, { firstBin: number; binMs: number; binZ: Float64Array; tooShort: boolean }>> {
    const out = new Map<string, { firstBin: number; binMs: number; binZ: Float64Array; tooShort: boolean }>();
    if (frames.length === 0) return out;
    const end = Math.max(...frames.map((f) => f.times[f.times.length - 1])) + 1;
    const counts = await userBinCounts(this.client, {
      index: this.index,
      timeField: this.opts.profile.timestampFields[0],
      userFields: this.opts.profile.userFields,
      users: frames.map((f) => f.user),
      start: end - (this.opts.tsLookbackDays ?? 7) * DAY_MS,
      end,
      binMinutes: this.binMinutes,
    });
    for (const [user, series] of counts.counts) {
      const { binZ, tooShort } = countsZ(series, { minBins: TIMESERIES_DEFAULTS.minBins });
      out.set(user, { firstBin: counts.firstBin, binMs: counts.binMs, binZ, tooShort });
    }
    return out;
  }

  dispose(): void {
    this.models.dispose();
  }
}

/** The page's events the profile can read, as rows indexed by page position; the rest with reasons. */
function readableRows(hits: EsHitItem[], profile: Profile, report = new InputReport()): { rows: { inputIndex: number; row: ProfileRow }[]; rejected: Map<number, string> } {
  const rows: { inputIndex: number; row: ProfileRow }[] = [];
  const rejected = new Map<number, string>();
  hits.forEach((hit, k) => {
    const extracted = readRow(hit.event, profile, report, { file: docKey(hit), line: 1 });
    if (extracted.ok) rows.push({ inputIndex: k, row: extracted.row });
    else rejected.set(k, extracted.reason);
  });
  return { rows, rejected };
}

/** counts[key] += n, own properties only: a reason quoting a document may be any string ("__proto__" too). */
function addCount(counts: Record<string, number>, key: string, n: number): void {
  const before = Object.hasOwn(counts, key) ? counts[key] : 0;
  defineOwn(counts, key, before + n);
}

function docKey(hit: { index: string; id: string }): string {
  return `${hit.index}/${hit.id}`;
}

function keepTop(top: EsScoredEvent[], e: EsScoredEvent): void {
  if (top.length >= 20 && e.zscore <= top[top.length - 1].zscore) return;
  top.push(e);
  top.sort((a, b) => b.zscore - a.zscore);
  if (top.length > 20) top.length = 20;
}

/**
 * Makes a run's writes searchable now rather than at the next periodic refresh, so a UI that saw
 * the run finish sees its results. Best effort: a key without the refresh privilege still scored.
 */
async function refreshQuietly(client: Client, index: string): Promise<void> {
  try {
    await client.indices.refresh({ index, ignore_unavailable: true, allow_no_indices: true });
  } catch {
    // Visible within the index's refresh interval anyway.
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('scoring stopped: the job was cancelled or lost its lease');
}

function emptySummary(source: string, from: number, to: number): EsScoreSummary {
  return {
    source,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    pages: 0,
    read: 0,
    alreadyScored: 0,
    scored: 0,
    errors: 0,
    flagged: 0,
    tsFlagged: 0,
    usersFlagged: 0,
    userRiskThreshold: DEFAULTS.userRiskThreshold,
    userRiskDocs: { stream: '', written: 0, failed: 0 },
    written: 0,
    failed: 0,
    failedByReason: {},
    failureExamples: [],
    readOnlyIndices: [],
    warnings: [],
    users: 0,
    staleModels: 0,
    report: new InputReport(),
    topEvents: [],
    checkpoint: null,
    durationMs: 0,
  };
}

function finish(summary: EsScoreSummary, started: number): EsScoreSummary {
  summary.durationMs = Date.now() - started;
  return summary;
}
