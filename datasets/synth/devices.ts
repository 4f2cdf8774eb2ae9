/**
 * Devices and the agents they present. A device is a user's computer or phone; its browser and OS
 * versions follow release calendars (Chrome/Edge/Firefox every four weeks, Apple's yearly majors
 * in mid-September) with a per-device update lag, so versions drift upwards inside the dataset the
 * way real fleets do. An Agent is what one sign-in shows: raw user agent plus the labels each
 * integration derives from it (Azure device_detail, Okta client, Duo access_device, ECS user_agent).
 */
import { Rng } from './rng';
import { DAY } from './time';

export type OsFamily = 'windows' | 'macos' | 'ios' | 'android' | 'linux';
export type BrowserFamily = 'chrome' | 'edge' | 'firefox' | 'safari' | 'samsung';
export type DeviceKind = 'computer' | 'phone' | 'tablet';
/** How an app is reached: web browser, installed desktop or mobile app, or a legacy protocol. */
export type ClientKind = 'browser' | 'desktop' | 'mobile' | 'legacy';
/** Installed-app families, each with its own user-agent style. */
export type NativeKind = 'office' | 'teams' | 'onedrive' | 'broker' | 'cli' | 'electron';

export interface Device {
  /** Entra device id for registered devices, '' for unregistered ones. */
  id: string;
  kind: DeviceKind;
  os: OsFamily;
  browser: BrowserFamily;
  model: string;
  /** Corporate-managed (compliant, joined) rather than personal. */
  managed: boolean;
  trustType: string;
  /** Days behind the browser release calendar. */
  lag: number;
  /** Days before a new Apple OS major gets installed (Infinity: never in this window). */
  majorLag: number;
  /** Android major (fixed per phone) or Windows 10/11. */
  osMajor: number;
  /** Masked phone number, for Duo's auth device name. */
  phone?: string;
  /** Day indices during which the device is in use. */
  from: number;
  to: number;
  personal: boolean;
}

export interface Agent {
  client: ClientKind;
  /** Raw user agent ('' when none was sent). */
  ua: string;
  /** ECS user_agent.* as the user_agent processor parses `ua` (no `original`), or null. */
  ecs: Record<string, unknown> | null;
  azureBrowser: string;
  azureOs: string;
  oktaBrowser: string;
  oktaOs: string;
  oktaDevice: 'Computer' | 'Mobile' | 'Tablet' | 'Unknown';
  duoBrowser: string;
  duoBrowserVersion: string;
  duoOs: string;
  duoOsVersion: string;
}

// ---- release calendars -------------------------------------------------------------------

const CHROME_REF = Date.UTC(2024, 9, 15); // Chrome 130
const FIREFOX_REF = Date.UTC(2024, 9, 1); // Firefox 131
const CYCLE = 28 * DAY;

function chromeMajor(t: number): number {
  return 130 + Math.floor((t - CHROME_REF) / CYCLE);
}

export function chromeBuild(t: number): { major: number; build: number; patch: number } {
  const major = chromeMajor(t);
  const since = t - (CHROME_REF + (major - 130) * CYCLE);
  return { major, build: 6723 + (major - 130) * 68, patch: 58 + Math.floor(since / (7 * DAY)) * 31 };
}

function firefoxMajor(t: number): number {
  return 131 + Math.floor((t - FIREFOX_REF) / CYCLE);
}

/** Apple ships a new major in mid-September and point releases through the year. */
function appleVersion(t: number, majorLag: number): [number, number] {
  const d = new Date(t);
  let year = d.getUTCFullYear();
  let release = Date.UTC(year, 8, 15);
  if (t < release) {
    year -= 1;
    release = Date.UTC(year, 8, 15);
  }
  let major = year - 1999; // 2025 -> 26, 2026 -> 27
  let since = (t - release) / DAY;
  if (since < majorLag) {
    // Still on last year's major: its latest point release.
    major -= 1;
    since += 365;
  }
  const minors = [0, 42, 84, 140, 196, 252, 308];
  let minor = 0;
  for (let i = 0; i < minors.length; i++) if (since >= (minors[i] as number)) minor = i;
  return [major, minor];
}

// ---- device factories --------------------------------------------------------------------

const WIN_MODELS = ['Latitude 7440', 'Latitude 5540', 'ThinkPad T14 Gen 4', 'ThinkPad X1 Carbon', 'EliteBook 840 G10', 'Surface Laptop 5', 'OptiPlex 7010'];
const MAC_MODELS = ['MacBook Pro', 'MacBook Air', 'iMac'];
const IPHONES = ['iPhone 13', 'iPhone 14', 'iPhone 15', 'iPhone 15 Pro', 'iPhone 16', 'iPhone 16 Pro', 'iPhone 17'];
const ANDROIDS = ['Pixel 8', 'Pixel 9', 'Galaxy S23', 'Galaxy S24', 'Galaxy A54', 'OnePlus 12'];

function updateLag(rng: Rng, managed: boolean): number {
  // Most browsers update within days; some are pinned by IT or simply never restarted.
  if (managed && rng.chance(0.15)) return rng.float(20, 60);
  return rng.chance(0.1) ? rng.float(14, 45) : rng.exp(4);
}

export function newComputer(rng: Rng, opts: { macShare: number; linuxShare: number; managed: boolean; from: number; to: number }): Device {
  const r = rng.next();
  const os: OsFamily = r < opts.linuxShare ? 'linux' : r < opts.linuxShare + opts.macShare ? 'macos' : 'windows';
  let browser: BrowserFamily;
  if (os === 'windows') browser = rng.choose<BrowserFamily>([['chrome', 0.52], ['edge', 0.38], ['firefox', 0.1]]);
  else if (os === 'macos') browser = rng.choose<BrowserFamily>([['chrome', 0.55], ['safari', 0.33], ['firefox', 0.12]]);
  else browser = rng.choose<BrowserFamily>([['chrome', 0.6], ['firefox', 0.4]]);
  const model = os === 'windows' ? rng.pick(WIN_MODELS) : os === 'macos' ? rng.pick(MAC_MODELS) : 'Linux workstation';
  return {
    id: opts.managed || rng.chance(0.3) ? rng.uuid() : '',
    kind: 'computer',
    os,
    browser,
    model,
    managed: opts.managed,
    trustType: opts.managed ? (os === 'windows' ? rng.choose([['Hybrid Azure AD joined', 0.5], ['Azure AD joined', 0.5]]) : 'Azure AD registered') : '',
    lag: updateLag(rng, opts.managed),
    majorLag: rng.chance(0.3) ? Infinity : rng.exp(35),
    osMajor: os === 'windows' ? (rng.chance(0.7) ? 11 : 10) : 0,
    from: opts.from,
    to: opts.to,
    personal: !opts.managed,
  };
}

export function newPhone(rng: Rng, opts: { iosShare: number; from: number; to: number; phone?: string }): Device {
  const ios = rng.chance(opts.iosShare);
  const browser: BrowserFamily = ios ? 'safari' : rng.chance(0.22) ? 'samsung' : 'chrome';
  const registered = rng.chance(0.6);
  return {
    id: registered ? rng.uuid() : '',
    kind: 'phone',
    os: ios ? 'ios' : 'android',
    browser,
    model: ios ? rng.pick(IPHONES) : rng.pick(ANDROIDS),
    managed: false,
    trustType: registered ? 'Azure AD registered' : '',
    lag: rng.exp(5),
    // iOS majors: a third upgrade within weeks, many wait months.
    majorLag: rng.chance(0.35) ? Infinity : rng.exp(30),
    osMajor: ios ? 0 : rng.int(13, 16),
    phone: opts.phone ?? `+1 XXX-XXX-${String(rng.int(0, 9999)).padStart(4, '0')}`,
    from: opts.from,
    to: opts.to,
    personal: true,
  };
}

// ---- agents ------------------------------------------------------------------------------

function ecsUa(name: string, version: string, osName: string, osVersion: string, deviceName: string): Record<string, unknown> {
  const os: Record<string, unknown> = { name: osName };
  if (osVersion) {
    os.version = osVersion;
    os.full = `${osName} ${osVersion}`;
  }
  const out: Record<string, unknown> = { device: { name: deviceName }, name };
  if (osName) out.os = os;
  if (version) out.version = version;
  return out;
}

function osLabels(d: Device, t: number): {
  uaPlatform: string;
  ecsOs: string;
  ecsOsVersion: string;
  ecsDevice: string;
  azure: string;
  okta: string;
  duo: string;
  duoVersion: string;
} {
  const te = t - d.lag * DAY;
  switch (d.os) {
    case 'windows':
      return {
        uaPlatform: 'Windows NT 10.0; Win64; x64',
        ecsOs: 'Windows',
        ecsOsVersion: '10',
        ecsDevice: 'Other',
        azure: 'Windows 10',
        okta: 'Windows 10',
        duo: 'Windows',
        duoVersion: d.osMajor === 11 ? '11' : '10',
      };
    case 'macos': {
      const [maj, min] = appleVersion(te, d.majorLag);
      return {
        uaPlatform: 'Macintosh; Intel Mac OS X 10_15_7',
        ecsOs: 'Mac OS X',
        ecsOsVersion: '10.15.7',
        ecsDevice: 'Mac',
        azure: 'MacOs',
        okta: 'Mac OS X',
        duo: 'Mac OS X',
        duoVersion: `${maj}.${min}`,
      };
    }
    case 'ios': {
      const [maj, min] = appleVersion(te, d.majorLag);
      return {
        // Since iOS 26 Safari freezes the platform token at 18_6.
        uaPlatform: maj >= 26 ? 'iPhone; CPU iPhone OS 18_6 like Mac OS X' : `iPhone; CPU iPhone OS ${maj}_${min} like Mac OS X`,
        ecsOs: 'iOS',
        ecsOsVersion: maj >= 26 ? '18.6' : `${maj}.${min}`,
        ecsDevice: 'iPhone',
        azure: 'Ios',
        okta: 'iOS',
        duo: 'iOS',
        duoVersion: `${maj}.${min}`,
      };
    }
    case 'android':
      return {
        uaPlatform: 'Linux; Android 10; K',
        ecsOs: 'Android',
        ecsOsVersion: '10',
        ecsDevice: 'K',
        azure: 'Android',
        okta: 'Android',
        duo: 'Android',
        duoVersion: String(d.osMajor),
      };
    default:
      return {
        uaPlatform: 'X11; Linux x86_64',
        ecsOs: 'Linux',
        ecsOsVersion: '',
        ecsDevice: 'Other',
        azure: 'Linux',
        okta: 'Linux',
        duo: 'Linux',
        duoVersion: '',
      };
  }
}

/** What a device's web browser presents at time t. */
export function browserAgent(d: Device, t: number): Agent {
  const te = t - d.lag * DAY;
  const os = osLabels(d, t);
  const mobile = d.kind !== 'computer';
  const oktaDevice = d.kind === 'computer' ? 'Computer' : d.kind === 'tablet' ? 'Tablet' : 'Mobile';
  const base = { client: 'browser' as const, oktaOs: os.okta, oktaDevice: oktaDevice as Agent['oktaDevice'], duoOs: os.duo, duoOsVersion: os.duoVersion, azureOs: os.azure };
  switch (d.browser) {
    case 'chrome': {
      const c = chromeBuild(te);
      const ua = `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${c.major}.0.0.0 ${mobile ? 'Mobile ' : ''}Safari/537.36`;
      return {
        ...base,
        ua,
        ecs: ecsUa(mobile ? 'Chrome Mobile' : 'Chrome', `${c.major}.0.0.0`, os.ecsOs, os.ecsOsVersion, os.ecsDevice),
        azureBrowser: `${mobile ? 'Chrome Mobile' : 'Chrome'} ${c.major}.0.0`,
        oktaBrowser: 'CHROME',
        duoBrowser: mobile ? 'Chrome Mobile' : 'Chrome',
        duoBrowserVersion: `${c.major}.0.${c.build}.${c.patch}`,
      };
    }
    case 'edge': {
      const c = chromeBuild(te - 4 * DAY);
      const eb = 3120 + (c.major - 130) * 57;
      const ua = `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${c.major}.0.0.0 Safari/537.36 Edg/${c.major}.0.${eb}.${c.patch % 120}`;
      return {
        ...base,
        ua,
        ecs: ecsUa('Edge', `${c.major}.0.${eb}.${c.patch % 120}`, os.ecsOs, os.ecsOsVersion, os.ecsDevice),
        azureBrowser: `Edge ${c.major}.0.${eb}`,
        oktaBrowser: 'EDGE_CHROMIUM',
        duoBrowser: 'Edge Chromium',
        duoBrowserVersion: `${c.major}.0.${eb}.${c.patch % 120}`,
      };
    }
    case 'firefox': {
      const m = firefoxMajor(te);
      const plat = d.os === 'windows' ? 'Windows NT 10.0; Win64; x64' : d.os === 'macos' ? 'Macintosh; Intel Mac OS X 10.15' : d.os === 'android' ? 'Android 15; Mobile' : 'X11; Linux x86_64';
      const ua = `Mozilla/5.0 (${plat}; rv:${m}.0) Gecko/20100101 Firefox/${m}.0`;
      return {
        ...base,
        ua,
        ecs: ecsUa('Firefox', `${m}.0.`, os.ecsOs, d.os === 'macos' ? '10.15' : os.ecsOsVersion, os.ecsDevice),
        azureBrowser: `Firefox ${m}.0`,
        oktaBrowser: 'FIREFOX',
        duoBrowser: 'Firefox',
        duoBrowserVersion: `${m}.0`,
      };
    }
    case 'samsung': {
      const c = chromeBuild(te - 60 * DAY);
      const sv = 27 + Math.floor((te - Date.UTC(2025, 0, 1)) / (120 * DAY));
      const ua = `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/${sv}.0 Chrome/${c.major}.0.0.0 Mobile Safari/537.36`;
      return {
        ...base,
        ua,
        ecs: ecsUa('Samsung Internet', `${sv}.0`, os.ecsOs, os.ecsOsVersion, os.ecsDevice),
        azureBrowser: `Samsung Browser ${sv}.0`,
        oktaBrowser: 'UNKNOWN',
        duoBrowser: 'Samsung Internet',
        duoBrowserVersion: `${sv}.0`,
      };
    }
    default: {
      const [maj, min] = appleVersion(te, d.majorLag);
      const ver = `${maj}.${min}`;
      const ua = mobile
        ? `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${ver} Mobile/15E148 Safari/604.1`
        : `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/${ver} Safari/605.1.15`;
      return {
        ...base,
        ua,
        ecs: ecsUa(mobile ? 'Mobile Safari' : 'Safari', ver, os.ecsOs, os.ecsOsVersion, os.ecsDevice),
        azureBrowser: `${mobile ? 'Mobile Safari' : 'Safari'} ${ver}`,
        oktaBrowser: 'SAFARI',
        duoBrowser: mobile ? 'Mobile Safari' : 'Safari',
        duoBrowserVersion: ver,
      };
    }
  }
}

/** What an installed app (Outlook, Teams, OneDrive, the WAM broker, a CLI) on a device presents. */
export function nativeAgent(d: Device, native: NativeKind, t: number): Agent {
  const te = t - d.lag * DAY;
  const os = osLabels(d, t);
  const months = Math.floor((te - Date.UTC(2024, 0, 1)) / (30.4 * DAY));
  const mobile = d.kind !== 'computer';
  const client: ClientKind = mobile ? 'mobile' : 'desktop';
  const oktaDevice: Agent['oktaDevice'] = mobile ? 'Mobile' : 'Computer';
  const msal = d.os === 'windows' ? `Rich Client 4.${55 + months}.0.0` : `Rich Client 1.${5 + Math.floor(months / 2)}.0`;
  let ua: string;
  let ecs: Record<string, unknown> | null;
  if (native === 'teams') {
    const c = chromeBuild(te - 10 * DAY);
    const tv = `25${String(100 + months * 10).padStart(3, '0')}.${1000 + (months % 9) * 111}.${3000 + months}.${1000 + months * 7}`;
    if (mobile) {
      ua = d.os === 'ios' ? `Teams/7.${months}.0 (iPhone; iOS ${os.duoVersion}; Scale/3.00)` : `Teams/1416/1.0.0.2025${String(months).padStart(4, '0')} (Android ${d.osMajor})`;
      ecs = ecsUa('Other', '', os.ecsOs, os.ecsOsVersion, os.ecsDevice);
    } else {
      ua = `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${c.major}.0.0.0 Safari/537.36 Edg/${c.major}.0.0.0 Teams/${tv}`;
      ecs = ecsUa('Edge', `${c.major}.0.0.0`, os.ecsOs, os.ecsOsVersion, os.ecsDevice);
    }
  } else if (native === 'onedrive') {
    ua = d.os === 'macos' ? `OneDriveMacSync/25.${months} CFNetwork` : `Microsoft SkyDriveSync 25.${100 + months}.0 ship; Windows NT 10.0 (26100)`;
    ecs = ecsUa('Other', '', os.ecsOs, os.ecsOsVersion, 'Other');
  } else if (native === 'broker') {
    ua = mobile ? (d.os === 'ios' ? 'Microsoft Authenticator/6.8 (iPhone)' : 'Dalvik/2.1.0 (Linux; U; Android 15)') : d.os === 'windows' ? 'Windows-AzureAD-Authentication-Provider/1.0' : 'Mozilla/5.0 (Macintosh) Company Portal';
    ecs = d.os === 'android' ? ecsUa('Android', '15', 'Android', String(d.osMajor), os.ecsDevice) : ecsUa('Other', '', os.ecsOs, os.ecsOsVersion, 'Other');
  } else if (native === 'cli') {
    ua = d.os === 'windows' ? `python/3.12.${months % 8} (Windows-10) msal/1.31.0 azure-cli/2.${66 + months}.0` : `python/3.12.${months % 8} (macOS-15.6-arm64) msal/1.31.0 azure-cli/2.${66 + months}.0`;
    ecs = ecsUa('Python Requests', '', os.ecsOs, os.ecsOsVersion, 'Other');
  } else if (native === 'electron') {
    const c = chromeBuild(te - 40 * DAY);
    ua = mobile
      ? `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148`
      : `Mozilla/5.0 (${os.uaPlatform}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${c.major}.0.0.0 Electron/${c.major - 100}.1.0 Safari/537.36`;
    ecs = ecsUa(mobile ? 'Mobile Safari UI/WKWebView' : 'Electron', mobile ? '' : `${c.major - 100}.1.0`, os.ecsOs, os.ecsOsVersion, os.ecsDevice);
  } else {
    // Outlook / Office.
    const build = 18000 + months * 100 + (months % 3) * 17;
    if (mobile) ua = d.os === 'ios' ? 'Outlook-iOS/2.0' : 'Outlook-Android/2.0';
    else if (d.os === 'macos') ua = `MacOutlook/16.${90 + months}.25${String(months).padStart(3, '0')}01 (Intelx64 Mac OS X 15.6)`;
    else ua = `Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.${build}; Pro)`;
    ecs = ecsUa(mobile ? 'Outlook' : 'Microsoft Office', '', os.ecsOs, os.ecsOsVersion, os.ecsDevice);
  }
  return {
    client,
    ua,
    ecs,
    azureBrowser: mobile && native === 'office' ? '' : msal,
    azureOs: os.azure,
    oktaBrowser: 'UNKNOWN',
    oktaOs: os.okta,
    oktaDevice,
    duoBrowser: '',
    duoBrowserVersion: '',
    duoOs: os.duo,
    duoOsVersion: os.duoVersion,
  };
}

export type ToolKind = 'python-requests' | 'curl' | 'go-http' | 'okhttp' | 'none' | 'bav2ropc' | 'old-ie' | 'old-chrome' | 'powershell' | 'smtp-client';

/** Agents of scripts, legacy protocol clients and attack tooling. */
export function toolAgent(kind: ToolKind, rngIn?: Rng): Agent {
  const rng = rngIn ?? new Rng(`tool:${kind}`);
  const blank = {
    client: 'legacy' as ClientKind,
    azureOs: '',
    oktaOs: 'Unknown',
    oktaDevice: 'Unknown' as Agent['oktaDevice'],
    duoOs: '',
    duoOsVersion: '',
    duoBrowser: '',
    duoBrowserVersion: '',
    oktaBrowser: 'UNKNOWN',
  };
  switch (kind) {
    case 'python-requests': {
      const v = `2.${rng.int(25, 32)}.${rng.int(0, 3)}`;
      return { ...blank, client: 'browser', ua: `python-requests/${v}`, ecs: ecsUa('Python Requests', v.split('.').slice(0, 2).join('.'), '', '', 'Other'), azureBrowser: `Python Requests ${v.split('.').slice(0, 2).join('.')}` };
    }
    case 'curl': {
      const v = `8.${rng.int(4, 12)}.${rng.int(0, 1)}`;
      return { ...blank, client: 'browser', ua: `curl/${v}`, ecs: ecsUa('curl', v, '', '', 'Other'), azureBrowser: `Curl ${v}` };
    }
    case 'go-http':
      return { ...blank, client: 'browser', ua: 'Go-http-client/1.1', ecs: ecsUa('Go-http-client', '1.1', '', '', 'Other'), azureBrowser: 'Go-http-client 1.1' };
    case 'okhttp':
      return { ...blank, client: 'mobile', ua: `okhttp/4.${rng.int(9, 12)}.0`, ecs: ecsUa('okhttp', '4.12.0', '', '', 'Other'), azureBrowser: '', oktaDevice: 'Mobile' };
    case 'bav2ropc':
      return { ...blank, client: 'legacy', ua: 'BAV2ROPC', ecs: ecsUa('Other', '', '', '', 'Other'), azureBrowser: '' };
    case 'old-ie':
      return {
        ...blank,
        client: 'browser',
        ua: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
        ecs: ecsUa('IE', '11.0', 'Windows', '10', 'Other'),
        azureBrowser: 'IE 11.0',
        azureOs: 'Windows 10',
        oktaBrowser: 'IE',
        oktaOs: 'Windows 10',
        oktaDevice: 'Computer',
        duoBrowser: 'Internet Explorer',
        duoBrowserVersion: '11.0',
        duoOs: 'Windows',
        duoOsVersion: '10',
      };
    case 'old-chrome': {
      const m = rng.int(108, 126);
      return {
        ...blank,
        client: 'browser',
        ua: `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${m}.0.0.0 Safari/537.36`,
        ecs: ecsUa('Chrome', `${m}.0.0.0`, 'Windows', '10', 'Other'),
        azureBrowser: `Chrome ${m}.0.0`,
        azureOs: 'Windows 10',
        oktaBrowser: 'CHROME',
        oktaOs: 'Windows 10',
        oktaDevice: 'Computer',
        duoBrowser: 'Chrome',
        duoBrowserVersion: `${m}.0.${5000 + m * 11}.${rng.int(10, 200)}`,
        duoOs: 'Windows',
        duoOsVersion: '10',
      };
    }
    case 'powershell':
      return { ...blank, client: 'desktop', ua: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.22621.4391', ecs: ecsUa('Other', '', 'Windows', '10', 'Other'), azureBrowser: '', azureOs: 'Windows' };
    case 'smtp-client':
      return { ...blank, client: 'legacy', ua: '', ecs: null, azureBrowser: '' };
    default:
      return { ...blank, client: 'legacy', ua: '', ecs: null, azureBrowser: '' };
  }
}

/** The ECS user_agent object of a document: a fresh copy (agents are shared between events). */
export function uaDoc(agent: Agent): Record<string, unknown> | null {
  if (!agent.ua) return null;
  const e = agent.ecs;
  const out: Record<string, unknown> = {};
  if (e) {
    for (const [k, v] of Object.entries(e)) out[k] = v !== null && typeof v === 'object' ? { ...(v as Record<string, unknown>) } : v;
  }
  out.original = agent.ua;
  return out;
}
