import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem, RawEvent } from '../server/engine/types';
import type { DfpFields } from '../common/fields';
import { generate, type SynthProfile } from '../datasets/synth';
import { resolveProfile, type Profile } from '../server/engine/profiles';
import type { FieldSpec } from '../server/engine/profiles/types';
import { firstValue, getField } from '../server/engine/profiles/field_path';
import { applyTransform, arnSession } from '../server/engine/profiles/transforms';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { Fingerprint } from '../server/engine/model/fingerprint';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { ModelStore } from '../server/engine/io/model_store';
import { extractRow, type FeatureValue } from '../server/engine/features/extract';
import { parseTime } from '../server/engine/features/event_time';
import { makeRng } from '../server/engine/model/rng';
import { buildUserFrames, schemaOf } from '../server/engine/features/frame';
import { UserActivity } from '../server/engine/features/derived';
import { timeseriesCheck } from '../server/engine/score/timeseries';
import { collectRows } from '../server/engine/jobs/collect';
import { trainModels } from '../server/engine/jobs/train';
import { alignColumns, scoreEvents, type ScoreSummary } from '../server/engine/jobs/score';
import { scoredFields } from '../server/engine/jobs/dfp_fields';
import { historyOf, historyViewOf } from '../server/engine/model/history';

before(async () => {
  await initBackend('wasm');
});

const items = (events: RawEvent[]): InputItem[] =>
  events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

/**
 * What scoring gave before the batched path: every user alone through Fingerprint.score, each
 * event's dfp object from scoredFields. The fast path must give the very same documents.
 */
async function referenceScores(input: InputItem[], profile: Profile, store: ModelStore, opts: { threshold: number; tsThreshold: number; topFeatures: number }) {
  const collected = await collectRows(input, profile, { keepItems: true });
  const genericJson = await store.load(profile.name, null);
  const generic = genericJson ? Fingerprint.fromJson(genericJson) : null;
  const dfp = new Map<number, Omit<DfpFields, 'scored_at'>>();
  const users: { user: string; maxZscore: number; worstIndex: number; flagged: number; generic: boolean; worstTopFeatures: string[] }[] = [];
  const events: ScoreSummary['topEvents'] = [];
  for (const frame of buildUserFrames(collected.rows, profile).values()) {
    const ownJson = await store.load(profile.name, frame.user);
    const own = ownJson ? Fingerprint.fromJson(ownJson) : null;
    const model = (own ?? generic)!;
    const values = alignColumns(frame.values, schemaOf(profile), model.json.schema);
    const ts = timeseriesCheck(frame.times, { threshold: opts.tsThreshold });
    const user = { user: frame.user, maxZscore: -Infinity, worstIndex: -1, flagged: 0, generic: !own, worstTopFeatures: [] as string[] };
    model.score(values).forEach((s, k) => {
      const z = ts.eventZ[k];
      const { scored_at: _, ...fields } = scoredFields(frame.user, s, model.json, values[k], {
        threshold: opts.threshold,
        topFeatures: opts.topFeatures,
        scoredAt: '',
        ts: { z: Number.isFinite(z) ? z : 0, anomaly: ts.eventAnomaly[k] },
      });
      dfp.set(frame.inputIndex[k], fields);
      if (fields.is_anomaly) user.flagged += 1;
      if (s.zscore > user.maxZscore) Object.assign(user, { maxZscore: s.zscore, worstIndex: frame.inputIndex[k], worstTopFeatures: fields.top_features });
      const why = fields.top_features!.map((feature) => {
        const c = model.json.schema.names.indexOf(feature);
        const history = historyOf(historyViewOf(model.json), c, values[k][c]);
        return { feature, seen: values[k][c], expected: s.predictions[c], ...(history ? { history } : {}) };
      });
      events.push({ inputIndex: frame.inputIndex[k], user: frame.user, zscore: s.zscore, time: frame.times[k], why });
    });
    users.push(user);
    own?.dispose();
  }
  generic?.dispose();
  // The 100 highest, ties to the earlier event (a stable sort).
  const topEvents = events.sort((a, b) => b.zscore - a.zscore).slice(0, 100);
  return { dfp, users: users.sort((a, b) => b.maxZscore - a.maxZscore), topEvents };
}

// Low thresholds, so that flags of both kinds occur and are compared too.
const thresholds = { threshold: 3, tsThreshold: 2.5 };

/**
 * Scores `input` on this thread and on two scoring workers (real threads, real models; results in
 * one chunk, and in many small ones) and holds each to the reference: every document, the
 * summary, the top events.
 */
async function compare(input: InputItem[], profile: Profile, store: ModelStore, topFeatures = 3): Promise<ScoreSummary> {
  const want = await referenceScores(input, profile, store, { ...thresholds, topFeatures });
  let summary: ScoreSummary | undefined;
  for (const { workers, chunkRows } of [{ workers: 1 }, { workers: 2 }, { workers: 2, chunkRows: 97 }]) {
    const docs: Record<string, unknown>[] = [];
    summary = await scoreEvents(input, { profile, store, ...thresholds, topFeatures, workers, chunkRows }, async (doc) => void docs.push(doc));
    const mode = workers === 1 ? 'this thread' : `${workers} workers${chunkRows ? `, chunks of ${chunkRows} rows` : ''}`;
    assert.equal(docs.length, input.length);
    let scored = 0;
    docs.forEach((doc, i) => {
      const item = input[i];
      if (item.kind !== 'event') return;
      const { dfp, ...event } = doc as { dfp: DfpFields };
      assert.deepEqual(event, item.event, `event ${i} passes through unchanged`);
      assert.deepEqual(Object.keys(doc), [...Object.keys(item.event).filter((k) => k !== 'dfp'), 'dfp'], `event ${i}: key order`);
      const expected = want.dfp.get(i);
      if (!expected) return;
      // User risk (the user's events before this one) is not the per-user reference's: test/user_risk_score.test.ts holds it.
      const { scored_at: _, user_risk: _risk, user_flagged: _flagged, ...got } = dfp;
      assert.deepEqual(got, expected, `${mode}, event ${i}: dfp`);
      assert.equal(JSON.stringify(got), JSON.stringify(expected), `${mode}, event ${i}: dfp as written`);
      scored += 1;
    });
    assert.equal(scored, want.dfp.size, `${mode}: every event the reference scored`);
    assert.deepEqual(
      summary.users.map(({ user, maxZscore, worstIndex, flagged, generic, worstTopFeatures }) => ({ user, maxZscore, worstIndex, flagged, generic, worstTopFeatures })),
      want.users,
      mode,
    );
    assert.deepEqual(summary.topEvents, want.topEvents, mode);
    assert.equal(summary.flagged, [...want.dfp.values()].filter((d) => d.is_anomaly).length);
    assert.equal(summary.tsFlagged, [...want.dfp.values()].filter((d) => d.ts_anomaly).length);
  }
  return summary!;
}

const quick = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 };

test('file scoring writes what scoring each user alone wrote: own, warm-started and generic models', async () => {
  const ds = generate({ profile: 'azure-signin', seed: 21, users: 14, trainDays: 14, testDays: 3, compromisedUsers: 2 });
  const profile = resolveProfile('azure-signin');
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-fast-')));
  const trained = await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: quick, minHistory: 150, minHistoryWarmStart: 60 });
  const kinds = new Set(trained.users.map((u) => u.model));
  assert.ok(kinds.has('own') && kinds.has('warm-start') && kinds.has('generic'), `model kinds ${[...kinds]}`);
  // Unreadable items and events without a user come out too, in place.
  const input: InputItem[] = [
    ...items(ds.test.slice(0, 40)),
    { kind: 'error', message: 'bad json', source: { file: 'x', line: 1 } },
    { kind: 'event', event: { '@timestamp': '2026-09-20T00:00:00Z' }, source: { file: 'x', line: 2 } },
    ...items(ds.test.slice(40)),
  ];
  const summary = await compare(input, profile, store);
  assert.equal(summary.errors, 2);
  assert.ok(summary.flagged > 0 && summary.tsFlagged > 0, `flags compared: ${summary.flagged} events, ${summary.tsFlagged} by time series`);
  // Other counts of top features: every feature with z > 0, none, and one that is not a count.
  for (const k of [30, 0, 2.5]) await compare(input, profile, store, k);
});

test('file scoring of a model trained on other fields (stale) matches the reference too', async () => {
  const ds = generate({ profile: 'azure-signin', seed: 22, users: 4, trainDays: 10, testDays: 2, compromisedUsers: 1 });
  const P = 'azure.signinlogs.properties';
  const older = resolveProfile('azure-signin', { categorical: [`${P}.app_display_name`, 'source.geo.country_iso_code', 'event.outcome'] });
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-stale-')));
  await trainModels(items(ds.train), { profile: older, store, backend: 'wasm', config: quick, minHistory: 40, minHistoryWarmStart: 20 });
  const profile = resolveProfile('azure-signin');
  const summary = await compare(items(ds.test), profile, store);
  assert.ok((summary.report.byKind()['stale model'] ?? 0) > 0, 'the stale models are reported');
});

test('models kept between runs: a rollback or a newer model shows at the next run', async () => {
  const ds = generate({ profile: 'azure-signin', seed: 23, users: 3, trainDays: 10, testDays: 2, compromisedUsers: 1 });
  const profile = resolveProfile('azure-signin');
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-shelf-')));
  const train = (seed: number) => trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...quick, seed }, minHistory: 40, minHistoryWarmStart: 20 });
  const versions = async () => {
    const seen = new Map<string, string>();
    await scoreEvents(items(ds.test), { profile, store }, async (doc) => {
      const dfp = doc.dfp as DfpFields;
      if (dfp.model && !dfp.model.generic) seen.set(dfp.user!, dfp.model.version);
    });
    return seen;
  };
  await train(1);
  await compare(items(ds.test), profile, store);
  assert.deepEqual([...new Set((await versions()).values())], ['1']);
  await train(2);
  await compare(items(ds.test), profile, store); // the same store object: version 2 now
  assert.deepEqual([...new Set((await versions()).values())], ['2']);
  const users = await store.list(profile.name);
  for (const u of users) await store.rollback(profile.name, u.user, 1);
  await compare(items(ds.test), profile, store);
  assert.deepEqual([...new Set((await versions()).values())], ['1']);
});

/** extractRow as it read fields before it compiled paths and remembered transforms. */
function plainValue(event: RawEvent, spec: FieldSpec): FeatureValue {
  if (spec.parts) {
    // FieldSpec.parts: every part present, `label=value` (commas and backslashes escaped), joined by ", ".
    const items = spec.parts.flatMap((part) => {
      const v = plainValue(event, { ...spec, paths: part.paths, transform: part.transform, list: part.list ?? spec.list, parts: undefined });
      return v === null ? [] : [`${part.label}=${String(v).replace(/[\\,]/g, (c) => `\\${c}`)}`];
    });
    return items.length > 0 ? items.join(', ') : null;
  }
  const raw = spec.list === 'set' ? plainSet(event, spec.paths) : firstValue(event, spec.paths);
  if (raw === undefined || raw === null) return null;
  switch (spec.kind) {
    case 'categorical': {
      const s = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      return spec.nullValues?.includes(s) ? null : applyTransform(s, spec.transform);
    }
    case 'numeric': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      return typeof raw === 'boolean' || !Number.isFinite(n) || (typeof raw === 'string' && raw.trim() === '') ? null : n;
    }
    case 'binary': {
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      if (typeof raw === 'number') return raw !== 0 ? 1 : 0;
      const s = String(raw).toLowerCase();
      if (spec.trueValues) return spec.trueValues.some((t) => t.toLowerCase() === s) ? 1 : 0;
      if (['true', 'yes', '1', 'y'].includes(s)) return 1;
      if (['false', 'no', '0', 'n'].includes(s)) return 0;
      return null;
    }
  }
}

/** FieldSpec.list 'set', plainly: the first path present, its distinct values sorted and joined. */
function plainSet(event: RawEvent, paths: string[]): unknown {
  for (const path of paths) {
    const v = getField(event, path);
    if (v === undefined || v === null || v === '') continue;
    if (!Array.isArray(v)) return v;
    const values = [...new Set(v.filter((x) => x !== null && x !== undefined && x !== '').map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))))].sort();
    if (values.length > 0) return values.join(',');
  }
  return undefined;
}

/** The user key, plainly: Profile.userKey's first rule that applies and finds a value, else the first user field present. */
function plainUser(event: RawEvent, profile: Profile): unknown {
  if (!profile.userKey) return firstValue(event, profile.userFields);
  for (const rule of profile.userKey) {
    const when = rule.when ? firstValue(event, [rule.when.path]) : undefined;
    if (rule.when && !(typeof when === 'string' && rule.when.startsWith.some((p) => when.startsWith(p)))) continue;
    const v = firstValue(event, rule.paths);
    if (v === undefined) continue;
    if (rule.transform !== 'arn-session') return v;
    const session = typeof v === 'string' ? arnSession(v) : undefined;
    if (session !== undefined) return session;
  }
  return undefined;
}

test('extractRow reads what firstValue and applyTransform read, dotted keys and arrays included', () => {
  for (const name of ['azure-signin', 'cloudtrail', 'duo', 'okta'] as SynthProfile[]) {
    const profile = resolveProfile(name);
    const ds = generate({ profile: name, seed: 5, users: 6, trainDays: 2, testDays: 1, compromisedUsers: 1 });
    // The same events flattened to dotted keys at various depths, and with arrays and odd values.
    const flatten = (o: Record<string, unknown>, depth: number, prefix = ''): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (v && typeof v === 'object' && !Array.isArray(v) && depth > 0) Object.assign(out, flatten(v as Record<string, unknown>, depth - 1, `${prefix}${k}.`));
        else out[`${prefix}${k}`] = v;
      }
      return out;
    };
    const events: RawEvent[] = [
      ...ds.train.slice(0, 150),
      ...ds.train.slice(150, 200).map((e) => flatten(e, 1)),
      ...ds.train.slice(200, 250).map((e) => flatten(e, 9)),
      ...ds.train.slice(250, 280).map((e) => ({ ...flatten(e, 2), source: { 'geo.city_name': ['Oslo', 'Bergen'], as: { number: '' } } })),
    ];
    for (const [i, event] of events.entries()) {
      const got = extractRow(event, profile);
      if (!got.ok) continue;
      const want = profile.fields.map((spec) => plainValue(event, spec));
      assert.deepEqual(got.row.values, want, `${name} event ${i}`);
      assert.equal(got.row.user, String(plainUser(event, profile)));
    }
  }
});

test('parseTime reads ISO times as Date.parse does, the fast form and its near misses alike; days and times that do not exist are refused', () => {
  const times: string[] = ['2026-09-03T00:04:01.067Z', '2026-09-03T00:04:01Z', '2026-02-30T00:00:00Z', '2026-02-28T23:59:59.999Z', '2026-01-01T24:00:00Z', '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z', '2026-01-01T23:59:60Z', '0099-01-01T00:00:00Z', '0100-01-01T00:00:00Z', '2026-09-03T00:04:01.06Z', '2026-09-03T00:04:01.0671Z', '2026-09-03T00:04:01.067+00:00',
    '2026-09-03 00:04:01Z', '2026-9-03T00:04:01.067Z', '2026-09-03T00:04:01.06aZ', '+002026-09-03T00:04:01.067Z', '1700000000', '1700000000123', '1700000000.5'];
  const rng = makeRng('iso');
  const two = (v: number): string => String(v).padStart(2, '0');
  for (let i = 0; i < 20_000; i++) {
    const [y, mo, d, h, mi, s, ms] = [1900 + Math.floor(rng() * 300), 1 + Math.floor(rng() * 12), 1 + Math.floor(rng() * 31), Math.floor(rng() * 25), Math.floor(rng() * 60), Math.floor(rng() * 61), Math.floor(rng() * 1000)];
    times.push(`${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${i % 2 ? `.${String(ms).padStart(3, '0')}` : ''}Z`);
  }
  // Date.parse rolls Feb 30 over to Mar 2 and 23:59:60 is no time: parseTime refuses them (issue 14).
  const real = (t: string): boolean => {
    const m = /^[+-]?(\d{4,6})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?/.exec(t);
    if (!m) return true;
    const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
    const days = new Date(Date.UTC(2000 + (y % 400), mo, 0)).getUTCDate();
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days && s < 60 && (h < 24 || (h === 24 && mi === 0 && s === 0 && !/[1-9]/.test(m[7] ?? '')));
  };
  for (const t of times) {
    const want = /^\d+(\.\d+)?$/.test(t) ? parseTime(Number(t)) : Number.isNaN(Date.parse(t)) || !real(t) ? null : Date.parse(t);
    assert.equal(parseTime(t), want, t);
  }
  assert.equal(parseTime('2026-02-30T00:00:00Z'), null);
});

test('derived features written in place equal observe(); the trailing hour counts exactly', () => {
  const a = new UserActivity();
  const b = new UserActivity();
  const rng = Array.from({ length: 3000 }, (_, i) => i);
  let t = Date.UTC(2026, 8, 1);
  for (const i of rng) {
    t += ((i * 7919) % 13) * 60_000 * (i % 50 === 0 ? 30 : 1); // bursts and gaps, across days
    const place = `p${i % 3}`;
    const app = i % 5 === 0 ? null : `a${i % 4}`;
    const out = new Array<FeatureValue>(8).fill('x');
    a.observeInto(t, place, app, out, 2);
    const want = b.observe(t, place, app);
    assert.deepEqual(out.slice(2), want);
    assert.deepEqual(out.slice(0, 2), ['x', 'x']);
  }
  // Against a plain count of the events within the hour before each one.
  const c = new UserActivity();
  const times: number[] = [];
  for (let i = 0; i < 500; i++) {
    const time = Date.UTC(2026, 8, 2) + Math.floor(i / 3) * 7 * 60_000;
    times.push(time);
    const got = c.observe(time, null, null)[5] as number;
    const within = times.filter((x) => x > time - 3_600_000).length;
    assert.equal(got, Math.log1p(within));
  }
});
