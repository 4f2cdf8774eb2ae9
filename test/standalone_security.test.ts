// The standalone server's defences, through real HTTP: a token printed at start (URL → HttpOnly
// SameSite=Strict cookie, or a Bearer header), kbn-xsrf and a JSON content type on writes, the
// Host and Origin checks against DNS rebinding and other sites' pages, and clean 400s for bad paths.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { fileContext } from '../server/standalone/context';

const P = 'azure-signin';
const TOKEN = 'test-token-0123456789abcdef';
const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-serve-auth-'));
const appDir = path.join(dir, 'app');
const servers: Server[] = [];
let admin: { base: string; port: number };
let analyst: { base: string; port: number };

/** A stand-in model: the store and the models routes read only these fields. */
const model = (user: string | null, version: number): FingerprintJson =>
  ({
    format: 'dfp-fingerprint/1', profile: P, user, generic: user === null, version, trainedAt: `2026-03-0${version}T00:00:00.000Z`, backend: 'wasm',
    training: { rows: 100, start: '2026-02-01T00:00:00.000Z', end: '2026-02-28T00:00:00.000Z', epochs: 30, lossHistory: [2, 1] }, checksum: `c${version}`,
  }) as FingerprintJson;

async function listen(readOnly: boolean, publicHosts?: string[]): Promise<{ base: string; port: number }> {
  const { context } = await fileContext(dir);
  const server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => (readOnly ? ['read'] : ['read', 'manage']), appDir, auth: { token: TOKEN, publicHosts } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  return { base: `http://127.0.0.1:${port}`, port };
}

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** A raw HTTP request: unlike fetch, it sends any Host, Origin or Cookie header as given. */
function raw(port: number, method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: url, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const bearer = { authorization: `Bearer ${TOKEN}` };
const write = { ...bearer, 'kbn-xsrf': 'true', 'content-type': 'application/json' };

before(async () => {
  mkdirSync(path.join(dir, P), { recursive: true });
  const doc = { '@timestamp': '2026-04-12T10:00:00.000Z', user: { id: 'alice' }, dfp: { user: 'alice', zscore: 1, anomaly_score: 1, is_anomaly: false } };
  writeFileSync(path.join(dir, P, 'scored.ndjson'), `${JSON.stringify(doc)}\n`);
  const store = new FsModelStore(path.join(dir, P, 'models'));
  for (const v of [1, 2]) {
    await store.save(model('alice', v));
    await store.save(model(null, v));
  }
  await store.flush();
  mkdirSync(appDir, { recursive: true });
  writeFileSync(path.join(appDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(appDir, 'app.js'), 'void 0;');
  admin = await listen(false, ['dfp.example.org', 'lan-box:8080']);
  analyst = await listen(true);
});
after(() => {
  for (const s of servers) s.close();
});

const activeVersion = async (): Promise<number> => {
  const versions = (await raw(admin.port, 'GET', '/internal/dfp/models/versions?user=alice', bearer)).json().versions as { version: number; active: boolean }[];
  return versions.find((v) => v.active)!.version;
};

describe('standalone server: who may call it', () => {
  it('answers 401 without the token or with a wrong one, on the API and on the page', async () => {
    for (const url of ['/internal/dfp/status', '/api/dfp/jobs', '/', '/app.js', '/users/alice']) {
      const none = await raw(admin.port, 'GET', url);
      assert.equal(none.status, 401, url);
      const wrong = await raw(admin.port, 'GET', url, { authorization: 'Bearer not-the-token' });
      assert.equal(wrong.status, 401, url);
    }
    const api = await raw(admin.port, 'GET', '/internal/dfp/status');
    assert.deepEqual(api.json(), { statusCode: 401, error: 'Unauthorized', message: api.json().message });
    assert.match(api.json().message, /token/);
    assert.match((await raw(admin.port, 'GET', '/')).text, /open the URL the server printed/);
    assert.equal((await raw(admin.port, 'GET', `/internal/dfp/status?token=${TOKEN}`)).status, 401, 'the API takes the token only from a header or the cookie');
    assert.equal((await raw(admin.port, 'GET', '/?token=wrong')).status, 401);
  });

  it('the URL with the token sets an HttpOnly, SameSite=Strict cookie and redirects to the page without it; the cookie then authenticates', async () => {
    const res = await raw(admin.port, 'GET', `/users/alice?from=now-1d&token=${encodeURIComponent(TOKEN)}&theme=dark`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/users/alice?from=now-1d&theme=dark', 'the token leaves the address bar and history');
    const [cookie] = res.headers['set-cookie'] as string[];
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\//);
    assert.ok(!cookie.includes(TOKEN), 'the cookie holds a value derived from the token, not the token');
    const pair = cookie.split(';')[0];
    assert.equal((await raw(admin.port, 'GET', '/users/alice', { cookie: pair })).status, 200);
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/status', { cookie: pair })).status, 200);
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/status', { cookie: `${pair.split('=')[0]}=forged` })).status, 401);
    // Cookies are per host, not per port: another server on this host names its cookie apart.
    assert.notEqual(pair.split('=')[0], (await raw(analyst.port, 'GET', `/?token=${TOKEN}`)).headers['set-cookie']![0].split('=')[0]);
  });

  it('Authorization: Bearer authenticates API calls', async () => {
    const res = await raw(admin.port, 'GET', '/internal/dfp/status', bearer);
    assert.equal(res.status, 200, res.text);
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/status', { authorization: `Basic ${TOKEN}` })).status, 401);
  });
});

describe('standalone server: writes', () => {
  it('a form POST from another page (text/plain, no kbn-xsrf) cannot roll a model back, even with the cookie', async () => {
    const cookie = (await raw(admin.port, 'GET', `/?token=${TOKEN}`)).headers['set-cookie']![0].split(';')[0];
    const body = JSON.stringify({ user: 'alice', version: 1 });
    const form = await raw(admin.port, 'POST', '/internal/dfp/models/rollback', { cookie, 'content-type': 'text/plain' }, body);
    assert.equal(form.status, 400);
    assert.deepEqual(form.json(), { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' });
    const plain = await raw(admin.port, 'POST', '/internal/dfp/models/rollback', { cookie, 'content-type': 'text/plain', 'kbn-xsrf': 'x' }, body);
    assert.equal(plain.status, 415);
    assert.match(plain.json().message, /application\/json.*text\/plain/);
    const none = await raw(admin.port, 'POST', '/internal/dfp/models/rollback', { cookie, 'kbn-xsrf': 'x' }, body);
    assert.equal(none.status, 415, 'a body without a content type is not taken for JSON either');
    assert.equal(await activeVersion(), 2, 'nothing was rolled back');
    const ok = await raw(admin.port, 'POST', '/internal/dfp/models/rollback', { cookie, 'kbn-xsrf': 'x', 'content-type': 'application/json; charset=utf-8' }, body);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(await activeVersion(), 1);
    await raw(admin.port, 'POST', '/internal/dfp/models/rollback', write, JSON.stringify({ user: 'alice', version: 2 }));
  });

  it('PUT and DELETE need kbn-xsrf too; GETs do not', async () => {
    const put = await raw(admin.port, 'PUT', '/internal/dfp/settings', { ...bearer, 'content-type': 'application/json' }, JSON.stringify({ zscoreThreshold: 9 }));
    assert.equal(put.status, 400);
    assert.equal(put.json().message, 'Request must contain a kbn-xsrf header.');
    assert.equal((await raw(admin.port, 'DELETE', '/api/dfp/saved_objects', bearer)).status, 400);
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/settings', bearer)).json().zscoreThreshold, 8, 'unchanged');
    const done = await raw(admin.port, 'PUT', '/internal/dfp/settings', write, JSON.stringify({ zscoreThreshold: 9 }));
    assert.equal(done.status, 200, done.text);
    await raw(admin.port, 'PUT', '/internal/dfp/settings', write, JSON.stringify({ zscoreThreshold: 8 }));
  });

  it('read-only mode still refuses manage routes with 403', async () => {
    const res = await raw(analyst.port, 'PUT', '/internal/dfp/settings', write, JSON.stringify({ zscoreThreshold: 9 }));
    assert.equal(res.status, 403);
    assert.match(res.json().message, /manage privilege/);
  });
});

describe('standalone server: Host and Origin', () => {
  it('a Host that is not this server (DNS rebinding) is refused with 403 before anything else', async () => {
    for (const host of ['evil.example', `evil.example:${admin.port}`, `127.0.0.1:${admin.port + 1}`, 'dfp.example.org.evil.example']) {
      const res = await raw(admin.port, 'GET', '/internal/dfp/status', { ...bearer, host });
      assert.equal(res.status, 403, host);
      assert.match(res.json().message, new RegExp(`Host "${host.replace(/\./g, '\\.')}" is not this server.*--public-host`));
    }
    assert.equal((await raw(admin.port, 'GET', '/', { host: 'evil.example' })).status, 403, 'the page too');
    for (const host of [`localhost:${admin.port}`, `127.0.0.1:${admin.port}`, `[::1]:${admin.port}`, 'dfp.example.org', 'DFP.example.org:443', 'lan-box:8080']) {
      assert.equal((await raw(admin.port, 'GET', '/internal/dfp/status', { ...bearer, host })).status, 200, host);
    }
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/status', { ...bearer, host: 'lan-box:9090' })).status, 403, 'a public host given with a port allows that port only');
  });

  it('an Origin header, when present, must be this server', async () => {
    const evil = await raw(admin.port, 'PUT', '/internal/dfp/settings', { ...write, origin: 'http://evil.example' }, JSON.stringify({ zscoreThreshold: 999 }));
    assert.equal(evil.status, 403);
    assert.match(evil.json().message, /Origin "http:\/\/evil\.example" is not this server/);
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/status', { ...bearer, origin: 'null' })).status, 403);
    const same = await raw(admin.port, 'GET', '/internal/dfp/status', { ...bearer, origin: `http://127.0.0.1:${admin.port}` });
    assert.equal(same.status, 200);
    assert.equal((await raw(admin.port, 'GET', '/internal/dfp/settings', bearer)).json().zscoreThreshold, 8);
  });
});

describe('standalone server: paths', () => {
  it('a bad %-escape in the path is a 400 naming it, not a 500', async () => {
    for (const url of ['/internal/dfp/users/%E0%A4%A/events', '/api/dfp/users/%ZZ/risk', '/%E0%A4%A']) {
      const res = await raw(admin.port, 'GET', url, bearer);
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.match(res.json().message, /not valid percent-encoding/);
    }
  });
});

describe('npm run serve', () => {
  /** Starts scripts/serve.ts and resolves with the URL it prints. */
  function serve(args: string[], env: Record<string, string> = {}): Promise<{ url: string; stop(): void }> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'serve.ts'), '--port', '0', '--data', dir, '--app', path.join(dir, 'served-app'), ...args], { env: { ...process.env, ...env } });
    return new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /serving (http:\/\/\S+)/.exec(out);
        if (m) resolve({ url: m[1], stop: () => child.kill() });
      });
      child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    });
  }

  it('prints a URL carrying a random token; DFP_SERVE_TOKEN or --token set it; a short token is refused', async () => {
    const first = await serve([]);
    try {
      const url = new URL(first.url);
      const token = url.searchParams.get('token');
      assert.ok(token && token.length >= 32, `a long random token in ${first.url}`);
      assert.equal(url.pathname, '/');
      assert.equal((await fetch(`${url.origin}/internal/dfp/status`)).status, 401);
      assert.equal((await fetch(`${url.origin}/internal/dfp/status`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
      const page = await fetch(first.url, { redirect: 'manual' });
      assert.equal(page.status, 302);
    } finally {
      first.stop();
    }
    const fromEnv = await serve(['--read-only'], { DFP_SERVE_TOKEN: TOKEN });
    try {
      assert.equal(new URL(fromEnv.url).searchParams.get('token'), TOKEN);
    } finally {
      fromEnv.stop();
    }
    await assert.rejects(serve(['--token', 'short']), /the token \(--token or DFP_SERVE_TOKEN\) must be at least 16 characters/);
  });
});
