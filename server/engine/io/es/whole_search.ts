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
import type { Client, estypes } from '@elastic/elasticsearch';
import { IncompleteSearchError, type SearchCompleteness } from './errors';
import { withRetry, type RetryOptions } from './retry';

export { IncompleteSearchError };

/** Search parameters that refuse partial results (a query parameter: Elasticsearch refuses it in the body). */
export const WHOLE_RESULTS = { allow_partial_search_results: false } as const;

/** Throws IncompleteSearchError unless every shard answered in time; returns the answer for chaining. */
export function requireWhole<T extends SearchCompleteness>(res: T, what: string): T {
  if ((res._shards?.failed ?? 0) > 0 || res.timed_out === true) throw new IncompleteSearchError(what, res);
  return res;
}

/**
 * A search that must be whole, retried (with `retry`'s backoff and signal) until it is or the
 * retries run out: Elasticsearch is asked not to answer partially, and a partial answer that
 * still comes is refused.
 */
export async function searchWhole<TDoc = unknown, TAggs = Record<string, estypes.AggregationsAggregate>>(
  client: Client,
  what: string,
  request: estypes.SearchRequest,
  retry?: RetryOptions,
): Promise<estypes.SearchResponse<TDoc, TAggs>> {
  return withRetry(what, async () => requireWhole(await client.search<TDoc, TAggs>({ ...WHOLE_RESULTS, ...request }, { signal: retry?.signal }), what), retry);
}
