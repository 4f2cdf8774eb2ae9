// Sorting hits as ES does for `sort` in _search and top_hits: fields (the mapped type decides the
// order and the sort values: epoch millis for date, epoch nanos for date_nanos, 0/1 for booleans),
// `missing` (Long.MAX_VALUE/MIN_VALUE or ±Infinity stand in, strings get null), `unmapped_type`,
// `numeric_type`, `format`, `mode`; _score, _doc, _shard_doc; and `search_after` read back.
import { EsError, Json, illegalArgument, parsingError } from './errors';
import { DEFAULT_FORMAT, LONG_MAX, LONG_MIN, NS_PER_MS, formatDate, nanosToMillis, parseDate } from './dates';
import { DocVal, FieldInfo, INTEGER_TYPES, NUMERIC } from './fields';
import { RawNumber } from './json';
import { fieldInfo, fieldValues } from './query';
import { Doc, Index } from './store';

export interface SortKey {
  field: string; // a field, "_score", "_doc" or "_shard_doc"
  desc: boolean;
  missing?: Json; // "_last" (default), "_first", or a value standing in for a missing one
  unmappedType?: string;
  numericType?: string;
  format?: string;
  mode?: string;
}

export type SortVal = string | number | bigint | boolean | null;

/** A hit as sorting sees it; `shard` is its shard's position among those searched. */
export interface SortableHit {
  index: Index;
  doc: Doc;
  shard: number;
}

/** How one sort key reads one index: the values' domain and the field behind them. */
export interface KeyPlan {
  domain: 'score' | 'doc' | 'shard_doc' | 'long' | 'double' | 'date' | 'date_nanos' | 'string';
  info?: FieldInfo; // undefined: unmapped, sorted by unmapped_type (every doc is missing)
  missing: SortVal;
}

const NUMERIC_TYPES = ['double', 'long', 'date', 'date_nanos'];
const OPTIONS = new Set(['order', 'missing', 'unmapped_type', 'numeric_type', 'format', 'mode', 'nested']);

export function parseSort(sort: Json): SortKey[] {
  const list = sort === undefined ? [] : Array.isArray(sort) ? sort : [sort];
  return list.flatMap((s: Json): SortKey[] => {
    if (typeof s === 'string') {
      return s.split(',').map((f) => {
        const [field, dir] = f.split(':');
        return { field, desc: dir ? dir === 'desc' : field === '_score' };
      });
    }
    return Object.entries<Json>(s).map(([field, o]) => {
      if (o !== null && typeof o === 'object') {
        for (const k of Object.keys(o)) if (!OPTIONS.has(k)) throw parsingError(`[field_sort] unknown field [${k}]`);
        if (o.nested !== undefined) throw illegalArgument('[es test server] nested sorts are not supported');
      }
      const order = typeof o === 'string' ? o : o?.order;
      const key: SortKey = { field, desc: order ? order === 'desc' : field === '_score' };
      if (o?.missing !== undefined) key.missing = o.missing;
      if (o?.unmapped_type !== undefined) key.unmappedType = o.unmapped_type;
      if (o?.numeric_type !== undefined) {
        if (!NUMERIC_TYPES.includes(o.numeric_type)) {
          throw illegalArgument(`invalid value for [numeric_type], must be [${NUMERIC_TYPES.join(', ')}], got ${o.numeric_type}`);
        }
        key.numericType = o.numeric_type;
      }
      if (o?.format !== undefined) key.format = String(o.format);
      if (o?.mode !== undefined) key.mode = o.mode;
      return key;
    });
  });
}

/** The domain a mapped type sorts in (before numeric_type). */
function domainOf(type: string): KeyPlan['domain'] {
  if (type === 'date' || type === 'date_nanos') return type;
  if (INTEGER_TYPES.has(type) || type === 'boolean') return 'long';
  if (NUMERIC.has(type)) return 'double';
  return 'string';
}

/** The value a missing doc sorts with: min or max of the domain (`_first` XOR desc gives min), or `missing` converted. */
function missingValue(key: SortKey, domain: KeyPlan['domain'], info: FieldInfo | undefined): SortVal {
  const m = key.missing ?? '_last';
  if (m === '_last' || m === '_first') {
    const min = (m === '_first') !== key.desc;
    if (domain === 'string') return null;
    if (domain === 'double') return min ? -Infinity : Infinity;
    return min ? LONG_MIN : LONG_MAX;
  }
  return convertAfter(m, key, { domain, info, missing: null });
}

/**
 * How `key` reads `index`. Throws what the shard would fail with: no mapping (without
 * unmapped_type), a text field (no fielddata), numeric_type on a non-numeric field.
 */
export function planKey(key: SortKey, index: Index, pit: boolean): KeyPlan {
  if (key.field === '_score') return { domain: 'score', missing: null };
  if (key.field === '_doc') return { domain: 'doc', missing: null };
  if (key.field === '_shard_doc') {
    if (!pit) throw illegalArgument('[_shard_doc] sort field cannot be used without [point in time]');
    return { domain: 'shard_doc', missing: null };
  }
  const info = fieldInfo(index, key.field);
  const type = info?.type ?? key.unmappedType;
  if (type === undefined) {
    throw new EsError(400, 'query_shard_exception', `No mapping found for [${key.field}] in order to sort on`, { index_uuid: index.uuid, index: index.name });
  }
  if (type === 'text' || type === 'match_only_text') {
    throw illegalArgument(
      `Fielddata is disabled on [${key.field}] in [${index.name}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${key.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
    );
  }
  let domain = domainOf(type);
  if (key.numericType) {
    if (domain === 'string') {
      throw new EsError(400, 'query_shard_exception', `[numeric_type] option cannot be set on a non-numeric field, got ${type}`, { index_uuid: index.uuid, index: index.name });
    }
    domain = key.numericType as KeyPlan['domain'];
  }
  const plan: KeyPlan = { domain, info: info ? { ...info, type } : undefined, missing: null };
  plan.missing = missingValue(key, domain, plan.info);
  return plan;
}

/** A doc value of type `type` in the sort domain (numeric_type converts resolution). */
function toDomain(v: DocVal, type: string, domain: KeyPlan['domain']): SortVal {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (domain === 'date_nanos') {
    if (type === 'date_nanos') return v as bigint;
    const nanos = BigInt(Math.trunc(Number(v))) * NS_PER_MS;
    return nanos < 0n ? 0n : nanos > LONG_MAX ? LONG_MAX : nanos;
  }
  if (domain === 'date') return type === 'date_nanos' ? Number(nanosToMillis(v as bigint)) : Math.trunc(Number(v));
  if (domain === 'long') return typeof v === 'bigint' ? v : Math.trunc(Number(v));
  if (domain === 'double') return Number(v);
  return v;
}

/** The one value a multi-valued field sorts by: min ascending, max descending, or `mode`. */
function pick(values: SortVal[], key: SortKey): SortVal {
  const mode = key.mode ?? (key.desc ? 'max' : 'min');
  if (mode === 'sum' || mode === 'avg' || mode === 'median') {
    const nums = values.map(Number).sort((a, b) => a - b);
    if (mode === 'median') return nums.length % 2 ? nums[(nums.length - 1) / 2] : (nums[nums.length / 2 - 1] + nums[nums.length / 2]) / 2;
    const sum = nums.reduce((a, b) => a + b, 0);
    return mode === 'sum' ? sum : sum / nums.length;
  }
  let best = values[0];
  for (const v of values) if (mode === 'max' ? (v as number) > (best as number) : (v as number) < (best as number)) best = v;
  return best;
}

/** The raw (comparable) sort values of a hit. */
export function sortValues(h: SortableHit, sort: SortKey[], plans: KeyPlan[]): SortVal[] {
  return sort.map((s, i) => {
    const plan = plans[i];
    if (plan.domain === 'score') return 1;
    if (plan.domain === 'doc') return h.doc.ord;
    if (plan.domain === 'shard_doc') return h.shard * 2 ** 32 + h.doc.ord;
    if (!plan.info) return plan.missing;
    const { values } = fieldValues(h.index, h.doc, s.field);
    if (values.length === 0) return plan.missing;
    return pick(values.map((v) => toDomain(v, plan.info!.type, plan.domain)), s);
  });
}

/** Orders two sort values; null (a missing string) goes where `missing` says, in either direction. */
export function compareSortVal(a: SortVal, b: SortVal, key: SortKey): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    const nullFirst = key.missing === '_first';
    return (a === null) === nullFirst ? -1 : 1;
  }
  const c = a < b ? -1 : a > b ? 1 : 0;
  return key.desc ? -c : c;
}

/** Compares two hits' sort values key by key. */
export function compareSortVals(a: SortVal[], b: SortVal[], sort: SortKey[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareSortVal(a[i], b[i], sort[i]);
    if (c) return c;
  }
  return 0;
}

export type KeyPlanOf = (index: Index) => KeyPlan[];

/** Plans `sort` for an index once per search (the same plan serves every hit of the index). */
export function planner(sort: SortKey[], pit: boolean): KeyPlanOf {
  const plans = new Map<Index, KeyPlan[]>();
  return (index) => {
    let p = plans.get(index);
    if (!p) plans.set(index, (p = sort.map((k) => planKey(k, index, pit))));
    return p;
  };
}

/** Hits with their sort values, in sort order; ties go by shard, then by doc (as ES merges shard results). */
export function sortHits<H extends SortableHit>(hits: H[], sort: SortKey[], plansOf = planner(sort, true)): { h: H; sv: SortVal[] }[] {
  const keyed = hits.map((h) => ({ h, sv: sortValues(h, sort, plansOf(h.index)) }));
  keyed.sort((a, b) => compareSortVals(a.sv, b.sv, sort) || a.h.shard - b.h.shard || a.h.doc.ord - b.h.doc.ord);
  return keyed;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A sort value as ES writes it: longs as numbers (beyond 2^53 too), ±Infinity as strings, dates formatted when asked. */
export function outputSortValue(v: SortVal, key: SortKey, plan: KeyPlan): Json {
  if (key.format !== undefined && (plan.domain === 'date' || plan.domain === 'date_nanos')) {
    // A missing date formats as null (the sentinels are not dates).
    if (v === null || v === LONG_MAX || v === LONG_MIN) return null;
    return formatDate(plan.domain === 'date' ? BigInt(v as number) * NS_PER_MS : (v as bigint), key.format);
  }
  if (typeof v === 'bigint') return v <= SAFE && v >= -SAFE ? Number(v) : new RawNumber(v.toString());
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** A search_after value read into the key's domain, as SearchAfterBuilder converts it. */
export function convertAfter(value: Json, key: SortKey, plan: KeyPlan): SortVal {
  const bad = (): EsError => illegalArgument(`Failed to parse search_after value for field [${key.field}].`);
  const { domain } = plan;
  if (domain === 'string') return value === null ? null : String(value);
  if (value === null) throw bad();
  if (typeof value === 'boolean') {
    if (domain === 'long') return value ? 1 : 0;
    throw bad();
  }
  if (domain === 'score' || domain === 'double') {
    const n = Number(value);
    if (Number.isNaN(n) && value !== 'NaN') throw bad();
    return n;
  }
  if (domain === 'doc' || domain === 'shard_doc') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw bad();
    return Math.trunc(n);
  }
  // LONG-typed sorts: a number is read as a long; text (or a literal beyond a long) through the format.
  const inLong = typeof value === 'number' || (typeof value === 'bigint' && value >= LONG_MIN && value <= LONG_MAX);
  if (inLong) {
    const n = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
    return domain === 'date_nanos' || n > SAFE || n < -SAFE ? n : Number(n);
  }
  const text = String(value);
  if (domain === 'date' || domain === 'date_nanos') {
    const format = key.format ?? plan.info?.format ?? DEFAULT_FORMAT[plan.info?.type === 'date_nanos' ? 'date_nanos' : 'date'];
    const nanos = parseDate(text, format);
    if (nanos === undefined) throw illegalArgument(`failed to parse date field [${text}] with format [${format}]`);
    return domain === 'date' ? Number(nanosToMillis(nanos)) : nanos;
  }
  // A plain long: Long.parseLong, else a double rounded down and clamped to the long range.
  if (/^-?\d+$/.test(text)) {
    const n = BigInt(text);
    return n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n > SAFE || n < -SAFE ? n : Number(n);
  }
  const d = Number(text);
  if (Number.isNaN(d) || text.trim() === '') throw bad();
  return Math.floor(d);
}
