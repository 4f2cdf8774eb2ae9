// The Kibana server plugin as Kibana runs it: the BUILT plugin folder loaded by the core stand-in
// (test/kibana_harness), its routes called over HTTP as users holding the feature's `all` or `read`
// privilege (or none), against the in-memory Elasticsearch test server. Saved objects, API keys and
// privileges: plugin_saved_objects.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KibanaHarness, startKibana } from './kibana_harness';
import type { Type } from './kibana_harness/config_schema';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { errorResponse } from '../server/kibana/router';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { DEFAULTS, PLUGIN_ID, SETTINGS_KEYS } from '../common/fields';
import { basic, fingerprint, ofType, SOURCES, usePlugin } from './plugin_support';

const fx = usePlugin();

describe('registration', () => {
  let h: KibanaHarness;
  before(async () => (h = await fx.kibana()));
  after(async () => h.stop());

  it('registers the feature: read grants dfp_read, all grants dfp_read and dfp_manage, over our saved objects and global settings', () => {
    assert.equal(h.features.length, 1);
    const f = h.features[0];
    assert.equal(f.id, PLUGIN_ID);
    assert.ok(f.app.includes(PLUGIN_ID));
    assert.deepEqual([...f.privileges.all.api].sort(), ['dfp_manage', 'dfp_read']);
    assert.deepEqual(f.privileges.read.api, ['dfp_read']);
    const triage = f.subFeatures[0].privilegeGroups[0].privileges[0];
    assert.deepEqual([triage.id, triage.includeIn, triage.api], ['triage', 'all', ['dfp_triage']], 'triage: a sub-feature all includes and read can be given');
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
  before(async () => (h = await fx.kibana()));
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

  it('triage: analysts read the decisions; recording one needs dfp_triage, which all includes and a read role can be given', async () => {
    const source = (await h.request('GET', '/internal/dfp/settings', { user: 'analyst' })).body.sources[0].id as string;
    const route = `/internal/dfp/sources/${source}/triage`;
    const denied = await h.request('POST', route, { user: 'analyst', body: { user: 'alice', status: 'investigating' } });
    assert.equal(denied.status, 403);
    assert.match(denied.body.message, /dfp_triage/);
    const byResponder = await h.request('POST', route, { user: 'responder', body: { user: 'alice', status: 'investigating', assignee: 'responder' } });
    assert.equal(byResponder.status, 200);
    assert.equal(byResponder.body.by, 'responder', 'who decided is the logged-in user');
    assert.equal((await h.request('POST', route, { user: 'admin', body: { user: 'alice', status: 'compromised', note: 'token replay' } })).status, 200);
    assert.equal((await h.request('POST', route, { user: 'admin', body: { user: 'alice', status: 'closed' } })).status, 400);
    const seen = await h.request('GET', route, { user: 'analyst', query: { user: 'alice' } });
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.records.map((r: { by: string; status: string }) => `${r.by}:${r.status}`), ['responder:investigating', 'admin:compromised'], 'the audit trail, oldest first');
    assert.deepEqual(seen.body.current.map((r: { status: string }) => r.status), ['compromised']);
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
    const store = new EsModelStore(fx.esClient);
    for (const json of [fingerprint(null, 1), fingerprint('alice', 1), fingerprint('alice', 2)]) await store.save(json);
    await store.flush();
    fx.es.requests.length = 0;

    const models = await h.request('GET', '/internal/dfp/models', { user: 'analyst', query: { source: 'azure' } });
    assert.equal(models.status, 200, JSON.stringify(models.body));
    assert.deepEqual(models.body.users, [{ user: 'alice', versions: [1, 2], active: 2 }]);
    assert.equal(models.body.generic.length, 1);
    assert.equal(models.body.generic[0].rows, 40);
    const analystAuth = basic('analyst', 'analyst-pw');
    const seen = fx.authsOn(/^\/\.dfp-models/);
    assert.ok(seen.length > 0);
    assert.ok(seen.every((a) => a === analystAuth), `every models read as the analyst, saw ${[...new Set(seen)]}`);

    const rollback = await h.request('POST', '/internal/dfp/models/rollback', { user: 'admin', body: { source: 'azure', user: 'alice', version: 1 } });
    assert.equal(rollback.status, 200, JSON.stringify(rollback.body));
    assert.deepEqual(
      rollback.body.versions.map((v: { version: number; active: boolean }) => [v.version, v.active]),
      [[1, true], [2, false]],
    );
    assert.equal((await new EsModelStore(fx.esClient).load('azure-signin', 'alice'))!.version, 1, 'the stored head moved');
  });
});


describe('without the security plugin', () => {
  it('grants no keys: sources save and jobs connect without credentials, even without an encryption key', async () => {
    const h = await fx.kibana({ sources: SOURCES }, { security: false, encryptionKey: false });
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
  before(async () => (h = await fx.kibana()));
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
      await assert.rejects(fx.kibana(config), message);
    });
  }

  it('applies defaults, and does not start when disabled', async () => {
    const h = new KibanaHarness({ pluginDir: fx.pluginDir, esUrl: fx.es.url, config: { enabled: false } });
    try {
      assert.equal(await h.start(), false);
      assert.deepEqual(h.pluginConfig, { enabled: false, schedules: { train: '0 2 * * *', score: '*/5 * * * *' }, workers: 1, backend: 'auto', sources: [], indexPrefix: '.dfp', benignDays: 30 });
      assert.equal(h.routes.length, 0);
    } finally {
      await h.stop();
    }
  });
});

describe('two Kibana instances on one cluster', () => {
  it('each scheduled firing of a job runs on exactly one of them', async () => {
    fx.es.reset();
    const config = { sources: SOURCES, schedules: { train: '0 0 1 1 *', score: '*/2 * * * * *' } };
    const instances = [await startKibana({ pluginDir: fx.pluginDir, esUrl: fx.es.url, config, security: false }), await startKibana({ pluginDir: fx.pluginDir, esUrl: fx.es.url, config, security: false })];
    const runs = new JobRuns(fx.esClient, { index: '.dfp-state' });
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
