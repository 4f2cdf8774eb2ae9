// Benign suppression over Elasticsearch (issue 17): a scheduled scoring run reads the analysts'
// decisions from the triage index, and the same user's events with a benign event's pattern keep
// their scores but are not flagged (dfp.suppressed), on the scoring workers' path too; a run
// without the decision clears the field again (an in-place rescore leaves no stale suppression).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { runPieces } from './es_score_speed_setup';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig, type SourceConfig } from '../common/source_config';
import type { DfpFields } from '../common/fields';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsTriageStore } from '../server/engine/io/es/triage_store';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEsSource, type EsScoreSummary } from '../server/engine/jobs/es_score';
import { closeScorePool } from '../server/engine/jobs/score_pool';
import { patternOf } from '../server/engine/score/benign_suppression';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 31, users: 6, trainDays: 20, testDays: 2, compromisedUsers: 1, start: '2026-04-01T00:00:00Z' });
const testStart = Date.parse('2026-04-21T00:00:00Z');
const testEnd = Date.parse('2026-04-23T00:00:00Z');
/** Low enough that every user has flagged events in two days (the models train for 2 epochs). */
const THRESHOLD = 2;

let cluster: TestCluster;
let client: Client;
let names: ReturnType<typeof ownedIndexNames>;
let dataset: string;
let stream: string;
let src: SourceConfig;

before(async () => {
  await initBackend('wasm');
  cluster = await startCluster();
  client = cluster.client;
  names = ownedIndexNames(`.dfp-${cluster.tag}`);
  dataset = `dfptest.benign${cluster.tag}`;
  const train = await indexLikeIntegration(client, profile, dataset, 'train', ds.train);
  const trainSource = parseSourceConfig({ id: `${cluster.tag}-train`, profile: 'azure-signin', index: train, namespace: 'train', writeMode: 'scores', settleSeconds: 0, initialLookbackHours: 72 });
  await trainEsSource(client, { source: trainSource, profile, store: store(), backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 }, minHistory: 120, to: testStart });
  stream = await indexLikeIntegration(client, profile, dataset, 'test', ds.test);
  src = parseSourceConfig({ id: `${cluster.tag}-test`, profile: 'azure-signin', index: stream, namespace: 'test', writeMode: 'in_place', settleSeconds: 0, initialLookbackHours: 72 });
});

after(async () => {
  await closeScorePool();
  await cleanUp(client, {
    dataStreams: [`logs-${dataset}-train`, `logs-${dataset}-test`, 'logs-dfp.user_risk-test'],
    indices: [names.models, names.state, names.triage],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

function store(): EsModelStore {
  return new EsModelStore(client, { index: names.models });
}

/** A rescore of the test period in place, on two scoring workers, with or without the triage index. */
async function rescore(triage: EsTriageStore | undefined): Promise<EsScoreSummary> {
  return scoreEsSource(client, {
    ...(await runPieces(client, names, src, profile)),
    runId: `run-${Date.now()}`,
    range: { from: testStart, to: testEnd + 60_000 },
    now: testEnd + 60_000,
    threshold: THRESHOLD,
    workers: 2,
    pageSize: 50,
    writeUserRisk: false,
    ...(triage ? { triage } : {}),
  });
}

/** Every scored document of the test period: id, index, time and dfp. */
async function scoredDocs(): Promise<{ id: string; index: string; time: number; dfp: DfpFields }[]> {
  await client.indices.refresh({ index: stream });
  const res = await client.search<{ '@timestamp': string; dfp?: DfpFields }>({ index: stream, size: 10_000, query: { exists: { field: 'dfp.zscore' } }, sort: [{ '@timestamp': 'asc' }] });
  return res.hits.hits.map((h) => ({ id: h._id!, index: h._index, time: Date.parse(h._source!['@timestamp']), dfp: h._source!.dfp! }));
}

const samePattern = (a: DfpFields, b: DfpFields): boolean => JSON.stringify(patternOf(a)) === JSON.stringify(patternOf(b));

describe('benign suppression in scheduled Elasticsearch scoring', () => {
  it("leaves the user's events with a benign event's pattern unflagged, others flagged, and a run without the decision clears it", async () => {
    const first = await rescore(undefined);
    assert.equal(first.suppressed, 0);
    const docs = await scoredDocs();
    const flagged = docs.filter((d) => d.dfp.is_anomaly === true);
    assert.ok(flagged.length >= 2, `flagged events to work with (${flagged.length})`);
    const marked = flagged[0];
    const user = marked.dfp.user!;
    const sameAsMarked = flagged.filter((d) => d.dfp.user === user && samePattern(d.dfp, marked.dfp));
    const others = flagged.filter((d) => !(d.dfp.user === user && samePattern(d.dfp, marked.dfp)));
    assert.ok(others.length > 0, 'flagged events that do not match the pattern');

    const triage = new EsTriageStore(client, { index: names.triage });
    await triage.add({
      target: { source: src.id, user, event: { index: marked.index, id: marked.id } },
      status: 'benign',
      pattern: patternOf(marked.dfp),
      until: new Date(testEnd + 30 * 86_400_000).toISOString(),
      by: 'kim',
      at: new Date(testEnd).toISOString(),
    });
    const second = await rescore(triage);
    assert.equal(second.suppressed, sameAsMarked.length, 'every flagged event of the pattern, and only those');
    assert.equal(second.flagged, first.flagged - sameAsMarked.length);
    const after = new Map((await scoredDocs()).map((d) => [d.id, d.dfp]));
    for (const d of sameAsMarked) {
      const dfp = after.get(d.id)!;
      assert.equal(dfp.is_anomaly, false);
      assert.equal(dfp.zscore, d.dfp.zscore, 'the scores are kept');
      assert.equal(dfp.suppressed?.by, 'kim');
      assert.deepEqual(dfp.suppressed?.event, { index: marked.index, id: marked.id });
    }
    for (const d of others) {
      assert.equal(after.get(d.id)!.is_anomaly, true, 'another pattern or user stays flagged');
      assert.equal(after.get(d.id)!.suppressed ?? null, null);
    }

    // Rescored without the decision (it was withdrawn): the field is cleared in place, the flag back.
    const third = await rescore(undefined);
    assert.equal(third.suppressed, 0);
    const cleared = new Map((await scoredDocs()).map((d) => [d.id, d.dfp]));
    for (const d of sameAsMarked) {
      assert.equal(cleared.get(d.id)!.is_anomaly, true);
      assert.equal(cleared.get(d.id)!.suppressed ?? null, null);
    }
  });
});
