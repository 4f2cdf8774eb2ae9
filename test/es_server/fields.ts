// Field paths, mappings and values. ES resolves "a.b.c" both into nested objects and literal
// dotted keys ("a.b": {c: 1}); mapping types decide how values compare, sort and aggregate.
import { Json } from './errors';
import { DEFAULT_FORMAT, nanosToMillis, parseDate, parseDateMath } from './dates';

export interface FieldInfo {
  type: string; // keyword | text | long | double | date | date_nanos | boolean | ...
  sourcePath: string; // where in _source the values live (multi-fields point at their parent)
  format?: string; // date formats ("a||b"); the type's default when absent
  ignoreAbove?: number; // keyword values longer than this are not indexed
}

/** All leaf values at a dotted path (arrays flattened), following nested objects and dotted keys. */
export function valuesAt(obj: Json, path: string): unknown[] {
  const out: unknown[] = [];
  const walk = (node: Json, rest: string): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, rest);
      return;
    }
    if (rest === '') {
      if (node !== null && node !== undefined) out.push(node);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const key of Object.keys(node)) {
      if (key === rest) walk(node[key], '');
      else if (rest.startsWith(key + '.')) walk(node[key], rest.slice(key.length + 1));
    }
  };
  walk(obj, path);
  return out.flat(Infinity);
}

function leafInfo(def: Json, sourcePath: string): FieldInfo {
  const info: FieldInfo = { type: def.type ?? 'object', sourcePath };
  if (def.format !== undefined) info.format = String(def.format);
  if (def.ignore_above !== undefined) info.ignoreAbove = Number(def.ignore_above);
  return info;
}

/** Flattened view of a mapping's properties: "a.b" → type, including multi-fields ("a.keyword"). */
export function flattenMapping(mappings: Json): Map<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  const walk = (props: Json, prefix: string): void => {
    for (const [name, def] of Object.entries<Json>(props ?? {})) {
      const full = prefix + name;
      if (def.properties) walk(def.properties, full + '.');
      else out.set(full, leafInfo(def, full));
      for (const [sub, subDef] of Object.entries<Json>(def.fields ?? {})) {
        out.set(`${full}.${sub}`, leafInfo(subDef, full));
      }
    }
  };
  walk(mappings?.properties, '');
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const looksLikeDate = (s: string): boolean => ISO_DATE.test(s) && !Number.isNaN(Date.parse(s));

/** JSON kinds as dynamic templates' `match_mapping_type` names them (floats are "double"). */
type JsonKind = 'string' | 'date' | 'long' | 'double' | 'boolean' | 'object';

function jsonKind(value: unknown): JsonKind | undefined {
  if (typeof value === 'string') return looksLikeDate(value) ? 'date' : 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'long' : 'double';
  if (typeof value === 'boolean') return 'boolean';
  if (value !== null && typeof value === 'object') return 'object';
  return undefined;
}

/** The type a kind maps to when a template's mapping names none (ES's `defaultMappingType`). */
const DEFAULT_MAPPING_TYPE: Record<JsonKind, string> = { string: 'text', date: 'date', long: 'long', double: 'float', boolean: 'boolean', object: 'object' };

/** Dynamic mapping as ES does it by default: date detection, text+keyword, long/float, boolean. */
function dynamicType(kind: JsonKind): Json | undefined {
  if (kind === 'string') return { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } };
  if (kind === 'object') return undefined;
  return { type: DEFAULT_MAPPING_TYPE[kind] };
}

const list = (v: Json): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Whether `value` matches any of `patterns` (simple `*` wildcards, or regexes with match_pattern: regex). */
function anyMatch(patterns: string[], value: string, regex: boolean): boolean {
  return patterns.some((p) => (regex ? new RegExp(p).test(value) : globRegex(p).test(value)));
}

/**
 * The mapping the first matching dynamic template gives a new field, or undefined. Conditions as in
 * ES 8: match/unmatch on the leaf name, path_match/path_unmatch on the full dotted path,
 * match_mapping_type/unmatch_mapping_type on the JSON kind; `{name}` and `{dynamic_type}` are
 * substituted. Simplification: objects only match templates that name "object" explicitly.
 */
function fromDynamicTemplates(templates: Json, path: string, leaf: string, kind: JsonKind): Json | undefined {
  for (const entry of (templates ?? []) as Json[]) {
    const t: Json = Object.values(entry ?? {})[0] ?? {};
    if (t.runtime) continue; // runtime templates add runtime fields, not mappings
    const regex = t.match_pattern === 'regex';
    const types = list(t.match_mapping_type);
    if (kind === 'object' ? !types.includes('object') : types.length > 0 && !types.includes('*') && !types.includes(kind)) continue;
    if (list(t.unmatch_mapping_type).includes(kind)) continue;
    if (t.match !== undefined && !anyMatch(list(t.match), leaf, regex)) continue;
    if (t.unmatch !== undefined && anyMatch(list(t.unmatch), leaf, regex)) continue;
    if (t.path_match !== undefined && !anyMatch(list(t.path_match), path, false)) continue;
    if (t.path_unmatch !== undefined && anyMatch(list(t.path_unmatch), path, false)) continue;
    const text = JSON.stringify(t.mapping ?? {}).replace(/\{name\}/g, leaf).replace(/\{dynamic_type\}/g, DEFAULT_MAPPING_TYPE[kind]);
    const mapping: Json = JSON.parse(text);
    return mapping.type ? mapping : { type: DEFAULT_MAPPING_TYPE[kind], ...mapping };
  }
  return undefined;
}

/** Whether new fields get mapped under an object whose effective `dynamic` is `dynamic` (strict documents are refused before). */
const mapsNewFields = (dynamic: Json): boolean => ![false, 'false', 'strict', 'runtime'].includes(dynamic);

/** The mapping of `key` under `props`, own properties only (field names are untrusted). */
const ownDef = (props: Json, key: string): Json => (Object.hasOwn(props, key) ? props[key] : undefined);

/** Sets `props[key]` as an own property, even for a key such as `__proto__`. */
function setOwn(props: Json, key: string, def: Json): Json {
  Object.defineProperty(props, key, { value: def, enumerable: true, writable: true, configurable: true });
  return def;
}

/**
 * Adds mappings for fields of `source` not mapped yet, consulting the root `dynamic_templates`
 * first and the default rules otherwise; returns true when the mapping changed. An object's own
 * `dynamic` governs below it (inherited otherwise); nothing is mapped inside `enabled: false`.
 */
export function applyDynamicMapping(mappings: Json, source: Json): boolean {
  const templates = mappings.dynamic_templates;
  let changed = false;
  const walk = (node: Json, holder: Json, prefix: string, inherited: Json): void => {
    const dynamic = holder.dynamic ?? inherited;
    if (holder.enabled === false || holder.enabled === 'false') return;
    for (const [rawKey, value] of Object.entries<Json>(node)) {
      const parts = rawKey.split('.');
      let parent = holder;
      let dyn = dynamic;
      let path = prefix;
      for (const p of parts.slice(0, -1)) {
        path += p + '.';
        let next = ownDef(parent.properties ?? {}, p);
        if (!next) {
          if (!mapsNewFields(dyn)) break;
          parent.properties ??= {};
          next = setOwn(parent.properties, p, { properties: {} });
          changed = true;
        }
        parent = next;
        dyn = parent.dynamic ?? dyn;
      }
      if (parent.properties === undefined && parent !== holder && !mapsNewFields(dyn)) continue;
      const leaf = parts[parts.length - 1];
      const fullPath = path + leaf;
      // Arrays (of arrays) are flattened: the first non-null value decides the mapping, as in ES.
      const all: Json[] = Array.isArray(value) ? value.flat(Infinity) : [value];
      const kind = jsonKind(all.find((v) => v !== null));
      if (kind === undefined) continue;
      let def = ownDef(parent.properties ?? {}, leaf);
      if (!def) {
        if (!mapsNewFields(dyn)) continue;
        if (kind === 'object') {
          const { type: _object, ...rest } = fromDynamicTemplates(templates, fullPath, leaf, kind) ?? {};
          def = { ...rest, properties: {} };
        } else {
          def = fromDynamicTemplates(templates, fullPath, leaf, kind) ?? dynamicType(kind);
        }
        if (!def) continue;
        parent.properties ??= {};
        setOwn(parent.properties, leaf, def);
        changed = true;
      }
      if (kind === 'object' && def.properties) {
        for (const v of all) if (v && typeof v === 'object') walk(v, def, fullPath + '.', dyn);
      }
    }
  };
  walk(source, mappings, '', true);
  return changed;
}

/** ES expands dotted names in mappings ("user.name": {...}) into object properties. */
export function expandDotted(props: Json): Json {
  const out: Json = {};
  for (const [name, def] of Object.entries<Json>(props ?? {})) {
    const parts = name.split('.');
    let node: Json = { [parts[parts.length - 1]]: def.properties ? { ...def, properties: expandDotted(def.properties) } : def };
    for (const p of parts.slice(0, -1).reverse()) node = { [p]: { properties: node } };
    const [top] = Object.keys(node);
    const prev = ownDef(out, top);
    setOwn(out, top, prev?.properties && node[top].properties ? mergeMappings(prev, node[top]) : node[top]);
  }
  return out;
}

/**
 * Deep-merges `extra` mapping properties into `base`, as PUT _mapping does: other root keys
 * (including `dynamic_templates`) replace the existing ones, as in ES's MAPPING_UPDATE merge.
 */
export function mergeMappings(base: Json, extra: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries<Json>(extra ?? {})) {
    if (k === 'properties') {
      out.properties = { ...(base.properties ?? {}) };
      for (const [name, def] of Object.entries<Json>(expandDotted(v))) {
        const prev = ownDef(out.properties, name);
        setOwn(out.properties, name, prev?.properties && def.properties ? mergeMappings(prev, def) : { ...(prev ?? {}), ...def });
      }
    } else out[k] = v;
  }
  return out;
}

/**
 * Merges mappings the way index creation composes templates (component templates, the index
 * template, the create request): like `mergeMappings`, but `dynamic_templates` merge by name,
 * a later one replacing an earlier one of the same name in place (ES's INDEX_TEMPLATE merge).
 */
export function composeMappings(base: Json, extra: Json): Json {
  const out = mergeMappings(base, extra);
  if (base?.dynamic_templates && extra?.dynamic_templates) {
    const byName = new Map<string, Json>();
    for (const t of [...base.dynamic_templates, ...extra.dynamic_templates]) byName.set(Object.keys(t)[0], t);
    out.dynamic_templates = [...byName.values()];
  }
  return out;
}

/** Parses a date value (ISO string, epoch millis, or date math "now-1d/d") to epoch millis. */
export function toMillis(value: unknown, now = Date.now()): number | undefined {
  const nanos = parseDateMath(typeof value === 'bigint' ? value.toString() : value, DEFAULT_FORMAT.date, false, now);
  return nanos === undefined ? undefined : Number(nanosToMillis(nanos));
}

export const NUMERIC = new Set(['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long']);
export const INTEGER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
export const DATE_TYPES = new Set(['date', 'date_nanos']);

/** A comparable doc value: epoch millis (date), epoch nanos (date_nanos, bigint), a number, a string. */
export type DocVal = string | number | bigint | boolean;

/**
 * The doc value ES indexes for a mapped field's source value: millis for dates, nanos for
 * date_nanos, numbers (integers truncated, as coerce does), strings; undefined when not indexed
 * (malformed and ignored, an object, a keyword past ignore_above).
 */
export function docValue(info: FieldInfo, v: unknown): DocVal | undefined {
  const { type } = info;
  if (DATE_TYPES.has(type)) {
    const nanos = parseDate(v, info.format ?? DEFAULT_FORMAT[type], false);
    if (nanos === undefined) return undefined;
    if (type === 'date') return Number(nanosToMillis(nanos));
    return nanos < 0n ? undefined : nanos;
  }
  if (NUMERIC.has(type)) {
    if (typeof v === 'string' && v.trim() === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (!Number.isFinite(n)) return undefined;
    return INTEGER_TYPES.has(type) ? Math.trunc(n) : n;
  }
  if (type === 'boolean') return v === true || v === 'true' ? true : v === false || v === 'false' ? false : undefined;
  if (v === null || typeof v === 'object') return undefined;
  const text = String(v);
  if (info.ignoreAbove !== undefined && (type === 'keyword' || type === 'wildcard') && Array.from(text).length > info.ignoreAbove) return undefined;
  return text;
}

/** Glob ("user.*", "*name") to an anchored regex. */
export const globRegex = (pattern: string): RegExp =>
  new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');

/** ES key_as_string for dates (strict_date_optional_time in UTC). */
export const isoMillis = (ms: number): string => new Date(ms).toISOString();
