/**
 * Synthetic login, API and process activity with planted compromises, shaped exactly like the
 * documents Elastic's integrations index. Used by the demo, the end-to-end detection tests and the
 * benchmark. Deterministic for a seed; attacks only in the test period; labels only in the truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateCloudtrail } from './cloudtrail';
import { generateLogin } from './login';
import { generateProcess } from './process';
import { DAY } from './time';
import type { Generated, GenContext, SynthDataset, SynthOptions, SynthProfile, SynthTruth } from './types';
import type { RawEvent } from '../../server/engine/types';

export type { SynthAttack, SynthDataset, SynthOptions, SynthProfile, SynthTruth } from './types';

export const SYNTH_PROFILES: readonly SynthProfile[] = ['azure-signin', 'cloudtrail', 'duo', 'okta', 'process'];

const DEFAULT_START = '2026-09-01T00:00:00Z';

/** Mean events per user (host) per day when not given. */
export const DEFAULT_EVENTS_PER_DAY: Record<SynthProfile, number> = {
  'azure-signin': 10,
  okta: 8,
  duo: 3,
  cloudtrail: 40,
  process: 40,
};

export const USER_FIELD: Record<SynthProfile, string> = {
  'azure-signin': 'user.id',
  okta: 'okta.actor.id',
  duo: 'user.id',
  cloudtrail: 'user.name',
  process: 'host.name',
};

export const ID_FIELD: Record<SynthProfile, string> = {
  'azure-signin': 'event.id',
  okta: 'event.id',
  duo: 'cisco_duo.auth.txid',
  cloudtrail: 'event.id',
  process: 'event.id',
};

function getPath(doc: RawEvent, dotted: string): unknown {
  let cur: unknown = doc;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** The id the truth refers to (event.id; cisco_duo.auth.txid for Duo, which sets no event.id). */
export function eventId(e: RawEvent, profile: SynthProfile): string {
  const v = getPath(e, ID_FIELD[profile]);
  if (typeof v !== 'string') throw new Error(`event has no ${ID_FIELD[profile]}`);
  return v;
}

function check(opts: SynthOptions): void {
  if (!SYNTH_PROFILES.includes(opts.profile)) throw new Error(`unknown profile ${String(opts.profile)}`);
  const ints: [string, number, number][] = [
    ['users', opts.users, 1],
    ['trainDays', opts.trainDays, 1],
    ['testDays', opts.testDays, 0],
    ['compromisedUsers', opts.compromisedUsers, 0],
  ];
  for (const [name, v, min] of ints) {
    if (!Number.isInteger(v) || v < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${String(v)})`);
  }
  if (!Number.isFinite(opts.seed)) throw new Error('seed must be a number');
  if (opts.compromisedUsers > opts.users) throw new Error(`compromisedUsers (${opts.compromisedUsers}) exceeds users (${opts.users})`);
  if (opts.compromisedUsers > 0 && opts.testDays < 1) throw new Error('attacks need at least one test day');
  if (opts.eventsPerUserPerDay !== undefined && !(opts.eventsPerUserPerDay > 0)) throw new Error('eventsPerUserPerDay must be > 0');
}

export function generate(opts: SynthOptions): SynthDataset {
  check(opts);
  const startMs = Date.parse(opts.start ?? DEFAULT_START);
  if (Number.isNaN(startMs)) throw new Error(`start is not a date: ${String(opts.start)}`);
  const totalDays = opts.trainDays + opts.testDays;
  const ctx: GenContext = {
    profile: opts.profile,
    seed: opts.seed,
    users: opts.users,
    trainDays: opts.trainDays,
    testDays: opts.testDays,
    totalDays,
    compromisedUsers: opts.compromisedUsers,
    startMs,
    testStart: startMs + opts.trainDays * DAY,
    endMs: startMs + totalDays * DAY,
    eventsPerUserPerDay: opts.eventsPerUserPerDay ?? DEFAULT_EVENTS_PER_DAY[opts.profile],
    backgroundNoise: opts.backgroundNoise ?? true,
  };
  const g: Generated = opts.profile === 'cloudtrail' ? generateCloudtrail(ctx) : opts.profile === 'process' ? generateProcess(ctx) : generateLogin(ctx);

  // Stable sort by time: ties keep generation order, which is itself deterministic.
  g.events.sort((a, b) => a.t - b.t);
  const train: RawEvent[] = [];
  const test: RawEvent[] = [];
  for (const e of g.events) {
    if (e.t < ctx.startMs || e.t >= ctx.endMs) continue;
    (e.t < ctx.testStart ? train : test).push(e.doc);
  }
  const attacks = g.attacks.filter((a) => a.ids.length > 0).map((a) => ({ user: a.user, kind: a.kind, eventIds: a.ids, start: new Date(a.start).toISOString() }));
  const truth: SynthTruth = {
    compromisedUsers: attacks.map((a) => a.user),
    attackEventIds: attacks.flatMap((a) => a.eventIds),
    attacks,
  };
  return { train, test, truth, userField: USER_FIELD[opts.profile], idField: ID_FIELD[opts.profile] };
}

export interface WriteOptions {
  /** Indent truth.json (default true). */
  prettyTruth?: boolean;
}

function writeNdjson(file: string, events: RawEvent[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    // Chunks keep memory flat for large datasets.
    for (let i = 0; i < events.length; i += 2000) {
      let s = '';
      const end = Math.min(events.length, i + 2000);
      for (let j = i; j < end; j++) s += `${JSON.stringify(events[j])}\n`;
      fs.writeSync(fd, s);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes train.ndjson, test.ndjson and truth.json into dir (created if needed). */
export function writeDataset(ds: SynthDataset, dir: string, opts: WriteOptions = {}): { trainPath: string; testPath: string; truthPath: string } {
  fs.mkdirSync(dir, { recursive: true });
  const trainPath = path.join(dir, 'train.ndjson');
  const testPath = path.join(dir, 'test.ndjson');
  const truthPath = path.join(dir, 'truth.json');
  writeNdjson(trainPath, ds.train);
  writeNdjson(testPath, ds.test);
  const truth = { ...ds.truth, userField: ds.userField, idField: ds.idField };
  fs.writeFileSync(truthPath, `${JSON.stringify(truth, null, opts.prettyTruth === false ? undefined : 2)}\n`);
  return { trainPath, testPath, truthPath };
}
