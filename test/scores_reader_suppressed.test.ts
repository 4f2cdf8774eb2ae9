// Flagged counts leave out what an analyst's benign decision suppressed (issue 17): events with
// `dfp.suppressed` keep their scores but are not flagged, and are counted as suppressed instead,
// alike over files (the memory reader) and Elasticsearch (the scores stream and in place, mapped as
// the engine maps them): overview totals and histogram, each user's flagged and suppressed counts,
// the ranking by flagged, "only flagged" events, and the worst event a user's "why" is told from.
// The test server, or a real cluster with ES_URL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { parseSourceConfig, type SourceConfig } from '../common/source_config';
import { resolveProfile } from '../server/engine/profiles';
import { dfpMappings, putScoresIndexTemplate } from '../server/engine/io/es/dfp_mappings';
import { scoresStreamName } from '../server/engine/io/es/sink';
import type { ScoresQuery, ScoresReader } from '../server/data/scores_reader';
import { EsScoresReader } from '../server/data/es_scores_reader';
import { MemoryScoresReader } from '../server/data/memory_scores_reader';
import { cleanUp, startCluster, type TestCluster } from './es_cluster';

const profile = resolveProfile('azure-signin');
const FROM = Date.parse('2026-06-01T00:00:00.000Z');
const TO = Date.parse('2026-06-02T00:00:00.000Z');
const THRESHOLD = 8;
/** Low enough that a suppressed event below 8 counts as suppressed too. */
const LOW = 3;
const HOUR = 3_600_000;

const suppressedBy = { by: 'kim', at: '2026-06-01T09:00:00.000Z', until: '2026-06-30T00:00:00.000Z', event: { index: 'azure', id: 'marked' } };

/** [user, hour of the day, z, suppressed (null: a rescore's nulled field)]. */
const EVENTS: [string, number, number, boolean | null][] = [
  // ann: two suppressed at or above 8, one flagged, one suppressed below 8, one quiet.
  ['ann', 1, 12.5, true], ['ann', 2, 9.5, true], ['ann', 3, 10.5, false], ['ann', 4, 3.5, true], ['ann', 5, 2.5, false],
  // bob: every high event suppressed: flagged 0.
  ['bob', 1, 11.5, true], ['bob', 6, 9.25, true], ['bob', 7, 1.5, false],
  // cat: two flagged, nothing suppressed.
  ['cat', 2, 8.5, false], ['cat', 8, 13.5, false], ['cat', 9, 0.5, false],
  // dan: nothing high.
  ['dan', 3, 4.5, false], ['dan', 10, 5.5, false],
  // ed: rescored in place without a suppression: dfp.suppressed null, flagged.
  ['ed', 4, 9.75, null],
];
// A suppressed event of ann's before the range: in no count of the range.
const EARLY: [string, number, number, boolean | null] = ['ann', -5, 14.5, true];

function docOf([user, hour, z, suppressed]: [string, number, number, boolean | null], i: number): Record<string, unknown> {
  return {
    '@timestamp': new Date(FROM + hour * HOUR + i * 1000).toISOString(),
    user: { id: user, name: `${user}.person` },
    event: { id: `e${i}` },
    dfp: {
      user,
      zscore: z,
      is_anomaly: z >= THRESHOLD && suppressed !== true,
      user_risk: z / 2,
      top_features: ['app'],
      features: { app: { z, value: 'Graph', pred: 'Teams' } },
      model: { generic: false, version: '1' },
      scored_at: '2026-06-02T00:00:00.000Z',
      ...(suppressed === true ? { suppressed: suppressedBy } : suppressed === null ? { suppressed: null } : {}),
    },
  };
}
const DOCS = [...EVENTS, EARLY].map(docOf);

/** What the contract says, computed here from the table above. */
function expected(threshold: number) {
  const inRange = [...EVENTS];
  const high = inRange.filter(([, , z]) => z >= threshold);
  const flagged = high.filter(([, , , s]) => s !== true);
  const users = [...new Set(inRange.map(([u]) => u))];
  const perUser = new Map(users.map((u) => [u, { flagged: flagged.filter(([x]) => x === u).length, suppressed: high.filter(([x, , , s]) => x === u && s === true).length }]));
  return { flagged: flagged.length, suppressed: high.length - flagged.length, flaggedUsers: new Set(flagged.map(([u]) => u)).size, perUser };
}

let cluster: TestCluster;
let client: Client;
const subjects = new Map<string, { reader: ScoresReader; source: SourceConfig }>();
let inPlaceIndex: string;
let stream: string;

before(async () => {
  cluster = await startCluster();
  client = cluster.client;
  subjects.set('memory over files', { reader: new MemoryScoresReader({ files: DOCS.map((doc, i) => ({ ref: `scored.ndjson:${i + 1}`, doc })) }), source: parseSourceConfig({ id: 'files', profile: profile.name }) });

  // In place: the source's own index, with dfp mapped as the engine maps it.
  inPlaceIndex = `dfpsup-${cluster.tag}`;
  const { properties, dynamic_templates } = dfpMappings(['app']);
  await client.indices.create({
    index: inPlaceIndex,
    mappings: { dynamic_templates, properties: { '@timestamp': { type: 'date' }, user: { properties: { id: { type: 'keyword' }, name: { type: 'keyword' } } }, event: { properties: { id: { type: 'keyword' } } }, ...properties } } as never,
  });
  let res = await client.bulk({ refresh: true, operations: DOCS.flatMap((d) => [{ index: { _index: inPlaceIndex } }, d]) });
  assert.equal(res.errors, false, JSON.stringify(res.items.find((x) => x.index?.error)));
  subjects.set('elasticsearch in place', { reader: new EsScoresReader(client), source: parseSourceConfig({ id: 'inplace', profile: profile.name, index: inPlaceIndex, writeMode: 'in_place', namespace: cluster.tag }) });

  // Scores mode: the scores data stream, its documents naming their source.
  await putScoresIndexTemplate(client);
  stream = scoresStreamName(cluster.tag);
  const scores = DOCS.map((d, i) => ({ ...d, dfp: { ...(d.dfp as object), source: { index: '.ds-logs-azure-1', id: `e${i}`, name: 'scores' } } }));
  res = await client.bulk({ refresh: true, operations: scores.flatMap((d) => [{ create: { _index: stream } }, d]) });
  assert.equal(res.errors, false, JSON.stringify(res.items.find((x) => x.create?.error)));
  subjects.set('elasticsearch scores stream', { reader: new EsScoresReader(client), source: parseSourceConfig({ id: 'scores', profile: profile.name, index: 'logs-azure-*', writeMode: 'scores', namespace: cluster.tag }) });
});

after(async () => {
  if (!client) return;
  await cleanUp(client, { dataStreams: [stream], indices: [inPlaceIndex] });
  await cluster.stop();
});

const q = (s: { source: SourceConfig }, threshold: number): ScoresQuery => ({ source: s.source, profile, from: FROM, to: TO, threshold });

async function answers(s: { reader: ScoresReader; source: SourceConfig }, threshold: number) {
  const overview = await s.reader.overview({ ...q(s, threshold), buckets: 24 });
  const users = await s.reader.users({ ...q(s, threshold), page: 1, perPage: 10, sort: 'flagged', order: 'desc' });
  const onlyFlagged = new Map<string, number[]>();
  for (const u of users.users) {
    const events = await s.reader.userEvents({ ...q(s, threshold), user: u.user, page: 1, perPage: 50, sort: 'zscore', order: 'desc', onlyFlagged: true });
    assert.equal(events.total, events.events.length);
    onlyFlagged.set(u.user, events.events.map((e) => e.dfp.zscore!));
  }
  return { overview, users, onlyFlagged };
}

describe('flagged counts leave out suppressed events', () => {
  for (const name of ['memory over files', 'elasticsearch in place', 'elasticsearch scores stream']) {
    it(`${name}: totals, users, the ranking by flagged and only-flagged events, at two thresholds`, async () => {
      const s = subjects.get(name)!;
      for (const threshold of [THRESHOLD, LOW]) {
        const want = expected(threshold);
        const { overview, users, onlyFlagged } = await answers(s, threshold);
        assert.deepEqual(
          [overview.totals.flagged, overview.totals.suppressed, overview.totals.flaggedUsers, overview.totals.users, overview.totals.scored],
          [want.flagged, want.suppressed, want.flaggedUsers, 5, EVENTS.length],
          `totals at ${threshold}`,
        );
        assert.equal(overview.overTime.reduce((n, b) => n + b.flagged, 0), want.flagged, 'the histogram counts only flagged events');
        assert.deepEqual([overview.overTime[1].events, overview.overTime[1].flagged], [2, 0], "01:00: ann's and bob's suppressed events are not flags");
        for (const u of users.users) assert.deepEqual([u.user, u.flagged, u.suppressed], [u.user, want.perUser.get(u.user)!.flagged, want.perUser.get(u.user)!.suppressed], `${u.user} at ${threshold}`);
        // By flagged, descending; ties by key.
        const order = [...want.perUser].sort(([a, x], [b, y]) => y.flagged - x.flagged || (a < b ? -1 : 1)).map(([u]) => u);
        assert.deepEqual(users.users.map((u) => u.user), order, `ranked by flagged at ${threshold}`);
        for (const [user, zs] of onlyFlagged) {
          const mine = EVENTS.filter(([u, , z, sup]) => u === user && z >= threshold && sup !== true).map(([, , z]) => z).sort((a, b) => b - a);
          assert.deepEqual(zs, mine, `${user}'s only-flagged events at ${threshold}`);
        }
      }
      // The numbers the table above was written for, spelled out once.
      const at8 = await answers(s, THRESHOLD);
      assert.deepEqual(at8.users.users.map((u) => [u.user, u.flagged, u.suppressed]), [['cat', 2, 0], ['ann', 1, 2], ['ed', 1, 0], ['bob', 0, 2], ['dan', 0, 0]]);
      assert.deepEqual(onlyFlaggedOf(at8, 'bob'), [], "bob's high events are all suppressed");
      // Highest z as scored; why from the worst event not marked benign.
      assert.deepEqual(at8.users.users.map((u) => [u.user, u.maxZscore, u.why?.zscore]), [['cat', 13.5, 13.5], ['ann', 12.5, 10.5], ['ed', 9.75, 9.75], ['bob', 11.5, 1.5], ['dan', 5.5, 5.5]]);
    });
  }

  it('the same answers from files and from Elasticsearch, both ways', async () => {
    for (const threshold of [THRESHOLD, LOW]) {
      const [files, ...es] = await Promise.all([...subjects.values()].map((s) => answers(s, threshold)));
      for (const other of es) assert.deepEqual(other, files, `at ${threshold}`);
    }
  });
});

function onlyFlaggedOf(a: { onlyFlagged: Map<string, number[]> }, user: string): number[] {
  return a.onlyFlagged.get(user) ?? [];
}
