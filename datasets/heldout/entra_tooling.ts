/**
 * Entra tooling variants (variants.ts), planted like the classic ones in entra_attacks.ts and
 * labelled with the same families:
 *
 * - T1078 `aitm-replay`: the victim, at work, signs in through an adversary-in-the-middle proxy
 *   on a hosting range; the proxy relays their own browser's user agent and their MFA. The stolen
 *   session cookie is then replayed from a VPN exit or hosting range in another city, with the
 *   victim's user agent, to the victim's apps; no device id (the proxy breaks device SSO).
 *   Obvious: proxy and replay abroad, mail and files through the evening. Subtle: both in the
 *   victim's own country, a few sign-ins to the victim's own apps in working hours.
 * - T1110 `mfa-fatigue`: the password is known; push prompts go out every minute or three
 *   around midnight until the victim approves one, then a session from the same exit.
 * - T1110 `cloud-spray`: one PowerShell try a day through rotating cloud gateway addresses
 *   (FireProx style), hitting many accounts of the tenant; the victim's password works on a
 *   client conditional access does not cover, and the token is used. The tries against everyone
 *   else are innocent internet noise (`sprayCollateral`).
 * - T1213 `personal-device`: the owner on an unmanaged personal computer on their home line,
 *   pulling SharePoint documents late at night (obvious) or on a weekend afternoon (subtle).
 *
 * Set 4's `token-theft` and `slow-spray` are in entra_tooling2.ts, set 5's `device-code`,
 * `consent-grant`, `proxy-spray` and `graph-script` in entra_tooling3.ts, set 6's `prt-replay`,
 * `teamfiltration` and `ediscovery-export` in entra_tooling4.ts.
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { planDay } from './days';
import { claimOf, identityOf, type EntraScene } from './entra_activity';
import { app, attackDay, favouriteBrowserApp, INTRUDER_EXITS, Intrusion, intruderBrowser, type EntraVictim } from './entra_attacks';
import { renderSignIn, type DeviceClaim, type SignIn } from './entra_document';
import { MORE_ENTRA_TOOLING } from './entra_tooling2';
import { SET5_ENTRA_TOOLING } from './entra_tooling3';
import { SET6_ENTRA_TOOLING } from './entra_tooling4';
import { SET7_ENTRA_TOOLING } from './entra_tooling5';
import type { Emitted, PlantedAttack } from './labels';
import type { AppDef } from './organisations';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkKind, type NetworkName } from './world';

/** Intruder networks abroad (from the usual exits) of the kinds asked for. */
function exitsAbroad(cc: string, kinds: readonly NetworkKind[]): Network[] {
  return INTRUDER_EXITS.map((n) => NETWORKS[n]).filter((n) => n.place.cc !== cc && kinds.includes(n.kind));
}

/** Networks the organisation itself uses (offices, homes, VPN, its cloud desktops): never an intruder's. */
function ownNetworks(scene: EntraScene): Set<Network> {
  const own = new Set<Network>();
  for (const site of scene.org.sites) for (const n of [site.office, site.mobile, ...site.homes, ...(site.edges ?? [])]) own.add(NETWORKS[n]);
  if (scene.org.virtualDesktops) own.add(NETWORKS[scene.org.virtualDesktops.network]);
  return own;
}

/** Hosting, cloud and VPN networks in a country, away from the victim's own city and not the organisation's. */
function exitsAtHome(scene: EntraScene, cc: string, city: string, kinds: readonly NetworkKind[]): Network[] {
  const own = ownNetworks(scene);
  return (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.place.cc === cc && n.place.city !== city && kinds.includes(n.kind) && !own.has(n));
}

/** A scored day the victim works a real shift on, and that day's plan. */
function workingDay(x: Intrusion): { day: number; start: number; end: number; offset: number } {
  const p = x.victim.person;
  let day = attackDay(x.victim, x.scene.window, x.d);
  for (let tries = 0; tries < 12; tries++) {
    const plan = planDay(p, day, x.scene);
    if (plan.shift && !plan.shift.lookIn) return { day, start: plan.shift.start, end: plan.shift.end, offset: plan.offset };
    day = attackDay(x.victim, x.scene.window, x.d);
  }
  return { day, start: p.habits.start, end: p.habits.start + p.habits.length, offset: PLACES[p.site.place].offset[x.scene.org.season] };
}

/** The victim's own browser as a proxy or a replayed cookie shows it: same user agent, no device identity. */
function relayedBrowser(p: Person, scene: EntraScene, t: number): { claim: DeviceClaim; userAgent: string } {
  const own = claimOf(p.laptop, scene, t, false);
  return { claim: { id: '', os: own.claim.os, browser: own.claim.browser, parseAs: own.claim.parseAs }, userAgent: own.userAgent };
}

const officeHome = (scene: EntraScene): AppDef => scene.org.apps.find((a) => a.name === 'OfficeHome') ?? app(scene, 'Office 365 Exchange Online');

function aitmReplay(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const obvious = x.victim.style === 'obvious';
  const work = workingDay(x);
  const localHosting = exitsAtHome(scene, home.cc, home.city, ['hosting', 'cloud']);
  const proxy = d.one(obvious || localHosting.length === 0 ? exitsAbroad(home.cc, ['hosting']) : localHosting);
  const localReplay = exitsAtHome(scene, home.cc, home.city, ['vpn', 'hosting', 'cloud']).filter((n) => n !== proxy);
  const replay = d.one(obvious || localReplay.length === 0 ? exitsAbroad(home.cc, ['vpn', 'hosting']).filter((n) => n !== proxy) : localReplay);
  // The click: in working hours, the victim's own MFA answered through the proxy.
  const click = atLocal(work.day, work.start + d.uniform(0.5, Math.max(1, Math.min(6, work.end - work.start - 1))), work.offset);
  const phished = relayedBrowser(p, scene, click);
  x.signIn({ t: click, app: officeHome(scene), client: 'Browser', interactive: true, device: phished.claim, userAgent: phished.userAgent, network: proxy, ip: addressIn(proxy, d), error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
  const own = p.apps.filter(([a]) => a.paths.includes('browser')).sort((a, b) => b[1] - a[1]).map(([a]) => a);
  const apps = obvious ? [officeHome(scene), app(scene, 'Office 365 Exchange Online'), app(scene, 'Office 365 SharePoint Online'), favouriteBrowserApp(p, scene)] : own.length > 0 ? own.slice(0, 2) : [favouriteBrowserApp(p, scene)];
  const ip = addressIn(replay, d);
  const n = obvious ? d.between(8, 18) : d.between(3, 7);
  let t = click + (obvious ? d.between(10, 90) * MINUTE : Math.round(d.uniform(1.5, 3.5) * HOUR));
  const spread = (obvious ? d.uniform(1, 3) : d.uniform(0.5, 1.5)) * HOUR;
  for (let k = 0; k < n; k++) {
    const seen = relayedBrowser(p, scene, t);
    const risk = obvious && d.chance(0.3) ? 'medium' : 'none';
    x.signIn({ t, app: k === 0 ? apps[0] : d.one(apps), client: 'Browser', interactive: k === 0 || d.chance(0.25), device: seen.claim, userAgent: seen.userAgent, network: replay, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk });
    t += Math.round(spread / n + d.uniform(0, 4) * MINUTE);
  }
  const where = (net: Network): string => `${net.org} (${net.place.city})`;
  return `AiTM phishing through ${where(proxy)} with the victim's own browser and MFA, then the session cookie replayed ${n} times from ${where(replay)}`;
}

function mfaFatigue(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const offset = home.offset[scene.org.season];
  const day = attackDay(x.victim, scene.window, d);
  const exit = d.one(exitsAbroad(home.cc, ['vpn', 'hosting']));
  const ip = addressIn(exit, d);
  const browser = intruderBrowser(scene.org.releases.chromiumMajor + 1, d);
  const favourite = favouriteBrowserApp(p, scene);
  let t = atLocal(day, d.uniform(22.5, 24.5), offset);
  const prompts = d.between(15, 40);
  for (let k = 0; k < prompts; k++) {
    x.signIn({ t, app: officeHome(scene), client: 'Browser', interactive: true, device: browser.claim, userAgent: browser.userAgent, network: exit, ip, error: 500121, requirement: 'multiFactorAuthentication', conditionalAccess: 'failure', risk: d.chance(0.3) ? 'medium' : 'none' });
    t += d.between(50, 200) * 1000;
  }
  const apps = [officeHome(scene), app(scene, 'Office 365 Exchange Online'), app(scene, 'Office 365 SharePoint Online'), app(scene, 'Microsoft Teams'), favourite];
  const n = d.between(8, 16);
  for (let k = 0; k < n; k++) {
    x.signIn({ t, app: k === 0 ? officeHome(scene) : d.one(apps), client: 'Browser', interactive: k === 0 || d.chance(0.3), device: browser.claim, userAgent: browser.userAgent, network: exit, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: d.weighted([['none', 0.5], ['medium', 0.35], ['high', 0.15]] as const) });
    t += d.between(3, 15) * MINUTE;
  }
  return `${prompts} MFA push prompts around midnight from ${exit.org} (${exit.place.country}) until one was approved, then a session`;
}

// ---------------------------------------------------------------- the cloud-gateway spray

/** API gateway regions a FireProx-style spray rotates through (each try leaves from another). */
const GATEWAYS: readonly NetworkName[] = ['awsAshburn', 'awsOregon', 'awsFrankfurt', 'awsDublin', 'awsSingapore', 'awsSydney', 'awsMontreal', 'awsSaoPaulo'];
const SPRAY_AGENT = 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.19041.5247';
const SPRAY_DEVICE: DeviceClaim = { id: '', os: 'Windows', browser: '' };

/** The campaign's shape, shared by every account it tries: which scored days, at what UTC hour. */
function campaign(scene: EntraScene): { days: number[]; hour: number } {
  const d = scene.dice.for('cloud-spray-campaign');
  const days = [...Array(Math.max(1, scene.window.testDays - 1)).keys()].map((k) => scene.window.testStart + k * DAY);
  return { days, hour: d.uniform(0, 20) };
}

function sprayTry(p: Person, scene: EntraScene, t: number, error: number, interactive: boolean, d: Dice): SignIn {
  const gateway = NETWORKS[d.one(GATEWAYS)];
  return {
    t,
    user: identityOf(p),
    app: app(scene, 'Azure Active Directory PowerShell'),
    client: 'Mobile Apps and Desktop clients',
    interactive,
    device: SPRAY_DEVICE,
    userAgent: SPRAY_AGENT,
    network: gateway,
    ip: addressIn(gateway, d),
    error,
    requirement: 'singleFactorAuthentication',
    conditionalAccess: 'notApplied',
    risk: 'none',
  };
}

function cloudSpray(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const { days, hour } = campaign(scene);
  const first = days.findIndex((day) => day >= (p.hiredOn ?? 0));
  const from = first < 0 ? days.length - 1 : first;
  const hit = d.between(Math.min(from + 1, days.length - 1), days.length - 1);
  for (let k = from; k < hit; k++) x.signIn(sprayTry(p, scene, days[k] + Math.round((hour + d.uniform(0, 1.5)) * HOUR), 50126, true, d));
  let t = days[hit] + Math.round((hour + d.uniform(0, 1.5)) * HOUR);
  x.signIn(sprayTry(p, scene, t, 0, true, d));
  const uses = d.between(2, 5);
  for (let k = 0; k < uses; k++) {
    t += d.between(20, 120) * MINUTE;
    x.signIn(sprayTry(p, scene, t, 0, false, d));
  }
  return `password spray through rotating cloud gateway addresses, one PowerShell try a day for ${hit - from + 1} days, then the token used ${uses} times through a client conditional access does not cover`;
}

/**
 * The same campaign's tries against accounts whose password held: failures from the rotating
 * gateways on every campaign day, innocent internet noise. None when no victim is sprayed.
 */
export function sprayCollateral(people: Person[], victims: readonly EntraVictim[], scene: EntraScene): Emitted[] {
  if (!victims.some((v) => v.variant === 'cloud-spray')) return [];
  const spared = new Set(victims.map((v) => v.person.index));
  const d = scene.dice.for('cloud-spray-targets');
  const pool = people.filter((p) => p.kind === 'staff' && !spared.has(p.index) && (p.hiredOn === undefined || p.hiredOn < scene.window.testStart));
  const targets = d.some(pool, Math.min(pool.length, d.between(12, 25)));
  const { days, hour } = campaign(scene);
  const out: Emitted[] = [];
  for (const p of targets) {
    const pd = d.for('target', p.index);
    for (const day of days) {
      const error = pd.chance(0.04) ? 50053 : 50126;
      const e = renderSignIn(sprayTry(p, scene, day + Math.round((hour + pd.uniform(0, 1.5)) * HOUR), error, true, pd), scene.org, pd);
      e.drift = 'internet-noise';
      out.push(e);
    }
  }
  return out;
}

// ---------------------------------------------------------------- the insider's own computer

function personalDevice(x: Intrusion): string {
  const p = x.victim.person;
  const { d, scene } = x;
  const offset = PLACES[p.site.place].offset[scene.org.season];
  const obvious = x.victim.style === 'obvious';
  // Obvious: late at night on a weekday. Subtle: a weekend afternoon (the scored week starts on a Monday).
  const day = obvious ? attackDay(x.victim, scene.window, d, 4) : Math.max(scene.window.testStart + d.between(5, 6) * DAY, p.hiredOn ?? 0);
  const from = obvious ? d.uniform(23, 24.5) : d.uniform(14, 17.5);
  const span = obvious ? d.uniform(1.2, 2.5) : d.uniform(0.8, 1.5);
  const n = obvious ? d.between(35, 80) : d.between(12, 24);
  const own = intruderBrowser(scene.org.releases.chromiumMajor + 1, d);
  const network = NETWORKS[p.home];
  const spo = app(scene, 'Office 365 SharePoint Online');
  const times = [...Array(n)].map(() => atLocal(day, from + d.uniform(0, span), offset)).sort((a, b) => a - b);
  times.forEach((t, k) => {
    x.signIn({ t, app: d.chance(0.85) ? spo : officeHome(scene), client: 'Browser', interactive: k === 0 || d.chance(0.3), device: own.claim, userAgent: own.userAgent, network, ip: p.homeAddress, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
  });
  if (obvious) {
    // Outlook on the same computer, refused: conditional access wants a managed device for mail.
    const blocked = d.between(1, 3);
    for (let k = 0; k < blocked; k++) {
      x.signIn({ t: times[0] + d.between(1, 30) * MINUTE, app: app(scene, 'Office 365 Exchange Online'), client: 'Mobile Apps and Desktop clients', interactive: true, device: own.claim, userAgent: own.userAgent, network, ip: p.homeAddress, error: 53003, requirement: 'multiFactorAuthentication', conditionalAccess: 'failure', risk: 'none' });
    }
  }
  return `${n} SharePoint sign-ins from a personal, unmanaged computer on the owner's home line at ${obvious ? 'night' : 'a weekend afternoon'} within ${span.toFixed(1)} h`;
}

/** The variants later sets added, by name. */
const LATER_ENTRA_TOOLING = { ...MORE_ENTRA_TOOLING, ...SET5_ENTRA_TOOLING, ...SET6_ENTRA_TOOLING, ...SET7_ENTRA_TOOLING } as const;

/** A victim with a tooling variant: their intrusion, as plantEntra tells the classic ones. */
export function plantEntraVariant(v: EntraVictim, scene: EntraScene): { events: Emitted[]; attack: PlantedAttack } {
  if (!v.variant) throw new Error(`${v.person.login} has no tooling variant`);
  const x = new Intrusion(v, scene, scene.dice.for('entra-variant', v.person.index));
  const story =
    v.variant === 'aitm-replay' ? aitmReplay(x) : v.variant === 'mfa-fatigue' ? mfaFatigue(x) : v.variant === 'cloud-spray' ? cloudSpray(x) : v.variant === 'personal-device' ? personalDevice(x) : LATER_ENTRA_TOOLING[v.variant](x);
  const events = x.events.filter((e) => e.t >= scene.window.testStart && e.t < scene.window.end);
  return { events, attack: { user: v.person.id, family: v.family, style: v.style, history: v.history, story, variant: v.variant } };
}
