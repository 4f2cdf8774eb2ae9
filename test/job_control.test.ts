// Jobs in worker threads under the Elasticsearch lease: started from the API's job control or by
// the schedulers of two "Kibana instances" at once, against one Elasticsearch (the test server).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { parseSourceConfig } from '../common/source_config';
import { ownedIndexNames } from '../server/engine/io/es/owned_index';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { EsModelStore } from '../server/engine/io/es/model_store';
import { WorkerJobControl } from '../server/job_control/worker_job_control';
import { Scheduler } from '../server/job_control/scheduler';
import { defaultSettings, EsSettingsStore } from '../server/data/settings_store';
import { HttpError } from '../server/routes/types';

const profile = resolveProfile('azure-signin');
let cluster: TestCluster;
let prefix: string;
let stream: string;
let settings: EsSettingsStore;

before(async () => {
  cluster = await startCluster();
  prefix = `.dfp-${cluster.tag}-jobs`;
  const now = Date.now();
  const ds = generate({ profile: 'azure-signin', seed: 5, users: 6, trainDays: 6, testDays: 1, compromisedUsers: 1, start: new Date(now - 7 * 86_400_000).toISOString() });
  stream = await indexLikeIntegration(cluster.client, profile, `dfpjobs${cluster.tag}`, 'default', [...ds.train, ...ds.test]);
  const source = parseSourceConfig({ id: `src${cluster.tag}`, profile: 'azure-signin', index: stream, namespace: `jobs${cluster.tag}`, settleSeconds: 0, initialLookbackHours: 48 });
  settings = new EsSettingsStore(cluster.client, ownedIndexNames(prefix).state, defaultSettings([source]));
  await settings.update({ minHistory: 50 });
});
after(async () => {
  await cleanUp(cluster.client, { dataStreams: [stream, `logs-dfp.scores-jobs${cluster.tag}`, `logs-dfp.user_risk-jobs${cluster.tag}`], indices: [`${prefix}-models`, `${prefix}-state`], indexTemplates: [`logs-dfpjobs${cluster.tag}`] });
  await cluster.stop();
});

function instance(name: string): WorkerJobControl {
  return new WorkerJobControl({
    client: cluster.client,
    settings,
    connectionFor: async () => ({ url: cluster.url, maxRetries: 0 }),
    holder: `kibana:${name}`,
    indexPrefix: prefix,
    backend: 'wasm',
    epochs: 2,
    leaseTtlMs: 10_000,
  });
}

const sourceId = (): string => `src${cluster.tag}`;

it('a job started through job control runs in a worker, trains models, and records its run', async () => {
  const jobs = instance('a');
  const { runId } = await jobs.start({ type: 'train', source: sourceId() });
  await jobs.idle();
  const run = await jobs.get(runId);
  assert.equal(run?.status, 'succeeded', JSON.stringify(run));
  assert.equal(run?.holder, 'kibana:a');
  assert.ok((run?.counts.models ?? 0) > 1, 'a generic model and some users');
  const users = await new EsModelStore(cluster.client, { index: `${prefix}-models` }).list('azure-signin');
  assert.equal(users.length + 1, run?.counts.models, 'every model the run counted is in the store');
});

it('two instances starting the same job at once: one runs it, the other gets 409 naming the holder', async () => {
  const [a, b] = [instance('a'), instance('b')];
  // Each start spawns a worker thread that takes the lease; on a loaded machine one worker can start
  // seconds after the other, when a small job has already finished. Slow source reads (in-memory
  // server) keep the winner's run going while the other worker starts, so the race is decided by
  // the lease alone. On a real cluster the runs may then be sequential: they must never overlap.
  cluster.server?.faults.inject({ method: 'POST', path: /\/_search$/, delayMs: 1_500, times: 4 });
  const outcomes = await Promise.allSettled([a.start({ type: 'score', source: sourceId() }), b.start({ type: 'score', source: sourceId() })]);
  await Promise.all([a.idle(), b.idle()]);
  cluster.server?.faults.clear();
  const won = outcomes.filter((o) => o.status === 'fulfilled');
  const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  const runs = await new JobRuns(cluster.client, { index: `${prefix}-state` }).list({ type: 'score' });
  if (cluster.server || won.length === 1) {
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(lost[0].reason instanceof HttpError && lost[0].reason.statusCode === 409);
    assert.match(lost[0].reason.message, /already running: held by kibana:[ab]/);
    assert.equal(runs.length, 1, 'one run recorded');
  } else {
    const [first, second] = [...runs].sort((x, y) => x.startedAt.localeCompare(y.startedAt));
    assert.ok(second.startedAt >= (first.endedAt ?? ''), `the runs did not overlap: ${JSON.stringify(runs)}`);
  }
  assert.ok(runs.every((r) => r.status === 'succeeded'), JSON.stringify(runs));
  assert.ok((runs[0].counts.written ?? 0) > 0);
});

it("two instances' schedulers fire the same schedule: each firing runs exactly once", async () => {
  await settings.update({ schedules: { train: '0 0 1 1 *', score: '*/2 * * * * *' } });
  const [a, b] = [instance('a'), instance('b')];
  const log: string[] = [];
  const schedulers = [new Scheduler(a, settings, (l) => log.push(`a: ${l}`)), new Scheduler(b, settings, (l) => log.push(`b: ${l}`))];
  const before = (await new JobRuns(cluster.client, { index: `${prefix}-state` }).list({ type: 'score' })).length;
  await Promise.all(schedulers.map((s) => s.refresh()));
  // A worker thread takes seconds to start under tsx: let the schedules fire until two runs started.
  const deadline = Date.now() + 60_000;
  while (log.filter((l) => / started \(run /.test(l)).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
  await Promise.all(schedulers.map((s) => s.stop()));
  await Promise.all([a.idle(), b.idle()]);
  const runs = (await new JobRuns(cluster.client, { index: `${prefix}-state` }).list({ type: 'score' })).slice(0, -before || undefined);
  assert.ok(runs.length >= 1, `the schedule fired: ${log.join('; ')}`);
  const firings = runs.map((r) => Math.floor(Date.parse(r.startedAt) / 2000));
  assert.equal(new Set(firings).size, runs.length, `never two runs for one firing: ${runs.map((r) => `${r.startedAt} ${r.holder}`).join(', ')}`);
  assert.ok(runs.every((r) => r.status === 'succeeded' || r.status === 'cancelled'), runs.map((r) => r.status).join());
  assert.ok(log.some((l) => /skipped: .*(already running|workers of this server are busy)/.test(l)), 'firings that found the job running were skipped, not run twice');
});
