import os from 'node:os';
import { DEFAULTS } from '../../../common/fields';
import type { InputItem } from '../types';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { buildUserFrames, schemaOf, type UserFrame } from '../features/frame';
import type { FeatureValue } from '../features/extract';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../model/autoencoder';
import type { FingerprintJson } from '../model/fingerprint';
import { makeRng, permutation } from '../model/rng';
import { collectRows } from './collect';
import { compromisedSince, eventMarks, LeftOutLedger, type EventRef, type LeftOutReason } from '../model/left_out';
import { fileEventId } from '../features/event_id';
import type { TriageRecord } from '../../../common/triage';
import type { InputReport } from './input_report';
import { inlineTrainer, TrainPool, type Trainer } from './train_pool';
import type { TrainTask, TrainTaskInput } from './train_task';

export interface TrainOptions {
  profile: Profile;
  store: ModelStore;
  backend: string;
  config?: AutoencoderConfig;
  /** Rows a user needs for a model trained from scratch (Morpheus: 300). */
  minHistory?: number;
  /** Rows a user needs for a model warm-started from the generic one; fewer → generic only. */
  minHistoryWarmStart?: number;
  /** Only the last this-many days of the window are learned (Morpheus: 60). */
  windowDays?: number;
  /**
   * Where the window ends (epoch ms): events after it are not learned. Default: the newest event
   * that is not in the future, so a historical export trains as it is and one future-dated
   * document cannot shrink every user's window.
   */
  until?: number;
  /** The wall clock (tests); events after now + CLOCK_SKEW_MS are reported and never learned. */
  now?: () => number;
  /**
   * The dfp.zscore threshold in force: events an earlier run scored at or above it, or while their
   * user's risk was flagged, are not learned unless marked benign (jobs/left_out.ts). Default
   * DEFAULTS.zscoreThreshold.
   */
  threshold?: number;
  /**
   * Analysts' triage decisions of the source (model/left_out.ts): users marked compromised are not
   * learned from then on; an event marked benign is learned even when flagged, one marked
   * compromised never is.
   */
  triage?: readonly TriageRecord[];
  /**
   * Where an input event is, as triage decisions name events. Default (files): the profile's name
   * as the index (the standalone server's source is named after its profile) and fileEventId.
   */
  eventRef?: (item: Extract<InputItem, { kind: 'event' }>) => EventRef | undefined;
  /** The generic model learns from a seeded sample of at most this many rows. */
  genericMaxRows?: number;
  userFilter?: RegExp;
  onProgress?: (p: TrainProgress) => void;
  /** Stops training between users (cancelled, or the job's lease lost); what was trained is kept. */
  signal?: AbortSignal;
  /**
   * Train only users' models (e.g. an admin's "retrain this user"): the stored generic model is
   * kept, and used for warm starts, rather than refit on the few users selected.
   */
  usersOnly?: boolean;
  /**
   * Worker threads that train at once (each its own backend, one core on wasm); 1 trains on the
   * calling thread. Default: one a core, fewer for few users (see trainerFor).
   */
  workers?: number;
  /** One model at a time on the calling thread, as Morpheus does (benchmarks compare against it). */
  sequential?: boolean;
}

export interface TrainProgress {
  phase: 'generic' | 'users';
  done: number;
  total: number;
  user?: string;
}

export interface TrainedUser {
  user: string;
  rows: number;
  model: 'own' | 'warm-start' | 'generic';
  version?: number;
  finalLoss?: number;
}

export interface TrainSummary {
  events: number;
  rowsInWindow: number;
  window: { start: string; end: string } | null;
  generic: { version: number; rows: number; finalLoss: number } | null;
  users: TrainedUser[];
  report: InputReport;
  /**
   * Events an earlier run's fields or an analyst's marks kept out of training, by reason (each
   * user's model lists its own); `benign`: flagged events learned because an analyst said benign.
   */
  leftOut: { events: number; byReason: Partial<Record<LeftOutReason, number>>; benign?: number };
  durationMs: number;
}

/**
 * The train pipeline, top to bottom: read → window → per-user frames → generic model →
 * one model per user with enough history (warm-started from the generic below minHistory).
 */
export async function trainModels(items: AsyncIterable<InputItem> | Iterable<InputItem>, opts: TrainOptions): Promise<TrainSummary> {
  const started = Date.now();
  const config = opts.config ?? DEFAULT_AUTOENCODER_CONFIG;
  const minHistory = opts.minHistory ?? DEFAULTS.minHistory;
  const minWarm = Math.min(opts.minHistoryWarmStart ?? DEFAULTS.minHistoryWarmStart, minHistory);
  const { profile, store } = opts;

  const notAfter = (opts.now ?? Date.now)() + CLOCK_SKEW_MS;
  const ledger = new LeftOutLedger();
  const leftOut = {
    threshold: opts.threshold ?? DEFAULTS.zscoreThreshold,
    ledger,
    compromised: compromisedSince(opts.triage ?? []),
    marks: eventMarks(opts.triage ?? []),
    refOf: opts.eventRef ?? ((item: Extract<InputItem, { kind: 'event' }>): EventRef => ({ index: profile.name, id: fileEventId(item.event, profile) })),
  };
  const collected = await collectRows(items, profile, { userFilter: opts.userFilter, keepItems: false, notAfter, leftOut });
  const events = collected.rows.length + collected.rejected.size + collected.filtered.size + ledger.summary().events;
  const rows = inWindow(collected.rows, opts.windowDays ?? DEFAULTS.windowDays, opts.until);
  const summary: TrainSummary = {
    events,
    rowsInWindow: rows.length,
    window: rows.length > 0 ? windowOf(rows.map((r) => r.row.time)) : null,
    generic: null,
    users: [],
    report: collected.report,
    leftOut: ledger.summary(),
    durationMs: 0,
  };
  if (rows.length === 0) {
    summary.durationMs = Date.now() - started;
    return summary;
  }

  const schema = schemaOf(profile);
  const frames = [...buildUserFrames(rows, profile).values()].sort((a, b) => (a.user < b.user ? -1 : 1));

  // Users get their own model (from scratch), a model warm-started from the generic one, or none.
  const own: UserFrame[] = [];
  const warm: UserFrame[] = [];
  for (const f of frames) {
    const n = f.values.length;
    if (n < minWarm) summary.users.push({ user: f.user, rows: n, model: 'generic' });
    else (n < minHistory ? warm : own).push(f);
  }
  // Users of similar history side by side, so a task's stacks fill up (planStacks groups by steps).
  for (const group of [own, warm]) group.sort((a, b) => a.values.length - b.values.length || (a.user < b.user ? -1 : 1));
  const trainer = trainerFor(own.length + warm.length, opts);
  const task = (inputs: TrainTaskInput[], extra: Partial<TrainTask> = {}): TrainTask => ({
    profile: profile.name, schema, config, backend: opts.backend, inputs, sequential: opts.sequential, ...extra,
  });
  let done = frames.length - own.length - warm.length;
  let sinceFlush = 0;
  // Saves go one after another, in the order models finish (stores expect no concurrent writes).
  let saving: Promise<void> = Promise.resolve();
  const save = (json: FingerprintJson): Promise<void> => (saving = saving.then(() => store.save(json)));
  const trainChunk = async (chunk: UserFrame[], generic?: FingerprintJson): Promise<void> => {
    if (opts.signal?.aborted) throw new Error(`training stopped after ${done} of ${frames.length} users: ${String(opts.signal.reason ?? 'cancelled')}`);
    const inputs: TrainTaskInput[] = [];
    for (const f of chunk) {
      const version = (await store.latestVersion(profile.name, f.user)) + 1;
      const left = ledger.of(f.user);
      inputs.push({ user: f.user, rows: f.values, times: f.times, version, warmStart: generic !== undefined, ...(left ? { leftOut: left } : {}) });
    }
    const saves: Promise<void>[] = [];
    await trainer.run(task(inputs, { generic }), (i, json) => {
      const f = chunk[i];
      const trained = { user: f.user, rows: f.values.length, model: generic ? ('warm-start' as const) : ('own' as const), version: json.version, finalLoss: last(json.training.lossHistory) };
      summary.users.push(trained);
      // A store may renumber the version when another trainer took it meanwhile: report the saved one.
      saves.push(save(json).then(() => void (trained.version = json.version)));
      opts.onProgress?.({ phase: 'users', done: ++done, total: frames.length, user: f.user });
    });
    await Promise.all(saves);
    // Persist the index now and then, so a crash mid-run keeps what was trained.
    if ((sinceFlush += chunk.length) >= 100) {
      sinceFlush = 0;
      await store.flush();
    }
  };

  const trainGeneric = async (): Promise<FingerprintJson> => {
    const sample = genericSample(frames, opts.genericMaxRows ?? 20_000, config.seed);
    const version = (await store.latestVersion(profile.name, null)) + 1;
    let json: FingerprintJson | undefined;
    const input = { user: null, rows: sample.values, times: sample.times, version, warmStart: false };
    // A stack of one (the kernel program), as users train, unless the run is sequential: the tape
    // took 2.3× as long for the same losses (to float rounding), and this model is the train job's
    // longest task (20,000 rows at the population's width).
    await trainer.run(task([input], { encodingOptions: { minCount: 3, maxCategories: 256 } }), (_, j) => (json = j));
    await save(json!);
    summary.generic = { version: json!.version, rows: sample.values.length, finalLoss: last(json!.training.lossHistory) };
    opts.onProgress?.({ phase: 'generic', done: 1, total: 1 });
    return json!;
  };

  try {
    opts.onProgress?.({ phase: 'generic', done: 0, total: 1 });
    // The generic model trains beside the users with models of their own; the short-history users
    // start from it, so their chunks wait for it.
    const generic = opts.usersOnly ? storedGeneric(store, profile.name) : trainGeneric();
    generic.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
    const chunks = [
      ...[...chunksOf(own, USERS_PER_TASK)].map((users) => ({ users, warm: false })),
      ...[...chunksOf(warm, USERS_PER_TASK)].map((users) => ({ users, warm: true })),
    ];
    await Promise.all(
      Array.from({ length: trainer.lanes }, async () => {
        for (let next = chunks.shift(); next; next = chunks.shift()) await trainChunk(next.users, next.warm ? await generic : undefined);
      }),
    );
    await generic;
  } finally {
    await trainer.close();
    await store.flush();
  }
  // Users in name order, as they were read, whatever order the workers finished them in.
  const order = new Map(frames.map((f, i) => [f.user, i]));
  summary.users.sort((a, b) => order.get(a.user)! - order.get(b.user)!);
  summary.durationMs = Date.now() - started;
  return summary;
}

/** Users a task trains: enough for full stacks (planStacks' 64), few enough to save as we go. */
const USERS_PER_TASK = 128;

/**
 * A pool of worker threads, or this thread: by default one worker a core, but no more than there
 * are full stacks of users (a worker's start-up costs about a second).
 */
function trainerFor(users: number, opts: TrainOptions): Trainer {
  const workers = opts.sequential ? 1 : (opts.workers ?? Math.min(os.availableParallelism(), Math.ceil(users / 64)));
  return workers > 1 ? new TrainPool(workers, opts.backend) : inlineTrainer();
}

function* chunksOf<T>(items: T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

async function storedGeneric(store: ModelStore, profile: string): Promise<FingerprintJson> {
  const json = await store.load(profile, null);
  if (!json) throw new Error(`no generic model for ${profile} yet: train the whole source before retraining single users`);
  return json;
}

/** How far ahead of this machine's clock an event may be dated and still be learned (machines' clocks differ). */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** The rows in (end − days, end]: `until` when given, else the newest row (future ones were left out before). */
function inWindow<T extends { row: { time: number } }>(rows: T[], days: number, until?: number): T[] {
  if (rows.length === 0) return rows;
  let end = until ?? -Infinity;
  if (until === undefined) for (const r of rows) end = Math.max(end, r.row.time);
  const from = end - days * 86_400_000;
  return rows.filter((r) => r.row.time > from && r.row.time <= end);
}

function windowOf(times: number[]): { start: string; end: string } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const t of times) {
    lo = Math.min(lo, t);
    hi = Math.max(hi, t);
  }
  return { start: new Date(lo).toISOString(), end: new Date(hi).toISOString() };
}

/**
 * Rows for the generic model: every user contributes, capped per user so heavy users do not
 * define "normal" for everyone, then a seeded sample down to maxRows.
 */
function genericSample(frames: UserFrame[], maxRows: number, seed: number): { values: FeatureValue[][]; times: number[] } {
  const perUserCap = Math.max(50, Math.ceil((2 * maxRows) / Math.max(1, frames.length)));
  const pool: { v: FeatureValue[]; t: number }[] = [];
  const rng = makeRng(`generic:${seed}`);
  for (const f of frames) {
    const order = permutation(f.values.length, rng);
    for (let k = 0; k < Math.min(perUserCap, order.length); k++) pool.push({ v: f.values[order[k]], t: f.times[order[k]] });
  }
  const order = permutation(pool.length, rng);
  const take = Array.from(order.subarray(0, Math.min(maxRows, pool.length)), (i) => pool[i]);
  return { values: take.map((p) => p.v), times: take.map((p) => p.t) };
}

function last(a: number[]): number {
  return a.length > 0 ? a[a.length - 1] : NaN;
}
