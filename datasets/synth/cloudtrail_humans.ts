/**
 * People in CloudTrail: the humans behind an SSO permission set or a legacy IAM user, where they
 * work from (office, home, trips) and a day of their console browsing and CLI sessions.
 */
import { cliPlatform } from './cloudtrail_agents';
import { ALL_REGIONS, Call, cliUa, CLI_COMMANDS, CONSOLE_PAGES, CONSOLE_WRITES, sdkVersion } from './cloudtrail_catalog';
import type { CtCall, CtEnv, CtHuman, Principal } from './cloudtrail_types';
import { browserAgent, newComputer } from './devices';
import { businessIsp, City, CITIES, citiesIn, ipFor, residential } from './geo';
import { makeSchedule, pickShape } from './schedules';
import { hash32, Rng } from './rng';
import type { NetCtx } from './timeline';
import { localMidnight } from './timeline';
import { DAY, HOUR } from './time';

export function makeHuman(rng: Rng, env: CtEnv, email: string, rate: number, admin: boolean): CtHuman {
  const remote = rng.chance(0.3);
  const near = citiesIn(env.hqCity.cc).filter((c) => !['Ashburn', 'Boardman', 'Piscataway', 'Roubaix', 'Falkenstein'].includes(c.key));
  const home = remote && near.length > 0 ? rng.pick(near) : env.hqCity;
  const browser = newComputer(rng, { macShare: 0.55, linuxShare: 0.1, managed: true, from: -1000, to: 100000 });
  const pagesAll = Object.keys(CONSOLE_PAGES);
  const pages = rng.sample(pagesAll, rng.int(2, 6)).map((v, i) => ({ v, w: 1 / (i + 1) }));
  const trips: CtHuman['trips'] = [];
  for (let d = 0; d < 120; d += 1) {
    if (rng.chance(0.012)) {
      const dest = rng.pick(Object.values(CITIES).filter((c) => ['US', 'GB', 'DE', 'NL', 'IE', 'SG', 'JP', 'FR', 'CA', 'IN'].includes(c.cc) && c.key !== home.key));
      trips.push({ from: d, to: d + rng.int(1, 5), city: dest, asn: residential(dest.cc, rng) });
      d += 8;
    }
  }
  return {
    email,
    sched: makeSchedule(rng, pickShape(rng, admin ? 'it' : 'engineering')),
    home,
    homeAsn: residential(home.cc, rng),
    office: remote ? null : { city: env.hqCity, asn: businessIsp(env.hqCity.cc, rng) },
    officeDays: remote ? [] : rng.sample([1, 2, 3, 4, 5], rng.int(1, 5)),
    browser,
    ...cliPlatform(browser),
    cliLag: rng.chance(0.3) ? rng.float(60, 200) : rng.float(0, 40),
    pages,
    cliShare: rng.float(0.1, 0.8),
    rate,
    trips,
    writeP: admin ? 0.08 : 0.03,
  };
}

function humanNet(p: Principal, h: CtHuman, day: number, dow: number, rng: Rng): { net: NetCtx; tz: City } {
  for (const tr of h.trips) {
    if (day >= tr.from && day < tr.to) {
      return { net: { kind: 'hotel', ip: ipFor(tr.asn, tr.city.key, `hotel:${p.idx}:${h.email}:${tr.from}`), asn: tr.asn, geo: { city: tr.city }, where: tr.city, trusted: false }, tz: tr.city };
    }
  }
  if (h.office && h.officeDays.includes(dow) && rng.chance(0.85)) {
    return { net: { kind: 'office', ip: ipFor(h.office.asn, h.office.city.key, `office:${hash32(h.email) % 3}`), asn: h.office.asn, geo: { city: h.office.city }, where: h.office.city, trusted: true }, tz: h.office.city };
  }
  const epoch = Math.floor((day + (hash32(h.email) % 50)) / 25);
  return { net: { kind: 'home', ip: ipFor(h.homeAsn, h.home.key, `home:${h.email}:${epoch}`), asn: h.homeAsn, geo: { city: h.home }, where: h.home, trusted: false }, tz: h.home };
}

export function humanDay(p: Principal, h: CtHuman, day: number, env: CtEnv, rng: Rng, out: CtCall[]): void {
  const dow = new Date(env.startMs + day * DAY).getUTCDay();
  const workday = rng.chance(h.sched.workdays[dow] ?? 0);
  const budget = rng.negbin(h.rate * (workday ? 1 : 0.05), 1.5);
  if (budget === 0) return;
  const { net, tz } = humanNet(p, h, day, dow, rng);
  const day0 = localMidnight(env.startMs, day, tz);
  const region = (p.regions[0]?.v ?? 'us-east-1') as string;
  let used = 0;
  const start = workday ? h.sched.start + rng.normal(0, h.sched.jitter) : rng.float(10, 20);
  const len = workday ? h.sched.length : 2;
  while (used < budget) {
    let t = Math.floor(day0 + (start + rng.next() * len) * HOUR);
    const key = p.type === 'IAMUser' && rng.chance(h.cliShare) ? p.accessKey : `ASIA${rng.upperAlnum(16)}`;
    const sess = p.type === 'AssumedRole' ? h.email : '';
    const writeOk = h.writeP < 0.05;
    const regionNow = rng.chance(0.06) ? rng.pick(ALL_REGIONS.slice(0, 10)) : region;
    if (rng.chance(h.cliShare)) {
      const cmds = rng.int(2, 15);
      for (let i = 0; i < cmds && used < budget; i++) {
        const [cmd, calls] = rng.weighted(CLI_COMMANDS, CLI_COMMANDS.map((c) => c[2]));
        const ua = cliUa(sdkVersion('cli2', t, h.cliLag), h.cliOs, cmd, h.cliArch);
        for (const c of calls) {
          const call: CtCall = { t, svc: c[0], action: c[1], region: regionNow, src: net, ua, session: sess, accessKey: p.type === 'IAMUser' ? p.accessKey : key, sessionStart: t - rng.int(60_000, 3_000_000), mfa: true };
          if (rng.chance(0.03)) call.err = 'AccessDenied';
          out.push(call);
          used++;
          t += rng.int(150, 3000);
        }
        t += rng.int(5_000, 300_000);
      }
    } else {
      const sessionStart = t;
      out.push({ t, svc: 'signin', action: 'ConsoleLogin', region: 'us-east-1', src: net, ua: browserAgent(h.browser, t).ua, browser: h.browser, session: sess, accessKey: key, sessionStart, mfa: true, consoleLogin: true });
      used++;
      t += rng.int(3_000, 20_000);
      const pages = rng.int(2, 12);
      for (let i = 0; i < pages && used < budget; i++) {
        const page = rng.weighted(h.pages, h.pages.map((x) => x.w)).v;
        const calls = CONSOLE_PAGES[page] ?? [];
        const n = rng.int(2, calls.length);
        for (let j = 0; j < n; j++) {
          const c = calls[j] as Call;
          const internal = c[0] === 's3' || rng.chance(0.15);
          out.push({ t, svc: c[0], action: c[1], region: regionNow, src: internal ? 'AWS Internal' : net, ua: internal ? 'AWS Internal' : browserAgent(h.browser, t).ua, ...(internal ? {} : { browser: h.browser }), session: sess, accessKey: key, sessionStart, mfa: true });
          used++;
          t += rng.int(40, 1500);
        }
        if (rng.chance(h.writeP)) {
          const w = rng.pick(CONSOLE_WRITES);
          const call: CtCall = { t, svc: w[0], action: w[1], region: regionNow, src: net, ua: browserAgent(h.browser, t).ua, browser: h.browser, session: sess, accessKey: key, sessionStart, mfa: true };
          if (!writeOk) call.err = w[0] === 'ec2' ? 'Client.UnauthorizedOperation' : 'AccessDenied';
          out.push(call);
          used++;
        }
        t += rng.int(15_000, 400_000);
      }
    }
  }
}
