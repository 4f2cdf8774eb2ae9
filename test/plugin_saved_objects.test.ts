// The plugin's saved objects as Kibana keeps them: settings and the API keys background jobs run
// with, saved-object privileges enforced from the registered feature, encryption, removal before an
// uninstall, and type checks. The plugin as loaded, routes and config: plugin.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KibanaHarness } from './kibana_harness';
import { schema as harnessSchema, type Type } from './kibana_harness/config_schema';
import type { ConfigSchemaApi } from '../server/kibana/types';
import { SavedObjectsStore, type RegisteredType } from './kibana_harness/saved_objects';
import { SourceKeys } from '../server/kibana/source_keys';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { DEFAULTS, PLUGIN_ID, SETTINGS_KEYS } from '../common/fields';
import { ofType, SOURCES, usePlugin } from './plugin_support';

const fx = usePlugin();

describe('settings and API keys for background jobs', () => {
  let h: KibanaHarness;
  before(async () => (h = await fx.kibana({ sources: SOURCES, workers: 2 })));
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
      esConfig: () => ({ hosts: [fx.es.url] }),
      logger,
    });
    fx.es.requests.length = 0;
    await (await keys.clientFor('azure')).search({ index: 'logs-*', size: 0, allow_no_indices: true });
    assert.deepEqual(fx.authsOn(/_search$/), [expected]);
    assert.deepEqual(await keys.connectionFor('azure'), { url: fx.es.url, apiKey: expected.slice('ApiKey '.length) });
    await assert.rejects(keys.clientFor('unknown'), /no API key/);
  });

  it('starts a job through the API: its worker reaches Elasticsearch with the source\'s key, never as Kibana', async () => {
    const key = h.grantedKeys.find((k) => k.name === 'dfp-source-azure')!;
    const expected = `ApiKey ${Buffer.from(`${key.id}:${key.api_key}`).toString('base64')}`;
    fx.es.requests.length = 0;
    const started = await h.request('POST', '/api/dfp/jobs', { user: 'admin', body: { type: 'score', source: 'azure' } });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const run = await h.request('GET', `/api/dfp/jobs/${started.body.runId}`, { user: 'analyst' });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.source, 'azure');
    const stateWrites = fx.es.requests.filter((r) => r.path.startsWith('/.dfp-state') && r.method !== 'GET');
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
    const run = await new JobRuns(fx.esClient, { index: '.dfp-state' }).get(started.body.runId);
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
  before(async () => (h = await fx.kibana({ sources: [] }, { users: USERS })));
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
const errorLogs = (h: KibanaHarness) => h.logs.filter((l) => l.level === 'error');

describe('saved-object privileges, enforced as Kibana does from the registered feature', () => {
  it("thresholds are written as the caller into config-global: the feature's All grants it, Read does not", async () => {
    const h = await fx.kibana();
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
    const h = await fx.kibana({ sources: SOURCES }, { featureTransform: withoutWrite('config-global') });
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
    const h = await fx.kibana({ sources: SOURCES }, { featureTransform: withoutWrite('dfp-source', 'read') });
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
    const h = await fx.kibana({ sources: SOURCES }, { featureTransform: withoutWrite('dfp-source-key', 'read') });
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
  before(async () => (h = await fx.kibana({ sources: SOURCES }, { encryptionKey: false })));
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
  before(async () => (h = await fx.kibana()));
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

