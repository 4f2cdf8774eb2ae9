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
 */
import type { Client } from '@elastic/elasticsearch';
import { esStatus } from './errors';
import { ownedIndexNames, ensureOwnedIndex } from './owned_index';
import { withRetry, type RetryOptions } from './retry';

export type StateDocKind = 'lease' | 'run' | 'checkpoint' | 'settings';

/** A document's position in the index's history: what a conditional write must match. */
export interface SeqNo {
  seqNo: number;
  primaryTerm: number;
}

export interface StateDoc<T> extends SeqNo {
  value: T;
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

type Body<T> = { type: StateDocKind } & Record<string, T | StateDocKind>;
const bodyOf = <T>(kind: StateDocKind, value: T): Body<T> => ({ type: kind, [kind]: value }) as Body<T>;

/** Realtime GET of one state document; null when it (or the index) does not exist. */
export async function readStateDoc<T>(client: Client, index: string, kind: StateDocKind, key: string, retry?: RetryOptions): Promise<StateDoc<T> | null> {
  const id = stateDocId(kind, key);
  return withRetry(
    `read ${id} from ${index}`,
    async () => {
      try {
        const res = await client.get<Body<T>>({ index, id });
        if (!res.found || !res._source || res._seq_no === undefined || res._primary_term === undefined) return null;
        return { value: res._source[kind] as T, seqNo: res._seq_no, primaryTerm: res._primary_term };
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
}

/**
 * Writes one state document: `expected` null creates it (fails if it exists); a SeqNo replaces
 * it only if it is still at that position. Returns the new position, or CONFLICT.
 *
 * A retried write may find that its own earlier attempt was applied (the connection died after
 * the write): the retry then gets 409. When the stored document is exactly what we wrote, that
 * 409 is our own success, not someone else's write.
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
  const document = bodyOf(kind, value);
  let attempts = 0;
  const result = await withRetry(
    `write ${id} to ${index}`,
    async (): Promise<SeqNo | typeof CONFLICT> => {
      attempts++;
      try {
        const res = await client.index({
          index,
          id,
          document,
          ...(expected === null ? { op_type: 'create' as const } : { if_seq_no: expected.seqNo, if_primary_term: expected.primaryTerm }),
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
  if (result !== CONFLICT || attempts === 1) return result;
  const stored = await client.get<Body<T>>({ index, id }).catch(() => undefined);
  if (stored?.found && stored._seq_no !== undefined && stored._primary_term !== undefined && JSON.stringify(stored._source) === JSON.stringify(document)) {
    return { seqNo: stored._seq_no, primaryTerm: stored._primary_term };
  }
  return CONFLICT;
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
