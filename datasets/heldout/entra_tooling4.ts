/**
 * Entra tooling variants added for set 6 (variants.ts), planted like the others and labelled with
 * the usual families:
 *
 * - T1078 `prt-replay`: a primary refresh token taken from the victim's Entra-joined Windows
 *   computer (or the kiosk they sign in on) and replayed as a browser SSO cookie elsewhere: the
 *   sign-ins carry the victim's own device id, trust and MFA claim, `incoming_token_type`
 *   `primaryRefreshToken`, but come from another network. Obvious: from a hosting range abroad
 *   at the victim's night, across mail, files and Teams, then a rogue device registered with the
 *   token (ROADtx). Subtle: a few SSO sign-ins to the victim's own apps, with the victim's own
 *   browser string, from a residential line in the victim's country in working hours.
 * - T1110 `teamfiltration`: the TeamFiltration framework's spray: waves across many accounts
 *   from AWS hosts, each wave in another AWS region, one ROPC try per account through the
 *   Microsoft Teams client with an outdated Teams desktop user agent. An account without MFA
 *   falls; its token is redeemed for the other clients of its family (OneDrive, Office, Outlook)
 *   from the same host: at once and at length (obvious), or a couple of times later (subtle). The
 *   waves' other tries, one in the weeks learnt from and two in the scored week, are innocent
 *   noise (`teamFiltrationNoise`).
 * - T1213 `ediscovery-export`: an IT administrator searches other people's mailboxes and sites
 *   with Microsoft Purview eDiscovery and exports the results, through the compliance portal
 *   they never used before: from home late at night (obvious) or from the office in working
 *   hours, a short session (subtle).
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { laptopConnection, planDay, type Connection } from './days';
import { claimOf, identityOf, type EntraScene } from './entra_activity';
import { app, attackDay, favouriteBrowserApp, intruderBrowser, INTRUDER_EXITS, proxiesIn, type EntraVictim, type Intrusion } from './entra_attacks';
import { renderSignIn, type DeviceClaim, type SignIn } from './entra_document';
import { officeHome, workingDay } from './entra_tooling2';
import type { Emitted } from './labels';
import { app as appDef, EXO, SPO, type AppDef } from './org_kit';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

const BROKER_ID = '29d9ed98-a469-4536-ade2-f981bc1d605e';

// ---------------------------------------------------------------- pass-the-PRT

function prtReplay(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const favourite = favouriteBrowserApp(p, scene);
  const sso = (t: number, a: AppDef, network: Network, ip: string, device: DeviceClaim, userAgent: string, interactive: boolean): void =>
    x.signIn({ t, app: a, client: 'Browser', interactive, device, userAgent, network, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none', incomingToken: 'primaryRefreshToken' });
  if (obvious) {
    const offset = home.offset[scene.org.season];
    const day = attackDay(x.victim, scene.window, d);
    const exits = INTRUDER_EXITS.map((n): Network => NETWORKS[n]).filter((n) => n.kind === 'hosting' && n.place.cc !== home.cc);
    const exit = d.one(exits);
    const ip = addressIn(exit, d);
    let t = atLocal(day, d.uniform(0.5, 4), offset);
    // The victim's device as the token names it; the browser the intruder drives.
    const own = claimOf(p.laptop, scene, t, false).claim;
    const driver = intruderBrowser(scene.org.releases.chromiumMajor + 1, d);
    const device: DeviceClaim = { ...own, browser: driver.claim.browser, parseAs: undefined };
    const apps = [officeHome(scene), app(scene, EXO), app(scene, SPO), app(scene, 'Microsoft Teams'), favourite];
    const n = d.between(12, 25);
    for (let k = 0; k < n; k++) {
      sso(t, k === 0 ? officeHome(scene) : d.one(apps), exit, ip, device, driver.userAgent, k === 0 || d.chance(0.3));
      t += d.between(2, 10) * MINUTE;
    }
    // The token registers a device of the intruder's own, then that device signs in as the victim.
    const register = appDef('Microsoft Authentication Broker', BROKER_ID, 'Device Registration Service', 'desktop');
    x.signIn({ t, app: register, client: 'Mobile Apps and Desktop clients', interactive: false, device, userAgent: 'python-requests/2.32.3', network: exit, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none', incomingToken: 'primaryRefreshToken' });
    const rogue: DeviceClaim = { id: d.uuid(), name: `DESKTOP-${d.alnum(7)}`, os: 'Windows 10', browser: 'Rich Client 5.4.0.0', trust: 'Azure AD registered', compliant: false };
    const m = d.between(3, 7);
    for (let k = 0; k < m; k++) {
      t += d.between(3, 15) * MINUTE;
      x.signIn({ t, app: d.one([app(scene, 'Microsoft Office'), app(scene, EXO), app(scene, 'OneDrive SyncEngine')]), client: 'Mobile Apps and Desktop clients', interactive: false, device: rogue, userAgent: 'python-requests/2.32.3', network: exit, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
    }
    return `the primary refresh token of ${p.laptop.name} replayed from ${exit.org} (${exit.place.country}) at night: ${n} SSO sign-ins with the victim's device claims, then a rogue device registered and ${m} sign-ins from it`;
  }
  const work = workingDay(x);
  const options = proxiesIn(home.cc, [p.home]);
  const proxy = NETWORKS[d.one<NetworkName>(options.length > 0 ? options : [p.site.mobile])];
  const ip = addressIn(proxy, d);
  const n = d.between(3, 6);
  for (let k = 0; k < n; k++) {
    const day = work.day + (k >= Math.ceil(n / 2) ? DAY : 0);
    const t = atLocal(day, work.start + d.uniform(0.5, Math.max(1, Math.min(7, work.end - work.start - 0.5))), work.offset);
    const own = claimOf(p.laptop, scene, t, false);
    sso(t, d.chance(0.7) ? favourite : officeHome(scene), proxy, ip, own.claim, own.userAgent, false);
  }
  return `the primary refresh token of ${p.laptop.name} replayed through ${proxy.org} in ${proxy.place.country} in working hours: ${n} SSO sign-ins to the victim's own apps with the victim's device and browser`;
}

// ---------------------------------------------------------------- TeamFiltration

/** The outdated Teams desktop client TeamFiltration presents itself as. */
const TEAMS_OLD = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Teams/1.3.00.24755 Chrome/69.0.3497.128 Electron/4.2.12 Safari/537.36';
const TEAMS_DEVICE: DeviceClaim = { id: '', os: 'Windows 10', browser: 'Rich Client 4.2.12' };
/** AWS regions the framework's hosts run in: one per wave. */
const AWS_HOSTS: readonly NetworkName[] = ['awsDublin', 'awsFrankfurt', 'awsAshburn', 'awsOregon', 'awsSingapore', 'awsSydney', 'awsTokyo'];

interface Wave {
  start: number;
  hours: number;
  host: Network;
}

/** The campaign's waves, shared by every account it tries: one in the weeks learnt from, two in the scored week. */
function waves(scene: EntraScene): { training: Wave; first: Wave; second: Wave } {
  const d = scene.dice.for('teamfiltration-campaign');
  const w = scene.window;
  const [a, b, c] = d.some(AWS_HOSTS, 3).map((n): Network => NETWORKS[n]);
  const hours = (): number => d.uniform(1.5, 3);
  return {
    training: { start: w.testStart - d.between(4, 9) * DAY + Math.round(d.uniform(0, 24) * HOUR), hours: hours(), host: a },
    first: { start: w.attacksFrom + d.between(0, 2) * DAY + Math.round(d.uniform(0, 20) * HOUR), hours: hours(), host: b },
    second: { start: w.attacksFrom + d.between(3, 4) * DAY + Math.round(d.uniform(0, 20) * HOUR), hours: hours(), host: c },
  };
}

/** One try of a wave: Teams' client id, ROPC, from another address of the wave's host range. */
function waveTry(p: Person, t: number, wave: Wave, error: number, d: Dice, scene: EntraScene): SignIn {
  return { t, user: identityOf(p), app: app(scene, 'Microsoft Teams'), client: 'Mobile Apps and Desktop clients', interactive: true, device: TEAMS_DEVICE, userAgent: TEAMS_OLD, network: wave.host, ip: addressIn(wave.host, d), error, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none', protocol: 'ropc' };
}

function teamFiltration(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const { first } = waves(scene);
  const hit = Math.max(first.start + Math.round(d.uniform(0, first.hours) * HOUR), (p.hiredOn ?? 0) + Math.round(d.uniform(8, 12) * HOUR));
  const won = waveTry(p, hit, first, 0, d, scene);
  x.signIn(won);
  const obvious = x.victim.style === 'obvious';
  // The family of Microsoft clients one refresh token is good for.
  const family = [app(scene, 'Microsoft Teams'), app(scene, 'OneDrive SyncEngine'), app(scene, 'Microsoft Office'), app(scene, 'Outlook Mobile')];
  const n = obvious ? d.between(15, 35) : d.between(2, 4);
  let t = hit;
  for (let k = 0; k < n; k++) {
    t += obvious ? d.between(1, 6) * MINUTE : Math.round(d.uniform(2, 9) * HOUR);
    x.signIn({ ...won, t, interactive: false, incomingToken: 'refreshToken', protocol: undefined, app: d.one(family), ip: won.ip });
  }
  const when = obvious ? 'at once' : 'over the following hours';
  return `TeamFiltration spray from ${first.host.org} (${first.host.place.city}) through the Teams client: the password of an account without MFA worked, then its token redeemed ${n} times ${when} for OneDrive, Office and Outlook from the same host`;
}

/**
 * The campaign's tries against everyone else, in all three waves, and against its victims in the
 * wave before the scored week: one failure each, innocent noise. None when nobody is sprayed.
 */
export function teamFiltrationNoise(people: Person[], victims: readonly EntraVictim[], scene: EntraScene): Emitted[] {
  const sprayed = victims.filter((v) => v.variant === 'teamfiltration').map((v) => v.person);
  if (sprayed.length === 0) return [];
  const spared = new Set(victims.map((v) => v.person.index));
  const d = scene.dice.for('teamfiltration-targets');
  const all = waves(scene);
  const out: Emitted[] = [];
  const emit = (p: Person, wave: Wave, k: number): void => {
    const td = d.for('try', p.index, wave.start);
    const t = wave.start + Math.round(td.uniform(0, wave.hours) * HOUR);
    if (p.hiredOn !== undefined && t < p.hiredOn) return;
    const e = renderSignIn(waveTry(p, t, wave, td.chance(0.04) ? 50053 : 50126, td, scene), scene.org, td.for('render', k));
    e.drift = 'internet-noise';
    out.push(e);
  };
  const pool = people.filter((p) => p.kind === 'staff' && !spared.has(p.index));
  for (const wave of [all.training, all.first, all.second]) d.for('wave', wave.start).some(pool, Math.min(pool.length, d.for('size', wave.start).between(35, 65))).forEach((p, k) => emit(p, wave, k));
  sprayed.forEach((p, k) => emit(p, all.training, k));
  return out;
}

// ---------------------------------------------------------------- eDiscovery by an administrator

const COMPLIANCE_ID = '80ccca67-54bd-44ab-8625-4b79c4dc7775';
const COMPLIANCE = 'Microsoft 365 Security and Compliance Center';

function ediscoveryExport(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const obvious = x.victim.style === 'obvious';
  let t: number;
  let conn: Connection;
  if (obvious) {
    const offset = PLACES[p.site.place].offset[scene.org.season];
    const day = attackDay(x.victim, scene.window, d, 4);
    const edge = p.site.edges?.[0];
    conn = edge ? { network: NETWORKS[edge], ip: addressIn(NETWORKS[edge], d) } : { network: NETWORKS[p.home], ip: p.homeAddress };
    t = atLocal(day, d.uniform(22, 23.5), offset);
  } else {
    const work = workingDay(x);
    const plan = planDay(p, work.day, scene);
    conn = laptopConnection(p, plan, scene, d);
    t = atLocal(work.day, work.start + d.uniform(1, Math.max(1.5, work.end - work.start - 1.5)), work.offset);
  }
  const portal = appDef(COMPLIANCE, COMPLIANCE_ID, COMPLIANCE, 'browser');
  const searches = [appDef(COMPLIANCE, COMPLIANCE_ID, EXO, 'browser'), appDef(COMPLIANCE, COMPLIANCE_ID, SPO, 'browser'), portal];
  const own = claimOf(p.laptop, scene, t, false);
  const offSite = conn.namedLocation === undefined;
  const signIn = (at: number, a: AppDef, interactive: boolean): void =>
    x.signIn({ t: at, app: a, client: 'Browser', interactive, device: own.claim, userAgent: own.userAgent, network: conn.network, ip: conn.ip, error: 0, requirement: offSite ? 'multiFactorAuthentication' : 'singleFactorAuthentication', conditionalAccess: offSite ? 'success' : 'notApplied', risk: 'none', namedLocation: conn.namedLocation });
  signIn(t, portal, true);
  const n = obvious ? d.between(15, 30) : d.between(5, 9);
  for (let k = 0; k < n; k++) {
    t += d.between(obvious ? 3 : 2, obvious ? 10 : 7) * MINUTE;
    signIn(t, d.one(searches), d.chance(0.15));
  }
  const where = obvious ? 'from home late at night' : `from ${offSite ? conn.network.org : 'the office'} in working hours`;
  return `eDiscovery content searches over other people's mailboxes and sites and an export through the Purview compliance portal, ${where}: ${n + 1} sign-ins`;
}

/** The set 6 variants, as plantEntraVariant dispatches them. */
export const SET6_ENTRA_TOOLING = { 'prt-replay': prtReplay, teamfiltration: teamFiltration, 'ediscovery-export': ediscoveryExport } as const;
