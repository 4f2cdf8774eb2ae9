/**
 * An account's CloudTrail principals: the mix of kinds, then each one's name, identity, call mix,
 * user agent, network and schedule, with benign drift (deploys, new APIs, error episodes, DR tests).
 * The kinds' names and call mixes are data in cloudtrail_kinds; people are built in cloudtrail_humans.
 */
import { ciUa, deployedSdk, DeploySdk, ecsUa, eksNodeUa, lambdaUa, lastDeploy, legacyUa, vendorUa } from './cloudtrail_agents';
import { ALL_REGIONS, Call, CONSOLE_PAGES, RegionInfo, REGIONS, terraformUa } from './cloudtrail_catalog';
import { makeHuman } from './cloudtrail_humans';
import {
  AUDIT_CALLS,
  AUDIT_TICK,
  AWS_SERVICE_CALLS,
  AWS_SERVICE_TICK,
  AWS_SERVICES,
  BACKUP_CALLS,
  BUCKETS,
  CI,
  CI_CALLS,
  ECS,
  ECS_MIX,
  EKS_NODE_CALLS,
  EKS_NODE_TICK,
  FIRST,
  IAM_SVC,
  IAM_SVC_MIX,
  KIND_MIX,
  KIND_VOLUME,
  LAMBDA_MIX,
  LAMBDAS,
  LAST,
  MONITORING_CALLS,
  MONITORING_TICK,
  NEW_API_POOL,
  SSO_ROLES,
  TERRAFORM,
  TERRAFORM_EXTRA_CALLS,
  VENDORS,
} from './cloudtrail_kinds';
import type { CtEnv, CtHuman, PKind, Principal } from './cloudtrail_types';
import { asn, businessIsp, City, city, ipFor } from './geo';
import { makeSchedule } from './schedules';
import { Rng } from './rng';
import { DAY } from './time';

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

function weightedCalls(list: readonly [Call, number][]): { v: Call; w: number; from: number }[] {
  return list.map(([v, w]) => ({ v, w, from: -1000 }));
}

type Egress = Principal['egress'];

/** k NAT addresses of an AWS region (the principal runs inside AWS). */
function awsEgress(account: string, idx: number, reg: string, k: number): Egress {
  const c = regionCity(reg);
  const a = asn(16509);
  return { asn: a, city: c, ips: Array.from({ length: k }, (_, i) => ipFor(a, c.key, `nat:${account}:${idx}:${i}`)) };
}

/** What every principal has before its kind adds its own. */
type PrincipalBase = Pick<
  Principal,
  'idx' | 'account' | 'regions' | 'home' | 'rate' | 'deploys' | 'incidents' | 'regionTests' | 'humans' | 'buckets' | 'tick' | 'period' | 'serviceHost' | 'accessKey' | 'nightlyHour'
>;

/** One principal being defined: its generator and what was drawn before its kind. */
interface KindCtx {
  r: Rng;
  env: CtEnv;
  used: Set<string>;
  base: PrincipalBase;
  /** The home region (first of env.homeRegions). */
  primary: string;
  /** SDK version on a day (moves on redeploys). */
  sdk: (day: number, s: DeploySdk) => string;
}

function egressIn(k: KindCtx, reg: string, n: number): Egress {
  return awsEgress(k.base.account, k.base.idx, reg, n);
}

/**
 * A workload role (Lambda function, ECS task): a sample of its kind's call mix, from NAT addresses
 * in the home region. The role id is drawn before the number of addresses, as each kind always did.
 */
function workloadRole(
  k: KindCtx,
  o: Pick<Principal, 'name' | 'kind' | 'arn' | 'ua' | 'sessionName' | 'schedule'> & { mix: [Call, number][]; ips: [number, number] },
): Principal {
  return {
    ...k.base,
    name: o.name,
    kind: o.kind,
    type: 'AssumedRole',
    principalId: roleId(k.r),
    arn: o.arn,
    calls: weightedCalls(o.mix),
    ua: o.ua,
    net: 'aws',
    egress: egressIn(k, k.primary, k.r.int(o.ips[0], o.ips[1])),
    sessionName: o.sessionName,
    schedule: o.schedule,
  };
}

function definePrincipal(kind: PKind, k: KindCtx): Principal {
  const { r, env, used, base, primary, sdk } = k;
  const { account, idx, deploys, rate } = base;
  switch (kind) {
    case 'lambda': {
      const fn = uniq(r.pick(LAMBDAS), used);
      const lang = r.choose([['python', 0.55], ['node', 0.35], ['java', 0.1]] as const);
      const mix = r.sample(LAMBDA_MIX, r.int(2, 5));
      const nightly = fn.startsWith('etl') || fn.startsWith('report') || r.chance(0.15);
      return workloadRole(k, {
        name: `${fn}-role`,
        kind,
        arn: `arn:aws:iam::${account}:role/service-role/${fn}-role`,
        mix,
        ua: (_t, day) => lambdaUa(lang, sdk, day),
        ips: [1, 2],
        sessionName: () => fn,
        schedule: nightly ? 'nightly' : 'traffic',
      });
    }
    case 'ecs': {
      const svc = uniq(r.pick(ECS), used);
      const mix = r.sample(ECS_MIX, r.int(3, 5));
      return workloadRole(k, {
        name: `${svc}-task-role`,
        kind,
        arn: `arn:aws:iam::${account}:role/${svc}-task-role`,
        mix,
        ua: (_t, day) => ecsUa(sdk, day),
        ips: [1, 3],
        // A task's id is its session name; tasks are replaced on every deploy.
        sessionName: (day) => new Rng(`task:${idx}:${lastDeploy(deploys, day)}`).hex(32),
        schedule: 'traffic',
      });
    }
    case 'eks-node': {
      const name = uniq(`eks-${r.pick(['prod', 'staging', 'data'])}-nodegroup-NodeInstanceRole`, used);
      return {
        ...base,
        name,
        kind,
        type: 'AssumedRole',
        principalId: roleId(r),
        arn: `arn:aws:iam::${account}:role/${name}`,
        calls: weightedCalls(EKS_NODE_CALLS),
        tick: EKS_NODE_TICK,
        ua: (_t, day) => eksNodeUa(sdk, day),
        net: 'aws',
        egress: egressIn(k, primary, 3),
        sessionName: (day, rr) => `i-0${new Rng(`node:${idx}:${Math.floor((day + 200) / 9)}:${rr.int(0, 2)}`).hex(16)}`,
        schedule: 'periodic',
      };
    }
    case 'aws-service': {
      const [roleName, host] = r.pick(AWS_SERVICES);
      const name = uniq(roleName, used);
      const backup = host.startsWith('backup');
      return {
        ...base,
        name,
        kind,
        type: 'AssumedRole',
        principalId: roleId(r),
        arn: `arn:aws:iam::${account}:role/aws-service-role/${host}/${roleName}`,
        calls: weightedCalls(backup ? BACKUP_CALLS : AWS_SERVICE_CALLS),
        tick: backup ? [] : AWS_SERVICE_TICK,
        ua: () => host,
        net: 'service',
        egress: egressIn(k, primary, 1),
        serviceHost: host,
        sessionName: () => (host.startsWith('config') ? 'AWSConfig-Describe' : host.split('.')[0] ?? 'aws'),
        schedule: backup ? 'nightly' : 'periodic',
      };
    }
    case 'third-party': {
      const name = uniq(r.pick(VENDORS), used);
      const vendorCity = city(r.pick(['Ashburn', 'Boardman', 'Dublin', 'Frankfurt am Main']));
      const vAsn = asn(r.chance(0.7) ? 16509 : 396982);
      const audit = /Wiz|Lacework|Snyk|Vanta/.test(name);
      return {
        ...base,
        name,
        kind,
        type: 'AssumedRole',
        principalId: roleId(r),
        arn: `arn:aws:iam::${account}:role/${name}`,
        calls: weightedCalls(audit ? AUDIT_CALLS : MONITORING_CALLS),
        tick: audit ? AUDIT_TICK : MONITORING_TICK,
        ua: (t) => vendorUa(t, name, audit),
        net: 'vendor',
        egress: { asn: vAsn, city: vendorCity, ips: Array.from({ length: 6 }, (_, i) => ipFor(vAsn, vendorCity.key, `vendor:${name}:${i}`)) },
        sessionName: () => (name.startsWith('Datadog') ? 'DatadogAWSIntegration' : `${name.replace('Role', '')}Session`),
        schedule: audit ? 'nightly' : 'periodic',
      };
    }
    case 'ci': {
      const name = uniq(r.pick(CI), used);
      const team = makeSchedule(r, 'office');
      return {
        ...base,
        name,
        kind,
        type: 'AssumedRole',
        principalId: roleId(r),
        arn: `arn:aws:iam::${account}:role/${name}`,
        calls: weightedCalls(CI_CALLS),
        ua: (t, _day, rr) => ciUa(name, t, rr),
        net: 'runners',
        egress: { asn: asn(8075), city: city('San Jose'), ips: [] },
        sessionName: (_day, rr) => (name.startsWith('github') ? 'GitHubActions' : `${name.split('-')[0]}-${rr.int(100000, 999999)}`),
        schedule: 'ci',
        nightlyHour: team.start,
      };
    }
    case 'terraform': {
      const name = uniq(r.pick(TERRAFORM), used);
      const onOffice = r.chance(0.5);
      const eg = onOffice ? { asn: businessIsp(env.hqCity.cc, r), city: env.hqCity, ips: [] as string[] } : egressIn(k, primary, 1);
      if (onOffice) eg.ips = [ipFor(eg.asn, eg.city.key, `jenkins:${idx}`)];
      return {
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
            .concat(TERRAFORM_EXTRA_CALLS),
        ),
        ua: (t) => terraformUa(t, 20),
        net: onOffice ? 'office' : 'aws',
        egress: eg,
        sessionName: () => '',
        schedule: 'nightly',
        accessKey: `AKIA${r.upperAlnum(16)}`,
      };
    }
    case 'iam-svc': {
      const name = uniq(r.pick(IAM_SVC), used);
      const onPrem = r.chance(0.6);
      const eg = onPrem ? { asn: businessIsp(env.hqCity.cc, r), city: env.hqCity, ips: [] as string[] } : egressIn(k, primary, 1);
      if (onPrem) eg.ips = [ipFor(eg.asn, eg.city.key, `svc:${idx}`)];
      const legacyVersion = `1.${r.int(11, 12)}.${r.int(100, 900)}`;
      const pyVersion = `1.${r.int(18, 34)}.${r.int(0, 40)}`;
      const uaStyle = r.choose([['java1', 0.3], ['cli1', 0.3], ['boto', 0.4]] as const);
      return {
        ...base,
        name,
        kind,
        type: 'IAMUser',
        principalId: `AIDA${r.upperAlnum(17)}`,
        arn: `arn:aws:iam::${account}:user/${name}`,
        calls: weightedCalls(r.sample(IAM_SVC_MIX, r.int(1, 3))),
        ua: () => legacyUa(uaStyle, legacyVersion, pyVersion, r),
        net: onPrem ? 'office' : 'aws',
        egress: eg,
        sessionName: () => '',
        schedule: r.chance(0.6) ? 'periodic' : 'traffic',
        accessKey: `AKIA${r.upperAlnum(16)}`,
      };
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
      const p: Principal = {
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
      return p;
    }
  }
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
    const deploys: number[] = [];
    for (let d = -30; d < totalDays; d++) if (new Date(env.startMs + d * DAY).getUTCDay() % 6 !== 0 && r.chance(0.08)) deploys.push(d);
    const incidents: Principal['incidents'] = [];
    const regionTests: Principal['regionTests'] = [];
    for (let d = 0; d < totalDays; d++) {
      if (r.chance(0.025)) incidents.push({ day: d, fromH: r.float(0, 20), toH: 0, call: ['s3', 'GetObject'], code: r.chance(0.5) ? 'AccessDenied' : 'ThrottlingException' });
      if (r.chance(0.006)) regionTests.push({ day: d, region: r.pick(ALL_REGIONS.filter((x) => !env.homeRegions.includes(x)).slice(0, 6)) });
    }
    for (const inc of incidents) inc.toH = inc.fromH + r.float(0.5, 4);
    const base: PrincipalBase = {
      idx,
      account,
      regions,
      home,
      rate,
      deploys,
      incidents,
      regionTests,
      humans: [] as CtHuman[],
      buckets: r.sample(BUCKETS, r.int(1, 3)).map((b) => `${env.company}-${b}`),
      tick: [] as Call[],
      period: 0,
      serviceHost: '',
      accessKey: '',
      nightlyHour: r.float(1, 4),
    };
    const lagDays = r.float(0, 30);
    const p = definePrincipal(kind, { r, env, used, base, primary, sdk: deployedSdk(deploys, env.startMs, lagDays) });
    // New APIs adopted after a deploy (a feature ships).
    for (let d = 0; d < totalDays; d += 30) {
      if (p.calls.length > 0 && r.chance(0.12)) {
        const c = r.pick(NEW_API_POOL);
        if (!p.calls.some((x) => x.v[0] === c[0] && x.v[1] === c[1])) p.calls.push({ v: c, w: r.float(0.2, 1), from: d + r.int(0, 29) });
      }
    }
    if (p.schedule === 'periodic' && p.tick.length === 0) p.tick = [p.calls[0]?.v ?? ['s3', 'ListBuckets']];
    if (p.schedule === 'periodic') p.period = Math.max(2, Math.round((1440 * p.tick.length) / p.rate));
    out.push(p);
  });
  return out;
}
