// One contract, two readers: the answers about scored events from Elasticsearch (scores data stream
// and in place) and from scored files in memory must equal each other and the numbers computed
// here directly from the scored documents. Real models, real scoring, the real client over HTTP
// (the in-memory test server, or a real cluster with ES_URL).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { RankedUser, UserSort } from '../common/api';
import { parseSourceConfig, type SourceConfig, type WriteMode } from '../common/source_config';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { firstValue } from '../server/engine/profiles/field_path';
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
import type { ScoresQuery, ScoresReader } from '../server/data/scores_reader';
import { EsScoresReader } from '../server/data/es_scores_reader';
import { MemoryScoresReader, loadScoredFiles, type ScoredFileDoc } from '../server/data/memory_scores_reader';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';

const profile = resolveProfile('azure-signin');
const HOUR = 3_600_000;
const ds = generate({ profile: 'azure-signin', seed: 7, users: 12, trainDays: 10, testDays: 2, compromisedUsers: 1, start: '2026-03-01T00:00:00Z' });
// One user's newest event carries another display name: labels come from the newest event.
const RENAMED = 'Renamed.Person';
const newestEvent = ds.test[ds.test.length - 1] as { user: { id: string; name: string } };
const formerName = newestEvent.user.name;
newestEvent.user = { ...newestEvent.user, name: RENAMED };
const testStart = Date.parse('2026-03-11T00:00:00Z');
const testEnd = Date.parse('2026-03-13T00:00:00Z');
/** Two thresholds with different flags in this data (z tops out near 3.5 after 4 epochs). */
const HIGH = 3;
const LOW = 2;
/** Low enough for the time-series check to flag some hours. */
const TS_THRESHOLD = 2;
/** A user-risk floor this data's z-scores pass often, so users' risks differ; no time-series part (files and Elasticsearch check volume differently). */
const RISK_MODEL = { floor: 1, halfLifeHours: 6, horizonHours: 24, tsWeight: 0, tsBinMinutes: 60 };
const WHOLE = { from: testStart, to: testEnd };
const PART = { from: testStart + 6 * HOUR, to: testStart + 30 * HOUR };

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

/** A scored document reduced to what the contract is about, read here without the readers' code. */
interface Truth {
  time: number;
  user: string | null;
  z: number | null;
  dfp: Record<string, any>;
  doc: Record<string, any>;
}

/** The readers under test, each with the documents it reads and the source it is asked about. */
interface Subject {
  reader: ScoresReader;
  source: SourceConfig;
  truth: Truth[];
  /** Scored through Elasticsearch (the time-series check differs from the file pipeline's). */
  es: boolean;
}

const SUBJECTS = ['memory over scored files', 'elasticsearch scores stream', 'elasticsearch in place', 'memory over the in-place documents'] as const;
type SubjectName = (typeof SUBJECTS)[number];
const subjects = new Map<SubjectName, Subject>();

let cluster: TestCluster;
let client: Client;
let dataset: string;
let unreadableLines: number;

function sourceConfig(id: string, writeMode: WriteMode, index?: string, namespace = 'default'): SourceConfig {
  return parseSourceConfig({ id, profile: 'azure-signin', writeMode, index, namespace, settleSeconds: 0, initialLookbackHours: 24 * 3 });
}

function truthOf(doc: Record<string, any>): Truth {
  const dfp = doc.dfp ?? {};
  return { time: Date.parse(doc['@timestamp']), user: dfp.user ?? null, z: typeof dfp.zscore === 'number' ? dfp.zscore : null, dfp, doc };
}

async function allDocs(index: string): Promise<{ _index: string; _id: string; _source: any }[]> {
  await client.indices.refresh({ index });
  const res = await client.search({ index, size: 10_000, query: { match_all: {} } });
  return res.hits.hits.map((h) => ({ _index: h._index, _id: h._id!, _source: h._source }));
}

before(async () => {
  await initBackend('wasm');
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-scores-reader-')));
  const trained = await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 4 }, minHistory: 120, minHistoryWarmStart: 30 });
  assert.ok(trained.users.some((u) => u.model === 'own') && trained.users.some((u) => u.model === 'generic'), 'own and generic models both score someone');

  // Files: what `dfp score` writes, read back the way the standalone server does.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-scored-'));
  const file = path.join(dir, 'scored.ndjson');
  const lines: string[] = [];
  await scoreEvents(items(ds.test), { profile, store, tsThreshold: TS_THRESHOLD, userRiskModel: RISK_MODEL }, async (doc) => void lines.push(JSON.stringify(doc)));
  writeFileSync(file, lines.join('\n') + '\n');
  appendFileSync(file, '{"truncated": \n');
  const loaded = await loadScoredFiles(file);
  assert.equal(loaded.docs.length, ds.test.length, 'every scored line loaded');
  assert.equal(loaded.docs[0].ref, `${file}:1`);
  unreadableLines = loaded.unreadable.length;
  subjects.set('memory over scored files', {
    reader: new MemoryScoresReader({ files: loaded.docs }),
    source: sourceConfig('files', 'scores'),
    truth: loaded.docs.map((d) => truthOf(d.doc)),
    es: false,
  });

  // Elasticsearch: the same events in a stream set up like the integration's, scored both ways.
  cluster = await startCluster();
  client = cluster.client;
  dataset = `dfptest.reader${cluster.tag}`;
  const checkpoints = new Checkpoints(client, { index: `.dfp-${cluster.tag}-state` });
  const scoreInto = async (src: SourceConfig): Promise<void> => {
    const sink = new EsSink(client, { mode: src.writeMode, namespace: src.namespace, sourceName: src.id, featureNames: schemaOf(profile).names, keyFields: [...profile.userFields, ...(profile.displayFields ?? [])], refresh: 'wait_for' });
    await sink.setup();
    const summary = await scoreEsSource(client, { source: src, profile, store, sink, checkpoints, runId: 'test', now: testEnd + 60_000, pageSize: 500, tsThreshold: TS_THRESHOLD, userRiskModel: RISK_MODEL, writeUserRisk: false });
    assert.equal(summary.written, ds.test.length, `${src.id}: every event written`);
  };

  const scoresStream = await indexLikeIntegration(client, profile, dataset, 'sc', ds.test);
  const scoresSource = sourceConfig(`${cluster.tag}-scores`, 'scores', scoresStream, cluster.tag);
  await scoreInto(scoresSource);
  const scoresIndex = `logs-dfp.scores-${cluster.tag}`;
  const ours = (await allDocs(scoresIndex)).filter((d) => d._source.dfp.source.name === scoresSource.id);
  // Another source's scores in the same stream, same users and times: the reader must leave them out.
  const decoys = ours.slice(0, 40).flatMap((d) => [{ create: { _index: scoresIndex, _id: `other-${d._id}` } }, { ...d._source, dfp: { ...d._source.dfp, zscore: 99, source: { ...d._source.dfp.source, name: 'other-source' } } }]);
  await client.bulk({ operations: decoys, refresh: true });
  subjects.set('elasticsearch scores stream', { reader: new EsScoresReader(client), source: scoresSource, truth: ours.map((d) => truthOf(d._source)), es: true });

  const inPlaceStream = await indexLikeIntegration(client, profile, dataset, 'ip', ds.test);
  const inPlaceSource = sourceConfig(`${cluster.tag}-inplace`, 'in_place', inPlaceStream);
  await scoreInto(inPlaceSource);
  // Events indexed after scoring have no dfp.scored_at yet: not scored events.
  const late = ds.test.slice(0, 5).map((e) => ({ ...e, event: { ...(e.event as object), id: `late-${(e.event as { id: string }).id}` } }));
  await client.bulk({ operations: late.flatMap((e) => [{ create: { _index: inPlaceStream } }, e]), refresh: true });
  const inPlaceDocs = await allDocs(inPlaceStream);
  assert.equal(inPlaceDocs.length, ds.test.length + late.length);
  const scoredInPlace = inPlaceDocs.filter((d) => d._source.dfp?.scored_at);
  subjects.set('elasticsearch in place', { reader: new EsScoresReader(client), source: inPlaceSource, truth: scoredInPlace.map((d) => truthOf(d._source)), es: true });
  // The same documents as files hold them (the event plus dfp): the memory reader must answer as Elasticsearch does.
  const asFiles: ScoredFileDoc[] = inPlaceDocs.map((d) => ({ ref: `${d._index}/${d._id}`, doc: d._source }));
  subjects.set('memory over the in-place documents', { reader: new MemoryScoresReader({ [inPlaceSource.id]: asFiles }), source: inPlaceSource, truth: scoredInPlace.map((d) => truthOf(d._source)), es: true });
});

after(async () => {
  if (!client) return;
  await cleanUp(client, {
    dataStreams: [`logs-${dataset}-sc`, `logs-${dataset}-ip`, `logs-dfp.scores-${cluster.tag}`],
    indices: [`.dfp-${cluster.tag}-state`],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

// ---- the numbers, straight from the documents ----

const inRange = (t: Truth[], r: { from: number; to: number }): Truth[] => t.filter((d) => d.time >= r.from && d.time < r.to);
const scored = (t: Truth[], r: { from: number; to: number }): Truth[] => inRange(t, r).filter((d) => d.z !== null);

interface UserTruth {
  user: string;
  events: Truth[];
  flagged: number;
  maxZscore: number;
  lastSeen: number;
}

function usersOf(t: Truth[], r: { from: number; to: number }, threshold: number): UserTruth[] {
  const by = new Map<string, Truth[]>();
  for (const d of scored(t, r)) by.set(d.user!, [...(by.get(d.user!) ?? []), d]);
  return [...by.entries()].map(([user, events]) => ({
    user,
    events,
    flagged: events.filter((e) => e.z! >= threshold).length,
    maxZscore: Math.max(...events.map((e) => e.z!)),
    lastSeen: Math.max(...events.map((e) => e.time)),
  }));
}

function query(s: Subject, r: { from: number; to: number }, threshold: number): ScoresQuery {
  return { source: s.source, profile, from: r.from, to: r.to, threshold };
}

const keyOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every user of a range, ranked, read page by page. */
async function allRanked(s: Subject, sort: UserSort, order: 'asc' | 'desc', threshold = HIGH, perPage = 5): Promise<RankedUser[]> {
  const out: RankedUser[] = [];
  for (let page = 1; ; page++) {
    const res = await s.reader.users({ ...query(s, WHOLE, threshold), page, perPage, sort, order });
    out.push(...res.users);
    if (res.users.length < perPage) return out;
  }
}

for (const name of SUBJECTS) {
  describe(`scores reader contract: ${name}`, () => {
    const s = (): Subject => subjects.get(name)!;

    it('overview: totals and the histogram match the documents, and follow the threshold in force', async () => {
      // At most 100 buckets of a nice width: 48 hours in 30 minutes, 24 in 15.
      for (const [r, interval, width] of [[WHOLE, '30m', HOUR / 2], [PART, '15m', HOUR / 4]] as const) {
        const docs = inRange(s().truth, r);
        assert.ok(docs.length > 0);
        for (const threshold of [HIGH, LOW]) {
          const o = await s().reader.overview(query(s(), r, threshold));
          const flagged = docs.filter((d) => d.z !== null && d.z >= threshold);
          assert.deepEqual(o.totals, {
            events: docs.length,
            scored: docs.filter((d) => d.z !== null).length,
            errors: docs.filter((d) => d.dfp.error).length,
            flagged: flagged.length,
            tsFlagged: docs.filter((d) => d.dfp.ts_anomaly === true).length,
            users: new Set(docs.filter((d) => d.z !== null).map((d) => d.user)).size,
            flaggedUsers: new Set(flagged.map((d) => d.user)).size,
            suppressed: 0, // no benign decision here (test/scores_reader_suppressed.test.ts)
          });
          assert.equal(o.threshold, threshold);
          assert.deepEqual(o.range, { from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString() });
          assert.equal(o.interval, interval);
          assert.equal(o.overTime.length, 96);
          o.overTime.forEach((b, i) => {
            const start = r.from + i * width;
            assert.equal(b.time, new Date(start).toISOString());
            const inBucket = docs.filter((d) => d.time >= start && d.time < start + width);
            assert.equal(b.events, inBucket.length, `events in ${b.time}`);
            assert.equal(b.flagged, inBucket.filter((d) => d.z !== null && d.z >= threshold).length, `flagged in ${b.time}`);
          });
        }
      }
      // Off round times: buckets stay on round (UTC) times; the first and last count only the range's part.
      const odd = { from: testStart + 37 * 60_000 + 123, to: testEnd - 11 * 60_000 };
      const clipped = await s().reader.overview(query(s(), odd, HIGH));
      assert.equal(clipped.overTime[0].time, new Date(testStart + 30 * 60_000).toISOString());
      assert.equal(clipped.overTime.at(-1)!.time, new Date(testEnd - 30 * 60_000).toISOString());
      clipped.overTime.forEach((b) => {
        const start = Date.parse(b.time);
        assert.equal(b.events, inRange(s().truth, odd).filter((d) => d.time >= start && d.time < start + HOUR / 2).length, `events in ${b.time}`);
      });
      const high = await s().reader.overview(query(s(), WHOLE, HIGH));
      const low = await s().reader.overview(query(s(), WHOLE, LOW));
      assert.ok(high.totals.flagged > 0, 'some events flagged at the high threshold');
      assert.ok(low.totals.flagged > high.totals.flagged && low.totals.flaggedUsers > high.totals.flaggedUsers, 'a lower threshold flags more events and users');
      if (s().es) assert.ok(high.totals.tsFlagged > 0, 'the time-series check flagged some events');
      // A week: 2-hour buckets (84); at most 24 asked: 12-hour buckets (14).
      assert.equal((await s().reader.overview({ ...query(s(), WHOLE, HIGH), from: testStart - 5 * 24 * HOUR })).interval, '2h');
      const coarse = await s().reader.overview({ ...query(s(), WHOLE, HIGH), from: testStart - 5 * 24 * HOUR, buckets: 24 });
      assert.deepEqual([coarse.interval, coarse.overTime.length, coarse.overTime.reduce((n, b) => n + b.events, 0)], ['12h', 14, inRange(s().truth, WHOLE).length]);
    });

    it('users: ranked by each sort, paged, with exact per-user numbers, sparkline, label and worst event', async () => {
      const truth = usersOf(s().truth, WHOLE, HIGH);
      assert.ok(truth.length >= 10, 'enough users to page');
      const byMax = [...truth].sort((a, b) => b.maxZscore - a.maxZscore || keyOrder(a.user, b.user));
      const first = await s().reader.users({ ...query(s(), WHOLE, HIGH), page: 1, perPage: 5, sort: 'maxZscore', order: 'desc' });
      assert.equal(first.total, truth.length);
      assert.deepEqual([first.page, first.perPage, first.users.length], [1, 5, 5]);
      assert.deepEqual(first.users.map((u) => u.user), byMax.slice(0, 5).map((u) => u.user));
      const last = Math.ceil(truth.length / 5);
      const lastPage = await s().reader.users({ ...query(s(), WHOLE, HIGH), page: last, perPage: 5, sort: 'maxZscore', order: 'desc' });
      assert.deepEqual(lastPage.users.map((u) => u.user), byMax.slice((last - 1) * 5).map((u) => u.user), 'the last page holds the rest');
      const past = await s().reader.users({ ...query(s(), WHOLE, HIGH), page: last + 1, perPage: 5, sort: 'maxZscore', order: 'desc' });
      assert.deepEqual([past.users.length, past.total], [0, truth.length], 'past the end: no users, same total');

      for (const u of await allRanked(s(), 'maxZscore', 'desc')) {
        const t = truth.find((x) => x.user === u.user)!;
        const worst = [...t.events].sort((a, b) => b.z! - a.z! || b.time - a.time)[0];
        assert.equal(u.events, t.events.length);
        assert.equal(u.flagged, t.flagged);
        assert.equal(u.maxZscore, t.maxZscore);
        assert.equal(u.lastSeen, new Date(t.lastSeen).toISOString());
        assert.deepEqual(u.topFeatures, worst.dfp.top_features);
        assert.equal(u.generic, worst.dfp.model.generic);
        const newest = [...t.events].sort((a, b) => b.time - a.time)[0];
        assert.equal(u.label, firstValue(newest.doc, profile.displayFields!), 'label: the display name (user.name)');
        // 24 buckets of 2 hours: the max z of each, null where the user has no event.
        assert.equal(u.sparkline.length, 24);
        u.sparkline.forEach((z, i) => {
          const inBucket = t.events.filter((e) => e.time >= testStart + i * 2 * HOUR && e.time < testStart + (i + 1) * 2 * HOUR);
          assert.equal(z, inBucket.length === 0 ? null : Math.max(...inBucket.map((e) => e.z!)), `${u.user} bucket ${i}`);
        });
      }
      assert.equal((await allRanked(s(), 'user', 'asc')).find((u) => u.user === newestEvent.user.id)?.label, RENAMED);
      // A range that starts and ends off any round time, in 10 buckets: they start at `from`.
      const odd = { from: testStart + 37 * 60_000 + 123, to: testEnd - 11 * 60_000 };
      const width = Math.ceil((odd.to - odd.from) / 10);
      const sparse = await s().reader.users({ ...query(s(), odd, HIGH), page: 1, perPage: 50, sort: 'user', order: 'asc', buckets: 10 });
      assert.equal(sparse.users.length, usersOf(s().truth, odd, HIGH).length);
      for (const u of sparse.users) {
        const t = usersOf(s().truth, odd, HIGH).find((x) => x.user === u.user)!;
        assert.deepEqual(
          u.sparkline,
          Array.from({ length: 10 }, (_, i) => {
            const inBucket = t.events.filter((e) => e.time >= odd.from + i * width && e.time < odd.from + (i + 1) * width);
            return inBucket.length === 0 ? null : Math.max(...inBucket.map((e) => e.z!));
          }),
          `${u.user} over the odd range`,
        );
      }

      // By user: the name the app shows (the newest display name), case ignored, not the hidden key.
      const nameOf = (u: UserTruth): string => String(firstValue([...u.events].sort((a, b) => b.time - a.time)[0].doc, profile.displayFields!)).toLowerCase();
      const expectOrder = (sort: UserSort, order: 'asc' | 'desc', threshold: number): string[] => {
        const metric = (u: UserTruth): number => (sort === 'events' ? u.events.length : sort === 'flagged' ? u.flagged : sort === 'lastSeen' ? u.lastSeen : u.maxZscore);
        const sign = order === 'asc' ? 1 : -1;
        return [...usersOf(s().truth, WHOLE, threshold)]
          .sort((a, b) => (sort === 'user' ? sign * (keyOrder(nameOf(a), nameOf(b)) || keyOrder(a.user, b.user)) : sign * (metric(a) - metric(b)) || keyOrder(a.user, b.user)))
          .map((u) => u.user);
      };
      assert.notDeepEqual(expectOrder('user', 'asc', HIGH), [...usersOf(s().truth, WHOLE, HIGH)].map((u) => u.user).sort(keyOrder), 'names and keys order the users differently');
      for (const [sort, order] of [['maxZscore', 'asc'], ['events', 'desc'], ['events', 'asc'], ['user', 'asc'], ['user', 'desc'], ['lastSeen', 'desc'], ['flagged', 'desc']] as const) {
        assert.deepEqual((await allRanked(s(), sort, order)).map((u) => u.user), expectOrder(sort, order, HIGH), `sorted by ${sort} ${order}`);
      }
      // Flags follow the threshold asked for: counts and the ranking by them change.
      const flaggedLow = await allRanked(s(), 'flagged', 'desc', LOW);
      assert.deepEqual(flaggedLow.map((u) => u.user), expectOrder('flagged', 'desc', LOW));
      const lowCounts = flaggedLow.map((u) => u.flagged);
      const highCounts = (await allRanked(s(), 'flagged', 'desc', HIGH)).map((u) => u.flagged);
      assert.ok(lowCounts.reduce((a, b) => a + b, 0) > highCounts.reduce((a, b) => a + b, 0));
    });

    it('users: ranked by risk (their highest dfp.user_risk in the range; ties by their highest z-score), flagged at the user-risk threshold asked for', async () => {
      const risks = new Map<string, number>();
      const maxZ = new Map<string, number>();
      for (const d of scored(s().truth, PART)) {
        risks.set(d.user!, Math.max(risks.get(d.user!) ?? 0, d.dfp.user_risk));
        maxZ.set(d.user!, Math.max(maxZ.get(d.user!) ?? -Infinity, d.dfp.zscore));
      }
      const sorted = [...risks.values()].sort((a, b) => a - b);
      assert.ok(sorted[sorted.length - 1] > sorted[0], 'users differ in risk');
      const cut = sorted[Math.floor(sorted.length / 2)];
      const ranked: RankedUser[] = [];
      for (let page = 1; ; page++) {
        const res = await s().reader.users({ ...query(s(), PART, HIGH), userRiskThreshold: cut, page, perPage: 4, sort: 'userRisk', order: 'desc' });
        assert.equal(res.userRiskThreshold, cut);
        ranked.push(...res.users);
        if (res.users.length < 4) break;
      }
      const expected = [...risks.entries()].sort(([a, x], [b, y]) => y - x || maxZ.get(b)! - maxZ.get(a)! || keyOrder(a, b));
      assert.deepEqual(ranked.map((u) => [u.user, u.userRisk, u.userFlagged]), expected.map(([u, r]) => [u, r, r >= cut]));
      // The default sort of the route; and with the default threshold.
      const plain = await s().reader.users({ ...query(s(), PART, HIGH), page: 1, perPage: 3, sort: 'userRisk', order: 'asc' });
      const ascending = [...risks.entries()].sort(([a, x], [b, y]) => x - y || maxZ.get(a)! - maxZ.get(b)! || keyOrder(a, b));
      assert.deepEqual(plain.users.map((u) => u.user), ascending.slice(0, 3).map(([u]) => u));
      assert.equal(plain.userRiskThreshold, 10);
    });

    it('users: search matches the key or the display name, ignoring case; counts stay whole', async () => {
      const truth = usersOf(s().truth, WHOLE, HIGH);
      const labelOf = (u: UserTruth): string => String(firstValue([...u.events].sort((a, b) => b.time - a.time)[0].doc, profile.displayFields!));
      const target = truth[3];
      const bySearch = async (search: string): Promise<{ total: number; users: RankedUser[] }> =>
        s().reader.users({ ...query(s(), WHOLE, HIGH), page: 1, perPage: 50, sort: 'user', order: 'asc', search });
      // Part of the display name, upper-cased.
      const namePart = labelOf(target).slice(1, 5).toUpperCase();
      const expected = truth.filter((u) => u.user.toLowerCase().includes(namePart.toLowerCase()) || labelOf(u).toLowerCase().includes(namePart.toLowerCase()));
      const found = await bySearch(namePart);
      assert.deepEqual(found.users.map((u) => u.user), expected.sort((a, b) => keyOrder(labelOf(a).toLowerCase(), labelOf(b).toLowerCase()) || keyOrder(a.user, b.user)).map((u) => u.user));
      assert.equal(found.total, expected.length);
      assert.equal(found.users.find((u) => u.user === target.user)?.events, target.events.length, "a matching user's events all count");
      // Part of the key (an opaque id), upper-cased.
      const keyPart = target.user.slice(9, 18).toUpperCase();
      assert.deepEqual((await bySearch(keyPart)).users.map((u) => u.user), [target.user]);
      // The newest display name and an earlier one both find the user (any of their events' names match).
      assert.deepEqual((await bySearch('renamed.PERSON')).users.map((u) => [u.user, u.label]), [[newestEvent.user.id, RENAMED]]);
      assert.ok((await bySearch(formerName.toUpperCase())).users.some((u) => u.user === newestEvent.user.id));
      // Wildcard characters are literal; nothing matches.
      const nothing = await bySearch('*?no-such-user');
      assert.deepEqual([nothing.total, nothing.users], [0, []]);
      // The same by name for the models page: users matching, and the names of the users given.
      const q = query(s(), WHOLE, HIGH);
      assert.deepEqual((await s().reader.usersMatching(q, namePart)).sort(keyOrder), expected.map((u) => u.user).sort(keyOrder));
      const some = truth.slice(0, 3).map((u) => u.user);
      const labels = await s().reader.userLabels(q, [...some, 'no-such-user']);
      assert.deepEqual([...labels].sort(([a], [b]) => keyOrder(a, b)), some.map((u) => [u, labelOf(truth.find((t) => t.user === u)!)]).sort(([a], [b]) => keyOrder(a, b)));
    });

    it('userEvents: paged, sorted by time or z, only flagged on request', async () => {
      const t = usersOf(s().truth, WHOLE, HIGH).sort((a, b) => b.events.length - a.events.length)[0];
      assert.ok(t.events.length > 20, 'a busy user to page through');
      const read = async (sort: 'time' | 'zscore', order: 'asc' | 'desc', onlyFlagged = false, threshold = HIGH) => {
        const pages = [];
        for (let page = 1; ; page++) {
          const res = await s().reader.userEvents({ ...query(s(), WHOLE, threshold), user: t.user, page, perPage: 7, sort, order, onlyFlagged });
          pages.push(res);
          if (res.events.length < 7) break;
        }
        return pages;
      };
      const byTime = await read('time', 'asc');
      assert.ok(byTime.every((p) => p.total === t.events.length && p.user === t.user));
      assert.ok(byTime.slice(0, -1).every((p) => p.events.length === 7), 'full pages before the last');
      const events = byTime.flatMap((p) => p.events);
      assert.deepEqual(events.map((e) => e.time), t.events.map((e) => e.time).sort((a, b) => a - b).map((x) => new Date(x).toISOString()));
      for (const e of events) {
        assert.equal(e.user, t.user);
        assert.equal(typeof e.dfp.zscore, 'number');
        assert.ok(e.doc.length > 0);
        assert.ok(Object.values(e.dfp).every((v) => v !== null), 'no null fields');
        assert.equal((e.dfp as any).source, undefined, 'the scores document source is split off');
      }
      if (s().source.writeMode === 'scores' && s().es) assert.ok(events.every((e) => e.source && e.source.index.startsWith('.ds-logs-')), 'scores documents name their source event');

      const byZ = (await read('zscore', 'desc')).flatMap((p) => p.events);
      assert.deepEqual(byZ.map((e) => e.dfp.zscore), t.events.map((e) => e.z!).sort((a, b) => b - a));
      const byTimeDesc = (await read('time', 'desc')).flatMap((p) => p.events);
      assert.deepEqual(byTimeDesc.map((e) => e.time), events.map((e) => e.time).reverse());

      for (const threshold of [LOW, HIGH]) {
        const flagged = (await read('zscore', 'desc', true, threshold)).flatMap((p) => p.events);
        assert.deepEqual(flagged.map((e) => e.dfp.zscore), t.events.filter((e) => e.z! >= threshold).map((e) => e.z!).sort((a, b) => b - a), `only flagged at ${threshold}`);
      }
      const none = await s().reader.userEvents({ ...query(s(), WHOLE, HIGH), user: 'nobody', page: 1, perPage: 5, sort: 'time', order: 'desc' });
      assert.deepEqual([none.total, none.events], [0, []]);
    });

    it("recentFeatureValues: the newest events' feature values, derived features included", async () => {
      const t = usersOf(s().truth, WHOLE, HIGH).sort((a, b) => b.events.length - a.events.length)[0];
      const newest = [...t.events].sort((a, b) => b.time - a.time).slice(0, 6);
      const recent = await s().reader.recentFeatureValues({ ...query(s(), WHOLE, HIGH), user: t.user, limit: 6 });
      assert.equal(recent.events, 6);
      const names = Object.keys(newest[0].dfp.features);
      assert.ok(names.includes('logcount') && names.includes('hour'), 'derived features are there');
      assert.deepEqual(Object.keys(recent.values).sort(), [...names].sort());
      for (const n of names) assert.deepEqual(recent.values[n], newest.map((e) => e.dfp.features[n].value), n);
      const all = await s().reader.recentFeatureValues({ ...query(s(), PART, HIGH), user: t.user, limit: 10_000 });
      assert.equal(all.events, scored(t.events, PART).length);
    });

    it('another source, or a range with nothing, answers with zeros', async () => {
      const nowhere = { ...s(), source: sourceConfig('not-scored-yet', 'scores', undefined, 'nothing') };
      const o = await s().reader.overview(query(nowhere, WHOLE, HIGH));
      assert.deepEqual(o.totals, { events: 0, scored: 0, errors: 0, flagged: 0, tsFlagged: 0, users: 0, flaggedUsers: 0, suppressed: 0 });
      assert.equal(o.overTime.length, 96);
      const early = { from: testStart - 48 * HOUR, to: testStart };
      assert.equal((await s().reader.users({ ...query(s(), early, HIGH), page: 1, perPage: 5, sort: 'maxZscore', order: 'desc' })).total, 0);
    });
  });
}

describe('scores readers agree', () => {
  const all = (): Subject[] => SUBJECTS.map((n) => subjects.get(n)!);

  it('the loader reports unreadable lines instead of dropping them silently', () => {
    assert.equal(unreadableLines, 1);
  });

  it('the same answers from files and Elasticsearch (time-series flags: Elasticsearch scoring has its own check)', async () => {
    const answers = async (s: Subject) => {
      const overview = await s.reader.overview(query(s, WHOLE, HIGH));
      const users = await s.reader.users({ ...query(s, PART, LOW), page: 2, perPage: 4, sort: 'flagged', order: 'desc' });
      const top = users.users[0].user;
      const events = await s.reader.userEvents({ ...query(s, WHOLE, LOW), user: top, page: 2, perPage: 5, sort: 'zscore', order: 'desc' });
      const recent = await s.reader.recentFeatureValues({ ...query(s, WHOLE, LOW), user: top, limit: 9 });
      return {
        overview: { ...overview, totals: { ...overview.totals, tsFlagged: s.es ? 'es' : 'files' } },
        users,
        // The event's own identity and the scoring run's clock differ between stores; the scores do not.
        events: { ...events, events: events.events.map(({ time, user, dfp }) => ({ time, user, dfp: { ...dfp, scored_at: 'run', ts_zscore: 0, ts_anomaly: false } })) },
        recent,
      };
    };
    const [files, ...es] = await Promise.all(all().map(answers));
    for (const other of es) {
      assert.deepEqual({ ...other, overview: { ...other.overview, totals: { ...other.overview.totals, tsFlagged: 'files' } } }, files);
    }
    // Where the documents are the same, everything is the same, time-series flags and event documents included.
    const [, , inPlace, memoryInPlace] = all();
    const q = { ...query(inPlace, WHOLE, HIGH), user: usersOf(inPlace.truth, WHOLE, HIGH)[0].user, page: 1, perPage: 100, sort: 'time' as const, order: 'asc' as const };
    assert.deepEqual(await memoryInPlace.reader.overview(query(memoryInPlace, WHOLE, HIGH)), await inPlace.reader.overview(query(inPlace, WHOLE, HIGH)));
    // Over files an event's `source` is how triage names it there (the source's name and event id); Elasticsearch's in-place documents are their own.
    const memoryEvents = await memoryInPlace.reader.userEvents(q);
    assert.deepEqual({ ...memoryEvents, events: memoryEvents.events.map(({ source: _, ...e }) => e) }, await inPlace.reader.userEvents(q));
  });
});
