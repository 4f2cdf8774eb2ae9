import { DEFAULTS } from '../../../common/fields';
import type { InputItem } from '../types';
import type { Profile } from '../profiles';
import type { ModelStore } from '../io/model_store';
import { buildUserFrames, schemaOf, type UserFrame } from '../features/frame';
import type { FeatureValue } from '../features/extract';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../model/autoencoder';
import { Fingerprint } from '../model/fingerprint';
import { makeRng, permutation } from '../model/rng';
import { collectRows } from './collect';
import type { InputReport } from './input_report';

export interface TrainOptions {
  profile: Profile;
  store: ModelStore;
  backend: string;
  config?: AutoencoderConfig;
  /** Rows a user needs for a model trained from scratch (Morpheus: 300). */
  minHistory?: number;
  /** Rows a user needs for a model warm-started from the generic one; fewer → generic only. */
  minHistoryWarmStart?: number;
  /** Only the last this-many days before the newest event are learned (Morpheus: 60). */
  windowDays?: number;
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

  const collected = await collectRows(items, profile, { userFilter: opts.userFilter, keepItems: false });
  const events = collected.rows.length + collected.rejected.size + collected.filtered.size;
  const rows = inWindow(collected.rows, opts.windowDays ?? DEFAULTS.windowDays);
  const summary: TrainSummary = {
    events,
    rowsInWindow: rows.length,
    window: rows.length > 0 ? windowOf(rows.map((r) => r.row.time)) : null,
    generic: null,
    users: [],
    report: collected.report,
    durationMs: 0,
  };
  if (rows.length === 0) {
    summary.durationMs = Date.now() - started;
    return summary;
  }

  const schema = schemaOf(profile);
  const frames = [...buildUserFrames(rows, profile).values()].sort((a, b) => (a.user < b.user ? -1 : 1));

  const generic = opts.usersOnly ? await storedGeneric(store, profile.name) : await trainGeneric();
  async function trainGeneric(): Promise<Fingerprint> {
    opts.onProgress?.({ phase: 'generic', done: 0, total: 1 });
    const sample = genericSample(frames, opts.genericMaxRows ?? 20_000, config.seed);
    const fitted = Fingerprint.train({
      profile: profile.name,
      user: null,
      schema,
      rows: sample.values,
      times: sample.times,
      config,
      backend: opts.backend,
      version: (await store.latestVersion(profile.name, null)) + 1,
      encodingOptions: { minCount: 3, maxCategories: 256 },
    });
    await store.save(fitted.json);
    summary.generic = { version: fitted.json.version, rows: sample.values.length, finalLoss: last(fitted.json.training.lossHistory) };
    return fitted;
  }
  opts.onProgress?.({ phase: 'generic', done: 1, total: 1 });

  try {
    let done = 0;
    for (const frame of frames) {
      if (opts.signal?.aborted) throw new Error(`training stopped after ${done} of ${frames.length} users: ${String(opts.signal.reason ?? 'cancelled')}`);
      const n = frame.values.length;
      if (n < minWarm) {
        summary.users.push({ user: frame.user, rows: n, model: 'generic' });
      } else {
        const warm = n < minHistory;
        const fp = Fingerprint.train({
          profile: profile.name,
          user: frame.user,
          schema,
          rows: frame.values,
          times: frame.times,
          config,
          backend: opts.backend,
          version: (await store.latestVersion(profile.name, frame.user)) + 1,
          warmStart: warm ? generic : undefined,
        });
        await store.save(fp.json);
        summary.users.push({
          user: frame.user,
          rows: n,
          model: warm ? 'warm-start' : 'own',
          version: fp.json.version,
          finalLoss: last(fp.json.training.lossHistory),
        });
        fp.dispose();
        // Persist the index now and then, so a crash mid-run keeps what was trained.
        if (summary.users.length % 100 === 0) await store.flush();
      }
      opts.onProgress?.({ phase: 'users', done: ++done, total: frames.length, user: frame.user });
    }
  } finally {
    generic.dispose();
    await store.flush();
  }
  summary.durationMs = Date.now() - started;
  return summary;
}

async function storedGeneric(store: ModelStore, profile: string): Promise<Fingerprint> {
  const json = await store.load(profile, null);
  if (!json) throw new Error(`no generic model for ${profile} yet: train the whole source before retraining single users`);
  return Fingerprint.fromJson(json);
}

function inWindow<T extends { row: { time: number } }>(rows: T[], days: number): T[] {
  if (rows.length === 0) return rows;
  let newest = -Infinity;
  for (const r of rows) newest = Math.max(newest, r.row.time);
  const from = newest - days * 86_400_000;
  return rows.filter((r) => r.row.time > from);
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
