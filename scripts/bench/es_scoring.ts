/**
 * The bench's Elasticsearch scoring figures (`es_*`): scheduled scoring of a source read from the
 * in-memory Elasticsearch test server, run in a process of its own (es_server_process.ts) so that
 * the bench process holds only the plugin's side: reading pages, extracting, the scoring workers,
 * building documents, bulk bodies, checkpoints, user risk.
 *
 * The world: `users` users (10,000 by default), each with a model of their own where their base
 * user has one. The models are copies: the bench's trained users' models stored again under new
 * user names (`<user>~<k>`, checksum recomputed) through the Elasticsearch model store's own
 * `save`, as a train job would have stored them; each base user's events are dealt out among its
 * copies, so a run meets every user with a few events each, as a scheduled run does.
 *
 * Each run scores the whole source from scratch under a new source id and scores stream (so the
 * run is a full one, not an incremental nothing), with a new model store object (as each job makes
 * one). The first run reads every model (cold); later runs find them on the scoring workers'
 * shelves (their active versions unchanged) and read none.
 *
 * Per run: wall seconds; seconds waiting for Elasticsearch (any request of the client in flight:
 * from its start to its last byte back, before the client parses it); the bench process's CPU
 * time (all its threads: the plugin's work, parsing answers included); the server process's CPU.
 *
 * Then, in the same process and on the same events and models, file scoring (`scoreEvents` over
 * the events in memory, models from the same Elasticsearch model store): what the Elasticsearch
 * path costs beyond scoring itself.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Client } from '@elastic/elasticsearch';
import type { Profile } from '../../server/engine/profiles';
import type { RawEvent } from '../../server/engine/types';
import type { FingerprintJson } from '../../server/engine/model/fingerprint';
import type { ModelStore } from '../../server/engine/io/model_store';
import { extractRow } from '../../server/engine/features/extract';
import { getField } from '../../server/engine/profiles/field_path';
import { checksumOfBody } from '../../server/engine/model/checksum';
import { createEsClient } from '../../server/engine/io/es/client';
import { EsModelStore } from '../../server/engine/io/es/model_store';
import { EsSink, sinkOptionsOf } from '../../server/engine/io/es/sink';
import { Checkpoints } from '../../server/engine/io/es/checkpoints';
import { scoreEsSource } from '../../server/engine/jobs/es_score';
import { parseSourceConfig } from '../../common/source_config';
import { indexLikeIntegration } from '../../test/es_cluster';
import { closeScorePool } from '../../server/engine/jobs/score_pool';
import { startEsServerProcess, type EsServerProcess } from './es_server_process';
import { scoreEvents } from '../../server/engine/jobs/score';

export interface EsRun {
  seconds: number;
  /** Seconds with a request to Elasticsearch in flight. */
  waitSeconds: number;
  /** CPU seconds of this (the plugin's) process, all threads. */
  pluginCpuSeconds: number;
  /**
   * CPU seconds of this process's main thread (Kibana's event loop: reading pages, building bulk
   * bodies, parsing answers, its garbage collection); NaN where the system does not say (not Linux).
   * Unlike wall time, other processes on the machine hardly change it.
   */
  mainCpuSeconds: number;
  serverCpuSeconds: number;
  modelsRead: number;
}

/** A bench shape: a name and the events scored (of the bench's base users, dealt among their copies). */
export interface EsShape {
  name: string;
  events: RawEvent[];
}

export interface EsShapeFigures {
  name: string;
  events: number;
  /** Users with events in the shape. */
  usersWithEvents: number;
  /** The first run (every model read from the store). */
  cold: EsRun;
  /** The later runs (models kept on the scoring workers). */
  warm: EsRun[];
  /** File scoring of the same events with the same models in this process (the warm run of median plugin-side time). */
  file: EsRun;
}

export interface EsScoringFigures {
  users: number;
  /** Users with a model of their own. */
  models: number;
  setupSeconds: number;
  shapes: EsShapeFigures[];
}

/** The run of median plugin-side time (wall less waiting for Elasticsearch). */
export function medianRun(runs: EsRun[]): EsRun {
  const sorted = [...runs].sort((x, y) => x.seconds - x.waitSeconds - (y.seconds - y.waitSeconds));
  return sorted[Math.floor(sorted.length / 2)];
}

const MODELS_INDEX = '.dfp-bench-models';

export async function esScoringBench(opts: {
  profile: Profile;
  store: ModelStore;
  shapes: EsShape[];
  users: number;
  runs: number;
  /** Where to write a CPU profile of this thread over the warm runs of the first shape (`.cpuprofile`, for Chrome's DevTools). */
  profileTo?: string;
  say: (s: string) => void;
}): Promise<EsScoringFigures> {
  const server = await startEsServerProcess();
  const client = createEsClient({ url: server.url });
  const wait = timeRequests(client);
  try {
    const t0 = performance.now();
    const world = await buildWorld(client, opts);
    const setupSeconds = (performance.now() - t0) / 1000;
    opts.say(`  Elasticsearch world: ${world.users} users (${world.models} models of their own, copies of ${world.baseModels}), set up in ${setupSeconds.toFixed(1)} s`);
    const shapes: EsShapeFigures[] = [];
    for (const [s, shape] of world.shapes.entries()) {
      opts.say(`  shape ${shape.name}: ${shape.events.length} events of ${shape.usersWithEvents} users`);
      const measured = await measureShape(client, server, wait, { ...opts, shape, profileTo: s === 0 ? opts.profileTo : undefined });
      shapes.push({ name: shape.name, events: shape.events.length, usersWithEvents: shape.usersWithEvents, ...measured });
    }
    return { users: world.users, models: world.models, setupSeconds, shapes };
  } finally {
    await client.close();
    await server.stop();
  }
}

/**
 * A shape's runs: a cold one (a new scoring pool: every model read), then `runs` warm ones, each
 * a whole `scoreEsSource` under a new source id and scores stream; then file scoring of the same
 * events and models in this process.
 */
async function measureShape(
  client: Client,
  server: EsServerProcess,
  wait: { ms(): number },
  opts: { profile: Profile; shape: WorldShape; runs: number; profileTo?: string; say: (s: string) => void },
): Promise<Pick<EsShapeFigures, 'cold' | 'warm' | 'file'>> {
  const { profile, shape } = opts;
  const runs: EsRun[] = [];
  let profiler: Profiler | undefined;
  for (let r = 0; r <= opts.runs; r++) {
    if (r === 1 && opts.profileTo) profiler = await Profiler.start();
    const id = `${shape.name}-${r}`;
    const source = parseSourceConfig({ id: `bench-${id}`, profile: profile.name, index: shape.stream, namespace: `bench${shape.name}${r}`, settleSeconds: 0, initialLookbackHours: 24 * 365 });
    const sink = new EsSink(client, sinkOptionsOf(source, profile));
    await sink.setup();
    const before = { wall: performance.now(), wait: wait.ms(), cpu: cpuMs(), main: mainCpuMs(), server: await server.cpuMs() };
    const summary = await scoreEsSource(client, {
      source,
      profile,
      store: new EsModelStore(client, { index: MODELS_INDEX }),
      modelsKey: `${server.url}|${MODELS_INDEX}`,
      sink,
      checkpoints: new Checkpoints(client),
      runId: `bench-${id}`,
      now: shape.newest + 1,
      pageSize: 1000,
    });
    const run: EsRun = {
      seconds: (performance.now() - before.wall) / 1000,
      waitSeconds: (wait.ms() - before.wait) / 1000,
      pluginCpuSeconds: (cpuMs() - before.cpu) / 1000,
      mainCpuSeconds: (mainCpuMs() - before.main) / 1000,
      serverCpuSeconds: ((await server.cpuMs()) - before.server) / 1000,
      modelsRead: summary.modelsRead,
    };
    if (summary.written !== shape.events.length) throw new Error(`ES bench run ${id} wrote ${summary.written} of ${shape.events.length} events`);
    opts.say(`  run ${r}: ${run.seconds.toFixed(2)} s, ${run.waitSeconds.toFixed(2)} s waiting for Elasticsearch, plugin CPU ${run.pluginCpuSeconds.toFixed(2)} s (main thread ${run.mainCpuSeconds.toFixed(2)} s), server CPU ${run.serverCpuSeconds.toFixed(2)} s, ${run.modelsRead} models read: plugin side ${Math.round(shape.events.length / (run.seconds - run.waitSeconds))} events/s`);
    runs.push(run);
  }
  if (profiler) {
    writeFileSync(opts.profileTo!, JSON.stringify(await profiler.stop()));
    opts.say(`  CPU profile of the warm runs (this thread): ${opts.profileTo}`);
  }
  // The scoring workers go with the models they keep for Elasticsearch runs: file scoring keeps its own.
  await closeScorePool();
  const items = shape.events.map((event, i) => ({ kind: 'event' as const, event, source: { file: 'bench', line: i + 1 } }));
  const store = new EsModelStore(client, { index: MODELS_INDEX });
  const file: EsRun[] = [];
  for (let r = 0; r <= opts.runs; r++) {
    const before = { wall: performance.now(), wait: wait.ms(), cpu: cpuMs(), main: mainCpuMs() };
    await scoreEvents(items, { profile, store }, async () => {});
    const cpu = { pluginCpuSeconds: (cpuMs() - before.cpu) / 1000, mainCpuSeconds: (mainCpuMs() - before.main) / 1000 };
    file.push({ seconds: (performance.now() - before.wall) / 1000, waitSeconds: (wait.ms() - before.wait) / 1000, ...cpu, serverCpuSeconds: 0, modelsRead: 0 });
  }
  await closeScorePool();
  const warmFile = medianRun(file.slice(1));
  opts.say(`  file scoring of the same events and models: ${Math.round(shape.events.length / (warmFile.seconds - warmFile.waitSeconds))} events/s less waiting for Elasticsearch (the store's list and generic model; median of ${opts.runs})`);
  return { cold: runs[0], warm: runs.slice(1), file: warmFile };
}

/** A shape as indexed: its events (renamed to the users' copies), their data stream, the newest time. */
interface WorldShape {
  name: string;
  events: RawEvent[];
  stream: string;
  newest: number;
  usersWithEvents: number;
}

/**
 * The bench's users copied up to `users`, their models (and the generic one) stored in the
 * Elasticsearch model store, and each shape's events dealt among the copies of their user and
 * indexed like the integration's (a data stream per shape).
 */
async function buildWorld(
  client: Client,
  opts: { profile: Profile; store: ModelStore; shapes: EsShape[]; users: number },
): Promise<{ shapes: WorldShape[]; users: number; models: number; baseModels: number }> {
  const { profile, store } = opts;
  const keyOf = (e: RawEvent): string | undefined => {
    const row = extractRow(e, profile);
    return row.ok ? row.row.user : undefined;
  };
  const base = [...new Set(opts.shapes.flatMap((s) => s.events.map(keyOf)).filter((u): u is string => u !== undefined))];
  // Copy k of base user i is user i + k·B (k from 0): `copies(i)` of them below `users`.
  const B = base.length;
  const copies = (i: number): number => Math.max(1, Math.ceil((opts.users - i) / B));
  const nameOf = (user: string, k: number): string => (k === 0 ? user : `${user}~${k}`);
  const index = new Map(base.map((u, i) => [u, i]));

  const shapes: WorldShape[] = [];
  for (const shape of opts.shapes) {
    // Dealt by a count over all events (as the bench always has): a user's copies get their events unevenly, as real users do.
    let dealt = 0;
    const users = new Set<string>();
    const events = shape.events.map((e) => {
      const user = keyOf(e);
      if (user === undefined) return e;
      const k = dealt++ % copies(index.get(user)!);
      users.add(nameOf(user, k));
      return k === 0 ? e : renamed(e, profile.userFields, user, nameOf(user, k));
    });
    const stream = await indexLikeIntegration(client, profile, 'azure.signinlogs', `bench${shape.name}`, events);
    const newest = Math.max(...shape.events.map((e) => Date.parse(String(e['@timestamp']))));
    shapes.push({ name: shape.name, events, stream, newest, usersWithEvents: users.size });
  }

  const models = new EsModelStore(client, { index: MODELS_INDEX });
  const stored = await store.list(profile.name);
  let saved = 0;
  for (const { user } of stored) {
    const i = index.get(user);
    if (i === undefined) continue;
    const json = (await store.load(profile.name, user))!;
    for (let k = 0; k < copies(i); k++) {
      await models.save(copyOf(json, nameOf(user, k)));
      saved += 1;
    }
  }
  const generic = await store.load(profile.name, null);
  if (generic) await models.save(generic);
  await models.flush();
  return { shapes, users: base.reduce((n, _, i) => n + copies(i), 0), models: saved, baseModels: stored.length };
}

/**
 * The first `n` of `events` (in time order), and past their end the same events again a whole
 * number of weeks later (same weekdays and hours: each user's rhythm goes on), as many weeks as
 * `n` needs: a bench's catch-up run over more days than its workload generated.
 */
export function eventsOverWeeks(events: RawEvent[], n: number, timeFields: readonly string[]): RawEvent[] {
  const byTime = [...events].sort((a, b) => Date.parse(String(a['@timestamp'])) - Date.parse(String(b['@timestamp'])));
  if (byTime.length === 0) return [];
  const first = Date.parse(String(byTime[0]['@timestamp']));
  const last = Date.parse(String(byTime[byTime.length - 1]['@timestamp']));
  const week = 7 * 86_400_000;
  const period = Math.ceil((last - first + 1) / week) * week;
  const out: RawEvent[] = [];
  for (let k = 0; out.length < n; k++) {
    for (const e of byTime) {
      if (out.length >= n) break;
      out.push(k === 0 ? e : shifted(e, timeFields, k * period));
    }
  }
  return out;
}

/** The event with its time fields moved by `ms`. */
function shifted(event: RawEvent, timeFields: readonly string[], ms: number): RawEvent {
  const copy = structuredClone(event);
  for (const path of new Set(['@timestamp', ...timeFields])) {
    const t = getField(copy, path);
    if (t === undefined || t === null) continue;
    setField(copy, path.split('.'), new Date(Date.parse(String(t)) + ms).toISOString());
  }
  return copy;
}

/** A model stored under another user's name: the same weights, its checksum made anew. */
function copyOf(json: FingerprintJson, user: string): FingerprintJson {
  const copy: FingerprintJson = { ...json, user };
  const { checksum: _, ...body } = copy;
  copy.checksum = checksumOfBody(body);
  return copy;
}

/** The event with `user` in its user fields replaced by `name`. */
function renamed(event: RawEvent, paths: readonly string[], user: string, name: string): RawEvent {
  const copy = structuredClone(event);
  for (const path of paths) if (getField(copy, path) === user) setField(copy, path.split('.'), name);
  return copy;
}

/** Sets a field that is there, whether its path is written nested, dotted, or in between. */
function setField(node: Record<string, unknown>, parts: string[], value: unknown): void {
  for (let n = parts.length; n >= 1; n--) {
    const key = parts.slice(0, n).join('.');
    if (!Object.hasOwn(node, key)) continue;
    if (n === parts.length) node[key] = value;
    else setField(node[key] as Record<string, unknown>, parts.slice(n), value);
    return;
  }
}

/** Milliseconds with at least one of the client's requests in flight (timed around each connection's request). */
function timeRequests(client: Client): { ms(): number } {
  let inFlight = 0;
  let since = 0;
  let total = 0;
  for (const connection of client.connectionPool.connections) {
    const request = connection.request.bind(connection) as (...args: unknown[]) => Promise<unknown>;
    (connection as unknown as { request: typeof request }).request = async (...args) => {
      if (inFlight++ === 0) since = performance.now();
      try {
        return await request(...args);
      } finally {
        if (--inFlight === 0) total += performance.now() - since;
      }
    };
  }
  return { ms: () => total + (inFlight > 0 ? performance.now() - since : 0) };
}

/** A CPU profile of this thread (the inspector's sampling profiler). */
class Profiler {
  private constructor(private readonly session: Session) {}

  static async start(): Promise<Profiler> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
    return new Profiler(session);
  }

  async stop(): Promise<object> {
    const { profile } = await this.session.post('Profiler.stop');
    this.session.disconnect();
    return profile;
  }
}

/** CPU milliseconds of this thread (the main thread: the bench runs there) from /proc; NaN elsewhere. */
function mainCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S; // utime, stime
  } catch {
    return Number.NaN;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux everywhere but a few old architectures). */
const TICKS_PER_S = 100;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
