// The user-risk threshold as an admin setting: Kibana's global advanced setting
// `dfp:userRiskThreshold` (registered, validated, saved and read back through the plugin's routes
// on the built plugin), the standalone server's settings file, and the app's settings form.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildPlugin } from '../scripts/build';
import { EsTestServer } from './es_server/server';
import { startKibana, type KibanaHarness } from './kibana_harness';
import { DEFAULTS, SETTINGS_KEYS } from '../common/fields';
import { FileSettingsStore, defaultSettings } from '../server/data/settings_store';
import { settingsPatch as settingsPatchSchema } from '../server/routes/settings';
import { describeChanges, formFromSettings, settingsFromForm, settingsPatch, validateSettingsForm } from '../public/logic/settings_form';
import { SETTINGS } from './app_fixtures';

describe('dfp:userRiskThreshold in Kibana', () => {
  const es = new EsTestServer();
  let outDir: string;
  let h: KibanaHarness;

  before(async () => {
    outDir = mkdtempSync(path.join(os.tmpdir(), 'dfp-risk-settings-'));
    const { pluginDir } = await buildPlugin({ kibanaVersion: '8.19.2', outDir, zip: false });
    await es.start();
    h = await startKibana({ pluginDir, esUrl: es.url, config: { sources: [{ id: 'azure', profile: 'azure-signin' }] } });
  });
  after(async () => {
    await h?.stop();
    await es.stop();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('is a global advanced setting with the default, an explanation and a schema that refuses non-positive numbers', () => {
    const { params, global } = h.uiSettings.get(SETTINGS_KEYS.userRiskThreshold)!;
    assert.equal(SETTINGS_KEYS.userRiskThreshold, 'dfp:userRiskThreshold');
    assert.equal(global, true);
    assert.equal(params.value, DEFAULTS.userRiskThreshold);
    assert.match(params.description, /dfp\.user_risk/);
    assert.throws(() => params.schema.validate(0), /greater than|at least/);
    assert.throws(() => params.schema.validate('high'), /number/);
    assert.equal(params.schema.validate(12.5), 12.5);
  });

  it('round trip: an admin saves it, everyone reads it, the users ranking applies it', async () => {
    const before = await h.request('GET', '/internal/dfp/settings', { user: 'analyst' });
    assert.equal(before.body.userRiskThreshold, DEFAULTS.userRiskThreshold);
    const denied = await h.request('PUT', '/internal/dfp/settings', { user: 'analyst', body: { userRiskThreshold: 3 } });
    assert.equal(denied.status, 403);
    const bad = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { userRiskThreshold: -2 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /userRiskThreshold/);
    const saved = await h.request('PUT', '/internal/dfp/settings', { user: 'admin', body: { userRiskThreshold: 12.5 } });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.userRiskThreshold, 12.5);
    assert.equal(saved.body.zscoreThreshold, DEFAULTS.zscoreThreshold, 'the other thresholds are left alone');
    assert.equal(h.uiSettingValues.get(SETTINGS_KEYS.userRiskThreshold), 12.5, 'stored as the global advanced setting');
    assert.equal((await h.request('GET', '/internal/dfp/settings', { user: 'analyst' })).body.userRiskThreshold, 12.5);
    // Nothing scored yet: an empty ranking, but by risk and with the threshold in force.
    const users = await h.request('GET', '/internal/dfp/users', { user: 'analyst' });
    assert.equal(users.status, 200, JSON.stringify(users.body));
    assert.equal(users.body.userRiskThreshold, 12.5);
    const bySort = await h.request('GET', '/internal/dfp/users', { user: 'analyst', query: { sort: 'userRisk', order: 'asc' } });
    assert.equal(bySort.status, 200);
    assert.equal((await h.request('GET', '/internal/dfp/users', { user: 'analyst', query: { sort: 'risk' } })).status, 400);
  });
});

describe('user-risk threshold outside Kibana', () => {
  it('the standalone server\'s settings file keeps it, and a file from before it gets the default', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-risk-settings-file-'));
    const file = path.join(dir, 'settings.json');
    const store = new FileSettingsStore(file, defaultSettings());
    assert.equal((await store.get()).userRiskThreshold, DEFAULTS.userRiskThreshold);
    await store.update({ userRiskThreshold: 7.5 });
    assert.equal((await new FileSettingsStore(file, defaultSettings()).get()).userRiskThreshold, 7.5);
    writeFileSync(file, JSON.stringify({ zscoreThreshold: 6 }));
    const old = await store.get();
    assert.deepEqual([old.zscoreThreshold, old.userRiskThreshold], [6, DEFAULTS.userRiskThreshold]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the route validates it like the other thresholds', () => {
    assert.equal(settingsPatchSchema.parse({ userRiskThreshold: 15 }).userRiskThreshold, 15);
    assert.throws(() => settingsPatchSchema.parse({ userRiskThreshold: 0 }));
    assert.throws(() => settingsPatchSchema.parse({ userRiskThreshold: 'x' }));
  });

  it('the settings form: shown, validated, saved alone and described', () => {
    const form = formFromSettings(SETTINGS);
    assert.equal(form.userRiskThreshold, String(SETTINGS.userRiskThreshold));
    assert.deepEqual(validateSettingsForm(form), {});
    assert.match(validateSettingsForm({ ...form, userRiskThreshold: '12x' }).userRiskThreshold, /a number/);
    assert.match(validateSettingsForm({ ...form, userRiskThreshold: '0' }).userRiskThreshold, /greater than 0/);
    const after = settingsFromForm({ ...form, userRiskThreshold: '14.5' });
    assert.equal(after.userRiskThreshold, 14.5);
    assert.deepEqual(settingsPatch(SETTINGS, after), { userRiskThreshold: 14.5 }, 'only what changed is sent');
    assert.deepEqual(describeChanges(SETTINGS, after), ['user risk threshold 10 → 14.5 (users re-ranked at once; dfp.user_flagged from the next scoring run)']);
  });
});
