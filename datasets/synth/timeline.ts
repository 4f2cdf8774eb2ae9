/**
 * Benign activity of one login user on one day: when they sign in (from their schedule, in the
 * local time of wherever they are), on which device, to which app, through which network. The
 * result is profile-neutral; azure_signin.ts, okta.ts and duo.ts turn activities into documents.
 */
import type { AppDef } from './apps';
import type { ClientKind, Device } from './devices';
import { Asn, asn as asnOf, asnsIn, City, hubCity, ipFor, NetGeo } from './geo';
import { newComputer } from './devices';
import { absentOn, appsOn, devicesOn, HumanUser, tripOn } from './population';
import { scheduleOn } from './schedules';
import { hash32, Rng } from './rng';
import { DAY, HOUR, utcOffset } from './time';

export type NetKind = 'home' | 'office' | 'mobile' | 'roaming' | 'vpn' | 'hotel' | 'relay' | 'datacenter' | 'attacker';

export interface NetCtx {
  kind: NetKind;
  ip: string;
  /** null when GeoIP's ASN database has no entry for the address. */
  asn: Asn | null;
  geo: NetGeo;
  /** Where the person actually is (the identity provider's own location). */
  where: City;
  /** Inside a corporate network zone (office, VPN). */
  trusted: boolean;
}

export interface Activity {
  t: number;
  day: number;
  user: HumanUser;
  device: Device;
  client: ClientKind;
  app: AppDef;
  net: NetCtx;
  sessionStart: boolean;
  interactive: boolean;
  session: string;
  /** Travelling or on vacation. */
  away: boolean;
  /** The device came into use in the last few days. */
  newDevice: boolean;
  /** The user changed their password today. */
  passwordDay: boolean;
}

export interface DayEnv {
  startMs: number;
}

/** The GeoIP city of a home connection: usually the user's city, for some ISPs a nearby hub. */
function homeGeo(u: HumanUser): NetGeo {
  const h = hash32(`homegeo:${u.idx}:${u.username}`);
  if (h % 25 === 0) return { city: u.home, noCity: true };
  if (h % 5 === 1) return { city: hubCity(u.home.cc, new Rng(`hub:${u.idx}`), u.home) };
  return { city: u.home };
}

export function homeNet(u: HumanUser, day: number): NetCtx {
  const epoch = Number.isFinite(u.homeIpDays) ? Math.floor((day + (hash32(u.username) % 97)) / u.homeIpDays) : 0;
  return {
    kind: 'home',
    ip: ipFor(u.homeAsn, u.home.key, `home:${u.idx}:${epoch}`, u.homeV6),
    asn: u.homeAsn,
    geo: homeGeo(u),
    where: u.home,
    trusted: false,
  };
}

export function officeNet(u: HumanUser, day: number, salt: number): NetCtx | null {
  const o = u.office;
  if (!o) return null;
  const k = (hash32(`${day}:${salt}`) % o.ips) | 0;
  return { kind: 'office', ip: ipFor(o.asn, o.city.key, `${o.id}:${k}`), asn: o.asn, geo: { city: o.city }, where: o.city, trusted: true };
}

export function mobileNet(u: HumanUser, where: City, slot: string, roaming: boolean): NetCtx {
  const r = new Rng(`mob:${u.idx}:${slot}`);
  const carrier = u.mobileAsn;
  // Carrier-grade NAT: addresses change often and geolocate to the carrier's hubs, not the phone.
  const geoCity = hubCity(roaming ? u.home.cc : where.cc, r, roaming ? u.home : where);
  return {
    kind: roaming ? 'roaming' : 'mobile',
    ip: ipFor(carrier, geoCity.key, `m:${u.idx}:${slot}`, !!carrier.v6 && r.chance(0.5)),
    asn: r.chance(0.97) ? carrier : null,
    geo: { city: roaming ? geoCity : r.chance(0.7) && where.cc === geoCity.cc ? where : geoCity },
    where,
    trusted: false,
  };
}

function vpnNet(u: HumanUser, day: number, where: City): NetCtx | null {
  if (!u.vpn) return null;
  const v = u.vpn;
  return {
    kind: 'vpn',
    ip: ipFor(v.asn, v.city.key, v.viaOffice ? `office-0:${day % 2}` : `zs:${(day + u.idx) % 6}`),
    asn: v.asn,
    geo: { city: v.city },
    where,
    trusted: true,
  };
}

function relayNet(u: HumanUser, day: number, where: City): NetCtx {
  const r = new Rng(`relay:${u.idx}:${day}`);
  const a = asnOf(r.chance(0.6) ? 36183 : 13335);
  const geoCity = hubCity(where.cc, r, where);
  return { kind: 'relay', ip: ipFor(a, geoCity.key, `r:${u.idx}:${day}`), asn: a, geo: { city: geoCity }, where, trusted: false };
}

/** Someone else's network in the city: a café, a client's office, a co-working space, a friend's home. */
function elsewhereNet(u: HumanUser, where: City, day: number, rng: Rng): NetCtx {
  const own = new Set<number>([u.homeAsn.number, u.mobileAsn.number, u.office?.asn.number ?? -1]);
  const pool = asnsIn(where.cc, 'residential')
    .concat(asnsIn(where.cc, 'business'), asnsIn(where.cc, 'mobile'), [asnOf(174)])
    .filter((a) => !own.has(a.number));
  const a = pool.length > 0 ? rng.pick(pool) : asnOf(174);
  const geoCity = rng.chance(0.7) ? where : hubCity(where.cc, rng, where);
  return { kind: 'hotel', ip: ipFor(a, geoCity.key, `else:${u.idx}:${day}:${rng.int(0, 999)}`), asn: rng.chance(0.97) ? a : null, geo: { city: geoCity }, where, trusted: false };
}

function hotelNet(u: HumanUser, tripFrom: number, a: Asn, c: City): NetCtx {
  return { kind: 'hotel', ip: ipFor(a, c.key, `hotel:${u.idx}:${tripFrom}`), asn: a, geo: { city: c }, where: c, trusted: false };
}

/** Whether a device can reach an app at all (no randomness: used to filter candidates). */
function reachable(app: AppDef, dev: Device): boolean {
  if (app.windowsOnly && (dev.kind !== 'computer' || dev.os !== 'windows')) return false;
  if (dev.kind === 'computer') return app.clients.includes('desktop') || app.clients.includes('browser');
  return app.clients.includes('mobile') || app.clients.includes('browser');
}

/** How a device reaches an app: installed client or browser, by the user's habits. */
function clientFor(app: AppDef, dev: Device, u: HumanUser, rng: Rng): ClientKind {
  if (dev.kind === 'computer') {
    const desk = app.clients.includes('desktop');
    const web = app.clients.includes('browser');
    if (desk && web) return rng.chance(u.desktopPref) ? 'desktop' : 'browser';
    return desk ? 'desktop' : 'browser';
  }
  if (app.clients.includes('mobile')) return app.clients.includes('browser') && rng.chance(0.15) ? 'browser' : 'mobile';
  return 'browser';
}

/** The local midnight (in UTC ms) of day `day` for someone in city c. */
export function localMidnight(startMs: number, day: number, c: City): number {
  const off = utcOffset(c.tz, c.dst, startMs + day * DAY + 12 * HOUR);
  return startMs + day * DAY - off * HOUR;
}

export function humanDay(u: HumanUser, day: number, env: DayEnv, rng: Rng): Activity[] {
  if (day < u.joinDay || day >= u.leaveDay) return [];
  if (u.kind !== 'human') return serviceDay(u, day, env, rng);
  const trip = tripOn(u, day);
  const here = trip ? trip.city : u.home;
  const day0 = localMidnight(env.startMs, day, here);
  const dow = new Date(env.startMs + day * DAY).getUTCDay();
  const sched = scheduleOn(u, day);
  const vacation = absentOn(u, day) || (trip?.vacation ?? false);
  let workday = !vacation && rng.chance(sched.workdays[dow] ?? 0);
  if (trip && !trip.vacation && dow >= 1 && dow <= 5) workday = true;
  let mean = u.rate * (workday ? 1 : u.offRate);
  if (vacation) mean = u.rate * rng.float(0, 0.12);
  if (dow === 1) mean *= 1.12;
  if (dow === 5) mean *= 0.88;
  if (trip && !trip.vacation) mean *= 0.8;
  const n = rng.negbin(mean, 2.2);
  if (n === 0) return [];

  const devs = devicesOn(u, day);
  const computers = devs.filter((d) => d.kind === 'computer');
  const work = computers.find((d) => d.managed) ?? computers[0];
  const personal = computers.find((d) => !d.managed);
  const phones = devs.filter((d) => d.kind !== 'computer');
  if (!work && phones.length === 0) return [];

  let mode: 'office' | 'home' | 'trip' = trip ? 'trip' : 'home';
  if (!trip && workday && u.office && u.officeDays.includes(dow) && rng.chance(u.officeP)) mode = 'office';
  const vpnToday = !!u.vpn && mode !== 'office' && !vacation && rng.chance(u.vpnP);
  const start = workday ? sched.start + rng.normal(0, sched.jitter) : rng.float(8.5, 15);
  const len = workday ? Math.max(3, sched.length + rng.normal(0, 0.8)) : rng.float(0.5, 4);
  const second = start + len * rng.float(0.4, 0.6);
  const apps = appsOn(u, day);
  const passwordDay = u.passwordChanges.includes(day);

  const home = homeNet(u, day);
  const office = officeNet(u, day, u.idx);
  const vpn = vpnToday ? vpnNet(u, day, here) : null;
  const hotel = trip ? hotelNet(u, trip.from, trip.hotelAsn, trip.city) : null;
  const deskNet = mode === 'office' && office ? office : vpn ?? (hotel ?? home);
  // Some days include a stretch on someone else's network (both laptop and phone use it).
  const spot = !vacation && rng.chance(u.elsewhereP) ? { from: 0, to: 0, net: elsewhereNet(u, here, day, rng) } : null;
  if (spot) {
    spot.from = workday ? start + rng.next() * len : rng.float(10, 20);
    spot.to = spot.from + rng.float(0.5, 3);
  }
  const pw = sched.eveningP * 0.6;
  const phoneWeights = [0.55, pw, 0.12, 0.05];

  const out: Activity[] = [];
  for (let i = 0; i < n; i++) {
    let usePhone = phones.length > 0 && rng.chance(vacation ? 0.92 : workday ? u.phoneShare : 0.7);
    if (!work) usePhone = true;
    let h: number;
    if (usePhone) {
      const k = rng.weightedIndex(phoneWeights);
      h = k === 0 ? start + rng.next() * len : k === 1 ? rng.float(18, 23.7) : k === 2 ? rng.float(Math.max(5, start - 2.5), Math.max(5.2, start)) : rng.float(0, 24);
    } else {
      const r = rng.next();
      h = r < 0.22 ? start + rng.exp(0.12) : r < 0.32 ? second + rng.exp(0.12) : start + rng.next() * len;
    }
    if (spot && rng.chance(0.25)) h = spot.from + rng.next() * (spot.to - spot.from);
    let dev: Device = usePhone ? (rng.chance(0.85) ? (phones[0] as Device) : rng.pick(phones)) : (work as Device);
    if (!usePhone && personal && mode === 'home' && (!workday || h > start + len) && rng.chance(0.6)) dev = personal;

    let total = 0;
    for (const p of apps) if (reachable(p.app, dev)) total += p.w;
    if (total <= 0) continue;
    let pickR = rng.next() * total;
    let app = (apps[0] as { app: AppDef }).app;
    for (const p of apps) {
      if (!reachable(p.app, dev)) continue;
      pickR -= p.w;
      app = p.app;
      if (pickR < 0) break;
    }
    const pick = { app, client: clientFor(app, dev, u, rng) };

    let net: NetCtx;
    if (spot && h >= spot.from && h <= spot.to && (dev.kind === 'computer' || rng.chance(0.8))) net = spot.net;
    else if (dev.kind === 'computer') net = deskNet;
    else {
      const inWindow = h >= start - 0.3 && h <= start + len + 0.3;
      const place = mode === 'office' && !inWindow ? 'home' : mode;
      const wifi = rng.chance(place === 'office' ? 0.55 : place === 'home' ? 0.72 : 0.45);
      if (wifi) net = place === 'office' && office ? office : place === 'trip' && hotel ? hotel : home;
      else net = mobileNet(u, here, `${day}:${Math.floor(h / 2)}`, !!trip && trip.intl);
    }
    if (u.relay && dev.browser === 'safari' && pick.client === 'browser' && net.kind !== 'office' && net.kind !== 'vpn') net = relayNet(u, day, here);

    const t = Math.floor(day0 + h * HOUR) + rng.int(0, 59_999);
    out.push({
      t,
      day,
      user: u,
      device: dev,
      client: pick.client,
      app: pick.app,
      net,
      sessionStart: false,
      interactive: false,
      session: '',
      away: !!trip || vacation,
      newDevice: dev.from > -1000 && day - dev.from < 3,
      passwordDay,
    });
  }
  // Now and then a borrowed or shared computer (a colleague's laptop, a meeting-room PC).
  if (workday && work && rng.chance(0.006)) {
    const borrowed = newComputer(rng, { macShare: 0.3, linuxShare: 0, managed: rng.chance(0.5), from: day, to: day + 1 });
    const web = apps.filter((p) => p.app.clients.includes('browser'));
    for (let k = rng.int(1, 3); k > 0 && web.length > 0; k--) {
      const app = rng.weighted(web, web.map((p) => p.w)).app;
      out.push({ t: Math.floor(day0 + (start + rng.next() * len) * HOUR), day, user: u, device: borrowed, client: 'browser', app, net: deskNet, sessionStart: false, interactive: false, session: '', away: !!trip, newDevice: true, passwordDay });
    }
  }
  out.sort((a, b) => a.t - b.t);
  markSessions(out, rng);
  return out;
}

/** First use of a device in a stretch of 3+ hours starts an (interactive) session. */
function markSessions(acts: Activity[], rng: Rng): void {
  const last = new Map<Device, { t: number; id: string }>();
  for (const a of acts) {
    const prev = last.get(a.device);
    if (!prev || a.t - prev.t > 3 * HOUR) {
      a.sessionStart = true;
      a.session = rng.uuid();
      a.interactive = a.client === 'mobile' ? rng.chance(0.4) : true;
    } else {
      a.session = prev.id;
      a.interactive = a.client === 'browser' ? rng.chance(0.3) : rng.chance(0.07);
    }
    last.set(a.device, { t: a.t, id: a.session });
  }
}

/** Service accounts and meeting-room devices: periodic, fixed network, fixed app. */
function serviceDay(u: HumanUser, day: number, env: DayEnv, rng: Rng): Activity[] {
  const s = u.service;
  if (!s) return [];
  const day0 = localMidnight(env.startMs, day, s.city);
  const dow = new Date(env.startMs + day * DAY).getUTCDay();
  const net: NetCtx = { kind: 'datacenter', ip: s.ip, asn: s.asn, geo: { city: s.city }, where: s.city, trusted: s.asn.kind !== 'cloud' };
  const out: Activity[] = [];
  const session = rng.uuid();
  for (let m = rng.float(0, s.period); m < 1440; m += s.period * rng.float(0.92, 1.08)) {
    const h = m / 60;
    if (s.businessHours && (dow === 0 || dow === 6 || h < 7 || h > 19) && !rng.chance(0.04)) continue;
    if (rng.chance(0.02)) continue;
    out.push({
      t: Math.floor(day0 + m * 60_000) + rng.int(0, 9_999),
      day,
      user: u,
      device: s.device,
      client: s.client,
      app: s.app,
      net,
      sessionStart: out.length === 0,
      interactive: false,
      session,
      away: false,
      newDevice: false,
      passwordDay: false,
    });
  }
  return out;
}
