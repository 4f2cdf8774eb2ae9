/**
 * AWS CloudTrail (`logs-aws.cloudtrail-*`): an account's principals and what they call. Most are
 * roles with very regular habits (Lambda functions and ECS tasks following customer traffic, EKS
 * nodes and monitoring vendors polling every few minutes, AWS services, nightly Terraform plans
 * that read everything, CI pipelines from ever-changing runner addresses); the rest are people,
 * through SSO roles (several people behind one role name) or legacy IAM users, using the console
 * and the CLI. Benign drift: SDK and CLI upgrades, redeploys, new APIs, throttling and
 * misconfiguration error episodes, DR tests in another region, people travelling.
 * Documents follow shared/reference/aws_cloudtrail_*: user.name is the role name for AssumedRole.
 */
import { planCloudtrailAttack, CLOUDTRAIL_ATTACKS } from './attacks_cloudtrail';
import {
  ALL_REGIONS,
  botoUa,
  Call,
  cliUa,
  CLI_COMMANDS,
  CONSOLE_PAGES,
  CONSOLE_WRITES,
  DATA_EVENTS,
  GLOBAL_SERVICES,
  goUa,
  isReadOnly,
  javaUa,
  jsUa,
  parseToolUa,
  PROVIDER,
  RegionInfo,
  REGIONS,
  sdkVersion,
  terraformUa,
} from './cloudtrail_catalog';
import { browserAgent, Device, newComputer, uaDoc } from './devices';
import { Asn, asDoc, asn, businessIsp, City, city, CITIES, citiesIn, geoDoc, ipFor, residential } from './geo';
import { makeSchedule, pickShape, Schedule } from './population';
import { hash32, Rng } from './rng';
import type { NetCtx } from './timeline';
import { localMidnight } from './timeline';
import { DAY, HOUR, iso, MIN } from './time';
import type { Generated, GenContext, Timed } from './types';
import type { RawEvent } from '../types';

export type PKind = 'lambda' | 'ecs' | 'eks-node' | 'aws-service' | 'third-party' | 'ci' | 'terraform' | 'sso-role' | 'iam-human' | 'iam-svc';

export interface CtHuman {
  email: string;
  sched: Schedule;
  home: City;
  homeAsn: Asn;
  office: { city: City; asn: Asn } | null;
  officeDays: number[];
  browser: Device;
  cliOs: string;
  cliArch: string;
  cliLag: number;
  pages: { v: string; w: number }[];
  cliShare: number;
  /** Calls on a working day. */
  rate: number;
  trips: { from: number; to: number; city: City; asn: Asn }[];
  writeP: number;
}

export interface Principal {
  idx: number;
  name: string;
  kind: PKind;
  type: 'AssumedRole' | 'IAMUser';
  account: string;
  principalId: string;
  arn: string;
  regions: { v: string; w: number }[];
  calls: { v: Call; w: number; from: number }[];
  tick: Call[];
  /** Minutes between polls (periodic principals). */
  period: number;
  /** Calls per (working) day. */
  rate: number;
  home: RegionInfo;
  ua: (t: number, day: number, rng: Rng) => string;
  net: 'aws' | 'service' | 'office' | 'runners' | 'vendor';
  egress: { asn: Asn; city: City; ips: string[] };
  serviceHost: string;
  sessionName: (day: number, rng: Rng) => string;
  deploys: number[];
  humans: CtHuman[];
  buckets: string[];
  /** Benign error episodes: one call fails for a few hours (permissions change, throttling). */
  incidents: { day: number; fromH: number; toH: number; call: Call; code: string }[];
  /** Days a secondary region is exercised (DR tests). */
  regionTests: { day: number; region: string }[];
  accessKey: string;
  schedule: 'traffic' | 'periodic' | 'nightly' | 'ci' | 'human';
  nightlyHour: number;
}

/** One API call before rendering. */
export interface CtCall {
  t: number;
  svc: string;
  action: string;
  region: string;
  /** The caller's network, or an AWS service name as the source address. */
  src: NetCtx | string;
  ua: string;
  /** Browser agent when the call comes from the console in a browser. */
  browser?: Device;
  session: string;
  accessKey: string;
  sessionStart: number;
  mfa: boolean;
  err?: string;
  params?: Record<string, unknown>;
  consoleLogin?: boolean;
}

export interface CtEnv {
  startMs: number;
  accounts: string[];
  homeRegions: string[];
  company: string;
  hqCity: City;
}

const SSO_ROLES = ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'DeveloperAccess', 'DataScientist', 'BillingAccess', 'SecurityAudit', 'SupportUser'];
const LAMBDAS = ['orders-processor', 'thumbnail-generator', 'invoice-pdf-renderer', 'etl-nightly-export', 'slack-notifier', 'user-signup-handler', 'stripe-webhook', 'report-builder', 'cost-anomaly-notifier', 'image-moderation', 'search-reindex', 'audit-log-shipper'];
const ECS = ['payments-api', 'checkout-service', 'search-indexer', 'notification-worker', 'catalog-api', 'ledger-service', 'recommendations', 'pricing-engine'];
const AWS_SERVICES: [string, string][] = [
  ['AWSServiceRoleForConfig', 'config.amazonaws.com'],
  ['AWSServiceRoleForBackup', 'backup.amazonaws.com'],
  ['AWSServiceRoleForAutoScaling', 'autoscaling.amazonaws.com'],
  ['AWSServiceRoleForAmazonSSM', 'ssm.amazonaws.com'],
  ['AWSServiceRoleForTrustedAdvisor', 'trustedadvisor.amazonaws.com'],
  ['AWSServiceRoleForAccessAnalyzer', 'access-analyzer.amazonaws.com'],
];
const VENDORS = ['DatadogIntegrationRole', 'WizAccessRole', 'LaceworkSecurityAuditRole', 'SnykCloudReadOnly', 'VantaAuditorRole', 'CloudHealthRole'];
const CI = ['github-actions-deploy', 'github-actions-terraform', 'gitlab-runner-deployer', 'circleci-deploy-role', 'buildkite-agent-role'];
const TERRAFORM = ['terraform-ci', 'atlantis-bot', 'spacelift-runner'];
const IAM_SVC = ['backup-uploader', 'legacy-etl', 'splunk-cloudtrail-reader', 'onprem-sync', 'jenkins-artifacts', 'mobile-app-uploader', 'sftp-gateway', 'tableau-s3-reader'];
const FIRST = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy', 'rupert', 'sybil', 'trent', 'victor', 'wendy', 'yusuf', 'priya', 'kenji', 'lena', 'marco', 'sofia', 'tariq', 'mei', 'omar', 'ines', 'jonas'];
const LAST = ['smith', 'nguyen', 'patel', 'garcia', 'kim', 'mueller', 'rossi', 'tanaka', 'okafor', 'silva', 'cohen', 'dubois', 'kowalski', 'andersson', 'obrien', 'reddy', 'chen', 'haddad', 'larsen', 'moreau'];

const KIND_MIX: [PKind, number][] = [
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
const KIND_VOLUME: Record<PKind, number> = {
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

function roleId(rng: Rng): string {
  return `AROA${rng.upperAlnum(17)}`;
}

const ENV_PREFIX = ['prod-', 'staging-', 'dev-', 'data-', 'internal-', 'eu-', 'legacy-', 'batch-', 'ml-', 'ops-'];

/** A unique name: environment prefixes first (as real accounts name things), numbers last. */
function uniq(name: string, used: Set<string>): string {
  let n = name;
  for (let i = 0; used.has(n); i++) n = i < ENV_PREFIX.length ? `${ENV_PREFIX[i]}${name}` : `${name}-${i - ENV_PREFIX.length + 2}`;
  used.add(n);
  return n;
}

function regionCity(region: string): City {
  return city((REGIONS[region] as RegionInfo).city);
}

function weightedCalls(list: [Call, number][]): { v: Call; w: number; from: number }[] {
  return list.map(([v, w]) => ({ v, w, from: -1000 }));
}

function makeHuman(rng: Rng, env: CtEnv, email: string, rate: number, admin: boolean): CtHuman {
  const remote = rng.chance(0.3);
  const near = citiesIn(env.hqCity.cc).filter((c) => !['Ashburn', 'Boardman', 'Piscataway', 'Roubaix', 'Falkenstein'].includes(c.key));
  const home = remote && near.length > 0 ? rng.pick(near) : env.hqCity;
  const browser = newComputer(rng, { macShare: 0.55, linuxShare: 0.1, managed: true, from: -1000, to: 100000 });
  const pagesAll = Object.keys(CONSOLE_PAGES);
  const pages = rng.sample(pagesAll, rng.int(2, 6)).map((v, i) => ({ v, w: 1 / (i + 1) }));
  const trips: CtHuman['trips'] = [];
  for (let d = 0; d < 120; d += 1) {
    if (rng.chance(0.012)) {
      const dest = rng.pick(Object.values(CITIES).filter((c) => ['US', 'GB', 'DE', 'NL', 'IE', 'SG', 'JP', 'FR', 'CA', 'IN'].includes(c.cc) && c.key !== home.key));
      trips.push({ from: d, to: d + rng.int(1, 5), city: dest, asn: residential(dest.cc, rng) });
      d += 8;
    }
  }
  return {
    email,
    sched: makeSchedule(rng, pickShape(rng, admin ? 'it' : 'engineering')),
    home,
    homeAsn: residential(home.cc, rng),
    office: remote ? null : { city: env.hqCity, asn: businessIsp(env.hqCity.cc, rng) },
    officeDays: remote ? [] : rng.sample([1, 2, 3, 4, 5], rng.int(1, 5)),
    browser,
    cliOs: browser.os === 'macos' ? 'macos#24.6.0' : browser.os === 'windows' ? 'windows#11' : 'linux#6.8.0-79-generic',
    cliArch: browser.os === 'macos' ? 'arm64' : 'x86_64',
    cliLag: rng.chance(0.3) ? rng.float(60, 200) : rng.float(0, 40),
    pages,
    cliShare: rng.float(0.1, 0.8),
    rate,
    trips,
    writeP: admin ? 0.08 : 0.03,
  };
}

export function buildPrincipals(root: Rng, n: number, meanRate: number, env: CtEnv, totalDays: number): Principal[] {
  const rng = root.fork('principals');
  const used = new Set<string>();
  // Every kind appears even in small accounts; the rest follow the mix.
  const kinds: PKind[] = [];
  const order = rng.shuffle(KIND_MIX.map((k) => k[0]));
  for (let i = 0; i < n; i++) kinds.push(i < order.length && n >= 6 ? (order[i] as PKind) : rng.choose(KIND_MIX));
  rng.shuffle(kinds);
  const meanVol = kinds.reduce((s, k) => s + KIND_VOLUME[k], 0) / Math.max(1, kinds.length);
  const out: Principal[] = [];
  kinds.forEach((kind, idx) => {
    const r = rng.fork(`p${idx}`);
    const account = r.weighted(env.accounts, [0.6, 0.3, 0.1].slice(0, env.accounts.length));
    const primary = env.homeRegions[0] as string;
    const secondary = env.homeRegions[1] ?? primary;
    const regions = r.chance(0.7) ? [{ v: primary, w: 1 }] : [{ v: primary, w: 0.7 }, { v: secondary, w: 0.3 }];
    const home = REGIONS[primary] as RegionInfo;
    const rate = Math.max(1, (meanRate * KIND_VOLUME[kind] / meanVol) * r.lognormal(-0.32, 0.8));
    const awsEgress = (reg: string, k: number) => {
      const c = regionCity(reg);
      const a = asn(16509);
      return { asn: a, city: c, ips: Array.from({ length: k }, (_, i) => ipFor(a, c.key, `nat:${account}:${idx}:${i}`)) };
    };
    const deploys: number[] = [];
    for (let d = -30; d < totalDays; d++) if (new Date(env.startMs + d * DAY).getUTCDay() % 6 !== 0 && r.chance(0.08)) deploys.push(d);
    const incidents: Principal['incidents'] = [];
    const regionTests: Principal['regionTests'] = [];
    for (let d = 0; d < totalDays; d++) {
      if (r.chance(0.025)) incidents.push({ day: d, fromH: r.float(0, 20), toH: 0, call: ['s3', 'GetObject'], code: r.chance(0.5) ? 'AccessDenied' : 'ThrottlingException' });
      if (r.chance(0.006)) regionTests.push({ day: d, region: r.pick(ALL_REGIONS.filter((x) => !env.homeRegions.includes(x)).slice(0, 6)) });
    }
    for (const inc of incidents) inc.toH = inc.fromH + r.float(0.5, 4);
    const base = {
      idx,
      account,
      regions,
      home,
      rate,
      deploys,
      incidents,
      regionTests,
      humans: [] as CtHuman[],
      buckets: r.sample(['prod-assets', 'customer-uploads', 'data-lake-raw', 'data-lake-curated', 'app-config', 'logs-archive', 'invoices', 'ml-training-data', 'backups-db', 'static-site'], r.int(1, 3)).map((b) => `${env.company}-${b}`),
      tick: [] as Call[],
      period: 0,
      serviceHost: '',
      accessKey: '',
      nightlyHour: r.float(1, 4),
    };
    const lagDays = r.float(0, 30);
    const depVersion = (day: number, kindSdk: 'boto3' | 'jsv3' | 'java2' | 'go2') => {
      // SDK versions move only when the code is redeployed.
      let last = -1000;
      for (const d of deploys) if (d <= day) last = d;
      return sdkVersion(kindSdk, env.startMs + last * DAY, lagDays);
    };
    let p: Principal;
    switch (kind) {
      case 'lambda': {
        const fn = uniq(r.pick(LAMBDAS), used);
        const lang = r.choose([['python', 0.55], ['node', 0.35], ['java', 0.1]] as const);
        const mix: [Call, number][] = r.sample<[Call, number]>(
          [
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
          ],
          r.int(2, 5),
        );
        const nightly = fn.startsWith('etl') || fn.startsWith('report') || r.chance(0.15);
        p = {
          ...base,
          name: `${fn}-role`,
          kind,
          type: 'AssumedRole',
          principalId: roleId(r),
          arn: `arn:aws:iam::${account}:role/service-role/${fn}-role`,
          calls: weightedCalls(mix),
          ua: (_t, day) => (lang === 'python' ? botoUa(depVersion(day, 'boto3'), 'AWS_Lambda_python3.12') : lang === 'node' ? jsUa(depVersion(day, 'jsv3'), 'AWS_Lambda_nodejs20.x', 's3') : javaUa(depVersion(day, 'java2'), 'AWS_Lambda_java21')),
          net: 'aws',
          egress: awsEgress(primary, r.int(1, 2)),
          sessionName: () => fn,
          schedule: nightly ? 'nightly' : 'traffic',
        };
        break;
      }
      case 'ecs': {
        const svc = uniq(r.pick(ECS), used);
        const mix: [Call, number][] = r.sample<[Call, number]>(
          [
            [['s3', 'GetObject'], 3],
            [['s3', 'PutObject'], 2],
            [['kms', 'Decrypt'], 2],
            [['kms', 'GenerateDataKey'], 1.5],
            [['secretsmanager', 'GetSecretValue'], 0.5],
            [['sqs', 'ReceiveMessage'], 2],
            [['sqs', 'DeleteMessage'], 1.5],
            [['dynamodb', 'DescribeTable'], 0.3],
            [['sns', 'Publish'], 0.6],
          ],
          r.int(3, 5),
        );
        p = {
          ...base,
          name: `${svc}-task-role`,
          kind,
          type: 'AssumedRole',
          principalId: roleId(r),
          arn: `arn:aws:iam::${account}:role/${svc}-task-role`,
          calls: weightedCalls(mix),
          ua: (_t, day) => javaUa(depVersion(day, 'java2'), 'AWS_ECS_FARGATE'),
          net: 'aws',
          egress: awsEgress(primary, r.int(1, 3)),
          // A task's id is its session name; tasks are replaced on every deploy.
          sessionName: (day) => {
            let last = -1000;
            for (const d of deploys) if (d <= day) last = d;
            return new Rng(`task:${idx}:${last}`).hex(32);
          },
          schedule: 'traffic',
        };
        break;
      }
      case 'eks-node': {
        const name = uniq(`eks-${r.pick(['prod', 'staging', 'data'])}-nodegroup-NodeInstanceRole`, used);
        p = {
          ...base,
          name,
          kind,
          type: 'AssumedRole',
          principalId: roleId(r),
          arn: `arn:aws:iam::${account}:role/${name}`,
          calls: weightedCalls([
            [['ec2', 'DescribeInstances'], 2],
            [['ec2', 'DescribeNetworkInterfaces'], 2],
            [['ec2', 'AssignPrivateIpAddresses'], 0.3],
            [['ecr', 'GetAuthorizationToken'], 1],
            [['autoscaling', 'DescribeAutoScalingGroups'], 0.5],
          ]),
          tick: [['ec2', 'DescribeInstances'], ['ec2', 'DescribeNetworkInterfaces'], ['ecr', 'GetAuthorizationToken']],
          ua: (_t, day) => goUa(depVersion(day, 'go2'), 'api/ec2#1.210.0 m/E'),
          net: 'aws',
          egress: awsEgress(primary, 3),
          sessionName: (day, rr) => `i-0${new Rng(`node:${idx}:${Math.floor((day + 200) / 9)}:${rr.int(0, 2)}`).hex(16)}`,
          schedule: 'periodic',
        };
        break;
      }
      case 'aws-service': {
        const [roleName, host] = r.pick(AWS_SERVICES);
        const name = uniq(roleName, used);
        const backup = host.startsWith('backup');
        p = {
          ...base,
          name,
          kind,
          type: 'AssumedRole',
          principalId: roleId(r),
          arn: `arn:aws:iam::${account}:role/aws-service-role/${host}/${roleName}`,
          calls: weightedCalls(
            backup
              ? [
                  [['ec2', 'DescribeVolumes'], 2],
                  [['ec2', 'CreateSnapshot'], 1],
                  [['rds', 'CreateDBSnapshot'], 0.5],
                  [['ec2', 'DescribeSnapshots'], 1],
                  [['ec2', 'DeleteSnapshot'], 0.5],
                ]
              : [
                  [['ec2', 'DescribeInstances'], 1],
                  [['ec2', 'DescribeSecurityGroups'], 1],
                  [['iam', 'GetRole'], 1],
                  [['iam', 'ListAttachedRolePolicies'], 1],
                  [['s3', 'GetBucketPolicy'], 1],
                  [['s3', 'GetBucketAcl'], 1],
                  [['lambda', 'GetFunction20150331v2'], 0.5],
                  [['kms', 'DescribeKey'], 0.5],
                  [['autoscaling', 'DescribeAutoScalingGroups'], 0.5],
                ],
          ),
          tick: backup ? [] : [['ec2', 'DescribeInstances'], ['ec2', 'DescribeSecurityGroups'], ['iam', 'GetRole'], ['s3', 'GetBucketAcl']],
          ua: () => host,
          net: 'service',
          egress: awsEgress(primary, 1),
          serviceHost: host,
          sessionName: () => (host.startsWith('config') ? 'AWSConfig-Describe' : host.split('.')[0] ?? 'aws'),
          schedule: backup ? 'nightly' : 'periodic',
        };
        break;
      }
      case 'third-party': {
        const name = uniq(r.pick(VENDORS), used);
        const vendorCity = city(r.pick(['Ashburn', 'Boardman', 'Dublin', 'Frankfurt am Main']));
        const vAsn = asn(r.chance(0.7) ? 16509 : 396982);
        const audit = /Wiz|Lacework|Snyk|Vanta/.test(name);
        p = {
          ...base,
          name,
          kind,
          type: 'AssumedRole',
          principalId: roleId(r),
          arn: `arn:aws:iam::${account}:role/${name}`,
          calls: weightedCalls(
            audit
              ? [
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
                ]
              : [
                  [['monitoring', 'GetMetricData'], 4],
                  [['monitoring', 'ListMetrics'], 1],
                  [['tagging', 'GetResources'], 1],
                  [['ec2', 'DescribeInstances'], 1],
                  [['health', 'DescribeEvents'], 0.3],
                  [['logs', 'DescribeLogGroups'], 0.4],
                ],
          ),
          tick: audit ? [['iam', 'ListRoles'], ['s3', 'ListBuckets'], ['ec2', 'DescribeInstances'], ['ec2', 'DescribeSecurityGroups']] : [['monitoring', 'GetMetricData'], ['monitoring', 'GetMetricData'], ['tagging', 'GetResources']],
          ua: (t) => goUa(sdkVersion('go2', t, 60), audit ? `app/${name.toLowerCase().replace('role', '')}-scanner` : 'app/datadog-agent'),
          net: 'vendor',
          egress: { asn: vAsn, city: vendorCity, ips: Array.from({ length: 6 }, (_, i) => ipFor(vAsn, vendorCity.key, `vendor:${name}:${i}`)) },
          sessionName: () => (name.startsWith('Datadog') ? 'DatadogAWSIntegration' : `${name.replace('Role', '')}Session`),
          schedule: audit ? 'nightly' : 'periodic',
        };
        break;
      }
      case 'ci': {
        const name = uniq(r.pick(CI), used);
        const team = makeSchedule(r, 'office');
        p = {
          ...base,
          name,
          kind,
          type: 'AssumedRole',
          principalId: roleId(r),
          arn: `arn:aws:iam::${account}:role/${name}`,
          calls: weightedCalls([
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
          ]),
          ua: (t, _day, rr) => (name.includes('terraform') ? terraformUa(t, 7) : cliUa(sdkVersion('cli2', t, 3), 'linux#6.11.0-1018-azure', rr.pick(['ecr.get-login-password', 'ecs.update-service', 'ecs.wait', 's3.sync', 'cloudformation.deploy', 'sts.get-caller-identity']))),
          net: 'runners',
          egress: { asn: asn(8075), city: city('San Jose'), ips: [] },
          sessionName: (_day, rr) => (name.startsWith('github') ? 'GitHubActions' : `${name.split('-')[0]}-${rr.int(100000, 999999)}`),
          schedule: 'ci',
          nightlyHour: team.start,
        };
        break;
      }
      case 'terraform': {
        const name = uniq(r.pick(TERRAFORM), used);
        const onOffice = r.chance(0.5);
        const eg = onOffice ? { asn: businessIsp(env.hqCity.cc, r), city: env.hqCity, ips: [] as string[] } : awsEgress(primary, 1);
        if (onOffice) eg.ips = [ipFor(eg.asn, eg.city.key, `jenkins:${idx}`)];
        p = {
          ...base,
          name,
          kind,
          type: 'IAMUser',
          principalId: `AIDA${r.upperAlnum(17)}`,
          arn: `arn:aws:iam::${account}:user/automation/${name}`,
          calls: weightedCalls(
            Object.values(CONSOLE_PAGES)
              .flat()
              .map((c) => [c, 1] as [Call, number])
              .concat([
                [['iam', 'GetRole'], 3],
                [['iam', 'GetPolicy'], 2],
                [['iam', 'GetPolicyVersion'], 2],
                [['iam', 'ListRolePolicies'], 1],
                [['s3', 'GetBucketTagging'], 2],
                [['s3', 'GetBucketPolicy'], 2],
                [['route53', 'ListResourceRecordSets'], 1],
              ]),
          ),
          ua: (t) => terraformUa(t, 20),
          net: onOffice ? 'office' : 'aws',
          egress: eg,
          sessionName: () => '',
          schedule: 'nightly',
          accessKey: `AKIA${r.upperAlnum(16)}`,
        };
        break;
      }
      case 'iam-svc': {
        const name = uniq(r.pick(IAM_SVC), used);
        const onPrem = r.chance(0.6);
        const eg = onPrem ? { asn: businessIsp(env.hqCity.cc, r), city: env.hqCity, ips: [] as string[] } : awsEgress(primary, 1);
        if (onPrem) eg.ips = [ipFor(eg.asn, eg.city.key, `svc:${idx}`)];
        const legacyVersion = `1.${r.int(11, 12)}.${r.int(100, 900)}`;
        const pyVersion = `1.${r.int(18, 34)}.${r.int(0, 40)}`;
        const uaStyle = r.choose([['java1', 0.3], ['cli1', 0.3], ['boto', 0.4]] as const);
        p = {
          ...base,
          name,
          kind,
          type: 'IAMUser',
          principalId: `AIDA${r.upperAlnum(17)}`,
          arn: `arn:aws:iam::${account}:user/${name}`,
          calls: weightedCalls(
            r.sample<[Call, number]>(
              [
                [['s3', 'PutObject'], 4],
                [['s3', 'GetObject'], 3],
                [['s3', 'ListObjects'], 2],
                [['s3', 'ListBuckets'], 0.5],
                [['s3', 'HeadObject'], 1],
                [['sqs', 'ReceiveMessage'], 1],
              ],
              r.int(1, 3),
            ),
          ),
          // Legacy tooling pinned to old SDKs: the same user agent for years.
          ua: () => (uaStyle === 'java1' ? `aws-sdk-java/${legacyVersion} Linux/3.10.0-1160.el7.x86_64 OpenJDK_64-Bit_Server_VM/25.412-b08 java/1.8.0_412 vendor/Red_Hat,_Inc.` : uaStyle === 'cli1' ? `aws-cli/1.${r.int(18, 29)}.${r.int(0, 90)} Python/3.6.8 Linux/3.10.0-1160.el7.x86_64 botocore/${pyVersion}` : botoUa(pyVersion, '', '3.10.0-1160.el7.x86_64', '3.6.8')),
          net: onPrem ? 'office' : 'aws',
          egress: eg,
          sessionName: () => '',
          schedule: r.chance(0.6) ? 'periodic' : 'traffic',
          accessKey: `AKIA${r.upperAlnum(16)}`,
        };
        break;
      }
      default: {
        // People: an SSO permission set shared by several, or a legacy IAM user.
        const sso = kind === 'sso-role';
        const perm = r.pick(SSO_ROLES);
        const name = sso ? uniq(`AWSReservedSSO_${perm}_${r.hex(16)}`, used) : uniq(`${r.pick(FIRST)}.${r.pick(LAST)}`, used);
        const nh = sso ? r.int(2, 7) : 1;
        const humans: CtHuman[] = [];
        for (let h = 0; h < nh; h++) {
          const email = sso ? `${r.pick(FIRST)}.${r.pick(LAST)}@${env.company}.com` : `${name}@${env.company}.com`;
          humans.push(makeHuman(r.fork(`h${h}`), env, email, (rate / nh) * r.lognormal(-0.2, 0.6), perm === 'AdministratorAccess' || !sso));
        }
        p = {
          ...base,
          name,
          kind,
          type: sso ? 'AssumedRole' : 'IAMUser',
          principalId: sso ? roleId(r) : `AIDA${r.upperAlnum(17)}`,
          arn: sso ? `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${name}` : `arn:aws:iam::${account}:user/${name}`,
          calls: [],
          ua: () => '',
          net: 'office',
          egress: { asn: asn(16509), city: env.hqCity, ips: [] },
          sessionName: () => '',
          schedule: 'human',
          humans,
          accessKey: sso ? '' : `AKIA${r.upperAlnum(16)}`,
        };
        // ReadOnly people click write buttons now and then, and get AccessDenied.
        if (perm === 'ReadOnlyAccess' || perm === 'BillingAccess' || perm === 'SecurityAudit') for (const h of humans) h.writeP = 0.05;
        break;
      }
    }
    // New APIs adopted after a deploy (a feature ships).
    for (let d = 0; d < totalDays; d += 30) {
      if (p.calls.length > 0 && r.chance(0.12)) {
        const pool: Call[] = [['sqs', 'SendMessage'], ['kms', 'Encrypt'], ['ssm', 'GetParametersByPath'], ['dynamodb', 'DescribeTable'], ['s3', 'DeleteObject'], ['secretsmanager', 'DescribeSecret'], ['sns', 'Publish'], ['logs', 'PutRetentionPolicy']];
        const c = r.pick(pool);
        if (!p.calls.some((x) => x.v[0] === c[0] && x.v[1] === c[1])) p.calls.push({ v: c, w: r.float(0.2, 1), from: d + r.int(0, 29) });
      }
    }
    if (p.schedule === 'periodic' && p.tick.length === 0) p.tick = [p.calls[0]?.v ?? ['s3', 'ListBuckets']];
    if (p.schedule === 'periodic') p.period = Math.max(2, Math.round((1440 * p.tick.length) / p.rate));
    out.push(p);
  });
  return out;
}

// ---- benign days ------------------------------------------------------------------------------

function pickCall(p: Principal, day: number, rng: Rng): Call {
  let total = 0;
  for (const c of p.calls) if (c.from <= day) total += c.w;
  let r = rng.next() * total;
  for (const c of p.calls) {
    if (c.from > day) continue;
    r -= c.w;
    if (r < 0) return c.v;
  }
  return (p.calls[0] as { v: Call }).v;
}

function pickRegion(p: Principal, day: number, rng: Rng): string {
  for (const rt of p.regionTests) if (rt.day === day && rng.chance(0.5)) return rt.region;
  return rng.weighted(p.regions, p.regions.map((r) => r.w)).v;
}

function sourceOf(p: Principal, rng: Rng): NetCtx | string {
  if (p.net === 'service') return p.serviceHost;
  const ips = p.egress.ips;
  const ip = ips.length > 0 ? (ips[rng.int(0, ips.length - 1)] as string) : ipFor(p.egress.asn, p.egress.city.key, `x:${p.idx}`);
  return { kind: 'datacenter', ip, asn: p.egress.asn, geo: { city: p.egress.city }, where: p.egress.city, trusted: p.net === 'office' };
}

const keyCache = new WeakMap<Principal, Map<number, string>>();

/** Automation's session credentials rotate hourly. */
function autoSession(p: Principal, t: number): { key: string; start: number } {
  const hour = Math.floor(t / HOUR);
  if (p.type === 'IAMUser') return { key: p.accessKey, start: hour * HOUR };
  let m = keyCache.get(p);
  if (!m) {
    m = new Map();
    keyCache.set(p, m);
  }
  let key = m.get(hour);
  if (!key) {
    key = `ASIA${new Rng(`k:${p.name}:${hour}`).upperAlnum(16)}`;
    m.set(hour, key);
  }
  return { key, start: hour * HOUR };
}

function incidentFor(p: Principal, day: number, h: number): Principal['incidents'][number] | null {
  for (const inc of p.incidents) if (inc.day === day && h >= inc.fromH && h < inc.toH) return inc;
  return null;
}

function automationCall(p: Principal, t: number, day: number, call: Call, region: string, src: NetCtx | string, ua: string, session: string, rng: Rng): CtCall {
  const s = autoSession(p, t);
  const c: CtCall = { t, svc: call[0], action: call[1], region, src, ua, session, accessKey: s.key, sessionStart: s.start, mfa: false };
  const inc = incidentFor(p, day, (t % DAY) / HOUR);
  if (inc && rng.chance(0.7)) c.err = inc.code;
  else if (rng.chance(0.002)) c.err = 'ThrottlingException';
  return c;
}

function trafficHour(rng: Rng): number {
  // Customer traffic: a daytime hump on a floor of night-time activity.
  if (rng.chance(0.22)) return rng.float(0, 24);
  return Math.min(23.99, Math.max(0, rng.normal(14, 4)));
}

export function principalDay(p: Principal, day: number, env: CtEnv, rng: Rng): CtCall[] {
  const out: CtCall[] = [];
  const dow = new Date(env.startMs + day * DAY).getUTCDay();
  const weekend = dow === 0 || dow === 6;
  const regionCityObj: City = city(p.home.city);
  const day0 = localMidnight(env.startMs, day, regionCityObj);
  const session = p.sessionName(day, rng);
  // SDK user agents change on redeploys, not per call: one string per principal and day.
  const dayUa = p.schedule === 'ci' ? '' : p.ua(day0 + 12 * HOUR, day, rng);
  const uaOf = (t: number): string => (p.schedule === 'ci' ? p.ua(t, day, rng) : dayUa);
  switch (p.schedule) {
    case 'traffic': {
      const n = rng.negbin(p.rate * (weekend ? 0.6 : 1), 6);
      for (let i = 0; i < n; ) {
        const t = Math.floor(day0 + trafficHour(rng) * HOUR);
        const region = pickRegion(p, day, rng);
        const src = sourceOf(p, rng);
        const k = Math.min(n - i, rng.int(1, 3));
        for (let j = 0; j < k; j++, i++) out.push(automationCall(p, t + j * rng.int(20, 900), day, pickCall(p, day, rng), region, src, uaOf(t), session, rng));
      }
      break;
    }
    case 'periodic': {
      const jitter = p.net === 'office' ? 60_000 : 20_000;
      for (let m = (hash32(p.name) % p.period) + rng.float(0, 0.5); m < 1440; m += p.period) {
        if (rng.chance(0.01)) continue;
        const t = Math.floor(day0 + m * MIN + rng.int(0, jitter));
        const region = pickRegion(p, day, rng);
        const src = sourceOf(p, rng);
        p.tick.forEach((call, j) => out.push(automationCall(p, t + j * rng.int(50, 1500), day, call, region, src, dayUa, session, rng)));
        if (rng.chance(0.05)) out.push(automationCall(p, t + 2000, day, pickCall(p, day, rng), region, src, dayUa, session, rng));
      }
      break;
    }
    case 'nightly': {
      // A scheduled job reads (or snapshots) broadly once a night; Terraform also runs plans by day.
      const runs: { h: number; n: number }[] = [{ h: p.nightlyHour + rng.normal(0, 0.08), n: rng.negbin(p.rate * 0.8, 12) }];
      if (p.kind === 'terraform' && !weekend) for (let k = rng.poisson(1.2); k > 0; k--) runs.push({ h: rng.float(9, 18), n: rng.negbin(p.rate * 0.15, 4) });
      for (const run of runs) {
        let t = Math.floor(day0 + run.h * HOUR);
        const region = pickRegion(p, day, rng);
        const src = sourceOf(p, rng);
        const ua = dayUa;
        for (let i = 0; i < run.n; i++) {
          out.push(automationCall(p, t, day, pickCall(p, day, rng), p.kind === 'terraform' && rng.chance(0.2) ? (p.regions[0]?.v ?? region) : region, src, ua, session, rng));
          t += rng.int(80, 2500);
        }
      }
      break;
    }
    case 'ci': {
      const runs = weekend ? (rng.chance(0.15) ? 1 : 0) : rng.poisson(Math.max(0.5, p.rate / 60));
      for (let k = 0; k < runs; k++) {
        let t = Math.floor(day0 + (p.nightlyHour + rng.float(0, 9)) * HOUR);
        // Each run gets a fresh hosted runner: a new address every time.
        const c = city(rng.pick(['San Jose', 'Ashburn', 'Dallas', 'Chicago', 'Seattle', 'Boardman', 'Dublin', 'Amsterdam']));
        const src: NetCtx = { kind: 'datacenter', ip: ipFor(asn(8075), c.key, `run:${p.idx}:${day}:${k}:${rng.int(0, 1e6)}`), asn: asn(8075), geo: { city: c }, where: c, trusted: false };
        const runSession = p.sessionName(day, rng);
        const n = Math.max(3, rng.negbin(p.rate / Math.max(1, runs), 3));
        const region = pickRegion(p, day, rng);
        out.push(automationCall(p, t, day, ['sts', 'GetCallerIdentity'], region, src, p.ua(t, day, rng), runSession, rng));
        for (let i = 1; i < n; i++) {
          t += rng.int(300, 20_000);
          out.push(automationCall(p, t, day, pickCall(p, day, rng), region, src, p.ua(t, day, rng), runSession, rng));
        }
      }
      break;
    }
    default:
      for (const h of p.humans) humanDay(p, h, day, env, rng, out);
  }
  return out;
}

function humanNet(p: Principal, h: CtHuman, day: number, dow: number, rng: Rng): { net: NetCtx; tz: City } {
  for (const tr of h.trips) {
    if (day >= tr.from && day < tr.to) {
      return { net: { kind: 'hotel', ip: ipFor(tr.asn, tr.city.key, `hotel:${p.idx}:${h.email}:${tr.from}`), asn: tr.asn, geo: { city: tr.city }, where: tr.city, trusted: false }, tz: tr.city };
    }
  }
  if (h.office && h.officeDays.includes(dow) && rng.chance(0.85)) {
    return { net: { kind: 'office', ip: ipFor(h.office.asn, h.office.city.key, `office:${hash32(h.email) % 3}`), asn: h.office.asn, geo: { city: h.office.city }, where: h.office.city, trusted: true }, tz: h.office.city };
  }
  const epoch = Math.floor((day + (hash32(h.email) % 50)) / 25);
  return { net: { kind: 'home', ip: ipFor(h.homeAsn, h.home.key, `home:${h.email}:${epoch}`), asn: h.homeAsn, geo: { city: h.home }, where: h.home, trusted: false }, tz: h.home };
}

function humanDay(p: Principal, h: CtHuman, day: number, env: CtEnv, rng: Rng, out: CtCall[]): void {
  const dow = new Date(env.startMs + day * DAY).getUTCDay();
  const workday = rng.chance(h.sched.workdays[dow] ?? 0);
  const budget = rng.negbin(h.rate * (workday ? 1 : 0.05), 1.5);
  if (budget === 0) return;
  const { net, tz } = humanNet(p, h, day, dow, rng);
  const day0 = localMidnight(env.startMs, day, tz);
  const region = (p.regions[0]?.v ?? 'us-east-1') as string;
  let used = 0;
  const start = workday ? h.sched.start + rng.normal(0, h.sched.jitter) : rng.float(10, 20);
  const len = workday ? h.sched.length : 2;
  while (used < budget) {
    let t = Math.floor(day0 + (start + rng.next() * len) * HOUR);
    const key = p.type === 'IAMUser' && rng.chance(h.cliShare) ? p.accessKey : `ASIA${rng.upperAlnum(16)}`;
    const sess = p.type === 'AssumedRole' ? h.email : '';
    const writeOk = h.writeP < 0.05;
    const regionNow = rng.chance(0.06) ? rng.pick(ALL_REGIONS.slice(0, 10)) : region;
    if (rng.chance(h.cliShare)) {
      const cmds = rng.int(2, 15);
      for (let i = 0; i < cmds && used < budget; i++) {
        const [cmd, calls] = rng.weighted(CLI_COMMANDS, CLI_COMMANDS.map((c) => c[2]));
        const ua = cliUa(sdkVersion('cli2', t, h.cliLag), h.cliOs, cmd, h.cliArch);
        for (const c of calls) {
          const call: CtCall = { t, svc: c[0], action: c[1], region: regionNow, src: net, ua, session: sess, accessKey: p.type === 'IAMUser' ? p.accessKey : key, sessionStart: t - rng.int(60_000, 3_000_000), mfa: true };
          if (rng.chance(0.03)) call.err = 'AccessDenied';
          out.push(call);
          used++;
          t += rng.int(150, 3000);
        }
        t += rng.int(5_000, 300_000);
      }
    } else {
      const sessionStart = t;
      out.push({ t, svc: 'signin', action: 'ConsoleLogin', region: 'us-east-1', src: net, ua: browserAgent(h.browser, t).ua, browser: h.browser, session: sess, accessKey: key, sessionStart, mfa: true, consoleLogin: true });
      used++;
      t += rng.int(3_000, 20_000);
      const pages = rng.int(2, 12);
      for (let i = 0; i < pages && used < budget; i++) {
        const page = rng.weighted(h.pages, h.pages.map((x) => x.w)).v;
        const calls = CONSOLE_PAGES[page] ?? [];
        const n = rng.int(2, calls.length);
        for (let j = 0; j < n; j++) {
          const c = calls[j] as Call;
          const internal = c[0] === 's3' || rng.chance(0.15);
          out.push({ t, svc: c[0], action: c[1], region: regionNow, src: internal ? 'AWS Internal' : net, ua: internal ? 'AWS Internal' : browserAgent(h.browser, t).ua, ...(internal ? {} : { browser: h.browser }), session: sess, accessKey: key, sessionStart, mfa: true });
          used++;
          t += rng.int(40, 1500);
        }
        if (rng.chance(h.writeP)) {
          const w = rng.pick(CONSOLE_WRITES);
          const call: CtCall = { t, svc: w[0], action: w[1], region: regionNow, src: net, ua: browserAgent(h.browser, t).ua, browser: h.browser, session: sess, accessKey: key, sessionStart, mfa: true };
          if (!writeOk) call.err = w[0] === 'ec2' ? 'Client.UnauthorizedOperation' : 'AccessDenied';
          out.push(call);
          used++;
        }
        t += rng.int(15_000, 400_000);
      }
    }
  }
}

// ---- rendering ----------------------------------------------------------------------------------

const CATEGORY: Record<string, [string[], string[]]> = {
  ConsoleLogin: [['authentication'], ['info']],
  AssumeRole: [['authentication'], ['info']],
  CreateAccessKey: [['iam'], ['user', 'change']],
  AttachUserPolicy: [['iam'], ['user', 'change']],
  PutUserPolicy: [['iam'], ['user', 'change']],
  CreateUser: [['iam'], ['user', 'creation']],
  CreateLoginProfile: [['iam'], ['user', 'change']],
  UpdateLoginProfile: [['iam'], ['user', 'change']],
  AddUserToGroup: [['iam'], ['group', 'change']],
  ListUsers: [['iam'], ['user', 'info']],
  GetUser: [['iam'], ['user', 'info']],
  ListAttachedUserPolicies: [['iam'], ['user', 'info']],
  ListUserPolicies: [['iam'], ['user', 'info']],
  ListGroups: [['iam'], ['group', 'info']],
  CreateKeyPair: [['iam'], ['admin', 'creation']],
  CreateBucket: [['file'], ['creation']],
  DeleteBucket: [['file'], ['deletion']],
};

const ERROR_MESSAGES: Record<string, string> = {
  AccessDenied: 'User is not authorized to perform this operation',
  AccessDeniedException: 'User is not authorized to perform this operation',
  'Client.UnauthorizedOperation': 'You are not authorized to perform this operation.',
  ThrottlingException: 'Rate exceeded',
  'Client.VcpuLimitExceeded': 'You have requested more vCPU capacity than your current vCPU limit allows.',
  'Server.InsufficientInstanceCapacity': 'We currently do not have sufficient capacity in the Availability Zone you requested.',
  NoSuchEntityException: 'The user with name cannot be found.',
  EntityAlreadyExistsException: 'User already exists.',
};

function params(c: CtCall, p: Principal, rng: Rng): Record<string, unknown> | undefined {
  if (c.params) return c.params;
  if (c.svc === 's3' && c.action !== 'ListBuckets') {
    const bucket = rng.pick(p.buckets.length > 0 ? p.buckets : ['app-data']);
    const out: Record<string, unknown> = { bucketName: bucket, Host: `${bucket}.s3.${c.region}.amazonaws.com` };
    if (c.action.endsWith('Object')) out.key = `${rng.pick(['uploads', 'exports', 'reports', 'tmp', 'assets'])}/${rng.hex(8)}.${rng.pick(['json', 'csv', 'parquet', 'pdf', 'png'])}`;
    return out;
  }
  return undefined;
}

export function renderCloudtrail(c: CtCall, p: Principal, rng: Rng): RawEvent {
  const ts = iso(c.t);
  const id = rng.uuid();
  const region = GLOBAL_SERVICES.has(c.svc) ? 'us-east-1' : c.region;
  const assumed = p.type === 'AssumedRole';
  const sessionName = c.session || 'session';
  const userIdentity: Record<string, unknown> = assumed
    ? {
        access_key_id: c.accessKey,
        arn: `arn:aws:sts::${p.account}:assumed-role/${p.name}/${sessionName}`,
        session_context: {
          creation_date: iso(c.sessionStart),
          mfa_authenticated: c.mfa ? 'true' : 'false',
          session_issuer: { account_id: p.account, arn: p.arn, principal_id: p.principalId, type: 'Role' },
        },
        type: 'AssumedRole',
      }
    : { access_key_id: c.accessKey, arn: p.arn, type: 'IAMUser' };
  if (typeof c.src === 'string' && c.src !== 'AWS Internal') userIdentity.invoked_by = c.src;
  const ct: Record<string, unknown> = {
    event_category: DATA_EVENTS.has(`${c.svc}:${c.action}`) ? 'Data' : 'Management',
    event_type: c.consoleLogin ? 'AwsConsoleSignIn' : 'AwsApiCall',
    event_version: c.consoleLogin ? '1.05' : '1.09',
    flattened: {},
    read_only: isReadOnly(c.action),
    recipient_account_id: p.account,
    request_id: rng.uuid(),
    user_identity: userIdentity,
  };
  const rp = params(c, p, rng);
  if (rp) {
    (ct.flattened as Record<string, unknown>).request_parameters = rp;
    ct.request_parameters = `{${Object.entries(rp)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}}`;
  }
  let outcome = 'success';
  if (c.consoleLogin) {
    const ok = !c.err;
    ct.console_login = { additional_eventdata: { login_to: 'https://console.aws.amazon.com/console/home', mfa_used: c.mfa, mobile_version: false } };
    ct.additional_eventdata = `{LoginTo=https://console.aws.amazon.com/console/home, MobileVersion=No, MFAUsed=${c.mfa ? 'Yes' : 'No'}}`;
    ct.response_elements = `{ConsoleLogin=${ok ? 'Success' : 'Failure'}}`;
    (ct.flattened as Record<string, unknown>).response_elements = { ConsoleLogin: ok ? 'Success' : 'Failure' };
    if (!ok) {
      ct.error_message = 'Failed authentication';
      outcome = 'failure';
    }
  } else if (c.err) {
    ct.error_code = c.err;
    ct.error_message = ERROR_MESSAGES[c.err] ?? 'An error occurred';
    outcome = 'failure';
  }
  const event: Record<string, unknown> = { action: c.action, created: ts, id, kind: 'event', outcome, provider: PROVIDER[c.svc] ?? `${c.svc}.amazonaws.com` };
  const cat = CATEGORY[c.action];
  if (cat) {
    event.category = cat[0];
    event.type = cat[1];
  }
  const source: Record<string, unknown> = {};
  if (typeof c.src === 'string') source.address = c.src;
  else {
    source.address = c.src.ip;
    source.ip = c.src.ip;
    source.geo = geoDoc(c.src.geo);
    if (c.src.asn) source.as = asDoc(c.src.asn);
  }
  const userId = assumed ? `${p.principalId}:${sessionName}` : p.principalId;
  const doc: Record<string, unknown> = {
    '@timestamp': ts,
    aws: { cloudtrail: ct },
    cloud: { account: { id: p.account }, region },
    ecs: { version: '8.11.0' },
    event,
    related: assumed ? { entity: [userId, p.name, p.arn, userIdentity.arn] } : { entity: [p.principalId, p.name, p.arn], user: [p.name] },
    source,
    tags: ['forwarded', 'aws-cloudtrail'],
    user: { id: userId, name: p.name },
  };
  if (typeof c.src !== 'string') doc.tls = { cipher: 'TLS_AES_128_GCM_SHA256', client: { server_name: `${c.svc}.${region}.amazonaws.com` }, version: '1.3', version_protocol: 'tls' };
  if (c.ua) {
    if (c.browser) {
      const ua = uaDoc(browserAgent(c.browser, c.t));
      if (ua) doc.user_agent = ua;
    } else doc.user_agent = parseToolUa(c.ua);
  }
  return doc;
}

// ---- generation -------------------------------------------------------------------------------

export function ctEnv(root: Rng, startMs: number): CtEnv {
  const r = root.fork('env');
  const us = r.chance(0.7);
  const acct = () => String(r.int(100000000000, 999999999999));
  return {
    startMs,
    accounts: [acct(), acct(), acct()],
    homeRegions: us ? ['us-east-1', r.chance(0.6) ? 'us-west-2' : 'us-east-2'] : ['eu-west-1', 'eu-central-1'],
    company: r.pick(['acme', 'globex', 'initech', 'hooli', 'umbrella', 'contoso']),
    hqCity: city(us ? r.pick(['New York', 'San Francisco', 'Seattle', 'Austin', 'Boston']) : r.pick(['London', 'Dublin', 'Berlin', 'Amsterdam'])),
  };
}

export function generateCloudtrail(ctx: GenContext): Generated {
  const root = new Rng(`synth:cloudtrail:${ctx.seed}`);
  const env = ctEnv(root, ctx.startMs);
  // 1.08: measured correction (weekends, missed polls) so the mean matches eventsPerUserPerDay.
  const principals = buildPrincipals(root, ctx.users, ctx.eventsPerUserPerDay * 1.08, env, ctx.totalDays);
  const events: Timed[] = [];
  const trainCount = new Map<Principal, number>();
  for (const p of principals) {
    let n = 0;
    for (let d = -1; d <= ctx.totalDays; d++) {
      const rng = root.fork(`day:${p.idx}:${d}`);
      for (const c of principalDay(p, d, env, rng)) {
        if (c.t < ctx.startMs || c.t >= ctx.endMs) continue;
        events.push({ t: c.t, doc: renderCloudtrail(c, p, rng) });
        if (c.t < ctx.testStart) n++;
      }
    }
    trainCount.set(p, n);
  }
  const attacks: Generated['attacks'] = [];
  if (ctx.compromisedUsers > 0) {
    const arng = root.fork('attacks');
    let eligible = principals.filter((p) => (trainCount.get(p) ?? 0) > 0);
    if (eligible.length < ctx.compromisedUsers) eligible = principals;
    const victims = arng.sample(eligible, Math.min(ctx.compromisedUsers, eligible.length));
    const kinds = arng.shuffle(CLOUDTRAIL_ATTACKS.slice());
    victims.forEach((p, i) => {
      const kind = kinds[i % kinds.length] as string;
      const r = arng.fork(`attack:${i}`);
      const calls = planCloudtrailAttack(kind, p, { ...env, testStart: ctx.testStart, endMs: ctx.endMs, trainDays: ctx.trainDays, totalDays: ctx.totalDays }, r);
      const ids: string[] = [];
      for (const c of calls) {
        const doc = renderCloudtrail(c, p, r);
        events.push({ t: c.t, doc });
        ids.push((doc.event as { id: string }).id);
      }
      attacks.push({ user: p.name, kind, start: calls.length > 0 ? Math.min(...calls.map((c) => c.t)) : ctx.testStart, ids });
    });
  }
  return { events, attacks };
}
