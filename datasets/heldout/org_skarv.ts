/**
 * Skarv Air (set 6): a regional airline in the North Atlantic at the end of its summer timetable,
 * shaped unlike the freight forwarder, the genomics lab, the bank, the dairy co-operative and the
 * hospital of sets 1–5.
 *
 * - Flight crews (pilots and cabin crew) based at Bergen Flesland and Keflavík fly five duty days
 *   then have four off, any day of the week, a block of early reports then a block of late ones
 *   (`flight-crew`, routines.ts). After some duty days they sleep at an outstation (Tromsø,
 *   Akureyri, Tórshavn, Riga, Helsinki) and start the next day from its hotel with only their
 *   company iPad (electronic flight bag): nights away are routine for them, in the weeks learnt
 *   from and the scored week alike (`planLayovers`, trips.ts). At base they use shared crew-room
 *   terminals.
 * - Ground operations (check-in, gates, dispatch) at both airports on four-on-four-off and early
 *   and late rotas, at shared check-in kiosks; the operations control centre in Bergen around the
 *   clock.
 * - The maintenance organisation in Tallinn, bought two years ago and still being integrated, on
 *   the rotating three-shift roster at hangar terminals, with line maintenance at Flesland.
 * - Reservations and customer service outsourced to a contact centre in Cebu (contractors with
 *   accounts in the tenant), on five-in-seven shifts at thin clients, at the Philippines' UTC+8.
 * - Head office in Bergen (commercial, finance, HR, IT, the digital team, which also sits in
 *   Tallinn); sales in Bergen and Iceland.
 * - No VPN and no secure web gateway: home workers go direct.
 *
 * The window is mid-September to mid-October 2026, the last weeks of the summer timetable:
 * Norway on summer time (UTC+2), Iceland UTC+0, Estonia UTC+3, the Philippines UTC+8, the
 * outstations at their own. Its AWS lives in Frankfurt (eu-central-1), Stockholm for disaster
 * recovery.
 */
import type { EstateShape } from './aws_estate';
import { analysts, ANDROID, app, engineers, fieldSales, finance, IPHONE, itAdmins, leadership, MAC_CHROME, MICROSOFT, OFFICE_HOME, peopleTeam, saas, WIN11_EDGE_HYBRID, WIN11_EDGE_JOINED, type OrgShape } from './org_kit';

/** A shared Windows terminal: crew room, check-in desk, hangar floor, thin client. */
const KIOSK = { form: 'shared-terminal', os: 'Windows 10', browser: 'Edge', trust: 'Hybrid Azure AD joined' } as const;

export const SKARV: OrgShape = {
  name: 'Skarv Air',
  domain: 'skarvair.no',
  tenantId: 'e4b27c90-3f18-4a6d-b25e-9c0d71f83a46',
  season: 'summer',
  firstMonday: '2026-09-14',
  releases: { chromiumMajor: 152, firefoxMajor: 144, safari: [26, 1], releases: [9, 31] },
  sites: [
    { key: 'bergen', namedLocation: 'Skarv Air Head Office Kokstad', place: 'bergen', office: 'telenorBusinessBergen', homes: ['telenorHome', 'altibox'], mobile: 'telenorMobile', locale: 'no' },
    { key: 'flesland', namedLocation: 'Bergen Flesland Crew and Operations Centre', place: 'bergen', office: 'avinorFlesland', homes: ['altibox', 'telenorHome'], mobile: 'iceMobile', locale: 'no' },
    { key: 'keflavik', namedLocation: 'Keflavik Base', place: 'keflavik', office: 'siminnBusiness', homes: ['vodafoneIs', 'hringdu'], mobile: 'novaMobile', locale: 'is' },
    { key: 'tallinn', namedLocation: 'Skarv Technics Tallinn Hangar', place: 'tallinn', office: 'teliaEestiBusiness', homes: ['elisaEesti', 'teliaEestiHome'], mobile: 'tele2Eesti', locale: 'ee' },
    { key: 'cebu', namedLocation: 'Cebu Reservations Centre', place: 'cebu', office: 'pldtBusiness', homes: ['converge', 'pldtHome'], mobile: 'globeMobile', locale: 'ph' },
  ],
  apps: [
    ...MICROSOFT,
    OFFICE_HOME,
    app('AIMS eCrew', '3d8a2f61-0c47-4b95-a1e3-6f2d9b80c514', 'AIMS eCrew', 'browser', 'mobile'),
    app('Comply365', '4e9b3072-1d58-4ca6-b2f4-7031ac91d625', 'Comply365', 'browser', 'mobile'),
    saas('Amadeus Altea DCS', '5fac4183-2e69-4db7-83a5-8142bd02e736'),
    saas('Amadeus Altea Reservation', '60bd5294-3f7a-4ec8-94b6-9253ce13f847'),
    saas('Lido Flight 4D', '71ce63a5-408b-4fd9-a5c7-a364df240958'),
    saas('AMOS', '82df74b6-519c-40ea-b6d8-b475e0351a69'),
    saas('Zendesk', '93e085c7-62ad-41fb-87e9-c586f146207a'),
    saas('Salesforce', 'a4f196d8-73be-420c-98fa-d697025731b8'),
    saas('Unit4 ERP', 'b50207e9-84cf-431d-a90b-e7a8136842c9'),
    saas('Sympa HR', 'c61318fa-95d0-442e-ba1c-f8b9247953da'),
    saas('ServiceNow', 'd7242a0b-a6e1-453f-8b2d-09ca358a64eb'),
    saas('GitHub Enterprise Cloud', 'e8353b1c-b7f2-4640-9c3e-1adb469b75fc'),
    saas('AWS IAM Identity Center', 'f9464c2d-c803-4751-ad4f-2bec57ac860d'),
    saas('Atlassian Cloud', '0a575d3e-d914-4862-be50-3cfd68bd971e'),
    saas('DocuSign', '1b686e4f-ea25-4973-cf61-4d0e79cea82f'),
  ],
  newApp: { app: app('Staffbase', '2c797f50-fb36-4a84-d072-5e1f8adfb930', 'Staffbase', 'browser', 'mobile'), launchDay: 1 },
  destinations: ['swisscom', 'verizonBoston', 'telefonicaMadrid', 'ntt', 'etisalat', 'tdc', 'proximus'],
  deviceMailboxes: [
    { login: 'scan.flesland.cargo', site: 'flesland' },
    { login: 'labels.tallinn.stores', site: 'tallinn' },
  ],
  outstations: ['telenorTromso', 'siminnAkureyri', 'foroyaTele', 'tetRiga', 'elisaHelsinki'],
  teams: [
    {
      name: 'flight-crew',
      share: 0.3,
      sites: [['flesland', 0.6], ['keflavik', 0.4]],
      routines: [['flight-crew', 1]],
      laptops: [[KIOSK, 1]],
      // The company iPad (electronic flight bag): everyone has one.
      phones: 1,
      phoneImages: [[IPHONE, 1]],
      apps: [['AIMS eCrew', 6], ['Comply365', 4], ['Outlook Mobile', 3], ['Microsoft Teams', 3], ['Office 365 Exchange Online', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.5,
      sparse: 0.05,
    },
    {
      name: 'ground-operations',
      share: 0.14,
      sites: [['flesland', 0.55], ['keflavik', 0.45]],
      routines: [['four-on-four-off', 0.5], ['early', 0.25], ['late', 0.25]],
      laptops: [[KIOSK, 0.85], [WIN11_EDGE_HYBRID, 0.15]],
      phones: 0.15,
      phoneImages: [[ANDROID, 0.6], [IPHONE, 0.4]],
      apps: [['Amadeus Altea DCS', 6], ['Microsoft Teams', 2], ['Office 365 Exchange Online', 2], ['AIMS eCrew', 1], ['Outlook Mobile', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.6,
      sparse: 0.15,
    },
    {
      name: 'maintenance',
      share: 0.12,
      sites: [['tallinn', 0.75], ['flesland', 0.25]],
      routines: [['three-shift', 0.65], ['early', 0.35]],
      laptops: [[KIOSK, 0.6], [WIN11_EDGE_HYBRID, 0.4]],
      phones: 0.3,
      phoneImages: [[ANDROID, 1]],
      apps: [['AMOS', 6], ['Comply365', 2], ['Microsoft Teams', 2], ['Office 365 SharePoint Online', 2], ['Office 365 Exchange Online', 1]],
      remote: 0,
      travel: 0.01,
      intensity: 0.7,
      sparse: 0.1,
    },
    {
      name: 'reservations',
      share: 0.12,
      sites: [['cebu', 1]],
      routines: [['contact-centre', 1]],
      laptops: [[KIOSK, 0.7], [WIN11_EDGE_JOINED, 0.3]],
      phones: 0.05,
      phoneImages: [[ANDROID, 1]],
      apps: [['Amadeus Altea Reservation', 6], ['Zendesk', 5], ['Microsoft Teams', 2], ['Office 365 Exchange Online', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.9,
      sparse: 0.04,
    },
    {
      name: 'operations-control',
      share: 0.06,
      sites: [['bergen', 1]],
      routines: [['four-on-four-off', 0.7], ['office', 0.3]],
      laptops: [[WIN11_EDGE_HYBRID, 1]],
      phones: 0.8,
      phoneImages: [[IPHONE, 1]],
      apps: [['Lido Flight 4D', 5], ['AIMS eCrew', 4], ['Amadeus Altea DCS', 2], ['Microsoft Teams', 4], ['Outlook Mobile', 2], ['Power BI Service', 1]],
      remote: 0,
      travel: 0.01,
      intensity: 1,
      sparse: 0,
    },
    analysts('commercial', 0.07, [['bergen', 0.7], ['keflavik', 0.3]], {
      laptops: [[WIN11_EDGE_JOINED, 0.7], [MAC_CHROME, 0.3]],
      apps: [['Power BI Service', 4], ['Amadeus Altea Reservation', 3], ['Salesforce', 3], ['AWS IAM Identity Center', 2], ['Microsoft Teams', 3], ['Microsoft Office', 3]],
    }),
    engineers('digital-platform', 0.05, [['bergen', 0.6], ['tallinn', 0.4]], {
      apps: [['GitHub Enterprise Cloud', 5], ['AWS IAM Identity Center', 5], ['Atlassian Cloud', 4], ['Microsoft Teams', 3], ['Microsoft Office', 1]],
      remote: 0.45,
      travel: 0.04,
    }),
    itAdmins('it-operations', 0.04, [['bergen', 0.7], ['tallinn', 0.3]], {
      phoneImages: [[IPHONE, 0.7], [ANDROID, 0.3]],
      apps: [['Azure Portal', 5], ['ServiceNow', 4], ['Microsoft Intune', 3], ['AWS IAM Identity Center', 3], ['Microsoft Azure CLI', 1], ['Microsoft Teams', 3]],
    }),
    finance('finance', 0.035, [['bergen', 1]], {
      apps: [['Unit4 ERP', 5], ['Power BI Service', 3], ['Microsoft Office', 4], ['Microsoft Teams', 3]],
      remote: 0.35,
      travel: 0.01,
    }),
    peopleTeam(0.03, [['bergen', 0.7], ['keflavik', 0.3]], {
      apps: [['Sympa HR', 5], ['AIMS eCrew', 1], ['Microsoft Teams', 3], ['Microsoft Office', 3]],
      remote: 0.35,
    }),
    fieldSales('sales', 0.025, [['bergen', 0.6], ['keflavik', 0.4]], {
      laptops: [[WIN11_EDGE_JOINED, 0.6], [MAC_CHROME, 0.4]],
      apps: [['Salesforce', 6], ['Outlook Mobile', 4], ['Microsoft Teams', 4], ['DocuSign', 2], ['Office 365 SharePoint Online', 2]],
      travel: 0.3,
    }),
    leadership(0.02, [['bergen', 1]]),
  ],
};

/** The airline's AWS estate in Frankfurt: the booking engine, crew and flight-data pipelines, the loyalty programme. */
export const SKARV_ESTATE: EstateShape = {
  account: '366418092751',
  dataAccount: '477529103862',
  homeRegion: 'eu-central-1',
  regionNetwork: { 'eu-central-1': 'awsFrankfurt', 'eu-north-1': 'awsStockholm', 'us-east-1': 'awsAshburn', 'eu-west-1': 'awsDublin' },
  permissionSets: [
    { name: 'DigitalPlatformEngineer', teams: ['digital-platform'], tasks: [['inspectService', 4], ['readLogs', 4], ['ec2Ops', 2], ['shell', 2], ['dynamoDebug', 2], ['browseBuckets', 2], ['params', 2], ['secrets', 1], ['terraformPlan', 2], ['terraformApply', 1]], tools: [['console', 3], ['aws-cli', 4], ['terraform', 3]], tasksPerHour: 0.3 },
    { name: 'RevenueAnalyst', teams: ['commercial'], tasks: [['athenaQuery', 6], ['etlJob', 1], ['browseBuckets', 2]], tools: [['console', 4], ['boto3', 4]], tasksPerHour: 0.22 },
    { name: 'FlightDataAnalyst', teams: ['operations-control'], tasks: [['athenaQuery', 3], ['browseBuckets', 3]], tools: [['console', 3]], tasksPerHour: 0.1 },
    { name: 'TechnicsDataUploader', teams: ['maintenance'], tasks: [['browseBuckets', 1]], tools: [['console', 2], ['aws-cli', 1]], tasksPerHour: 0.05 },
    { name: 'InfrastructureAdmin', teams: ['it-operations'], tasks: [['ec2Ops', 4], ['iamReview', 2], ['readLogs', 2], ['shell', 2], ['snapshots', 2]], tools: [['console', 5], ['aws-cli', 4]], tasksPerHour: 0.2 },
    { name: 'IdentityAdmin', teams: ['it-operations'], tasks: [['iamAdmin', 4], ['iamReview', 3]], tools: [['console', 7], ['aws-cli', 3]], tasksPerHour: 0.1 },
    { name: 'SecurityAudit', teams: ['it-operations'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 8], ['aws-cli', 2]], tasksPerHour: 0.12 },
    { name: 'BillingViewer', teams: ['finance', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.05 },
  ],
  iamPeopleTeams: ['digital-platform', 'it-operations', 'commercial'],
  iamPeopleShare: 0.15,
  workloads: [
    'booking-engine-api', 'fare-search-api', 'seat-map-api', 'checkin-api', 'boarding-pass-worker', 'bag-tag-worker', 'pnr-sync-worker', 'loyalty-api',
    'loyalty-accrual-nightly', 'payment-callback-api', 'refund-worker', 'disruption-notify-worker', 'sms-gateway-worker', 'email-render-worker', 'crew-roster-sync-timer', 'crew-app-api',
    'fdm-ingest-worker', 'fdm-events-nightly', 'acars-ingest-worker', 'weather-feed-timer', 'notam-feed-timer', 'fuel-uplift-api', 'weight-balance-api', 'load-sheet-worker',
    'ops-dashboard-api', 'delay-codes-nightly', 'slot-messages-worker', 'amos-export-nightly', 'parts-tracking-api', 'tech-log-sync-timer', 'reliability-report-nightly', 'revenue-accounting-nightly',
    'interline-billing-nightly', 'sales-report-nightly', 'pricing-rules-timer', 'inventory-cache-timer', 'ancillaries-api', 'travel-agent-portal-api', 'corporate-portal-api', 'group-booking-api',
    'chatbot-api', 'zendesk-bridge-worker', 'survey-sync-timer', 'customer-profile-api', 'gdpr-erasure-worker', 'consent-api', 'audit-log-shipper-timer', 'access-review-nightly',
    'secret-rotation-timer', 'cert-renew-timer', 'dns-audit-timer', 'backup-verify-nightly', 'vuln-scan-worker', 'cost-allocation-timer', 'cold-storage-nightly', 'data-lake-compaction-nightly',
    'flight-status-api', 'gate-display-worker', 'push-notify-worker', 'catering-orders-timer', 'deicing-log-api', 'safety-report-api', 'training-records-nightly', 'hotel-booking-worker',
  ],
  machines: [
    { name: 'svc-dcs-boarding-uploader', job: 'uploader', network: 'avinorFlesland', tool: 'sdk-dotnet' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-amos-sync', job: 'lims-sync', network: 'teliaEestiBusiness', tool: 'boto3' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsFrankfurt', tool: 'sdk-dotnet' },
    { name: 'svc-cebu-bpo-exchange', job: 'partner-exchange', network: 'pldtBusiness', tool: 'aws-cli' },
    { name: 'svc-fdm-uploader-keflavik', job: 'uploader', network: 'siminnBusiness', tool: 'sdk-dotnet' },
    { name: 'svc-fuel-supplier-exchange', job: 'partner-exchange', network: 'telenorBusinessBergen', tool: 'aws-cli' },
  ],
  repos: ['booking-engine', 'crew-app', 'ops-dashboard', 'fdm-pipeline', 'loyalty', 'platform-infra'],
  releaseDay: 3,
  breakGlassNetwork: 'telenorBusinessBergen',
  contractorNetwork: 'altibox',
};
