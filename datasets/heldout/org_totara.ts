/**
 * Tōtara Dairy Co-operative (set 4): a New Zealand dairy co-operative at the height of its
 * season, shaped unlike the freight forwarder, the genomics lab and the bank of sets 1–3.
 *
 * - Processing plants at Te Rapa (Hamilton) and Darfield (Canterbury) and a blending and
 *   canning plant in Bình Dương (Vietnam) run around the clock: crews on a forward-rotating
 *   three-shift roster (six mornings, six afternoons, six nights, two days off between), at
 *   shared HMI kiosks on the plant floor; most have no work phone.
 * - The Vietnamese plant shuts for Tết (in the weeks learnt from): nobody there works that week.
 * - Farm liaison officers drive between supplier farms all day on the mobile network.
 * - Quality labs on early shifts, maintenance engineers on call, a sales office in Tokyo whose
 *   people travel to importers across Asia and the Gulf, head office in Auckland.
 * - No VPN and no secure web gateway: home workers reach the internet directly.
 * - Scan-to-email mailboxes at a weighbridge and on a can line.
 *
 * The window is late January to February: New Zealand summer (daylight time, UTC+13), Vietnam
 * and Japan keep one offset all year. Its AWS lives in the Auckland region (ap-southeast-6) with
 * Sydney for disaster recovery.
 */
import type { EstateShape } from './aws_estate';
import { analysts, ANDROID, app, engineers, fieldSales, finance, IPHONE, itAdmins, leadership, MAC_CHROME, MAC_SAFARI, MICROSOFT, OFFICE_HOME, peopleTeam, saas, WIN11_CHROME_JOINED, WIN11_EDGE_HYBRID, WIN11_EDGE_JOINED, type OrgShape } from './org_kit';

const KIOSK = { form: 'shared-terminal', os: 'Windows 10', browser: 'Edge', trust: 'Hybrid Azure AD joined' } as const;

export const TOTARA: OrgShape = {
  name: 'Tōtara Dairy Co-operative',
  domain: 'totaradairy.co.nz',
  tenantId: '7e2a5c19-0b84-4f6d-9a3e-52c81d0fb6a4',
  // Northern-hemisphere naming: "winter" is November to February, New Zealand's daylight time.
  season: 'winter',
  firstMonday: '2026-01-26',
  releases: { chromiumMajor: 160, firefoxMajor: 152, safari: [27, 2], releases: [11, 30] },
  sites: [
    { key: 'auckland', namedLocation: 'Auckland Wynyard Quarter Head Office', place: 'auckland', office: 'sparkBusiness', homes: ['sparkHome', 'oneNzFibre'], mobile: 'oneNzMobile', locale: 'nz' },
    { key: 'terapa', namedLocation: 'Te Rapa Processing Site', place: 'hamilton', office: 'sparkBusinessHamilton', homes: ['oneNzFibre', 'sparkHome'], mobile: 'twoDegreesMobile', locale: 'nz' },
    { key: 'darfield', namedLocation: 'Darfield Dryer Site', place: 'christchurch', office: 'oneNzBusiness', homes: ['twoDegreesBroadband', 'sparkRolleston'], mobile: 'oneNzMobile', locale: 'nz' },
    {
      key: 'binhduong',
      namedLocation: 'Binh Duong Blending and Canning Plant',
      place: 'thuDauMot',
      office: 'viettelBusiness',
      homes: ['vnptHome', 'fptTelecom'],
      mobile: 'viettelMobile',
      locale: 'vn',
      // Tết 2026 falls on Tuesday 17 February: the plant stops for the week around it.
      closed: ['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'],
    },
    { key: 'tokyo', namedLocation: 'Tokyo Nihonbashi Sales Office', place: 'tokyo', office: 'iijBusiness', homes: ['softbankHome', 'kddiHome'], mobile: 'docomo', locale: 'jp' },
  ],
  apps: [
    ...MICROSOFT,
    OFFICE_HOME,
    saas('SAP Fiori Launchpad', '3b9e27d4-6a1c-4f05-8d2e-71c0a4b95e13'),
    saas('IBM Maximo Application Suite', '4caf38e5-7b2d-4016-9e3f-82d1b5ca6f24'),
    saas('LabWare LIMS', '5db049f6-8c3e-4127-af40-93e2c6db7035'),
    saas('Seeq', '6ec15a07-9d4f-4238-b051-a4f3d7ec8146'),
    saas('Kinaxis RapidResponse', '7fd26b18-ae50-4349-c162-b504e8fd9257'),
    saas('Esri ArcGIS Online', '80e37c29-bf61-445a-d273-c615f90eaa68'),
    saas('Salesforce', '91f48d3a-c072-456b-e384-d726010fbb79'),
    saas('SAP Concur', 'a2059e4b-d183-467c-f495-e83712a0cc8a'),
    saas('DocuSign', 'b316af5c-e294-478d-05a6-f94823b1dd9b'),
    saas('Workday', 'c427b06d-f3a5-489e-16b7-0a5934c2eeac'),
    saas('ServiceNow', 'd538c17e-04b6-49af-27c8-1b6a45d3ffbd'),
    saas('GitHub Enterprise Cloud', 'e649d28f-15c7-4ab0-38d9-2c7b56e400ce'),
    saas('AWS IAM Identity Center', 'f75ae390-26d8-4bc1-49ea-3d8c67f511df'),
    saas('Atlassian Cloud', '086bf4a1-37e9-4cd2-5afb-4e9d78a622e0'),
  ],
  newApp: { app: app('Miro', '197c05b2-48fa-4de3-6b0c-5fae89b733f1', 'Miro', 'browser', 'desktop', 'mobile'), launchDay: 1 },
  destinations: ['chinaTelecom', 'etisalat', 'kt', 'singtelHotel', 'verizonNewYork', 'telekomDe', 'claroBogota'],
  deviceMailboxes: [
    { login: 'scan.terapa.weighbridge', site: 'terapa' },
    { login: 'labels.binhduong.canline', site: 'binhduong' },
  ],
  teams: [
    {
      name: 'plant-operations',
      share: 0.26,
      sites: [['terapa', 0.45], ['darfield', 0.3], ['binhduong', 0.25]],
      routines: [['three-shift', 0.75], ['early', 0.25]],
      laptops: [[KIOSK, 0.7], [WIN11_EDGE_HYBRID, 0.3]],
      phones: 0.35,
      phoneImages: [[ANDROID, 0.7], [IPHONE, 0.3]],
      apps: [['SAP Fiori Launchpad', 4], ['IBM Maximo Application Suite', 3], ['Seeq', 2], ['Microsoft Teams', 3], ['Office 365 Exchange Online', 2], ['Outlook Mobile', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.5,
      sparse: 0.15,
    },
    {
      name: 'quality-lab',
      share: 0.08,
      sites: [['terapa', 0.5], ['darfield', 0.2], ['binhduong', 0.3]],
      routines: [['early', 0.5], ['office', 0.5]],
      laptops: [[{ ...WIN11_EDGE_JOINED, form: 'shared-terminal' }, 0.4], [WIN11_EDGE_JOINED, 0.6]],
      phones: 0.3,
      phoneImages: [[ANDROID, 1]],
      apps: [['LabWare LIMS', 6], ['Microsoft Teams', 3], ['Microsoft Office', 3], ['Office 365 SharePoint Online', 2], ['SAP Fiori Launchpad', 1]],
      remote: 0.05,
      travel: 0.01,
      intensity: 0.9,
      sparse: 0.05,
    },
    {
      name: 'farm-liaison',
      share: 0.1,
      sites: [['terapa', 0.6], ['darfield', 0.4]],
      routines: [['field', 1]],
      laptops: [[WIN11_CHROME_JOINED, 1]],
      phones: 1,
      phoneImages: [[IPHONE, 1]],
      apps: [['Salesforce', 5], ['Esri ArcGIS Online', 3], ['Outlook Mobile', 4], ['Microsoft Teams', 3], ['Office 365 SharePoint Online', 1]],
      remote: 0.3,
      travel: 0,
      intensity: 0.8,
      sparse: 0.03,
    },
    {
      name: 'maintenance-engineering',
      share: 0.08,
      sites: [['terapa', 0.5], ['darfield', 0.3], ['binhduong', 0.2]],
      routines: [['on-call-admin', 0.6], ['early', 0.4]],
      laptops: [[WIN11_EDGE_JOINED, 1]],
      phones: 0.9,
      phoneImages: [[ANDROID, 1]],
      apps: [['IBM Maximo Application Suite', 6], ['Seeq', 3], ['Microsoft Teams', 3], ['Microsoft Office', 2], ['AWS IAM Identity Center', 1]],
      remote: 0.15,
      travel: 0.02,
      intensity: 1,
      sparse: 0,
    },
    {
      name: 'supply-chain-export',
      share: 0.1,
      sites: [['auckland', 0.6], ['tokyo', 0.2], ['binhduong', 0.2]],
      routines: [['office', 1]],
      laptops: [[WIN11_EDGE_JOINED, 1]],
      phones: 0.4,
      phoneImages: [[IPHONE, 0.6], [ANDROID, 0.4]],
      apps: [['SAP Fiori Launchpad', 5], ['Kinaxis RapidResponse', 4], ['Microsoft Office', 4], ['Microsoft Teams', 3], ['Office 365 SharePoint Online', 2], ['DocuSign', 1], ['OneDrive SyncEngine', 1]],
      remote: 0.35,
      travel: 0.05,
      intensity: 1,
      sparse: 0.02,
    },
    fieldSales('sales-marketing', 0.08, [['auckland', 0.4], ['tokyo', 0.6]], {
      laptops: [[MAC_SAFARI, 0.5], [WIN11_CHROME_JOINED, 0.5]],
      apps: [['Salesforce', 5], ['Outlook Mobile', 4], ['Microsoft Teams', 4], ['Office 365 SharePoint Online', 2], ['DocuSign', 2], ['SAP Concur', 1]],
      travel: 0.35,
    }),
    finance('finance', 0.07, [['auckland', 1]], {
      apps: [['SAP Fiori Launchpad', 5], ['Power BI Service', 4], ['Microsoft Office', 4], ['SAP Concur', 2], ['Microsoft Teams', 3]],
      remote: 0.35,
      travel: 0.02,
    }),
    engineers('digital-platform', 0.06, [['auckland', 0.7], ['terapa', 0.3]], {
      apps: [['GitHub Enterprise Cloud', 5], ['AWS IAM Identity Center', 5], ['Atlassian Cloud', 4], ['Microsoft Teams', 3], ['Azure DevOps', 1], ['Microsoft Office', 1]],
      remote: 0.5,
      travel: 0.04,
    }),
    analysts('data-analytics', 0.05, [['auckland', 0.7], ['terapa', 0.3]], {
      laptops: [[WIN11_CHROME_JOINED, 0.6], [MAC_CHROME, 0.4]],
      apps: [['Power BI Service', 5], ['AWS IAM Identity Center', 4], ['Seeq', 2], ['Microsoft Teams', 3], ['Microsoft Office', 2], ['Atlassian Cloud', 1]],
    }),
    itAdmins('it-ot-security', 0.05, [['auckland', 0.6], ['terapa', 0.4]], {
      phoneImages: [[ANDROID, 0.5], [IPHONE, 0.5]],
      apps: [['Azure Portal', 5], ['ServiceNow', 4], ['Microsoft Intune', 3], ['AWS IAM Identity Center', 3], ['Microsoft Azure CLI', 1], ['Microsoft Teams', 3]],
    }),
    leadership(0.03, [['auckland', 0.8], ['tokyo', 0.2]]),
    peopleTeam(0.04, [['auckland', 0.6], ['terapa', 0.4]], {
      apps: [['Workday', 5], ['Microsoft Teams', 3], ['Microsoft Office', 3], ['DocuSign', 1]],
      remote: 0.3,
    }),
  ],
};

/** The co-operative's AWS estate in Auckland: milk collection and grading, plant data, export documents. */
export const TOTARA_ESTATE: EstateShape = {
  account: '386150274927',
  dataAccount: '497261385038',
  homeRegion: 'ap-southeast-6',
  regionNetwork: { 'ap-southeast-6': 'awsAuckland', 'ap-southeast-2': 'awsSydney', 'ap-northeast-1': 'awsTokyo', 'us-east-1': 'awsAshburn' },
  permissionSets: [
    { name: 'PlatformEngineer', teams: ['digital-platform'], tasks: [['inspectService', 4], ['readLogs', 4], ['ec2Ops', 2], ['shell', 1], ['browseBuckets', 1], ['dynamoDebug', 2], ['params', 2], ['secrets', 1], ['terraformPlan', 2], ['terraformApply', 1]], tools: [['console', 3], ['aws-cli', 4], ['terraform', 3]], tasksPerHour: 0.3 },
    { name: 'DataEngineer', teams: ['data-analytics', 'digital-platform'], tasks: [['etlJob', 4], ['athenaQuery', 4], ['browseBuckets', 3], ['notebook', 2]], tools: [['boto3', 4], ['aws-cli', 3], ['console', 3]], tasksPerHour: 0.25 },
    { name: 'PlantDataViewer', teams: ['maintenance-engineering', 'quality-lab'], tasks: [['browseBuckets', 3], ['athenaQuery', 2]], tools: [['console', 3], ['aws-cli', 1]], tasksPerHour: 0.1 },
    { name: 'SupplyChainAnalyst', teams: ['supply-chain-export', 'finance'], tasks: [['athenaQuery', 5], ['browseBuckets', 2]], tools: [['console', 4], ['boto3', 2]], tasksPerHour: 0.15 },
    { name: 'OTSecurityAdmin', teams: ['it-ot-security'], tasks: [['ec2Ops', 3], ['iamReview', 2], ['readLogs', 2], ['shell', 2], ['snapshots', 1]], tools: [['console', 5], ['aws-cli', 4]], tasksPerHour: 0.2 },
    { name: 'IdentityAdmin', teams: ['it-ot-security'], tasks: [['iamAdmin', 4], ['iamReview', 3]], tools: [['console', 7], ['aws-cli', 3]], tasksPerHour: 0.1 },
    { name: 'SecurityAudit', teams: ['it-ot-security'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 8], ['aws-cli', 2]], tasksPerHour: 0.12 },
    { name: 'BillingViewer', teams: ['finance', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.05 },
  ],
  iamPeopleTeams: ['digital-platform', 'data-analytics', 'it-ot-security'],
  iamPeopleShare: 0.12,
  workloads: [
    'milk-collection-api', 'tanker-route-worker', 'vat-sensor-ingest-worker', 'farm-payments-nightly', 'grading-results-api', 'quality-certs-worker', 'batch-genealogy-api', 'dryer-telemetry-worker',
    'energy-meter-timer', 'cip-cycle-timer', 'export-certificate-api', 'shipping-docs-worker', 'cold-store-inventory-api', 'milk-forecast-nightly', 'supplier-portal-api', 'price-advance-nightly',
    'lab-results-worker', 'maintenance-orders-api', 'spare-parts-timer', 'weather-feed-timer', 'effluent-monitor-timer', 'can-line-oee-worker', 'formula-blend-api', 'traceability-api',
    'recall-readiness-nightly', 'edi-orders-worker', 'pallet-label-worker', 'warehouse-scan-api', 'historian-archive-nightly', 'data-lake-compaction-nightly', 'cert-renew-timer', 'secret-rotation-timer',
    'cost-allocation-timer', 'dns-audit-timer', 'audit-log-shipper-timer', 'backup-verify-nightly', 'supplier-statements-nightly', 'herd-test-import-worker', 'animal-welfare-api', 'sustainability-report-nightly',
    'carbon-footprint-api', 'freight-booking-api', 'container-tracking-timer', 'allergen-matrix-api', 'spec-sheet-render-worker', 'customer-portal-api', 'sample-tracking-api', 'milk-swap-worker',
    'payroll-export-nightly', 'roster-sync-timer', 'access-review-nightly', 'vuln-scan-worker', 'fx-hedge-timer', 'sales-order-api', 'promo-pricing-worker', 'market-prices-timer',
  ],
  machines: [
    { name: 'svc-historian-terapa', job: 'uploader', network: 'sparkBusinessHamilton', tool: 'sdk-dotnet' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-importer-osaka', job: 'partner-exchange', network: 'kddiBusinessOsaka', tool: 'aws-cli' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsAuckland', tool: 'sdk-dotnet' },
    { name: 'svc-labware-sync', job: 'lims-sync', network: 'sparkBusinessHamilton', tool: 'boto3' },
    { name: 'svc-canline-binhduong', job: 'uploader', network: 'viettelBusiness', tool: 'sdk-dotnet' },
    { name: 'svc-forwarder-singapore', job: 'partner-exchange', network: 'singtelBusiness', tool: 'aws-cli' },
  ],
  repos: ['supplier-portal', 'milk-collection', 'traceability', 'grading', 'export-docs', 'platform-infra'],
  releaseDay: 0,
  breakGlassNetwork: 'sparkBusiness',
  contractorNetwork: 'sparkHome',
};
