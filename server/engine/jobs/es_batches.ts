import type { EsPage } from '../io/es/source';
import type { BatchRows } from './es_page';

/**
 * The batch pipeline of an Elasticsearch scoring run (es_score.ts): batch N is written while batch
 * N + 1 is read and scored, so the run's wall time tends to the larger of scoring and writing
 * rather than their sum (the workers score while this thread writes; reading the next pages
 * overlaps the writes' round trips).
 *
 * Order, and so exactly once, is kept:
 * - Batches are written one after another, in read order, each by `write` (page by page, each
 *   page's checkpoint after its writes): nothing of batch N + 1 is written before batch N's last
 *   checkpoint.
 * - Batch N + 1 is read and scored only once batch N's scoring has finished (`score` carries each
 *   user's derived features from one batch to the next: they must see the batches in order). It
 *   starts as batch N's writes start.
 * - Memory: at most two batches are held at once, the one being written and the one read and
 *   scored ahead (which waits, held, for the writes if it is done first). Batch N + 2 is not read
 *   before batch N is written and released.
 *
 * Failures:
 * - Writing batch N fails (writes left after retries, an Elasticsearch error): the batch ahead is
 *   awaited (a scoring under way finishes), its result released and its own failure, if any,
 *   dropped; the read is closed (the point in time with it); the write's failure is thrown.
 * - The run is stopped (`signal` aborted: cancelled, the lease lost): a write fails at its next
 *   page, or the wait for the batch ahead ends, and the run fails at once, without waiting for
 *   the batch ahead: its read stops at its next page, a scoring under way finishes behind the run
 *   and is released then (nothing of it is written).
 * - Reading or scoring batch N + 1 fails (a model read from a cluster that went away): batch N is
 *   still written whole, with its checkpoints, then the failure is thrown; nothing after is written.
 * Every scored batch is released exactly once, and no promise is left without a handler.
 */
export async function pipelineBatches<B, S extends { release(): void }>(
  batches: AsyncIterable<B>,
  score: (batch: B) => Promise<S>,
  write: (batch: B, scored: S) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const read = batches[Symbol.asyncIterator]();
  /** The next batch read and scored; settled, never rejected (it may wait while nothing listens). */
  const ahead = (): Promise<Outcome<{ batch: B; scored: S } | undefined>> =>
    settle(
      (async () => {
        const next = await read.next();
        if (next.done) return undefined;
        throwIfAborted(signal);
        return { batch: next.value, scored: await score(next.value) };
      })(),
    );
  let next = ahead();
  try {
    for (;;) {
      await untilAborted(next.then(() => {}), signal); // a stopped run does not wait for a scoring
      throwIfAborted(signal);
      const got = await next;
      if (!got.ok) throw got.error;
      if (got.value === undefined) return;
      const { batch, scored } = got.value;
      next = ahead(); // its scoring starts now: this batch's has finished
      try {
        await write(batch, scored);
      } finally {
        scored.release();
      }
    }
  } catch (error) {
    // The batch ahead (the same outcome again if it was the one that failed): released once it
    // settles, its own failure dropped for this one; then the read closed (its point in time with
    // it, best effort). Awaited, so that the run leaves nothing running behind it, unless the run
    // was stopped (`signal`): a stopped run fails at once and the cleanup finishes behind it.
    const cleanup = next.then(async (left) => {
      if (left.ok && left.value !== undefined) left.value.scored.release();
      try {
        await read.return?.(undefined);
      } catch {
        // Closing the point in time is best effort: it expires by itself.
      }
    });
    await untilAborted(cleanup, signal);
    throw error;
  }
}

/** `work` awaited, but no longer than until `signal` aborts (at once if it has). `work` must not reject. */
async function untilAborted(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  if (signal.aborted) return;
  let stop: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    stop = resolve;
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', stop!);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Outcome<T>> {
  return p.then(
    (value): Outcome<T> => ({ ok: true, value }),
    (error: unknown): Outcome<T> => ({ ok: false, error }),
  );
}

/**
 * The pages in batches of whole pages, at least one a batch, up to `maxEvents` hits (read ahead of
 * the batch's writes), each page read into its batch's rows (`read`) as it comes. An aborted
 * `signal` stops the read at the next page.
 */
export async function* batchesOf(
  pages: AsyncIterable<EsPage>,
  maxEvents: number,
  start: () => BatchRows,
  read: (rows: BatchRows, page: EsPage) => void,
  signal?: AbortSignal,
): AsyncGenerator<{ pages: EsPage[]; rows: BatchRows }> {
  let batch: { pages: EsPage[]; rows: BatchRows } | undefined;
  let events = 0;
  for await (const page of pages) {
    throwIfAborted(signal);
    if (batch && events + page.hits.length > maxEvents) {
      yield batch;
      batch = undefined;
      events = 0;
    }
    batch ??= { pages: [], rows: start() };
    read(batch.rows, page);
    batch.pages.push(page);
    events += page.hits.length;
  }
  if (batch) yield batch;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('scoring stopped: the job was cancelled or lost its lease');
}
