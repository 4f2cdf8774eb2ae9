/**
 * Where the scores documents of some events already are, in the scores data stream: the sink's
 * scores mode overwrites such a copy in its own backing index instead of creating a second one
 * (ids are unique only within one backing index).
 *
 * - `lookUp`: an ids query over the whole stream, which sees what was refreshed. A copy not
 *   searchable yet in an older backing index (a run killed within a refresh interval of writing
 *   it, then a rollover) would be missed, and the create would land in the new write index. So
 *   before its first lookup the stream is refreshed, which makes every earlier run's copies
 *   searchable (the job's lease keeps other writers out meanwhile). Where the key may not
 *   refresh, the ids the query misses are read in real time from every backing index but the
 *   write index (where a create meets its copy as a 409); where it may not list the backing
 *   indices either, a warning says what to grant.
 * - `read`: realtime reads of copies a create or overwrite conflicted with.
 */
import type { Client } from '@elastic/elasticsearch';
import { esStatus, isRetryableError } from './errors';
import { withRetry, type RetryOptions } from './retry';
import { searchWhole } from './whole_search';

/** Where a scores document already is. */
export interface Copy {
  index: string;
  seqNo: number;
  primaryTerm: number;
}

/**
 * What of the copies lookup's answer is read (`filter_path`): each copy's index, id and sequence
 * numbers, and whether the answer is whole (`_shards`, `timed_out`, read by requireWhole).
 */
export const COPIES_FILTER_PATH = '_shards,timed_out,hits.hits._index,hits.hits._id,hits.hits._seq_no,hits.hits._primary_term';

/**
 * How copies written by earlier runs are found: `searchable` once the stream was refreshed (or has
 * no index yet), else `realtime` reads of the ids the search missed in its older backing indices.
 */
type EarlierCopies = { kind: 'searchable' } | { kind: 'realtime'; olderIndices: string[] };

export class ScoresCopies {
  private earlier?: Promise<EarlierCopies>;

  constructor(
    private readonly client: Client,
    private readonly stream: string,
    private readonly retry: RetryOptions,
    private readonly warn: (message: string) => void,
  ) {}

  /** Copies of these ids anywhere in the stream, earlier runs' unrefreshed ones included. Keyed by id. */
  async lookUp(docIds: string[]): Promise<Map<string, Copy>> {
    if (!this.earlier) {
      this.earlier = this.findEarlierCopies();
      // A retryable failure fails this lookup (its writes stay retryable); the next one tries again.
      this.earlier.catch(() => (this.earlier = undefined));
    }
    const earlier = await this.earlier;
    const found = await this.search(docIds);
    if (earlier.kind === 'realtime') {
      const missed = docIds.filter((id) => !found.has(id));
      for (const [id, copy] of await this.getIn(earlier.olderIndices, missed)) found.set(id, copy);
    }
    return found;
  }

  /**
   * Realtime reads (`_mget`) of copies in known backing indices; ids whose backing index is not
   * known fall back to the ids query. Keys are "<index>|<id>" as asked ("<stream>|<id>" for those).
   */
  async read(wanted: { index: string | undefined; id: string }[]): Promise<Map<string, Copy>> {
    const out = new Map<string, Copy>();
    const known = wanted.filter((w) => w.index !== undefined);
    if (known.length > 0) {
      const res = await withRetry(
        `read conflicting scores documents`,
        () => this.client.mget({ docs: known.map((w) => ({ _index: w.index!, _id: w.id })), _source: false }, { signal: this.retry.signal }),
        this.retry,
      );
      for (const d of res.docs) {
        if ('found' in d && d.found) out.set(`${d._index}|${d._id}`, { index: d._index, seqNo: d._seq_no!, primaryTerm: d._primary_term! });
      }
    }
    const unknown = wanted.filter((w) => w.index === undefined).map((w) => w.id);
    for (const [id, copy] of await this.search(unknown)) out.set(`${this.stream}|${id}`, copy);
    return out;
  }

  /**
   * Makes earlier runs' copies findable by the ids search: refreshes the stream; without the
   * privilege to, lists its older backing indices for realtime reads; without that either, warns.
   */
  private async findEarlierCopies(): Promise<EarlierCopies> {
    const signal = this.retry.signal;
    try {
      await withRetry(`refresh ${this.stream}`, () => this.client.indices.refresh({ index: this.stream, ignore_unavailable: true, allow_no_indices: true }, { signal }), this.retry);
      return { kind: 'searchable' };
    } catch (e) {
      if (this.retryable(e)) throw e;
      if (esStatus((e as Error).cause) === 404) return { kind: 'searchable' }; // no stream yet: no copies
    }
    try {
      const found = await withRetry(`list the backing indices of ${this.stream}`, () => this.client.indices.getDataStream({ name: this.stream }, { signal }), this.retry);
      const indices = found.data_streams[0]?.indices.map((i) => i.index_name) ?? [];
      return { kind: 'realtime', olderIndices: indices.slice(0, -1) };
    } catch (e) {
      if (this.retryable(e)) throw e;
      if (esStatus((e as Error).cause) === 404) return { kind: 'searchable' };
      this.warn(
        `cannot refresh ${this.stream} nor list its backing indices (${(e as Error).message}): an event rescored soon after a run was killed and the stream rolled over may get a second scores document; grant maintenance or view_index_metadata on it`,
      );
      return { kind: 'searchable' };
    }
  }

  /** Realtime reads of these ids in each of `indices`; the newest backing index's copy wins. */
  private async getIn(indices: string[], docIds: string[]): Promise<Map<string, Copy>> {
    const found = new Map<string, Copy>();
    if (indices.length === 0 || docIds.length === 0) return found;
    const docs = indices.flatMap((index) => docIds.map((id) => ({ _index: index, _id: id })));
    const res = await withRetry(`read scores documents of earlier runs in ${this.stream}`, () => this.client.mget({ docs, _source: false }, { signal: this.retry.signal }), this.retry);
    for (const d of res.docs) {
      if ('found' in d && d.found) keepNewest(found, d._id, { index: d._index, seqNo: d._seq_no!, primaryTerm: d._primary_term! });
    }
    return found;
  }

  /** Copies of these ids anywhere in the stream (as of its last refresh), the newest backing index's first. */
  private async search(docIds: string[]): Promise<Map<string, Copy>> {
    const found = new Map<string, Copy>();
    if (docIds.length === 0) return found;
    // A copy missing from a partial answer would get a second copy: whole answers only.
    const res = await searchWhole(
      this.client,
      `look up existing scores in ${this.stream}`,
      { index: this.stream, ignore_unavailable: true, allow_no_indices: true, size: docIds.length * 2, _source: false, seq_no_primary_term: true, query: { ids: { values: docIds } }, filter_path: COPIES_FILTER_PATH },
      this.retry,
    );
    // No copy found: the answer has no `hits` (an array its paths only partly name goes when empty).
    for (const h of res.hits?.hits ?? []) keepNewest(found, h._id!, { index: h._index, seqNo: h._seq_no!, primaryTerm: h._primary_term! });
    return found;
  }

  /** A failure worth trying again later (or work stopped by the signal): never a reason to give up. */
  private retryable(e: unknown): boolean {
    return isRetryableError((e as Error).cause ?? e) || this.retry.signal?.aborted === true;
  }
}

function keepNewest(found: Map<string, Copy>, id: string, copy: Copy): void {
  const prev = found.get(id);
  if (!prev || generationOf(copy.index) > generationOf(prev.index)) found.set(id, copy);
}

/** A backing index's generation (its name ends in it): the larger, the newer. */
const generationOf = (index: string): number => Number(/-(\d+)$/.exec(index)?.[1] ?? 0);
