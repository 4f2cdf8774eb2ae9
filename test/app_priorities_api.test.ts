// Priorities and why through the API (issue 17 parts 3 and 4): the users ranking's 0–100 risk,
// level, trend and worst-event evidence, and the users × time swimlane, checked against numbers
// computed here straight from the scored documents. Over files through the standalone server (real
// HTTP), and from Elasticsearch (the test server, scored in place) answering as the files do.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { SwimlaneResponse, UsersResponse } from '../common/api';
import { riskLevel, riskScore100, riskTrend } from '../common/risk_level';
import { whySentence } from '../common/why';
import { parseSourceConfig } from '../common/source_config';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import { scoreEsSource } from '../server/engine/jobs/es_score';
import { EsSink } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { schemaOf } from '../server/engine/features/frame';
import type { InputItem, RawEvent } from '../server/engine/types';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { fileContext } from '../server/standalone/context';
import { EsScoresReader } from '../server/data/es_scores_reader';
import { MemoryScoresReader } from '../server/data/memory_scores_reader';
import type { ScoresQuery } from '../server/data/scores_reader';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';

const profile = resolveProfile('azure-signin');
const DAY = 86_400_000;
// Two scored days: the second is the range, the first its previous period. With this seed one
// compromised user's attack peaks on the first day (risk 27 then 2), the other's on the second (21).
const ds = generate({ profile: 'azure-signin', seed: 3, users: 16, trainDays: 10, testDays: 2, compromisedUsers: 2, start: '2026-10-01T00:00:00Z' });
const FROM = Date.parse('2026-10-12T00:00:00Z');
const TO = FROM + DAY;
const THRESHOLD = 8;
const USER_RISK_THRESHOLD = 10;
const TOKEN = 'priorities-test-token-0123456789';

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'gen', line: i + 1 } }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-priorities-'));
let store: FsModelStore;
let scored: Doc[] = [];
let server: Server;
let base: string;

async function get<T>(url: string): Promise<T> {
  const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(res.status, 200, url);
  return (await res.json()) as T;
}

const range = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;
const timeOf = (d: Doc): number => Date.parse(d['@timestamp']);
const scoredIn = (docs: Doc[], from: number, to: number): Doc[] => docs.filter((d) => typeof d.dfp?.zscore === 'number' && timeOf(d) >= from && timeOf(d) < to);

before(async () => {
  await initBackend('wasm');
  const sourceDir = path.join(dir, 'azure-signin');
  mkdirSync(sourceDir, { recursive: true });
  store = new FsModelStore(path.join(sourceDir, 'models'));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 6 }, minHistory: 100 });
  await scoreEvents(items(ds.test), { profile, store }, async (doc) => void scored.push(doc));
  writeFileSync(path.join(sourceDir, 'scored.ndjson'), scored.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const { context } = await fileContext(dir, () => TO);
  server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => ['read'], appDir: path.join(dir, 'no-app'), auth: { token: TOKEN } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server?.close());

describe('priorities over files (standalone server)', () => {
  it('each ranked user: 0–100 risk and level from their highest dfp.user_risk, the trend against the day before, and why from their worst event', async () => {
    const res = await get<UsersResponse>(`/internal/dfp/users?${range}&perPage=100&sort=userRisk`);
    assert.equal(res.userRiskThreshold, USER_RISK_THRESHOLD);
    const now = scoredIn(scored, FROM, TO);
    const before = scoredIn(scored, FROM - DAY, FROM);
    assert.equal(res.users.length, new Set(now.map((d) => d.dfp.user)).size);
    const trends = new Set<string>();
    let namedNetworks = 0;
    for (const u of res.users) {
      const mine = now.filter((d) => d.dfp.user === u.user);
      const risk = Math.max(...mine.map((d) => d.dfp.user_risk ?? -Infinity));
      assert.deepEqual(u.risk, riskLevel(risk, USER_RISK_THRESHOLD), `${u.label}: risk`);
      assert.equal(u.risk!.score >= 90, u.userFlagged, `${u.label}: critical exactly when flagged`);
      const earlier = before.filter((d) => d.dfp.user === u.user);
      const previous = earlier.length === 0 ? null : Math.max(...earlier.map((d) => d.dfp.user_risk ?? 0));
      assert.equal(u.previousUserRisk, previous, `${u.label}: the previous day's risk`);
      assert.equal(u.trend, riskTrend(riskScore100(risk, USER_RISK_THRESHOLD), previous === null ? null : riskScore100(previous, USER_RISK_THRESHOLD)));
      trends.add(u.trend!);
      // The worst event: highest z, then newest; its top features with the user's history, its raw address.
      const worst = [...mine].sort((a, b) => b.dfp.zscore - a.dfp.zscore || timeOf(b) - timeOf(a))[0];
      assert.equal(u.why!.time, new Date(timeOf(worst)).toISOString());
      assert.deepEqual(u.why!.features.map((f) => f.name), worst.dfp.top_features);
      for (const f of u.why!.features) {
        const stored = worst.dfp.features[f.name];
        assert.deepEqual({ value: f.value, z: f.z, seen: f.seen, usual: f.usual }, { value: stored.value, z: stored.z, seen: stored.seen, usual: stored.usual });
      }
      assert.equal(u.why!.context.ip, worst.source.ip);
      assert.equal(u.why!.context.asName, worst.source.as?.organization?.name);
      // The other networks it cites, by the names the source's events give them.
      for (const [n, name] of u.why!.asNames ?? []) assert.ok(scored.some((d) => String(d.source?.as?.number) === n && d.source.as.organization?.name === name), `AS ${n} is ${name}`);
      namedNetworks += u.why!.asNames?.length ?? 0;
    }
    assert.ok(namedNetworks > 0, 'usual networks named');
    // The two planted compromises rank first: one attacked today (critical; no sign-in the day before: new), one yesterday (down).
    assert.deepEqual(new Set(res.users.slice(0, 2).map((u) => u.user)), new Set(ds.truth.compromisedUsers));
    const [today, yesterday] = res.users;
    assert.deepEqual([today.risk!.band, today.trend, yesterday.trend], ['critical', 'new', 'down']);
    assert.ok(trends.has('same') || trends.has('new'), 'innocent users stay level');
    // Their sentence names a value never seen, and the user's usual one with its share.
    assert.match(whySentence(today.why!, { timeZone: 'UTC' }), /never seen before \(usually [^)]+ \d+%/);
  });

  it('the swimlane: the riskiest users in rows, per bucket the highest risk (0–100) and z of their events', async () => {
    const lane = await get<SwimlaneResponse>(`/internal/dfp/swimlane?${range}&users=5&buckets=24`);
    assert.deepEqual([lane.interval, lane.intervalMs, lane.buckets.length], ['1h', 3_600_000, 24]);
    assert.equal(lane.buckets[0], new Date(FROM).toISOString());
    const now = scoredIn(scored, FROM, TO);
    // Rows: highest risk first, then highest z, then key.
    const peak = (user: string, field: 'user_risk' | 'zscore'): number => Math.max(...now.filter((d) => d.dfp.user === user).map((d) => d.dfp[field] ?? -Infinity));
    const expected = [...new Set(now.map((d) => d.dfp.user as string))].sort((a, b) => peak(b, 'user_risk') - peak(a, 'user_risk') || peak(b, 'zscore') - peak(a, 'zscore') || (a < b ? -1 : 1));
    assert.deepEqual(lane.users.map((u) => u.user), expected.slice(0, 5));
    for (const u of lane.users) {
      lane.buckets.forEach((start, i) => {
        const inBucket = now.filter((d) => d.dfp.user === u.user && timeOf(d) >= Date.parse(start) && timeOf(d) < Date.parse(start) + lane.intervalMs);
        const cell = u.cells[i];
        if (inBucket.length === 0) return assert.equal(cell, null);
        const risk = Math.max(...inBucket.map((d) => d.dfp.user_risk ?? -Infinity));
        assert.deepEqual(
          { events: cell!.events, maxZscore: cell!.maxZscore, userRisk: cell!.userRisk, score: cell!.score },
          { events: inBucket.length, maxZscore: Math.max(...inBucket.map((d) => d.dfp.zscore)), userRisk: risk, score: Math.round(riskScore100(risk, USER_RISK_THRESHOLD) * 10) / 10 },
          `${u.label} ${start}`,
        );
      });
    }
    assert.ok(lane.users[0].cells.some((c) => c !== null && c.score >= 90), 'the riskiest user has a critical hour');
  });

  it('the public user-risk route gives the 0–100 risk too', async () => {
    const ranking = await get<UsersResponse>(`/internal/dfp/users?${range}&perPage=1&sort=userRisk`);
    const risk = await get<{ risk: unknown }>(`/api/dfp/users/${encodeURIComponent(ranking.users[0].user)}/risk?${range}`);
    assert.deepEqual(risk.risk, ranking.users[0].risk);
  });
});

describe('priorities from Elasticsearch', () => {
  let cluster: TestCluster;
  let client: Client;
  const dataset = `dfptest.prio${process.pid}`;

  before(async () => {
    cluster = await startCluster();
    client = cluster.client;
  });
  after(async () => {
    if (!client) return;
    await cleanUp(client, { dataStreams: [`logs-${dataset}-ip`], indices: [`.dfp-${cluster.tag}-state`], indexTemplates: [`logs-${dataset}`] });
    await cluster.stop();
  });

  it('answers as the files do: the same risk, trend, why and swimlane', async () => {
    const stream = await indexLikeIntegration(client, profile, dataset, 'ip', ds.test);
    const source = parseSourceConfig({ id: 'prio', profile: 'azure-signin', writeMode: 'in_place', index: stream, settleSeconds: 0, initialLookbackHours: 24 * 3 });
    const sink = new EsSink(client, { mode: 'in_place', namespace: 'default', sourceName: source.id, featureNames: schemaOf(profile).names, keyFields: [...profile.userFields, ...(profile.displayFields ?? [])], refresh: 'wait_for' });
    await sink.setup();
    const checkpoints = new Checkpoints(client, { index: `.dfp-${cluster.tag}-state` });
    await scoreEsSource(client, { source, profile, store, sink, checkpoints, runId: 'test', now: TO + 60_000, pageSize: 500, writeUserRisk: false });
    await client.indices.refresh({ index: stream });
    const docs = (await client.search({ index: stream, size: 10_000, query: { match_all: {} } })).hits.hits.map((h) => ({ ref: `${h._index}/${h._id}`, doc: h._source as Doc }));
    const q: ScoresQuery = { source, profile, from: FROM, to: TO, threshold: THRESHOLD, userRiskThreshold: USER_RISK_THRESHOLD };
    const es = new EsScoresReader(client);
    const files = new MemoryScoresReader({ [source.id]: docs });
    const fromEs = await es.users({ ...q, page: 1, perPage: 100, sort: 'userRisk', order: 'desc' });
    const fromFiles = await files.users({ ...q, page: 1, perPage: 100, sort: 'userRisk', order: 'desc' });
    assert.ok(fromEs.users.length > 5);
    const picked = (r: UsersResponse) => r.users.map((u) => ({ user: u.user, risk: u.risk, previousUserRisk: u.previousUserRisk, trend: u.trend, why: u.why }));
    assert.deepEqual(picked(fromEs), picked(fromFiles));
    // Users of the same risk (most have none) in order of their highest z-score, as the swimlane ranks them.
    let ties = 0;
    fromEs.users.slice(1).forEach((u, i) => {
      const before = fromEs.users[i];
      assert.ok(before.userRisk! > u.userRisk! || (before.userRisk === u.userRisk && before.maxZscore >= u.maxZscore), `${before.user} before ${u.user}`);
      if (before.userRisk === u.userRisk && before.maxZscore > u.maxZscore) ties += 1;
    });
    assert.ok(ties > 0, 'some users tied on risk are ordered by their highest z-score');
    assert.ok(fromEs.users.some((u) => u.why!.context.ip && u.why!.features.some((f) => f.usual)), 'evidence with history and a raw address read from Elasticsearch');
    const lane = { ...q, users: 6, buckets: 24 };
    assert.deepEqual(await es.swimlane(lane), await files.swimlane(lane));
  });
});
