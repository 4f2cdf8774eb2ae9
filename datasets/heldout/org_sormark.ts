/**
 * Sörmark University Hospital (set 5): a university hospital with its research institute, a
 * global-health field station in Kenya and a clinical-trials unit in Chile, shaped unlike the
 * freight forwarder, the genomics lab, the bank and the dairy co-operative of sets 1–4.
 *
 * - The hospital in Solna runs around the clock: ward nurses on the rotating three-shift roster
 *   at clinical workstations on wheels (shared terminals), doctors on call taking a 24-hour duty
 *   every sixth day, weekends included, with a rest day after it; residents and medical students
 *   on rotation, many of whom barely sign in.
 * - The research institute on the university campus next door reaches the internet through the
 *   university network (SUNET, eduroam); it closes for the two middle weeks of July (the Swedish
 *   summer holiday, in the weeks learnt from): nobody there works.
 * - The hospital's administrative staff (IT, finance, HR, shared services in Umeå) leave through a
 *   secure web gateway (Netskope) when they work from home; researchers, field staff and the
 *   trials unit go direct.
 * - Field officers in Kisumu drive between villages all day on the mobile network, survey tablets
 *   and laptops; the field station's lab keeps early hours.
 * - Clinical research associates in Santiago visit trial sites (southern winter, UTC−4).
 * - Scan-to-email mailboxes in radiology and at the Kisumu lab.
 *
 * The window is July to early August 2026: Swedish summer time (UTC+2), Kenya UTC+3, Chile
 * UTC−4. Its AWS lives in Stockholm (eu-north-1), Ireland for disaster recovery.
 */
import type { EstateShape } from './aws_estate';
import { analysts, ANDROID, app, engineers, fieldSales, finance, IPHONE, itAdmins, leadership, LINUX_FIREFOX, MAC_CHROME, MICROSOFT, OFFICE_HOME, peopleTeam, saas, WIN11_CHROME_JOINED, WIN11_EDGE_HYBRID, WIN11_EDGE_JOINED, type OrgShape } from './org_kit';

/** A clinical workstation on wheels: shared, domain-joined, everyone signs in on it. */
const WOW = { form: 'shared-terminal', os: 'Windows 11', browser: 'Edge', trust: 'Hybrid Azure AD joined' } as const;

/** The institute's summer closure: Saturday 11 to Sunday 26 July 2026. */
const SUMMER_CLOSURE = [...Array(16).keys()].map((k) => new Date(Date.UTC(2026, 6, 11 + k)).toISOString().slice(0, 10));

export const SORMARK: OrgShape = {
  name: 'Sörmark University Hospital',
  domain: 'sormark.se',
  tenantId: 'c3e81f5a-6d27-4b90-8e4c-1a7f02d9b6e3',
  season: 'summer',
  firstMonday: '2026-07-06',
  releases: { chromiumMajor: 150, firefoxMajor: 142, safari: [26, 0], releases: [9, 30] },
  sites: [
    { key: 'solna', namedLocation: 'Sörmark Hospital Solna', place: 'solna', office: 'teliaBusinessSolna', homes: ['teliaHome', 'tele2Home', 'bahnhof'], mobile: 'teliaMobile', edges: ['netskopeStockholm', 'netskopeCopenhagen'], locale: 'se' },
    { key: 'campus', namedLocation: 'Sörmark Institute Campus Solna (eduroam)', place: 'solna', office: 'sunetSolna', homes: ['bahnhof', 'teliaHome', 'tele2Home'], mobile: 'tele2Mobile', locale: 'se', closed: SUMMER_CLOSURE },
    { key: 'umea', namedLocation: 'Sörmark Shared Services Umeå', place: 'umea', office: 'teliaBusinessUmea', homes: ['ipOnlyUmea', 'teliaHome'], mobile: 'teliaMobile', edges: ['netskopeStockholm', 'netskopeCopenhagen'], locale: 'se' },
    { key: 'kisumu', namedLocation: 'Kisumu Global Health Field Station', place: 'kisumu', office: 'safaricomBusiness', homes: ['safaricomHome', 'zuku'], mobile: 'safaricomMobile', locale: 'ke' },
    { key: 'santiago', namedLocation: 'Santiago Clinical Trials Unit', place: 'santiago', office: 'entelBusiness', homes: ['vtr', 'movistarChile'], mobile: 'entelMobile', locale: 'cl' },
  ],
  apps: [
    ...MICROSOFT,
    OFFICE_HOME,
    saas('Cambio COSMIC', '5a0c7e21-9b34-4d6f-8e12-3c4b5a6d7e8f'),
    saas('Sectra IDS7', '6b1d8f32-ac45-4e70-9f23-4d5c6b7e8f90'),
    saas('UpToDate', '7c2e9043-bd56-4f81-a034-5e6d7c8f90a1'),
    saas('TimeCare Planering', '8d3fa154-ce67-4092-b145-6f7e8d90a1b2'),
    saas('REDCap', '9e40b265-df78-41a3-c256-708f9ea1b2c3'),
    saas('SurveyCTO', 'af51c376-e089-42b4-d367-8190afb2c3d4'),
    saas('Medidata Rave', 'b062d487-f19a-43c5-e478-92a1b0c3d4e5'),
    saas('Veeva Vault eTMF', 'c173e598-02ab-44d6-f589-a3b2c1d4e5f6'),
    saas('Canvas LMS', 'd284f6a9-13bc-45e7-069a-b4c3d2e5f607'),
    saas('Overleaf', 'e39507ba-24cd-46f8-17ab-c5d4e3f60718'),
    saas('Raindance', 'f4a618cb-35de-4709-28bc-d6e5f4071829'),
    saas('Heroma', '05b729dc-46ef-481a-39cd-e7f60518293a'),
    saas('ServiceNow', '16c83aed-57f0-492b-4ade-f80716293a4b'),
    saas('GitHub Enterprise Cloud', '27d94bfe-6801-4a3c-5bef-0918273a4b5c'),
    saas('AWS IAM Identity Center', '38ea5c0f-7912-4b4d-6cf0-1a29384b5c6d'),
    saas('Atlassian Cloud', '49fb6d10-8a23-4c5e-7d01-2b3a495c6d7e'),
    saas('DocuSign', '5a0c7e21-9b34-4d6f-8e12-3c4b5a6d7e90'),
  ],
  newApp: { app: app('Zoom Workplace', '6b1d8f32-ac45-4e70-9f23-4d5c6b7e8fa1', 'Zoom Workplace', 'browser', 'desktop', 'mobile'), launchDay: 2 },
  destinations: ['verizonBoston', 'swisscom', 'telefonicaMadrid', 'ntt', 'etisalat', 'claroBogota', 'tdc'],
  deviceMailboxes: [
    { login: 'scan.solna.radiology', site: 'solna' },
    { login: 'labels.kisumu.lab', site: 'kisumu' },
  ],
  teams: [
    {
      name: 'ward-nursing',
      share: 0.22,
      sites: [['solna', 1]],
      routines: [['three-shift', 0.7], ['early', 0.3]],
      laptops: [[WOW, 0.8], [WIN11_EDGE_HYBRID, 0.2]],
      phones: 0.3,
      phoneImages: [[IPHONE, 0.6], [ANDROID, 0.4]],
      apps: [['Cambio COSMIC', 6], ['TimeCare Planering', 2], ['Microsoft Teams', 2], ['Office 365 Exchange Online', 2], ['Outlook Mobile', 1], ['UpToDate', 1]],
      remote: 0,
      travel: 0,
      intensity: 0.55,
      sparse: 0.12,
    },
    {
      name: 'physicians',
      share: 0.14,
      sites: [['solna', 0.85], ['umea', 0.15]],
      routines: [['on-call-24', 0.75], ['office', 0.25]],
      laptops: [[WOW, 0.45], [WIN11_EDGE_HYBRID, 0.55]],
      phones: 0.9,
      phoneImages: [[IPHONE, 0.8], [ANDROID, 0.2]],
      apps: [['Cambio COSMIC', 6], ['Sectra IDS7', 3], ['UpToDate', 2], ['Outlook Mobile', 3], ['Microsoft Teams', 3], ['Office 365 SharePoint Online', 1]],
      remote: 0.05,
      travel: 0.05,
      intensity: 0.8,
      sparse: 0.03,
    },
    {
      name: 'residents-students',
      share: 0.1,
      sites: [['solna', 0.8], ['umea', 0.2]],
      routines: [['office', 0.6], ['early', 0.4]],
      laptops: [[WOW, 0.6], [WIN11_EDGE_JOINED, 0.4]],
      phones: 0.2,
      phoneImages: [[ANDROID, 0.5], [IPHONE, 0.5]],
      apps: [['Cambio COSMIC', 4], ['Canvas LMS', 3], ['UpToDate', 2], ['Microsoft Teams', 2], ['Office 365 Exchange Online', 2]],
      remote: 0.1,
      travel: 0,
      intensity: 0.6,
      sparse: 0.3,
    },
    {
      name: 'research-institute',
      share: 0.16,
      sites: [['campus', 0.85], ['kisumu', 0.15]],
      routines: [['researcher', 0.75], ['office', 0.25]],
      laptops: [[MAC_CHROME, 0.5], [LINUX_FIREFOX, 0.3], [WIN11_CHROME_JOINED, 0.2]],
      phones: 0.4,
      phoneImages: [[IPHONE, 0.6], [ANDROID, 0.4]],
      apps: [['REDCap', 4], ['AWS IAM Identity Center', 3], ['Overleaf', 2], ['GitHub Enterprise Cloud', 2], ['Microsoft Teams', 3], ['Office 365 SharePoint Online', 2], ['Microsoft Office', 1]],
      remote: 0.4,
      travel: 0.06,
      intensity: 1,
      sparse: 0.04,
    },
    {
      name: 'global-health-field',
      share: 0.09,
      sites: [['kisumu', 1]],
      routines: [['field', 0.7], ['early', 0.3]],
      laptops: [[WIN11_CHROME_JOINED, 1]],
      phones: 0.9,
      phoneImages: [[ANDROID, 1]],
      apps: [['SurveyCTO', 5], ['REDCap', 4], ['Outlook Mobile', 3], ['Microsoft Teams', 2], ['Office 365 SharePoint Online', 1]],
      remote: 0.2,
      travel: 0.03,
      intensity: 0.7,
      sparse: 0.06,
    },
    fieldSales('clinical-trials', 0.07, [['santiago', 0.75], ['solna', 0.25]], {
      laptops: [[WIN11_CHROME_JOINED, 0.7], [MAC_CHROME, 0.3]],
      apps: [['Medidata Rave', 5], ['Veeva Vault eTMF', 3], ['Outlook Mobile', 3], ['Microsoft Teams', 3], ['DocuSign', 1], ['REDCap', 1]],
      travel: 0.15,
    }),
    engineers('research-platform', 0.05, [['campus', 0.6], ['umea', 0.4]], {
      apps: [['GitHub Enterprise Cloud', 5], ['AWS IAM Identity Center', 5], ['Atlassian Cloud', 4], ['Microsoft Teams', 3], ['Microsoft Office', 1]],
      remote: 0.5,
      travel: 0.04,
    }),
    analysts('clinical-data', 0.04, [['solna', 0.6], ['umea', 0.4]], {
      laptops: [[WIN11_EDGE_JOINED, 0.7], [MAC_CHROME, 0.3]],
      apps: [['Power BI Service', 5], ['AWS IAM Identity Center', 4], ['REDCap', 2], ['Microsoft Teams', 3], ['Microsoft Office', 2]],
    }),
    itAdmins('it-operations', 0.05, [['umea', 0.7], ['solna', 0.3]], {
      phoneImages: [[IPHONE, 0.6], [ANDROID, 0.4]],
      apps: [['Azure Portal', 5], ['ServiceNow', 4], ['Microsoft Intune', 3], ['AWS IAM Identity Center', 3], ['Microsoft Azure CLI', 1], ['Microsoft Teams', 3]],
    }),
    finance('finance', 0.04, [['umea', 1]], {
      apps: [['Raindance', 5], ['Power BI Service', 3], ['Microsoft Office', 4], ['Microsoft Teams', 3]],
      remote: 0.4,
      travel: 0.01,
    }),
    peopleTeam(0.03, [['umea', 0.6], ['solna', 0.4]], {
      apps: [['Heroma', 5], ['TimeCare Planering', 2], ['Microsoft Teams', 3], ['Microsoft Office', 3]],
      remote: 0.4,
    }),
    leadership(0.02, [['solna', 1]]),
  ],
};

/** The hospital's AWS estate in Stockholm: research data, the clinical data warehouse, trial data, imaging archives. */
export const SORMARK_ESTATE: EstateShape = {
  account: '842095317604',
  dataAccount: '953106428715',
  homeRegion: 'eu-north-1',
  regionNetwork: { 'eu-north-1': 'awsStockholm', 'eu-west-1': 'awsDublin', 'us-east-1': 'awsAshburn', 'eu-central-1': 'awsFrankfurt' },
  permissionSets: [
    { name: 'ResearchPlatformEngineer', teams: ['research-platform'], tasks: [['inspectService', 4], ['readLogs', 4], ['ec2Ops', 2], ['shell', 1], ['browseBuckets', 2], ['params', 2], ['secrets', 1], ['terraformPlan', 2], ['terraformApply', 1]], tools: [['console', 3], ['aws-cli', 4], ['terraform', 3]], tasksPerHour: 0.3 },
    { name: 'Researcher', teams: ['research-institute'], tasks: [['pipelineRun', 3], ['notebook', 4], ['browseBuckets', 4], ['athenaQuery', 1]], tools: [['boto3', 4], ['aws-cli', 3], ['console', 3]], tasksPerHour: 0.2 },
    { name: 'ClinicalDataAnalyst', teams: ['clinical-data'], tasks: [['athenaQuery', 6], ['etlJob', 2], ['browseBuckets', 2]], tools: [['console', 4], ['boto3', 4]], tasksPerHour: 0.25 },
    { name: 'TrialDataViewer', teams: ['clinical-trials'], tasks: [['browseBuckets', 4], ['athenaQuery', 1]], tools: [['console', 1]], tasksPerHour: 0.08 },
    { name: 'FieldDataUploader', teams: ['global-health-field'], tasks: [['browseBuckets', 1]], tools: [['console', 2], ['aws-cli', 1]], tasksPerHour: 0.06 },
    { name: 'InfrastructureAdmin', teams: ['it-operations'], tasks: [['ec2Ops', 4], ['iamReview', 2], ['readLogs', 2], ['shell', 2], ['snapshots', 2]], tools: [['console', 5], ['aws-cli', 4]], tasksPerHour: 0.2 },
    { name: 'IdentityAdmin', teams: ['it-operations'], tasks: [['iamAdmin', 4], ['iamReview', 3]], tools: [['console', 7], ['aws-cli', 3]], tasksPerHour: 0.1 },
    { name: 'SecurityAudit', teams: ['it-operations'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 8], ['aws-cli', 2]], tasksPerHour: 0.12 },
    { name: 'BillingViewer', teams: ['finance', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.05 },
  ],
  iamPeopleTeams: ['research-platform', 'research-institute', 'it-operations'],
  iamPeopleShare: 0.15,
  workloads: [
    'pacs-archive-worker', 'dicom-deid-worker', 'hl7-ingest-worker', 'fhir-api', 'lab-results-api', 'referral-intake-api', 'bed-board-api', 'theatre-schedule-timer',
    'cdw-load-nightly', 'cdw-quality-nightly', 'registry-export-nightly', 'biobank-catalogue-api', 'sample-tracking-api', 'redcap-backup-nightly', 'survey-sync-timer', 'field-tablet-sync-worker',
    'trial-randomisation-api', 'edc-export-nightly', 'pharmacovigilance-worker', 'consent-registry-api', 'patient-portal-api', 'appointment-reminder-worker', 'sms-gateway-worker', 'transport-booking-api',
    'ecg-ingest-worker', 'pathology-slide-worker', 'genomics-pipeline-worker', 'variant-report-api', 'imaging-ai-worker', 'radiology-worklist-timer', 'drug-interaction-api', 'formulary-sync-timer',
    'staff-roster-sync-timer', 'payroll-export-nightly', 'cost-centre-timer', 'procurement-api', 'inventory-api', 'sterile-supply-timer', 'infection-surveillance-nightly', 'ward-dashboard-api',
    'research-portal-api', 'grant-reporting-nightly', 'publication-index-timer', 'hpc-burst-worker', 'notebook-sync-timer', 'data-request-api', 'pseudonymisation-api', 'audit-log-shipper-timer',
    'access-review-nightly', 'secret-rotation-timer', 'cert-renew-timer', 'dns-audit-timer', 'backup-verify-nightly', 'vuln-scan-worker', 'cost-allocation-timer', 'cold-storage-nightly',
    'mobile-clinic-api', 'malaria-surveillance-worker', 'vaccine-coldchain-timer', 'household-census-nightly', 'trial-site-monitor-api', 'ecrf-render-worker', 'safety-signal-nightly', 'translation-worker',
  ],
  machines: [
    { name: 'svc-pacs-uploader', job: 'uploader', network: 'teliaBusinessSolna', tool: 'sdk-dotnet' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-kisumu-lab-exchange', job: 'partner-exchange', network: 'safaricomBusiness', tool: 'aws-cli' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsStockholm', tool: 'sdk-dotnet' },
    { name: 'svc-biobank-lims-sync', job: 'lims-sync', network: 'sunetSolna', tool: 'boto3' },
    { name: 'svc-santiago-edc-exchange', job: 'partner-exchange', network: 'entelBusiness', tool: 'aws-cli' },
    { name: 'svc-sequencer-campus', job: 'uploader', network: 'sunetSolna', tool: 'sdk-dotnet' },
  ],
  repos: ['research-portal', 'fhir-api', 'cdw-pipelines', 'trial-randomisation', 'field-sync', 'platform-infra'],
  releaseDay: 2,
  breakGlassNetwork: 'teliaBusinessUmea',
  contractorNetwork: 'bahnhof',
};
