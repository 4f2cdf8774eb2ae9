/**
 * A buffer of bulk operations sent to `_bulk` in requests sized by bytes, with retries.
 *
 * - Sizing: a request holds at most `maxBytes` of NDJSON (default 5 MB) and `maxOps` operations
 *   (default 10,000). `add()` sends the buffer first when the next operation would not fit; an
 *   operation larger than `maxBytes` goes alone.
 * - Item retries: items refused with 429/502/503/504 are sent again, alone (only those), after an
 *   exponential backoff with full jitter, until `retry.retries` attempts are spent.
 * - Request retries: a request that fails as a whole in a retryable way (429/502/503/504 response,
 *   connection reset or socket closed mid-response, timeout) is sent again whole, with backoff.
 *   Elasticsearch may have applied some or all of it, so operations must be idempotent (`update`
 *   with a partial doc, `index` with a fixed id) or conflict-detectable (`create` → 409,
 *   `if_seq_no`/`if_primary_term` → 409): the caller decides what a 409 on a re-send means.
 * - Results: nothing is thrown or dropped. Every operation comes back from `flush()` as succeeded
 *   or failed; a failure still retryable after the last attempt has `retryable: true`. Results of
 *   requests that `add()` sent are held until the next `flush()`.
 * - One request is in flight at a time.
 */
import type { Client, estypes } from '@elastic/elasticsearch';

type BulkRequest = estypes.BulkRequest;
import { errorObjectReason, esErrorReason, esErrorType, esStatus, isRetryableError, isRetryableStatus } from './errors';
import { DEFAULT_RETRY, backoffMs, sleep, type RetryOptions } from './retry';
import { BulkArena, body as bodyOf } from './bulk_arena';

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkOp<T> {
  op: BulkAction;
  _index: string;
  _id: string;
  if_seq_no?: number;
  if_primary_term?: number;
  /** Update only: times Elasticsearch re-applies the update when the document changed meanwhile. */
  retry_on_conflict?: number;
  /** The document (index, create), the update body (`{ doc }`), nothing for delete. */
  body?: Record<string, unknown>;
  /** Instead of `body`: its JSON already (one line), as UTF-8 bytes or in parts (strings and bytes) one after the other. */
  source?: Uint8Array | readonly (string | Uint8Array)[];
  /** The caller's handle on this operation, returned with its result. */
  ref: T;
}

export interface BulkSucceeded<T> {
  ref: T;
  op: BulkAction;
  /** The concrete index written (a data stream's backing index). */
  _index: string;
  _id: string;
  /** created, updated, deleted, noop, not_found (a delete of a missing document). */
  result: string;
  _seq_no?: number;
  _primary_term?: number;
}

export interface BulkFailure<T> {
  ref: T;
  op: BulkAction;
  /** The concrete index Elasticsearch named in the item (else the target sent). */
  _index: string;
  _id: string;
  /** HTTP status of the item, or of the whole request; undefined for a connection failure. */
  status?: number;
  /** Elasticsearch's error type (`cluster_block_exception`), or the client error's name. */
  type: string;
  /** "HTTP <status> <type>: <reason>", Elasticsearch's own words. */
  reason: string;
  /** The same without the status: "<type>: <reason>" (or the client error's message). */
  error: string;
  /** True when sending it again later may succeed (429/5xx, connection): the caller must keep it. */
  retryable: boolean;
}

export interface BulkFlushResult<T> {
  succeeded: BulkSucceeded<T>[];
  failed: BulkFailure<T>[];
  /** Failures counted by "HTTP <status> <type>" (or the connection error's name). */
  failedByReason: Record<string, number>;
  /** `_bulk` requests sent, items re-sent alone, whole requests re-sent (within this result). */
  requests: number;
  retriedItems: number;
  retriedRequests: number;
}

export interface BulkWriterOptions {
  /** Largest NDJSON body of one request in bytes. Default 5 MB. */
  maxBytes?: number;
  /** Most operations in one request. Default 10,000. */
  maxOps?: number;
  /** `refresh` of each `_bulk` request. Default false. */
  refresh?: boolean | 'false' | 'wait_for';
  /** Backoff and attempts, for items and whole requests alike. */
  retry?: RetryOptions;
  /** Stops sending and waiting: what is left comes back as retryable failures. */
  signal?: AbortSignal;
}

/**
 * What of a `_bulk` answer is read (`filter_path`): each item's status, error, concrete index, id,
 * result and sequence numbers; not `_version`, `_shards`, `took`. Every item has a `status`, so
 * every item stays and item i is still operation i (a path only some items have, such as
 * `items.*.error`, would drop the others and shift the positions). Parsing the answers (these and
 * the search pages) was a tenth of the main thread's time scoring from Elasticsearch, and their
 * objects part of its garbage (BENCHMARKS.md).
 */
export const BULK_FILTER_PATH = 'errors,items.*.status,items.*.error,items.*._index,items.*._id,items.*.result,items.*._seq_no,items.*._primary_term';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_OPS = 10_000;

/**
 * An operation with its NDJSON lines serialised once, as UTF-8 (re-sends reuse them): the action
 * line and the source line when there is one, each ending in a newline. Bytes off the JS heap: a
 * full request's text (megabytes) held as strings until sent counted towards V8's collections,
 * and its byte length was counted once more over the text to size the request. The bytes are a
 * view of the writer's arena (bulk_arena.ts), valid until their batch is sent.
 */
interface Encoded<T> {
  op: BulkOp<T>;
  bytes: Buffer;
}

/** Counters since the writer was made. */
export interface BulkStats {
  requests: number;
  items: number;
  retriedItems: number;
  retriedRequests: number;
}

export class BulkWriter<T> {
  readonly stats: BulkStats = { requests: 0, items: 0, retriedItems: 0, retriedRequests: 0 };
  private readonly maxBytes: number;
  private readonly maxOps: number;
  private buffer: Encoded<T>[] = [];
  private bufferBytes = 0;
  /** Where `buffer`'s operations are written; the other is the last batch's, kept for the next. */
  private arena = new BulkArena();
  private spareArena: BulkArena | undefined;
  private pending: BulkFlushResult<T> = emptyResult();

  constructor(
    private readonly client: Client,
    private readonly opts: BulkWriterOptions = {},
  ) {
    this.maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxOps = opts.maxOps ?? DEFAULT_MAX_OPS;
  }

  /** Operations buffered and not sent yet. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Buffers `op`, sending the buffer first when `op` would not fit in the same request. */
  async add(op: BulkOp<T>): Promise<void> {
    let encoded = encode(op, this.arena);
    if (this.buffer.length > 0 && this.bufferBytes + encoded.bytes.length > this.maxBytes) {
      await this.sendBuffer();
      encoded = encode(op, this.arena); // into the next batch's arena
    }
    this.buffer.push(encoded);
    this.bufferBytes += encoded.bytes.length;
    // Full: send now rather than wait for an operation that cannot fit.
    if (this.buffer.length >= this.maxOps || this.bufferBytes >= this.maxBytes) await this.sendBuffer();
  }

  /** Sends what is buffered; returns the results of everything sent since the last flush. */
  async flush(): Promise<BulkFlushResult<T>> {
    if (this.buffer.length > 0) await this.sendBuffer();
    const result = this.pending;
    this.pending = emptyResult();
    return result;
  }

  private async sendBuffer(): Promise<void> {
    const batch = this.buffer;
    const arena = this.arena;
    this.buffer = [];
    this.bufferBytes = 0;
    this.arena = this.spareArena ?? new BulkArena();
    this.spareArena = undefined;
    try {
      await this.sendWithRetries(batch);
    } finally {
      arena.reset(); // the batch is done with: its bytes are read no more
      this.spareArena = arena;
    }
  }

  /** One batch: sent, its retryable items (or the whole request) re-sent until done or out of attempts. */
  private async sendWithRetries(batch: Encoded<T>[]): Promise<void> {
    const retry = { ...this.opts.retry, retries: this.opts.retry?.retries ?? DEFAULT_RETRY.retries };
    const out = this.pending;
    let toSend = batch;
    for (let attempt = 0; toSend.length > 0; attempt++) {
      const lastAttempt = attempt >= retry.retries;
      let items: Record<string, BulkItem>[];
      try {
        this.count('requests', 1, out);
        this.stats.items += toSend.length;
        // The body as NDJSON bytes: the client sends a Buffer as it is (what it makes of a list of lines).
        const body = bodyOf(toSend.map((e) => e.bytes));
        const response = await this.client.bulk(
          { operations: body as unknown as BulkRequest['operations'], filter_path: BULK_FILTER_PATH, ...(this.opts.refresh !== undefined ? { refresh: this.opts.refresh } : {}) },
          { signal: this.opts.signal },
        );
        items = (response.items ?? []) as unknown as Record<string, BulkItem>[];
      } catch (e) {
        if (lastAttempt || !isRetryableError(e) || this.opts.signal?.aborted) {
          for (const enc of toSend) this.fail(out, requestFailure(enc.op, e, this.opts.signal?.aborted === true));
          return;
        }
        this.count('retriedRequests', 1, out);
        if (!(await this.backoff(attempt + 1, retry, `_bulk of ${toSend.length} operations failed: ${esErrorReason(e)}`))) {
          for (const enc of toSend) this.fail(out, abortedFailure(enc.op));
          return;
        }
        continue; // the whole request again: idempotent or conflict-detectable, see the header
      }
      if (items.length !== toSend.length) {
        // Item i answers operation i only when there is one item per operation: otherwise none
        // can be told apart, and all are kept for the caller to send again.
        const reason = `the _bulk answer has ${items.length} items for ${toSend.length} operations`;
        for (const enc of toSend) this.fail(out, { ref: enc.op.ref, op: enc.op.op, _index: enc.op._index, _id: enc.op._id, type: 'missing_item', reason, error: reason, retryable: true });
        return;
      }
      const again: Encoded<T>[] = [];
      toSend.forEach((enc, i) => {
        const item = items[i] ? Object.values(items[i])[0] : undefined;
        if (item && item.status >= 200 && item.status < 300 && !item.error) {
          out.succeeded.push({ ref: enc.op.ref, op: enc.op.op, _index: item._index ?? enc.op._index, _id: item._id ?? enc.op._id, result: item.result ?? '', _seq_no: item._seq_no, _primary_term: item._primary_term });
        } else if (item?.result === 'not_found' && enc.op.op === 'delete') {
          // A delete of a missing document is no error (ES sets no `error` on it).
          out.succeeded.push({ ref: enc.op.ref, op: 'delete', _index: item._index ?? enc.op._index, _id: enc.op._id, result: 'not_found' });
        } else if (item && isRetryableStatus(item.status) && !lastAttempt) {
          again.push(enc);
        } else {
          this.fail(out, itemFailure(enc.op, item));
        }
      });
      if (again.length === 0) return;
      this.count('retriedItems', again.length, out);
      if (!(await this.backoff(attempt + 1, retry, `${again.length} of ${toSend.length} bulk items refused with a retryable status`))) {
        for (const enc of again) this.fail(out, abortedFailure(enc.op));
        return;
      }
      toSend = again;
    }
  }

  /** Waits before attempt `attempt`; false when the signal stopped the wait. */
  private async backoff(attempt: number, retry: RetryOptions, reason: string): Promise<boolean> {
    const delayMs = backoffMs(attempt, retry);
    retry.onRetry?.({ attempt, delayMs, reason });
    try {
      await sleep(delayMs, this.opts.signal);
      return true;
    } catch {
      return false;
    }
  }

  private count(key: 'requests' | 'retriedItems' | 'retriedRequests', n: number, out: BulkFlushResult<T>): void {
    this.stats[key] += n;
    out[key] += n;
  }

  private fail(out: BulkFlushResult<T>, failure: BulkFailure<T>): void {
    out.failed.push(failure);
    const key = failure.status !== undefined ? `HTTP ${failure.status} ${failure.type}` : failure.type;
    out.failedByReason[key] = (out.failedByReason[key] ?? 0) + 1;
  }
}

/** One item of a `_bulk` response, as far as we read it. */
interface BulkItem {
  _index?: string;
  _id?: string;
  status: number;
  result?: string;
  _seq_no?: number;
  _primary_term?: number;
  error?: { type?: string; reason?: string; root_cause?: { type?: string; reason?: string }[] };
}

function emptyResult<T>(): BulkFlushResult<T> {
  return { succeeded: [], failed: [], failedByReason: {}, requests: 0, retriedItems: 0, retriedRequests: 0 };
}

function encode<T>(op: BulkOp<T>, arena: BulkArena): Encoded<T> {
  const action = `${actionLine(op)}\n`;
  if (op.op === 'delete') return { op, bytes: arena.write([action]) };
  const source = op.source === undefined ? [JSON.stringify(op.body ?? {})] : op.source instanceof Uint8Array ? [op.source] : op.source;
  return { op, bytes: arena.write([action, ...source, '\n']) };
}

/**
 * The operation's action line: JSON.stringify({ [op]: { _index, _id, if_seq_no?, if_primary_term?,
 * retry_on_conflict? } }), written out (an operation's two objects were garbage on every write).
 */
function actionLine(op: BulkOp<unknown>): string {
  if (typeof op._index !== 'string' || typeof op._id !== 'string') {
    // Not as typed (a caller's bug): JSON.stringify's own way with what it cannot write.
    return JSON.stringify({ [op.op]: { _index: op._index, _id: op._id, if_seq_no: op.if_seq_no, if_primary_term: op.if_primary_term, retry_on_conflict: op.retry_on_conflict } });
  }
  let meta = `{"_index":${JSON.stringify(op._index)},"_id":${JSON.stringify(op._id)}`;
  if (op.if_seq_no !== undefined) meta += `,"if_seq_no":${JSON.stringify(op.if_seq_no)}`;
  if (op.if_primary_term !== undefined) meta += `,"if_primary_term":${JSON.stringify(op.if_primary_term)}`;
  if (op.retry_on_conflict !== undefined) meta += `,"retry_on_conflict":${JSON.stringify(op.retry_on_conflict)}`;
  return `{${JSON.stringify(op.op)}:${meta}}}`;
}

function itemFailure<T>(op: BulkOp<T>, item: BulkItem | undefined): BulkFailure<T> {
  if (!item) {
    const reason = 'the _bulk answer has an empty item for this operation';
    return { ref: op.ref, op: op.op, _index: op._index, _id: op._id, type: 'missing_item', reason, error: reason, retryable: true };
  }
  const type = item.error?.root_cause?.[0]?.type ?? item.error?.type ?? 'error';
  return {
    ref: op.ref,
    op: op.op,
    _index: item._index ?? op._index,
    _id: item._id ?? op._id,
    status: item.status,
    type,
    reason: `HTTP ${item.status} ${errorObjectReason(item.error)}`,
    error: errorObjectReason(item.error),
    retryable: isRetryableStatus(item.status),
  };
}

/** Every item of a request that failed as a whole carries the request's error. */
function requestFailure<T>(op: BulkOp<T>, e: unknown, aborted: boolean): BulkFailure<T> {
  const status = esStatus(e);
  const type = esErrorType(e) ?? (e instanceof Error ? e.name : 'error');
  // An aborted request may or may not have been applied: keep it, as with a connection error.
  const reason = esErrorReason(e);
  return { ref: op.ref, op: op.op, _index: op._index, _id: op._id, status, type, reason, error: reason, retryable: aborted || isRetryableError(e) };
}

function abortedFailure<T>(op: BulkOp<T>): BulkFailure<T> {
  const reason = 'aborted before it could be sent again';
  return { ref: op.ref, op: op.op, _index: op._index, _id: op._id, type: 'aborted', reason, error: reason, retryable: true };
}
