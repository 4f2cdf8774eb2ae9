/**
 * Elasticsearch input: reads an index pattern (index, alias, data stream, wildcard) as a stream of
 * InputItems through a point in time, paging with `search_after`.
 *
 * - Snapshot: the PIT fixes what is read; documents indexed after the read started are not seen.
 * - Order: by the time field ascending, then `_shard_doc` (a total order within one PIT).
 * - Memory: one page of hits at a time; hits are yielded one by one.
 * - Checkpoints: after the consumer has taken every hit of a page, `onPage` receives that page's
 *   last sort values; passing them back as `after` resumes strictly after them.
 * - Cleanup: the PIT is closed in a `finally`, also when the consumer stops early or a page fails.
 *
 * `_id` and `_index` are not document fields, so they are not put in the event; the item's
 * `source` names the document as `<index>/<id>` and `line` is the 1-based position in this read.
 */
import { esError } from './errors';
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

/** An Error whose message names the index and Elasticsearch's own reason. */
function readError(index: string, step: string, e: unknown): Error {
  return esError(`Elasticsearch read of index "${index}" failed (${step})`, e);
}

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

  let pitId: string;
  try {
    pitId = (await client.openPointInTime({ index: opts.index, keep_alive: keepAlive })).id;
  } catch (e) {
    throw readError(opts.index, 'open point in time', e);
  }

  try {
    let after: unknown[] | undefined = opts.after;
    for (;;) {
      let hits: EsHit[];
      try {
        const res = await client.search<RawEvent>({
          pit: { id: pitId, keep_alive: keepAlive },
          size: pageSize,
          query,
          sort: [{ [timeField]: { order: 'asc', unmapped_type: 'date' } }, { _shard_doc: 'asc' }],
          track_total_hits: false,
          ...(source !== undefined ? { _source: source } : {}),
          ...(after ? { search_after: after as (string | number | boolean | null)[] } : {}),
        });
        if (res.pit_id) pitId = res.pit_id;
        hits = res.hits.hits as EsHit[];
      } catch (e) {
        throw readError(opts.index, 'search', e);
      }
      if (hits.length === 0) return;
      const last = hits[hits.length - 1];
      if (!last.sort) throw new Error(`Elasticsearch read of index "${opts.index}" failed (search): hit ${last._index}/${last._id ?? ''} has no sort values`);
      after = last.sort;
      yield {
        hits: hits.map((h) => ({ index: h._index, id: h._id ?? '', event: h._source ?? {}, time: h.sort?.[0] })),
        sort: last.sort,
        count: hits.length,
      };
      // A short page is the last one; a full one may be followed by more.
      if (hits.length < pageSize) return;
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

/** The read as InputItems, one by one; `onPage` gets each page's checkpoint after its last item was taken. */
export async function* readEsEvents(client: Client, opts: EsSourceOptions, onPage?: (p: EsPageInfo) => void): AsyncGenerator<InputItem> {
  let ordinal = 0;
  for await (const page of readEsPages(client, opts)) {
    for (const hit of page.hits) {
      ordinal++;
      yield { kind: 'event', event: hit.event, source: { file: `${hit.index}/${hit.id}`, line: ordinal } };
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
