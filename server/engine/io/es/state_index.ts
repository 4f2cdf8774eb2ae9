/**
 * The job state index (`.dfp-state`): its mappings, its creation, and the versioned reads and
 * writes of its documents that leases, job runs and checkpoints share.
 *
 * One index holds three kinds of document, told apart by `type` and keyed by deterministic ids
 * (`lease:<name>`, `run:<uuid>`, `checkpoint:<source>`). Each kind's fields sit under an object
 * named after the kind (`{ type: 'run', run: {...} }`), so that fields of the same name in two
 * kinds (a run's `source` and a checkpoint's, a run's job `type`) never share a mapping.
 *
 * Concurrency: every conditional write carries the `if_seq_no`/`if_primary_term` of the caller's
 * last read or write; Elasticsearch answers 409 when someone else wrote in between.
 *
 * Own writes: a write can be applied and its answer lost; whoever sends it again (our withRetry,
 * or the client's own transport retry of a dropped connection) then gets a 409 from our own write.
 * So every write stores a random `write_id` beside the value: a 409 whose stored document carries
 * this write's id is this write's success, and one carrying the id of an earlier write of ours
 * whose outcome was unknown (`StateDocWriter`) means that one landed. Equal content written by
 * someone else has another id and stays a conflict.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { esStatus } from './errors';
import { ownedIndexNames, ensureOwnedIndex } from './owned_index';
import { withRetry, type RetryOptions } from './retry';

export type StateDocKind = 'lease' | 'run' | 'checkpoint' | 'settings' | 'novelty';

/** A document's position in the index's history: what a conditional write must match. */
export interface SeqNo {
  seqNo: number;
  primaryTerm: number;
}

export interface StateDoc<T> extends SeqNo {
  value: T;
  /** The id of the write that stored it (absent on documents written before write ids). */
  writeId?: string;
}

/** Returned instead of throwing when a conditional write lost to someone else's write. */
export const CONFLICT = 'conflict' as const;

export const DEFAULT_STATE_INDEX = ownedIndexNames().state;

/**
 * Only what is queried or sorted on is mapped; the rest (counts, errors, params, checkpoint ids)
 * is kept in `_source` unindexed (the owned index is `dynamic: false`).
 */
export const STATE_MAPPINGS = {
  properties: {
    type: { type: 'keyword' },
    lease: {
      properties: {
        name: { type: 'keyword' },
        holder: { type: 'keyword' },
        acquiredAt: { type: 'date' },
        renewedAt: { type: 'date' },
        expiresAt: { type: 'date' },
      },
    },
    run: {
      properties: {
        id: { type: 'keyword' },
        type: { type: 'keyword' },
        source: { type: 'keyword' },
        holder: { type: 'keyword' },
        status: { type: 'keyword' },
        startedAt: { type: 'date' },
        endedAt: { type: 'date' },
      },
    },
    checkpoint: {
      properties: {
        source: { type: 'keyword' },
        time: { type: 'date' },
        timeMs: { type: 'long' },
        events: { type: 'long' },
        runId: { type: 'keyword' },
        updatedAt: { type: 'date' },
      },
    },
  },
};

/** Puts the state index's template and creates the index (hidden, one shard). Idempotent. */
export async function ensureStateIndex(client: Client, index = DEFAULT_STATE_INDEX): Promise<void> {
  await ensureOwnedIndex(client, { name: index, mappings: STATE_MAPPINGS });
}

// Writes that may create a document first make sure the index exists with its mappings, once per
// client and index name. After that, a deleted index is re-created by auto-creation from the
// template that ensureStateIndex put, with the same mappings.
const ensured = new WeakMap<Client, Map<string, Promise<void>>>();

function ensureStateIndexOnce(client: Client, index: string): Promise<void> {
  let byIndex = ensured.get(client);
  if (!byIndex) ensured.set(client, (byIndex = new Map()));
  let done = byIndex.get(index);
  if (!done) {
    done = ensureStateIndex(client, index);
    byIndex.set(index, done);
    // A failure is not remembered: the next write tries again.
    done.catch(() => byIndex.delete(index));
  }
  return done;
}

export const stateDocId = (kind: StateDocKind, key: string): string => `${kind}:${key}`;

type Body<T> = { type: StateDocKind; write_id?: string } & Record<string, T | StateDocKind | string>;
const bodyOf = <T>(kind: StateDocKind, value: T, writeId: string): Body<T> => ({ type: kind, [kind]: value, write_id: writeId }) as Body<T>;

/** Realtime GET of one state document; null when it (or the index) does not exist. */
export async function readStateDoc<T>(client: Client, index: string, kind: StateDocKind, key: string, retry?: RetryOptions): Promise<StateDoc<T> | null> {
  const id = stateDocId(kind, key);
  return withRetry(
    `read ${id} from ${index}`,
    async () => {
      try {
        const res = await client.get<Body<T>>({ index, id });
        if (!res.found || !res._source || res._seq_no === undefined || res._primary_term === undefined) return null;
        const writeId = typeof res._source.write_id === 'string' ? res._source.write_id : undefined;
        return { value: res._source[kind] as T, seqNo: res._seq_no, primaryTerm: res._primary_term, ...(writeId !== undefined ? { writeId } : {}) };
      } catch (e) {
        if (esStatus(e) === 404) return null;
        throw e;
      }
    },
    retry,
  );
}

export interface WriteStateOptions {
  /** `wait_for`: return once the write is visible to search (for lists read right after). */
  refresh?: 'wait_for';
  retry?: RetryOptions;
  /** This write's id (default: a new random one). */
  writeId?: string;
  /** Ids of the caller's earlier writes of this document whose outcome is unknown (they threw): if
   *  one of them is stored, it was applied, and this write replaces it. */
  earlier?: readonly string[];
}

/** How many times an earlier write of ours found stored is written over before giving up. */
const MAX_ADOPTED = 3;

/**
 * Writes one state document: `expected` null creates it (fails if it exists); a SeqNo replaces
 * it only if it is still at that position. Returns the new position, or CONFLICT when someone
 * else's write is stored (never for a 409 caused by our own applied write: see the header).
 */
export async function writeStateDoc<T>(
  client: Client,
  index: string,
  kind: StateDocKind,
  key: string,
  value: T,
  expected: SeqNo | null,
  opts: WriteStateOptions = {},
): Promise<SeqNo | typeof CONFLICT> {
  const id = stateDocId(kind, key);
  if (expected === null) await ensureStateIndexOnce(client, index);
  const writeId = opts.writeId ?? randomUUID();
  const document = bodyOf(kind, value, writeId);
  let over = expected;
  for (let adopted = 0; ; adopted++) {
    const at = over;
    const result = await withRetry(
      `write ${id} to ${index}`,
      async (): Promise<SeqNo | typeof CONFLICT> => {
        try {
          const res = await client.index({
            index,
            id,
            document,
            ...(at === null ? { op_type: 'create' as const } : { if_seq_no: at.seqNo, if_primary_term: at.primaryTerm }),
            ...(opts.refresh ? { refresh: opts.refresh } : {}),
          });
          if (res._seq_no === undefined || res._primary_term === undefined) throw new Error(`Elasticsearch did not return the seq_no of ${id}`);
          return { seqNo: res._seq_no, primaryTerm: res._primary_term };
        } catch (e) {
          if (esStatus(e) === 409) return CONFLICT;
          throw e;
        }
      },
      opts.retry,
    );
    if (result !== CONFLICT) return result;
    // A 409: whose write is stored?
    const stored = await readStateDoc<T>(client, index, kind, key, opts.retry);
    if (!stored) return CONFLICT;
    const position = { seqNo: stored.seqNo, primaryTerm: stored.primaryTerm };
    if (stored.writeId === writeId) return position;
    if (stored.writeId === undefined || !opts.earlier?.includes(stored.writeId) || adopted >= MAX_ADOPTED) return CONFLICT;
    over = position; // an earlier write of ours landed after all: write over it
  }
}

/**
 * One owner's successive writes of one state document (a lease holder's, a job run's): the
 * position each write must match, and the ids of writes that threw, so that one of them found
 * applied later is recognised as ours rather than as another process's write.
 */
export class StateDocWriter<T> {
  private inDoubt: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly index: string,
    private readonly kind: StateDocKind,
    private readonly key: string,
    /** Where the document is now (null: not created yet). */
    public position: SeqNo | null,
  ) {}

  /** Writes `value` over `position` (creates it when null); CONFLICT when another process wrote. */
  async write(value: T, opts: Omit<WriteStateOptions, 'writeId' | 'earlier'> = {}): Promise<SeqNo | typeof CONFLICT> {
    const writeId = randomUUID();
    let written: SeqNo | typeof CONFLICT;
    try {
      written = await writeStateDoc(this.client, this.index, this.kind, this.key, value, this.position, { ...opts, writeId, earlier: this.inDoubt });
    } catch (e) {
      this.remember(writeId);
      throw e;
    }
    if (written !== CONFLICT) {
      this.position = written;
      // Each of them was conditional on a position now gone: none can land any more.
      this.inDoubt = [];
    }
    return written;
  }

  /** The document as stored now (realtime). */
  read(retry?: RetryOptions): Promise<StateDoc<T> | null> {
    return readStateDoc<T>(this.client, this.index, this.kind, this.key, retry);
  }

  /**
   * Deletes the document if it still holds our last write (or one of ours in doubt); 'deleted',
   * 'missing', or CONFLICT when another process's write is stored.
   */
  async delete(retry?: RetryOptions): Promise<'deleted' | 'missing' | typeof CONFLICT> {
    if (this.position === null && this.inDoubt.length === 0) return 'missing';
    if (this.position !== null) {
      const first = await deleteStateDoc(this.client, this.index, this.kind, this.key, this.position, retry);
      if (first !== CONFLICT) return first;
    }
    const stored = await readStateDoc<T>(this.client, this.index, this.kind, this.key, retry);
    if (!stored) return 'missing';
    if (stored.writeId === undefined || !this.inDoubt.includes(stored.writeId)) return CONFLICT;
    return deleteStateDoc(this.client, this.index, this.kind, this.key, stored, retry);
  }

  private remember(writeId: string): void {
    this.inDoubt.push(writeId);
    // Bounded: a long outage's renewals need not all be kept, only the recent ones can land.
    if (this.inDoubt.length > 32) this.inDoubt.shift();
  }
}

/**
 * Deletes one state document, only if still at `expected` when given. A missing document or
 * index counts as deleted.
 */
export async function deleteStateDoc(
  client: Client,
  index: string,
  kind: StateDocKind,
  key: string,
  expected?: SeqNo,
  retry?: RetryOptions,
): Promise<'deleted' | 'missing' | typeof CONFLICT> {
  const id = stateDocId(kind, key);
  return withRetry(
    `delete ${id} from ${index}`,
    async () => {
      try {
        await client.delete({ index, id, ...(expected ? { if_seq_no: expected.seqNo, if_primary_term: expected.primaryTerm } : {}) });
        return 'deleted' as const;
      } catch (e) {
        const status = esStatus(e);
        if (status === 404) return 'missing' as const;
        if (status === 409) return CONFLICT;
        throw e;
      }
    },
    retry,
  );
}
