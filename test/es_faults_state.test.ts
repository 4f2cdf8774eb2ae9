// State writes (checkpoints, leases, job runs) under lost answers, with the client configured as in
// production: the transport re-sends a request whose connection dropped, so a write already
// applied comes back as a 409 that is our own. Each write carries an id; only another process's
// write is a conflict, even when its content is the same as ours.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { EsTestServer } from './es_server/server';
import { createEsClient } from '../server/engine/io/es/client';
import { Checkpoints, CheckpointConflictError, type Checkpoint } from '../server/engine/io/es/checkpoints';
import { Lease, LeaseLostError } from '../server/engine/io/es/lease';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { runEsJob } from '../server/engine/jobs/es_job';

const STATE = '.dfp-state';
const BASE = Date.parse('2026-03-01T00:00:00.000Z');
const server = new EsTestServer();
/** As in production: createEsClient's defaults (transport retries 3). */
let client: Client;
/** No transport retries: for what must fail on every attempt without waiting for the transport's backoff. */
let bare: Client;

before(async () => {
  await server.start();
});
after(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
  client = createEsClient({ url: server.url });
  bare = createEsClient({ url: server.url, maxRetries: 0 });
});
afterEach(async () => {
  await client.close();
  await bare.close();
});

const docPath = (id: string): string => `/${STATE}/_doc/${encodeURIComponent(id)}`;
const statuses = (method: string, id: string): (number | undefined)[] => server.requests.filter((r) => r.method === method && r.path === docPath(id)).map((r) => r.status);
const cp = (over: Partial<Checkpoint> = {}): Checkpoint => ({ source: 'azure', time: new Date(BASE).toISOString(), timeMs: BASE, ids: ['x/a'], events: 1, runId: 'r1', updatedAt: new Date(BASE).toISOString(), ...over });

describe('state writes whose answer was lost', () => {
  it('a checkpoint write re-sent by the client itself finds its own write: success, not "moved by another process"', async () => {
    const checkpoints = new Checkpoints(client);
    const v0 = await checkpoints.write(cp(), null);
    server.faults.inject({ method: 'PUT', path: docPath('checkpoint:azure'), destroySocket: 'mid-response', times: 1 });
    const next = cp({ timeMs: BASE + 1000, time: new Date(BASE + 1000).toISOString(), events: 2 });
    const v1 = await checkpoints.write(next, v0);
    // Applied with its answer cut, re-sent by the transport: 409, recognised as ours.
    assert.deepEqual(statuses('PUT', 'checkpoint:azure').slice(1), [undefined, 409]);
    assert.deepEqual(await checkpoints.read('azure'), { checkpoint: next, ...v1 });
  });

  it('the same content written by another process is still a conflict', async () => {
    const checkpoints = new Checkpoints(client);
    const v0 = await checkpoints.write(cp(), null);
    const same = cp({ runId: 'r2', events: 2 });
    // Our request dies unapplied (slowly); the other process writes exactly what we meant to.
    server.faults.inject({ method: 'PUT', path: docPath('checkpoint:azure'), delayMs: 100, destroySocket: 'before', times: 1 });
    const ours = checkpoints.write(same, v0);
    await sleep(20);
    await new Checkpoints(bare).write(same, v0);
    await assert.rejects(ours, CheckpointConflictError);
  });

  it('a lease whose create answer was lost is acquired, not reported "held by" itself', async () => {
    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), destroySocket: 'mid-response', times: 1 });
    const got = await Lease.acquire(client, { name: 'score:azure', holder: 'cli-1', ttlMs: 60_000 });
    assert.ok(got instanceof Lease, `acquired, not ${JSON.stringify(got)}`);
    await got.release();
    assert.equal(await Lease.read(client, 'score:azure'), null, 'released: the next run need not wait for the TTL');
  });

  it('a renewal whose answer was lost keeps the lease', async () => {
    let now = BASE;
    const lease = (await Lease.acquire(client, { name: 'score:azure', holder: 'kbn-1', ttlMs: 60_000, now: () => now })) as Lease;
    now = BASE + 20_000;
    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), destroySocket: 'mid-response', times: 1 });
    await lease.renew();
    assert.equal(lease.signal.aborted, false);
    assert.equal(lease.info.expiresAt, new Date(BASE + 80_000).toISOString());
    assert.deepEqual(await Lease.read(client, 'score:azure'), lease.info);
  });

  it('a renewal that failed on every attempt but landed is recognised by the next renewal and by release', async () => {
    let now = BASE;
    const lease = (await Lease.acquire(bare, { name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: () => now })) as Lease;
    // Every attempt's answer is cut: the first is applied, the rest meet it (409), nobody learns.
    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), destroySocket: 'mid-response', times: 5 });
    now = BASE + 300;
    await assert.rejects(lease.renew(), (e: Error) => !(e instanceof LeaseLostError));
    assert.equal((await Lease.read(bare, 'score:azure'))?.renewedAt, new Date(BASE + 300).toISOString(), 'the renewal landed');
    now = BASE + 600;
    await lease.renew();
    assert.equal(lease.signal.aborted, false, 'not lost to itself');
    assert.equal((await Lease.read(bare, 'score:azure'))?.renewedAt, new Date(BASE + 600).toISOString());

    // The same for release: the last renewal in doubt, the delete still removes our lease.
    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), destroySocket: 'mid-response', times: 5 });
    now = BASE + 900;
    await assert.rejects(lease.renew());
    await lease.release();
    assert.equal(await Lease.read(bare, 'score:azure'), null);
  });

  it('a lease another holder took over is still lost', async () => {
    let now = BASE;
    const a = (await Lease.acquire(bare, { name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: () => now })) as Lease;
    now = BASE + 1000;
    assert.ok((await Lease.acquire(bare, { name: 'score:azure', holder: 'kbn-2', ttlMs: 1000, now: () => now })) instanceof Lease);
    await assert.rejects(a.renew(), LeaseLostError);
    await a.release();
    assert.equal((await Lease.read(bare, 'score:azure'))?.holder, 'kbn-2', 'release left the new holder alone');
  });
});

describe('job runs whose answer was lost', () => {
  it('a job whose final status answer was lost succeeds, with its run recorded once as succeeded', async () => {
    server.faults.inject({ method: 'PUT', path: /^\/\.dfp-state\/_doc\/run/, when: (req) => req.raw.includes('"status":"succeeded"'), destroySocket: 'mid-response', times: 1 });
    const outcome = await runEsJob(client, { type: 'score', source: 'azure', holder: 'cli-1' }, async () => ({ result: 42, counts: { written: 7 } }));
    assert.equal(outcome.status, 'succeeded', outcome.status === 'failed' ? outcome.error.message : '');
    const runs = await new JobRuns(client).list();
    assert.deepEqual(runs.map((r) => [r.status, r.counts.written]), [['succeeded', 7]]);
    assert.equal(await Lease.read(client, 'score:azure'), null, 'the lease was released');
  });

  it('a progress write that failed but landed does not make finish report "changed by another process"', async () => {
    const runs = new JobRuns(bare, { progressIntervalMs: 0, onError: () => {} });
    const run = await runs.start('score', 'azure', 'cli-1');
    server.faults.inject({ method: 'PUT', path: docPath(`run:${run.id}`), destroySocket: 'mid-response', times: 1 });
    run.progress({ phase: 'scoring', done: 10, total: 0 }, { read: 10 });
    await waitUntil(() => server.requests.some((r) => r.path === docPath(`run:${run.id}`) && r.status === undefined));
    const done = await run.finish('succeeded', { written: 10 });
    assert.equal(done.status, 'succeeded');
    assert.deepEqual((await runs.get(run.id))?.counts, { read: 10, written: 10 });
  });

  it('a run marked abandoned by another process is still reported as changed', async () => {
    const runs = new JobRuns(bare);
    const run = await runs.start('score', 'azure', 'dead-holder');
    assert.equal(await runs.markAbandoned('score', 'azure', 'another-run'), 1);
    await assert.rejects(run.finish('succeeded'), /was changed by another process \(now 'abandoned'/);
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  while (!cond()) await sleep(5);
}

describe('a lease acquisition that fails without an answer', () => {
  it('takes back its lease when the write landed, so the next run need not wait for the TTL', async () => {
    // Every attempt's answer is cut (the first applied): acquire fails, but no lease is left behind.
    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), destroySocket: 'mid-response', times: 5 });
    await assert.rejects(Lease.acquire(bare, { name: 'score:azure', holder: 'cli-1', ttlMs: 1000 }));
    assert.equal(await Lease.read(bare, 'score:azure'), null);
    assert.ok((await Lease.acquire(bare, { name: 'score:azure', holder: 'cli-2', ttlMs: 1000 })) instanceof Lease);
  });
});
