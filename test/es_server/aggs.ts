// Aggregations: terms (ordered by count, key, or a sub-aggregation), date_histogram (fixed/calendar
// hour|day, offset, extended_bounds), filter, top_hits, min, max, avg, sum, value_count,
// cardinality, with sub-aggregations under bucket aggs. Output shapes follow ES 8.
import { EsError, Json, illegalArgument, parsingError } from './errors';
import { isoMillis, toMillis } from './fields';
import { nanosToMillis } from './dates';
import { fieldValues, matches } from './query';
import { parseSort, sortHits, type SortableHit } from './sort';
import { filterSource } from './source_filter';

export type Hit = SortableHit;

/** A field's values per hit, as aggregations see them: date_nanos in milliseconds (as ES's aggregations read them). */
function values(hits: Hit[], field: string): { type: string; values: (string | number | boolean)[]; perHit: (string | number | boolean)[][] } {
  let type = 'keyword';
  const perHit = hits.map((h): (string | number | boolean)[] => {
    const fv = fieldValues(h.index, h.doc, field);
    if (fv.type === undefined) return [];
    if (fv.type === 'date_nanos') {
      type = 'date';
      return fv.values.map((v) => Number(nanosToMillis(v as bigint)));
    }
    if (fv.type === 'text') {
      throw illegalArgument(
        `Fielddata is disabled on [${field}] in [${h.index.name}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      );
    }
    type = fv.type;
    return fv.values as (string | number | boolean)[];
  });
  return { type, values: perHit.flat(), perHit };
}

const FIXED: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5 };
const CALENDAR: Record<string, number> = { minute: 6e4, '1m': 6e4, hour: 36e5, '1h': 36e5, day: 864e5, '1d': 864e5 };

function intervalMs(spec: Json): number {
  if (spec.fixed_interval) {
    const m = /^(\d+)(ms|s|m|h|d)$/.exec(spec.fixed_interval);
    if (!m) throw illegalArgument(`failed to parse setting [date_histogram.fixedInterval] with value [${spec.fixed_interval}] as a time value: unit is missing or unrecognized`);
    return Number(m[1]) * FIXED[m[2]];
  }
  if (spec.calendar_interval) {
    const ms = CALENDAR[spec.calendar_interval];
    if (!ms) throw illegalArgument(`The supplied interval [${spec.calendar_interval}] could not be parsed as a calendar interval.`);
    return ms;
  }
  throw illegalArgument('Required one of fields [fixed_interval, calendar_interval], but none were specified.');
}

function metric(kind: string, hits: Hit[], spec: Json): Json {
  const { type, values: vals } = values(hits, spec.field);
  const nums = vals.map((v) => (typeof v === 'boolean' ? Number(v) : Number(v))).filter((v) => !Number.isNaN(v));
  const withString = (v: number | null): Json => (type === 'date' && v !== null ? { value: v, value_as_string: isoMillis(v) } : { value: v });
  switch (kind) {
    case 'max':
      return withString(nums.length ? Math.max(...nums) : null);
    case 'min':
      return withString(nums.length ? Math.min(...nums) : null);
    case 'sum':
      return { value: nums.reduce((a, b) => a + b, 0) };
    case 'avg':
      return withString(nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null);
    case 'value_count':
      return { value: vals.length };
    case 'cardinality':
      return { value: new Set(vals.map((v) => `${typeof v}:${v}`)).size };
  }
  throw parsingError(`Unknown aggregation type [${kind}]`);
}

function bucketKey(type: string, key: string | number | boolean): Json {
  if (type === 'boolean') return { key: key ? 1 : 0, key_as_string: String(key) };
  if (type === 'date') return { key, key_as_string: isoMillis(key as number) };
  return { key };
}

/** A terms `order`: one `{path: dir}` or a list of them; `_key asc` breaks remaining ties, as in ES. */
function termsOrder(order: Json): [string, 'asc' | 'desc'][] {
  const list: Json[] = order === undefined ? [{ _count: 'desc' }] : Array.isArray(order) ? order : [order];
  const keys = list.flatMap((o) => Object.entries<string>(o ?? {})).map(([path, dir]) => [path, dir === 'asc' ? 'asc' : 'desc'] as [string, 'asc' | 'desc']);
  if (!keys.some(([path]) => path === '_key')) keys.push(['_key', 'asc']);
  return keys;
}

/**
 * The number a bucket is ordered by for an order path `agg>agg.metric`: a single-value metric's
 * value, a single-bucket aggregation's doc_count, or `_count`. Empty metrics (null) order as −∞,
 * the value ES keeps for an empty max.
 */
function orderValue(path: string, bucket: Json, sub: Json): number {
  const invalid = (): EsError => new EsError(400, 'aggregation_execution_exception', `Invalid aggregation order path [${path}]. Buckets can only be sorted on a sub-aggregator path that is built out of zero or more single-bucket aggregations within the path and a final single-bucket or a metrics aggregation at the path end.`);
  if (path === '_count') return bucket.doc_count;
  const steps = path.split('>');
  let node = bucket;
  let defs = sub ?? {};
  for (let i = 0; i < steps.length; i++) {
    const [name, metric] = steps[i].split('.');
    if (!(name in defs)) throw invalid();
    node = node[name];
    const last = i === steps.length - 1;
    if (!last) {
      if (metric !== undefined || node.doc_count === undefined) throw invalid();
      defs = defs[name].aggs ?? defs[name].aggregations ?? {};
      continue;
    }
    if (metric === '_count' || (metric === undefined && node.doc_count !== undefined && node.value === undefined)) return node.doc_count;
    if (metric !== undefined && metric !== 'value') throw invalid();
    if (!('value' in node)) throw invalid();
    return node.value === null ? Number.NEGATIVE_INFINITY : Number(node.value);
  }
  throw invalid();
}

function terms(hits: Hit[], spec: Json, sub: Json): Json {
  const { type, perHit } = values(hits, spec.field);
  const groups = new Map<string | number | boolean, Hit[]>();
  perHit.forEach((vals, i) => {
    for (const v of new Set(vals)) {
      if (!groups.has(v)) groups.set(v, []);
      groups.get(v)!.push(hits[i]);
    }
  });
  const order = termsOrder(spec.order);
  const cmpKey = (a: string | number | boolean, b: string | number | boolean): number => (a < b ? -1 : a > b ? 1 : 0);
  const buckets = [...groups.entries()]
    .filter(([, hs]) => hs.length >= (spec.min_doc_count ?? 1))
    .map(([key, hs]) => ({ key, bucket: { ...bucketKey(type, key), doc_count: hs.length, ...runAggs(sub, hs) } as Json }));
  buckets.sort((a, b) => {
    for (const [path, dir] of order) {
      const sign = dir === 'asc' ? 1 : -1;
      const c = path === '_key' ? cmpKey(a.key, b.key) : orderValue(path, a.bucket, sub) - orderValue(path, b.bucket, sub);
      if (c) return sign * c;
    }
    return 0;
  });
  const size = spec.size ?? 10;
  const shown = buckets.slice(0, size);
  const other = buckets.slice(size).reduce((n, b) => n + b.bucket.doc_count, 0);
  return { doc_count_error_upper_bound: 0, sum_other_doc_count: other, buckets: shown.map((b) => b.bucket) };
}

/** A date_histogram `offset`: epoch millis, or a time value such as "+6h" / "-30m" / "1500ms". */
function offsetMs(offset: Json): number {
  if (offset === undefined) return 0;
  if (typeof offset === 'number') return offset;
  const m = /^([+-]?)(\d+)(ms|s|m|h|d)$/.exec(String(offset));
  if (!m) throw illegalArgument(`failed to parse setting [date_histogram.offset] with value [${offset}] as a time value: unit is missing or unrecognized`);
  return (m[1] === '-' ? -1 : 1) * Number(m[2]) * FIXED[m[3]];
}

function dateHistogram(hits: Hit[], spec: Json, sub: Json): Json {
  const step = intervalMs(spec);
  const offset = offsetMs(spec.offset);
  const round = (t: number): number => Math.floor((t - offset) / step) * step + offset;
  const { perHit } = values(hits, spec.field);
  const groups = new Map<number, Hit[]>();
  perHit.forEach((vals, i) => {
    for (const v of new Set(vals.map((x) => round(Number(x))))) {
      if (!groups.has(v)) groups.set(v, []);
      groups.get(v)!.push(hits[i]);
    }
  });
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const minDocCount = spec.min_doc_count ?? 0;
  // extended_bounds widens the range filled with empty buckets (min_doc_count 0), even with no hits.
  const bounds = spec.extended_bounds;
  const lo = [...keys.slice(0, 1), ...(bounds?.min !== undefined ? [round(toMillis(bounds.min)!)] : [])];
  const hi = [...keys.slice(-1), ...(bounds?.max !== undefined ? [round(toMillis(bounds.max)!)] : [])];
  const buckets: Json[] = [];
  if (lo.length && hi.length) {
    // ES fills empty buckets between the first and last key when min_doc_count is 0.
    for (let k = Math.min(...lo); k <= Math.max(...hi); k += step) {
      const hs = groups.get(k) ?? [];
      if (hs.length < minDocCount || (hs.length === 0 && minDocCount > 0)) continue;
      buckets.push({ key_as_string: isoMillis(k), key: k, doc_count: hs.length, ...runAggs(sub, hs) });
    }
  }
  if (spec.order?._key === 'desc') buckets.reverse();
  return { buckets };
}

/** A single bucket of the hits matching a query. */
function filterAgg(hits: Hit[], query: Json, sub: Json): Json {
  const inside = hits.filter((h) => matches(query, h.index, h.doc));
  return { doc_count: inside.length, ...runAggs(sub, inside) };
}

/** The best hits of a bucket by `sort` (score order when none: constant here), `from`/`size`, `_source` filtered. */
function topHits(hits: Hit[], spec: Json): Json {
  const sort = parseSort(spec.sort);
  const from = spec.from ?? 0;
  const size = spec.size ?? 3;
  const page = sortHits(hits, sort).slice(from, from + size);
  const scored = sort.length === 0 || sort.some((s) => s.field === '_score');
  return {
    hits: {
      total: { value: hits.length, relation: 'eq' },
      max_score: scored && hits.length ? 1.0 : null,
      hits: page.map(({ h, sv }) => {
        const src = filterSource(h.doc.source, spec._source);
        return {
          _index: h.index.name,
          _id: h.doc.id,
          _score: scored ? 1.0 : null,
          ...(src !== undefined ? { _source: src } : {}),
          ...(sort.length ? { sort: sv } : {}),
        };
      }),
    },
  };
}

/** Runs an `aggs`/`aggregations` object over the matching hits. */
export function runAggs(aggs: Json, hits: Hit[]): Json {
  const out: Json = {};
  for (const [name, def] of Object.entries<Json>(aggs ?? {})) {
    const sub = def.aggs ?? def.aggregations;
    const kinds = Object.keys(def).filter((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta');
    if (kinds.length !== 1) throw parsingError(`Expected [START_OBJECT] under [${kinds[1] ?? name}], but got a [FIELD_NAME] in [${name}]`);
    const kind = kinds[0];
    const spec = def[kind];
    if (kind === 'terms') out[name] = terms(hits, spec, sub);
    else if (kind === 'date_histogram') out[name] = dateHistogram(hits, spec, sub);
    else if (kind === 'filter') out[name] = filterAgg(hits, spec, sub);
    else if (kind === 'top_hits' && !sub) out[name] = topHits(hits, spec);
    else if (sub) throw new EsError(400, 'aggregation_initialization_exception', `Aggregator [${name}] of type [${kind}] cannot accept sub-aggregations`);
    else out[name] = metric(kind, hits, spec);
  }
  return out;
}
