// Scheduled score jobs keep users' models between runs (server/job_control): score jobs run on a
// resident worker thread whose scoring workers keep the models, so a run every few minutes reads
// only what changed; a retrained model is read at the next run; a resident worker idle for
// longer than its idle time ends (and the models with it). Against the in-memory test server (or ES_URL).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RawEvent } from '../server/engine/types';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { getField } from '../server/engine/profiles/field_path';
import { parseSourceConfig } from '../common/source_config';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { WorkerJobControl } from '../server/job_control/worker_job_control';
import { defaultSettings, EsSettingsStore } from '../server/data/settings_store';
import type { JobType } from '../common/jobs';

const profile = resolveProfile('azure-signin');
const now = Date.now();
const ds = generate({ profile: 'azure-signin', seed: 23, users: 6, trainDays: 6, testDays: 1, compromisedUsers: 1, start: new Date(now - 7 * 86_400_000).toISOString() });
// The test day in three parts, oldest first: each scheduled run finds the next part new. The later
// parts keep only users the first run scores (it reads their models: its window is the source's
// initial lookback, LOOKBACK_HOURS back from now): which users act when depends on the hour the
// test runs at, as the data is dated from now.
const LOOKBACK_HOURS = 48;
const timeOf = (e: RawEvent): number => Date.parse(String(e['@timestamp']));
const byTime = [...ds.test].sort((a, b) => timeOf(a) - timeOf(b));
const thirds = [0, 1, 2].map((k) => byTime.slice(Math.floor((k * byTime.length) / 3), Math.floor(((k + 1) * byTime.length) / 3)));
const userOf = (e: RawEvent): unknown => profile.userFields.map((f) => getField(e, f)).find((v) => v !== undefined && v !== null);
// (Ten minutes inside the window: the run starts a little after `now`.)
const firstRun = new Set([...ds.train, ...thirds[0]].filter((e) => timeOf(e) >= now - LOOKBACK_HOURS * 3_600_000 + 600_000).map(userOf));
const parts = [thirds[0], ...thirds.slice(1).map((part) => part.filter((e) => firstRun.has(userOf(e))))];

let cluster: TestCluster;
let prefix: string;
let dataset: string;
let stream: string;
let settings: EsSettingsStore;

before(async () => {
  cluster = await startCluster();
  prefix = `.dfp-${cluster.tag}-resident`;
  dataset = `dfpresident${cluster.tag}`;
  stream = await indexLikeIntegration(cluster.client, profile, dataset, 'default', [...ds.train, ...parts[0]]);
  const source = parseSourceConfig({ id: `src${cluster.tag}`, profile: 'azure-signin', index: stream, namespace: `res${cluster.tag}`, settleSeconds: 0, initialLookbackHours: LOOKBACK_HOURS });
  settings = new EsSettingsStore(cluster.client, ownedIndexNames(prefix).state, defaultSettings([source]));
  await settings.update({ minHistory: 50 });
});

after(async () => {
  await cleanUp(cluster.client, { dataStreams: [stream, `logs-dfp.scores-res${cluster.tag}`, `logs-dfp.user_risk-res${cluster.tag}`], indices: [`${prefix}-models`, `${prefix}-state`], indexTemplates: [`logs-${dataset}`] });
  await cluster.stop();
});

function jobControl(residentIdleMs?: number): WorkerJobControl {
  return new WorkerJobControl({
    client: cluster.client,
    settings,
    connectionFor: async () => ({ url: cluster.url, maxRetries: 0 }),
    holder: 'kibana:resident',
    indexPrefix: prefix,
    backend: 'wasm',
    epochs: 2,
    leaseTtlMs: 10_000,
    ...(residentIdleMs !== undefined ? { residentIdleMs } : {}),
  });
}

/** Runs a job to its end; its run's counts. */
async function job(jobs: WorkerJobControl, type: JobType): Promise<Record<string, number>> {
  const { runId } = await jobs.start({ type, source: `src${cluster.tag}` });
  await jobs.idle();
  const run = await jobs.get(runId);
  assert.equal(run?.status, 'succeeded', JSON.stringify(run));
  return run!.counts;
}

async function add(events: RawEvent[]): Promise<void> {
  const operations = events.flatMap((doc) => [{ create: { _index: stream } }, doc]);
  const res = await cluster.client.bulk({ operations, refresh: true });
  assert.equal(res.errors, false);
}

it('scheduled score jobs read each model once while it stays active, and a retrained one at the next run', async () => {
  const jobs = jobControl();
  try {
    const trained = await job(jobs, 'train');
    assert.ok(trained.models > 2, 'a generic model and some users');
    const first = await job(jobs, 'score');
    assert.ok(first.written > 0 && first.models_read > 0, `the first run reads the models: ${JSON.stringify(first)}`);

    await add(parts[1]);
    const second = await job(jobs, 'score');
    assert.ok(second.written > 0, 'the next run scores the new events');
    assert.equal(second.models_read, 0, 'and reads no model: the resident worker kept them');

    await job(jobs, 'train'); // every user's model retrained: new active versions
    await add(parts[2]);
    const third = await job(jobs, 'score');
    assert.ok(third.written > 0);
    assert.ok(third.models_read > 0, 'retrained models are read at the next run');
  } finally {
    await jobs.stop();
  }
});

it('a resident worker idle longer than its idle time ends: each run then reads the models again', async () => {
  const jobs = jobControl(0);
  try {
    for (const round of [1, 2]) {
      await add(fresh(`r${round}`));
      const counts = await job(jobs, 'score');
      assert.ok(counts.written > 0);
      assert.ok(counts.models_read > 0, `run ${round}: a fresh worker read the models`);
    }
  } finally {
    await jobs.stop();
  }
});

/** Ten of the users' events again, a second ago (newer than any checkpoint so far), with new ids. */
function fresh(tag: string): RawEvent[] {
  const at = new Date(Date.now() - 1000).toISOString();
  return parts[0].slice(0, 10).map((e, i) => ({ ...e, '@timestamp': at, event: { ...(e.event as object), id: `${tag}-${i}` } }));
}
