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
import { KibanaHarness, startKibana } from './kibana_harness';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { Fingerprint, type FingerprintJson } from '../server/engine/model/fingerprint';
import { makeRng } from '../server/engine/model/rng';
import { SourceKeys } from '../server/kibana/source_keys';
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
async function kibana(config: Record<string, unknown> = { sources: SOURCES }, opts: { security?: boolean } = {}): Promise<KibanaHarness> {
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

  it('registers the feature: read grants dfp_read, all grants dfp_read and dfp_manage, over our saved objects', () => {
    assert.equal(h.features.length, 1);
    const f = h.features[0];
    assert.equal(f.id, PLUGIN_ID);
    assert.ok(f.app.includes(PLUGIN_ID));
    assert.deepEqual([...f.privileges.all.api].sort(), ['dfp_manage', 'dfp_read']);
    assert.deepEqual(f.privileges.read.api, ['dfp_read']);
    const ours = [...h.savedObjects.types.keys()];
    assert.deepEqual([...f.privileges.all.savedObject.all].sort(), [...ours].sort(), 'managers write every type of ours');
    assert.deepEqual(f.privileges.read.savedObject.all, [], 'readers write nothing');
    for (const t of f.privileges.read.savedObject.read) assert.ok(ours.includes(t), `${t} is registered`);
  });

  it('registers hidden, space-agnostic saved objects, the source key encrypted', () => {
    assert.deepEqual([...h.savedObjects.types.keys()].sort(), ['dfp-settings', 'dfp-source', 'dfp-source-key']);
    for (const t of h.savedObjects.types.values()) {
      assert.equal(t.hidden, true, t.name);
      assert.equal(t.namespaceType, 'agnostic', t.name);
    }
    assert.deepEqual([...h.savedObjects.encrypted.get('dfp-source-key')!], ['apiKey']);
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
    assert.equal(h.uiSettingValues.get(SETTINGS_KEYS.zscoreThreshold), 6, 'thresholds live in advanced settings');

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

describe('without the security plugin', () => {
  it('grants no keys: sources save and jobs connect without credentials', async () => {
    const h = await kibana({ sources: SOURCES }, { security: false });
    try {
      const res = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { sources: SOURCES } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal([...h.savedObjects.objects.values()].filter((o) => o.type === 'dfp-source-key').length, 0);
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
