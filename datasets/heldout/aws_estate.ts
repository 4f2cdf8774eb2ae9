/**
 * Each organisation's AWS estate: the principals CloudTrail names, and what each of them is for.
 *
 * - People: legacy IAM users (one person each, console and CLI) and IAM Identity Center
 *   permission sets (an assumed role shared by everyone on a team who uses AWS: one "user" with
 *   many people, homes and laptops behind it).
 * - Workloads: ECS tasks, queue workers, Lambda functions on a timer, nightly batch hosts, with
 *   assumed-role sessions that rotate, reaching S3 and DynamoDB through VPC endpoints (private
 *   addresses) and everything else through NAT gateways.
 * - CI: GitHub Actions roles (runners on Azure ranges in the US), a production deploy role that
 *   only works on release days.
 * - AWS services acting for the account (Config, Auto Scaling, ECS, CloudFormation), whose calls
 *   come from the service's name rather than an address.
 * - Machine IAM users with long-lived keys (a vendor's monitoring, an on-premises uploader, a
 *   partner's file exchange, backups), a break-glass admin, and principals that appear late.
 */
import { DAY, isWeekend, type Window } from './calendar';
import type { Dice } from './dice';
import type { PrincipalIdentity } from './cloudtrail_document';
import type { Op, TaskName, ToolName } from './aws_catalogue';
import { API } from './aws_catalogue';
import { ORGANISATIONS, type OrgName } from './organisations';
import { BANDADA_ESTATE } from './org_bandada';
import { SKARV_ESTATE } from './org_skarv';
import { SORMARK_ESTATE } from './org_sormark';
import { TOTARA_ESTATE } from './org_totara';
import { externalPerson, type Person } from './people';
import type { NetworkName } from './world';

export type WorkloadPattern = 'api' | 'queue' | 'timer' | 'nightly';

export type Behaviour =
  | { kind: 'people'; members: Person[]; tasks: readonly (readonly [TaskName, number])[]; tools: readonly (readonly [ToolName, number])[]; tasksPerHour: number }
  | { kind: 'workload'; pattern: WorkloadPattern; ops: readonly (readonly [Op, number])[]; callsPerDay: number; tool: Exclude<ToolName, 'console'>; everyMinutes: number }
  | { kind: 'ci-build' }
  | { kind: 'ci-plan' }
  | { kind: 'ci-deploy' }
  | { kind: 'aws-service'; service: string; ops: readonly Op[]; everyMinutes: number; onlyOnDeploys: boolean }
  | { kind: 'machine'; job: 'vendor-monitoring' | 'uploader' | 'partner-exchange' | 'backups' | 'lims-sync'; network: NetworkName; tool: Exclude<ToolName, 'console'> }
  | { kind: 'break-glass'; network: NetworkName };

export type PrincipalRole = 'iam-person' | 'sso-role' | 'workload' | 'ci' | 'aws-service' | 'machine-user' | 'break-glass';

export interface Principal {
  index: number;
  identity: PrincipalIdentity;
  role: PrincipalRole;
  behaviour: Behaviour;
  /** The account region most calls go to, and the others it uses. */
  region: string;
  /** UTC midnight from which it exists, for principals created inside the window. */
  createdOn?: number;
  /** Days behind the newest tool releases. */
  lag: number;
}

export interface Estate {
  principals: Principal[];
  homeRegion: string;
  regionNetwork: Record<string, NetworkName>;
  /** Release days (UTC midnights) the deploy role ships on; the last lies in the scored week. */
  releaseDays: number[];
  /** Releases that also migrate the database (a snapshot first). */
  migrationDays: number[];
  /** Accounts outside the organisation that nothing should ever be shared with. */
  strangerAccounts: string[];
}

interface PermissionSet {
  name: string;
  teams: readonly string[];
  tasks: readonly (readonly [TaskName, number])[];
  tools: readonly (readonly [ToolName, number])[];
  tasksPerHour: number;
}

export interface EstateShape {
  account: string;
  dataAccount: string;
  homeRegion: string;
  regionNetwork: Record<string, NetworkName>;
  permissionSets: readonly PermissionSet[];
  /** Teams whose AWS users are old-style IAM users, and the share of principals they make up. */
  iamPeopleTeams: readonly string[];
  iamPeopleShare: number;
  workloads: readonly string[];
  machines: readonly { name: string; job: Extract<Behaviour, { kind: 'machine' }>['job']; network: NetworkName; tool: Exclude<ToolName, 'console'> }[];
  repos: readonly string[];
  /** The scored week's release day (days after its Monday); releases come every two weeks, the database migrates every four. */
  releaseDay: number;
  breakGlassNetwork: NetworkName;
  contractorNetwork: NetworkName;
}

const HARBOURLINE_ESTATE: EstateShape = {
  account: '418273956012',
  dataAccount: '530184726395',
  homeRegion: 'eu-west-1',
  regionNetwork: { 'eu-west-1': 'awsDublin', 'eu-central-1': 'awsFrankfurt', 'ap-southeast-1': 'awsSingapore', 'us-east-1': 'awsAshburn' },
  permissionSets: [
    { name: 'PlatformEngineer', teams: ['platform-engineering'], tasks: [['inspectService', 4], ['readLogs', 4], ['ec2Ops', 2], ['dynamoDebug', 2], ['params', 2], ['secrets', 1], ['browseBuckets', 2], ['shell', 1], ['terraformPlan', 2], ['terraformApply', 1]], tools: [['console', 4], ['aws-cli', 4], ['terraform', 2]], tasksPerHour: 0.35 },
    { name: 'NetworkAdmin', teams: ['it-operations'], tasks: [['ec2Ops', 4], ['iamReview', 2], ['readLogs', 2], ['shell', 2], ['snapshots', 1]], tools: [['console', 6], ['aws-cli', 3]], tasksPerHour: 0.25 },
    { name: 'SecurityAudit', teams: ['it-operations'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 8], ['aws-cli', 2]], tasksPerHour: 0.15 },
    { name: 'IdentityAdmin', teams: ['it-operations'], tasks: [['iamAdmin', 4], ['iamReview', 3]], tools: [['console', 7], ['aws-cli', 3]], tasksPerHour: 0.1 },
    { name: 'DataAnalyst', teams: ['finance', 'freight-desk'], tasks: [['athenaQuery', 6], ['browseBuckets', 3]], tools: [['console', 5], ['boto3', 5]], tasksPerHour: 0.25 },
    { name: 'BillingViewer', teams: ['finance', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.06 },
    { name: 'ReadOnly', teams: ['customs-compliance', 'freight-desk'], tasks: [['browseBuckets', 3], ['readLogs', 1], ['inspectService', 1]], tools: [['console', 1]], tasksPerHour: 0.12 },
  ],
  iamPeopleTeams: ['platform-engineering', 'it-operations', 'finance'],
  iamPeopleShare: 0.2,
  workloads: [
    'tracking-api', 'eta-predictor-worker', 'edi-ingest-worker', 'customs-docs-api', 'label-render-worker', 'ais-feed-timer', 'berth-schedule-timer', 'invoice-pdf-worker',
    'reefer-alerts-timer', 'yard-planner-api', 'gate-ocr-worker', 'weighbridge-timer', 'bill-of-lading-api', 'rate-quote-api', 'container-events-worker', 'port-call-nightly',
    'demurrage-nightly', 'driver-portal-api', 'hazmat-check-timer', 'carrier-gateway-api', 'vessel-eta-nightly', 'pod-upload-worker', 'slot-booking-api', 'tariff-sync-timer',
    'manifest-export-nightly', 'telemetry-ingest-worker', 'depot-inventory-api', 'fuel-surcharge-timer', 'chassis-pool-api', 'edi-outbound-worker', 'customer-portal-api', 'dwell-report-nightly',
  ],
  machines: [
    { name: 'svc-terminal-os', job: 'uploader', network: 'orangePlBusiness', tool: 'sdk-dotnet' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-edi-partner-houston', job: 'partner-exchange', network: 'attBusiness', tool: 'aws-cli' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsFrankfurt', tool: 'sdk-dotnet' },
    { name: 'svc-customs-gateway', job: 'lims-sync', network: 'kpnBusiness', tool: 'boto3' },
    { name: 'svc-edi-partner-singapore', job: 'partner-exchange', network: 'singtelBusiness', tool: 'aws-cli' },
    { name: 'svc-scale-uploader-durban', job: 'uploader', network: 'telkomBusiness', tool: 'sdk-dotnet' },
  ],
  repos: ['tracking', 'customs-docs', 'yard-planner', 'driver-portal', 'carrier-gateway', 'platform-infra'],
  releaseDay: 1,
  breakGlassNetwork: 'kpnBusiness',
  contractorNetwork: 'ziggoDelft',
};

const KESTREL_ESTATE: EstateShape = {
  account: '771204938561',
  dataAccount: '882315049672',
  homeRegion: 'eu-west-1',
  regionNetwork: { 'eu-west-1': 'awsDublin', 'ap-southeast-2': 'awsSydney', 'us-east-1': 'awsAshburn', 'us-west-2': 'awsOregon' },
  permissionSets: [
    { name: 'Bioinformatician', teams: ['bioinformatics'], tasks: [['pipelineRun', 5], ['notebook', 3], ['browseBuckets', 3], ['athenaQuery', 1], ['readLogs', 1]], tools: [['boto3', 4], ['aws-cli', 4], ['console', 2]], tasksPerHour: 0.3 },
    { name: 'SoftwareEngineer', teams: ['software'], tasks: [['inspectService', 4], ['readLogs', 4], ['dynamoDebug', 2], ['params', 2], ['terraformPlan', 2], ['terraformApply', 1]], tools: [['console', 3], ['aws-cli', 4], ['terraform', 3]], tasksPerHour: 0.3 },
    { name: 'ClinicalDataViewer', teams: ['clinical-reporting'], tasks: [['browseBuckets', 4], ['athenaQuery', 3]], tools: [['console', 1]], tasksPerHour: 0.15 },
    { name: 'LabDataUploader', teams: ['wet-lab'], tasks: [['browseBuckets', 1]], tools: [['console', 2], ['aws-cli', 1]], tasksPerHour: 0.08 },
    { name: 'SecurityEngineer', teams: ['it-security'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 6], ['aws-cli', 4]], tasksPerHour: 0.2 },
    { name: 'CloudAdmin', teams: ['it-security'], tasks: [['iamAdmin', 3], ['ec2Ops', 3], ['snapshots', 1], ['terraformApply', 1], ['iamReview', 2]], tools: [['console', 5], ['aws-cli', 3], ['terraform', 2]], tasksPerHour: 0.15 },
    { name: 'FinOps', teams: ['operations', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.05 },
    { name: 'ReadOnly', teams: ['quality-regulatory', 'field-applications'], tasks: [['browseBuckets', 3], ['readLogs', 1]], tools: [['console', 1]], tasksPerHour: 0.08 },
  ],
  iamPeopleTeams: ['bioinformatics', 'software'],
  iamPeopleShare: 0.1,
  workloads: [
    'fastq-ingest-worker', 'bcl-convert-nightly', 'variant-caller-worker', 'sample-tracker-api', 'report-renderer-worker', 'qc-metrics-timer', 'align-bwa-worker', 'annotation-vep-worker',
    'cohort-export-nightly', 'lims-bridge-api', 'consent-registry-api', 'pipeline-orchestrator-api', 'notebook-sync-timer', 'ref-genome-cache-timer', 'billing-export-nightly', 'sequencer-events-worker',
    'panel-designer-api', 'cnv-caller-worker', 'rna-quant-worker', 'methylation-worker', 'clinical-portal-api', 'order-intake-api', 'courier-tracking-timer', 'kit-inventory-api',
    'sample-barcode-api', 'result-delivery-worker', 'hl7-gateway-api', 'fhir-export-nightly', 'archive-glacier-nightly', 'run-monitor-timer', 'phenotype-index-worker', 'pgx-report-api',
    'tumour-board-api', 'biobank-catalogue-api', 'storage-audit-nightly', 'cost-allocation-timer', 'data-request-api', 'de-identify-worker', 'cram-compress-worker', 'coverage-stats-timer',
    'liftover-worker', 'sv-caller-worker', 'imputation-nightly', 'gwas-runner-worker', 'prs-score-api', 'mito-caller-worker', 'instrument-health-timer', 'reagent-lot-api',
    'lab-scheduler-api', 'swab-kit-timer', 'study-portal-api', 'partner-sftp-worker', 'invoice-api', 'label-print-timer', 'access-review-nightly', 'lineage-catalogue-api',
    'variant-db-api', 'population-freq-nightly', 'somatic-filter-worker', 'fusion-caller-worker', 'hla-typing-worker', 'qc-dashboard-api', 'sample-qc-timer', 'genome-browser-api',
    'transfer-manifest-timer', 'workflow-cache-worker', 'audit-export-nightly', 'alerting-timer', 'customer-portal-api', 'sequencing-quote-api', 'report-signoff-api', 'pipeline-metrics-timer',
    'crispr-design-api', 'rnaseq-qc-worker', 'spatial-ingest-worker', 'methyl-array-nightly', 'sample-retention-timer', 'consent-audit-nightly', 'reference-sync-timer', 'lab-notebook-bridge-api',
    'rare-disease-api', 'oncology-panel-worker', 'newborn-screen-worker', 'carrier-screen-api', 'microbiome-worker', 'assembly-worker', 'kmer-index-nightly', 'long-read-basecall-worker',
    'pedigree-api', 'trio-analysis-worker', 'ancestry-worker', 'cohort-browser-api', 'ehr-bridge-api', 'reporting-queue-worker', 'sample-move-timer', 'compute-budget-timer',
    'cold-storage-nightly', 'batch-janitor-timer', 'secret-rotation-timer', 'dns-audit-timer', 'cert-renew-timer', 'image-scan-worker', 'backup-verify-nightly', 'vpc-flow-nightly',
  ],
  machines: [
    { name: 'svc-sequencer-dublin', job: 'uploader', network: 'eirBusiness', tool: 'sdk-dotnet' },
    { name: 'svc-sequencer-lisbon', job: 'uploader', network: 'meoBusiness', tool: 'sdk-dotnet' },
    { name: 'svc-sequencer-cambridge', job: 'uploader', network: 'janet', tool: 'sdk-dotnet' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-lims-sync', job: 'lims-sync', network: 'meoBusiness', tool: 'boto3' },
    { name: 'svc-partner-boston-hospital', job: 'partner-exchange', network: 'verizonBoston', tool: 'aws-cli' },
    { name: 'svc-partner-copenhagen-biobank', job: 'partner-exchange', network: 'tdc', tool: 'aws-cli' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsDublin', tool: 'sdk-dotnet' },
    { name: 'svc-report-delivery-melbourne', job: 'lims-sync', network: 'telstraBusiness', tool: 'boto3' },
    { name: 'svc-hpc-cambridge', job: 'lims-sync', network: 'janet', tool: 'boto3' },
  ],
  repos: ['pipelines', 'sample-tracker', 'clinical-portal', 'lims-bridge', 'report-renderer', 'platform-infra', 'variant-db', 'order-intake'],
  releaseDay: 3,
  breakGlassNetwork: 'eirBusiness',
  contractorNetwork: 'virginIe',
};

/** A bank's estate in Canada Central: fraud and claims analytics, payments and policy services, Berlin's platform team. */
const MAPLECREST_ESTATE: EstateShape = {
  account: '604918273551',
  dataAccount: '715029384662',
  homeRegion: 'ca-central-1',
  regionNetwork: { 'ca-central-1': 'awsMontreal', 'us-east-1': 'awsAshburn', 'sa-east-1': 'awsSaoPaulo', 'eu-central-1': 'awsFrankfurt' },
  permissionSets: [
    { name: 'PlatformEngineer', teams: ['platform-engineering'], tasks: [['inspectService', 4], ['readLogs', 4], ['ec2Ops', 2], ['dynamoDebug', 2], ['params', 2], ['secrets', 1], ['snapshots', 1], ['terraformPlan', 2], ['terraformApply', 1]], tools: [['console', 3], ['aws-cli', 4], ['terraform', 3]], tasksPerHour: 0.3 },
    { name: 'DataEngineer', teams: ['platform-engineering', 'risk-compliance'], tasks: [['etlJob', 4], ['athenaQuery', 4], ['browseBuckets', 3], ['notebook', 1]], tools: [['boto3', 4], ['aws-cli', 3], ['console', 3]], tasksPerHour: 0.25 },
    { name: 'FraudAnalyst', teams: ['risk-compliance'], tasks: [['athenaQuery', 6], ['browseBuckets', 2]], tools: [['console', 5], ['boto3', 3]], tasksPerHour: 0.2 },
    { name: 'ClaimsDataViewer', teams: ['claims-operations'], tasks: [['browseBuckets', 4], ['athenaQuery', 2]], tools: [['console', 1]], tasksPerHour: 0.1 },
    { name: 'ServiceDeskAdmin', teams: ['it-service'], tasks: [['ec2Ops', 3], ['iamReview', 2], ['readLogs', 2], ['shell', 2], ['snapshots', 1]], tools: [['console', 6], ['aws-cli', 3]], tasksPerHour: 0.2 },
    { name: 'IdentityAdmin', teams: ['it-service'], tasks: [['iamAdmin', 4], ['iamReview', 3]], tools: [['console', 7], ['aws-cli', 3]], tasksPerHour: 0.1 },
    { name: 'SecurityAudit', teams: ['it-service', 'risk-compliance'], tasks: [['securityReview', 5], ['iamReview', 3], ['readLogs', 2]], tools: [['console', 8], ['aws-cli', 2]], tasksPerHour: 0.12 },
    { name: 'BillingViewer', teams: ['finance-treasury', 'leadership'], tasks: [['costReview', 1]], tools: [['console', 1]], tasksPerHour: 0.05 },
  ],
  iamPeopleTeams: ['platform-engineering', 'it-service', 'risk-compliance'],
  iamPeopleShare: 0.15,
  workloads: [
    'payments-api', 'card-auth-worker', 'fraud-score-api', 'statement-render-nightly', 'aml-screening-worker', 'kyc-document-worker', 'fx-rates-timer', 'claims-intake-api',
    'interest-accrual-nightly', 'policy-quote-api', 'claims-fnol-worker', 'sanctions-list-timer', 'premium-billing-nightly', 'open-banking-api', 'etransfer-worker', 'eft-settlement-nightly',
    'loan-origination-api', 'credit-bureau-worker', 'mortgage-docs-worker', 'notifications-worker', 'otp-sender-worker', 'mobile-bff-api', 'web-bff-api', 'customer-profile-api',
    'consent-api', 'document-vault-api', 'ocr-extract-worker', 'call-recording-ingest-worker', 'speech-analytics-worker', 'gl-export-nightly', 'regulatory-returns-nightly', 'cert-renew-timer',
    'secret-rotation-timer', 'chargeback-worker', 'dispute-api', 'data-lake-compaction-nightly', 'feature-store-nightly', 'model-scoring-worker', 'churn-model-nightly', 'atm-telemetry-worker',
    'branch-queue-api', 'appointment-api', 'cheque-image-worker', 'remote-deposit-api', 'card-tokenisation-api', 'travel-notice-api', 'claims-photo-worker', 'adjuster-routing-api',
    'subrogation-nightly', 'reinsurance-export-nightly', 'actuarial-extract-nightly', 'policy-docs-render-worker', 'broker-portal-api', 'agent-commission-nightly', 'catastrophe-feed-timer', 'weather-alerts-timer',
    'audit-log-shipper-timer', 'access-review-nightly', 'cost-allocation-timer', 'dns-audit-timer', 'marketing-export-nightly', 'pin-change-api', 'teller-sync-worker', 'backup-verify-nightly',
  ],
  machines: [
    { name: 'svc-core-banking-extract', job: 'uploader', network: 'bellBusiness', tool: 'sdk-dotnet' },
    { name: 'datadog-integration', job: 'vendor-monitoring', network: 'awsAshburn', tool: 'vendor-go' },
    { name: 'svc-reinsurer-exchange', job: 'partner-exchange', network: 'telekomDe', tool: 'aws-cli' },
    { name: 'svc-backup-snapshots', job: 'backups', network: 'awsMontreal', tool: 'sdk-dotnet' },
    { name: 'svc-claims-ocr-sync', job: 'lims-sync', network: 'embratelBusiness', tool: 'boto3' },
    { name: 'svc-payments-clearing', job: 'partner-exchange', network: 'bellBusiness', tool: 'aws-cli' },
    { name: 'svc-call-recordings', job: 'uploader', network: 'awsAshburn', tool: 'sdk-java' },
  ],
  repos: ['mobile-bff', 'payments', 'claims-intake', 'broker-portal', 'fraud-models', 'platform-infra'],
  releaseDay: 2,
  breakGlassNetwork: 'bellBusiness',
  contractorNetwork: 'teksavvy',
};

/** Tōtara's estate (set 4), Sörmark's (set 5), Skarv Air's (set 6) and Bandada Games' (set 7) are described with their organisations, in org_totara.ts, org_sormark.ts, org_skarv.ts and org_bandada.ts. */
export const ESTATES: Record<OrgName, EstateShape> = { harbourline: HARBOURLINE_ESTATE, kestrel: KESTREL_ESTATE, maplecrest: MAPLECREST_ESTATE, totara: TOTARA_ESTATE, sormark: SORMARK_ESTATE, skarv: SKARV_ESTATE, bandada: BANDADA_ESTATE };

/** Everything non-human a workload pattern does, by weight. */
const WORKLOAD_OPS: Record<WorkloadPattern, readonly (readonly [Op, number])[]> = {
  api: [[API.dynamodb.GetItem, 5], [API.dynamodb.Query, 4], [API.dynamodb.PutItem, 2], [API.kms.Decrypt, 2], [API.sqs.SendMessage, 1], [API.s3.GetObject, 1], [API.secretsmanager.GetSecretValue, 0.2]],
  queue: [[API.sqs.ReceiveMessage, 5], [API.sqs.DeleteMessage, 3], [API.s3.GetObject, 2], [API.s3.PutObject, 2], [API.dynamodb.PutItem, 1], [API.kms.GenerateDataKey, 0.5]],
  timer: [[API.s3.ListObjects, 2], [API.s3.GetObject, 2], [API.dynamodb.PutItem, 1], [API.ssm.GetParameter, 1]],
  nightly: [[API.s3.GetObject, 6], [API.s3.PutObject, 3], [API.s3.ListObjects, 2], [API.glue.GetTable, 1], [API.athena.StartQueryExecution, 0.5], [API.athena.GetQueryExecution, 1]],
};

const patternOf = (name: string): WorkloadPattern => (name.endsWith('-api') ? 'api' : name.endsWith('-worker') ? 'queue' : name.endsWith('-timer') ? 'timer' : 'nightly');

class Ids {
  constructor(private readonly d: Dice) {}
  user = (): string => `AIDA${this.d.alnum(17)}`;
  role = (): string => `AROA${this.d.alnum(17)}`;
  key = (): string => `AKIA${this.d.alnum(16)}`;
}

export function buildEstate(orgName: OrgName, people: Person[], w: Window, targetPrincipals: number, dice: Dice): Estate {
  const shape = ESTATES[orgName];
  const ids = new Ids(dice.for('ids'));
  const principals: Principal[] = [];
  const iamUser = (name: string, role: PrincipalRole, behaviour: Behaviour, extra: Partial<Principal> = {}): void => {
    principals.push({
      index: principals.length,
      identity: { name, type: 'IAMUser', account: shape.account, principalId: ids.user(), arn: `arn:aws:iam::${shape.account}:user/${name}`, accessKeyId: ids.key() },
      role,
      behaviour,
      region: shape.homeRegion,
      lag: dice.for('lag', name).between(0, 6),
      ...extra,
    });
  };
  const assumedRole = (name: string, role: PrincipalRole, behaviour: Behaviour, account = shape.account, extra: Partial<Principal> = {}): void => {
    principals.push({
      index: principals.length,
      identity: { name, type: 'AssumedRole', account, principalId: ids.role(), arn: `arn:aws:iam::${account}:role/${role === 'aws-service' && name.startsWith('AWSServiceRole') ? `aws-service-role/${name}` : name}` },
      role,
      behaviour,
      region: shape.homeRegion,
      lag: dice.for('lag', name).between(0, 6),
      ...extra,
    });
  };

  // People who use AWS: established staff only (new starters get access later).
  const eligible = (teams: readonly string[]): Person[] => people.filter((p) => p.kind === 'staff' && teams.includes(p.team.name) && p.hiredOn === undefined && !p.sparse);
  const iamPeopleCount = Math.round(targetPrincipals * shape.iamPeopleShare);
  const iamPeople = dice.for('iam-people').some(eligible(shape.iamPeopleTeams), iamPeopleCount);
  const taken = new Set(iamPeople.map((p) => p.index));
  for (const p of iamPeople) {
    const set = shape.permissionSets.find((s) => s.teams.includes(p.team.name)) ?? shape.permissionSets[0];
    iamUser(p.login, 'iam-person', { kind: 'people', members: [p], tasks: set.tasks, tools: set.tools, tasksPerHour: set.tasksPerHour * 1.3 });
  }
  for (const set of shape.permissionSets) {
    const pool = eligible(set.teams).filter((p) => !taken.has(p.index));
    const members = dice.for('sso', set.name).some(pool, Math.min(pool.length, 12));
    if (members.length === 0) continue;
    const suffix = dice.for('sso-suffix', set.name).hex(16);
    assumedRole(`AWSReservedSSO_${set.name}_${suffix}`, 'sso-role', { kind: 'people', members, tasks: set.tasks, tools: set.tools, tasksPerHour: set.tasksPerHour });
  }

  // AWS acting for the account.
  const services: [string, string, readonly Op[], number, boolean][] = [
    ['AWSServiceRoleForConfig', 'config.amazonaws.com', [API.ec2.DescribeInstances, API.ec2.DescribeSecurityGroups, API.ec2.DescribeVolumes, API.iam.GetRole, API.iam.ListAttachedRolePolicies, API.s3.GetBucketPolicy, API.s3.GetBucketAcl, API.rds.DescribeDBInstances, API.lambda.GetFunction], 20, false],
    ['AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com', [API.ec2.RunInstances, API.ec2.CreateTags, API.ec2.TerminateInstances, API.ec2.DescribeInstances], 0, false],
    ['AWSServiceRoleForECS', 'ecs.amazonaws.com', [API.elasticloadbalancing.RegisterTargets, API.elasticloadbalancing.DeregisterTargets, API.elasticloadbalancing.DescribeTargetHealth, API.ec2.DescribeNetworkInterfaces], 0, false],
    ['cfn-exec-platform', 'cloudformation.amazonaws.com', [API.ecs.RegisterTaskDefinition, API.ecs.UpdateService, API.lambda.UpdateFunctionCode, API.iam.GetRole, API.ec2.DescribeSecurityGroups, API.ec2.AuthorizeSecurityGroupIngress], 0, true],
  ];
  for (const [name, service, ops, every, onlyOnDeploys] of services) assumedRole(name, 'aws-service', { kind: 'aws-service', service, ops, everyMinutes: every, onlyOnDeploys });

  iamUser('breakglass-admin', 'break-glass', { kind: 'break-glass', network: shape.breakGlassNetwork });

  const ciCount = Math.max(3, Math.round(targetPrincipals * 0.05));
  assumedRole('gha-deploy-prod', 'ci', { kind: 'ci-deploy' });
  assumedRole('gha-terraform-plan', 'ci', { kind: 'ci-plan' });
  for (const repo of shape.repos.slice(0, ciCount - 2)) assumedRole(`gha-build-${repo}`, 'ci', { kind: 'ci-build' });

  const machineCount = Math.min(shape.machines.length, Math.max(5, Math.round(targetPrincipals * 0.07)));
  for (const m of shape.machines.slice(0, machineCount)) iamUser(m.name, 'machine-user', { kind: 'machine', job: m.job, network: m.network, tool: m.tool });

  // Late arrivals: a contractor's IAM user on the last training Friday, a new CI role in the scored week.
  const contractorDice = dice.for('contractor');
  let lastFriday = w.testStart - DAY;
  while (new Date(lastFriday).getUTCDay() !== 5) lastFriday -= DAY;
  const contractorLogin = `ext-${contractorDice.one(['jvanrijn', 'mkowal', 'asharma', 'tobrien', 'lmendes', 'dpark'])}`;
  const contractor = externalPerson(ORGANISATIONS[orgName], contractorLogin, shape.contractorNetwork, lastFriday, contractorDice);
  iamUser(contractorLogin, 'iam-person', { kind: 'people', members: [contractor], tasks: [['inspectService', 3], ['readLogs', 3], ['browseBuckets', 1]], tools: [['aws-cli', 3], ['console', 2]], tasksPerHour: 0.25 }, { createdOn: lastFriday });
  let newRoleDay = w.testStart + 2 * DAY;
  while (isWeekend(newRoleDay)) newRoleDay += DAY;
  assumedRole(`gha-build-${shape.repos[shape.repos.length - 1]}-v2`, 'ci', { kind: 'ci-build' }, shape.account, { createdOn: newRoleDay });

  // Workloads fill the rest.
  const workloadCount = Math.max(4, targetPrincipals - principals.length);
  for (const name of shape.workloads.slice(0, workloadCount)) {
    const d = dice.for('workload', name);
    const pattern = patternOf(name);
    const tool = pattern === 'timer' ? 'boto3-lambda' : pattern === 'nightly' ? 'boto3' : d.one(['sdk-java', 'sdk-js', 'sdk-go'] as const);
    const callsPerDay = pattern === 'api' ? d.between(15, 60) : pattern === 'queue' ? d.between(10, 40) : pattern === 'nightly' ? d.between(20, 70) : 0;
    const account = d.chance(0.3) ? shape.dataAccount : shape.account;
    assumedRole(`${name}-role`, 'workload', { kind: 'workload', pattern, ops: WORKLOAD_OPS[pattern], callsPerDay, tool, everyMinutes: d.one([60, 120, 180, 240]) }, account);
  }
  const releaseDays: number[] = [];
  for (let day = w.testStart + shape.releaseDay * DAY; day >= w.start; day -= 14 * DAY) releaseDays.unshift(day);
  return {
    principals,
    homeRegion: shape.homeRegion,
    regionNetwork: shape.regionNetwork,
    releaseDays,
    migrationDays: releaseDays.filter((day) => ((w.testStart + shape.releaseDay * DAY - day) / DAY) % 28 === 0),
    strangerAccounts: ['209384756102', '731956284017', '508213974660'],
  };
}
