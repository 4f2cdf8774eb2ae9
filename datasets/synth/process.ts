/**
 * Process start events as Elastic Endpoint indexes them (`logs-endpoint.events.process-*`):
 * hosts (workstations of people with their own hours, admin workstations, Windows and Linux
 * servers) with their routine process mixes, logon scripts, Patch Tuesday updates and reboots,
 * software people install, and versioned install paths that move with updates. For this profile
 * the "users" of the dataset are hosts (host.name).
 */
import { planProcessAttack, PROCESS_ATTACKS } from './attacks_process';
import { chromeBuild } from './devices';
import { makeSchedule, pickShape, Schedule } from './schedules';
import { BOOT, HostRole, MixEntry, MIXES, NEW_SOFTWARE, PATCH, ProcDef, ProcUser, RARE_LINUX, RARE_WIN, WIN } from './process_catalog';
import { city, City } from './geo';
import { hash32, Rng } from './rng';
import { localMidnight } from './timeline';
import { DAY, HOUR, iso } from './time';
import type { Generated, GenContext, Timed } from './types';
import type { RawEvent } from '../../server/engine/types';

export interface Host {
  idx: number;
  name: string;
  role: HostRole;
  os: 'windows' | 'linux';
  owner: string;
  ownerSid: string;
  sched: Schedule;
  tz: City;
  ip: string;
  mac: string;
  id: string;
  agentId: string;
  mix: MixEntry[];
  installs: { p: ProcDef; from: number; w: number }[];
  rate: number;
  loginScript: boolean;
  /** Days after Patch Tuesday this host installs updates and reboots. */
  patchLag: number;
  domainSid: string;
}

const ROLE_MIX: [HostRole, number][] = [
  ['workstation', 0.6],
  ['dev-workstation', 0.12],
  ['it-admin', 0.05],
  ['server-web', 0.05],
  ['server-sql', 0.04],
  ['server-dc', 0.02],
  ['server-file', 0.02],
  ['linux-web', 0.05],
  ['linux-db', 0.02],
  ['linux-k8s', 0.03],
];

const ROLE_VOLUME: Record<HostRole, number> = {
  workstation: 1,
  'dev-workstation': 1.6,
  'it-admin': 1.2,
  'server-web': 0.9,
  'server-sql': 0.7,
  'server-dc': 0.8,
  'server-file': 0.5,
  'linux-web': 1.2,
  'linux-db': 1.0,
  'linux-k8s': 1.8,
};

const PEOPLE = ['jsmith', 'mgarcia', 'apatel', 'lchen', 'okafor', 'tnguyen', 'kmueller', 'srossi', 'ykim', 'dcohen', 'ebrown', 'fsilva', 'hlarsen', 'iwright', 'jdubois', 'rreddy', 'mtanaka', 'nobrien', 'pkowalski', 'wjohnson'];

function hostName(role: HostRole, rng: Rng, used: Set<string>): string {
  for (;;) {
    let n: string;
    switch (role) {
      case 'workstation':
      case 'dev-workstation':
        n = rng.chance(0.5) ? `WKS-${rng.int(1000, 9999)}` : `${rng.pick(['LAPTOP', 'DESKTOP'])}-${rng.upperAlnum(7)}`;
        break;
      case 'it-admin':
        n = `ITADM-${rng.int(10, 99)}`;
        break;
      case 'server-web':
        n = `SRV-WEB-${String(rng.int(1, 20)).padStart(2, '0')}`;
        break;
      case 'server-sql':
        n = `SQL-${rng.pick(['PRD', 'RPT', 'DEV'])}-${String(rng.int(1, 9)).padStart(2, '0')}`;
        break;
      case 'server-dc':
        n = `DC${String(rng.int(1, 9)).padStart(2, '0')}`;
        break;
      case 'server-file':
        n = `FS${String(rng.int(1, 9)).padStart(2, '0')}`;
        break;
      case 'linux-web':
        n = `web-${rng.pick(['prod', 'stg'])}-${String(rng.int(1, 30)).padStart(2, '0')}`;
        break;
      case 'linux-db':
        n = `pg-${rng.pick(['primary', 'replica'])}-${rng.int(1, 9)}`;
        break;
      default:
        n = `k8s-node-${rng.int(1, 60)}`;
    }
    if (!used.has(n)) {
      used.add(n);
      return n;
    }
  }
}

export function buildHosts(root: Rng, n: number, meanRate: number, totalDays: number): Host[] {
  const rng = root.fork('hosts');
  const used = new Set<string>();
  const roles: HostRole[] = [];
  const order = rng.shuffle(ROLE_MIX.map((r) => r[0]));
  for (let i = 0; i < n; i++) roles.push(i < order.length && n >= 8 ? (order[i] as HostRole) : rng.choose(ROLE_MIX));
  rng.shuffle(roles);
  const meanVol = roles.reduce((s, r) => s + ROLE_VOLUME[r], 0) / Math.max(1, roles.length);
  const tz = city(rng.pick(['New York', 'Chicago', 'London', 'Berlin', 'San Francisco']));
  const domainSid = `S-1-5-21-${rng.int(1e9, 4e9)}-${rng.int(1e9, 4e9)}-${rng.int(1e9, 4e9)}`;
  return roles.map((role, idx) => {
    const r = rng.fork(`h${idx}`);
    const os = role.startsWith('linux') ? 'linux' : 'windows';
    const person = role === 'workstation' || role === 'dev-workstation' || role === 'it-admin';
    const owner = person ? `${r.pick(PEOPLE)}${r.chance(0.3) ? r.int(1, 9) : ''}` : os === 'linux' ? r.pick(['ubuntu', 'deploy', 'admin']) : r.pick(['svc_sql', 'svc_web', 'svc_backup', 'administrator']);
    const installs: Host['installs'] = [];
    if (person) {
      for (let d = 0; d < totalDays; d += 30) {
        if (r.chance(0.15)) installs.push({ p: r.pick(NEW_SOFTWARE), from: d + r.int(0, 29), w: r.float(0.2, 1.5) });
      }
    }
    return {
      idx,
      name: hostName(role, r, used),
      role,
      os,
      owner,
      ownerSid: `${domainSid}-${r.int(1100, 9999)}`,
      sched: makeSchedule(r, person ? pickShape(r, role === 'it-admin' ? 'it' : 'engineering') : 'office'),
      tz,
      ip: `10.${r.int(0, 40)}.${r.int(0, 255)}.${r.int(2, 254)}`,
      mac: Array.from({ length: 6 }, () => r.hex(2)).join('-'),
      id: r.uuid(),
      agentId: r.uuid(),
      mix: MIXES[role],
      installs,
      rate: Math.max(2, (meanRate * ROLE_VOLUME[role]) / meanVol) * r.lognormal(-0.18, 0.6),
      loginScript: person && r.chance(0.45),
      patchLag: r.chance(0.7) ? r.int(0, 2) : r.int(3, 9),
      domainSid,
    };
  });
}

/** Second Tuesday of the month containing t (UTC day start). */
function patchTuesday(t: number): number {
  const d = new Date(t);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const offset = (2 - first.getUTCDay() + 7) % 7;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1 + offset + 7);
}

/** Days of the window on which this host patches and reboots. */
function isPatchDay(h: Host, startMs: number, day: number): boolean {
  const t = startMs + day * DAY;
  for (const m of [t, t - 20 * DAY]) {
    const pt = patchTuesday(m);
    if (Math.round((t - pt) / DAY) === h.patchLag) return true;
  }
  return false;
}

const osCache = new WeakMap<Host, Map<number, Record<string, unknown>>>();

/** Number of patch reboots so far (the OS build moves with it). */
function patchesBefore(h: Host, startMs: number, day: number): number {
  let n = 0;
  for (let d = -40; d < day; d++) if (isPatchDay(h, startMs, d)) n++;
  return n;
}

/** host.os for a day (copied per event: documents share no objects). */
function hostOs(h: Host, startMs: number, day: number): Record<string, unknown> {
  let m = osCache.get(h);
  if (!m) {
    m = new Map();
    osCache.set(h, m);
  }
  let o = m.get(day);
  if (!o) {
    o = osDoc(h, patchesBefore(h, startMs, day));
    m.set(day, o);
  }
  return { ...o };
}

export interface ProcStart {
  t: number;
  def: ProcDef;
  args?: string[];
  user?: { name: string; domain?: string; id: string };
  parentPid?: number;
  /** Processes of one chain share the parent's pid. */
  pid?: number;
}

function pickMix(entries: { e: MixEntry; w: number }[], rng: Rng): MixEntry {
  return (entries[rng.weightedIndex(entries.map((x) => x.w))] as { e: MixEntry }).e;
}

export function hostDay(h: Host, day: number, startMs: number, rng: Rng): ProcStart[] {
  const out: ProcStart[] = [];
  const day0 = localMidnight(startMs, day, h.tz);
  const dow = new Date(startMs + day * DAY).getUTCDay();
  const person = h.role === 'workstation' || h.role === 'dev-workstation' || h.role === 'it-admin';
  const workday = rng.chance(h.sched.workdays[dow] ?? 0) && !(person && rng.chance(0.03));
  const start = h.sched.start + rng.normal(0, h.sched.jitter);
  const len = Math.max(3, h.sched.length + rng.normal(0, 0.7));
  const patch = isPatchDay(h, startMs, day);
  const at = (hour: number) => Math.floor(day0 + hour * HOUR) + rng.int(0, 59_999);

  if (patch && h.os === 'windows') {
    // Updates install in the evening (or at night on servers), then the machine reboots.
    let t = at(person ? rng.float(17, 20) : rng.float(1, 4));
    for (let i = rng.int(8, 25); i > 0; i--, t += rng.int(5_000, 120_000)) out.push({ t, def: rng.pick(PATCH) });
    t += rng.int(5 * 60_000, 30 * 60_000);
    for (const def of BOOT) out.push({ t: (t += rng.int(200, 4_000)), def });
  }
  if (person && workday) {
    let t = at(start - 0.05);
    out.push({ t, def: WIN.userinit });
    out.push({ t: (t += rng.int(500, 3_000)), def: WIN.explorer });
    if (h.loginScript) {
      // The logon script maps drives: cmd.exe -> net.exe use -> net1.exe, every morning.
      out.push({ t: (t += rng.int(2_000, 10_000)), def: WIN.logonScript });
      out.push({ t: (t += rng.int(300, 2_000)), def: WIN.netUse });
      out.push({ t: (t += rng.int(50, 500)), def: WIN.net1Use });
    }
    for (const m of h.mix) if (m.when === 'logon' && rng.chance(0.85)) out.push({ t: (t += rng.int(1_000, 20_000)), def: m.p });
  }

  const mean = h.rate * (person ? (workday ? 1 : 0.25) : dow === 0 || dow === 6 ? 0.8 : 1);
  const n = rng.negbin(mean, 4);
  const entries: { e: MixEntry; w: number }[] = [];
  for (const m of h.mix) if (m.when !== 'logon' && (m.when === 'always' || workday || !person)) entries.push({ e: m, w: m.w });
  for (const ins of h.installs) if (day >= ins.from && workday) entries.push({ e: { p: ins.p, w: ins.w, when: 'work' }, w: ins.w });
  if (entries.length === 0) return out;
  for (let i = 0; i < n; i++) {
    const m = pickMix(entries, rng);
    let hour: number;
    if (m.when === 'work') hour = person ? start + rng.next() * len : rng.float(8, 18);
    else if (person) hour = rng.chance(0.8) ? start - 1 + rng.next() * (len + 2) : rng.float(0, 24);
    else hour = rng.chance(0.3) ? rng.float(0, 24) : Math.min(23.99, Math.max(0, rng.normal(13, 5)));
    out.push({ t: at(hour), def: m.p });
  }
  // Rare but routine: updaters with versioned names, installers, helpdesk troubleshooting.
  const rareP = h.os === 'windows' ? (person ? 0.45 : 0.3) : 0.25;
  if (rng.chance(rareP)) {
    const pool = h.os === 'windows' ? RARE_WIN : RARE_LINUX;
    for (let k = rng.int(1, 3); k > 0; k--) {
      const def = rng.pick(pool);
      const sig = `1.${437 + Math.floor(day / 3)}.${rng.int(100, 999)}.0`;
      const rnd = rng.upperAlnum(5);
      const fillRare = (x: string) => x.split('{sig}').join(sig).split('{rnd}').join(rnd);
      out.push({ t: at(person && workday ? start + rng.next() * len : rng.float(0, 24)), def: { ...def, name: fillRare(def.name), exe: fillRare(def.exe), parentExe: fillRare(def.parentExe), parent: fillRare(def.parent), args: def.args.map((a) => a.map(fillRare)) } });
    }
  }
  for (const ins of h.installs) {
    if (ins.from === day) out.push({ t: at(start + rng.float(0, 2)), def: PATCH[3] as ProcDef, args: ['/i', `C:\\Users\\${h.owner}\\Downloads\\${ins.p.name.replace('.exe', '')}-setup.msi`] });
  }
  return out;
}

// ---- rendering ----------------------------------------------------------------------------------

const WELL_KNOWN: Record<string, { name: string; domain: string; id: string }> = {
  SYSTEM: { name: 'SYSTEM', domain: 'NT AUTHORITY', id: 'S-1-5-18' },
  'LOCAL SERVICE': { name: 'LOCAL SERVICE', domain: 'NT AUTHORITY', id: 'S-1-5-19' },
  'NETWORK SERVICE': { name: 'NETWORK SERVICE', domain: 'NT AUTHORITY', id: 'S-1-5-20' },
};

function userFor(h: Host, u: ProcUser): { name: string; domain?: string; id: string } {
  if (h.os === 'linux') {
    if (u === 'owner') return { name: h.owner, id: '1000' };
    if (u === 'www-data') return { name: 'www-data', id: '33' };
    if (u === 'postgres') return { name: 'postgres', id: '112' };
    return { name: 'root', id: '0' };
  }
  const wk = WELL_KNOWN[u];
  if (wk) return wk;
  if (u === 'apppool') return { name: 'DefaultAppPool', domain: 'IIS APPPOOL', id: 'S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415' };
  if (u === 'svc') return { name: h.role.startsWith('server') ? h.owner : 'svc_sccm', domain: 'CORP', id: `${h.domainSid}-1${h.idx % 900 + 100}` };
  if (u === 'root' || u === 'www-data' || u === 'postgres') return { name: 'SYSTEM', domain: 'NT AUTHORITY', id: 'S-1-5-18' };
  return { name: h.owner, domain: 'CORP', id: h.ownerSid };
}

const versionCache = new Map<number, { teams: string; webview: string; ver: string }>();

function versions(t: number): { teams: string; webview: string; ver: string } {
  const day = Math.floor(t / DAY);
  const hit = versionCache.get(day);
  if (hit) return hit;
  const v = computeVersions(day * DAY);
  versionCache.set(day, v);
  return v;
}

function computeVersions(t: number): { teams: string; webview: string; ver: string } {
  const c = chromeBuild(t - 10 * DAY);
  const months = Math.floor((t - Date.UTC(2024, 0, 1)) / (30.4 * DAY));
  const webview = `${c.major}.0.${3120 + (c.major - 130) * 57}.${c.patch % 120}`;
  return { teams: `25${String(100 + months * 10).padStart(3, '0')}.${1000 + (months % 9) * 111}.${3000 + months}.${1000 + months * 7}`, webview, ver: webview };
}

function fill(s: string, h: Host, v: { teams: string; webview: string; ver: string }): string {
  if (s.indexOf('{') < 0) return s;
  return s.split('{user}').join(h.owner).split('{teams}').join(v.teams).split('{webview}').join(v.webview).split('{ver}').join(v.ver);
}

function quote(s: string): string {
  return s.includes(' ') ? `"${s}"` : s;
}

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Endpoint's entity id of a process: stable for (host, pid, day), so a child names its parent's. */
function entityId(h: Host, pid: number, day: number): string {
  let s = '';
  for (let k = 0; s.length < 40; k++) {
    let v = hash32(`${h.id}:${pid}:${day}:${k}`);
    for (let j = 0; j < 5 && s.length < 40; j++) {
      s += B62[v % 62];
      v = Math.floor(v / 62);
    }
  }
  return s;
}

function pidFor(h: Host, name: string, day: number): number {
  return ((hash32(`${h.id}:${name}:${day}`) % 12000) + 400) * 4;
}

function osDoc(h: Host, patches: number): Record<string, unknown> {
  if (h.os === 'linux') {
    const kernel = `6.8.0-${79 + patches * 4}-generic`;
    return { family: 'ubuntu', full: 'Ubuntu 24.04.3 LTS', kernel, name: 'Linux', platform: 'ubuntu', type: 'linux', version: '24.04.3' };
  }
  const server = h.role.startsWith('server');
  const build = server ? `10.0.20348.${4052 + patches * 245}` : `10.0.26100.${4946 + patches * 289}`;
  const name = server ? 'Windows Server 2022 Datacenter' : 'Windows 11 Enterprise';
  const ver = server ? '21H2' : '24H2';
  return { family: 'windows', full: `${name} ${ver} (${build})`, kernel: `${ver} (${build})`, name: 'Windows', platform: 'windows', type: 'windows', version: ver };
}

export function renderProcess(h: Host, s: ProcStart, rng: Rng, startMs: number): RawEvent {
  const ts = iso(s.t);
  const day = Math.floor((s.t - startMs) / DAY);
  const v = versions(s.t);
  const def = s.def;
  const exe = fill(def.exe, h, v);
  const parentExe = fill(def.parentExe, h, v);
  const argv = (s.args ?? rng.pick(def.args.length > 0 ? def.args : [[]])).map((a) => fill(a, h, v));
  const args = [exe, ...argv];
  const pid = s.pid ?? rng.int(100, 16000) * 4;
  const ppid = s.parentPid ?? pidFor(h, def.parent, day);
  const user = s.user ?? userFor(h, def.user);
  const process: Record<string, unknown> = {
    args,
    args_count: args.length,
    command_line: args.map(quote).join(' '),
    entity_id: entityId(h, pid, day),
    executable: exe,
    name: fill(def.name, h, v),
    parent: {
      entity_id: entityId(h, ppid, day),
      executable: parentExe,
      name: fill(def.parent, h, v),
      pid: ppid,
    },
    pid,
    working_directory: h.os === 'linux' ? (user.name === 'root' ? '/root' : `/home/${user.name}`) : user.domain === 'NT AUTHORITY' ? 'C:\\Windows\\system32\\' : `C:\\Users\\${user.name}\\`,
  };
  const id = rng.alnum(24);
  return {
    '@timestamp': ts,
    agent: { id: h.agentId, type: 'endpoint', version: '8.19.2' },
    data_stream: { dataset: 'endpoint.events.process', namespace: 'default', type: 'logs' },
    ecs: { version: '8.11.0' },
    event: {
      action: 'start',
      agent_id_status: 'verified',
      category: ['process'],
      created: ts,
      dataset: 'endpoint.events.process',
      id,
      kind: 'event',
      module: 'endpoint',
      type: ['start'],
    },
    host: {
      architecture: 'x86_64',
      hostname: h.name,
      id: h.id,
      ip: [h.ip],
      mac: [h.mac],
      name: h.name,
      os: hostOs(h, startMs, day),
    },
    message: 'Endpoint process event',
    process,
    user,
  };
}

export function generateProcess(ctx: GenContext): Generated {
  const root = new Rng(`synth:process:${ctx.seed}`);
  // 1.2: measured correction (quiet weekends on workstations) so the mean matches eventsPerUserPerDay.
  const hosts = buildHosts(root, ctx.users, ctx.eventsPerUserPerDay * 1.2, ctx.totalDays);
  const events: Timed[] = [];
  const trainCount = new Map<Host, number>();
  for (const h of hosts) {
    let n = 0;
    for (let d = -1; d <= ctx.totalDays; d++) {
      const rng = root.fork(`day:${h.idx}:${d}`);
      for (const s of hostDay(h, d, ctx.startMs, rng)) {
        if (s.t < ctx.startMs || s.t >= ctx.endMs) continue;
        events.push({ t: s.t, doc: renderProcess(h, s, rng, ctx.startMs) });
        if (s.t < ctx.testStart) n++;
      }
    }
    trainCount.set(h, n);
  }
  const attacks: Generated['attacks'] = [];
  if (ctx.compromisedUsers > 0) {
    const arng = root.fork('attacks');
    let eligible = hosts.filter((h) => (trainCount.get(h) ?? 0) > 0);
    if (eligible.length < ctx.compromisedUsers) eligible = hosts;
    const victims = arng.sample(eligible, Math.min(ctx.compromisedUsers, eligible.length));
    const kinds = arng.shuffle(PROCESS_ATTACKS.slice());
    victims.forEach((h, i) => {
      const r = arng.fork(`attack:${i}`);
      const plan = planProcessAttack(kinds[i % kinds.length] as string, h, { startMs: ctx.startMs, testStart: ctx.testStart, endMs: ctx.endMs, trainDays: ctx.trainDays, totalDays: ctx.totalDays }, r);
      const ids: string[] = [];
      for (const s of plan.starts) {
        const doc = renderProcess(h, s, r, ctx.startMs);
        events.push({ t: s.t, doc });
        ids.push((doc.event as { id: string }).id);
      }
      attacks.push({ user: h.name, kind: plan.kind, start: plan.starts.length > 0 ? Math.min(...plan.starts.map((s) => s.t)) : ctx.testStart, ids });
    });
  }
  return { events, attacks };
}
