/**
 * CloudTrail tooling variants (variants.ts), planted like the classic ones in aws_attacks.ts and
 * labelled with the same families:
 *
 * - T1078 `instance-credentials`: a batch host's or task's role credentials, taken through the
 *   metadata service, used in the hours they stay valid: the same session name and key the
 *   workload used that day. Obvious: from a hosting range abroad, recon and bucket reads with
 *   an intruder's CLI. Subtle: from another account's EC2 in the same region, boto3, S3 only.
 * - T1098 `workload-iam`: a workload role's credentials give an IAM user (a machine user nobody
 *   signs in as) a console password and AdministratorAccess from a hosting range at night, then
 *   that user signs in to the console; or, subtle, the workload attaches AdministratorAccess to
 *   its own role from its own address with its own SDK, while it runs.
 * - T1530 `rclone`: stolen long-lived keys and rclone from a hosting range, a bucket copied.
 *   `s3-sync`: a person's CLI credentials and `aws s3 sync` from a commercial VPN exit in their
 *   own country, in working hours.
 * - T1537 `bucket-replication`: versioning on, a replication role, a rule copying a bucket to
 *   another account, at night from hosting. `ami-share`: an instance imaged and the image's
 *   launch permission given to another account, from the engineer's own network and CLI.
 * - T1213 `athena-bulk`: the owner at night from home, Athena over customer tables, every result.
 *
 * Set 4's `login-profile` and `s3-cp-ec2` are in aws_tooling2.ts, set 5's `leaked-key`,
 * `inline-admin`, `cross-user-key`, `s3-select` and `backup-copy` in aws_tooling3.ts, set 6's
 * `federation-token`, `ssm-command`, `lambda-backdoor`, `ebs-direct` and `s3-copy-out` in aws_tooling4.ts.
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { agentString, API, versionOf, type Op, type ToolName } from './aws_catalogue';
import { CallWriter, ordinaryCalls, workloadSource, type AwsScene } from './aws_activity';
import { EXITS, fromConn, fromExit, hqOffset, intruderCli, memberAt, Operation, recon, scoredDay, sessionFor, usualCliTool, type AwsVictim } from './aws_attacks';
import type { Principal } from './aws_estate';
import type { Session, Source } from './cloudtrail_document';
import { laptopConnection, planDay, type Connection } from './days';
import { MORE_AWS_TOOLING } from './aws_tooling2';
import { SET5_AWS_TOOLING } from './aws_tooling3';
import { SET6_AWS_TOOLING } from './aws_tooling4';
import { SET7_AWS_TOOLING } from './aws_tooling5';
import type { Emitted, PlantedAttack } from './labels';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const RCLONE = 'rclone/v1.69.1';
const INTRUDER_BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/160.0.0.0 Safari/537.36';

const hqCountry = (scene: AwsScene): string => PLACES[scene.org.sites[0].place].cc;

/** Hosting and VPN exits outside a country. */
const exitsAbroad = (cc: string): Network[] => EXITS.map((n) => NETWORKS[n]).filter((n) => n.place.cc !== cc && n.kind !== 'tor');

/** Commercial VPN exits in a country (any city), else abroad. */
function vpnIn(cc: string): Network[] {
  const local = (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.kind === 'vpn' && n.place.cc === cc);
  return local.length > 0 ? local : exitsAbroad(cc).filter((n) => n.kind === 'vpn');
}

const osOf = (p: Person): 'linux' | 'macos' | 'windows' => (p.laptop.os === 'Linux' ? 'linux' : p.laptop.os === 'macOS' ? 'macos' : 'windows');

/** A person's own installation of a tool: the version they run at an instant. */
function ownAgent(scene: AwsScene, member: Person, tool: Exclude<ToolName, 'console'>, op: Op, t: number, command?: string): string {
  const lag = scene.dice.for('install', member.index, tool).between(0, 8);
  return agentString({ tool, version: versionOf(tool, scene.window.start, t, lag), op, os: osOf(member), command });
}

/** Where a person is on a day, as their laptop reaches AWS. */
function ownConnection(member: Person, day: number, scene: AwsScene, d: Dice): { conn: Connection; start: number; offset: number } {
  const plan = planDay(member, day, scene);
  return { conn: laptopConnection(member, plan, scene, d), start: plan.shift?.start ?? member.habits.start, offset: plan.offset };
}

const get = (doc: unknown, dotted: string): unknown =>
  dotted.split('.').reduce<unknown>((cur, k) => (cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), doc);

/**
 * The session a workload really held on a day, read back from its own ordinary calls (the
 * generator is keyed, so running it again gives the same calls), and when it last used it.
 */
function sessionSeen(p: Principal, scene: AwsScene, day: number): { session: Session; last: number } | undefined {
  const calls = ordinaryCalls(p, scene).filter((e) => e.t >= day && e.t < day + DAY && typeof get(e.doc, 'aws.cloudtrail.user_identity.access_key_id') === 'string');
  if (calls.length === 0) return undefined;
  const doc = calls[0].doc;
  const arn = String(get(doc, 'aws.cloudtrail.user_identity.arn'));
  const created = String(get(doc, 'aws.cloudtrail.user_identity.session_context.creation_date'));
  const iso = `${created.slice(0, 4)}-${created.slice(4, 6)}-${created.slice(6, 8)}T${created.slice(9, 11)}:${created.slice(11, 13)}:${created.slice(13, 15)}Z`;
  return {
    session: { name: arn.slice(arn.lastIndexOf('/') + 1), accessKeyId: String(get(doc, 'aws.cloudtrail.user_identity.access_key_id')), created: Date.parse(iso), mfa: false },
    last: Math.max(...calls.map((e) => e.t)),
  };
}

function workloadOf(p: Principal): Extract<Principal['behaviour'], { kind: 'workload' }> {
  if (p.behaviour.kind !== 'workload') throw new Error(`${p.identity.name} is not a workload`);
  return p.behaviour;
}

/** Reads of a few buckets: listings, then objects. */
function bucketReads(x: Operation, t: number, source: Source, agent: (op: Op) => string, session: Session | undefined, reads: number, spanHours: number): number {
  const calls: [number, Op][] = [];
  for (let k = 0; k < reads; k++) calls.push([t + x.d.uniform(0, spanHours * HOUR), API.s3.GetObject]);
  for (let k = Math.max(1, Math.round(reads / x.d.between(15, 40))); k > 0; k--) calls.push([t + x.d.uniform(0, spanHours * HOUR), API.s3.ListObjects]);
  calls.sort((a, b) => a[0] - b[0]);
  for (const [at, op] of calls) x.call(Math.round(at), op, source, agent(op), session, undefined, x.scene.estate.homeRegion);
  return t + spanHours * HOUR;
}

function instanceCredentials(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const b = workloadOf(p);
  const day = scoredDay(scene, p, d);
  const seen = sessionSeen(p, scene, day);
  const session = seen?.session ?? { name: `i-0${d.hex(16)}`, accessKeyId: `ASIA${d.alnum(16)}`, created: day, mfa: false };
  const after = seen?.last ?? atLocal(day, 2, hqOffset(scene));
  if (x.victim.style === 'obvious') {
    const exit = d.one(exitsAbroad(hqCountry(scene)));
    const source = fromExit(exit, d);
    let t = after + d.between(20, 120) * MINUTE;
    t = recon(x, t, source, session);
    const reads = d.between(40, 160);
    bucketReads(x, t, source, intruderCli, session, reads, d.uniform(0.3, 0.8));
    return `${b.pattern === 'nightly' ? 'a batch host\'s instance' : 'a task\'s'} role credentials (session ${session.name}) used from ${exit.org} (${exit.place.country}): recon, then ${reads} object reads`;
  }
  const region = NETWORKS[scene.estate.regionNetwork[scene.estate.homeRegion]];
  const source: Source = { kind: 'ip', ip: addressIn(region, d), network: region };
  const t = after + Math.round(d.uniform(1, 3) * HOUR);
  const agent = (op: Op): string => agentString({ tool: 'boto3', version: versionOf('boto3', scene.window.start, t, 0), op, os: 'linux' });
  const reads = d.between(20, 60);
  bucketReads(x, t, source, agent, session, reads, d.uniform(0.5, 1.5));
  return `the workload's role credentials (session ${session.name}) used from another account's EC2 in ${region.place.city}: ${reads} object reads with boto3`;
}

function workloadIam(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const b = workloadOf(p);
  const day = scoredDay(scene, p, d, true);
  const seen = sessionSeen(p, scene, day);
  const session = seen?.session ?? { name: d.hex(32), accessKeyId: `ASIA${d.alnum(16)}`, created: day, mfa: false };
  const role = p.identity.name;
  const target = x.victim.accomplice;
  if (x.victim.style === 'subtle' || !target) {
    // Code running inside the workload: its own address, its own SDK, while it runs.
    const t0 = x.victim.style === 'subtle' && seen ? seen.last - d.between(5, 60) * MINUTE : atLocal(day, d.uniform(1, 4), hqOffset(scene));
    const source = x.victim.style === 'subtle' ? workloadSource(p, API.iam.GetRole, scene, d) : fromExit(d.one(exitsAbroad(hqCountry(scene))), d);
    const agent = (op: Op): string => (x.victim.style === 'subtle' ? agentString({ tool: b.tool, version: versionOf(b.tool, scene.window.start, t0, p.lag), op, os: b.pattern === 'timer' ? 'lambda' : 'linux' }) : intruderCli(op));
    let t = x.call(t0, API.iam.GetRole, source, agent(API.iam.GetRole), session, undefined, 'us-east-1', { roleName: role });
    t = x.call(t, API.iam.AttachRolePolicy, source, agent(API.iam.AttachRolePolicy), session, undefined, 'us-east-1', { roleName: role, policyArn: ADMIN });
    const inline = d.chance(0.6);
    if (inline) x.call(t, API.iam.PutRolePolicy, source, agent(API.iam.PutRolePolicy), session, undefined, 'us-east-1', { roleName: role, policyName: 'runtime-diagnostics', policyDocument: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' });
    return `the workload attached AdministratorAccess${inline ? ' and a wildcard inline policy' : ''} to its own role ${role}, from ${x.victim.style === 'subtle' ? 'its own address with its own SDK' : 'a hosting range'}`;
  }
  const exit = d.one(exitsAbroad(hqCountry(scene)));
  const source = fromExit(exit, d);
  const name = target.identity.name;
  let t = atLocal(day, d.uniform(1, 4), hqOffset(scene));
  t = x.call(t, API.sts.GetCallerIdentity, source, intruderCli(API.sts.GetCallerIdentity), session);
  t = x.call(t, API.iam.ListUsers, source, intruderCli(API.iam.ListUsers), session, undefined, 'us-east-1');
  x.writer.call({ t, op: API.iam.GetLoginProfile, region: 'us-east-1', source, userAgent: intruderCli(API.iam.GetLoginProfile), session, errorCode: 'NoSuchEntityException', errorMessage: `Login Profile for User ${name} cannot be found.`, requestParameters: { userName: name } });
  t += d.between(5, 40) * 1000;
  t = x.call(t, API.iam.CreateLoginProfile, source, intruderCli(API.iam.CreateLoginProfile), session, undefined, 'us-east-1', { userName: name, passwordResetRequired: false });
  t = x.call(t, API.iam.AttachUserPolicy, source, intruderCli(API.iam.AttachUserPolicy), session, undefined, 'us-east-1', { userName: name, policyArn: ADMIN });
  // The machine user, now with a password, in the console.
  const follow = new CallWriter(target, scene, d);
  const console = fromExit(d.one(exitsAbroad(hqCountry(scene)).filter((n) => n !== exit)), d);
  let u = t + d.between(10, 60) * MINUTE;
  follow.call({ t: u, op: API.signin.ConsoleLogin, region: scene.estate.homeRegion, source: console, userAgent: INTRUDER_BROWSER, console: { success: true, mfa: false, loginTo: 'https://console.aws.amazon.com/console/home' } });
  for (const op of [API.iam.ListUsers, API.s3.ListBuckets, API.ec2.DescribeInstances, API.rds.DescribeDBInstances, API.secretsmanager.ListSecrets, ...Array<Op>(d.between(2, 5)).fill(API.secretsmanager.GetSecretValue)]) {
    u += d.between(10, 90) * 1000;
    follow.call({ t: u, op, region: op.provider === 'iam.amazonaws.com' || op.action === 'ListBuckets' ? 'us-east-1' : scene.estate.homeRegion, source: console, userAgent: INTRUDER_BROWSER });
  }
  x.extra.push(...follow.out);
  return `the workload's role credentials, from ${exit.org} at night, gave ${name} a console password and AdministratorAccess; ${name} then signed in to the console without MFA`;
}

function rclone(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d);
  const exit = d.one(exitsAbroad(hqCountry(scene)).filter((n) => n.kind === 'hosting'));
  const source = fromExit(exit, d);
  const session = p.identity.type === 'AssumedRole' ? sessionFor(p, undefined, day, d) : undefined;
  let t = atLocal(day, d.uniform(0.5, 3.5), hqOffset(scene));
  t = x.call(t, API.s3.ListBuckets, source, RCLONE, session, undefined, 'us-east-1');
  const reads = d.between(800, 2400);
  bucketReads(x, t + d.between(5, 60) * 1000, source, () => RCLONE, session, reads, d.uniform(0.6, 1.5));
  return `stolen keys used with rclone from ${exit.org} (${exit.place.country}) at night: ${reads} objects copied`;
}

function s3Sync(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d, true);
  const member = memberAt(p, scene, day, d);
  if (!member) throw new Error(`s3-sync needs a principal with people behind it, not ${p.identity.name}`);
  const { start, offset } = ownConnection(member, day, scene, d);
  const vpn = d.one(vpnIn(PLACES[member.site.place].cc));
  const source = fromExit(vpn, d);
  const t = atLocal(day, start + d.uniform(1, 4), offset);
  const session = sessionFor(p, member, t, d);
  const reads = d.between(200, 500);
  bucketReads(x, t, source, (op) => ownAgent(scene, member, 'aws-cli', op, t, 's3.sync'), session, reads, d.uniform(1, 2.5));
  return `${member.login}'s CLI credentials running aws s3 sync from ${vpn.org} in ${vpn.place.city} in working hours: ${reads} objects`;
}

const BUCKETS = ['prod-statements-archive', 'claims-documents', 'customer-kyc-docs', 'core-banking-extracts', 'fraud-case-exports'];

function bucketReplication(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d);
  const member = memberAt(p, scene, day, d);
  const offset = member ? PLACES[member.site.place].offset[scene.org.season] : hqOffset(scene);
  const exit = d.one(exitsAbroad(hqCountry(scene)).filter((n) => n.kind === 'hosting'));
  const source = fromExit(exit, d);
  let t = atLocal(day, d.uniform(0.5, 4), offset);
  const session = sessionFor(p, member, t, d);
  const stranger = d.one(scene.estate.strangerAccounts);
  const bucket = d.one(BUCKETS);
  const role = 's3-replication-dr';
  const roleArn = `arn:aws:iam::${p.identity.account}:role/${role}`;
  const cli = (op: Op, params?: Record<string, unknown>, region?: string, errorCode?: string): void => void (t = x.call(t, op, source, intruderCli(op), session, errorCode, region, params));
  cli(API.sts.GetCallerIdentity);
  cli(API.s3.ListBuckets, undefined, 'us-east-1');
  cli(API.s3.GetBucketVersioning, { bucketName: bucket }, scene.estate.homeRegion);
  cli(API.s3.GetBucketReplication, { bucketName: bucket, replication: '' }, scene.estate.homeRegion, 'ReplicationConfigurationNotFoundError');
  cli(API.iam.CreateRole, { roleName: role, assumeRolePolicyDocument: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}' }, 'us-east-1');
  cli(API.iam.PutRolePolicy, { roleName: role, policyName: 'replicate', policyDocument: `{"Statement":[{"Effect":"Allow","Action":["s3:GetObjectVersion*","s3:Replicate*"],"Resource":"*"}]}` }, 'us-east-1');
  cli(API.s3.PutBucketVersioning, { bucketName: bucket, VersioningConfiguration: { Status: 'Enabled' } }, scene.estate.homeRegion);
  cli(API.s3.PutBucketReplication, { bucketName: bucket, ReplicationConfiguration: { Role: roleArn, Rule: { Status: 'Enabled', Destination: { Bucket: `arn:aws:s3:::${bucket}-dr-${stranger}`, Account: stranger } } } }, scene.estate.homeRegion);
  return `versioning, a replication role and a rule copying ${bucket} to account ${stranger}, at night from ${exit.org}`;
}

function amiShare(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d, true);
  const member = memberAt(p, scene, day, d);
  if (!member) throw new Error(`ami-share needs a principal with people behind it, not ${p.identity.name}`);
  const { conn, start, offset } = ownConnection(member, day, scene, d);
  let t = atLocal(day, start + d.uniform(1, 5), offset);
  const session = sessionFor(p, member, t, d);
  const stranger = d.one(scene.estate.strangerAccounts);
  const image = `ami-0${d.hex(16)}`;
  const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, fromConn(conn), ownAgent(scene, member, 'aws-cli', op, t), session, undefined, scene.estate.homeRegion, params));
  call(API.ec2.DescribeInstances);
  call(API.ec2.CreateImage, { instanceId: `i-0${d.hex(16)}`, name: `core-api-migration-${d.between(100, 999)}`, noReboot: true });
  for (let k = d.between(2, 5); k > 0; k--) {
    t += d.between(2, 8) * MINUTE;
    call(API.ec2.DescribeImages, { imagesSet: { items: [{ imageId: image }] } });
  }
  call(API.ec2.ModifyImageAttribute, { imageId: image, launchPermission: { add: { items: [{ userId: stranger }] } } });
  return `an instance imaged and the image shared with account ${stranger}, in working hours from ${member.login}'s own network with their own CLI`;
}

const TABLES = ['customers', 'accounts', 'card_transactions', 'claims', 'kyc_documents', 'policies', 'beneficiaries'];

function athenaBulk(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const b = p.behaviour;
  if (b.kind !== 'people' || b.members.length === 0) throw new Error(`athena-bulk needs people, not ${p.identity.name}`);
  const member = d.one(b.members);
  const day = scoredDay(scene, p, d, true);
  const offset = PLACES[member.site.place].offset[scene.org.season];
  const home: Connection = member.site.edges ? { network: NETWORKS[member.site.edges[0]], ip: addressIn(NETWORKS[member.site.edges[0]], d) } : { network: NETWORKS[member.home], ip: member.homeAddress };
  let t = atLocal(day, d.uniform(1.5, 3), offset);
  const session = sessionFor(p, member, t, d);
  const usual = usualCliTool(p);
  const tool: Exclude<ToolName, 'console'> = usual === 'console' || usual === 'terraform' ? 'boto3' : usual;
  const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, fromConn(home), ownAgent(scene, member, tool, op, t), session, undefined, scene.estate.homeRegion, params));
  const queries = d.between(10, 25);
  for (let q = 0; q < queries; q++) {
    const table = d.one(TABLES);
    if (d.chance(0.3)) call(API.glue.GetTable, { databaseName: 'curated', name: table });
    call(API.athena.StartQueryExecution, { queryString: `SELECT * FROM curated.${table}`, workGroup: 'primary' });
    for (let k = d.between(2, 4); k > 0; k--) call(API.athena.GetQueryExecution);
    for (let k = d.between(3, 12); k > 0; k--) call(API.athena.GetQueryResults);
    for (let k = d.between(1, 2); k > 0; k--) call(API.s3.GetObject);
  }
  return `${queries} Athena queries over customer tables by ${member.login} from home at night with their own ${tool}, every result fetched`;
}

/** A victim with a tooling variant: the intrusion, as plantAws tells the classic ones. */
export function plantAwsVariant(v: AwsVictim, scene: AwsScene): { events: Emitted[]; attack: PlantedAttack } {
  const x = new Operation(v, scene, scene.dice.for('aws-variant', v.principal.index));
  let story: string;
  switch (v.variant) {
    case 'instance-credentials':
      story = instanceCredentials(x);
      break;
    case 'workload-iam':
      story = workloadIam(x);
      break;
    case 'rclone':
      story = rclone(x);
      break;
    case 's3-sync':
      story = s3Sync(x);
      break;
    case 'bucket-replication':
      story = bucketReplication(x);
      break;
    case 'ami-share':
      story = amiShare(x);
      break;
    case 'athena-bulk':
      story = athenaBulk(x);
      break;
    case 'login-profile':
    case 's3-cp-ec2':
      story = MORE_AWS_TOOLING[v.variant](x);
      break;
    case 'leaked-key':
    case 'inline-admin':
    case 'cross-user-key':
    case 's3-select':
    case 'backup-copy':
      story = SET5_AWS_TOOLING[v.variant](x);
      break;
    case 'federation-token':
    case 'ssm-command':
    case 'lambda-backdoor':
    case 'ebs-direct':
    case 's3-copy-out':
      story = SET6_AWS_TOOLING[v.variant](x);
      break;
    case 'llmjacking':
    case 'roles-anywhere':
    case 'secrets-batch':
      story = SET7_AWS_TOOLING[v.variant](x);
      break;
    case undefined:
      throw new Error(`${v.principal.identity.name} has no tooling variant`);
  }
  const events = x.events().filter((e) => e.t >= scene.window.testStart && e.t < scene.window.end);
  return { events, attack: { user: v.principal.identity.name, family: v.family, style: v.style, history: v.history, story, variant: v.variant } };
}
