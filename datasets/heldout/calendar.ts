/**
 * The calendar a set lives in: 28 days to learn from, then the week to score. Sites keep one UTC
 * offset for the whole window (each organisation's window lies inside one daylight-saving season),
 * and every person's day is planned in their site's local time, then stamped in UTC.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Window {
  /** UTC midnight of the first training day (a Monday). */
  start: number;
  trainDays: number;
  testDays: number;
  /** UTC midnight of the first scored day. */
  testStart: number;
  /** Exclusive end of the scored week. */
  end: number;
  /**
   * The first day attacks are planned on (a local day, stamped by its UTC midnight): testStart,
   * or the day after where head office's day starts half a day or more before UTC (New Zealand),
   * since the first scored UTC day's local night and morning still lie in the weeks learnt from.
   */
  attacksFrom: number;
}

/** The window; `hqAheadOfUtc` is head office's smallest UTC offset in hours. */
export function windowOf(firstMonday: string, trainDays: number, testDays: number, hqAheadOfUtc = 0): Window {
  const start = Date.parse(`${firstMonday}T00:00:00Z`);
  if (Number.isNaN(start) || new Date(start).getUTCDay() !== 1) throw new Error(`${firstMonday} is not a Monday`);
  const testStart = start + trainDays * DAY;
  return { start, trainDays, testDays, testStart, end: start + (trainDays + testDays) * DAY, attacksFrom: testStart + (hqAheadOfUtc >= 12 ? DAY : 0) };
}

/** Every calendar day of the window, as its UTC midnight. */
export function daysOf(w: Window): number[] {
  const out: number[] = [];
  for (let t = w.start; t < w.end; t += DAY) out.push(t);
  return out;
}

export const isTestDay = (w: Window, day: number): boolean => day >= w.testStart;

/** 0 = Sunday … 6 = Saturday, of a UTC-midnight day. */
export const weekdayOf = (day: number): number => new Date(day).getUTCDay();

export const isWeekend = (day: number): boolean => {
  const d = weekdayOf(day);
  return d === 0 || d === 6;
};

/** The UTC instant of a local clock time (hours, may be fractional or past 24) on a calendar day. */
export const atLocal = (day: number, localHours: number, utcOffsetHours: number): number =>
  Math.round(day + (localHours - utcOffsetHours) * HOUR);

/** Local hour of day (0–24, fractional) of a UTC instant at an offset. */
export function localHourOf(t: number, utcOffsetHours: number): number {
  const h = ((t % DAY) / HOUR + utcOffsetHours) % 24;
  return h < 0 ? h + 24 : h;
}

/** `2026-11-03T08:15:02.123Z`. */
export const isoMillis = (t: number): string => new Date(t).toISOString();

/** Entra's own seven-digit form, `2026-11-03T08:15:02.1234567+00:00`. */
export function isoTicks(t: number, extraTicks: number): string {
  const base = new Date(t).toISOString().slice(0, 23);
  return `${base}${String(extraTicks % 10_000).padStart(4, '0')}+00:00`;
}

/** `20261103T081502Z`, as CloudTrail session contexts write creation dates. */
export const isoCompact = (t: number): string => new Date(t).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** The day (UTC midnight) an instant falls on. */
export const dayOf = (t: number): number => t - (((t % DAY) + DAY) % DAY);
