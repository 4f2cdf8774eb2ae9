/**
 * Event times: what an event's time field may hold, read as epoch milliseconds, and why not when
 * it cannot be (for the reason an event is refused with).
 */
/**
 * Event times are accepted from the start of year 0000 to the end of year 9999: what ISO 8601
 * writes with four digits (and `toISOString` without its expanded `+010000-…` form). Beyond them a
 * number is a broken clock or a broken field, not a time, and most lie outside what a JavaScript
 * Date can hold (±8.64e15 ms), where `new Date(t)` is an Invalid Date and `toISOString` throws.
 */
export const MIN_TIME = Date.parse('0000-01-01T00:00:00.000Z');
export const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Epoch milliseconds of an event's time: ISO 8601 strings, epoch milliseconds (numbers or number
 * strings; below 1e11 they are epoch seconds), other forms Date.parse reads. A time without a zone
 * is UTC, whatever the machine's zone. Null when it is none of those, names a day or time that does
 * not exist (Feb 30, 25:00), or lies outside MIN_TIME … MAX_TIME: `badTimeReason` says which.
 */
export function parseTime(raw: unknown): number | null {
  if (typeof raw === 'string') {
    const t = plainIsoTime(raw);
    if (t >= 0) return t; // the common form, always in range
  }
  const t = readTime(raw);
  return typeof t === 'number' && t >= MIN_TIME && t <= MAX_TIME ? t : null;
}

/** Why parseTime(raw) is null, in words: "missing", "unparseable (…)", "out of range (…)", "not a real date (…)". */
export function badTimeReason(raw: unknown): string {
  if (raw === undefined) return 'missing';
  const text = (JSON.stringify(raw) ?? String(raw)).slice(0, 60);
  const t = readTime(raw);
  if (typeof t === 'number') return `out of range (${text}: not between years 0000 and 9999)`;
  return t === IMPOSSIBLE ? `not a real date or time (${text})` : `unparseable (${text})`;
}

const UNPARSEABLE = 'unparseable';
const IMPOSSIBLE = 'impossible';

/** The instant `raw` names (epoch ms, any magnitude, ±Infinity included), or why it names none. */
function readTime(raw: unknown): number | typeof UNPARSEABLE | typeof IMPOSSIBLE {
  if (typeof raw === 'number') return Number.isFinite(raw) ? (raw < 1e11 ? raw * 1000 : raw) : UNPARSEABLE;
  if (typeof raw !== 'string') return UNPARSEABLE;
  const s = raw.trim();
  if (s === '') return UNPARSEABLE;
  if (NUMBER.test(s)) return readTime(Number(s));
  const iso = isoTime(s);
  return iso !== undefined ? iso : otherTime(s);
}

/** A number as text (epoch seconds or milliseconds, exponents included: "1e16" is a number). */
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * ISO 8601 / RFC 3339 dates and date-times: `YYYY-MM-DD`, then optionally `T` or a space, hours
 * and minutes, seconds, a fraction, a zone (`Z`, `±HH`, `±HHMM`, `±HH:MM`). Years may be expanded
 * (`+YYYYYY`). Undefined for anything else.
 */
const ISO = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * An ISO time read field by field. Date.parse would read a time without a zone in the machine's
 * zone (the same log line a different instant on another host) and roll Feb 30 over to Mar 2;
 * here a zone-less time is UTC, and a day or time that does not exist is refused.
 */
function isoTime(s: string): number | typeof IMPOSSIBLE | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // Milliseconds: the fraction's first three digits (finer digits are dropped, as Date.parse does).
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  const endOfDay = hour === 24 && minute === 0 && second === 0 && ms === 0; // ISO's 24:00, the next midnight
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return IMPOSSIBLE;
  if ((hour > 23 && !endOfDay) || minute > 59 || second > 59) return IMPOSSIBLE;
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    const h = Number(digits.slice(0, 2));
    const mi = digits.length > 2 ? Number(digits.slice(2)) : 0;
    if (h > 23 || mi > 59) return IMPOSSIBLE;
    offset = (zone[0] === '-' ? -1 : 1) * (h * 60 + mi) * 60_000;
  }
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - offset; // NaN beyond Date's range: out of range either way
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Other forms, as Date.parse reads them ("Thu, 01 Oct 2026 12:00:00 GMT", "10/1/2026 12:00 PM"),
 * but UTC where the string names no zone (Date.parse would take the machine's).
 */
function otherTime(s: string): number | typeof UNPARSEABLE {
  const t = Date.parse(NAMES_ZONE.test(s) ? s : `${s} UTC`);
  return Number.isNaN(t) ? UNPARSEABLE : t;
}

/** A zone as Date.parse reads one: a name (Z, UT, UTC, GMT, the US zones; "12:00Z" too) or an offset after a space, a paren or GMT. */
const NAMES_ZONE = /(?:\b|\d)(?:z|ut|utc|gmt|[ecmp][sd]t)\b|(?:^|[\s)]|gmt|utc|ut)[+-]\d{1,2}(?::?\d{2})?\b/i;

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
