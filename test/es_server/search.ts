// _search, _count, _refresh and point in time. Search sees each index as of its last refresh
// (or as of the PIT's opening); sort/search_after/_shard_doc follow ES's paging rules.
import { randomBytes } from 'node:crypto';
import { EsError, Json, illegalArgument, parsingError } from './errors';
import { globRegex } from './fields';
import { Hit, runAggs } from './aggs';
import { Req, Reply, SHARDS_READ } from './http';
import { fieldValues, matches } from './query';
import { Doc, Index, Pit, Store } from './store';

interface SortKey {
  field: string; // a field, "_score", "_doc" or "_shard_doc"
  desc: boolean;
}

function parseSort(sort: Json): SortKey[] {
  const list = sort === undefined ? [] : Array.isArray(sort) ? sort : [sort];
  return list.flatMap((s: Json) => {
    if (typeof s === 'string') return s.split(',').map((f) => { const [field, dir] = f.split(':'); return { field, desc: dir ? dir === 'desc' : field === '_score' }; });
    return Object.entries<Json>(s).map(([field, o]) => {
      const order = typeof o === 'string' ? o : o?.order;
      return { field, desc: order ? order === 'desc' : field === '_score' };
    });
  });
}

type SortVal = string | number | boolean | null;

function cmp(a: SortVal, b: SortVal, desc: boolean): number {
  // Missing values sort last in either direction, as ES's default `missing: _last` does.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return desc ? -c : c;
}

const KEEP_ALIVE = /^(\d+)(ms|s|m|h|d)$/;
function keepAliveMs(v: string | null | undefined): number {
  const m = v ? KEEP_ALIVE.exec(v) : null;
  if (!m) throw illegalArgument(`failed to parse setting [keep_alive] with value [${v}] as a time value: unit is missing or unrecognized`);
  return Number(m[1]) * { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[m[2] as 'ms']!;
}

/** `_source` filtering: false, "field", ["a", "b.*"], {includes, excludes}. */
export function filterSource(source: Json, spec: Json): Json | undefined {
  if (spec === undefined || spec === true) return source;
  if (spec === false) return undefined;
  const inc: string[] = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec : [].concat(spec.includes ?? spec.include ?? []);
  const exc: string[] = Array.isArray(spec) || typeof spec === 'string' ? [] : [].concat(spec.excludes ?? spec.exclude ?? []);
  const incRe = inc.map(globRegex);
  const excRe = exc.map(globRegex);
  // A path is kept when it, or one of its parent paths, matches an include pattern.
  const prefixes = (path: string): string[] => path.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'));
  const keep = (path: string): boolean =>
    (incRe.length === 0 || prefixes(path).some((p) => incRe.some((r) => r.test(p)))) && !prefixes(path).some((p) => excRe.some((r) => r.test(p)));
  const walk = (node: Json, prefix: string): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries<Json>(node)) {
      const path = prefix + k;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const sub = walk(v, path + '.');
        if (Object.keys(sub).length) out[k] = sub;
        else if (Object.keys(v).length === 0 && keep(path)) out[k] = {};
      } else if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) {
        const arr = v.map((x) => (x && typeof x === 'object' ? walk(x, path + '.') : keep(path) ? x : undefined)).filter((x) => x !== undefined && !(typeof x === 'object' && Object.keys(x).length === 0));
        if (arr.length) out[k] = arr;
      } else if (keep(path)) out[k] = v;
    }
    return out;
  };
  return walk(source, '');
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
    const sortValues = (h: Hit & { shard: number }): SortVal[] =>
      sort.map((s) => {
        if (s.field === '_score') return 1;
        if (s.field === '_doc') return h.doc.ord;
        if (s.field === '_shard_doc') return h.shard * 2 ** 32 + h.doc.ord;
        const fv = fieldValues(h.index, h.doc, s.field);
        if (fv.type === 'text') {
          throw illegalArgument(`Fielddata is disabled on [${s.field}] in [${h.index.name}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${s.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`);
        }
        if (fv.values.length === 0) return null;
        const sorted = [...fv.values].sort((a, b) => cmp(a, b, false));
        const v = s.desc ? sorted[sorted.length - 1] : sorted[0];
        return typeof v === 'boolean' ? (v ? 1 : 0) : v;
      });
    const keyed = hits.map((h) => ({ h, sv: sortValues(h) }));
    const order = (a: SortVal[], b: SortVal[]): number => {
      for (let i = 0; i < sort.length; i++) {
        const c = cmp(a[i], b[i], sort[i].desc);
        if (c) return c;
      }
      return 0;
    };
    keyed.sort((a, b) => order(a.sv, b.sv) || a.h.shard - b.h.shard || a.h.doc.ord - b.h.doc.ord);
    let page = keyed;
    if (body.search_after) {
      if (body.search_after.length !== sort.length) {
        throw illegalArgument(`search_after has ${body.search_after.length} value(s) but sort has ${sort.length}.`);
      }
      page = keyed.filter((k) => order(k.sv, body.search_after) > 0);
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

