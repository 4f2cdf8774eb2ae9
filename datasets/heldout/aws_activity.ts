/**
 * Ordinary CloudTrail traffic, principal by principal: people doing tasks from wherever their
 * day puts them, workloads serving traffic that follows the business day, timers firing,
 * nightly batches, CI pipelines on pushes and release evenings, AWS services acting for the
 * account, vendors polling every region, uploaders and partners moving files.
 */
import { atLocal, DAY, HOUR, isWeekend, MINUTE } from './calendar';
import type { Dice } from './dice';
import { agentString, API, bumpedIn, perform, versionOf, type Op, type TaskName, type ToolName } from './aws_catalogue';
import type { Estate, Principal } from './aws_estate';
import { renderCall, type ApiCall, type Session, type Source } from './cloudtrail_document';
import { isHired, laptopConnection, planDay, type Connection, type Life } from './days';
import { browserUserAgent, buildOn, type Device } from './devices';
import type { DriftKind, Emitted } from './labels';
import type { Person } from './people';
import { addressIn, NETWORKS, PLACES, type Network } from './world';

export interface AwsScene extends Life {
  estate: Estate;
  /** When Amazon Q appears in everyone's console (the company-wide new app of the scored week). */
  newAppLive: number;
}

/** Calls IAM, Cost Explorer and bucket listings log in us-east-1 whatever region is asked. */
const GLOBAL = new Set(['iam.amazonaws.com', 'ce.amazonaws.com', 'sts.amazonaws.com']);

export function regionFor(op: Op, scene: AwsScene, d: Dice): string {
  if (GLOBAL.has(op.provider) || op.action === 'ListBuckets') return 'us-east-1';
  const regions = Object.keys(scene.estate.regionNetwork);
  return d.chance(0.85) ? scene.estate.homeRegion : d.one(regions);
}

/** Writes one principal's calls, with the drift label each belongs to. */
export class CallWriter {
  readonly out: Emitted[] = [];

  constructor(
    readonly principal: Principal,
    readonly scene: AwsScene,
    readonly d: Dice,
  ) {}

  call(c: Omit<ApiCall, 'who' | 'readOnly' | 'category' | 'provider' | 'action'> & { op: Op }, drift?: DriftKind): Emitted {
    const { op, ...rest } = c;
    const failure = op.error && this.d.chance(op.error[1]) ? op.error[0] : undefined;
    const e = renderCall(
      {
        ...rest,
        who: this.principal.identity,
        provider: op.provider,
        action: op.action,
        readOnly: op.readOnly,
        category: op.data ? 'Data' : 'Management',
        errorCode: rest.errorCode ?? failure,
      },
      this.d,
    );
    if (drift) e.drift = drift;
    this.out.push(e);
    return e;
  }
}

const osOf = (device: Device): 'linux' | 'macos' | 'windows' => (device.os === 'macOS' ? 'macos' : device.os === 'Linux' ? 'linux' : 'windows');

const ipSource = (conn: { network?: Network; ip: string }): Source => ({ kind: 'ip', ip: conn.ip, network: conn.network });

/** A stable private address inside the VPC (calls through gateway endpoints), per workload. */
const privateAddress = (p: Principal, k: number): string => `10.${20 + (p.index % 40)}.${(p.index * 7 + k) % 250}.${11 + ((p.index * 13 + k * 5) % 200)}`;

/** The NAT gateways' public addresses in a region. */
function natAddress(scene: AwsScene, region: string, k: number): { network: Network; ip: string } {
  const network = NETWORKS[scene.estate.regionNetwork[region] ?? scene.estate.regionNetwork[scene.estate.homeRegion]];
  return { network, ip: `${network.prefixes[0]}.${40 + (k % 2)}` };
}

function newSession(name: string, t: number, d: Dice, mfa: boolean, invokedBy?: string): Session {
  return { name, accessKeyId: `ASIA${d.alnum(16)}`, created: t, mfa, invokedBy };
}

// ---------------------------------------------------------------- people

function personDrift(member: Person, trip: boolean): DriftKind | undefined {
  return trip ? 'business-trip' : member.hiredOn !== undefined ? 'new-hire' : undefined;
}

interface PersonalTools {
  tools: (readonly [ToolName, number])[];
}

/** Each member leans on the team's tools differently (one lives in the CLI, another in the console). */
function toolsOf(member: Person, tools: readonly (readonly [ToolName, number])[], scene: AwsScene): PersonalTools {
  const d = scene.dice.for('tool-taste', member.index);
  return { tools: tools.map(([t, w]) => [t, w * Math.exp(d.gauss(0, 0.7))] as const) };
}

/** One task by a person: a burst of calls with one tool. */
export function doTask(w: CallWriter, member: Person, task: TaskName, tool: ToolName, t0: number, conn: Connection, session: Session | undefined, drift: DriftKind | undefined, d: Dice): number {
  const scene = w.scene;
  let t = t0;
  const ops = perform(task, d);
  const console = tool === 'console';
  const browser = console ? browserUserAgent(member.laptop, buildOn(scene.org.releases, scene.window.start, t, member.laptop)) : '';
  // Amazon Q answers questions in the console once it launches.
  if (console && t >= scene.newAppLive && d.chance(0.2)) {
    ops.push(API.q.StartConversation, ...Array<Op>(d.between(1, 3)).fill(API.q.SendMessage));
  }
  for (const op of ops) {
    const region = regionFor(op, scene, d);
    let agent: string;
    let label = drift;
    if (console) {
      agent = op.provider === 's3.amazonaws.com' ? '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.780 Linux/5.10.233 OpenJDK_64-Bit_Server_VM/25.442-b06 java/1.8.0_442 vendor/Oracle_Corporation cfg/retry-mode/standard]' : browser;
      if (!label && op.provider === 'q.amazonaws.com') label = 'new-app';
    } else {
      const lag = scene.dice.for('install', member.index, tool).between(0, 8);
      agent = agentString({ tool, version: versionOf(tool, scene.window.start, t, lag), op, os: osOf(member.laptop) });
      if (!label && bumpedIn(tool, scene.window.start, scene.window.testStart, t, lag)) label = 'sdk-release';
    }
    w.call({ t, op, region, source: ipSource(conn), userAgent: agent, session }, label);
    t += (console ? d.between(4, 40) : d.between(1, 12)) * 1000;
  }
  return t;
}

function consoleLogin(w: CallWriter, member: Person, t: number, conn: Connection, session: Session | undefined, drift: DriftKind | undefined): void {
  const scene = w.scene;
  const ua = browserUserAgent(member.laptop, buildOn(scene.org.releases, scene.window.start, t, member.laptop));
  w.call({ t, op: API.signin.ConsoleLogin, region: scene.estate.homeRegion, source: ipSource(conn), userAgent: ua, session, console: { success: true, mfa: true, loginTo: `https://console.aws.amazon.com/console/home?region=${scene.estate.homeRegion}` } }, drift);
}

function peopleCalls(p: Principal, scene: AwsScene): Emitted[] {
  if (p.behaviour.kind !== 'people') return [];
  const b = p.behaviour;
  const w = new CallWriter(p, scene, scene.dice.for('aws', p.index));
  const sso = p.identity.type === 'AssumedRole';
  for (const member of b.members) {
    const taste = toolsOf(member, b.tools, scene);
    for (let day = scene.window.start; day < scene.window.end; day += DAY) {
      if (!isHired(member, day) || (p.createdOn !== undefined && day < p.createdOn)) continue;
      const plan = planDay(member, day, scene);
      if (!plan.shift) continue;
      const d = scene.dice.for('aws-day', p.index, member.index, day);
      const start = atLocal(day, plan.shift.start, plan.offset);
      const end = atLocal(day, plan.shift.end, plan.offset);
      const tasks = d.poisson(((end - start) / HOUR) * b.tasksPerHour * member.intensity);
      if (tasks === 0) continue;
      const conn = laptopConnection(member, plan, scene, d);
      const drift = personDrift(member, plan.trip?.inScoredWeek === true);
      const times = [...Array(tasks)].map(() => d.uniform(start, end)).sort((a, c) => a - c);
      const session = sso ? newSession(member.upn, times[0] - d.between(1, 5) * MINUTE, d, true) : undefined;
      let loggedIn = false;
      for (const at of times) {
        const tool = d.weighted(taste.tools);
        if (tool === 'console' && !loggedIn) {
          consoleLogin(w, member, Math.round(at) - d.between(20, 90) * 1000, conn, session, drift);
          loggedIn = true;
        }
        doTask(w, member, d.weighted(b.tasks), tool, Math.round(at), conn, session, drift, d);
      }
    }
  }
  return w.out;
}

// ---------------------------------------------------------------- workloads

/** Load over the business day at the organisation's head office: busy by day, quiet at night. */
function diurnalWeights(offset: number): [number, number][] {
  const out: [number, number][] = [];
  for (let h = 0; h < 24; h++) {
    const local = (((h + offset) % 24) + 24) % 24;
    out.push([h, local >= 8 && local < 19 ? 1 : local >= 6 && local < 22 ? 0.5 : 0.15]);
  }
  return out;
}

/**
 * Where a workload's call comes from: Lambda functions outside a VPC from any address of the
 * region; services in a VPC reach S3 and DynamoDB through gateway endpoints (private addresses)
 * and everything else through their NAT gateways; batch hosts only through NAT.
 */
export function workloadSource(p: Principal, op: Op, scene: AwsScene, d: Dice): Source {
  const region = scene.estate.homeRegion;
  if (p.behaviour.kind !== 'workload') throw new Error(`${p.identity.name} is not a workload`);
  const pattern = p.behaviour.pattern;
  if (pattern === 'timer') {
    const network = NETWORKS[scene.estate.regionNetwork[region]];
    return ipSource({ network, ip: addressIn(network, d) });
  }
  const viaEndpoint = pattern !== 'nightly' && (op.provider === 's3.amazonaws.com' || op.provider === 'dynamodb.amazonaws.com');
  return viaEndpoint ? { kind: 'ip', ip: privateAddress(p, d.between(0, 2)) } : ipSource(natAddress(scene, region, p.index));
}

function workloadCalls(p: Principal, scene: AwsScene): Emitted[] {
  if (p.behaviour.kind !== 'workload') return [];
  const b = p.behaviour;
  const w = new CallWriter(p, scene, scene.dice.for('aws', p.index));
  const hqOffset = PLACES[scene.org.sites[0].place].offset[scene.org.season];
  const hours = diurnalWeights(hqOffset);
  const region = scene.estate.homeRegion;
  const name = p.identity.name.replace(/-role$/, '');
  for (let day = scene.window.start; day < scene.window.end; day += DAY) {
    const d = scene.dice.for('workload-day', p.index, day);
    const weekendFactor = isWeekend(day) ? 0.5 : 1;
    const times: number[] = [];
    if (b.pattern === 'timer') {
      for (let m = d.between(0, b.everyMinutes - 1); m < 24 * 60; m += b.everyMinutes) times.push(day + m * MINUTE + d.between(0, 20) * 1000);
    } else if (b.pattern === 'nightly') {
      const from = atLocal(day, 1 + d.uniform(0, 0.4), hqOffset);
      const n = Math.round(b.callsPerDay * weekendFactor * Math.exp(d.gauss(0, 0.2)));
      for (let k = 0; k < n; k++) times.push(from + d.uniform(0, d.uniform(0.5, 1.5) * HOUR));
    } else {
      const n = d.poisson(b.callsPerDay * weekendFactor);
      for (let k = 0; k < n; k++) times.push(day + d.weighted(hours) * HOUR + d.uniform(0, HOUR));
    }
    times.sort((a, c) => a - c);
    const session = newSession(b.pattern === 'timer' ? name : b.pattern === 'nightly' ? `i-0${d.hex(16)}` : d.hex(32), day + d.between(0, 30) * MINUTE, d, false);
    for (const t0 of times) {
      const ops: Op[] = b.pattern === 'timer' ? perform('params', d).slice(0, 1).concat([API.s3.ListObjects], d.chance(0.6) ? [API.s3.GetObject] : [], d.chance(0.4) ? [API.dynamodb.PutItem] : []) : [d.weighted(b.ops)];
      let t = Math.round(t0);
      for (const op of ops) {
        const source = workloadSource(p, op, scene, d);
        const version = versionOf(b.tool, scene.window.start, t, p.lag);
        const drift = bumpedIn(b.tool, scene.window.start, scene.window.testStart, t, p.lag) ? 'sdk-release' : undefined;
        w.call({ t, op, region, source, userAgent: agentString({ tool: b.tool, version, op, os: b.pattern === 'timer' ? 'lambda' : 'linux' }), session }, drift);
        t += d.between(20, 900);
      }
    }
  }
  return w.out;
}

// ---------------------------------------------------------------- CI

/** A GitHub-hosted runner: some Azure range in the US, different every job. */
function runner(d: Dice): { network: Network; ip: string } {
  const network = NETWORKS[d.one(['azureSanAntonio', 'azureDesMoines', 'azureBoydton'] as const)];
  return { network, ip: addressIn(network, d) };
}

function ciAgent(scene: AwsScene, p: Principal, tool: 'aws-cli' | 'docker' | 'terraform', op: Op, t: number): string {
  return agentString({ tool, version: versionOf(tool, scene.window.start, t, p.lag), op, os: 'azure-runner' });
}

export function isReleaseDay(scene: AwsScene, day: number): boolean {
  return scene.estate.releaseDays.includes(day);
}

function ciCalls(p: Principal, scene: AwsScene): Emitted[] {
  const kind = p.behaviour.kind;
  if (kind !== 'ci-build' && kind !== 'ci-plan' && kind !== 'ci-deploy') return [];
  const w = new CallWriter(p, scene, scene.dice.for('aws', p.index));
  const hq = PLACES[scene.org.sites[0].place].offset[scene.org.season];
  for (let day = scene.window.start; day < scene.window.end; day += DAY) {
    if (p.createdOn !== undefined && day < p.createdOn) continue;
    const d = scene.dice.for('ci-day', p.index, day);
    const newPrincipal: DriftKind | undefined = p.createdOn !== undefined ? 'new-hire' : undefined;
    const run = (t0: number, steps: [Op, 'aws-cli' | 'docker' | 'terraform'][], drift?: DriftKind): void => {
      const host = runner(d);
      const session = newSession('GitHubActions', t0, d, false);
      let t = t0;
      for (const [op, tool] of steps) {
        w.call({ t, op, region: regionFor(op, scene, d), source: ipSource(host), userAgent: ciAgent(scene, p, tool, op, t), session }, drift ?? newPrincipal);
        t += d.between(1, 15) * 1000;
      }
    };
    if (kind === 'ci-deploy') {
      const release = isReleaseDay(scene, day);
      const drift: DriftKind | undefined = release && day >= scene.window.testStart ? 'deploy-day' : undefined;
      if (release) run(atLocal(day, 19 + d.uniform(0, 0.5), hq), releaseSteps(scene, day, d), drift);
      else if (!isWeekend(day) && d.chance(0.12)) run(atLocal(day, d.uniform(10, 17), hq), hotfixSteps(d));
      continue;
    }
    if (isWeekend(day)) continue;
    const runs = d.poisson(kind === 'ci-plan' ? 3 : 2.2);
    for (let k = 0; k < runs; k++) {
      const t0 = atLocal(day, d.uniform(8, 19), hq);
      if (kind === 'ci-plan') run(t0, perform('terraformPlan', d).map((op) => [op, 'terraform']));
      else run(t0, buildSteps(d));
    }
  }
  return w.out;
}

function buildSteps(d: Dice): [Op, 'aws-cli' | 'docker'][] {
  const layers = d.between(0, 3);
  return [
    [API.sts.GetCallerIdentity, 'aws-cli'],
    [API.ecr.GetAuthorizationToken, 'aws-cli'],
    ...Array<[Op, 'docker']>(d.between(2, 6)).fill([API.ecr.BatchCheckLayerAvailability, 'docker']),
    ...Array<[Op, 'docker']>(layers).fill([API.ecr.InitiateLayerUpload, 'docker']),
    ...Array<[Op, 'docker']>(layers).fill([API.ecr.CompleteLayerUpload, 'docker']),
    [API.ecr.PutImage, 'docker'],
    ...Array<[Op, 'aws-cli']>(d.between(0, 2)).fill([API.s3.PutObject, 'aws-cli']),
  ];
}

function hotfixSteps(d: Dice): [Op, 'aws-cli'][] {
  return [
    [API.sts.GetCallerIdentity, 'aws-cli'],
    [API.ecs.RegisterTaskDefinition, 'aws-cli'],
    [API.ecs.UpdateService, 'aws-cli'],
    ...Array<[Op, 'aws-cli']>(d.between(2, 6)).fill([API.ecs.DescribeServices, 'aws-cli']),
  ];
}

/** A release: change sets per stack, new task definitions per service, new Lambda code; a snapshot first when the database migrates. */
function releaseSteps(scene: AwsScene, day: number, d: Dice): [Op, 'aws-cli'][] {
  const steps: [Op, 'aws-cli'][] = [[API.sts.GetCallerIdentity, 'aws-cli']];
  const many = (op: Op, lo: number, hi: number): void => {
    for (let k = d.between(lo, hi); k > 0; k--) steps.push([op, 'aws-cli']);
  };
  if (scene.estate.migrationDays.includes(day)) {
    steps.push([API.rds.DescribeDBInstances, 'aws-cli'], [API.rds.CreateDBSnapshot, 'aws-cli']);
    many(API.rds.DescribeDBSnapshots, 3, 6);
  }
  for (let s = d.between(2, 4); s > 0; s--) {
    steps.push([API.cloudformation.CreateChangeSet, 'aws-cli']);
    many(API.cloudformation.DescribeChangeSet, 2, 4);
    steps.push([API.cloudformation.ExecuteChangeSet, 'aws-cli']);
    many(API.cloudformation.DescribeStacks, 3, 8);
    many(API.cloudformation.DescribeStackEvents, 5, 15);
  }
  for (let s = d.between(3, 7); s > 0; s--) {
    steps.push([API.ecs.RegisterTaskDefinition, 'aws-cli'], [API.ecs.UpdateService, 'aws-cli']);
    many(API.ecs.DescribeServices, 3, 8);
  }
  for (let f = d.between(2, 5); f > 0; f--) steps.push([API.lambda.UpdateFunctionCode, 'aws-cli'], [API.lambda.PublishVersion, 'aws-cli']);
  return steps;
}

// ---------------------------------------------------------------- AWS services, machines, break-glass

function serviceCalls(p: Principal, scene: AwsScene): Emitted[] {
  if (p.behaviour.kind !== 'aws-service') return [];
  const b = p.behaviour;
  const w = new CallWriter(p, scene, scene.dice.for('aws', p.index));
  const hq = PLACES[scene.org.sites[0].place].offset[scene.org.season];
  const source: Source = { kind: 'service', name: b.service };
  for (let day = scene.window.start; day < scene.window.end; day += DAY) {
    const d = scene.dice.for('service-day', p.index, day);
    const session = newSession(b.service.split('.')[0] === 'config' ? 'AWSConfig-Describe' : d.hex(10), day, d, false, b.service);
    const emit = (t: number, op: Op, drift?: DriftKind): void => void w.call({ t, op, region: regionFor(op, scene, d), source, userAgent: b.service, session }, drift);
    const release = isReleaseDay(scene, day);
    const drift: DriftKind | undefined = release && day >= scene.window.testStart ? 'deploy-day' : undefined;
    if (b.everyMinutes > 0) {
      for (let m = d.between(0, 59); m < 24 * 60; m += 60) {
        for (let k = d.between(2, 5); k > 0; k--) emit(day + m * MINUTE + d.between(0, 90) * 1000, d.one(b.ops));
      }
      continue;
    }
    if (release) {
      const t0 = atLocal(day, 19.2 + d.uniform(0, 0.6), hq);
      for (let k = d.between(10, 30); k > 0; k--) emit(t0 + d.uniform(0, 1.2 * HOUR), d.one(b.ops), drift);
    }
    if (b.onlyOnDeploys) continue;
    // Morning scale-out and evening scale-in.
    const [up, down] = [atLocal(day, 7 + d.uniform(0, 0.5), hq), atLocal(day, 20 + d.uniform(0, 0.5), hq)];
    const n = isWeekend(day) ? d.between(0, 1) : d.between(1, 3);
    for (let k = 0; k < n; k++) {
      emit(up + k * 40_000, b.ops[0]);
      emit(up + k * 40_000 + 5000, b.ops[1]);
      emit(down + k * 40_000, b.ops[b.ops.length > 3 ? 2 : 1]);
    }
    emit(up + 120_000, b.ops[b.ops.length - 1]);
  }
  return w.out;
}

function machineCalls(p: Principal, scene: AwsScene): Emitted[] {
  if (p.behaviour.kind !== 'machine') return [];
  const b = p.behaviour;
  const w = new CallWriter(p, scene, scene.dice.for('aws', p.index));
  const network = NETWORKS[b.network];
  const local = network.place.offset[scene.org.season];
  const fixedIp = `${network.prefixes[0]}.${60 + (p.index % 30)}`;
  const regions = Object.keys(scene.estate.regionNetwork);
  for (let day = scene.window.start; day < scene.window.end; day += DAY) {
    const d = scene.dice.for('machine-day', p.index, day);
    const emit = (t: number, op: Op, region = scene.estate.homeRegion, ip = fixedIp): void => {
      const version = versionOf(b.tool, scene.window.start, t, p.lag);
      const drift = bumpedIn(b.tool, scene.window.start, scene.window.testStart, t, p.lag) ? 'sdk-release' : undefined;
      w.call({ t, op, region, source: ipSource({ network, ip }), userAgent: agentString({ tool: b.tool, version, op, os: 'linux' }) }, drift);
    };
    switch (b.job) {
      case 'vendor-monitoring':
        // Polls every region every half hour from the vendor's own cloud addresses.
        for (let m = d.between(0, 29); m < 24 * 60; m += 30) {
          const region = regions[(m / 30) % regions.length | 0];
          const ip = addressIn(network, d);
          emit(day + m * MINUTE, API.monitoring.GetMetricData, region, ip);
          if (d.chance(0.5)) emit(day + m * MINUTE + 2000, API.monitoring.GetMetricData, region, ip);
          if (m % 60 < 30) emit(day + m * MINUTE + 4000, d.chance(0.5) ? API.ec2.DescribeInstances : API.tagging.GetResources, region, ip);
        }
        break;
      case 'uploader': {
        // Instruments and terminals push files in bursts when a run or a shift's batch completes.
        const bursts = d.poisson(isWeekend(day) ? 2 : 4);
        for (let k = 0; k < bursts; k++) {
          let t = day + d.uniform(0, 24) * HOUR;
          emit(t, API.s3.ListObjects);
          for (let f = d.between(5, 30); f > 0; f--) emit((t += d.between(2, 20) * 1000), API.s3.PutObject);
        }
        break;
      }
      case 'partner-exchange':
      case 'lims-sync': {
        if (isWeekend(day) && b.job === 'partner-exchange') break;
        const every = b.job === 'lims-sync' ? 30 : 60;
        for (let m = 8 * 60 + d.between(0, every - 1); m < 18 * 60; m += every) {
          let t = atLocal(day, m / 60, local);
          emit(t, API.s3.ListObjects);
          for (let k = d.between(0, 3); k > 0; k--) emit((t += d.between(1, 8) * 1000), API.s3.GetObject);
          for (let k = d.between(0, 2); k > 0; k--) emit((t += d.between(1, 8) * 1000), API.s3.PutObject);
        }
        break;
      }
      case 'backups': {
        // Nightly snapshots, copies to the second region, and retention clean-up.
        let t = atLocal(day, 0.5 + d.uniform(0, 0.3), PLACES[scene.org.sites[0].place].offset[scene.org.season]);
        const step = (op: Op, region = scene.estate.homeRegion): void => emit((t += d.between(3, 40) * 1000), op, region);
        step(API.ec2.DescribeVolumes);
        const volumes = d.between(4, 10);
        for (let k = 0; k < volumes; k++) {
          step(API.ec2.CreateSnapshot);
          step(API.ec2.CreateTags);
        }
        for (let k = d.between(3, 6); k > 0; k--) step(API.ec2.DescribeSnapshots);
        const dr = regions.find((r) => r !== scene.estate.homeRegion && r !== 'us-east-1') ?? scene.estate.homeRegion;
        for (let k = d.between(2, 4); k > 0; k--) step(API.ec2.CopySnapshot, dr);
        for (let k = d.between(3, 8); k > 0; k--) step(API.ec2.DeleteSnapshot);
        break;
      }
    }
  }
  return w.out;
}

function breakGlassCalls(p: Principal, scene: AwsScene): Emitted[] {
  if (p.behaviour.kind !== 'break-glass') return [];
  const w = new CallWriter(p, scene, scene.dice.for('aws', p.index));
  const d = scene.dice.for('drill');
  const network = NETWORKS[p.behaviour.network];
  const conn = { network, ip: `${network.prefixes[0]}.12` };
  // One disaster-recovery drill in the weeks learnt from.
  let t = atLocal(scene.window.start + 9 * DAY, 14 + d.uniform(0, 1), PLACES[scene.org.sites[0].place].offset[scene.org.season]);
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/154.0.0.0 Safari/537.36';
  w.call({ t, op: API.signin.ConsoleLogin, region: scene.estate.homeRegion, source: ipSource(conn), userAgent: ua, console: { success: true, mfa: true, loginTo: 'https://console.aws.amazon.com/iam/home' } });
  for (const op of [API.iam.ListUsers, API.iam.GetUser, API.iam.ListRoles, API.ec2.DescribeInstances, API.ec2.DescribeInstances, API.rds.DescribeDBInstances]) {
    t += d.between(10, 60) * 1000;
    w.call({ t, op, region: regionFor(op, scene, d), source: ipSource(conn), userAgent: ua });
  }
  return w.out;
}

/** Every ordinary call of one principal over the window. */
export function ordinaryCalls(p: Principal, scene: AwsScene): Emitted[] {
  switch (p.behaviour.kind) {
    case 'people':
      return peopleCalls(p, scene);
    case 'workload':
      return workloadCalls(p, scene);
    case 'ci-build':
    case 'ci-plan':
    case 'ci-deploy':
      return ciCalls(p, scene);
    case 'aws-service':
      return serviceCalls(p, scene);
    case 'machine':
      return machineCalls(p, scene);
    case 'break-glass':
      return breakGlassCalls(p, scene);
  }
}
