import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem, RawEvent } from '../server/engine/types';
import type { DfpFields } from '../common/fields';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { checksumMatches, checksumOfBody } from '../server/engine/model/checksum';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { ModelStore } from '../server/engine/io/model_store';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents, type ScoreSummary } from '../server/engine/jobs/score';
import { whyText } from '../scripts/cli/report';

before(async () => {
  await initBackend('wasm');
});

const P = 'azure.signinlogs.properties';
const profile = resolveProfile('azure-signin');
const START = Date.parse('2026-10-01T00:00:00Z');
const STEP = 7 * 3600_000; // 7 h apart: every hour of the day comes round
/** Alice signs in from NL 97 times and from DE 3 times (rows 20, 50, 80); Bob (the generic model's other user) from FR. */
const DE_ROWS = [20, 50, 80];

function signIn(user: string, t: number, country: string, app: string): RawEvent {
  return {
    '@timestamp': new Date(t).toISOString(),
    user: { id: user },
    geo: { country_iso_code: country },
    source: { ip: country === 'NL' ? '10.1.2.3' : '10.9.8.7' },
    event: { outcome: 'success' },
    azure: { signinlogs: { properties: { app_display_name: app, client_app_used: 'Browser', is_interactive: true } } },
  };
}

const aliceTimes = Array.from({ length: 100 }, (_, i) => START + i * STEP);
const training: RawEvent[] = [
  ...aliceTimes.map((t, i) => signIn('alice', t, DE_ROWS.includes(i) ? 'DE' : 'NL', i % 5 === 0 ? 'Outlook' : 'Teams')),
  ...Array.from({ length: 60 }, (_, i) => signIn('bob', START + i * 11 * 3600_000, 'FR', 'Teams')),
];
const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'test', line: i + 1 } }));

/** The stored model without its history, checksum recomputed: what an older model looks like. */
function withoutHistory(json: FingerprintJson): FingerprintJson {
  const { checksum: _, history: _h, ...body } = json;
  return { ...body, checksum: checksumOfBody(body) };
}

/** The store as it would be had the models been saved before history existed. */
function oldModels(store: ModelStore): ModelStore {
  return {
    latestVersion: (p, u) => store.latestVersion(p, u),
    save: (m) => store.save(m),
    load: async (p, u, v) => {
      const m = await store.load(p, u, v);
      return m && withoutHistory(m);
    },
    rollback: (p, u, v) => store.rollback(p, u, v),
    versions: (p, u) => store.versions(p, u),
    list: (p) => store.list(p),
    flush: () => store.flush(),
  };
}

async function score(store: ModelStore, events: RawEvent[], opts: { topFeatures?: number; workers?: number; chunkRows?: number } = {}): Promise<{ dfp: DfpFields[]; summary: ScoreSummary }> {
  const dfp: DfpFields[] = [];
  const summary = await scoreEvents(items(events), { profile, store, threshold: 3, workers: 1, ...opts }, async (doc) => void dfp.push((doc as { dfp: DfpFields }).dfp));
  return { dfp, summary };
}


let store: FsModelStore;
let alice: FingerprintJson;

test('training keeps the user\'s own history: counts per vocabulary slot, first and last seen, UTC hours, rows', async () => {
  store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-history-')));
  await trainModels(items(training), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 }, minHistory: 50, minHistoryWarmStart: 30 });
  alice = (await store.load(profile.name, 'alice'))!;
  assert.ok(alice && !alice.generic);
  assert.ok(checksumMatches(alice), 'the checksum covers the history');
  const h = alice.history!;
  assert.equal(h.rows, 100);
  assert.equal(h.rows, alice.training.rows);
  const hours = new Array<number>(24).fill(0);
  for (const t of aliceTimes) hours[new Date(t).getUTCHours()] += 1;
  assert.deepEqual(h.hours, hours);
  const c = alice.schema.names.indexOf('country');
  const col = alice.encoding.columns[c];
  assert.equal(col.kind, 'categorical');
  const vocab = (col as { vocab: string[] }).vocab;
  assert.deepEqual(vocab, ['_null', '_other', 'NL', 'DE']);
  const country = h.columns[c]!;
  assert.deepEqual(country.counts, [0, 0, 97, 3]);
  assert.deepEqual(country.first, [null, null, aliceTimes[0], aliceTimes[DE_ROWS[0]]]);
  assert.deepEqual(country.last, [null, null, aliceTimes[99], aliceTimes[DE_ROWS[2]]]);
  // Numeric and binary columns keep none; every categorical column keeps counts summing to the rows.
  alice.schema.kinds.forEach((kind, k) => {
    if (kind !== 'categorical') assert.equal(h.columns[k], null, alice.schema.names[k]);
    else assert.equal(h.columns[k]!.counts.reduce((a, b) => a + b, 0), 100, alice.schema.names[k]);
  });
  const generic = (await store.load(profile.name, null))!;
  assert.equal(generic.history, undefined, 'the generic model is no one\'s history');
  const size = JSON.stringify(alice.history).length;
  assert.ok(size < 4000, `history is small: ${size} characters`);
});

test('scored events carry seen/usual on their top categorical features; the history raises z where the value is rare for the user', async () => {
  const day = START + 100 * STEP;
  const events = [signIn('alice', day, 'TR', 'Teams'), signIn('alice', day + 3600_000, 'DE', 'Teams'), signIn('alice', day + 7200_000, 'NL', 'Outlook')];
  // Every feature with z > 0 is a top feature here, so country is one whatever the network learned.
  const all = await score(store, events, { topFeatures: 100 });
  const [tr, de] = all.dfp;
  assert.deepEqual(tr.features!.country.seen, 0);
  assert.deepEqual(tr.features!.country.usual, [['NL', 0.97], ['DE', 0.03]]);
  assert.equal(de.features!.country.seen, 3);
  assert.deepEqual(de.features!.country.usual, [['NL', 0.97], ['DE', 0.03]]);
  for (const d of all.dfp) {
    // app: wherever it is a top feature (z > 0), its history is the user's 80 % Teams.
    const app = d.features!.app;
    if (d.top_features!.includes('app')) assert.deepEqual([app.seen, app.usual], [app.value === 'Teams' ? 80 : 20, [['Teams', 0.8], ['Outlook', 0.2]]]);
    else assert.equal(app.usual, undefined);
  }
  assert.equal(tr.features!.country.pred, 'NL', 'the model\'s own expectation stays');
  // Only categorical features get history.
  for (const d of all.dfp) {
    for (const [name, f] of Object.entries(d.features!)) {
      const kind = alice.schema.kinds[alice.schema.names.indexOf(name)];
      if (kind !== 'categorical') assert.ok(f.seen === undefined && f.usual === undefined, name);
    }
  }
  // The report says it in the user's terms.
  const why = all.summary.topEvents.find((e) => e.inputIndex === 0)!.why.find((w) => w.feature === 'country')!;
  assert.equal(whyText(why), 'country = TR — never seen before (usually NL 97%, DE 3%)');

  // The default: at most 3 top features, and only those carry history.
  const three = await score(store, events);
  for (const d of three.dfp) {
    const withHistory = Object.entries(d.features!).filter(([, f]) => f.usual !== undefined).map(([n]) => n);
    assert.ok(withHistory.every((n) => d.top_features!.includes(n)) && d.top_features!.length <= 3, String(withHistory));
  }

  // The same model with its history stripped (an older model) scores by the autoencoder alone:
  // with the history each feature's z is the larger of the two, and a country the user has never
  // signed in from is evidence of its own (the 3 % one far less). That older model's events
  // explain as before (no seen/usual). Workers give what this thread gives.
  const old = await score(oldModels(store), events, { topFeatures: 100 });
  old.dfp.forEach((d, i) => {
    for (const [name, f] of Object.entries(d.features!)) assert.ok(all.dfp[i].features![name].z >= f.z, `${name}: ${all.dfp[i].features![name].z} >= ${f.z}`);
  });
  assert.ok(tr.features!.country.z >= 3, `never-seen country: z ${tr.features!.country.z}`);
  assert.ok(tr.features!.country.z > de.features!.country.z, 'a never-seen country outweighs one seen 3 times');
  assert.ok(all.dfp[2].features!.country.z === 0, 'the usual country is no evidence');
  for (const d of old.dfp) for (const f of Object.values(d.features!)) assert.ok(f.seen === undefined && f.usual === undefined);
  const oldWhy = old.summary.topEvents.find((e) => e.inputIndex === 0)!.why.find((w) => w.feature === 'country')!;
  assert.equal(oldWhy.history, undefined);
  assert.equal(whyText(oldWhy), 'country = TR (NL)');
  const pooled = await score(store, events, { topFeatures: 100, workers: 2, chunkRows: 1 });
  assert.deepEqual(pooled.dfp.map(({ scored_at: _, ...d }) => d), all.dfp.map(({ scored_at: _, ...d }) => d), 'workers send the history to the writing thread');
});
