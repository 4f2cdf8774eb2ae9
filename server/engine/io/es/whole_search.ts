/**
 * Searches whose answer must be whole. Elasticsearch may answer 200 with `_shards.failed > 0` (a
 * shard relocating, a point in time's context lost) or `timed_out: true`, holding only some
 * shards' hits. A reader that takes such a page as the truth skips documents without a word: a
 * short page reads as the end, a missing model head as "no model", a missing copy as "none yet".
 *
 * So these searches ask for `allow_partial_search_results=false` (Elasticsearch then answers an
 * error, 503 for an unavailable shard, instead of a partial 200), and still check the answer,
 * since a timeout or a cluster setting can let a partial answer through. An incomplete answer is
 * an IncompleteSearchError, which the retry loop (withRetry) treats as transient.
 */

/** Search parameters that refuse partial results (a query parameter: Elasticsearch refuses it in the body). */
export const WHOLE_RESULTS = { allow_partial_search_results: false } as const;

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

/** Throws IncompleteSearchError unless every shard answered in time; returns the answer for chaining. */
export function requireWhole<T extends SearchCompleteness>(res: T, what: string): T {
  if ((res._shards?.failed ?? 0) > 0 || res.timed_out === true) throw new IncompleteSearchError(what, res);
  return res;
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
