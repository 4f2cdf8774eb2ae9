/**
 * The kinds of CloudTrail principals as data: how common each kind is, how busy, what its roles
 * and users are called, and the calls (with relative weights) each kind makes.
 */
import type { Call } from './cloudtrail_catalog';
import type { PKind } from './cloudtrail_types';

export const KIND_MIX: [PKind, number][] = [
  ['lambda', 0.17],
  ['ecs', 0.1],
  ['eks-node', 0.05],
  ['aws-service', 0.06],
  ['third-party', 0.05],
  ['ci', 0.07],
  ['terraform', 0.03],
  ['sso-role', 0.12],
  ['iam-human', 0.23],
  ['iam-svc', 0.12],
];

/** Relative volume of each kind (normalised so the mean matches eventsPerUserPerDay). */
export const KIND_VOLUME: Record<PKind, number> = {
  lambda: 2.2,
  ecs: 2.0,
  'eks-node': 1.4,
  'aws-service': 0.8,
  'third-party': 1.5,
  ci: 1.0,
  terraform: 1.6,
  'sso-role': 1.4,
  'iam-human': 0.35,
  'iam-svc': 0.6,
};

// ---- names ----------------------------------------------------------------------------------------

export const SSO_ROLES = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'DeveloperAccess', 'DataScientist', 'BillingAccess', 'SecurityAudit', 'SupportUser'];
export const LAMBDAS = ['orders-processor', 'thumbnail-generator', 'invoice-pdf-renderer', 'etl-nightly-export', 'slack-notifier', 'user-signup-handler', 'stripe-webhook', 'report-builder', 'cost-anomaly-notifier', 'image-moderation', 'search-reindex', 'audit-log-shipper'];
export const ECS = ['payments-api', 'checkout-service', 'search-indexer', 'notification-worker', 'catalog-api', 'ledger-service', 'recommendations', 'pricing-engine'];
export const AWS_SERVICES: [string, string][] = [
  ['AWSServiceRoleForConfig', 'config.amazonaws.com'],
  ['AWSServiceRoleForBackup', 'backup.amazonaws.com'],
  ['AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com'],
  ['AWSServiceRoleForAmazonSSM', 'ssm.amazonaws.com'],
  ['AWSServiceRoleForTrustedAdvisor', 'trustedadvisor.amazonaws.com'],
  ['AWSServiceRoleForAccessAnalyzer', 'access-analyzer.amazonaws.com'],
];
export const VENDORS = ['DatadogIntegrationRole', 'WizAccessRole', 'LaceworkSecurityAuditRole', 'SnykCloudReadOnly', 'VantaAuditorRole', 'CloudHealthRole'];
export const CI = ['github-actions-deploy', 'github-actions-terraform', 'gitlab-runner-deployer', 'circleci-deploy-role', 'buildkite-agent-role'];
export const TERRAFORM = ['terraform-ci', 'atlantis-bot', 'spacelift-runner'];
export const IAM_SVC = ['backup-uploader', 'legacy-etl', 'splunk-cloudtrail-reader', 'onprem-sync', 'jenkins-artifacts', 'mobile-app-uploader', 'sftp-gateway', 'tableau-s3-reader'];
export const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'wendy', 'yusuf', 'priya', 'kenji', 'lena', 'marco', 'sofia', 'tariq', 'mei', 'omar', 'ines', 'jonas'];
export const LAST = ['smith', 'nguyen', 'patel', 'garcia', 'kim', 'mueller', 'rossi', 'tanaka', 'okafor', 'silva', 'cohen', 'dubois', 'kowalski', 'andersson', 'obrien', 'reddy', 'chen', 'haddad', 'larsen', 'moreau'];
export const BUCKETS = ['prod-assets', 'customer-uploads', 'data-lake-raw', 'data-lake-curated', 'app-config', 'logs-archive', 'invoices', 'ml-training-data', 'backups-db', 'static-site'];

// ---- call mixes -----------------------------------------------------------------------------------

/** Lambda functions call a sample of these. */
export const LAMBDA_MIX: readonly [Call, number][] = [
  [['s3', 'GetObject'], 3],
  [['s3', 'PutObject'], 2],
  [['kms', 'Decrypt'], 2],
  [['secretsmanager', 'GetSecretValue'], 1],
  [['ssm', 'GetParameter'], 1],
  [['dynamodb', 'DescribeTable'], 0.5],
  [['sqs', 'SendMessage'], 1],
  [['sns', 'Publish'], 0.5],
  [['logs', 'CreateLogStream'], 0.6],
  [['kms', 'GenerateDataKey'], 1],
];

/** ECS tasks call a sample of these. */
export const ECS_MIX: readonly [Call, number][] = [
  [['s3', 'GetObject'], 3],
  [['s3', 'PutObject'], 2],
  [['kms', 'Decrypt'], 2],
  [['kms', 'GenerateDataKey'], 1.5],
  [['secretsmanager', 'GetSecretValue'], 0.5],
  [['sqs', 'ReceiveMessage'], 2],
  [['sqs', 'DeleteMessage'], 1.5],
  [['dynamodb', 'DescribeTable'], 0.3],
  [['sns', 'Publish'], 0.6],
];

export const EKS_NODE_CALLS: readonly [Call, number][] = [
  [['ec2', 'DescribeInstances'], 2],
  [['ec2', 'DescribeNetworkInterfaces'], 2],
  [['ec2', 'AssignPrivateIpAddresses'], 0.3],
  [['ecr', 'GetAuthorizationToken'], 1],
  [['autoscaling', 'DescribeAutoScalingGroups'], 0.5],
];
export const EKS_NODE_TICK: Call[] = [['ec2', 'DescribeInstances'], ['ec2', 'DescribeNetworkInterfaces'], ['ecr', 'GetAuthorizationToken']];

/** AWS Backup's service role snapshots nightly. */
export const BACKUP_CALLS: readonly [Call, number][] = [
  [['ec2', 'DescribeVolumes'], 2],
  [['ec2', 'CreateSnapshot'], 1],
  [['rds', 'CreateDBSnapshot'], 0.5],
  [['ec2', 'DescribeSnapshots'], 1],
  [['ec2', 'DeleteSnapshot'], 0.5],
];

/** Other AWS service roles (Config, Trusted Advisor, ...) poll descriptions. */
export const AWS_SERVICE_CALLS: readonly [Call, number][] = [
  [['ec2', 'DescribeInstances'], 1],
  [['ec2', 'DescribeSecurityGroups'], 1],
  [['iam', 'GetRole'], 1],
  [['iam', 'ListAttachedRolePolicies'], 1],
  [['s3', 'GetBucketPolicy'], 1],
  [['s3', 'GetBucketAcl'], 1],
  [['lambda', 'GetFunction20150331v2'], 0.5],
  [['kms', 'DescribeKey'], 0.5],
  [['autoscaling', 'DescribeAutoScalingGroups'], 0.5],
];
export const AWS_SERVICE_TICK: Call[] = [['ec2', 'DescribeInstances'], ['ec2', 'DescribeSecurityGroups'], ['iam', 'GetRole'], ['s3', 'GetBucketAcl']];

/** Security-audit vendors (Wiz, Lacework, Snyk, Vanta) read configuration broadly. */
export const AUDIT_CALLS: readonly [Call, number][] = [
  [['iam', 'GetAccountAuthorizationDetails'], 0.3],
  [['iam', 'ListRoles'], 1],
  [['iam', 'ListUsers'], 1],
  [['iam', 'ListPolicies'], 0.6],
  [['s3', 'ListBuckets'], 1],
  [['s3', 'GetBucketPolicy'], 2],
  [['s3', 'GetBucketEncryption'], 1],
  [['ec2', 'DescribeInstances'], 1.5],
  [['ec2', 'DescribeSecurityGroups'], 1.5],
  [['lambda', 'ListFunctions20150331'], 0.6],
  [['kms', 'ListKeys'], 0.5],
  [['cloudtrail', 'DescribeTrails'], 0.3],
  [['rds', 'DescribeDBInstances'], 0.5],
];
export const AUDIT_TICK: Call[] = [['iam', 'ListRoles'], ['s3', 'ListBuckets'], ['ec2', 'DescribeInstances'], ['ec2', 'DescribeSecurityGroups']];

/** Monitoring vendors (Datadog, CloudHealth) pull metrics. */
export const MONITORING_CALLS: readonly [Call, number][] = [
  [['monitoring', 'GetMetricData'], 4],
  [['monitoring', 'ListMetrics'], 1],
  [['tagging', 'GetResources'], 1],
  [['ec2', 'DescribeInstances'], 1],
  [['health', 'DescribeEvents'], 0.3],
  [['logs', 'DescribeLogGroups'], 0.4],
];
export const MONITORING_TICK: Call[] = [['monitoring', 'GetMetricData'], ['monitoring', 'GetMetricData'], ['tagging', 'GetResources']];

export const CI_CALLS: readonly [Call, number][] = [
  [['sts', 'GetCallerIdentity'], 1],
  [['ecr', 'GetAuthorizationToken'], 1],
  [['ecr', 'InitiateLayerUpload'], 2],
  [['ecr', 'CompleteLayerUpload'], 2],
  [['ecr', 'PutImage'], 1],
  [['ecs', 'RegisterTaskDefinition'], 1],
  [['ecs', 'UpdateService'], 1],
  [['ecs', 'DescribeServices'], 4],
  [['s3', 'PutObject'], 3],
  [['cloudformation', 'DescribeStacks'], 2],
  [['lambda', 'UpdateFunctionCode20150331v2'], 0.5],
];

/** Terraform reads everything the console shows, plus these. */
export const TERRAFORM_EXTRA_CALLS: [Call, number][] = [
  [['iam', 'GetRole'], 3],
  [['iam', 'GetPolicy'], 2],
  [['iam', 'GetPolicyVersion'], 2],
  [['iam', 'ListRolePolicies'], 1],
  [['s3', 'GetBucketTagging'], 2],
  [['s3', 'GetBucketPolicy'], 2],
  [['route53', 'ListResourceRecordSets'], 1],
];

/** Legacy IAM service users call a sample of these. */
export const IAM_SVC_MIX: readonly [Call, number][] = [
  [['s3', 'PutObject'], 4],
  [['s3', 'GetObject'], 3],
  [['s3', 'ListObjects'], 2],
  [['s3', 'ListBuckets'], 0.5],
  [['s3', 'HeadObject'], 1],
  [['sqs', 'ReceiveMessage'], 1],
];

/** APIs adopted later, after a deploy (a feature ships). */
export const NEW_API_POOL: Call[] = [['sqs', 'SendMessage'], ['kms', 'Encrypt'], ['ssm', 'GetParametersByPath'], ['dynamodb', 'DescribeTable'], ['s3', 'DeleteObject'], ['secretsmanager', 'DescribeSecret'], ['sns', 'Publish'], ['logs', 'PutRetentionPolicy']];
