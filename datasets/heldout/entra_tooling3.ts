/**
 * Entra tooling variants added for set 5 (variants.ts), planted like the others and labelled with
 * the usual families:
 *
 * - T1078 `device-code`: device code phishing. The victim, at work, types the intruder's code at
 *   the device login page in their own browser on their own network (so the interactive sign-in
 *   looks like theirs but for its protocol, `deviceCode`, and its client); the intruder then
 *   redeems the refresh token non-interactively from its own infrastructure. Obvious: the
 *   Microsoft Authentication Broker client, a device registered and mail, files and Graph read
 *   at once from a hosting range abroad (Storm-2372). Subtle: the Microsoft Office client the
 *   victim already uses, then a few redemptions over the next day through a residential proxy
 *   in the victim's own country.
 * - T1078 `consent-grant`: the victim consents to a look-alike multi-tenant application in
 *   working hours; its backend redeems the delegated refresh token for Microsoft Graph as the
 *   victim: every hour, day and night, from a hosting range abroad (obvious), or a few times in
 *   working hours from a cloud region in the victim's own country (subtle).
 * - T1110 `proxy-spray`: one burst across many accounts within an hour or two, one try per
 *   residential-proxy exit, the exits geolocated in each target's own country (on the same
 *   broadband providers employees have at home), through a desktop client's ROPC flow with an
 *   Outlook user agent. An account without MFA falls; its token is then used from a new proxy exit
 *   every time (obvious) or from one home-country line a couple of times (subtle). The burst's
 *   other tries, and an earlier burst in the weeks learnt from, are innocent noise
 *   (`proxySprayNoise`).
 * - T1213 `graph-script`: the owner connects the Microsoft Graph PowerShell SDK from their own
 *   computer at home and pulls SharePoint and OneDrive: late at night (obvious) or on a Saturday
 *   morning (subtle); interactive consent once, then the script's token refreshes for Graph and
 *   SharePoint.
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { laptopConnection, planDay, type Connection } from './days';
import { claimOf, identityOf, type EntraScene } from './entra_activity';
import { app, attackDay, INTRUDER_EXITS, type EntraVictim, type Intrusion } from './entra_attacks';
import { renderSignIn, type DeviceClaim, type SignIn } from './entra_document';
import { regional, workingDay } from './entra_tooling2';
import type { Emitted } from './labels';
import { app as appDef, EXO, SPO, type AppDef } from './org_kit';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

const BROKER_ID = '29d9ed98-a469-4536-ade2-f981bc1d605e';
const GRAPH = 'Microsoft Graph';
const GRAPH_CLI_ID = '14d82eec-204b-4c2f-b7e8-296a70dab67e';
const NO_DEVICE: DeviceClaim = { id: '', os: '', browser: '' };

const hostingAbroad = (cc: string): Network[] => INTRUDER_EXITS.map((n): Network => NETWORKS[n]).filter((n) => n.place.cc !== cc && n.kind === 'hosting');

/** Residential lines in a country (any provider, the organisation's people's own included: proxies live on them too). */
function residentialIn(cc: string, except?: Network): Network[] {
  return (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.kind === 'residential' && n.place.cc === cc && n !== except);
}

/** Where the victim's laptop is on a working day, and when. */
function atWork(x: Intrusion): { day: number; start: number; end: number; offset: number; conn: Connection } {
  const work = workingDay(x);
  const plan = planDay(x.victim.person, work.day, x.scene);
  return { ...work, conn: laptopConnection(x.victim.person, plan, x.scene, x.d) };
}

/** The victim's own browser at an instant, as it shows at the device login page. */
const ownBrowser = (p: Person, scene: EntraScene, t: number): { claim: DeviceClaim; userAgent: string } => claimOf(p.laptop, scene, t, false);

// ---------------------------------------------------------------- device code phishing

function deviceCode(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const work = atWork(x);
  const entered = atLocal(work.day, work.start + d.uniform(0.5, Math.max(1, Math.min(6, work.end - work.start - 1))), work.offset);
  const client = obvious ? appDef('Microsoft Authentication Broker', BROKER_ID, GRAPH, 'desktop') : app(scene, 'Microsoft Office');
  const own = ownBrowser(p, scene, entered);
  x.signIn({ t: entered, app: client, client: 'Mobile Apps and Desktop clients', interactive: true, device: own.claim, userAgent: own.userAgent, network: work.conn.network, ip: work.conn.ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none', namedLocation: work.conn.namedLocation, protocol: 'deviceCode' });
  const redeem = (t: number, a: AppDef, network: Network, ip: string, userAgent: string, device: DeviceClaim): void =>
    x.signIn({ t, app: a, client: 'Mobile Apps and Desktop clients', interactive: false, device, userAgent, network, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none', incomingToken: 'refreshToken' });
  if (obvious) {
    const exit = d.one(hostingAbroad(home.cc));
    const ip = addressIn(exit, d);
    const agent = 'python-httpx/0.28.1';
    let t = entered + d.between(2, 15) * MINUTE;
    // The device registration that buys a primary refresh token, then everything the token reaches.
    redeem(t, appDef('Microsoft Authentication Broker', BROKER_ID, 'Device Registration Service', 'desktop'), exit, ip, agent, NO_DEVICE);
    const reach = [appDef('Microsoft Authentication Broker', BROKER_ID, EXO, 'desktop'), appDef('Microsoft Authentication Broker', BROKER_ID, SPO, 'desktop'), client];
    const n = d.between(15, 40);
    for (let k = 0; k < n; k++) {
      t += d.between(1, 8) * MINUTE;
      redeem(t, d.one(reach), exit, ip, agent, { id: '', os: 'Windows 10', browser: '' });
    }
    return `device code phishing: the victim entered the intruder's code in working hours (Microsoft Authentication Broker), then a device registered and ${n} token redemptions from ${exit.org} (${exit.place.country})`;
  }
  const proxies = residentialIn(home.cc, NETWORKS[p.home]);
  const proxy = d.one(proxies.length > 0 ? proxies : [NETWORKS[p.site.mobile]]);
  const ip = addressIn(proxy, d);
  const n = d.between(3, 6);
  for (let k = 0; k < n; k++) {
    const day = work.day + (k >= Math.ceil(n / 2) ? DAY : 0);
    const t = Math.max(entered + 20 * MINUTE, atLocal(day, work.start + d.uniform(1, 7), work.offset));
    const seen = claimOf(p.laptop, scene, t, true);
    redeem(t, client, proxy, ip, seen.userAgent, { id: '', os: seen.claim.os, browser: seen.claim.browser, parseAs: seen.claim.parseAs });
  }
  return `device code phishing with the Microsoft Office client the victim already uses, then ${n} redemptions over two working days through ${proxy.org} in ${proxy.place.country}`;
}

// ---------------------------------------------------------------- illicit consent

const LOOKALIKES = ['Secure PDF Viewer', 'SharePoint Document Preview', 'Teams Meeting Notes Sync', 'Calendar Scheduling Assistant', 'Mail Signature Manager'];

function consentGrant(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const work = atWork(x);
  const rogue = appDef(d.one(LOOKALIKES), d.uuid(), GRAPH, 'browser');
  const consented = atLocal(work.day, work.start + d.uniform(0.5, Math.max(1, work.end - work.start - 0.5)), work.offset);
  const own = ownBrowser(p, scene, consented);
  x.signIn({ t: consented, app: rogue, client: 'Browser', interactive: true, device: own.claim, userAgent: own.userAgent, network: work.conn.network, ip: work.conn.ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none', namedLocation: work.conn.namedLocation });
  const local = regional(scene, home.cc, ['cloud']);
  const host = d.one(obvious || local.length === 0 ? hostingAbroad(home.cc) : local);
  const ip = addressIn(host, d);
  const refresh = (t: number): void =>
    x.signIn({ t, app: rogue, client: 'Mobile Apps and Desktop clients', interactive: false, device: NO_DEVICE, userAgent: 'axios/1.7.9', network: host, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none', incomingToken: 'refreshToken' });
  if (obvious) {
    const until = Math.min(scene.window.end - 1, consented + d.uniform(30, 48) * HOUR);
    let n = 0;
    for (let t = consented + d.between(3, 20) * MINUTE; t < until; t += Math.round(d.uniform(50, 70) * MINUTE)) {
      refresh(t);
      n++;
    }
    return `consent to the look-alike app "${rogue.name}" in working hours, then its backend redeemed the victim's Graph token ${n} times, hourly day and night, from ${host.org} (${host.place.country})`;
  }
  const n = d.between(3, 6);
  for (let k = 0; k < n; k++) refresh(atLocal(work.day + (k >= 2 ? DAY : 0), work.start + d.uniform(1, 8), work.offset));
  return `consent to the look-alike app "${rogue.name}" in working hours, then ${n} Graph token redemptions from ${host.org} (${host.place.city}, the victim's own country) in working hours`;
}

// ---------------------------------------------------------------- the residential-proxy spray

const OUTLOOK_AGENT = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18025; Pro)';
const OUTLOOK_DEVICE: DeviceClaim = { id: '', os: 'Windows 10', browser: '' };

/** The campaign's two bursts, shared by every account it tries: one in the weeks learnt from, one in the scored week. */
function bursts(scene: EntraScene): { training: number; scored: number; hours: number } {
  const d = scene.dice.for('proxy-spray-campaign');
  const w = scene.window;
  return { training: w.testStart - d.between(3, 6) * DAY + Math.round(d.uniform(0, 24) * HOUR), scored: w.testStart + d.between(0, 3) * DAY + Math.round(d.uniform(0, 20) * HOUR), hours: d.uniform(1, 2) };
}

/** A try from a fresh exit of the proxy network, geolocated in the target's country. */
function proxyTry(p: Person, t: number, error: number, d: Dice, scene: EntraScene): SignIn {
  const cc = PLACES[p.site.place].cc;
  const local = residentialIn(cc);
  const network = d.one(local.length > 0 ? local : residentialIn('SE'));
  return { t, user: identityOf(p), app: app(scene, 'Microsoft Office'), client: 'Mobile Apps and Desktop clients', interactive: true, device: OUTLOOK_DEVICE, userAgent: OUTLOOK_AGENT, network, ip: addressIn(network, d), error, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none', protocol: 'ropc' };
}

function proxySpray(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const b = bursts(scene);
  const hit = Math.max(b.scored + Math.round(d.uniform(0, b.hours) * HOUR), (p.hiredOn ?? 0) + Math.round(d.uniform(8, 12) * HOUR));
  const won = proxyTry(p, hit, 0, d, scene);
  x.signIn(won);
  const obvious = x.victim.style === 'obvious';
  const apps = [app(scene, 'Microsoft Office'), app(scene, EXO), app(scene, SPO)];
  const n = obvious ? d.between(8, 16) : d.between(2, 4);
  let t = hit;
  const line = d.one(residentialIn(won.network.place.cc, NETWORKS[p.home]).concat(won.network));
  const lineIp = addressIn(line, d);
  for (let k = 0; k < n; k++) {
    t += obvious ? d.between(3, 15) * MINUTE : Math.round(d.uniform(1, 5) * HOUR);
    // Obvious: every request leaves from another exit of the proxy network.
    const use = obvious ? proxyTry(p, t, 0, d, scene) : { ...won, t, network: line, ip: lineIp };
    x.signIn({ ...use, interactive: false, incomingToken: 'refreshToken', protocol: undefined, app: d.one(apps) });
  }
  const where = obvious ? 'a new proxy exit each time' : `${line.org} in ${line.place.country}`;
  return `password spray through a residential proxy network (one try per exit, in the victim's country): the password of an account without MFA worked, then the token used ${n} times from ${where}`;
}

/**
 * The campaign's tries against everyone else, in both bursts, and against its victims in the
 * burst before the scored week: one failure per proxy exit, innocent noise. None when nobody is sprayed.
 */
export function proxySprayNoise(people: Person[], victims: readonly EntraVictim[], scene: EntraScene): Emitted[] {
  const sprayed = victims.filter((v) => v.variant === 'proxy-spray').map((v) => v.person);
  if (sprayed.length === 0) return [];
  const spared = new Set(victims.map((v) => v.person.index));
  const d = scene.dice.for('proxy-spray-targets');
  const b = bursts(scene);
  const out: Emitted[] = [];
  const emit = (p: Person, start: number, k: number): void => {
    const td = d.for('try', p.index, start);
    const t = start + Math.round(td.uniform(0, b.hours) * HOUR);
    if (p.hiredOn !== undefined && t < p.hiredOn) return;
    const e = renderSignIn(proxyTry(p, t, td.chance(0.03) ? 50053 : 50126, td, scene), scene.org, td.for('render', k));
    e.drift = 'internet-noise';
    out.push(e);
  };
  const pool = people.filter((p) => p.kind === 'staff' && !spared.has(p.index));
  for (const start of [b.training, b.scored]) d.for('burst', start).some(pool, Math.min(pool.length, d.for('size', start).between(40, 70))).forEach((p, k) => emit(p, start, k));
  sprayed.forEach((p, k) => emit(p, b.training, k));
  return out;
}

// ---------------------------------------------------------------- the insider's Graph script

/** What the Graph PowerShell SDK sends from the owner's own computer. */
function powershellAgent(p: Person): string {
  if (p.laptop.os === 'macOS') return 'Mozilla/5.0 (Macintosh; Darwin 24.3.0 Darwin Kernel Version 24.3.0; en-US) PowerShell/7.4.6';
  if (p.laptop.os === 'Linux') return 'Mozilla/5.0 (X11; Linux x86_64; en-US) PowerShell/7.4.6';
  return 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6';
}

function graphScript(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const offset = PLACES[p.site.place].offset[scene.org.season];
  const obvious = x.victim.style === 'obvious';
  // Obvious: late on a weekday night. Subtle: a Saturday morning (the scored week starts on a Monday).
  const day = obvious ? attackDay(x.victim, scene.window, d, 4) : Math.max(scene.window.testStart + 5 * DAY, p.hiredOn ?? 0);
  const edge = p.site.edges?.[0];
  const conn: Connection = edge ? { network: NETWORKS[edge], ip: addressIn(NETWORKS[edge], d) } : { network: NETWORKS[p.home], ip: p.homeAddress };
  let t = atLocal(day, obvious ? d.uniform(22.5, 24) : d.uniform(8.5, 10.5), offset);
  const own = ownBrowser(p, scene, t);
  const graph = appDef('Microsoft Graph Command Line Tools', GRAPH_CLI_ID, GRAPH, 'desktop');
  const sharepoint = appDef('Microsoft Graph Command Line Tools', GRAPH_CLI_ID, SPO, 'desktop');
  // Connect-MgGraph: the browser opens once for the interactive sign-in.
  x.signIn({ t, app: graph, client: 'Mobile Apps and Desktop clients', interactive: true, device: own.claim, userAgent: own.userAgent, network: conn.network, ip: conn.ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
  const agent = powershellAgent(p);
  const device: DeviceClaim = { ...own.claim, browser: '' };
  const n = obvious ? d.between(10, 22) : d.between(4, 8);
  for (let k = 0; k < n; k++) {
    t += d.between(obvious ? 6 : 10, obvious ? 20 : 35) * MINUTE;
    x.signIn({ t, app: d.chance(0.6) ? sharepoint : graph, client: 'Mobile Apps and Desktop clients', interactive: false, device, userAgent: agent, network: conn.network, ip: conn.ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
  }
  if (obvious && d.chance(0.5)) {
    // The same script tried Exchange too: conditional access keeps mail to managed clients.
    x.signIn({ t: t + d.between(1, 10) * MINUTE, app: appDef('Microsoft Graph Command Line Tools', GRAPH_CLI_ID, EXO, 'desktop'), client: 'Mobile Apps and Desktop clients', interactive: false, device, userAgent: agent, network: conn.network, ip: conn.ip, error: 53003, requirement: 'multiFactorAuthentication', conditionalAccess: 'failure', risk: 'none' });
  }
  return `the owner's Microsoft Graph PowerShell script from home pulling SharePoint and OneDrive at ${obvious ? 'night' : 'a Saturday morning'}: ${n + 1} sign-ins`;
}

/** The set 5 variants, as plantEntraVariant dispatches them. */
export const SET5_ENTRA_TOOLING = { 'device-code': deviceCode, 'consent-grant': consentGrant, 'proxy-spray': proxySpray, 'graph-script': graphScript } as const;
