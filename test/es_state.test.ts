// Leases, job runs and checkpoints in the state index, against the in-memory ES test server through
// the official client over HTTP. Clocks are injected where expiry matters, so nothing waits a TTL.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@elastic/elasticsearch';
import { EsTestServer } from './es_server/server';
import { ensureStateIndex } from '../server/engine/io/es/state_index';
import { Lease, LeaseLostError, type LeaseInfo } from '../server/engine/io/es/lease';
import { JobRuns, MAX_RUN_ERRORS, jobLeaseName } from '../server/engine/io/es/job_runs';
import { CheckpointConflictError, Checkpoints, advanceCheckpoint, alreadyScored, type Checkpoint, type ScoredEvent } from '../server/engine/io/es/checkpoints';
import { readEsEvents } from '../server/engine/io/es/source';

const server = new EsTestServer();
let client: Client;

before(async () => {
  await server.start();
});
after(async () => {
  await server.stop();
});
// A client per test: the state index is ensured once per client, and reset() forgets it (and its template).
beforeEach(() => {
  server.reset();
  client = new Client({ node: server.url, maxRetries: 0 });
});
afterEach(async () => {
  await client.close();
});

const STATE = '.dfp-state';
const BASE = Date.parse('2026-03-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
/** The request path of a state document (the client URL-encodes the id's colon). */
const docPath = (id: string): string => `/${STATE}/_doc/${encodeURIComponent(id)}`;
const requestsTo = (method: string, path: string): { status?: number }[] => server.requests.filter((r) => r.method === method && r.path === path);

/** A settable clock. */
function clock(start = BASE): { now: () => number; set: (ms: number) => void } {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms) };
}

async function mustAcquire(opts: Parameters<typeof Lease.acquire>[1]): Promise<Lease> {
  const got = await Lease.acquire(client, opts);
  assert.ok(got instanceof Lease, `expected to acquire ${opts.name} as ${opts.holder}, but it is held by ${'heldBy' in got ? got.heldBy.holder : '?'}`);
  return got;
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('state index', () => {
  it('reads of a missing index are empty, and the first write creates it hidden with its mappings', async () => {
    assert.equal(await Lease.read(client, 'score:x'), null);
    assert.deepEqual(await new JobRuns(client).list(), []);
    assert.equal(await new Checkpoints(client).read('x'), null);
    assert.equal(server.store.indices.has(STATE), false);

    await mustAcquire({ name: 'score:x', holder: 'h1' });
    const got = await client.indices.get({ index: STATE });
    const settings = got[STATE].settings as { index: Record<string, string> };
    assert.equal(settings.index.hidden, 'true');
    assert.equal(settings.index.number_of_shards, '1');
    const mappings = got[STATE].mappings as { dynamic: unknown; properties: Record<string, { type?: string; properties?: Record<string, { type: string }> }> };
    assert.equal(mappings.dynamic, false);
    assert.equal(mappings.properties.type.type, 'keyword');
    assert.equal(mappings.properties.lease.properties!.expiresAt.type, 'date');
    assert.equal(mappings.properties.run.properties!.status.type, 'keyword');
    assert.equal(mappings.properties.run.properties!.startedAt.type, 'date');
    assert.equal(mappings.properties.checkpoint.properties!.timeMs.type, 'long');
    // The template stays, so an index deleted later is re-created with the same mappings.
    assert.ok(server.store.templates.has('dfp-state-template'));
    await ensureStateIndex(client); // idempotent
  });
});

describe('Lease', () => {
  it('refuses a second acquirer and tells it who holds the lease', async () => {
    const c = clock();
    const a = await mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    const want: LeaseInfo = { name: 'score:azure', holder: 'kbn-1', acquiredAt: iso(BASE), renewedAt: iso(BASE), expiresAt: iso(BASE + 1000) };
    assert.deepEqual(a.info, want);
    assert.deepEqual(await Lease.read(client, 'score:azure'), want);
    const stored = await client.get({ index: STATE, id: 'lease:score:azure' });
    assert.deepEqual(stored._source, { type: 'lease', lease: want });

    c.set(BASE + 999);
    assert.deepEqual(await Lease.acquire(client, { name: 'score:azure', holder: 'cli-1', ttlMs: 1000, now: c.now }), { heldBy: want });
    // Another name is another lease.
    await mustAcquire({ name: 'train:azure', holder: 'cli-1', now: c.now });
    assert.equal(a.signal.aborted, false);
  });

  it('renew pushes the expiry; an expired lease is taken over, and the old holder learns it lost', async () => {
    const c = clock();
    const a = await mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    c.set(BASE + 600);
    await a.renew();
    assert.equal(a.info.expiresAt, iso(BASE + 1600));
    assert.equal(a.info.acquiredAt, iso(BASE));
    assert.deepEqual(await Lease.read(client, 'score:azure'), a.info);

    c.set(BASE + 1200); // past the first expiry, before the renewed one
    assert.equal(((await Lease.acquire(client, { name: 'score:azure', holder: 'kbn-2', ttlMs: 1000, now: c.now })) as { heldBy: LeaseInfo }).heldBy.holder, 'kbn-1');

    c.set(BASE + 1600); // expiresAt itself counts as expired
    const b = await mustAcquire({ name: 'score:azure', holder: 'kbn-2', ttlMs: 1000, now: c.now });
    assert.deepEqual(b.info, { name: 'score:azure', holder: 'kbn-2', acquiredAt: iso(BASE + 1600), renewedAt: iso(BASE + 1600), expiresAt: iso(BASE + 2600) });

    await assert.rejects(a.renew(), (e: unknown) => {
      assert.ok(e instanceof LeaseLostError);
      assert.equal(e.heldBy?.holder, 'kbn-2');
      assert.match(e.message, /^lease "score:azure" was taken over by kbn-2/);
      return true;
    });
    assert.equal(a.signal.aborted, true);
    assert.ok(a.signal.reason instanceof LeaseLostError);
    // The loser's release must not remove the winner's lease; the winner goes on renewing.
    await a.release();
    assert.equal((await Lease.read(client, 'score:azure'))?.holder, 'kbn-2');
    c.set(BASE + 2000);
    await b.renew();
    assert.equal((await Lease.read(client, 'score:azure'))?.expiresAt, iso(BASE + 3000));
    assert.equal(b.signal.aborted, false);
  });

  it('a holder re-acquiring under its own id takes its lease back, and the older handle is out', async () => {
    const c = clock();
    const first = await mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    c.set(BASE + 10);
    const again = await mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    assert.equal(again.info.acquiredAt, iso(BASE + 10));
    await assert.rejects(first.renew(), LeaseLostError);
    assert.equal(first.signal.aborted, true);
    await again.renew();
  });

  it('release frees the lease for the next acquirer; a released lease cannot be renewed', async () => {
    const a = await mustAcquire({ name: 'score:azure', holder: 'kbn-1' });
    await a.release();
    assert.equal(await Lease.read(client, 'score:azure'), null);
    await a.release(); // twice is fine
    await assert.rejects(a.renew(), /lease "score:azure" was released/);
    assert.equal(a.signal.aborted, false); // released, not lost
    const b = await mustAcquire({ name: 'score:azure', holder: 'kbn-2' });
    assert.equal((await Lease.read(client, 'score:azure'))?.holder, 'kbn-2');
    await b.release();
  });

  it('of many processes racing for a free lease, or for an expired one, exactly one wins', async () => {
    const race = async (ttlMs: number, now: () => number): Promise<Lease> => {
      const results = await Promise.all(Array.from({ length: 16 }, (_, k) => Lease.acquire(client, { name: 'score:azure', holder: `p${k}`, ttlMs, now })));
      const winners = results.filter((r): r is Lease => r instanceof Lease);
      assert.equal(winners.length, 1);
      for (const r of results) if (!(r instanceof Lease)) assert.deepEqual(r.heldBy, winners[0].info);
      assert.deepEqual(await Lease.read(client, 'score:azure'), winners[0].info);
      return winners[0];
    };
    const c = clock();
    const first = await race(1000, c.now);
    // The create race: one create succeeded, the others got 409 (not retried as errors).
    const creates = server.requests.filter((r) => r.method === 'PUT' && r.path === docPath('lease:score:azure'));
    assert.deepEqual(creates.map((r) => r.status).sort(), [201, ...Array(15).fill(409)]);

    c.set(BASE + 5000); // first's lease has expired: now a take-over race on the same seq_no
    server.requests.length = 0;
    const second = await race(1000, c.now);
    const takeovers = server.requests.filter((r) => r.method === 'PUT' && r.path === docPath('lease:score:azure'));
    assert.deepEqual(takeovers.map((r) => r.status).sort(), [200, ...Array(15).fill(409)]);
    assert.equal(second.info.acquiredAt, iso(BASE + 5000));
    await assert.rejects(first.renew(), LeaseLostError);
  });

  it('retries a transient 503 on the read; an unexpected error is thrown with its reason', async () => {
    server.faults.inject({ method: 'GET', path: docPath('lease:score:azure'), status: 503, times: 1 });
    const a = await mustAcquire({ name: 'score:azure', holder: 'kbn-1' });
    assert.deepEqual(requestsTo('GET', docPath('lease:score:azure')).map((r) => r.status), [503, 404]);
    await a.release();

    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), status: 403, times: 1 });
    await assert.rejects(
      Lease.acquire(client, { name: 'score:azure', holder: 'kbn-2' }),
      /^Error: write lease:score:azure to \.dfp-state: HTTP 403 security_exception: action \[indices:data\/write\/bulk\] is unauthorized/,
    );
  });

  it('keepAlive renews in the background, and aborts the signal when another holder takes over', async () => {
    const a = await mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 600 });
    const acquiredExpiry = Date.parse(a.info.expiresAt);
    a.keepAlive(20);
    await waitFor('a background renewal', async () => Date.parse((await Lease.read(client, 'score:azure'))!.expiresAt) > acquiredExpiry);
    assert.equal(a.signal.aborted, false);

    // A process whose clock is far ahead sees the lease expired and takes it.
    const b = await mustAcquire({ name: 'score:azure', holder: 'kbn-2', ttlMs: 600, now: () => Date.now() + 60_000 });
    await waitFor('the loss to be noticed', () => a.signal.aborted);
    assert.ok(a.signal.reason instanceof LeaseLostError);
    assert.equal((a.signal.reason as LeaseLostError).heldBy?.holder, 'kbn-2');
    assert.deepEqual(await Lease.read(client, 'score:azure'), b.info); // a's timer stopped writing
    await a.release();
    await b.release();
  });

  it('keepAlive gives the lease up before it expires when renewals keep failing', async () => {
    const reported: Error[] = [];
    const a = await mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 600, onError: (e) => reported.push(e) });
    server.faults.inject({ method: 'PUT', path: docPath('lease:score:azure'), status: 503 });
    a.keepAlive(50);
    await waitFor('the lease to be given up', () => a.signal.aborted);
    assert.ok(Date.now() < Date.parse(a.info.expiresAt), 'given up before the stored expiry');
    assert.ok(Date.now() >= Date.parse(a.info.expiresAt) - 100 - 20, 'not before TTL/6 ahead of it');
    assert.match((a.signal.reason as Error).message, /^lease "score:azure" could not be renewed before it expires at .*HTTP 503 cluster_block_exception/);
    assert.ok(reported.length >= 1);
    assert.match(reported[0].message, /^write lease:score:azure to \.dfp-state \(after 5 attempts\): HTTP 503/);
    await a.release();
  });
});

describe('JobRuns', () => {
  it('records start, throttled progress and finish with counts', async () => {
    const c = clock();
    const errors: Error[] = [];
    const runs = new JobRuns(client, { progressIntervalMs: 100, now: c.now, onError: (e) => errors.push(e) });
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

    const writes = (): number => requestsTo('PUT', docPath(`run:${run.id}`)).length;
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
    const runs = new JobRuns(client, { progressIntervalMs: 1000 });
    const run = await runs.start('train', 'azure-signin', 'kbn-1');
    // The first progress write is slow: finish is called while it is in flight.
    server.faults.inject({ method: 'PUT', path: docPath(`run:${run.id}`), delayMs: 200, times: 1 });
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
    const puts = requestsTo('PUT', docPath(`run:${run.id}`));
    assert.deepEqual(puts.map((r) => r.status), [201, 200, 200]); // start, the slow progress, finish
  });

  it('lists newest first, filtered by type, source and status, without leases or checkpoints', async () => {
    const c = clock();
    const runs = new JobRuns(client, { now: c.now });
    await mustAcquire({ name: 'score:a', holder: 'kbn-1' });
    await new Checkpoints(client).write(advanceCheckpoint(null, { source: 'a', runId: 'r0', events: [{ time: BASE, id: 'i/1' }] }), null);
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
    const runs = new JobRuns(client, { progressIntervalMs: 10 });
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
    const runs = new JobRuns(client, { now: c.now, progressIntervalMs: 0, onError: (e) => reported.push(e) });
    // kbn-old runs score:a and dies: its lease expires with the run still "running".
    await mustAcquire({ name: jobLeaseName('score', 'a'), holder: 'kbn-old', ttlMs: 1000, now: c.now });
    const dead = await runs.start('score', 'a', 'kbn-old');
    const otherJob = await runs.start('train', 'a', 'kbn-old'); // another job: not this lease's business
    const finished = await runs.start('score', 'a', 'kbn-old');
    await finished.finish('succeeded');
    // kbn-live holds score:c and is running it.
    await mustAcquire({ name: jobLeaseName('score', 'c'), holder: 'kbn-live', ttlMs: 60_000, now: c.now });
    const live = await runs.start('score', 'c', 'kbn-live');

    c.set(BASE + 2000);
    assert.equal(await runs.markAbandoned('score', 'c', 'some-new-run'), 0);
    const lease = await mustAcquire({ name: jobLeaseName('score', 'a'), holder: 'kbn-new', ttlMs: 1000, now: c.now });
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

describe('Checkpoints', () => {
  const cp = (over: Partial<Checkpoint> = {}): Checkpoint => ({
    source: 'azure',
    time: iso(BASE),
    timeMs: BASE,
    ids: ['logs/1'],
    events: 1,
    runId: 'r1',
    updatedAt: iso(BASE),
    ...over,
  });

  it('creates, moves conditionally, refuses stale writers, and resets', async () => {
    const checkpoints = new Checkpoints(client);
    const v0 = await checkpoints.write(cp(), null);
    const read0 = await checkpoints.read('azure');
    assert.deepEqual(read0, { checkpoint: cp(), ...v0 });
    // A second creator (another process starting from scratch) loses.
    await assert.rejects(checkpoints.write(cp({ runId: 'r2' }), null), CheckpointConflictError);

    const next = cp({ time: iso(BASE + 1000), timeMs: BASE + 1000, ids: ['logs/7'], events: 5 });
    const v1 = await checkpoints.write(next, v0);
    assert.ok(v1.seqNo > v0.seqNo);
    assert.deepEqual((await checkpoints.read('azure'))?.checkpoint, next);
    // A writer still holding the old position does not move it back.
    await assert.rejects(checkpoints.write(cp({ runId: 'stale' }), v0), (e: unknown) => {
      assert.ok(e instanceof CheckpointConflictError);
      assert.equal(e.source, 'azure');
      return true;
    });
    assert.deepEqual((await checkpoints.read('azure'))?.checkpoint, next);
    assert.equal(await checkpoints.read('other'), null); // one checkpoint per source

    await checkpoints.reset('azure');
    assert.equal(await checkpoints.read('azure'), null);
    await checkpoints.reset('azure'); // nothing to reset is fine
    await assert.rejects(checkpoints.write(next, v1), CheckpointConflictError); // gone: nothing to move
    await checkpoints.write(cp(), null); // start over
  });

  it('a write whose answer was lost is retried, and its own 409 on the retry counts as success', async () => {
    const checkpoints = new Checkpoints(client);
    // The server applies each write, then the connection dies mid-answer; the retry finds the write done.
    server.faults.inject({ method: 'PUT', path: docPath('checkpoint:azure'), destroySocket: 'mid-response', times: 1 });
    const v0 = await checkpoints.write(cp(), null);
    server.faults.inject({ method: 'PUT', path: docPath('checkpoint:azure'), destroySocket: 'mid-response', times: 1 });
    const next = cp({ time: iso(BASE + 1000), timeMs: BASE + 1000, events: 2 });
    const v1 = await checkpoints.write(next, v0);
    assert.deepEqual(await checkpoints.read('azure'), { checkpoint: next, ...v1 });
    assert.deepEqual(requestsTo('PUT', docPath('checkpoint:azure')).map((r) => r.status), [undefined, 409, undefined, 409]);

    // A 409 on a retry is still a conflict when the stored document is someone else's: our first
    // attempt dies unapplied (slowly), another writer moves the checkpoint, our retry gets 409.
    server.faults.inject({ method: 'PUT', path: docPath('checkpoint:azure'), delayMs: 100, destroySocket: 'before', times: 1 });
    const ours = checkpoints.write(cp({ runId: 'ours', events: 3 }), v1);
    await sleep(20);
    const theirs = cp({ runId: 'theirs', events: 3 });
    await checkpoints.write(theirs, v1);
    await assert.rejects(ours, CheckpointConflictError);
    assert.deepEqual((await checkpoints.read('azure'))?.checkpoint, theirs);
  });

  describe('advanceCheckpoint', () => {
    const meta = { source: 'azure', runId: 'r9', now: BASE + 99 };
    const ev = (sec: number, id: string): ScoredEvent => ({ time: BASE + sec * 1000, id });

    it('records the newest time and the ids at exactly that time, whatever the page order', () => {
      const next = advanceCheckpoint(null, { ...meta, events: [ev(1, 'x/a'), ev(3, 'x/c'), ev(2, 'x/b'), ev(3, 'x/d')] });
      assert.deepEqual(next, { source: 'azure', time: iso(BASE + 3000), timeMs: BASE + 3000, ids: ['x/c', 'x/d'], events: 4, runId: 'r9', updatedAt: iso(BASE + 99) });
    });

    it('accumulates ids across pages while the time stands still, and drops them when it moves', () => {
      // Seven events share second 5, spread over three pages; the re-read boundary events are not counted twice.
      const p1 = advanceCheckpoint(null, { ...meta, events: [ev(4, 'x/0'), ev(5, 'x/1'), ev(5, 'x/2')] });
      assert.deepEqual([p1.ids, p1.events], [['x/1', 'x/2'], 3]);
      const p2 = advanceCheckpoint(p1, { ...meta, events: [ev(5, 'x/1'), ev(5, 'x/2'), ev(5, 'x/3'), ev(5, 'x/4')] });
      assert.deepEqual([p2.timeMs, p2.ids, p2.events], [BASE + 5000, ['x/1', 'x/2', 'x/3', 'x/4'], 5]);
      const p3 = advanceCheckpoint(p2, { ...meta, events: [ev(5, 'x/5'), ev(5, 'x/6'), ev(5, 'x/7')] });
      assert.deepEqual([p3.ids, p3.events], [['x/1', 'x/2', 'x/3', 'x/4', 'x/5', 'x/6', 'x/7'], 8]);
      const p4 = advanceCheckpoint(p3, { ...meta, events: [ev(5, 'x/7'), ev(6, 'x/8')] });
      assert.deepEqual([p4.timeMs, p4.ids, p4.events], [BASE + 6000, ['x/8'], 9]);
    });

    it('a page of only already-scored boundary events keeps the position', () => {
      const prev = advanceCheckpoint(null, { ...meta, events: [ev(5, 'x/1'), ev(5, 'x/2')] });
      const same = advanceCheckpoint(prev, { ...meta, runId: 'r10', events: [ev(5, 'x/2'), ev(5, 'x/1')] });
      assert.deepEqual([same.timeMs, same.ids, same.events, same.runId], [prev.timeMs, prev.ids, 2, 'r10']);
    });

    it('an empty page leaves the checkpoint; bad pages are refused', () => {
      const prev = advanceCheckpoint(null, { ...meta, events: [ev(5, 'x/1')] });
      assert.equal(advanceCheckpoint(prev, { ...meta, events: [] }), prev);
      assert.throws(() => advanceCheckpoint(null, { ...meta, events: [] }), /no scored events of azure/);
      assert.throws(() => advanceCheckpoint(prev, { ...meta, events: [ev(4, 'x/0')] }), /event x\/0 of azure at .* is older than the checkpoint/);
      assert.throws(() => advanceCheckpoint(prev, { ...meta, events: [{ time: NaN, id: 'x/9' }] }), /event x\/9 of azure has no valid time/);
    });

    it('alreadyScored: older than the checkpoint, or at its time among its ids', () => {
      const prev = advanceCheckpoint(null, { ...meta, events: [ev(5, 'x/1')] });
      assert.equal(alreadyScored(null, ev(5, 'x/1')), false);
      assert.equal(alreadyScored(prev, ev(4, 'x/0')), true);
      assert.equal(alreadyScored(prev, ev(5, 'x/1')), true);
      assert.equal(alreadyScored(prev, ev(5, 'x/2')), false);
      assert.equal(alreadyScored(prev, ev(6, 'x/1')), false);
    });
  });

  it('runs that stop after every two pages, resuming with new PITs, score every event exactly once', async () => {
    // 47 events; seconds shared by up to 7 of them, so ties cross the 5-event page boundaries.
    const N = 47;
    const operations: object[] = [];
    for (let i = 0; i < N; i++) operations.push({ index: { _index: 'logs-x', _id: `e${(i * 13) % N}` } }, { '@timestamp': iso(BASE + Math.floor(((i * 13) % N) / 7) * 1000) });
    await client.indices.create({ index: 'logs-x', mappings: { properties: { '@timestamp': { type: 'date' } } } });
    assert.equal((await client.bulk({ operations, refresh: true })).errors, false);

    const checkpoints = new Checkpoints(client);
    const scored: string[] = [];
    for (let run = 1; run <= 30; run++) {
      const prev = await checkpoints.read('x');
      let checkpoint = prev?.checkpoint ?? null;
      let expected: { seqNo: number; primaryTerm: number } | null = prev;
      let page: ScoredEvent[] = [];
      let pages = 0;
      let fresh = 0;
      for await (const item of readEsEvents(client, { index: 'logs-x', pageSize: 5, ...(checkpoint ? { from: checkpoint.timeMs } : {}) })) {
        if (item.kind !== 'event') continue;
        const e = { time: Date.parse(item.event['@timestamp'] as string), id: item.source.file };
        if (!alreadyScored(checkpoint, e)) {
          scored.push(e.id);
          fresh++;
        }
        page.push(e);
        if (page.length === 5) {
          checkpoint = advanceCheckpoint(checkpoint, { source: 'x', runId: `r${run}`, events: page });
          expected = await checkpoints.write(checkpoint, expected);
          page = [];
          if (++pages === 2) break; // the process stops here
        }
      }
      if (page.length > 0) {
        checkpoint = advanceCheckpoint(checkpoint, { source: 'x', runId: `r${run}`, events: page });
        await checkpoints.write(checkpoint, expected);
      }
      if (fresh === 0) break; // caught up
    }
    assert.equal(scored.length, N);
    assert.deepEqual([...scored].sort(), Array.from({ length: N }, (_, i) => `logs-x/e${i}`).sort());
    const final = (await checkpoints.read('x'))!.checkpoint;
    assert.equal(final.events, N);
    assert.equal(final.timeMs, BASE + 6000);
    assert.deepEqual([...final.ids].sort(), ['logs-x/e42', 'logs-x/e43', 'logs-x/e44', 'logs-x/e45', 'logs-x/e46']);
    assert.equal(server.store.pits.size, 0);
  });
});
