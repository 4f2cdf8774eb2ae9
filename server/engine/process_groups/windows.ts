/**
 * Groups process start events into per-key (host or user) tumbling windows and counts the
 * processes started in each: the unit the process-group fingerprint learns and scores.
 */

export interface ProcessWindow {
  key: string;
  /** Window start, epoch ms (a multiple of the window length since the epoch). */
  start: number;
  /** Exclusive end, epoch ms. */
  end: number;
  /** Process name → number of starts in this window. */
  counts: Map<string, number>;
  /** Indices into the input array of the events in this window, in input order. */
  eventIndices: number[];
}

/**
 * Tumbling windows aligned to epoch multiples of `windowMinutes` (so the same hour is the same
 * window in training and in scoring, whatever the data's first event). Windows come out sorted by
 * key, then start; only windows with at least one event exist. Events with a non-finite time
 * belong to no window (the profile step rejects them before this).
 */
export function windowProcessEvents(
  events: { time: number; key: string; process: string }[],
  windowMinutes: number,
): ProcessWindow[] {
  if (!(windowMinutes > 0) || !Number.isFinite(windowMinutes)) {
    throw new RangeError(`windowMinutes must be > 0, got ${windowMinutes}`);
  }
  const ms = windowMinutes * 60_000;
  const byKey = new Map<string, Map<number, ProcessWindow>>();
  events.forEach((e, i) => {
    if (!Number.isFinite(e.time)) return;
    const start = Math.floor(e.time / ms) * ms;
    let windows = byKey.get(e.key);
    if (!windows) byKey.set(e.key, (windows = new Map()));
    let w = windows.get(start);
    if (!w) windows.set(start, (w = { key: e.key, start, end: start + ms, counts: new Map(), eventIndices: [] }));
    w.counts.set(e.process, (w.counts.get(e.process) ?? 0) + 1);
    w.eventIndices.push(i);
  });
  const out: ProcessWindow[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const windows = byKey.get(key)!;
    for (const start of [...windows.keys()].sort((a, b) => a - b)) out.push(windows.get(start)!);
  }
  return out;
}
