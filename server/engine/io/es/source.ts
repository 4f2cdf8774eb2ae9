/**
 * Elasticsearch input: reads an index pattern (index, alias, data stream, wildcard) as a stream of
 * InputItems through a point in time, paging with `search_after`.
 *
 * - Snapshot: the PIT fixes what is read; documents indexed after the read started are not seen.
 * - Order: by the time field ascending; events at the same time by `_index`, then `_id`. The PIT
 *   reads ties in `_shard_doc` order, which an in-place update changes (a new Lucene document), and
 *   per-user derived features depend on the order: so a page never splits the events of one time
 *   (a full page waits for the next search and takes from it the hits at its last time, so it
 *   may hold more than `pageSize`) and each page orders its ties by document. A rerun then sees
 *   the same order.
 * - Memory: one page of hits at a time; hits are yielded one by one.
 * - Checkpoints: after the consumer has taken every hit of a page, `onPage` receives that page's
 *   last sort values in the PIT's order; passing them back as `after` resumes strictly after them.
 * - Faults: opening the PIT and each page are retried on 429/5xx and dropped connections (a page
 *   is asked again with the same `search_after`). A PIT that expired between pages cannot be
 *   resumed: the error says so.
 * - Cleanup: the PIT is closed in a `finally`, also when the consumer stops early or a page fails.
 *
 * `_id` and `_index` are not document fields, so they are not put in the event; the item's
 * `source` names the document as `<index>/<id>` and `line` is the 1-based position in this read.
 */
import { esErrorTypes } from './errors';
import { withRetry, type RetryOptions } from './retry';
import { requireWhole, WHOLE_RESULTS } from './whole_search';
import type { Client } from '@elastic/elasticsearch';
import type { InputItem, RawEvent } from '../../types';
import type { Profile } from '../../profiles/types';

export interface EsSourceOptions {
  /** Index, alias, data stream or pattern (comma-separated list allowed). */
  index: string;
  /** Date field to filter and sort on. Default `@timestamp`. */
  timeField?: string;
  /** Inclusive lower bound on timeField (date string or epoch millis). */
  from?: string | number;
  /** Exclusive upper bound on timeField (date string or epoch millis): the range is [from, to). */
  to?: string | number;
  /** `_source` includes. Undefined: the whole document; an empty list: no source at all. */
  sourcePaths?: string[];
  /** Hits per page. Default 1000, at most 10000. */
  pageSize?: number;
  /** PIT keep-alive between pages. Default `2m`. */
  keepAlive?: string;
  /** Resume strictly after these sort values (a checkpoint from `onPage`). */
  after?: unknown[];
  /** Extra query, applied as a filter next to the time range. */
  query?: Record<string, unknown>;
  /** Retries of the PIT's opening and of each page (429, 5xx, dropped connections). */
  retry?: RetryOptions;
}

export interface EsPageInfo {
  /** Sort values of the page's last hit: the checkpoint to pass back as `after`. */
  sort: unknown[];
  /** Hits in the page. */
  count: number;
}

export const DEFAULT_TIME_FIELD = '@timestamp';
export const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_KEEP_ALIVE = '2m';
const MAX_PAGE_SIZE = 10_000;

interface EsHit {
  _index: string;
  _id?: string;
  _source?: RawEvent;
  sort?: unknown[];
}

const readFailed = (index: string, step: string): string => `Elasticsearch read of index "${index}" failed (${step})`;

/**
 * What of a page's answer is read (`filter_path`): each hit's index, id, source and sort values,
 * the point in time's next id, and whether the answer is whole (`_shards`, `timed_out`, read by
 * requireWhole); not `took`, `_score`, `max_score`. A page without hits comes back without `hits`
 * (Elasticsearch drops the array its paths only partly name when it is empty).
 */
export const PAGE_FILTER_PATH = 'pit_id,_shards,timed_out,hits.hits._index,hits.hits._id,hits.hits._source,hits.hits.sort';

function buildQuery(opts: EsSourceOptions, timeField: string): Record<string, unknown> {
  const filter: Record<string, unknown>[] = [];
  if (opts.from !== undefined || opts.to !== undefined) {
    const range: Record<string, unknown> = {};
    if (opts.from !== undefined) range.gte = opts.from;
    if (opts.to !== undefined) range.lt = opts.to;
    filter.push({ range: { [timeField]: range } });
  }
  if (opts.query) filter.push(opts.query);
  return filter.length === 0 ? { match_all: {} } : { bool: { filter } };
}

/** One hit of a page: where the document lives, its (partial) source and its time sort value. */
export interface EsHitItem {
  index: string;
  id: string;
  event: RawEvent;
  /** The time field's sort value (epoch ms for date fields). */
  time: unknown;
}

export interface EsPage extends EsPageInfo {
  hits: EsHitItem[];
}

/**
 * The read, page by page (the unit a job scores, writes and checkpoints). A page's `sort` is the
 * position after its last hit; see `readEsEvents` for the item-by-item view.
 */
export async function* readEsPages(client: Client, opts: EsSourceOptions): AsyncGenerator<EsPage> {
  const timeField = opts.timeField ?? DEFAULT_TIME_FIELD;
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const keepAlive = opts.keepAlive ?? DEFAULT_KEEP_ALIVE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new Error(`pageSize must be an integer in [1, ${MAX_PAGE_SIZE}], got ${pageSize}`);
  }
  if (opts.after !== undefined && opts.after.length !== 2) {
    throw new Error(`after must hold the 2 sort values of a checkpoint ([${timeField}, _shard_doc]), got ${opts.after.length}`);
  }
  const query = buildQuery(opts, timeField);
  const source = opts.sourcePaths === undefined ? undefined : opts.sourcePaths.length === 0 ? false : { includes: opts.sourcePaths };

  const retry = opts.retry;
  let pitId = await withRetry(readFailed(opts.index, 'open point in time'), async () => (await client.openPointInTime({ index: opts.index, keep_alive: keepAlive })).id, retry);

  const searchPage = async (after: unknown[] | undefined): Promise<EsHit[]> => {
    try {
      return await withRetry(
        readFailed(opts.index, 'search'),
        async () => {
          const res = await client.search<RawEvent>({
            pit: { id: pitId, keep_alive: keepAlive },
            ...WHOLE_RESULTS, // a page missing a shard's hits would be taken as read, or as the end
            size: pageSize,
            query,
            // numeric_type "date": epoch milliseconds whether the field is `date` or `date_nanos`
            // (nanosecond longs exceed 2^53 and lose digits as JSON numbers in JavaScript).
            sort: [{ [timeField]: { order: 'asc', unmapped_type: 'date', numeric_type: 'date' } }, { _shard_doc: 'asc' }],
            track_total_hits: false,
            filter_path: PAGE_FILTER_PATH,
            ...(source !== undefined ? { _source: source } : {}),
            ...(after ? { search_after: after as (string | number | boolean | null)[] } : {}),
          });
          requireWhole(res, readFailed(opts.index, 'search'));
          if (res.pit_id) pitId = res.pit_id;
          return (res.hits?.hits ?? []) as EsHit[];
        },
        retry,
      );
    } catch (e) {
      if (esErrorTypes((e as Error).cause).includes('search_context_missing_exception')) {
        throw new Error(
          `${readFailed(opts.index, 'search')}: the point in time expired between two pages (keep-alive ${keepAlive}); ` +
            'nothing after the last whole page was read, and the read can be run again',
          { cause: e },
        );
      }
      throw e;
    }
  };

  try {
    let after: unknown[] | undefined = opts.after;
    /** A full page read, held until the next search says whether its last time goes on there. */
    let page: EsHit[] = [];
    for (;;) {
      const hits = await searchPage(after);
      for (const h of hits) {
        if (!h.sort) throw new Error(`${readFailed(opts.index, 'search')}: hit ${h._index}/${h._id ?? ''} has no sort values`);
      }
      // A short page is the last one; a full one may be followed by more.
      const more = hits.length === pageSize;
      if (hits.length > 0) after = hits[hits.length - 1].sort;
      let rest = hits;
      if (page.length > 0) {
        // The held page takes this search's hits at its own last time.
        const k = leadingAt(hits, timeOf(page[page.length - 1]));
        if (k > 0) page = page.concat(hits.slice(0, k));
        rest = hits.slice(k);
        if (rest.length === 0 && more) continue; // all at that time: the next search may hold more
        yield pageOf(page);
        page = [];
      }
      if (!more) {
        if (rest.length > 0) yield pageOf(rest);
        return;
      }
      page = rest;
    }
  } finally {
    try {
      await client.closePointInTime({ id: pitId });
    } catch {
      // Best effort: an unclosed PIT expires after keepAlive, and a close failure must not hide
      // the read's own outcome (or the error that is already propagating).
    }
  }
}

const timeOf = (h: EsHit): unknown => h.sort?.[0];

/** How many hits at the start share the time `t` (hits in time order). */
function leadingAt(hits: EsHit[], t: unknown): number {
  let k = 0;
  while (k < hits.length && timeOf(hits[k]) === t) k++;
  return k;
}

/** Hits read in the PIT's order as a page: ties ordered by document, `sort` the PIT position after them. */
function pageOf(hits: EsHit[]): EsPage {
  return { hits: orderTies(hits).map(hitItem), sort: hits[hits.length - 1].sort!, count: hits.length };
}

/** Hits in time order with each run of equal times ordered by `_index`, then `_id`. */
function orderTies(hits: EsHit[]): EsHit[] {
  const out = hits.slice();
  for (let i = 0; i < out.length; ) {
    let j = i + 1;
    while (j < out.length && timeOf(out[j]) === timeOf(out[i])) j++;
    if (j - i > 1) {
      const run = out.slice(i, j).sort(byDocument);
      for (let k = i; k < j; k++) out[k] = run[k - i];
    }
    i = j;
  }
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byDocument = (a: EsHit, b: EsHit): number => cmp(a._index, b._index) || cmp(a._id ?? '', b._id ?? '');

const hitItem = (h: EsHit): EsHitItem => ({ index: h._index, id: h._id ?? '', event: h._source ?? {}, time: h.sort?.[0] });

/** Where an event read from Elasticsearch is, as its InputItem says: `<index>/<id>` (an index name never holds "/"). */
const hitLabel = (index: string, id: string): string => `${index}/${id}`;

/** The index and id of an InputItem readEsEvents made, from its label. */
export function hitOfLabel(file: string): { index: string; id: string } {
  const slash = file.indexOf('/');
  return { index: file.slice(0, slash), id: file.slice(slash + 1) };
}

/** The read as InputItems, one by one; `onPage` gets each page's checkpoint after its last item was taken. */
export async function* readEsEvents(client: Client, opts: EsSourceOptions, onPage?: (p: EsPageInfo) => void): AsyncGenerator<InputItem> {
  let ordinal = 0;
  for await (const page of readEsPages(client, opts)) {
    for (const hit of page.hits) {
      ordinal++;
      yield { kind: 'event', event: hit.event, source: { file: hitLabel(hit.index, hit.id), line: ordinal } };
    }
    onPage?.({ sort: page.sort, count: page.count });
  }
}

/** Every document path the profile reads (user, display, time, id, feature paths), deduplicated in order. */
export function profileSourcePaths(profile: Profile): string[] {
  const all = [
    ...profile.userFields,
    ...(profile.displayFields ?? []),
    ...profile.timestampFields,
    ...profile.idFields,
    ...profile.fields.flatMap((f) => f.paths),
  ];
  return [...new Set(all)];
}
