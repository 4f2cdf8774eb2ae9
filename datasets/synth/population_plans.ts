/**
 * Per-person plans drawn once per seed for the login population: names, where the nearest VPN
 * exit is, benign trips and vacations, devices (with new computers and phones over the window),
 * and favourite apps (with adoption and abandonment).
 */
import type { AppDef, Dept } from './apps';
import { Device, newComputer, newPhone } from './devices';
import { businessIsp, City, CITIES, citiesIn, residential } from './geo';
import type { AppPref, Company, Office, Trip } from './population';
import { clamp, Rng } from './rng';

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

/** Leisure and business destinations, by how often people go there. */
const LEISURE = ['Miami', 'Barcelona', 'Paris', 'London', 'Tokyo', 'Dubai', 'Mexico City', 'Milan', 'Sydney', 'Singapore', 'Madrid', 'Los Angeles', 'Istanbul', 'Zurich'];

export function regionOf(c: City): 'us' | 'eu' | 'apac' {
  if (c.continent === 'North America' || c.continent === 'South America') return 'us';
  if (c.continent === 'Europe' || c.continent === 'Africa' || c.cc === 'IL' || c.cc === 'TR' || c.cc === 'AE') return 'eu';
  return 'apac';
}

export function nearestOf(c: City, list: City[]): City {
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

export function uniqueName(rng: Rng, used: Set<string>): { first: string; last: string; username: string } {
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
export function planTrips(rng: Rng, u: { home: City; office: Office | null }, company: Company, totalDays: number): { trips: Trip[]; absences: { from: number; to: number }[] } {
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

export function pickApps(rng: Rng, catalogue: AppDef[], dept: Dept, admin: boolean, from: number, to: number): AppPref[] {
  const eligible = catalogue.filter((a) => !a.admin || admin);
  const weights = eligible.map((a) => a.pop * (a.depts?.[dept] ?? 1));
  const k = clamp(2 + rng.poisson(3.2), 2, 11);
  const chosen = rng.sampleWeighted(eligible, weights, k);
  // Heavy-tailed use of one's own apps: the first few take most sign-ins.
  return chosen.map((app, r) => ({ app, w: (1 / Math.pow(r + 1, 1.1)) * rng.float(0.6, 1.4), from, to }));
}

/** A person's devices over the window: computers and phones replaced now and then, maybe a personal computer or a tablet. */
export function planDevices(r: Rng, dept: Dept, home: City, T: number): Device[] {
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
  return devices;
}

/** A person's apps, with adoption of new ones and abandonment over the window, and the company's roll-out. */
export function planApps(r: Rng, catalogue: AppDef[], dept: Dept, admin: boolean, company: Company, T: number): AppPref[] {
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
  return apps;
}
