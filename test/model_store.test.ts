import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { FingerprintJson } from '../server/engine/model/fingerprint';

const model = (user: string | null, version: number): FingerprintJson =>
  ({ format: 'dfp-fingerprint/1', profile: 'azure-signin', user, generic: user === null, version, checksum: `c${version}` }) as FingerprintJson;

test('fs model store: versions per user, retention, odd user keys, index written on flush', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-store-'));
  const store = new FsModelStore(dir, 2);
  const odd = 'arn:aws:iam::1234:role/Admin Role/../x';
  for (let v = 1; v <= 3; v++) {
    await store.save(model('alice', v));
    await store.save(model(odd, v));
    await store.save(model(null, v));
  }
  await store.flush();
  assert.equal(await store.latestVersion('azure-signin', 'alice'), 3);
  assert.equal(await store.latestVersion('azure-signin', null), 3);
  assert.equal(await store.latestVersion('azure-signin', 'nobody'), 0);
  assert.equal((await store.load('azure-signin', odd))?.user, odd);
  assert.equal((await store.load('azure-signin', 'alice', 2))?.version, 2);
  assert.equal(await store.load('azure-signin', 'alice', 1), null, 'version 1 pruned: keep 2');
  assert.deepEqual(readdirSync(path.join(dir, 'azure-signin', 'generic')).sort(), ['v0002.json', 'v0003.json']);
  // A fresh store over the same directory sees the same index.
  const again = new FsModelStore(dir);
  assert.deepEqual((await again.list('azure-signin')).map((u) => [u.user, u.versions]).sort(), [
    ['alice', [2, 3]],
    [odd, [2, 3]],
  ].sort());
  // User folders stay inside the store, whatever the key holds.
  for (const d of readdirSync(path.join(dir, 'azure-signin', 'users'))) assert.match(d, /^[A-Za-z0-9._@-]+-[0-9a-f]{8}$/);
});
