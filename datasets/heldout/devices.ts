/**
 * The machines people sign in from and how they identify themselves: the IT department's device
 * images (what OS, which browser, how Entra trusts it), personal phones, and the browser release
 * train. Browsers update themselves: each release reaches a device a few days after it ships, so
 * version strings drift all the time, and one major release lands during the scored week.
 */
import type { Dice } from './dice';
import { DAY } from './calendar';

/** `virtual-desktop`: a pooled cloud desktop (Azure Virtual Desktop) its user reaches from anywhere. */
export type Form = 'laptop' | 'phone' | 'shared-terminal' | 'workstation' | 'virtual-desktop';
export type BrowserFamily = 'Edge' | 'Chrome' | 'Firefox' | 'Safari' | 'Mobile Safari' | 'Chrome Mobile';
export type OsFamily = 'Windows 11' | 'Windows 10' | 'macOS' | 'Linux' | 'iOS' | 'Android';
export type Trust = 'Azure AD joined' | 'Hybrid Azure AD joined' | 'Azure AD registered';

export interface Device {
  /** Entra device id; empty for devices Entra does not know. */
  id: string;
  name: string;
  form: Form;
  os: OsFamily;
  browser: BrowserFamily;
  trust?: Trust;
  compliant: boolean;
  /** Days after a browser release before this device runs it (update rings). */
  updateLag: number;
}

/** What an organisation's IT hands out, as a recipe. */
export interface DeviceImage {
  form: Form;
  os: OsFamily;
  browser: BrowserFamily;
  trust?: Trust;
}

/** Browser majors in a window: the major at its start, and the days (from the window start) later majors ship. */
export interface ReleaseTrain {
  chromiumMajor: number;
  firefoxMajor: number;
  safari: readonly [number, number];
  /** Offsets in days from the window start at which the next major of every browser ships. */
  releases: readonly number[];
}

export function makeDevice(image: DeviceImage, dice: Dice, ownerTag: string): Device {
  const registered = image.trust !== undefined;
  const name =
    image.form === 'phone'
      ? image.os === 'iOS'
        ? 'iPhone'
        : dice.one(['SM-S921B', 'Pixel 9', 'SM-A556B', 'moto g85'])
      : image.os === 'macOS'
        ? `${ownerTag}-MBP`
        : image.form === 'shared-terminal'
          ? `KIOSK-${dice.alnum(5)}`
          : image.form === 'virtual-desktop'
            ? `AVD-CC-${dice.alnum(4)}`
            : `LT-${dice.alnum(7)}`;
  return {
    id: registered ? dice.uuid() : '',
    name,
    form: image.form,
    os: image.os,
    browser: image.browser,
    trust: image.trust,
    compliant: registered && image.trust !== 'Azure AD registered' ? true : dice.chance(0.3),
    updateLag: dice.weighted([
      [0, 2],
      [1, 4],
      [2, 3],
      [4, 2],
      [7, 1],
      [12, 1],
    ]),
  };
}

/** How many majors have reached a device by an instant (0 = the window's starting major). */
function majorsBehindStart(train: ReleaseTrain, windowStart: number, t: number, lag: number): number {
  let n = 0;
  for (const d of train.releases) if (t >= windowStart + (d + lag) * DAY) n++;
  return n;
}

export interface BrowserBuild {
  chromium: number;
  firefox: number;
  safari: string;
  /** A patch number that moves weekly, so full version strings are never constant for long. */
  patch: number;
}

export function buildOn(train: ReleaseTrain, windowStart: number, t: number, device: Device): BrowserBuild {
  const n = majorsBehindStart(train, windowStart, t, device.updateLag);
  const weeks = Math.floor((t - windowStart) / (7 * DAY));
  return {
    chromium: train.chromiumMajor + n,
    firefox: train.firefoxMajor + n,
    safari: `${train.safari[0]}.${train.safari[1] + Math.min(n, 1)}`,
    patch: 40 + 17 * weeks + (device.updateLag % 5),
  };
}

/** Entra's `device_detail.browser` for a browser sign-in. */
export function entraBrowser(device: Device, b: BrowserBuild): string {
  switch (device.browser) {
    case 'Edge':
      return `Edge ${b.chromium}.0.${3400 + b.patch}`;
    case 'Chrome':
      return `Chrome ${b.chromium}.0.${7300 + b.patch}`;
    case 'Chrome Mobile':
      return `Chrome Mobile ${b.chromium}.0.${7300 + b.patch}`;
    case 'Firefox':
      return `Firefox ${b.firefox}.0`;
    case 'Safari':
      return `Safari ${b.safari}`;
    case 'Mobile Safari':
      return `Mobile Safari ${b.safari}`;
  }
}

/** Entra's `device_detail.operating_system`. */
export function entraOs(device: Device): string {
  switch (device.os) {
    case 'Windows 11':
      return 'Windows 11';
    case 'Windows 10':
      return 'Windows 10';
    case 'macOS':
      return 'MacOs';
    case 'Linux':
      return 'Linux';
    case 'iOS':
      return 'Ios';
    case 'Android':
      return 'Android';
  }
}

function platformToken(device: Device): string {
  switch (device.os) {
    case 'Windows 11':
    case 'Windows 10':
      return 'Windows NT 10.0; Win64; x64';
    case 'macOS':
      return 'Macintosh; Intel Mac OS X 10_15_7';
    case 'Linux':
      return 'X11; Ubuntu; Linux x86_64';
    case 'iOS':
      return 'iPhone; CPU iPhone OS 19_1 like Mac OS X';
    case 'Android':
      return `Linux; Android 16; ${device.name}`;
  }
}

/** The browser's User-Agent header. */
export function browserUserAgent(device: Device, b: BrowserBuild): string {
  const p = platformToken(device);
  switch (device.browser) {
    case 'Edge':
      return `Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${b.chromium}.0.0.0 Safari/537.36 Edg/${b.chromium}.0.${3400 + b.patch}.${b.patch % 90}`;
    case 'Chrome':
      return `Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${b.chromium}.0.0.0 Safari/537.36`;
    case 'Chrome Mobile':
      return `Mozilla/5.0 (${p}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${b.chromium}.0.0.0 Mobile Safari/537.36`;
    case 'Firefox':
      return device.os === 'Linux'
        ? `Mozilla/5.0 (${p}; rv:${b.firefox}.0) Gecko/20100101 Firefox/${b.firefox}.0`
        : `Mozilla/5.0 (${p}; rv:${b.firefox}.0) Gecko/20100101 Firefox/${b.firefox}.0`;
    case 'Safari':
      return `Mozilla/5.0 (${p}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${b.safari} Safari/605.1.15`;
    case 'Mobile Safari':
      return `Mozilla/5.0 (${p}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${b.safari} Mobile/15E148 Safari/604.1`;
  }
}

/** What a native (desktop or mobile) Microsoft client sends instead of a browser's header. */
export function nativeUserAgent(device: Device, b: BrowserBuild): string {
  switch (device.os) {
    case 'Windows 11':
    case 'Windows 10':
      return `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${b.chromium}.0.0.0 Safari/537.36 Teams/25.${b.patch}.${1000 + b.patch}`;
    case 'macOS':
      return `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Teams/25.${b.patch}.${1000 + b.patch}`;
    case 'Linux':
      return `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${b.chromium}.0.0.0 Safari/537.36`;
    case 'iOS':
      return `Outlook-iOS/2.0 (iPhone; iOS 19.1; Scale/3.00) MSAL/${1 + (b.patch % 3)}.${b.patch % 10}`;
    case 'Android':
      return `Outlook-Android/2.0 (Linux; Android 16; ${device.name}) MSAL/5.${b.patch % 10}.0`;
  }
}

/** Entra's browser label for native clients. */
export const nativeBrowserLabel = (device: Device, b: BrowserBuild): string =>
  device.form === 'phone' ? (device.os === 'iOS' ? `Mobile Safari ${b.safari}` : `Chrome Mobile ${b.chromium}.0.0`) : `Rich Client 5.${b.patch % 9}.0.0`;

/** Parsed user_agent fields, as the integration's user_agent processor writes them. */
export function parsedUserAgent(ua: string, device?: Device): Record<string, unknown> {
  const m = /(Edg|Firefox|Chrome|Version|Teams|Outlook-iOS|Outlook-Android)\/([\d.]+)/.exec(ua);
  const name = m ? { Edg: 'Edge', Firefox: 'Firefox', Chrome: 'Chrome', Version: 'Safari', Teams: 'Teams', 'Outlook-iOS': 'Outlook', 'Outlook-Android': 'Outlook' }[m[1]] : undefined;
  const out: Record<string, unknown> = { original: ua, device: { name: device?.form === 'phone' ? (device.os === 'iOS' ? 'iPhone' : 'Generic Smartphone') : 'Other' } };
  if (name) out.name = name;
  if (m) out.version = m[2];
  if (device) {
    const os = device.os.startsWith('Windows')
      ? { name: 'Windows', version: '10', full: 'Windows 10' }
      : device.os === 'macOS'
        ? { name: 'Mac OS X', version: '10.15.7', full: 'Mac OS X 10.15.7' }
        : device.os === 'iOS'
          ? { name: 'iOS', version: '19.1', full: 'iOS 19.1' }
          : device.os === 'Android'
            ? { name: 'Android', version: '16', full: 'Android 16' }
            : { name: 'Ubuntu', full: 'Ubuntu' };
    out.os = os;
  }
  return out;
}
