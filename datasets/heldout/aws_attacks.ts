/**
 * Compromises planted in the scored week of an AWS estate, told as what the intruder (or the
 * insider) does with the principal:
 *
 * - T1078, valid accounts: stolen keys or a stolen session used from somewhere new. Obvious: a
 *   hosting range abroad at night, reconnaissance across regions with some AccessDenied. Subtle:
 *   a residential proxy in the owner's country in working hours, the owner's tool, the owner's
 *   usual tasks.
 * - T1110, brute force: console password guessing on an IAM user, then a login without MFA and
 *   a look around. Obvious: dozens of failures from hosting ranges. Subtle: a few over two days
 *   from a home-country network.
 * - T1098, account manipulation: a new IAM user with an access key and AdministratorAccess, a
 *   trust policy opened to a stranger account, the new user then used; or, subtle, one extra
 *   access key for an existing service user made in working hours with the admin's own tool.
 * - T1530, data from cloud storage: the principal's own tool, network, hours and S3 actions,
 *   only far more of them (a day's reads spread over hours, or a burst).
 * - T1537, transfer to another account: snapshots shared and bucket policies or ACLs granting a
 *   stranger account. Subtle: the backup user shares its own nightly snapshots, at its usual
 *   time, from its usual address.
 * - T1213, insider: the owner at night or at the weekend, from home, with their own tool,
 *   reading secrets, parameters, tables and objects.
 */
import { atLocal, DAY, HOUR, MINUTE, type Window } from './calendar';
import type { Dice } from './dice';
import { agentString, API, perform, versionOf, type Op, type TaskName, type ToolName } from './aws_catalogue';
import { CallWriter, doTask, regionFor, workloadSource, type AwsScene } from './aws_activity';
import type { Principal } from './aws_estate';
import type { PrincipalIdentity, Session, Source } from './cloudtrail_document';
import { laptopConnection, planDay, type Connection } from './days';
import type { Emitted, Family, History, PlantedAttack, Style } from './labels';
import type { Person } from './people';
import type { AwsVariant } from './variants';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

export type AwsFamily = Extract<Family, 'T1078' | 'T1110' | 'T1098' | 'T1530' | 'T1537' | 'T1213'>;

export interface AwsVictim {
  principal: Principal;
  family: AwsFamily;
  style: Style;
  history: History;
  /** Tooling other than the family's classic one (aws_tooling.ts). */
  variant?: AwsVariant;
  /** A second principal the intrusion takes over (the IAM user a workload gives a console password to). */
  accomplice?: Principal;
}

export const EXITS: NetworkName[] = ['m247', 'datacamp', 'stark', 'ovh', 'hetzner', 'digitalocean', 'tencent', 'ngHosting', 'brHosting', 'torExit'];

const members = (p: Principal): Person[] => (p.behaviour.kind === 'people' ? p.behaviour.members : []);

/** The person behind a people principal whose day the attack borrows (a member who works that day). */
export function memberAt(p: Principal, scene: AwsScene, day: number, d: Dice): Person | undefined {
  const ms = members(p);
  const working = ms.filter((m) => planDay(m, day, scene).shift !== null);
  return working.length > 0 ? d.one(working) : ms.length > 0 ? d.one(ms) : undefined;
}

export function sessionFor(p: Principal, member: Person | undefined, t: number, d: Dice): Session | undefined {
  if (p.identity.type !== 'AssumedRole') return undefined;
  return { name: member?.upn ?? d.hex(32), accessKeyId: `ASIA${d.alnum(16)}`, created: t - d.between(5, 90) * MINUTE, mfa: member !== undefined };
}

/** A day of the scored week the principal exists on (not the last, so that follow-ups fit). */
export function scoredDay(scene: AwsScene, p: Principal, d: Dice, weekdaysOnly = false): number {
  const w: Window = scene.window;
  const earliest = Math.max(w.attacksFrom, p.createdOn ?? 0);
  for (let tries = 0; tries < 20; tries++) {
    const day = earliest + d.between(0, Math.max(0, Math.floor((w.end - earliest) / DAY) - 2)) * DAY;
    const wd = new Date(day).getUTCDay();
    if (!weekdaysOnly || (wd >= 1 && wd <= 5)) return day;
  }
  return earliest;
}

export const hqOffset = (scene: AwsScene): number => PLACES[scene.org.sites[0].place].offset[scene.org.season];

export class Operation {
  readonly writer: CallWriter;
  readonly extra: Emitted[] = [];

  constructor(
    readonly victim: AwsVictim,
    readonly scene: AwsScene,
    readonly d: Dice,
  ) {
    this.writer = new CallWriter(victim.principal, scene, d);
  }

  /** A call in the victim's name from an intruder's address and tool. */
  call(t: number, op: Op, source: Source, userAgent: string, session: Session | undefined, errorCode?: string, region?: string, params?: Record<string, unknown>): number {
    this.writer.call({ t, op, region: region ?? regionFor(op, this.scene, this.d), source, userAgent, session, errorCode, requestParameters: params });
    return t + this.d.between(2, 25) * 1000;
  }

  events(): Emitted[] {
    const all = [...this.writer.out, ...this.extra];
    for (const e of all) e.family = this.victim.family;
    return all;
  }
}

export const fromExit = (network: Network, d: Dice): Source => ({ kind: 'ip', ip: addressIn(network, d), network });
export const fromConn = (c: Connection): Source => ({ kind: 'ip', ip: c.ip, network: c.network });

/** An intruder's CLI on Linux, a version or two newer than anyone's at the company. */
export const intruderCli = (op: Op): string => agentString({ tool: 'aws-cli', version: '2.28.9', op, os: 'linux' });

export function recon(x: Operation, t: number, source: Source, session: Session | undefined): number {
  const { d } = x;
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1', 'ca-central-1'];
  t = x.call(t, API.sts.GetCallerIdentity, source, intruderCli(API.sts.GetCallerIdentity), session);
  for (const op of [API.iam.GetAccountAuthorizationDetails, API.iam.ListUsers, API.iam.ListRoles, API.s3.ListBuckets, API.secretsmanager.ListSecrets]) {
    t = x.call(t, op, source, intruderCli(op), session, d.chance(0.3) ? 'AccessDenied' : undefined);
  }
  t = x.call(t, API.ec2.DescribeRegions, source, intruderCli(API.ec2.DescribeRegions), session);
  for (const region of d.some(regions, d.between(4, 8))) {
    t = x.call(t, API.ec2.DescribeInstances, source, intruderCli(API.ec2.DescribeInstances), session, d.chance(0.15) ? 'Client.UnauthorizedOperation' : undefined, region);
  }
  return t;
}

/** The principal's usual tasks, from its description. */
function usualTasks(p: Principal): readonly (readonly [TaskName, number])[] {
  return p.behaviour.kind === 'people' ? p.behaviour.tasks : [['browseBuckets', 1]];
}

export function usualCliTool(p: Principal): ToolName {
  if (p.behaviour.kind === 'people') {
    const cli = p.behaviour.tools.filter(([t]) => t !== 'console').sort((a, b) => b[1] - a[1]);
    return cli[0]?.[0] ?? 'console';
  }
  return 'aws-cli';
}

function validAccounts(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d, x.victim.style === 'subtle');
  const member = memberAt(p, scene, day, d);
  const home = member ? PLACES[member.site.place] : PLACES[scene.org.sites[0].place];
  const offset = home.offset[scene.org.season];
  if (x.victim.style === 'obvious') {
    const exit = NETWORKS[d.one(EXITS.filter((n) => NETWORKS[n].place.cc !== home.cc))];
    const source = fromExit(exit, d);
    const t = atLocal(day, d.uniform(0.5, 4.5), offset);
    recon(x, t, source, sessionFor(p, member, t, d));
    return `${p.identity.type === 'IAMUser' ? 'leaked access key' : 'stolen session'} used from ${exit.org} (${exit.place.country}) at night: reconnaissance across regions`;
  }
  // Subtle: the owner's session replayed through a proxy at home, in working hours, doing usual things.
  const proxies = (Object.keys(NETWORKS) as NetworkName[]).filter((n) => NETWORKS[n].place.cc === home.cc && (NETWORKS[n].kind === 'residential' || NETWORKS[n].kind === 'mobile') && n !== member?.home);
  const proxy = NETWORKS[d.one<NetworkName>(proxies.length > 0 ? proxies : ['uaResidential'])];
  const conn: Connection = { network: proxy, ip: addressIn(proxy, d) };
  let t = atLocal(day, (member?.habits.start ?? 9) + d.uniform(1, 5), offset);
  const session = sessionFor(p, member, t, d);
  const tool = usualCliTool(p);
  const tasks = d.between(2, 3);
  for (let k = 0; k < tasks; k++) {
    if (member) t = doTask(x.writer, member, d.weighted(usualTasks(p)), tool, t, conn, session, undefined, d) + d.between(5, 40) * MINUTE;
    else for (const op of perform('browseBuckets', d)) t = x.call(t, op, fromConn(conn), intruderCli(op), session);
  }
  return `session replayed through a residential proxy on ${proxy.org} in working hours with the owner's ${tool}`;
}

function bruteForce(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d);
  const offset = hqOffset(scene);
  const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/155.0.0.0 Safari/537.36';
  const login = (t: number, source: Source, success: boolean): void =>
    void x.writer.call({ t, op: API.signin.ConsoleLogin, region: scene.estate.homeRegion, source, userAgent: chrome, console: { success, mfa: false, loginTo: 'https://console.aws.amazon.com/console/home' } });
  if (x.victim.style === 'obvious') {
    const exits = d.some(EXITS, d.between(1, 3)).map((n) => NETWORKS[n]);
    let t = atLocal(day, d.uniform(0, 24), offset);
    const failures = d.between(12, 35);
    for (let k = 0; k < failures; k++) {
      login(t, fromExit(d.one(exits), d), false);
      t += d.between(20, 150) * 1000;
    }
    const source = fromExit(exits[0], d);
    login(t, source, true);
    for (const op of [API.iam.ListUsers, API.iam.ListAccessKeys, API.s3.ListBuckets, API.ec2.DescribeInstances, API.ec2.DescribeInstances, API.secretsmanager.ListSecrets, API.ec2.DescribeSnapshots]) {
      t = x.call(t + d.between(10, 90) * 1000, op, source, chrome, undefined);
    }
    return `${failures} console password guesses from ${exits.length} hosting ranges, then a login without MFA and a look around`;
  }
  const proxies = (Object.keys(NETWORKS) as NetworkName[]).filter((n) => NETWORKS[n].place.cc === PLACES[scene.org.sites[0].place].cc && NETWORKS[n].kind === 'residential');
  const net = NETWORKS[d.one(proxies)];
  for (let g = 0; g < 2; g++) for (let k = d.between(1, 2); k > 0; k--) login(atLocal(day + g * DAY, d.uniform(9, 19), offset), fromExit(net, d), false);
  let t = atLocal(day + 2 * DAY, d.uniform(10, 16), offset);
  const source = fromExit(net, d);
  login(t, source, true);
  for (const op of perform(d.weighted(usualTasks(p)), d)) t = x.call(t + d.between(5, 40) * 1000, op, source, chrome, undefined);
  return `a few console password guesses over two days from ${net.org}, then a login without MFA and the owner's usual pages`;
}

function accountManipulation(x: Operation, scene: AwsScene): string {
  const { d } = x;
  const p = x.victim.principal;
  const day = scoredDay(scene, p, d, true);
  const member = memberAt(p, scene, day, d);
  const offset = member ? PLACES[member.site.place].offset[scene.org.season] : hqOffset(scene);
  const stranger = d.one(scene.estate.strangerAccounts);
  if (x.victim.style === 'subtle' && member) {
    // The admin's own day, network and tool: one more key for a service user, one trust policy widened.
    const plan = planDay(member, day, scene);
    const conn = laptopConnection(member, plan, scene, d);
    let t = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(1, 5), plan.offset);
    const session = sessionFor(p, member, t, d);
    const tool = usualCliTool(p);
    const ua = (op: Op): string => (tool === 'console' || tool === 'terraform' ? agentString({ tool: 'aws-cli', version: versionOf('aws-cli', scene.window.start, t, 3), op, os: 'macos' }) : agentString({ tool, version: versionOf(tool, scene.window.start, t, 3), op, os: member.laptop.os === 'Linux' ? 'linux' : 'macos' }));
    const target = scene.estate.principals.find((q) => q.role === 'machine-user' && q.behaviour.kind === 'machine' && q.behaviour.job === 'backups')?.identity.name ?? 'svc-backup-snapshots';
    t = x.call(t, API.iam.ListAccessKeys, fromConn(conn), ua(API.iam.ListAccessKeys), session, undefined, 'us-east-1', { userName: target });
    t = x.call(t, API.iam.CreateAccessKey, fromConn(conn), ua(API.iam.CreateAccessKey), session, undefined, 'us-east-1', { userName: target });
    if (d.chance(0.6)) x.call(t + d.between(1, 20) * MINUTE, API.iam.UpdateAssumeRolePolicy, fromConn(conn), ua(API.iam.UpdateAssumeRolePolicy), session, undefined, 'us-east-1', { roleName: 'data-exchange-readonly', policyDocument: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${stranger}:root"},"Action":"sts:AssumeRole"}]}` });
    return `an extra access key for ${target} and a trust policy opened to ${stranger}, in working hours from the admin's own network and tool`;
  }
  // Obvious: persistence built at night from a hosting range, then the new user used.
  const exit = NETWORKS[d.one(EXITS)];
  const source = fromExit(exit, d);
  let t = atLocal(day, d.uniform(1, 4), offset);
  const session = sessionFor(p, member, t, d);
  const newName = d.one(['svc-monitoring-sync', 'cloudwatch-exporter', 'aws-support-access', 'backup-verify-svc']);
  for (const [op, params] of [
    [API.sts.GetCallerIdentity, undefined],
    [API.iam.CreateUser, { userName: newName }],
    [API.iam.CreateAccessKey, { userName: newName }],
    [API.iam.AttachUserPolicy, { userName: newName, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
    [API.iam.CreateLoginProfile, { userName: newName, passwordResetRequired: false }],
    [API.iam.UpdateAssumeRolePolicy, { roleName: 'OrganizationAccountAccessRole', policyDocument: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${stranger}:root"},"Action":"sts:AssumeRole"}]}` }],
  ] as const) {
    t = x.call(t, op, source, intruderCli(op), session, undefined, 'us-east-1', params);
  }
  // The new user, used from elsewhere the next day: a principal only the generic model can score.
  const created: PrincipalIdentity = { name: newName, type: 'IAMUser', account: p.identity.account, principalId: `AIDA${d.alnum(17)}`, arn: `arn:aws:iam::${p.identity.account}:user/${newName}`, accessKeyId: `AKIA${d.alnum(16)}` };
  const intruder: Principal = { index: 90_000 + p.index, identity: created, role: 'machine-user', behaviour: { kind: 'break-glass', network: 'm247' }, region: scene.estate.homeRegion, lag: 0 };
  const follow = new CallWriter(intruder, scene, d);
  const exit2 = NETWORKS[d.one(EXITS)];
  let u = t + d.between(8, 20) * HOUR;
  for (const op of [API.sts.GetCallerIdentity, API.s3.ListBuckets, API.iam.ListRoles, API.ec2.DescribeInstances, API.secretsmanager.ListSecrets, API.secretsmanager.GetSecretValue, API.secretsmanager.GetSecretValue, API.s3.ListObjects, API.s3.GetObject, API.s3.GetObject]) {
    follow.call({ t: u, op, region: regionFor(op, scene, d), source: fromExit(exit2, d), userAgent: intruderCli(op) });
    u += d.between(5, 90) * 1000;
  }
  x.extra.push(...follow.out);
  return `at night from ${exit.org}: new IAM user ${newName} with a key, AdministratorAccess and a console password, a trust policy opened to ${stranger}; ${newName} used the next day`;
}

/** The principal's usual S3 reading, only much more of it, at its usual hours from its usual place. */
function cloudStorage(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const b = p.behaviour;
  const obvious = x.victim.style === 'obvious';
  const reads = obvious ? d.between(800, 1800) : d.between(180, 420);
  const lists = Math.round(reads / d.between(12, 30));
  const day = scoredDay(scene, p, d, true);
  let source: Source;
  let agent: (op: Op, t: number) => string;
  let start: number;
  let session: Session | undefined;
  let spanHours: number;
  if (b.kind === 'people') {
    // Pick a member who works that day, and use their own day.
    const member = memberAt(p, scene, day, d) as Person;
    const plan = planDay(member, day, scene);
    const conn = laptopConnection(member, plan, scene, d);
    source = fromConn(conn);
    const tool = usualCliTool(p);
    const os = member.laptop.os === 'Linux' ? 'linux' : member.laptop.os === 'macOS' ? 'macos' : 'windows';
    const lag = scene.dice.for('install', member.index, tool).between(0, 8);
    agent = (op, t) => (tool === 'console' ? '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.780 Linux/5.10.233 OpenJDK_64-Bit_Server_VM/25.442-b06 java/1.8.0_442 vendor/Oracle_Corporation cfg/retry-mode/standard]' : agentString({ tool: tool as Exclude<ToolName, 'console'>, version: versionOf(tool as Exclude<ToolName, 'console'>, scene.window.start, t, lag), op, os }));
    start = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(0.5, 2), plan.offset);
    session = sessionFor(p, member, start, d);
    spanHours = obvious ? d.uniform(0.8, 1.5) : d.uniform(3, 5);
  } else if (b.kind === 'machine') {
    const network = NETWORKS[b.network];
    source = { kind: 'ip', ip: `${network.prefixes[0]}.${60 + (p.index % 30)}`, network };
    agent = (op, t) => agentString({ tool: b.tool, version: versionOf(b.tool, scene.window.start, t, p.lag), op, os: 'linux' });
    start = atLocal(day, d.uniform(9, 13), network.place.offset[scene.org.season]);
    spanHours = obvious ? d.uniform(0.8, 1.5) : d.uniform(3, 5);
  } else if (b.kind === 'workload') {
    source = workloadSource(p, API.s3.GetObject, scene, d);
    agent = (op, t) => agentString({ tool: b.tool, version: versionOf(b.tool, scene.window.start, t, p.lag), op, os: b.pattern === 'timer' ? 'lambda' : 'linux' });
    start = b.pattern === 'nightly' ? atLocal(day, 1 + d.uniform(0, 0.4), hqOffset(scene)) : atLocal(day, d.uniform(10, 15), hqOffset(scene));
    session = { name: b.pattern === 'nightly' ? `i-0${d.hex(16)}` : d.hex(32), accessKeyId: `ASIA${d.alnum(16)}`, created: start - HOUR, mfa: false };
    spanHours = obvious ? d.uniform(0.8, 1.5) : d.uniform(2, 4);
  } else {
    throw new Error(`T1530 needs a principal that reads S3, not ${p.identity.name}`);
  }
  const calls: [number, Op][] = [];
  for (let k = 0; k < reads; k++) calls.push([start + d.uniform(0, spanHours * HOUR), API.s3.GetObject]);
  for (let k = 0; k < lists; k++) calls.push([start + d.uniform(0, spanHours * HOUR), API.s3.ListObjects]);
  calls.sort((a, c) => a[0] - c[0]);
  for (const [t, op] of calls) x.call(Math.round(t), op, source, agent(op, t), session, undefined, scene.estate.homeRegion);
  return `${reads} GetObject and ${lists} ListObjects in ${spanHours.toFixed(1)} h with the principal's own tool, address and hours`;
}

function transferToAccount(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const b = p.behaviour;
  const stranger = d.one(scene.estate.strangerAccounts);
  const share = { createVolumePermission: { add: { items: [{ userId: stranger }] } } };
  if (b.kind === 'machine' && b.job === 'backups') {
    // The backup user's own night, own address and own agent: today's snapshots shared out.
    const network = NETWORKS[b.network];
    const source: Source = { kind: 'ip', ip: `${network.prefixes[0]}.${60 + (p.index % 30)}`, network };
    const day = scoredDay(scene, p, d);
    let t = atLocal(day, 0.9 + d.uniform(0, 0.3), hqOffset(scene));
    const n = d.between(1, 3);
    for (let k = 0; k < n; k++) {
      t = x.call(t, API.ec2.ModifySnapshotAttribute, source, agentString({ tool: b.tool, version: versionOf(b.tool, scene.window.start, t, p.lag), op: API.ec2.ModifySnapshotAttribute, os: 'linux' }), undefined, undefined, scene.estate.homeRegion, { snapshotId: `snap-0${d.hex(16)}`, ...share });
    }
    return `${n} of the night's snapshots shared with account ${stranger} by the backup user at its usual time and address`;
  }
  const day = scoredDay(scene, p, d, x.victim.style === 'subtle');
  const member = memberAt(p, scene, day, d);
  const session = sessionFor(p, member, day, d);
  if (x.victim.style === 'subtle' && member) {
    // In working hours with the engineer's Terraform: a bucket policy that also lets a stranger read.
    const plan = planDay(member, day, scene);
    const conn = laptopConnection(member, plan, scene, d);
    let t = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(1, 5), plan.offset);
    const tf = (op: Op): string => agentString({ tool: 'terraform', version: versionOf('terraform', scene.window.start, t, 2), op, os: 'linux' });
    for (const op of perform('terraformPlan', d).slice(0, 8)) t = x.call(t, op, fromConn(conn), tf(op), session);
    x.call(t, API.s3.PutBucketPolicy, fromConn(conn), tf(API.s3.PutBucketPolicy), session, undefined, scene.estate.homeRegion, { bucketName: 'exports-partner-drop', policy: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::${stranger}:root"},"Action":"s3:GetObject"}]}` });
    return `a bucket policy granting account ${stranger} read, applied with Terraform in working hours from the engineer's own network`;
  }
  const exit = NETWORKS[d.one(EXITS)];
  const source = fromExit(exit, d);
  const offset = member ? PLACES[member.site.place].offset[scene.org.season] : hqOffset(scene);
  let t = atLocal(day, d.uniform(0.5, 4), offset);
  t = x.call(t, API.ec2.DescribeVolumes, source, intruderCli(API.ec2.DescribeVolumes), session);
  const snaps = d.between(2, 5);
  for (let k = 0; k < snaps; k++) {
    t = x.call(t, API.ec2.CreateSnapshot, source, intruderCli(API.ec2.CreateSnapshot), session);
    t = x.call(t + d.between(2, 8) * MINUTE, API.ec2.ModifySnapshotAttribute, source, intruderCli(API.ec2.ModifySnapshotAttribute), session, undefined, undefined, { snapshotId: `snap-0${d.hex(16)}`, ...share });
  }
  t = x.call(t, API.rds.CreateDBSnapshot, source, intruderCli(API.rds.CreateDBSnapshot), session);
  t = x.call(t + d.between(5, 15) * MINUTE, API.rds.ModifyDBSnapshotAttribute, source, intruderCli(API.rds.ModifyDBSnapshotAttribute), session, undefined, undefined, { attributeName: 'restore', valuesToAdd: [stranger] });
  t = x.call(t, API.s3.GetBucketPolicy, source, intruderCli(API.s3.GetBucketPolicy), session);
  t = x.call(t, API.s3.PutBucketPolicy, source, intruderCli(API.s3.PutBucketPolicy), session, undefined, undefined, { bucketName: 'prod-documents', policy: `{"Principal":{"AWS":"arn:aws:iam::${stranger}:root"}}` });
  x.call(t, API.s3.PutBucketAcl, source, intruderCli(API.s3.PutBucketAcl), session, undefined, undefined, { bucketName: 'prod-documents', AccessControlPolicy: { grantee: stranger } });
  return `${snaps} EBS snapshots and a database snapshot shared with account ${stranger}, a bucket opened to it, at night from ${exit.org}`;
}

function insider(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const member = d.one(members(p));
  const obvious = x.victim.style === 'obvious';
  // Obvious: a weeknight at 2–4 am. Subtle: a weekend afternoon or a late weekday evening.
  const weekend = !obvious && d.chance(0.5);
  const day = weekend ? scene.window.testStart + d.between(5, 6) * DAY : scoredDay(scene, p, d, true);
  const startHour = obvious ? d.uniform(2, 3.5) : weekend ? d.uniform(14, 17) : d.uniform(21.5, 22.5);
  const offset = PLACES[member.site.place].offset[scene.org.season];
  const home: Connection = member.site.edges ? { network: NETWORKS[member.site.edges[0]], ip: addressIn(NETWORKS[member.site.edges[0]], d) } : { network: NETWORKS[member.home], ip: member.homeAddress };
  let t = atLocal(day, startHour, offset);
  const session = sessionFor(p, member, t, d);
  const tool = usualCliTool(p) === 'console' ? 'aws-cli' : usualCliTool(p);
  const os = member.laptop.os === 'Linux' ? 'linux' : member.laptop.os === 'macOS' ? 'macos' : 'windows';
  const lag = scene.dice.for('install', member.index, tool).between(0, 8);
  const ua = (op: Op): string => agentString({ tool: tool as Exclude<ToolName, 'console'>, version: versionOf(tool as Exclude<ToolName, 'console'>, scene.window.start, t, lag), op, os });
  const plan: [Op, number][] = obvious
    ? [[API.secretsmanager.ListSecrets, d.between(1, 3)], [API.secretsmanager.GetSecretValue, d.between(15, 40)], [API.ssm.GetParametersByPath, d.between(3, 10)], [API.dynamodb.Scan, d.between(5, 20)], [API.s3.GetObject, d.between(30, 100)]]
    : [[API.secretsmanager.GetSecretValue, d.between(4, 10)], [API.dynamodb.Scan, d.between(2, 6)], [API.s3.ListObjects, d.between(2, 5)], [API.s3.GetObject, d.between(15, 40)]];
  let total = 0;
  for (const [op, n] of plan) {
    for (let k = 0; k < n; k++) {
      t = x.call(t, op, fromConn(home), ua(op), session, undefined, regionFor(op, scene, d));
      total++;
    }
  }
  return `${total} reads of secrets, parameters, tables and objects by ${member.login} from home at ${obvious ? 'night' : 'a quiet time'}, own ${tool}`;
}

export function plantAws(v: AwsVictim, scene: AwsScene): { events: Emitted[]; attack: PlantedAttack } {
  const x = new Operation(v, scene, scene.dice.for('aws-attack', v.principal.index));
  let story: string;
  switch (v.family) {
    case 'T1078':
      story = validAccounts(x);
      break;
    case 'T1110':
      story = bruteForce(x);
      break;
    case 'T1098':
      story = accountManipulation(x, scene);
      break;
    case 'T1530':
      story = cloudStorage(x);
      break;
    case 'T1537':
      story = transferToAccount(x);
      break;
    case 'T1213':
      story = insider(x);
      break;
  }
  const events = x.events().filter((e) => e.t >= scene.window.testStart && e.t < scene.window.end);
  return { events, attack: { user: v.principal.identity.name, family: v.family, style: v.style, history: v.history, story } };
}
