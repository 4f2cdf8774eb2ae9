/**
 * Entra tooling variants added for set 4 (variants.ts), planted like the others and labelled with
 * the usual families:
 *
 * - T1078 `token-theft`: an infostealer on the victim's computer takes a desktop app's refresh
 *   token; it is redeemed non-interactively (incoming token `refreshToken`, no device id: an app
 *   refresh token is not bound to the device) from a hosting or cloud range in the victim's own
 *   country, the way Storm-2372 picked regionally appropriate proxies. The token belongs to a
 *   client family, so it also buys tokens for the family's other apps. Obvious: a script
 *   (python-requests) at night, dozens of redemptions across mail, files, Teams and Azure.
 *   Subtle: a few redemptions in the victim's working afternoon with the desktop app's own user
 *   agent, for the same app.
 * - T1110 `slow-spray`: a spray kept below lockout and alerting for the whole month: one try per
 *   account every two to six days, each from a different residential router abroad (a covert
 *   network of compromised home routers, as Storm-0940's CovertNetwork-1658), with an ordinary
 *   browser. It reaches an account the MFA policy leaves out (no phone to register), the password
 *   works, and the session is used: from routers abroad through the evening (obvious) or a few
 *   times from a home router in the victim's own country (subtle). The tries before the scored
 *   week, and those against everyone whose password held, are innocent noise (`slowSprayNoise`).
 */
import { atLocal, DAY, HOUR, MINUTE, type Window } from './calendar';
import type { Dice } from './dice';
import { planDay } from './days';
import { claimOf, identityOf, type EntraScene } from './entra_activity';
import { app, attackDay, INTRUDER_EXITS, type Intrusion, type EntraVictim } from './entra_attacks';
import { renderSignIn, type DeviceClaim, type SignIn } from './entra_document';
import type { Emitted } from './labels';
import type { AppDef } from './organisations';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkKind, type NetworkName } from './world';

const ALL = (): Network[] => (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]);

/** Networks the organisation itself uses (offices, homes, mobile, edges): never an intruder's. */
export function ownNetworks(scene: EntraScene): Set<Network> {
  const own = new Set<Network>();
  for (const site of scene.org.sites) for (const n of [site.office, site.mobile, ...site.homes, ...(site.edges ?? [])]) own.add(NETWORKS[n]);
  if (scene.org.virtualDesktops) own.add(NETWORKS[scene.org.virtualDesktops.network]);
  return own;
}

/** Ranges of the kinds asked for in a country (any city), not the organisation's own. */
export function regional(scene: EntraScene, cc: string, kinds: readonly NetworkKind[]): Network[] {
  const own = ownNetworks(scene);
  return ALL().filter((n) => n.place.cc === cc && kinds.includes(n.kind) && !own.has(n));
}

export const officeHome = (scene: EntraScene): AppDef => scene.org.apps.find((a) => a.name === 'OfficeHome') ?? app(scene, 'Office 365 Exchange Online');

// ---------------------------------------------------------------- the stolen refresh token

/** Microsoft clients of one family: a refresh token of one is redeemed for the others. */
const CLIENT_FAMILY = ['Microsoft Office', 'Microsoft Teams', 'OneDrive SyncEngine', 'Outlook Mobile', 'Microsoft Azure CLI'];
const SCRIPT_AGENT = 'python-requests/2.32.3';

/** A scored day the victim works a real shift, and that shift. */
export function workingDay(x: Intrusion): { day: number; start: number; end: number; offset: number } {
  const p = x.victim.person;
  for (let tries = 0; tries < 12; tries++) {
    const day = attackDay(x.victim, x.scene.window, x.d);
    const plan = planDay(p, day, x.scene);
    if (plan.shift && !plan.shift.lookIn) return { day, start: plan.shift.start, end: plan.shift.end, offset: plan.offset };
  }
  return { day: attackDay(x.victim, x.scene.window, x.d), start: p.habits.start, end: p.habits.start + p.habits.length, offset: PLACES[p.site.place].offset[x.scene.org.season] };
}

function tokenTheft(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const local = regional(scene, home.cc, obvious ? ['hosting', 'vpn', 'cloud'] : ['cloud', 'hosting']);
  const exit = d.one(local.length > 0 ? local : INTRUDER_EXITS.map((n): Network => NETWORKS[n]).filter((n) => n.place.cc !== home.cc && n.kind === 'hosting'));
  const ip = addressIn(exit, d);
  // The app whose token cache was read: a family client the victim runs on their computer.
  const desktop = p.apps.filter(([a]) => a.paths.includes('desktop') && CLIENT_FAMILY.includes(a.name)).sort((a, b) => b[1] - a[1]);
  const stolen = desktop[0]?.[0] ?? app(scene, 'Microsoft Office');
  const family = CLIENT_FAMILY.map((name) => scene.org.apps.find((a) => a.name === name)).filter((a): a is AppDef => a !== undefined);
  const redeem = (t: number, a: AppDef, device: DeviceClaim, userAgent: string, risky: boolean): void =>
    x.signIn({ t, app: a, client: 'Mobile Apps and Desktop clients', interactive: false, device, userAgent, network: exit, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: risky ? 'medium' : 'none', incomingToken: 'refreshToken' });
  if (obvious) {
    const day = attackDay(x.victim, scene.window, d);
    const device: DeviceClaim = { id: '', os: '', browser: 'Python Requests 2.32' };
    const n = d.between(25, 60);
    const span = d.uniform(1, 2.5) * HOUR;
    const from = atLocal(day, d.uniform(0.5, 4), home.offset[scene.org.season]);
    const times = [...Array(n)].map(() => from + d.uniform(0, span)).sort((a, b) => a - b);
    times.forEach((t, k) => redeem(Math.round(t), k === 0 ? stolen : d.one(family), device, SCRIPT_AGENT, d.chance(0.2)));
    return `${stolen.name}'s refresh token stolen from the victim's computer and redeemed ${n} times by a script at night from ${exit.org} (${exit.place.city}, the victim's own country), for the whole client family`;
  }
  const work = workingDay(x);
  const n = d.between(4, 9);
  const from = work.start + Math.min(3, Math.max(0.5, (work.end - work.start) / 2));
  const times = [...Array(n)].map(() => atLocal(work.day, from + d.uniform(0, Math.max(1, work.end - from)), work.offset)).sort((a, b) => a - b);
  const others = [stolen, app(scene, 'Microsoft Office'), ...family.filter((a) => a.name === 'Outlook Mobile')];
  for (const t of times) {
    // The desktop app's own user agent, copied; no device id (the token is not the device's).
    const own = claimOf(p.laptop, scene, t, true);
    redeem(t, d.chance(0.8) ? stolen : d.one(others), { id: '', os: own.claim.os, browser: own.claim.browser, parseAs: own.claim.parseAs }, own.userAgent, false);
  }
  return `${stolen.name}'s refresh token stolen from the victim's computer and redeemed ${n} times in working hours from ${exit.org} (${exit.place.city}, the victim's own country) with the app's own user agent`;
}

// ---------------------------------------------------------------- the month-long spray

interface Try {
  t: number;
  network: Network;
  ip: string;
  agent: { claim: DeviceClaim; userAgent: string };
}

/** The browsers the spray tool rotates through (current majors, Windows). */
function sprayAgent(chromium: number, d: Dice): { claim: DeviceClaim; userAgent: string } {
  const kind = d.weighted([['chrome', 0.6], ['edge', 0.3], ['firefox', 0.1]] as const);
  const base = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromium}.0.0.0 Safari/537.36`;
  if (kind === 'edge') return { claim: { id: '', os: 'Windows 10', browser: `Edge ${chromium}.0.0` }, userAgent: `${base} Edg/${chromium}.0.0.0` };
  if (kind === 'firefox') {
    const ff = chromium - 8;
    return { claim: { id: '', os: 'Windows 10', browser: `Firefox ${ff}.0` }, userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${ff}.0) Gecko/20100101 Firefox/${ff}.0` };
  }
  return { claim: { id: '', os: 'Windows 10', browser: `Chrome ${chromium}.0.0` }, userAgent: base };
}

/** Home routers the covert network has taken over: residential lines abroad, never the organisation's (nor those later sets added). */
function routers(scene: EntraScene, cc: string): Network[] {
  const own = ownNetworks(scene);
  return ALL().filter((n) => n.kind === 'residential' && n.place.cc !== cc && !own.has(n) && n.introducedBy === undefined);
}

/** Every try the campaign makes against one account over the window (its own schedule). */
function triesAgainst(p: Person, scene: EntraScene): Try[] {
  const w: Window = scene.window;
  const d = scene.dice.for('slow-spray', p.index);
  const pool = routers(scene, PLACES[p.site.place].cc);
  const chromium = scene.org.releases.chromiumMajor;
  const out: Try[] = [];
  let t = w.start + d.uniform(0, 5) * DAY;
  for (let k = 0; t < w.end; k++) {
    if (t >= (p.hiredOn ?? 0)) {
      const td = d.for('try', k);
      const network = td.one(pool);
      out.push({ t: Math.round(t), network, ip: addressIn(network, td), agent: sprayAgent(chromium, td) });
    }
    t += d.uniform(2, 6) * DAY;
  }
  return out;
}

function sprayTry(p: Person, s: Try, scene: EntraScene, error: number): SignIn {
  return { t: s.t, user: identityOf(p), app: officeHome(scene), client: 'Browser', interactive: true, device: s.agent.claim, userAgent: s.agent.userAgent, network: s.network, ip: s.ip, error, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none' };
}

function slowSpray(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const w = scene.window;
  let scored = triesAgainst(p, scene).filter((s) => s.t >= w.testStart && s.t < w.end - 30 * HOUR);
  if (scored.length === 0) {
    // The schedule skipped the week: one more try on its first day.
    const net = d.one(routers(scene, PLACES[p.site.place].cc));
    scored = [{ t: Math.max(w.testStart, p.hiredOn ?? 0) + Math.round(d.uniform(2, 20) * HOUR), network: net, ip: addressIn(net, d), agent: sprayAgent(scene.org.releases.chromiumMajor, d) }];
  }
  const hit = d.between(0, scored.length - 1);
  for (let k = 0; k < hit; k++) x.signIn(sprayTry(p, scored[k], scene, 50126));
  const win = scored[hit];
  x.signIn(sprayTry(p, win, scene, 0));
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const apps = [officeHome(scene), app(scene, 'Office 365 Exchange Online'), app(scene, 'Office 365 SharePoint Online'), app(scene, 'Microsoft Teams')];
  const locals = ALL().filter((n) => n.place.cc === home.cc && n.kind === 'residential' && n !== NETWORKS[p.home]);
  const use = obvious ? d.one(routers(scene, home.cc).filter((n) => n !== win.network)) : d.one(locals.length > 0 ? locals : [win.network]);
  const ip = addressIn(use, d);
  const n = obvious ? d.between(8, 16) : d.between(3, 6);
  let t = win.t + (obvious ? d.between(10, 60) * MINUTE : Math.round(d.uniform(4, 20) * HOUR));
  for (let k = 0; k < n; k++) {
    x.signIn({ t, app: k === 0 ? officeHome(scene) : d.one(apps), client: 'Browser', interactive: k === 0 || d.chance(0.3), device: win.agent.claim, userAgent: win.agent.userAgent, network: use, ip, error: 0, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: obvious && d.chance(0.3) ? 'medium' : 'none' });
    t += d.between(obvious ? 4 : 20, obvious ? 25 : 90) * MINUTE;
  }
  const where = obvious ? `routers abroad (${use.org}, ${use.place.country})` : `a home router in ${use.place.country} (${use.org})`;
  return `month-long password spray, one try every few days from a different residential router: after ${hit} more failures in the scored week the password worked on an account without MFA, then ${n} sign-ins from ${where}`;
}

/**
 * The campaign's tries against everyone else, and against its victims before the scored week:
 * failures from residential routers all month, innocent noise. None when nobody is sprayed.
 */
export function slowSprayNoise(people: Person[], victims: readonly EntraVictim[], scene: EntraScene): Emitted[] {
  const sprayed = victims.filter((v) => v.variant === 'slow-spray').map((v) => v.person);
  if (sprayed.length === 0) return [];
  const spared = new Set(victims.map((v) => v.person.index));
  const d = scene.dice.for('slow-spray-targets');
  const pool = people.filter((p) => p.kind === 'staff' && !spared.has(p.index));
  const out: Emitted[] = [];
  const emit = (p: Person, s: Try): void => {
    const e = renderSignIn(sprayTry(p, s, scene, 50126), scene.org, d.for('render', p.index, s.t));
    e.drift = 'internet-noise';
    out.push(e);
  };
  for (const p of d.some(pool, Math.min(pool.length, d.between(25, 45)))) for (const s of triesAgainst(p, scene)) emit(p, s);
  for (const p of sprayed) for (const s of triesAgainst(p, scene)) if (s.t < scene.window.testStart) emit(p, s);
  return out;
}

/** The set 4 variants, as plantEntraVariant dispatches them. */
export const MORE_ENTRA_TOOLING = { 'token-theft': tokenTheft, 'slow-spray': slowSpray } as const;
