/**
 * The held-out evaluation sets: an organisation's month of Entra sign-ins and CloudTrail,
 * benign change and planted compromises in the last week, written as the files `dfp run` reads
 * (train.ndjson, test.ndjson) and a truth.json that `dfp evaluate` reads, extended with each
 * attack event's family and each user's benign drift. Built independently of the demo generator
 * (datasets/synth) so that detection is measured on data it was not tuned on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DAY, HOUR, windowOf, type Window } from './calendar';
import { Dice } from './dice';
import { ordinaryCalls, type AwsScene } from './aws_activity';
import { plantAws } from './aws_attacks';
import { buildEstate, type Estate } from './aws_estate';
import { ordinarySignIns, type EntraScene } from './entra_activity';
import { internetNoise, plantEntra } from './entra_attacks';
import { plantEntraVariant, sprayCollateral } from './entra_tooling';
import { slowSprayNoise } from './entra_tooling2';
import { proxySprayNoise } from './entra_tooling3';
import { teamFiltrationNoise } from './entra_tooling4';
import { plantAwsVariant } from './aws_tooling';
import { DRIFTS, FAMILIES, type DriftKind, type Emitted, type Family, type PlantedAttack } from './labels';
import { ORGANISATIONS, type OrgShape } from './organisations';
import { buildRoster, type Person } from './people';
import { setNamed, type SetSpec } from './sets';
import { planLayovers, planTrips, type TripBook } from './trips';
import { PLACES } from './world';
import { chooseAwsVictims, chooseEntraVictims } from './victims';

export { SEALED_SETS, SETS, setNamed, type SetSpec } from './sets';
export { FAMILIES, DRIFTS, type Family, type DriftKind } from './labels';

export type HeldoutProfile = 'azure-signin' | 'cloudtrail';
export const HELDOUT_PROFILES: readonly HeldoutProfile[] = ['azure-signin', 'cloudtrail'];

const USER_FIELD: Record<HeldoutProfile, string> = { 'azure-signin': 'user.id', cloudtrail: 'user.name' };

/** Drift kinds that concern one user (the rest, browser and SDK releases and the new app, touch everyone). */
const PERSONAL_DRIFT: readonly DriftKind[] = ['business-trip', 'new-hire', 'deploy-day'];

export interface HeldoutTruth {
  set: string;
  organisation: string;
  profile: HeldoutProfile;
  seed: number;
  userField: string;
  idField: string;
  /**
   * What `dfp evaluate` reads. Users are named by `userField`; a profile may key users otherwise
   * (CloudTrail by session or ARN), so measure users by whom the scorer keyed the attack events to.
   */
  compromisedUsers: string[];
  attackEventIds: string[];
  /** Each attack event's ATT&CK family. */
  attackFamilies: Record<string, Family>;
  /** Each compromised user's family. */
  userFamilies: Record<string, Family>;
  /**
   * The planted attacks: the account attacked (`user`, in the generator's own naming), every
   * account its events were made with (`users`), and its events.
   */
  attacks: (PlantedAttack & { users: string[]; start: string; events: number; eventIds: string[] })[];
  /** Innocent users whose scored week holds personal benign drift, and which. */
  benignDrift: Record<string, DriftKind[]>;
  /** Scored events that are benign drift, by kind. */
  driftEvents: Record<string, DriftKind>;
  families: Record<string, string>;
  drifts: Record<string, string>;
}

export interface HeldoutDataset {
  train: Record<string, unknown>[];
  test: Record<string, unknown>[];
  truth: HeldoutTruth;
}

export interface GenerateOptions {
  /** Scale every count (users, principals, hires, attacks stay) for quick runs: 0.1 = a tenth. */
  scale?: number;
  /** Override the set's training days (tests use fewer). */
  trainDays?: number;
  profiles?: readonly HeldoutProfile[];
}

interface World {
  spec: SetSpec;
  org: OrgShape;
  window: Window;
  people: Person[];
  estate: Estate;
  trips: TripBook;
  dice: Dice;
  entraVictims: ReturnType<typeof chooseEntraVictims>;
  awsVictims: ReturnType<typeof chooseAwsVictims>;
}

/** The organisation, its staff and estate, who is attacked and who travels: shared by both logs. */
function buildWorld(spec: SetSpec, opts: GenerateOptions): World {
  const scale = opts.scale ?? 1;
  const org = ORGANISATIONS[spec.org];
  const trainDays = opts.trainDays ?? spec.trainDays;
  const firstMonday = new Date(Date.parse(`${org.firstMonday}T00:00:00Z`) + (spec.trainDays - trainDays) * DAY).toISOString().slice(0, 10);
  const hq = PLACES[org.sites[0].place].offset;
  const window = windowOf(firstMonday, trainDays, spec.testDays, Math.min(hq.winter, hq.summer));
  const dice = new Dice(`heldout/${spec.name}/${spec.seed}`);
  const headcount = Math.max(30, Math.round(spec.azureUsers * scale));
  const people = buildRoster(org, window, { headcount, newHires: Math.max(3, Math.round(spec.newHires * scale)) }, dice.for('roster'));
  const estate = buildEstate(spec.org, people, window, Math.max(30, Math.round(spec.cloudtrailPrincipals * scale)), dice.for('estate'));
  const entraVictims = chooseEntraVictims(people, window, spec.entra, dice.for('entra-victims'));
  const awsVictims = chooseAwsVictims(estate.principals, spec.aws, dice.for('aws-victims'));
  // Victims stay home in the scored week, so every trip is benign by construction.
  const stayHome = new Set<number>(entraVictims.map((v) => v.person.index));
  for (const v of awsVictims) if (v.principal.behaviour.kind === 'people') for (const m of v.principal.behaviour.members) stayHome.add(m.index);
  const awsPeople = new Set<number>();
  for (const p of estate.principals) if (p.behaviour.kind === 'people') for (const m of p.behaviour.members) awsPeople.add(m.index);
  const trips = planTrips(org, people, window, stayHome, Math.max(3, Math.round(spec.minTrips * scale)), dice.for('trips'), { people: awsPeople, atLeast: 3 });
  // Crews' nights at outstations (organisations with crews only: the others' books are untouched).
  planLayovers(org, people, window, trips, dice.for('layovers'));
  return { spec, org, window, people, estate, trips, dice, entraVictims, awsVictims };
}

/** The instant the company-wide new app goes live: 09:00 at head office on its launch day. */
function launchOf(world: World): number {
  const hq = PLACES[world.org.sites[0].place].offset[world.org.season];
  return world.window.testStart + world.org.newApp.launchDay * DAY + (9 - hq) * HOUR;
}

function entraEvents(world: World): { events: Emitted[]; attacks: PlantedAttack[] } {
  const scene: EntraScene = { org: world.org, window: world.window, trips: world.trips, dice: world.dice.for('entra'), newAppLive: launchOf(world) };
  const events: Emitted[] = [];
  for (const p of world.people) events.push(...ordinarySignIns(p, scene));
  events.push(...internetNoise(world.people, scene));
  const attacks: PlantedAttack[] = [];
  // A spray campaign also fails against accounts it does not break into: innocent noise.
  events.push(...sprayCollateral(world.people, world.entraVictims, scene));
  events.push(...slowSprayNoise(world.people, world.entraVictims, scene));
  events.push(...proxySprayNoise(world.people, world.entraVictims, scene));
  events.push(...teamFiltrationNoise(world.people, world.entraVictims, scene));
  for (const v of world.entraVictims) {
    const planted = v.variant ? plantEntraVariant(v, scene) : plantEntra(v, scene);
    for (const e of planted.events) e.attack = attacks.length;
    events.push(...planted.events);
    attacks.push(planted.attack);
  }
  return { events, attacks };
}

function awsEvents(world: World): { events: Emitted[]; attacks: PlantedAttack[] } {
  const scene: AwsScene = { org: world.org, window: world.window, trips: world.trips, dice: world.dice.for('aws'), estate: world.estate, newAppLive: launchOf(world) };
  const events: Emitted[] = [];
  for (const p of world.estate.principals) events.push(...ordinaryCalls(p, scene));
  const attacks: PlantedAttack[] = [];
  for (const v of world.awsVictims) {
    const planted = v.variant ? plantAwsVariant(v, scene) : plantAws(v, scene);
    for (const e of planted.events) e.attack = attacks.length;
    events.push(...planted.events);
    attacks.push(planted.attack);
  }
  return { events, attacks };
}

function assemble(world: World, profile: HeldoutProfile, events: Emitted[], planted: PlantedAttack[]): HeldoutDataset {
  const w = world.window;
  const inWindow = events.filter((e) => e.t >= w.start && e.t < w.end);
  // Stable by time; ties keep generation order, itself deterministic.
  inWindow.sort((a, b) => a.t - b.t);
  const train: Record<string, unknown>[] = [];
  const test: Record<string, unknown>[] = [];
  const attackFamilies: Record<string, Family> = {};
  const driftEvents: Record<string, DriftKind> = {};
  const perAttack = planted.map(() => ({ ids: [] as string[], users: new Set<string>(), first: Infinity }));
  const personal = new Map<string, Set<DriftKind>>();
  for (const e of inWindow) {
    if (e.t < w.testStart) {
      train.push(e.doc);
      continue;
    }
    test.push(e.doc);
    if (e.family && e.attack !== undefined) {
      attackFamilies[e.id] = e.family;
      const a = perAttack[e.attack];
      a.ids.push(e.id);
      a.users.add(e.user);
      a.first = Math.min(a.first, e.t);
    } else if (e.drift) {
      driftEvents[e.id] = e.drift;
      if (PERSONAL_DRIFT.includes(e.drift)) personal.set(e.user, (personal.get(e.user) ?? new Set()).add(e.drift));
    }
  }
  // An attack compromises every account its events were made with (an intruder's own new user too).
  const attacks = planted
    .map((a, i) => ({ ...a, users: [...perAttack[i].users], start: new Date(perAttack[i].first).toISOString(), events: perAttack[i].ids.length, eventIds: perAttack[i].ids }))
    .filter((a) => a.events > 0);
  const userFamilies: Record<string, Family> = {};
  for (const a of attacks) for (const u of a.users) userFamilies[u] = a.family;
  const benignDrift: Record<string, DriftKind[]> = {};
  for (const [user, kinds] of [...personal.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!(user in userFamilies)) benignDrift[user] = [...kinds].sort();
  }
  return {
    train,
    test,
    truth: {
      set: world.spec.name,
      organisation: world.org.name,
      profile,
      seed: world.spec.seed,
      userField: USER_FIELD[profile],
      idField: 'event.id',
      compromisedUsers: Object.keys(userFamilies),
      attackEventIds: Object.keys(attackFamilies),
      attackFamilies,
      userFamilies,
      attacks,
      benignDrift,
      driftEvents,
      families: FAMILIES,
      drifts: DRIFTS,
    },
  };
}

/** Both logs of one set (or the profiles asked for). Deterministic for the set's seed. */
export function generateSet(spec: SetSpec | string, opts: GenerateOptions = {}): Partial<Record<HeldoutProfile, HeldoutDataset>> {
  const world = buildWorld(typeof spec === 'string' ? setNamed(spec) : spec, opts);
  const wanted = opts.profiles ?? HELDOUT_PROFILES;
  const out: Partial<Record<HeldoutProfile, HeldoutDataset>> = {};
  if (wanted.includes('azure-signin')) {
    const g = entraEvents(world);
    out['azure-signin'] = assemble(world, 'azure-signin', g.events, g.attacks);
  }
  if (wanted.includes('cloudtrail')) {
    const g = awsEvents(world);
    out.cloudtrail = assemble(world, 'cloudtrail', g.events, g.attacks);
  }
  return out;
}

function writeNdjson(file: string, docs: Record<string, unknown>[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (let i = 0; i < docs.length; i += 4000) {
      fs.writeSync(fd, docs.slice(i, i + 4000).map((d) => `${JSON.stringify(d)}\n`).join(''));
    }
  } finally {
    fs.closeSync(fd);
  }
}

export interface WrittenSet {
  dir: string;
  trainPath: string;
  testPath: string;
  truthPath: string;
}

/** train.ndjson, test.ndjson and truth.json in dir. */
export function writeHeldout(ds: HeldoutDataset, dir: string): WrittenSet {
  fs.mkdirSync(dir, { recursive: true });
  const trainPath = path.join(dir, 'train.ndjson');
  const testPath = path.join(dir, 'test.ndjson');
  const truthPath = path.join(dir, 'truth.json');
  writeNdjson(trainPath, ds.train);
  writeNdjson(testPath, ds.test);
  fs.writeFileSync(truthPath, `${JSON.stringify(ds.truth, null, 1)}\n`);
  return { dir, trainPath, testPath, truthPath };
}


