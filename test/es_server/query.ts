// Query DSL subset evaluated against one document: match_all, match_none, term, terms, range,
// exists, ids, wildcard, bool (must/filter/should/must_not, minimum_should_match). Scores are constant 1.0.
import { Json, illegalArgument, parsingError } from './errors';
import { DEFAULT_FORMAT, nanosToMillis, parseDateMath } from './dates';
import { DATE_TYPES, DocVal, FieldInfo, INTEGER_TYPES, NUMERIC, docValue, valuesAt } from './fields';
import { Doc, Index } from './store';

/** Metadata fields a query can name. */
const META = new Map<string, (index: Index, doc: Doc) => string>([
  ['_id', (_i, d) => d.id],
  ['_index', (i) => i.name],
]);

/**
 * The mapped field `field` in `index`, or undefined when unmapped: an unmapped field has no doc
 * values in Elasticsearch (queries on it match nothing, sorts need unmapped_type). A path under a
 * `flattened` field reads as a keyword.
 */
export function fieldInfo(index: Index, field: string): FieldInfo | undefined {
  const mapped = index.fields.get(field);
  if (mapped) return mapped.type === 'object' || mapped.type === 'nested' ? undefined : mapped;
  for (let at = field.lastIndexOf('.'); at > 0; at = field.lastIndexOf('.', at - 1)) {
    if (index.fields.get(field.slice(0, at))?.type === 'flattened') return { type: 'keyword', sourcePath: field };
  }
  return undefined;
}

/**
 * Each doc's values per mapped field, computed once: a doc never changes (a write makes a new one)
 * and a mapping change makes new FieldInfo objects, so the cache cannot go stale. Searches scan
 * every doc per page, and parsing dates again each time was most of their cost.
 */
const docValuesCache = new WeakMap<Doc, Map<FieldInfo, DocVal[]>>();

/** Comparable doc values of `field` in `doc` (text fields give their lowercase tokens); type undefined when unmapped. */
export function fieldValues(index: Index, doc: Doc, field: string): { type: string | undefined; info?: FieldInfo; values: DocVal[] } {
  const meta = META.get(field);
  if (meta) return { type: 'keyword', values: [meta(index, doc)] };
  const info = fieldInfo(index, field);
  if (!info) return { type: undefined, values: [] };
  const type = info.type === 'match_only_text' ? 'text' : info.type;
  // Paths under a flattened field get a fresh FieldInfo each time: not cached.
  if (index.fields.get(field) !== info) return { type, info, values: indexedValues(info, valuesAt(doc.source, info.sourcePath)) };
  let perField = docValuesCache.get(doc);
  if (!perField) docValuesCache.set(doc, (perField = new Map()));
  let values = perField.get(info);
  if (!values) perField.set(info, (values = indexedValues(info, valuesAt(doc.source, info.sourcePath))));
  return { type, info, values };
}

function indexedValues(info: FieldInfo, raw: unknown[]): DocVal[] {
  if (info.type === 'text' || info.type === 'match_only_text') {
    return raw.flatMap((v) => (v !== null && typeof v === 'object' ? [] : String(v).toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean)));
  }
  const values: DocVal[] = [];
  for (const v of raw) {
    const d = docValue(info, v);
    if (d !== undefined) values.push(d);
  }
  return values;
}

/** A query value in the field's doc value domain (undefined when it cannot be one). */
function queryValue(info: FieldInfo | undefined, type: string, q: unknown, roundUp = false): DocVal | undefined {
  if (DATE_TYPES.has(type)) {
    const nanos = parseDateMath(typeof q === 'bigint' ? q.toString() : q, info?.format ?? DEFAULT_FORMAT[type], roundUp);
    if (nanos === undefined) throw illegalArgument(`failed to parse date field [${String(q)}] with format [${info?.format ?? DEFAULT_FORMAT[type]}]`);
    return type === 'date' ? Number(nanosToMillis(nanos)) : nanos;
  }
  if (NUMERIC.has(type)) return typeof q === 'bigint' ? Number(q) : Number(q);
  if (type === 'boolean') return q === true || q === 'true';
  return String(q);
}

function termEquals(info: FieldInfo | undefined, type: string, docVal: DocVal, q: unknown): boolean {
  // eslint-disable-next-line eqeqeq -- bigint nanos against a bigint or number bound
  return docVal == queryValue(info, type, q);
}

/**
 * A wildcard pattern as Lucene reads it: `*` any run of characters (also none), `?` one character,
 * a backslash escapes the next character; matched against the whole term. `case_insensitive` folds case.
 */
function wildcardRegex(pattern: string, caseInsensitive: boolean): RegExp {
  const chars = Array.from(pattern); // code points: `?` is one character, not one UTF-16 unit
  let re = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '\\' && i + 1 < chars.length) re += escapeRegex(chars[++i]);
    else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else re += escapeRegex(c);
  }
  return new RegExp(`^${re}$`, caseInsensitive ? 'iu' : 'u');
}

const escapeRegex = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const single = (q: Json, kind: string): [string, Json] => {
  const entries = Object.entries<Json>(q ?? {}).filter(([k]) => k !== 'boost' && k !== '_name');
  if (entries.length !== 1) throw parsingError(`[${kind}] query doesn't support multiple fields, found [${entries.map((e) => e[0]).join('] and [')}]`);
  return entries[0];
};

export function matches(query: Json, index: Index, doc: Doc): boolean {
  if (!query) return true;
  const keys = Object.keys(query);
  if (keys.length !== 1) throw parsingError(keys.length === 0 ? 'query malformed, empty clause found' : `[${keys[1]}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const kind = keys[0];
  const q = query[kind];
  switch (kind) {
    case 'match_all':
      return true;
    case 'match_none':
      return false;
    case 'term': {
      const [field, spec] = single(q, 'term');
      const value = spec && typeof spec === 'object' ? spec.value : spec;
      const { type, info, values } = fieldValues(index, doc, field);
      return values.some((v) => termEquals(info, type!, v, value));
    }
    case 'terms': {
      const [field, list] = single(q, 'terms');
      if (!Array.isArray(list)) throw parsingError('[terms] query does not support terms lookup in this test server');
      const { type, info, values } = fieldValues(index, doc, field);
      if (values.length === 0) return false;
      const set = termSet(q, info, type!, list);
      if (set) return values.some((v) => set.has(v));
      return values.some((v) => list.some((t: unknown) => termEquals(info, type!, v, t)));
    }
    case 'wildcard': {
      const [field, spec] = single(q, 'wildcard');
      const pattern = spec && typeof spec === 'object' ? spec.value ?? spec.wildcard : spec;
      if (typeof pattern !== 'string') throw parsingError('[wildcard] requires a [value] or [wildcard] string');
      const re = wildcardRegex(pattern, spec?.case_insensitive === true);
      // Keyword values match whole; text fields match token by token (the pattern is not analysed).
      return fieldValues(index, doc, field).values.some((v) => re.test(String(v)));
    }
    case 'ids':
      return idSet(q).has(doc.id);
    case 'exists':
      return exists(index, doc, q.field);
    case 'range': {
      const [field, spec] = single(q, 'range');
      const { type, info, values } = fieldValues(index, doc, field);
      if (type === undefined || values.length === 0) return false;
      const bounds = cachedBounds(q, info, type, spec);
      return values.some((v) => inBounds(v, bounds));
    }
    case 'bool': {
      const list = (x: Json): Json[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
      const must = [...list(q.must), ...list(q.filter)];
      if (!must.every((c) => matches(c, index, doc))) return false;
      if (list(q.must_not).some((c) => matches(c, index, doc))) return false;
      const should = list(q.should);
      if (should.length === 0) return true;
      // ES: should is optional when must/filter exist, unless minimum_should_match says otherwise.
      let min = q.minimum_should_match ?? (must.length > 0 ? 0 : 1);
      if (typeof min === 'string') min = min.endsWith('%') ? Math.floor((should.length * parseInt(min, 10)) / 100) : Number(min);
      if (min < 0) min = should.length + min;
      return should.filter((c) => matches(c, index, doc)).length >= min;
    }
    default:
      throw parsingError(`unknown query [${kind}]`);
  }
}

/**
 * A query clause is evaluated against every document of a search with the same clause object:
 * what it means in a field's doc value domain (a terms list as a set, a range's bounds) is worked
 * out once per clause and field mapping, not once per document (a terms query of thousands of
 * users against every document was O(documents × terms) date and number parses).
 */
const clauseCache = new WeakMap<object, Map<string, unknown>>();

function cachedFor<T>(clause: object, info: FieldInfo | undefined, type: string, make: () => T): T {
  let perField = clauseCache.get(clause);
  if (!perField) clauseCache.set(clause, (perField = new Map()));
  // What a query value becomes depends on the field's type and date format only (the indices of
  // one search may map the field differently).
  const key = `${type}\u0000${info?.format ?? ''}`;
  if (perField.has(key)) return perField.get(key) as T;
  const value = make();
  perField.set(key, value);
  return value;
}

/**
 * A terms list as the set of its values in the field's domain (doc values and query values are of
 * one JS type per field type, so set membership is termEquals' `==`; NaN, which equals nothing, is
 * left out). Undefined when some term cannot be read in the domain (a date that does not parse):
 * the per-document comparison then throws where and when it always did.
 */
function termSet(clause: object, info: FieldInfo | undefined, type: string, list: unknown[]): Set<DocVal> | undefined {
  return cachedFor(clause, info, type, () => {
    const set = new Set<DocVal>();
    try {
      for (const t of list) {
        const v = queryValue(info, type, t);
        if (v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) set.add(v);
      }
    } catch {
      return undefined;
    }
    return set;
  });
}

/** An ids clause's values as a set of strings, once per clause. */
function idSet(clause: Json): Set<string> {
  return cachedFor(clause, undefined, 'ids', () => new Set<string>((clause.values ?? []).map((v: unknown) => String(v))));
}

/** rangeBounds of a clause, once per field (a bound that does not parse throws for every document, as before). */
function cachedBounds(clause: object, info: FieldInfo | undefined, type: string, spec: Json): Bounds {
  const bounds = cachedFor(clause, info, type, () => {
    try {
      return rangeBounds(info, type, spec);
    } catch {
      return undefined;
    }
  });
  return bounds ?? rangeBounds(info, type, spec);
}

/** Whether `field` has a value in `doc`; an object path exists when any field under it does. */
function exists(index: Index, doc: Doc, field: string): boolean {
  if (fieldInfo(index, field)) return fieldValues(index, doc, field).values.length > 0;
  const prefix = field + '.';
  for (const name of index.fields.keys()) {
    if (name.startsWith(prefix) && fieldInfo(index, name) && fieldValues(index, doc, name).values.length > 0) return true;
  }
  return false;
}

export interface Bounds {
  lo?: DocVal;
  loInclusive: boolean;
  hi?: DocVal;
  hiInclusive: boolean;
}

/**
 * A range query's bounds in the field's doc value domain, as ES builds them: dates parse gt/lte
 * rounding up (missing time fields, "/d") and then step an exclusive bound one unit (a millisecond
 * for date, a nanosecond for date_nanos), integer fields round fractional bounds inward.
 */
export function rangeBounds(info: FieldInfo | undefined, type: string, spec: Json): Bounds {
  const fmt = spec.format ? { ...(info ?? { sourcePath: '' }), type, format: String(spec.format) } : info;
  const lower = spec.gte ?? spec.gt ?? spec.from;
  const upper = spec.lte ?? spec.lt ?? spec.to;
  const b: Bounds = {
    loInclusive: spec.gt !== undefined ? false : spec.gte !== undefined ? true : spec.include_lower !== false,
    hiInclusive: spec.lt !== undefined ? false : spec.lte !== undefined ? true : spec.include_upper !== false,
  };
  if (lower !== undefined && lower !== null) b.lo = queryValue(fmt, type, lower, !b.loInclusive);
  if (upper !== undefined && upper !== null) b.hi = queryValue(fmt, type, upper, b.hiInclusive);
  const discrete = DATE_TYPES.has(type) || INTEGER_TYPES.has(type);
  if (discrete && typeof b.lo === 'number') b.lo = b.loInclusive ? Math.ceil(b.lo) : Math.floor(b.lo) + 1;
  if (discrete && typeof b.lo === 'bigint' && !b.loInclusive) b.lo += 1n;
  if (discrete && typeof b.hi === 'number') b.hi = b.hiInclusive ? Math.floor(b.hi) : Math.ceil(b.hi) - 1;
  if (discrete && typeof b.hi === 'bigint' && !b.hiInclusive) b.hi -= 1n;
  if (discrete) b.loInclusive = b.hiInclusive = true;
  return b;
}

/** Whether a doc value lies within the bounds (numbers, bigints and strings compare alike). */
export function inBounds(v: DocVal, b: Bounds): boolean {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const x = v as any;
  if (b.lo !== undefined && (b.loInclusive ? x < b.lo : x <= b.lo)) return false;
  if (b.hi !== undefined && (b.hiInclusive ? x > b.hi : x >= b.hi)) return false;
  return true;
}
