/**
 * The staff roster: everyone in the tenant, built team by team from the organisation's shape.
 * Each person gets a site, a routine, the team's kit (laptop image, maybe a work phone, the team's
 * applications weighted by their own taste), a home connection, leave, and for a few a start date
 * inside the window (new hires). Scan-to-email mailboxes are accounts too.
 */
import { DAY, isWeekend, type Window } from './calendar';
import type { Dice } from './dice';
import { makeDevice, type Device } from './devices';
import { drawName, LoginRegistry, loginPart, type PersonName } from './names';
import type { AppDef, OrgShape, SiteDef, TeamDef } from './organisations';
import { drawHabits, type Habits } from './routines';
import { addressIn, NETWORKS, type NetworkName } from './world';

export interface Person {
  index: number;
  /** Entra object id: the azure-signin user key. */
  id: string;
  login: string;
  upn: string;
  name: PersonName;
  kind: 'staff' | 'device-mailbox';
  team: TeamDef;
  site: SiteDef;
  habits: Habits;
  laptop: Device;
  phone?: Device;
  home: NetworkName;
  /** The home router's address: the same every day. */
  homeAddress: string;
  apps: (readonly [AppDef, number])[];
  /** Multiplies the team's sign-in rate (sparse users: a small fraction). */
  intensity: number;
  sparse: boolean;
  /** UTC midnight of the first working day, for people who join inside the window. */
  hiredOn?: number;
  /** Days off (UTC midnights). */
  leave: Set<number>;
}

/** Team sizes that add up to the headcount exactly (largest remainders). */
function apportion(teams: readonly TeamDef[], headcount: number): number[] {
  const total = teams.reduce((s, t) => s + t.share, 0);
  const raw = teams.map((t) => (t.share / total) * headcount);
  const out = raw.map(Math.floor);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < headcount - out.reduce((s, n) => s + n, 0); k++) out[order[k % order.length][1]]++;
  return out;
}

function personalApps(org: OrgShape, team: TeamDef, dice: Dice): (readonly [AppDef, number])[] {
  const byName = new Map(org.apps.map((a) => [a.name, a]));
  const out: (readonly [AppDef, number])[] = [];
  for (const [name, weight] of team.apps) {
    const app = byName.get(name);
    if (!app) throw new Error(`${org.name}: team ${team.name} uses unknown app ${name}`);
    // Not everyone uses everything the team has: some skip an app entirely.
    if (weight <= 2 && dice.chance(0.3)) continue;
    out.push([app, weight * Math.exp(dice.gauss(0, 0.45))]);
  }
  // A personal extra from elsewhere in the catalogue (a finance clerk who also opens Salesforce).
  if (dice.chance(0.35)) {
    const extra = dice.one(org.apps.filter((a) => a.paths.includes('browser') && !out.some(([b]) => b.name === a.name) && a.name !== 'Azure Portal'));
    out.push([extra, 0.6]);
  }
  return out;
}

function leaveFor(w: Window, dice: Dice): Set<number> {
  const days = new Set<number>();
  // A week or a long weekend off during the four weeks learnt from, for about a third of people.
  if (dice.chance(0.35)) {
    const first = w.start + dice.between(0, w.trainDays - 6) * DAY;
    const length = dice.weighted([[2, 2], [3, 2], [5, 3], [7, 1]]);
    for (let d = 0; d < length; d++) days.add(first + d * DAY);
  }
  // A day off in the scored week now and then.
  if (dice.chance(0.08)) days.add(w.testStart + dice.between(0, w.testDays - 1) * DAY);
  return days;
}

export interface RosterOptions {
  headcount: number;
  /** New hires joining inside the window (some in the last training days, some in the scored week). */
  newHires: number;
}

export function buildRoster(org: OrgShape, w: Window, opts: RosterOptions, dice: Dice): Person[] {
  const logins = new LoginRegistry();
  const sites = new Map(org.sites.map((s) => [s.key, s]));
  const people: Person[] = [];
  const staff = opts.headcount - org.deviceMailboxes.length;
  const sizes = apportion(org.teams, staff);
  org.teams.forEach((team, ti) => {
    for (let k = 0; k < sizes[ti]; k++) {
      const index = people.length;
      const d = dice.for('person', index);
      const site = sites.get(d.weighted(team.sites)) as SiteDef;
      const name = drawName(site.locale, d);
      const login = logins.claim(loginPart(name));
      const sparse = d.chance(team.sparse);
      const laptop = makeDevice(d.weighted(team.laptops), d.for('laptop'), login.split('.')[0].toUpperCase());
      const phone = d.chance(team.phones) ? makeDevice(d.weighted(team.phoneImages), d.for('phone'), login) : undefined;
      const home = d.one(site.homes);
      const homeAddress = addressIn(NETWORKS[home], d.for('router'));
      people.push({
        index,
        id: d.uuid(),
        login,
        upn: `${login}@${org.domain}`,
        name,
        kind: 'staff',
        team,
        site,
        habits: drawHabits(d.weighted(team.routines), d.for('habits')),
        laptop,
        phone,
        home,
        homeAddress,
        apps: personalApps(org, team, d.for('apps')),
        intensity: sparse ? d.uniform(0.04, 0.1) : Math.exp(d.gauss(0, 0.3)),
        sparse,
        leave: leaveFor(w, d.for('leave')),
      });
    }
  });
  for (const box of org.deviceMailboxes) {
    const index = people.length;
    const d = dice.for('mailbox', index);
    const site = sites.get(box.site) as SiteDef;
    const team = org.teams[0];
    people.push({
      index,
      id: d.uuid(),
      login: logins.claim(box.login),
      upn: `${box.login}@${org.domain}`,
      name: { given: box.login, family: '', display: box.login.replace(/\./g, ' ') },
      kind: 'device-mailbox',
      team,
      site,
      habits: drawHabits('office', d),
      laptop: makeDevice({ form: 'workstation', os: 'Windows 10', browser: 'Edge' }, d, 'MFP'),
      home: site.homes[0],
      homeAddress: addressIn(NETWORKS[site.office], d.for('office-address')),
      apps: [],
      intensity: 1,
      sparse: false,
      leave: new Set(),
    });
  }
  hireSome(people, w, opts.newHires, dice.for('hires'));
  return people;
}

/**
 * New starters: about half join in the last days learnt from (too little history for a model of
 * their own), the rest during the scored week (never seen in training).
 */
function hireSome(people: Person[], w: Window, count: number, dice: Dice): void {
  const candidates = people.filter((p) => p.kind === 'staff' && !p.sparse && p.habits.routine !== 'part-time');
  const lateTrainingDays = [w.trainDays - 4, w.trainDays - 3, w.trainDays - 2].map((i) => w.start + i * DAY).filter((d) => !isWeekend(d));
  const testDays = [0, 1, 2, 3].map((i) => w.testStart + i * DAY).filter((d) => !isWeekend(d));
  dice.some(candidates, count).forEach((p, k) => {
    p.hiredOn = k % 2 === 0 ? dice.one(testDays) : dice.one(lateTrainingDays);
    p.leave.clear();
  });
}

/**
 * Someone outside the staff roster who still gets an account (an external contractor): their own
 * unmanaged laptop, their own home line, office hours, starting on `hiredOn`.
 */
export function externalPerson(org: OrgShape, login: string, home: NetworkName, hiredOn: number, dice: Dice): Person {
  const team = org.teams.find((t) => /platform|software/.test(t.name)) ?? org.teams[0];
  const site = org.sites[0];
  const given = login.replace(/^ext-/, '');
  return {
    index: 100_000 + Math.floor(dice.roll() * 1000),
    id: dice.uuid(),
    login,
    upn: `${login}@${org.domain}`,
    name: { given, family: '', display: `${given} (external)` },
    kind: 'staff',
    team,
    site: { ...site, homes: [home] },
    habits: drawHabits('office', dice.for('habits')),
    laptop: makeDevice({ form: 'laptop', os: 'macOS', browser: 'Chrome' }, dice.for('laptop'), given.toUpperCase()),
    home,
    homeAddress: addressIn(NETWORKS[home], dice.for('router')),
    apps: [],
    intensity: 1,
    sparse: false,
    hiredOn,
    leave: new Set(),
  };
}
