/**
 * What AWS work looks like in CloudTrail: the API calls (event source and name, read-only or
 * not, management or data event), the *tasks* people and programs do with them (looking into a
 * service, a Terraform plan, an Athena query), and the tools whose user agents sign the calls.
 * Tool versions move: the CLI and SDKs ship new versions during the scored week.
 */
import { DAY } from './calendar';
import type { Dice } from './dice';

export interface Op {
  provider: string;
  action: string;
  readOnly: boolean;
  data: boolean;
  /** The error this call fails with now and then in ordinary use, and how often. */
  error?: readonly [string, number];
}

const op = (service: string, action: string, readOnly: boolean, opts: { data?: boolean; error?: readonly [string, number] } = {}): Op => ({
  provider: `${service}.amazonaws.com`,
  action,
  readOnly,
  data: opts.data ?? false,
  error: opts.error,
});

/** The calls, by service, as CloudTrail names them. */
export const API = {
  s3: {
    ListBuckets: op('s3', 'ListBuckets', true),
    GetBucketLocation: op('s3', 'GetBucketLocation', true),
    GetBucketPolicy: op('s3', 'GetBucketPolicy', true, { error: ['NoSuchBucketPolicy', 0.3] }),
    GetBucketAcl: op('s3', 'GetBucketAcl', true),
    GetBucketVersioning: op('s3', 'GetBucketVersioning', true),
    PutBucketPolicy: op('s3', 'PutBucketPolicy', false),
    PutBucketAcl: op('s3', 'PutBucketAcl', false),
    PutBucketTagging: op('s3', 'PutBucketTagging', false),
    PutBucketVersioning: op('s3', 'PutBucketVersioning', false),
    PutBucketReplication: op('s3', 'PutBucketReplication', false),
    GetBucketReplication: op('s3', 'GetBucketReplication', true, { error: ['ReplicationConfigurationNotFoundError', 0.5] }),
    ListObjects: op('s3', 'ListObjects', true, { data: true }),
    GetObject: op('s3', 'GetObject', true, { data: true, error: ['NoSuchKey', 0.01] }),
    HeadObject: op('s3', 'HeadObject', true, { data: true }),
    SelectObjectContent: op('s3', 'SelectObjectContent', true, { data: true }),
    CopyObject: op('s3', 'CopyObject', false, { data: true }),
    PutObject: op('s3', 'PutObject', false, { data: true }),
    DeleteObject: op('s3', 'DeleteObject', false, { data: true }),
  },
  ec2: {
    DescribeInstances: op('ec2', 'DescribeInstances', true),
    DescribeSecurityGroups: op('ec2', 'DescribeSecurityGroups', true),
    DescribeVpcs: op('ec2', 'DescribeVpcs', true),
    DescribeSubnets: op('ec2', 'DescribeSubnets', true),
    DescribeVolumes: op('ec2', 'DescribeVolumes', true),
    DescribeSnapshots: op('ec2', 'DescribeSnapshots', true),
    DescribeImages: op('ec2', 'DescribeImages', true),
    DescribeNetworkInterfaces: op('ec2', 'DescribeNetworkInterfaces', true),
    DescribeRegions: op('ec2', 'DescribeRegions', true),
    RunInstances: op('ec2', 'RunInstances', false),
    TerminateInstances: op('ec2', 'TerminateInstances', false),
    StartInstances: op('ec2', 'StartInstances', false, { error: ['Client.UnauthorizedOperation', 0.05] }),
    StopInstances: op('ec2', 'StopInstances', false, { error: ['Client.UnauthorizedOperation', 0.05] }),
    CreateTags: op('ec2', 'CreateTags', false),
    AuthorizeSecurityGroupIngress: op('ec2', 'AuthorizeSecurityGroupIngress', false),
    CreateSnapshot: op('ec2', 'CreateSnapshot', false),
    CopySnapshot: op('ec2', 'CopySnapshot', false),
    DeleteSnapshot: op('ec2', 'DeleteSnapshot', false),
    ModifySnapshotAttribute: op('ec2', 'ModifySnapshotAttribute', false),
    CreateImage: op('ec2', 'CreateImage', false),
    ModifyImageAttribute: op('ec2', 'ModifyImageAttribute', false),
    ImportKeyPair: op('ec2', 'ImportKeyPair', false),
    GetPasswordData: op('ec2', 'GetPasswordData', true),
  },
  iam: {
    GetUser: op('iam', 'GetUser', true),
    ListUsers: op('iam', 'ListUsers', true),
    ListRoles: op('iam', 'ListRoles', true),
    GetRole: op('iam', 'GetRole', true, { error: ['NoSuchEntityException', 0.05] }),
    ListAttachedRolePolicies: op('iam', 'ListAttachedRolePolicies', true),
    GetPolicyVersion: op('iam', 'GetPolicyVersion', true),
    ListAccessKeys: op('iam', 'ListAccessKeys', true),
    GetAccountAuthorizationDetails: op('iam', 'GetAccountAuthorizationDetails', true),
    CreateRole: op('iam', 'CreateRole', false),
    AttachRolePolicy: op('iam', 'AttachRolePolicy', false),
    PutRolePolicy: op('iam', 'PutRolePolicy', false),
    TagRole: op('iam', 'TagRole', false),
    UpdateAssumeRolePolicy: op('iam', 'UpdateAssumeRolePolicy', false),
    CreateUser: op('iam', 'CreateUser', false),
    CreateAccessKey: op('iam', 'CreateAccessKey', false),
    UpdateAccessKey: op('iam', 'UpdateAccessKey', false),
    AttachUserPolicy: op('iam', 'AttachUserPolicy', false),
    CreateLoginProfile: op('iam', 'CreateLoginProfile', false),
    UpdateLoginProfile: op('iam', 'UpdateLoginProfile', false),
    GetLoginProfile: op('iam', 'GetLoginProfile', true),
    PutUserPolicy: op('iam', 'PutUserPolicy', false),
    ListUserPolicies: op('iam', 'ListUserPolicies', true),
    ListAttachedUserPolicies: op('iam', 'ListAttachedUserPolicies', true),
  },
  sts: {
    GetCallerIdentity: op('sts', 'GetCallerIdentity', true),
    AssumeRole: op('sts', 'AssumeRole', true),
    GetFederationToken: op('sts', 'GetFederationToken', true),
  },
  kms: {
    Decrypt: op('kms', 'Decrypt', true),
    GenerateDataKey: op('kms', 'GenerateDataKey', true),
    DescribeKey: op('kms', 'DescribeKey', true),
  },
  secretsmanager: {
    GetSecretValue: op('secretsmanager', 'GetSecretValue', true),
    ListSecrets: op('secretsmanager', 'ListSecrets', true),
    DescribeSecret: op('secretsmanager', 'DescribeSecret', true),
  },
  ssm: {
    GetParameter: op('ssm', 'GetParameter', true, { error: ['ParameterNotFound', 0.03] }),
    GetParametersByPath: op('ssm', 'GetParametersByPath', true),
    StartSession: op('ssm', 'StartSession', false),
    TerminateSession: op('ssm', 'TerminateSession', false),
    DescribeInstanceInformation: op('ssm', 'DescribeInstanceInformation', true),
    SendCommand: op('ssm', 'SendCommand', false),
    GetCommandInvocation: op('ssm', 'GetCommandInvocation', true),
    ListCommandInvocations: op('ssm', 'ListCommandInvocations', true),
  },
  ecs: {
    ListClusters: op('ecs', 'ListClusters', true),
    DescribeServices: op('ecs', 'DescribeServices', true),
    ListTasks: op('ecs', 'ListTasks', true),
    DescribeTasks: op('ecs', 'DescribeTasks', true),
    RegisterTaskDefinition: op('ecs', 'RegisterTaskDefinition', false),
    UpdateService: op('ecs', 'UpdateService', false),
  },
  ecr: {
    GetAuthorizationToken: op('ecr', 'GetAuthorizationToken', true),
    BatchCheckLayerAvailability: op('ecr', 'BatchCheckLayerAvailability', true),
    InitiateLayerUpload: op('ecr', 'InitiateLayerUpload', false),
    CompleteLayerUpload: op('ecr', 'CompleteLayerUpload', false),
    PutImage: op('ecr', 'PutImage', false),
  },
  lambda: {
    ListFunctions: op('lambda', 'ListFunctions20150331', true),
    GetFunction: op('lambda', 'GetFunction20150331v2', true),
    UpdateFunctionCode: op('lambda', 'UpdateFunctionCode20150331v2', false),
    PublishVersion: op('lambda', 'PublishVersion20150331', false),
    CreateFunction: op('lambda', 'CreateFunction20150331', false),
    CreateFunctionUrlConfig: op('lambda', 'CreateFunctionUrlConfig20211031', false),
    AddPermission: op('lambda', 'AddPermission20150331v2', false),
    GetPolicy: op('lambda', 'GetPolicy20150331v2', true),
  },
  cloudformation: {
    DescribeStacks: op('cloudformation', 'DescribeStacks', true),
    DescribeStackEvents: op('cloudformation', 'DescribeStackEvents', true),
    CreateChangeSet: op('cloudformation', 'CreateChangeSet', false),
    DescribeChangeSet: op('cloudformation', 'DescribeChangeSet', true),
    ExecuteChangeSet: op('cloudformation', 'ExecuteChangeSet', false),
  },
  logs: {
    DescribeLogGroups: op('logs', 'DescribeLogGroups', true),
    FilterLogEvents: op('logs', 'FilterLogEvents', true),
    StartQuery: op('logs', 'StartQuery', true),
    GetQueryResults: op('logs', 'GetQueryResults', true),
  },
  monitoring: {
    GetMetricData: op('monitoring', 'GetMetricData', true),
    DescribeAlarms: op('monitoring', 'DescribeAlarms', true),
  },
  dynamodb: {
    DescribeTable: op('dynamodb', 'DescribeTable', true),
    Query: op('dynamodb', 'Query', true, { data: true }),
    GetItem: op('dynamodb', 'GetItem', true, { data: true }),
    PutItem: op('dynamodb', 'PutItem', false, { data: true, error: ['ConditionalCheckFailedException', 0.02] }),
    Scan: op('dynamodb', 'Scan', true, { data: true }),
  },
  sqs: {
    SendMessage: op('sqs', 'SendMessage', false, { data: true }),
    ReceiveMessage: op('sqs', 'ReceiveMessage', true, { data: true }),
    DeleteMessage: op('sqs', 'DeleteMessage', false, { data: true }),
  },
  athena: {
    StartQueryExecution: op('athena', 'StartQueryExecution', false),
    GetQueryExecution: op('athena', 'GetQueryExecution', true),
    GetQueryResults: op('athena', 'GetQueryResults', true),
  },
  glue: {
    GetTable: op('glue', 'GetTable', true),
    GetPartitions: op('glue', 'GetPartitions', true),
    StartJobRun: op('glue', 'StartJobRun', false),
    GetJobRun: op('glue', 'GetJobRun', true),
  },
  batch: {
    SubmitJob: op('batch', 'SubmitJob', false),
    DescribeJobs: op('batch', 'DescribeJobs', true),
  },
  omics: {
    StartRun: op('omics', 'StartRun', false),
    GetRun: op('omics', 'GetRun', true),
    ListRuns: op('omics', 'ListRuns', true),
  },
  sagemaker: {
    CreatePresignedNotebookInstanceUrl: op('sagemaker', 'CreatePresignedNotebookInstanceUrl', false),
    DescribeNotebookInstance: op('sagemaker', 'DescribeNotebookInstance', true),
  },
  rds: {
    DescribeDBInstances: op('rds', 'DescribeDBInstances', true),
    CreateDBSnapshot: op('rds', 'CreateDBSnapshot', false),
    DescribeDBSnapshots: op('rds', 'DescribeDBSnapshots', true),
    ModifyDBSnapshotAttribute: op('rds', 'ModifyDBSnapshotAttribute', false),
  },
  elasticloadbalancing: {
    RegisterTargets: op('elasticloadbalancing', 'RegisterTargets', false),
    DeregisterTargets: op('elasticloadbalancing', 'DeregisterTargets', false),
    DescribeTargetHealth: op('elasticloadbalancing', 'DescribeTargetHealth', true),
  },
  ce: { GetCostAndUsage: op('ce', 'GetCostAndUsage', true) },
  guardduty: { ListFindings: op('guardduty', 'ListFindings', true), GetFindings: op('guardduty', 'GetFindings', true) },
  cloudtrail: { LookupEvents: op('cloudtrail', 'LookupEvents', true) },
  tagging: { GetResources: op('tagging', 'GetResources', true) },
  config: { DescribeConfigurationRecorderStatus: op('config', 'DescribeConfigurationRecorderStatus', true) },
  q: { StartConversation: op('q', 'StartConversation', false), SendMessage: op('q', 'SendMessage', false) },
  signin: { ConsoleLogin: op('signin', 'ConsoleLogin', false), GetSigninToken: op('signin', 'GetSigninToken', false) },
  ebs: { ListSnapshotBlocks: op('ebs', 'ListSnapshotBlocks', true, { data: true }), GetSnapshotBlock: op('ebs', 'GetSnapshotBlock', true, { data: true }) },
  backup: {
    ListBackupVaults: op('backup', 'ListBackupVaults', true),
    ListRecoveryPointsByBackupVault: op('backup', 'ListRecoveryPointsByBackupVault', true),
    StartCopyJob: op('backup', 'StartCopyJob', false),
    DescribeCopyJob: op('backup', 'DescribeCopyJob', true),
  },
  ses: { GetSendQuota: op('ses', 'GetSendQuota', true), ListIdentities: op('ses', 'ListIdentities', true) },
  servicequotas: { GetServiceQuota: op('servicequotas', 'GetServiceQuota', true) },
  // Set 7's tooling (aws_tooling5.ts).
  bedrock: {
    ListFoundationModels: op('bedrock', 'ListFoundationModels', true),
    GetModelInvocationLoggingConfiguration: op('bedrock', 'GetModelInvocationLoggingConfiguration', true),
    GetFoundationModelAvailability: op('bedrock', 'GetFoundationModelAvailability', true),
    ListFoundationModelAgreementOffers: op('bedrock', 'ListFoundationModelAgreementOffers', true),
    PutUseCaseForModelAccess: op('bedrock', 'PutUseCaseForModelAccess', false),
    CreateFoundationModelAgreement: op('bedrock', 'CreateFoundationModelAgreement', false),
    InvokeModel: op('bedrock', 'InvokeModel', true),
  },
  rolesanywhere: {
    ListTrustAnchors: op('rolesanywhere', 'ListTrustAnchors', true),
    CreateTrustAnchor: op('rolesanywhere', 'CreateTrustAnchor', false),
    CreateProfile: op('rolesanywhere', 'CreateProfile', false),
    CreateSession: op('rolesanywhere', 'CreateSession', false),
  },
  secretsmanagerBatch: { BatchGetSecretValue: op('secretsmanager', 'BatchGetSecretValue', true) },
} as const;

/** One step of a task: a call repeated between lo and hi times. */
export type Step = readonly [Op, number, number];

/** What people and programs do, as sequences of calls. */
export const TASKS = {
  inspectService: [[API.ecs.ListClusters, 0, 1], [API.ecs.DescribeServices, 1, 4], [API.ecs.ListTasks, 0, 2], [API.ecs.DescribeTasks, 0, 2], [API.logs.FilterLogEvents, 1, 5], [API.monitoring.GetMetricData, 0, 3]],
  readLogs: [[API.logs.DescribeLogGroups, 1, 1], [API.logs.FilterLogEvents, 2, 7], [API.logs.StartQuery, 0, 2], [API.logs.GetQueryResults, 0, 4]],
  browseBuckets: [[API.s3.ListBuckets, 1, 1], [API.s3.GetBucketLocation, 0, 2], [API.s3.ListObjects, 1, 5], [API.s3.GetObject, 0, 4]],
  ec2Ops: [[API.ec2.DescribeInstances, 1, 3], [API.ec2.DescribeSecurityGroups, 0, 2], [API.ec2.DescribeVolumes, 0, 1], [API.ec2.StartInstances, 0, 1], [API.ec2.StopInstances, 0, 1], [API.ec2.CreateTags, 0, 1]],
  iamReview: [[API.iam.ListRoles, 1, 1], [API.iam.GetRole, 1, 4], [API.iam.ListAttachedRolePolicies, 1, 3], [API.iam.GetPolicyVersion, 0, 2]],
  iamAdmin: [[API.iam.GetRole, 1, 2], [API.iam.CreateRole, 0, 1], [API.iam.AttachRolePolicy, 0, 2], [API.iam.PutRolePolicy, 0, 1], [API.iam.TagRole, 0, 1], [API.iam.ListAccessKeys, 0, 1]],
  secrets: [[API.secretsmanager.ListSecrets, 0, 1], [API.secretsmanager.DescribeSecret, 0, 1], [API.secretsmanager.GetSecretValue, 1, 2]],
  params: [[API.ssm.GetParameter, 1, 3], [API.ssm.GetParametersByPath, 0, 1]],
  shell: [[API.ec2.DescribeInstances, 1, 1], [API.ssm.StartSession, 1, 1], [API.ssm.TerminateSession, 0, 1]],
  terraformPlan: [[API.sts.GetCallerIdentity, 1, 1], [API.ec2.DescribeVpcs, 1, 2], [API.ec2.DescribeSubnets, 1, 3], [API.ec2.DescribeSecurityGroups, 2, 6], [API.iam.GetRole, 2, 8], [API.iam.ListAttachedRolePolicies, 1, 4], [API.s3.GetBucketPolicy, 1, 4], [API.s3.GetBucketAcl, 1, 3], [API.s3.GetBucketVersioning, 1, 3], [API.ecs.DescribeServices, 0, 3], [API.lambda.GetFunction, 0, 4]],
  terraformApply: [[API.sts.GetCallerIdentity, 1, 1], [API.ec2.DescribeSecurityGroups, 1, 4], [API.iam.GetRole, 1, 4], [API.s3.GetBucketPolicy, 1, 2], [API.ec2.CreateTags, 0, 3], [API.ec2.AuthorizeSecurityGroupIngress, 0, 1], [API.s3.PutBucketTagging, 0, 1], [API.s3.PutBucketPolicy, 0, 1], [API.iam.AttachRolePolicy, 0, 1]],
  athenaQuery: [[API.glue.GetTable, 1, 2], [API.athena.StartQueryExecution, 1, 1], [API.athena.GetQueryExecution, 2, 6], [API.athena.GetQueryResults, 1, 2], [API.s3.GetObject, 0, 2]],
  dynamoDebug: [[API.dynamodb.DescribeTable, 1, 1], [API.dynamodb.Query, 1, 5], [API.dynamodb.GetItem, 0, 3]],
  costReview: [[API.ce.GetCostAndUsage, 2, 8]],
  securityReview: [[API.guardduty.ListFindings, 1, 2], [API.guardduty.GetFindings, 1, 3], [API.cloudtrail.LookupEvents, 2, 8]],
  pipelineRun: [[API.omics.ListRuns, 0, 1], [API.omics.StartRun, 0, 1], [API.omics.GetRun, 1, 4], [API.batch.SubmitJob, 0, 2], [API.batch.DescribeJobs, 1, 4], [API.s3.ListObjects, 1, 3], [API.s3.GetObject, 1, 6]],
  notebook: [[API.sagemaker.DescribeNotebookInstance, 1, 1], [API.sagemaker.CreatePresignedNotebookInstanceUrl, 1, 1], [API.s3.ListObjects, 0, 2], [API.s3.GetObject, 1, 8]],
  snapshots: [[API.ec2.DescribeVolumes, 1, 2], [API.ec2.DescribeSnapshots, 1, 3], [API.ec2.CreateSnapshot, 0, 1]],
  etlJob: [[API.glue.GetTable, 1, 2], [API.glue.GetPartitions, 0, 3], [API.glue.StartJobRun, 1, 1], [API.glue.GetJobRun, 2, 6], [API.s3.ListObjects, 0, 2]],
} as const satisfies Record<string, readonly Step[]>;

export type TaskName = keyof typeof TASKS;

/** The calls one performance of a task makes, in order. */
export function perform(task: TaskName, d: Dice): Op[] {
  const out: Op[] = [];
  for (const [o, lo, hi] of TASKS[task]) {
    const n = d.between(lo, hi);
    for (let k = 0; k < n; k++) out.push(o);
  }
  return out;
}

export type ToolName = 'console' | 'aws-cli' | 'terraform' | 'boto3' | 'boto3-lambda' | 'sdk-java' | 'sdk-js' | 'sdk-go' | 'sdk-dotnet' | 'docker' | 'vendor-go';

/** Tool versions: one at the window start, and the number of days before the next one ships. */
const VERSIONS: Record<Exclude<ToolName, 'console'>, { at: readonly [number, number, number]; every: number }> = {
  'aws-cli': { at: [2, 27, 41], every: 9 },
  terraform: { at: [1, 10, 3], every: 14 },
  boto3: { at: [1, 37, 12], every: 8 },
  'boto3-lambda': { at: [1, 36, 3], every: 30 },
  'sdk-java': { at: [2, 31, 20], every: 7 },
  'sdk-js': { at: [3, 787, 0], every: 6 },
  'sdk-go': { at: [1, 36, 3], every: 10 },
  'sdk-dotnet': { at: [3, 7, 405], every: 20 },
  docker: { at: [27, 5, 1], every: 25 },
  'vendor-go': { at: [1, 55, 6], every: 40 },
};

/** A tool's version on an instant: patch releases at its cadence, shifted per installation. */
export function versionOf(tool: Exclude<ToolName, 'console'>, windowStart: number, t: number, lag: number): string {
  const v = VERSIONS[tool];
  const releases = Math.max(0, Math.floor(((t - windowStart) / DAY - lag) / v.every));
  return `${v.at[0]}.${v.at[1]}.${v.at[2] + releases}`;
}

/** Whether a version bump reached this installation during the scored week. */
export function bumpedIn(tool: Exclude<ToolName, 'console'>, windowStart: number, testStart: number, t: number, lag: number): boolean {
  return t >= testStart && versionOf(tool, windowStart, t, lag) !== versionOf(tool, windowStart, testStart - 1, lag);
}

export interface AgentContext {
  tool: Exclude<ToolName, 'console'>;
  version: string;
  /** The call, for agents that name it (the CLI names its command, SDKs the service). */
  op: Op;
  /** For CLI and SDKs on people's machines: the OS token. */
  os: 'linux' | 'macos' | 'windows' | 'lambda' | 'azure-runner';
  /** The CLI's own command when it is not the API call's (`s3.sync` makes many GetObject calls). */
  command?: string;
}

const service = (o: Op): string => o.provider.replace('.amazonaws.com', '');
const kebab = (s: string): string => s.replace(/\d{8}(v\d)?$/, '').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();

/** The User-Agent header a tool sends for a call. */
export function agentString(c: AgentContext): string {
  const osToken = { linux: 'os/linux#6.8.0-51-generic', macos: 'os/macos#24.3.0', windows: 'os/windows#10', lambda: 'os/linux#5.10.234-246.919.amzn2.x86_64', 'azure-runner': 'os/linux#6.8.0-1021-azure' }[c.os];
  switch (c.tool) {
    case 'aws-cli':
      return `aws-cli/${c.version} md/awscrt#0.23.8 ua/2.1 ${osToken} md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${c.command ?? `${service(c.op)}.${kebab(c.op.action)}`}`;
    case 'terraform':
      return `APN/1.0 HashiCorp/1.0 Terraform/${c.version} (+https://www.terraform.io) terraform-provider-aws/5.94.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.36.3 ua/2.1 os/linux lang/go#1.24.0 md/GOOS#linux md/GOARCH#amd64 api/${service(c.op)}#1.0.0`;
    case 'boto3':
      return `Boto3/${c.version} md/Botocore#${c.version} ua/2.1 ${osToken} md/arch#x86_64 lang/python#3.12.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/${c.version}`;
    case 'boto3-lambda':
      return `Boto3/${c.version} md/Botocore#${c.version} ua/2.0 ${osToken} md/arch#x86_64 lang/python#3.12.8 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/${c.version}`;
    case 'sdk-java':
      return `aws-sdk-java/${c.version} ua/2.1 os/Linux#5.10.234-225.910.amzn2.x86_64 lang/java#21.0.6 md/OpenJDK_64-Bit_Server_VM#21.0.6+7-LTS md/vendor#Amazon.com_Inc. md/en_US exec-env/AWS_ECS_FARGATE m/D,N`;
    case 'sdk-js':
      return `aws-sdk-js/${c.version} ua/2.1 os/linux#5.10.234-225.910.amzn2.x86_64 lang/js md/nodejs#22.14.0 api/${service(c.op)}#${c.version} exec-env/AWS_ECS_FARGATE m/E,N`;
    case 'sdk-go':
      return `aws-sdk-go-v2/${c.version} ua/2.1 os/linux lang/go#1.24.1 md/GOOS#linux md/GOARCH#amd64 api/${service(c.op)}#1.0.0 m/E`;
    case 'sdk-dotnet':
      return `aws-sdk-dotnet-coreclr/${c.version} ua/2.0 os/windows#10.0.20348.0 md/arch#x64 lang/.NET_Core#8.0.13 md/aws-sdk-dotnet-core#3.7.402.0 api/${service(c.op)}#3.7.0 cfg/retry-mode#legacy`;
    case 'docker':
      return `docker/${c.version} go/go1.22.10 git-commit/4c9b3b0 kernel/6.8.0-1021-azure os/linux arch/amd64 UpstreamClient(Docker-Client/${c.version} \\(linux\\))`;
    case 'vendor-go':
      return `aws-sdk-go/${c.version} (go1.23.6; linux; amd64) Datadog/AWS-Integration`;
  }
}
