// _search, _count, _refresh and point in time. Search sees each index as of its last refresh
// (or as of the PIT's opening), shard by shard: a shard answers hits, is skipped by the
// pre-filter, or fails (an injected fault, a sort it cannot do); `_shards` says which, and
// sort/search_after/_shard_doc follow ES's paging rules.
import { randomBytes } from 'node:crypto';
import { EsError, Json, illegalArgument, parsingError } from './errors';
import { Hit, runAggs } from './aggs';
import { Faults } from './faults';
import { Req, Reply } from './http';
import { matches } from './query';
import { ShardFailure, ShardTarget, phaseFailure, shardTargets, shardsHeader, skippedShards } from './shards';
import { KeyPlanOf, SortKey, SortVal, compareSortVals, convertAfter, outputSortValue, parseSort, planner, sortValues } from './sort';
import { filterSource, sourceSpec } from './source_filter';
import { Doc, Index, Pit, Store } from './store';

const KEEP_ALIVE = /^(\d+)(ms|s|m|h|d)$/;
function keepAliveMs(v: string | null | undefined): number {
  const m = v ? KEEP_ALIVE.exec(v) : null;
  if (!m) throw illegalArgument(`failed to parse setting [keep_alive] with value [${v}] as a time value: unit is missing or unrecognized`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] as 'ms']!;
}

const SUPPORTED = new Set(['query', 'size', 'from', 'sort', 'search_after', 'track_total_hits', '_source', 'aggs', 'aggregations', 'pit', 'timeout', 'track_scores', 'seq_no_primary_term', 'version']);
const KNOWN_UNSUPPORTED = new Set(['fields', 'highlight', 'collapse', 'runtime_mappings', 'stored_fields', 'docvalue_fields', 'script_fields', 'post_filter', 'min_score', 'suggest', 'rescore', 'knn', 'indices_boost', 'explain', 'profile', 'stats', 'terminate_after', 'slice', 'rank', 'retriever']);

/** What the shards of one request answered. */
interface ShardResults {
  hits: Hit[];
  /** The hits of each shard that answered, in shard order (`hits` is their concatenation). */
  parts: Hit[][];
  shards: ShardTarget[];
  skipped: Set<number>;
  failures: ShardFailure[];
  timedOut: boolean;
  pit?: Pit;
}

/** A query error that Elasticsearch raises while parsing the request, not on a shard. */
const requestLevel = (e: EsError): boolean => e.type === 'parsing_exception' || e.type === 'x_content_parse_exception';

type Keyed = { h: Hit; sv: SortVal[] };

/** The first `n` of the sorted `keyed` that are past the search_after values (all of them are then). */
function firstAfter(keyed: Keyed[], n: number, past: (k: Keyed) => boolean): Keyed[] {
  const out: Keyed[] = [];
  for (let i = 0; i < keyed.length && out.length < n; i++) if (past(keyed[i])) out.push(keyed[i]);
  return out;
}

/** The documents of a shard that match the query. */
function scan(query: Json, t: ShardTarget): Hit[] {
  const hits: Hit[] = [];
  for (const doc of t.docs) if (matches(query, t.index, doc)) hits.push({ index: t.index, doc, shard: t.position });
  return hits;
}

/**
 * What a point in time's pages share: a reader pages through one snapshot with the same query and
 * sort, so each shard's matching documents and their sorted order are kept on the PIT for the next
 * page (each page was a scan and a sort of every document: a read of n documents cost O(n²)).
 * Nothing else changes: faults, skipped shards and search_after apply per request as before. Kept
 * per query text; a query naming `now` is not kept (its dates move between requests), and a
 * shard's matches are worked out again once its index's mapping changed.
 */
interface PitQueryCache {
  matchesOf(t: ShardTarget, scan: () => Hit[]): Hit[];
  /** The hits of these shards' parts in sort order (kept while the parts are the same arrays). */
  sorted(parts: Hit[][], sort: SortKey[], make: () => Keyed[]): Keyed[];
}

const pitCaches = new WeakMap<Pit, Map<string, PitQueryCache>>();

function pitCache(pit: Pit, query: Json): PitQueryCache | undefined {
  const key = textOf(query ?? null);
  if (/now/i.test(key)) return undefined;
  let byQuery = pitCaches.get(pit);
  if (!byQuery) pitCaches.set(pit, (byQuery = new Map()));
  let cache = byQuery.get(key);
  if (!cache) byQuery.set(key, (cache = newPitQueryCache()));
  return cache;
}

/** JSON text of a parsed request part (its long literals are BigInt). */
const textOf = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

function newPitQueryCache(): PitQueryCache {
  const shards = new Map<number, { fields: unknown; hits: Hit[] }>();
  const sorts = new Map<string, { parts: Hit[][]; keyed: Keyed[] }>();
  return {
    matchesOf(t, scan) {
      const kept = shards.get(t.position);
      if (kept && kept.fields === t.index.fields) return kept.hits;
      const hits = scan();
      shards.set(t.position, { fields: t.index.fields, hits });
      return hits;
    },
    sorted(parts, sort, make) {
      const key = textOf(sort);
      const kept = sorts.get(key);
      if (kept && kept.parts.length === parts.length && kept.parts.every((p, i) => p === parts[i])) return kept.keyed;
      const keyed = make();
      sorts.set(key, { parts, keyed });
      return keyed;
    },
  };
}

export class SearchApi {
  constructor(
    private readonly store: Store,
    private readonly faults?: Faults,
  ) {}

  /** The docs each target index shows to search: last refresh, or the PIT snapshot. */
  private views(req: Req, indexExpr: string | undefined): { views: { index: Index; docs: Map<string, Doc> }[]; pit?: Pit } {
    const pitSpec = req.body?.pit;
    if (pitSpec) {
      if (indexExpr) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [indices] cannot be used with point in time. Do not specify any index with point in time.;');
      const pit = this.store.pits.get(pitSpec.id);
      if (!pit || pit.expiresAt < Date.now()) {
        throw new EsError(404, 'search_context_missing_exception', `No search context found for id [${String(pitSpec.id).slice(0, 8)}]`);
      }
      if (pitSpec.keep_alive) pit.expiresAt = Date.now() + keepAliveMs(pitSpec.keep_alive);
      return { views: pit.indices, pit };
    }
    const ignore = req.query.get('ignore_unavailable') === 'true';
    return { views: this.store.resolve(indexExpr, { ignoreUnavailable: ignore }).map((index) => ({ index, docs: index.searchable })) };
  }

  /**
   * Runs the query on every shard. `prepare` runs first on each shard that is not skipped and may
   * throw what the shard fails with (a sort it cannot do, a search_after it cannot read).
   */
  private runShards(req: Req, indexExpr: string | undefined, opts: { sort: SortKey[]; plansOf?: KeyPlanOf; prefilter: boolean; prepare?: (t: ShardTarget) => void }): ShardResults {
    const body = req.body ?? {};
    const { views, pit } = this.views(req, indexExpr);
    const shards = shardTargets(views);
    const timeout = body.timeout !== undefined || req.query.has('timeout');
    const allowPartial = req.query.get('allow_partial_search_results') !== 'false';
    const injected = this.faults?.shardFaults(shards, { pit: pit !== undefined, timeout }) ?? new Map();
    const preFilterShardSize = req.query.has('pre_filter_shard_size') ? Number(req.query.get('pre_filter_shard_size')) : undefined;
    const skipped = opts.prefilter
      ? skippedShards(shards, { query: body.query, aggs: body.aggs ?? body.aggregations, sort: opts.sort, plansOf: opts.plansOf ?? planner(opts.sort, pit !== undefined), searchAfter: body.search_after, trackTotalHits: body.track_total_hits, preFilterShardSize })
      : new Set<number>();
    const parts: Hit[][] = [];
    const failures: ShardFailure[] = [];
    let timedOut = false;
    const cache = pit && pitCache(pit, body.query);
    for (const t of shards) {
      const fault = injected.get(t.position);
      if (fault && !fault.timedOut) {
        failures.push({ target: t, error: fault.error });
        continue;
      }
      if (skipped.has(t.position)) continue;
      try {
        opts.prepare?.(t);
        if (fault?.timedOut) {
          // Past its timeout the shard returns what it collected so far (here: nothing), or fails.
          if (!allowPartial) throw fault.error;
          timedOut = true;
          continue;
        }
        parts.push(cache ? cache.matchesOf(t, () => scan(body.query, t)) : scan(body.query, t));
      } catch (e) {
        if (!(e instanceof EsError) || requestLevel(e)) throw e;
        failures.push({ target: t, error: e });
      }
    }
    if (shards.length > 0 && failures.length === shards.length) throw phaseFailure('all shards failed', failures);
    if (failures.length > 0 && !allowPartial) throw phaseFailure('Partial shards failure', failures);
    return { hits: parts.length === 1 ? parts[0] : parts.flat(), parts, shards, skipped, failures, timedOut, pit };
  }

  search(req: Req, indexExpr: string | undefined): Reply {
    const started = Date.now();
    const body = req.body ?? {};
    for (const k of Object.keys(body)) {
      if (SUPPORTED.has(k)) continue;
      // Keys ES knows but this server does not implement fail loudly rather than being ignored.
      if (KNOWN_UNSUPPORTED.has(k)) throw illegalArgument(`[es test server] search option [${k}] is not supported`);
      throw parsingError(`Unknown key for a START_OBJECT in [${k}].`);
    }
    const size = Number(body.size ?? req.query.get('size') ?? 10);
    const from = Number(body.from ?? req.query.get('from') ?? 0);
    if (from + size > 10000) {
      throw illegalArgument(`Result window is too large, from + size must be less than or equal to: [10000] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`);
    }
    if (req.query.has('pre_filter_shard_size') && !(Number(req.query.get('pre_filter_shard_size')) >= 1)) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: preFilterShardSize must be >= 1;');
    }
    const after: Json[] | undefined = body.search_after;
    if (after && from > 0) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: `from` parameter must be set to 0 when `search_after` is used.;');
    }
    const pitSearch = body.pit !== undefined;
    let sort = parseSort(body.sort);
    const explicitSort = sort.length > 0;
    // With a PIT, ES adds an implicit _shard_doc tiebreaker so search_after paging is total.
    if (pitSearch && !sort.some((s) => s.field === '_shard_doc')) sort = [...(explicitSort ? sort : [{ field: '_score', desc: true }]), { field: '_shard_doc', desc: false }];
    const plansOf = planner(sort, pitSearch);
    const afterOf = new Map<Index, SortVal[]>();
    const prepare = (t: ShardTarget): void => {
      const plans = plansOf(t.index);
      if (!after || afterOf.has(t.index)) return;
      if (sort.length === 0) throw illegalArgument('Sort must contain at least one field.');
      if (after.length !== sort.length) throw illegalArgument(`search_after has ${after.length} value(s) but sort has ${sort.length}.`);
      afterOf.set(t.index, sort.map((k, i) => convertAfter(after[i], k, plans[i])));
    };
    const run = this.runShards(req, indexExpr, { sort, plansOf, prefilter: true, prepare });
    const sortHits = (): Keyed[] => {
      const keyed = run.hits.map((h) => ({ h, sv: sortValues(h, sort, plansOf(h.index)) }));
      return keyed.sort((a, b) => compareSortVals(a.sv, b.sv, sort) || a.h.shard - b.h.shard || a.h.doc.ord - b.h.doc.ord);
    };
    const keyed = run.pit ? pitCache(run.pit, body.query)?.sorted(run.parts, sort, sortHits) ?? sortHits() : sortHits();
    const page = after ? firstAfter(keyed, size, (k) => compareSortVals(k.sv, afterOf.get(k.h.index)!, sort) > 0) : keyed.slice(from, from + size);
    const scored = !explicitSort || sort.some((s) => s.field === '_score');
    const tth = body.track_total_hits ?? 10000;
    const n = run.hits.length;
    let total: Json = tth === false ? undefined : tth === true || n <= tth ? { value: n, relation: 'eq' } : { value: tth, relation: 'gte' };
    // rest_total_hits_as_int tracks hits exactly and writes the total as a plain number.
    if (req.query.get('rest_total_hits_as_int') === 'true') total = n;
    const source = sourceSpec(req.query, body._source);
    const out: Json = {
      ...(run.pit ? { pit_id: run.pit.id } : {}),
      took: Date.now() - started,
      timed_out: run.timedOut,
      _shards: shardsHeader(run.shards.length, run.skipped.size, run.failures),
      hits: {
        ...(total !== undefined ? { total } : {}),
        max_score: scored && n ? 1.0 : null,
        hits: page.map(({ h, sv }) => {
          const src = filterSource(h.doc.source, source);
          const plans = plansOf(h.index);
          return {
            _index: h.index.name,
            _id: h.doc.id,
            ...(body.version ? { _version: h.doc.version } : {}),
            ...(body.seq_no_primary_term ? { _seq_no: h.doc.seqNo, _primary_term: 1 } : {}),
            _score: scored ? 1.0 : null,
            ...(src !== undefined ? { _source: src } : {}),
            ...(sort.length ? { sort: sv.map((v, i) => outputSortValue(v, sort[i], plans[i])) } : {}),
          };
        }),
      },
    };
    const aggs = body.aggs ?? body.aggregations;
    if (aggs) out.aggregations = runAggs(aggs, run.hits);
    return { status: 200, body: out };
  }

  count(req: Req, indexExpr: string | undefined): Reply {
    const run = this.runShards({ ...req, body: { query: req.body?.query } }, indexExpr, { sort: [], prefilter: false });
    return { status: 200, body: { count: run.hits.length, _shards: shardsHeader(run.shards.length, 0, run.failures) } };
  }

  refresh(indexExpr: string | undefined): Reply {
    const targets = this.store.resolve(indexExpr);
    for (const ix of targets) ix.refresh();
    const shards = targets.reduce((n, ix) => n + ix.shards, 0);
    return { status: 200, body: { _shards: { total: shards * 2, successful: shards, failed: 0 } } };
  }

  openPit(req: Req, indexExpr: string): Reply {
    if (!req.query.get('keep_alive')) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [keep_alive] is not specified;');
    }
    const ttl = keepAliveMs(req.query.get('keep_alive'));
    const indices = this.store.resolve(indexExpr).map((index) => ({ index, docs: new Map(index.searchable) }));
    const id = randomBytes(48).toString('base64');
    this.store.pits.set(id, { id, indices, expiresAt: Date.now() + ttl });
    const shards = indices.reduce((n, { index }) => n + index.shards, 0);
    return { status: 200, body: { id, _shards: { total: shards, successful: shards, skipped: 0, failed: 0 } } };
  }

  closePit(req: Req): Reply {
    const id = req.body?.id;
    if (!id) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no point-in-time id is specified;');
    const freed = this.store.pits.delete(id) ? 1 : 0;
    return { status: freed ? 200 : 404, body: { succeeded: true, num_freed: freed } };
  }
}
