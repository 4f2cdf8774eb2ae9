// Issue 14 over Elasticsearch (the file side: test/bad_records.test.ts): an event whose time cannot
// be one, and a user whose stored model is corrupt, stay one event and one user: the run scores
// the rest, writes those with why, and its checkpoint moves past them. A store the run cannot reach
// is the run's failure (the checkpoint stays). In-memory test server, or ES_URL (see es_cluster.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Client } from '@elastic/elasticsearch';
import { cleanUp, indexLikeIntegration, NEEDS_TEST_SERVER, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { parseSourceConfig, type SourceConfig } from '../common/source_config';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { EsSink } from '../server/engine/io/es/sink';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { schemaOf } from '../server/engine/features/frame';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEsSource, type EsScoreSummary } from '../server/engine/jobs/es_score';
import type { InputItem, RawEvent } from '../server/engine/types';

const profile = resolveProfile('azure-signin');
const DAY = 86_400_000;
const ds = generate({ profile: 'azure-signin', seed: 7, users: 5, trainDays: 6, testDays: 1, compromisedUsers: 0, start: '2026-03-01T00:00:00Z' });
const testEnd = Date.parse('2026-03-08T00:00:00Z');
const N = ds.test.length;
const userOf = (e: RawEvent): string => (e.user as { id: string }).id;
const idOf = (e: RawEvent): string => (e.event as { id: string }).id;

let cluster: TestCluster;
let client: Client;
let names: { models: string; state: string };
let dataset: string;
let store: EsModelStore;
const made: string[] = [];

before(async () => {
  await initBackend('wasm');
  cluster = await startCluster();
  client = cluster.client;
  names = ownedIndexNames(`.dfp-${cluster.tag}`);
  dataset = `dfptest.bad${cluster.tag}`;
  store = new EsModelStore(client, { index: names.models });
  const items: InputItem[] = ds.train.map((event, i) => ({ kind: 'event', event, source: { file: 'train', line: i + 1 } }));
  const trained = await trainModels(items, { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 }, workers: 1 });
  assert.ok(trained.users.filter((u) => u.model !== 'generic').length >= 3, 'users with models of their own');
});

after(async () => {
  await cleanUp(client, {
    dataStreams: [...made, ...made.map((s) => `logs-dfp.scores-${s.split('-').pop()}`), ...made.map((s) => `logs-dfp.user_risk-${s.split('-').pop()}`)],
    indices: [names.models, names.state],
    indexTemplates: [`logs-${dataset}`],
  });
  await cluster.stop();
});

function source(ns: string, stream: string, timeField = '@timestamp'): SourceConfig {
  return parseSourceConfig({ id: `${cluster.tag}-${ns}`, profile: 'azure-signin', index: stream, writeMode: 'scores', namespace: ns, settleSeconds: 0, initialLookbackHours: 48, timeField });
}

async function seed(ns: string, events: RawEvent[]): Promise<string> {
  const stream = await indexLikeIntegration(client, profile, dataset, ns, events);
  made.push(stream);
  return stream;
}

async function score(src: SourceConfig): Promise<EsScoreSummary> {
  const sink = new EsSink(client, {
    mode: src.writeMode,
    namespace: src.namespace,
    sourceName: src.id,
    featureNames: schemaOf(profile).names,
    keyFields: [...profile.userFields, ...(profile.displayFields ?? [])],
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
  });
  await sink.setup();
  return scoreEsSource(client, { source: src, profile, store, sink, checkpoints: new Checkpoints(client, { index: names.state }), runId: 'test', now: testEnd + 60_000, pageSize: 25 });
}

/** The scores documents of a namespace, by source event id. */
async function scores(ns: string): Promise<Map<string, Record<string, any>>> {
  const index = `logs-dfp.scores-${ns}`;
  await client.indices.refresh({ index });
  const res = await client.search<Record<string, any>>({ index, size: 10_000, query: { match_all: {} } });
  return new Map(res.hits.hits.map((h) => [h._source!.event.id as string, h._source!]));
}

/** dfp less what differs between two runs of the same events (when, and which stream). */
function stable(dfp: Record<string, any>): Record<string, any> {
  const { scored_at: _, source: __, ...rest } = dfp;
  return rest;
}

describe('bad records over Elasticsearch', () => {
  it('an event whose @timestamp is out of range (the source reads by event.ingested) gets dfp.error; the run goes on and its checkpoint moves past it', async () => {
    const ns = `tr${cluster.tag}`;
    const events = ds.test.map((e) => ({ ...e, event: { ...(e.event as object), ingested: e['@timestamp'] } }));
    const bad = [1e16, 9e15, -1e16].map((t, k) => {
      const like = events[5 + 10 * k];
      return { ...like, '@timestamp': t, event: { ...(like.event as object), id: `bad-${k}` } };
    });
    const stream = await seed(ns, [...events, ...bad]);
    const src = source(ns, stream, 'event.ingested');
    const run = await score(src);
    assert.equal(run.read, N + 3);
    assert.equal(run.written, N + 3, 'every event written once');
    assert.equal(run.failed, 0);
    assert.equal(run.report.byKind()['bad timestamp'], 3);

    const out = await scores(ns);
    assert.equal(out.size, N + 3);
    for (const [k, t] of ['10000000000000000', '9000000000000000', '-10000000000000000'].entries()) {
      const doc = out.get(`bad-${k}`)!;
      assert.equal(doc.dfp.error, `timestamp out of range (${t}: not between years 0000 and 9999) (looked for @timestamp)`);
      assert.equal(doc['@timestamp'], events[5 + 10 * k].event.ingested, 'the scores document is dated by the time field read');
    }
    const good = [...out.values()].filter((d) => !String(d.event.id).startsWith('bad-'));
    assert.ok(good.every((d) => typeof d.dfp.zscore === 'number'), 'the rest is scored');

    const cp = await new Checkpoints(client, { index: names.state }).read(src.id);
    const newest = Math.max(...events.map((e) => Date.parse(e.event.ingested as string)));
    assert.equal(cp?.checkpoint.timeMs, newest, 'the checkpoint is at the newest event read');
    assert.equal(cp?.checkpoint.events, N + 3);
    const again = await score(src);
    assert.equal(again.written, 0, 'nothing left to score: the next run does not stop at them');
    assert.equal(again.alreadyScored, again.read);
  });

  it('a user with a corrupt model: their events scored by the generic model, saying why; the others as with the model intact', async () => {
    const clean = await score(source(`mc${cluster.tag}`, await seed(`mc${cluster.tag}`, ds.test)));
    assert.equal(clean.written, N);
    const before = await scores(`mc${cluster.tag}`);

    // A new version of one user's model with a weight changed under the old checksum.
    const victim = (await store.list(profile.name)).map((u) => u.user).find((u) => ds.test.some((e) => userOf(e) === u))!;
    const json = structuredClone((await store.load(profile.name, victim))!) as FingerprintJson;
    const w = json.weights[0].w;
    json.weights[0].w = w.slice(0, 10) + (w[10] === 'A' ? 'B' : 'A') + w.slice(11);
    json.version += 1;
    await store.save(json);
    await store.flush();
    try {
      const ns = `mb${cluster.tag}`;
      const run = await score(source(ns, await seed(ns, ds.test)));
      assert.equal(run.written, N);
      assert.equal(run.errors, clean.errors, 'no event more with dfp.error');
      assert.equal(run.report.byKind()['unusable model'], 1, 'reported once a run');
      assert.ok(run.report.examples.some((e) => e.includes(`user ${JSON.stringify(victim)}: model checksum mismatch for ${victim} v${json.version}`)), run.report.examples.join('\n'));
      const after = await scores(ns);
      assert.equal(after.size, N);
      for (const e of ds.test) {
        const got = after.get(idOf(e))!.dfp;
        if (userOf(e) !== victim) {
          assert.deepEqual(stable(got), stable(before.get(idOf(e))!.dfp), `${userOf(e)}: as before`);
          continue;
        }
        assert.equal(got.error, undefined);
        assert.equal(typeof got.zscore, 'number');
        assert.equal(got.model.generic, true);
        assert.equal(got.model.fallback_reason, `own model unusable: model checksum mismatch for ${victim} v${json.version}: the file is corrupt`);
      }
      const mappings = await client.indices.getMapping({ index: `logs-dfp.scores-${ns}` });
      for (const m of Object.values(mappings)) {
        assert.equal((m.mappings.properties?.dfp as any)?.properties?.model?.properties?.fallback_reason?.type, 'keyword', 'mapped as the contract says');
      }
    } finally {
      await store.rollback(profile.name, victim, json.version - 1);
    }
  });

  it('a model store the run cannot reach fails the run: the checkpoint does not move past events their own models should score', { skip: NEEDS_TEST_SERVER }, async () => {
    const ns = `mf${cluster.tag}`;
    const src = source(ns, await seed(ns, ds.test));
    cluster.server!.faults.inject({ method: 'GET', path: new RegExp(`^/${names.models.replace(/\./g, '\\.')}/_doc/`), status: 500 });
    try {
      await assert.rejects(score(src), /HTTP 500/);
    } finally {
      cluster.server!.faults.clear();
    }
    assert.equal(await new Checkpoints(client, { index: names.state }).read(src.id), null, 'no checkpoint written');
    const rerun = await score(src);
    assert.equal(rerun.written, N);
  });
});
