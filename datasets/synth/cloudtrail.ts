/**
 * AWS CloudTrail (`logs-aws.cloudtrail-*`): an account's principals and what they call. Most are
 * roles with very regular habits (Lambda functions and ECS tasks following customer traffic, EKS
 * nodes and monitoring vendors polling every few minutes, AWS services, nightly Terraform plans
 * that read everything, CI pipelines from ever-changing runner addresses); the rest are people,
 * through SSO roles (several people behind one role name) or legacy IAM users, using the console
 * and the CLI. Benign drift: SDK and CLI upgrades, redeploys, new APIs, throttling and
 * misconfiguration error episodes, DR tests in another region, people travelling.
 * Documents follow shared/reference/aws_cloudtrail_*: user.name is the role name for AssumedRole.
 *
 * Split by job: cloudtrail_types (shapes), cloudtrail_kinds (kinds' names and call mixes),
 * cloudtrail_principals (building the principals), cloudtrail_agents (user agents and SDK versions),
 * cloudtrail_schedules (a benign day per principal), cloudtrail_humans (people); this file renders
 * the documents and drives generation.
 */
import { planCloudtrailAttack, CLOUDTRAIL_ATTACKS } from './attacks_cloudtrail';
import { DATA_EVENTS, GLOBAL_SERVICES, isReadOnly, parseToolUa, PROVIDER } from './cloudtrail_catalog';
import { buildPrincipals } from './cloudtrail_principals';
import { principalDay } from './cloudtrail_schedules';
import type { CtCall, CtEnv, Principal } from './cloudtrail_types';
import { browserAgent, uaDoc } from './devices';
import { asDoc, city, geoDoc } from './geo';
import { Rng } from './rng';
import { iso } from './time';
import type { Generated, GenContext, Timed } from './types';
import type { RawEvent } from '../../server/engine/types';

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
