/**
 * Maplecrest Mutual (set 3): a Canadian retail bank and insurer in spring, shaped unlike the
 * freight forwarder and the genomics lab of sets 1 and 2.
 *
 * - Branch staff in Toronto and Calgary at shared teller workstations, open on alternate
 *   Saturdays; advisors on laptops.
 * - A contact centre in Monterrey (and a few agents in Toronto) on moving five-in-seven shifts,
 *   working in cloud desktops: their sign-ins leave through the host pool in Azure Canada Central
 *   whether they sit in the centre or at home.
 * - Claims operations in Curitiba, a platform team in Berlin and Toronto, IT service, risk and
 *   finance at head office, external contractors on their own laptops.
 * - Canadian staff working from home go through the bank's own full-tunnel VPN (its own AS);
 *   everyone else reaches the internet from home directly.
 * - Scan-to-email mailboxes at a branch and at the claims office.
 */
import { analysts, ANDROID, app, engineers, fieldSales, finance, IPHONE, itAdmins, leadership, MICROSOFT, OFFICE_HOME, peopleTeam, saas, WIN11_EDGE_HYBRID, WIN11_EDGE_JOINED, type OrgShape } from './org_kit';

export const MAPLECREST: OrgShape = {
  name: 'Maplecrest Mutual',
  domain: 'maplecrestmutual.ca',
  tenantId: 'd41c9a77-5b3e-4f08-b6a2-8e19c0f47d35',
  // April–May: daylight-saving offsets in Canada and Germany (Mexico and Brazil keep theirs).
  season: 'summer',
  firstMonday: '2026-04-06',
  releases: { chromiumMajor: 159, firefoxMajor: 151, safari: [19, 4], releases: [3, 31] },
  sites: [
    { key: 'toronto', namedLocation: 'Toronto King Street HQ', place: 'toronto', office: 'bellBusiness', homes: ['rogersToronto', 'bellFibe', 'teksavvy'], mobile: 'telusMobility', edges: ['maplecrestVpnToronto', 'maplecrestVpnCalgary'], locale: 'ca' },
    { key: 'calgary', namedLocation: 'Calgary Stephen Avenue Branch Centre', place: 'calgary', office: 'telusBusiness', homes: ['shawCalgary'], mobile: 'telusMobility', edges: ['maplecrestVpnCalgary', 'maplecrestVpnToronto'], locale: 'ca' },
    { key: 'monterrey', namedLocation: 'Monterrey Contact Centre', place: 'monterrey', office: 'telmexBusiness', homes: ['megacable', 'totalplay'], mobile: 'telcel', locale: 'mx' },
    { key: 'curitiba', namedLocation: 'Curitiba Claims Office', place: 'curitiba', office: 'embratelBusiness', homes: ['claroNet', 'vivoFibraPr'], mobile: 'timBrasil', locale: 'br' },
    { key: 'berlin', namedLocation: 'Berlin Digital Hub', place: 'berlin', office: 'versatelBerlin', homes: ['telekomBerlin', 'vodafoneKabelPotsdam'], mobile: 'o2De', locale: 'de' },
  ],
  apps: [
    ...MICROSOFT,
    OFFICE_HOME,
    // Listed so that a sign-in through it renders; nobody at Maplecrest uses it day to day.
    app('Azure Active Directory PowerShell', '1b730954-1685-4b74-9bfd-dac224a7b894', 'Windows Azure Active Directory', 'desktop'),
    saas('Genesys Cloud', '2e7c41a9-8d53-4b10-9f6e-0c5a7d3b9e12'),
    saas('nCino', '3f8d52ba-9e64-4c21-a07f-1d6b8e4c0f23'),
    saas('Guidewire ClaimCenter', '409e63cb-af75-4d32-b180-2e7c9f5d1034'),
    saas('Verafin', '51af74dc-b086-4e43-c291-3f8da06e2145'),
    saas('Kyriba', '62b085ed-c197-4f54-d3a2-409eb17f3256'),
    saas('Salesforce', '73c196fe-d2a8-4065-e4b3-51afc2804367'),
    saas('Workday', '84d2a70f-e3b9-4176-f5c4-62b0d3915478'),
    saas('ServiceNow', '95e3b810-f4ca-4287-06d5-73c1e4a26589'),
    saas('DocuSign', 'a6f4c921-05db-4398-17e6-84d2f5b3769a'),
    saas('GitHub Enterprise Cloud', 'b705da32-16ec-44a9-28f7-95e306c487ab'),
    saas('AWS IAM Identity Center', 'c816eb43-27fd-45ba-3908-a6f417d598bc'),
    saas('Atlassian Cloud', 'd927fc54-380e-46cb-4a19-b70528e6a9cd'),
    saas('Cornerstone OnDemand', 'ea3807d5-491f-47dc-5b2a-c81639f7b0de'),
  ],
  newApp: { app: app('Glean', 'fb4918e6-5a20-48ed-6c3b-d9274a08c1ef', 'Glean', 'browser', 'mobile'), launchDay: 2 },
  destinations: ['telefonicaMadrid', 'claroBogota', 'verizonNewYork', 'ntt', 'swisscom', 'etisalat', 'proximus'],
  deviceMailboxes: [
    { login: 'scan.calgary.branch', site: 'calgary' },
    { login: 'mfp.curitiba.claims', site: 'curitiba' },
  ],
  virtualDesktops: { network: 'azureCanadaCentral', namedLocation: 'AVD Canada Central host pool' },
  teams: [
    {
      name: 'branch-banking',
      share: 0.22,
      sites: [['toronto', 0.5], ['calgary', 0.5]],
      routines: [['branch', 1]],
      laptops: [
        [{ ...WIN11_EDGE_HYBRID, form: 'shared-terminal' }, 0.65],
        [WIN11_EDGE_HYBRID, 0.35],
      ],
      phones: 0.3,
      phoneImages: [[IPHONE, 0.6], [ANDROID, 0.4]],
      apps: [['nCino', 5], ['Salesforce', 4], ['Microsoft Teams', 3], ['Microsoft Office', 3], ['Office 365 Exchange Online', 2], ['Outlook Mobile', 1], ['Cornerstone OnDemand', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.7,
      sparse: 0.1,
    },
    {
      name: 'contact-centre',
      share: 0.2,
      sites: [['monterrey', 0.8], ['toronto', 0.2]],
      routines: [['contact-centre', 1]],
      laptops: [[{ form: 'virtual-desktop', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' }, 1]],
      phones: 0.1,
      phoneImages: [[ANDROID, 1]],
      apps: [['Genesys Cloud', 6], ['Salesforce', 4], ['Microsoft Teams', 2], ['Office 365 Exchange Online', 1], ['Cornerstone OnDemand', 1]],
      remote: 0.4,
      travel: 0,
      intensity: 0.9,
      sparse: 0.05,
    },
    {
      name: 'claims-operations',
      share: 0.14,
      sites: [['curitiba', 0.6], ['toronto', 0.2], ['calgary', 0.2]],
      routines: [['office', 0.7], ['early', 0.3]],
      laptops: [[WIN11_EDGE_JOINED, 1]],
      phones: 0.3,
      phoneImages: [[ANDROID, 1]],
      apps: [['Guidewire ClaimCenter', 6], ['Microsoft Office', 3], ['Microsoft Teams', 3], ['Office 365 SharePoint Online', 2], ['DocuSign', 2], ['OneDrive SyncEngine', 1]],
      remote: 0.4,
      travel: 0.02,
      intensity: 1,
      sparse: 0.03,
    },
    analysts('risk-compliance', 0.07, [['toronto', 1]], {
      laptops: [[WIN11_EDGE_HYBRID, 1]],
      apps: [['Verafin', 5], ['Power BI Service', 3], ['Office 365 SharePoint Online', 3], ['Microsoft Office', 3], ['Microsoft Teams', 2], ['AWS IAM Identity Center', 1]],
    }),
    finance('finance-treasury', 0.06, [['toronto', 0.8], ['curitiba', 0.2]], {
      apps: [['Kyriba', 5], ['Microsoft Dynamics ERP', 3], ['Power BI Service', 3], ['Microsoft Office', 4], ['Microsoft Teams', 2], ['OneDrive SyncEngine', 1]],
      remote: 0.4,
      travel: 0.03,
    }),
    engineers('platform-engineering', 0.1, [['berlin', 0.6], ['toronto', 0.4]], {
      apps: [['GitHub Enterprise Cloud', 5], ['AWS IAM Identity Center', 4], ['Atlassian Cloud', 4], ['Microsoft Teams', 3], ['Microsoft Office', 1], ['Azure DevOps', 1]],
      remote: 0.6,
      travel: 0.05,
    }),
    itAdmins('it-service', 0.07, [['toronto', 0.5], ['monterrey', 0.5]], {
      phoneImages: [[ANDROID, 0.6], [IPHONE, 0.4]],
      apps: [['ServiceNow', 5], ['Azure Portal', 4], ['Microsoft Intune', 3], ['Microsoft Azure CLI', 1], ['AWS IAM Identity Center', 2], ['Microsoft Teams', 3]],
    }),
    {
      name: 'contractors',
      share: 0.05,
      sites: [['toronto', 0.6], ['berlin', 0.4]],
      routines: [['office', 1]],
      laptops: [
        [{ form: 'laptop', os: 'Windows 11', browser: 'Chrome' }, 0.6],
        [{ form: 'laptop', os: 'macOS', browser: 'Chrome' }, 0.4],
      ],
      phones: 0,
      phoneImages: [[ANDROID, 1]],
      apps: [['ServiceNow', 3], ['Atlassian Cloud', 3], ['GitHub Enterprise Cloud', 2], ['Microsoft Teams', 3]],
      remote: 0.7,
      travel: 0,
      intensity: 0.8,
      sparse: 0.2,
    },
    fieldSales('wealth-advisors', 0.05, [['toronto', 0.5], ['calgary', 0.5]], {
      laptops: [[WIN11_EDGE_HYBRID, 1]],
      apps: [['Salesforce', 6], ['Outlook Mobile', 4], ['Microsoft Teams', 3], ['DocuSign', 3], ['nCino', 2]],
      travel: 0.25,
    }),
    leadership(0.03, [['toronto', 1]]),
    peopleTeam(0.03, [['toronto', 0.6], ['curitiba', 0.4]], {
      apps: [['Workday', 5], ['Cornerstone OnDemand', 2], ['Microsoft Teams', 3], ['Microsoft Office', 3], ['DocuSign', 1]],
      remote: 0.4,
    }),
  ],
};
