// Aggregations: terms, date_histogram (fixed/calendar hour|day), min, max, avg, sum, value_count,
// cardinality, with sub-aggregations under bucket aggs. Output shapes follow ES 8.
import { EsError, Json, illegalArgument, parsingError } from './errors';
import { isoMillis } from './fields';
import { fieldValues } from './query';
import { Doc, Index } from './store';

export interface Hit {
  index: Index;
  doc: Doc;
}

function values(hits: Hit[], field: string): { type: string; values: (string | number | boolean)[]; perHit: (string | number | boolean)[][] } {
  let type = 'keyword';
  const perHit = hits.map((h) => {
    const fv = fieldValues(h.index, h.doc, field);
    if (fv.type === 'text') {
      throw illegalArgument(
        `Fielddata is disabled on [${field}] in [${h.index.name}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
      );
    }
    type = fv.type;
    return fv.values;
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

function terms(hits: Hit[], spec: Json, sub: Json): Json {
  const { type, perHit } = values(hits, spec.field);
  const groups = new Map<string | number | boolean, Hit[]>();
  perHit.forEach((vals, i) => {
    for (const v of new Set(vals)) {
      if (!groups.has(v)) groups.set(v, []);
      groups.get(v)!.push(hits[i]);
    }
  });
  const [orderKey, orderDir] = Object.entries<string>(Array.isArray(spec.order) ? spec.order[0] ?? {} : spec.order ?? { _count: 'desc' })[0] ?? ['_count', 'desc'];
  const cmpKey = (a: string | number | boolean, b: string | number | boolean): number => (a < b ? -1 : a > b ? 1 : 0);
  const entries = [...groups.entries()].filter(([, hs]) => hs.length >= (spec.min_doc_count ?? 1));
  entries.sort((a, b) => {
    const dir = orderDir === 'asc' ? 1 : -1;
    if (orderKey === '_key') return dir * cmpKey(a[0], b[0]);
    if (orderKey !== '_count') throw new EsError(400, 'aggregation_execution_exception', `Invalid aggregation order path [${orderKey}]`);
    return dir * (a[1].length - b[1].length) || cmpKey(a[0], b[0]);
  });
  const size = spec.size ?? 10;
  const shown = entries.slice(0, size);
  const other = entries.slice(size).reduce((n, [, hs]) => n + hs.length, 0);
  return {
    doc_count_error_upper_bound: 0,
    sum_other_doc_count: other,
    buckets: shown.map(([k, hs]) => ({ ...bucketKey(type, k), doc_count: hs.length, ...runAggs(sub, hs) })),
  };
}

function dateHistogram(hits: Hit[], spec: Json, sub: Json): Json {
  const step = intervalMs(spec);
  const offset = 0;
  const { perHit } = values(hits, spec.field);
  const groups = new Map<number, Hit[]>();
  perHit.forEach((vals, i) => {
    for (const v of new Set(vals.map((x) => Math.floor((Number(x) - offset) / step) * step + offset))) {
      if (!groups.has(v)) groups.set(v, []);
      groups.get(v)!.push(hits[i]);
    }
  });
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const minDocCount = spec.min_doc_count ?? 0;
  const buckets: Json[] = [];
  if (keys.length) {
    // ES fills empty buckets between the first and last key when min_doc_count is 0.
    for (let k = keys[0]; k <= keys[keys.length - 1]; k += step) {
      const hs = groups.get(k) ?? [];
      if (hs.length < minDocCount || (hs.length === 0 && minDocCount > 0)) continue;
      buckets.push({ key_as_string: isoMillis(k), key: k, doc_count: hs.length, ...runAggs(sub, hs) });
    }
  }
  if (spec.order?._key === 'desc') buckets.reverse();
  return { buckets };
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
    else if (sub) throw new EsError(400, 'aggregation_initialization_exception', `Aggregator [${name}] of type [${kind}] cannot accept sub-aggregations`);
    else out[name] = metric(kind, hits, spec);
  }
  return out;
}
