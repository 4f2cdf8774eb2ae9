// Job runs in the state index, against the in-memory ES test server through the official client over HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { JobRuns, MAX_RUN_ERRORS, jobLeaseName } from '../server/engine/io/es/job_runs';
import { Checkpoints, advanceCheckpoint } from '../server/engine/io/es/checkpoints';
import { BASE, clock, iso, useStateServer, waitFor } from './es_state_support';

const es = useStateServer();

describe('JobRuns', () => {
  it('records start, throttled progress and finish with counts', async () => {
    const c = clock();
    const errors: Error[] = [];
    const runs = new JobRuns(es.client, { progressIntervalMs: 100, now: c.now, onError: (e) => errors.push(e) });
    const run = await runs.start('score', 'azure-signin', 'kbn-1', { from: '2026-03-01' });
    const listed = await runs.list();
    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0], {
      id: run.id,
      type: 'score',
      source: 'azure-signin',
      holder: 'kbn-1',
      status: 'running',
      startedAt: iso(BASE),
      progress: { phase: 'starting', done: 0, total: 0 },
      counts: {},
      errors: [],
      params: { from: '2026-03-01' },
    });
    assert.match(run.id, /^[0-9a-f-]{36}$/);

    const writes = (): number => es.requestsTo('PUT', es.docPath(`run:${run.id}`)).length;
    assert.equal(writes(), 1);
    run.progress({ phase: 'read', done: 10, total: 100 }, { read: 10 });
    await waitFor('the first progress write', async () => (await runs.get(run.id))?.progress.done === 10);
    // Within the interval, later calls are folded into one write of the latest state.
    for (let k = 2; k <= 5; k++) run.progress({ phase: 'score', done: k * 10, total: 100 }, { read: k * 10, scored: k });
    await sleep(30);
    assert.equal(writes(), 2);
    await waitFor('the throttled progress write', async () => (await runs.get(run.id))?.progress.done === 50);
    assert.equal(writes(), 3);
    assert.deepEqual((await runs.get(run.id))?.counts, { read: 50, scored: 5 });

    c.set(BASE + 5000);
    const done = await run.finish('succeeded', { written: 48 }, 'scored 50 events');
    assert.equal(done.status, 'succeeded');
    assert.equal(done.endedAt, iso(BASE + 5000));
    assert.deepEqual(done.counts, { read: 50, scored: 5, written: 48 });
    assert.equal(done.message, 'scored 50 events');
    assert.deepEqual(await runs.get(run.id), done);
    assert.deepEqual(await runs.list(), [done]); // visible to search at once
    await assert.rejects(run.finish('failed'), /already finished/);
    assert.deepEqual(errors, []);
    assert.equal(await runs.get('no-such-run'), null);
  });

  it('never lands a progress write after finish', async () => {
    const runs = new JobRuns(es.client, { progressIntervalMs: 1000 });
    const run = await runs.start('train', 'azure-signin', 'kbn-1');
    // The first progress write is slow: finish is called while it is in flight.
    es.server.faults.inject({ method: 'PUT', path: es.docPath(`run:${run.id}`), delayMs: 200, times: 1 });
    run.progress({ phase: 'read', done: 1, total: 3 });
    await sleep(30);
    run.progress({ phase: 'train', done: 2, total: 3 }); // throttled: pending when finish comes
    const done = await run.finish('succeeded');
    run.progress({ phase: 'late', done: 3, total: 3 }); // after finish: ignored
    await sleep(50);
    const stored = await runs.get(run.id);
    assert.equal(stored?.status, 'succeeded');
    assert.deepEqual(stored?.progress, { phase: 'train', done: 2, total: 3 }); // the pending state went into the final write
    assert.deepEqual(stored, done);
    const puts = es.requestsTo('PUT', es.docPath(`run:${run.id}`));
    assert.deepEqual(puts.map((r) => r.status), [201, 200, 200]); // start, the slow progress, finish
  });

  it('lists newest first, filtered by type, source and status, without leases or checkpoints', async () => {
    const c = clock();
    const runs = new JobRuns(es.client, { now: c.now });
    await es.mustAcquire({ name: 'score:a', holder: 'kbn-1' });
    await new Checkpoints(es.client).write(advanceCheckpoint(null, { source: 'a', runId: 'r0', events: [{ time: BASE, id: 'i/1' }] }), null);
    const started: { id: string; label: string }[] = [];
    for (const [k, [type, source]] of ([['score', 'a'], ['train', 'a'], ['score', 'b'], ['score', 'a']] as const).entries()) {
      c.set(BASE + k * 1000);
      const run = await runs.start(type, source, 'kbn-1');
      started.push({ id: run.id, label: `${type}/${source}` });
      if (k === 1) await run.finish('failed', undefined, 'boom');
    }
    const ids = (list: { id: string }[]): string[] => list.map((r) => r.id);
    const [s0, t1, s2, s3] = started.map((s) => s.id);
    assert.deepEqual(ids(await runs.list()), [s3, s2, t1, s0]);
    assert.deepEqual(ids(await runs.list({ type: 'score' })), [s3, s2, s0]);
    assert.deepEqual(ids(await runs.list({ source: 'a' })), [s3, t1, s0]);
    assert.deepEqual(ids(await runs.list({ type: 'score', source: 'a' })), [s3, s0]);
    assert.deepEqual(ids(await runs.list({ status: 'failed' })), [t1]);
    assert.deepEqual(ids(await runs.list({ status: 'running', limit: 2 })), [s3, s2]);
    assert.deepEqual(await runs.list({ type: 'train', status: 'running' }), []);
  });

  it('keeps the first 50 errors and counts the rest', async () => {
    const runs = new JobRuns(es.client, { progressIntervalMs: 10 });
    const run = await runs.start('score', 'a', 'kbn-1');
    for (let k = 1; k <= 60; k++) run.error(`bad event ${k}`);
    const done = await run.finish('failed', { read: 60 }, '60 bad events');
    assert.equal(done.errors.length, MAX_RUN_ERRORS);
    assert.deepEqual(done.errors, Array.from({ length: 50 }, (_, k) => `bad event ${k + 1}`));
    assert.equal(done.errorsDropped, 10);
    assert.deepEqual(await runs.get(run.id), done);
  });

  it('marks running runs whose holder lost the lease as abandoned, and only those', async () => {
    const c = clock();
    const reported: Error[] = [];
    const runs = new JobRuns(es.client, { now: c.now, progressIntervalMs: 0, onError: (e) => reported.push(e) });
    // kbn-old runs score:a and dies: its lease expires with the run still "running".
    await es.mustAcquire({ name: jobLeaseName('score', 'a'), holder: 'kbn-old', ttlMs: 1000, now: c.now });
    const dead = await runs.start('score', 'a', 'kbn-old');
    const otherJob = await runs.start('train', 'a', 'kbn-old'); // another job: not this lease's business
    const finished = await runs.start('score', 'a', 'kbn-old');
    await finished.finish('succeeded');
    // kbn-live holds score:c and is running it.
    await es.mustAcquire({ name: jobLeaseName('score', 'c'), holder: 'kbn-live', ttlMs: 60_000, now: c.now });
    const live = await runs.start('score', 'c', 'kbn-live');

    c.set(BASE + 2000);
    assert.equal(await runs.markAbandoned('score', 'c', 'some-new-run'), 0);
    const lease = await es.mustAcquire({ name: jobLeaseName('score', 'a'), holder: 'kbn-new', ttlMs: 1000, now: c.now });
    const mine = await runs.start('score', 'a', 'kbn-new');
    assert.equal(await runs.markAbandoned('score', 'a', mine.id), 1);

    const abandoned = await runs.get(dead.id);
    assert.equal(abandoned?.status, 'abandoned');
    assert.equal(abandoned?.endedAt, iso(BASE + 2000));
    assert.equal(abandoned?.message, 'abandoned: holder kbn-old stopped without finishing (lease "score:a" is now held by kbn-new)');
    assert.deepEqual((await runs.list({ status: 'abandoned' })).map((r) => r.id), [dead.id]);
    for (const id of [otherJob.id, live.id, mine.id]) assert.equal((await runs.get(id))?.status, 'running');
    assert.equal((await runs.get(finished.id))?.status, 'succeeded');
    assert.equal(await runs.markAbandoned('score', 'a', mine.id), 0); // already marked

    // The old process comes back: its progress stops being written and its finish is refused.
    dead.progress({ phase: 'score', done: 1, total: 2 });
    await waitFor('the progress conflict to be reported', () => reported.length > 0);
    assert.match(reported[0].message, new RegExp(`^job run ${dead.id} was changed by another process`));
    await assert.rejects(dead.finish('succeeded'), new RegExp(`^Error: job run ${dead.id} was changed by another process \\(now 'abandoned': abandoned: holder kbn-old`));
    assert.equal((await runs.get(dead.id))?.status, 'abandoned');

    // Once kbn-new's own lease lapses without a release, its run is abandoned too (expired lease).
    c.set(BASE + 3000);
    assert.equal(await runs.markAbandoned('score', 'a', 'next-run'), 1);
    assert.equal((await runs.get(mine.id))?.message, 'abandoned: holder kbn-new stopped without finishing (its lease "score:a" expired at 2026-03-01T00:00:03.000Z)');
    await lease.release();
  });
});
