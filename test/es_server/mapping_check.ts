// What Elasticsearch refuses against a mapping: a document whose value does not fit its field
// (document_parsing_exception, with the [line:col] of the value, the field, its type and a preview
// of the value), a new field under `dynamic: strict`, and a mapping update that changes a mapped
// field's type (illegal_argument_exception).
import { Buffer } from 'node:buffer';
import { EsError, Json, illegalArgument } from './errors';
import { DEFAULT_FORMAT, LONG_MAX, formatDate, parseDate } from './dates';
import { NUMERIC, expandDotted } from './fields';

type Path = (string | number)[];

/** Whether a value would add a mapping (null and empty arrays add none). */
const mappable = (v: Json): boolean => v !== null && !(Array.isArray(v) && v.flat(Infinity).every((x: Json) => x === null));

const isObjectDef = (d: Json): boolean => d.properties !== undefined || d.type === undefined || d.type === 'object' || d.type === 'nested';
const own = (props: Json, key: string): Json => (props && Object.hasOwn(props, key) ? props[key] : undefined);

/**
 * Where the value at `path` starts in `raw` (`end`: where it ends, for an object the parser has
 * read past; `key`: where its field name starts), as ES's "line:col": 1-based, columns in bytes.
 */
export function locate(raw: string, path: Path, at: 'value' | 'end' | 'key' = 'value'): string {
  let i = 0;
  const ws = (): void => {
    while (i < raw.length && (raw[i] === ' ' || raw[i] === '\t' || raw[i] === '\n' || raw[i] === '\r')) i++;
  };
  const skipString = (): void => {
    for (i++; i < raw.length && raw[i] !== '"'; i++) if (raw[i] === '\\') i++;
    i++;
  };
  const skipValue = (): void => {
    ws();
    const c = raw[i];
    if (c === '"') return skipString();
    if (c !== '{' && c !== '[') {
      while (i < raw.length && !',}] \t\r\n'.includes(raw[i])) i++;
      return;
    }
    const close = c === '{' ? '}' : ']';
    i++;
    ws();
    if (raw[i] === close) {
      i++;
      return;
    }
    for (;;) {
      if (c === '{') {
        ws();
        skipString();
        ws();
        i++; // ':'
      }
      skipValue();
      ws();
      if (raw[i++] !== ',') return;
    }
  };
  try {
    let keyAt = 0;
    for (const step of path) {
      ws();
      i++; // '{' or '['
      if (typeof step === 'number') {
        for (let k = 0; k < step; k++) {
          skipValue();
          ws();
          i++; // ','
        }
        continue;
      }
      for (;;) {
        ws();
        const start = i;
        keyAt = start;
        skipString();
        const key = JSON.parse(raw.slice(start, i));
        ws();
        i++; // ':'
        if (key === step) break;
        skipValue();
        ws();
        if (raw[i++] !== ',') throw new Error('key not found');
      }
    }
    ws();
    let pos = at === 'key' ? keyAt : i;
    if (at === 'end') {
      skipValue();
      pos = i - 1;
    }
    const before = raw.slice(0, pos);
    const lineStart = before.lastIndexOf('\n') + 1;
    return `${before.split('\n').length}:${Buffer.byteLength(before.slice(lineStart)) + 1}`;
  } catch {
    return '1:1';
  }
}

/** A value as ES shows it in "Preview of field's value" (Java's toString of what it read). */
function preview(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(preview).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries<Json>(v).map(([k, x]) => `${k}=${preview(x)}`).join(', ')}}`;
  // A number as its JSON literal reads (the client writes integers in full up to 1e21).
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : javaDouble(v);
  return String(v);
}

/** Double.toString: 1.5, 1.0E20. */
function javaDouble(v: number): string {
  if (Math.abs(v) >= 1e7 || (v !== 0 && Math.abs(v) < 1e-3)) {
    const [m, e] = v.toExponential().split('e');
    return `${m.includes('.') ? m : m + '.0'}E${Number(e)}`;
  }
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

const RANGES: Record<string, [number, number, string]> = {
  byte: [-128, 127, 'a byte'],
  short: [-32768, 32767, 'a short'],
  integer: [-2147483648, 2147483647, 'an integer'],
  long: [-9223372036854775808, 9223372036854775807, 'a long'],
};

const tokenName = (v: Json): string =>
  v === true ? 'VALUE_TRUE' : v === false ? 'VALUE_FALSE' : Array.isArray(v) ? 'START_ARRAY' : typeof v === 'object' ? 'START_OBJECT' : typeof v === 'number' ? (Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT') : 'VALUE_STRING';

/**
 * Why a mapped leaf field cannot take `v` (the caused_by), or undefined when it can. `where` gives
 * the value's location, which Jackson's own messages name: asked only for a value that does not
 * fit (locating scans the document's text from its start, for every value that would be O(n²)).
 */
function misfit(def: Json, v: Json, where: () => string): Json | undefined {
  const type: string = def.type;
  const object = v !== null && typeof v === 'object';
  if (NUMERIC.has(type)) {
    if (typeof v === 'string') {
      if (v.trim() === '') return undefined; // coerce reads an empty string as null
      const n = Number(v);
      if (Number.isNaN(n)) return { type: RANGES[type] ? 'illegal_argument_exception' : 'number_format_exception', reason: `For input string: "${v}"` };
      return range(type, n, v);
    }
    if (typeof v === 'number') return range(type, v, preview(v));
    return { type: 'x_content_parse_exception', reason: `[${where()}] Current token (${tokenName(v)}) not numeric, can not use numeric value accessors` };
  }
  if (type === 'date' || type === 'date_nanos') {
    if (object) return { type: 'illegal_state_exception', reason: `Can't get text on a ${tokenName(v)} at ${where()}` };
    const format = def.format ?? DEFAULT_FORMAT[type];
    const nanos = parseDate(v, format);
    if (nanos === undefined) {
      return {
        type: 'illegal_argument_exception',
        reason: `failed to parse date field [${String(v)}] with format [${format}]`,
        caused_by: { type: 'date_time_parse_exception', reason: format.includes('||') ? 'Failed to parse with all enclosed parsers' : `Text '${String(v)}' could not be parsed at index 0` },
      };
    }
    if (type === 'date_nanos' && nanos < 0n) {
      return { type: 'illegal_argument_exception', reason: `date[${formatDate(nanos, 'strict_date_optional_time')}] is before the epoch in 1970 and cannot be stored in nanosecond resolution` };
    }
    if (type === 'date_nanos' && nanos > LONG_MAX) {
      return { type: 'illegal_argument_exception', reason: `date[${formatDate(nanos, 'strict_date_optional_time')}] is after 2262-04-11T23:47:16.854775807 and cannot be stored in nanosecond resolution` };
    }
    return undefined;
  }
  if (type === 'boolean') {
    if (v === true || v === false || v === 'true' || v === 'false' || v === '') return undefined;
    if (typeof v === 'string') return { type: 'illegal_argument_exception', reason: `Failed to parse value [${v}] as only [true] or [false] are allowed.` };
    return { type: 'x_content_parse_exception', reason: `[${where()}] Current token (${tokenName(v)}) not of boolean type` };
  }
  if (type === 'ip') {
    if (object) return { type: 'illegal_state_exception', reason: `Can't get text on a ${tokenName(v)} at ${where()}` };
    const s = String(v);
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
    const ok = v4 ? v4.slice(1).every((p) => Number(p) <= 255) : /^[0-9a-fA-F:.]+$/.test(s) && s.includes(':');
    return ok ? undefined : { type: 'illegal_argument_exception', reason: `'${s}' is not an IP string literal.` };
  }
  if (['keyword', 'text', 'wildcard', 'constant_keyword', 'match_only_text', 'version', 'search_as_you_type'].includes(type) && object) {
    return { type: 'illegal_state_exception', reason: `Can't get text on a ${tokenName(v)} at ${where()}` };
  }
  return undefined;
}

function range(type: string, n: number, shown: string): Json | undefined {
  if (!Number.isFinite(n)) return { type: 'illegal_argument_exception', reason: `[${type}] supports only finite values, but got [${shown}]` };
  const r = RANGES[type];
  if (r && (Math.trunc(n) < r[0] || Math.trunc(n) > r[1])) return { type: 'illegal_argument_exception', reason: `Value [${shown}] is out of range for ${r[2]}` };
  return undefined;
}

/** Fields ES keeps for itself: a document may not carry them at its top level. */
const METADATA_FIELDS = new Set(['_id', '_index', '_source', '_routing', '_ignored', '_ignored_source', '_seq_no', '_version', '_primary_term', '_field_names', '_tier', '_data_stream_timestamp', '_tsid', '_nested_path', '_feature']);

/** Types whose malformed values `ignore_malformed` lets through (the field is then left unindexed). */
const IGNORABLE = new Set([...NUMERIC, 'date', 'date_nanos', 'boolean', 'ip']);

export interface DocCheck {
  /** The document has fields no mapping covers yet (dynamic mapping will add them). */
  unmapped: boolean;
}

/**
 * Checks `source` against `mappings` as ES parses a document, throwing what ES answers for the
 * first value that does not fit. `raw` is the document's JSON text (for the error's location).
 */
export function checkDocument(mappings: Json, settings: Record<string, string>, source: Json, id: string, raw: string): DocCheck {
  const result: DocCheck = { unmapped: false };
  const ignoreMalformed = settings['index.mapping.ignore_malformed'] === 'true';
  const fail = (reason: string, path: Path, at: 'value' | 'end' | 'key', causedBy?: Json, type = 'document_parsing_exception'): never => {
    throw new EsError(400, type, `[${locate(raw, path, at)}] ${reason}`, causedBy ? { caused_by: causedBy } : {});
  };

  const leaf = (def: Json, field: string, v: Json, path: Path): void => {
    if (v === null) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => leaf(def, field, x, [...path, i]));
      return;
    }
    const object = typeof v === 'object';
    const cause = misfit(def, v, () => locate(raw, path));
    if (!cause) return;
    const ignore = def.ignore_malformed ?? ignoreMalformed;
    if (IGNORABLE.has(def.type) && (ignore === true || ignore === 'true')) return;
    fail(`failed to parse field [${field}] of type [${def.type}] in document with id '${id}'. Preview of field's value: '${preview(v)}'`, path, object ? 'end' : 'value', cause);
  };

  const walk = (node: Json, props: Json, dynamic: Json, objectPath: string, path: Path): void => {
    for (const [key, value] of Object.entries<Json>(node)) {
      if (path.length === 0 && METADATA_FIELDS.has(key)) {
        fail(`Field [${key}] is a metadata field and cannot be added inside a document. Use the index API request parameters.`, [key], 'key');
      }
      const parts = key.split('.');
      let defs = props;
      let dyn = dynamic;
      let prefix = objectPath;
      let def: Json;
      for (let i = 0; i < parts.length; i++) {
        def = own(defs, parts[i]);
        if (def === undefined) {
          if (!mappable(value)) break;
          if (dyn === 'strict' || dyn === 'strict_allow_templates') {
            fail(`mapping set to strict, dynamic introduction of [${parts[i]}] within [${prefix === '' ? '_doc' : prefix.slice(0, -1)}] is not allowed`, [...path, key], 'value', undefined, 'strict_dynamic_mapping_exception');
          }
          if (dyn !== false && dyn !== 'false' && dyn !== 'runtime') result.unmapped = true;
          break;
        }
        if (i < parts.length - 1) {
          if (!isObjectDef(def) || def.enabled === false) {
            def = undefined;
            break;
          }
          dyn = def.dynamic ?? dyn;
          defs = def.properties;
          prefix += parts[i] + '.';
        }
      }
      if (def === undefined) continue;
      const field = prefix + parts[parts.length - 1];
      if (!isObjectDef(def)) {
        leaf(def, field, value, [...path, key]);
        continue;
      }
      if (def.enabled === false || def.type === 'flattened') continue;
      const inner = (v: Json, at: Path): void => {
        if (v === null) return;
        if (Array.isArray(v)) return v.forEach((x, i) => inner(x, [...at, i]));
        if (typeof v !== 'object') {
          fail(`object mapping for [${field}] tried to parse field [${parts[parts.length - 1]}] as object, but found a concrete value`, at, 'value');
        }
        walk(v, def.properties ?? {}, def.dynamic ?? dyn, field + '.', at);
      };
      inner(value, [...path, key]);
    }
  };
  walk(source, mappings.properties ?? {}, mappings.dynamic, '', []);
  return result;
}

/**
 * Refuses a mapping update that changes what is mapped, as ES's merge does: a field's type, a
 * field made an object or an object made a field, a date's format, a multi-field's type.
 */
export function checkMappingUpdate(existing: Json, update: Json): void {
  if (update && Object.hasOwn(update, '_doc')) throw illegalArgument('Types cannot be provided in put mapping requests');
  const walk = (oldProps: Json, newProps: Json, prefix: string): void => {
    for (const [name, next] of Object.entries<Json>(newProps ?? {})) {
      if (name === '') throw illegalArgument('field name cannot be an empty string');
      const prev = own(oldProps, name);
      const path = prefix + name;
      if (prev === undefined) {
        if (next?.properties) walk(undefined, next.properties, path + '.'); // new objects: only their names to check
        continue;
      }
      const prevObject = isObjectDef(prev);
      const nextObject = isObjectDef(next);
      if (prevObject && !nextObject) throw illegalArgument(`can't merge a non object mapping [${path}] with an object mapping`);
      if (!prevObject && nextObject) throw illegalArgument(`mapper [${path}] cannot be changed from type [${prev.type}] to [ObjectMapper]`);
      if (prevObject) {
        walk(prev.properties, next.properties, path + '.');
        continue;
      }
      if (prev.type !== next.type) throw illegalArgument(`mapper [${path}] cannot be changed from type [${prev.type}] to [${next.type}]`);
      if ((next.type === 'date' || next.type === 'date_nanos') && (prev.format ?? DEFAULT_FORMAT[prev.type]) !== (next.format ?? DEFAULT_FORMAT[next.type])) {
        throw illegalArgument(`Mapper for [${path}] conflicts with existing mapper:\n\tCannot update parameter [format] from [${prev.format ?? DEFAULT_FORMAT[prev.type]}] to [${next.format ?? DEFAULT_FORMAT[next.type]}]`);
      }
      for (const [sub, subNext] of Object.entries<Json>(next.fields ?? {})) {
        const subPrev = own(prev.fields, sub);
        if (subPrev && subPrev.type !== subNext.type) throw illegalArgument(`mapper [${path}.${sub}] cannot be changed from type [${subPrev.type}] to [${subNext.type}]`);
      }
    }
  };
  walk(existing.properties, expandDotted(update?.properties ?? {}), '');
}
