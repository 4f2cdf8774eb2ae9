/**
 * CloudTrail tooling variants added for set 6 (variants.ts), planted like the others and
 * labelled with the usual families:
 *
 * - T1078 `federation-token`: an IAM user's long-term key makes itself a federated user
 *   (sts:GetFederationToken), which outlives the key, and a console session from it through the
 *   federation endpoint (GetSigninToken, then ConsoleLogin as a FederatedUser). Obvious: from a
 *   hosting range at night, the console used to look around and read Windows administrator
 *   passwords (ec2:GetPasswordData); IAM refuses a federated user. Subtle: the token made from the
 *   owner's own network and CLI in working hours, the console used the next day from a VPN exit in
 *   the home country for the owner's usual bucket reads.
 * - T1078 `ssm-command`: stolen credentials run commands on the instances through Systems
 *   Manager (SendCommand, AWS-RunShellScript, results read with GetCommandInvocation). Obvious:
 *   from a hosting range at night, inventory, then commands on many instances fetching their
 *   role credentials from the metadata service. Subtle: the owner's session through a residential
 *   proxy in its country in working hours, the owner's usual Session Manager work and one command
 *   on two or three instances.
 * - T1098 `lambda-backdoor`: obvious, at night from a hosting range, a role with
 *   AdministratorAccess, a function running as it, a public function URL and a resource policy
 *   letting anyone invoke it; hours later the function's role makes access keys. Subtle, from the
 *   engineer's own network and tool in working hours, a resource policy on an existing function
 *   letting a stranger account invoke it.
 * - T1530 `ebs-direct`: a snapshot read block by block through the EBS direct APIs
 *   (ListSnapshotBlocks, GetSnapshotBlock; dsnap). Obvious: stolen keys from a hosting range at
 *   night. Subtle: the principal's boto3 from a commercial VPN exit in its country in working
 *   hours, part of one snapshot.
 * - T1537 `s3-copy-out`: objects copied server-side (CopyObject) into a bucket in another account.
 *   Obvious: from a hosting range at night, bucket after bucket. Subtle: `aws s3 cp --recursive`
 *   from the owner's own network and CLI in working hours, into a bucket named like a
 *   disaster-recovery archive.
 */
import { atLocal, DAY, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { agentString, API, type Op } from './aws_catalogue';
import { CallWriter, doTask, type AwsScene } from './aws_activity';
import { fromConn, fromExit, hqOffset, intruderCli, memberAt, type Operation, scoredDay, sessionFor, usualCliTool } from './aws_attacks';
import type { Principal } from './aws_estate';
import { cliOf, hqCountry, ownAgent, vpnIn } from './aws_tooling2';
import { hostingAbroad, ownDay, ownTool, regionOf } from './aws_tooling3';
import type { PrincipalIdentity, Session, Source } from './cloudtrail_document';
import { laptopConnection, planDay, type Connection } from './days';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network, type NetworkName } from './world';

const EVERYTHING = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const INTRUDER_CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/158.0.0.0 Safari/537.36';
/** aws_consoler and similar scripts call the federation endpoint with requests. */
const CONSOLER = 'python-requests/2.31.0';
/** dsnap drives the EBS direct APIs with boto3. */
const DSNAP = (op: Op): string => agentString({ tool: 'boto3', version: '1.26.90', op, os: 'linux' });

/** The member's night (or head office's), in UTC, on a day. */
const nightOf = (scene: AwsScene, member: Person | undefined, day: number, d: Dice): number => atLocal(day, d.uniform(0.5, 3.5), member ? PLACES[member.site.place].offset[scene.org.season] : hqOffset(scene));

/** A principal's own place on a day: the member's laptop, else the machine's own network. */
function ownPlace(x: Operation, member: Person | undefined, day: number): { source: Source; start: number; offset: number } {
  if (member) return ownDay(member, day, x.scene, x.d);
  const b = x.victim.principal.behaviour;
  const network = NETWORKS[b.kind === 'machine' ? b.network : x.scene.org.sites[0].office];
  return { source: fromExit(network, x.d), start: 9, offset: network.place.offset[x.scene.org.season] };
}

const countryOf = (scene: AwsScene, member: Person | undefined): string => (member ? PLACES[member.site.place].cc : hqCountry(scene));

// ---------------------------------------------------------------- GetFederationToken

function federationToken(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const self = p.identity.name;
  const fedName = obvious ? d.one(['admin', 'support', 'cloudops', 'backup-ops']) : d.one(['ci-debug', 'deploy-check', 'tmp-console']);
  const federated = (t: number): Session => ({ name: fedName, accessKeyId: `ASIA${d.alnum(16)}`, created: t, mfa: false, federated: true });
  const console = (t: number, source: Source, session: Session, userAgent: string): number => {
    x.call(t, API.signin.GetSigninToken, source, CONSOLER, session, undefined, 'us-east-1');
    t += d.between(5, 40) * 1000;
    x.writer.call({ t, op: API.signin.ConsoleLogin, region: 'us-east-1', source, userAgent, session, console: { success: true, mfa: false, loginTo: 'https://console.aws.amazon.com/console/home' } });
    return t + d.between(10, 60) * 1000;
  };
  if (obvious) {
    const exit = d.one(hostingAbroad(scene));
    const source = fromExit(exit, d);
    let t = nightOf(scene, member, day, d);
    t = x.call(t, API.sts.GetCallerIdentity, source, intruderCli(API.sts.GetCallerIdentity), undefined, undefined, 'us-east-1');
    t = x.call(t, API.iam.GetUser, source, intruderCli(API.iam.GetUser), undefined, undefined, 'us-east-1', { userName: self });
    t = x.call(t, API.sts.GetFederationToken, source, intruderCli(API.sts.GetFederationToken), undefined, undefined, 'us-east-1', { name: fedName, durationSeconds: 129600, policy: EVERYTHING });
    const session = federated(t);
    t = console(t, source, session, INTRUDER_CHROME);
    const call = (op: Op, region: string, params?: Record<string, unknown>, errorCode?: string): void => void (t = x.call(t + d.between(5, 60) * 1000, op, source, INTRUDER_CHROME, session, errorCode, region, params));
    // IAM refuses federated users whatever their policy.
    call(API.iam.ListUsers, 'us-east-1', undefined, 'AccessDenied');
    call(API.s3.ListBuckets, 'us-east-1');
    const regions = d.some(Object.keys(scene.estate.regionNetwork), d.between(2, 4));
    for (const region of regions) call(API.ec2.DescribeInstances, region);
    const passwords = d.between(2, 5);
    for (let k = 0; k < passwords; k++) call(API.ec2.GetPasswordData, scene.estate.homeRegion, { instanceId: `i-0${d.hex(16)}` }, d.chance(0.3) ? 'Client.UnauthorizedOperation' : undefined);
    call(API.secretsmanager.ListSecrets, scene.estate.homeRegion);
    for (let k = d.between(1, 3); k > 0; k--) call(API.secretsmanager.GetSecretValue, scene.estate.homeRegion);
    return `${self}'s key made a federated user "${fedName}" (GetFederationToken) from ${exit.org} (${exit.place.country}) at night, then a console session through the federation endpoint: instances in ${regions.length} regions, ${passwords} Windows passwords read, secrets`;
  }
  const own = ownPlace(x, member, day);
  const made = atLocal(day, own.start + d.uniform(1, 5), own.offset);
  const agent = ownTool(scene, p, member, 'aws-cli');
  x.call(made, API.sts.GetFederationToken, own.source, agent(API.sts.GetFederationToken, made), undefined, undefined, 'us-east-1', { name: fedName, durationSeconds: 129600 });
  const vpn = d.one(vpnIn(countryOf(scene, member)));
  const source = fromExit(vpn, d);
  let t = atLocal(day + DAY, d.uniform(9.5, 15), own.offset);
  const session = federated(made);
  t = console(t, source, session, INTRUDER_CHROME);
  const ops: Op[] = [API.s3.ListBuckets, API.s3.GetBucketLocation, ...Array<Op>(d.between(2, 4)).fill(API.s3.ListObjects), ...Array<Op>(d.between(3, 8)).fill(API.s3.GetObject)];
  for (const op of ops) t = x.call(t + d.between(5, 90) * 1000, op, source, INTRUDER_CHROME, session, undefined, regionOf(op, scene));
  return `${self} made a federated user "${fedName}" (GetFederationToken) in working hours from its own network and CLI; the next day a console session from it through the federation endpoint from ${vpn.org} (${vpn.place.city}): ${ops.length} S3 reads`;
}

// ---------------------------------------------------------------- SSM SendCommand

const instanceIds = (d: Dice, n: number): string[] => [...Array(n).keys()].map(() => `i-0${d.hex(16)}`);

function ssmCommand(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const region = scene.estate.homeRegion;
  if (obvious || !member) {
    const exit = d.one(hostingAbroad(scene));
    const source = fromExit(exit, d);
    let t = nightOf(scene, member, day, d);
    const session = sessionFor(p, member, t, d);
    const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, source, intruderCli(op), session, undefined, regionOf(op, scene), params));
    call(API.sts.GetCallerIdentity);
    call(API.ssm.DescribeInstanceInformation);
    call(API.ec2.DescribeInstances);
    const batches = d.between(2, 4);
    let targets = 0;
    for (let b = 0; b < batches; b++) {
      const ids = instanceIds(d, d.between(4, 9));
      targets += ids.length;
      call(API.ssm.SendCommand, { documentName: 'AWS-RunShellScript', instanceIds: ids, parameters: { commands: ['TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 60"); curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/iam/security-credentials/'] } });
      t += d.between(20, 90) * 1000;
      call(API.ssm.ListCommandInvocations, { commandId: d.uuid(), details: true });
      for (const id of ids) call(API.ssm.GetCommandInvocation, { commandId: d.uuid(), instanceId: id });
    }
    return `stolen ${p.identity.type === 'IAMUser' ? 'keys' : 'session'} from ${exit.org} (${exit.place.country}) at night: SSM inventory, then AWS-RunShellScript sent to ${targets} instances in ${batches} batches to read their role credentials from the metadata service (region ${region})`;
  }
  const cc = PLACES[member.site.place].cc;
  const lines = (Object.keys(NETWORKS) as NetworkName[]).map((n): Network => NETWORKS[n]).filter((n) => n.place.cc === cc && n.kind === 'residential' && n !== NETWORKS[member.home]);
  const proxy = d.one(lines.length > 0 ? lines : [NETWORKS[member.site.mobile]]);
  const conn: Connection = { network: proxy, ip: addressIn(proxy, d) };
  const plan = planDay(member, day, scene);
  let t = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(1, 5), plan.offset);
  const session = sessionFor(p, member, t, d);
  t = doTask(x.writer, member, 'shell', usualCliTool(p), t, conn, session, undefined, d) + d.between(2, 20) * MINUTE;
  const tool = cliOf(p);
  const ids = instanceIds(d, d.between(2, 3));
  const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, fromConn(conn), ownAgent(scene, member, tool, op, t), session, undefined, regionOf(op, scene), params));
  call(API.ssm.SendCommand, { documentName: 'AWS-RunShellScript', instanceIds: ids, parameters: { commands: ['cat /opt/app/.env /etc/environment'] } });
  t += d.between(10, 60) * 1000;
  for (const id of ids) call(API.ssm.GetCommandInvocation, { commandId: d.uuid(), instanceId: id });
  return `${member.login}'s session replayed through ${proxy.org} (${proxy.place.city}) in working hours: the owner's Session Manager work, then one AWS-RunShellScript command on ${ids.length} instances reading their environment files`;
}

// ---------------------------------------------------------------- a Lambda backdoor

function lambdaBackdoor(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const stranger = d.one(scene.estate.strangerAccounts);
  if (obvious || !member) {
    const exit = d.one(hostingAbroad(scene));
    const source = fromExit(exit, d);
    let t = nightOf(scene, member, day, d);
    const session = sessionFor(p, member, t, d);
    const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, source, intruderCli(op), session, undefined, regionOf(op, scene), params));
    const roleName = d.one(['lambda-health-check-role', 'aws-lambda-maintenance', 'cw-log-forwarder-role']);
    const functionName = d.one(['aws-health-monitor', 'log-forwarder-v2', 'cost-anomaly-notifier']);
    const roleArn = `arn:aws:iam::${p.identity.account}:role/${roleName}`;
    call(API.sts.GetCallerIdentity);
    call(API.lambda.ListFunctions);
    call(API.iam.CreateRole, { roleName, assumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}' });
    call(API.iam.AttachRolePolicy, { roleName, policyArn: ADMIN });
    t += d.between(10, 40) * 1000;
    call(API.lambda.CreateFunction, { functionName, runtime: 'python3.12', role: roleArn, handler: 'index.handler', timeout: 60 });
    call(API.lambda.CreateFunctionUrlConfig, { functionName, authType: 'NONE' });
    call(API.lambda.AddPermission, { functionName, statementId: 'FunctionURLAllowPublicAccess', action: 'lambda:InvokeFunctionUrl', principal: '*', functionUrlAuthType: 'NONE' });
    // Hours later the function is invoked from outside: its role makes keys from inside the region.
    const role: PrincipalIdentity = { name: roleName, type: 'AssumedRole', account: p.identity.account, principalId: `AROA${d.alnum(17)}`, arn: roleArn };
    const fn: Principal = { index: 95_000 + p.index, identity: role, role: 'workload', behaviour: { kind: 'break-glass', network: scene.estate.regionNetwork[scene.estate.homeRegion] }, region: scene.estate.homeRegion, lag: 0 };
    const w = new CallWriter(fn, scene, d);
    const inside = NETWORKS[scene.estate.regionNetwork[scene.estate.homeRegion]];
    const targets = scene.estate.principals.filter((q) => q.identity.type === 'IAMUser' && q.role !== 'break-glass' && q.createdOn === undefined).map((q) => q.identity.name);
    const lambdaAgent = (op: Op): string => agentString({ tool: 'boto3-lambda', version: '1.36.3', op, os: 'lambda' });
    let u = t + Math.round(d.uniform(2, 8) * HOUR);
    const invocations = d.between(2, 3);
    for (let k = 0; k < invocations; k++) {
      const session: Session = { name: functionName, accessKeyId: `ASIA${d.alnum(16)}`, created: u - d.between(1, 5) * 1000, mfa: false };
      for (const [op, params] of [
        [API.sts.GetCallerIdentity, undefined],
        [API.iam.ListUsers, undefined],
        [API.iam.CreateAccessKey, { userName: d.one(targets.length > 0 ? targets : ['breakglass-admin']) }],
      ] as const) {
        w.call({ t: u, op, region: 'us-east-1', source: fromExit(inside, d), userAgent: lambdaAgent(op), session, requestParameters: params });
        u += d.between(1, 4) * 1000;
      }
      u += Math.round(d.uniform(3, 10) * HOUR);
    }
    x.extra.push(...w.out);
    return `at night from ${exit.org} (${exit.place.country}): role ${roleName} with AdministratorAccess, function ${functionName} running as it behind a public function URL (auth NONE, invocable by anyone); invoked ${invocations} times later, its role making access keys`;
  }
  const own = ownDay(member, day, scene, d);
  let t = atLocal(day, own.start + d.uniform(1, 5), own.offset);
  const session = sessionFor(p, member, t, d);
  const agent = ownTool(scene, p, member, cliOf(p));
  const functions = scene.estate.principals.filter((q) => q.behaviour.kind === 'workload' && q.behaviour.pattern === 'timer').map((q) => q.identity.name.replace(/-role$/, ''));
  const functionName = d.one(functions.length > 0 ? functions : ['partner-feed-timer']);
  const call = (op: Op, params?: Record<string, unknown>, errorCode?: string): void => void (t = x.call(t, op, own.source, agent(op, t), session, errorCode, regionOf(op, scene), params));
  call(API.lambda.GetFunction, { functionName });
  call(API.lambda.GetPolicy, { functionName }, 'ResourceNotFoundException');
  t += d.between(1, 10) * MINUTE;
  call(API.lambda.AddPermission, { functionName, statementId: 'partner-invoke', action: 'lambda:InvokeFunction', principal: stranger });
  return `a resource policy on ${functionName} letting account ${stranger} invoke it, in working hours from ${member.login}'s own network and ${cliOf(p)}`;
}

// ---------------------------------------------------------------- EBS direct APIs

function ebsDirect(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const region = scene.estate.homeRegion;
  const snapshots = [...Array(obvious ? d.between(1, 2) : 1).keys()].map(() => `snap-0${d.hex(16)}`);
  const blocks = obvious ? d.between(300, 900) : d.between(120, 300);
  const span = (obvious ? d.uniform(0.7, 1.5) : d.uniform(1, 2)) * HOUR;
  let t: number;
  let source: Source;
  let agent: (op: Op, t: number) => string;
  let where: string;
  if (obvious) {
    const exit = d.one(hostingAbroad(scene));
    source = fromExit(exit, d);
    t = nightOf(scene, member, day, d);
    agent = (op) => DSNAP(op);
    where = `${exit.org} (${exit.place.country}) at night`;
  } else {
    const vpn = d.one(vpnIn(countryOf(scene, member)));
    source = fromExit(vpn, d);
    const own = ownPlace(x, member, day);
    t = atLocal(day, own.start + d.uniform(1, 4), own.offset);
    agent = ownTool(scene, p, member, 'boto3');
    where = `${vpn.org} (${vpn.place.city}) in working hours`;
  }
  const session = sessionFor(p, member, t, d);
  t = x.call(t, API.ec2.DescribeSnapshots, source, agent(API.ec2.DescribeSnapshots, t), session, undefined, region, { ownerIds: ['self'] });
  const calls: [number, Op, Record<string, unknown>][] = [];
  for (const snapshotId of snapshots) {
    for (let k = d.between(obvious ? 4 : 2, obvious ? 10 : 4); k > 0; k--) calls.push([t + d.uniform(0, 0.1) * span, API.ebs.ListSnapshotBlocks, { snapshotId, maxResults: 10000 }]);
  }
  for (let k = 0; k < blocks; k++) calls.push([t + d.uniform(0.05, 1) * span, API.ebs.GetSnapshotBlock, { snapshotId: d.one(snapshots), blockIndex: d.between(0, 262143), blockToken: `EBS${d.alnum(20)}` }]);
  calls.sort((a, b) => a[0] - b[0]);
  for (const [at, op, params] of calls) x.call(Math.round(at), op, source, agent(op, at), session, undefined, region, params);
  return `${blocks} blocks of ${snapshots.length} EBS snapshot(s) read through the EBS direct APIs (ListSnapshotBlocks, GetSnapshotBlock) from ${where}`;
}

// ---------------------------------------------------------------- CopyObject to another account

const SOURCES = ['booking-exports', 'loyalty-members', 'fdm-archive', 'revenue-reports', 'crew-records', 'customer-profiles'];

function s3CopyOut(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const stem = scene.org.domain.split('.')[0];
  const buckets = d.some(SOURCES, obvious ? d.between(2, 3) : 1).map((b) => `${stem}-${b}`);
  const dest = obvious ? `${d.one(['cdn-assets-sync', 'archive-eu', 'backup-replica'])}-${d.hex(6)}` : `${stem}-dr-archive-${d.hex(6)}`;
  const n = obvious ? d.between(150, 500) : d.between(30, 90);
  const span = (obvious ? d.uniform(0.5, 1.5) : d.uniform(0.3, 0.8)) * HOUR;
  let t: number;
  let source: Source;
  let agent: (op: Op, t: number) => string;
  let where: string;
  if (obvious || !member) {
    const exit = d.one(hostingAbroad(scene));
    source = fromExit(exit, d);
    t = nightOf(scene, member, day, d);
    agent = (op) => intruderCli(op);
    where = `from ${exit.org} (${exit.place.country}) at night`;
  } else {
    const plan = planDay(member, day, scene);
    source = fromConn(laptopConnection(member, plan, scene, d));
    t = atLocal(day, (plan.shift?.start ?? member.habits.start) + d.uniform(1, 5), plan.offset);
    agent = (op, at) => ownAgent(scene, member, 'aws-cli', op, at, 's3.cp');
    where = `with \`aws s3 cp --recursive\` from ${member.login}'s own network in working hours`;
  }
  const session = sessionFor(p, member, t, d);
  if (obvious) {
    t = x.call(t, API.s3.ListBuckets, source, agent(API.s3.ListBuckets, t), session, undefined, 'us-east-1');
    for (const bucket of buckets) t = x.call(t, API.s3.GetBucketLocation, source, agent(API.s3.GetBucketLocation, t), session, undefined, scene.estate.homeRegion, { bucketName: bucket });
  }
  const calls: [number, Op, Record<string, unknown>][] = [];
  for (const bucket of buckets) for (let k = d.between(1, 3); k > 0; k--) calls.push([t + d.uniform(0, 0.05) * span, API.s3.ListObjects, { bucketName: bucket, 'list-type': 2 }]);
  for (let k = 0; k < n; k++) {
    const from = d.one(buckets);
    const key = `${d.hex(2)}/${d.hex(12)}.${d.one(['parquet', 'csv.gz', 'json.gz'])}`;
    calls.push([t + d.uniform(0.05, 1) * span, API.s3.CopyObject, { bucketName: dest, key, 'x-amz-copy-source': `${from}/${key}` }]);
  }
  calls.sort((a, b) => a[0] - b[0]);
  for (const [at, op, params] of calls) x.call(Math.round(at), op, source, agent(op, at), session, undefined, scene.estate.homeRegion, params);
  return `${n} objects of ${buckets.length} bucket(s) copied server-side (CopyObject) into ${dest}, a bucket of account ${d.one(scene.estate.strangerAccounts)}, ${where}`;
}

/** The set 6 variants, as plantAwsVariant dispatches them. */
export const SET6_AWS_TOOLING = { 'federation-token': federationToken, 'ssm-command': ssmCommand, 'lambda-backdoor': lambdaBackdoor, 'ebs-direct': ebsDirect, 's3-copy-out': s3CopyOut } as const;
