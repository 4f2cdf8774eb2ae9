import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { checksumMatches, checksumOfBody } from '../server/engine/model/checksum';

const P = 'azure-signin';

/** A stand-in for a trained model: the store only reads the fields the models page shows. */
const model = (user: string | null, version: number): FingerprintJson =>
  ({
    format: 'dfp-fingerprint/1',
    profile: P,
    user,
    generic: user === null,
    version,
    trainedAt: `2026-03-0${version}T00:00:00.000Z`,
    backend: 'wasm',
    training: { rows: 100 + version, start: '2026-02-01T00:00:00.000Z', end: '2026-02-28T00:00:00.000Z', epochs: 30, lossHistory: [2, 1 / version] },
    checksum: `c${version}`,
  }) as FingerprintJson;

const tmp = (): string => mkdtempSync(path.join(os.tmpdir(), 'dfp-store-'));

test('fs model store: versions per user, retention, odd user keys, index written on flush', async () => {
  const dir = tmp();
  const store = new FsModelStore(dir, 2);
  const odd = 'arn:aws:iam::1234:role/Admin Role/../x';
  for (let v = 1; v <= 3; v++) {
    await store.save(model('alice', v));
    await store.save(model(odd, v));
    await store.save(model(null, v));
  }
  await store.flush();
  assert.equal(await store.latestVersion(P, 'alice'), 3);
  assert.equal(await store.latestVersion(P, null), 3);
  assert.equal(await store.latestVersion(P, 'nobody'), 0);
  assert.equal((await store.load(P, odd))?.user, odd);
  assert.equal((await store.load(P, 'alice', 2))?.version, 2);
  assert.equal(await store.load(P, 'alice', 1), null, 'version 1 pruned: keep 2');
  assert.deepEqual(readdirSync(path.join(dir, P, 'generic')).sort(), ['v0002.json', 'v0003.json']);
  // A fresh store over the same directory sees the same index.
  const again = new FsModelStore(dir);
  assert.deepEqual((await again.list(P)).map((u) => [u.user, u.versions, u.active]).sort(), [
    ['alice', [2, 3], 3],
    [odd, [2, 3], 3],
  ].sort());
  assert.equal((await again.load(P, null))?.version, 3);
  // User folders stay inside the store, whatever the key holds.
  for (const d of readdirSync(path.join(dir, P, 'users'))) assert.match(d, /^[A-Za-z0-9._@-]+-[0-9a-f]{8}$/);
});

test('fs model store: rollback makes an older version active until the next save, durably', async () => {
  const dir = tmp();
  const store = new FsModelStore(dir, 3);
  for (let v = 1; v <= 3; v++) {
    await store.save(model('alice', v));
    await store.save(model(null, v));
  }
  await store.flush();
  await store.rollback(P, 'alice', 2);
  await store.rollback(P, null, 1);
  assert.equal((await store.load(P, 'alice'))?.version, 2);
  assert.equal((await store.load(P, null))?.version, 1);
  assert.equal(await store.latestVersion(P, 'alice'), 3, 'the newest is still stored: new versions number from it');
  // Written at once, without a flush: another store sees it.
  const other = new FsModelStore(dir, 3);
  assert.equal((await other.load(P, 'alice'))?.version, 2);
  assert.equal((await other.load(P, null))?.version, 1);
  assert.deepEqual(await other.list(P), [{ user: 'alice', versions: [1, 2, 3], active: 2 }]);

  await store.save(model('alice', 4));
  await store.flush();
  assert.equal((await store.load(P, 'alice'))?.version, 4, 'the next save is active again');
  assert.deepEqual(await store.list(P), [{ user: 'alice', versions: [2, 3, 4], active: 4 }]);
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, P, 'index.json'), 'utf8')).generic, { versions: [1, 2, 3], active: 1 });

  await assert.rejects(store.rollback(P, 'alice', 1), {
    message: 'cannot roll back the model of user "alice" in profile azure-signin to version 1: stored versions: 2, 3, 4',
  });
  await assert.rejects(store.rollback(P, 'nobody', 1), /user "nobody" in profile azure-signin to version 1: it has no stored versions/);
});

test('fs model store: retention never deletes the active version', async () => {
  const dir = tmp();
  const store = new FsModelStore(dir, 2);
  await store.save(model('alice', 1));
  await store.save(model('alice', 3));
  await store.rollback(P, 'alice', 1);
  // A version older than the newest one (a late save) joins without becoming active.
  await store.save(model('alice', 2));
  await store.flush();
  assert.deepEqual(await store.list(P), [{ user: 'alice', versions: [1, 2, 3], active: 1 }]);
  const folder = path.join(dir, P, 'users', readdirSync(path.join(dir, P, 'users'))[0]);
  assert.deepEqual(readdirSync(folder).sort(), ['v0001.json', 'v0002.json', 'v0003.json']);
  await store.save(model('alice', 4));
  await store.flush(); // versions are pruned when the index that drops them is written
  assert.deepEqual(readdirSync(folder).sort(), ['v0003.json', 'v0004.json'], 'once 4 is active, 1 and 2 fall out of the newest two');
});

test('fs model store: versions() gives each stored version metadata, oldest first', async () => {
  const dir = tmp();
  const store = new FsModelStore(dir, 5);
  await store.save(model('alice', 1));
  await store.save(model('alice', 2));
  await store.rollback(P, 'alice', 1);
  const bytes = (v: number): number => Buffer.byteLength(JSON.stringify(model('alice', v)));
  assert.deepEqual(await store.versions(P, 'alice'), [
    {
      version: 1, active: true, trainedAt: '2026-03-01T00:00:00.000Z', backend: 'wasm', rows: 101,
      trainingStart: '2026-02-01T00:00:00.000Z', trainingEnd: '2026-02-28T00:00:00.000Z', epochs: 30, finalLoss: 1,
      checksum: 'c1', generic: false, bytes: bytes(1),
    },
    {
      version: 2, active: false, trainedAt: '2026-03-02T00:00:00.000Z', backend: 'wasm', rows: 102,
      trainingStart: '2026-02-01T00:00:00.000Z', trainingEnd: '2026-02-28T00:00:00.000Z', epochs: 30, finalLoss: 0.5,
      checksum: 'c2', generic: false, bytes: bytes(2),
    },
  ]);
  assert.deepEqual(await store.versions(P, 'nobody'), []);
});

test('fs model store: reads an index written before rollback existed', async () => {
  const dir = tmp();
  const write = (rel: string, data: unknown): void => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), JSON.stringify(data));
  };
  write(`${P}/index.json`, { users: { alice: { dir: 'alice-1234abcd', versions: [1, 2] } } });
  write(`${P}/users/alice-1234abcd/v0001.json`, model('alice', 1));
  write(`${P}/users/alice-1234abcd/v0002.json`, model('alice', 2));
  write(`${P}/generic/v0004.json`, model(null, 4));
  const store = new FsModelStore(dir);
  assert.equal((await store.load(P, 'alice'))?.version, 2, 'without a recorded active version, the newest');
  assert.deepEqual(await store.list(P), [{ user: 'alice', versions: [1, 2], active: 2 }]);
  assert.equal(await store.latestVersion(P, null), 4, 'generic versions come from its folder');
  assert.equal((await store.load(P, null))?.version, 4);
});

test('fs model store: a long-running instance rolling back keeps the versions and users another process saved since', async () => {
  const dir = tmp();
  const serve = new FsModelStore(dir); // `npm run serve`, index read at start
  await serve.save(model('alice', 1));
  await serve.save(model(null, 1));
  await serve.flush();
  assert.deepEqual(await serve.list(P), [{ user: 'alice', versions: [1], active: 1 }]);

  const train = new FsModelStore(dir); // a `dfp train` meanwhile
  await train.save(model('alice', 2));
  await train.save(model('bob', 1));
  await train.save(model(null, 2));
  await train.flush();

  await serve.rollback(P, 'alice', 1);
  const fresh = new FsModelStore(dir);
  assert.deepEqual((await fresh.list(P)).sort((a, b) => a.user.localeCompare(b.user)), [
    { user: 'alice', versions: [1, 2], active: 1 },
    { user: 'bob', versions: [1], active: 1 },
  ]);
  assert.equal((await fresh.load(P, null))?.version, 2, "the rollback of one user left the generic model's v2 active");
  assert.equal(await fresh.latestVersion(P, 'alice'), 2, 'the next training numbers from v2: v0002 is not overwritten');
  // The long-running instance answers from the index on disk, not from what it read at start.
  assert.equal(await serve.latestVersion(P, 'alice'), 2);
  await serve.rollback(P, 'alice', 2);
  assert.equal((await fresh.load(P, 'alice'))?.version, 2);
});

test('fs model store: two writers saving the same version never write the same file; the index keeps both', async () => {
  const dir = tmp();
  const a = new FsModelStore(dir);
  const b = new FsModelStore(dir);
  assert.equal(await a.latestVersion(P, 'alice'), 0);
  assert.equal(await b.latestVersion(P, 'alice'), 0);
  const fromA = model('alice', 1);
  const fromB = { ...model('alice', 1), trainedAt: '2026-03-09T00:00:00.000Z' };
  await a.save(fromA);
  await b.save(fromB);
  await Promise.all([a.flush(), b.flush()]);
  assert.equal(fromB.version, 2, "b's model took the next free number");
  assert.ok(checksumMatches(fromB), 'and its checksum was recomputed for it');
  const fresh = new FsModelStore(dir);
  assert.deepEqual(await fresh.list(P), [{ user: 'alice', versions: [1, 2], active: 2 }]);
  assert.equal((await fresh.load(P, 'alice', 1))?.trainedAt, fromA.trainedAt);
  assert.equal((await fresh.load(P, 'alice', 2))?.trainedAt, fromB.trainedAt);

  // Many users from two writers flushing at the same moment: every one is in the index.
  const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
  for (const u of users) await (Number(u.slice(1)) % 2 ? a : b).save(model(u, 1));
  await Promise.all([a.flush(), b.flush()]);
  assert.equal((await new FsModelStore(dir).list(P)).length, 41);
});

test('fs model store: user names that are Object.prototype members are ordinary users', async () => {
  const dir = tmp();
  const store = new FsModelStore(dir);
  const names = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
  assert.equal(await store.latestVersion(P, 'constructor'), 0);
  assert.deepEqual(await store.versions(P, '__proto__'), []);
  assert.equal(await store.load(P, 'toString'), null);
  await assert.rejects(store.rollback(P, 'valueOf', 1), /it has no stored versions/);
  for (const u of names) {
    await store.save(model(u, 1));
    await store.save(model(u, 2));
  }
  await store.flush();
  const fresh = new FsModelStore(dir);
  assert.deepEqual((await fresh.list(P)).map((u) => u.user).sort(), [...names].sort());
  for (const u of names) {
    assert.equal(await fresh.latestVersion(P, u), 2, u);
    assert.equal((await fresh.load(P, u))?.user, u, u);
    assert.deepEqual((await fresh.versions(P, u)).map((v) => v.version), [1, 2], u);
    await fresh.rollback(P, u, 1);
  }
  assert.ok((await new FsModelStore(dir).list(P)).every((u) => u.active === 1));
  const index = JSON.parse(readFileSync(path.join(dir, P, 'index.json'), 'utf8'));
  assert.deepEqual(Object.keys(index.users).sort(), [...names].sort(), 'written as own keys of the index');
});

test('fs model store: a lock left by a dead process is taken over; a live holder makes the writer wait, then fail naming it', async () => {
  const dir = tmp();
  const lock = path.join(dir, P, 'index.lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(lock, JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), since: new Date().toISOString(), token: 'x' }));
  const store = new FsModelStore(dir, 5, { lockTimeoutMs: 400 });
  await store.save(model('alice', 1));
  await store.flush();
  assert.equal(existsSync(lock), false, 'taken over and released');
  assert.deepEqual(await new FsModelStore(dir).list(P), [{ user: 'alice', versions: [1], active: 1 }]);

  const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
  try {
    writeFileSync(lock, JSON.stringify({ pid: holder.pid, host: os.hostname(), since: '2026-01-01T00:00:00.000Z', token: 'y' }));
    await store.save(model('alice', 2));
    const started = Date.now();
    await assert.rejects(store.flush(), (err: Error) => {
      assert.match(err.message, new RegExp(`cannot update the model index in .*${P}: locked by process ${holder.pid} on ${os.hostname()} since 2026-01-01T00:00:00.000Z`));
      assert.match(err.message, /if no such process is running, delete the lock file/);
      return true;
    });
    assert.ok(Date.now() - started >= 350, 'it waited for the holder first');
    // A holder that stopped refreshing its lock (frozen, or on another host) is stale after lockStaleMs.
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await store.flush();
    assert.deepEqual(await new FsModelStore(dir).list(P), [{ user: 'alice', versions: [1, 2], active: 2 }], 'the save was kept for the next flush');
  } finally {
    holder.kill();
  }
});

test('fs model store with a key: models are signed; tampered (checksum recomputed), unsigned or other-key models are refused by name', async () => {
  const dir = tmp();
  const KEY = 'models-key-for-tests-0123456789';
  const withChecksum = (m: FingerprintJson): FingerprintJson => {
    const { checksum: _, ...body } = m;
    return { ...m, checksum: checksumOfBody(body) };
  };
  const original = withChecksum(model('alice', 1));
  const store = new FsModelStore(dir, 5, { key: KEY });
  await store.save(structuredClone(original));
  await store.flush();
  assert.deepEqual(await store.load(P, 'alice'), original, 'handed out as saved, without the signature');
  const file = path.join(dir, P, 'users', readdirSync(path.join(dir, P, 'users'))[0], 'v0001.json');
  const onDisk = JSON.parse(readFileSync(file, 'utf8'));
  assert.match(onDisk.signature, /^hmac-sha256:[0-9a-f]{64}$/);
  const load = (key: string) => new FsModelStore(dir, 5, { key }).load(P, 'alice');
  const what = /^model of user "alice" in profile azure-signin, version 1 \(.*v0001\.json\): /;

  // Someone without the key edits the model and recomputes its sha256.
  const { signature, checksum: _, ...body } = structuredClone(onDisk);
  body.training.rows = 1;
  const tampered = { ...body, checksum: checksumOfBody(body), signature };
  writeFileSync(file, JSON.stringify(tampered));
  await assert.rejects(load(KEY), (e: Error) => what.test(e.message) && /signature mismatch: it was signed with another key, or altered along with its checksum/.test(e.message));
  assert.equal((await load(''))?.training.rows, 1, 'without a key the checksum alone cannot tell (it detects corruption, not tampering)');

  const { signature: _dropped, ...unsigned } = tampered;
  writeFileSync(file, JSON.stringify(unsigned));
  await assert.rejects(load(KEY), /: not signed, and this model store requires signatures \(DFP_MODELS_KEY is set\)/);

  writeFileSync(file, JSON.stringify({ ...onDisk, trainedAt: '2030-01-01T00:00:00.000Z' }));
  await assert.rejects(load(KEY), /: checksum mismatch, the model was altered or corrupted after it was signed/);

  writeFileSync(file, JSON.stringify(onDisk));
  await assert.rejects(load('another-key-0123456789abcdef'), /signature mismatch/);
  assert.deepEqual(await load(KEY), original);
  assert.deepEqual(await load(''), original, 'a store without a key reads signed models');

  // A renumbered save is signed under its new number.
  const again = withChecksum(model('alice', 1));
  await new FsModelStore(dir, 5, { key: KEY }).save(again);
  assert.equal(again.version, 2);
  assert.equal((await new FsModelStore(dir, 5, { key: KEY }).load(P, 'alice', 2))?.version, 2);
  assert.throws(() => new FsModelStore(dir, 5, { key: 'short' }), /the models key \(DFP_MODELS_KEY\) must be at least 16 characters; got 5/);
});
