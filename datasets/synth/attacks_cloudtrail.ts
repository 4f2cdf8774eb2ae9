/**
 * Compromises planted in CloudTrail (test period only), each on one principal whose credentials
 * leaked: reconnaissance bursts, IAM privilege escalation, crypto-mining in regions the account
 * never uses, S3 exfiltration, AccessDenied storms from permission enumeration, and a subtle one:
 * the principal's own usual calls, a handful, from a new network with a different client.
 */
import { ALL_REGIONS, botoUa, Call, cliUa, REGIONS, sdkVersion } from './cloudtrail_catalog';
import type { CtCall, CtEnv, Principal } from './cloudtrail_types';
import { asn, asnsIn, city, ipFor } from './geo';
import { Rng } from './rng';
import { localMidnight, NetCtx } from './timeline';
import { DAY, HOUR, MIN } from './time';

export const CLOUDTRAIL_ATTACKS = ['recon', 'privilege_escalation', 'crypto_mining', 'exfiltration', 'access_denied_storm', 'stolen_credentials'];

export interface CtAttackEnv extends CtEnv {
  testStart: number;
  endMs: number;
  trainDays: number;
  totalDays: number;
}

const ATTACKER_HOSTS: [string, number][] = [
  ['Amsterdam', 14061],
  ['Frankfurt am Main', 14061],
  ['Falkenstein', 24940],
  ['Roubaix', 16276],
  ['Piscataway', 20473],
  ['Singapore', 14061],
  ['Bucharest', 9009],
  ['London', 60068],
  ['Saint Petersburg', 49505],
  ['Los Angeles', 20473],
  ['Dallas', 63949],
  ['Moscow', 12389],
  ['Hong Kong', 45102],
];

function attackerNet(rng: Rng, p: Principal, subtle: boolean): NetCtx {
  if (subtle && rng.chance(0.5)) {
    // From inside AWS too, but another region's address space: an attacker's own EC2 instance.
    const region = rng.pick(ALL_REGIONS.filter((r) => r !== p.regions[0]?.v));
    const c = city((REGIONS[region] as { city: string }).city);
    const a = asn(16509);
    return { kind: 'attacker', ip: ipFor(a, c.key, `atk:${rng.int(0, 1e6)}`), asn: a, geo: { city: c }, where: c, trusted: false };
  }
  if (subtle && rng.chance(0.5)) {
    const res = asnsIn(p.egress.city.cc, 'residential');
    const a = res.length > 0 ? rng.pick(res) : asn(7922);
    return { kind: 'attacker', ip: ipFor(a, p.egress.city.key, `atk:${rng.int(0, 1e6)}`), asn: a, geo: { city: p.egress.city }, where: p.egress.city, trusted: false };
  }
  const [cn, an] = rng.pick(ATTACKER_HOSTS);
  const a = asn(an);
  const c = city(cn);
  return { kind: 'attacker', ip: ipFor(a, c.key, `atk:${rng.int(0, 1e6)}`), asn: a, geo: { city: c }, where: c, trusted: false };
}

function attackerUa(rng: Rng, t: number): string {
  const r = rng.next();
  if (r < 0.3) return botoUa(sdkVersion('boto3', t, 90), '', '6.12.25-amd64', '3.13.5');
  if (r < 0.55) return cliUa(sdkVersion('cli2', t, 30), 'linux#6.12.25-amd64', rng.pick(['sts.get-caller-identity', 'iam.list-users', 's3.ls', 'ec2.describe-instances']));
  if (r < 0.7) return `aws-cli/1.${rng.int(29, 40)}.${rng.int(0, 40)} md/Botocore#1.${rng.int(31, 38)}.${rng.int(0, 40)} ua/2.0 os/linux#6.8.11-kali2-amd64 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy botocore/1.34.0`;
  if (r < 0.85) return botoUa(sdkVersion('boto3', t, 200), '', '6.8.11-amd64', '3.11.2') + ' Pacu';
  return `aws-sdk-go/1.${rng.int(44, 55)}.${rng.int(0, 300)} (go1.22.5; linux; amd64)`;
}

const RECON: Call[] = [
  ['iam', 'ListUsers'],
  ['iam', 'ListRoles'],
  ['iam', 'ListPolicies'],
  ['iam', 'ListGroups'],
  ['iam', 'GetAccountAuthorizationDetails'],
  ['iam', 'GetAccountSummary'],
  ['iam', 'ListAccessKeys'],
  ['iam', 'ListAttachedUserPolicies'],
  ['iam', 'ListAttachedRolePolicies'],
  ['s3', 'ListBuckets'],
  ['s3', 'GetBucketPolicy'],
  ['s3', 'GetBucketAcl'],
  ['lambda', 'ListFunctions20150331'],
  ['secretsmanager', 'ListSecrets'],
  ['ssm', 'DescribeParameters'],
  ['rds', 'DescribeDBInstances'],
  ['dynamodb', 'ListTables'],
  ['cloudtrail', 'DescribeTrails'],
  ['guardduty', 'ListDetectors'],
  ['organizations', 'DescribeOrganization'],
  ['kms', 'ListKeys'],
  ['ecr', 'DescribeRepositories'],
  ['eks', 'ListClusters'],
];

const ENUMERATE: Call[] = RECON.concat([
  ['ec2', 'DescribeInstances'],
  ['ec2', 'DescribeVpcs'],
  ['ec2', 'DescribeSnapshots'],
  ['ec2', 'DescribeVolumes'],
  ['ec2', 'DescribeImages'],
  ['sns', 'ListTopics'],
  ['sqs', 'ListQueues'],
  ['route53', 'ListHostedZones'],
  ['cloudformation', 'ListStacks'],
  ['logs', 'DescribeLogGroups'],
  ['glue', 'GetDatabases'],
  ['athena', 'ListWorkGroups'],
  ['iam', 'ListServerCertificates'],
  ['iam', 'ListSAMLProviders'],
  ['iam', 'ListOpenIDConnectProviders'],
  ['ec2', 'DescribeKeyPairs'],
  ['ec2', 'DescribeLaunchTemplates'],
  ['backup', 'ListBackupVaults'],
  ['servicequotas', 'ListServices'],
]);

/** Principals that may do IAM and account-wide reads without being denied. */
function privileged(p: Principal): boolean {
  return /Administrator|PowerUser|terraform|atlantis|spacelift|github-actions-terraform/.test(p.name) || p.kind === 'iam-human';
}

export function planCloudtrailAttack(kind: string, p: Principal, env: CtAttackEnv, rng: Rng): CtCall[] {
  const lo = env.trainDays + (env.totalDays - env.trainDays > 1 ? 1 : 0);
  const day = rng.int(lo, Math.max(lo, env.totalDays - 1));
  const home = city((REGIONS[p.regions[0]?.v ?? 'us-east-1'] as { city: string }).city);
  const night = rng.chance(0.45);
  let t = localMidnight(env.startMs, day, home) + (night ? rng.float(0, 5.5) : rng.float(6, 23)) * HOUR;
  const subtle = kind === 'stolen_credentials';
  const net = attackerNet(rng, p, subtle || rng.chance(0.15));
  const ua = subtle && rng.chance(0.4) ? p.ua(t, day, rng) || attackerUa(rng, t) : attackerUa(rng, t);
  const human = p.humans.length > 0 ? rng.pick(p.humans) : null;
  const session = p.type === 'AssumedRole' ? (human ? human.email : p.sessionName(day, rng) || 'session') : '';
  const key = p.type === 'IAMUser' && p.accessKey ? p.accessKey : `ASIA${rng.upperAlnum(16)}`;
  const sessionStart = t - rng.int(5, 50) * MIN;
  const region0 = p.regions[0]?.v ?? 'us-east-1';
  const priv = privileged(p);
  const out: CtCall[] = [];
  const add = (call: Call, o: { region?: string; err?: string; gap?: [number, number]; params?: Record<string, unknown> } = {}): void => {
    // A stolen person's session keeps its MFA claim; automation credentials never had one.
    const c: CtCall = { t, svc: call[0], action: call[1], region: o.region ?? region0, src: net, ua, session, accessKey: key, sessionStart, mfa: human !== null };
    if (o.err) c.err = o.err;
    if (o.params) c.params = o.params;
    out.push(c);
    const g = o.gap ?? [300, 8_000];
    t += rng.int(g[0], g[1]);
  };
  const denied = (call: Call, pDeny: number): string | undefined => (rng.chance(pDeny) ? (call[0] === 'ec2' ? 'Client.UnauthorizedOperation' : 'AccessDenied') : undefined);
  switch (kind) {
    case 'recon': {
      add(['sts', 'GetCallerIdentity']);
      const n = rng.int(25, 120);
      const regions = rng.sample(ALL_REGIONS, rng.int(4, 16));
      for (let i = 0; i < n; i++) {
        if (rng.chance(0.3)) {
          const c: Call = rng.pick([['ec2', 'DescribeInstances'], ['ec2', 'DescribeSecurityGroups'], ['ec2', 'DescribeVpcs'], ['lambda', 'ListFunctions20150331'], ['rds', 'DescribeDBInstances']] as Call[]);
          add(c, { region: rng.pick(regions), err: denied(c, priv ? 0.05 : 0.5) });
        } else {
          const c = rng.pick(RECON);
          add(c, { err: denied(c, priv ? 0.05 : 0.6) });
        }
      }
      break;
    }
    case 'privilege_escalation': {
      add(['sts', 'GetCallerIdentity'], { gap: [5_000, 60_000] });
      const backdoor = rng.pick(['svc-backup-admin', 'aws-support-sync', 'ci-deployer-2', 'monitoring-readonly', 'temp-admin']);
      const steps: [Call, Record<string, unknown> | undefined][] = [
        [['iam', 'ListAttachedUserPolicies'], undefined],
        [['iam', 'ListUserPolicies'], undefined],
        [['iam', 'GetUser'], undefined],
        [['iam', 'CreateUser'], { userName: backdoor }],
        [['iam', 'CreateAccessKey'], { userName: backdoor }],
        [['iam', 'AttachUserPolicy'], { userName: backdoor, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
        [['iam', 'PutUserPolicy'], { userName: backdoor, policyName: 'inline-ops' }],
        [['iam', 'CreateLoginProfile'], { userName: backdoor, passwordResetRequired: false }],
      ];
      if (p.type === 'AssumedRole') {
        steps.push([['iam', 'UpdateAssumeRolePolicy'], { roleName: p.name }]);
        steps.push([['iam', 'AttachRolePolicy'], { roleName: p.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
      }
      steps.push([['iam', 'AddUserToGroup'], { userName: backdoor, groupName: 'Admins' }]);
      for (const [c, prm] of steps) {
        const tries = priv ? 1 : rng.int(1, 2);
        for (let k = 0; k < tries; k++) add(c, { err: denied(c, priv ? 0.05 : 0.55), gap: [10_000, 4 * MIN], ...(prm ? { params: prm } : {}) });
      }
      break;
    }
    case 'crypto_mining': {
      add(['sts', 'GetCallerIdentity']);
      add(['ec2', 'DescribeRegions'], { gap: [2_000, 30_000] });
      const unused = ALL_REGIONS.filter((r) => !p.regions.some((x) => x.v === r) && !env.homeRegions.includes(r));
      const targets = rng.sample(unused, rng.int(2, 7));
      for (const region of targets) {
        add(['servicequotas', 'GetServiceQuota'], { region });
        add(['ec2', 'DescribeImages'], { region });
        add(['ec2', 'CreateKeyPair'], { region, err: denied(['ec2', 'CreateKeyPair'], priv ? 0.05 : 0.3) });
        add(['ec2', 'CreateSecurityGroup'], { region });
        add(['ec2', 'AuthorizeSecurityGroupIngress'], { region });
        const runs = rng.int(1, 4);
        for (let k = 0; k < runs; k++) {
          const err = rng.chance(0.4) ? rng.pick(['Client.VcpuLimitExceeded', 'Server.InsufficientInstanceCapacity', 'Client.UnauthorizedOperation']) : undefined;
          add(['ec2', 'RunInstances'], { region, ...(err ? { err } : {}), params: { instanceType: rng.pick(['g4dn.12xlarge', 'p3.8xlarge', 'c5.24xlarge', 'g5.48xlarge']), minCount: 1, maxCount: rng.pick([5, 10, 20]) }, gap: [5_000, 90_000] });
        }
        if (rng.chance(0.4)) add(['servicequotas', 'RequestServiceQuotaIncrease'], { region });
      }
      break;
    }
    case 'exfiltration': {
      add(['sts', 'GetCallerIdentity']);
      add(['s3', 'ListBuckets']);
      const buckets = p.buckets.length > 0 ? p.buckets : [`${env.company}-data-lake-raw`];
      for (const b of buckets) {
        add(['s3', 'GetBucketLocation'], { params: { bucketName: b } });
        for (let k = rng.int(1, 4); k > 0; k--) add(['s3', 'ListObjects'], { params: { bucketName: b, prefix: rng.pick(['', 'exports/', 'customers/', 'backups/']) } });
      }
      const target = rng.pick(buckets);
      const n = rng.int(80, 450);
      for (let i = 0; i < n; i++) add(['s3', 'GetObject'], { params: { bucketName: target, key: `${rng.pick(['customers', 'exports', 'backups', 'finance'])}/${rng.hex(10)}.${rng.pick(['csv', 'parquet', 'json.gz', 'sql.gz'])}` }, gap: [150, 6_000] });
      break;
    }
    case 'access_denied_storm': {
      add(['sts', 'GetCallerIdentity'], { gap: [500, 5_000] });
      const n = rng.int(80, 260);
      for (let i = 0; i < n; i++) {
        const c = rng.pick(ENUMERATE);
        const err = rng.chance(0.85) ? (c[0] === 'ec2' ? 'Client.UnauthorizedOperation' : c[0] === 'iam' || c[0] === 's3' ? 'AccessDenied' : 'AccessDeniedException') : undefined;
        add(c, { region: rng.chance(0.7) ? region0 : rng.pick(ALL_REGIONS), ...(err ? { err } : {}), gap: [60, 2_500] });
      }
      break;
    }
    default: {
      // stolen_credentials: the principal's own calls, a few, from elsewhere.
      const own = p.calls.length > 0 ? p.calls.map((c) => c.v) : ([['sts', 'GetCallerIdentity'], ['s3', 'ListBuckets'], ['ec2', 'DescribeInstances']] as Call[]);
      if (rng.chance(0.6)) add(['sts', 'GetCallerIdentity'], { gap: [20_000, 5 * MIN] });
      const n = rng.int(3, 12);
      for (let i = 0; i < n; i++) add(rng.pick(own), { gap: [10_000, 8 * MIN] });
      break;
    }
  }
  // Keep the whole attack inside the test window (shift by whole days, keeping the hour).
  if (out.length === 0) return out;
  const first = Math.min(...out.map((c) => c.t));
  const last = Math.max(...out.map((c) => c.t));
  let shift = 0;
  if (first < env.testStart) shift = Math.ceil((env.testStart - first) / DAY) * DAY;
  if (last + shift >= env.endMs) shift -= Math.ceil((last + shift - env.endMs + 1) / DAY) * DAY;
  if (first + shift < env.testStart) shift = env.testStart - first + MIN;
  for (const c of out) {
    c.t += shift;
    c.sessionStart += shift;
  }
  return out.filter((c) => c.t >= env.testStart && c.t < env.endMs);
}
