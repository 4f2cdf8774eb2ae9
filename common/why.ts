/**
 * Why a user ranks where they do, in one sentence in their own terms, built from their worst
 * event: its top features with the user's history where the model keeps one ("from Turkey —
 * never seen before (usually Netherlands 97%)"), the raw address, network and user agent where
 * the source has them. Shared by the app (ranking rows, the top of the user page) and anyone
 * reading the API's `why`.
 *
 * Times: the hour-of-day feature is the UTC hour, while the app shows times in the browser's zone
 * (as Kibana does). The sentence gives hours in the zone it is asked for, and names it once, so
 * that an event the table shows at 14:48 is never explained as "hour 18".
 */

/** One top feature of the event, as the scores carry it (dfp.features.<name>). */
export interface WhyFeature {
  name: string;
  /** The value the model saw (after the profile's transforms); null where absent. */
  value: string | number | null;
  /** What the model expected instead (its reconstruction). */
  expected: string | number | boolean | null;
  z: number;
  /** Rows of the user's training window with this value (0: never seen); absent without history. */
  seen?: number;
  /** The user's most common values in the window with their shares, largest first. */
  usual?: [string, number][];
}

/** The evidence behind a user's rank: their worst event in the range (highest dfp.zscore, then newest). */
export interface WhyEvidence {
  /** The event's time, ISO. */
  time: string;
  zscore: number;
  /** Its top features, largest z first. */
  features: WhyFeature[];
  /** Raw fields of the event where the source has them (server/data/priorities.ts). */
  context: { ip?: string; asNumber?: string; asName?: string; userAgent?: string };
  /** Names of the other AS numbers the sentence cites (the user's usual networks), where the source's events give one: [number, name]. */
  asNames?: [string, string][];
}

export interface WhyOptions {
  /** IANA zone the app shows times in (default: this runtime's, the browser's in the app). */
  timeZone?: string;
}

/** The zone times are shown in, by name ("Europe/Amsterdam", "UTC"). */
export function zoneName(timeZone?: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
}

/** "HH:mm" of an instant in a zone. */
export function clockIn(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}

/**
 * A UTC hour of day (the hour feature's value, "18") as the clock reads it in `timeZone` on the
 * event's day ("14:00" in New York in summer, "23:30" in Kolkata). Not an hour: as it came.
 */
export function utcHourIn(utcHour: string | number, eventMs: number, timeZone?: string): string {
  const h = typeof utcHour === 'number' ? utcHour : /^\d{1,2}$/.test(utcHour) ? Number(utcHour) : NaN;
  if (!Number.isInteger(h) || h < 0 || h > 23 || !Number.isFinite(eventMs)) return String(utcHour);
  const at = new Date(eventMs);
  at.setUTCHours(h, 0, 0, 0);
  return clockIn(at.getTime(), timeZone);
}

/** A country's English name from its ISO 3166 alpha-2 code ("NL" → "Netherlands"); other values as they are. */
export function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** How each feature's value reads in the sentence ("from Turkey", "via network AS 9121"). */
const PHRASE: ReadonlyMap<string, (v: string) => string> = new Map([
  ['country', (v) => `from ${v}`],
  ['city', (v) => `from ${v}`],
  ['asn', (v) => `via network ${v}`],
  ['source_net', (v) => `from addresses ${v}`],
  ['app', (v) => `into ${v}`],
  ['resource', (v) => `for ${v}`],
  ['client_app', (v) => `with client ${v}`],
  ['browser', (v) => `with browser ${v}`],
  ['os', (v) => `on ${v}`],
  ['user_agent', (v) => `with user agent ${v}`],
  ['device', (v) => `from device ${v}`],
  ['provider', (v) => `calling ${v}`],
  ['action', (v) => `doing ${v}`],
  ['region', (v) => `in region ${v}`],
  ['error_code', (v) => `with error ${v}`],
  ['outcome', (v) => `with outcome ${v}`],
]);

/** Volume features: log1p counts of the user's own events (server/engine/features/derived.ts). */
const VOLUME_PHRASE: ReadonlyMap<string, string> = new Map([
  ['logcount', 'events so far that day'],
  ['hourcount', 'events in the hour before'],
  ['familycount', 'calls of the same service in the hour before'],
]);
const INCREMENT_PHRASE: ReadonlyMap<string, string> = new Map([
  ['locincrement', 'places that day'],
  ['appincrement', 'apps that day'],
]);

/** Longest value the sentence quotes (user agents); the raw one is in the context line. */
const MAX_VALUE_CHARS = 48;

const isNone = (v: unknown): boolean => v === null || v === undefined || v === '' || v === '_null';

/** A feature value as the sentence says it. */
function valueText(feature: string, v: unknown, e: WhyEvidence, timeZone: string | undefined): string {
  if (isNone(v)) return '(none)';
  if (v === '_other') return 'a rare value';
  const s = String(v).length > MAX_VALUE_CHARS ? `${String(v).slice(0, MAX_VALUE_CHARS - 1)}…` : String(v);
  if (feature === 'country' || feature.endsWith('_country')) return countryName(s);
  if (feature === 'asn') {
    const name = e.context.asNumber === s && e.context.asName ? e.context.asName : e.asNames?.find(([n]) => n === s)?.[1];
    return name ? `AS ${s} (${name})` : `AS ${s}`;
  }
  if (feature === 'hour') return utcHourIn(s, Date.parse(e.time), timeZone);
  return s;
}

/** A share as a whole percentage; above 0 never reads as 0 %. */
function percent(share: number): string {
  const p = Math.round(share * 100);
  return p === 0 && share > 0 ? '<1%' : `${p}%`;
}

/** One top feature as a clause of the sentence. */
export function featureClause(f: WhyFeature, e: WhyEvidence, o: WhyOptions = {}): string {
  const volume = VOLUME_PHRASE.get(f.name);
  if (volume !== undefined) {
    const count = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? String(Math.round(Math.expm1(x))) : '?');
    return `${count(f.value)} ${volume} (usually about ${count(f.expected)})`;
  }
  const increment = INCREMENT_PHRASE.get(f.name);
  if (increment !== undefined) {
    const n = (x: unknown): string => (typeof x === 'number' && Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '?');
    return `${n(f.value)} ${increment} (usually about ${n(f.expected)})`;
  }
  if (f.name === 'weekend') {
    const weekend = f.value === 1 || f.value === '1' || f.value === 'true';
    return weekend ? 'on a weekend (usually weekdays)' : 'on a weekday (usually weekends)';
  }
  const phrase = PHRASE.get(f.name) ?? ((v: string) => `${f.name} ${v}`);
  const value = f.name === 'hour' ? `at ${clockIn(Date.parse(e.time), o.timeZone)}` : isNone(f.value) ? `without ${f.name.replace(/_/g, ' ')}` : phrase(valueText(f.name, f.value, e, o.timeZone));
  const usual = (f.usual ?? []).map(([v, share]) => `${valueText(f.name, v, e, o.timeZone)} ${percent(share)}`).join(', ');
  if (f.seen !== undefined || usual) {
    const seen = f.seen === undefined ? '' : f.seen === 0 ? ' — never seen before' : f.seen === 1 ? ' — once in the window' : ` — ${f.seen} times in the window`;
    return `${value}${seen}${usual ? ` (usually ${usual})` : ''}`;
  }
  return `${value} (expected ${valueText(f.name, f.expected, e, o.timeZone)})`;
}

/**
 * The sentence: the worst event's top features, most unusual first, as clauses ("From Turkey —
 * never seen before (usually Netherlands 97%); into POP3 — never seen before (usually Teams
 * 80%); at 03:12 (usually 09:00 40%) — times in Europe/Amsterdam"). Empty without top features.
 */
export function whySentence(e: WhyEvidence, o: WhyOptions = {}): string {
  const clauses = e.features.map((f) => featureClause(f, e, o));
  if (clauses.length === 0) return '';
  const text = clauses.join('; ');
  const zone = e.features.some((f) => f.name === 'hour') ? ` — times in ${zoneName(o.timeZone)}` : '';
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${zone}`;
}

/** The raw facts beside the sentence: "IP 85.17.176.131 · AS 60781 LeaseWeb Netherlands B.V. · <user agent>". */
export function whyContext(e: WhyEvidence): string {
  const c = e.context;
  const parts: string[] = [];
  if (c.ip) parts.push(`IP ${c.ip}`);
  if (c.asNumber || c.asName) parts.push([c.asNumber ? `AS ${c.asNumber}` : '', c.asName ?? ''].filter(Boolean).join(' '));
  if (c.userAgent) parts.push(c.userAgent);
  return parts.join(' · ');
}
