import { DEFAULTS } from '../../common/fields';
import { resolveProfile, PROCESS_COUNTS_PROFILE, type Profile } from '../../server/engine/profiles';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../../server/engine/model/autoencoder';
import type { BackendName } from '../../server/engine/model/backend';

/** Options shared by every command, as commander hands them over. */
export interface CommonOptions {
  profile: string;
  userField?: string;
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
  workers?: number;
  sequential?: boolean;
}

export interface ScoreFlags {
  threshold: number;
  tsThreshold: number;
  /** Scoring worker threads (`dfp score --workers`; `dfp run`'s --workers sets both). */
  workers?: number;
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

export function isProcessCounts(o: CommonOptions): boolean {
  return o.profile === PROCESS_COUNTS_PROFILE;
}

export function profileOf(o: CommonOptions): Profile {
  return resolveProfile(o.profile, {
    userField: o.userField,
    timestampField: o.timestampField,
    categorical: o.categorical,
    numeric: o.numeric,
    binary: o.binary,
  });
}

export function userFilterOf(o: CommonOptions): RegExp | undefined {
  if (!o.useridFilter) return undefined;
  try {
    return new RegExp(o.useridFilter);
  } catch (err) {
    throw new Error(`--userid-filter is not a valid regular expression: ${(err as Error).message}`);
  }
}

/** The training settings every train command shares (files or Elasticsearch). */
export function trainSettingsOf(o: CommonOptions & TrainFlags) {
  return {
    config: autoencoderConfigOf(o),
    minHistory: o.minHistory,
    minHistoryWarmStart: o.minHistoryWarmStart,
    windowDays: o.windowDays,
    userFilter: userFilterOf(o),
    workers: o.workers,
    sequential: o.sequential,
  };
}

export function autoencoderConfigOf(o: CommonOptions): AutoencoderConfig {
  return { ...DEFAULT_AUTOENCODER_CONFIG, seed: o.seed, epochs: o.epochs ?? DEFAULT_AUTOENCODER_CONFIG.epochs };
}

export const DEFAULT_FLAGS = {
  threshold: DEFAULTS.zscoreThreshold,
  tsThreshold: DEFAULTS.tsThreshold,
  minHistory: DEFAULTS.minHistory,
  minHistoryWarmStart: DEFAULTS.minHistoryWarmStart,
  windowDays: DEFAULTS.windowDays,
};
