/** The time range the app shows: its default, and the quick picks offered by the date picker. */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface RangeInput {
  /** Date math (now-24h), ISO or epoch ms, as the API accepts. */
  from: string;
  to: string;
}

export const LAST_24H: RangeInput = { from: 'now-24h', to: 'now' };

/**
 * Where the app opens when the URL names no range: the last 24 hours, unless the newest scored
 * event is older than that (replayed or archived data, a paused pipeline), in which case the
 * seven days up to the newest event, so an analyst sees data rather than an empty page.
 */
export function defaultRange(newestEvents: (string | null | undefined)[], now: number): RangeInput {
  const newest = Math.max(...newestEvents.map((t) => (t ? Date.parse(t) : NaN)).filter(Number.isFinite));
  if (!Number.isFinite(newest) || newest >= now - DAY) return LAST_24H;
  // One minute past the newest event: the range is half-open, [from, to).
  const to = Math.ceil((newest + 60_000) / 60_000) * 60_000;
  return { from: new Date(to - 7 * DAY).toISOString(), to: new Date(to).toISOString() };
}

/** The range that ends at the newest event: offered by empty states when the range holds no data. */
export function rangeEndingAt(newestEvent: string, days = 7): RangeInput | null {
  const t = Date.parse(newestEvent);
  if (!Number.isFinite(t)) return null;
  const to = Math.ceil((t + 60_000) / 60_000) * 60_000;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

export const COMMONLY_USED_RANGES: { start: string; end: string; label: string }[] = [
  { start: 'now-1h', end: 'now', label: 'Last hour' },
  { start: 'now-24h', end: 'now', label: 'Last 24 hours' },
  { start: 'now-7d', end: 'now', label: 'Last 7 days' },
  { start: 'now-30d', end: 'now', label: 'Last 30 days' },
  { start: 'now-90d', end: 'now', label: 'Last 90 days' },
];
