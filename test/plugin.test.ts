// The Kibana server plugin as Kibana runs it: the BUILT plugin folder loaded by the core stand-in
// (test/kibana_harness), its routes called over HTTP as users holding the feature's `all` or `read`
// privilege (or none), against the in-memory Elasticsearch test server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import { buildPlugin } from '../scripts/build';
import { EsTestServer } from './es_server/server';
import { KibanaHarness, startKibana, type HarnessOptions } from './kibana_harness';
import { schema as harnessSchema, type Type } from './kibana_harness/config_schema';
import type { ConfigSchemaApi } from '../server/kibana/types';
import { SavedObjectsStore, type RegisteredType } from './kibana_harness/saved_objects';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { Fingerprint, type FingerprintJson } from '../server/engine/model/fingerprint';
import { makeRng } from '../server/engine/model/rng';
import { SourceKeys } from '../server/kibana/source_keys';
import { errorResponse } from '../server/kibana/router';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { DEFAULTS, PLUGIN_ID, SETTINGS_KEYS } from '../common/fields';

const SOURCES = [{ id: 'azure', profile: 'azure-signin' }];
let outDir: string;
let pluginDir: string;
const es = new EsTestServer();
let esClient: Client;

before(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'dfp-plugin-test-'));
  ({ pluginDir } = await buildPlugin({ kibanaVersion: '8.19.2', outDir, zip: false }));
  await es.start();
  esClient = new Client({ node: es.url, maxRetries: 0 });
  await initBackend('wasm');
});
after(async () => {
  await esClient.close();
  await es.stop();
  rmSync(outDir, { recursive: true, force: true });
});

/** A harness over a fresh cluster; stopped by the returned function. */
async function kibana(config: Record<string, unknown> = { sources: SOURCES }, opts: Partial<Omit<HarnessOptions, 'pluginDir' | 'esUrl' | 'config'>> = {}): Promise<KibanaHarness> {
  es.reset();
  return startKibana({ pluginDir, esUrl: es.url, config, ...opts });
}

/** A really trained tiny fingerprint (engine code), for the models routes to find. */
function fingerprint(user: string | null, version: number): FingerprintJson {
  const rng = makeRng(version);
  const rows = Array.from({ length: 40 }, () => [rng() < 0.7 ? 'mail' : 'crm', rng() * 3]);
  const fp = Fingerprint.train({
    profile: 'azure-signin',
    user,
    schema: { names: ['app', 'n'], kinds: ['categorical', 'numeric'] },
    rows,
    times: rows.map((_, i) => Date.UTC(2026, 2, 1) + i * 3_600_000),
    config: { ...DEFAULT_AUTOENCODER_CONFIG, encoderLayers: [8, 4], decoderLayers: [8], epochs: 2, seed: version },
    backend: 'wasm',
    version,
  });
  const json = fp.json;
  fp.dispose();
  return json;
}

/** The `authorization` headers Elasticsearch saw on requests to a path matching `re`. */
const authsOn = (re: RegExp): string[] => es.requests.filter((r) => re.test(r.path)).map((r) => String(r.headers.authorization));
const basic = (user: string, pw: string): string => `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;

describe('registration', () => {
  let h: KibanaHarness;
  before(async () => (h = await kibana()));
  after(async () => h.stop());

  it('registers the feature: read grants dfp_read, all grants dfp_read and dfp_manage, over our saved objects and global settings', () => {
    assert.equal(h.features.length, 1);
    const f = h.features[0];
    assert.equal(f.id, PLUGIN_ID);
    assert.ok(f.app.includes(PLUGIN_ID));
    assert.deepEqual([...f.privileges.all.api].sort(), ['dfp_manage', 'dfp_read']);
    assert.deepEqual(f.privileges.read.api, ['dfp_read']);
    const ours = h.pluginTypes;
    assert.deepEqual([...f.privileges.all.savedObject.all].sort(), [...ours, 'config-global'].sort(), 'managers write every type of ours, and global advanced settings');
    assert.deepEqual(f.privileges.read.savedObject.all, [], 'readers write nothing');
    // Kibana itself grants read on config / config-global to every feature privilege.
    for (const t of f.privileges.read.savedObject.read) assert.ok(ours.includes(t), `${t} is registered`);
  });

  it('registers hidden, space-agnostic saved objects with a first model version, the source key encrypted', () => {
    assert.deepEqual([...h.pluginTypes].sort(), ['dfp-settings', 'dfp-source', 'dfp-source-key']);
    for (const name of h.pluginTypes) {
      const t = h.savedObjects.types.get(name)!;
      assert.equal(t.hidden, true, t.name);
      assert.equal(t.namespaceType, 'agnostic', t.name);
      assert.equal(t.switchToModelVersionAt, undefined, 'not set: 8.10–9.0 default it, 9.1 removed it');
      const versions = t.modelVersions as Record<string, { changes: unknown[]; schemas: { create: Type<unknown>; forwardCompatibility: Type<unknown> } }>;
      assert.deepEqual(Object.keys(versions), ['1'], t.name);
      assert.deepEqual(versions['1'].changes, [], `${t.name}: version 1 is the mappings as declared`);
    }
    assert.deepEqual([...h.savedObjects.encrypted.get('dfp-source-key')!], ['apiKey']);
  });

  it("model version schemas: create refuses what the type does not hold, forwardCompatibility drops what a newer version added", () => {
    const v1 = (name: string) => (h.savedObjects.types.get(name)!.modelVersions as Record<string, { schemas: { create: Type<unknown>; forwardCompatibility: Type<unknown> } }>)['1'].schemas;
    const key = { sourceId: 'azure', keyId: 'k', keyName: 'dfp-source-azure', owner: 'admin', createdAt: '2026-03-01T00:00:00.000Z', apiKey: 'x' };
    assert.deepEqual(v1('dfp-source-key').create.validate(key), key);
    assert.throws(() => v1('dfp-source-key').create.validate({ ...key, extra: 1 }), /\[extra\]: definition for this key is missing/);
    assert.throws(() => v1('dfp-source-key').create.validate({ ...key, owner: undefined }), /\[owner\]: expected value of type \[string\]/);
    assert.deepEqual(v1('dfp-source-key').forwardCompatibility.validate({ ...key, addedLater: true }), key);
    const source = { config: { id: 'azure', profile: 'azure-signin', nested: { kept: 1 } }, position: 0, updatedAt: '2026-03-01T00:00:00.000Z' };
    assert.deepEqual(v1('dfp-source').create.validate(source), source, 'the source config is kept whole');
    assert.deepEqual(v1('dfp-settings').forwardCompatibility.validate({ updatedAt: 'now', sourcesSaved: true, later: 1 }), { updatedAt: 'now', sourcesSaved: true });
  });

  it('registers global advanced settings with defaults, descriptions and validating schemas', () => {
    const keys = Object.values(SETTINGS_KEYS);
    assert.deepEqual([...h.uiSettings.keys()].sort(), [...keys].sort());
    for (const key of keys) {
      const { params, global } = h.uiSettings.get(key)!;
      assert.equal(global, true, key);
      assert.ok(params.description.length > 80, `${key} explains its effect`);
      assert.deepEqual(params.category, ['digitalFingerprinting']);
    }
    assert.equal(h.uiSettings.get(SETTINGS_KEYS.zscoreThreshold)!.params.value, DEFAULTS.zscoreThreshold);
    assert.equal(h.uiSettings.get(SETTINGS_KEYS.minHistory)!.params.value, DEFAULTS.minHistory);
    const z = h.uiSettings.get(SETTINGS_KEYS.zscoreThreshold)!.params.schema;
    assert.throws(() => z.validate(-1), /greater than/);
    assert.throws(() => z.validate('high'), /number/);
    assert.equal(z.validate(4.5), 4.5);
    const minHistory = h.uiSettings.get(SETTINGS_KEYS.minHistory)!.params.schema;
    assert.throws(() => minHistory.validate(2.5), /whole number/);
  });

  it('registers every route of the table with its privilege; public ones under /api/dfp too', () => {
    const byKey = new Map(h.routes.map((r) => [`${r.method} ${r.path}`, r]));
    assert.equal(byKey.get('get /internal/dfp/settings')!.config.security!.authz!.requiredPrivileges![0], 'dfp_read');
    assert.equal(byKey.get('put /internal/dfp/settings')!.config.security!.authz!.requiredPrivileges![0], 'dfp_manage');
    assert.equal(byKey.get('post /internal/dfp/models/rollback')!.config.security!.authz!.requiredPrivileges![0], 'dfp_manage');
    assert.equal(byKey.get('post /api/dfp/jobs')!.config.options!.access, 'public');
    assert.equal(byKey.get('post /internal/dfp/jobs')!.config.options!.access, 'internal');
    assert.ok(!byKey.has('get /api/dfp/settings'), 'settings are for the app only');
    for (const r of h.routes) assert.match(r.path, /^\/(internal|api)\/dfp\//);
  });
});

describe('HTTP API', () => {
  let h: KibanaHarness;
  before(async () => (h = await kibana()));
  after(async () => h.stop());

  it('enforces privileges: read routes for analysts, manage routes for managers only', async () => {
    assert.equal((await h.request('GET', '/internal/dfp/settings', { user: 'analyst' })).status, 200);
    const denied = await h.request('PUT', '/internal/dfp/settings', { user: 'analyst', body: { zscoreThreshold: 5 } });
    assert.equal(denied.status, 403);
    assert.match(denied.body.message, /dfp_manage/);
    assert.equal((await h.request('GET', '/internal/dfp/settings', { user: 'outsider' })).status, 403);
    assert.equal((await h.request('POST', '/api/dfp/jobs', { user: 'analyst', body: { type: 'train' } })).status, 403);
    assert.equal((await h.request('GET', '/internal/dfp/settings', { user: null })).status, 401);
  });

  it('answers invalid input with 400 naming the field', async () => {
    const body = await h.request('PUT', '/internal/dfp/settings', { body: { zscoreThreshold: 'high' } });
    assert.equal(body.status, 400);
    assert.match(body.body.message, /^\[request body\.zscoreThreshold\]: /);
    const query = await h.request('GET', '/internal/dfp/jobs', { user: 'analyst', query: { limit: '0' } });
    assert.equal(query.status, 400);
    assert.match(query.body.message, /\[request query\.limit\]/);
    const missing = await h.request('POST', '/api/dfp/jobs', { body: {} });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /\[request body\.type\]/);
    const several = await h.request('PUT', '/internal/dfp/settings', { body: { zscoreThreshold: -1, tsThreshold: 'x' } });
    assert.equal(several.status, 400);
    assert.match(several.body.message, /\[zscoreThreshold\].*\[tsThreshold\]|\[tsThreshold\].*\[zscoreThreshold\]/);
  });

  it("answers Kibana's own refusals (Boom errors, recognised by shape) with their status, and only other failures with 500", () => {
    const boom = (statusCode: number, message: string) => Object.assign(new Error(message), { isBoom: true, output: { statusCode, payload: { statusCode, message } } });
    assert.deepEqual(errorResponse(boom(403, 'Unable to get dfp-settings')), { statusCode: 403, message: 'Unable to get dfp-settings', internal: false });
    assert.deepEqual(errorResponse(boom(400, '[attributes.x]: definition for this key is missing: Bad Request')).statusCode, 400);
    assert.deepEqual(errorResponse(boom(503, 'down')), { statusCode: 500, message: 'down', internal: true });
    assert.deepEqual(errorResponse({ isBoom: true, output: {} }).statusCode, 500, 'a status is needed');
  });

  it('answers a handler\'s HttpError with its status and message', async () => {
    const res = await h.request('GET', '/internal/dfp/models', { user: 'analyst', query: { source: 'nope' } });
    assert.equal(res.status, 404);
    assert.match(res.body.message, /unknown source "nope"/);
  });

  it('answers from the engine, reading Elasticsearch with the caller\'s own credentials', async () => {
    const store = new EsModelStore(esClient);
    for (const json of [fingerprint(null, 1), fingerprint('alice', 1), fingerprint('alice', 2)]) await store.save(json);
    await store.flush();
    es.requests.length = 0;

    const models = await h.request('GET', '/internal/dfp/models', { user: 'analyst', query: { source: 'azure' } });
    assert.equal(models.status, 200, JSON.stringify(models.body));
    assert.deepEqual(models.body.users, [{ user: 'alice', versions: [1, 2], active: 2 }]);
    assert.equal(models.body.generic.length, 1);
    assert.equal(models.body.generic[0].rows, 40);
    const analystAuth = basic('analyst', 'analyst-pw');
    const seen = authsOn(/^\/\.dfp-models/);
    assert.ok(seen.length > 0);
    assert.ok(seen.every((a) => a === analystAuth), `every models read as the analyst, saw ${[...new Set(seen)]}`);

    const rollback = await h.request('POST', '/internal/dfp/models/rollback', { user: 'admin', body: { source: 'azure', user: 'alice', version: 1 } });
    assert.equal(rollback.status, 200, JSON.stringify(rollback.body));
    assert.deepEqual(
      rollback.body.versions.map((v: { version: number; active: boolean }) => [v.version, v.active]),
      [[1, true], [2, false]],
    );
    assert.equal((await new EsModelStore(esClient).load('azure-signin', 'alice'))!.version, 1, 'the stored head moved');
  });
});

describe('settings and API keys for background jobs', () => {
  let h: KibanaHarness;
  before(async () => (h = await kibana({ sources: SOURCES, workers: 2 })));
  after(async () => h.stop());

  it('serves kibana.yml sources until an admin saves some; then grants each new source a key in the admin\'s name, encrypted', async () => {
    const before = await h.request('GET', '/internal/dfp/settings', { user: 'analyst' });
    assert.deepEqual(before.body.sources.map((s: { id: string }) => s.id), ['azure']);
    assert.equal(before.body.sources[0].timeField, '@timestamp', 'source defaults applied');
    assert.equal(h.grantedKeys.length, 0);

    const saved = await h.request('PUT', '/internal/dfp/settings', {
      user: 'admin',
      body: { zscoreThreshold: 6, schedules: { train: '0 3 * * *', score: '*/10 * * * *' }, sources: [...SOURCES, { id: 'trail', profile: 'cloudtrail', writeMode: 'in_place' }] },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.zscoreThreshold, 6);
    assert.deepEqual(saved.body.schedules, { train: '0 3 * * *', score: '*/10 * * * *' });
    assert.deepEqual(saved.body.sources.map((s: { id: string }) => s.id), ['azure', 'trail']);
    assert.equal(h.uiSettingValues.get(SETTINGS_KEYS.zscoreThreshold), 6, 'thresholds live in global advanced settings (config-global)');

    assert.deepEqual(h.grantedKeys.map((k) => [k.name, k.owner, k.metadata?.managed]), [['dfp-source-azure', 'admin', true], ['dfp-source-trail', 'admin', true]]);
    const stored = [...h.savedObjects.objects.values()].filter((o) => o.type === 'dfp-source-key');
    assert.equal(stored.length, 2);
    for (const o of stored) {
      const key = h.grantedKeys.find((k) => k.id === o.attributes.keyId)!;
      assert.equal(o.attributes.owner, 'admin');
      assert.ok(!String(o.attributes.apiKey).includes(key.api_key), 'the key is not stored in clear');
      assert.ok(!String(o.attributes.apiKey).includes(Buffer.from(`${key.id}:${key.api_key}`).toString('base64')));
    }

    // A reader sees the same settings; saving again grants nothing new.
    const read = await h.request('GET', '/internal/dfp/settings', { user: 'analyst' });
    assert.deepEqual(read.body, saved.body);
    await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { sources: [...SOURCES, { id: 'trail', profile: 'cloudtrail', writeMode: 'in_place' }] } });
    assert.equal(h.grantedKeys.length, 2);
  });

  it('runs a source\'s jobs with its key: a Kibana client scoped to it, and a worker connection carrying it', async () => {
    const key = h.grantedKeys.find((k) => k.name === 'dfp-source-azure')!;
    const expected = `ApiKey ${Buffer.from(`${key.id}:${key.api_key}`).toString('base64')}`;
    const logger = { debug() {}, info() {}, warn() {}, error() {}, get: () => logger };
    const keys = new SourceKeys({
      security: h.startContracts.security,
      encryptedSavedObjects: h.startContracts.encryptedSavedObjects,
      canEncrypt: true,
      asScoped: (request) => h.scoped(request.headers),
      esConfig: () => ({ hosts: [es.url] }),
      logger,
    });
    es.requests.length = 0;
    await (await keys.clientFor('azure')).search({ index: 'logs-*', size: 0, allow_no_indices: true });
    assert.deepEqual(authsOn(/_search$/), [expected]);
    assert.deepEqual(await keys.connectionFor('azure'), { url: es.url, apiKey: expected.slice('ApiKey '.length) });
    await assert.rejects(keys.clientFor('unknown'), /no API key/);
  });

  it('starts a job through the API: its worker reaches Elasticsearch with the source\'s key, never as Kibana', async () => {
    const key = h.grantedKeys.find((k) => k.name === 'dfp-source-azure')!;
    const expected = `ApiKey ${Buffer.from(`${key.id}:${key.api_key}`).toString('base64')}`;
    es.requests.length = 0;
    const started = await h.request('POST', '/api/dfp/jobs', { user: 'admin', body: { type: 'score', source: 'azure' } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const run = await h.request('GET', `/api/dfp/jobs/${started.body.runId}`, { user: 'analyst' });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.source, 'azure');
    const stateWrites = es.requests.filter((r) => r.path.startsWith('/.dfp-state') && r.method !== 'GET');
    assert.ok(stateWrites.length > 0, 'the job recorded its run');
    assert.ok(stateWrites.every((r) => r.headers.authorization === expected), 'every job write with the source key');
  });

  it('removing a source revokes its key', async () => {
    const trail = h.grantedKeys.find((k) => k.name === 'dfp-source-trail')!;
    const res = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { sources: SOURCES } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(h.invalidatedKeys.includes(trail.id));
    assert.equal([...h.savedObjects.objects.values()].filter((o) => o.type === 'dfp-source-key').length, 1);
    assert.deepEqual(res.body.sources.map((s: { id: string }) => s.id), ['azure']);
  });

  it("shows admins whose key a source runs with, and renews it in the caller's name", async () => {
    const info = await h.request('GET', '/internal/dfp/sources/azure/key', { user: 'admin' });
    assert.equal(info.status, 200, JSON.stringify(info.body));
    const old = h.grantedKeys.filter((k) => k.name === 'dfp-source-azure').at(-1)!;
    assert.deepEqual([info.body.key.owner, info.body.key.keyId, info.body.key.keyName], ['admin', old.id, 'dfp-source-azure']);
    assert.equal((await h.request('GET', '/internal/dfp/sources/azure/key', { user: 'analyst' })).status, 403);
    const renewed = await h.request('POST', '/internal/dfp/sources/azure/key/renew', { user: 'admin' });
    assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
    assert.notEqual(renewed.body.key.keyId, old.id);
    assert.ok(h.invalidatedKeys.includes(old.id), 'the old key is invalidated');
    const after = await h.request('GET', '/internal/dfp/sources/azure/key', { user: 'admin' });
    assert.equal(after.body.key.keyId, renewed.body.key.keyId);
    assert.equal((await h.request('GET', '/internal/dfp/sources/nope/key', { user: 'admin' })).status, 404);
  });

  it('stop() waits for running jobs to end before it resolves', async () => {
    const started = await h.request('POST', '/api/dfp/jobs', { user: 'admin', body: { type: 'train', source: 'azure' } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await h.stop();
    const run = await new JobRuns(esClient, { index: '.dfp-state' }).get(started.body.runId);
    assert.ok(run && run.status !== 'running', `the run ended (${run?.status}) before stop() resolved`);
  });
});

describe("a source pointed somewhere else runs with the editor's own key", () => {
  let h: KibanaHarness;
  const USERS = {
    admin: { password: 'admin-pw', privilege: 'all' as const },
    second: { password: 'second-pw', privilege: 'all' as const },
    sso: { password: 'sso-pw', privilege: 'all' as const, cannotGrantKeys: true },
    analyst: { password: 'analyst-pw', privilege: 'read' as const },
  };
  const HR = { id: 'hr', profile: 'azure-signin' };
  before(async () => (h = await kibana({ sources: [] }, { users: USERS })));
  after(async () => h.stop());
  const owner = async () => (await h.request('GET', '/internal/dfp/sources/hr/key', { user: 'admin' })).body.key.owner as string;
  const save = (user: string, source: Record<string, unknown>) => h.request('PUT', '/internal/dfp/settings', { user, body: { sources: [source] } });

  it('retargeting the index or write mode grants the editor a key and invalidates the first admin\'s', async () => {
    assert.equal((await save('admin', HR)).status, 200);
    assert.equal(await owner(), 'admin');
    const first = h.grantedKeys.at(-1)!;
    const res = await save('second', { ...HR, index: 'hr-payroll-*', writeMode: 'in_place' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await owner(), 'second', 'the jobs now run with the privileges of whoever chose the new target');
    assert.equal(h.grantedKeys.at(-1)!.owner, 'second');
    assert.ok(h.invalidatedKeys.includes(first.id), "the first admin's key no longer works");
  });

  it('each key-bound field re-keys; other fields and unchanged saves keep the key', async () => {
    let current = { ...HR, index: 'hr-payroll-*', writeMode: 'in_place' } as Record<string, unknown>;
    const keysBefore = h.grantedKeys.length;
    for (const change of [{ settleSeconds: 60 }, { initialLookbackHours: 48 }, {}]) {
      current = { ...current, ...change };
      assert.equal((await save('admin', current)).status, 200);
    }
    assert.equal(h.grantedKeys.length, keysBefore, 'no new key for a settle time, a lookback or a save with no change');
    assert.equal(await owner(), 'second');
    for (const change of [{ userField: 'user.name' }, { timeField: 'event.ingested' }, { namespace: 'finance' }, { profile: 'okta' }, { index: 'logs-okta.system-*' }, { writeMode: 'scores' }]) {
      current = { ...current, ...change };
      const editor = (await owner()) === 'admin' ? 'second' : 'admin';
      assert.equal((await save(editor, current)).status, 200, JSON.stringify(change));
      assert.equal(await owner(), editor, `${Object.keys(change)[0]} re-keys the source as its editor`);
    }
  });

  it('an editor whose login cannot grant keys may not retarget a source: refused, nothing saved', async () => {
    const before = (await h.request('GET', '/internal/dfp/settings', { user: 'analyst' })).body.sources[0];
    const keyBefore = await owner();
    const res = await save('sso', { ...before, index: 'hr-payroll-*' });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, /could not grant an API key for source "hr" with your login/);
    assert.deepEqual((await h.request('GET', '/internal/dfp/settings', { user: 'analyst' })).body.sources[0], before, 'the source is unchanged');
    assert.equal(await owner(), keyBefore, 'and still runs with the key it had');
    assert.equal((await save('sso', { ...before, settleSeconds: 120 })).status, 200, 'a change that keeps the target needs no new key');
  });
});

/** A feature as registered, with `type` moved in the `all` privilege from `savedObject.all` to `to` (or dropped). */
const withoutWrite = (type: string, to: 'read' | 'none' = 'none') => (f: Record<string, any>) => {
  f.privileges.all.savedObject.all = f.privileges.all.savedObject.all.filter((t: string) => t !== type);
  if (to === 'read') f.privileges.all.savedObject.read.push(type);
  return f;
};
const ofType = (h: KibanaHarness, type: string) => [...h.savedObjects.objects.values()].filter((o) => o.type === type);
const errorLogs = (h: KibanaHarness) => h.logs.filter((l) => l.level === 'error');

describe('saved-object privileges, enforced as Kibana does from the registered feature', () => {
  it("thresholds are written as the caller into config-global: the feature's All grants it, Read does not", async () => {
    const h = await kibana();
    try {
      const key = SETTINGS_KEYS.zscoreThreshold;
      await assert.rejects(h.uiSettingsFor('analyst').setMany({ [key]: 5 }), (e: { output: { statusCode: number }; message: string }) => {
        assert.equal(e.output.statusCode, 403);
        assert.equal(e.message, 'Unable to update config-global');
        return true;
      });
      assert.equal(h.uiSettingValues.get(key), undefined);
      await h.uiSettingsFor('admin').setMany({ [key]: 5 });
      assert.equal(h.uiSettingValues.get(key), 5);

      const saved = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { zscoreThreshold: 7 } });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(h.savedObjects.objects.get(`config-global:${h.kibanaVersion}`)?.attributes[key], 7, 'one config-global object per Kibana version');
      // Kibana lets every feature privilege read global settings.
      assert.equal((await h.request('GET', '/internal/dfp/settings', { user: 'analyst' })).body.zscoreThreshold, 7);
    } finally {
      await h.stop();
    }
  });

  it('a feature whose All privilege lacked config-global: saving thresholds is a 403 naming the privilege, not a 500', async () => {
    const h = await kibana({ sources: SOURCES }, { featureTransform: withoutWrite('config-global') });
    try {
      const res = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { zscoreThreshold: 7 } });
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.match(res.body.message, /^You may not save Digital Fingerprinting thresholds .*Digital Fingerprinting feature's All privilege .*config-global.*Unable to update config-global$/);
      assert.equal(h.uiSettingValues.get(SETTINGS_KEYS.zscoreThreshold), undefined);
      assert.deepEqual(errorLogs(h), [], 'a refusal, not a server failure');
      // Schedules are our own saved object: still saved.
      assert.equal((await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { schedules: { train: '0 4 * * *', score: '*/5 * * * *' } } })).status, 200);
    } finally {
      await h.stop();
    }
  });

  it('a feature whose All privilege lacked dfp-source: saving sources is a 403 naming it, and the keys granted for them are revoked', async () => {
    const h = await kibana({ sources: SOURCES }, { featureTransform: withoutWrite('dfp-source', 'read') });
    try {
      const res = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { sources: [...SOURCES, { id: 'trail', profile: 'cloudtrail' }] } });
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.match(res.body.message, /^You may not save Digital Fingerprinting sources: .*All privilege .*dfp-source\b.*Unable to create dfp-source$/);
      assert.equal(h.grantedKeys.length, 2, 'keys were granted before the sources were written');
      assert.deepEqual([...h.invalidatedKeys].sort(), h.grantedKeys.map((k) => k.id).sort(), 'and invalidated when they were not');
      assert.deepEqual(ofType(h, 'dfp-source-key'), []);
      assert.deepEqual(ofType(h, 'dfp-source'), []);
    } finally {
      await h.stop();
    }
  });

  it('a feature whose All privilege could only read dfp-source-key: renewing a key is a 403, the key just granted invalidated', async () => {
    const h = await kibana({ sources: SOURCES }, { featureTransform: withoutWrite('dfp-source-key', 'read') });
    try {
      const res = await h.request('POST', '/internal/dfp/sources/azure/key/renew', { user: 'admin' });
      assert.equal(res.status, 403, JSON.stringify(res.body));
      assert.match(res.body.message, /^You may not store the API key of source "azure": .*All privilege .*dfp-source-key.*Unable to create dfp-source-key$/);
      assert.equal(h.grantedKeys.length, 1);
      assert.deepEqual(h.invalidatedKeys, [h.grantedKeys[0].id], 'a key nobody could use or revoke is not left valid');
      assert.deepEqual(errorLogs(h), []);
    } finally {
      await h.stop();
    }
  });
});

describe('without an encryption key (xpack.encryptedSavedObjects.encryptionKey unset)', () => {
  let h: KibanaHarness;
  before(async () => (h = await kibana({ sources: SOURCES }, { encryptionKey: false })));
  after(async () => h.stop());

  it('the stand-in fails as Kibana does when an encrypted attribute is saved', async () => {
    const client = h.savedObjects.client({ includedHiddenTypes: ['dfp-source-key'], encrypting: true });
    const attributes = { sourceId: 'azure', keyId: 'k', keyName: 'n', owner: 'admin', createdAt: 'now', apiKey: 'secret' };
    await assert.rejects(client.create('dfp-source-key', attributes, { id: '6f1d7a2c-9e4b-4c1e-8a3d-5b7f0e2c4a6b' }), /^Error: Unable to encrypt attribute "apiKey"$/);
  });

  it('warns at setup with what to set in kibana.yml', () => {
    const warned = h.logs.filter((l) => l.level === 'warn' && l.context === PLUGIN_ID).map((l) => l.message);
    assert.equal(warned.length, 1, JSON.stringify(h.logs));
    assert.match(warned[0], /Set xpack\.encryptedSavedObjects\.encryptionKey \(32 or more characters/);
  });

  it('the status API says so, with the fix', async () => {
    const res = await h.request('GET', '/internal/dfp/status', { user: 'analyst' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.encryption.canEncrypt, false);
    assert.equal(res.body.encryption.keysRequired, true);
    assert.match(res.body.encryption.message, /xpack\.encryptedSavedObjects\.encryptionKey/);
  });

  it('saving sources or renewing a key is a 400 naming the setting, before any key is granted', async () => {
    const save = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { sources: SOURCES } });
    assert.equal(save.status, 400, JSON.stringify(save.body));
    assert.match(save.body.message, /xpack\.encryptedSavedObjects\.encryptionKey/);
    const renew = await h.request('POST', '/internal/dfp/sources/azure/key/renew', { user: 'admin' });
    assert.equal(renew.status, 400, JSON.stringify(renew.body));
    assert.match(renew.body.message, /xpack\.encryptedSavedObjects\.encryptionKey/);
    assert.equal(h.grantedKeys.length, 0);
    assert.deepEqual(ofType(h, 'dfp-source'), []);
    assert.deepEqual(errorLogs(h), []);
  });

  it('thresholds and schedules still save', async () => {
    const res = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { zscoreThreshold: 4.5, schedules: { train: '0 5 * * *', score: '*/15 * * * *' } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.zscoreThreshold, 4.5);
    assert.deepEqual(res.body.schedules, { train: '0 5 * * *', score: '*/15 * * * *' });
  });

  it('a job asked for is refused with what to set, not "unable to decrypt"', async () => {
    const res = await h.request('POST', '/api/dfp/jobs', { user: 'admin', body: { type: 'score', source: 'azure' } });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(res.body.message, /xpack\.encryptedSavedObjects\.encryptionKey/);
  });
});

describe('removing the saved objects before an uninstall', () => {
  let h: KibanaHarness;
  before(async () => (h = await kibana()));
  after(async () => h.stop());

  it('deletes every object of ours as the admin, invalidates the sources\' keys, resets the advanced settings and lists what stays', async () => {
    const saved = await h.request('PUT', '/internal/dfp/settings', {
      user: 'admin',
      body: { zscoreThreshold: 6, schedules: { train: '0 3 * * *', score: '*/10 * * * *' }, sources: [...SOURCES, { id: 'trail', profile: 'cloudtrail' }] },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(ofType(h, 'dfp-source-key').length, 2);
    assert.equal((await h.request('DELETE', '/api/dfp/saved_objects', { user: 'analyst' })).status, 403, 'managers only');

    const res = await h.request('DELETE', '/api/dfp/saved_objects', { user: 'admin' });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.deleted, { 'dfp-source-key': 2, 'dfp-source': 2, 'dfp-settings': 1 });
    assert.deepEqual([...res.body.invalidatedKeys].sort(), h.grantedKeys.map((k) => k.id).sort());
    for (const id of res.body.invalidatedKeys) assert.ok(h.invalidatedKeys.includes(id), `${id} invalidated in Elasticsearch`);
    // What Kibana's upgrade migration would find of a type nobody registers once the plugin is gone.
    assert.deepEqual([...h.savedObjects.objects.values()].filter((o) => h.pluginTypes.includes(o.type)), []);
    assert.deepEqual([...res.body.resetSettings].sort(), Object.values(SETTINGS_KEYS).sort());
    for (const key of Object.values(SETTINGS_KEYS)) assert.equal(h.uiSettingValues.get(key), undefined, key);
    assert.deepEqual(res.body.remaining, {
      indices: ['.dfp-models', '.dfp-state'],
      indexTemplates: ['dfp-models-template', 'dfp-state-template', 'logs-dfp.scores', 'logs-dfp.user_risk'],
      dataStreams: ['logs-dfp.scores-*', 'logs-dfp.user_risk-*'],
    });
    assert.match(res.body.next, /bin\/kibana-plugin remove digitalFingerprinting/);

    // kibana.yml's sources and the defaults are in force again; a second call finds nothing.
    const after = await h.request('GET', '/internal/dfp/settings', { user: 'admin' });
    assert.deepEqual(after.body.sources.map((s: { id: string }) => s.id), ['azure']);
    assert.equal(after.body.zscoreThreshold, DEFAULTS.zscoreThreshold);
    const again = await h.request('DELETE', '/internal/dfp/saved_objects', { user: 'admin' });
    assert.deepEqual(again.body.deleted, { 'dfp-source-key': 0, 'dfp-source': 0, 'dfp-settings': 0 });
  });
});

describe('saved-object types are checked as Kibana checks them', () => {
  const configSchema = harnessSchema as unknown as ConfigSchemaApi;
  const type = (over: Partial<RegisteredType>): RegisteredType => ({
    name: 'dfp-test',
    hidden: true,
    namespaceType: 'agnostic',
    mappings: { properties: { a: { type: 'keyword' } } },
    ...over,
  });
  const v = (changes: { type: string; addedMappings?: Record<string, unknown> }[] = []) => ({
    changes,
    schemas: { create: configSchema.object({ a: configSchema.string() }), forwardCompatibility: configSchema.object({ a: configSchema.string() }, { unknowns: 'ignore' }) },
  });
  const cases: [string, Partial<RegisteredType>, RegExp][] = [
    ['a gap between model versions', { modelVersions: { 1: v(), 3: v() } }, /Type dfp-test: gaps between model versions aren't allowed \(missing versions: 2\)$/],
    ['model versions not starting at 1', { modelVersions: { 2: v() } }, /must start with version 1/],
    ['a model version that is not an integer', { modelVersions: { 1: v(), '1.5': v() } }, /Error: Model version must be an integer$/],
    ['a model version without schemas', { modelVersions: { 1: { changes: [] } } }, /model version 1 needs a create schema/],
    ['added mappings missing from the mappings', { modelVersions: { 1: v(), 2: v([{ type: 'mappings_addition', addedMappings: { b: { type: 'keyword' } } }]) } }, /not present on the global mappings definition: b/],
    ['hidden but shown to HTTP APIs', { hiddenFromHttpApis: false }, /'hiddenFromHttpApis' cannot be 'false'/],
    ['switchToModelVersionAt above 8.10.0', { switchToModelVersionAt: '8.11.0' }, /higher than maximum \(8\.10\.0\)/],
  ];
  for (const [what, over, message] of cases) {
    it(`refuses ${what}`, () => assert.throws(() => new SavedObjectsStore().registerType(type(over)), message));
  }

  it('accepts consecutive versions with schemas and their added mappings; validates each create with the latest', async () => {
    const store = new SavedObjectsStore();
    const mappings = { properties: { a: { type: 'keyword' }, b: { type: 'keyword' } } };
    const v2 = { ...v([{ type: 'mappings_addition', addedMappings: { b: { type: 'keyword' } } }]), schemas: { create: configSchema.object({ a: configSchema.string(), b: configSchema.maybe(configSchema.string()) }), forwardCompatibility: (x: unknown) => x } };
    store.registerType(type({ mappings, modelVersions: { 1: v(), 2: v2 } }));
    const client = store.client({ includedHiddenTypes: ['dfp-test'], encrypting: true });
    await client.create('dfp-test', { a: 'x', b: 'y' });
    await assert.rejects(client.create('dfp-test', { a: 'x', c: 1 }), (e: { output: { statusCode: number }; message: string }) => {
      assert.equal(e.output.statusCode, 400);
      assert.equal(e.message, '[attributes.c]: definition for this key is missing: Bad Request');
      return true;
    });
  });
});

describe('without the security plugin', () => {
  it('grants no keys: sources save and jobs connect without credentials, even without an encryption key', async () => {
    const h = await kibana({ sources: SOURCES }, { security: false, encryptionKey: false });
    try {
      const res = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { sources: SOURCES } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(ofType(h, 'dfp-source-key').length, 0);
      const status = await h.request('GET', '/internal/dfp/status', { user: 'admin' });
      assert.deepEqual(status.body.encryption, { canEncrypt: false, keysRequired: false }, 'no keys needed: nothing to warn about');
      assert.deepEqual(h.logs.filter((l) => l.level === 'warn' && /encryptionKey/.test(l.message)), []);
    } finally {
      await h.stop();
    }
  });
});

describe('a fresh cluster (no plugin indices yet)', () => {
  // Kibana's Elasticsearch client is Kibana's own copy of @elastic/elasticsearch (here: the test's,
  // not the plugin's), so a 404 from it must be recognised without `instanceof`.
  let h: KibanaHarness;
  before(async () => (h = await kibana()));
  after(async () => h.stop());

  for (const p of ['/internal/dfp/status', '/internal/dfp/jobs', '/internal/dfp/models']) {
    it(`GET ${p} answers 200`, async () => {
      const res = await h.request('GET', p, { user: 'analyst' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
  }

  it('the status API reports that API keys can be stored', async () => {
    const res = await h.request('GET', '/internal/dfp/status', { user: 'analyst' });
    assert.deepEqual(res.body.encryption, { canEncrypt: true, keysRequired: true });
  });
});

describe('config', () => {
  const invalid: [string, Record<string, unknown>, RegExp][] = [
    ['workers above 8', { workers: 9 }, /\[config validation of \[digitalFingerprinting\]\.workers\]: Value must be equal to or lower than \[8\]/],
    ['a fractional worker count', { workers: 1.5 }, /\[config validation of \[digitalFingerprinting\]\.workers\]: must be a whole number/],
    ['an unknown backend', { backend: 'gpu' }, /\[config validation of \[digitalFingerprinting\]\.backend\]: types that failed validation/],
    ['a bad cron schedule', { schedules: { train: 'nightly' } }, /\[config validation of \[digitalFingerprinting\]\.schedules\.train\]: "nightly" is not a cron expression/],
    ['a source with a bad id', { sources: [{ id: 'Bad Id', profile: 'azure-signin' }] }, /\[config validation of \[digitalFingerprinting\]\.sources\]: invalid source 0: id: /],
    ['two sources with one id', { sources: [SOURCES[0], SOURCES[0]] }, /source ids must be unique; repeated: azure/],
    ['an unknown key', { workerz: 2 }, /\[config validation of \[digitalFingerprinting\]\.workerz\]: definition for this key is missing/],
  ];
  for (const [what, config, message] of invalid) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(kibana(config), message);
    });
  }

  it('applies defaults, and does not start when disabled', async () => {
    const h = new KibanaHarness({ pluginDir, esUrl: es.url, config: { enabled: false } });
    try {
      assert.equal(await h.start(), false);
      assert.deepEqual(h.pluginConfig, { enabled: false, schedules: { train: '0 2 * * *', score: '*/5 * * * *' }, workers: 1, backend: 'auto', sources: [], indexPrefix: '.dfp' });
      assert.equal(h.routes.length, 0);
    } finally {
      await h.stop();
    }
  });
});

describe('two Kibana instances on one cluster', () => {
  it('each scheduled firing of a job runs on exactly one of them', async () => {
    es.reset();
    const config = { sources: SOURCES, schedules: { train: '0 0 1 1 *', score: '*/2 * * * * *' } };
    const instances = [await startKibana({ pluginDir, esUrl: es.url, config, security: false }), await startKibana({ pluginDir, esUrl: es.url, config, security: false })];
    const runs = new JobRuns(esClient, { index: '.dfp-state' });
    try {
      // Worker threads take a moment to start: let the schedule fire until two runs were recorded.
      const deadline = Date.now() + 60_000;
      while ((await runs.list({ type: 'score' }).catch(() => [])).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    } finally {
      await Promise.all(instances.map((h) => h.stop()));
    }
    const recorded = await runs.list({ type: 'score' });
    assert.ok(recorded.length >= 2, `the schedule fired (${recorded.length} runs)`);
    const firings = recorded.map((r) => Math.floor(Date.parse(r.startedAt) / 2000));
    assert.equal(new Set(firings).size, recorded.length, `never two runs for one firing: ${recorded.map((r) => `${r.startedAt} ${r.holder}`).join(', ')}`);
    assert.ok(recorded.every((r) => r.status !== 'running'), 'stop() ended every run');
  });
});
