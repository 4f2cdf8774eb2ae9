/**
 * CloudTrail tooling variants added for set 5 (variants.ts), planted like the others and
 * labelled with the usual families:
 *
 * - T1078 `leaked-key`: a long-term IAM user key (AKIA) leaked in a public repository. Obvious:
 *   a harvester from a hosting range within the hour: who am I, can I send mail (SES), what are
 *   my GPU quotas, a key pair imported and GPU instances launched in several regions (some
 *   refused). Subtle: a handful of the principal's usual S3 reads with boto3 from a home line in
 *   a country the organisation has nobody in, in that country's working hours.
 * - T1098 `inline-admin`: an IAM user writes itself an inline policy allowing everything
 *   (PutUserPolicy) and uses it on secrets and parameters. Obvious: stolen keys from a hosting
 *   range at night. Subtle: the owner's own network and CLI in working hours, a policy named
 *   like a debugging aid, the new rights used lightly.
 * - T1098 `cross-user-key`: an access key created for another IAM user, then used from a VPS.
 *   Obvious: both at night from hosting ranges abroad. Subtle: the key made in working hours
 *   from the admin's own network and tool, used the next day from a hosting range at home.
 * - T1530 `s3-select`: objects read with S3 Select, a query per object. Obvious: stolen keys
 *   from a hosting range at night over a few exports. Subtle: the principal's credentials from
 *   a commercial VPN exit in its own country in working hours, one bucket.
 * - T1537 `backup-copy`: AWS Backup recovery points copied to a vault in a stranger's account.
 *   Obvious: vaults listed and recent recovery points copied at night from hosting. Subtle: two
 *   copy jobs from the admin's own network and CLI in working hours, like a disaster-recovery test.
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { agentString, API, versionOf, type Op, type ToolName } from './aws_catalogue';
import { CallWriter, type AwsScene } from './aws_activity';
import { fromConn, fromExit, hqOffset, intruderCli, memberAt, type Operation, scoredDay, sessionFor } from './aws_attacks';
import type { Principal } from './aws_estate';
import { cliOf, exitsAbroad, hqCountry, ownAgent, vpnIn } from './aws_tooling2';
import type { Source } from './cloudtrail_document';
import { laptopConnection, planDay } from './days';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

const EVERYTHING = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

export const hostingAbroad = (scene: AwsScene): Network[] => exitsAbroad(hqCountry(scene)).filter((n) => n.kind === 'hosting');

/** Hosting ranges in a country (not the organisation's), else abroad. */
function hostingIn(scene: AwsScene, cc: string): Network[] {
  const local = (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.kind === 'hosting' && n.place.cc === cc);
  return local.length > 0 ? local : hostingAbroad(scene);
}

/** The member's own day: where their laptop is and when they start. */
export function ownDay(member: Person, day: number, scene: AwsScene, d: Dice): { source: Source; start: number; offset: number } {
  const plan = planDay(member, day, scene);
  return { source: fromConn(laptopConnection(member, plan, scene, d)), start: plan.shift?.start ?? member.habits.start, offset: plan.offset };
}

/** The tool and version a principal's own installation signs calls with. */
export function ownTool(scene: AwsScene, p: Principal, member: Person | undefined, tool: Exclude<ToolName, 'console'>): (op: Op, t: number) => string {
  if (member) return (op, t) => ownAgent(scene, member, tool, op, t);
  const b = p.behaviour;
  const own = b.kind === 'machine' ? b.tool : tool;
  return (op, t) => agentString({ tool: own, version: versionOf(own, scene.window.start, t, p.lag), op, os: 'linux' });
}

/**
 * Where an intrusion works from: subtle, the member's own day, network and tool in working
 * hours; obvious (or nobody behind the principal), a hosting range abroad at the member's night.
 */
function vantage(x: Operation, day: number, member: Person | undefined): { t: number; source: Source; agent: (op: Op, t: number) => string } {
  const { d, scene } = x;
  const p = x.victim.principal;
  if (x.victim.style === 'subtle' && member) {
    const own = ownDay(member, day, scene, d);
    const tool = cliOf(p);
    return { t: atLocal(day, own.start + d.uniform(1, 5), own.offset), source: own.source, agent: (op, t) => ownAgent(scene, member, tool, op, t) };
  }
  const t = atLocal(day, d.uniform(0.5, 4), member ? PLACES[member.site.place].offset[scene.org.season] : hqOffset(scene));
  return { t, source: fromExit(d.one(hostingAbroad(scene)), d), agent: (op) => intruderCli(op) };
}

export const regionOf = (op: Op, scene: AwsScene): string => (op.provider === 'iam.amazonaws.com' || op.provider === 'sts.amazonaws.com' || op.action === 'ListBuckets' ? 'us-east-1' : scene.estate.homeRegion);

/** A principal's calls with a key of its own (the one the intruder holds), from a source, one after another. */
function withKey(x: Operation, who: Principal, accessKeyId: string, t: number, source: Source, ops: readonly Op[], agent: (op: Op, t: number) => string, gap: [number, number]): number {
  const w = new CallWriter({ ...who, identity: { ...who.identity, accessKeyId } }, x.scene, x.d);
  for (const op of ops) {
    w.call({ t, op, region: regionOf(op, x.scene), source, userAgent: agent(op, t) });
    t += x.d.between(gap[0], gap[1]) * 1000;
  }
  x.extra.push(...w.out);
  return t;
}

const reads = (d: Dice, lo: number, hi: number): Op[] => [API.sts.GetCallerIdentity, API.s3.ListBuckets, ...Array<Op>(d.between(2, 4)).fill(API.s3.ListObjects), ...Array<Op>(d.between(lo, hi)).fill(API.s3.GetObject)];

// ---------------------------------------------------------------- the leaked long-term key

const GPU_REGIONS = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];
const HARVESTER = (op: Op): string => agentString({ tool: 'boto3', version: '1.28.57', op, os: 'linux' });

function leakedKey(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d);
  const key = p.identity.accessKeyId ?? `AKIA${d.alnum(16)}`;
  if (x.victim.style === 'obvious') {
    const exit = d.one(hostingAbroad(scene));
    const source = fromExit(exit, d);
    let t = day + Math.round(d.uniform(0, 24) * HOUR);
    const call = (op: Op, region: string, params?: Record<string, unknown>, errorCode?: string): void => void (t = x.call(t, op, source, HARVESTER(op), undefined, errorCode, region, params));
    call(API.sts.GetCallerIdentity, 'us-east-1');
    call(API.ses.GetSendQuota, 'us-east-1', undefined, d.chance(0.5) ? 'AccessDenied' : undefined);
    call(API.ses.ListIdentities, 'us-east-1', undefined, d.chance(0.5) ? 'AccessDenied' : undefined);
    call(API.ec2.DescribeRegions, 'us-east-1');
    const regions = d.some(GPU_REGIONS, d.between(3, 6));
    for (const region of regions) {
      call(API.servicequotas.GetServiceQuota, region, { serviceCode: 'ec2', quotaCode: 'L-DB2E81BA' });
      call(API.ec2.ImportKeyPair, region, { keyName: `k${d.hex(6)}` });
      const refused = d.chance(0.35);
      call(API.ec2.RunInstances, region, { instanceType: d.one(['g4dn.12xlarge', 'p3.8xlarge', 'g5.12xlarge', 'c6i.32xlarge']), minCount: d.between(2, 10), maxCount: 20 }, refused ? 'Client.UnauthorizedOperation' : undefined);
    }
    return `${p.identity.name}'s long-term key (${key.slice(0, 8)}…) harvested from a public repository and used from ${exit.org} (${exit.place.country}): SES and GPU quotas checked, GPU instances launched in ${regions.length} regions`;
  }
  const away = new Set(scene.org.sites.map((s) => PLACES[s.place].cc));
  const lines = (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.kind === 'residential' && !away.has(n.place.cc) && n.introducedBy === undefined);
  const line = d.one(lines);
  const source = fromExit(line, d);
  const member = memberAt(p, scene, day, d);
  const t = atLocal(day, d.uniform(10, 16), line.place.offset[scene.org.season]);
  const ops = reads(d, 4, 14);
  withKey(x, p, key, t, source, ops, ownTool(scene, p, member, 'boto3'), [5, 90]);
  return `${p.identity.name}'s long-term key used with boto3 from a home line in ${line.place.country} (${line.org}), a country the organisation has nobody in, in its working hours: ${ops.length} S3 calls`;
}

// ---------------------------------------------------------------- the inline policy

function inlineAdmin(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const self = p.identity.name;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const at = vantage(x, day, member);
  let t = at.t;
  const call = (op: Op, params?: Record<string, unknown>, errorCode?: string): void => void (t = x.call(t, op, at.source, at.agent(op, t), undefined, errorCode, regionOf(op, scene), params));
  if (!obvious && member) {
    call(API.iam.ListUserPolicies, { userName: self });
    call(API.iam.PutUserPolicy, { userName: self, policyName: 'tmp-debug-access', policyDocument: EVERYTHING });
    t += d.between(5, 40) * MINUTE;
    call(API.iam.ListRoles);
    for (let k = d.between(2, 4); k > 0; k--) call(API.secretsmanager.GetSecretValue, { secretId: `prod/${d.one(['cdw', 'fhir', 'redcap', 'pacs'])}/db` });
    return `${self} wrote itself an inline policy allowing everything ("tmp-debug-access") in working hours from the owner's own network and ${cliOf(p)}, then read a few secrets`;
  }
  call(API.sts.GetCallerIdentity);
  call(API.secretsmanager.ListSecrets, undefined, 'AccessDenied');
  call(API.iam.ListAttachedUserPolicies, { userName: self });
  call(API.iam.ListUserPolicies, { userName: self });
  const name = d.one(['AWSSupportAccessInline', 'cw-agent-inline', 'backup-helper']);
  call(API.iam.PutUserPolicy, { userName: self, policyName: name, policyDocument: EVERYTHING });
  call(API.iam.ListUsers);
  call(API.secretsmanager.ListSecrets);
  for (let k = d.between(4, 10); k > 0; k--) call(API.secretsmanager.GetSecretValue);
  call(API.ssm.GetParametersByPath, { path: '/', recursive: true, withDecryption: true });
  const exit = at.source.kind === 'ip' ? at.source.network : undefined;
  return `${self}'s keys from ${exit?.org ?? 'a hosting range'} at night: denied, then an inline policy allowing everything ("${name}") put on itself, and secrets and parameters read`;
}

// ---------------------------------------------------------------- a key for someone else

function crossUserKey(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const target = x.victim.accomplice;
  const targetName = target?.identity.name ?? 'svc-legacy-sftp';
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const newKey = `AKIA${d.alnum(16)}`;
  const at = vantage(x, day, member);
  const { source } = at;
  let t = at.t;
  const session = sessionFor(p, member, t, d);
  const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, source, at.agent(op, t), session, undefined, regionOf(op, scene), params));
  if (obvious || !member) {
    call(API.sts.GetCallerIdentity);
    call(API.iam.ListUsers);
  }
  call(API.iam.ListAccessKeys, { userName: targetName });
  call(API.iam.CreateAccessKey, { userName: targetName });
  if (!target) return `an access key created for ${targetName}`;
  // The other user's new key, from a VPS.
  const vps = obvious ? d.one(hostingAbroad(scene).filter((n) => source.kind !== 'ip' || n !== source.network)) : d.one(hostingIn(scene, hqCountry(scene)));
  const u = obvious ? t + d.between(5, 30) * MINUTE : atLocal(day + DAY, d.uniform(9, 16), hqOffset(scene));
  const ops = [...reads(d, 10, 30), API.secretsmanager.ListSecrets];
  withKey(x, target, newKey, u, fromExit(vps, d), ops, (op) => intruderCli(op), [3, 60]);
  const made = obvious ? 'at night from a hosting range' : `in working hours from ${member?.login ?? 'the admin'}'s own network and tool`;
  return `an access key created for another IAM user, ${targetName}, ${made}; the key used ${obvious ? 'minutes later' : 'the next day'} from ${vps.org} (${vps.place.city}): ${ops.length} calls`;
}

// ---------------------------------------------------------------- S3 Select

const EXPORTS = ['research-cohort-exports', 'cdw-extracts', 'trial-edc-exports', 'imaging-metadata', 'biobank-registry'];

function s3Select(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const buckets = d.some(EXPORTS, obvious ? d.between(2, 3) : 1).map((b) => `${scene.org.domain.split('.')[0]}-${b}`);
  const n = obvious ? d.between(300, 900) : d.between(120, 300);
  const span = (obvious ? d.uniform(0.6, 1.5) : d.uniform(1, 2)) * HOUR;
  let t: number;
  let source: Source;
  let agent: (op: Op, t: number) => string;
  let where: string;
  if (obvious) {
    const exit = d.one(hostingAbroad(scene));
    source = fromExit(exit, d);
    t = atLocal(day, d.uniform(0.5, 3.5), hqOffset(scene));
    agent = (op) => intruderCli(op);
    where = `${exit.org} (${exit.place.country}) at night`;
  } else {
    const cc = member ? PLACES[member.site.place].cc : hqCountry(scene);
    const vpn = d.one(vpnIn(cc));
    source = fromExit(vpn, d);
    t = member ? atLocal(day, (planDay(member, day, scene).shift?.start ?? member.habits.start) + d.uniform(1, 4), PLACES[member.site.place].offset[scene.org.season]) : atLocal(day, d.uniform(9, 14), hqOffset(scene));
    agent = ownTool(scene, p, member, 'boto3');
    where = `${vpn.org} (${vpn.place.city}) in working hours`;
  }
  const session = sessionFor(p, member, t, d);
  const calls: [number, Op, Record<string, unknown>][] = [];
  for (const bucket of buckets) calls.push([t + d.uniform(0, 0.05) * span, API.s3.ListObjects, { bucketName: bucket, 'list-type': 2 }]);
  for (let k = 0; k < n; k++) {
    const bucket = d.one(buckets);
    const parquet = d.chance(0.4);
    calls.push([t + d.uniform(0.05, 1) * span, API.s3.SelectObjectContent, { bucketName: bucket, key: `${d.hex(2)}/${d.hex(10)}.${parquet ? 'parquet' : 'csv.gz'}`, expression: 'SELECT * FROM s3object s', expressionType: 'SQL', inputSerialization: parquet ? { Parquet: {} } : { CSV: { FileHeaderInfo: 'USE' }, CompressionType: 'GZIP' }, outputSerialization: { JSON: {} } }]);
  }
  calls.sort((a, b) => a[0] - b[0]);
  for (const [at, op, params] of calls) x.call(Math.round(at), op, source, agent(op, at), session, undefined, scene.estate.homeRegion, params);
  return `${n} objects read with S3 Select (SELECT * FROM s3object) across ${buckets.length} bucket(s) from ${where}`;
}

// ---------------------------------------------------------------- AWS Backup to a stranger's vault

function backupCopy(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const stranger = d.one(scene.estate.strangerAccounts);
  const region = scene.estate.homeRegion;
  const vault = d.one(['prod-daily', 'clinical-systems', 'research-data']);
  const at = vantage(x, day, member);
  let t = at.t;
  const session = sessionFor(p, member, t, d);
  const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, at.source, at.agent(op, t), session, undefined, regionOf(op, scene), params));
  if (obvious) {
    call(API.sts.GetCallerIdentity);
    call(API.backup.ListBackupVaults);
  }
  call(API.backup.ListRecoveryPointsByBackupVault, { backupVaultName: vault });
  const copies = obvious ? d.between(3, 8) : 2;
  for (let k = 0; k < copies; k++) {
    call(API.backup.StartCopyJob, {
      recoveryPointArn: `arn:aws:ec2:${region}::snapshot/snap-0${d.hex(16)}`,
      sourceBackupVaultName: vault,
      destinationBackupVaultArn: `arn:aws:backup:${region}:${stranger}:backup-vault:${obvious ? 'import' : 'dr-copy'}`,
      iamRoleArn: `arn:aws:iam::${p.identity.account}:role/service-role/AWSBackupDefaultServiceRole`,
    });
  }
  for (let k = d.between(2, 4); k > 0; k--) {
    t += d.between(2, 10) * MINUTE;
    call(API.backup.DescribeCopyJob, { copyJobId: d.uuid().toUpperCase() });
  }
  const from = obvious ? 'at night from a hosting range' : `in working hours from ${member?.login ?? 'the admin'}'s own network and tool`;
  return `${copies} recovery points of the ${vault} vault copied to a vault in account ${stranger} with AWS Backup, ${from}`;
}

/** The set 5 variants, as plantAwsVariant dispatches them. */
export const SET5_AWS_TOOLING = { 'leaked-key': leakedKey, 'inline-admin': inlineAdmin, 'cross-user-key': crossUserKey, 's3-select': s3Select, 'backup-copy': backupCopy } as const;
