/**
 * Bandada Games (set 7): an independent games studio, remote-first across South and Central
 * America, in the crunch before a milestone build, shaped unlike the freight forwarder, the
 * genomics lab, the bank, the dairy co-operative, the hospital and the airline of sets 1–6.
 *
 * - Game developers (engineering, design, tools) in Montevideo and Buenos Aires, mostly at home,
 *   keeping crunch hours: late evenings and weekend sessions (`researcher` and `late`
 *   routines), on gaming-grade Windows desktops and Macs.
 * - Artists and audio in San José, Costa Rica, and Buenos Aires, also mostly at home.
 * - QA testers in Lima at the test lab's shared terminals (consoles and PCs), on five-in-seven
 *   shifts whose days off move each week (`contact-centre`), evenings included; player support
 *   in Lima and Montevideo on the same kind of shifts, covering weekends.
 * - Live operations and the online-services team (the game's backend on AWS) on call.
 * - Publishing and marketing, finance, people, IT and the founders at the small Montevideo office.
 * - No VPN and no secure web gateway: everyone goes direct, from home most days.
 * - The studios in Montevideo and Buenos Aires close for Carnival (16 and 17 February 2026, in
 *   the weeks learnt from).
 *
 * The window is February to early March 2026: Uruguay and Argentina at UTC−3, Peru at UTC−5,
 * Costa Rica at UTC−6, all year round. Its AWS lives in São Paulo (sa-east-1), with game servers
 * and disaster recovery in North Virginia (us-east-1).
 */
import type { EstateShape } from './aws_estate';
import { ANDROID, app, engineers, finance, IPHONE, itAdmins, leadership, MAC_CHROME, MICROSOFT, OFFICE_HOME, peopleTeam, saas, WIN11_CHROME_JOINED, WIN11_EDGE_JOINED, type OrgShape } from './org_kit';

/** A shared Windows test-lab terminal (consoles' dev kits beside it). */
const LAB = { form: 'shared-terminal', os: 'Windows 11', browser: 'Edge', trust: 'Azure AD joined' } as const;
/** The studio's gaming-grade desktop, at home. */
const RIG = { form: 'laptop', os: 'Windows 11', browser: 'Chrome', trust: 'Azure AD joined' } as const;
const CARNIVAL = ['2026-02-16', '2026-02-17'];

export const BANDADA: OrgShape = {
  name: 'Bandada Games',
  domain: 'bandadagames.com',
  tenantId: '7a3f0c52-e1d9-4b86-9c27-5d04f8b1a6e3',
  season: 'winter',
  firstMonday: '2026-02-02',
  releases: { chromiumMajor: 145, firefoxMajor: 148, safari: [26, 3], releases: [10, 30] },
  sites: [
    { key: 'montevideo', namedLocation: 'Bandada Studio Montevideo (Ciudad Vieja)', place: 'montevideo', office: 'antelBusiness', homes: ['antelFibra', 'antelCosta'], mobile: 'movistarUy', locale: 'cl', closed: CARNIVAL },
    { key: 'buenos-aires', namedLocation: 'Bandada Studio Buenos Aires (Palermo)', place: 'buenosAires', office: 'telecomArBusiness', homes: ['fibertel', 'telecentro'], mobile: 'claroAr', locale: 'cl', closed: CARNIVAL },
    { key: 'lima', namedLocation: 'Bandada QA Lab Lima (San Isidro)', place: 'lima', office: 'telefonicaPeBusiness', homes: ['movistarPe', 'winPeru'], mobile: 'claroPe', locale: 'mx' },
    { key: 'san-jose', namedLocation: 'Bandada Art Studio San José', place: 'sanJoseCr', office: 'iceBusiness', homes: ['kolbiHome', 'tigoCr'], mobile: 'kolbiMobile', locale: 'mx' },
  ],
  apps: [
    ...MICROSOFT,
    OFFICE_HOME,
    saas('Perforce Helix Core', '4b1d7e20-93c5-4a68-b0f2-8e6d1c3a5f71'),
    saas('Jira Software', '5c2e8f31-a4d6-4b79-c103-9f7e2d4b6082'),
    saas('Confluence', '6d3f9042-b5e7-4c8a-d214-0a8f3e5c7193'),
    saas('Slack', '7e400a53-c6f8-4d9b-e325-1b904f6d82a4'),
    saas('Unity Cloud', '8f511b64-d709-4eac-f436-2ca15a7e93b5'),
    saas('Shotgrid', '90622c75-e81a-4fbd-0547-3db26b8fa4c6'),
    saas('TestRail', 'a1733d86-f92b-40ce-1658-4ec37c90b5d7'),
    saas('Zendesk', 'b2844e97-0a3c-41df-2769-5fd48da1c6e8'),
    saas('Steamworks Partner', 'c3955fa8-1b4d-42e0-387a-60e59eb2d7f9'),
    saas('GitHub Enterprise Cloud', 'd4a660b9-2c5e-43f1-498b-71f6afc3e80a'),
    saas('AWS IAM Identity Center', 'e5b771ca-3d6f-4402-5a9c-8207b0d4f91b'),
    saas('Deel', 'f6c882db-4e70-4513-6bad-9318c1e50a2c'),
    saas('Xero', '07d993ec-5f81-4624-7cbe-a429d2f61b3d'),
    saas('HubSpot', '18eaa4fd-6092-4735-8dcf-b53ae3072c4e'),
    saas('DocuSign', '3a0cc61f-8204-4957-af0e-d75bf5294e6b'),
  ],
  newApp: { app: app('Figma', '29fbb50e-71a3-4846-9ed0-c64bf4183d5f', 'Figma', 'browser', 'desktop'), launchDay: 2 },
  destinations: ['cox', 'verizonNewYork', 'telefonicaMadrid', 'ntt', 'claroBogota', 'telekomDe', 'swisscom'],
  deviceMailboxes: [{ login: 'scan.lima.qalab', site: 'lima' }],
  teams: [
    engineers('game-development', 0.26, [['montevideo', 0.55], ['buenos-aires', 0.45]], {
      routines: [['researcher', 0.55], ['late', 0.3], ['office', 0.15]],
      laptops: [[RIG, 0.6], [MAC_CHROME, 0.3], [WIN11_EDGE_JOINED, 0.1]],
      apps: [['Perforce Helix Core', 6], ['Jira Software', 5], ['Slack', 5], ['Unity Cloud', 3], ['Confluence', 2], ['GitHub Enterprise Cloud', 2], ['Microsoft Teams', 1]],
      remote: 0.8,
      travel: 0.03,
    }),
    {
      name: 'art-and-audio',
      share: 0.16,
      sites: [['san-jose', 0.6], ['buenos-aires', 0.4]],
      routines: [['office', 0.5], ['late', 0.35], ['part-time', 0.15]],
      laptops: [[MAC_CHROME, 0.55], [RIG, 0.45]],
      phones: 0.4,
      phoneImages: [[IPHONE, 0.6], [ANDROID, 0.4]],
      apps: [['Shotgrid', 6], ['Perforce Helix Core', 4], ['Slack', 5], ['Jira Software', 3], ['Confluence', 1]],
      remote: 0.85,
      travel: 0.02,
      intensity: 0.8,
      sparse: 0.05,
    },
    {
      name: 'qa',
      share: 0.18,
      sites: [['lima', 1]],
      routines: [['contact-centre', 0.8], ['late', 0.2]],
      laptops: [[LAB, 0.85], [WIN11_EDGE_JOINED, 0.15]],
      phones: 0.1,
      phoneImages: [[ANDROID, 1]],
      apps: [['TestRail', 6], ['Jira Software', 5], ['Slack', 3], ['Microsoft Teams', 1]],
      remote: 0.05,
      travel: 0,
      intensity: 0.8,
      sparse: 0.1,
    },
    {
      name: 'player-support',
      share: 0.09,
      sites: [['lima', 0.6], ['montevideo', 0.4]],
      routines: [['contact-centre', 1]],
      laptops: [[WIN11_EDGE_JOINED, 1]],
      phones: 0.1,
      phoneImages: [[ANDROID, 1]],
      apps: [['Zendesk', 6], ['Slack', 3], ['Confluence', 1], ['Microsoft Teams', 1]],
      remote: 0.5,
      travel: 0,
      intensity: 0.9,
      sparse: 0.05,
    },
    engineers('online-services', 0.07, [['montevideo', 0.6], ['buenos-aires', 0.4]], {
      routines: [['on-call-admin', 0.6], ['researcher', 0.4]],
      apps: [['AWS IAM Identity Center', 5], ['GitHub Enterprise Cloud', 5], ['Jira Software', 3], ['Slack', 4], ['Confluence', 1]],
      remote: 0.75,
      travel: 0.04,
    }),
    itAdmins('it-operations', 0.035, [['montevideo', 1]], {
      phoneImages: [[IPHONE, 0.5], [ANDROID, 0.5]],
      apps: [['Azure Portal', 5], ['Microsoft Intune', 4], ['AWS IAM Identity Center', 2], ['Jira Software', 2], ['Slack', 3], ['Microsoft Teams', 1]],
    }),
    {
      name: 'publishing',
      share: 0.08,
      sites: [['montevideo', 0.6], ['buenos-aires', 0.4]],
      routines: [['office', 0.8], ['field', 0.2]],
      laptops: [[MAC_CHROME, 0.6], [WIN11_CHROME_JOINED, 0.4]],
      phones: 0.8,
      phoneImages: [[IPHONE, 1]],
      apps: [['Steamworks Partner', 4], ['HubSpot', 4], ['Slack', 4], ['Power BI Service', 2], ['AWS IAM Identity Center', 1], ['Microsoft Office', 2], ['Office 365 SharePoint Online', 2]],
      remote: 0.6,
      travel: 0.2,
      intensity: 0.9,
      sparse: 0.02,
    },
    finance('finance', 0.03, [['montevideo', 1]], {
      apps: [['Xero', 5], ['Deel', 3], ['Microsoft Office', 4], ['Slack', 2]],
      remote: 0.5,
      travel: 0.01,
    }),
    peopleTeam(0.025, [['montevideo', 0.6], ['buenos-aires', 0.4]], {
      apps: [['Deel', 5], ['Slack', 3], ['Microsoft Office', 3], ['Microsoft Teams', 1]],
      remote: 0.6,
    }),
    leadership(0.02, [['montevideo', 0.7], ['buenos-aires', 0.3]]),
  ],
};

/** The studio's AWS estate in São Paulo: the game's backend (accounts, matchmaking, telemetry, store). */
export const BANDADA_ESTATE: EstateShape = {
  account: '583920174605',
  dataAccount: '694031285716',
  homeRegion: 'sa-east-1',
  regionNetwork: { 'sa-east-1': 'awsSaoPaulo', 'us-east-1': 'awsAshburn', 'us-west-2': 'awsOregon', 'eu-central-1': 'awsFrankfurt' },
  permissionSets: [
    { name: 'OnlineServicesEngineer', teams: ['online-services'], tasks: [['inspectService', 4], ['readLogs', 4], ['ec2Ops', 3], ['shell', 2], ['dynamoDebug', 3], ['browseBuckets', 2], ['params', 2], ['secrets', 1], ['terraformPlan', 2], ['terraformApply', 1], ['snapshots', 1]], tools: [['console', 3], ['aws-cli', 4], ['terraform', 3]], tasksPerHour: 0.32 },
    { name: 'GameplayDeveloper', teams: ['game-development'], tasks: [['browseBuckets', 4], ['readLogs', 2], ['dynamoDebug', 1]], tools: [['console', 3], ['aws-cli', 3], ['boto3', 1]], tasksPerHour: 0.08 },
    { name: 'TelemetryAnalyst', teams: ['publishing'], tasks: [['athenaQuery', 6], ['browseBuckets', 2], ['etlJob', 1]], tools: [['console', 4], ['boto3', 4]], tasksPerHour: 0.2 },
    { name: 'BuildUploader', teams: ['qa'], tasks: [['browseBuckets', 1]], tools: [['console', 2], ['aws-cli', 1]], tasksPerHour: 0.04 },
    { name: 'InfrastructureAdmin', teams: ['it-operations'], tasks: [['ec2Ops', 3], ['iamReview', 2], ['readLogs', 2], ['snapshots', 2]], tools: [['console', 5], ['aws-cli', 4]], tasksPerHour: 0.18 },
    { name: 'IdentityAdmin', teams: ['it-operations'], tasks: [['iamAdmin', 4], ['iamReview', 3]], tools: [['console', 7], ['aws-cli', 3]], tasksPerHour: 0.1 },
    { name: 'SecurityAudit', teams: ['it-operations'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 8], ['aws-cli', 2]], tasksPerHour: 0.1 },
    { name: 'BillingViewer', teams: ['finance', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.05 },
  ],
  iamPeopleTeams: ['online-services', 'it-operations', 'game-development'],
  iamPeopleShare: 0.15,
  workloads: [
    'player-accounts-api', 'auth-token-api', 'matchmaking-api', 'lobby-worker', 'session-allocator-worker', 'game-server-fleet-timer', 'leaderboard-api', 'leaderboard-rollup-nightly',
    'inventory-api', 'store-catalog-api', 'purchase-callback-api', 'entitlement-sync-worker', 'steam-webhook-api', 'console-platform-bridge-worker', 'telemetry-ingest-worker', 'telemetry-compaction-nightly',
    'crash-report-ingest-worker', 'crash-symbolicate-worker', 'anti-cheat-review-worker', 'chat-moderation-worker', 'report-player-api', 'ban-sync-timer', 'patch-manifest-api', 'cdn-invalidate-worker',
    'build-ingest-worker', 'build-retention-nightly', 'localisation-export-timer', 'season-pass-api', 'events-scheduler-timer', 'push-notify-worker', 'email-render-worker', 'support-bridge-worker',
    'analytics-etl-nightly', 'retention-report-nightly', 'revenue-report-nightly', 'fraud-score-worker', 'refund-worker', 'gdpr-erasure-worker', 'consent-api', 'audit-log-shipper-timer',
    'secret-rotation-timer', 'cert-renew-timer', 'backup-verify-nightly', 'cost-allocation-timer', 'status-page-timer', 'discord-bot-api', 'creator-codes-api', 'playtest-signup-api',
  ],
  machines: [
    { name: 'svc-build-uploader-ci', job: 'uploader', network: 'antelBusiness', tool: 'aws-cli' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsSaoPaulo', tool: 'boto3' },
    { name: 'svc-localisation-vendor-exchange', job: 'partner-exchange', network: 'telefonicaPeBusiness', tool: 'aws-cli' },
    { name: 'svc-qa-capture-uploader', job: 'uploader', network: 'telefonicaPeBusiness', tool: 'sdk-dotnet' },
    { name: 'svc-platform-holder-exchange', job: 'partner-exchange', network: 'telecomArBusiness', tool: 'aws-cli' },
  ],
  repos: ['game-backend', 'matchmaking', 'telemetry-pipeline', 'store', 'launcher', 'platform-infra'],
  releaseDay: 2,
  breakGlassNetwork: 'antelBusiness',
  contractorNetwork: 'telecentro',
};
