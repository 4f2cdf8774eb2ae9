/**
 * Application catalogues per identity provider, with how popular each app is overall and in each
 * department. Users draw a few favourites from these (heavy-tailed), so most people share the
 * core suite while the long tail differs between teams.
 */
import type { ClientKind, NativeKind } from './devices';

export type Dept = 'engineering' | 'sales' | 'finance' | 'hr' | 'it' | 'support' | 'marketing' | 'exec' | 'legal' | 'operations';

export const DEPTS: readonly (readonly [Dept, number])[] = [
  ['engineering', 0.24],
  ['sales', 0.16],
  ['support', 0.12],
  ['operations', 0.1],
  ['marketing', 0.08],
  ['finance', 0.08],
  ['it', 0.07],
  ['hr', 0.05],
  ['legal', 0.04],
  ['exec', 0.06],
];

export interface AppDef {
  name: string;
  id: string;
  /** Azure resource the token is for. */
  resource: string;
  /** Clients the app can be reached with. */
  clients: ClientKind[];
  native?: NativeKind;
  /** Overall popularity (relative). */
  pop: number;
  /** Department multipliers on popularity. */
  depts?: Partial<Record<Dept, number>>;
  /** Only Windows devices (Windows Sign In). */
  windowsOnly?: boolean;
  /** Sign-ins to it usually ask for MFA (Duo: every time; Azure/Okta: at session start). */
  mfaEveryTime?: boolean;
  /** Only reached by admins. */
  admin?: boolean;
}

const EXO = 'Office 365 Exchange Online';
const SPO = 'Office 365 SharePoint Online';
const GRAPH = 'Microsoft Graph';

export const AZURE_APPS: AppDef[] = [
  { name: 'Microsoft Office', id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', resource: EXO, clients: ['desktop', 'mobile'], native: 'office', pop: 10 },
  { name: 'Microsoft Teams', id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', resource: 'Microsoft Teams Services', clients: ['desktop', 'mobile', 'browser'], native: 'teams', pop: 9 },
  { name: 'Office 365 Exchange Online', id: '00000002-0000-0ff1-ce00-000000000000', resource: EXO, clients: ['browser'], pop: 5 },
  { name: 'OfficeHome', id: '4765445b-32c6-49b0-83e6-1d93765276ca', resource: 'OfficeHome', clients: ['browser'], pop: 4 },
  { name: 'Office365 Shell WCSS-Client', id: '89bee1f7-5e6e-4d8a-9f3d-ecd601259da7', resource: 'Office365 Shell WCSS-Server', clients: ['browser'], pop: 4 },
  { name: 'Office 365 SharePoint Online', id: '00000003-0000-0ff1-ce00-000000000000', resource: SPO, clients: ['browser'], pop: 4.5 },
  { name: 'OneDrive SyncEngine', id: 'ab9b8c07-8f02-4f72-87fa-80105867a763', resource: SPO, clients: ['desktop'], native: 'onedrive', pop: 3.5 },
  { name: 'Microsoft Authentication Broker', id: '29d9ed98-a469-4536-ade2-f981bc1d605e', resource: 'Device Registration Service', clients: ['desktop', 'mobile'], native: 'broker', pop: 2.5 },
  { name: 'Windows Sign In', id: '38aa3b87-a06d-4817-b275-7a316988d93b', resource: 'Windows Azure Active Directory', clients: ['desktop'], native: 'broker', pop: 3, windowsOnly: true },
  { name: 'Microsoft Edge', id: 'ecd6b820-32c2-49b6-98a6-444530e5a77a', resource: GRAPH, clients: ['browser'], pop: 1.5 },
  { name: 'My Apps', id: '2793995e-0a7d-40d7-bd35-6968ba142197', resource: 'My Apps', clients: ['browser'], pop: 0.8 },
  { name: 'Microsoft 365 Copilot', id: 'fb8d773d-7ef8-4ec0-a117-179f88add510', resource: 'Microsoft 365 Copilot', clients: ['browser', 'desktop'], native: 'office', pop: 0.6 },
  { name: 'Azure Portal', id: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', resource: 'Windows Azure Service Management API', clients: ['browser'], pop: 0.15, depts: { it: 12, engineering: 5 } },
  { name: 'Microsoft Azure CLI', id: '04b07795-8ddb-461a-bbee-02f9e1bf7b46', resource: 'Windows Azure Service Management API', clients: ['desktop'], native: 'cli', pop: 0.08, depts: { it: 10, engineering: 8 } },
  { name: 'Microsoft Azure PowerShell', id: '1950a258-227b-4e31-a9cf-717495945fc2', resource: 'Windows Azure Service Management API', clients: ['desktop'], native: 'cli', pop: 0.05, depts: { it: 12 }, admin: true },
  { name: 'Visual Studio Code', id: 'aebc6443-996d-45c2-90f0-388ff96faa56', resource: GRAPH, clients: ['desktop'], native: 'electron', pop: 0.1, depts: { engineering: 12, it: 3 } },
  { name: 'Azure DevOps', id: '499b84ac-1321-427f-aa17-267ca6975798', resource: 'Azure DevOps', clients: ['browser'], pop: 0.1, depts: { engineering: 14, it: 3 } },
  { name: 'Microsoft Power BI', id: '871c010f-5e61-4fb1-83ac-98610a7e9110', resource: 'Power BI Service', clients: ['browser', 'desktop'], native: 'office', pop: 0.3, depts: { finance: 6, sales: 3, exec: 5, operations: 3 } },
  { name: 'Dynamics CRM Online', id: '00000007-0000-0000-c000-000000000000', resource: 'Dynamics CRM Online', clients: ['browser'], pop: 0.15, depts: { sales: 12, support: 3 } },
  { name: 'Salesforce', id: '6a9e3c1b-41ad-4c4e-9c1a-0b7a1f1e2d55', resource: 'Salesforce', clients: ['browser', 'mobile'], native: 'electron', pop: 0.25, depts: { sales: 14, marketing: 3, exec: 2 } },
  { name: 'ServiceNow', id: '5f1d8c2a-7b3e-4f6a-9e2d-1c4b7a8e3f90', resource: 'ServiceNow', clients: ['browser'], pop: 0.4, depts: { it: 8, support: 8, operations: 2 } },
  { name: 'Workday', id: '8e0c2d1f-3a4b-4c5d-8e6f-7a8b9c0d1e2f', resource: 'Workday', clients: ['browser', 'mobile'], native: 'electron', pop: 0.35, depts: { hr: 10, finance: 2, exec: 2 } },
  { name: 'Zoom', id: '0d7b4c2e-9f1a-4b3c-8d5e-6f7a8b9c0d1e', resource: 'Zoom', clients: ['desktop', 'mobile'], native: 'electron', pop: 0.6, depts: { sales: 3, exec: 2 } },
  { name: 'Slack', id: '3c2b1a0f-9e8d-4c7b-a6f5-e4d3c2b1a0f9', resource: 'Slack', clients: ['desktop', 'mobile', 'browser'], native: 'electron', pop: 0.5, depts: { engineering: 4, it: 2 } },
  { name: 'GitHub Enterprise Cloud', id: '4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d', resource: 'GitHub', clients: ['browser'], pop: 0.1, depts: { engineering: 15, it: 3 } },
  { name: 'Atlassian Cloud', id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', resource: 'Atlassian', clients: ['browser'], pop: 0.3, depts: { engineering: 8, support: 4, it: 3, operations: 2 } },
  { name: 'Adobe Identity Management', id: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e', resource: 'Adobe', clients: ['browser', 'desktop'], native: 'electron', pop: 0.1, depts: { marketing: 15 } },
  { name: 'SAP Concur', id: '7c6b5a49-3827-4165-9f4e-3d2c1b0a9f8e', resource: 'SAP Concur', clients: ['browser', 'mobile'], native: 'electron', pop: 0.2, depts: { finance: 6, sales: 2, exec: 2 } },
  { name: 'DocuSign', id: '2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b', resource: 'DocuSign', clients: ['browser'], pop: 0.1, depts: { legal: 15, finance: 3, hr: 3, sales: 2 } },
  { name: 'Microsoft Intune Company Portal', id: '9ba1a5c7-f17a-4de9-a1f1-6178c8d51223', resource: 'Microsoft Intune', clients: ['desktop', 'mobile'], native: 'broker', pop: 0.3 },
  { name: 'Power Automate', id: '386ce8c0-7421-48c9-a1df-2a532400339f', resource: 'Microsoft Flow Service', clients: ['browser'], pop: 0.1, depts: { operations: 4, finance: 3 } },
  { name: 'Microsoft Stream Portal', id: 'cf53fce8-def6-4aeb-8d30-b158e7b1cf83', resource: SPO, clients: ['browser'], pop: 0.15 },
  { name: 'Graph Explorer', id: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', resource: GRAPH, clients: ['browser'], pop: 0.02, depts: { it: 20, engineering: 3 }, admin: true },
  { name: 'My Signins', id: '19db86c3-b2b9-44cc-b339-36da233a3be2', resource: GRAPH, clients: ['browser'], pop: 0.05 },
];

/** Apps a service account or a meeting-room device signs in to. */
export const AZURE_SERVICE_APPS = ['Office 365 Exchange Online', 'Microsoft Teams', 'Microsoft Office', 'Microsoft Power BI'];

export const OKTA_APPS: AppDef[] = [
  { name: 'Okta Dashboard', id: '0oa1dash0000000000x7', resource: 'okta', clients: ['browser', 'mobile'], native: 'electron', pop: 6 },
  { name: 'Microsoft Office 365', id: '0oa1o3650000000000x7', resource: 'o365', clients: ['browser', 'desktop', 'mobile'], native: 'office', pop: 9 },
  { name: 'Google Workspace', id: '0oa1gsuite00000000x7', resource: 'google', clients: ['browser', 'mobile'], native: 'electron', pop: 3 },
  { name: 'Slack', id: '0oa1slack000000000x7', resource: 'slack', clients: ['browser', 'desktop', 'mobile'], native: 'electron', pop: 7 },
  { name: 'Zoom', id: '0oa1zoom0000000000x7', resource: 'zoom', clients: ['desktop', 'mobile', 'browser'], native: 'electron', pop: 5 },
  { name: 'Salesforce.com', id: '0oa1sfdc0000000000x7', resource: 'salesforce', clients: ['browser', 'mobile'], native: 'electron', pop: 0.4, depts: { sales: 14, marketing: 3, support: 2, exec: 2 } },
  { name: 'Workday', id: '0oa1wday0000000000x7', resource: 'workday', clients: ['browser', 'mobile'], native: 'electron', pop: 0.8, depts: { hr: 8, finance: 2 } },
  { name: 'Atlassian Cloud', id: '0oa1jira0000000000x7', resource: 'atlassian', clients: ['browser'], pop: 1, depts: { engineering: 8, support: 3, it: 3 } },
  { name: 'GitHub Enterprise Cloud - Organization', id: '0oa1gh000000000000x7', resource: 'github', clients: ['browser'], pop: 0.2, depts: { engineering: 14, it: 3 } },
  { name: 'Box', id: '0oa1box00000000000x7', resource: 'box', clients: ['browser', 'desktop', 'mobile'], native: 'electron', pop: 1 },
  { name: 'DocuSign', id: '0oa1docu0000000000x7', resource: 'docusign', clients: ['browser'], pop: 0.2, depts: { legal: 12, finance: 3, hr: 3, sales: 2 } },
  { name: 'AWS IAM Identity Center', id: '0oa1awssso000000000x7', resource: 'aws', clients: ['browser'], pop: 0.1, depts: { engineering: 12, it: 10 } },
  { name: 'Zendesk', id: '0oa1zend0000000000x7', resource: 'zendesk', clients: ['browser'], pop: 0.2, depts: { support: 16 } },
  { name: 'ServiceNow', id: '0oa1snow0000000000x7', resource: 'servicenow', clients: ['browser'], pop: 0.5, depts: { it: 8, support: 4 } },
  { name: 'SAP Concur', id: '0oa1concur000000000x7', resource: 'concur', clients: ['browser', 'mobile'], native: 'electron', pop: 0.3, depts: { finance: 6, sales: 2, exec: 2 } },
  { name: 'BambooHR', id: '0oa1bamboo000000000x7', resource: 'bamboo', clients: ['browser'], pop: 0.2, depts: { hr: 12 } },
  { name: 'Greenhouse', id: '0oa1green000000000x7', resource: 'greenhouse', clients: ['browser'], pop: 0.1, depts: { hr: 12, exec: 2 } },
  { name: 'Figma', id: '0oa1figma000000000x7', resource: 'figma', clients: ['browser', 'desktop'], native: 'electron', pop: 0.2, depts: { marketing: 8, engineering: 2 } },
  { name: 'Miro', id: '0oa1miro0000000000x7', resource: 'miro', clients: ['browser'], pop: 0.4 },
  { name: 'Datadog', id: '0oa1ddog0000000000x7', resource: 'datadog', clients: ['browser'], pop: 0.1, depts: { engineering: 10, it: 6 } },
  { name: 'PagerDuty', id: '0oa1pgdy0000000000x7', resource: 'pagerduty', clients: ['browser', 'mobile'], native: 'electron', pop: 0.1, depts: { engineering: 8, it: 8 } },
  { name: '1Password', id: '0oa1onepw000000000x7', resource: '1password', clients: ['browser', 'desktop', 'mobile'], native: 'electron', pop: 1.2 },
  { name: 'Tableau Cloud', id: '0oa1tabl0000000000x7', resource: 'tableau', clients: ['browser'], pop: 0.2, depts: { finance: 5, operations: 4, exec: 3 } },
  { name: 'HubSpot', id: '0oa1hubs0000000000x7', resource: 'hubspot', clients: ['browser'], pop: 0.1, depts: { marketing: 14, sales: 3 } },
  { name: 'Snowflake', id: '0oa1snowfl000000000x7', resource: 'snowflake', clients: ['browser'], pop: 0.1, depts: { engineering: 4, finance: 3, operations: 3 } },
  { name: 'Okta Admin Console', id: '0oa1admin000000000x7', resource: 'okta', clients: ['browser'], pop: 0.02, depts: { it: 25 }, admin: true },
];

export const DUO_APPS: AppDef[] = [
  { name: 'Microsoft Azure Active Directory', id: 'DIAZUREAD0000000001', resource: 'sso', clients: ['browser', 'desktop', 'mobile'], native: 'office', pop: 8 },
  { name: 'Cisco ASA SSL VPN', id: 'DIASAVPN00000000001', resource: 'vpn', clients: ['desktop'], native: 'electron', pop: 6, mfaEveryTime: true },
  { name: 'Duo Single Sign-On', id: 'DIDUOSSO00000000001', resource: 'sso', clients: ['browser', 'mobile'], pop: 3 },
  { name: 'Microsoft RDP', id: 'DIWINRDP00000000001', resource: 'rdp', clients: ['desktop'], native: 'broker', pop: 0.3, depts: { it: 15, engineering: 4, support: 3 }, mfaEveryTime: true },
  { name: 'Unix SSH - bastion', id: 'DIUNIXSSH0000000001', resource: 'ssh', clients: ['desktop'], native: 'cli', pop: 0.1, depts: { engineering: 12, it: 10 }, mfaEveryTime: true },
  { name: 'Citrix Gateway', id: 'DICITRIX000000000001', resource: 'vdi', clients: ['browser', 'desktop'], native: 'electron', pop: 0.6, depts: { finance: 4, operations: 4, support: 3 }, mfaEveryTime: true },
  { name: 'Workday', id: 'DIWORKDAY0000000001', resource: 'workday', clients: ['browser', 'mobile'], pop: 0.6, depts: { hr: 8 } },
  { name: 'Salesforce', id: 'DISFDC000000000001', resource: 'salesforce', clients: ['browser', 'mobile'], pop: 0.4, depts: { sales: 12 } },
  { name: 'AWS Console (SAML)', id: 'DIAWSSAML000000001', resource: 'aws', clients: ['browser'], pop: 0.1, depts: { engineering: 10, it: 10 } },
  { name: 'Jamf Pro', id: 'DIJAMF000000000001', resource: 'mdm', clients: ['browser'], pop: 0.02, depts: { it: 20 }, admin: true },
  { name: 'Duo Admin Panel', id: 'DIADMINPANEL000001', resource: 'admin', clients: ['browser'], pop: 0.02, depts: { it: 20 }, admin: true },
];

export function appCatalogue(profile: 'azure-signin' | 'okta' | 'duo'): AppDef[] {
  return profile === 'azure-signin' ? AZURE_APPS : profile === 'okta' ? OKTA_APPS : DUO_APPS;
}
