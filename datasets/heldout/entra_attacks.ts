/**
 * Compromises planted in the scored week of an Entra tenant, each told as what the intruder
 * does, in the victim's identity:
 *
 * - T1078, valid accounts: a stolen password or session used from somewhere new. Obvious: a VPN
 *   or hosting exit abroad at the victim's night, MFA-fatigue prompts until one is accepted.
 *   Subtle: a residential proxy in the victim's own country, in working hours, imitating the
 *   victim's browser, opening the victim's own main app a handful of times.
 * - T1110, brute force: a password spray over IMAP/POP from hosting ranges ending in a success and
 *   a mailbox sync; credential stuffing from proxies in many countries; or low-and-slow guessing
 *   over SMTP from a mobile network at home, then mail sent through the account.
 * - T1213, insider: the owner, on their own laptop at home, pulling documents at night or late
 *   in the evening in a dense burst.
 */
import { atLocal, DAY, HOUR, MINUTE, type Window } from './calendar';
import type { Dice } from './dice';
import { claimOf, identityOf, type EntraScene } from './entra_activity';
import { renderSignIn, type ClientApp, type DeviceClaim, type SignIn } from './entra_document';
import type { Emitted, Family, History, PlantedAttack, Style } from './labels';
import type { AppDef } from './organisations';
import type { Person } from './people';
import type { EntraVariant } from './variants';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

export interface EntraVictim {
  person: Person;
  family: Extract<Family, 'T1078' | 'T1110' | 'T1213'>;
  style: Style;
  history: History;
  /** Tooling other than the family's classic one (entra_tooling.ts). */
  variant?: EntraVariant;
}

export const INTRUDER_EXITS: NetworkName[] = ['m247', 'datacamp', 'stark', 'ovh', 'hetzner', 'digitalocean', 'tencent', 'ngHosting', 'brHosting', 'torExit', 'uaResidential'];

/** Residential and mobile networks of a country other than the victim's own home line. */
export function proxiesIn(cc: string, except: readonly NetworkName[]): NetworkName[] {
  return (Object.keys(NETWORKS) as NetworkName[]).filter((n) => {
    const net: Network = NETWORKS[n];
    return net.place.cc === cc && (net.kind === 'residential' || net.kind === 'mobile') && !except.includes(n);
  });
}

export const app = (scene: EntraScene, name: string): AppDef => {
  const found = scene.org.apps.find((a) => a.name === name);
  if (!found) throw new Error(`no app ${name}`);
  return found;
};

/** The victim's most used app reachable in a browser. */
export function favouriteBrowserApp(p: Person, scene: EntraScene): AppDef {
  const browserApps = p.apps.filter(([a]) => a.paths.includes('browser')).sort((a, b) => b[1] - a[1]);
  return browserApps[0]?.[0] ?? app(scene, 'Office 365 Exchange Online');
}

export function intruderBrowser(chromium: number, d: Dice, headless = false): { claim: DeviceClaim; userAgent: string } {
  const kind = headless ? 'headless' : d.weighted([['win-chrome', 0.6], ['win-edge', 0.2], ['mac-chrome', 0.2]] as const);
  switch (kind) {
    case 'headless':
      return {
        claim: { id: '', os: 'Linux', browser: `HeadlessChrome ${chromium}.0.0` },
        userAgent: `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/${chromium}.0.0.0 Safari/537.36`,
      };
    case 'win-chrome':
      return {
        claim: { id: '', os: 'Windows 10', browser: `Chrome ${chromium}.0.0` },
        userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromium}.0.0.0 Safari/537.36`,
      };
    case 'win-edge':
      return {
        claim: { id: '', os: 'Windows 10', browser: `Edge ${chromium}.0.0` },
        userAgent: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromium}.0.0.0 Safari/537.36 Edg/${chromium}.0.0.0`,
      };
    case 'mac-chrome':
      return {
        claim: { id: '', os: 'MacOs', browser: `Chrome ${chromium}.0.0` },
        userAgent: `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${chromium}.0.0.0 Safari/537.36`,
      };
  }
}

export const LEGACY_CLIENT = { claim: { id: '', os: '', browser: '' } as DeviceClaim, userAgent: 'BAV2ROPC' };

export class Intrusion {
  readonly events: Emitted[] = [];

  constructor(
    readonly victim: EntraVictim,
    readonly scene: EntraScene,
    readonly d: Dice,
  ) {}

  signIn(s: Omit<SignIn, 'user'>): void {
    const e = renderSignIn({ ...s, user: identityOf(this.victim.person) }, this.scene.org, this.d);
    e.family = this.victim.family;
    this.events.push(e);
  }
}

/** The first scored day the victim exists on, and a day of the scored week after it. */
export function attackDay(v: EntraVictim, w: Window, d: Dice, latestOffset = 5): number {
  const earliest = Math.max(w.attacksFrom, v.person.hiredOn ?? 0);
  const span = Math.max(0, Math.min(latestOffset, Math.floor((w.end - earliest) / DAY) - 2));
  return earliest + d.between(0, span) * DAY;
}

function validAccounts(x: Intrusion): string {
  const { person: p } = x.victim;
  const { d, scene } = x;
  const chromium = scene.org.releases.chromiumMajor + 1;
  const home = PLACES[p.site.place];
  const offset = home.offset[scene.org.season];
  const day = attackDay(x.victim, scene.window, d);
  const favourite = favouriteBrowserApp(p, scene);
  if (x.victim.style === 'obvious') {
    const exit = NETWORKS[d.one(INTRUDER_EXITS.filter((n) => NETWORKS[n].place.cc !== home.cc))];
    const ip = addressIn(exit, d);
    const browser = intruderBrowser(chromium, d);
    // The victim's night: 01:00–04:30 at home.
    let t = atLocal(day, d.uniform(1, 4.5), offset);
    const prompts = d.between(2, 5);
    for (let k = 0; k < prompts; k++) {
      x.signIn({ t, app: favourite, client: 'Browser', interactive: true, device: browser.claim, userAgent: browser.userAgent, network: exit, ip, error: 500121, requirement: 'multiFactorAuthentication', conditionalAccess: 'failure', risk: d.chance(0.5) ? 'medium' : 'none' });
      t += d.between(40, 240) * 1000;
    }
    const apps = [favourite, app(scene, 'Office 365 Exchange Online'), app(scene, 'Office 365 SharePoint Online'), app(scene, 'Microsoft Teams')];
    const n = d.between(6, 14);
    for (let k = 0; k < n; k++) {
      x.signIn({ t, app: k === 0 ? favourite : d.one(apps), client: 'Browser', interactive: k === 0 || d.chance(0.4), device: browser.claim, userAgent: browser.userAgent, network: exit, ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: d.weighted([['none', 0.5], ['medium', 0.35], ['high', 0.15]] as const) });
      t += d.between(3, 25) * MINUTE;
    }
    return `MFA fatigue (${prompts} prompts) then a session from ${exit.org} (${exit.place.country}) at night`;
  }
  // Subtle: a residential proxy at home, the victim's own browser imitated, working hours.
  const options = proxiesIn(home.cc, [p.home]);
  const proxy = NETWORKS[d.one(options.length > 0 ? options : [p.site.mobile])];
  const imitation = claimOf(p.laptop, scene, day, false);
  const claim: DeviceClaim = { ...imitation.claim, id: '', name: undefined, trust: undefined, compliant: undefined };
  const n = d.between(3, 6);
  for (let k = 0; k < n; k++) {
    const dayK = day + (k >= Math.ceil(n / 2) ? DAY : 0);
    const t = atLocal(dayK, d.uniform(p.habits.start + 0.5, p.habits.start + Math.min(7, p.habits.length)), offset);
    x.signIn({ t, app: favourite, client: 'Browser', interactive: d.chance(0.5), device: claim, userAgent: imitation.userAgent, network: proxy, ip: addressIn(proxy, d), error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
  }
  return `stolen session replayed through a residential proxy on ${proxy.org} in ${proxy.place.country}, imitating the victim's browser`;
}

function bruteForce(x: Intrusion): string {
  const { person: p } = x.victim;
  const { d, scene } = x;
  const home = PLACES[p.site.place];
  const offset = home.offset[scene.org.season];
  const day = attackDay(x.victim, scene.window, d);
  const exo = app(scene, 'Office 365 Exchange Online');
  const legacy = (t: number, client: ClientApp, network: Network, ip: string, error: number, ua = LEGACY_CLIENT): void =>
    x.signIn({ t, app: exo, client, interactive: true, device: ua.claim, userAgent: ua.userAgent, network, ip, error, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none' });

  if (x.victim.style === 'obvious') {
    const stuffing = d.chance(0.4);
    let t = atLocal(day, d.uniform(0, 24), offset);
    if (stuffing) {
      // Credential stuffing: a few tries from proxies around the world, then the leaked password works.
      const tries = d.between(4, 9);
      const headless = intruderBrowser(scene.org.releases.chromiumMajor + 1, d, true);
      for (let k = 0; k < tries; k++) {
        const exit = NETWORKS[d.one(INTRUDER_EXITS)];
        x.signIn({ t, app: exo, client: 'Browser', interactive: true, device: headless.claim, userAgent: headless.userAgent, network: exit, ip: addressIn(exit, d), error: 50126, requirement: 'singleFactorAuthentication', conditionalAccess: 'notApplied', risk: 'none' });
        t += d.between(2, 30) * MINUTE;
      }
      const exit = NETWORKS[d.one(INTRUDER_EXITS)];
      const ip = addressIn(exit, d);
      const syncs = d.between(6, 16);
      for (let k = 0; k < syncs; k++) {
        legacy(t, 'Exchange ActiveSync', exit, ip, 0, { claim: { id: '', os: 'Android', browser: '' }, userAgent: 'Android-Mail/2025.11.02.123456789.release' });
        t += d.between(5, 40) * MINUTE;
      }
      return `credential stuffing (${tries} tries from proxies worldwide, headless browser), then ActiveSync from ${exit.org}`;
    }
    const sources = d.some(INTRUDER_EXITS, d.between(2, 4)).map((n) => NETWORKS[n]);
    const failures = d.between(20, 55);
    for (let k = 0; k < failures; k++) {
      const net = d.one(sources);
      legacy(t, d.one(['IMAP4', 'POP3', 'Other clients'] as const), net, addressIn(net, d), k > failures - 4 && d.chance(0.5) ? 50053 : 50126);
      t += d.between(10, 90) * 1000;
    }
    const net = sources[0];
    const ip = addressIn(net, d);
    t += d.between(10, 60) * MINUTE;
    const syncs = d.between(5, 14);
    for (let k = 0; k < syncs; k++) {
      legacy(t, 'IMAP4', net, ip, 0);
      t += d.between(4, 30) * MINUTE;
    }
    return `password spray over IMAP/POP (${failures} failures from ${sources.length} hosting ranges), then an IMAP session downloading the mailbox`;
  }
  // Subtle: low and slow over SMTP from a mobile network in the victim's own country.
  const options = proxiesIn(home.cc, [p.home]);
  const net = NETWORKS[d.one(options.length > 0 ? options : [p.site.mobile])];
  const guessDays = d.between(2, 3);
  for (let g = 0; g < guessDays; g++) {
    const tries = d.between(1, 2);
    for (let k = 0; k < tries; k++) legacy(atLocal(day + g * DAY, d.uniform(8, 20), offset), 'Authenticated SMTP', net, addressIn(net, d), 50126);
  }
  const sends = d.between(2, 4);
  const last = day + guessDays * DAY;
  for (let k = 0; k < sends; k++) legacy(atLocal(last, d.uniform(9, 17), offset), 'Authenticated SMTP', net, addressIn(net, d), 0);
  return `low-and-slow password guessing over SMTP from ${net.org} at home, then mail sent through the account`;
}

function insider(x: Intrusion): string {
  const { person: p } = x.victim;
  const { d, scene } = x;
  const offset = PLACES[p.site.place].offset[scene.org.season];
  const day = attackDay(x.victim, scene.window, d, 6);
  const docs = [app(scene, 'Office 365 SharePoint Online'), ...p.apps.filter(([a]) => a.paths.includes('browser')).map(([a]) => a)].slice(0, 4);
  const sync = p.laptop.form !== 'shared-terminal' && p.laptop.os !== 'Linux' ? app(scene, 'OneDrive SyncEngine') : undefined;
  const conn = p.site.edges
    ? { network: NETWORKS[p.site.edges[0]], ip: addressIn(NETWORKS[p.site.edges[0]], d) }
    : { network: NETWORKS[p.home], ip: p.homeAddress };
  const obvious = x.victim.style === 'obvious';
  const from = obvious ? d.uniform(1, 3) : d.uniform(21, 22.5);
  const span = obvious ? d.uniform(1.2, 2.5) : d.uniform(0.8, 1.5);
  const n = obvious ? d.between(30, 70) : d.between(12, 24);
  for (let k = 0; k < n; k++) {
    const t = atLocal(day, from + d.uniform(0, span), offset);
    const native = sync !== undefined && d.chance(0.4);
    const { claim, userAgent } = claimOf(p.laptop, scene, t, native);
    x.signIn({ t, app: native && sync ? sync : d.one(docs), client: native ? 'Mobile Apps and Desktop clients' : 'Browser', interactive: !native || d.chance(0.2), device: claim, userAgent, network: conn.network, ip: conn.ip, error: 0, requirement: 'multiFactorAuthentication', conditionalAccess: 'success', risk: 'none' });
  }
  return `${n} document sign-ins from home on the owner's own laptop at ${obvious ? 'night' : 'late evening'} within ${span.toFixed(1)} h`;
}

export function plantEntra(v: EntraVictim, scene: EntraScene): { events: Emitted[]; attack: PlantedAttack } {
  const x = new Intrusion(v, scene, scene.dice.for('entra-attack', v.person.index));
  const story = v.family === 'T1078' ? validAccounts(x) : v.family === 'T1110' ? bruteForce(x) : insider(x);
  const events = x.events.filter((e) => e.t >= scene.window.testStart && e.t < scene.window.end);
  return { events, attack: { user: v.person.id, family: v.family, style: v.style, history: v.history, story } };
}

/**
 * Internet background: password sprays against the addresses published on the company website
 * (sales, leadership) fail all the time, in training and scored weeks alike. Innocent.
 */
export function internetNoise(people: Person[], scene: EntraScene): Emitted[] {
  const out: Emitted[] = [];
  const exo = app(scene, 'Office 365 Exchange Online');
  const targets = people.filter((p) => p.kind === 'staff' && (p.habits.routine === 'field' || scene.dice.for('listed', p.index).chance(0.08)));
  for (const p of targets) {
    const d = scene.dice.for('noise', p.index);
    for (let day = scene.window.start; day < scene.window.end; day += DAY) {
      if (p.hiredOn !== undefined && day < p.hiredOn) continue;
      if (!d.chance(0.12)) continue;
      const net = NETWORKS[d.one(INTRUDER_EXITS)];
      let t = day + d.uniform(0, 24) * HOUR;
      const tries = d.between(1, 4);
      for (let k = 0; k < tries; k++) {
        const signIn: SignIn = {
          t,
          user: identityOf(p),
          app: exo,
          client: d.one(['IMAP4', 'Authenticated SMTP', 'Other clients', 'POP3'] as const),
          interactive: true,
          device: LEGACY_CLIENT.claim,
          userAgent: LEGACY_CLIENT.userAgent,
          network: net,
          ip: addressIn(net, d),
          error: d.chance(0.1) ? 50053 : 50126,
          requirement: 'singleFactorAuthentication',
          conditionalAccess: 'notApplied',
          risk: 'none',
        };
        const e = renderSignIn(signIn, scene.org, d);
        e.drift = 'internet-noise';
        out.push(e);
        t += d.between(20, 600) * 1000;
      }
    }
  }
  return out;
}
