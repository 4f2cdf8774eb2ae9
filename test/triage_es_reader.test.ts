/**
 * How the triage API finds the event a decision names in Elasticsearch (EsScoresReader.scoredEvent):
 * by the source event's index and id, in the source's own scored documents only — the documents
 * scored in place, or the scores documents that name it (dfp.source) — whatever its time. The test
 * server, or a real cluster with ES_URL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { parseSourceConfig } from '../common/source_config';
import { resolveProfile } from '../server/engine/profiles';
import { EsScoresReader } from '../server/data/es_scores_reader';
import { putScoresIndexTemplate } from '../server/engine/io/es/dfp_mappings';
import { scoresStreamName } from '../server/engine/io/es/sink';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';

const profile = resolveProfile('azure-signin');
let cluster: TestCluster;
let client: Client;
let ns: string;
const streams: string[] = [];

const dfp = (user: string, zscore: number, extra: object = {}) => ({ user, zscore, is_anomaly: zscore >= 8, top_features: ['app'], features: { app: { z: 9, pred: 'Teams', value: 'Graph' } }, scored_at: '2026-06-02T00:00:00.000Z', ...extra });
const event = (id: string, user: string, time: string) => ({ '@timestamp': time, user: { id: user }, event: { id } });

before(async () => {
  cluster = await startCluster();
  client = cluster.client;
  ns = `tr${cluster.tag}`;
});
after(async () => {
  await cleanUp(client, { dataStreams: streams, indexTemplates: [`logs-dfptr.signin${cluster.tag}`] });
  await cluster.stop();
});

describe('the event a triage decision names, in Elasticsearch', () => {
  it('in place: the scored document itself, within the source; not another index, not an unscored one', async () => {
    const stream = await indexLikeIntegration(client, profile, `dfptr.signin${cluster.tag}`, ns, [
      { ...event('e1', 'ann', '2026-06-01T10:00:00.000Z'), dfp: dfp('ann', 12) },
      { ...event('e2', 'bob', '2026-01-01T10:00:00.000Z'), dfp: dfp('bob', 3) },
      event('e3', 'ann', '2026-06-01T11:00:00.000Z'),
    ]);
    streams.push(stream);
    const source = parseSourceConfig({ id: 'azure', profile: profile.name, index: stream, writeMode: 'in_place', namespace: ns });
    const hits = (await client.search<{ event: { id: string } }>({ index: stream, size: 10, query: { match_all: {} } })).hits.hits;
    const ref = (id: string) => {
      const h = hits.find((x) => x._source!.event.id === id)!;
      return { index: h._index, id: h._id! };
    };
    const reader = new EsScoresReader(client);
    const found = await reader.scoredEvent({ source, profile, ...ref('e1') });
    assert.equal(found?.user, 'ann');
    assert.equal(found?.dfp.zscore, 12);
    assert.deepEqual(found?.dfp.features?.app, { z: 9, pred: 'Teams', value: 'Graph' }, 'with the scores the pattern is read from');
    assert.equal((await reader.scoredEvent({ source, profile, ...ref('e2') }))?.user, 'bob', 'whatever its time');
    assert.equal(await reader.scoredEvent({ source, profile, ...ref('e3') }), null, 'an event not scored');
    assert.equal(await reader.scoredEvent({ source, profile, index: 'logs-other', id: ref('e1').id }), null, 'another index');
    assert.equal(await reader.scoredEvent({ source, profile, index: ref('e1').index, id: 'nope' }), null);
  });

  it('scores mode: the scores document that names the source event, of this source only', async () => {
    await putScoresIndexTemplate(client);
    const stream = scoresStreamName(ns);
    streams.push(stream);
    const doc = (name: string, id: string, user: string, zscore: number) => ({ '@timestamp': '2026-06-01T10:00:00.000Z', event: { id }, dfp: { ...dfp(user, zscore), source: { index: '.ds-logs-a-1', id, name } } });
    const res = await client.bulk({ refresh: true, operations: [doc('azure', 'x1', 'ann', 11), doc('other', 'x2', 'ann', 11)].flatMap((d) => [{ create: { _index: stream } }, d]) });
    assert.equal(res.errors, false, JSON.stringify(res.items));
    const source = parseSourceConfig({ id: 'azure', profile: profile.name, index: 'logs-a-*', writeMode: 'scores', namespace: ns });
    const reader = new EsScoresReader(client);
    const found = await reader.scoredEvent({ source, profile, index: '.ds-logs-a-1', id: 'x1' });
    assert.equal(found?.user, 'ann');
    assert.deepEqual(found?.source, { index: '.ds-logs-a-1', id: 'x1' });
    assert.equal(await reader.scoredEvent({ source, profile, index: '.ds-logs-a-1', id: 'x2' }), null, "another source's event");
    assert.equal(await reader.scoredEvent({ source, profile, index: '.ds-logs-b-1', id: 'x1' }), null);
  });
});
