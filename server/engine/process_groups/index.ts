/**
 * The host process-group fingerprint, top to bottom: process start events → per-host (or user)
 * windows of process counts → hashed vectors → one shared autoencoder → per-event dfp fields.
 *
 * One network serves every host (so `model.generic` is true); what is per host is the yardstick:
 * a host with enough training windows gets its own distance median/spread (so z means "unusual for
 * this host", as dfp.zscore does elsewhere) and its own usual process mix (which names the
 * top_features). Hosts without enough history fall back to the fleet-wide statistics.
 */
import { DEFAULTS, type DfpFields } from '../../../common/fields';
import type { RawEvent } from '../types';
import { DEFAULT_DIMS, hashProcessCounts } from './hashing';
import { distanceStats, ProcessGroupModel, robustZ, type DistanceStats, type ProcessGroupModelJson, type ProcessGroupTrainOptions } from './model';
import { extractProcessEvent, type ProcessKeyBy } from './profile';
import { windowProcessEvents, type ProcessWindow } from './windows';

export { hashProcessCounts, processBucket, murmurhash3_32 } from './hashing';
export { ProcessGroupModel, distanceStats, robustZ } from './model';
export type { ProcessGroupModelJson, DistanceStats, ProcessGroupTrainOptions } from './model';
export { extractProcessEvent } from './profile';
export type { ProcessExtract, ProcessKeyBy } from './profile';
export { windowProcessEvents } from './windows';
export type { ProcessWindow } from './windows';

export const PROCESS_GROUP_DEFAULTS = {
  windowMinutes: 60,
  dims: DEFAULT_DIMS,
  /** Training windows a key needs for its own distance statistics (else the fleet's). */
  minWindowsPerKey: 24,
  /** Usual processes kept per key for top_features (the rest count as usual 0). */
  maxProcessesPerKey: 128,
} as const;

/** Spread floor (log1p units) when ranking processes against a key's usual counts. */
const USUAL_STD_FLOOR = 0.5;

export interface ProcessGroupsTrainOptions extends ProcessGroupTrainOptions {
  keyBy?: ProcessKeyBy;
  windowMinutes?: number;
  dims?: number;
  minWindowsPerKey?: number;
  maxProcessesPerKey?: number;
}

/** What a key (or the whole fleet) usually looks like in training. */
export interface KeyProfile {
  windows: number;
  /** Own distance statistics: only for keys with at least minWindowsPerKey windows. */
  distance?: DistanceStats;
  /** Process → [mean, std] of log1p(count) per window (absent windows count 0). */
  usual: Record<string, [number, number]>;
}

/** The model plus what the pipeline needs to window, hash and explain the same way when scoring. */
export interface ProcessGroupsModelJson extends ProcessGroupModelJson {
  pipeline: {
    key_by: ProcessKeyBy;
    window_minutes: number;
    min_windows_per_key: number;
    fleet: KeyProfile;
    keys: Record<string, KeyProfile>;
  };
}

export interface EventErrorSummary {
  total: number;
  /** Count per reason (at most 100 distinct reasons; the rest under "other"). */
  byReason: Record<string, number>;
  /** The first few, with the event's index in the input. */
  sample: { index: number; reason: string }[];
}

export interface ProcessGroupsTrainResult {
  model: ProcessGroupsModelJson;
  windows: number;
  keys: number;
  /** Events that went into windows. */
  events: number;
  errors: EventErrorSummary;
}

export interface ProcessGroupsScoreOptions {
  /** dfp.zscore at or above which a window's events are flagged. */
  threshold: number;
  /** Must equal the model's window length when given (counts over other lengths are not comparable). */
  windowMinutes?: number;
  /** How many processes top_features names (default 3). */
  topFeatures?: number;
  /** dfp.scored_at (default now). */
  now?: Date;
}

export function trainProcessGroups(events: RawEvent[], opts: ProcessGroupsTrainOptions = {}): ProcessGroupsTrainResult {
  const keyBy = opts.keyBy ?? 'host';
  const windowMinutes = opts.windowMinutes ?? PROCESS_GROUP_DEFAULTS.windowMinutes;
  const dims = opts.dims ?? PROCESS_GROUP_DEFAULTS.dims;
  const minWindowsPerKey = opts.minWindowsPerKey ?? PROCESS_GROUP_DEFAULTS.minWindowsPerKey;
  const maxProcesses = opts.maxProcessesPerKey ?? PROCESS_GROUP_DEFAULTS.maxProcessesPerKey;

  const { rows, errors } = extractAll(events, keyBy);
  const windows = windowProcessEvents(rows, windowMinutes);
  if (windows.length === 0) {
    throw new Error(`no usable process start events to train on (${errors.total} rejected${firstReason(errors)})`);
  }
  const vectors = windows.map((w) => hashProcessCounts(w.counts, dims));
  const model = ProcessGroupModel.train(vectors, opts);
  try {
    const distances = model.distances(vectors);
    const byKey = new Map<string, number[]>();
    windows.forEach((w, i) => {
      let list = byKey.get(w.key);
      if (!list) byKey.set(w.key, (list = []));
      list.push(i);
    });
    // fromEntries defines own properties, so a host named "__proto__" is just a host.
    const keys: Record<string, KeyProfile> = Object.fromEntries(
      [...byKey].map(([key, idx]) => {
        const profile = usualProfile(idx.map((i) => windows[i]), maxProcesses);
        if (idx.length >= minWindowsPerKey) profile.distance = distanceStats(idx.map((i) => distances[i]));
        return [key, profile];
      }),
    );
    const fleet = usualProfile(windows, maxProcesses);
    fleet.distance = model.stats;
    const json: ProcessGroupsModelJson = {
      ...model.toJSON(),
      pipeline: { key_by: keyBy, window_minutes: windowMinutes, min_windows_per_key: minWindowsPerKey, fleet, keys },
    };
    return { model: json, windows: windows.length, keys: byKey.size, events: rows.length, errors };
  } finally {
    model.dispose();
  }
}

/** One DfpFields per input event, in input order; events that cannot be used carry `error`. */
export function scoreProcessGroups(events: RawEvent[], modelJson: ProcessGroupsModelJson, opts: ProcessGroupsScoreOptions): DfpFields[] {
  const pipeline = modelJson.pipeline;
  if (!pipeline) throw new Error('process-group model has no pipeline section (train it with trainProcessGroups)');
  if (opts.windowMinutes !== undefined && opts.windowMinutes !== pipeline.window_minutes) {
    throw new Error(
      `the model was trained on ${pipeline.window_minutes}-minute windows; scoring ${opts.windowMinutes}-minute windows would compare unlike counts`,
    );
  }
  const scoredAt = (opts.now ?? new Date()).toISOString();
  const topN = opts.topFeatures ?? DEFAULTS.topFeatures;
  const modelRef = { version: modelJson.version, generic: true, trained_at: modelJson.trained_at };

  const out: DfpFields[] = new Array(events.length);
  const rows: { time: number; key: string; process: string }[] = [];
  const rowToEvent: number[] = [];
  events.forEach((ev, i) => {
    const r = extractProcessEvent(ev, { keyBy: pipeline.key_by });
    if (r.ok) {
      rows.push(r);
      rowToEvent.push(i);
    } else {
      out[i] = { user: r.key, error: r.reason, scored_at: scoredAt };
    }
  });

  const windows = windowProcessEvents(rows, pipeline.window_minutes);
  if (windows.length === 0) return out;
  const model = ProcessGroupModel.fromJSON(modelJson);
  let distances: Float32Array;
  try {
    distances = model.distances(windows.map((w) => hashProcessCounts(w.counts, modelJson.dims)));
  } finally {
    model.dispose();
  }
  windows.forEach((w, wi) => {
    const profile = own(pipeline.keys, w.key);
    const stats = profile?.distance ?? pipeline.fleet.distance ?? modelJson.distance;
    const distance = distances[wi];
    const zscore = robustZ(distance, stats);
    const fields: Omit<DfpFields, 'scored_at'> = {
      user: w.key,
      anomaly_score: distance,
      zscore,
      is_anomaly: zscore >= opts.threshold,
      threshold: opts.threshold,
      top_features: topProcesses(w, (profile ?? pipeline.fleet).usual, topN),
      model: modelRef,
    };
    // Events of a window share its fields; each gets its own object so callers may annotate one.
    for (const r of w.eventIndices) out[rowToEvent[r]] = { ...fields, top_features: [...fields.top_features!], scored_at: scoredAt };
  });
  return out;
}

/**
 * The window's processes ranked by how far log1p(count) sits above the key's usual, in units of
 * the usual spread (floored at 0.5, about a 65 % change in count): new processes and processes far
 * more frequent than usual come first, while ones that merely follow the working day do not.
 * Only processes above their usual are named.
 */
export function topProcesses(w: ProcessWindow, usual: Record<string, [number, number]>, n: number): string[] {
  return [...w.counts]
    .map(([name, count]) => {
      const [mean, std] = own(usual, name) ?? [0, 0];
      return { name, excess: (Math.log1p(count) - mean) / Math.max(std, USUAL_STD_FLOOR) };
    })
    .filter((p) => p.excess > 0)
    .sort((a, b) => b.excess - a.excess || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, n)
    .map((p) => p.name);
}

function usualProfile(windows: ProcessWindow[], maxProcesses: number): KeyProfile {
  const sums = new Map<string, [number, number]>();
  for (const w of windows) {
    for (const [name, count] of w.counts) {
      const v = Math.log1p(count);
      const s = sums.get(name) ?? [0, 0];
      s[0] += v;
      s[1] += v * v;
      sums.set(name, s);
    }
  }
  const n = windows.length;
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const usual: Record<string, [number, number]> = Object.fromEntries(
    [...sums]
      .sort((a, b) => b[1][0] - a[1][0] || (a[0] < b[0] ? -1 : 1))
      .slice(0, maxProcesses)
      .map(([name, [sum, sq]]) => {
        const mean = sum / n;
        return [name, [round(mean), round(Math.sqrt(Math.max(0, sq / n - mean * mean)))]];
      }),
  );
  return { windows: n, usual };
}

function extractAll(events: RawEvent[], keyBy: ProcessKeyBy) {
  const rows: { time: number; key: string; process: string }[] = [];
  const errors: EventErrorSummary = { total: 0, byReason: {}, sample: [] };
  let distinct = 0;
  events.forEach((ev, index) => {
    const r = extractProcessEvent(ev, { keyBy });
    if (r.ok) {
      rows.push({ time: r.time, key: r.key, process: r.process });
      return;
    }
    errors.total++;
    let reason = r.reason;
    if (!Object.hasOwn(errors.byReason, reason)) {
      if (distinct >= 100) reason = 'other';
      else distinct++;
    }
    errors.byReason[reason] = (errors.byReason[reason] ?? 0) + 1;
    if (errors.sample.length < 20) errors.sample.push({ index, reason: r.reason });
  });
  return { rows, errors };
}

/** A record's own entry only: names like "constructor" must not reach Object.prototype. */
function own<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function firstReason(errors: EventErrorSummary): string {
  return errors.sample.length > 0 ? `; e.g. ${errors.sample[0].reason}` : '';
}
