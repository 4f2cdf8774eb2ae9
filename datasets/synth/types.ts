/** Public types of the synthetic data generator, and the internal shape each profile returns. */
import type { RawEvent } from '../../server/engine/types';

export type SynthProfile = 'azure-signin' | 'cloudtrail' | 'duo' | 'okta' | 'process';

export interface SynthOptions {
  profile: SynthProfile;
  seed: number;
  /** Users (principals for cloudtrail, hosts for process). */
  users: number;
  trainDays: number;
  testDays: number;
  /** Distinct users attacked in the test period, one attack each. */
  compromisedUsers: number;
  /** ISO date of the first day, default '2026-09-01T00:00:00Z'. */
  start?: string;
  /** Mean events per user per day (per host for process); the default depends on the profile. */
  eventsPerUserPerDay?: number;
  /**
   * Login profiles: failed internet password-spray campaigns against many accounts, in train and
   * test, not part of the truth (they compromise no one). Default true, as in real tenants.
   */
  backgroundNoise?: boolean;
}

export interface SynthAttack {
  user: string;
  kind: string;
  eventIds: string[];
  /** ISO time of the attack's first event. */
  start: string;
}

export interface SynthTruth {
  compromisedUsers: string[];
  attackEventIds: string[];
  attacks: SynthAttack[];
}

export interface SynthDataset {
  train: RawEvent[];
  test: RawEvent[];
  truth: SynthTruth;
  /** Field holding the user (host for process) the truth names. */
  userField: string;
  /** Field holding the id the truth's event ids refer to. */
  idField: string;
}

/** An event and its time, before sorting and splitting. */
export interface Timed {
  t: number;
  doc: RawEvent;
}

/** What one profile's generator hands back to index.ts. */
export interface Generated {
  events: Timed[];
  attacks: { user: string; kind: string; start: number; ids: string[] }[];
}

/** Resolved options every profile generator receives. */
export interface GenContext {
  profile: SynthProfile;
  seed: number;
  users: number;
  trainDays: number;
  testDays: number;
  totalDays: number;
  compromisedUsers: number;
  startMs: number;
  testStart: number;
  endMs: number;
  eventsPerUserPerDay: number;
  backgroundNoise: boolean;
}
