// What a benign decision changes in the app's numbers (issue 17), through the API over real HTTP
// (the standalone server over files) with real training and scoring: an analyst marks a flagged
// event benign (POST triage), the week is scored again with the decisions (`dfp score --triage`'s
// path), and then the overview, the users ranking and the user's events count the suppressed
// events apart from the flagged ones; the next training learns them, and the user's fingerprint
// says how many flagged events it learned because an analyst marked them benign.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { FingerprintResponse, OverviewResponse, UserEventsResponse, UsersResponse } from '../common/api';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { FsTriageStore } from '../server/engine/io/triage_store';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import { loadBenignSuppression } from '../server/engine/score/benign_suppression';
import { fileEventId } from '../server/engine/features/event_id';
import type { InputItem, RawEvent } from '../server/engine/types';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { fileContext } from '../server/standalone/context';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 29, users: 10, trainDays: 10, testDays: 2, compromisedUsers: 2, start: '2026-08-01T00:00:00Z' });
const FROM = Date.parse('2026-08-11T00:00:00Z');
const TO = Date.parse('2026-08-13T00:00:00Z');
/** Low: this small, briefly trained set reaches it often. */
const THRESHOLD = 3.5;
const TOKEN = 'triage-counts-token-0123456789';
const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;
const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'gen', line: i + 1 } }));
const strip = ({ dfp: _, ...event }: Doc): RawEvent => event;

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-triage-counts-'));
const sourceDir = path.join(dir, 'azure-signin');
let store: FsModelStore;
let server: Server;
let base: string;
let first: Doc[] = [];
let rescored: Doc[] = [];
/** A user with several flagged events, and the one marked benign: its pattern is not that of all of them. */
let user: string;
let marked: Doc;

async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'kbn-xsrf': 'test' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  assert.equal(res.status, 200, `${method} ${url}: ${await res.clone().text()}`);
  return (await res.json()) as T;
}
const range = `from=${new Date(FROM).toISOString()}&to=${new Date(TO).toISOString()}`;
const high = (d: Doc): boolean => d.dfp.zscore >= THRESHOLD;
const suppressed = (d: Doc): boolean => d.dfp.suppressed !== undefined && d.dfp.suppressed !== null;

before(async () => {
  await initBackend('wasm');
  mkdirSync(sourceDir, { recursive: true });
  store = new FsModelStore(path.join(sourceDir, 'models'));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config, minHistory: 100 });
  await scoreEvents(items(ds.test), { profile, store, threshold: THRESHOLD }, async (doc) => void first.push(doc));
  writeFileSync(path.join(sourceDir, 'scored.ndjson'), first.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ zscoreThreshold: THRESHOLD }));
  const { context } = await fileContext(dir, () => TO, 'kim');
  server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => ['read', 'triage'], appDir: path.join(dir, 'no-app'), auth: { token: TOKEN } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Same pattern: the same values of all the event's top features (score/benign_suppression.ts).
  const samePattern = (e: Doc, d: Doc): boolean => (e.dfp.top_features as string[]).every((f) => d.dfp.features[f]?.value === e.dfp.features[f]?.value);
  const flagged = first.filter(high);
  marked = flagged.find((e) => {
    const mine = flagged.filter((d) => d.dfp.user === e.dfp.user);
    return mine.filter((d) => samePattern(e, d)).length < mine.length;
  })!;
  assert.ok(marked, 'a flagged event whose pattern leaves some of its user\'s flags alone');
  user = marked.dfp.user;
});
after(() => server?.close());

describe('benign decisions in the numbers (standalone server over files)', () => {
  it('marked benign and scored again: flagged counts leave the suppressed events out and say how many there are', async () => {
    await call('POST', '/internal/dfp/sources/azure-signin/triage', { user, event: { index: 'azure-signin', id: fileEventId(marked, profile) }, status: 'benign', note: 'their new tool' });
    // Scored again with the decisions, as `dfp score --triage` does; the server rereads the file.
    const benign = await loadBenignSuppression(new FsTriageStore(path.join(dir, 'triage.ndjson')), 'azure-signin');
    await scoreEvents(items(first.map(strip)), { profile, store, threshold: THRESHOLD, benign }, async (doc) => void rescored.push(doc));
    writeFileSync(path.join(sourceDir, 'scored.ndjson'), rescored.map((d) => JSON.stringify(d)).join('\n') + '\n');
    const mine = rescored.filter((d) => d.dfp.user === user);
    const quiet = mine.filter((d) => high(d) && suppressed(d)).length;
    assert.ok(quiet >= 1 && mine.some((d) => high(d) && !suppressed(d)), "some of the user's flags suppressed, not all");

    const overview = await call<OverviewResponse>('GET', `/internal/dfp/overview?${range}`);
    assert.deepEqual([overview.totals.flagged, overview.totals.suppressed], [rescored.filter((d) => high(d) && !suppressed(d)).length, rescored.filter((d) => high(d) && suppressed(d)).length]);
    assert.equal(overview.totals.flagged + overview.totals.suppressed!, first.filter(high).length, 'flagged + suppressed: the events at or above the threshold');

    const users = await call<UsersResponse>('GET', `/internal/dfp/users?${range}&perPage=100&sort=flagged&order=desc`);
    const row = users.users.find((u) => u.user === user)!;
    assert.deepEqual([row.flagged, row.suppressed], [mine.filter((d) => high(d) && !suppressed(d)).length, quiet]);
    const flaggedOrder = users.users.map((u) => u.flagged);
    assert.deepEqual(flaggedOrder, [...flaggedOrder].sort((a, b) => b - a), 'ranked by flagged, suppressed left out');

    const events = await call<UserEventsResponse>('GET', `/internal/dfp/users/${encodeURIComponent(user)}/events?${range}&onlyFlagged=true&perPage=100`);
    assert.equal(events.total, row.flagged);
    assert.ok(events.events.every((e) => e.dfp.suppressed === undefined), 'only flagged: no suppressed event');
    assert.ok(events.total > 0 && !events.events.some((e) => e.source?.id === fileEventId(marked, profile)), 'the event marked benign is not among them');
  });

  it("the next training learns the suppressed flags, and the user's model details say how many", async () => {
    assert.ok(rescored.length > 0, 'runs after the decision');
    const triage = await new FsTriageStore(path.join(dir, 'triage.ndjson')).records('azure-signin');
    // Retrained on the history and the scored week, the decisions read as `dfp train --triage` reads them.
    await trainModels(items([...ds.train, ...rescored]), { profile, store, backend: 'wasm', config, minHistory: 100, threshold: THRESHOLD, triage });
    const learned = rescored.filter((d) => d.dfp.user === user && suppressed(d) && (high(d) || d.dfp.user_flagged === true)).length;
    assert.ok(learned >= 1);
    const fp = await call<FingerprintResponse>('GET', `/internal/dfp/users/${encodeURIComponent(user)}/fingerprint?${range}`);
    assert.equal(fp.model?.own, true, 'the user has a model of their own');
    assert.equal(fp.model?.leftOut?.benign, learned, 'flagged events learned because an analyst said benign');
    const model = (await store.load(profile.name, user))!;
    assert.deepEqual(fp.model?.leftOut, { ...model.training.leftOut, benign: learned }, "the model's record of what training left out, as it is kept");
  });
});
