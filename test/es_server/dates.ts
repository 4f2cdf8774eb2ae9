// Dates as Elasticsearch parses and prints them. Underneath a date is epoch nanoseconds (bigint);
// `date` fields keep milliseconds, `date_nanos` nanoseconds. Formats: the ISO names
// (strict_date_optional_time[_nanos] and kin), epoch_millis, epoch_second, simple Java patterns
// ("yyyy-MM-dd HH:mm:ss.SSS"), chained with "||". Date math: now, ||, +/-N unit, /unit.

export const NS_PER_MS = 1_000_000n;
export const LONG_MAX = 9223372036854775807n;
export const LONG_MIN = -9223372036854775808n;
export const DEFAULT_FORMAT: Record<string, string> = {
  date: 'strict_date_optional_time||epoch_millis',
  date_nanos: 'strict_date_optional_time_nanos||epoch_millis',
};

interface Fields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nano: number;
  offsetMinutes: number;
}

/** A parser reads a whole string or returns undefined; `roundUp` fills missing fields with their maximum. */
type Parser = (text: string, roundUp: boolean) => bigint | undefined;

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));
export const nanosToMillis = (nanos: bigint): bigint => floorDiv(nanos, NS_PER_MS);

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const daysInMonth = (y: number, m: number): number => daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);

function toNanos(f: Fields): bigint | undefined {
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month)) return undefined;
  if (f.hour > 23 || f.minute > 59 || f.second > 59) return undefined;
  const seconds = daysFromCivil(f.year, f.month, f.day) * 86400 + f.hour * 3600 + f.minute * 60 + f.second - f.offsetMinutes * 60;
  return BigInt(seconds) * 1_000_000_000n + BigInt(f.nano);
}

function fromNanos(nanos: bigint): Fields {
  const secs = floorDiv(nanos, 1_000_000_000n);
  const nano = Number(nanos - secs * 1_000_000_000n);
  const days = Number(floorDiv(secs, 86400n));
  const rest = Number(secs - BigInt(days) * 86400n);
  const [year, month, day] = civilFromDays(days);
  return { year, month, day, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60), second: rest % 60, nano, offsetMinutes: 0 };
}

/** "Z", "+01:00", "+0100", "+01" → minutes east of UTC. */
function zoneMinutes(z: string | undefined): number {
  if (!z || z === 'Z' || z === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(z)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/** Fraction digits ("828", "828456") → nanoseconds. */
const fractionNanos = (digits: string): number => Number(digits.padEnd(9, '0').slice(0, 9));

const ISO = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;

/** strict_date_optional_time and its relatives: yyyy[-MM[-dd['T'HH[:mm[:ss[.fraction]]][zone]]]]. */
const isoParser: Parser = (text, roundUp) => {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // Elasticsearch's round-up parser fills a missing month/day with 1 but a missing time with its maximum.
  return toNanos({
    year: Number(y),
    month: mo ? Number(mo) : 1,
    day: d ? Number(d) : 1,
    hour: h ? Number(h) : roundUp ? 23 : 0,
    minute: mi ? Number(mi) : roundUp ? 59 : 0,
    second: s ? Number(s) : roundUp ? 59 : 0,
    nano: frac ? fractionNanos(frac) : roundUp ? 999_999_999 : 0,
    offsetMinutes: zoneMinutes(zone),
  });
};

/** epoch_millis (fraction up to nanoseconds) and epoch_second. */
const epochParser = (unitNanos: bigint, maxFraction: number): Parser => (text) => {
  const m = /^(-?)(\d{1,19})(?:\.(\d+))?$/.exec(text);
  if (!m || (m[3] && m[3].length > maxFraction)) return undefined;
  const whole = BigInt(m[2]) * unitNanos + BigInt(m[3] ? m[3].padEnd(maxFraction, '0') : 0) * (unitNanos / 10n ** BigInt(maxFraction));
  const value = m[1] ? -whole : whole;
  return value > LONG_MAX * NS_PER_MS ? undefined : value;
};

const ISO_NAMES = new Set([
  'strict_date_optional_time', 'date_optional_time', 'strict_date_optional_time_nanos', 'strict_date_time', 'date_time',
  'strict_date_time_no_millis', 'date_time_no_millis', 'strict_date', 'date', 'strict_date_hour_minute_second',
  'date_hour_minute_second', 'strict_date_hour_minute_second_millis', 'date_hour_minute_second_millis', 'iso8601',
]);

/** A Java DateTimeFormatter pattern as a list of tokens: [letter run] or a literal. */
function patternTokens(pattern: string): { field?: string; width: number; literal?: string }[] {
  const out: { field?: string; width: number; literal?: string }[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      out.push({ literal: pattern.slice(i + 1, end < 0 ? pattern.length : end), width: 0 });
      i = end < 0 ? pattern.length : end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      out.push({ field: c, width: j - i });
      i = j;
    } else {
      out.push({ literal: c, width: 0 });
      i++;
    }
  }
  return out;
}

const FIELD_REGEX: Record<string, (w: number) => string> = {
  y: (w) => (w === 2 ? '(\\d{2})' : '(\\d{4})'),
  u: (w) => (w === 2 ? '(\\d{2})' : '(\\d{4})'),
  M: (w) => (w === 1 ? '(\\d{1,2})' : '(\\d{2})'),
  d: (w) => (w === 1 ? '(\\d{1,2})' : '(\\d{2})'),
  H: (w) => (w === 1 ? '(\\d{1,2})' : '(\\d{2})'),
  m: (w) => (w === 1 ? '(\\d{1,2})' : '(\\d{2})'),
  s: (w) => (w === 1 ? '(\\d{1,2})' : '(\\d{2})'),
  S: (w) => `(\\d{${w}})`,
  X: () => '(Z|[+-]\\d{2}(?::?\\d{2})?)',
  Z: () => '([+-]\\d{2}:?\\d{2}|Z)',
  x: () => '([+-]\\d{2}(?::?\\d{2})?)',
};

function patternParser(pattern: string): Parser | undefined {
  const tokens = patternTokens(pattern);
  let re = '';
  const fields: string[] = [];
  for (const t of tokens) {
    if (t.field === undefined) re += t.literal!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (FIELD_REGEX[t.field]) {
      re += FIELD_REGEX[t.field](t.width);
      fields.push(t.field);
    } else return undefined;
  }
  const regex = new RegExp(`^${re}$`);
  return (text, roundUp) => {
    const m = regex.exec(text);
    if (!m) return undefined;
    const got: Record<string, string> = {};
    fields.forEach((f, i) => (got[f] = m[i + 1]));
    const year = got.y ?? got.u;
    return toNanos({
      year: year === undefined ? 1970 : year.length === 2 ? 2000 + Number(year) : Number(year),
      month: got.M ? Number(got.M) : 1,
      day: got.d ? Number(got.d) : 1,
      hour: got.H ? Number(got.H) : roundUp ? 23 : 0,
      minute: got.m ? Number(got.m) : roundUp ? 59 : 0,
      second: got.s ? Number(got.s) : roundUp ? 59 : 0,
      nano: got.S ? fractionNanos(got.S) : roundUp ? 999_999_999 : 0,
      offsetMinutes: zoneMinutes(got.X ?? got.Z ?? got.x),
    });
  };
}

const parsers = new Map<string, Parser[] | undefined>();

/** The parsers of a format ("a||b"); undefined when a part is not a format this server knows. */
function formatParsers(format: string): Parser[] | undefined {
  if (parsers.has(format)) return parsers.get(format);
  const list: Parser[] = [];
  for (const part of format.split('||')) {
    const name = part.trim();
    const p = ISO_NAMES.has(name) ? isoParser : name === 'epoch_millis' ? epochParser(NS_PER_MS, 6) : name === 'epoch_second' ? epochParser(1_000_000_000n, 9) : patternParser(name);
    if (!p) {
      parsers.set(format, undefined);
      return undefined;
    }
    list.push(p);
  }
  parsers.set(format, list);
  return list;
}

/** Epoch nanoseconds of a date value (string, or number read as its text) in `format`; undefined if it does not parse. */
export function parseDate(value: unknown, format: string, roundUp = false): bigint | undefined {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') return undefined;
  const text = typeof value === 'number' ? numberText(value) : String(value);
  for (const p of formatParsers(format) ?? []) {
    const v = p(text, roundUp);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A JSON number as Java prints it into a parser's text: integers plainly, no exponent for ordinary values. */
const numberText = (n: number): string => (Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n));

/** Whether `format` names only formats this server can read. */
export const knownFormat = (format: string): boolean => formatParsers(format) !== undefined;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

function isoPrint(f: Fields, minFraction: number, maxFraction: number): string {
  let frac = pad(f.nano, 9).slice(0, maxFraction);
  while (frac.length > minFraction && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}.${frac}Z`;
}

function epochPrint(nanos: bigint, unitNanos: bigint): string {
  const whole = floorDiv(nanos, unitNanos);
  const rest = nanos - whole * unitNanos;
  if (rest === 0n) return whole.toString();
  const digits = unitNanos.toString().length - 1;
  return `${whole}.${rest.toString().padStart(digits, '0').replace(/0+$/, '')}`;
}

function patternPrint(pattern: string, f: Fields): string {
  const values: Record<string, number> = { y: f.year, u: f.year, M: f.month, d: f.day, H: f.hour, m: f.minute, s: f.second };
  return patternTokens(pattern)
    .map((t) => {
      if (t.field === undefined) return t.literal!;
      if (t.field === 'S') return pad(f.nano, 9).slice(0, t.width);
      if (t.field === 'X' || t.field === 'Z' || t.field === 'x') return t.field === 'X' ? 'Z' : '+0000';
      const v = values[t.field];
      return t.width === 2 && (t.field === 'y' || t.field === 'u') ? pad(v % 100, 2) : pad(v, t.width);
    })
    .join('');
}

/** Prints epoch nanoseconds with the first format of `format`. */
export function formatDate(nanos: bigint, format: string): string {
  const name = format.split('||')[0].trim();
  if (name === 'epoch_millis') return epochPrint(nanos, NS_PER_MS);
  if (name === 'epoch_second') return epochPrint(nanos, 1_000_000_000n);
  const f = fromNanos(nanos);
  if (name === 'strict_date_optional_time_nanos') return isoPrint(f, 3, 9);
  if (ISO_NAMES.has(name)) return isoPrint(f, 3, 3);
  return patternPrint(name, f);
}

const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 36e5, H: 36e5, d: 864e5, w: 6048e5 };

/** Adds `n` units to epoch millis (months and years by the calendar). */
function addUnits(ms: number, n: number, unit: string): number {
  if (unit === 'M' || unit === 'y') {
    const d = new Date(ms);
    if (unit === 'M') d.setUTCMonth(d.getUTCMonth() + n);
    else d.setUTCFullYear(d.getUTCFullYear() + n);
    return d.getTime();
  }
  return ms + n * UNIT_MS[unit];
}

/** Rounds epoch millis down to the start of its `unit` (weeks start on Monday). */
function roundDown(ms: number, unit: string): number {
  const d = new Date(ms);
  switch (unit) {
    case 'y':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
    case 'M':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'w': {
      const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
      return day - ((d.getUTCDay() + 6) % 7) * 864e5;
    }
    default:
      return Math.floor(ms / UNIT_MS[unit]) * UNIT_MS[unit];
  }
}

/**
 * A date with optional math ("now-1d/d", "2020-01-01||+1M", a plain date) to epoch nanoseconds, as
 * range queries read their bounds: `roundUp` (gt, lte) rounds "/unit" to the unit's last millisecond
 * and fills missing time fields with their maximum.
 */
export function parseDateMath(value: unknown, format: string, roundUp: boolean, nowMs = Date.now()): bigint | undefined {
  if (typeof value !== 'string') return parseDate(value, format, roundUp);
  let anchor: bigint | undefined;
  let math: string;
  if (value.startsWith('now')) {
    anchor = BigInt(nowMs) * NS_PER_MS;
    math = value.slice(3);
  } else {
    const at = value.indexOf('||');
    if (at < 0) return parseDate(value, format, roundUp);
    anchor = parseDate(value.slice(0, at), format, false);
    math = value.slice(at + 2);
  }
  if (anchor === undefined) return undefined;
  const subMs = anchor - nanosToMillis(anchor) * NS_PER_MS;
  let ms = Number(nanosToMillis(anchor));
  let rounded = false;
  const step = /([+-])(\d+)([yMwdhHms])|\/([yMwdhHms])/y;
  for (let i = 0; i < math.length; ) {
    step.lastIndex = i;
    const m = step.exec(math);
    if (!m) return undefined;
    if (m[4]) {
      ms = roundDown(ms, m[4]);
      if (roundUp) ms = addUnits(ms, 1, m[4]) - 1;
      rounded = true;
    } else ms = addUnits(ms, (m[1] === '-' ? -1 : 1) * Number(m[2]), m[3]);
    i = step.lastIndex;
  }
  // Elasticsearch rounds up to the unit's last millisecond, also for date_nanos.
  return BigInt(ms) * NS_PER_MS + (rounded ? 0n : subMs);
}
