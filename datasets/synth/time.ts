/**
 * Time helpers: milliseconds since the epoch everywhere, local time through a UTC offset that
 * follows real daylight-saving rules, so that a user's 9 o'clock moves by an hour in UTC when
 * their country changes its clocks (a real, benign drift inside a dataset that spans October).
 */

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export type DstRule = 'us' | 'eu' | 'au' | 'none';

/** UTC ms of the n-th (1-based) Sunday of a month (0-based month), at hh:00 UTC. */
function nthSunday(year: number, month: number, n: number, hh: number): number {
  const first = new Date(Date.UTC(year, month, 1));
  const offset = (7 - first.getUTCDay()) % 7;
  return Date.UTC(year, month, 1 + offset + 7 * (n - 1), hh);
}

function lastSunday(year: number, month: number, hh: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), hh);
}

const cache = new Map<string, [number, number]>();

/** [start, end) in UTC ms of summer time for a rule and year (for 'au' the end is in that year's April). */
function dstWindow(rule: DstRule, year: number, std: number): [number, number] {
  const key = `${rule}:${year}:${std}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let w: [number, number];
  if (rule === 'us') {
    // 2 a.m. local standard time: second Sunday of March to first Sunday of November.
    w = [nthSunday(year, 2, 2, 2 - std), nthSunday(year, 10, 1, 1 - std)];
  } else if (rule === 'eu') {
    // 01:00 UTC, last Sunday of March to last Sunday of October.
    w = [lastSunday(year, 2, 1), lastSunday(year, 9, 1)];
  } else if (rule === 'au') {
    // Southern hemisphere: summer time ends first Sunday of April, starts first Sunday of October.
    w = [nthSunday(year, 3, 1, 3 - std - 1), nthSunday(year, 9, 1, 2 - std)];
  } else {
    w = [0, 0];
  }
  cache.set(key, w);
  return w;
}

/** UTC offset in hours at time t for a zone with standard offset `std` and a DST rule. */
export function utcOffset(std: number, rule: DstRule, t: number): number {
  if (rule === 'none') return std;
  const year = new Date(t).getUTCFullYear();
  const [a, b] = dstWindow(rule, year, std);
  if (rule === 'au') {
    // a = end of summer time (April), b = start (October).
    return t < a || t >= b ? std + 1 : std;
  }
  return t >= a && t < b ? std + 1 : std;
}

export function iso(t: number): string {
  return new Date(t).toISOString();
}

/** Day of week (0 = Sunday) of the local calendar day that contains t. */
export function localDow(t: number, offsetHours: number): number {
  return new Date(t + offsetHours * HOUR).getUTCDay();
}

/** Local hour of day (fractional) at t. */
export function localHour(t: number, offsetHours: number): number {
  const h = ((t + offsetHours * HOUR) % DAY) / HOUR;
  return h < 0 ? h + 24 : h;
}
