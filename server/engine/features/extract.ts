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
  if (/^\d+(\.\d+)?$/.test(raw)) return parseTime(Number(raw));
  const t = Date.parse(raw);
  return Number.isNaN(t) ? null : t;
}
