/**
 * CloudTrail tooling variants added for set 7 (variants.ts), planted like the others and
 * labelled with the usual families:
 *
 * - T1078 `llmjacking`: stolen credentials used to run large language models on the victim's
 *   bill (Sysdig's LLMjacking): Bedrock probed (is invocation logging on? which models? are they
 *   available?), model access requested, then InvokeModel again and again, the first call of each
 *   region a deliberately invalid one (ValidationException) to test the rights. Obvious: a
 *   script on a hosting range at night across several regions, hundreds of invocations. Subtle:
 *   from an EC2 address in North Virginia in the owner's working hours, a few probes and a few
 *   dozen invocations in one region.
 * - T1098 `roles-anywhere`: persistence through IAM Roles Anywhere: a trust anchor holding the
 *   intruder's own certificate authority, a profile naming a role whose trust policy lets
 *   rolesanywhere.amazonaws.com assume it. Obvious: at night from hosting, a new role with
 *   AdministratorAccess; hours later X.509 sessions from outside (CreateSession) and the role
 *   reading secrets and listing buckets. Subtle: from the admin's own network and CLI in working
 *   hours, an anchor named like a partner's CI and an existing role's trust policy widened; no
 *   session in the week.
 * - T1213 `secrets-batch`: the owner dumps Secrets Manager with BatchGetSecretValue (up to 20
 *   secrets a call) instead of reading secrets one at a time: at night from home, every secret in
 *   two regions (obvious), or a handful of batch calls from the usual place and CLI in working
 *   hours (subtle).
 */
import { atLocal, HOUR, MINUTE } from './calendar';
import type { Dice } from './dice';
import { agentString, API, type Op } from './aws_catalogue';
import { CallWriter } from './aws_activity';
import { fromConn, fromExit, hqOffset, intruderCli, memberAt, type Operation, scoredDay, sessionFor } from './aws_attacks';
import type { Principal } from './aws_estate';
import { cliOf } from './aws_tooling2';
import { hostingAbroad, ownDay, ownTool, regionOf } from './aws_tooling3';
import type { PrincipalIdentity, Session, Source } from './cloudtrail_document';
import type { Person } from './people';
import { NETWORKS, PLACES } from './world';

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
/** The LLMjacking scripts drive Bedrock with boto3 from Linux hosts. */
const LLM_SCRIPT = (op: Op): string => agentString({ tool: 'boto3', version: '1.34.101', op, os: 'linux' });
const MODELS = ['anthropic.claude-3-sonnet-20240229-v1:0', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0', 'anthropic.claude-v2:1'];

/** The member's night (or head office's), in UTC, on a day. */
const nightOf = (x: Operation, member: Person | undefined, day: number, d: Dice): number => atLocal(day, d.uniform(0.5, 3.5), member ? PLACES[member.site.place].offset[x.scene.org.season] : hqOffset(x.scene));

// ---------------------------------------------------------------- LLMjacking

function llmjacking(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  if (obvious || !member) {
    const exit = d.one(hostingAbroad(scene));
    const source = fromExit(exit, d);
    let t = nightOf(x, member, day, d);
    const session = sessionFor(p, member, t, d);
    const call = (op: Op, region: string, params?: Record<string, unknown>, errorCode?: string): void => void (t = x.call(t, op, source, LLM_SCRIPT(op), session, errorCode, region, params));
    call(API.sts.GetCallerIdentity, 'us-east-1');
    const regions = d.some(['us-east-1', 'us-west-2', 'eu-central-1', 'eu-west-3', 'ap-northeast-1'], d.between(3, 5));
    for (const region of regions) {
      call(API.bedrock.GetModelInvocationLoggingConfiguration, region);
      call(API.bedrock.ListFoundationModels, region);
      call(API.bedrock.GetFoundationModelAvailability, region, { modelId: d.one(MODELS) });
    }
    call(API.bedrock.PutUseCaseForModelAccess, 'us-east-1', { formData: '<redacted>' });
    call(API.bedrock.ListFoundationModelAgreementOffers, 'us-east-1', { modelId: MODELS[0] });
    call(API.bedrock.CreateFoundationModelAgreement, 'us-east-1', { modelId: MODELS[0], offerToken: `OT${d.alnum(24)}` });
    for (const region of regions) call(API.bedrock.InvokeModel, region, { modelId: d.one(MODELS), body: '{"max_tokens_to_sample":-1}' }, 'ValidationException');
    const n = d.between(150, 400);
    const span = d.uniform(1.5, 3) * HOUR;
    const calls: [number, string][] = [];
    for (let k = 0; k < n; k++) calls.push([t + d.uniform(0, 1) * span, d.one(regions)]);
    calls.sort((a, b) => a[0] - b[0]);
    for (const [at, region] of calls) x.call(Math.round(at), API.bedrock.InvokeModel, source, LLM_SCRIPT(API.bedrock.InvokeModel), session, undefined, region, { modelId: d.one(MODELS) });
    return `LLMjacking from ${exit.org} (${exit.place.country}) at night: Bedrock logging, models and availability probed in ${regions.length} regions, model access requested and agreed, then ${n} InvokeModel calls`;
  }
  const own = ownDay(member, day, scene, d);
  const vps = NETWORKS[scene.estate.regionNetwork['us-east-1'] ?? 'awsAshburn'];
  const source: Source = fromExit(vps, d);
  let t = atLocal(day, own.start + d.uniform(1, 5), own.offset);
  const session = sessionFor(p, member, t, d);
  const region = 'us-east-1';
  const call = (op: Op, params?: Record<string, unknown>, errorCode?: string): void => void (t = x.call(t, op, source, LLM_SCRIPT(op), session, errorCode, region, params));
  call(API.bedrock.GetModelInvocationLoggingConfiguration);
  call(API.bedrock.ListFoundationModels);
  const model = d.one(MODELS);
  call(API.bedrock.InvokeModel, { modelId: model, body: '{"max_tokens_to_sample":-1}' }, 'ValidationException');
  const n = d.between(20, 50);
  for (let k = 0; k < n; k++) t = x.call(t + d.between(30, 240) * 1000, API.bedrock.InvokeModel, source, LLM_SCRIPT(API.bedrock.InvokeModel), session, undefined, region, { modelId: model });
  return `${p.identity.name}'s credentials from ${vps.org} (${vps.place.city}) in working hours: Bedrock logging and models probed, then ${n} InvokeModel calls of ${model}`;
}

// ---------------------------------------------------------------- IAM Roles Anywhere

const trustRolesAnywhere = (anchorArn: string): string =>
  `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"rolesanywhere.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"ArnEquals":{"aws:SourceArn":"${anchorArn}"}}}]}`;

function rolesAnywhere(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const region = scene.estate.homeRegion;
  const account = p.identity.account;
  const anchorId = d.uuid();
  const anchorArn = `arn:aws:rolesanywhere:${region}:${account}:trust-anchor/${anchorId}`;
  if (obvious || !member) {
    const exit = d.one(hostingAbroad(scene));
    const source = fromExit(exit, d);
    let t = nightOf(x, member, day, d);
    const session = sessionFor(p, member, t, d);
    const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, source, intruderCli(op), session, undefined, regionOf(op, scene), params));
    const roleName = d.one(['rolesanywhere-ops', 'iot-fleet-provisioner', 'hybrid-workload-role']);
    const roleArn = `arn:aws:iam::${account}:role/${roleName}`;
    call(API.sts.GetCallerIdentity);
    call(API.iam.ListRoles);
    call(API.rolesanywhere.ListTrustAnchors);
    call(API.rolesanywhere.CreateTrustAnchor, { name: d.one(['ops-ca', 'fleet-anchor', 'hybrid-ca']), enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: '<redacted>' } } });
    call(API.iam.CreateRole, { roleName, assumeRolePolicyDocument: trustRolesAnywhere(anchorArn) });
    call(API.iam.AttachRolePolicy, { roleName, policyArn: ADMIN });
    call(API.rolesanywhere.CreateProfile, { name: `${roleName}-profile`, roleArns: [roleArn], enabled: true, durationSeconds: 43200 });
    // Hours later the intruder's certificate buys sessions of the role from outside.
    const role: PrincipalIdentity = { name: roleName, type: 'AssumedRole', account, principalId: `AROA${d.alnum(17)}`, arn: roleArn };
    const fn: Principal = { index: 96_000 + p.index, identity: role, role: 'workload', behaviour: { kind: 'break-glass', network: scene.estate.regionNetwork[region] }, region, lag: 0 };
    const w = new CallWriter(fn, scene, d);
    const outside = d.one(hostingAbroad(scene));
    let u = t + Math.round(d.uniform(3, 9) * HOUR);
    const sessions = d.between(2, 3);
    let reads = 0;
    for (let k = 0; k < sessions; k++) {
      const serial = d.hex(32);
      const s: Session = { name: serial, accessKeyId: `ASIA${d.alnum(16)}`, created: u, mfa: false };
      const src = fromExit(outside, d);
      const steps: [Op, string, Record<string, unknown> | undefined][] = [
        [API.rolesanywhere.CreateSession, region, { profileArn: `arn:aws:rolesanywhere:${region}:${account}:profile/${d.uuid()}`, roleArn, trustAnchorArn: anchorArn }],
        [API.sts.GetCallerIdentity, 'us-east-1', undefined],
        [API.s3.ListBuckets, 'us-east-1', undefined],
        [API.secretsmanager.ListSecrets, region, undefined],
        ...[...Array(d.between(2, 5)).keys()].map((): [Op, string, undefined] => [API.secretsmanager.GetSecretValue, region, undefined]),
      ];
      for (const [op, r, params] of steps) {
        w.call({ t: u, op, region: r, source: src, userAgent: intruderCli(op), session: s, requestParameters: params });
        u += d.between(2, 20) * 1000;
        reads++;
      }
      u += Math.round(d.uniform(2, 8) * HOUR);
    }
    x.extra.push(...w.out);
    return `at night from ${exit.org} (${exit.place.country}): a Roles Anywhere trust anchor holding the intruder's certificate authority, role ${roleName} with AdministratorAccess trusting it, a profile; then ${sessions} X.509 sessions of the role from ${outside.org}, ${reads} calls reading secrets`;
  }
  const own = ownDay(member, day, scene, d);
  let t = atLocal(day, own.start + d.uniform(1, 5), own.offset);
  const session = sessionFor(p, member, t, d);
  const agent = ownTool(scene, p, member, cliOf(p));
  const roles = scene.estate.principals.filter((q) => q.behaviour.kind === 'workload').map((q) => q.identity.name);
  const roleName = d.one(roles.length > 0 ? roles : ['ci-deploy-role']);
  const call = (op: Op, params?: Record<string, unknown>): void => void (t = x.call(t, op, own.source, agent(op, t), session, undefined, regionOf(op, scene), params));
  call(API.rolesanywhere.ListTrustAnchors);
  call(API.rolesanywhere.CreateTrustAnchor, { name: 'partner-ci-anchor', enabled: true, source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: '<redacted>' } } });
  t += d.between(1, 8) * MINUTE;
  call(API.iam.GetRole, { roleName });
  call(API.iam.UpdateAssumeRolePolicy, { roleName, policyDocument: trustRolesAnywhere(anchorArn) });
  call(API.rolesanywhere.CreateProfile, { name: 'partner-ci', roleArns: [`arn:aws:iam::${account}:role/${roleName}`], enabled: true });
  return `a Roles Anywhere trust anchor "partner-ci-anchor" with an outside certificate authority, ${roleName}'s trust policy widened to it and a profile, in working hours from ${member.login}'s own network and ${cliOf(p)}`;
}

// ---------------------------------------------------------------- BatchGetSecretValue

function secretsBatch(x: Operation): string {
  const { d, scene } = x;
  const p = x.victim.principal;
  const obvious = x.victim.style === 'obvious';
  const day = scoredDay(scene, p, d, !obvious);
  const member = memberAt(p, scene, day, d);
  const regions = obvious ? [scene.estate.homeRegion, ...Object.keys(scene.estate.regionNetwork).filter((r) => r !== scene.estate.homeRegion).slice(0, 1)] : [scene.estate.homeRegion];
  let t: number;
  let source: Source;
  let agent: (op: Op, t: number) => string;
  let where: string;
  if (member && obvious) {
    source = fromConn({ network: NETWORKS[member.home], ip: member.homeAddress });
    t = atLocal(day, d.uniform(23, 26), PLACES[member.site.place].offset[scene.org.season]);
    agent = ownTool(scene, p, member, cliOf(p));
    where = `from ${member.login}'s home at night`;
  } else if (member) {
    const own = ownDay(member, day, scene, d);
    source = own.source;
    t = atLocal(day, own.start + d.uniform(1, 5), own.offset);
    agent = ownTool(scene, p, member, cliOf(p));
    where = `from ${member.login}'s usual place in working hours`;
  } else {
    const exit = d.one(hostingAbroad(scene));
    source = fromExit(exit, d);
    t = nightOf(x, member, day, d);
    agent = (op) => intruderCli(op);
    where = `from ${exit.org} at night`;
  }
  const session = sessionFor(p, member, t, d);
  let secrets = 0;
  let batches = 0;
  for (const region of regions) {
    t = x.call(t, API.secretsmanager.ListSecrets, source, agent(API.secretsmanager.ListSecrets, t), session, undefined, region, { maxResults: 100 });
    const n = obvious ? d.between(4, 9) : d.between(2, 4);
    for (let k = 0; k < n; k++) {
      const size = obvious ? 20 : d.between(3, 10);
      secrets += size;
      batches++;
      const params = d.chance(0.5) ? { filters: [{ key: 'name', values: [d.one(['prod/', 'db/', 'steam/', 'payments/', 'platform/'])] }], maxResults: size } : { secretIdList: [...Array(size).keys()].map(() => `prod/${d.alnum(8).toLowerCase()}`) };
      t = x.call(t + d.between(5, 60) * 1000, API.secretsmanagerBatch.BatchGetSecretValue, source, agent(API.secretsmanagerBatch.BatchGetSecretValue, t), session, undefined, region, params);
    }
  }
  return `${batches} BatchGetSecretValue calls (up to ${secrets} secrets) in ${regions.length} region(s) ${where}`;
}

/** The set 7 variants, as plantAwsVariant dispatches them. */
export const SET7_AWS_TOOLING = { llmjacking, 'roles-anywhere': rolesAnywhere, 'secrets-batch': secretsBatch } as const;
