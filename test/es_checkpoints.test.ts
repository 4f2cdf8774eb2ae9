// Checkpoints of incremental scoring in the state index, against the in-memory ES test server
// through the official client over HTTP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CheckpointConflictError, Checkpoints, advanceCheckpoint, alreadyScored, type Checkpoint, type ScoredEvent } from '../server/engine/io/es/checkpoints';
import { readEsEvents } from '../server/engine/io/es/source';
import { BASE, iso, useStateServer } from './es_state_support';

const es = useStateServer();

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
    const checkpoints = new Checkpoints(es.client);
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
    const checkpoints = new Checkpoints(es.client);
    // The server applies each write, then the connection dies mid-answer; the retry finds the write done.
    es.server.faults.inject({ method: 'PUT', path: es.docPath('checkpoint:azure'), destroySocket: 'mid-response', times: 1 });
    const v0 = await checkpoints.write(cp(), null);
    es.server.faults.inject({ method: 'PUT', path: es.docPath('checkpoint:azure'), destroySocket: 'mid-response', times: 1 });
    const next = cp({ time: iso(BASE + 1000), timeMs: BASE + 1000, events: 2 });
    const v1 = await checkpoints.write(next, v0);
    assert.deepEqual(await checkpoints.read('azure'), { checkpoint: next, ...v1 });
    assert.deepEqual(es.requestsTo('PUT', es.docPath('checkpoint:azure')).map((r) => r.status), [undefined, 409, undefined, 409]);

    // A 409 on a retry is still a conflict when the stored document is someone else's: our first
    // attempt dies unapplied (slowly), another writer moves the checkpoint, our retry gets 409.
    es.server.faults.inject({ method: 'PUT', path: es.docPath('checkpoint:azure'), delayMs: 100, destroySocket: 'before', times: 1 });
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
    await es.client.indices.create({ index: 'logs-x', mappings: { properties: { '@timestamp': { type: 'date' } } } });
    assert.equal((await es.client.bulk({ operations, refresh: true })).errors, false);

    const checkpoints = new Checkpoints(es.client);
    const scored: string[] = [];
    for (let run = 1; run <= 30; run++) {
      const prev = await checkpoints.read('x');
      let checkpoint = prev?.checkpoint ?? null;
      let expected: { seqNo: number; primaryTerm: number } | null = prev;
      let page: ScoredEvent[] = [];
      let pages = 0;
      let fresh = 0;
      for await (const item of readEsEvents(es.client, { index: 'logs-x', pageSize: 5, ...(checkpoint ? { from: checkpoint.timeMs } : {}) })) {
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
    assert.equal(es.server.store.pits.size, 0);
  });
});
