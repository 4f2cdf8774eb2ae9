// The standalone server over scored files (the demo's layout), through real HTTP: the same route
// table Kibana hosts, with validation, privileges and error shapes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import type { InputItem, RawEvent } from '../server/engine/types';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { fileContext } from '../server/standalone/context';
import { SHARED_DEPS } from '../scripts/plugin_build/browser';
import { NEWEST_TARGET } from '../scripts/plugin_build/kibana_targets';
import { buildStandaloneApp, CORE_FILE, PAGE_SHARED_DEPS, SHARED_DEPS_FILE } from '../scripts/plugin_build/standalone_page';
import type { FingerprintResponse, OverviewResponse, UsersResponse } from '../common/api';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-serve-'));
const FROM = '2026-04-11T00:00:00.000Z';
const TO = '2026-04-13T00:00:00.000Z';
let scored: Record<string, any>[] = [];
const servers: Server[] = [];
let admin: string;
let analyst: string;

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'gen', line: i + 1 } }));

const appDir = path.join(dir, 'app');

async function listen(readOnly: boolean): Promise<string> {
  const { context } = await fileContext(dir, () => Date.parse(TO));
  const server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => (readOnly ? ['read'] : ['read', 'manage', 'triage']), appDir, auth: { token: TOKEN } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The token the server wants (test/standalone_security.test.ts tests the checks themselves). */
const TOKEN = 'standalone-test-token-0123456789';
/** What a caller with the token sends: Bearer, and kbn-xsrf for writes (harmless on reads). */
const AUTH = { authorization: `Bearer ${TOKEN}`, 'kbn-xsrf': 'test' };

async function call(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, { method, headers: body ? { ...AUTH, 'content-type': 'application/json' } : AUTH, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  await initBackend('wasm');
  const ds = generate({ profile: 'azure-signin', seed: 9, users: 10, trainDays: 10, testDays: 2, compromisedUsers: 1, start: '2026-04-01T00:00:00Z' });
  const profile = resolveProfile('azure-signin');
  const sourceDir = path.join(dir, 'azure-signin');
  mkdirSync(sourceDir, { recursive: true });
  const store = new FsModelStore(path.join(sourceDir, 'models'));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 3 }, minHistory: 100 });
  await scoreEvents(items(ds.test), { profile, store }, async (doc) => void scored.push(doc));
  writeFileSync(path.join(sourceDir, 'scored.ndjson'), scored.map((d) => JSON.stringify(d)).join('\n') + '\n');
  await buildStandaloneApp({ outDir: appDir });
  admin = await listen(false);
  analyst = await listen(true);
});
after(() => {
  for (const s of servers) s.close();
});

const range = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

describe('standalone server over files', () => {
  it('status names the source and says jobs need Elasticsearch', async () => {
    const { status, body } = await call(admin, 'GET', '/internal/dfp/status');
    assert.equal(status, 200);
    assert.equal(body.jobsAvailable, false);
    assert.deepEqual(body.sources.map((s: any) => s.source), ['azure-signin']);
    assert.ok(body.sources[0].usersWithModels > 0);
    assert.equal(body.sources[0].genericModel, true);
  });

  it('overview counts every scored event, and a new threshold changes the flags at once', async () => {
    const before = (await call(admin, 'GET', `/internal/dfp/overview?${range}`)).body as OverviewResponse;
    assert.equal(before.totals.events, scored.length);
    assert.equal(before.totals.flagged, scored.filter((d) => d.dfp.zscore >= 8).length);
    const put = await call(admin, 'PUT', '/internal/dfp/settings', { zscoreThreshold: 3 });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.zscoreThreshold, 3);
    const after = (await call(admin, 'GET', `/internal/dfp/overview?${range}`)).body as OverviewResponse;
    assert.equal(after.threshold, 3);
    assert.equal(after.totals.flagged, scored.filter((d) => d.dfp.zscore >= 3).length);
    assert.ok(after.totals.flagged > before.totals.flagged);
    await call(admin, 'PUT', '/internal/dfp/settings', { zscoreThreshold: 8 });
  });

  it('users are ranked by their risk by default, or by their worst event, and open into a fingerprint and events', async () => {
    const byRisk = (await call(admin, 'GET', `/internal/dfp/users?${range}&perPage=3`)).body as UsersResponse;
    const highestRisk = Math.max(...scored.map((d) => d.dfp.user_risk ?? 0));
    assert.equal(byRisk.users[0].userRisk, highestRisk, 'the default ranking: highest dfp.user_risk first');
    assert.equal(byRisk.userRiskThreshold, 10);
    const users = (await call(admin, 'GET', `/internal/dfp/users?${range}&perPage=3&sort=maxZscore`)).body as UsersResponse;
    assert.equal(users.users.length, 3);
    assert.equal(users.total, new Set(scored.map((d) => d.dfp.user)).size);
    const worst = Math.max(...scored.map((d) => d.dfp.zscore));
    assert.equal(users.users[0].maxZscore, worst);
    const top = users.users[0].user;
    const fp = (await call(admin, 'GET', `/internal/dfp/users/${encodeURIComponent(top)}/fingerprint?${range}`)).body as FingerprintResponse;
    assert.equal(fp.user, top);
    assert.ok(fp.model, 'a model scores the user');
    assert.equal(fp.recentEvents, scored.filter((d) => d.dfp.user === top).length);
    const app = fp.features.find((f) => f.name === 'app');
    assert.ok(app?.trained && app.recent, 'the app feature has a training and a recent distribution');
    const events = (await call(admin, 'GET', `/internal/dfp/users/${encodeURIComponent(top)}/events?${range}&sort=zscore&perPage=2`)).body;
    assert.equal(events.events[0].dfp.zscore, worst);
    assert.ok(events.events[0].dfp.features.app.value !== undefined, 'each feature says what was seen');
    const risk = await call(admin, 'GET', `/api/dfp/users/${encodeURIComponent(top)}/risk?${range}`);
    assert.equal(risk.status, 200);
    assert.equal(risk.body.maxZscore, worst);
  });

  it('bad input is a 400 naming the field; unknown routes 404; internal routes are not public', async () => {
    const page = await call(admin, 'GET', `/internal/dfp/users?page=0`);
    assert.equal(page.status, 400);
    assert.match(page.body.message, /\[query\.page\]/);
    const from = await call(admin, 'GET', `/internal/dfp/overview?from=yesterday-ish`);
    assert.equal(from.status, 400);
    assert.match(from.body.message, /\[from\]: "yesterday-ish" is not a date/);
    const threshold = await call(admin, 'PUT', '/internal/dfp/settings', { zscoreThreshold: -1, bogus: 1 });
    assert.equal(threshold.status, 400);
    assert.match(threshold.body.message, /\[body\.zscoreThreshold\]/);
    assert.match(threshold.body.message, /bogus/);
    const cron = await call(admin, 'PUT', '/internal/dfp/settings', { schedules: { train: 'nightly', score: '*/5 * * * *' } });
    assert.equal(cron.status, 400);
    assert.match(cron.body.message, /\[body\.schedules\.train\]: not a cron expression/);
    assert.equal((await call(admin, 'GET', '/api/dfp/overview')).status, 404);
    assert.equal((await call(admin, 'GET', '/internal/dfp/nope')).status, 404);
    assert.deepEqual(Object.keys((await call(admin, 'GET', '/internal/dfp/nope')).body).sort(), ['error', 'message', 'statusCode']);
  });

  it('an analyst reads but cannot change settings, roll back or start jobs', async () => {
    assert.equal((await call(analyst, 'GET', `/internal/dfp/overview?${range}`)).status, 200);
    const put = await call(analyst, 'PUT', '/internal/dfp/settings', { zscoreThreshold: 1 });
    assert.equal(put.status, 403);
    assert.match(put.body.message, /manage privilege/);
    assert.equal((await call(analyst, 'POST', '/internal/dfp/models/rollback', { version: 1 })).status, 403);
    assert.equal((await call(admin, 'GET', '/internal/dfp/settings')).body.zscoreThreshold, 8, 'unchanged');
  });

  it('triage decisions go to <data>/triage.ndjson with who and when; a read-only server cannot record one', async () => {
    const route = '/internal/dfp/sources/azure-signin/triage';
    const user = scored[0].dfp.user as string;
    const refused = await call(analyst, 'POST', route, { user, status: 'investigating' });
    assert.equal(refused.status, 403);
    const made = await call(admin, 'POST', route, { user, status: 'benign', note: 'a trip', event: { index: 'azure-signin', id: scored[0].event.id as string } });
    assert.equal(made.status, 200);
    assert.equal(made.body.at, TO, "the server's clock");
    const read = await call(analyst, 'GET', `${route}?user=${encodeURIComponent(user)}`);
    assert.deepEqual(read.body.records.map((r: { status: string }) => r.status), ['benign']);
    const lines = readFileSync(path.join(dir, 'triage.ndjson'), 'utf8').trim().split('\n');
    assert.equal(JSON.parse(lines[lines.length - 1]).target.user, user);
    assert.equal((await call(admin, 'GET', '/internal/dfp/sources/nope/triage')).status, 404);
  });

  it('models list users and versions; a rollback to a missing version is a 404; jobs need Elasticsearch', async () => {
    const models = (await call(admin, 'GET', '/internal/dfp/models')).body;
    assert.ok(models.total > 0);
    assert.equal(models.generic.length, 1);
    const user = models.users[0].user;
    const missing = await call(admin, 'POST', '/internal/dfp/models/rollback', { user, version: 99 });
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /no version 99 of user .*; stored: 1/);
    const job = await call(admin, 'POST', '/api/dfp/jobs', { type: 'train' });
    assert.equal(job.status, 409);
    assert.match(job.body.message, /jobs need Elasticsearch/);
  });

  it('serves the app page at / (and for app paths), with the plugin bundle it loads', async () => {
    for (const p of ['/', '/app/users/alice']) {
      const res = await fetch(`${admin}${p}`, { headers: AUTH });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await res.text(), /<script src="target\/public\/digitalFingerprinting\.plugin\.js">/);
    }
    // Kibana's shared dependencies come first, from one bundle filling __kbnSharedDeps__ with the
    // names the plugin's externals read; app paths resolve the page's files from the root.
    const page = await (await fetch(`${admin}/users/alice`, { headers: AUTH })).text();
    assert.match(page, /<base href="\/">/);
    assert.ok(page.indexOf(`<script src="${SHARED_DEPS_FILE}">`) > 0 && page.indexOf(`<script src="${SHARED_DEPS_FILE}">`) < page.indexOf('plugin.js'), 'shared deps load before the plugin');
    assert.ok(page.indexOf('plugin.js') < page.indexOf(`<script src="${CORE_FILE}">`), "Kibana's core reads the plugin after its bundle defined it");
    assert.equal((await fetch(`${admin}/${CORE_FILE}`, { headers: AUTH })).status, 200);
    const deps = await fetch(`${admin}/${SHARED_DEPS_FILE}`, { headers: AUTH });
    assert.equal(deps.status, 200);
    const depsJs = await deps.text();
    // (Evaluating it takes a browser: the e2e tests do that.)
    assert.match(depsJs, /__kbnSharedDeps__/);
    for (const name of PAGE_SHARED_DEPS.filter((d) => NEWEST_TARGET.sharedDeps.includes(d))) assert.ok(depsJs.includes(`.${SHARED_DEPS[name]}=`), `${name} is provided as ${SHARED_DEPS[name]}`);
    for (const css of ['charts_light.css', 'charts_dark.css']) assert.equal((await fetch(`${admin}/${css}`, { headers: AUTH })).status, 200, css);
    const bundle = await fetch(`${admin}/target/public/digitalFingerprinting.plugin.js`, { headers: AUTH });
    assert.equal(bundle.status, 200);
    const js = await bundle.text();
    assert.match(js, /__kbnBundles__\.define\(/);
    assert.ok(js.includes('"plugin/digitalFingerprinting/public"'));
    assert.equal((await fetch(`${admin}/../../etc/passwd`, { headers: AUTH })).status, 200, 'paths outside the app fall back to the page');
  });
});
