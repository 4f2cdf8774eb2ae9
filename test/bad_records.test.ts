// Issue 14, "one bad record stays one bad record": every input event comes out exactly once, in
// order, scored or with dfp.error saying what was wrong and where; a run stops only when it cannot
// run at all. Real CLI runs (execFile) and the engine's own functions, real training (wasm, few
// epochs). The Elasticsearch side of the same cases: test/bad_records_es.test.ts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DfpFields } from '../common/fields';
import type { InputItem, RawEvent } from '../server/engine/types';
import { badTimeReason, parseTime } from '../server/engine/features/event_time';
import { extractProcessEvent } from '../server/engine/process_groups';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import type { ModelStore, ModelVersionInfo, StoredUserModels } from '../server/engine/io/model_store';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import { closeScorePool } from '../server/engine/jobs/score_pool';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-bad-'));
const cli = path.join(__dirname, '..', 'scripts', 'dfp.ts');
const models = path.join(dir, 'models');
const DAY = 86_400_000;
const HOUR = 3_600_000;
const start = Date.UTC(2026, 8, 1, 9);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The dfp CLI in a child process; `env` adds to this process's environment (TZ). */
function dfp(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { env: { ...process.env, CI: '1', ...env }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

type Doc = Record<string, any> & { dfp: DfpFields };

function readDocs(file: string): Doc[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Doc);
}

/** A document less its dfp.scored_at (the only field two runs of the same input may differ in). */
function stable(doc: Doc): Doc {
  const { scored_at: _, ...rest } = doc.dfp;
  return { ...doc, dfp: rest as DfpFields };
}

function signin(user: string, t: number | string, app: string, city: string): RawEvent {
  return {
    '@timestamp': typeof t === 'number' ? new Date(t).toISOString() : t,
    event: { id: `${user}-${typeof t === 'number' ? new Date(t).toISOString() : t}`, outcome: 'success' },
    user: { id: user },
    source: { geo: { city_name: city, country_iso_code: 'US' }, as: { number: 7018 } },
    azure: { signinlogs: { properties: { app_display_name: app, client_app_used: 'Browser', status: { error_code: 0 } } } },
  };
}

const writeLines = (file: string, events: unknown[]): string => {
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n'));
  return file;
};

/** Valid numbers, no valid times: outside JavaScript's dates (±8.64e15 ms) or far beyond year 9999. */
const OUT_OF_RANGE: unknown[] = [1e16, 9e15, 1e308, -1e16, -9e15, '9'.repeat(40), `-${'9'.repeat(40)}`];
const withTime = (e: RawEvent, t: unknown, id: string): RawEvent => ({ ...e, '@timestamp': t, event: { id, outcome: 'success' } });

// Three users with steady habits, 80 events each (models warm-started from the generic one).
const USERS: [string, string, string][] = [
  ['alice', 'Outlook', 'Austin'],
  ['bob', 'Salesforce', 'Denver'],
  ['carol', 'Teams', 'Boston'],
];
const habitual = (u: number, t: number): RawEvent => signin(USERS[u][0], t, USERS[u][1], USERS[u][2]);

let trained: Run;

before(async () => {
  await initBackend('wasm');
  const train: RawEvent[] = [];
  for (let d = 0; d < 20; d++) for (let k = 0; k < 4; k++) USERS.forEach((_, u) => train.push(habitual(u, start + d * DAY + k * HOUR + u * 60_000)));
  // The out-of-range events among them, spread through the file.
  OUT_OF_RANGE.forEach((t, i) => train.splice(10 + i * 30, 0, withTime(habitual(i % 3, start), t, `bad-train-${i}`)));
  trained = await dfp(['train', '--profile', 'azure-signin', '--input', writeLines(path.join(dir, 'train.ndjson'), train), '--models', models, '--epochs', '3', '--quiet']);
});

after(async () => {
  await closeScorePool();
});

test('parseTime: ISO forms, numbers, zone-less times as UTC; out-of-range and impossible times refused, saying which', () => {
  const utc = (s: string): number => Date.parse(s);
  assert.equal(parseTime('2026-10-01T12:00:00Z'), utc('2026-10-01T12:00:00Z'));
  assert.equal(parseTime('2026-10-01T12:00:00'), utc('2026-10-01T12:00:00Z'), 'zone-less: UTC');
  assert.equal(parseTime('2026-10-01 12:00:00'), utc('2026-10-01T12:00:00Z'), 'space for T, zone-less: UTC');
  assert.equal(parseTime('2026-10-01T12:00:00.123456'), utc('2026-10-01T12:00:00.123Z'));
  assert.equal(parseTime('2026-10-01T14:00:00+02:00'), utc('2026-10-01T12:00:00Z'));
  assert.equal(parseTime('2026-10-01T14:00:00+0200'), utc('2026-10-01T12:00:00Z'));
  assert.equal(parseTime('2026-10-01'), utc('2026-10-01T00:00:00Z'));
  assert.equal(parseTime('2024-02-29T00:00:00Z'), utc('2024-02-29T00:00:00Z'), 'a leap day');
  assert.equal(parseTime('Thu, 01 Oct 2026 12:00:00 GMT'), utc('2026-10-01T12:00:00Z'));
  assert.equal(parseTime('10/1/2026 12:00:00 PM'), utc('2026-10-01T12:00:00Z'), 'other zone-less forms: UTC too');
  assert.equal(parseTime(1790856000), utc('2026-10-01T12:00:00Z'), 'epoch seconds');
  assert.equal(parseTime('1790856000000'), utc('2026-10-01T12:00:00Z'), 'epoch milliseconds as text');
  assert.equal(new Date(parseTime('0050-06-01T00:00:00')!).getUTCFullYear(), 50, 'year 50, not 1950');

  for (const t of OUT_OF_RANGE) {
    assert.equal(parseTime(t), null, String(t));
    assert.match(badTimeReason(t), /^out of range \(.*not between years 0000 and 9999\)$/);
  }
  assert.equal(parseTime('+010000-01-01T00:00:00Z'), null);
  for (const t of ['2026-02-30T10:00:00Z', '2026-02-29T00:00:00Z', '2026-09-31', '2026-13-01T00:00:00Z', '2026-10-01T25:00:00Z', '2026-10-01T12:60:00Z']) {
    assert.equal(parseTime(t), null, t);
    assert.equal(badTimeReason(t), `not a real date or time (${JSON.stringify(t)})`);
  }
  assert.equal(badTimeReason('yesterday'), 'unparseable ("yesterday")');
  assert.equal(badTimeReason(undefined), 'missing');

  // Process starts (the process-counts profile reads numbers as milliseconds): the same limits.
  const start = (t: unknown): RawEvent => ({ '@timestamp': t, host: { name: 'h' }, process: { name: 'cmd.exe' }, event: { category: 'process', type: 'start' } });
  assert.deepEqual(extractProcessEvent(start(1e16)), { ok: false, key: 'h', reason: '@timestamp out of range (10000000000000000: not between years 0000 and 9999)' });
  assert.deepEqual(extractProcessEvent(start('2026-02-30T10:00:00Z')), { ok: false, key: 'h', reason: '@timestamp not a real date or time ("2026-02-30T10:00:00Z")' });
  assert.equal((extractProcessEvent(start('2026-10-01 12:00:00')) as { time: number }).time, utc('2026-10-01T12:00:00Z'));
  assert.equal((extractProcessEvent(start(1790856000000)) as { time: number }).time, utc('2026-10-01T12:00:00Z'));
});

test('timestamps out of range: training leaves those events out, counted; scoring gives each dfp.error with file:line and scores the rest as if they were not there', async () => {
  assert.equal(trained.code, 0, trained.stderr);
  assert.match(trained.stderr, /trained on 240 events in window 2026-09-01T09:00:00\.000Z \.\. 2026-09-20T12:02:00\.000Z \(247 read\)/);
  assert.match(trained.stderr, /3 warm-started from the generic model/);
  assert.match(trained.stderr, /input problems: 7 bad timestamp/);
  assert.match(trained.stderr, /train\.ndjson:11: timestamp out of range \(10000000000000000: not between years 0000 and 9999\)/);

  const t = start + 21 * DAY;
  // 11 lines: 5 events with a time, 6 without one; clean: the 5 alone.
  const lines = [habitual(0, t), 0, habitual(1, t), 1, habitual(2, t), 2, habitual(0, t + HOUR), 3, 4, habitual(1, t + HOUR), 5].map((e, i) =>
    typeof e === 'number' ? withTime(habitual(e % 3, t), OUT_OF_RANGE[e], `bad-${i + 1}`) : e,
  );
  const mixed = writeLines(path.join(dir, 'score_range.ndjson'), lines);
  const clean = writeLines(path.join(dir, 'score_clean.ndjson'), lines.filter((e) => !String((e.event as { id: string }).id).startsWith('bad-')));
  const out = path.join(dir, 'scored_range.ndjson');
  const s = await dfp(['score', '--profile', 'azure-signin', '--input', mixed, '--models', models, '--out', out, '--quiet']);
  assert.equal(s.code, 0, s.stderr);
  assert.match(s.stderr, /scored 5 of 11 events \(6 with dfp\.error\)/);
  assert.match(s.stderr, /input problems: 6 bad timestamp/);
  const docs = readDocs(out);
  assert.equal(docs.length, 11, 'every line out');
  docs.forEach((d, i) => assert.equal(d.event.id, (lines[i].event as { id: string }).id, `line ${i + 1} in its place`));
  const bad = docs.filter((d) => String(d.event.id).startsWith('bad-'));
  assert.equal(bad.length, 6);
  for (const d of bad) {
    const line = Number(String(d.event.id).slice(4));
    assert.match(d.dfp.error!, new RegExp(`^${mixed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: timestamp out of range \\(.*\\) \\(looked for @timestamp\\)$`));
    assert.deepEqual(d['@timestamp'], lines[line - 1]['@timestamp'], 'the event comes out unchanged');
    assert.equal(d.dfp.zscore, undefined);
  }

  const cleanOut = path.join(dir, 'scored_clean.ndjson');
  assert.equal((await dfp(['score', '--profile', 'azure-signin', '--input', clean, '--models', models, '--out', cleanOut, '--quiet'])).code, 0);
  const good = docs.filter((d) => !String(d.event.id).startsWith('bad-'));
  assert.ok(good.every((d) => typeof d.dfp.zscore === 'number' && d.dfp.model?.generic === false));
  assert.deepEqual(good.map(stable), readDocs(cleanOut).map(stable), 'the other events scored exactly as without the bad ones');

  // On two scoring workers: the same documents.
  const pooled = path.join(dir, 'scored_range_pooled.ndjson');
  assert.equal((await dfp(['score', '--profile', 'azure-signin', '--input', mixed, '--models', models, '--out', pooled, '--workers', '2', '--quiet'])).code, 0);
  assert.deepEqual(readDocs(pooled).map(stable), docs.map(stable));
});

test('an event centuries away from its user\'s others (year 1000, year 9999) is scored; the run goes on', async () => {
  const t = start + 24 * DAY;
  const events = [habitual(0, t), signin('alice', '1000-01-01T00:00:00Z', 'Outlook', 'Austin'), habitual(1, t), signin('bob', '9999-12-31T23:00:00Z', 'Salesforce', 'Denver'), habitual(0, t + HOUR)];
  const input = writeLines(path.join(dir, 'score_far.ndjson'), events);
  const clean = writeLines(path.join(dir, 'score_near.ndjson'), [events[0], events[2], events[4]]);
  const outs: Doc[][] = [];
  for (const [file, workers] of [[input, '1'], [input, '2'], [clean, '1']]) {
    const out = path.join(dir, `scored_far_${outs.length}.ndjson`);
    const s = await dfp(['score', '--profile', 'azure-signin', '--input', file, '--models', models, '--out', out, '--workers', workers, '--quiet']);
    assert.equal(s.code, 0, s.stderr);
    outs.push(readDocs(out).map(stable));
  }
  const [far, farPooled, near] = outs;
  assert.deepEqual(farPooled, far);
  assert.equal(far.length, 5);
  assert.ok(far.every((d) => typeof d.dfp.zscore === 'number' && d.dfp.error === undefined), JSON.stringify(far.map((d) => d.dfp.error)));
  assert.deepEqual([far[0], far[2], far[4]], near, 'the others as without the far ones');
});

test('timestamps without a zone read as UTC whatever the machine zone; an impossible date is refused, naming it', async () => {
  const t = start + 22 * DAY; // 09:00 UTC
  const iso = (ms: number): string => new Date(ms).toISOString();
  const zoneless = (ms: number, sep: string): string => iso(ms).slice(0, 19).replace('T', sep);
  const events = [
    signin('alice', zoneless(t, 'T'), 'Outlook', 'Austin'),
    signin('bob', zoneless(t + 60_000, ' '), 'Salesforce', 'Denver'),
    signin('carol', zoneless(t + 2 * HOUR, 'T'), 'Teams', 'Boston'),
    signin('alice', '2026-02-30T10:00:00Z', 'Outlook', 'Austin'),
    signin('bob', '2026-09-31 10:00:00', 'Salesforce', 'Denver'),
    signin('alice', zoneless(t + 3 * HOUR, ' '), 'Payroll', 'Lagos'),
  ];
  const input = writeLines(path.join(dir, 'score_tz.ndjson'), events);
  // The same events with the zone written out.
  const withZ = writeLines(
    path.join(dir, 'score_tz_z.ndjson'),
    events.map((e) => ({ ...e, '@timestamp': /^\d{4}-\d{2}-\d{2}.\d{2}:\d{2}:\d{2}$/.test(e['@timestamp'] as string) ? `${(e['@timestamp'] as string).replace(' ', 'T')}Z` : e['@timestamp'] })),
  );
  const runs: Doc[][] = [];
  for (const [file, tz] of [[input, 'America/New_York'], [input, 'Asia/Tokyo'], [withZ, 'Asia/Tokyo']]) {
    const out = path.join(dir, `scored_tz_${runs.length}.ndjson`);
    const s = await dfp(['score', '--profile', 'azure-signin', '--input', file, '--models', models, '--out', out, '--quiet'], { TZ: tz });
    assert.equal(s.code, 0, s.stderr);
    runs.push(readDocs(out));
  }
  const [newYork, tokyo, zoned] = runs;
  assert.deepEqual(newYork.map(stable), tokyo.map(stable), 'the same documents in New York and Tokyo');
  for (const i of [0, 1, 2, 5]) assert.deepEqual(stable(newYork[i]).dfp, stable(zoned[i]).dfp, `event ${i + 1}: the same scores as with the zone written out`);
  assert.equal(newYork[0].dfp.features?.hour?.value, '09', 'hour of day in UTC');
  assert.equal(newYork[2].dfp.features?.hour?.value, '11');
  assert.equal(newYork.length, 6);
  assert.equal(newYork[3].dfp.error, `${input}:4: timestamp not a real date or time ("2026-02-30T10:00:00Z") (looked for @timestamp)`);
  assert.equal(newYork[4].dfp.error, `${input}:5: timestamp not a real date or time ("2026-09-31 10:00:00") (looked for @timestamp)`);
  for (const i of [0, 1, 2, 5]) assert.equal(typeof newYork[i].dfp.zscore, 'number');
});

/** The bytes of a user's active model in a models directory (FsModelStore's layout: index.json names the folder). */
function modelFile(modelsDir: string, user: string | null): string {
  const base = path.join(modelsDir, 'azure-signin');
  const index = JSON.parse(readFileSync(path.join(base, 'index.json'), 'utf8')) as { users: Record<string, { dir: string; active: number }>; generic: { active: number } };
  const file = (v: number): string => `v${String(v).padStart(4, '0')}.json`;
  if (user === null) return path.join(base, 'generic', file(index.generic.active));
  const entry = index.users[user];
  return path.join(base, 'users', entry.dir, file(entry.active));
}

/** One base64 character of the model's first weight array changed; the stored checksum left as it was. */
function flipWeight(file: string): void {
  const json = JSON.parse(readFileSync(file, 'utf8')) as FingerprintJson;
  const w = json.weights[0].w;
  const at = w.length >> 1;
  json.weights[0].w = w.slice(0, at) + (w[at] === 'A' ? 'B' : 'A') + w.slice(at + 1);
  writeFileSync(file, JSON.stringify(json));
}

test('one user with a corrupt model: their events scored by the generic model, saying why; everyone else as before; a corrupt generic model too: errors for those it would score', async () => {
  assert.equal(trained.code, 0, trained.stderr);
  const t = start + 23 * DAY;
  const events = [habitual(0, t), habitual(1, t), signin('dave', t, 'Teams', 'Boston'), habitual(2, t), habitual(1, t + HOUR), habitual(0, t + HOUR)];
  const input = writeLines(path.join(dir, 'score_corrupt.ndjson'), events);
  const score = async (modelsDir: string, name: string, extra: string[] = []): Promise<{ docs: Doc[]; run: Run }> => {
    const out = path.join(dir, `${name}.ndjson`);
    const run = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', modelsDir, '--out', out, '--quiet', ...extra]);
    assert.equal(run.code, 0, run.stderr);
    return { docs: readDocs(out).map(stable), run };
  };
  const clean = (await score(models, 'corrupt_clean')).docs;

  const broken = path.join(dir, 'models-broken');
  cpSync(models, broken, { recursive: true });
  flipWeight(modelFile(broken, 'bob'));
  const one = await score(broken, 'corrupt_bob', ['--json']);
  assert.equal(one.docs.length, events.length);
  one.docs.forEach((d, i) => {
    assert.equal(d.event.id, (events[i].event as { id: string }).id, 'in input order');
    if (d.dfp.user !== 'bob') return assert.deepEqual(d, clean[i], `${d.dfp.user}: as before`);
    assert.equal(d.dfp.error, undefined);
    assert.equal(typeof d.dfp.zscore, 'number');
    assert.equal(d.dfp.model?.generic, true);
    assert.equal(d.dfp.model?.fallback_reason, 'own model unusable: model checksum mismatch for bob v1: the file is corrupt');
  });
  const summary = JSON.parse(one.run.stdout) as { scored: number; errors: number; unusableModels: unknown[]; report: Record<string, number> };
  assert.equal(summary.scored, 6);
  assert.equal(summary.errors, 0);
  assert.deepEqual(summary.unusableModels, [{ user: 'bob', reason: 'model checksum mismatch for bob v1: the file is corrupt', events: 2, scoredBy: 'generic' }]);
  assert.equal(summary.report['unusable model'], 1);
  const pooled = await score(broken, 'corrupt_bob_pooled', ['--workers', '2']);
  assert.deepEqual(pooled.docs, one.docs, 'the same on two scoring workers');
  assert.match(pooled.run.stderr, /input problems: 1 unusable model\n {2}user "bob": model checksum mismatch for bob v1: the file is corrupt \(2 events scored by the generic model\)/);

  // The generic model broken as well: bob's and dave's events carry the error alone.
  flipWeight(modelFile(broken, null));
  const both = await score(broken, 'corrupt_both');
  both.docs.forEach((d, i) => {
    if (d.dfp.user === 'bob') {
      assert.equal(d.dfp.error, 'model for user "bob" unusable: model checksum mismatch for bob v1: the file is corrupt; the generic model is unusable too: model checksum mismatch for generic v1: the file is corrupt');
      assert.equal(d.dfp.zscore, undefined);
    } else if (d.dfp.user === 'dave') {
      assert.equal(d.dfp.error, 'no model for user "dave" and the generic model is unusable: model checksum mismatch for generic v1: the file is corrupt');
    } else assert.deepEqual(d, clean[i], `${d.dfp.user}: as before`);
  });
  assert.match(both.run.stderr, /scored 3 of 6 events \(3 with dfp\.error\)/);
  assert.match(both.run.stderr, /2 unusable model/);
  assert.match(both.run.stderr, /the generic model: model checksum mismatch for generic v1/);
  assert.deepEqual((await score(broken, 'corrupt_both_pooled', ['--workers', '2'])).docs, both.docs, 'the same on two scoring workers');
});

/** Names that are properties of every plain object. */
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

/** Users and categorical values named PROTO_NAMES, besides an ordinary user: 60 events each over 15 days. */
function protoEvents(): RawEvent[] {
  const users = [...PROTO_NAMES, 'alice'];
  const events: RawEvent[] = [];
  for (let d = 0; d < 15; d++) {
    for (let k = 0; k < 4; k++) {
      users.forEach((u, j) => events.push(signin(u, start + d * DAY + k * HOUR + j * 60_000, PROTO_NAMES[(j + k + d) % 5], PROTO_NAMES[(j + d) % 5])));
    }
  }
  return events;
}

/** A model store in memory (the store is not what this test is about). */
class MemoryStore implements ModelStore {
  private readonly models = new Map<string, FingerprintJson[]>();
  private key(profile: string, user: string | null): string {
    return JSON.stringify([profile, user]);
  }
  async latestVersion(profile: string, user: string | null): Promise<number> {
    return this.models.get(this.key(profile, user))?.at(-1)?.version ?? 0;
  }
  async save(model: FingerprintJson): Promise<void> {
    const k = this.key(model.profile, model.user);
    this.models.set(k, [...(this.models.get(k) ?? []), structuredClone(model)]);
  }
  async load(profile: string, user: string | null): Promise<FingerprintJson | null> {
    return this.models.get(this.key(profile, user))?.at(-1) ?? null;
  }
  async rollback(): Promise<void> {}
  async versions(): Promise<ModelVersionInfo[]> {
    return [];
  }
  async list(profile: string): Promise<StoredUserModels[]> {
    const out: StoredUserModels[] = [];
    for (const versions of this.models.values()) {
      const m = versions.at(-1)!;
      if (m.profile === profile && m.user !== null) out.push({ user: m.user, versions: versions.map((v) => v.version), active: m.version });
    }
    return out;
  }
  async flush(): Promise<void> {}
}

test('users and categorical values named constructor, __proto__, toString, valueOf, hasOwnProperty: trained, with models of their own, every event scored', async () => {
  const profile = resolveProfile('azure-signin');
  const events = protoEvents();
  const items: InputItem[] = events.map((event, i) => ({ kind: 'event', event, source: { file: 'proto', line: i + 1 } }));
  const store = new MemoryStore();
  const summary = await trainModels(items, { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 }, workers: 1 });
  assert.deepEqual(
    summary.users.map((u) => [u.user, u.model, u.rows]).sort(),
    [...PROTO_NAMES, 'alice'].map((u) => [u, 'warm-start', 60]).sort(),
  );
  for (const name of PROTO_NAMES) {
    const model = (await store.load(profile.name, name))!;
    assert.equal(model.user, name);
    const app = model.encoding.columns.find((c) => c.name === 'app');
    assert.ok(app?.kind === 'categorical' && PROTO_NAMES.every((v) => app.vocab.includes(v)), `${name}'s app vocabulary: ${JSON.stringify(app)}`);
  }
  const app = profile.fields.find((f) => f.name === 'app')!;
  assert.ok(app, 'the profile has an app feature');

  for (const workers of [1, 2]) {
    const docs: Doc[] = [];
    const scored = await scoreEvents(items, { profile, store, workers }, async (doc) => void docs.push(doc as Doc));
    assert.equal(docs.length, events.length);
    assert.equal(scored.errors, 0, JSON.stringify(docs.find((d) => d.dfp.error)?.dfp));
    docs.forEach((d, i) => {
      const user = (events[i].user as { id: string }).id;
      assert.equal(d.dfp.user, user);
      assert.equal(d.dfp.model?.generic, false, `${user} scored by their own model`);
      assert.equal(typeof d.dfp.zscore, 'number');
      assert.ok(PROTO_NAMES.includes(d.dfp.features!.app.pred as string), `prediction ${String(d.dfp.features!.app.pred)}`);
      assert.equal(d.dfp.features!.app.value, ((events[i].azure as any).signinlogs.properties.app_display_name as string));
    });
    assert.deepEqual(scored.users.map((u) => u.user).sort(), [...PROTO_NAMES, 'alice'].sort());
  }
});

test('fields named like what every object inherits are read from the document itself; a profile named so is unknown', async () => {
  assert.throws(() => resolveProfile('constructor'), /unknown profile "constructor"/);
  assert.throws(() => resolveProfile('__proto__'), /unknown profile "__proto__"/);
  const app = 'azure.signinlogs.properties.app_display_name';
  const odd = ['__proto__', 'constructor', 'toString', 'user.valueOf'];
  const profile = resolveProfile('azure-signin', { categorical: [app, ...odd] });
  // Half the events carry the odd fields as their own keys (as JSON.parse makes them), half lack them.
  const events = protoEvents().map((e, i) => {
    const text = JSON.stringify(e);
    return JSON.parse(i % 2 ? text : `{"__proto__":"P${i % 3}","constructor":"C${i % 3}",${text.slice(1)}`) as RawEvent;
  });
  const items: InputItem[] = events.map((event, i) => ({ kind: 'event', event, source: { file: 'odd', line: i + 1 } }));
  const store = new MemoryStore();
  await trainModels(items, { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 1 }, workers: 1 });
  for (const workers of [1, 2]) {
    const docs: Doc[] = [];
    const scored = await scoreEvents(items, { profile, store, workers }, async (doc) => void docs.push(doc as Doc));
    assert.equal(scored.errors, 0);
    docs.forEach((d, i) => {
      const features = d.dfp.features as Record<string, { value?: unknown }>;
      assert.equal(Object.getPrototypeOf(features), Object.prototype, 'dfp.features keeps its prototype');
      assert.deepEqual(Object.keys(features).slice(0, 5), [app, ...odd]);
      assert.equal(features['__proto__'].value, i % 2 ? null : `P${i % 3}`);
      assert.equal(features['constructor'].value, i % 2 ? null : `C${i % 3}`);
      assert.equal(features['toString'].value, null, 'not Object.prototype.toString');
      assert.equal(features['user.valueOf'].value, null);
    });
  }
});

test('the same names through the CLI and its model directory', async () => {
  const input = writeLines(path.join(dir, 'proto.ndjson'), protoEvents());
  const dirProto = path.join(dir, 'models-proto');
  const t = await dfp(['train', '--profile', 'azure-signin', '--input', input, '--models', dirProto, '--epochs', '2', '--quiet']);
  assert.equal(t.code, 0, t.stderr);
  const out = path.join(dir, 'scored_proto.ndjson');
  const s = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', dirProto, '--out', out, '--quiet']);
  assert.equal(s.code, 0, s.stderr);
  const docs = readDocs(out);
  assert.equal(docs.length, 360);
  assert.ok(docs.every((d) => d.dfp.model?.generic === false), 'every user scored by their own model');
  for (const name of PROTO_NAMES) {
    const m = await dfp(['models', '--profile', 'azure-signin', '--models', dirProto, '--user', name, '--json']);
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual((JSON.parse(m.stdout) as { version: number; active: boolean }[]).map((v) => [v.version, v.active]), [[1, true]], name);
  }
});
