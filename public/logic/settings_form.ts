/**
 * The settings form: what an admin types (strings, kept as typed so a half-written number is not
 * lost), validated with the server's rules before saving, and turned into the PUT /settings body.
 * The server validates again; its 400 is mapped back onto the same field paths (errors.ts).
 */
import type { DfpSettings } from '../../common/api';
import type { SourceConfig, WriteMode } from '../../common/source_config';

// Restated from common/source_config (importing its values would bring zod into the bundle).
export const WRITE_MODE_OPTIONS: { value: WriteMode; text: string }[] = [
  { value: 'scores', text: 'Scores data stream (logs-dfp.scores-<namespace>)' },
  { value: 'in_place', text: 'In place (dfp.* added to the source documents)' },
];
const SOURCE_ID = /^[a-z0-9][a-z0-9_.-]{0,99}$/;
const NAMESPACE = /^[a-z0-9_]{1,100}$/;

export interface SourceForm {
  id: string;
  profile: string;
  index: string;
  timeField: string;
  userField: string;
  writeMode: WriteMode;
  namespace: string;
  settleSeconds: string;
  initialLookbackHours: string;
}

export interface SettingsForm {
  zscoreThreshold: string;
  tsThreshold: string;
  userRiskThreshold: string;
  minHistory: string;
  train: string;
  score: string;
  sources: SourceForm[];
}

export function formFromSettings(s: DfpSettings): SettingsForm {
  return {
    zscoreThreshold: String(s.zscoreThreshold),
    tsThreshold: String(s.tsThreshold),
    userRiskThreshold: String(s.userRiskThreshold),
    minHistory: String(s.minHistory),
    train: s.schedules.train,
    score: s.schedules.score,
    sources: s.sources.map(sourceForm),
  };
}

function sourceForm(s: SourceConfig): SourceForm {
  return {
    id: s.id,
    profile: s.profile,
    index: s.index ?? '',
    timeField: s.timeField,
    userField: s.userField ?? '',
    writeMode: s.writeMode,
    namespace: s.namespace,
    settleSeconds: String(s.settleSeconds),
    initialLookbackHours: String(s.initialLookbackHours),
  };
}

export function newSourceForm(existing: SourceForm[]): SourceForm {
  let n = existing.length + 1;
  while (existing.some((s) => s.id === `source-${n}`)) n++;
  return { id: `source-${n}`, profile: '', index: '', timeField: '@timestamp', userField: '', writeMode: 'scores', namespace: 'default', settleSeconds: '300', initialLookbackHours: '24' };
}

/** A number as typed: finite, and the whole string (no "8abc"). */
function parseNumber(v: string): number | null {
  const t = v.trim();
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

// node-cron's fields: [second] minute hour day-of-month month day-of-week.
const CRON_FIELDS: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const NAMES: Record<number, string[]> = {
  3: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  4: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};

/** A cron expression node-cron accepts: 5 fields (or 6 with seconds), each `*`, numbers, ranges, steps, lists or names. */
export function isValidCron(expr: string): boolean {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) return false;
  const fields = parts.length === 6 ? parts.slice(1) : parts;
  if (parts.length === 6 && !cronField(parts[0], [0, 59], undefined)) return false;
  return fields.every((f, i) => cronField(f, CRON_FIELDS[i], NAMES[i]));
}

function cronField(field: string, [min, max]: [number, number], names: string[] | undefined): boolean {
  const value = (v: string): number | null => {
    if (/^\d+$/.test(v)) return Number(v);
    const i = names?.indexOf(v.toLowerCase()) ?? -1;
    return i >= 0 ? i + (names === NAMES[3] ? 1 : 0) : null;
  };
  return field.split(',').every((item) => {
    const [range, step, ...extra] = item.split('/');
    if (extra.length > 0 || (step !== undefined && !/^[1-9]\d*$/.test(step))) return false;
    if (range === '*') return true;
    const [a, b, ...more] = range.split('-');
    if (more.length > 0) return false;
    const lo = value(a);
    const hi = b === undefined ? lo : value(b);
    return lo !== null && hi !== null && lo >= min && hi <= max && lo <= hi;
  });
}

export type FormErrors = Record<string, string>;

/** Every problem, keyed by the field path the server's 400 uses too ("sources.0.id"). */
export function validateSettingsForm(form: SettingsForm): FormErrors {
  const errors: FormErrors = {};
  const threshold = (key: 'zscoreThreshold' | 'tsThreshold') => {
    const n = parseNumber(form[key]);
    if (n === null) errors[key] = 'a number, e.g. 8';
    else if (n <= 0 || n > 1000) errors[key] = 'greater than 0 and at most 1000';
  };
  threshold('zscoreThreshold');
  threshold('tsThreshold');
  const userRisk = parseNumber(form.userRiskThreshold);
  if (userRisk === null) errors.userRiskThreshold = 'a number, e.g. 10';
  else if (userRisk <= 0 || userRisk > 100_000) errors.userRiskThreshold = 'greater than 0 and at most 100,000';
  const minHistory = parseNumber(form.minHistory);
  if (minHistory === null || !Number.isInteger(minHistory) || minHistory < 1 || minHistory > 1_000_000) errors.minHistory = 'a whole number from 1 to 1,000,000';
  if (!isValidCron(form.train)) errors['schedules.train'] = 'not a cron expression (e.g. "0 2 * * *": 02:00 every day)';
  if (!isValidCron(form.score)) errors['schedules.score'] = 'not a cron expression (e.g. "*/5 * * * *": every 5 minutes)';
  const seen = new Map<string, number>();
  form.sources.forEach((s, i) => {
    const at = (field: string) => `sources.${i}.${field}`;
    if (!SOURCE_ID.test(s.id)) errors[at('id')] = 'lowercase letters, digits, "_", "." and "-", starting with a letter or digit';
    else if (seen.has(s.id)) errors[at('id')] = `the same id as source ${seen.get(s.id)! + 1}: ids must be unique`;
    else seen.set(s.id, i);
    if (!s.profile.trim()) errors[at('profile')] = 'a profile is required (e.g. azure-signin, cloudtrail)';
    if (!s.timeField.trim()) errors[at('timeField')] = 'a date field is required (e.g. @timestamp)';
    if (!NAMESPACE.test(s.namespace)) errors[at('namespace')] = 'lowercase letters, digits and "_" (Fleet namespace rules)';
    const settle = parseNumber(s.settleSeconds);
    if (settle === null || !Number.isInteger(settle) || settle < 0 || settle > 86_400) errors[at('settleSeconds')] = 'whole seconds from 0 to 86,400';
    const lookback = parseNumber(s.initialLookbackHours);
    if (lookback === null || lookback <= 0 || lookback > 24 * 366) errors[at('initialLookbackHours')] = 'hours, more than 0 and at most 8,784';
  });
  return errors;
}

/** The PUT /settings body for a valid form (call validateSettingsForm first). */
export function settingsFromForm(form: SettingsForm): DfpSettings {
  return {
    zscoreThreshold: Number(form.zscoreThreshold),
    tsThreshold: Number(form.tsThreshold),
    userRiskThreshold: Number(form.userRiskThreshold),
    minHistory: Number(form.minHistory),
    schedules: { train: form.train.trim(), score: form.score.trim() },
    sources: form.sources.map((s) => ({
      id: s.id,
      profile: s.profile.trim(),
      ...(s.index.trim() ? { index: s.index.trim() } : {}),
      timeField: s.timeField.trim(),
      ...(s.userField.trim() ? { userField: s.userField.trim() } : {}),
      writeMode: s.writeMode,
      namespace: s.namespace,
      settleSeconds: Number(s.settleSeconds),
      initialLookbackHours: Number(s.initialLookbackHours),
    })),
  };
}

/** What saving would change, for the confirmation line ("threshold 8 → 6"). Empty when nothing. */
export function describeChanges(before: DfpSettings, after: DfpSettings): string[] {
  const out: string[] = [];
  if (before.zscoreThreshold !== after.zscoreThreshold) out.push(`anomaly threshold ${before.zscoreThreshold} → ${after.zscoreThreshold} (flags change at once, no rescoring)`);
  if (before.tsThreshold !== after.tsThreshold) out.push(`time-series threshold ${before.tsThreshold} → ${after.tsThreshold} (applies from the next scoring run)`);
  if (before.userRiskThreshold !== after.userRiskThreshold) out.push(`user risk threshold ${before.userRiskThreshold} → ${after.userRiskThreshold} (users re-ranked at once; dfp.user_flagged from the next scoring run)`);
  if (before.minHistory !== after.minHistory) out.push(`minimum history ${before.minHistory} → ${after.minHistory} (applies at the next training)`);
  if (before.schedules.train !== after.schedules.train) out.push(`training schedule "${before.schedules.train}" → "${after.schedules.train}"`);
  if (before.schedules.score !== after.schedules.score) out.push(`scoring schedule "${before.schedules.score}" → "${after.schedules.score}"`);
  const ids = (s: DfpSettings) => s.sources.map((x) => x.id);
  const added = ids(after).filter((id) => !ids(before).includes(id));
  const removed = ids(before).filter((id) => !ids(after).includes(id));
  const changed = after.sources.filter((s) => {
    const old = before.sources.find((b) => b.id === s.id);
    return old !== undefined && JSON.stringify(sortKeys(old)) !== JSON.stringify(sortKeys(s));
  });
  if (added.length) out.push(`sources added: ${added.join(', ')}`);
  if (removed.length) out.push(`sources removed: ${removed.join(', ')} (their API keys are invalidated)`);
  if (changed.length) out.push(`sources changed: ${changed.map((s) => s.id).join(', ')}`);
  return out;
}

function sortKeys(o: object): [string, unknown][] {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Only what changed goes into the PUT: saving a new threshold must not resend the sources, since
 * saving sources grants their jobs new API keys in the saving admin's name.
 */
export function settingsPatch(before: DfpSettings, after: DfpSettings): Partial<DfpSettings> {
  const patch: Partial<DfpSettings> = {};
  if (before.zscoreThreshold !== after.zscoreThreshold) patch.zscoreThreshold = after.zscoreThreshold;
  if (before.tsThreshold !== after.tsThreshold) patch.tsThreshold = after.tsThreshold;
  if (before.userRiskThreshold !== after.userRiskThreshold) patch.userRiskThreshold = after.userRiskThreshold;
  if (before.minHistory !== after.minHistory) patch.minHistory = after.minHistory;
  if (before.schedules.train !== after.schedules.train || before.schedules.score !== after.schedules.score) patch.schedules = after.schedules;
  const norm = (s: DfpSettings) => JSON.stringify(s.sources.map((x) => sortKeys(x)));
  if (norm(before) !== norm(after)) patch.sources = after.sources;
  return patch;
}
