import type { RawEvent } from '../types';
import type { FieldSpec, Profile } from '../profiles';
import { firstValue } from '../profiles/field_path';
import { applyTransform } from '../profiles/transforms';

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
    const what = rawTime === undefined ? 'missing' : `unparseable (${JSON.stringify(rawTime).slice(0, 60)})`;
    return { ok: false, reason: `timestamp ${what} (looked for ${profile.timestampFields.join(', ')})` };
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
  source: { fields: readonly FieldSpec[]; paths: readonly (readonly string[])[]; user: readonly string[]; time: readonly string[]; display: readonly string[] | undefined };
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
}

/** Transformed values remembered per field; the memo starts over when it grows past this. */
const MEMO_LIMIT = 10_000;

const extractors = new WeakMap<Profile, Extractor>();

function extractorFor(profile: Profile): Extractor {
  const known = extractors.get(profile);
  if (known && sameSource(known, profile)) return known;
  const x: Extractor = {
    source: { fields: profile.fields, paths: profile.fields.map((f) => f.paths), user: profile.userFields, time: profile.timestampFields, display: profile.displayFields },
    user: compileFirstValue(profile.userFields),
    time: compileFirstValue(profile.timestampFields),
    label: profile.displayFields ? compileFirstValue(profile.displayFields) : undefined,
    fields: profile.fields.map((spec) => ({
      spec,
      read: compileFirstValue(spec.paths),
      memo: spec.kind === 'categorical' && (spec.transform ?? 'none') !== 'none' ? new Map<string, string>() : null,
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
  const key = (i: number, j: number): string => JSON.stringify(segments.slice(i, j + 1).join('.'));
  const body: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i === n - 1) {
      body.push(`function at${i}(o) { return o[${key(i, n - 1)}]; }`);
      continue;
    }
    const steps: string[] = [`if (${key(i, n - 1)} in o) return o[${key(i, n - 1)}];`, 'let next, found;'];
    for (let j = i; j < n - 1; j++) {
      steps.push(`next = o[${key(i, j)}];`, `if (next !== null && typeof next === 'object' && (found = at${j + 1}(next)) !== undefined) return found;`);
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
 * The engine's own copy of a string (the one property names use), so a lookup by this key compares
 * pointers instead of first finding that copy by hash: object keys come back internalized.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: true })[0];
}

function readValue(event: RawEvent, field: CompiledField, problems: ValueProblem[]): FeatureValue {
  const raw = field.read(event);
  if (raw === undefined || raw === null) return null;
  const spec = field.spec;
  switch (spec.kind) {
    case 'categorical': {
      const s = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      const memo = field.memo;
      if (!memo) return applyTransform(s, spec.transform);
      let out = memo.get(s);
      if (out === undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        out = applyTransform(s, spec.transform);
        memo.set(s, out);
      }
      return out;
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

/** ISO strings, epoch milliseconds (numbers or digit strings) and epoch seconds. */
export function parseTime(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? (raw < 1e11 ? raw * 1000 : raw) : null;
  if (typeof raw !== 'string' || raw === '') return null;
  const iso = plainIsoTime(raw);
  if (iso >= 0) return iso;
  if (/^\d+(\.\d+)?$/.test(raw)) return parseTime(Number(raw));
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}

/**
 * `Date.parse(s)` for the form nearly every log time has, `YYYY-MM-DDTHH:MM:SS[.sss]Z`, read
 * digit by digit (the regex test and the general parser cost more than the rest of reading an
 * event's time); −1 for anything else, left to Date.parse. Only dates no parser could read
 * differently qualify: year ≥ 100 (Date.UTC reads 0–99 as 1900s), day ≤ 28 (Date.parse rolls
 * Feb 30 over), hour ≤ 23.
 */
function plainIsoTime(s: string): number {
  const n = s.length;
  if ((n !== 20 && n !== 24) || s.charCodeAt(n - 1) !== 90 /* Z */) return -1;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return -1; // - - T : :
  if (n === 24 && s.charCodeAt(19) !== 46) return -1; // .
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  const ms = n === 24 ? digitsAt(s, 20, 3) : 0;
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 28 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return -1;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** The decimal number of s[from … from + digits), −1 when a character is not a digit. */
function digitsAt(s: string, from: number, digits: number): number {
  let v = 0;
  for (let i = from; i < from + digits; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}
