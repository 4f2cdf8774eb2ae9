import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { FingerprintJson } from '../server/engine/model/fingerprint';

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
