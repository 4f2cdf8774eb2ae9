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
import { startEsServerProcess } from './es_server_process';
import { scoreEvents } from '../../server/engine/jobs/score';

export interface EsRun {
  seconds: number;
  /** Seconds with a request to Elasticsearch in flight. */
  waitSeconds: number;
  /** CPU seconds of this (the plugin's) process, all threads. */
  pluginCpuSeconds: number;
  serverCpuSeconds: number;
  modelsRead: number;
}

export interface EsScoringFigures {
  events: number;
  users: number;
  /** Users with a model of their own. */
  models: number;
  setupSeconds: number;
  /** The first run (every model read from the store). */
  cold: EsRun;
  /** The later runs (models kept on the scoring workers). */
  warm: EsRun[];
  /** File scoring of the same events with the same models in this process (the warm run of median plugin-side time). */
  file: EsRun;
}

/** The run of median plugin-side time (wall less waiting for Elasticsearch). */
export function medianRun(runs: EsRun[]): EsRun {
  const sorted = [...runs].sort((x, y) => x.seconds - x.waitSeconds - (y.seconds - y.waitSeconds));
  return sorted[Math.floor(sorted.length / 2)];
}

const MODELS_INDEX = '.dfp-bench-models';

export async function esScoringBench(opts: { profile: Profile; store: ModelStore; events: RawEvent[]; users: number; runs: number; say: (s: string) => void }): Promise<EsScoringFigures> {
  const { profile } = opts;
  const server = await startEsServerProcess();
  const client = createEsClient({ url: server.url });
  const wait = timeRequests(client);
  try {
    const t0 = performance.now();
    const world = await buildWorld(client, opts);
    const setupSeconds = (performance.now() - t0) / 1000;
    opts.say(`  Elasticsearch world: ${world.users} users (${world.models} models of their own, copies of ${world.baseModels}), ${opts.events.length} events, set up in ${setupSeconds.toFixed(1)} s`);
    const runs: EsRun[] = [];
    for (let r = 0; r <= opts.runs; r++) {
      const source = parseSourceConfig({ id: `bench-${r}`, profile: profile.name, index: world.stream, namespace: `bench${r}`, settleSeconds: 0, initialLookbackHours: 24 * 365 });
      const sink = new EsSink(client, sinkOptionsOf(source, profile));
      await sink.setup();
      const before = { wall: performance.now(), wait: wait.ms(), cpu: cpuMs(), server: await server.cpuMs() };
      const summary = await scoreEsSource(client, {
        source,
        profile,
        store: new EsModelStore(client, { index: MODELS_INDEX }),
        modelsKey: `${server.url}|${MODELS_INDEX}`,
        sink,
        checkpoints: new Checkpoints(client),
        runId: `bench-${r}`,
        now: world.newest + 1,
        pageSize: 1000,
      });
      const run: EsRun = {
        seconds: (performance.now() - before.wall) / 1000,
        waitSeconds: (wait.ms() - before.wait) / 1000,
        pluginCpuSeconds: (cpuMs() - before.cpu) / 1000,
        serverCpuSeconds: ((await server.cpuMs()) - before.server) / 1000,
        modelsRead: summary.modelsRead,
      };
      if (summary.written !== opts.events.length) throw new Error(`ES bench run ${r} wrote ${summary.written} of ${opts.events.length} events`);
      opts.say(`  run ${r}: ${run.seconds.toFixed(2)} s, ${run.waitSeconds.toFixed(2)} s waiting for Elasticsearch, plugin CPU ${run.pluginCpuSeconds.toFixed(2)} s, server CPU ${run.serverCpuSeconds.toFixed(2)} s, ${run.modelsRead} models read`);
      runs.push(run);
    }
    // The scoring workers go with the models they keep for Elasticsearch runs: file scoring keeps its own.
    await closeScorePool();
    const items = world.events.map((event, i) => ({ kind: 'event' as const, event, source: { file: 'bench', line: i + 1 } }));
    const store = new EsModelStore(client, { index: MODELS_INDEX });
    const file: EsRun[] = [];
    for (let r = 0; r <= opts.runs; r++) {
      const before = { wall: performance.now(), wait: wait.ms(), cpu: cpuMs() };
      await scoreEvents(items, { profile, store }, async () => {});
      file.push({ seconds: (performance.now() - before.wall) / 1000, waitSeconds: (wait.ms() - before.wait) / 1000, pluginCpuSeconds: (cpuMs() - before.cpu) / 1000, serverCpuSeconds: 0, modelsRead: 0 });
    }
    await closeScorePool();
    const warmFile = medianRun(file.slice(1));
    opts.say(`  file scoring of the same events and models: ${Math.round(opts.events.length / (warmFile.seconds - warmFile.waitSeconds))} events/s less waiting for Elasticsearch (the store's list and generic model; median of ${opts.runs})`);
    return { events: opts.events.length, users: world.users, models: world.models, setupSeconds, cold: runs[0], warm: runs.slice(1), file: warmFile };
  } finally {
    await client.close();
    await server.stop();
  }
}

/**
 * The bench's users copied up to `users`, their events indexed like the integration's, their
 * models (and the generic one) stored in the Elasticsearch model store.
 */
async function buildWorld(
  client: Client,
  opts: { profile: Profile; store: ModelStore; events: RawEvent[]; users: number },
): Promise<{ stream: string; events: RawEvent[]; newest: number; users: number; models: number; baseModels: number }> {
  const { profile, store } = opts;
  const keyOf = (e: RawEvent): string | undefined => {
    const row = extractRow(e, profile);
    return row.ok ? row.row.user : undefined;
  };
  const base = [...new Set(opts.events.map(keyOf).filter((u): u is string => u !== undefined))];
  // Copy k of base user i is user i + k·B (k from 0): `copies(i)` of them below `users`.
  const B = base.length;
  const copies = (i: number): number => Math.max(1, Math.ceil((opts.users - i) / B));
  const nameOf = (user: string, k: number): string => (k === 0 ? user : `${user}~${k}`);
  const index = new Map(base.map((u, i) => [u, i]));

  let dealt = 0;
  const events = opts.events.map((e) => {
    const user = keyOf(e);
    if (user === undefined) return e;
    const k = dealt++ % copies(index.get(user)!);
    return k === 0 ? e : renamed(e, profile.userFields, user, nameOf(user, k));
  });
  const stream = await indexLikeIntegration(client, profile, 'azure.signinlogs', 'bench', events);

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
  const newest = Math.max(...opts.events.map((e) => Date.parse(String(e['@timestamp']))));
  return { stream, events, newest, users: base.reduce((n, _, i) => n + copies(i), 0), models: saved, baseModels: stored.length };
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

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
