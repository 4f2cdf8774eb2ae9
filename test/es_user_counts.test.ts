// userBinCounts: each user's events per bin, counted by Elasticsearch, over real HTTP.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanUp, startCluster, type TestCluster } from './es_cluster';
import { userBinCounts } from '../server/engine/io/es/user_counts';

let cluster: TestCluster;
let index: string;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const H = 3_600_000;

before(async () => {
  cluster = await startCluster();
  index = `dfp-counts-${cluster.tag}`;
  await cluster.client.indices.create({
    index,
    mappings: { properties: { '@timestamp': { type: 'date' }, user: { properties: { name: { type: 'keyword' } } }, arn: { type: 'keyword' } } },
  });
  // alice (by user.name): 3 events in hour 0, 1 in hour 2. bob has no user.name: his key is the
  // ARN, 2 events in hour 1. One event names both fields: it belongs to user.name "carol" only.
  const docs = [
    { '@timestamp': T0 + 1, user: { name: 'alice' } },
    { '@timestamp': T0 + 2, user: { name: 'alice' } },
    { '@timestamp': T0 + 3, user: { name: 'alice' } },
    { '@timestamp': T0 + 2 * H + 5, user: { name: 'alice' } },
    { '@timestamp': T0 + H + 1, arn: 'arn:aws:iam::1:user/bob' },
    { '@timestamp': T0 + H + 2, arn: 'arn:aws:iam::1:user/bob' },
    { '@timestamp': T0 + H + 3, user: { name: 'carol' }, arn: 'arn:aws:iam::1:user/bob' },
    { '@timestamp': T0 + 5 * H, user: { name: 'alice' } }, // outside [start, end)
  ];
  await cluster.client.bulk({ operations: docs.flatMap((d) => [{ index: { _index: index } }, d]), refresh: true });
});
after(async () => {
  await cleanUp(cluster.client, { indices: [index] });
  await cluster.stop();
});

it('counts per user and bin, keys from the first user field present, zeros for quiet bins', async () => {
  const counts = await userBinCounts(cluster.client, {
    index,
    timeField: '@timestamp',
    userFields: ['user.name', 'arn'],
    users: ['alice', 'arn:aws:iam::1:user/bob', 'carol', 'nobody'],
    start: T0,
    end: T0 + 4 * H,
    binMinutes: 60,
  });
  assert.equal(counts.firstBin, T0);
  assert.equal(counts.binMs, H);
  assert.deepEqual(Array.from(counts.counts.get('alice')!), [3, 0, 1, 0]);
  assert.deepEqual(Array.from(counts.counts.get('arn:aws:iam::1:user/bob')!), [0, 2, 0, 0]);
  assert.deepEqual(Array.from(counts.counts.get('carol')!), [0, 1, 0, 0]);
  assert.deepEqual(Array.from(counts.counts.get('nobody')!), [0, 0, 0, 0]);
});
