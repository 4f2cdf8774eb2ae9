/**
 * CloudTrail tooling variants added for set 4 (variants.ts), planted like the others and
 * labelled with the usual families:
 *
 * - T1098 `login-profile` (T1098.001, additional cloud credentials): with a person's stolen
 *   credentials, at night from a hosting range, the intruder looks for IAM users without a console
 *   password (GetLoginProfile), gives a machine user one (CreateLoginProfile) and a second access
 *   key, then signs in to the console as that user and tries the new key. Subtle: in working
 *   hours from the admin's own network and tool, an old, inactive access key of a machine user is
 *   re-enabled (UpdateAccessKey); the next day that key is used from a commercial VPN exit in
 *   the home country to list and read a few buckets.
 * - T1530 `s3-cp-ec2`: the stolen credentials are copied onto an EC2 instance in the victim's own
 *   account and `aws s3 cp --recursive` runs there, so the reads come from the account's own
 *   region with the instance image's CLI. Obvious: the instance is launched for it from a
 *   hosting range at night (SSH opened to that range), the buckets copied, the instance
 *   terminated. Subtle: the team's jump host, reached through Session Manager from the owner's
 *   own laptop in working hours, copies one prefix through the VPC's NAT gateway.
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { agentString, API, versionOf, type Op, type ToolName } from './aws_catalogue';
import { CallWriter, type AwsScene } from './aws_activity';
import { EXITS, fromConn, fromExit, hqOffset, intruderCli, memberAt, type Operation, scoredDay, sessionFor, usualCliTool } from './aws_attacks';
import type { Principal } from './aws_estate';
import type { Session, Source } from './cloudtrail_document';
import { laptopConnection, planDay } from './days';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

const INTRUDER_BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/161.0.0.0 Safari/537.36';
/** The CLI an Amazon Linux 2023 image ships (older than anyone's laptop), running `aws s3 cp`. */
const IMAGE_CLI = 'aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.119-129.201.amzn2023.x86_64 md/arch#x86_64 lang/python#3.9.20 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/distrib#amzn.2023 md/prompt#off md/command#s3.cp';

export const hqCountry = (scene: AwsScene): string => PLACES[scene.org.sites[0].place].cc;

/** Hosting and VPN exits outside a country. */
export const exitsAbroad = (cc: string): Network[] => EXITS.map((n): Network => NETWORKS[n]).filter((n) => n.place.cc !== cc && n.kind !== 'tor');

/** Commercial VPN exits in a country (any city), else abroad. */
export function vpnIn(cc: string): Network[] {
  const local = (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.kind === 'vpn' && n.place.cc === cc);
  return local.length > 0 ? local : exitsAbroad(cc).filter((n) => n.kind === 'vpn');
}

/** A person's own installation of a CLI or SDK at an instant. */
export function ownAgent(scene: AwsScene, member: Person, tool: Exclude<ToolName, 'console'>, op: Op, t: number, command?: string): string {
  const lag = scene.dice.for('install', member.index, tool).between(0, 8);
  const os = member.laptop.os === 'Linux' ? 'linux' : member.laptop.os === 'macOS' ? 'macos' : 'windows';
  return agentString({ tool, version: versionOf(tool, scene.window.start, t, lag), op, os, command });
}

export const cliOf = (p: Principal): Exclude<ToolName, 'console'> => {
  const tool = usualCliTool(p);
  return tool === 'console' || tool === 'terraform' ? 'aws-cli' : tool;
};

// ---------------------------------------------------------------- additional cloud credentials

function loginProfile(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const target = x.victim.accomplice;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const targetName = target?.identity.name ?? 'svc-legacy-ftp';
  if (!obvious && target && member) {
    // The admin's own day, network and tool: an old key switched back on.
    const plan = planDay(member, day, scene);
    const source = fromConn(laptopConnection(member, plan, scene, d));
    let t = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(1, 5), plan.offset);
    const session = sessionFor(p, member, t, d);
    const tool = cliOf(p);
    const oldKey = `AKIA${d.alnum(16)}`;
    t = x.call(t, API.iam.ListAccessKeys, source, ownAgent(scene, member, tool, API.iam.ListAccessKeys, t), session, undefined, 'us-east-1', { userName: targetName });
    x.call(t + d.between(20, 300) * 1000, API.iam.UpdateAccessKey, source, ownAgent(scene, member, tool, API.iam.UpdateAccessKey, t), session, undefined, 'us-east-1', { userName: targetName, accessKeyId: oldKey, status: 'Active' });
    // The re-enabled key, the next day, from a VPN exit at home.
    const vpn = d.one(vpnIn(hqCountry(scene)));
    const exit = fromExit(vpn, d);
    const used: Principal = { ...target, identity: { ...target.identity, accessKeyId: oldKey } };
    const follow = new CallWriter(used, scene, d);
    let u = atLocal(day + DAY, d.uniform(10, 20), hqOffset(scene));
    const agent = (op: Op): string => agentString({ tool: 'aws-cli', version: versionOf('aws-cli', scene.window.start, u, 0), op, os: 'linux' });
    const ops: Op[] = [API.sts.GetCallerIdentity, API.s3.ListBuckets, ...Array<Op>(d.between(2, 4)).fill(API.s3.ListObjects), ...Array<Op>(d.between(10, 30)).fill(API.s3.GetObject)];
    for (const op of ops) {
      follow.call({ t: u, op, region: op.provider === 'sts.amazonaws.com' || op.action === 'ListBuckets' ? 'us-east-1' : scene.estate.homeRegion, source: exit, userAgent: agent(op) });
      u += d.between(2, 40) * 1000;
    }
    x.extra.push(...follow.out);
    return `an inactive old access key of ${targetName} re-enabled in working hours from ${member.login}'s own network and tool; the key used the next day from ${vpn.org} (${vpn.place.city}): ${ops.length} calls`;
  }
  const exit = d.one(exitsAbroad(hqCountry(scene)).filter((n) => n.kind === 'hosting'));
  const source = fromExit(exit, d);
  const offset = member ? PLACES[member.site.place].offset[scene.org.season] : hqOffset(scene);
  let t = atLocal(day, d.uniform(0.5, 4), offset);
  const session = sessionFor(p, member, t, d);
  const cli = (op: Op, params?: Record<string, unknown>, errorCode?: string, errorMessage?: string): void => {
    x.writer.call({ t, op, region: 'us-east-1', source, userAgent: intruderCli(op), session, errorCode, errorMessage, requestParameters: params });
    t += d.between(2, 25) * 1000;
  };
  cli(API.sts.GetCallerIdentity);
  cli(API.iam.ListUsers);
  // Which users have no console password yet: people do, machine users do not.
  const users = scene.estate.principals.filter((q) => q.identity.type === 'IAMUser' && q.createdOn === undefined && q.identity.name !== targetName);
  for (const q of [...d.some(users, d.between(2, 5)), ...(target ? [target] : [])]) {
    const none = q.role === 'machine-user' || q.identity.name === targetName;
    cli(API.iam.GetLoginProfile, { userName: q.identity.name }, none ? 'NoSuchEntityException' : undefined, none ? `Login Profile for User ${q.identity.name} cannot be found.` : undefined);
  }
  cli(API.iam.CreateLoginProfile, { userName: targetName, passwordResetRequired: false });
  cli(API.iam.ListAccessKeys, { userName: targetName });
  cli(API.iam.CreateAccessKey, { userName: targetName });
  if (!target) return `at night from ${exit.org}: a console password and a second access key for ${targetName}`;
  // The machine user, now with a password and a second key.
  const web = new CallWriter(target, scene, d);
  const second = exitsAbroad(hqCountry(scene)).filter((n) => n !== exit);
  const consoleSource = fromExit(d.one(second), d);
  let u = t + d.between(15, 90) * MINUTE;
  web.call({ t: u, op: API.signin.ConsoleLogin, region: scene.estate.homeRegion, source: consoleSource, userAgent: INTRUDER_BROWSER, console: { success: true, mfa: false, loginTo: 'https://console.aws.amazon.com/console/home' } });
  for (const op of [API.s3.ListBuckets, API.s3.ListObjects, API.s3.GetObject, API.s3.GetObject, API.secretsmanager.ListSecrets, API.secretsmanager.GetSecretValue, API.iam.ListUsers, API.ec2.DescribeInstances]) {
    u += d.between(15, 120) * 1000;
    web.call({ t: u, op, region: op.provider === 'iam.amazonaws.com' || op.action === 'ListBuckets' ? 'us-east-1' : scene.estate.homeRegion, source: consoleSource, userAgent: INTRUDER_BROWSER });
  }
  const keyed = new CallWriter({ ...target, identity: { ...target.identity, accessKeyId: `AKIA${d.alnum(16)}` } }, scene, d);
  let k = t + d.between(2, 10) * MINUTE;
  for (const op of [API.sts.GetCallerIdentity, API.s3.ListBuckets]) {
    keyed.call({ t: k, op, region: 'us-east-1', source, userAgent: intruderCli(op) });
    k += d.between(5, 30) * 1000;
  }
  x.extra.push(...web.out, ...keyed.out);
  return `at night from ${exit.org}: IAM users probed for console passwords, ${targetName} given one and a second access key; ${targetName} then signed in to the console without MFA and tried the key`;
}

// ---------------------------------------------------------------- the copy from inside the account

/** A copy of some buckets: a listing page per thousand keys, then every object. */
function copyOut(x: Operation, t: number, source: Source, session: Session | undefined, buckets: readonly string[], objects: number, spanHours: number): number {
  const { d, scene } = x;
  const calls: [number, Op, Record<string, unknown>][] = [];
  const per = Math.ceil(objects / buckets.length);
  for (const bucket of buckets) {
    const pages = Math.max(1, Math.ceil(per / 1000));
    for (let k = 0; k < pages; k++) calls.push([t + (k / pages) * 0.1 * spanHours * HOUR, API.s3.ListObjects, { bucketName: bucket, 'list-type': 2, prefix: '' }]);
    for (let k = 0; k < per; k++) calls.push([t + d.uniform(0.02, 1) * spanHours * HOUR, API.s3.GetObject, { bucketName: bucket, key: `${d.hex(2)}/${d.hex(12)}` }]);
  }
  calls.sort((a, b) => a[0] - b[0]);
  for (const [at, op, params] of calls) x.call(Math.round(at), op, source, IMAGE_CLI, session, undefined, scene.estate.homeRegion, params);
  return t + spanHours * HOUR;
}

const bucketsOf = (scene: AwsScene, d: Dice, n: number): string[] =>
  d.some(['data-lake-raw', 'finance-exports', 'customer-documents', 'lab-results', 'supplier-contracts', 'payroll-archive'], n).map((b) => `${scene.org.domain.split('.')[0]}-${b}`);

function s3CpEc2(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  if (!member) throw new Error(`s3-cp-ec2 needs a principal with people behind it, not ${p.identity.name}`);
  const region = scene.estate.homeRegion;
  const regionNet = NETWORKS[scene.estate.regionNetwork[region]];
  const instance = `i-0${d.hex(16)}`;
  if (obvious) {
    const exit = d.one(exitsAbroad(hqCountry(scene)).filter((n) => n.kind === 'hosting'));
    const source = fromExit(exit, d);
    let t = atLocal(day, d.uniform(0.5, 3.5), PLACES[member.site.place].offset[scene.org.season]);
    const session = sessionFor(p, member, t, d);
    const cli = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, source, intruderCli(op), session, undefined, region, params));
    cli(API.sts.GetCallerIdentity);
    cli(API.ec2.DescribeVpcs);
    cli(API.ec2.DescribeSubnets);
    cli(API.ec2.DescribeImages, { filterSet: { items: [{ name: 'name', valueSet: { items: [{ value: 'al2023-ami-*' }] } }] } });
    cli(API.ec2.RunInstances, { instancesSet: { items: [{ imageId: `ami-0${d.hex(16)}`, minCount: 1, maxCount: 1 }] }, instanceType: d.one(['c6i.2xlarge', 'm6i.xlarge', 't3.xlarge']), keyName: `tmp-${d.hex(6)}` });
    cli(API.ec2.AuthorizeSecurityGroupIngress, { ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: `${source.kind === 'ip' ? source.ip : ''}/32` }] } }] } });
    for (let k = d.between(2, 4); k > 0; k--) cli(API.ec2.DescribeInstances, { instancesSet: { items: [{ instanceId: instance }] } });
    const fromInstance: Source = { kind: 'ip', ip: addressIn(regionNet, d), network: regionNet };
    const buckets = bucketsOf(scene, d, d.between(1, 3));
    const objects = d.between(600, 2000);
    const copyStart = t + d.between(4, 12) * MINUTE;
    t = copyOut(x, x.call(copyStart, API.s3.ListBuckets, fromInstance, IMAGE_CLI.replace('s3.cp', 's3.ls'), session, undefined, 'us-east-1'), fromInstance, session, buckets, objects, d.uniform(0.5, 1.5));
    t += d.between(3, 20) * MINUTE;
    cli(API.ec2.TerminateInstances, { instancesSet: { items: [{ instanceId: instance }] } });
    return `at night from ${exit.org}: an instance launched in the account with the stolen credentials, aws s3 cp --recursive of ${buckets.length} bucket(s) from it (${objects} objects, the region's own addresses), the instance terminated`;
  }
  // Subtle: the team's jump host, through Session Manager from the owner's own laptop.
  const plan = planDay(member, day, scene);
  const own = fromConn(laptopConnection(member, plan, scene, d));
  let t = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(1.5, 4.5), plan.offset);
  const session = sessionFor(p, member, t, d);
  const tool = cliOf(p);
  t = x.call(t, API.ssm.StartSession, own, ownAgent(scene, member, tool, API.ssm.StartSession, t), session, undefined, region, { target: instance });
  const nat: Source = { kind: 'ip', ip: `${regionNet.prefixes[0]}.${40 + d.between(0, 1)}`, network: regionNet };
  const objects = d.between(150, 400);
  const end = copyOut(x, t + d.between(2, 8) * MINUTE, nat, session, bucketsOf(scene, d, 1), objects, d.uniform(1, 2));
  x.call(end + d.between(2, 15) * MINUTE, API.ssm.TerminateSession, own, ownAgent(scene, member, tool, API.ssm.TerminateSession, end), session, undefined, region);
  return `${member.login}'s credentials on the team's jump host (Session Manager from their own laptop, working hours): aws s3 cp --recursive of ${objects} objects through the VPC's NAT gateway`;
}

/** The set 4 variants, as plantAwsVariant dispatches them. */
export const MORE_AWS_TOOLING = { 'login-profile': loginProfile, 's3-cp-ec2': s3CpEc2 } as const;
