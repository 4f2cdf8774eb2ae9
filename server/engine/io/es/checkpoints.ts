/**
 * Incremental scoring's position per source (`checkpoint:<source>` in the state index), so that each
 * scheduled run scores only new events, survives restarts, and never skips or double-scores one.
 *
 * A position is (time, ids at that time), not a PIT's sort values: `_shard_doc` means nothing to a
 * new PIT. A run resumes by reading from `time` inclusive and skipping the ids already scored at
 * exactly that time (`alreadyScored`); `advanceCheckpoint` computes the next position from a
 * scored page. Times are epoch milliseconds (the precision of `date` fields).
 *
 * Writes are conditional on the checkpoint's last seq_no, so two runs that somehow both score a
 * source (a lost lease) cannot both move it: the second gets CheckpointConflictError.
 */
import type { Client } from '@elastic/elasticsearch';
import { CONFLICT, DEFAULT_STATE_INDEX, type SeqNo, deleteStateDoc, readStateDoc, writeStateDoc } from './state_index';

export interface Checkpoint {
  source: string;
  /** ISO time-field value of the last scored event. */
  time: string;
  timeMs: number;
  /** `<_index>/<_id>` of the events at exactly `time` already scored: resume reads from `time`
   *  inclusive and skips these. */
  ids: string[];
  /** Events scored so far in total. */
  events: number;
  /** The run that wrote it. */
  runId: string;
  updatedAt: string;
}

/** A scored event as the checkpoint sees it: its time-field value (epoch ms) and `<_index>/<_id>`. */
export interface ScoredEvent {
  time: number;
  id: string;
}

export class CheckpointConflictError extends Error {
  constructor(readonly source: string) {
    super(`checkpoint of ${source} was moved by another process since it was read; this run's position was not written`);
    this.name = 'CheckpointConflictError';
  }
}

/** Whether `e` was scored before `cp`: older than its time, or at its time and among its ids. */
export function alreadyScored(cp: Checkpoint | null, e: ScoredEvent): boolean {
  if (!cp) return false;
  return e.time < cp.timeMs || (e.time === cp.timeMs && cp.ids.includes(e.id));
}

/**
 * The checkpoint after scoring a page of `events` (in any order): the newest time seen and the ids
 * at exactly that time, keeping the previous checkpoint's ids when the time did not move (many
 * events may share a timestamp across pages). Events already in `prev` (read again at its
 * boundary) are not counted again. An empty page leaves `prev` as it is. Throws on an event older
 * than `prev` (the page did not follow it) and on an empty first page (no position to record).
 */
export function advanceCheckpoint(
  prev: Checkpoint | null,
  page: { source: string; runId: string; events: readonly ScoredEvent[]; now?: number },
): Checkpoint {
  const { source, events } = page;
  if (events.length === 0) {
    if (prev) return prev;
    throw new Error(`no scored events of ${source} to make a first checkpoint from`);
  }
  let newest = prev?.timeMs ?? -Infinity;
  for (const e of events) {
    if (!Number.isFinite(e.time)) throw new Error(`event ${e.id} of ${source} has no valid time (${e.time})`);
    if (prev && e.time < prev.timeMs) {
      throw new Error(`event ${e.id} of ${source} at ${new Date(e.time).toISOString()} is older than the checkpoint at ${prev.time}: the page does not follow it`);
    }
    if (e.time > newest) newest = e.time;
  }
  const ids = new Set(prev && prev.timeMs === newest ? prev.ids : []);
  const counted = new Set<string>();
  for (const e of events) {
    if (alreadyScored(prev, e)) continue;
    counted.add(e.id);
    if (e.time === newest) ids.add(e.id);
  }
  return {
    source,
    time: new Date(newest).toISOString(),
    timeMs: newest,
    ids: [...ids],
    events: (prev?.events ?? 0) + counted.size,
    runId: page.runId,
    updatedAt: new Date(page.now ?? Date.now()).toISOString(),
  };
}

export class Checkpoints {
  /** The state index the checkpoints live in (other per-source state goes beside them). */
  readonly index: string;

  constructor(
    private readonly client: Client,
    opts: { index?: string } = {},
  ) {
    this.index = opts.index ?? DEFAULT_STATE_INDEX;
  }

  /** The source's checkpoint and its position for a conditional `write`; null when it has none. */
  async read(source: string): Promise<{ checkpoint: Checkpoint; seqNo: number; primaryTerm: number } | null> {
    const doc = await readStateDoc<Checkpoint>(this.client, this.index, 'checkpoint', source);
    return doc ? { checkpoint: doc.value, seqNo: doc.seqNo, primaryTerm: doc.primaryTerm } : null;
  }

  /** Creates (expected null) or moves the checkpoint, only if it is still where `expected` says. */
  async write(cp: Checkpoint, expected: SeqNo | null): Promise<SeqNo> {
    const written = await writeStateDoc(this.client, this.index, 'checkpoint', cp.source, cp, expected);
    if (written === CONFLICT) throw new CheckpointConflictError(cp.source);
    return written;
  }

  /** Forgets the source's position: the next run scores it from the start. */
  async reset(source: string): Promise<void> {
    await deleteStateDoc(this.client, this.index, 'checkpoint', source);
  }
}
