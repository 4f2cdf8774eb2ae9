import { parseDateMath } from '../../common/date_math';
import { RE2JS } from 're2js';
import { DEFAULTS } from '../../common/fields';
import { resolveProfile, PROCESS_COUNTS_PROFILE, type Profile } from '../../server/engine/profiles';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../../server/engine/model/autoencoder';
import type { BackendName } from '../../server/engine/model/backend';

/** Options shared by every command, as commander hands them over. */
export interface CommonOptions {
  profile: string;
  userField?: string;
  /** Another keying the profile offers (cloudtrail: `role`, as Morpheus keys principals). */
  keyBy?: string;
  timestampField?: string;
  categorical?: string[];
  numeric?: string[];
  binary?: string[];
  useridFilter?: string;
  backend: BackendName | 'auto';
  seed: number;
  epochs?: number;
  quiet?: boolean;
  json?: boolean;
}

export interface TrainFlags {
  minHistory: number;
  minHistoryWarmStart: number;
  windowDays: number;
  /** Where the training window ends: ISO, epoch ms or date math (now-1d). */
  until?: string;
  workers?: number;
  sequential?: boolean;
  /** dfp.zscore threshold in force: events an earlier run scored at or above it are not learned (`dfp train --threshold`, `dfp run`'s own). */
  threshold?: number;
  /** A triage file (the standalone server keeps `<data>/triage.ndjson`): users marked compromised are not learned from then on; single events' marks decide theirs. */
  triage?: string;
}

export interface ScoreFlags {
  threshold: number;
  tsThreshold: number;
  /** dfp.user_risk at or above which a user is flagged (dfp.user_flagged). */
  userRiskThreshold: number;
  /** Scoring worker threads (`dfp score --workers`; `dfp run`'s --workers sets both). */
  workers?: number;
  /** A triage file: events marked benign suppress their pattern's flags (score/benign_suppression.ts). */
  triage?: string;
}

export const listOption = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value.split(',').map((s) => s.trim()).filter(Boolean),
];

export const intOption = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number >= 0, got "${value}"`);
  return n;
};

export const floatOption = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${value}"`);
  return n;
};

export const positiveFloatOption = (name: string) => (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a number above 0, got "${value}"`);
  return n;
};

export function isProcessCounts(o: CommonOptions): boolean {
  return o.profile === PROCESS_COUNTS_PROFILE;
}

export function profileOf(o: CommonOptions): Profile {
  return resolveProfile(o.profile, {
    userField: o.userField,
    keyBy: o.keyBy,
    timestampField: o.timestampField,
    categorical: o.categorical,
    numeric: o.numeric,
    binary: o.binary,
  });
}

/**
 * `--userid-filter`: the user's pattern on RE2 (re2js), whose matching takes time linear in the
 * input. JavaScript's own engine backtracks: a pattern like `^([a-z0-9]+\.?)+@x$` against a
 * 53-character name that almost matches ran past 30 s per event. RE2 has no backreferences or
 * lookahead, so those are refused with the reason.
 */
export function userFilterOf(o: CommonOptions): RegExp | undefined {
  if (!o.useridFilter) return undefined;
  return linearTimeRegExp(o.useridFilter, '--userid-filter');
}

/**
 * A RegExp whose matching runs on RE2 in linear time. It stays a RegExp because the jobs take one
 * (`userFilter.test(user)`): `exec` is what every RegExp method (test, match, replace, split, …)
 * calls, so overriding it routes them all through RE2; the native pattern only serves `source`.
 * `what` names the option in errors.
 */
export function linearTimeRegExp(pattern: string, what: string): RegExp {
  let re2: RE2JS;
  try {
    re2 = RE2JS.compile(RE2JS.translateRegExp(pattern));
  } catch (err) {
    const unsupported = /invalid escape|Perl syntax|invalid named capture/.test((err as Error).message);
    throw new Error(
      unsupported
        ? `${what} is matched in linear time (RE2 syntax: backreferences and lookaround are not supported): ${(err as Error).message}`
        : `${what} is not a valid regular expression: ${(err as Error).message}`,
    );
  }
  return new Re2RegExp(pattern, re2);
}

class Re2RegExp extends RegExp {
  readonly #re2: RE2JS;

  constructor(pattern: string, re2: RE2JS) {
    super(nativeOrNever(pattern));
    this.#re2 = re2;
  }

  override test(input: string): boolean {
    return this.#re2.test(String(input));
  }

  override exec(input: string): RegExpExecArray | null {
    return this.#re2.exec(String(input)) as RegExpExecArray | null;
  }
}

/** The pattern for the native part (source, toString), or one that never matches where JS rejects RE2 syntax. */
function nativeOrNever(pattern: string): string {
  try {
    new RegExp(pattern); // compiling is cheap; only matching backtracks
    return pattern;
  } catch {
    return '(?!)';
  }
}

/** The training settings every train command shares (files or Elasticsearch). */
export function trainSettingsOf(o: CommonOptions & TrainFlags) {
  return {
    config: autoencoderConfigOf(o),
    minHistory: o.minHistory,
    minHistoryWarmStart: o.minHistoryWarmStart,
    windowDays: o.windowDays,
    until: untilOf(o),
    userFilter: userFilterOf(o),
    workers: o.workers,
    sequential: o.sequential,
    threshold: o.threshold,
  };
}

/** --until as epoch ms (a day given as "/d" rounds to its end), or undefined when not given. */
export function untilOf(o: { until?: string }, now = Date.now()): number | undefined {
  if (o.until === undefined) return undefined;
  const t = parseDateMath(o.until, now, true);
  if (t === null || !Number.isFinite(t) || Math.abs(t) > 8.64e15) throw new Error(`--until must be a time (ISO like 2026-10-01T00:00:00Z, epoch ms, or date math like now-1d), got "${o.until}"`);
  return t;
}

export function autoencoderConfigOf(o: CommonOptions): AutoencoderConfig {
  return { ...DEFAULT_AUTOENCODER_CONFIG, seed: o.seed, epochs: o.epochs ?? DEFAULT_AUTOENCODER_CONFIG.epochs };
}

export const DEFAULT_FLAGS = {
  threshold: DEFAULTS.zscoreThreshold,
  tsThreshold: DEFAULTS.tsThreshold,
  userRiskThreshold: DEFAULTS.userRiskThreshold,
  minHistory: DEFAULTS.minHistory,
  minHistoryWarmStart: DEFAULTS.minHistoryWarmStart,
  windowDays: DEFAULTS.windowDays,
};
