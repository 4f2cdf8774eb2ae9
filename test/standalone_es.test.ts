// The standalone server over a cluster, through real HTTP: an admin configures a source, trains
// and scores it through the API (jobs in worker threads), and the analyst's questions are answered
// from what the jobs wrote to Elasticsearch.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cleanUp, indexLikeIntegration, startCluster, type TestCluster } from './es_cluster';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { esContext } from '../server/standalone/context';
import type { WorkerJobControl } from '../server/job_control/worker_job_control';

const now = Date.now();
const ds = generate({ profile: 'azure-signin', seed: 21, users: 8, trainDays: 8, testDays: 1, compromisedUsers: 1, start: new Date(now - 9 * 86_400_000).toISOString() });
let cluster: TestCluster;
let server: Server;
let base: string;
let jobs: WorkerJobControl;
let prefix: string;
let stream: string;

before(async () => {
  cluster = await startCluster();
  prefix = `.dfp-${cluster.tag}-serve`;
  stream = await indexLikeIntegration(cluster.client, resolveProfile('azure-signin'), `dfpserve${cluster.tag}`, 'default', [...ds.train, ...ds.test]);
  const built = esContext({ client: cluster.client, connection: { url: cluster.url, maxRetries: 0 }, indexPrefix: prefix, holder: 'serve:test' });
  jobs = built.jobs;
  server = createStandaloneServer({ routes: ROUTES, context: built.context, privilegesOf: () => ['read', 'manage'], auth: { token: TOKEN } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.close();
  await jobs.stop();
  await cleanUp(cluster.client, { dataStreams: [stream, `logs-dfp.scores-serve${cluster.tag}`, `logs-dfp.user_risk-serve${cluster.tag}`], indices: [`${prefix}-models`, `${prefix}-state`], indexTemplates: [`logs-dfpserve${cluster.tag}`] });
  await cluster.stop();
});

/** The token the server wants, sent as Bearer; kbn-xsrf for writes (harmless on reads). */
const TOKEN = 'standalone-es-test-token-0123456789';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'kbn-xsrf': 'test' };

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${url}`, { method, headers: body ? { ...AUTH, 'content-type': 'application/json' } : AUTH, body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() };
}

/** Starts a job through the public API and polls it until it ends. */
async function runJob(type: 'train' | 'score'): Promise<any> {
  const started = await call('POST', '/api/dfp/jobs', { type });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  for (;;) {
    const run = await call('GET', `/api/dfp/jobs/${started.body.runId}`);
    assert.equal(run.status, 200);
    if (run.body.status !== 'running') return run.body;
    await new Promise((r) => setTimeout(r, 200));
  }
}

it('an admin adds a source, trains and scores it through the API; the answers come from Elasticsearch', async () => {
  const source = { id: 'signins', profile: 'azure-signin', index: stream, namespace: `serve${cluster.tag}`, settleSeconds: 0, initialLookbackHours: 36 };
  const put = await call('PUT', '/internal/dfp/settings', { sources: [source], minHistory: 60 });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const dup = await call('PUT', '/internal/dfp/settings', { sources: [source, source] });
  assert.equal(dup.status, 400);
  assert.match(dup.body.message, /source ids must be unique; repeated: signins/);

  const train = await runJob('train');
  assert.equal(train.status, 'succeeded', JSON.stringify(train));
  const score = await runJob('score');
  assert.equal(score.status, 'succeeded', JSON.stringify(score));
  const scoredEvents = ds.test.length + ds.train.filter((e) => Date.parse(String(e['@timestamp'])) >= now - 36 * 3_600_000).length;
  assert.equal(score.counts.written, scoredEvents, 'the score job wrote every event of its range');

  const range = `from=${encodeURIComponent(new Date(now - 40 * 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now + 3_600_000).toISOString())}`;
  const overview = (await call('GET', `/internal/dfp/overview?${range}`)).body;
  assert.equal(overview.totals.events, scoredEvents);
  const users = (await call('GET', `/internal/dfp/users?${range}`)).body;
  assert.ok(users.users.length > 0);
  const top = users.users[0].user;
  const fp = (await call('GET', `/internal/dfp/users/${encodeURIComponent(top)}/fingerprint?${range}`)).body;
  assert.ok(fp.model && fp.features.length > 0 && fp.recentEvents > 0, JSON.stringify(fp).slice(0, 300));

  const status = (await call('GET', '/internal/dfp/status')).body;
  assert.equal(status.jobsAvailable, true);
  assert.equal(status.sources[0].lastRuns.score.id, score.id);
  assert.equal(status.sources[0].lastRuns.train.id, train.id);
  assert.ok(status.sources[0].scoredUpTo, 'the checkpoint is known');

  // A second training makes version 2 for users with their own model; roll one back through the API.
  const own = (await call('GET', '/internal/dfp/models')).body.users[0].user;
  assert.equal((await runJob('train')).status, 'succeeded');
  const rolled = await call('POST', '/internal/dfp/models/rollback', { user: own, version: 1 });
  assert.equal(rolled.status, 200, JSON.stringify(rolled.body));
  assert.deepEqual(rolled.body.versions.map((v: any) => [v.version, v.active]), [[1, true], [2, false]]);

  // Retraining one user makes that user's version 3 and leaves the generic model alone.
  const genericBefore = (await call('GET', '/internal/dfp/models/versions')).body.versions.map((v: any) => v.version);
  const retrain = await call('POST', '/internal/dfp/models/retrain', { user: own });
  assert.equal(retrain.status, 200, JSON.stringify(retrain.body));
  for (;;) {
    const run = (await call('GET', `/api/dfp/jobs/${retrain.body.runId}`)).body;
    if (run.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    assert.equal(run.status, 'succeeded', JSON.stringify(run));
    assert.equal(run.counts.users, 1, 'only that user');
    break;
  }
  const after = (await call('GET', `/internal/dfp/models/versions?user=${encodeURIComponent(own)}`)).body.versions;
  assert.deepEqual(after.map((v: any) => [v.version, v.active]), [[1, false], [2, false], [3, true]]);
  assert.deepEqual((await call('GET', '/internal/dfp/models/versions')).body.versions.map((v: any) => v.version), genericBefore, 'generic model untouched');
});
