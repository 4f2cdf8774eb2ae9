import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend } from '../server/engine/model/backend';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels, type TrainSummary } from '../server/engine/jobs/train';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import type { InputItem, RawEvent } from '../server/engine/types';

before(async () => {
  await initBackend('wasm');
});

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 11, users: 24, trainDays: 14, testDays: 1, compromisedUsers: 1 });
const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 4 };
const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

async function train(opts: { workers?: number; sequential?: boolean }): Promise<{ summary: TrainSummary; store: FsModelStore }> {
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-train-job-')));
  const summary = await trainModels(items(ds.train), { profile, store, backend: 'wasm', config, minHistory: 150, minHistoryWarmStart: 40, ...opts });
  return { summary, store };
}

test('train job: a pool of two worker threads, stacks on this thread and one model at a time store the same models', async () => {
  const pooled = await train({ workers: 2 });
  const inline = await train({ workers: 1 });
  const sequential = await train({ sequential: true });
  const kinds = new Set(pooled.summary.users.map((u) => u.model));
  assert.ok(kinds.has('own') && kinds.has('warm-start') && kinds.has('generic'), `all three kinds of user: ${[...kinds]}`);
  assert.deepEqual(pooled.summary.users.map((u) => u.user), inline.summary.users.map((u) => u.user), 'users reported in name order');
  assert.deepEqual(pooled.summary.users.map((u) => u.model), sequential.summary.users.map((u) => u.model));
  for (const u of pooled.summary.users) {
    const a = await pooled.store.load(profile.name, u.user);
    const b = await inline.store.load(profile.name, u.user);
    const c = await sequential.store.load(profile.name, u.user);
    if (u.model === 'generic') {
      assert.equal(a, null, `${u.user} has no model of its own`);
      continue;
    }
    assert.ok(a && b && c, `${u.user}: stored by all three`);
    // Stacks give bit-for-bit the same arithmetic wherever they run.
    assert.deepEqual(a.training.lossHistory, b.training.lossHistory, `${u.user}: pool vs this thread`);
    assert.deepEqual(a.weights, b.weights, `${u.user}: weights`);
    // One model at a time runs other kernels (the tape): the same losses to float rounding. A
    // warm-started user starts from the generic model, itself trained by the other kernels there
    // (a stack of one here), so its start differs by that rounding too and drifts a little more.
    const tolerance = u.model === 'warm-start' ? 1e-2 : 1e-3;
    a.training.lossHistory.forEach((v, e) => assert.ok(Math.abs(v - c.training.lossHistory[e]) / v < tolerance, `${u.user} epoch ${e}: ${v} vs ${c.training.lossHistory[e]}`));
  }
  assert.deepEqual((await pooled.store.load(profile.name, null))!.weights, (await inline.store.load(profile.name, null))!.weights, 'the generic model');
});

test('train job: a cancelled run stops with a clear error and keeps what it trained', async () => {
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-train-cancel-')));
  const stop = new AbortController();
  stop.abort(new Error('cancelled by test'));
  await assert.rejects(
    trainModels(items(ds.train), { profile, store, backend: 'wasm', config, minHistory: 150, workers: 2, signal: stop.signal }),
    /training stopped after \d+ of \d+ users: Error: cancelled by test/,
  );
});
