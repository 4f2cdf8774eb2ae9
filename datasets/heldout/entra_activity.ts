/**
 * Ordinary Entra sign-ins: a person's working days turned into the sign-ins their devices make.
 * A day starts where they work (office network and its named location, home, the road, a hotel);
 * the laptop signs in to Windows, desktop apps refresh tokens in the background, the browser
 * opens the team's applications, the phone checks mail, and now and then a password is mistyped
 * or a "keep me signed in" prompt interrupts. Device mailboxes send over SMTP all day.
 */
import { atLocal, DAY, dayOf, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { browserUserAgent, buildOn, entraBrowser, entraOs, nativeBrowserLabel, nativeUserAgent, type Device } from './devices';
import { renderSignIn, type ClientApp, type DeviceClaim, type Risk, type SignIn } from './entra_document';
import type { DriftKind, Emitted } from './labels';
import type { AppDef } from './organisations';
import type { Person } from './people';
import { isHired, laptopConnection, planDay, siteClosed, type Connection, type DayPlan, type Life, type Where } from './days';
import { addressIn, NETWORKS, PLACES } from './world';

export interface EntraScene extends Life {
  /** UTC instant the company-wide new app goes live. */
  newAppLive: number;
}

/** A device's claim at an instant (its browser build moves with the release train). */
export function claimOf(device: Device, scene: EntraScene, t: number, native: boolean): { claim: DeviceClaim; userAgent: string } {
  const build = buildOn(scene.org.releases, scene.window.start, t, device);
  return {
    claim: {
      id: device.id,
      name: device.id ? device.name : undefined,
      os: entraOs(device),
      browser: native ? nativeBrowserLabel(device, build) : entraBrowser(device, build),
      trust: device.trust,
      compliant: device.compliant,
      parseAs: device,
    },
    userAgent: native ? nativeUserAgent(device, build) : browserUserAgent(device, build),
  };
}

/** Whether the device got a browser major during the scored week by this instant. */
function updatedThisWeek(device: Device, scene: EntraScene, t: number): boolean {
  if (t < scene.window.testStart) return false;
  const before = buildOn(scene.org.releases, scene.window.start, scene.window.testStart - 1, device);
  return buildOn(scene.org.releases, scene.window.start, t, device).chromium > before.chromium;
}

export const identityOf = (p: Person): SignIn['user'] => ({ id: p.id, upn: p.upn, display: p.name.display, login: p.login });

/** The apps a device can reach, with the person's weights. */
function reachable(p: Person, device: Device): (readonly [AppDef, number])[] {
  const phone = device.form === 'phone';
  return p.apps.filter(([a]) => (phone ? a.paths.includes('mobile') : a.paths.includes('browser') || a.paths.includes('desktop')));
}

interface Attempt {
  t: number;
  app: AppDef;
  device: Device;
  native: boolean;
  interactive: boolean;
  conn: Connection;
  where: Where;
}

class DayWriter {
  readonly out: Emitted[] = [];

  constructor(
    private readonly p: Person,
    private readonly scene: EntraScene,
    private readonly d: Dice,
    private readonly drift: DriftKind | undefined,
  ) {}

  /** One sign-in, maybe preceded by the failures ordinary life produces. */
  add(a: Attempt): void {
    const offSite = a.where !== 'office';
    if (a.interactive) {
      if (this.d.chance(0.025)) this.emit(a, a.t - this.d.between(5, 40) * 1000, 50126);
      else if (this.d.chance(0.015)) this.emit(a, a.t - this.d.between(3, 15) * 1000, 50140);
      else if (offSite && this.d.chance(0.06)) this.emit(a, a.t - this.d.between(15, 70) * 1000, 50074);
    } else if (this.d.chance(0.01)) {
      this.emit(a, a.t, 70044);
      return;
    }
    this.emit(a, a.t, 0);
  }

  private emit(a: Attempt, t: number, error: number): void {
    const { claim, userAgent } = claimOf(a.device, this.scene, t, a.native);
    const offSite = a.where !== 'office';
    const risk: Risk =
      a.where === 'hotel' ? this.d.weighted([['none', 0.8], ['low', 0.16], ['medium', 0.04]] as const) : offSite && this.d.chance(0.015) ? 'low' : 'none';
    const signIn: SignIn = {
      t,
      user: identityOf(this.p),
      app: a.app,
      client: 'Mobile Apps and Desktop clients',
      interactive: a.interactive,
      device: claim,
      userAgent,
      network: a.conn.network,
      ip: a.conn.ip,
      error,
      requirement: offSite ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
      conditionalAccess: offSite ? 'success' : 'notApplied',
      risk,
      namedLocation: a.conn.namedLocation,
    };
    if (!a.native && a.device.form !== 'phone') signIn.client = 'Browser';
    const e = renderSignIn(signIn, this.scene.org, this.d);
    const drift: DriftKind | undefined =
      this.drift ?? (a.app === this.scene.org.newApp.app ? 'new-app' : updatedThisWeek(a.device, this.scene, t) ? 'browser-release' : undefined);
    if (drift) e.drift = drift;
    this.out.push(e);
  }
}

/** Every ordinary sign-in of one person over the window. */
export function ordinarySignIns(p: Person, scene: EntraScene): Emitted[] {
  if (p.kind === 'device-mailbox') return mailboxSignIns(p, scene);
  const out: Emitted[] = [];
  const { window: w, org } = scene;
  for (let day = w.start; day < w.end; day += DAY) {
    if (!isHired(p, day)) continue;
    const d = scene.dice.for('entra', p.index, day);
    const plan = planDay(p, day, scene);
    const drift: DriftKind | undefined = plan.trip?.inScoredWeek ? 'business-trip' : p.hiredOn !== undefined ? 'new-hire' : undefined;
    const writer = new DayWriter(p, scene, d, drift);
    const shift = plan.shift;
    if (!shift) {
      // Days off: at most a look at mail on the phone.
      if (p.phone && d.chance(plan.onLeave ? 0.3 : 0.25)) {
        const n = d.between(1, 3);
        for (let k = 0; k < n; k++) phoneCheck(p, writer, scene, atLocal(day, d.uniform(9, 22), plan.offset), plan, d);
      }
      out.push(...writer.out);
      continue;
    }
    const where = plan.where;
    const conn = laptopConnection(p, plan, scene, d);
    const start = atLocal(day, shift.start, plan.offset);
    const end = atLocal(day, shift.end, plan.offset);
    const hours = (end - start) / HOUR;
    const rate = p.team.intensity * p.intensity;
    const laptop = p.laptop;
    // A crew at an outstation has only its iPad with it: the crew-room terminal stays at base.
    const awayFromKiosk = plan.trip?.layover === true && laptop.form === 'shared-terminal';
    const apps = awayFromKiosk ? [] : reachable(p, laptop);

    // Windows sign-in on a joined machine starts the day; elsewhere the browser's first SSO does.
    let t = start + d.between(1, 12) * MINUTE;
    if (!shift.lookIn && !awayFromKiosk && laptop.os.startsWith('Windows') && laptop.trust && laptop.trust !== 'Azure AD registered') {
      const windows = org.apps.find((a) => a.name === 'Windows Sign In') as AppDef;
      writer.add({ t, app: windows, device: laptop, native: true, interactive: true, conn, where });
      t += d.between(1, 4) * MINUTE;
    }
    const pick = (): AppDef => {
      // After launch, the company-wide app takes a share of everybody's sign-ins.
      if (t >= scene.newAppLive && d.chance(0.12)) return org.newApp.app;
      return d.weighted(apps);
    };
    if (apps.length > 0) {
      const interactive = Math.max(1, d.poisson(hours * 0.9 * rate));
      const background = laptop.form === 'shared-terminal' ? 0 : d.poisson(hours * 0.5 * rate);
      const times = [...Array(interactive + background)].map(() => d.uniform(start, end)).sort((a, b) => a - b);
      let backgroundLeft = background;
      for (const at of times) {
        t = Math.round(at);
        const app = pick();
        const desktopOk = app.paths.includes('desktop') && laptop.form !== 'shared-terminal';
        const browserOk = app.paths.includes('browser');
        if (!desktopOk && !browserOk) continue;
        const native = desktopOk && (!browserOk || d.chance(0.6));
        const isBackground = native && backgroundLeft > 0 && d.chance(0.7);
        if (isBackground) backgroundLeft--;
        writer.add({ t, app, device: laptop, native, interactive: !isBackground, conn, where });
      }
      // The launch-day announcement: everyone working that day opens the new app once.
      if (day === dayOf(scene.newAppLive)) {
        const app = org.newApp.app;
        writer.add({ t: Math.max(start, scene.newAppLive) + d.between(5, 120) * MINUTE, app, device: laptop, native: false, interactive: true, conn, where });
      }
    }
    if (p.phone) {
      const n = d.poisson(hours * 0.25 * Math.max(rate, 0.3));
      for (let k = 0; k < n; k++) phoneCheck(p, writer, scene, Math.round(d.uniform(start - HOUR, end + HOUR)), plan, d);
      if (d.chance(0.3)) phoneCheck(p, writer, scene, atLocal(day, d.uniform(19, 22.5), plan.offset), { ...plan, where: where === 'hotel' ? 'hotel' : 'home' }, d);
    }
    out.push(...writer.out);
  }
  return out;
}

function phoneCheck(p: Person, writer: DayWriter, scene: EntraScene, t: number, plan: DayPlan, d: Dice): void {
  const phone = p.phone as Device;
  const mobileApps = reachable(p, phone);
  const app = mobileApps.length > 0 ? d.weighted(mobileApps) : (scene.org.apps.find((a) => a.name === 'Outlook Mobile') as AppDef);
  let conn: Connection;
  if (plan.where === 'home') conn = { network: NETWORKS[p.home], ip: p.homeAddress };
  else if ((plan.where === 'hotel' && d.chance(0.4)) || (plan.where === 'office' && d.chance(0.5))) conn = laptopConnection(p, plan, scene, d);
  else {
    // Roaming data comes home through the person's own carrier.
    const net = NETWORKS[p.site.mobile];
    conn = { network: net, ip: addressIn(net, d) };
  }
  writer.add({ t, app, device: phone, native: true, interactive: d.chance(0.2), conn, where: conn.namedLocation ? 'office' : plan.where });
}

/** A scanner's mailbox: SMTP AUTH from the site's office network every working hour. */
function mailboxSignIns(p: Person, scene: EntraScene): Emitted[] {
  const out: Emitted[] = [];
  const exo = scene.org.apps.find((a) => a.name === 'Office 365 Exchange Online') as AppDef;
  const offset = PLACES[p.site.place].offset[scene.org.season];
  for (let day = scene.window.start; day < scene.window.end; day += DAY) {
    const d = scene.dice.for('mailbox', p.index, day);
    const wd = new Date(day).getUTCDay();
    const hours = wd === 0 || siteClosed(p, day) ? 0 : wd === 6 ? 5 : 15;
    const n = d.poisson(hours * 1.3);
    const office = NETWORKS[p.site.office];
    for (let k = 0; k < n; k++) {
      const t = atLocal(day, 6 + d.uniform(0, hours), offset);
      const signIn: SignIn = {
        t,
        user: identityOf(p),
        app: exo,
        client: 'Authenticated SMTP' satisfies ClientApp,
        interactive: true,
        device: { id: '', os: '', browser: '' },
        userAgent: 'BAV2ROPC',
        network: office,
        ip: `${office.prefixes[0]}.${10 + d.between(0, 3)}`,
        error: d.chance(0.01) ? 50126 : 0,
        requirement: 'singleFactorAuthentication',
        conditionalAccess: 'notApplied',
        risk: 'none',
        namedLocation: p.site.namedLocation,
      };
      out.push(renderSignIn(signIn, scene.org, d));
    }
  }
  return out;
}
