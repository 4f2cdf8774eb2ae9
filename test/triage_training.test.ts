/**
 * Training reads analysts' marks on single events from the triage store (issue 17), not only
 * `dfp.triage.status` on the events: a flagged event marked benign is learned, an event marked
 * compromised never is, and the run and the user's model count both (training.leftOut). Real
 * training over files (`dfp train --triage FILE`'s path) and over Elasticsearch (es_train.ts with
 * the `.dfp-triage` store, on the test server or a real cluster with ES_URL).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { InputItem, RawEvent } from '../server/engine/types';
import type { TriageRecord } from '../common/triage';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { FsTriageStore } from '../server/engine/io/triage_store';
import { EsTriageStore } from '../server/engine/io/es/triage_store';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { trainModels, type TrainSummary } from '../server/engine/jobs/train';
import { trainEsSource } from '../server/engine/jobs/es_train';
import { scoreEvents } from '../server/engine/jobs/score';
import { fileEventId } from '../server/engine/features/event_id';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { parseSourceConfig } from '../common/source_config';
import { trainReport } from '../scripts/cli/report';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 31, users: 8, trainDays: 10, testDays: 3, compromisedUsers: 1, start: '2026-05-01T00:00:00Z' });
const weekEnd = Date.parse('2026-05-14T00:00:00Z');
/** Low: a few events of this small, briefly trained week reach it. */
const THRESHOLD = 3.5;
const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 };
const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'in.ndjson', line: i + 1 } }));
type Scored = RawEvent & { dfp: { user: string; zscore: number; user_flagged?: boolean } };

let scored: Scored[] = [];
/** A flagged event (to mark benign) and an unflagged one of another user (to mark compromised). */
let benignEvent: Scored;
let compromisedEvent: Scored;

before(async () => {
  await initBackend('wasm');
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-tt-')));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config, minHistory: 100 });
  await scoreEvents(items(ds.test), { profile, store, threshold: THRESHOLD }, async (doc) => void scored.push(doc as Scored));
  // Only what the training decision reads of the scores (the rest needs no mapping in Elasticsearch).
  scored = scored.map((d) => ({ ...d, dfp: { user: d.dfp.user, zscore: d.dfp.zscore, user_flagged: d.dfp.user_flagged } }));
  benignEvent = [...scored].sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0];
  compromisedEvent = scored.find((d) => d.dfp.user !== benignEvent.dfp.user && d.dfp.zscore < THRESHOLD && d.dfp.user_flagged !== true)!;
  assert.ok(benignEvent.dfp.zscore >= THRESHOLD && compromisedEvent, 'the week has a flagged event and an unflagged one of another user');
});

/** Marks on the two events, as the API records them (`index`: over files the source's name; in Elasticsearch the document's). */
function marks(ref: (e: Scored) => { index: string; id: string }, source: string): TriageRecord[] {
  const at = '2026-05-14T09:00:00.000Z';
  return [
    { target: { source, user: benignEvent.dfp.user, event: ref(benignEvent) }, status: 'benign', by: 'kim', at },
    { target: { source, user: compromisedEvent.dfp.user, event: ref(compromisedEvent) }, status: 'compromised', by: 'kim', at },
  ];
}

const rowsOf = (s: TrainSummary, user: string): number => s.users.find((u) => u.user === user)!.rows;

/** What both paths must show: one flagged event learned (benign), one unflagged left out (compromised), counted in the run and the models. */
async function assertMarksDecided(plain: TrainSummary, marked: TrainSummary, load: (user: string) => Promise<{ training: { leftOut?: { benign?: number; examples: { id?: string; reason: string }[] } } } | null>): Promise<void> {
  assert.equal(marked.leftOut.benign, 1, 'one flagged event learned because it was marked benign');
  assert.equal(plain.leftOut.benign, undefined);
  assert.equal(marked.leftOut.byReason['marked compromised'], 1, 'one event left out because it was marked compromised');
  assert.equal(marked.leftOut.events, plain.leftOut.events, 'one fewer left out for the threshold, one more for the mark');
  assert.equal(rowsOf(marked, benignEvent.dfp.user), rowsOf(plain, benignEvent.dfp.user) + 1, 'the benign event is learned');
  assert.equal(rowsOf(marked, compromisedEvent.dfp.user), rowsOf(plain, compromisedEvent.dfp.user) - 1, 'the compromised one is not');
  const bad = await load(compromisedEvent.dfp.user);
  assert.ok(bad?.training.leftOut?.examples.some((e) => e.id === fileEventId(compromisedEvent, profile) && e.reason === 'marked compromised'), "the user's model names the event and why");
  assert.equal((await load(benignEvent.dfp.user))?.training.leftOut?.benign, 1, "the other user's model counts the benign event it learned");
}

describe('training with event marks', () => {
  it('over files: the triage file decides single events', async () => {
    const history = [...ds.train, ...scored];
    const store = (): FsModelStore => new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-tt-')));
    const plain = await trainModels(items(history), { profile, store: store(), backend: 'wasm', config, minHistory: 100, threshold: THRESHOLD });
    const triage = new FsTriageStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'dfp-tt-')), 'triage.ndjson'));
    for (const r of marks((e) => ({ index: profile.name, id: fileEventId(e, profile) }), profile.name)) await triage.add(r);
    const markedStore = store();
    // As `dfp train --triage FILE` reads it: the decisions about the source named after the profile.
    const marked = await trainModels(items(history), { profile, store: markedStore, backend: 'wasm', config, minHistory: 100, threshold: THRESHOLD, triage: await triage.records(profile.name) });
    await assertMarksDecided(plain, marked, (user) => markedStore.load(profile.name, user));
    assert.match(trainReport(marked), /learned 1 flagged events an analyst marked benign/);
  });

  describe('over Elasticsearch: the .dfp-triage store decides them, by document', () => {
    let cluster: TestCluster;
    let client: Client;
    const made: string[] = [];
    before(async () => {
      cluster = await startCluster();
      client = cluster.client;
    });
    after(async () => {
      await cleanUp(client, { dataStreams: made, indices: [`.dfp-${cluster.tag}-*`], indexTemplates: [`logs-dfptt.signin${cluster.tag}`, `dfp-${cluster.tag}-triage-template`, `dfp-${cluster.tag}-models-template`] });
      await cluster.stop();
    });

    it('an in-place source scored before: benign learned, compromised left out', async () => {
      const stream = await indexLikeIntegration(client, profile, `dfptt.signin${cluster.tag}`, 'tt', [...ds.train, ...scored]);
      made.push(stream);
      const source = parseSourceConfig({ id: `${cluster.tag}-tt`, profile: profile.name, index: stream, writeMode: 'in_place', namespace: 'tt', settleSeconds: 0 });
      // Each event's document, by its event id.
      const res = await client.search<RawEvent>({ index: stream, size: 10_000, query: { match_all: {} } });
      const docOf = new Map(res.hits.hits.map((h) => [fileEventId(h._source!, profile), { index: h._index, id: h._id! }]));
      const names = ownedIndexNames(`.dfp-${cluster.tag}`);
      const triage = new EsTriageStore(client, { index: names.triage });
      for (const r of marks((e) => docOf.get(fileEventId(e, profile))!, source.id)) await triage.add(r);
      const train = (models: string, withTriage: boolean) =>
        trainEsSource(client, { source, profile, store: new EsModelStore(client, { index: models }), backend: 'wasm', config, minHistory: 100, threshold: THRESHOLD, to: weekEnd + 60_000, ...(withTriage ? { triage } : {}) });
      const plain = await train(`${names.models}-plain`, false);
      const markedStore = new EsModelStore(client, { index: `${names.models}-marked` });
      const marked = await trainEsSource(client, { source, profile, store: markedStore, backend: 'wasm', config, minHistory: 100, threshold: THRESHOLD, to: weekEnd + 60_000, triage });
      assert.equal(marked.events, ds.train.length + scored.length);
      await assertMarksDecided(plain, marked, (user) => markedStore.load(profile.name, user));
    });
  });
});
