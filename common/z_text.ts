/**
 * A z-score (or a risk) written so it never reads as the other side of its threshold: rounding
 * 7.998 to "8.00" (or "8.0") beside "flagged at 8: 0" reads as a contradiction. Shared by the app
 * and the CLI's summaries.
 */

/** Most decimals shown; past them the value is cut toward its own side of the threshold. */
const MAX_DECIMALS = 4;

/**
 * `z` with `decimals` decimals, or more where those would round it across `threshold` (7.998
 * against 8: "7.998"); never a text at or above the threshold for a value below it, nor the reverse.
 */
export function zText(z: number, threshold?: number, decimals = 2): string {
  if (threshold === undefined || !Number.isFinite(threshold)) return z.toFixed(decimals);
  const above = z >= threshold;
  for (let d = decimals; d <= MAX_DECIMALS; d++) {
    const text = z.toFixed(d);
    if (Number(text) >= threshold === above) return text;
  }
  const f = 10 ** MAX_DECIMALS;
  return ((above ? Math.ceil(z * f) : Math.floor(z * f)) / f).toFixed(MAX_DECIMALS);
}
