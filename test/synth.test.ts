import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawEvent } from '../server/engine/types';
import { eventId, generate, writeDataset, type SynthDataset, type SynthOptions, type SynthProfile } from '../datasets/synth';

/** Value at a dotted path through nested objects (never a dotted key). */
function get(doc: unknown, dotted: string): unknown {
  let cur: unknown = doc;
  for (const k of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function keysDeep(doc: unknown, out: Set<string>, prefix = ''): Set<string> {
  if (doc !== null && typeof doc === 'object') {
    if (Array.isArray(doc)) for (const v of doc) keysDeep(v, out, prefix);
    else for (const [k, v] of Object.entries(doc)) {
      out.add(k);
      keysDeep(v, out, `${prefix}${k}.`);
    }
  }
  return out;
}

const SMALL: Record<SynthProfile, Omit<SynthOptions, 'profile' | 'seed'>> = {
  'azure-signin': { users: 40, trainDays: 12, testDays: 4, compromisedUsers: 5 },
  okta: { users: 40, trainDays: 12, testDays: 4, compromisedUsers: 5 },
  duo: { users: 40, trainDays: 12, testDays: 4, compromisedUsers: 5 },
  cloudtrail: { users: 30, trainDays: 10, testDays: 4, compromisedUsers: 6 },
  process: { users: 24, trainDays: 8, testDays: 3, compromisedUsers: 4, eventsPerUserPerDay: 25 },
};

const cache = new Map<string, SynthDataset>();
function dataset(profile: SynthProfile, seed = 11): SynthDataset {
  const key = `${profile}:${seed}`;
  let ds = cache.get(key);
  if (!ds) {
    ds = generate({ profile, seed, ...SMALL[profile] });
    cache.set(key, ds);
  }
  return ds;
}

const PROFILES: SynthProfile[] = ['azure-signin', 'okta', 'duo', 'cloudtrail', 'process'];

test('deterministic for a seed, different for another seed', () => {
  for (const p of ['azure-signin', 'cloudtrail', 'process'] as SynthProfile[]) {
    const a = generate({ profile: p, seed: 5, ...SMALL[p] });
    const b = generate({ profile: p, seed: 5, ...SMALL[p] });
    const c = generate({ profile: p, seed: 6, ...SMALL[p] });
    assert.equal(JSON.stringify(a), JSON.stringify(b), `${p}: same seed, same output`);
    assert.notEqual(JSON.stringify(a.train.slice(0, 50)), JSON.stringify(c.train.slice(0, 50)), `${p}: another seed differs`);
  }
});

for (const p of PROFILES) {
  test(`${p}: attacks only in test, truth consistent, ids unique, sorted, split by time`, () => {
    const ds = dataset(p);
    assert.ok(ds.train.length > 0 && ds.test.length > 0);
    const trainIds = ds.train.map((e) => eventId(e, p));
    const testIds = ds.test.map((e) => eventId(e, p));
    const all = new Set([...trainIds, ...testIds]);
    assert.equal(all.size, trainIds.length + testIds.length, 'every event has its own id');
    const testSet = new Set(testIds);
    const trainSet = new Set(trainIds);
    assert.ok(ds.truth.attackEventIds.length > 0);
    for (const id of ds.truth.attackEventIds) {
      assert.ok(testSet.has(id), `attack event ${id} is in test`);
      assert.ok(!trainSet.has(id), `attack event ${id} is not in train`);
    }
    assert.equal(new Set(ds.truth.compromisedUsers).size, ds.truth.compromisedUsers.length, 'one attack per user');
    assert.equal(ds.truth.compromisedUsers.length, SMALL[p].compromisedUsers);
    assert.deepEqual(ds.truth.attacks.map((a) => a.user), ds.truth.compromisedUsers);
    assert.deepEqual(ds.truth.attacks.flatMap((a) => a.eventIds), ds.truth.attackEventIds);
    const testUsers = new Set(ds.test.map((e) => String(get(e, ds.userField))));
    for (const u of ds.truth.compromisedUsers) assert.ok(testUsers.has(u), `compromised ${u} appears in test`);
    // Attack events belong to the attacked user.
    const byId = new Map(ds.test.map((e) => [eventId(e, p), e]));
    for (const a of ds.truth.attacks) {
      for (const id of a.eventIds) assert.equal(String(get(byId.get(id), ds.userField)), a.user);
      assert.ok(Date.parse(a.start) >= Date.parse(String(ds.test[0]?.['@timestamp'])) - 1);
    }
    if (p !== 'process') assert.ok(new Set(ds.truth.attacks.map((a) => a.kind)).size >= Math.min(4, ds.truth.attacks.length), 'attack kinds are mixed');
    const times = (es: RawEvent[]) => es.map((e) => Date.parse(String(e['@timestamp'])));
    const tr = times(ds.train);
    const te = times(ds.test);
    for (let i = 1; i < tr.length; i++) assert.ok((tr[i] as number) >= (tr[i - 1] as number), 'train sorted');
    for (let i = 1; i < te.length; i++) assert.ok((te[i] as number) >= (te[i - 1] as number), 'test sorted');
    const start = Date.parse('2026-09-01T00:00:00Z');
    const boundary = start + SMALL[p].trainDays * 86_400_000;
    assert.ok((tr[0] as number) >= start && (tr[tr.length - 1] as number) < boundary);
    assert.ok((te[0] as number) >= boundary && (te[te.length - 1] as number) < boundary + SMALL[p].testDays * 86_400_000);
  });

  test(`${p}: documents are nested like the integration's, with no labels and no dotted keys`, () => {
    const ds = dataset(p);
    const keys = new Set<string>();
    for (const e of ds.train.slice(0, 300).concat(ds.test.slice(0, 300))) keysDeep(e, keys);
    for (const k of keys) {
      assert.ok(!k.includes('.'), `no dotted key (${k})`);
      assert.ok(!/attack|compromis|malicious|label|truth|is_bad/i.test(k), `no label field (${k})`);
    }
  });
}

function spotCheck(e: RawEvent, paths: [string, 'string' | 'number' | 'boolean' | 'array' | 'object'][]): void {
  for (const [p, type] of paths) {
    const v = get(e, p);
    if (type === 'array') assert.ok(Array.isArray(v), `${p} is an array`);
    else assert.equal(typeof v, type, `${p} is a ${type} (got ${JSON.stringify(v)})`);
  }
}

test('azure-signin: shape of the reference documents (success and failure)', () => {
  const ds = dataset('azure-signin');
  const P = 'azure.signinlogs.properties';
  const all = ds.train.concat(ds.test);
  for (const e of all.slice(0, 500)) {
    spotCheck(e, [
      ['@timestamp', 'string'],
      ['user.id', 'string'],
      ['user.name', 'string'],
      [`${P}.user_principal_name`, 'string'],
      [`${P}.id`, 'string'],
      [`${P}.app_display_name`, 'string'],
      [`${P}.client_app_used`, 'string'],
      [`${P}.device_detail.browser`, 'string'],
      [`${P}.device_detail.operating_system`, 'string'],
      [`${P}.status.error_code`, 'number'],
      [`${P}.authentication_requirement`, 'string'],
      [`${P}.conditional_access_status`, 'string'],
      [`${P}.is_interactive`, 'boolean'],
      ['source.ip', 'string'],
      ['source.geo.country_iso_code', 'string'],
      ['source.geo.location.lat', 'number'],
      ['event.outcome', 'string'],
      ['event.action', 'string'],
      ['event.category', 'array'],
    ]);
    assert.equal(get(e, 'event.id'), get(e, `${P}.id`));
    assert.equal(get(e, 'user.id'), get(e, `${P}.user_id`));
    const code = get(e, `${P}.status.error_code`);
    assert.equal(get(e, 'event.outcome'), code === 0 ? 'success' : 'failure');
    if (code !== 0) assert.equal(typeof get(e, 'azure.signinlogs.result_description'), 'string');
    const asn = get(e, 'source.as.number');
    if (asn !== undefined) assert.equal(typeof asn, 'number');
  }
  const codes = new Set(all.map((e) => get(e, `${P}.status.error_code`)));
  for (const c of [0, 50126, 50140, 50074]) assert.ok(codes.has(c), `benign error code ${c} occurs`);
  const fails = all.filter((e) => get(e, 'event.outcome') === 'failure').length / all.length;
  assert.ok(fails > 0.02 && fails < 0.2, `failure share ${fails}`);
});

test('cloudtrail: AssumedRole and IAMUser identities as the integration indexes them', () => {
  const ds = dataset('cloudtrail');
  const all = ds.train.concat(ds.test);
  const types = new Set<unknown>();
  for (const e of all.slice(0, 3000)) {
    spotCheck(e, [
      ['user.name', 'string'],
      ['event.provider', 'string'],
      ['event.action', 'string'],
      ['event.outcome', 'string'],
      ['event.id', 'string'],
      ['cloud.region', 'string'],
      ['aws.cloudtrail.user_identity.type', 'string'],
      ['aws.cloudtrail.user_identity.arn', 'string'],
      ['source.address', 'string'],
    ]);
    const type = get(e, 'aws.cloudtrail.user_identity.type');
    types.add(type);
    const name = String(get(e, 'user.name'));
    if (type === 'AssumedRole') {
      assert.ok(String(get(e, 'aws.cloudtrail.user_identity.session_context.session_issuer.arn')).endsWith(`/${name}`), 'user.name is the role name');
      assert.ok(String(get(e, 'aws.cloudtrail.user_identity.arn')).includes(`:assumed-role/${name}/`));
    } else assert.ok(String(get(e, 'aws.cloudtrail.user_identity.arn')).endsWith(`:user/${name}`) || String(get(e, 'aws.cloudtrail.user_identity.arn')).endsWith(`/${name}`));
    assert.ok(String(get(e, 'event.provider')).endsWith('.amazonaws.com'));
    if (get(e, 'event.outcome') === 'failure') assert.ok(get(e, 'aws.cloudtrail.error_code') !== undefined || get(e, 'aws.cloudtrail.error_message') !== undefined);
    if (get(e, 'source.ip') !== undefined) assert.equal(typeof get(e, 'source.geo.country_iso_code'), 'string');
  }
  assert.ok(types.has('AssumedRole') && types.has('IAMUser'));
  const kinds = new Set(ds.truth.attacks.map((a) => a.kind));
  assert.ok(kinds.has('recon') || kinds.has('access_denied_storm') || kinds.has('privilege_escalation'));
});

test('okta and duo: integration fields present', () => {
  const okta = dataset('okta');
  for (const e of okta.train.slice(0, 500)) {
    spotCheck(e, [
      ['okta.actor.id', 'string'],
      ['okta.actor.alternate_id', 'string'],
      ['okta.actor.display_name', 'string'],
      ['event.action', 'string'],
      ['okta.client.ip', 'string'],
      ['okta.client.zone', 'string'],
      ['okta.client.device', 'string'],
      ['okta.client.user_agent.raw_user_agent', 'string'],
      ['okta.outcome.result', 'string'],
      ['source.geo.country_iso_code', 'string'],
      ['event.category', 'array'],
    ]);
    assert.equal(get(e, 'event.id'), get(e, 'okta.uuid'));
  }
  const actions = new Set(okta.train.map((e) => get(e, 'event.action')));
  for (const a of ['user.session.start', 'user.authentication.sso', 'user.authentication.auth_via_mfa', 'policy.evaluate_sign_on']) assert.ok(actions.has(a), a);
  const duo = dataset('duo');
  for (const e of duo.train.slice(0, 500)) {
    spotCheck(e, [
      ['user.id', 'string'],
      ['user.name', 'string'],
      ['cisco_duo.auth.application.name', 'string'],
      ['cisco_duo.auth.factor', 'string'],
      ['cisco_duo.auth.result', 'string'],
      ['cisco_duo.auth.reason', 'string'],
      ['cisco_duo.auth.txid', 'string'],
      ['source.geo.country_iso_code', 'string'],
      ['event.outcome', 'string'],
    ]);
  }
  const fatigue = duo.truth.attacks.find((a) => a.kind === 'mfa_fatigue');
  if (fatigue) {
    const byId = new Map(duo.test.map((e) => [eventId(e, 'duo'), e]));
    const results = fatigue.eventIds.map((id) => get(byId.get(id), 'cisco_duo.auth.result'));
    assert.ok(results.filter((r) => r === 'denied').length >= 3 && results.includes('success'), 'MFA fatigue: denied pushes, then one accepted');
  }
});

test('process: Endpoint process start events, discovery bursts on the attacked hosts', () => {
  const ds = dataset('process');
  for (const e of ds.train.slice(0, 500)) {
    spotCheck(e, [
      ['process.name', 'string'],
      ['process.executable', 'string'],
      ['process.parent.name', 'string'],
      ['host.name', 'string'],
      ['user.name', 'string'],
      ['event.id', 'string'],
    ]);
    assert.deepEqual(get(e, 'event.category'), ['process']);
    assert.deepEqual(get(e, 'event.type'), ['start']);
  }
  const hosts = new Set(ds.train.map((e) => get(e, 'host.name')));
  const discovery = /^(whoami|net1?|sc|query|quser|ipconfig|nltest|systeminfo|tasklist|netstat|arp|route|hostname|nslookup|wmic|reg|cmdkey|klist|id|uname|ps|ss|ip|cat|find|crontab|sudo|ls|curl|env|grep|base64|rundll32|procdump64|vssadmin|adfind)(\.exe)?$/i;
  const byId = new Map(ds.test.map((e) => [eventId(e, 'process'), e]));
  for (const a of ds.truth.attacks) {
    assert.ok(hosts.has(a.user), 'compromisedUsers holds host names');
    const names = a.eventIds.map((id) => String(get(byId.get(id), 'process.name')));
    assert.ok(names.filter((n) => discovery.test(n)).length >= 4, `${a.kind} on ${a.user}: discovery commands (${names.join(', ')})`);
  }
  // Benign hosts use discovery tools too (logon scripts, SCCM, admins): a name alone is no proof.
  const benignDiscovery = ds.train.filter((e) => /^(net|ipconfig|whoami|nltest|sc)\.exe$/i.test(String(get(e, 'process.name')))).length;
  assert.ok(benignDiscovery > 0, 'benign discovery-tool use exists');
});

/** Per user: the set of values of a feature in a list of events. */
function valuesByUser(events: RawEvent[], userField: string, f: (e: RawEvent) => string): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  for (const e of events) {
    const u = String(get(e, userField));
    let s = m.get(u);
    if (!s) m.set(u, (s = new Set()));
    s.add(f(e));
  }
  return m;
}

test('benign users also show novelty in the test period (new places, networks, devices, apps)', () => {
  for (const p of ['azure-signin', 'okta'] as SynthProfile[]) {
    const ds = generate({ profile: p, seed: 21, users: 80, trainDays: 21, testDays: 7, compromisedUsers: 4 });
    const attack = new Set(ds.truth.attackEventIds);
    const bad = new Set(ds.truth.compromisedUsers);
    const benignTest = ds.test.filter((e) => !attack.has(eventId(e, p)));
    const feats: ((e: RawEvent) => string)[] = [
      (e) => String(get(e, 'source.geo.city_name')),
      (e) => String(get(e, 'source.as.number')),
      (e) => `${String(get(e, 'user_agent.name'))}|${String(get(e, 'user_agent.os.name'))}`,
      (e) => String(get(e, p === 'okta' ? 'event.action' : 'azure.signinlogs.properties.app_display_name')),
    ];
    let novel = 0;
    let users = 0;
    const trainBy = feats.map((f) => valuesByUser(ds.train, ds.userField, f));
    const testBy = feats.map((f) => valuesByUser(benignTest, ds.userField, f));
    for (const u of (testBy[0] as Map<string, Set<string>>).keys()) {
      if (bad.has(u) || !(trainBy[0] as Map<string, Set<string>>).has(u)) continue;
      users++;
      if (feats.some((_, i) => [...((testBy[i] as Map<string, Set<string>>).get(u) ?? [])].some((v) => !(trainBy[i] as Map<string, Set<string>>).get(u)?.has(v)))) novel++;
    }
    assert.ok(users > 20);
    assert.ok(novel / users >= 0.15, `${p}: ${novel} of ${users} innocent users show something new in test`);
    assert.ok(novel / users <= 0.9, `${p}: not everything is new (${novel}/${users})`);
  }
});

test('heavy-tailed activity: quiet users and very active users coexist', () => {
  const ds = generate({ profile: 'azure-signin', seed: 8, users: 120, trainDays: 21, testDays: 3, compromisedUsers: 0 });
  const counts = [...valuesByUser(ds.train, ds.userField, (e) => eventId(e, 'azure-signin')).values()].map((s) => s.size).sort((a, b) => a - b);
  assert.ok((counts[0] as number) < 20, `a quiet user (${counts[0]})`);
  assert.ok((counts[counts.length - 1] as number) > 600, `a very active user (${counts[counts.length - 1]})`);
  assert.equal(ds.truth.attackEventIds.length, 0);
});

test('background spray noise: failed attempts only, outside the truth, switchable', () => {
  const opts = { profile: 'azure-signin' as const, seed: 13, users: 40, trainDays: 20, testDays: 5, compromisedUsers: 3 };
  const noisy = generate(opts);
  const clean = generate({ ...opts, backgroundNoise: false });
  const ids = (d: SynthDataset) => new Set(d.train.concat(d.test).map((e) => eventId(e, 'azure-signin')));
  const cleanIds = ids(clean);
  const extra = noisy.train.concat(noisy.test).filter((e) => !cleanIds.has(eventId(e, 'azure-signin')));
  assert.ok(extra.length > 0, 'noise present by default');
  assert.equal(ids(noisy).size, cleanIds.size + extra.length, 'noise only adds events');
  assert.deepEqual(noisy.truth, clean.truth, 'noise is not in the truth');
  for (const e of extra) assert.equal(get(e, 'event.outcome'), 'failure');
});

test('writeDataset writes train/test NDJSON and truth.json', () => {
  const ds = dataset('duo');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'synth-'));
  const files = writeDataset(ds, path.join(dir, 'out'));
  const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines(files.trainPath).length, ds.train.length);
  assert.equal(lines(files.testPath).length, ds.test.length);
  assert.deepEqual(JSON.parse(lines(files.testPath)[0] as string), ds.test[0]);
  const truth = JSON.parse(readFileSync(files.truthPath, 'utf8')) as { compromisedUsers: string[]; attackEventIds: string[]; userField: string };
  assert.deepEqual(truth.compromisedUsers, ds.truth.compromisedUsers);
  assert.deepEqual(truth.attackEventIds, ds.truth.attackEventIds);
  assert.equal(truth.userField, 'user.id');
});

test('options are checked', () => {
  assert.throws(() => generate({ profile: 'azure-signin', seed: 1, users: 3, trainDays: 5, testDays: 2, compromisedUsers: 4 }), /compromisedUsers/);
  assert.throws(() => generate({ profile: 'azure-signin', seed: 1, users: 3, trainDays: 0, testDays: 2, compromisedUsers: 0 }), /trainDays/);
  assert.throws(() => generate({ profile: 'nope' as SynthProfile, seed: 1, users: 3, trainDays: 2, testDays: 2, compromisedUsers: 0 }), /profile/);
  assert.throws(() => generate({ profile: 'okta', seed: 1, users: 3, trainDays: 2, testDays: 2, compromisedUsers: 0, start: 'yesterday' }), /start/);
  const ds = generate({ profile: 'okta', seed: 1, users: 5, trainDays: 2, testDays: 1, compromisedUsers: 0, start: '2027-03-01T00:00:00Z' });
  assert.ok(String(ds.train[0]?.['@timestamp']).startsWith('2027-03-01'));
});
