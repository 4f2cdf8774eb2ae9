/**
 * Benign suppression over files (issue 17): real training and scoring of a week, an analyst marks
 * one flagged event benign (through the triage store, its pattern taken from the event's scores as
 * the API takes it), the week is scored again with the triage file as `dfp score --triage` reads
 * it: the user's events with the same pattern are no longer flagged (dfp.suppressed, lower user
 * risk) while the same values for another user and the user's other anomaly stay flagged, and the
 * user's events after the mark expires are flagged again.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem, RawEvent } from '../server/engine/types';
import type { DfpFields } from '../common/fields';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { FsTriageStore } from '../server/engine/io/triage_store';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents, type ScoreSummary } from '../server/engine/jobs/score';
import { BenignSuppression, loadBenignSuppression, patternOf } from '../server/engine/score/benign_suppression';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { fileEventId } from '../server/engine/features/event_id';
import { riskEvidence } from '../server/engine/score/risk_evidence';
import { scoreCommand } from '../scripts/cli/commands';

const profile = resolveProfile('azure-signin');
const P = 'azure.signinlogs.properties';
const DAY = 86_400_000;
/** The threshold in force: lower than the default 8, so that every planted event is flagged on this small, briefly trained set. */
const THRESHOLD = 4.5;
const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-benign-'));
const ds = generate({ profile: 'azure-signin', seed: 23, users: 12, trainDays: 14, testDays: 7, compromisedUsers: 0, start: '2026-10-01T00:00:00Z' });
const weekStart = Date.parse('2026-10-15T00:00:00Z');
const userOf = (e: RawEvent): string => String((e.user as { id: string }).id);
const users = [...new Set(ds.test.map(userOf))].sort();
const [ann, bob] = users;

/** A copy of one of `user`'s events of the week at `time`, changed by `patch` (paths under the sign-in properties, or top-level). */
function variant(user: string, time: number, id: string, patch: Record<string, unknown>): RawEvent {
  const base = structuredClone(ds.test.find((e) => userOf(e) === user)!);
  base['@timestamp'] = new Date(time).toISOString();
  (base.event as Record<string, unknown>).id = id;
  const props = (base.azure as { signinlogs: { properties: Record<string, unknown> } }).signinlogs.properties;
  props.id = id;
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('geo.')) (base.geo as Record<string, unknown>)[k.slice(4)] = v;
    else if (k.startsWith('device.')) (props.device_detail as Record<string, unknown>)[k.slice(7)] = v;
    else props[k] = v;
  }
  return base;
}

// A new tool Ann starts using daily (an admin's PowerShell from a Linux box): the benign pattern.
const tool = { app_display_name: 'Microsoft Graph PowerShell', resource_display_name: 'Microsoft Graph', client_app_used: 'Mobile Apps and Desktop clients', 'device.browser': 'python-requests 2.31', 'device.operating_system': 'Linux' };
const annTool = [1, 2, 3, 4, 5, 6].map((d) => variant(ann, weekStart + d * DAY + 10 * 3_600_000, `ann-tool-${d}`, tool));
// The same values for Bob (not Ann's decision to make) and another anomaly of Ann's.
const bobTool = [2, 5].map((d) => variant(bob, weekStart + d * DAY + 11 * 3_600_000, `bob-tool-${d}`, tool));
const annOther = variant(ann, weekStart + 2 * DAY + 3 * 3_600_000, 'ann-other', { app_display_name: 'Azure Portal', client_app_used: 'Exchange ActiveSync', 'device.browser': 'Firefox 99', 'device.operating_system': 'MacOs', 'geo.country_iso_code': 'KP', 'geo.city_name': 'Pyongyang', autonomous_system_number: 131279 });
const week = [...ds.test, ...annTool, ...bobTool, annOther].sort((a, b) => Date.parse(String(a['@timestamp'])) - Date.parse(String(b['@timestamp'])));
const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'week.ndjson', line: i + 1 } }));

let store: FsModelStore;
before(async () => {
  await initBackend('wasm');
  store = new FsModelStore(path.join(dir, 'models'));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 10 }, minHistory: 100 });
});

async function score(benign?: BenignSuppression): Promise<{ docs: Map<string, RawEvent & { dfp: DfpFields }>; summary: ScoreSummary }> {
  const docs = new Map<string, RawEvent & { dfp: DfpFields }>();
  const summary = await scoreEvents(items(week), { profile, store, benign, threshold: THRESHOLD }, async (doc) => void docs.set(fileEventId(doc, profile), doc as RawEvent & { dfp: DfpFields }));
  return { docs, summary };
}

const maxRisk = (docs: Map<string, { dfp: DfpFields }>, user: string): number => Math.max(...[...docs.values()].filter((d) => d.dfp.user === user).map((d) => d.dfp.user_risk ?? 0));

test('an event marked benign keeps the same pattern of that user from being flagged until the mark expires', async () => {
  const first = await score();
  const flagged = (id: string): boolean => first.docs.get(id)!.dfp.is_anomaly === true;
  for (const e of [...annTool, ...bobTool, annOther]) assert.ok(flagged(String((e.event as { id: string }).id)), `${String((e.event as { id: string }).id)} is flagged before any decision (z ${first.docs.get(String((e.event as { id: string }).id))!.dfp.zscore})`);

  // The analyst marks Ann's first tool sign-in benign on day 1, for 2.5 days: the server takes its pattern from its scores.
  const marked = first.docs.get('ann-tool-1')!;
  const pattern = patternOf(marked.dfp);
  assert.ok(pattern.length >= 2, `the pattern names the event's top features: ${JSON.stringify(pattern)}`);
  for (const { feature } of pattern) assert.ok(['app', 'resource', 'client_app', 'browser', 'os', 'user_agent'].includes(feature), `the tool's features make the pattern: ${feature}`);
  const at = weekStart + 1 * DAY + 12 * 3_600_000;
  const until = new Date(at + 2.5 * DAY).toISOString();
  const triage = new FsTriageStore(path.join(dir, 'triage.ndjson'));
  await triage.add({ target: { source: profile.name, user: ann, event: { index: profile.name, id: 'ann-tool-1' } }, status: 'benign', pattern, until, by: 'kim', at: new Date(at).toISOString() });

  const benign = await loadBenignSuppression(triage, profile.name);
  const again = await score(benign);
  const dfp = (id: string): DfpFields => again.docs.get(id)!.dfp;
  // Days 1–3 (before the mark's end, day 1 noon + 2.5 days = day 4, 00:00): suppressed, scores kept.
  for (const d of [1, 2, 3]) {
    const f = dfp(`ann-tool-${d}`);
    assert.equal(f.is_anomaly, false, `ann-tool-${d} is not flagged`);
    assert.deepEqual(f.suppressed, { by: 'kim', at: new Date(at).toISOString(), until, event: { index: profile.name, id: 'ann-tool-1' } });
    assert.equal(f.zscore, first.docs.get(`ann-tool-${d}`)!.dfp.zscore, 'its scores are kept');
    assert.deepEqual(riskEvidence(f, 0, THRESHOLD), { z: 0, ts: 0 }, 'it adds nothing to the user risk');
  }
  // After: flagged again.
  for (const d of [4, 5, 6]) assert.equal(dfp(`ann-tool-${d}`).is_anomaly, true, `ann-tool-${d}, after the mark's end, is flagged again`);
  assert.equal(dfp('ann-tool-4').suppressed, undefined);
  // Another user's identical values and Ann's other anomaly: still flagged.
  for (const id of ['bob-tool-2', 'bob-tool-5', 'ann-other']) {
    assert.equal(dfp(id).is_anomaly, true, `${id} stays flagged`);
    assert.equal(dfp(id).suppressed, undefined);
  }
  // Ann's risk on the suppressed days is lower; Bob's unchanged.
  const annRisk = (docs: Map<string, { dfp: DfpFields }>) => Math.max(...[1, 2, 3].map((d) => docs.get(`ann-tool-${d}`)!.dfp.user_risk ?? 0));
  assert.ok(annRisk(again.docs) < annRisk(first.docs), `Ann's risk on the suppressed days drops: ${annRisk(first.docs)} -> ${annRisk(again.docs)}`);
  assert.equal(maxRisk(again.docs, bob), maxRisk(first.docs, bob));
  // The run's summary: flags down by exactly the suppressed events, which it counts.
  assert.equal(again.summary.suppressed, 3);
  assert.equal(again.summary.flagged, first.summary.flagged - 3);
  assert.equal(again.summary.users.find((u) => u.user === ann)!.flagged, first.summary.users.find((u) => u.user === ann)!.flagged - 3);
  assert.equal(benign.applied, [...again.docs.values()].filter((d) => d.dfp.suppressed).length);
});

test('a later decision about the event ends its suppression; a pattern needs all its values; only the marked user', () => {
  const pattern = [
    { feature: 'app', value: 'Graph' },
    { feature: 'asn', value: 131279 },
  ];
  const rec = { target: { source: 's', user: 'ann', event: { index: 's', id: 'e1' } }, status: 'benign' as const, pattern, until: '2026-10-20T00:00:00.000Z', by: 'kim', at: '2026-10-10T00:00:00.000Z' };
  const features = (app: string, asn: string | number) => ({ app: { z: 9, pred: 'x', value: app }, asn: { z: 1, pred: 'x', value: asn } });
  const t = Date.parse('2026-10-15T00:00:00Z');
  const s = new BenignSuppression([rec]);
  assert.ok(s.match('ann', features('Graph', 131279), t));
  assert.ok(s.match('ann', features('Graph', '131279'), t), 'a number and its keyword form are one value');
  assert.equal(s.match('ann', features('Graph', 1), t), undefined, 'every feature of the pattern must match');
  assert.equal(s.match('ann', { app: { z: 9, pred: 'x', value: 'Graph' } }, t), undefined, 'a feature the event lacks does not match a value');
  assert.equal(s.match('bob', features('Graph', 131279), t), undefined, 'only the marked user');
  assert.equal(s.match('constructor', features('Graph', 131279), t), undefined);
  assert.equal(s.match('ann', features('Graph', 131279), Date.parse(rec.until)), undefined, 'not from `until` on');
  const reopened = new BenignSuppression([rec, { ...rec, status: 'investigating', pattern: undefined, until: undefined, at: '2026-10-11T00:00:00.000Z' }]);
  assert.equal(reopened.size, 0, 'the newest decision about the event is no longer benign');
  // A user marked benign (no event) or an event without a pattern suppresses nothing.
  assert.equal(new BenignSuppression([{ ...rec, target: { source: 's', user: 'ann' } }]).size, 0);
  // The apply step: not on an event not scored.
  const errored: DfpFields = { user: 'ann', error: 'no model', scored_at: 'now' };
  assert.equal(s.apply(errored, t), false);
  assert.equal(errored.suppressed, undefined);
});

test("over files an event's id is the profile's event id, else a digest of the event without its dfp fields", () => {
  const raw: RawEvent = { '@timestamp': '2026-10-15T10:00:00Z', user: { id: 'ann' }, geo: { country_iso_code: 'NL' } };
  const id = fileEventId(raw, profile);
  assert.match(id, /^sha256:[0-9a-f]{32}$/);
  assert.equal(fileEventId({ ...raw, dfp: { user: 'ann', zscore: 3 } }, profile), id, 'its scored copy has the same id');
  assert.notEqual(fileEventId({ ...raw, geo: { country_iso_code: 'DE' } }, profile), id);
  assert.equal(fileEventId({ ...raw, event: { id: 'e-7' } }, profile), 'e-7');
});

test('dfp score --triage FILE: the file scoring command reads the benign decisions', async () => {
  const input = path.join(dir, 'week.ndjson');
  writeFileSync(input, week.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const triageFile = path.join(dir, 'cli-triage.ndjson');
  const first = new Map((await score()).docs);
  const pattern = patternOf(first.get('ann-tool-2')!.dfp);
  await new FsTriageStore(triageFile).add({ target: { source: profile.name, user: ann, event: { index: profile.name, id: 'ann-tool-2' } }, status: 'benign', pattern, until: '2027-01-01T00:00:00.000Z', by: 'kim', at: '2026-10-17T00:00:00.000Z' });
  const out = path.join(dir, 'scored.ndjson');
  const common = { profile: profile.name, backend: 'wasm' as const, seed: 42, quiet: true, threshold: THRESHOLD, tsThreshold: 8, userRiskThreshold: 10, workers: 1, input: [input], models: path.join(dir, 'models'), out };
  const summary = await scoreCommand({ ...common, triage: triageFile });
  assert.equal(summary?.suppressed, annTool.length, "all of Ann's tool sign-ins: the mark holds past the week");
  const scored = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: { id: string }; dfp: DfpFields });
  assert.deepEqual(scored.filter((d) => d.dfp.suppressed).map((d) => d.event.id).sort(), annTool.map((e) => String((e.event as { id: string }).id)).sort());
  assert.equal((await scoreCommand(common))?.suppressed, 0, 'without --triage nothing is suppressed');
});

