/**
 * Account compromises planted in Azure sign-in, Okta and Duo data (test period only): credential
 * stuffing and password spraying that end in a success (often over legacy protocols), session
 * token theft replayed at night from a new place with the user's own apps, impossible travel,
 * MFA fatigue, push phishing, and a deliberately subtle one: same country, a new ISP and device
 * at an odd but plausible hour, only a handful of events.
 */
import { AppDef, AZURE_APPS, DUO_APPS, OKTA_APPS } from './apps';
import { Attempt, AuthResult, LegacyProtocol, MfaMethod, mkAttempt, phoneOf } from './auth';
import { Agent, browserAgent, Device, newComputer, newPhone, toolAgent, nativeAgent } from './devices';
import { Asn, asn, asnsIn, City, city, citiesIn, CITIES, distanceKm, ipFor } from './geo';
import type { HumanUser, LoginProfile } from './population';
import { Rng } from './rng';
import { Activity, homeNet, localMidnight, mobileNet, NetCtx } from './timeline';
import { DAY, HOUR, MIN } from './time';

export const LOGIN_ATTACKS: Record<LoginProfile, string[]> = {
  'azure-signin': ['credential_stuffing', 'token_theft', 'impossible_travel', 'mfa_fatigue', 'subtle_new_device'],
  okta: ['credential_stuffing', 'token_theft', 'impossible_travel', 'mfa_fatigue', 'subtle_new_device'],
  duo: ['mfa_fatigue', 'push_phishing', 'impossible_travel', 'subtle_new_device', 'credential_stuffing'],
};

export interface AttackPlan {
  user: HumanUser;
  kind: string;
  start: number;
  attempts: Attempt[];
}

export interface LoginAttackEnv {
  profile: LoginProfile;
  startMs: number;
  testStart: number;
  endMs: number;
  trainDays: number;
  totalDays: number;
  /** The user's benign activities in the test period (anchors for impossible travel). */
  benign: Activity[];
}

const FOREIGN_RESIDENTIAL: [string, number][] = [
  ['Moscow', 12389],
  ['Saint Petersburg', 8359],
  ['Lagos', 29465],
  ['Shanghai', 4134],
  ['Ho Chi Minh City', 7552],
  ['Bucharest', 8708],
  ['Kyiv', 15895],
  ['Istanbul', 9121],
  ['Jakarta', 7713],
  ['São Paulo', 28573],
  ['Hong Kong', 4760],
  ['Johannesburg', 36874],
];

const HOSTING: [string, number][] = [
  ['Amsterdam', 60781],
  ['Amsterdam', 14061],
  ['Frankfurt am Main', 14061],
  ['Falkenstein', 24940],
  ['Roubaix', 16276],
  ['Piscataway', 20473],
  ['New York', 14061],
  ['Singapore', 14061],
  ['Bucharest', 9009],
  ['London', 60068],
  ['Saint Petersburg', 49505],
  ['Los Angeles', 20473],
  ['Dallas', 63949],
  ['Ashburn', 16509],
  ['Hong Kong', 45102],
  ['Stockholm', 60068],
  ['Zurich', 9009],
];

function net(a: Asn, c: City, slot: string, rng: Rng): NetCtx {
  return { kind: 'attacker', ip: ipFor(a, c.key, slot, !!a.v6 && rng.chance(0.2)), asn: a, geo: { city: c }, where: c, trusted: false };
}

function hostingNet(rng: Rng, slot: string, notCc?: string): NetCtx {
  const pool = HOSTING.filter(([c]) => !notCc || city(c).cc !== notCc);
  const [c, n] = rng.pick(pool.length > 0 ? pool : HOSTING);
  return net(asn(n), city(c), slot, rng);
}

function foreignNet(rng: Rng, slot: string, home: City): NetCtx {
  const pool = FOREIGN_RESIDENTIAL.filter(([c]) => city(c).cc !== home.cc);
  const [c, n] = rng.pick(pool);
  return net(asn(n), city(c), slot, rng);
}

/** An address in the user's own country on a network the user has never used. */
function sameCountryNewNet(rng: Rng, u: HumanUser, slot: string): NetCtx {
  const known = new Set<number>([u.homeAsn.number, u.mobileAsn.number]);
  if (u.office) known.add(u.office.asn.number);
  if (u.vpn) known.add(u.vpn.asn.number);
  const cc = u.home.cc;
  const cities = citiesIn(cc).filter((c) => !['Ashburn', 'Boardman', 'Piscataway', 'Roubaix', 'Falkenstein'].includes(c.key));
  const where = rng.chance(0.6) || cities.length === 0 ? u.home : rng.pick(cities);
  const r = rng.next();
  let cands: Asn[] = [];
  if (r < 0.6) cands = asnsIn(cc, 'residential').filter((a) => !known.has(a.number));
  else if (r < 0.85) cands = asnsIn(cc, 'mobile').filter((a) => !known.has(a.number));
  if (cands.length === 0) cands = asnsIn(cc, 'residential').concat(asnsIn(cc, 'mobile')).filter((a) => !known.has(a.number));
  if (cands.length === 0 || r >= 0.85) {
    const a = asn(rng.pick([14061, 16509, 20473, 63949]));
    return net(a, where, slot, rng);
  }
  return net(rng.pick(cands), where, slot, rng);
}

/** A residential proxy exit elsewhere in the user's country. */
function proxySameCountry(rng: Rng, u: HumanUser, slot: string): NetCtx {
  const cities = citiesIn(u.home.cc).filter((c) => c.key !== u.home.key);
  const where = cities.length > 0 ? rng.pick(cities) : u.home;
  const res = asnsIn(u.home.cc, 'residential');
  return net(res.length > 0 ? rng.pick(res) : asn(14061), where, slot, rng);
}

/** A computer unlike the user's own (OS or browser differ). */
function attackerComputer(rng: Rng, u: HumanUser, day: number): Device {
  for (let i = 0; i < 8; i++) {
    const d = newComputer(rng, { macShare: 0.25, linuxShare: 0.1, managed: false, from: day, to: day + 30 });
    d.id = '';
    d.trustType = '';
    if (!u.devices.some((x) => x.os === d.os && x.browser === d.browser)) return d;
  }
  const d = newComputer(rng, { macShare: 0, linuxShare: 1, managed: false, from: day, to: day + 30 });
  d.id = '';
  d.trustType = '';
  return d;
}

function catalogue(profile: LoginProfile): AppDef[] {
  return profile === 'azure-signin' ? AZURE_APPS : profile === 'okta' ? OKTA_APPS : DUO_APPS;
}

function appNamed(profile: LoginProfile, name: string): AppDef {
  return catalogue(profile).find((a) => a.name === name) ?? (catalogue(profile)[0] as AppDef);
}

/** The user's own apps, by how much they use them (attackers replaying a session touch these). */
function ownApps(u: HumanUser, day: number, rng: Rng, k: number, browserOnly: boolean): AppDef[] {
  const prefs = u.apps.filter((p) => day >= p.from && day < p.to && (!browserOnly || p.app.clients.includes('browser')));
  if (prefs.length === 0) return [u.apps[0]?.app as AppDef];
  const out: AppDef[] = [];
  for (let i = 0; i < k; i++) out.push(rng.weighted(prefs, prefs.map((p) => p.w)).app);
  return out;
}

/** Data-rich apps attackers head for after a password compromise. */
function lootApps(profile: LoginProfile, u: HumanUser, rng: Rng, k: number): AppDef[] {
  const wanted = profile === 'azure-signin' ? ['Office 365 Exchange Online', 'Office 365 SharePoint Online', 'Microsoft Office', 'OfficeHome'] : profile === 'okta' ? ['Microsoft Office 365', 'Google Workspace', 'Box', 'Salesforce.com', 'Slack'] : ['Microsoft Azure Active Directory', 'Cisco ASA SSL VPN'];
  const own = new Set(u.apps.map((p) => p.app.name));
  const pref = wanted.filter((w) => own.has(w));
  const names = pref.length > 0 ? pref : wanted;
  const out: AppDef[] = [];
  for (let i = 0; i < k; i++) out.push(appNamed(profile, rng.pick(names)));
  return out;
}

/** Where the victim's phone is when the push arrives: usually at home on Wi-Fi. */
function duoPhoneNet(u: HumanUser, day: number, t: number): NetCtx {
  const r = new Rng(`pn:${u.objectId}:${t}`);
  return r.chance(0.7) ? homeNet(u, day) : mobileNet(u, u.home, `${day}:${Math.floor(t / 7_200_000)}`, false);
}

class Seq {
  readonly out: Attempt[] = [];
  t: number;
  constructor(
    readonly rng: Rng,
    readonly u: HumanUser,
    t0: number,
    public net: NetCtx,
    public agent: Agent,
    public device: Device | null,
    readonly session: string,
    readonly risk: Attempt['risk'],
  ) {
    this.t = t0;
  }
  add(step: Attempt['step'], result: AuthResult, app: AppDef, o: { interactive?: boolean; mfa?: MfaMethod; multi?: boolean; legacy?: LegacyProtocol; gap?: [number, number]; authDevice?: Device | null; authNet?: NetCtx | null } = {}): void {
    const a: Attempt = {
      t: this.t,
      user: this.u,
      agent: this.agent,
      device: this.device,
      app,
      net: this.net,
      step,
      result,
      interactive: o.interactive ?? true,
      mfa: o.mfa ?? 'none',
      authReq: o.multi ? 'multi' : 'single',
      session: this.session,
    };
    if (o.legacy) a.legacy = o.legacy;
    if (this.risk) a.risk = this.risk;
    if (o.authDevice !== undefined) a.authDevice = o.authDevice;
    if (o.authNet !== undefined) a.authNet = o.authNet;
    this.out.push(a);
    const g = o.gap ?? [2_000, 20_000];
    this.t += this.rng.int(g[0], g[1]);
  }
  wait(ms: number): void {
    this.t += ms;
  }
}

/** A test day (not the very first local day, which may begin before the test window). */
function testDay(env: LoginAttackEnv, rng: Rng): number {
  const lo = env.trainDays + (env.totalDays - env.trainDays > 1 ? 1 : 0);
  return rng.int(lo, Math.max(lo, env.totalDays - 1));
}

function localTime(env: LoginAttackEnv, u: HumanUser, day: number, hour: number): number {
  return localMidnight(env.startMs, day, u.home) + hour * HOUR;
}

/** Shift by whole days (keeping the local hour) so the attack lies inside the test window. */
function fit(attempts: Attempt[], env: LoginAttackEnv): Attempt[] {
  if (attempts.length === 0) return attempts;
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of attempts) {
    lo = Math.min(lo, a.t);
    hi = Math.max(hi, a.t);
  }
  let shift = 0;
  if (lo < env.testStart) shift = Math.ceil((env.testStart - lo) / DAY) * DAY;
  if (hi + shift >= env.endMs) shift -= Math.ceil((hi + shift - env.endMs + 1) / DAY) * DAY;
  if (lo + shift < env.testStart) shift = env.testStart - lo + MIN;
  for (const a of attempts) a.t += shift;
  return attempts.filter((a) => a.t >= env.testStart && a.t < env.endMs);
}

function riskFor(rng: Rng): Attempt['risk'] {
  return rng.chance(0.35) ? rng.pick(['medium', 'high'] as const) : undefined;
}

export function planLoginAttack(kind: string, u: HumanUser, env: LoginAttackEnv, rng: Rng): AttackPlan {
  const p = env.profile;
  const day = testDay(env, rng);
  const phone = phoneOf(u, day);
  let seq: Seq;
  switch (kind) {
    case 'credential_stuffing': {
      const variant = rng.choose([['legacy', 0.45], ['script', 0.25], ['browser', 0.3]] as const);
      const t0 = env.startMs + day * DAY + rng.float(0, 20) * HOUR;
      const nets = [0, 1, 2, 3].map((i) => (variant === 'browser' ? (rng.chance(0.5) ? foreignNet(rng, `cs${i}`, u.home) : proxySameCountry(rng, u, `cs${i}`)) : rng.chance(0.6) ? hostingNet(rng, `cs${i}`, u.home.cc) : foreignNet(rng, `cs${i}`, u.home)));
      const legacy: LegacyProtocol = rng.pick(['Other clients', 'IMAP4', 'Authenticated SMTP', 'Exchange ActiveSync', 'POP3']);
      const agent = variant === 'legacy' ? toolAgent(rng.chance(0.5) ? 'bav2ropc' : 'none', rng) : variant === 'script' ? toolAgent('python-requests', rng) : toolAgent(rng.chance(0.6) ? 'old-chrome' : 'old-ie', rng);
      seq = new Seq(rng, u, t0, nets[0] as NetCtx, agent, null, rng.uuid(), p === 'azure-signin' ? riskFor(rng) : undefined);
      const fails = rng.int(3, 14);
      const slow = variant === 'legacy' && rng.chance(0.6);
      const gap: [number, number] = slow ? [4 * MIN, 55 * MIN] : [3_000, 90_000];
      const entry = p === 'azure-signin' ? appNamed(p, variant === 'script' ? 'Microsoft Azure PowerShell' : 'Office 365 Exchange Online') : appNamed(p, p === 'okta' ? 'Okta Dashboard' : 'Microsoft Azure Active Directory');
      if (p === 'duo') {
        // Duo only sees the second factor: pushes from an unknown device that the user refuses.
        const dev = attackerComputer(rng, u, day);
        seq.agent = browserAgent(dev, t0);
        const k = rng.int(2, 5);
        for (let i = 0; i < k; i++) {
          seq.net = nets[i % nets.length] as NetCtx;
          seq.add('mfa', rng.chance(0.6) ? 'mfa_timeout' : 'mfa_denied', entry, { mfa: 'push', multi: true, gap: [40_000, 15 * MIN], authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        }
        if (rng.chance(0.5)) seq.add('mfa', 'mfa_fraud', entry, { mfa: 'push', multi: true, authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        else {
          seq.add('mfa', 'success', entry, { mfa: 'push', multi: true, gap: [5 * MIN, 40 * MIN], authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
          seq.add('mfa', 'success', appNamed(p, 'Cisco ASA SSL VPN'), { mfa: 'push', multi: true, authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        }
        break;
      }
      for (let i = 0; i < fails; i++) {
        seq.net = nets[rng.int(0, nets.length - 1)] as NetCtx;
        if (p === 'okta') seq.add('policy', 'success', entry, { gap: [50, 300] });
        seq.add('primary', i >= 10 && rng.chance(0.5) ? 'locked_out' : 'bad_password', entry, { gap, ...(variant === 'legacy' && p === 'azure-signin' ? { legacy } : {}) });
      }
      seq.net = nets[rng.int(0, nets.length - 1)] as NetCtx;
      if (p === 'azure-signin') {
        if (variant === 'browser' && u.mfaPolicy !== 'none') {
          // MFA stops the browser login; the attacker falls back to a legacy protocol.
          seq.add('primary', 'mfa_required', entry, { multi: true, gap: [2 * MIN, 30 * MIN] });
          seq.agent = toolAgent('none', rng);
          seq.add('primary', 'success', entry, { legacy, gap: [30_000, 10 * MIN] });
          for (const app of lootApps(p, u, rng, rng.int(3, 12))) seq.add('refresh', 'success', app, { interactive: false, legacy, gap: [2 * MIN, 20 * MIN] });
        } else {
          const lg = variant === 'legacy' ? { legacy } : {};
          seq.add('primary', 'success', entry, { ...lg, gap: [30_000, 10 * MIN] });
          for (const app of variant === 'legacy' ? lootApps(p, u, rng, rng.int(3, 14)).map(() => entry) : lootApps(p, u, rng, rng.int(3, 12))) seq.add('refresh', 'success', app, { interactive: false, ...lg, gap: [2 * MIN, 20 * MIN] });
        }
      } else {
        seq.add('policy', 'mfa_required', entry, { gap: [50, 300] });
        seq.add('primary', 'success', entry, { multi: true, gap: [500, 3_000] });
        seq.add('push', 'success', entry, { mfa: 'push', multi: true, gap: [10_000, 60_000] });
        seq.add('mfa', 'success', entry, { mfa: 'push', multi: true });
        for (const app of lootApps(p, u, rng, rng.int(2, 6))) seq.add('app', 'success', app, { mfa: 'previously', multi: true, gap: [20_000, 8 * MIN] });
      }
      break;
    }
    case 'token_theft': {
      const weekend = rng.chance(0.25);
      const t0 = localTime(env, u, day, weekend ? rng.float(11, 18) : rng.float(0.5, 5.2));
      const r = rng.next();
      const other = citiesIn(u.home.cc).filter((c) => c.key !== u.home.key && !['Ashburn', 'Boardman', 'Piscataway', 'Roubaix', 'Falkenstein'].includes(c.key));
      const n0 = r < 0.15 && other.length > 0 ? net(u.homeAsn, rng.pick(other), `tt-own:${rng.int(0, 1e6)}`, rng) : r < 0.5 ? hostingNet(rng, 'tt', undefined) : r < 0.82 ? proxySameCountry(rng, u, 'tt') : foreignNet(rng, 'tt', u.home);
      const work = u.devices.find((d) => d.kind === 'computer' && d.managed && day >= d.from && day < d.to) ?? u.devices[0];
      const replayUa = rng.chance(0.6) && work;
      const dev = attackerComputer(rng, u, day);
      seq = new Seq(rng, u, t0, n0, replayUa ? browserAgent(work as Device, t0) : browserAgent(dev, t0), null, rng.uuid(), p === 'azure-signin' ? riskFor(rng) : undefined);
      const bursts = rng.chance(0.2) ? 2 : 1;
      for (let b = 0; b < bursts; b++) {
        if (b === 1) seq.wait(rng.float(20, 26) * HOUR);
        const n = rng.int(5, 24);
        const apps = ownApps(u, day, rng, n, true);
        for (const app of apps) {
          const interactive = rng.chance(0.2);
          if (p === 'okta') seq.add(interactive ? 'app' : 'refresh', 'success', app, { interactive, mfa: 'previously', multi: true, gap: [30_000, 12 * MIN] });
          else seq.add(interactive ? 'app' : 'refresh', 'success', app, { interactive, mfa: 'previously', multi: true, gap: [30_000, 12 * MIN] });
        }
      }
      break;
    }
    case 'impossible_travel': {
      const anchors = env.benign.filter((a) => a.t >= env.testStart + HOUR && a.t < env.endMs - 6 * HOUR && a.net.kind !== 'attacker');
      const anchor = anchors.length > 0 ? (rng.pick(anchors.filter((a) => a.sessionStart).length > 0 ? anchors.filter((a) => a.sessionStart) : anchors) as Activity) : null;
      const from = anchor ? anchor.net.where : u.home;
      const t0 = (anchor ? anchor.t : localTime(env, u, day, rng.float(9, 16))) + rng.int(15, 150) * MIN;
      const far = Object.values(CITIES).filter((c) => distanceKm(c, from) > 5000);
      const dest = rng.pick(far.length > 0 ? far : Object.values(CITIES));
      const res = asnsIn(dest.cc, 'residential');
      const n0 = res.length > 0 && rng.chance(0.6) ? net(rng.pick(res), dest, 'it', rng) : hostingNet(rng, 'it', from.cc);
      const dev = attackerComputer(rng, u, day);
      seq = new Seq(rng, u, t0, n0, browserAgent(dev, t0), null, rng.uuid(), p === 'azure-signin' ? riskFor(rng) : undefined);
      const entry = p === 'azure-signin' ? appNamed(p, 'OfficeHome') : p === 'okta' ? appNamed(p, 'Okta Dashboard') : appNamed(p, 'Microsoft Azure Active Directory');
      if (p === 'duo') {
        seq.add('mfa', 'success', entry, { mfa: 'push', multi: true, gap: [10 * MIN, 50 * MIN], authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        const more = rng.int(1, 3);
        for (let i = 0; i < more; i++) seq.add('mfa', 'success', rng.pick([appNamed(p, 'Cisco ASA SSL VPN'), entry, appNamed(p, 'Duo Single Sign-On')]), { mfa: 'push', multi: true, gap: [5 * MIN, 40 * MIN], authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        break;
      }
      if (p === 'okta') {
        seq.add('policy', 'mfa_required', entry, { gap: [50, 300] });
        seq.add('primary', 'success', entry, { multi: true, gap: [500, 3_000] });
        seq.add('push', 'success', entry, { mfa: 'push', multi: true, gap: [8_000, 40_000] });
        seq.add('mfa', 'success', entry, { mfa: 'push', multi: true });
      } else seq.add('primary', 'success', entry, { mfa: 'push', multi: true });
      const k = rng.int(3, 12);
      const apps = rng.chance(0.5) ? lootApps(p, u, rng, k) : ownApps(u, day, rng, k, true);
      for (const app of apps) seq.add(rng.chance(0.4) ? 'app' : 'refresh', 'success', app, { interactive: rng.chance(0.4), mfa: 'previously', multi: true, gap: [MIN, 15 * MIN] });
      break;
    }
    case 'mfa_fatigue': {
      const t0 = localTime(env, u, day, rng.chance(0.8) ? rng.float(0.5, 5) : rng.float(22, 23.8));
      const n0 = rng.chance(0.55) ? hostingNet(rng, 'mf', u.home.cc) : foreignNet(rng, 'mf', u.home);
      const dev = attackerComputer(rng, u, day);
      seq = new Seq(rng, u, t0, n0, browserAgent(dev, t0), null, rng.uuid(), p === 'azure-signin' ? riskFor(rng) : undefined);
      const entry = p === 'azure-signin' ? appNamed(p, 'OfficeHome') : p === 'okta' ? appNamed(p, 'Okta Dashboard') : appNamed(p, 'Microsoft Azure Active Directory');
      const k = rng.int(5, 25);
      const gap: [number, number] = [20_000, 4 * MIN];
      if (p === 'okta') {
        seq.add('policy', 'mfa_required', entry, { gap: [50, 300] });
        seq.add('primary', 'success', entry, { multi: true, gap: [500, 3_000] });
      }
      for (let i = 0; i < k; i++) {
        const res: AuthResult = rng.chance(0.65) ? 'mfa_timeout' : 'mfa_denied';
        if (p === 'okta') seq.add('push', 'success', entry, { mfa: 'push', multi: true, gap: [5_000, 50_000] });
        seq.add('mfa', res, entry, { mfa: 'push', multi: true, gap, authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
      }
      if (p === 'okta') seq.add('push', 'success', entry, { mfa: 'push', multi: true, gap: [5_000, 40_000] });
      if (p === 'azure-signin') seq.add('primary', 'success', entry, { mfa: 'push', multi: true, gap: [30_000, 5 * MIN] });
      else seq.add('mfa', 'success', entry, { mfa: 'push', multi: true, gap: [30_000, 5 * MIN], authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
      if (p === 'duo') {
        seq.add('mfa', 'success', appNamed(p, 'Cisco ASA SSL VPN'), { mfa: 'push', multi: true, authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        break;
      }
      if (p === 'azure-signin') seq.add('app', 'success', appNamed(p, 'My Signins'), { mfa: 'previously', multi: true, gap: [MIN, 6 * MIN] });
      for (const app of lootApps(p, u, rng, rng.int(2, 8))) seq.add(rng.chance(0.5) ? 'app' : 'refresh', 'success', app, { interactive: rng.chance(0.5), mfa: 'previously', multi: true, gap: [MIN, 12 * MIN] });
      break;
    }
    case 'push_phishing': {
      // Adversary-in-the-middle: the push comes while the user works, so they approve it.
      let d = day;
      for (let i = 0; i < 7; i++) {
        const dow = new Date(env.startMs + d * DAY).getUTCDay();
        if (dow >= 1 && dow <= 5) break;
        d = d + 1 < env.totalDays ? d + 1 : d - 1;
      }
      const t0 = localTime(env, u, d, rng.float(9, 16.5));
      const n0 = rng.chance(0.6) ? sameCountryNewNet(rng, u, 'pp') : hostingNet(rng, 'pp', u.home.cc);
      const work = u.devices.find((x) => x.kind === 'computer' && x.managed && d >= x.from && d < x.to);
      const dev = attackerComputer(rng, u, d);
      seq = new Seq(rng, u, t0, n0, rng.chance(0.5) && work ? browserAgent(work, t0) : browserAgent(dev, t0), null, rng.uuid(), undefined);
      const idp = appNamed(p, rng.chance(0.7) ? 'Microsoft Azure Active Directory' : 'Duo Single Sign-On');
      seq.add('mfa', 'success', idp, { mfa: 'push', multi: true, gap: [20 * MIN, 90 * MIN], authDevice: phone, authNet: duoPhoneNet(u, d, seq.t) });
      seq.agent = nativeAgent(dev, 'electron', seq.t);
      const more = rng.int(1, 2);
      for (let i = 0; i < more; i++) seq.add('mfa', 'success', rng.pick([appNamed(p, 'Cisco ASA SSL VPN'), appNamed(p, 'Citrix Gateway')]), { mfa: 'push', multi: true, gap: [10 * MIN, 60 * MIN], authDevice: phone, authNet: duoPhoneNet(u, d, seq.t) });
      break;
    }
    default: {
      // subtle_new_device: same country, new network and device, odd hour, a handful of events.
      const dow = new Date(env.startMs + day * DAY).getUTCDay();
      const weekend = dow === 0 || dow === 6;
      const hour = weekend ? rng.float(10, 18) : rng.chance(0.5) ? rng.float(5.5, 7.2) : rng.float(20.5, 23.5);
      const t0 = localTime(env, u, day, hour);
      // Residential proxies can be rented by ISP and city: sometimes the user's own provider.
      const n0 = rng.chance(0.4) ? net(u.homeAsn, u.home, `sn-own:${rng.int(0, 1e6)}`, rng) : sameCountryNewNet(rng, u, 'sn');
      const phoneLike = rng.chance(0.35);
      const dev = phoneLike ? newPhone(rng, { iosShare: u.devices.some((d) => d.os === 'ios') ? 0.1 : 0.9, from: day, to: day + 30 }) : attackerComputer(rng, u, day);
      dev.id = '';
      dev.trustType = '';
      seq = new Seq(rng, u, t0, n0, browserAgent(dev, t0), null, rng.uuid(), undefined);
      const apps = ownApps(u, day, rng, rng.int(2, 4), true);
      const first = apps[0] as AppDef;
      if (p === 'duo') {
        seq.add('mfa', 'success', first, { mfa: 'push', multi: true, gap: [5 * MIN, 40 * MIN], authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        if (rng.chance(0.5)) seq.add('mfa', 'success', rng.pick(apps), { mfa: 'push', multi: true, authDevice: phone, authNet: duoPhoneNet(u, day, seq.t) });
        break;
      }
      if (p === 'okta') {
        seq.add('policy', 'mfa_required', first, { gap: [50, 300] });
        seq.add('primary', 'success', first, { multi: true, gap: [500, 3_000] });
        seq.add('push', 'success', first, { mfa: 'push', multi: true, gap: [8_000, 40_000] });
        seq.add('mfa', 'success', first, { mfa: 'push', multi: true });
      } else seq.add('primary', 'success', first, { mfa: rng.chance(0.5) ? 'push' : 'previously', multi: true, gap: [MIN, 10 * MIN] });
      for (const app of apps.slice(p === 'okta' ? 0 : 1)) seq.add(p === 'okta' ? 'app' : 'refresh', 'success', app, { interactive: p === 'okta', mfa: 'previously', multi: true, gap: [MIN, 20 * MIN] });
      break;
    }
  }
  const attempts = fit(seq.out, env);
  const start = attempts.length > 0 ? Math.min(...attempts.map((a) => a.t)) : env.testStart;
  return { user: u, kind, start, attempts };
}

/**
 * Unlabelled background, in train and test alike: password-spray campaigns from the internet that
 * fail against many accounts (every internet-facing tenant sees them). They compromise no one, so
 * they are not in the truth; a detector must not mistake noise that fails for a compromise.
 */
export function planSprayNoise(profile: LoginProfile, users: HumanUser[], env: { startMs: number; totalDays: number }, rng: Rng): Attempt[] {
  if (profile === 'duo') return [];
  const out: Attempt[] = [];
  const humans = users.filter((u) => u.kind === 'human');
  const campaigns = rng.poisson(env.totalDays / 9);
  for (let c = 0; c < campaigns; c++) {
    const day = rng.int(0, Math.max(0, env.totalDays - 1));
    const t0 = env.startMs + day * DAY + rng.float(0, 20) * HOUR;
    const dur = rng.float(0.5, 8) * HOUR;
    const nets = Array.from({ length: rng.int(2, 12) }, (_, i) => (rng.chance(0.6) ? hostingNet(rng, `spray${c}:${i}`) : foreignNet(rng, `spray${c}:${i}`, city('New York'))));
    const kind = rng.choose([['none', 0.4], ['bav2ropc', 0.25], ['python-requests', 0.2], ['old-ie', 0.15]] as const);
    const agent = toolAgent(kind, rng);
    const legacy: LegacyProtocol | undefined = kind === 'none' || kind === 'bav2ropc' ? rng.pick(['Other clients', 'IMAP4', 'Authenticated SMTP', 'Exchange ActiveSync'] as LegacyProtocol[]) : undefined;
    const share = rng.float(0.05, 0.4);
    const entry = appNamed(profile, profile === 'okta' ? 'Okta Dashboard' : 'Office 365 Exchange Online');
    for (const u of humans) {
      if (!rng.chance(share)) continue;
      const session = rng.uuid();
      for (let k = rng.chance(0.7) ? 1 : rng.int(2, 4); k > 0; k--) {
        const t = Math.floor(t0 + rng.next() * dur);
        const base = { user: u, agent, device: null, app: entry, net: rng.pick(nets), session };
        if (profile === 'okta') out.push(mkAttempt(base, t, 'policy', 'success', true, 'none', false));
        out.push(mkAttempt(base, t + rng.int(50, 400), 'primary', rng.chance(0.06) ? 'locked_out' : 'bad_password', true, 'none', false, profile === 'azure-signin' ? legacy : undefined));
      }
    }
  }
  return out;
}
