/**
 * The two organisations the held-out sets describe, as data: where they have offices, which
 * teams work there and how, what IT gives them, which applications they use, where they travel,
 * and what changes in the scored week.
 *
 * Harbourline Logistics (set 1): a freight forwarder and port operator in winter. Shift crews in
 * Gdańsk and Durban on four-on-four-off rotas at shared terminals, sales people on the road, a
 * small platform team, offices reaching the internet directly, a few scan-to-email mailboxes that
 * still speak SMTP.
 *
 * Kestrel Genomics (set 2): a sequencing lab and bioinformatics company in summer. Remote-first,
 * so most sign-ins come through a secure web gateway's data centres rather than homes;
 * researchers keep late and weekend hours; lab PCs are shared; heavy AWS.
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
  /** Secure web gateway data centres remote traffic leaves through (nearest first). */
  edges?: readonly NetworkName[];
  locale: Locale;
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
}

const app = (name: string, id: string, resource: string, ...paths: ClientPath[]): AppDef => ({ name, id, resource, paths });

const EXO = 'Office 365 Exchange Online';
const SPO = 'Office 365 SharePoint Online';

/** Microsoft's first-party apps both tenants have, and the SaaS each has connected. */
const MICROSOFT: AppDef[] = [
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

const saas = (name: string, id: string): AppDef => app(name, id, name, 'browser');

export const HARBOURLINE: OrgShape = {
  name: 'Harbourline Logistics',
  domain: 'harbourline.eu',
  tenantId: '6f1e2c4a-93b0-4d57-a8e2-1c0d7b5f3e91',
  season: 'winter',
  firstMonday: '2026-11-02',
  releases: { chromiumMajor: 154, firefoxMajor: 146, safari: [19, 1], releases: [6, 30] },
  sites: [
    { key: 'rotterdam', namedLocation: 'Rotterdam Waalhaven HQ', place: 'rotterdam', office: 'kpnBusiness', homes: ['ziggo', 'ziggoDelft'], mobile: 'odido', locale: 'nl' },
    { key: 'gdansk', namedLocation: 'Gdańsk Container Terminal', place: 'gdansk', office: 'orangePlBusiness', homes: ['netia'], mobile: 'play', locale: 'pl' },
    { key: 'singapore', namedLocation: 'Singapore Pasir Panjang Office', place: 'singapore', office: 'singtelBusiness', homes: ['starhub'], mobile: 'm1', locale: 'sg' },
    { key: 'durban', namedLocation: 'Durban Point Depot', place: 'durban', office: 'telkomBusiness', homes: ['vumatel'], mobile: 'vodacom', locale: 'za' },
    { key: 'houston', namedLocation: 'Houston Barbours Cut Office', place: 'houston', office: 'attBusiness', homes: ['comcast'], mobile: 'tmobileUs', locale: 'us' },
  ],
  apps: [
    ...MICROSOFT,
    saas('CargoWise', '3a7f9c21-5e0b-4d8a-9f61-2b4c8e7d1a05'),
    saas('UKG Pro Workforce Management', '8c2d4e6f-1a3b-4c5d-8e9f-0a1b2c3d4e5f'),
    saas('Salesforce', 'b4e1f2a3-6c7d-48e9-a0b1-c2d3e4f5a6b7'),
    saas('Descartes CustomsInfo', 'c5f2a3b4-7d8e-49fa-b1c2-d3e4f5a6b7c8'),
    saas('SAP Concur', 'd6a3b4c5-8e9f-4a0b-c2d3-e4f5a6b7c8d9'),
    saas('DocuSign', 'e7b4c5d6-9f0a-4b1c-d3e4-f5a6b7c8d9e0'),
    saas('ServiceNow', 'f8c5d6e7-0a1b-4c2d-e4f5-a6b7c8d9e0f1'),
    saas('GitHub Enterprise Cloud', '09d6e7f8-1b2c-4d3e-f5a6-b7c8d9e0f1a2'),
    saas('AWS IAM Identity Center', '1ae7f809-2c3d-4e4f-a6b7-c8d9e0f1a2b3'),
    saas('Atlassian Cloud', '2bf8091a-3d4e-4f5a-b7c8-d9e0f1a2b3c4'),
    saas('Workday', '3c091a2b-4e5f-4a6b-c8d9-e0f1a2b3c4d5'),
  ],
  newApp: { app: app('Viva Engage', '00000005-0000-0ff1-ce00-000000000000', 'Viva Engage', 'browser', 'desktop', 'mobile'), launchDay: 2 },
  destinations: ['vodafoneDe', 'proximus', 'etisalat', 'chinaTelecom', 'kt', 'vivo', 'cwPanama'],
  deviceMailboxes: [
    { login: 'scan.gdansk.terminal', site: 'gdansk' },
    { login: 'labels.durban.depot', site: 'durban' },
  ],
  teams: [
    {
      name: 'port-operations',
      share: 0.28,
      sites: [['gdansk', 0.55], ['durban', 0.3], ['rotterdam', 0.15]],
      routines: [['four-on-four-off', 0.6], ['early', 0.2], ['late', 0.2]],
      laptops: [
        [{ form: 'shared-terminal', os: 'Windows 10', browser: 'Edge', trust: 'Hybrid Azure AD joined' }, 0.55],
        [{ form: 'laptop', os: 'Windows 10', browser: 'Edge', trust: 'Hybrid Azure AD joined' }, 0.45],
      ],
      phones: 0.75,
      phoneImages: [
        [{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 0.7],
        [{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 0.3],
      ],
      apps: [['Microsoft Teams', 4], ['Microsoft Office', 3], ['Outlook Mobile', 2], ['Office 365 Exchange Online', 2], ['CargoWise', 6], ['UKG Pro Workforce Management', 2], ['Office 365 SharePoint Online', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.6,
      sparse: 0.15,
    },
    {
      name: 'freight-desk',
      share: 0.2,
      sites: [['rotterdam', 0.5], ['singapore', 0.25], ['houston', 0.25]],
      routines: [['office', 1]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.5,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Microsoft Office', 4], ['Microsoft Teams', 4], ['CargoWise', 6], ['Salesforce', 2], ['Office 365 SharePoint Online', 3], ['Descartes CustomsInfo', 2], ['OneDrive SyncEngine', 2]],
      remote: 0.3,
      travel: 0.04,
      intensity: 1,
      sparse: 0.03,
    },
    {
      name: 'sales',
      share: 0.12,
      sites: [['rotterdam', 0.4], ['singapore', 0.3], ['houston', 0.3]],
      routines: [['field', 1]],
      laptops: [
        [{ form: 'laptop', os: 'Windows 11', browser: 'Chrome', trust: 'Azure AD joined' }, 0.6],
        [{ form: 'laptop', os: 'macOS', browser: 'Safari', trust: 'Azure AD registered' }, 0.4],
      ],
      phones: 0.95,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Salesforce', 6], ['Outlook Mobile', 4], ['Microsoft Teams', 4], ['Office 365 SharePoint Online', 2], ['DocuSign', 2], ['SAP Concur', 1], ['Microsoft Office', 2]],
      remote: 0.4,
      travel: 0.3,
      intensity: 0.9,
      sparse: 0.02,
    },
    {
      name: 'finance',
      share: 0.1,
      sites: [['rotterdam', 0.7], ['singapore', 0.3]],
      routines: [['office', 0.85], ['part-time', 0.15]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.3,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Microsoft Dynamics ERP', 5], ['Power BI Service', 4], ['Microsoft Office', 4], ['SAP Concur', 2], ['Office 365 SharePoint Online', 3], ['Microsoft Teams', 3]],
      remote: 0.3,
      travel: 0.03,
      intensity: 1,
      sparse: 0,
    },
    {
      name: 'it-operations',
      share: 0.08,
      sites: [['rotterdam', 0.6], ['gdansk', 0.4]],
      routines: [['on-call-admin', 1]],
      laptops: [
        [{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 0.7],
        [{ form: 'laptop', os: 'Linux', browser: 'Firefox' }, 0.3],
      ],
      phones: 0.9,
      phoneImages: [[{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 1]],
      apps: [['Azure Portal', 5], ['Microsoft Intune', 3], ['Microsoft Azure CLI', 2], ['ServiceNow', 3], ['Microsoft Teams', 3], ['Microsoft Office', 2], ['AWS IAM Identity Center', 1]],
      remote: 0.5,
      travel: 0.04,
      intensity: 1.2,
      sparse: 0,
    },
    {
      name: 'platform-engineering',
      share: 0.1,
      sites: [['rotterdam', 0.6], ['gdansk', 0.4]],
      routines: [['office', 0.8], ['late', 0.2]],
      laptops: [
        [{ form: 'laptop', os: 'macOS', browser: 'Chrome', trust: 'Azure AD registered' }, 0.5],
        [{ form: 'laptop', os: 'Windows 11', browser: 'Chrome', trust: 'Azure AD joined' }, 0.3],
        [{ form: 'laptop', os: 'Linux', browser: 'Firefox' }, 0.2],
      ],
      phones: 0.6,
      phoneImages: [
        [{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 0.5],
        [{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 0.5],
      ],
      apps: [['GitHub Enterprise Cloud', 5], ['AWS IAM Identity Center', 4], ['Atlassian Cloud', 4], ['Microsoft Teams', 3], ['Microsoft Office', 2], ['Azure DevOps', 1]],
      remote: 0.5,
      travel: 0.04,
      intensity: 1.1,
      sparse: 0,
    },
    {
      name: 'customs-compliance',
      share: 0.06,
      sites: [['rotterdam', 0.6], ['durban', 0.4]],
      routines: [['office', 1]],
      laptops: [[{ form: 'laptop', os: 'Windows 10', browser: 'Edge', trust: 'Hybrid Azure AD joined' }, 1]],
      phones: 0.2,
      phoneImages: [[{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 1]],
      apps: [['Descartes CustomsInfo', 5], ['Office 365 SharePoint Online', 3], ['Microsoft Office', 3], ['CargoWise', 2], ['Microsoft Teams', 2]],
      remote: 0.2,
      travel: 0.02,
      intensity: 0.9,
      sparse: 0.05,
    },
    {
      name: 'leadership',
      share: 0.03,
      sites: [['rotterdam', 0.7], ['singapore', 0.3]],
      routines: [['field', 1]],
      laptops: [[{ form: 'laptop', os: 'macOS', browser: 'Safari', trust: 'Azure AD registered' }, 1]],
      phones: 1,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Outlook Mobile', 5], ['Microsoft Teams', 4], ['Power BI Service', 2], ['DocuSign', 2], ['Office 365 SharePoint Online', 2]],
      remote: 0.3,
      travel: 0.45,
      intensity: 0.8,
      sparse: 0,
    },
    {
      name: 'people-team',
      share: 0.03,
      sites: [['rotterdam', 1]],
      routines: [['office', 0.6], ['part-time', 0.4]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.3,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Workday', 5], ['Microsoft Teams', 3], ['Microsoft Office', 3], ['DocuSign', 1], ['UKG Pro Workforce Management', 1]],
      remote: 0.3,
      travel: 0.02,
      intensity: 0.9,
      sparse: 0,
    },
  ],
};

export const KESTREL: OrgShape = {
  name: 'Kestrel Genomics',
  domain: 'kestrelgenomics.com',
  tenantId: 'b8d34f07-2e6a-4c19-9f5b-7a0e3d2c1b84',
  season: 'summer',
  firstMonday: '2026-06-01',
  releases: { chromiumMajor: 148, firefoxMajor: 140, safari: [18, 5], releases: [12, 29] },
  sites: [
    { key: 'dublin', namedLocation: 'Dublin Sandyford Lab', place: 'dublin', office: 'eirBusiness', homes: ['virginIe'], mobile: 'threeIe', edges: ['zscalerLondon', 'zscalerAmsterdam'], locale: 'ie' },
    { key: 'lisbon', namedLocation: 'Lisbon Sequencing Centre', place: 'lisbon', office: 'meoBusiness', homes: ['nos'], mobile: 'vodafonePt', edges: ['zscalerAmsterdam', 'zscalerLondon'], locale: 'pt' },
    { key: 'bengaluru', namedLocation: 'Bengaluru Bioinformatics Hub', place: 'bengaluru', office: 'tataBusiness', homes: ['actFibernet'], mobile: 'jio', edges: ['zscalerMumbai'], locale: 'in' },
    { key: 'cambridge', namedLocation: 'Cambridge Biomedical Campus', place: 'cambridge', office: 'janet', homes: ['bt'], mobile: 'ee', edges: ['zscalerLondon'], locale: 'gb' },
    { key: 'melbourne', namedLocation: 'Melbourne Clinical Reporting', place: 'melbourne', office: 'telstraBusiness', homes: ['aussieBroadband'], mobile: 'optus', edges: ['zscalerSydney'], locale: 'au' },
  ],
  apps: [
    ...MICROSOFT,
    saas('LabVantage LIMS', '4d1a2b3c-5f60-4b7c-d9e0-f1a2b3c4d5e6'),
    saas('Benchling', '5e2b3c4d-6071-4c8d-e0f1-a2b3c4d5e6f7'),
    saas('DNAnexus', '6f3c4d5e-7182-4d9e-f1a2-b3c4d5e6f708'),
    saas('Illumina Connected Analytics', '70a4d5e6-8293-4eaf-a2b3-c4d5e6f70819'),
    saas('GitHub Enterprise Cloud', '81b5e6f7-93a4-4fb0-b3c4-d5e6f708192a'),
    saas('AWS IAM Identity Center', '92c6f708-a4b5-40c1-c4d5-e6f708192a3b'),
    saas('Atlassian Cloud', 'a3d70819-b5c6-41d2-d5e6-f708192a3b4c'),
    saas('Slack', 'b4e8192a-c6d7-42e3-e6f7-08192a3b4c5d'),
    saas('Salesforce', 'c5f92a3b-d7e8-43f4-f708-192a3b4c5d6e'),
    saas('Workday', 'd60a3b4c-e8f9-4405-0819-2a3b4c5d6e7f'),
    saas('SAP Concur', 'e71b4c5d-f90a-4516-192a-3b4c5d6e7f80'),
    saas('DocuSign', 'f82c5d6e-0a1b-4627-2a3b-4c5d6e7f8091'),
    saas('Veeva Vault QualityDocs', '093d6e7f-1b2c-4738-3b4c-5d6e7f8091a2'),
    saas('Jira Service Management', '1a4e7f80-2c3d-4849-4c5d-6e7f8091a2b3'),
  ],
  newApp: { app: app('Microsoft 365 Copilot', 'fb8d773d-7ef8-4ec0-a117-179f88add510', 'Microsoft 365 Copilot', 'browser', 'desktop'), launchDay: 1 },
  destinations: ['swisscom', 'verizonBoston', 'cox', 'tdc', 'telekomDe', 'ntt', 'singtelHotel'],
  deviceMailboxes: [],
  teams: [
    {
      name: 'wet-lab',
      share: 0.24,
      sites: [['dublin', 0.4], ['lisbon', 0.35], ['cambridge', 0.25]],
      routines: [['office', 0.5], ['early', 0.3], ['researcher', 0.2]],
      laptops: [
        [{ form: 'shared-terminal', os: 'Windows 10', browser: 'Edge', trust: 'Azure AD joined' }, 0.4],
        [{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 0.6],
      ],
      phones: 0.5,
      phoneImages: [
        [{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 0.6],
        [{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 0.4],
      ],
      apps: [['LabVantage LIMS', 6], ['Benchling', 5], ['Microsoft Teams', 3], ['Microsoft Office', 3], ['Office 365 SharePoint Online', 2]],
      remote: 0.05,
      travel: 0.03,
      intensity: 0.8,
      sparse: 0.08,
    },
    {
      name: 'bioinformatics',
      share: 0.18,
      sites: [['cambridge', 0.3], ['bengaluru', 0.4], ['dublin', 0.3]],
      routines: [['researcher', 0.8], ['office', 0.2]],
      laptops: [
        [{ form: 'laptop', os: 'Linux', browser: 'Firefox' }, 0.4],
        [{ form: 'laptop', os: 'macOS', browser: 'Chrome', trust: 'Azure AD registered' }, 0.6],
      ],
      phones: 0.4,
      phoneImages: [[{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 1]],
      apps: [['AWS IAM Identity Center', 5], ['GitHub Enterprise Cloud', 5], ['Slack', 4], ['DNAnexus', 3], ['Benchling', 2], ['Microsoft Teams', 2], ['Microsoft Office', 1]],
      remote: 0.6,
      travel: 0.06,
      intensity: 1,
      sparse: 0.02,
    },
    {
      name: 'clinical-reporting',
      share: 0.12,
      sites: [['dublin', 0.5], ['melbourne', 0.5]],
      routines: [['office', 0.9], ['part-time', 0.1]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.3,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Illumina Connected Analytics', 5], ['Office 365 SharePoint Online', 3], ['Microsoft Office', 4], ['Microsoft Teams', 3], ['DocuSign', 2]],
      remote: 0.3,
      travel: 0.02,
      intensity: 1,
      sparse: 0,
    },
    {
      name: 'software',
      share: 0.12,
      sites: [['dublin', 0.4], ['bengaluru', 0.4], ['lisbon', 0.2]],
      routines: [['office', 0.6], ['researcher', 0.4]],
      laptops: [[{ form: 'laptop', os: 'macOS', browser: 'Chrome', trust: 'Azure AD registered' }, 1]],
      phones: 0.5,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['GitHub Enterprise Cloud', 6], ['AWS IAM Identity Center', 4], ['Atlassian Cloud', 4], ['Slack', 4], ['Microsoft Teams', 1]],
      remote: 0.7,
      travel: 0.04,
      intensity: 1.1,
      sparse: 0,
    },
    {
      name: 'field-applications',
      share: 0.1,
      sites: [['dublin', 0.3], ['cambridge', 0.3], ['melbourne', 0.2], ['lisbon', 0.2]],
      routines: [['field', 1]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Chrome', trust: 'Azure AD joined' }, 1]],
      phones: 1,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Salesforce', 5], ['Outlook Mobile', 4], ['Microsoft Teams', 4], ['Benchling', 1], ['SAP Concur', 1]],
      remote: 0.5,
      travel: 0.3,
      intensity: 0.8,
      sparse: 0.03,
    },
    {
      name: 'it-security',
      share: 0.06,
      sites: [['dublin', 0.6], ['bengaluru', 0.4]],
      routines: [['on-call-admin', 1]],
      laptops: [
        [{ form: 'laptop', os: 'macOS', browser: 'Chrome', trust: 'Azure AD registered' }, 0.5],
        [{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 0.5],
      ],
      phones: 0.9,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Azure Portal', 5], ['Microsoft Intune', 3], ['Microsoft Azure CLI', 2], ['Jira Service Management', 3], ['AWS IAM Identity Center', 3], ['Slack', 2]],
      remote: 0.5,
      travel: 0.04,
      intensity: 1.2,
      sparse: 0,
    },
    {
      name: 'operations',
      share: 0.1,
      sites: [['dublin', 0.4], ['lisbon', 0.2], ['cambridge', 0.2], ['melbourne', 0.2]],
      routines: [['office', 0.7], ['part-time', 0.3]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.3,
      phoneImages: [[{ form: 'phone', os: 'Android', browser: 'Chrome Mobile', trust: 'Azure AD registered' }, 1]],
      apps: [['Workday', 3], ['SAP Concur', 2], ['Microsoft Office', 4], ['Microsoft Teams', 4], ['Office 365 SharePoint Online', 3]],
      remote: 0.3,
      travel: 0.02,
      intensity: 0.9,
      sparse: 0.05,
    },
    {
      name: 'leadership',
      share: 0.04,
      sites: [['dublin', 0.6], ['cambridge', 0.4]],
      routines: [['field', 1]],
      laptops: [[{ form: 'laptop', os: 'macOS', browser: 'Safari', trust: 'Azure AD registered' }, 1]],
      phones: 1,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Outlook Mobile', 5], ['Microsoft Teams', 3], ['Slack', 2], ['DocuSign', 2], ['Office 365 SharePoint Online', 2]],
      remote: 0.4,
      travel: 0.45,
      intensity: 0.8,
      sparse: 0,
    },
    {
      name: 'quality-regulatory',
      share: 0.04,
      sites: [['lisbon', 0.6], ['dublin', 0.4]],
      routines: [['office', 1]],
      laptops: [[{ form: 'laptop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.2,
      phoneImages: [[{ form: 'phone', os: 'iOS', browser: 'Mobile Safari', trust: 'Azure AD registered' }, 1]],
      apps: [['Veeva Vault QualityDocs', 5], ['Office 365 SharePoint Online', 3], ['DocuSign', 2], ['Microsoft Office', 3], ['Microsoft Teams', 2]],
      remote: 0.3,
      travel: 0.03,
      intensity: 0.9,
      sparse: 0,
    },
  ],
};

export const ORGANISATIONS = { harbourline: HARBOURLINE, kestrel: KESTREL } as const;
export type OrgName = keyof typeof ORGANISATIONS;
