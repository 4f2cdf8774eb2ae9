// Scheduled scoring through Elasticsearch writes, byte for byte, what it wrote when every `dfp`
// object was built on the writing thread and stringified by the sink: the lanes' JSON (scoring
// workers, or the one lane on this thread) spliced into the bulk bodies (jobs/lane_docs.ts,
// io/es/sink_body.ts, io/es/bulk_arena.ts) gives the same bytes, in both write modes. The bulk
// bodies are caught as the client sends them; only `scored_at` (the run's clock) and the names of
// each run's own stream differ.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig, type SourceConfig } from '../common/source_config';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsSink, sinkOptionsOf } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEsSource, type EsScoreOptions } from '../server/engine/jobs/es_score';
import { closeScorePool } from '../server/engine/jobs/score_pool';
import { checksumOfBody } from '../server/engine/model/checksum';
import { firstSeenEvidence } from '../server/engine/score/user_risk';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 23, users: 6, trainDays: 20, testDays: 2, compromisedUsers: 1, start: '2026-04-01T00:00:00Z' });
const testStart = Date.parse('2026-04-21T00:00:00Z');
const testEnd = Date.parse('2026-04-23T00:00:00Z');
// Cities no model has seen, in UTF-8 of two, three and four bytes: values and predictions in the JSON.
const CITIES = ['Zürich', '東京', 'Hafnarfjörður 🌋'];
// And successful sign-ins from an unmanaged device kind nobody had: azure's first-seen evidence in user risk (Profile.firstSeen).
const testEvents = ds.test.map((e, i) => (i % 9 === 0 ? inCity(e, CITIES[(i / 9) % 3]) : i % 11 === 5 ? unmanaged(e) : e));

let cluster: TestCluster;
let client: Client;
let names: { models: string; state: string };
let dataset: string;
let stream: string;
let runs = 0;
const namespaces: string[] = [];
/** The `_bulk` bodies sent while `catching` is set. */
let caught: string[] | undefined;

before(async () => {
  await initBackend('wasm');
  cluster = await startCluster();
  client = cluster.client;
  names = ownedIndexNames(`.dfp-${cluster.tag}`);
  dataset = `dfptest.bytes${cluster.tag}`;
  const train = await indexLikeIntegration(client, profile, dataset, 'train', ds.train);
  await trainEsSource(client, { source: source('train', train), profile, store: store(), backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 }, minHistory: 120, to: testStart });
  // One user's model unusable: the generic model scores them, saying why (dfp.model.fallback_reason).
  const users = (await store().list(profile.name)).map((u) => u.user);
  const broken = (await store().load(profile.name, users[0]))!;
  const s = store();
  await s.save(corrupted(broken));
  await s.flush();
  stream = await indexLikeIntegration(client, profile, dataset, 'test', [...testEvents, unreadable()]);
  // What the sink sends, as sent: the client's bulk call, wrapped.
  type Bulk = (params: { operations?: unknown }, ...rest: unknown[]) => unknown;
  const bulk = client.bulk.bind(client) as unknown as Bulk;
  (client as unknown as { bulk: Bulk }).bulk = (params, ...rest) => {
    if (caught && Buffer.isBuffer(params.operations)) caught.push(params.operations.toString('utf8'));
    return bulk(params, ...rest);
  };
});

after(async () => {
  await closeScorePool();
  await cleanUp(client, {
    dataStreams: [`logs-${dataset}-train`, `logs-${dataset}-test`, ...namespaces.flatMap((ns) => [`logs-dfp.scores-${ns}`, `logs-dfp.user_risk-${ns}`])],
    indices: [names.models, names.state],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

function store(): EsModelStore {
  return new EsModelStore(client, { index: names.models });
}

function source(ns: string, index: string, writeMode: 'in_place' | 'scores' = 'scores'): SourceConfig {
  return parseSourceConfig({ id: `${cluster.tag}-${ns}`, profile: 'azure-signin', index, namespace: ns, writeMode, settleSeconds: 0, initialLookbackHours: 24 * 3 });
}

/**
 * A run over the test period (a rescore of it: no checkpoint, the same events every time) in the
 * given write mode; the bulk bodies it sent, with scored_at and its own names made the same.
 */
async function run(writeMode: 'in_place' | 'scores', extra: Partial<EsScoreOptions>): Promise<{ bodies: string; written: number; errors: number }> {
  const ns = `b${runs++}${cluster.tag}`;
  namespaces.push(ns);
  const src = source(ns, stream, writeMode);
  const sink = new EsSink(client, sinkOptionsOf(src, profile, { retry: { baseDelayMs: 5, maxDelayMs: 20 } }));
  await sink.setup();
  caught = [];
  try {
    const summary = await scoreEsSource(client, {
      source: src,
      profile,
      store: store(),
      sink,
      checkpoints: new Checkpoints(client, { index: names.state }),
      runId: `run-${ns}`,
      range: { from: testStart, to: testEnd + 60_000 },
      now: testEnd + 60_000,
      pageSize: 40,
      writeUserRisk: false,
      ...extra,
    });
    const bodies = caught.join('').replace(/"scored_at":"[^"]*"/g, '"scored_at":"…"').replaceAll(ns, 'NS');
    return { bodies, written: summary.written, errors: summary.errors };
  } finally {
    caught = undefined;
  }
}

describe('the lanes serialise the dfp objects: Elasticsearch receives the same bytes', () => {
  for (const writeMode of ['scores', 'in_place'] as const) {
    it(`${writeMode}: on the scoring workers and on this thread as from objects, byte for byte`, async () => {
      const reference = await run(writeMode, { workers: 2, laneJson: false });
      assert.equal(reference.written, testEvents.length + 1, 'every event written');
      assert.equal(reference.errors, 1, 'the unreadable event is written with dfp.error');
      const lines = reference.bodies.split('\n').filter((l) => l.length > 0);
      assert.equal(lines.length, 2 * (testEvents.length + 1), 'an action and a body per event');
      // What the bytes cover: user risk on scored events, a model fallback, a dfp.error, unicode.
      assert.match(reference.bodies, /"user_risk":\d/);
      assert.match(reference.bodies, /"fallback_reason":"own model unusable: /);
      assert.match(reference.bodies, /"error":"[^"]+"/);
      for (const city of CITIES) assert.ok(reference.bodies.includes(`"value":${JSON.stringify(city)}`), city);
      const firstSeen = lines.filter((l) => l.includes('"device":{') && firstSeenEvidence(JSON.parse(l).dfp ?? JSON.parse(l).doc?.dfp ?? {}, profile.firstSeen) > 0);
      assert.ok(firstSeen.length > 0, 'some events carry first-seen evidence (a new unmanaged device)');
      for (const workers of [2, 0]) {
        const lanes = await run(writeMode, { workers });
        assert.equal(lanes.written, reference.written);
        assert.equal(lanes.bodies, reference.bodies, `${writeMode}, workers ${workers}: the same bulk bodies`);
      }
    });
  }
});

/** The model with a weight changed and its checksum left: it cannot be verified. */
function corrupted(json: FingerprintJson): FingerprintJson {
  const copy = structuredClone(json);
  copy.version += 1;
  const { checksum: _, ...body } = copy;
  copy.checksum = checksumOfBody(body);
  (copy as unknown as { weights: unknown }).weights = 'not weights';
  return copy;
}

/** The event with its city changed. */
function inCity(event: Record<string, unknown>, city: string): Record<string, unknown> {
  const copy = structuredClone(event) as { geo?: { city_name?: string } };
  copy.geo = { ...copy.geo, city_name: city }; // azure-signin's city (geo.city_name)
  return copy;
}

/** The event from a device that is registered but neither compliant nor managed, its sign-in a success. */
function unmanaged(event: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(event) as { azure?: { signinlogs?: { properties?: Record<string, unknown> } }; event?: Record<string, unknown> };
  const props = copy.azure?.signinlogs?.properties ?? {};
  props.device_detail = { ...(props.device_detail as object), trust_type: 'Azure AD registered', is_compliant: false, is_managed: false };
  props.status = { error_code: 0 };
  copy.event = { ...copy.event, outcome: 'success' };
  return copy;
}

/** An event the profile cannot read (no user), in the test period, with unicode in it. */
function unreadable(): Record<string, unknown> {
  return { '@timestamp': new Date(testStart + 3_600_000).toISOString(), event: { id: 'no-user-東京' }, source: { geo: { city_name: 'Zürich' } } };
}
