/**
 * A benign CloudTrail day for one principal, by its schedule: customer traffic (Lambda, ECS),
 * periodic polls (EKS nodes, vendors, AWS services), nightly jobs (Terraform, backups, audits), CI
 * runs from fresh hosted runners, and people (see cloudtrail_humans). Calls carry hourly-rotating
 * session credentials, benign error episodes and the odd DR test in another region.
 */
import type { Call } from './cloudtrail_catalog';
import { humanDay } from './cloudtrail_humans';
import type { CtCall, CtEnv, Principal } from './cloudtrail_types';
import { asn, City, city, ipFor } from './geo';
import { hash32, Rng } from './rng';
import type { NetCtx } from './timeline';
import { localMidnight } from './timeline';
import { DAY, HOUR, MIN } from './time';

function pickCall(p: Principal, day: number, rng: Rng): Call {
  let total = 0;
  for (const c of p.calls) if (c.from <= day) total += c.w;
  let r = rng.next() * total;
  for (const c of p.calls) {
    if (c.from > day) continue;
    r -= c.w;
    if (r < 0) return c.v;
  }
  return (p.calls[0] as { v: Call }).v;
}

function pickRegion(p: Principal, day: number, rng: Rng): string {
  for (const rt of p.regionTests) if (rt.day === day && rng.chance(0.5)) return rt.region;
  return rng.weighted(p.regions, p.regions.map((r) => r.w)).v;
}

function sourceOf(p: Principal, rng: Rng): NetCtx | string {
  if (p.net === 'service') return p.serviceHost;
  const ips = p.egress.ips;
  const ip = ips.length > 0 ? (ips[rng.int(0, ips.length - 1)] as string) : ipFor(p.egress.asn, p.egress.city.key, `x:${p.idx}`);
  return { kind: 'datacenter', ip, asn: p.egress.asn, geo: { city: p.egress.city }, where: p.egress.city, trusted: p.net === 'office' };
}

const keyCache = new WeakMap<Principal, Map<number, string>>();

/** Automation's session credentials rotate hourly. */
function autoSession(p: Principal, t: number): { key: string; start: number } {
  const hour = Math.floor(t / HOUR);
  if (p.type === 'IAMUser') return { key: p.accessKey, start: hour * HOUR };
  let m = keyCache.get(p);
  if (!m) {
    m = new Map();
    keyCache.set(p, m);
  }
  let key = m.get(hour);
  if (!key) {
    key = `ASIA${new Rng(`k:${p.name}:${hour}`).upperAlnum(16)}`;
    m.set(hour, key);
  }
  return { key, start: hour * HOUR };
}

function incidentFor(p: Principal, day: number, h: number): Principal['incidents'][number] | null {
  for (const inc of p.incidents) if (inc.day === day && h >= inc.fromH && h < inc.toH) return inc;
  return null;
}

function automationCall(p: Principal, t: number, day: number, call: Call, region: string, src: NetCtx | string, ua: string, session: string, rng: Rng): CtCall {
  const s = autoSession(p, t);
  const c: CtCall = { t, svc: call[0], action: call[1], region, src, ua, session, accessKey: s.key, sessionStart: s.start, mfa: false };
  const inc = incidentFor(p, day, (t % DAY) / HOUR);
  if (inc && rng.chance(0.7)) c.err = inc.code;
  else if (rng.chance(0.002)) c.err = 'ThrottlingException';
  return c;
}

function trafficHour(rng: Rng): number {
  // Customer traffic: a daytime hump on a floor of night-time activity.
  if (rng.chance(0.22)) return rng.float(0, 24);
  return Math.min(23.99, Math.max(0, rng.normal(14, 4)));
}

export function principalDay(p: Principal, day: number, env: CtEnv, rng: Rng): CtCall[] {
  const out: CtCall[] = [];
  const dow = new Date(env.startMs + day * DAY).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const regionCityObj: City = city(p.home.city);
  const day0 = localMidnight(env.startMs, day, regionCityObj);
  const session = p.sessionName(day, rng);
  // SDK user agents change on redeploys, not per call: one string per principal and day.
  const dayUa = p.schedule === 'ci' ? '' : p.ua(day0 + 12 * HOUR, day, rng);
  const uaOf = (t: number): string => (p.schedule === 'ci' ? p.ua(t, day, rng) : dayUa);
  switch (p.schedule) {
    case 'traffic': {
      const n = rng.negbin(p.rate * (weekend ? 0.6 : 1), 6);
      for (let i = 0; i < n; ) {
        const t = Math.floor(day0 + trafficHour(rng) * HOUR);
        const region = pickRegion(p, day, rng);
        const src = sourceOf(p, rng);
        const k = Math.min(n - i, rng.int(1, 3));
        for (let j = 0; j < k; j++, i++) out.push(automationCall(p, t + j * rng.int(20, 900), day, pickCall(p, day, rng), region, src, uaOf(t), session, rng));
      }
      break;
    }
    case 'periodic': {
      const jitter = p.net === 'office' ? 60_000 : 20_000;
      for (let m = (hash32(p.name) % p.period) + rng.float(0, 0.5); m < 1440; m += p.period) {
        if (rng.chance(0.01)) continue;
        const t = Math.floor(day0 + m * MIN + rng.int(0, jitter));
        const region = pickRegion(p, day, rng);
        const src = sourceOf(p, rng);
        p.tick.forEach((call, j) => out.push(automationCall(p, t + j * rng.int(50, 1500), day, call, region, src, dayUa, session, rng)));
        if (rng.chance(0.05)) out.push(automationCall(p, t + 2000, day, pickCall(p, day, rng), region, src, dayUa, session, rng));
      }
      break;
    }
    case 'nightly': {
      // A scheduled job reads (or snapshots) broadly once a night; Terraform also runs plans by day.
      const runs: { h: number; n: number }[] = [{ h: p.nightlyHour + rng.normal(0, 0.08), n: rng.negbin(p.rate * 0.8, 12) }];
      if (p.kind === 'terraform' && !weekend) for (let k = rng.poisson(1.2); k > 0; k--) runs.push({ h: rng.float(9, 18), n: rng.negbin(p.rate * 0.15, 4) });
      for (const run of runs) {
        let t = Math.floor(day0 + run.h * HOUR);
        const region = pickRegion(p, day, rng);
        const src = sourceOf(p, rng);
        const ua = dayUa;
        for (let i = 0; i < run.n; i++) {
          out.push(automationCall(p, t, day, pickCall(p, day, rng), p.kind === 'terraform' && rng.chance(0.2) ? (p.regions[0]?.v ?? region) : region, src, ua, session, rng));
          t += rng.int(80, 2500);
        }
      }
      break;
    }
    case 'ci': {
      const runs = weekend ? (rng.chance(0.15) ? 1 : 0) : rng.poisson(Math.max(0.5, p.rate / 60));
      for (let k = 0; k < runs; k++) {
        let t = Math.floor(day0 + (p.nightlyHour + rng.float(0, 9)) * HOUR);
        // Each run gets a fresh hosted runner: a new address every time.
        const c = city(rng.pick(['San Jose', 'Ashburn', 'Dallas', 'Chicago', 'Seattle', 'Boardman', 'Dublin', 'Amsterdam']));
        const src: NetCtx = { kind: 'datacenter', ip: ipFor(asn(8075), c.key, `run:${p.idx}:${day}:${k}:${rng.int(0, 1e6)}`), asn: asn(8075), geo: { city: c }, where: c, trusted: false };
        const runSession = p.sessionName(day, rng);
        const n = Math.max(3, rng.negbin(p.rate / Math.max(1, runs), 3));
        const region = pickRegion(p, day, rng);
        out.push(automationCall(p, t, day, ['sts', 'GetCallerIdentity'], region, src, p.ua(t, day, rng), runSession, rng));
        for (let i = 1; i < n; i++) {
          t += rng.int(300, 20_000);
          out.push(automationCall(p, t, day, pickCall(p, day, rng), region, src, p.ua(t, day, rng), runSession, rng));
        }
      }
      break;
    }
    default:
      for (const h of p.humans) humanDay(p, h, day, env, rng, out);
  }
  return out;
}
