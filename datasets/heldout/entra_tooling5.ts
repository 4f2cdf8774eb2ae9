/**
 * Entra tooling variants added for set 7 (variants.ts), planted like the others and labelled with
 * the usual families:
 *
 * - T1078 `helpdesk-reset`: help-desk social engineering (Scattered Spider, Octo Tempest): the
 *   service desk resets the victim's password and MFA for a caller posing as them; the intruder
 *   signs in with the temporary password (expired, changed), registers an authenticator of their
 *   own through My Sign-ins, and uses the account from a new, unmanaged computer. Obvious: through
 *   a commercial VPN or hosting exit in the victim's evening, straight across the tenant's admin
 *   and data apps. Subtle: from a residential line in the victim's country in working hours, to
 *   the victim's own apps.
 * - T1110 `fasthttp`: a high-rate brute force with the FastHTTP Go library (user agent
 *   `fasthttp`) through the ROPC flow, from residential and hosting addresses in several
 *   countries, Brazil first; lockouts among the failures; the password of an account without MFA
 *   works and the mailbox is read with the token. Obvious: hundreds of tries in under an hour,
 *   then the mailbox at length; subtle: a few dozen over an evening, then a couple of reads.
 * - T1213 `copilot-search`: the owner asks Microsoft 365 Copilot, which they never used, to find
 *   what they should not see across SharePoint, then opens the documents it names: from home late
 *   at night at length (obvious), or a short session from their usual place in working hours
 *   (subtle).
 */
import { atLocal, HOUR, MINUTE } from './calendar';
import { laptopConnection, planDay, type Connection } from './days';
import { claimOf } from './entra_activity';
import { app, attackDay, favouriteBrowserApp, intruderBrowser, INTRUDER_EXITS, proxiesIn, type Intrusion } from './entra_attacks';
import type { DeviceClaim } from './entra_document';
import { officeHome, workingDay } from './entra_tooling2';
import { app as appDef, EXO, SPO, type AppDef } from './org_kit';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

// ---------------------------------------------------------------- help-desk reset

const MY_SIGNINS = appDef('My Signins', '19db86c3-b2b9-44cc-b339-36da233a3be2', 'Microsoft Graph', 'browser');

function helpdeskReset(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const driver = intruderBrowser(scene.org.releases.chromiumMajor, d);
  let network: Network;
  let t: number;
  let end: number;
  if (obvious) {
    const day = attackDay(x.victim, scene.window, d);
    network = NETWORKS[d.one(INTRUDER_EXITS.filter((n) => (NETWORKS[n].kind === 'vpn' || NETWORKS[n].kind === 'hosting') && NETWORKS[n].place.cc !== home.cc))];
    t = atLocal(day, d.uniform(18.5, 21.5), home.offset[scene.org.season]);
    end = t + 3 * HOUR;
  } else {
    const work = workingDay(x);
    const options = proxiesIn(home.cc, [p.home]);
    network = NETWORKS[d.one<NetworkName>(options.length > 0 ? options : [p.site.mobile])];
    t = atLocal(work.day, work.start + d.uniform(0.5, Math.max(1, work.end - work.start - 2)), work.offset);
    end = t + 1.5 * HOUR;
  }
  const ip = addressIn(network, d);
  const sign = (at: number, a: AppDef, error: number, requirement: 'singleFactorAuthentication' | 'multiFactorAuthentication', interactive = true): void =>
    x.signIn({ t: at, app: a, client: 'Browser', interactive, device: driver.claim, userAgent: driver.userAgent, network, ip, error, requirement, conditionalAccess: 'success', risk: 'none' });
  // The temporary password the desk set (expired at once), then the new authenticator's registration.
  sign(t, officeHome(scene), 50055, 'singleFactorAuthentication');
  t += d.between(1, 3) * MINUTE;
  sign(t, MY_SIGNINS, 50076, 'singleFactorAuthentication');
  t += d.between(2, 6) * MINUTE;
  sign(t, MY_SIGNINS, 0, 'multiFactorAuthentication');
  const own = p.apps.map(([a]) => a).filter((a) => a.paths.includes('browser'));
  const targets: AppDef[] = obvious
    ? [app(scene, 'Azure Portal'), app(scene, SPO), app(scene, EXO), ...scene.org.apps.filter((a) => a.name === 'AWS IAM Identity Center' || a.name === 'Microsoft Intune'), favouriteBrowserApp(p, scene)]
    : own.length > 0
      ? own
      : [favouriteBrowserApp(p, scene)];
  const n = obvious ? d.between(12, 24) : d.between(3, 6);
  for (let k = 0; k < n && t < end; k++) {
    t += d.between(obvious ? 2 : 5, obvious ? 9 : 20) * MINUTE;
    sign(t, d.one(targets), 0, 'multiFactorAuthentication', k === 0 || d.chance(obvious ? 0.5 : 0.3));
  }
  const where = obvious ? `${network.org} (${network.place.country}) in the evening` : `${network.org} in ${network.place.country} in working hours`;
  return `help-desk reset of password and MFA for a caller posing as ${p.login}: the temporary password, an authenticator of the intruder's registered through My Sign-ins, then ${n} sign-ins from a new computer through ${where}`;
}

// ---------------------------------------------------------------- FastHTTP brute force

const FASTHTTP_CLIENT: DeviceClaim = { id: '', os: '', browser: '' };
/** Where the campaign's tries came from: Brazil first, then hosting and other countries. */
const FASTHTTP_EXITS: readonly (readonly [NetworkName, number])[] = [
  ['claroNet', 3],
  ['vivoFibraPr', 3],
  ['timBrasil', 2],
  ['brHosting', 2],
  ['stark', 1],
  ['uaResidential', 1],
  ['digitalocean', 1],
];

function fastHttp(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const obvious = x.victim.style === 'obvious';
  const home = PLACES[p.site.place];
  const day = attackDay(x.victim, scene.window, d);
  let t = obvious ? atLocal(day, d.uniform(1, 5), home.offset[scene.org.season]) : atLocal(day, d.uniform(18, 20), home.offset[scene.org.season]);
  const tries = obvious ? d.between(150, 400) : d.between(25, 60);
  const span = (obvious ? d.uniform(0.3, 0.9) : d.uniform(3, 5)) * HOUR;
  const office = app(scene, 'Microsoft Office');
  const attempt = (at: number, network: Network, ip: string, error: number): void =>
    x.signIn({ t: at, app: office, client: 'Mobile Apps and Desktop clients', interactive: true, device: FASTHTTP_CLIENT, userAgent: 'fasthttp', network, ip, error, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none', protocol: 'ropc' });
  const step = span / tries;
  for (let k = 0; k < tries; k++) {
    const network = NETWORKS[d.weighted(FASTHTTP_EXITS)];
    attempt(t, network, addressIn(network, d), d.chance(obvious ? 0.12 : 0.05) ? 50053 : 50126);
    t += Math.max(1000, Math.round(step * d.uniform(0.3, 1.7)));
  }
  const winner = NETWORKS[d.weighted(FASTHTTP_EXITS)];
  const ip = addressIn(winner, d);
  attempt(t, winner, ip, 0);
  // The token read the mailbox from the address that won.
  const reads = obvious ? d.between(12, 30) : d.between(2, 4);
  for (let k = 0; k < reads; k++) {
    t += obvious ? d.between(1, 5) * MINUTE : Math.round(d.uniform(0.5, 3) * HOUR);
    x.signIn({ t, app: app(scene, EXO), client: 'Mobile Apps and Desktop clients', interactive: false, device: FASTHTTP_CLIENT, userAgent: 'fasthttp', network: winner, ip, error: 0, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none', incomingToken: 'refreshToken' });
  }
  return `FastHTTP brute force (user agent fasthttp, ROPC): ${tries} tries in ${(span / HOUR).toFixed(1)} h from Brazilian and other addresses, then the password of an account without MFA worked from ${winner.org} and the mailbox was read ${reads} times`;
}

// ---------------------------------------------------------------- Copilot over SharePoint

const COPILOT = appDef('Microsoft 365 Copilot', 'fb8d773d-7ef8-4ec0-a117-179f88add510', 'Microsoft 365 Copilot', 'browser', 'desktop');

function copilotSearch(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const obvious = x.victim.style === 'obvious';
  let t: number;
  let conn: Connection;
  if (obvious) {
    const offset = PLACES[p.site.place].offset[scene.org.season];
    const day = attackDay(x.victim, scene.window, d, 4);
    conn = { network: NETWORKS[p.home], ip: p.homeAddress };
    t = atLocal(day, d.uniform(22.5, 24.5), offset);
  } else {
    const work = workingDay(x);
    conn = laptopConnection(p, planDay(p, work.day, scene), scene, d);
    t = atLocal(work.day, work.start + d.uniform(1, Math.max(1.5, work.end - work.start - 1.5)), work.offset);
  }
  const own = claimOf(p.laptop, scene, t, false);
  const offSite = conn.namedLocation === undefined;
  const signIn = (at: number, a: AppDef, interactive: boolean): void =>
    x.signIn({ t: at, app: a, client: 'Browser', interactive, device: own.claim, userAgent: own.userAgent, network: conn.network, ip: conn.ip, error: 0, requirement: offSite ? 'multiFactorAuthentication' : 'singleFactorAuthentication', conditionalAccess: offSite ? 'success' : 'notApplied', risk: 'none', namedLocation: conn.namedLocation });
  signIn(t, COPILOT, true);
  const n = obvious ? d.between(20, 40) : d.between(5, 9);
  const spo = app(scene, SPO);
  let prompts = 1;
  for (let k = 0; k < n; k++) {
    t += d.between(obvious ? 1 : 2, obvious ? 6 : 9) * MINUTE;
    const ask = d.chance(0.4);
    if (ask) prompts++;
    signIn(t, ask ? COPILOT : spo, d.chance(0.1));
  }
  const where = obvious ? 'from home late at night' : `from ${offSite ? conn.network.org : 'the office'} in working hours`;
  return `Microsoft 365 Copilot, never used before, asked ${prompts} times for what the owner should not see, and the SharePoint documents it named opened, ${where}: ${n + 1} sign-ins`;
}

/** The set 7 variants, as plantEntraVariant dispatches them. */
export const SET7_ENTRA_TOOLING = { 'helpdesk-reset': helpdeskReset, fasthttp: fastHttp, 'copilot-search': copilotSearch } as const;
