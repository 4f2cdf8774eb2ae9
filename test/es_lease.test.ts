// The state index and leases, against the in-memory ES test server through the official client over
// HTTP. Clocks are injected where expiry matters, so nothing waits a TTL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ensureStateIndex } from '../server/engine/io/es/state_index';
import { Lease, LeaseLostError, type LeaseInfo } from '../server/engine/io/es/lease';
import { JobRuns } from '../server/engine/io/es/job_runs';
import { Checkpoints } from '../server/engine/io/es/checkpoints';
import { BASE, STATE, clock, iso, useStateServer, waitFor } from './es_state_support';

const es = useStateServer();

describe('state index', () => {
  it('reads of a missing index are empty, and the first write creates it hidden with its mappings', async () => {
    assert.equal(await Lease.read(es.client, 'score:x'), null);
    assert.deepEqual(await new JobRuns(es.client).list(), []);
    assert.equal(await new Checkpoints(es.client).read('x'), null);
    assert.equal(es.server.store.indices.has(STATE), false);

    await es.mustAcquire({ name: 'score:x', holder: 'h1' });
    const got = await es.client.indices.get({ index: STATE });
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
    assert.ok(es.server.store.templates.has('dfp-state-template'));
    await ensureStateIndex(es.client); // idempotent
  });
});

describe('Lease', () => {
  it('refuses a second acquirer and tells it who holds the lease', async () => {
    const c = clock();
    const a = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    const want: LeaseInfo = { name: 'score:azure', holder: 'kbn-1', acquiredAt: iso(BASE), renewedAt: iso(BASE), expiresAt: iso(BASE + 1000) };
    assert.deepEqual(a.info, want);
    assert.deepEqual(await Lease.read(es.client, 'score:azure'), want);
    const stored = await es.client.get({ index: STATE, id: 'lease:score:azure' });
    const { write_id: writeId, ...rest } = stored._source as { write_id: unknown };
    assert.deepEqual(rest, { type: 'lease', lease: want });
    assert.equal(typeof writeId, 'string', 'each write carries its id, to recognise it when retried');

    c.set(BASE + 999);
    assert.deepEqual(await Lease.acquire(es.client, { name: 'score:azure', holder: 'cli-1', ttlMs: 1000, now: c.now }), { heldBy: want });
    // Another name is another lease.
    await es.mustAcquire({ name: 'train:azure', holder: 'cli-1', now: c.now });
    assert.equal(a.signal.aborted, false);
  });

  it('renew pushes the expiry; an expired lease is taken over, and the old holder learns it lost', async () => {
    const c = clock();
    const a = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    c.set(BASE + 600);
    await a.renew();
    assert.equal(a.info.expiresAt, iso(BASE + 1600));
    assert.equal(a.info.acquiredAt, iso(BASE));
    assert.deepEqual(await Lease.read(es.client, 'score:azure'), a.info);

    c.set(BASE + 1200); // past the first expiry, before the renewed one
    assert.equal(((await Lease.acquire(es.client, { name: 'score:azure', holder: 'kbn-2', ttlMs: 1000, now: c.now })) as { heldBy: LeaseInfo }).heldBy.holder, 'kbn-1');

    c.set(BASE + 1600); // expiresAt itself counts as expired
    const b = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-2', ttlMs: 1000, now: c.now });
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
    assert.equal((await Lease.read(es.client, 'score:azure'))?.holder, 'kbn-2');
    c.set(BASE + 2000);
    await b.renew();
    assert.equal((await Lease.read(es.client, 'score:azure'))?.expiresAt, iso(BASE + 3000));
    assert.equal(b.signal.aborted, false);
  });

  it('a holder re-acquiring under its own id takes its lease back, and the older handle is out', async () => {
    const c = clock();
    const first = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    c.set(BASE + 10);
    const again = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 1000, now: c.now });
    assert.equal(again.info.acquiredAt, iso(BASE + 10));
    await assert.rejects(first.renew(), LeaseLostError);
    assert.equal(first.signal.aborted, true);
    await again.renew();
  });

  it('release frees the lease for the next acquirer; a released lease cannot be renewed', async () => {
    const a = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1' });
    await a.release();
    assert.equal(await Lease.read(es.client, 'score:azure'), null);
    await a.release(); // twice is fine
    await assert.rejects(a.renew(), /lease "score:azure" was released/);
    assert.equal(a.signal.aborted, false); // released, not lost
    const b = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-2' });
    assert.equal((await Lease.read(es.client, 'score:azure'))?.holder, 'kbn-2');
    await b.release();
  });

  it('of many processes racing for a free lease, or for an expired one, exactly one wins', async () => {
    const race = async (ttlMs: number, now: () => number): Promise<Lease> => {
      const results = await Promise.all(Array.from({ length: 16 }, (_, k) => Lease.acquire(es.client, { name: 'score:azure', holder: `p${k}`, ttlMs, now })));
      const winners = results.filter((r): r is Lease => r instanceof Lease);
      assert.equal(winners.length, 1);
      for (const r of results) if (!(r instanceof Lease)) assert.deepEqual(r.heldBy, winners[0].info);
      assert.deepEqual(await Lease.read(es.client, 'score:azure'), winners[0].info);
      return winners[0];
    };
    const c = clock();
    const first = await race(1000, c.now);
    // The create race: one create succeeded, the others got 409 (not retried as errors).
    const creates = es.server.requests.filter((r) => r.method === 'PUT' && r.path === es.docPath('lease:score:azure'));
    assert.deepEqual(creates.map((r) => r.status).sort(), [201, ...Array(15).fill(409)]);

    c.set(BASE + 5000); // first's lease has expired: now a take-over race on the same seq_no
    es.server.requests.length = 0;
    const second = await race(1000, c.now);
    const takeovers = es.server.requests.filter((r) => r.method === 'PUT' && r.path === es.docPath('lease:score:azure'));
    assert.deepEqual(takeovers.map((r) => r.status).sort(), [200, ...Array(15).fill(409)]);
    assert.equal(second.info.acquiredAt, iso(BASE + 5000));
    await assert.rejects(first.renew(), LeaseLostError);
  });

  it('retries a transient 503 on the read; an unexpected error is thrown with its reason', async () => {
    es.server.faults.inject({ method: 'GET', path: es.docPath('lease:score:azure'), status: 503, times: 1 });
    const a = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1' });
    assert.deepEqual(es.requestsTo('GET', es.docPath('lease:score:azure')).map((r) => r.status), [503, 404]);
    await a.release();

    es.server.faults.inject({ method: 'PUT', path: es.docPath('lease:score:azure'), status: 403, times: 1 });
    await assert.rejects(
      Lease.acquire(es.client, { name: 'score:azure', holder: 'kbn-2' }),
      /^Error: write lease:score:azure to \.dfp-state: HTTP 403 security_exception: action \[indices:data\/write\/bulk\] is unauthorized/,
    );
  });

  it('keepAlive renews in the background, and aborts the signal when another holder takes over', async () => {
    const a = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 600 });
    const acquiredExpiry = Date.parse(a.info.expiresAt);
    a.keepAlive(20);
    await waitFor('a background renewal', async () => Date.parse((await Lease.read(es.client, 'score:azure'))!.expiresAt) > acquiredExpiry);
    assert.equal(a.signal.aborted, false);

    // A process whose clock is far ahead sees the lease expired and takes it.
    const b = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-2', ttlMs: 600, now: () => Date.now() + 60_000 });
    await waitFor('the loss to be noticed', () => a.signal.aborted);
    assert.ok(a.signal.reason instanceof LeaseLostError);
    assert.equal((a.signal.reason as LeaseLostError).heldBy?.holder, 'kbn-2');
    assert.deepEqual(await Lease.read(es.client, 'score:azure'), b.info); // a's timer stopped writing
    await a.release();
    await b.release();
  });

  it('keepAlive gives the lease up before it expires when renewals keep failing', async () => {
    const reported: Error[] = [];
    const a = await es.mustAcquire({ name: 'score:azure', holder: 'kbn-1', ttlMs: 600, onError: (e) => reported.push(e) });
    es.server.faults.inject({ method: 'PUT', path: es.docPath('lease:score:azure'), status: 503 });
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
