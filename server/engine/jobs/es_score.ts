import type { Client } from '@elastic/elasticsearch';
import { sourceIndex } from '../profiles';
import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { SourceConfig } from '../../../common/source_config';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { profileSourcePaths, readEsPages, type EsPage } from '../io/es/source';
import { scoresStreamName, type EsSink } from '../io/es/sink';
import { advanceCheckpoint, type Checkpoint, type Checkpoints } from '../io/es/checkpoints';
import type { UserActivity } from '../features/derived';
import { defineOwn } from './dfp_fields';
import { InputReport } from './input_report';
import { EsPageScorer, docKey, lowerTopEvent, type BatchRows, type EsScoredEvent, type ScoredBatch } from './es_page';
import { withZscore } from './lane_docs';
import { EsUserRisk, type RiskInput } from './es_user_risk';
import { batchesOf, pipelineBatches, throwIfAborted } from './es_batches';
import type { EncodedRow } from './scored_rows';
import { userRiskModelFor, type UserRiskModel } from '../score/risk_model';
import { loadBenignSuppression, type BenignSuppression } from '../score/benign_suppression';
import type { TriageStore } from '../io/triage_store';

export type { EsScoredEvent };

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
  /**
   * Names where `store` keeps its models, the same for every store object over them (e.g. the
   * cluster and models index): a long-lived process then keeps users' models from one run to the
   * next while the store names the same active version (model_shelf.ts). Default: this store object.
   */
  modelsKey?: string;
  /** Scoring worker threads (score_pool.ts): 0 or 1 scores on this thread; default one per core (at most 8). */
  workers?: number;
  /**
   * Events scored together, in whole pages (at least one; default 20,000): what a user costs once
   * however many of their events are scored (their model's set-up, the time-series check) is paid
   * once per batch, not per page. The time-series window ends at the batch's newest event.
   * Pages are still written and checkpointed one by one, in order.
   */
  batchEvents?: number;
  /**
   * Where scored events' `dfp` objects are built and serialised: true (default), by their lane,
   * on the scoring workers (lane_docs.ts), this thread only copying bytes into bulk requests;
   * false, one object at a time on this thread, the sink stringifying it, as before: the reference
   * the tests hold the lanes' bytes to.
   */
  laneJson?: boolean;
  /**
   * The analysts' decisions (the cluster's triage index): a benign event's pattern keeps the same
   * user's matching events from flags while in force (score/benign_suppression.ts). Unreadable:
   * a warning, and nothing suppressed.
   */
  triage?: TriageStore;
  /** Aborted when the job must stop (cancelled, or its lease lost): no checkpoint is written after. */
  signal?: AbortSignal;
  onPage?: (p: EsScoreSummary) => void;
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
  /** At or above the threshold but not flagged: the same pattern as an event an analyst marked benign (dfp.suppressed). */
  suppressed: number;
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
  /** Users' models read from the store (the others were kept from earlier runs in this process). */
  modelsRead: number;
  report: InputReport;
  /** The most anomalous events, highest z first (at most 20). */
  topEvents: EsScoredEvent[];
  checkpoint: Checkpoint | null;
  durationMs: number;
}

/**
 * Incremental scoring of one Elasticsearch source, top to bottom, a batch of pages at a time:
 * checkpoint → warm-up (the day's earlier events, for the per-user derived features) → read pages
 * (PIT, time order) up to a batch → scored as file scoring scores a file (es_page.ts: columns,
 * per-user frames with activity carried across batches, lanes on the scoring workers with users'
 * models kept between runs; the time-series check over each user's recent counts) → page by page:
 * user risk → bulk write (in place or scores stream) → checkpoint after the page is safely written.
 *
 * Pipelined (es_batches.ts): while batch N is written page by page on this thread, batch N + 1 is
 * read and then scored on the workers, so the run takes about the longer of scoring and writing,
 * not their sum. At most two batches are held at once (the one written, the one scored ahead);
 * batches are scored in read order (N + 1 only after N's scoring finished: the derived features
 * carry across), and written, checkpointed, given user risk and benign suppression in read order.
 * A failed write fails the run after the batch ahead is awaited and released; a failed scoring
 * fails it after the batch before is written whole.
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

  // The point in time must outlive a whole batch between two searches (a batch's pages are read,
  // scored, then held until the batch before is written): 20 pages written, and on a cold start
  // thousands of models read, took over the reader's default 2 minutes on a busy machine.
  const read = { index, timeField: source.timeField, sourcePaths: profileSourcePaths(profile), pageSize: opts.pageSize, keepAlive: BATCH_KEEP_ALIVE };
  const scorer = new EsPageScorer(client, {
    profile,
    store: opts.store,
    index,
    modelsKey: opts.modelsKey,
    workers: opts.workers,
    threshold: opts.threshold,
    tsThreshold: opts.tsThreshold,
    tsBinMinutes: opts.tsBinMinutes,
    tsLookbackDays: opts.tsLookbackDays,
    topFeatures: opts.topFeatures,
    laneJson: opts.laneJson,
  });
  const activities = new Map<string, UserActivity>();
  // The derived features count each user's events so far that UTC day, and in the trailing hour
  // (which crosses midnight): replay from the day's start, or an hour back if that is earlier.
  const replayFrom = Math.min(Math.floor(from / DAY_MS) * DAY_MS, from - 3_600_000);
  for await (const page of readEsPages(client, { ...read, from: replayFrom, to: from })) {
    scorer.replay(page.hits, activities, new InputReport());
  }

  const benign = opts.triage ? await benignPatterns(opts.triage, source.id, summary) : undefined;
  const risk = new EsUserRisk(client, {
    threshold: summary.userRiskThreshold,
    tsThreshold: opts.tsThreshold ?? DEFAULTS.tsThreshold,
    tsBinMinutes: opts.tsBinMinutes,
    model: opts.userRiskModel ?? userRiskModelFor(profile, opts.tsBinMinutes),
    sourceName: source.id,
    stateIndex: checkpoints.index,
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
  /** A rollout's event that was flagged and is no more (EventRisk.apply): the page's tally counted it as its lane scored it. */
  const rolledOut = (hit: EsPage['hits'][number], flaggedBefore: boolean, flaggedNow: boolean, zscore: number): void => {
    if (flaggedBefore && !flaggedNow) summary.flagged -= 1;
    lowerTopEvent(summary.topEvents, docKey(hit), zscore);
  };
  /** A scored event written from its dfp object: benign suppression, then user risk. */
  const writeObject = async (hit: EsPage['hits'][number], dfp: DfpFields, time: number, zShared: number): Promise<void> => {
    if (!dfp.error) {
      const wasFlagged = dfp.is_anomaly === true; // as the page's tally counted it
      if (benign?.apply(dfp, time)) {
        summary.suppressed += 1;
        if (wasFlagged) summary.flagged -= 1;
      }
      const flagged = dfp.is_anomaly;
      risk.apply(dfp, time, { id: hit.id, index: hit.index }, zShared);
      if (dfp.rollout && Number.isFinite(zShared)) rolledOut(hit, flagged === true, dfp.is_anomaly === true, dfp.zscore ?? Number.NaN);
    }
    await sink.write({ index: hit.index, id: hit.id, time: new Date(time).toISOString(), event: hit.event, dfp });
  };
  /**
   * One page of a batch (its hits from `at` on in the batch): user risk, written, then its
   * checkpoint once every write is safe. A scored event is written from its lane's JSON (user risk
   * appended), one not scored from its dfp object (dfp.error).
   */
  const writePage = async (page: EsPage, scored: ScoredBatch, at: number): Promise<void> => {
    throwIfAborted(opts.signal);
    const n = page.hits.length;
    summary.pages += 1;
    summary.read += n;
    const encoded = Array.from({ length: n }, (_, k) => scored.encoded(at + k));
    const objects = encoded.map((e, k) => (e ? undefined : scored.dfp(at + k)));
    await restoreRisk(risk, pageUsers(encoded, objects), summary);
    for (let k = 0; k < n; k++) {
      const hit = page.hits[k];
      const time = scored.times[at + k];
      const json = encoded[k];
      // A user with a benign pattern in force: their event as an object, which suppression may change.
      if (json && benign?.covers(json.user)) {
        await writeObject(hit, scored.dfp(at + k)!, time, scored.zShared(at + k));
        continue;
      }
      if (json) {
        const input: RiskInput = {
          user: json.user,
          zscore: json.zscore,
          is_anomaly: json.flagged,
          threshold: json.threshold,
          ts_anomaly: json.tsAnomaly,
          ts_zscore: json.tsZscore,
          first_seen_evidence: json.firstSeen,
          volume_z: json.volumeZ,
          novel_targets: json.novel,
        };
        risk.apply(input, time, { id: hit.id, index: hit.index }, json.zShared);
        if (input.user_risk !== undefined) {
          json.userRisk = input.user_risk;
          json.userFlagged = input.user_flagged;
          if (input.rollout) json.rollout = input.rollout;
          if (input.rollout && Number.isFinite(json.zShared)) {
            withZscore(json, input.zscore!, input.is_anomaly === true);
            rolledOut(hit, json.flagged, input.is_anomaly === true, input.zscore!);
          }
        }
        await sink.write({ index: hit.index, id: hit.id, time: new Date(time).toISOString(), event: hit.event, json });
        continue;
      }
      const dfp = objects[k];
      if (!dfp) {
        summary.alreadyScored += 1;
        continue;
      }
      await writeObject(hit, dfp, time, scored.zShared(at + k));
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
  };
  const batchEvents = Math.max(1, opts.batchEvents ?? BATCH_EVENTS);
  const start = (): BatchRows => scorer.batch(summary.report, Math.min(batchEvents, BATCH_EVENTS));
  const readPage = (rows: BatchRows, page: EsPage): void =>
    rows.add(
      page.hits,
      (h) => alreadyScored.size === 0 || !alreadyScored.has(docKey(h)), // no key an event for a set that is mostly empty
      (event) => sink.retain(event),
    );
  // Batch N written while batch N + 1 is read and scored (es_batches.ts): at most two batches
  // held at once; written and checkpointed strictly in read order; scored strictly in read order.
  await pipelineBatches(
    batchesOf(readEsPages(client, { ...read, from, to }), batchEvents, start, readPage, opts.signal),
    ({ rows }) => scorer.score(rows, activities, summary),
    async ({ pages }, scored) => {
      // Page by page in read order.
      let at = 0;
      for (const page of pages) {
        await writePage(page, scored, at);
        at += page.hits.length;
      }
    },
    opts.signal,
  );
  if (summary.written > 0) await refreshQuietly(client, source.writeMode === 'scores' ? scoresStreamName(source.namespace) : index);
  summary.usersFlagged = risk.flaggedUsers();
  if (opts.writeUserRisk !== false) await writeRiskDocs(risk, summary, opts.signal);
  for (const w of risk.warnings) if (!summary.warnings.includes(w)) summary.warnings.push(w);
  summary.users = scorer.users.size;
  summary.staleModels = scorer.staleModels;
  summary.modelsRead = scorer.modelsRead;
  summary.checkpoint = checkpoint;
  return finish(summary, started);
}

/** Events scored together by default (see EsScoreOptions.batchEvents). */
const BATCH_EVENTS = 20_000;
/** The source read's point-in-time keep-alive: longer than a batch takes (see `read`). */
const BATCH_KEEP_ALIVE = '10m';

/** The users of a page's scored events (`encoded`, else `objects` without dfp.error). */
function pageUsers(encoded: readonly (EncodedRow | undefined)[], objects: readonly (DfpFields | undefined)[]): Set<string> {
  const users = new Set<string>();
  for (const e of encoded) if (e) users.add(e.user);
  for (const d of objects) if (d && !d.error && d.user !== null) users.add(d.user);
  return users;
}

/** The source's benign patterns in force; a triage index that cannot be read is a warning, not a failed run. */
async function benignPatterns(store: TriageStore, source: string, summary: EsScoreSummary): Promise<BenignSuppression | undefined> {
  try {
    const patterns = await loadBenignSuppression(store, source);
    return patterns.size > 0 ? patterns : undefined;
  } catch (e) {
    summary.warnings.push(`benign decisions not read, nothing suppressed: ${(e as Error).message}`);
    return undefined;
  }
}

/**
 * The page's users' recent evidence from earlier runs, looked up the first time the run meets them.
 * A lookup that fails (no read privilege on the stream) leaves their risk to this run's events: warned, not fatal.
 */
async function restoreRisk(risk: EsUserRisk, users: Set<string>, summary: EsScoreSummary): Promise<void> {
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

/** counts[key] += n, own properties only: a reason quoting a document may be any string ("__proto__" too). */
function addCount(counts: Record<string, number>, key: string, n: number): void {
  const before = Object.hasOwn(counts, key) ? counts[key] : 0;
  defineOwn(counts, key, before + n);
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
    suppressed: 0,
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
    modelsRead: 0,
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
