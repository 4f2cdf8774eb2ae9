/**
 * Times as Kibana's time picker sends them: ISO dates, epoch milliseconds, or date math relative
 * to now ("now", "now-15m", "now-7d", "now/d", "now-1d/d").
 */
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Epoch ms for `value`, or null when it is none of the forms above. `roundUp` rounds "/d" to the end of the day (for range ends). */
export function parseDateMath(value: string, now: number, roundUp = false): number | null {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const math = /^now(?:([+-])(\d+)([smhdwMy]))?(?:\/([smhdwMy]))?$/.exec(text);
  if (!math) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : null;
  }
  let t = now;
  const [, sign, amount, unit, round] = math;
  if (sign) t = shift(t, (sign === '-' ? -1 : 1) * Number(amount), unit);
  if (round) t = roundTo(t, round, roundUp);
  return t;
}

function shift(t: number, n: number, unit: string): number {
  if (unit === 'M' || unit === 'y') {
    const d = new Date(t);
    d.setUTCMonth(d.getUTCMonth() + (unit === 'y' ? 12 * n : n));
    return d.getTime();
  }
  return t + n * UNIT_MS[unit];
}

/** UTC rounding: down to the start of the unit, or up to its last millisecond. */
function roundTo(t: number, unit: string, up: boolean): number {
  const d = new Date(t);
  if (unit === 'y') d.setUTCMonth(0, 1);
  if (unit === 'M' || unit === 'y') d.setUTCDate(1);
  if (unit === 'w') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); // weeks start on Monday
  if (unit !== 's' && unit !== 'm' && unit !== 'h') d.setUTCHours(0, 0, 0, 0);
  else if (unit === 'h') d.setUTCMinutes(0, 0, 0);
  else if (unit === 'm') d.setUTCSeconds(0, 0);
  else d.setUTCMilliseconds(0);
  const start = d.getTime();
  return up ? shift(start, 1, unit) - 1 : start;
}
