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

/** Reads user, time and feature values from one document; says why when it cannot. */
export function extractRow(event: RawEvent, profile: Profile): ExtractOutcome {
  const user = firstValue(event, profile.userFields);
  if (user === undefined || (typeof user !== 'string' && typeof user !== 'number')) {
    return { ok: false, reason: `no user key (looked for ${profile.userFields.join(', ')})` };
  }
  const rawTime = firstValue(event, profile.timestampFields);
  const time = parseTime(rawTime);
  if (time === null) {
    const what = rawTime === undefined ? 'missing' : `unparseable (${JSON.stringify(rawTime).slice(0, 60)})`;
    return { ok: false, reason: `timestamp ${what} (looked for ${profile.timestampFields.join(', ')})` };
  }
  const problems: ValueProblem[] = [];
  const values = profile.fields.map((spec) => readValue(event, spec, problems));
  const label = profile.displayFields ? firstValue(event, profile.displayFields) : undefined;
  const row: ProfileRow = { user: String(user), time, values };
  if (label !== undefined && String(label) !== row.user) row.label = String(label);
  return { ok: true, row, problems };
}

/** The event's stable id (for outputs, document ids and truth tables), if it has one. */
export function eventIdOf(event: RawEvent, profile: Profile): string | undefined {
  const id = firstValue(event, profile.idFields);
  return id === undefined ? undefined : String(id);
}

function readValue(event: RawEvent, spec: FieldSpec, problems: ValueProblem[]): FeatureValue {
  const raw = firstValue(event, spec.paths);
  if (raw === undefined || raw === null) return null;
  switch (spec.kind) {
    case 'categorical': {
      const s = typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
      return applyTransform(s, spec.transform);
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
