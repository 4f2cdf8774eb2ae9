// Query DSL subset evaluated against one document: match_all, match_none, term, terms, range,
// exists, ids, wildcard, bool (must/filter/should/must_not, minimum_should_match). Scores are constant 1.0.
import { Json, parsingError } from './errors';
import { FieldInfo, NUMERIC, docValue, looksLikeDate, toMillis, valuesAt } from './fields';
import { Doc, Index } from './store';

/** The mapped type of `field` in `index` (inferred from the value when unmapped). */
export function fieldInfo(index: Index, field: string, doc?: Doc): FieldInfo {
  const mapped = index.fields.get(field);
  if (mapped) return mapped;
  const sample = doc ? valuesAt(doc.source, field)[0] : undefined;
  const type = typeof sample === 'number' ? 'double' : typeof sample === 'boolean' ? 'boolean' : typeof sample === 'string' && looksLikeDate(sample) ? 'date' : 'keyword';
  return { type, sourcePath: field };
}

/** Comparable doc values of `field` in `doc` (text fields give their lowercase tokens). */
export function fieldValues(index: Index, doc: Doc, field: string): { type: string; values: (string | number | boolean)[] } {
  const info = fieldInfo(index, field, doc);
  const raw = valuesAt(doc.source, info.sourcePath);
  if (info.type === 'text') {
    return { type: 'text', values: raw.flatMap((v) => String(v).toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean)) };
  }
  const values = raw.map((v) => docValue(info.type, v)).filter((v): v is string | number | boolean => v !== undefined && !(typeof v === 'number' && Number.isNaN(v)));
  return { type: info.type, values };
}

function termEquals(type: string, docVal: string | number | boolean, q: unknown): boolean {
  if (type === 'date') return docVal === toMillis(q);
  if (NUMERIC.has(type)) return docVal === Number(q);
  if (type === 'boolean') return docVal === (q === true || q === 'true');
  return docVal === String(q);
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
      const { type, values } = fieldValues(index, doc, field);
      return values.some((v) => termEquals(type, v, value));
    }
    case 'terms': {
      const [field, list] = single(q, 'terms');
      if (!Array.isArray(list)) throw parsingError('[terms] query does not support terms lookup in this test server');
      const { type, values } = fieldValues(index, doc, field);
      return values.some((v) => list.some((t: unknown) => termEquals(type, v, t)));
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
      return (q.values ?? []).includes(doc.id);
    case 'exists':
      return fieldValues(index, doc, q.field).values.length > 0;
    case 'range': {
      const [field, spec] = single(q, 'range');
      const { type, values } = fieldValues(index, doc, field);
      const conv = (x: unknown): number | string | undefined =>
        x === undefined || x === null ? undefined : type === 'date' ? toMillis(x) : NUMERIC.has(type) ? Number(x) : String(x);
      const bounds = { gte: conv(spec.gte ?? (spec.include_lower === false ? undefined : spec.from)), gt: conv(spec.gt), lte: conv(spec.lte ?? spec.to), lt: conv(spec.lt) };
      return values.some((v) => {
        const x = v as number | string;
        return (
          (bounds.gte === undefined || x >= bounds.gte) &&
          (bounds.gt === undefined || x > bounds.gt) &&
          (bounds.lte === undefined || x <= bounds.lte) &&
          (bounds.lt === undefined || x < bounds.lt)
        );
      });
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
