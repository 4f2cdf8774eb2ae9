/**
 * Elasticsearch failures in words, and which of them are worth retrying.
 *
 * Every message names what was being done and Elasticsearch's own reason (root cause type and
 * text), so "HTTP 403 cluster_block_exception: index [x] blocked by: [FORBIDDEN/8/index write]"
 * reaches the user instead of "Response Error".
 */
import { errors } from '@elastic/elasticsearch';

interface EsErrorBody {
  error?: { type?: string; reason?: string; root_cause?: { type?: string; reason?: string }[] } | string;
}

/**
 * A response error from any copy of the client. Kibana hands plugins its own copy of
 * `@elastic/elasticsearch`, whose error classes are not ours, so `instanceof` alone would miss them:
 * recognise them by name and shape too.
 */
interface ResponseErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  body?: unknown;
}

function asResponseError(e: unknown): ResponseErrorLike | undefined {
  if (e instanceof errors.ResponseError) return e;
  const x = e as { name?: unknown; meta?: { statusCode?: unknown; body?: unknown } } | null;
  if (x && typeof x === 'object' && x.name === 'ResponseError' && x.meta && typeof x.meta.statusCode === 'number') {
    return { name: 'ResponseError', message: String((e as Error).message), statusCode: x.meta.statusCode, body: x.meta.body };
  }
  return undefined;
}

/** Transport failures (no answer at all), by class or, for another copy of the client, by name. */
function isTransportFailure(e: unknown): boolean {
  if (e instanceof errors.ConnectionError || e instanceof errors.TimeoutError || e instanceof errors.NoLivingConnectionsError) return true;
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'ConnectionError' || name === 'TimeoutError' || name === 'NoLivingConnectionsError';
}

/** Whether a thrown client error means the cluster could not be reached. */
export function isConnectionError(e: unknown): boolean {
  return isTransportFailure(e);
}

/** Elasticsearch's error object (a bulk item's `error`, or a response body's) as "type: reason". */
export function errorObjectReason(err: EsErrorBody['error'] | undefined): string {
  if (!err) return 'unknown error';
  if (typeof err === 'string') return err;
  const root = err.root_cause?.[0];
  const type = root?.type ?? err.type ?? 'error';
  const why = root?.reason ?? err.reason ?? '';
  return why ? `${type}: ${why}` : type;
}

/** A thrown client error as "HTTP <status> <type>: <reason>" (or the transport's own message). */
export function esErrorReason(e: unknown): string {
  const r = asResponseError(e);
  if (r) {
    const body = r.body as EsErrorBody | undefined;
    const reason = body && typeof body === 'object' && body.error !== undefined ? errorObjectReason(body.error) : r.message;
    return `HTTP ${r.statusCode ?? '?'} ${reason}`;
  }
  return e instanceof Error ? e.message : String(e);
}

/** The HTTP status of a client error, when it has one. */
export function esStatus(e: unknown): number | undefined {
  return asResponseError(e)?.statusCode;
}

/** An Error whose message says what failed and why, keeping the client error as its cause. */
export function esError(what: string, e: unknown): Error {
  return new Error(`${what}: ${esErrorReason(e)}`, { cause: e });
}

/**
 * Statuses that mean "not now" rather than "never": rejected execution (429), and a cluster or
 * proxy that is busy or restarting (502, 503, 504).
 */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/** Whether a thrown client error may succeed when sent again. */
export function isRetryableError(e: unknown): boolean {
  // Some shards did not answer (whole_search.ts): asking again is the way to a whole answer.
  if (e instanceof IncompleteSearchError) return true;
  const r = asResponseError(e);
  if (r) return isRetryableStatus(r.statusCode);
  // The transport gave up on the connection (reset, refused, timed out): the request may or may
  // not have been applied, so only idempotent requests should be retried on these.
  return isTransportFailure(e);
}

/** Elasticsearch's error type of a client error (e.g. `resource_already_exists_exception`). */
export function esErrorType(e: unknown): string | undefined {
  const r = asResponseError(e);
  if (!r) return undefined;
  const err = (r.body as EsErrorBody | undefined)?.error;
  return err && typeof err === 'object' ? err.type : undefined;
}

/** Elasticsearch's error type of a client error and its root causes' types (e.g. a search phase
 *  failure caused by `search_context_missing_exception`). */
export function esErrorTypes(e: unknown): string[] {
  const r = asResponseError(e);
  const err = (r?.body as EsErrorBody | undefined)?.error;
  if (!err || typeof err !== 'object') return [];
  return [err.type, ...(err.root_cause ?? []).map((c) => c.type)].filter((t): t is string => typeof t === 'string');
}

/** The parts of a search answer that say whether it is whole. */
export interface SearchCompleteness {
  timed_out?: boolean;
  _shards?: {
    total?: number;
    successful?: number;
    failed?: number;
    failures?: { index?: string | null; shard?: number; reason?: { type?: string; reason?: string | null } }[];
  };
}

/** An answer that holds only some shards' results (or timed out): retry it, never use it. */
export class IncompleteSearchError extends Error {
  override readonly name = 'IncompleteSearchError';
  constructor(what: string, res: SearchCompleteness) {
    super(`${what}: Elasticsearch answered with partial results (${describe(res)}); nothing was taken from it`);
  }
}

function describe(res: SearchCompleteness): string {
  const s = res._shards;
  const parts: string[] = [];
  if (s && (s.failed ?? 0) > 0) {
    parts.push(`${s.failed} of ${s.total ?? '?'} shards failed`);
    const first = s.failures?.[0];
    if (first) parts.push(`first: ${first.index ?? '?'}[${first.shard ?? '?'}] ${first.reason?.type ?? ''} ${first.reason?.reason ?? ''}`.trim());
  }
  if (res.timed_out === true) parts.push('timed out');
  return parts.join('; ');
}
