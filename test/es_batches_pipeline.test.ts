// The Elasticsearch run's batch pipeline (jobs/es_batches.ts) on its own, with batches that are
// numbers: batch N + 1 scored while batch N is written, scoring and writing each in read order,
// at most two batches held, and on every failure each scored batch released once, nothing written
// after the failure, the read closed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { pipelineBatches } from '../server/engine/jobs/es_batches';

interface Scored {
  batch: number;
  release(): void;
}

/** A pipeline over batches 0 … n−1 whose steps log what happens, in order. */
function harness(n: number, opts: { scoreMs?: (b: number) => number; writeMs?: (b: number) => number; failScore?: number; failWrite?: number; abortAtWrite?: number; abortDelayMs?: number } = {}) {
  const log: string[] = [];
  const released = new Map<number, number>();
  let held = 0;
  let maxHeld = 0;
  let scoring = false;
  let returned = false;
  const controller = new AbortController();
  async function* batches(): AsyncGenerator<number> {
    try {
      for (let b = 0; b < n; b++) {
        await sleep(1);
        if (controller.signal.aborted) throw new Error('read stopped');
        log.push(`read ${b}`);
        yield b;
      }
    } finally {
      returned = true;
    }
  }
  const score = async (b: number): Promise<Scored> => {
    assert.ok(!scoring, `batch ${b} scored while another batch's scoring ran`);
    scoring = true;
    log.push(`score ${b}`);
    try {
      await sleep(opts.scoreMs?.(b) ?? 5);
      if (b === opts.failScore) throw new Error(`scoring ${b} failed`);
    } finally {
      scoring = false;
    }
    log.push(`scored ${b}`);
    held += 1;
    maxHeld = Math.max(maxHeld, held);
    return {
      batch: b,
      release: () => {
        released.set(b, (released.get(b) ?? 0) + 1);
        held -= 1;
      },
    };
  };
  const write = async (b: number, scored: Scored): Promise<void> => {
    assert.equal(scored.batch, b);
    log.push(`write ${b}`);
    if (b === opts.abortAtWrite) {
      if (opts.abortDelayMs === undefined) controller.abort(new Error('lease lost'));
      else setTimeout(() => controller.abort(new Error('lease lost')), opts.abortDelayMs);
    }
    await sleep(opts.writeMs?.(b) ?? 5);
    if (controller.signal.aborted) throw controller.signal.reason;
    if (b === opts.failWrite) throw new Error(`writing ${b} failed`);
    log.push(`written ${b}`);
  };
  const run = (): Promise<void> => pipelineBatches(batches(), score, write, controller.signal);
  return { log, released, run, maxHeld: () => maxHeld, returned: () => returned };
}

const order = (log: string[], kind: string): number[] => log.filter((l) => l.startsWith(`${kind} `)).map((l) => Number(l.split(' ')[1]));

describe('the batch pipeline', () => {
  it('scores batch N + 1 while batch N is written, each in read order, at most two batches held', async () => {
    const h = harness(6, { scoreMs: () => 10, writeMs: () => 10 });
    await h.run();
    assert.deepEqual(order(h.log, 'scored'), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(order(h.log, 'written'), [0, 1, 2, 3, 4, 5]);
    for (let b = 0; b < 6; b++) assert.equal(h.released.get(b), 1, `batch ${b} released once`);
    assert.ok(h.maxHeld() <= 2, `held ${h.maxHeld()}`);
    // Overlap: batch N + 1's scoring started before batch N was written.
    for (let b = 0; b < 5; b++) assert.ok(h.log.indexOf(`score ${b + 1}`) < h.log.indexOf(`written ${b}`), `batch ${b + 1} scored during batch ${b}'s writes: ${h.log.join(', ')}`);
    // Never more than one batch ahead: N + 2 is read only once N is written.
    for (let b = 0; b < 4; b++) assert.ok(h.log.indexOf(`read ${b + 2}`) > h.log.indexOf(`written ${b}`), h.log.join(', '));
  });

  it('a slow scoring holds the writes back, a slow write holds the scoring back: still in order, still two at most', async () => {
    for (const h of [harness(5, { scoreMs: (b) => (b % 2 ? 30 : 1), writeMs: () => 2 }), harness(5, { scoreMs: () => 1, writeMs: (b) => (b % 2 ? 30 : 1) })]) {
      await h.run();
      assert.deepEqual(order(h.log, 'written'), [0, 1, 2, 3, 4]);
      assert.ok(h.maxHeld() <= 2);
      assert.equal([...h.released.values()].filter((n) => n === 1).length, 5);
    }
  });

  it('a failed write fails the run after the batch scored ahead is awaited and released; nothing more is written', async () => {
    const h = harness(6, { failWrite: 2, scoreMs: (b) => (b === 3 ? 40 : 5), writeMs: () => 2 });
    await assert.rejects(h.run(), /writing 2 failed/);
    assert.deepEqual(order(h.log, 'written'), [0, 1]);
    assert.ok(h.log.includes('scored 3'), 'the batch ahead was awaited before the run failed');
    assert.deepEqual([...h.released.entries()].sort(), [[0, 1], [1, 1], [2, 1], [3, 1]]);
    assert.ok(!h.log.includes('score 4'), 'nothing scored after the failure');
    assert.ok(h.returned(), 'the read was closed');
  });

  it('a failed scoring fails the run after the batch before is written whole', async () => {
    const h = harness(6, { failScore: 3, scoreMs: () => 1, writeMs: () => 30 });
    await assert.rejects(h.run(), /scoring 3 failed/);
    assert.deepEqual(order(h.log, 'written'), [0, 1, 2]);
    assert.deepEqual(order(h.log, 'write'), [0, 1, 2]);
    assert.deepEqual([...h.released.entries()].sort(), [[0, 1], [1, 1], [2, 1]]);
    assert.ok(h.returned());
  });

  it('a failed scoring of the first batch writes nothing', async () => {
    const h = harness(3, { failScore: 0 });
    await assert.rejects(h.run(), /scoring 0 failed/);
    assert.deepEqual(order(h.log, 'write'), []);
    assert.equal(h.released.size, 0);
  });

  it('an abort during a write fails the run at once; the batch ahead is released when its scoring ends, its read stopped, nothing more written', async () => {
    // Batch 1's write is stopped 10 ms in, while batch 2 (read by then) is scored for a second.
    const h = harness(10, { abortAtWrite: 1, abortDelayMs: 10, scoreMs: (b) => (b === 2 ? 1000 : 1), writeMs: () => 30 });
    const started = Date.now();
    await assert.rejects(h.run(), /lease lost/);
    assert.ok(Date.now() - started < 600, `failed at once, not after the second's scoring (${Date.now() - started} ms)`);
    assert.ok(h.log.includes('score 2') && !h.log.includes('scored 2'), `batch 2 still scoring when the run failed: ${h.log.join(', ')}`);
    assert.deepEqual(order(h.log, 'written'), [0]);
    await sleep(1200);
    assert.deepEqual([...h.released.entries()].sort(), [[0, 1], [1, 1], [2, 1]], 'the batch ahead released once its scoring ended');
    assert.ok(!h.log.includes('score 3'), h.log.join(', '));
    assert.ok(h.returned());
  });

  it('an abort while waiting for a slow scoring fails the run at once, and the scored batch is released later', async () => {
    const controller = new AbortController();
    const released: number[] = [];
    async function* batches(): AsyncGenerator<number> {
      yield* [0, 1, 2];
    }
    const run = pipelineBatches(
      batches(),
      async (b) => {
        await sleep(b === 1 ? 1000 : 1);
        return { release: () => released.push(b) };
      },
      async () => {
        setTimeout(() => controller.abort(new Error('cancelled')), 20); // during batch 1's scoring, after batch 0's writes
      },
      controller.signal,
    );
    const started = Date.now();
    await assert.rejects(run, /cancelled/);
    assert.ok(Date.now() - started < 600, `${Date.now() - started} ms`);
    await sleep(1200);
    assert.deepEqual(released, [0, 1]);
  });

  it('no rejection is left unhandled when the batch ahead fails while a write is under way', async () => {
    const unhandled: unknown[] = [];
    const listen = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', listen);
    try {
      // Batch 2's scoring fails while batch 1 is still written; batch 1's write then fails too.
      const h = harness(5, { failScore: 2, failWrite: 1, scoreMs: () => 1, writeMs: () => 40 });
      await assert.rejects(h.run(), /writing 1 failed/);
      await sleep(20);
      assert.deepEqual(unhandled, []);
      assert.deepEqual([...h.released.entries()].sort(), [[0, 1], [1, 1]]);
    } finally {
      process.off('unhandledRejection', listen);
    }
  });
});
