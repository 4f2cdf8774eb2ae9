/**
 * What CloudTrail talks about: AWS regions (and where their addresses geolocate), service
 * endpoints, the API calls console pages and CLI commands make, and the user agents of SDKs,
 * the CLI, Terraform and AWS services, with versions that move when software is upgraded.
 */
import type { DstRule } from './time';

export interface RegionInfo {
  code: string;
  city: string;
  tz: number;
  dst: DstRule;
}

export const REGIONS: Record<string, RegionInfo> = {
  'us-east-1': { code: 'us-east-1', city: 'Ashburn', tz: -5, dst: 'us' },
  'us-east-2': { code: 'us-east-2', city: 'Chicago', tz: -5, dst: 'us' },
  'us-west-1': { code: 'us-west-1', city: 'San Jose', tz: -8, dst: 'us' },
  'us-west-2': { code: 'us-west-2', city: 'Boardman', tz: -8, dst: 'us' },
  'ca-central-1': { code: 'ca-central-1', city: 'Montreal', tz: -5, dst: 'us' },
  'sa-east-1': { code: 'sa-east-1', city: 'São Paulo', tz: -3, dst: 'none' },
  'eu-west-1': { code: 'eu-west-1', city: 'Dublin', tz: 0, dst: 'eu' },
  'eu-west-2': { code: 'eu-west-2', city: 'London', tz: 0, dst: 'eu' },
  'eu-west-3': { code: 'eu-west-3', city: 'Paris', tz: 1, dst: 'eu' },
  'eu-central-1': { code: 'eu-central-1', city: 'Frankfurt am Main', tz: 1, dst: 'eu' },
  'eu-north-1': { code: 'eu-north-1', city: 'Stockholm', tz: 1, dst: 'eu' },
  'ap-south-1': { code: 'ap-south-1', city: 'Mumbai', tz: 5.5, dst: 'none' },
  'ap-southeast-1': { code: 'ap-southeast-1', city: 'Singapore', tz: 8, dst: 'none' },
  'ap-southeast-2': { code: 'ap-southeast-2', city: 'Sydney', tz: 10, dst: 'au' },
  'ap-southeast-3': { code: 'ap-southeast-3', city: 'Jakarta', tz: 7, dst: 'none' },
  'ap-northeast-1': { code: 'ap-northeast-1', city: 'Tokyo', tz: 9, dst: 'none' },
  'ap-northeast-2': { code: 'ap-northeast-2', city: 'Seoul', tz: 9, dst: 'none' },
  'ap-northeast-3': { code: 'ap-northeast-3', city: 'Osaka', tz: 9, dst: 'none' },
  'ap-east-1': { code: 'ap-east-1', city: 'Hong Kong', tz: 8, dst: 'none' },
  'me-central-1': { code: 'me-central-1', city: 'Dubai', tz: 4, dst: 'none' },
  'af-south-1': { code: 'af-south-1', city: 'Johannesburg', tz: 2, dst: 'none' },
};

export const ALL_REGIONS = Object.keys(REGIONS);

/** Service short name → event.provider. */
export const PROVIDER: Record<string, string> = {
  iam: 'iam.amazonaws.com',
  sts: 'sts.amazonaws.com',
  s3: 's3.amazonaws.com',
  ec2: 'ec2.amazonaws.com',
  lambda: 'lambda.amazonaws.com',
  kms: 'kms.amazonaws.com',
  secretsmanager: 'secretsmanager.amazonaws.com',
  ssm: 'ssm.amazonaws.com',
  logs: 'logs.amazonaws.com',
  monitoring: 'monitoring.amazonaws.com',
  dynamodb: 'dynamodb.amazonaws.com',
  ecr: 'ecr.amazonaws.com',
  ecs: 'ecs.amazonaws.com',
  eks: 'eks.amazonaws.com',
  cloudformation: 'cloudformation.amazonaws.com',
  autoscaling: 'autoscaling.amazonaws.com',
  elb: 'elasticloadbalancing.amazonaws.com',
  rds: 'rds.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
  signin: 'signin.amazonaws.com',
  sso: 'sso.amazonaws.com',
  servicequotas: 'servicequotas.amazonaws.com',
  guardduty: 'guardduty.amazonaws.com',
  tagging: 'tagging.amazonaws.com',
  organizations: 'organizations.amazonaws.com',
  config: 'config.amazonaws.com',
  health: 'health.amazonaws.com',
  sqs: 'sqs.amazonaws.com',
  sns: 'sns.amazonaws.com',
  route53: 'route53.amazonaws.com',
  backup: 'backup.amazonaws.com',
  athena: 'athena.amazonaws.com',
  glue: 'glue.amazonaws.com',
};

/** Services whose events land in us-east-1 whatever the caller's region. */
export const GLOBAL_SERVICES = new Set(['iam', 'organizations', 'route53', 'health', 'signin']);

/** Data events (S3 object-level, Lambda Invoke, DynamoDB items) as opposed to management events. */
export const DATA_EVENTS = new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:HeadObject', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'lambda:Invoke']);

export function isReadOnly(action: string): boolean {
  return /^(Get|List|Describe|Head|Lookup|Filter|Search|Query|BatchGet|Decrypt|GenerateDataKey|Scan|Select|View)/.test(action);
}

export type Call = [string, string];

/** API calls a console page makes when opened (a burst within seconds). */
export const CONSOLE_PAGES: Record<string, Call[]> = {
  ec2: [['ec2', 'DescribeInstances'], ['ec2', 'DescribeInstanceStatus'], ['ec2', 'DescribeTags'], ['ec2', 'DescribeSecurityGroups'], ['ec2', 'DescribeVpcs'], ['ec2', 'DescribeSubnets'], ['ec2', 'DescribeAddresses'], ['ec2', 'DescribeVolumes']],
  s3: [['s3', 'ListBuckets'], ['s3', 'GetBucketLocation'], ['s3', 'GetBucketPolicyStatus'], ['s3', 'GetBucketAcl'], ['s3', 'GetBucketVersioning'], ['s3', 'GetBucketEncryption'], ['s3', 'ListObjects']],
  lambda: [['lambda', 'ListFunctions20150331'], ['lambda', 'GetFunction20150331v2'], ['lambda', 'GetFunctionConfiguration20150331v2'], ['lambda', 'ListEventSourceMappings20150331'], ['lambda', 'GetPolicy20150331v2']],
  cloudwatch: [['monitoring', 'DescribeAlarms'], ['monitoring', 'GetMetricData'], ['monitoring', 'ListMetrics'], ['logs', 'DescribeLogGroups'], ['logs', 'DescribeLogStreams'], ['logs', 'FilterLogEvents']],
  iam: [['iam', 'ListRoles'], ['iam', 'GetRole'], ['iam', 'ListAttachedRolePolicies'], ['iam', 'ListRolePolicies'], ['iam', 'GetAccountSummary'], ['iam', 'ListPolicies']],
  rds: [['rds', 'DescribeDBInstances'], ['rds', 'DescribeDBClusters'], ['rds', 'DescribeDBSnapshots'], ['rds', 'DescribeEvents']],
  ecs: [['ecs', 'ListClusters'], ['ecs', 'DescribeClusters'], ['ecs', 'ListServices'], ['ecs', 'DescribeServices'], ['ecs', 'ListTasks'], ['ecs', 'DescribeTasks']],
  cloudformation: [['cloudformation', 'DescribeStacks'], ['cloudformation', 'ListStacks'], ['cloudformation', 'DescribeStackEvents'], ['cloudformation', 'GetTemplateSummary']],
  dynamodb: [['dynamodb', 'ListTables'], ['dynamodb', 'DescribeTable'], ['dynamodb', 'DescribeContinuousBackups']],
  secretsmanager: [['secretsmanager', 'ListSecrets'], ['secretsmanager', 'DescribeSecret']],
  eks: [['eks', 'ListClusters'], ['eks', 'DescribeCluster'], ['eks', 'ListNodegroups']],
  athena: [['athena', 'ListWorkGroups'], ['athena', 'ListQueryExecutions'], ['athena', 'GetQueryExecution'], ['glue', 'GetDatabases'], ['glue', 'GetTables']],
};

export const CONSOLE_WRITES: Call[] = [
  ['ec2', 'StartInstances'],
  ['ec2', 'StopInstances'],
  ['ec2', 'CreateTags'],
  ['s3', 'PutObject'],
  ['lambda', 'UpdateFunctionConfiguration20150331v2'],
  ['ecs', 'UpdateService'],
  ['monitoring', 'PutMetricAlarm'],
  ['cloudformation', 'UpdateStack'],
  ['athena', 'StartQueryExecution'],
];

/** AWS CLI commands (the `md/command#` in the user agent) and the calls each makes. */
export const CLI_COMMANDS: [string, Call[], number][] = [
  ['s3.ls', [['s3', 'ListBuckets']], 3],
  ['s3.ls', [['s3', 'ListObjects']], 4],
  ['s3.cp', [['s3', 'PutObject']], 2],
  ['s3.cp', [['s3', 'GetObject']], 2],
  ['ec2.describe-instances', [['ec2', 'DescribeInstances']], 3],
  ['sts.get-caller-identity', [['sts', 'GetCallerIdentity']], 3],
  ['logs.tail', [['logs', 'DescribeLogGroups'], ['logs', 'FilterLogEvents'], ['logs', 'FilterLogEvents']], 2],
  ['eks.update-kubeconfig', [['eks', 'DescribeCluster']], 1],
  ['ecr.get-login-password', [['ecr', 'GetAuthorizationToken']], 2],
  ['ssm.start-session', [['ssm', 'StartSession']], 1],
  ['secretsmanager.get-secret-value', [['secretsmanager', 'GetSecretValue']], 1],
  ['cloudformation.deploy', [['cloudformation', 'DescribeStacks'], ['cloudformation', 'CreateChangeSet'], ['cloudformation', 'DescribeChangeSet'], ['cloudformation', 'ExecuteChangeSet'], ['cloudformation', 'DescribeStackEvents']], 0.5],
  ['lambda.update-function-code', [['lambda', 'UpdateFunctionCode20150331v2']], 0.5],
  ['dynamodb.describe-table', [['dynamodb', 'DescribeTable']], 1],
  ['rds.describe-db-instances', [['rds', 'DescribeDBInstances']], 1],
  ['iam.list-roles', [['iam', 'ListRoles']], 0.5],
];

const SDK_BASE = Date.UTC(2026, 0, 1);

function weeks(t: number): number {
  return Math.max(0, Math.floor((t - SDK_BASE) / (7 * 86_400_000)));
}

/** Version of a fast-moving SDK (patch bumps weekly) as of time t minus lag days. */
export function sdkVersion(kind: 'boto3' | 'jsv3' | 'java2' | 'go2' | 'cli2', t: number, lagDays: number): string {
  const w = weeks(t - lagDays * 86_400_000);
  switch (kind) {
    case 'boto3':
      return `1.${40 + Math.floor(w / 10)}.${(w * 3) % 50}`;
    case 'jsv3':
      return `3.${880 + w * 7}.0`;
    case 'java2':
      return `2.${31 + Math.floor(w / 4)}.${(w * 5) % 60}`;
    case 'go2':
      return `1.${36 + Math.floor(w / 6)}.${w % 12}`;
    default:
      return `2.${27 + Math.floor(w / 3)}.${w % 20}`;
  }
}

export function botoUa(version: string, env: string, kernel = '5.10.240-238.955.amzn2.x86_64', py = '3.12.11'): string {
  return `Boto3/${version} md/Botocore#${version} ua/2.0 os/linux#${kernel} md/arch#x86_64 lang/python#${py} md/pyimpl#CPython${env ? ` exec-env/${env}` : ''} cfg/retry-mode#legacy Botocore/${version}`;
}

export function jsUa(version: string, env: string, api: string): string {
  return `aws-sdk-js/${version} ua/2.1 os/linux#5.10.240-238.955.amzn2.x86_64 lang/js md/nodejs#20.19.2 api/${api}#${version}${env ? ` exec-env/${env}` : ''} m/E,N`;
}

export function javaUa(version: string, env: string): string {
  return `aws-sdk-java/${version} ua/2.1 os/Linux#5.10.240-238.955.amzn2.x86_64 lang/java#17.0.16 md/OpenJDK_64-Bit_Server_VM#17.0.16+8-LTS md/vendor#Amazon.com_Inc. md/en_US${env ? ` exec-env/${env}` : ''} m/D,N cfg/retry-mode#legacy`;
}

export function goUa(version: string, extra: string): string {
  return `aws-sdk-go-v2/${version} ua/2.1 os/linux lang/go#1.24.6 md/GOOS#linux md/GOARCH#amd64 ${extra}`.trim();
}

export function cliUa(version: string, os: string, command: string, arch = 'x86_64'): string {
  return `aws-cli/${version} md/awscrt#0.27.6 ua/2.1 os/${os} md/arch#${arch} lang/python#3.13.7 md/pyimpl#CPython m/E cfg/retry-mode#standard md/installer#exe md/prompt#off md/command#${command}`;
}

export function terraformUa(t: number, lagDays: number): string {
  const w = weeks(t - lagDays * 86_400_000);
  const provider = `6.${8 + Math.floor(w / 2)}.0`;
  return `APN/1.0 HashiCorp/1.0 Terraform/1.13.${Math.floor(w / 6)} (+https://www.terraform.io) terraform-provider-aws/${provider} (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.${36 + Math.floor(w / 6)}.0 ua/2.1 os/linux lang/go#1.24.6 md/GOOS#linux md/GOARCH#amd64`;
}

/** ECS user_agent.* as Elastic's user_agent processor gives it for SDK/CLI strings. */
export function parseToolUa(ua: string): Record<string, unknown> {
  const m = /^([A-Za-z][\w.-]*)\/(\d[\w.]*)/.exec(ua);
  if (m) return { device: { name: 'Other' }, name: m[1], original: ua, version: m[2] };
  return { device: { name: 'Other' }, name: 'Other', original: ua };
}
