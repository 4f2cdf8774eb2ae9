/**
 * The vocabulary organisations are described in (sites, teams, apps, the organisation's shape),
 * what every tenant shares (Microsoft's first-party applications), and the parts later
 * organisations are built from: device images and team templates.
 */
import type { DeviceImage, ReleaseTrain } from './devices';
import type { Locale } from './names';
import type { RoutineName } from './routines';
import type { NetworkName, PlaceName, Season } from './world';

export type ClientPath = 'browser' | 'desktop' | 'mobile' | 'legacy-smtp';

export interface AppDef {
  name: string;
  id: string;
  /** Entra's resource_display_name: what the token is for. */
  resource: string;
  /** How people reach it. */
  paths: readonly ClientPath[];
}

export interface SiteDef {
  key: string;
  /** The named location Entra conditional access knows the office network by. */
  namedLocation: string;
  place: PlaceName;
  office: NetworkName;
  homes: readonly NetworkName[];
  mobile: NetworkName;
  /** Secure web gateway data centres or VPN concentrators remote traffic leaves through (nearest first). */
  edges?: readonly NetworkName[];
  locale: Locale;
  /** Days the whole site shuts (a plant's holiday shutdown), as ISO dates: nobody there works. */
  closed?: readonly string[];
}

export interface TeamDef {
  name: string;
  /** Share of the headcount. */
  share: number;
  sites: readonly (readonly [string, number])[];
  routines: readonly (readonly [RoutineName, number])[];
  laptops: readonly (readonly [DeviceImage, number])[];
  /** Share of members whose work phone signs in. */
  phones: number;
  phoneImages: readonly (readonly [DeviceImage, number])[];
  /** The team's applications and how much each is used. */
  apps: readonly (readonly [string, number])[];
  /** Share of working days spent at home. */
  remote: number;
  /** Chance a member is away on a business trip during the scored week. */
  travel: number;
  /** Sign-ins per working hour, relative to an office worker. */
  intensity: number;
  /** Share of members who barely sign in (frontline staff on a kiosk, occasional contractors). */
  sparse: number;
}

export interface OrgShape {
  name: string;
  domain: string;
  tenantId: string;
  season: Season;
  firstMonday: string;
  releases: ReleaseTrain;
  sites: readonly SiteDef[];
  teams: readonly TeamDef[];
  apps: readonly AppDef[];
  /** The application everybody starts using in the scored week, and the test day it launches on. */
  newApp: { app: AppDef; launchDay: number };
  /** Where business trips go: hotel and venue networks. */
  destinations: readonly NetworkName[];
  /** Mailboxes of scanners and label printers that authenticate with SMTP all day. */
  deviceMailboxes: readonly { login: string; site: string }[];
  /** The cloud-desktop host pool people on `virtual-desktop` devices work in: its egress and named location. */
  virtualDesktops?: { network: NetworkName; namedLocation: string };
  /** Hotels at the outstations an airline's crews spend nights at (trips.ts planLayovers). */
  outstations?: readonly NetworkName[];
}

export const app = (name: string, id: string, resource: string, ...paths: ClientPath[]): AppDef => ({ name, id, resource, paths });

export const EXO = 'Office 365 Exchange Online';
export const SPO = 'Office 365 SharePoint Online';

/** Microsoft's first-party apps both tenants have, and the SaaS each has connected. */
export const MICROSOFT: AppDef[] = [
  app('Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264', 'Microsoft Teams Services', 'desktop', 'mobile', 'browser'),
  app('Microsoft Office', 'd3590ed6-52b3-4102-aeff-aad2292ab01c', EXO, 'desktop'),
  app('Outlook Mobile', '27922004-5251-4030-b22d-91ecd9a37ea4', EXO, 'mobile'),
  app(EXO, '00000002-0000-0ff1-ce00-000000000000', EXO, 'browser'),
  app(SPO, '00000003-0000-0ff1-ce00-000000000000', SPO, 'browser'),
  app('OneDrive SyncEngine', 'ab9b8c07-8f02-4f72-87fa-80105867a763', SPO, 'desktop'),
  app('Windows Sign In', '38aa3b87-a06d-4817-b275-7a316988d93b', 'Windows Azure Active Directory', 'desktop'),
  app('Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', 'Windows Azure Service Management API', 'browser'),
  app('Microsoft Azure CLI', '04b07795-8ddb-461a-bbee-02f9e1bf7b46', 'Windows Azure Service Management API', 'desktop'),
  app('Microsoft Intune', '0000000a-0000-0000-c000-000000000000', 'Microsoft Intune', 'browser'),
  app('Power BI Service', '871c010f-5e61-4fb1-83ac-98610a7e9110', 'Power BI Service', 'browser', 'desktop'),
  app('Microsoft Dynamics ERP', '00000015-0000-0000-c000-000000000000', 'Microsoft Dynamics ERP', 'browser'),
  app('Azure DevOps', '499b84ac-1321-427f-aa17-267ca6975798', 'Azure DevOps', 'browser'),
];

export const saas = (name: string, id: string): AppDef => app(name, id, name, 'browser');

/** The Microsoft 365 start page. Not in MICROSOFT: sets 1 and 2's organisations never listed it, and their sets stay as they are. */
export const OFFICE_HOME = app('OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca', 'OfficeHome', 'browser');

// Device images IT hands out, shared by the organisations that describe teams with them.
export const WIN11_EDGE_HYBRID: DeviceImage = { form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Hybrid Azure AD joined' };
export const WIN11_EDGE_JOINED: DeviceImage = { form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' };
export const WIN11_CHROME_JOINED: DeviceImage = { form: 'laptop', os: 'Windows 11', browser: 'Chrome', trust: 'Azure AD joined' };
export const MAC_CHROME: DeviceImage = { form: 'laptop', os: 'macOS', browser: 'Chrome', trust: 'Azure AD registered' };
export const MAC_SAFARI: DeviceImage = { form: 'laptop', os: 'macOS', browser: 'Safari', trust: 'Azure AD registered' };
/** Unmanaged: Entra does not know the device. */
export const LINUX_FIREFOX: DeviceImage = { form: 'laptop', os: 'Linux', browser: 'Firefox' };
export const IPHONE: DeviceImage = { form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' };
export const ANDROID: DeviceImage = { form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' };

/*
 * Teams that Maplecrest (set 3) and Tōtara (set 4) both have, as templates: what the role brings
 * with it (hours, kit, how much it is away), with each organisation's name, size and sites, and
 * whatever else its own version of the role does differently (its applications above all).
 */
type Sites = TeamDef['sites'];
type Role = Omit<TeamDef, 'name' | 'share' | 'sites'>;

/**
 * A team template: `own` must give every field the role leaves open (the type says which), and
 * may override any other, so what comes out is a whole TeamDef.
 */
const role =
  <const K extends Partial<Role>>(kit: K) =>
  (name: string, share: number, sites: Sites, own: Omit<Role, keyof K> & Partial<Role>): TeamDef =>
    ({ name, share, sites, ...kit, ...own }) as TeamDef;

/** Executives: a MacBook and an iPhone they live on, mail and Teams, away a lot. */
const LEADERSHIP = role({
  routines: [['field', 1]],
  laptops: [[MAC_SAFARI, 1]],
  phones: 1,
  phoneImages: [[IPHONE, 1]],
  apps: [['Outlook Mobile', 5], ['Microsoft Teams', 4], ['Power BI Service', 2], ['DocuSign', 2], ['Office 365 SharePoint Online', 2]],
  remote: 0.3,
  travel: 0.4,
  intensity: 0.8,
  sparse: 0,
});
export const leadership = (share: number, sites: Sites): TeamDef => LEADERSHIP('leadership', share, sites, {});

/** HR: office hours with part-timers, Workday first; rarely away. */
const PEOPLE_TEAM = role({
  routines: [['office', 0.7], ['part-time', 0.3]],
  laptops: [[WIN11_EDGE_JOINED, 1]],
  phones: 0.3,
  phoneImages: [[IPHONE, 1]],
  travel: 0.02,
  intensity: 0.9,
  sparse: 0,
});
export const peopleTeam = (share: number, sites: Sites, own: Pick<TeamDef, 'apps' | 'remote'>): TeamDef => PEOPLE_TEAM('people-team', share, sites, own);

/** Finance: office hours with part-timers, on the domain-joined Windows image. */
export const finance = role({
  routines: [['office', 0.85], ['part-time', 0.15]],
  laptops: [[WIN11_EDGE_HYBRID, 1]],
  phones: 0.3,
  phoneImages: [[IPHONE, 1]],
  intensity: 1,
  sparse: 0,
});

/** Head-office analysts: office hours, half their days at home. */
export const analysts = role({
  routines: [['office', 1]],
  phones: 0.4,
  phoneImages: [[IPHONE, 1]],
  remote: 0.5,
  travel: 0.03,
  intensity: 1,
  sparse: 0,
});

/** Platform engineers: Macs, Linux and Windows with Chrome; some keep researchers' late and weekend hours. */
export const engineers = role({
  routines: [['office', 0.7], ['researcher', 0.3]],
  laptops: [[MAC_CHROME, 0.6], [LINUX_FIREFOX, 0.2], [WIN11_CHROME_JOINED, 0.2]],
  phones: 0.6,
  phoneImages: [[IPHONE, 0.5], [ANDROID, 0.5]],
  intensity: 1.1,
  sparse: 0,
});

/** IT administrators on call: nearly all with a work phone, the busiest signers-in. */
export const itAdmins = role({
  routines: [['on-call-admin', 1]],
  laptops: [[WIN11_EDGE_JOINED, 1]],
  phones: 0.9,
  remote: 0.4,
  travel: 0.03,
  intensity: 1.2,
  sparse: 0,
});

/** People who sell: out with customers (the field routine), an iPhone each, often travelling. */
export const fieldSales = role({
  routines: [['field', 1]],
  phones: 1,
  phoneImages: [[IPHONE, 1]],
  remote: 0.4,
  intensity: 0.9,
  sparse: 0.02,
});
