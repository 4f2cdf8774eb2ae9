import type { RawEvent } from '../types';
import type { FieldSpec, KeyRule, Profile } from '../profiles';
import type { Transform } from '../profiles/types';
import { firstValue } from '../profiles/field_path';
import { applyTransform, arnSession } from '../profiles/transforms';
import { badTimeReason, parseTime } from './event_time';

/** A raw feature value: categorical → string, numeric → number, binary → 0 | 1; null when absent. */
export type FeatureValue = string | number | null;

/** One event reduced to what the model needs, in the profile's field order. */
export interface ProfileRow {
  user: string;
  /** A recognisable name for the user when the key is an opaque id (Profile.displayFields). */
  label?: string;
  time: number;
  values: FeatureValue[];
}

/** Non-fatal problems with a value (a number field holding text): the event is still scored. */
export interface ValueProblem {
  field: string;
  message: string;
}

export type ExtractOutcome =
  | { ok: true; row: ProfileRow; problems: ValueProblem[] }
  | { ok: false; reason: string };

/**
 * Reads user, time and feature values from one document; says why when it cannot. With `into`,
 * the values are written there (and `row.values` is that array): for a caller that copies them
 * out at once, so that no array is made per event.
 */
export function extractRow(event: RawEvent, profile: Profile, into?: FeatureValue[]): ExtractOutcome {
  const x = extractorFor(profile);
  const user = x.user(event);
  if (user === undefined || (typeof user !== 'string' && typeof user !== 'number')) {
    return { ok: false, reason: `no user key (looked for ${profile.userFields.join(', ')})` };
  }
  const rawTime = x.time(event);
  const time = parseTime(rawTime);
  if (time === null) {
    return { ok: false, reason: `timestamp ${badTimeReason(rawTime)} (looked for ${profile.timestampFields.join(', ')})` };
  }
  const found = PROBLEMS;
  const values = into ?? new Array<FeatureValue>(x.fields.length);
  values.length = x.fields.length;
  for (let i = 0; i < values.length; i++) values[i] = readValue(event, x.fields[i], found);
  // Almost every event has none: they share one empty list rather than each allocating its own.
  const problems = found.length === 0 ? NO_PROBLEMS : found.splice(0);
  const label = x.label ? x.label(event) : undefined;
  const row: ProfileRow = { user: String(user), time, values };
  if (label !== undefined && String(label) !== row.user) row.label = String(label);
  return { ok: true, row, problems };
}

/** Collects one event's problems (emptied by every extractRow). */
const PROBLEMS: ValueProblem[] = [];
const NO_PROBLEMS: ValueProblem[] = Object.freeze([]) as unknown as ValueProblem[];

/** The event's stable id (for outputs, document ids and truth tables), if it has one. */
export function eventIdOf(event: RawEvent, profile: Profile): string | undefined {
  const id = firstValue(event, profile.idFields);
  return id === undefined ? undefined : String(id);
}

/**
 * A profile's reads prepared once: every dotted path split into the keys `getField` would try,
 * so reading an event allocates no strings, and each field's transform remembered for the raw
 * values already seen (user agents and browser names repeat endlessly). Same values as
 * `firstValue` and `applyTransform`; only faster.
 */
interface Extractor {
  source: { fields: readonly FieldSpec[]; paths: readonly (readonly string[])[]; user: readonly string[]; userKey: readonly KeyRule[] | undefined; time: readonly string[]; display: readonly string[] | undefined };
  user: Reader;
  time: Reader;
  label: Reader | undefined;
  fields: CompiledField[];
}

type Reader = (doc: unknown) => unknown;

interface CompiledField {
  spec: FieldSpec;
  read: Reader;
  /** Raw string → transformed, for fields with a transform. */
  memo: Map<string, string> | null;
  /** FieldSpec.parts, compiled; null for a field read as one value. */
  parts: CompiledParts | null;
}

interface CompiledParts {
  read: Reader[];
  /** `<label>=` of each part. */
  prefix: string[];
  transform: (Transform | undefined)[];
  /** The raw values of the event being read, one per part (ABSENT where a part is). */
  keys: (string | typeof ABSENT)[];
  /**
   * Values already made, by the parts' raw values: a tree one level per part (its last level
   * holds the value), so that an event whose combination was seen before builds no string.
   */
  memo: Map<string | typeof ABSENT, unknown>;
  memoSize: number;
}

/** A part the event does not have (a Map key no string equals). */
const ABSENT = Symbol('absent');

/** Transformed values remembered per field; the memo starts over when it grows past this. */
const MEMO_LIMIT = 10_000;

const extractors = new WeakMap<Profile, Extractor>();

function extractorFor(profile: Profile): Extractor {
  const known = extractors.get(profile);
  if (known && sameSource(known, profile)) return known;
  const x: Extractor = {
    source: { fields: profile.fields, paths: profile.fields.map((f) => f.paths), user: profile.userFields, userKey: profile.userKey, time: profile.timestampFields, display: profile.displayFields },
    user: profile.userKey ? compileKeyRules(profile.userKey) : compileFirstValue(profile.userFields),
    time: compileFirstValue(profile.timestampFields),
    label: profile.displayFields ? compileFirstValue(profile.displayFields) : undefined,
    fields: profile.fields.map((spec) => ({
      spec,
      read: spec.list === 'set' ? compileSet(spec.paths) : compileFirstValue(spec.paths),
      memo: spec.kind === 'categorical' && (spec.transform ?? 'none') !== 'none' ? new Map<string, string>() : null,
      parts: spec.parts ? compileParts(spec) : null,
    })),
  };
  extractors.set(profile, x);
  return x;
}

/** A profile edited in place (a test, a settings change) gets a fresh extractor. */
function sameSource(x: Extractor, profile: Profile): boolean {
  const s = x.source;
  return (
    s.fields === profile.fields &&
    s.fields.length === x.fields.length &&
    s.user === profile.userFields &&
    s.userKey === profile.userKey &&
    s.time === profile.timestampFields &&
    s.display === profile.displayFields &&
    profile.fields.every((f, i) => x.fields[i].spec === f && s.paths[i] === f.paths)
  );
}

/** firstValue(doc, paths) with the paths compiled. */
function compileFirstValue(paths: readonly string[]): Reader {
  const readers = paths.map(compilePath);
  return (doc) => {
    for (const read of readers) {
      let v = read(doc);
      if (Array.isArray(v)) v = v.length > 0 ? v[0] : undefined;
      if (v !== undefined && v !== null && v !== '') return v;
    }
    return undefined;
  };
}

/**
 * The user key by Profile.userKey: the first rule that applies and finds a value. A rule's
 * condition reads its path's first value as a string; 'arn-session' keeps only ARNs that name a
 * role session (anything else gives no key, and the next rule is tried).
 */
function compileKeyRules(rules: readonly KeyRule[]): Reader {
  const compiled = rules.map((rule) => ({
    when: rule.when ? { read: compileFirstValue([rule.when.path]), startsWith: rule.when.startsWith } : undefined,
    read: compileFirstValue(rule.paths),
    transform: rule.transform,
  }));
  return (doc) => {
    for (const rule of compiled) {
      if (rule.when) {
        const v = rule.when.read(doc);
        if (typeof v !== 'string' || !rule.when.startsWith.some((p) => v.startsWith(p))) continue;
      }
      const v = rule.read(doc);
      if (v === undefined) continue;
      if (rule.transform === 'arn-session') {
        const session = typeof v === 'string' ? arnSession(v) : undefined;
        if (session !== undefined) return session;
        continue;
      }
      return v;
    }
    return undefined;
  };
}

/**
 * FieldSpec.parts: each part's reader (its paths read as its `list`, else the field's, says), its `label=`
 * and its memo of transformed values. Labels are checked here because the value's form depends on
 * them: non-empty, unique, without a comma, "=" or a backslash; every part's path must be among the
 * field's paths (a source fetches those).
 */
function compileParts(spec: FieldSpec): CompiledParts {
  const parts = spec.parts!;
  const labels = parts.map((p) => p.label);
  const problem =
    spec.kind !== 'categorical' ? 'is not categorical'
    : parts.length === 0 ? 'has no parts'
    : labels.some((l) => typeof l !== 'string' || l === '' || /[,=\\]/.test(l)) ? 'has a part label that is empty or holds a comma, "=" or a backslash'
    : new Set(labels).size !== labels.length ? 'names a part twice'
    : parts.some((p) => p.paths.length === 0 || p.paths.some((path) => !spec.paths.includes(path))) ? 'has a part whose paths are missing from its paths'
    : undefined;
  if (problem !== undefined) throw new Error(`field "${spec.name}" ${problem}`);
  return {
    read: parts.map((p) => ((p.list ?? spec.list) === 'set' ? compileSet(p.paths) : compileFirstValue(p.paths))),
    prefix: labels.map((l) => `${l}=`),
    transform: parts.map((p) => p.transform),
    keys: parts.map(() => ABSENT),
    memo: new Map(),
    memoSize: 0,
  };
}

/**
 * FieldSpec.list 'set': the first path present, read whole. A list becomes its distinct non-empty
 * values, sorted and joined by ","; an empty one is absent. A single value reads as itself.
 */
function compileSet(paths: readonly string[]): Reader {
  const readers = paths.map(compilePath);
  return (doc) => {
    for (const read of readers) {
      const v = read(doc);
      if (v === undefined || v === null || v === '') continue;
      if (!Array.isArray(v)) return v;
      const values = [...new Set(v.filter((x) => x !== null && x !== undefined && x !== '').map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))))];
      if (values.length > 0) return values.sort().join(',');
    }
    return undefined;
  };
}

/**
 * getField(doc, path) for one path: the full remaining path as a key first, then every split
 * point left to right, recursing into the object found. key[i][j] is segments i..j joined by dots:
 * the very strings getField slices, made once. Two lookups become one where that cannot change
 * the answer: a head whose value is not an object leads nowhere (getField of it is undefined), and
 * the last segment's value is the answer whether present or not.
 */
function compilePath(path: string): Reader {
  return generatedPath(path) ?? closurePath(path);
}

function closurePath(path: string): Reader {
  const segments = path.split('.');
  const n = segments.length;
  const key: string[][] = segments.map((_, i) => segments.map((__, j) => (j >= i ? internalized(segments.slice(i, j + 1).join('.')) : '')));
  // A path naming an inherited key reads own properties only (see inherited); the rest, plain lookups.
  if (key.some((row) => row.some((k) => k !== '' && inherited(k)))) return ownPath(key, n);
  const at = (obj: Record<string, unknown>, i: number): unknown => {
    const rest = key[i][n - 1];
    // The last segment: `rest in obj ? obj[rest] : undefined` is obj[rest] (absent, it reads undefined).
    if (i === n - 1) return obj[rest];
    if (rest in obj) return obj[rest];
    for (let j = i; j < n - 1; j++) {
      const next = obj[key[i][j]];
      if (next !== null && typeof next === 'object') {
        const found = at(next as Record<string, unknown>, j + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return (doc) => (doc !== null && typeof doc === 'object' ? at(doc as Record<string, unknown>, 0) : undefined);
}

/** closurePath's reader over own properties only. */
function ownPath(key: string[][], n: number): Reader {
  const own = (obj: Record<string, unknown>, k: string): unknown => (Object.hasOwn(obj, k) ? obj[k] : undefined);
  const at = (obj: Record<string, unknown>, i: number): unknown => {
    const rest = key[i][n - 1];
    if (i === n - 1 || Object.hasOwn(obj, rest)) return own(obj, rest);
    for (let j = i; j < n - 1; j++) {
      const next = own(obj, key[i][j]);
      if (next !== null && typeof next === 'object') {
        const found = at(next as Record<string, unknown>, j + 1);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return (doc) => (doc !== null && typeof doc === 'object' ? at(doc as Record<string, unknown>, 0) : undefined);
}

/**
 * closurePath's reader as generated code, one function per segment with the keys written in:
 * each lookup site then sees one key and the few shapes events have, and V8 caches it (the
 * closures share their lookup sites across all paths, which V8 gives up caching). Twice as fast;
 * reading fields is most of reading an event. Undefined where code generation is refused
 * (Kibana: --disallow-code-generation-from-strings). Keys are JSON string literals.
 */
function generatedPath(path: string): Reader | undefined {
  const segments = path.split('.');
  const n = segments.length;
  const name = (i: number, j: number): string => segments.slice(i, j + 1).join('.');
  const key = (i: number, j: number): string => JSON.stringify(name(i, j));
  // `k in o` and `o[k]`, own properties only for the few keys every object inherits (see own()).
  const has = (i: number, j: number): string => (inherited(name(i, j)) ? `Object.hasOwn(o, ${key(i, j)})` : `${key(i, j)} in o`);
  const get = (i: number, j: number): string => (inherited(name(i, j)) ? `(Object.hasOwn(o, ${key(i, j)}) ? o[${key(i, j)}] : undefined)` : `o[${key(i, j)}]`);
  const body: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i === n - 1) {
      body.push(`function at${i}(o) { return ${get(i, n - 1)}; }`);
      continue;
    }
    const steps: string[] = [`if (${has(i, n - 1)}) return o[${key(i, n - 1)}];`, 'let next, found;'];
    for (let j = i; j < n - 1; j++) {
      steps.push(`next = ${get(i, j)};`, `if (next !== null && typeof next === 'object' && (found = at${j + 1}(next)) !== undefined) return found;`);
    }
    body.push(`function at${i}(o) { ${steps.join(' ')} return undefined; }`);
  }
  try {
    return new Function(`'use strict'; ${body.join('\n')} return (doc) => (doc !== null && typeof doc === 'object' ? at0(doc) : undefined);`)() as Reader;
  } catch {
    return undefined; // EvalError: code generation from strings disallowed
  }
}

/**
 * A key every object has through Object.prototype ("constructor", "toString", "__proto__"): a
 * field of that name is looked up among the document's own properties, never inherited. Other keys
 * keep the plain lookup (a document parsed from JSON has no other inherited keys).
 */
function inherited(key: string): boolean {
  return key in Object.prototype;
}

/**
 * The engine's own copy of a string (the one property names use), so a lookup by this key compares
 * pointers instead of first finding that copy by hash: object keys come back internalized.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: true })[0];
}

function readValue(event: RawEvent, field: CompiledField, problems: ValueProblem[]): FeatureValue {
  if (field.parts !== null) return readParts(event, field);
  const raw = field.read(event);
  if (raw === undefined || raw === null) return null;
  const spec = field.spec;
  switch (spec.kind) {
    case 'categorical': {
      const s = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      if (spec.nullValues?.includes(s)) return null;
      return transformed(field.memo, s, spec.transform);
    }
    case 'numeric': {
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (typeof raw === 'boolean' || !Number.isFinite(n) || (typeof raw === 'string' && raw.trim() === '')) {
        problems.push({ field: spec.name, message: `not a number: ${JSON.stringify(raw).slice(0, 60)}` });
        return null;
      }
      return n;
    }
    case 'binary':
      return toBinary(raw, spec, problems);
  }
}

/** A categorical value through its transform, remembered in `memo` for raw values already seen. */
function transformed(memo: Map<string, string> | null, s: string, transform: Transform | undefined): string {
  if (!memo) return applyTransform(s, transform);
  let out = memo.get(s);
  if (out === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    out = applyTransform(s, transform);
    memo.set(s, out);
  }
  return out;
}

/** FieldSpec.parts: the present parts as `label=value`, joined by ", "; null when none is present. */
function readParts(event: RawEvent, field: CompiledField): string | null {
  const p = field.parts!;
  const n = p.read.length;
  for (let i = 0; i < n; i++) {
    const raw = p.read[i](event);
    p.keys[i] = raw === undefined || raw === null ? ABSENT : typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  }
  // The memo's tree: one Map per part before the last, whose Map holds the values.
  let node = p.memo;
  for (let i = 0; i < n - 1; i++) {
    let next = node.get(p.keys[i]) as Map<string | typeof ABSENT, unknown> | undefined;
    if (next === undefined) {
      next = new Map();
      node.set(p.keys[i], next);
    }
    node = next;
  }
  const known = node.get(p.keys[n - 1]) as string | null | undefined;
  if (known !== undefined) return known;
  if (p.memoSize >= MEMO_LIMIT) {
    p.memo.clear();
    p.memoSize = 0;
    return partsValue(p, field.spec.nullValues); // remembered from the next event on
  }
  const value = partsValue(p, field.spec.nullValues);
  node.set(p.keys[n - 1], value);
  p.memoSize += 1;
  return value;
}

/** The value of the parts in `p.keys`: each present as `label=value` (escaped), joined by ", ". */
function partsValue(p: CompiledParts, nullValues: readonly string[] | undefined): string | null {
  let out: string | null = null;
  for (let i = 0; i < p.keys.length; i++) {
    const s = p.keys[i];
    if (s === ABSENT || nullValues?.includes(s)) continue;
    const v = applyTransform(s, p.transform[i]);
    const item = p.prefix[i] + (PART_SPECIAL.test(v) ? v.replace(PART_ESCAPE, '\\$&') : v);
    out = out === null ? item : `${out}, ${item}`;
  }
  return out;
}

/** What a part's value escapes: the separator's comma and the escape itself. */
const PART_SPECIAL = /[\\,]/;
const PART_ESCAPE = /[\\,]/g;

function toBinary(raw: unknown, spec: FieldSpec, problems: ValueProblem[]): FeatureValue {
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'number') return raw !== 0 ? 1 : 0;
  const s = String(raw).toLowerCase();
  if (spec.trueValues) return spec.trueValues.some((t) => t.toLowerCase() === s) ? 1 : 0;
  if (['true', 'yes', '1', 'y'].includes(s)) return 1;
  if (['false', 'no', '0', 'n'].includes(s)) return 0;
  problems.push({ field: spec.name, message: `not a boolean: ${JSON.stringify(raw).slice(0, 60)}` });
  return null;
}
