/**
 * The people behind login data and their habits, drawn once per seed: where they live and work,
 * when they work (several shapes, not one office curve), how active they are (heavy-tailed, with
 * some users far too quiet for a model of their own), their devices and favourite apps, and a plan
 * of benign drift over the whole window: trips, vacations, new phones, new apps, changed hours,
 * password changes, new home IPs. The same drift happens in train and test, so novelty alone is
 * never proof of compromise.
 */
import { AppDef, appCatalogue, Dept, DEPTS } from './apps';
import { Device, newComputer, newPhone } from './devices';
import { Asn, asn, businessIsp, City, city, CITIES, citiesIn, mobileCarrier, residential } from './geo';
import { clamp, Rng } from './rng';

export type LoginProfile = 'azure-signin' | 'okta' | 'duo';

export type ScheduleShape = 'office' | 'early' | 'late' | 'flex' | 'night' | 'weekend';

export interface Schedule {
  shape: ScheduleShape;
  /** Local hour the working day usually starts (night shifts: ~21). */
  start: number;
  /** Usual length of the working window, hours. */
  length: number;
  /** Day-to-day standard deviation of the start, hours. */
  jitter: number;
  /** Probability of working on each day of the week (0 = Sunday). */
  workdays: number[];
  /** Probability of an evening check on the phone. */
  eveningP: number;
}

export interface Office {
  id: string;
  city: City;
  asn: Asn;
  /** Egress addresses in the office's pool. */
  ips: number;
  weight: number;
}

export interface Trip {
  from: number;
  /** Exclusive. */
  to: number;
  city: City;
  intl: boolean;
  /** Network the hotel (or client site) uses. */
  hotelAsn: Asn;
  vacation: boolean;
}

export interface AppPref {
  app: AppDef;
  w: number;
  from: number;
  to: number;
}

export interface ServiceSpec {
  /** Minutes between runs. */
  period: number;
  /** Only during office hours (meeting-room devices) or around the clock. */
  businessHours: boolean;
  client: 'desktop' | 'legacy';
  ip: string;
  asn: Asn;
  city: City;
  app: AppDef;
  device: Device;
}

export interface HumanUser {
  idx: number;
  /** Value of the dataset's user field for this user. */
  key: string;
  kind: 'human' | 'service' | 'room';
  first: string;
  last: string;
  displayName: string;
  username: string;
  email: string;
  objectId: string;
  oktaId: string;
  duoKey: string;
  dept: Dept;
  admin: boolean;
  home: City;
  homeAsn: Asn;
  /** Days between home IP changes (Infinity: static). */
  homeIpDays: number;
  homeV6: boolean;
  office: Office | null;
  /** Days of the week the user goes to the office, and how reliably. */
  officeDays: number[];
  officeP: number;
  mobileAsn: Asn;
  vpn: { asn: Asn; city: City; viaOffice: boolean } | null;
  vpnP: number;
  /** Safari traffic through iCloud Private Relay. */
  relay: boolean;
  /** Chance an active day includes a stretch on someone else's network (café, client site, friend's place). */
  elsewhereP: number;
  schedules: { from: number; s: Schedule }[];
  /** Mean activities on a working day. */
  rate: number;
  /** Factor on non-working days. */
  offRate: number;
  devices: Device[];
  desktopPref: number;
  phoneShare: number;
  apps: AppPref[];
  trips: Trip[];
  /** Days off at home (sick days, vacations without travel). */
  absences: { from: number; to: number }[];
  joinDay: number;
  leaveDay: number;
  /** Chance a primary sign-in starts with a mistyped password. */
  typo: number;
  mfaPolicy: 'all' | 'offnet' | 'none';
  passwordChanges: number[];
  service?: ServiceSpec;
}

export interface Company {
  domain: string;
  tenantId: string;
  oktaOrg: string;
  offices: Office[];
  hqRegion: 'us' | 'eu' | 'apac';
  vpn: { asn: Asn; cities: Record<string, City[]> } | null;
  /** An app rolled out to part of the company during the window. */
  rollout: { app: string; day: number; share: number };
}

export interface Population {
  company: Company;
  users: HumanUser[];
}

const FIRST = [
  'James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Linda', 'William', 'Elizabeth', 'Priya', 'Arjun', 'Ananya',
  'Rahul', 'Wei', 'Li', 'Hiroshi', 'Yuki', 'Sofia', 'Lucas', 'Emma', 'Noah', 'Olivia', 'Liam', 'Mateo', 'Camila', 'Lena', 'Jonas',
  'Chloé', 'Louis', 'Giulia', 'Marco', 'Ingrid', 'Lars', 'Aisha', 'Omar', 'Fatima', 'Yusuf', 'Chen', 'Mei', 'Daniel', 'Sarah', 'Kevin',
  'Laura', 'Thomas', 'Anna', 'Ravi', 'Sneha', 'Diego', 'Valentina', 'Kofi', 'Amara', 'Sean', 'Niamh', 'Piotr', 'Zofia', 'Ethan', 'Grace',
  'Ben', 'Hannah', 'Jin', 'Soo-ah', 'Tariq', 'Leila', 'Marek', 'Eva', 'Andrés', 'Lucía', 'Felix', 'Mia',
];
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Patel', 'Sharma', 'Iyer',
  'Reddy', 'Wang', 'Zhang', 'Tanaka', 'Sato', 'Rossi', 'Müller', 'Schmidt', 'Dubois', 'Martin', 'Bernard', 'Andersson', 'Nilsson',
  'Kowalski', 'Nowak', "O'Brien", 'Murphy', 'Kim', 'Lee', 'Park', 'Nguyen', 'Tran', 'Cohen', 'Levi', 'Hassan', 'Ali', 'Khan', 'Silva',
  'Santos', 'Okafor', 'Mensah', 'Taylor', 'Anderson', 'Thomas', 'Moore', 'Jackson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker',
  'Young', 'King', 'Wright', 'Lopez', 'Hill', 'Scott', 'Green', 'Adams', 'Baker', 'Nelson', 'Carter', 'Mitchell', 'Fischer', 'Weber',
];

const DOMAINS = ['contoso.com', 'northwindtraders.com', 'fabrikam.com', 'adventure-works.com', 'tailspintoys.com', 'wingtiptoys.com'];

const OFFICE_SETS: Record<Company['hqRegion'], string[][]> = {
  us: [
    ['New York', 'San Francisco', 'Austin', 'London', 'Bengaluru'],
    ['Boston', 'Chicago', 'Denver', 'Dublin', 'Toronto'],
    ['Seattle', 'San Jose', 'Atlanta', 'Amsterdam', 'Hyderabad', 'Sydney'],
  ],
  eu: [
    ['London', 'Berlin', 'Paris', 'New York', 'Pune'],
    ['Munich', 'Amsterdam', 'Stockholm', 'Warsaw', 'Boston'],
    ['Dublin', 'Madrid', 'Zurich', 'Milan', 'Singapore'],
  ],
  apac: [
    ['Singapore', 'Sydney', 'Tokyo', 'Bengaluru', 'London', 'San Francisco'],
    ['Bengaluru', 'Hyderabad', 'Singapore', 'Dallas', 'London'],
  ],
};

/** Leisure and business destinations, by how often people go there. */
const LEISURE = ['Miami', 'Barcelona', 'Paris', 'London', 'Tokyo', 'Dubai', 'Mexico City', 'Milan', 'Sydney', 'Singapore', 'Madrid', 'Los Angeles', 'Istanbul', 'Zurich'];

const ROLLOUT_APP: Record<LoginProfile, string> = {
  'azure-signin': 'Microsoft 365 Copilot',
  okta: '1Password',
  duo: 'Duo Single Sign-On',
};

const SHAPES: readonly (readonly [ScheduleShape, number])[] = [
  ['office', 0.57],
  ['early', 0.1],
  ['late', 0.1],
  ['flex', 0.13],
  ['night', 0.04],
  ['weekend', 0.06],
];

export function makeSchedule(rng: Rng, shape: ScheduleShape): Schedule {
  const weekday = (p: number, sat: number, sun: number) => [sun, p, p, p, p, p, sat];
  switch (shape) {
    case 'early':
      return { shape, start: clamp(rng.normal(6.3, 0.5), 5, 7.5), length: clamp(rng.normal(8.5, 0.7), 7, 10), jitter: rng.float(0.2, 0.6), workdays: weekday(0.96, rng.float(0, 0.1), rng.float(0, 0.06)), eveningP: rng.float(0, 0.25) };
    case 'late':
      return { shape, start: clamp(rng.normal(10.8, 0.7), 9.5, 13), length: clamp(rng.normal(9.5, 0.8), 8, 12), jitter: rng.float(0.4, 1.0), workdays: weekday(0.95, rng.float(0.02, 0.2), rng.float(0.02, 0.15)), eveningP: rng.float(0.2, 0.6) };
    case 'flex':
      return { shape, start: clamp(rng.normal(9, 1.3), 6, 13), length: clamp(rng.normal(11, 1.5), 8, 15), jitter: rng.float(1.2, 2.5), workdays: weekday(0.93, rng.float(0.05, 0.35), rng.float(0.05, 0.3)), eveningP: rng.float(0.3, 0.8) };
    case 'night': {
      // Shift work: four or five nights a week, not always Monday to Friday.
      const days = rng.shuffle([0, 1, 2, 3, 4, 5, 6]).slice(0, rng.int(4, 5));
      const w = [0, 0, 0, 0, 0, 0, 0].map((_, i) => (days.includes(i) ? 0.95 : 0.04));
      return { shape, start: clamp(rng.normal(21.5, 1), 19, 23.5), length: clamp(rng.normal(8.5, 0.6), 7, 10), jitter: rng.float(0.2, 0.7), workdays: w, eveningP: rng.float(0.1, 0.4) };
    }
    case 'weekend': {
      const off = rng.sample([1, 2, 3, 4], 2);
      const w = [0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95].map((p, i) => (off.includes(i) ? 0.05 : p));
      return { shape, start: clamp(rng.normal(9, 1.5), 6.5, 13), length: clamp(rng.normal(8.5, 0.8), 6, 10), jitter: rng.float(0.3, 1), workdays: w, eveningP: rng.float(0, 0.4) };
    }
    default:
      return { shape: 'office', start: clamp(rng.normal(8.6, 0.8), 6.5, 11), length: clamp(rng.normal(8.8, 0.9), 6.5, 11), jitter: rng.float(0.25, 1.0), workdays: weekday(0.96, rng.float(0.01, 0.12), rng.float(0.01, 0.08)), eveningP: rng.float(0, 0.5) };
  }
}

export function pickShape(rng: Rng, dept: Dept): ScheduleShape {
  if (dept === 'support' || dept === 'operations') {
    return rng.choose<ScheduleShape>([['office', 0.4], ['early', 0.12], ['late', 0.12], ['flex', 0.08], ['night', 0.13], ['weekend', 0.15]]);
  }
  return rng.choose(SHAPES);
}

export function scheduleOn(u: { schedules: { from: number; s: Schedule }[] }, day: number): Schedule {
  let s = (u.schedules[0] as { s: Schedule }).s;
  for (const c of u.schedules) if (c.from <= day) s = c.s;
  return s;
}

export function buildCompany(rng: Rng, profile: LoginProfile): Company {
  const hqRegion = rng.choose<Company['hqRegion']>([['us', 0.6], ['eu', 0.3], ['apac', 0.1]]);
  const set = rng.pick(OFFICE_SETS[hqRegion]);
  const offices: Office[] = set.map((name, i) => {
    const c = city(name);
    return { id: `office-${i}`, city: c, asn: businessIsp(c.cc, rng.fork(`office${i}`)), ips: rng.int(2, 4), weight: i === 0 ? 4 : rng.float(0.6, 2) };
  });
  const vpn = rng.chance(0.6)
    ? {
        asn: asn(62044),
        cities: {
          us: ['Ashburn', 'Chicago', 'San Jose', 'Dallas'].map(city),
          eu: ['Frankfurt am Main', 'Amsterdam', 'London'].map(city),
          apac: ['Singapore', 'Mumbai', 'Tokyo', 'Sydney'].map(city),
        },
      }
    : null;
  return {
    domain: rng.pick(DOMAINS),
    tenantId: rng.uuid(),
    oktaOrg: `${rng.pick(['acme', 'globex', 'initech', 'hooli', 'umbrella'])}.okta.com`,
    offices,
    hqRegion,
    vpn,
    rollout: { app: ROLLOUT_APP[profile], day: 0, share: rng.float(0.15, 0.35) },
  };
}

function regionOf(c: City): 'us' | 'eu' | 'apac' {
  if (c.continent === 'North America' || c.continent === 'South America') return 'us';
  if (c.continent === 'Europe' || c.continent === 'Africa' || c.cc === 'IL' || c.cc === 'TR' || c.cc === 'AE') return 'eu';
  return 'apac';
}

function nearestOf(c: City, list: City[]): City {
  let best = list[0] as City;
  let bd = Infinity;
  for (const x of list) {
    const d = (x.lat - c.lat) ** 2 + (x.lon - c.lon) ** 2;
    if (d < bd) {
      bd = d;
      best = x;
    }
  }
  return best;
}

function uniqueName(rng: Rng, used: Set<string>): { first: string; last: string; username: string } {
  for (let attempt = 0; ; attempt++) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const base = `${first}.${last}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z.-]/g, '');
    const username = attempt < 3 ? base : `${base}${attempt}`;
    if (!used.has(username)) {
      used.add(username);
      return { first, last, username };
    }
  }
}

/** Benign trips and vacations over the whole window. */
function planTrips(rng: Rng, u: { home: City; office: Office | null }, company: Company, totalDays: number): { trips: Trip[]; absences: { from: number; to: number }[] } {
  const trips: Trip[] = [];
  const absences: { from: number; to: number }[] = [];
  const propensity = rng.choose([[0.004, 0.55], [0.025, 0.33], [0.07, 0.12]] as const);
  let d = -rng.int(0, 10);
  while (d < totalDays) {
    if (rng.chance(propensity)) {
      const intl = rng.chance(0.3);
      let dest: City;
      const otherOffices = company.offices.filter((o) => o.city.key !== u.home.key && (intl ? o.city.cc !== u.home.cc : o.city.cc === u.home.cc));
      if (otherOffices.length > 0 && rng.chance(0.6)) dest = rng.pick(otherOffices).city;
      else {
        const pool = intl ? Object.values(CITIES).filter((c) => c.cc !== u.home.cc && ['US', 'GB', 'DE', 'FR', 'NL', 'SG', 'JP', 'IN', 'CA', 'IE', 'ES', 'AU', 'CH', 'AE'].includes(c.cc)) : citiesIn(u.home.cc).filter((c) => c.key !== u.home.key);
        dest = pool.length > 0 ? rng.pick(pool) : u.home;
      }
      if (dest.key !== u.home.key) {
        const len = rng.int(1, intl ? 6 : 4);
        const hotel = rng.chance(0.7) ? residential(dest.cc, rng) : businessIsp(dest.cc, rng);
        trips.push({ from: d, to: d + len, city: dest, intl: dest.cc !== u.home.cc, hotelAsn: hotel, vacation: false });
        d += len + rng.int(3, 10);
        continue;
      }
    }
    if (rng.chance(0.012)) {
      // A vacation: away (phone only, a new place) or at home (quiet days).
      const len = rng.int(3, 11);
      if (rng.chance(0.45)) {
        const name = rng.pick(LEISURE);
        const dest = CITIES[name] ?? u.home;
        if (dest.key !== u.home.key) trips.push({ from: d, to: d + len, city: dest, intl: dest.cc !== u.home.cc, hotelAsn: residential(dest.cc, rng), vacation: true });
        else absences.push({ from: d, to: d + len });
      } else absences.push({ from: d, to: d + len });
      d += len + rng.int(5, 20);
      continue;
    }
    if (rng.chance(0.012)) absences.push({ from: d, to: d + 1 });
    d++;
  }
  return { trips, absences };
}

function pickApps(rng: Rng, catalogue: AppDef[], dept: Dept, admin: boolean, from: number, to: number): AppPref[] {
  const eligible = catalogue.filter((a) => !a.admin || admin);
  const weights = eligible.map((a) => a.pop * (a.depts?.[dept] ?? 1));
  const k = clamp(2 + rng.poisson(3.2), 2, 11);
  const chosen = rng.sampleWeighted(eligible, weights, k);
  // Heavy-tailed use of one's own apps: the first few take most sign-ins.
  return chosen.map((app, r) => ({ app, w: (1 / Math.pow(r + 1, 1.1)) * rng.float(0.6, 1.4), from, to }));
}

export interface PopulationOptions {
  profile: LoginProfile;
  users: number;
  totalDays: number;
  trainDays: number;
  /** Mean activities per user on a working day. */
  meanRate: number;
}

export function buildPopulation(root: Rng, opts: PopulationOptions): Population {
  const rng = root.fork('population');
  const company = buildCompany(rng.fork('company'), opts.profile);
  const catalogue = appCatalogue(opts.profile);
  // Roll-outs land around the train/test boundary: org-wide benign novelty in test.
  company.rollout.day = opts.trainDays + rng.int(-Math.min(5, opts.trainDays - 1), Math.max(0, Math.floor((opts.totalDays - opts.trainDays) / 2)));
  const used = new Set<string>();
  const users: HumanUser[] = [];
  const serviceShare = opts.profile === 'azure-signin' ? 0.045 : opts.profile === 'okta' ? 0.015 : 0;
  const T = opts.totalDays;
  for (let i = 0; i < opts.users; i++) {
    const r = rng.fork(`u${i}`);
    const kind: HumanUser['kind'] = r.chance(serviceShare) ? (opts.profile === 'azure-signin' && r.chance(0.4) ? 'room' : 'service') : 'human';
    const dept = r.choose(DEPTS);
    const admin = dept === 'it' && r.chance(0.4);
    const name = uniqueName(r, used);
    const office = r.weighted(company.offices, company.offices.map((o) => o.weight));
    const remote = r.chance(0.25);
    let home = office.city;
    if (remote || r.chance(0.3)) {
      const same = citiesIn(office.city.cc).filter((c) => !['Ashburn', 'Boardman', 'Piscataway', 'Roubaix', 'Falkenstein'].includes(c.key));
      home = same.length > 0 ? r.pick(same) : office.city;
    }
    const homeAsn = residential(home.cc, r);
    const schedule = makeSchedule(r, pickShape(r, dept));
    const schedules = [{ from: -1000, s: schedule }];
    // Changed hours: a new team, a new timezone for a manager, school term starting.
    for (let d = 0; d < T; d += 30) {
      if (r.chance(0.06)) {
        const s2: Schedule = r.chance(0.3) ? makeSchedule(r, pickShape(r, dept)) : { ...schedule, start: clamp(schedule.start + r.pick([-2, -1.5, -1, 1, 1.5, 2, 3]), 4, 23) };
        schedules.push({ from: d + r.int(0, 29), s: s2 });
      }
    }
    // Activity: heavy-tailed, with a quiet minority that never reaches a model of its own.
    const quiet = r.chance(0.08);
    const sigma = 0.85;
    let rate = quiet ? r.float(0.03, 0.35) : opts.meanRate * r.lognormal(-sigma * sigma / 2, sigma);
    if (dept === 'engineering' || dept === 'it') rate *= 1.15;
    if (dept === 'exec') rate *= 0.8;
    const joinDay = r.chance(0.03) ? r.int(3, Math.max(4, T - 3)) : -1000;
    const leaveDay = r.chance(0.015) ? r.int(Math.min(10, T - 1), T) : 100000;

    // Devices.
    const macShare = dept === 'engineering' || dept === 'marketing' ? 0.45 : 0.22;
    const linuxShare = dept === 'engineering' ? 0.08 : 0;
    const iosShare = home.cc === 'US' || home.cc === 'JP' || home.cc === 'GB' || home.cc === 'AU' ? 0.62 : home.cc === 'IN' || home.cc === 'BR' ? 0.2 : 0.42;
    const devices: Device[] = [];
    let cStart = -1000;
    for (let d = 0; d < T; d += 30) {
      if (r.chance(0.02)) {
        const switchDay = d + r.int(0, 29);
        devices.push(newComputer(r, { macShare, linuxShare, managed: true, from: cStart, to: switchDay }));
        cStart = switchDay;
      }
    }
    devices.push(newComputer(r, { macShare, linuxShare, managed: true, from: cStart, to: 100000 }));
    if (r.chance(0.88)) {
      let pStart = -1000;
      let ios = r.chance(iosShare);
      for (let d = 0; d < T; d += 30) {
        if (r.chance(0.04)) {
          const switchDay = d + r.int(0, 29);
          devices.push(newPhone(r, { iosShare: ios ? 1 : 0, from: pStart, to: switchDay }));
          pStart = switchDay;
          if (r.chance(0.15)) ios = !ios;
        }
      }
      devices.push(newPhone(r, { iosShare: ios ? 1 : 0, from: pStart, to: 100000 }));
    }
    if (r.chance(0.2)) devices.push(newComputer(r, { macShare: 0.4, linuxShare: 0.03, managed: false, from: r.chance(0.85) ? -1000 : r.int(0, T), to: 100000 }));
    if (r.chance(0.05)) {
      const tab = newPhone(r, { iosShare: 0.8, from: -1000, to: 100000 });
      tab.kind = 'tablet';
      tab.model = tab.os === 'ios' ? 'iPad' : 'Galaxy Tab S9';
      devices.push(tab);
    }

    // Apps, adoption and abandonment.
    const apps = pickApps(r, catalogue, dept, admin, -1000, 100000);
    for (let d = 0; d < T; d += 30) {
      if (r.chance(0.14)) {
        const have = new Set(apps.map((a) => a.app.name));
        const rest = catalogue.filter((a) => !have.has(a.name) && (!a.admin || admin));
        if (rest.length > 0) {
          const app = r.weighted(rest, rest.map((a) => a.pop * (a.depts?.[dept] ?? 1)));
          const maxW = Math.max(...apps.map((a) => a.w));
          apps.push({ app, w: maxW * r.float(0.05, 0.45), from: d + r.int(0, 29), to: 100000 });
        }
      }
      if (r.chance(0.04) && apps.length > 3) {
        const victim = apps[r.int(2, apps.length - 1)] as AppPref;
        victim.to = d + r.int(0, 29);
      }
    }
    const rolloutApp = catalogue.find((a) => a.name === company.rollout.app);
    if (rolloutApp && r.chance(company.rollout.share) && !apps.some((a) => a.app === rolloutApp)) {
      const maxW = Math.max(...apps.map((a) => a.w));
      apps.push({ app: rolloutApp, w: maxW * r.float(0.1, 0.5), from: company.rollout.day + r.int(0, 4), to: 100000 });
    }

    const region = regionOf(home);
    let vpn: HumanUser['vpn'] = null;
    if (r.chance(0.45)) {
      if (company.vpn) vpn = { asn: company.vpn.asn, city: nearestOf(home, company.vpn.cities[region] ?? []), viaOffice: false };
      else {
        const hq = company.offices[0] as Office;
        vpn = { asn: hq.asn, city: hq.city, viaOffice: true };
      }
    }
    const hasApple = devices.some((d) => d.browser === 'safari');
    const { trips, absences } = kind === 'human' ? planTrips(r, { home, office }, company, T) : { trips: [], absences: [] };
    const passwordChanges: number[] = [];
    const cycle = r.chance(0.7) ? 90 : 180;
    for (let d = r.int(0, cycle - 1) - cycle; d < T; d += cycle + r.int(-5, 5)) if (d >= 0) passwordChanges.push(d);

    const objectId = r.uuid();
    const oktaId = `00u${r.alnum(17)}`;
    const duoKey = `DU${r.upperAlnum(18)}`;
    let username = name.username;
    let displayName = `${name.first} ${name.last}`;
    let service: ServiceSpec | undefined;
    let userRate = rate;
    if (kind !== 'human') {
      const label = kind === 'room' ? `room-${office.city.key.toLowerCase().replace(/[^a-z]/g, '')}-${r.int(1, 40)}${r.pick(['a', 'b', 'c'])}` : r.pick(['svc-scanner', 'svc-mailer', 'svc-sync', 'svc-backup', 'svc-powerbi-gw', 'svc-crm-integration', 'svc-reporting', 'noreply-alerts']) + `-${r.int(1, 99)}`;
      username = label;
      displayName = kind === 'room' ? `Conference Room ${label.split('-').slice(-1)[0]?.toUpperCase()}` : label;
      used.add(label);
      const dc = r.chance(0.6);
      const svcAsn = dc ? asn(8075) : office.asn;
      const svcCity = dc ? (region === 'eu' ? city('Amsterdam') : region === 'apac' ? city('Singapore') : city('Ashburn')) : office.city;
      const dev = newComputer(r, { macShare: 0, linuxShare: 0, managed: true, from: -1000, to: 100000 });
      const svcApp = catalogue.find((a) => a.name === (kind === 'room' ? (opts.profile === 'okta' ? 'Zoom' : 'Microsoft Teams') : r.pick(opts.profile === 'okta' ? ['Okta Dashboard', 'Salesforce.com', 'Box'] : ['Office 365 Exchange Online', 'Microsoft Office', 'Microsoft Power BI']))) ?? (catalogue[0] as AppDef);
      service = {
        period: kind === 'room' ? r.pick([60, 90, 120, 180]) : r.pick([20, 30, 60, 60, 120, 240, 480]),
        businessHours: kind === 'room',
        client: kind === 'service' && r.chance(0.45) ? 'legacy' : 'desktop',
        ip: `${svcAsn.blocks[0]?.[0] ?? 20}.${r.int(1, 250)}.${r.int(1, 250)}.${r.int(2, 250)}`,
        asn: svcAsn,
        city: svcCity,
        app: svcApp,
        device: dev,
      };
      userRate = (24 * 60) / service.period;
    }
    const u: HumanUser = {
      idx: i,
      key: '',
      kind,
      first: name.first,
      last: name.last,
      displayName,
      username,
      email: `${username}@${company.domain}`,
      objectId,
      oktaId,
      duoKey,
      dept,
      admin,
      home,
      homeAsn,
      homeIpDays: r.chance(0.3) ? Infinity : r.float(5, 70),
      homeV6: !!homeAsn.v6 && r.chance(0.35),
      office: remote ? null : office,
      officeDays: remote ? [] : r.sample([1, 2, 3, 4, 5], r.choose([[5, 0.3], [3, 0.35], [2, 0.2], [1, 0.15]] as const)),
      officeP: r.float(0.6, 0.97),
      mobileAsn: mobileCarrier(home.cc, r),
      vpn,
      vpnP: vpn ? r.float(0.1, 0.8) : 0,
      relay: hasApple && r.chance(0.2),
      elsewhereP: clamp(r.lognormal(Math.log(0.08), 0.9), 0.005, 0.6),
      schedules,
      rate: userRate,
      offRate: r.float(0.04, 0.25),
      devices,
      desktopPref: r.float(0.3, 0.9),
      phoneShare: r.float(0.08, 0.45),
      apps,
      trips,
      absences,
      joinDay,
      leaveDay,
      typo: clamp(r.lognormal(Math.log(0.025), 0.7), 0.002, 0.2),
      mfaPolicy: r.choose([['all', 0.7], ['offnet', 0.25], ['none', 0.05]] as const),
      passwordChanges,
      ...(service ? { service } : {}),
    };
    u.key = opts.profile === 'azure-signin' ? objectId : opts.profile === 'okta' ? oktaId : duoKey;
    users.push(u);
  }
  return { company, users };
}

export function tripOn(u: HumanUser, day: number): Trip | null {
  for (const t of u.trips) if (day >= t.from && day < t.to) return t;
  return null;
}

export function absentOn(u: HumanUser, day: number): boolean {
  for (const a of u.absences) if (day >= a.from && day < a.to) return true;
  return false;
}

export function devicesOn(u: HumanUser, day: number): Device[] {
  return u.devices.filter((d) => day >= d.from && day < d.to);
}

export function appsOn(u: HumanUser, day: number): AppPref[] {
  return u.apps.filter((a) => day >= a.from && day < a.to);
}
