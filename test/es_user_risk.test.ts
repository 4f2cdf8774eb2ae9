// User risk through Elasticsearch, over HTTP against the in-memory test server (or ES_URL): the
// fields on every scored event, one document per user per run in `logs-dfp.user_risk-<namespace>`
// laid out like Elastic's entity risk scoring, and risk carried from one scheduled run to the next
// through those documents.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig, type SourceConfig, type WriteMode } from '../common/source_config';
import type { DfpFields } from '../common/fields';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsSink } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { schemaOf } from '../server/engine/features/frame';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEsSource, type EsScoreSummary } from '../server/engine/jobs/es_score';
import { MAX_INPUTS, USER_RISK_TEMPLATE, userRiskStreamName } from '../server/engine/io/es/user_risk_stream';
import { firstSeenEvidence } from '../server/engine/score/risk_evidence';
import type { UserRiskModel } from '../server/engine/score/risk_model';
import { riskLevel, riskNorm } from '../server/engine/score/user_risk';

const profile = resolveProfile('azure-signin');
const H = 3_600_000;
const ds = generate({ profile: 'azure-signin', seed: 11, users: 8, trainDays: 10, testDays: 2, compromisedUsers: 1, start: '2026-03-01T00:00:00Z' });
const testStart = Date.parse('2026-03-11T00:00:00Z');
const testEnd = Date.parse('2026-03-13T00:00:00Z');
// A low floor: most events are evidence, so the second run's risk visibly needs the first run's.
const model: UserRiskModel = { floor: 0.5, halfLifeHours: 6, horizonHours: 24, tsWeight: 0, tsBinMinutes: 60 };
const THRESHOLD = 20;

let cluster: TestCluster;
let client: Client;
let names: { models: string; state: string };
let dataset: string;
let store: EsModelStore;
const streams: string[] = [];

before(async () => {
  await initBackend('wasm');
  cluster = await startCluster();
  client = cluster.client;
  names = ownedIndexNames(`.dfp-${cluster.tag}`);
  dataset = `dfptest.risk${cluster.tag}`;
  store = new EsModelStore(client, { index: names.models });
  const train = await indexLikeIntegration(client, profile, dataset, 'train', ds.train);
  streams.push(train);
  await trainEsSource(client, { source: source('train', 'scores', train), profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 }, minHistory: 120, to: testStart });
});

after(async () => {
  await cleanUp(client, {
    dataStreams: [...streams, ...streams.map((s) => `logs-dfp.scores-${s.split('-').pop()}`), ...streams.map((s) => userRiskStreamName(s.split('-').pop()))],
    indices: [names.models, names.state],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

function source(ns: string, writeMode: WriteMode, index: string): SourceConfig {
  return parseSourceConfig({ id: `${cluster.tag}-${ns}`, profile: 'azure-signin', index, writeMode, namespace: ns, settleSeconds: 0, initialLookbackHours: 24 * 3 });
}

async function score(src: SourceConfig, now: number, runId: string, writeUserRisk = true): Promise<EsScoreSummary> {
  const sink = new EsSink(client, { mode: src.writeMode, namespace: src.namespace, sourceName: src.id, featureNames: schemaOf(profile).names, keyFields: profile.userFields, retry: { baseDelayMs: 5, maxDelayMs: 20 } });
  await sink.setup();
  return scoreEsSource(client, { source: src, profile, store, sink, checkpoints: new Checkpoints(client, { index: names.state }), runId, now, pageSize: 50, userRiskModel: model, userRiskThreshold: THRESHOLD, writeUserRisk });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function all(index: string, sort = '@timestamp'): Promise<any[]> {
  await client.indices.refresh({ index });
  const res = await client.search({ index, size: 10_000, sort: [{ [sort]: { order: 'asc' } }], query: { match_all: {} } });
  return res.hits.hits.map((h) => h._source);
}

/** Per user, the decayed sum over their events before and at each event (events in time order, as ES scores them). */
/** The formula: each event's evidence (z over the floor, plus the profile's first-seen evidence) decayed. */
function byHand(events: { user: string; t: number; z: number; first: number }[], t: number, user: string): number {
  return events
    .filter((x) => x.user === user && x.t <= t && t - x.t <= 24 * H)
    .reduce((s, x) => s + (Math.max(0, x.z - model.floor) + x.first) * 2 ** (-(t - x.t) / (6 * H)), 0);
}

describe('user risk in Elasticsearch', () => {
  it('scores mode: fields on every event, one risk document per user per run, state carried to the next run', async () => {
    const ns = `rk${cluster.tag}`;
    const stream = await indexLikeIntegration(client, profile, dataset, ns, ds.test);
    streams.push(stream);
    const src = source(ns, 'scores', stream);
    const firstTo = testStart + 30 * H;
    const first = await score(src, firstTo, 'run-1');
    const second = await score(src, testEnd + 60_000, 'run-2');
    assert.equal(first.failed + second.failed, 0);
    assert.deepEqual([first.warnings, second.warnings], [[], []]);

    // Every scored event has both fields; flagged agrees with the threshold.
    const scored = await all(`logs-dfp.scores-${ns}`);
    assert.equal(scored.length, ds.test.length);
    for (const d of scored) {
      const dfp = d.dfp as DfpFields;
      if (dfp.error) {
        assert.ok(dfp.user_risk === undefined && dfp.user_flagged === undefined, 'errors carry no risk');
        continue;
      }
      assert.equal(typeof dfp.user_risk, 'number');
      assert.equal(dfp.user_flagged, dfp.user_risk! >= THRESHOLD);
    }
    const events = scored.filter((d) => !d.dfp.error).map((d) => ({ user: d.dfp.user as string, t: Date.parse(d['@timestamp']), z: d.dfp.zscore as number, first: firstSeenEvidence(d.dfp as DfpFields, profile.firstSeen), risk: d.dfp.user_risk as number }));
    // Each event's risk is the decayed sum over the user's events up to it, across both runs:
    // the second run's first events count the first run's recent evidence. (Events sharing a
    // time with another of the user's are left out: which of them ES served first is not fixed.)
    const sameTime = (e: { user: string; t: number }) => events.filter((x) => x.user === e.user && x.t === e.t).length > 1;
    let carried = 0;
    for (const e of events) {
      if (sameTime(e)) continue;
      const want = byHand(events, e.t, e.user);
      assert.ok(Math.abs(e.risk - want) < 1e-3 * Math.max(1, want), `${e.user} at ${new Date(e.t).toISOString()}: ${e.risk} vs ${want}`);
      const fromFirstRun = byHand(events.filter((x) => x.t < firstTo), e.t, e.user);
      if (e.t >= firstTo && fromFirstRun > 0.5) carried += 1;
    }
    assert.ok(carried > 0, 'some second-run events carry evidence from the first run');
    assert.ok(second.usersFlagged >= 1, 'some user reaches the threshold');

    // The risk stream: one document per user scored in each run, Elastic's entity risk layout.
    const riskStream = userRiskStreamName(ns);
    assert.equal(first.userRiskDocs.stream, riskStream);
    const docs = await all(riskStream);
    const usersIn = (from: number, to: number) => new Set(events.filter((e) => e.t >= from && e.t < to).map((e) => e.user));
    const run1 = docs.filter((d) => d.dfp.run_id === 'run-1');
    const run2 = docs.filter((d) => d.dfp.run_id === 'run-2');
    assert.deepEqual(run1.map((d) => d.user.name).sort(), [...usersIn(0, firstTo)].sort(), 'run 1: one document per user it scored');
    assert.deepEqual(run2.map((d) => d.user.name).sort(), [...usersIn(firstTo, Infinity)].sort(), 'run 2: likewise');
    assert.equal(first.userRiskDocs.written, run1.length);
    assert.equal(second.userRiskDocs.written, run2.length);
    for (const d of docs) {
      const asOf = d.dfp.run_id === 'run-1' ? firstTo : Date.parse(second.to);
      assert.equal(d['@timestamp'], new Date(asOf).toISOString(), 'as of the end of the run');
      assert.deepEqual(d.data_stream, { type: 'logs', dataset: 'dfp.user_risk', namespace: ns });
      const r = d.user.risk;
      assert.equal(r.id_field, 'dfp.user');
      assert.equal(r.id_value, d.user.name);
      const want = byHand(events, asOf, d.user.name);
      assert.ok(Math.abs(r.calculated_score - want) < 1e-3 * Math.max(1, want), `${d.user.name}: calculated_score ${r.calculated_score} vs ${want}`);
      assert.ok(Math.abs(r.calculated_score_norm - riskNorm(r.calculated_score, THRESHOLD)) < 0.01);
      assert.equal(r.calculated_level, riskLevel(r.calculated_score_norm));
      assert.ok(r.inputs.length <= MAX_INPUTS);
      for (let i = 1; i < r.inputs.length; i++) assert.ok(r.inputs[i - 1].contribution_score >= r.inputs[i].contribution_score, 'inputs: largest contribution first');
      for (const input of r.inputs) {
        assert.equal(input.index.startsWith('.ds-'), true, 'inputs name the source document');
        assert.equal(typeof input.id, 'string');
        assert.ok(Date.parse(input.timestamp) <= asOf && asOf - Date.parse(input.timestamp) <= 24 * H);
      }
      assert.equal(d.dfp.threshold, THRESHOLD);
      assert.equal(d.dfp.source.name, src.id);
      assert.equal(d.dfp.flagged, d.dfp.peak.score >= THRESHOLD);
      const peak = Math.max(...events.filter((e) => e.user === d.user.name && (d.dfp.run_id === 'run-1' ? e.t < firstTo : e.t >= firstTo)).map((e) => e.risk));
      assert.equal(d.dfp.peak.score, peak, 'peak: the highest dfp.user_risk of the run');
      assert.deepEqual(d.dfp.risk_model, { floor: model.floor, half_life_hours: 6, horizon_hours: 24, ts_weight: 0 });
      // The state the next run restores: every contributing event still inside the horizon.
      const inHorizon = events.filter((e) => e.user === d.user.name && e.t <= asOf && asOf - e.t <= 24 * H && e.z > model.floor);
      assert.equal(d.dfp.state.length, inHorizon.length);
    }

    // Mapped as documented, from the stream's own template.
    const tmpl = (await client.indices.getIndexTemplate({ name: USER_RISK_TEMPLATE })).index_templates[0].index_template;
    assert.deepEqual([tmpl.index_patterns, tmpl.priority], [[`${USER_RISK_TEMPLATE}-*`], 200]);
    const mapping = Object.values(await client.indices.getMapping({ index: riskStream }))[0].mappings as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const risk = mapping.properties.user.properties.risk.properties;
    assert.deepEqual([risk.calculated_score.type, risk.calculated_score_norm.type, risk.calculated_level.type, risk.id_value.type, risk.inputs.properties.contribution_score.type], ['float', 'float', 'keyword', 'keyword', 'float']);
    assert.equal(mapping.properties.dfp.properties.state.enabled, false);
    const scoresMapping = Object.values(await client.indices.getMapping({ index: `logs-dfp.scores-${ns}` }))[0].mappings as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.deepEqual([scoresMapping.properties.dfp.properties.user_risk.type, scoresMapping.properties.dfp.properties.user_flagged.type], ['float', 'boolean']);
  });

  it('without the first run\'s documents, the second run starts from nothing (what restoring adds)', async () => {
    const ns = `rn${cluster.tag}`;
    const stream = await indexLikeIntegration(client, profile, dataset, ns, ds.test);
    streams.push(stream);
    const src = source(ns, 'scores', stream);
    const firstTo = testStart + 30 * H;
    const first = await score(src, firstTo, 'run-1', false);
    assert.equal(first.userRiskDocs.written, 0);
    await score(src, testEnd + 60_000, 'run-2');
    const scored = await all(`logs-dfp.scores-${ns}`);
    const events = scored.filter((d) => !d.dfp.error).map((d) => ({ user: d.dfp.user as string, t: Date.parse(d['@timestamp']), z: d.dfp.zscore as number, first: firstSeenEvidence(d.dfp as DfpFields, profile.firstSeen), risk: d.dfp.user_risk as number }));
    const second = events.filter((e) => e.t >= firstTo);
    let differs = 0;
    for (const e of second) {
      if (events.filter((x) => x.user === e.user && x.t === e.t).length > 1) continue;
      const want = byHand(second, e.t, e.user);
      assert.ok(Math.abs(e.risk - want) < 1e-3 * Math.max(1, want), `only the second run's own events: ${e.risk} vs ${want}`);
      if (Math.abs(byHand(events, e.t, e.user) - want) > 0.01) differs += 1;
    }
    assert.ok(differs > 0, 'with the state restored these events would have had more risk');
  });

  it('in place: the fields are written into the source documents and mapped', async () => {
    const ns = `ri${cluster.tag}`;
    const stream = await indexLikeIntegration(client, profile, dataset, ns, ds.test);
    streams.push(stream);
    const summary = await score(source(ns, 'in_place', stream), testEnd + 60_000, 'run-1');
    assert.equal(summary.failed, 0);
    const docs = await all(stream);
    const scored = docs.filter((d) => d.dfp && !d.dfp.error);
    assert.ok(scored.length > 0 && scored.every((d) => typeof d.dfp.user_risk === 'number' && typeof d.dfp.user_flagged === 'boolean'));
    const mappings = Object.values(await client.indices.getMapping({ index: stream })) as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(mappings[0].mappings.properties.dfp.properties.user_risk.type, 'float');
    assert.ok(summary.userRiskDocs.written > 0, 'in place too, the risk stream gets its documents');
  });
});
