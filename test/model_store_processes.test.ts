// The file model store shared by real processes: two `dfp train` runs at once on one --models
// directory, user names that are Object.prototype members through the CLI and the standalone
// server's routes, and signed models (DFP_MODELS_KEY) through dfp train and dfp score.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { checksumOfBody } from '../server/engine/model/checksum';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { fileContext } from '../server/standalone/context';

const P = 'azure-signin';
const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-store-procs-'));
const cli = path.join(__dirname, '..', 'scripts', 'dfp.ts');
const PROTO_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
const env = { ...process.env, CI: '1' };
/** The standalone server's token, as a caller sends it. */
const TOKEN = 'model-store-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}` };

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `dfp …` as a child process, not waited for: two of them run at once. */
function dfpAsync(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function dfp(...args: string[]): Run {
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** 40 sign-ins a user over 10 days: enough for a warm-started model with --min-history-warm-start 10. */
function writeEvents(file: string, users: string[]): void {
  const start = Date.UTC(2026, 8, 1, 9);
  const lines: string[] = [];
  for (let d = 0; d < 10; d++) {
    for (let k = 0; k < 4; k++) {
      for (const [i, user] of users.entries()) {
        const t = start + d * 86_400_000 + k * 3_600_000 + i * 60_000;
        lines.push(JSON.stringify({
          '@timestamp': new Date(t).toISOString(),
          event: { id: `${user}-${t}`, outcome: 'success' },
          user: { id: user },
          source: { geo: { city_name: i % 2 ? 'Denver' : 'Austin', country_iso_code: 'US' }, as: { number: 7018 } },
          azure: { signinlogs: { properties: { app_display_name: k % 2 ? 'Teams' : 'Outlook', client_app_used: 'Browser', status: { error_code: 0 } } } },
        }));
      }
    }
  }
  writeFileSync(file, lines.join('\n'));
}

const train = (input: string, models: string, seed: number): Promise<Run> =>
  dfpAsync('train', '--profile', P, '--input', input, '--models', models, '--epochs', '2', '--min-history-warm-start', '10', '--seed', String(seed), '--workers', '1', '--quiet');

before(() => {
  writeEvents(path.join(dir, 'ab.ndjson'), ['alice', 'bob']);
  writeEvents(path.join(dir, 'cd.ndjson'), ['carol', 'dave']);
  writeEvents(path.join(dir, 'proto.ndjson'), PROTO_NAMES);
});

/** Each version file holds the version its name says, and the index's newest is active. */
function assertConsistent(models: string): void {
  const profileDir = path.join(models, P);
  for (const folder of [path.join(profileDir, 'generic'), ...readdirSync(path.join(profileDir, 'users')).map((d) => path.join(profileDir, 'users', d))]) {
    for (const f of readdirSync(folder)) {
      const json = JSON.parse(readFileSync(path.join(folder, f), 'utf8')) as { version: number };
      assert.equal(`v${String(json.version).padStart(4, '0')}.json`, f, `${folder}/${f} holds version ${json.version}`);
    }
  }
}

test('two dfp train runs at once on one --models, different users: both exit 0 and the index names every user', async () => {
  const models = path.join(dir, 'models-different');
  const [a, b] = await Promise.all([train(path.join(dir, 'ab.ndjson'), models, 1), train(path.join(dir, 'cd.ndjson'), models, 2)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const store = new FsModelStore(models);
  assert.deepEqual((await store.list(P)).sort((x, y) => x.user.localeCompare(y.user)), ['alice', 'bob', 'carol', 'dave'].map((user) => ({ user, versions: [1], active: 1 })));
  assert.deepEqual((await store.versions(P, null)).map((v) => [v.version, v.active]), [[1, false], [2, true]], 'each run stored its own generic model');
  assertConsistent(models);
});

test('two dfp train runs at once on one --models, same users: both exit 0, neither overwrites the other, the newest is active', async () => {
  const models = path.join(dir, 'models-same');
  const [a, b] = await Promise.all([train(path.join(dir, 'ab.ndjson'), models, 1), train(path.join(dir, 'ab.ndjson'), models, 2)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const store = new FsModelStore(models);
  assert.deepEqual((await store.list(P)).sort((x, y) => x.user.localeCompare(y.user)), ['alice', 'bob'].map((user) => ({ user, versions: [1, 2], active: 2 })));
  for (const user of ['alice', 'bob', null]) {
    const [v1, v2] = await store.versions(P, user);
    assert.notEqual(v1.checksum, v2.checksum, `${user}: two different models (seeds 1 and 2), both kept`);
  }
  assertConsistent(models);
  // A third run numbers from the index's newest.
  const c = await train(path.join(dir, 'ab.ndjson'), models, 3);
  assert.equal(c.code, 0, c.stderr);
  assert.deepEqual((await store.list(P)).map((u) => u.active), [3, 3]);
});

test('user names that are Object.prototype members: dfp train, dfp models and the standalone server', async () => {
  const data = path.join(dir, 'served');
  const models = path.join(data, P, 'models');
  mkdirSync(path.dirname(models), { recursive: true });
  const t = await train(path.join(dir, 'proto.ndjson'), models, 1);
  assert.equal(t.code, 0, t.stderr);
  const s = dfp('score', '--profile', P, '--input', path.join(dir, 'proto.ndjson'), '--models', models, '--out', path.join(data, P, 'scored.ndjson'), '--quiet');
  assert.equal(s.code, 0, s.stderr);

  const listed = dfp('models', '--profile', P, '--models', models, '--json');
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual((JSON.parse(listed.stdout) as { user: string }[]).map((u) => u.user).sort(), [...PROTO_NAMES].sort());
  for (const user of PROTO_NAMES) {
    const one = dfp('models', '--profile', P, '--models', models, '--user', user, '--json');
    assert.equal(one.code, 0, `${user}: ${one.stderr}`);
    assert.deepEqual((JSON.parse(one.stdout) as { version: number; active: boolean }[]).map((v) => [v.version, v.active]), [[1, true]], user);
  }
  const rolled = dfp('models', '--profile', P, '--models', models, '--user', '__proto__', '--rollback', '1');
  assert.equal(rolled.code, 0, rolled.stderr);
  assert.match(rolled.stderr, /__proto__: version 1 is now active/);

  const { context } = await fileContext(data);
  const server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => ['read', 'manage'], auth: { token: TOKEN } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const get = async (url: string): Promise<{ status: number; body: any }> => {
      const res = await fetch(`${base}${url}`, { headers: AUTH });
      return { status: res.status, body: await res.json() };
    };
    for (const user of PROTO_NAMES) {
      const versions = await get(`/internal/dfp/models/versions?user=${encodeURIComponent(user)}`);
      assert.equal(versions.status, 200, `${user}: ${JSON.stringify(versions.body)}`);
      assert.equal(versions.body.user, user);
      assert.deepEqual(versions.body.versions.map((v: { version: number }) => v.version), [1]);
    }
    const all = await get('/internal/dfp/models');
    assert.equal(all.status, 200, JSON.stringify(all.body));
    assert.deepEqual(all.body.users.map((u: { user: string }) => u.user).sort(), [...PROTO_NAMES].sort());
    const rollback = await fetch(`${base}/internal/dfp/models/rollback`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json', 'kbn-xsrf': 'test' },
      body: JSON.stringify({ user: 'constructor', version: 1 }),
    });
    assert.equal(rollback.status, 200, await rollback.text());
  } finally {
    server.close();
  }
});


test('DFP_MODELS_KEY: dfp train signs the models; dfp score refuses one altered with its checksum recomputed', async () => {
  const models = path.join(dir, 'models-signed');
  const KEY = 'cli-models-key-0123456789abcdef';
  const trained = spawnSync(process.execPath, ['--import', 'tsx', cli, 'train', '--profile', P, '--input', path.join(dir, 'ab.ndjson'), '--models', models, '--epochs', '2', '--min-history-warm-start', '10', '--quiet'], { encoding: 'utf8', env: { ...env, DFP_MODELS_KEY: KEY } });
  assert.equal(trained.status, 0, trained.stderr);
  const score = (key: string | undefined) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, 'score', '--profile', P, '--input', path.join(dir, 'ab.ndjson'), '--models', models, '--out', path.join(dir, 'signed-scored.ndjson'), '--quiet'], {
      encoding: 'utf8',
      env: { ...env, DFP_MODELS_KEY: key ?? '' },
    });
  assert.equal(score(KEY).status, 0, 'signed models score');

  const users = path.join(models, P, 'users');
  const file = path.join(users, readdirSync(users).find((d) => d.startsWith('alice'))!, 'v0001.json');
  const stored = JSON.parse(readFileSync(file, 'utf8'));
  const { signature, checksum: _, ...body } = stored;
  body.trainedAt = '2030-01-01T00:00:00.000Z';
  writeFileSync(file, JSON.stringify({ ...body, checksum: checksumOfBody(body), signature }));
  // The refused model is named; it scores nothing: the run fails, or (where the score job treats an
  // unusable model as one bad record) its user is scored by the generic model.
  const aliceModels = (): boolean[] =>
    readFileSync(path.join(dir, 'signed-scored.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((d) => d.dfp.user === 'alice').map((d) => d.dfp.model.generic);
  rmSync(path.join(dir, 'signed-scored.ndjson'));
  const refused = score(KEY);
  assert.match(refused.stderr, /model of user "alice" in profile azure-signin, version 1 \(.*v0001\.json\): signature mismatch/);
  if (refused.status === 0) assert.ok(aliceModels().length > 0 && aliceModels().every((generic) => generic), 'the altered model scored nothing');
  const unchecked = score(undefined);
  assert.equal(unchecked.status, 0, unchecked.stderr);
  assert.ok(aliceModels().every((generic) => !generic), 'without the key only the checksum is checked, and it was recomputed: the altered model scores');
});
