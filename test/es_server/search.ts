// _search, _count, _refresh and point in time. Search sees each index as of its last refresh
// (or as of the PIT's opening); sort/search_after/_shard_doc follow ES's paging rules.
import { randomBytes } from 'node:crypto';
import { EsError, Json, illegalArgument, parsingError } from './errors';
import { Hit, runAggs } from './aggs';
import { Req, Reply, SHARDS_READ } from './http';
import { matches } from './query';
import { compareSortVals, parseSort, sortHits } from './sort';
import { filterSource } from './source_filter';
import { Doc, Index, Pit, Store } from './store';

const KEEP_ALIVE = /^(\d+)(ms|s|m|h|d)$/;
function keepAliveMs(v: string | null | undefined): number {
  const m = v ? KEEP_ALIVE.exec(v) : null;
  if (!m) throw illegalArgument(`failed to parse setting [keep_alive] with value [${v}] as a time value: unit is missing or unrecognized`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] as 'ms']!;
}

const SUPPORTED = new Set(['query', 'size', 'from', 'sort', 'search_after', 'track_total_hits', '_source', 'aggs', 'aggregations', 'pit', 'timeout', 'track_scores', 'seq_no_primary_term', 'version']);
const KNOWN_UNSUPPORTED = new Set(['fields', 'highlight', 'collapse', 'runtime_mappings', 'stored_fields', 'docvalue_fields', 'script_fields', 'post_filter', 'min_score', 'suggest', 'rescore', 'knn', 'indices_boost', 'explain', 'profile', 'stats', 'terminate_after', 'slice', 'rank', 'retriever']);

export class SearchApi {
  constructor(private readonly store: Store) {}

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

  private matching(req: Req, indexExpr: string | undefined): { hits: (Hit & { shard: number })[]; pit?: Pit } {
    const { views, pit } = this.views(req, indexExpr);
    const hits: (Hit & { shard: number })[] = [];
    views.forEach(({ index, docs }, shard) => {
      for (const doc of [...docs.values()].sort((a, b) => a.ord - b.ord)) {
        if (matches(req.body?.query, index, doc)) hits.push({ index, doc, shard });
      }
    });
    return { hits, pit };
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
    const { hits, pit } = this.matching(req, indexExpr);
    const size = Number(body.size ?? req.query.get('size') ?? 10);
    const from = Number(body.from ?? req.query.get('from') ?? 0);
    if (from + size > 10000) {
      throw illegalArgument(`Result window is too large, from + size must be less than or equal to: [10000] but was [${from + size}]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.`);
    }
    let sort = parseSort(body.sort);
    const explicitSort = sort.length > 0;
    // With a PIT, ES adds an implicit _shard_doc tiebreaker so search_after paging is total.
    if (pit && !sort.some((s) => s.field === '_shard_doc')) sort = [...(explicitSort ? sort : [{ field: '_score', desc: true }]), { field: '_shard_doc', desc: false }];
    if (body.search_after && sort.length === 0) throw illegalArgument('Sort must contain at least one field.');
    const keyed = sortHits(hits, sort);
    let page = keyed;
    if (body.search_after) {
      if (body.search_after.length !== sort.length) {
        throw illegalArgument(`search_after has ${body.search_after.length} value(s) but sort has ${sort.length}.`);
      }
      page = keyed.filter((k) => compareSortVals(k.sv, body.search_after, sort) > 0);
    }
    page = page.slice(from, from + size);
    const scored = !explicitSort || sort.some((s) => s.field === '_score');
    const tth = body.track_total_hits ?? 10000;
    const total =
      tth === false ? undefined : tth === true || hits.length <= tth ? { value: hits.length, relation: 'eq' } : { value: tth, relation: 'gte' };
    const out: Json = {
      ...(pit ? { pit_id: pit.id } : {}),
      took: Date.now() - started,
      timed_out: false,
      _shards: SHARDS_READ,
      hits: {
        ...(total ? { total } : {}),
        max_score: scored && hits.length ? 1.0 : null,
        hits: page.map(({ h, sv }) => {
          const src = filterSource(h.doc.source, body._source);
          return {
            _index: h.index.name,
            _id: h.doc.id,
            ...(body.version ? { _version: h.doc.version } : {}),
            ...(body.seq_no_primary_term ? { _seq_no: h.doc.seqNo, _primary_term: 1 } : {}),
            _score: scored ? 1.0 : null,
            ...(src !== undefined ? { _source: src } : {}),
            ...(sort.length ? { sort: sv } : {}),
          };
        }),
      },
    };
    const aggs = body.aggs ?? body.aggregations;
    if (aggs) out.aggregations = runAggs(aggs, hits);
    return { status: 200, body: out };
  }

  count(req: Req, indexExpr: string | undefined): Reply {
    const { hits } = this.matching({ ...req, body: { query: req.body?.query } }, indexExpr);
    return { status: 200, body: { count: hits.length, _shards: SHARDS_READ } };
  }

  refresh(indexExpr: string | undefined): Reply {
    const targets = this.store.resolve(indexExpr);
    for (const ix of targets) ix.refresh();
    return { status: 200, body: { _shards: { total: targets.length * 2, successful: targets.length, failed: 0 } } };
  }

  openPit(req: Req, indexExpr: string): Reply {
    if (!req.query.get('keep_alive')) {
      throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: [keep_alive] is not specified;');
    }
    const ttl = keepAliveMs(req.query.get('keep_alive'));
    const indices = this.store.resolve(indexExpr).map((index) => ({ index, docs: new Map(index.searchable) }));
    const id = randomBytes(48).toString('base64');
    this.store.pits.set(id, { id, indices, expiresAt: Date.now() + ttl });
    return { status: 200, body: { id, _shards: { total: indices.length, successful: indices.length, skipped: 0, failed: 0 } } };
  }

  closePit(req: Req): Reply {
    const id = req.body?.id;
    if (!id) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no point-in-time id is specified;');
    const freed = this.store.pits.delete(id) ? 1 : 0;
    return { status: freed ? 200 : 404, body: { succeeded: true, num_freed: freed } };
  }
}

