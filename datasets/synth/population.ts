/**
 * The people behind login data and their habits, drawn once per seed: where they live and work,
 * when they work (several shapes, not one office curve), how active they are (heavy-tailed, with
 * some users far too quiet for a model of their own), their devices and favourite apps, and a plan
 * of benign drift over the whole window: trips, vacations, new phones, new apps, changed hours,
 * password changes, new home IPs. The same drift happens in train and test, so novelty alone is
 * never proof of compromise.
 */
import { AppDef, appCatalogue, Dept, DEPTS } from './apps';
import { Device, newComputer } from './devices';
import { Asn, asn, City, city, citiesIn, mobileCarrier, residential } from './geo';
import { buildCompany } from './population_company';
import { nearestOf, planApps, planDevices, planTrips, regionOf, uniqueName } from './population_plans';
import { clamp, Rng } from './rng';
import { makeSchedule, pickShape, Schedule } from './schedules';

export type LoginProfile = 'azure-signin' | 'okta' | 'duo';

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

    const devices = planDevices(r, dept, home, T);
    const apps = planApps(r, catalogue, dept, admin, company, T);

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
