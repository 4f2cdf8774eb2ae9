import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Worker } from 'node:worker_threads';
import type { InputItem, RawEvent } from '../server/engine/types';
import type { DfpFields } from '../common/fields';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents, type ScoreSummary } from '../server/engine/jobs/score';
import { closeScorePool, laneOfUser, lanesOf, scorePool } from '../server/engine/jobs/score_pool';

/**
 * File scoring on scoring workers (score_pool.ts): real worker threads with real models. That the
 * documents equal the per-user reference is test/score_fast_path.test.ts (it scores on this
 * thread and on two workers); here: what the pool adds — models kept in the workers, failures,
 * workers that die, users without models, a pool closed between runs, and engines that refuse code generation.
 */
const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 31, users: 10, trainDays: 10, testDays: 2, compromisedUsers: 1 });
const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));
const quick = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 2 };
let modelsDir = '';

before(async () => {
  await initBackend('wasm');
  modelsDir = mkdtempSync(path.join(os.tmpdir(), 'dfp-pool-'));
  await trainModels(items(ds.train), { profile, store: new FsModelStore(modelsDir), backend: 'wasm', config: quick, minHistory: 40, minHistoryWarmStart: 20 });
});

after(async () => {
  await closeScorePool();
});

/** Every document's dfp (less scored_at) and the summary of one run. */
async function run(store: FsModelStore, workers: number, input = items(ds.test)): Promise<{ dfp: Omit<DfpFields, 'scored_at'>[]; summary: ScoreSummary }> {
  const dfp: Omit<DfpFields, 'scored_at'>[] = [];
  const summary = await scoreEvents(input, { profile, store, workers }, async (doc) => {
    const { scored_at: _, ...rest } = doc.dfp as DfpFields;
    dfp.push(rest);
  });
  return { dfp, summary };
}

/** A copy of the trained models, to break without breaking the others' tests. */
function copyOfModels(): FsModelStore {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-pool-copy-'));
  cpSync(modelsDir, dir, { recursive: true });
  return new FsModelStore(dir);
}

/** The files of users' own models in a store, by user. */
function userModelFiles(store: FsModelStore): Map<string, string> {
  const files = new Map<string, string>();
  const users = path.join(store.dir, profile.name, 'users');
  for (const folder of readdirSync(users)) {
    for (const name of readdirSync(path.join(users, folder))) {
      const file = path.join(users, folder, name);
      files.set((JSON.parse(readFileSync(file, 'utf8')) as FingerprintJson).user!, file);
    }
  }
  return files;
}

test('the users of a run are spread over the workers by a stable hash of their names', () => {
  const users = [...new Set(ds.test.map((e) => (e.user as { id: string }).id))];
  const lanes = users.map((u) => laneOfUser(u, 2));
  assert.deepEqual(new Set(lanes), new Set([0, 1]), 'both workers get users (so both lanes are compared in every test)');
  assert.deepEqual(users.map((u) => laneOfUser(u, 2)), lanes, 'the same lane every time');
  for (const u of users) assert.ok(laneOfUser(u, 3) < 3);
});

test('lanes even out the rows: within 2 % of all rows where users allow, the same lanes for the same input', () => {
  const frames = Array.from({ length: 300 }, (_, u) => ({ user: `user-${u}`, rows: new Int32Array(1 + ((u * 7919) % 97)) }));
  for (const lanes of [2, 3, 4]) {
    const lane = lanesOf(frames, lanes);
    const rows = new Array<number>(lanes).fill(0);
    frames.forEach((f, u) => (rows[lane[u]] += f.rows.length));
    const total = rows.reduce((a, b) => a + b, 0);
    assert.ok(Math.max(...rows) - Math.min(...rows) <= 0.02 * total, `${lanes} lanes: ${rows}`);
    assert.deepEqual(lanesOf(frames, lanes), lane, 'deterministic');
    // Most users stay in their hash lane (their kept models stay with their workers).
    const moved = frames.filter((f, u) => lane[u] !== laneOfUser(f.user, lanes)).length;
    assert.ok(moved < frames.length / 10, `${moved} of ${frames.length} users moved`);
  }
});

test('workers keep their users models from run to run, and read a new version when the store names one', async () => {
  const store = copyOfModels();
  const first = await run(store, 2);
  const files = userModelFiles(store);
  assert.ok(files.size >= 3, `${files.size} users with models of their own`);
  // The files go; the store still names version 1 active, so the kept models score as before.
  for (const file of files.values()) rmSync(file);
  const second = await run(store, 2);
  assert.deepEqual(second.dfp, first.dfp, 'kept models, not the generic model');
  assert.ok(second.dfp.some((d) => d.model && !d.model.generic));
  // A newer version (a retrain) is read at the next run.
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...quick, seed: 9 }, minHistory: 40, minHistoryWarmStart: 20 });
  const third = await run(store, 2);
  const versions = new Set(third.dfp.filter((d) => d.model && !d.model.generic).map((d) => d.model!.version));
  assert.deepEqual([...versions], ['2']);
  assert.deepEqual(third.dfp, (await run(store, 1)).dfp, 'the same documents as scoring on this thread');
});

test('a corrupt or unreadable model: that user is scored by the generic model, saying why, on workers as here; the others as before', async () => {
  const store = copyOfModels();
  const good = await run(store, 2);
  const [[user, file]] = [...userModelFiles(store)];
  const original = readFileSync(file, 'utf8');
  const generic = (await store.load(profile.name, null))!;
  /** `why`: the model's problem, as the store or the checksum check words it. */
  const fellBack = async (why: string): Promise<void> => {
    // A fresh store object each time, so nothing is kept.
    const here = await run(new FsModelStore(store.dir), 1);
    const pooled = await run(new FsModelStore(store.dir), 2);
    assert.deepEqual(pooled.dfp, here.dfp);
    assert.equal(here.dfp.length, good.dfp.length);
    here.dfp.forEach((d, i) => {
      if (d.user !== user) return assert.deepEqual(d, good.dfp[i], 'other users as before');
      assert.equal(d.error, undefined);
      assert.equal(d.model?.generic, true);
      assert.equal(d.model?.version, String(generic.version));
      assert.ok(d.model?.fallback_reason?.startsWith(`own model unusable: ${why}`), d.model?.fallback_reason);
    });
    assert.deepEqual(here.summary.unusableModels.map((m) => [m.user, m.scoredBy]), [[user, 'generic']]);
    assert.ok(here.summary.unusableModels[0].reason.startsWith(why), here.summary.unusableModels[0].reason);
    assert.equal(here.summary.report.byKind()['unusable model'], 1);
  };

  // A weight changed under an unchanged checksum.
  const json = JSON.parse(original) as FingerprintJson;
  json.weights[0].w = json.weights[0].w.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  writeFileSync(file, JSON.stringify(json));
  await fellBack(`model checksum mismatch for ${user} v1: the file is corrupt`);

  // Half a file: the store's own error, as it is.
  writeFileSync(file, original.slice(0, 1000));
  await fellBack(`cannot read model ${file}: `);

  writeFileSync(file, original);
  assert.deepEqual((await run(new FsModelStore(store.dir), 2)).dfp, good.dfp, 'the pool still scores');
});

test('users without a model of their own and no generic model come out with dfp.error, on workers as here', async () => {
  // Two users' models, no generic model.
  const trained = new FsModelStore(modelsDir);
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-pool-some-')));
  const some = (await trained.list(profile.name)).slice(0, 2);
  for (const u of some) await store.save((await trained.load(profile.name, u.user))!);
  await store.flush();
  const here = await run(store, 1);
  const pooled = await run(store, 2);
  assert.deepEqual(pooled.dfp, here.dfp);
  assert.deepEqual(pooled.summary.users, here.summary.users);
  const scored = new Set(pooled.dfp.filter((d) => !d.error).map((d) => d.user));
  assert.deepEqual([...scored].sort(), some.map((u) => u.user).sort());
  const missing = pooled.dfp.find((d) => d.error && d.user !== null)!;
  assert.equal(missing.error, `no model for user "${missing.user}" and no generic model: run dfp train first`);
  assert.equal(pooled.summary.errors, pooled.dfp.filter((d) => d.error).length);
});

test('a pool closed between runs (a server shutting down) is started again by the next run', async () => {
  const store = new FsModelStore(modelsDir);
  const before = await run(store, 2);
  await closeScorePool();
  assert.deepEqual((await run(store, 2)).dfp, before.dfp);
  await closeScorePool();
  // Three workers: the same documents whatever the split.
  assert.deepEqual((await run(store, 3)).dfp, before.dfp);
});

test('where the engine refuses code generation (Kibana: --disallow-code-generation-from-strings), scoring writes the same documents', async () => {
  const input = path.join(mkdtempSync(path.join(os.tmpdir(), 'dfp-pool-cg-')), 'input.ndjson');
  writeFileSync(input, ds.test.map((e) => JSON.stringify(e)).join('\n'));
  const child = path.join(__dirname, 'score_child.ts');
  const want = (await run(new FsModelStore(modelsDir), 1)).dfp.map((d) => JSON.stringify(d));
  for (const workers of ['1', '2']) {
    const { stdout } = await promisify(execFile)(process.execPath, ['--disallow-code-generation-from-strings', '--import', 'tsx', child, modelsDir, input, workers], { maxBuffer: 64 << 20 });
    const lines = stdout.trim().split('\n');
    assert.equal(lines[0], 'code generation refused');
    assert.deepEqual(lines.slice(1), want, `${workers} worker(s)`);
  }
});

/**
 * Kills one of the shared pool's workers, as an out-of-memory kill or a crash in its backend
 * would (the pool's workers are private: reached here on purpose, to kill a real one).
 */
async function killWorker(lane: number): Promise<void> {
  const pool = scorePool(2, 'wasm') as unknown as { workers: Worker[] };
  await pool.workers[lane].terminate();
}

test('a worker that dies before its results come: the run is scored on this thread, the same documents, and the report says so', async () => {
  const want = await run(new FsModelStore(modelsDir), 1);
  await run(new FsModelStore(modelsDir), 2); // the pool is up
  // A fresh store object: the workers ask for every model, and the first user's read kills a worker.
  const store = new FsModelStore(modelsDir);
  const load = store.load.bind(store);
  let killed: Promise<void> | undefined;
  store.load = (p, user) => {
    if (user !== null) killed ??= killWorker(0);
    return load(p, user);
  };
  const got = await run(store, 2);
  await killed;
  assert.deepEqual(got.dfp, want.dfp);
  assert.deepEqual(got.summary.users, want.summary.users);
  assert.deepEqual(got.summary.report.byKind(), { ...want.summary.report.byKind(), 'scoring worker failed': 1 });
  assert.equal(got.summary.workers, 0, 'scored on this thread');
  assert.match(got.summary.report.examples.at(-1)!, /^scoring worker exited \(code 1\): the run was scored again on the main thread$/);
  const next = await run(new FsModelStore(modelsDir), 2);
  assert.deepEqual(next.dfp, want.dfp, 'the next run gets a fresh pool');
  assert.equal(next.summary.workers, 2);
});

test('a worker that dies mid-run, after documents were written: writing goes on from where it stopped, nothing lost or repeated', async () => {
  const store = new FsModelStore(modelsDir);
  // Many chunks of results, so most are still to come when the first document is written.
  const long = generate({ profile: 'azure-signin', seed: 31, users: 10, trainDays: 10, testDays: 60, compromisedUsers: 1 });
  const input = items(long.test);
  const want = await run(store, 1, input);
  await run(store, 2, input);
  const docs: DfpFields[] = [];
  let killed: Promise<void> | undefined;
  const summary = await scoreEvents(input, { profile, store, workers: 2, chunkRows: 64 }, async (doc) => {
    docs.push(doc.dfp as DfpFields);
    killed ??= killWorker(1);
  });
  await killed;
  assert.ok(input.length / 64 > 20, `${input.length} events: many chunks`);
  assert.equal(summary.report.byKind()['scoring worker failed'], 1, 'the worker died before its last chunk');
  assert.deepEqual(docs.map(({ scored_at: _, ...rest }) => rest), want.dfp, 'every event once, in input order, as scored on this thread');
  assert.deepEqual(summary.users, want.summary.users);
});
