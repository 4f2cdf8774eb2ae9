/**
 * The vocabulary organisations are described in (sites, teams, apps, the organisation's shape),
 * and what every tenant shares: Microsoft's first-party applications.
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
