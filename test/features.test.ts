import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveProfile } from '../server/engine/profiles';
import { compileFieldPath, getField, readFieldPath } from '../server/engine/profiles/field_path';
import { applyTransform, ipPrefix, userAgentSignature } from '../server/engine/profiles/transforms';
import { extractRow } from '../server/engine/features/extract';
import { parseTime } from '../server/engine/features/event_time';
import { UserActivity } from '../server/engine/features/derived';
import { buildUserFrames, schemaOf } from '../server/engine/features/frame';
import { encodeRows, fitEncoding, layoutOf } from '../server/engine/features/encoding';
import { evidence, mean, weightOf } from '../server/engine/model/fingerprint';

test('readFieldPath (a path compiled once) reads what getField reads, dotted keys, own keys only and all', () => {
  const docs: unknown[] = [
    { source: { geo: { city_name: 'Oslo' } } },
    { 'source.geo.city_name': 'Oslo', source: { geo: { city_name: 'Bergen' } } },
    { source: { 'geo.city_name': 'Oslo' } },
    { 'source.geo': { city_name: 'Oslo' } },
    { source: { geo: {} }, 'source.geo': { city_name: 'Oslo' } },
    { source: 'flat' },
    JSON.parse('{"__proto__": {"a": 1}, "constructor": {"b": 2}}'),
    null,
    7,
  ];
  for (const path of ['source.geo.city_name', 'source', 'a.b.c.d', '__proto__.a', 'constructor.b', 'constructor', 'toString']) {
    const compiled = compileFieldPath(path);
    for (const doc of docs) assert.deepEqual(readFieldPath(doc, compiled), getField(doc, path), `${path} of ${JSON.stringify(doc)}`);
  }
});

test('getField reads nested objects, dotted keys and mixes of both', () => {
  assert.equal(getField({ source: { geo: { city_name: 'Oslo' } } }, 'source.geo.city_name'), 'Oslo');
  assert.equal(getField({ 'source.geo.city_name': 'Oslo' }, 'source.geo.city_name'), 'Oslo');
  assert.equal(getField({ source: { 'geo.city_name': 'Oslo' } }, 'source.geo.city_name'), 'Oslo');
  assert.equal(getField({ source: {} }, 'source.geo.city_name'), undefined);
});

test('transforms keep families and drop versions', () => {
  assert.equal(applyTransform('Chrome 118.0.5993', 'family'), 'Chrome');
  assert.equal(applyTransform('Edge 97.0.1072', 'family'), 'Edge');
  assert.equal(applyTransform('iOS 17.2.1', 'strip-versions'), 'iOS');
  assert.equal(applyTransform('Windows 10', 'strip-versions'), 'Windows 10');
  // A browser upgrade keeps the signature; a different tool changes it.
  const a = userAgentSignature('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/118.0.1 Safari/537.36');
  const b = userAgentSignature('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.6 Safari/537.36');
  assert.equal(a, b);
  assert.notEqual(a, userAgentSignature('python-requests/2.31.0'));
  assert.equal(userAgentSignature('aws-cli/2.13.0 Python/3.11.4'), 'aws-cli/ Python/');
  assert.equal(ipPrefix('89.160.20.156'), '89.160.20.0/24');
  assert.equal(ipPrefix('2001:db8:85a3::8a2e:370:7334'), '2001:db8:85a3::/48');
  assert.equal(ipPrefix('ec2.amazonaws.com'), 'ec2.amazonaws.com');
});

test("CloudTrail's action_tactic names the tactic of the calls intruders make, and routine for the rest", () => {
  assert.equal(applyTransform('CreateAccessKey', 'aws-action-tactic'), 'persistence');
  assert.equal(applyTransform('AttachRolePolicy', 'aws-action-tactic'), 'privilege-escalation');
  assert.equal(applyTransform('ModifySnapshotAttribute', 'aws-action-tactic'), 'exfiltration');
  assert.equal(applyTransform('StopLogging', 'aws-action-tactic'), 'defense-evasion');
  assert.equal(applyTransform('GetObject', 'aws-action-tactic'), 'routine');
  // Untrusted strings: names of Object.prototype members are routine calls, not lookups.
  assert.equal(applyTransform('constructor', 'aws-action-tactic'), 'routine');
  assert.equal(applyTransform('__proto__', 'aws-action-tactic'), 'routine');
  const row = extractRow({ '@timestamp': '2026-09-01T00:00:00Z', user: { name: 'backup-role' }, event: { action: 'CreateAccessKey', provider: 'iam.amazonaws.com' } }, resolveProfile('cloudtrail'));
  assert.ok(row.ok);
  const profile = resolveProfile('cloudtrail');
  assert.equal(row.row.values[profile.fields.findIndex((f) => f.name === 'action_tactic')], 'persistence');
});

test('parseTime accepts ISO, epoch ms and epoch s', () => {
  assert.equal(parseTime('2026-09-01T00:00:00Z'), Date.UTC(2026, 8, 1));
  assert.equal(parseTime(1788220800000), 1788220800000);
  assert.equal(parseTime(1788220800), 1788220800000);
  assert.equal(parseTime('1788220800000'), 1788220800000);
  assert.equal(parseTime('yesterday'), null);
});

test('extractRow reads an azure sign-in as indexed, and says why it cannot', () => {
  const profile = resolveProfile('azure-signin');
  const doc = {
    '@timestamp': '2026-09-01T10:00:00Z',
    user: { id: 'u1' },
    event: { outcome: 'failure' },
    // Location from Microsoft's own geolocation (geo.*, autonomous_system_number), not Elastic's GeoIP.
    geo: { city_name: 'Oslo', country_iso_code: 'NO' },
    source: { geo: { city_name: 'Bergen', country_iso_code: 'NO' }, as: { number: 64512 } },
    azure: { signinlogs: { properties: { app_display_name: 'Teams', autonomous_system_number: 2119, device_detail: { browser: 'Chrome 118.0.1' }, status: { error_code: 50126 } } } },
  };
  const out = extractRow(doc, profile);
  assert.ok(out.ok);
  const values = Object.fromEntries(profile.fields.map((f, i) => [f.name, out.row.values[i]]));
  assert.equal(out.row.user, 'u1');
  assert.equal(values.app, 'Teams');
  assert.equal(values.browser, 'Chrome');
  assert.equal(values.error_code, '50126');
  assert.equal(values.asn, '2119');
  assert.equal(values.city, 'Oslo');
  assert.equal(values.os, null);
  const noUser = extractRow({ '@timestamp': '2026-09-01T10:00:00Z' }, profile);
  assert.ok(!noUser.ok && noUser.reason.startsWith('no user key'));
  const badTime = extractRow({ '@timestamp': 'soon', user: { id: 'u1' } }, profile);
  assert.ok(!badTime.ok && badTime.reason.includes('unparseable'));
});

test('a numeric field holding text is a reported problem, not a crash', () => {
  const profile = resolveProfile('generic-ecs', { numeric: ['bytes'], categorical: ['event.action'] });
  const out = extractRow({ '@timestamp': '2026-09-01T10:00:00Z', user: { name: 'a' }, bytes: 'lots', event: { action: 'x' } }, profile);
  assert.ok(out.ok);
  assert.equal(out.row.values[1], null);
  assert.deepEqual(out.problems.map((p) => p.field), ['bytes']);
});

test('unknown profile names the valid ones', () => {
  assert.throws(() => resolveProfile('nope'), /unknown profile "nope"; expected one of: azure-signin/);
});

test('derived features follow Morpheus semantics per user and UTC day', () => {
  const a = new UserActivity();
  const t0 = Date.UTC(2026, 8, 5, 9, 0); // a Saturday
  // [hour, weekend, logcount, locincrement, appincrement, log1p(events in trailing hour),
  //  log1p(events of the same app in the trailing hour)]
  const L = Math.log1p;
  // (apps as action families here, as CloudTrail's services are: Profile.actionFamilies)
  assert.deepEqual(a.observe(t0, 'Oslo|NO', 'Teams', true), ['09', 1, L(0), 1, 1, L(1), L(1)]);
  assert.deepEqual(a.observe(t0 + 10 * 60_000, 'Oslo|NO', 'Outlook', true), ['09', 1, L(1), 1, 2, L(2), L(1)]);
  assert.deepEqual(a.observe(t0 + 30 * 60_000, 'Bergen|NO', 'Teams', true), ['09', 1, L(2), 2, 2, L(3), L(2)]);
  // 61 minutes after the first: it has left the trailing hour (and Teams' trailing hour).
  assert.deepEqual(a.observe(t0 + 61 * 60_000, 'Oslo|NO', 'Teams', true), ['10', 1, L(3), 2, 2, L(3), L(2)]);
  // Next day (Sunday → still weekend) resets the day counters.
  assert.deepEqual(a.observe(t0 + 24 * 3_600_000, 'Oslo|NO', 'Teams', true), ['09', 1, 0, 1, 1, L(1), L(1)]);
  // Monday; no app is a family of its own.
  assert.deepEqual(a.observe(t0 + 48 * 3_600_000, null, null, true), ['09', 0, 0, 0, 0, L(1), L(1)]);
  // An app named like an Object.prototype member is counted like any other.
  const b = new UserActivity();
  assert.equal(b.observe(t0, null, 'constructor', true)[6], L(1));
  assert.equal(b.observe(t0 + 1, null, '__proto__', true)[6], L(1));
  assert.equal(b.observe(t0 + 2, null, 'constructor', true)[6], L(2));
  // A profile whose app is no action family (sign-ins): no familycount.
  assert.equal(new UserActivity().observe(t0, null, 'Teams')[6], null);
});

test('frames group by user, sort by time and append derived features', () => {
  const profile = resolveProfile('generic-ecs', { categorical: ['event.action'] });
  const t = Date.UTC(2026, 8, 1, 12);
  const rows = [
    { inputIndex: 0, row: { user: 'b', time: t + 5, values: ['x'] } },
    { inputIndex: 1, row: { user: 'a', time: t + 9, values: ['y'] } },
    { inputIndex: 2, row: { user: 'a', time: t + 1, values: ['z'] } },
  ];
  const frames = buildUserFrames(rows, profile);
  assert.deepEqual(frames.get('a')!.inputIndex, [2, 1]);
  assert.equal(frames.get('a')!.values[1][0], 'y');
  assert.equal(frames.get('a')!.values[1].length, schemaOf(profile).names.length);
  assert.equal(frames.get('a')!.values[1][3], Math.log1p(1)); // logcount: second event of the day
});

test('encoding: _null and _other slots, kept values by frequency, scaling and null fill', () => {
  const schema = { names: ['app', 'n', 'b'], kinds: ['categorical', 'numeric', 'binary'] as const };
  const rows = [
    ['Teams', 1, 1],
    ['Teams', 3, 0],
    ['Outlook', null, 1],
    [null, 5, null],
  ];
  const enc = fitEncoding({ names: schema.names, kinds: [...schema.kinds] }, rows, { minCount: 1, maxCategories: 1 });
  const app = enc.columns[0];
  assert.ok(app.kind === 'categorical');
  assert.deepEqual(app.vocab, ['_null', '_other', 'Teams']); // Outlook dropped by maxCategories
  const num = enc.columns[1];
  assert.ok(num.kind === 'numeric');
  assert.equal(num.mean, 3);
  assert.equal(num.std, 2); // sample std of 1, 3, 5
  const bin = enc.columns[2];
  assert.ok(bin.kind === 'binary');
  assert.ok(Math.abs(bin.mean - 2 / 3) < 1e-12);

  const layout = layoutOf(enc);
  assert.equal(layout.width, 5);
  const x = encodeRows(enc, layout, [['Teams', 5, 1], ['Outlook', null, null], [null, 1, 0]]);
  assert.deepEqual(Array.from(x.subarray(0, 5)), [0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(x.subarray(5, 10)).map((v) => Number(v.toFixed(4))), [0, 1, 0, 0, 0.6667]);
  assert.deepEqual(Array.from(x.subarray(10, 15)), [1, 0, 0, -1, 0]);
});

test('correlated features form one scoring group; derived counts join their anchors', () => {
  const profile = resolveProfile('azure-signin');
  const schema = schemaOf(profile);
  const names = (g: number[]) => g.map((i) => schema.names[i]).sort();
  const groups = schema.groups!.map(names);
  assert.ok(groups.some((g) => g.join() === ['asn', 'city', 'country', 'locincrement', 'source_net'].join()));
  assert.ok(groups.some((g) => g.join() === ['app', 'appincrement', 'resource'].join()));
  assert.ok(groups.some((g) => g.join() === ['hour', 'weekend'].join()));
  // Every column is in exactly one group.
  const all = schema.groups!.flat().sort((a, b) => a - b);
  assert.deepEqual(all, schema.names.map((_, i) => i));
});

test("the target group is the one holding the profile's shared-novelty features (what a user reached)", () => {
  const names = (schema: ReturnType<typeof schemaOf>, g: number) => schema.groups![g].map((i) => schema.names[i]).sort().join();
  const azure = schemaOf(resolveProfile('azure-signin'));
  assert.equal(names(azure, azure.target!), 'app,appincrement,resource');
  const ct = schemaOf(resolveProfile('cloudtrail'));
  assert.equal(names(ct, ct.target!), 'action,appincrement,provider,read_only');
  // Features in different groups, one the profile lacks, or no rule: no target group.
  const profile = resolveProfile('azure-signin');
  assert.equal(schemaOf({ ...profile, sharedNovelty: { features: ['app', 'country'], users: 5, windowHours: 72 } }).target, undefined);
  assert.equal(schemaOf({ ...profile, sharedNovelty: { features: ['app', 'no_such_feature'], users: 5, windowHours: 72 } }).target, undefined);
  assert.equal(schemaOf({ ...profile, sharedNovelty: undefined }).target, undefined);
});

test('evidence: each group counts once, by its largest z, growing as √z; anomaly_score is the plain mean', () => {
  const z = Float64Array.from([9, 5, 4, 0, 4]);
  assert.equal(evidence(z, [[0, 1, 2], [3], [4]]), 3 + 0 + 2);
  assert.equal(evidence(z, undefined), 3 + Math.sqrt(5) + 2 + 0 + 2);
  assert.equal(mean(z), 22 / 5);
  // Three moderate aspects outweigh one strong one.
  assert.ok(evidence(Float64Array.from([4, 4, 4]), undefined) > evidence(Float64Array.from([16, 0, 0]), undefined));
});

test("travel: a new place with the user's familiar device weighs less; with an unfamiliar device, fully", () => {
  const azure = schemaOf(resolveProfile('azure-signin'));
  const travel = azure.travel!;
  assert.ok(travel, 'azure-signin sets Profile.travel');
  const groups = azure.groups!;
  const country = azure.names.indexOf('country');
  const device = azure.names.indexOf('device');
  assert.ok(groups[travel.place].includes(country) && groups[travel.device].includes(device));
  const z = new Float64Array(azure.names.length);
  z[country] = 8; // a country never seen
  const trip = evidence(z, groups, travel);
  assert.equal(trip, Math.sqrt(8 * travel.weight));
  z[device] = 5; // ... reached from a device the user does not have
  assert.equal(evidence(z, groups, travel), Math.sqrt(8) + Math.sqrt(5));
  z[device] = travel.familiarZ; // familiar enough
  assert.equal(evidence(z, groups, travel), Math.sqrt(8 * travel.weight) + Math.sqrt(travel.familiarZ));
  // Without the rule (other profiles, older models) the place counts fully.
  z[device] = 0;
  assert.equal(evidence(z, groups), Math.sqrt(8));
  assert.equal(schemaOf(resolveProfile('cloudtrail')).travel, undefined);
  // A travel rule whose device group a model lacks changes nothing (never a crash), nor one whose
  // groups are not numbers a stored model could hold (read from disk or Elasticsearch).
  assert.equal(evidence(z, groups, { ...travel, device: groups.length + 3 }), Math.sqrt(8));
  assert.equal(evidence(z, groups, { ...travel, place: -1 }), Math.sqrt(8));
  assert.equal(evidence(z, groups, { ...travel, explains: 5 as unknown as number[] }), Math.sqrt(8));
  assert.equal(evidence(z, groups, { ...travel, explains: [groups.length] }), Math.sqrt(8));
});

test("travel: somewhere new on the user's own device, the trip also explains the hour and Entra's risk verdict; at home they count fully", () => {
  const azure = schemaOf(resolveProfile('azure-signin'));
  const travel = azure.travel!;
  const groups = azure.groups!;
  const [country, hour, risk, app] = ['country', 'hour', 'risk', 'app'].map((n) => azure.names.indexOf(n));
  const groupOf = (column: number): number => groups.findIndex((g) => g.includes(column));
  assert.deepEqual([...travel.explains!].sort(), [groupOf(hour), groupOf(risk)].sort());
  const z = new Float64Array(azure.names.length);
  z[hour] = 6; // working hours in another time zone
  z[risk] = 4; // Entra: "low", unfamiliar sign-in properties
  z[app] = 3; // what the user did is not the trip's doing
  // At home (the place familiar) a night-time sign-in keeps its hour, even on the user's own laptop.
  assert.equal(evidence(z, groups, travel), Math.sqrt(6) + Math.sqrt(4) + Math.sqrt(3));
  z[country] = travel.newPlaceZ!;
  const w = travel.weight;
  assert.equal(evidence(z, groups, travel), Math.sqrt(travel.newPlaceZ! * w) + Math.sqrt(6 * w) + Math.sqrt(4 * w) + Math.sqrt(3));
  // The same new place from a device the user does not have: nothing is explained away.
  z[azure.names.indexOf('device')] = 5;
  assert.equal(evidence(z, groups, travel), Math.sqrt(travel.newPlaceZ!) + Math.sqrt(6) + Math.sqrt(4) + Math.sqrt(3) + Math.sqrt(5));
});

test('failed sign-ins count at the profile discount; cloudtrail failures count fully', () => {
  const azure = schemaOf(resolveProfile('azure-signin'));
  const outcome = azure.names.indexOf('outcome');
  const row = azure.names.map(() => null as string | null);
  row[outcome] = 'failure';
  assert.equal(weightOf(row, azure), 0.5);
  row[outcome] = 'success';
  assert.equal(weightOf(row, azure), 1);
  const ct = schemaOf(resolveProfile('cloudtrail'));
  assert.equal(ct.discount, undefined);
});

test('a display name rides along when the user key is an opaque id', () => {
  const doc = { '@timestamp': '2026-09-01T10:00:00Z', user: { id: '2ce85a15-8640', name: 'mpliftr' } };
  const out = extractRow(doc, resolveProfile('azure-signin'));
  assert.ok(out.ok);
  assert.equal(out.row.user, '2ce85a15-8640');
  assert.equal(out.row.label, 'mpliftr');
  const overridden = extractRow(doc, resolveProfile('azure-signin', { userField: 'user.name' }));
  assert.ok(overridden.ok);
  assert.equal(overridden.row.label, undefined, 'no label when the key is already the name');
});
