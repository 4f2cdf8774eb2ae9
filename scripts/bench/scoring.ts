/**
 * File scoring throughput for the bench (`score_events_per_s`): `scoreEvents` over `items` with a
 * writer that drops the documents, timed `runs` times after one warm-up pass over all of them.
 *
 * The figure is the steady state of a long-lived scorer: models kept loaded between runs (the
 * model shelf; with scoring workers, each worker's own shelf), the scoring workers started, the
 * code optimized. The warm-up pass is the cold run (every model read and verified, workers
 * started): its own time is `firstSeconds`. The median is the figure: a run that happens to
 * include one of V8's full collections of the bench's large heap (the generated data set) takes
 * half again as long, and one run is a coin toss.
 */
import type { InputItem } from '../../server/engine/types';
import { scoreEvents, type ScoreOptions } from '../../server/engine/jobs/score';

export interface ScoreSpeed {
  events: number;
  /** Seconds of the warm-up pass (the cold run: models read, workers started). */
  firstSeconds: number;
  /** Seconds of each timed run. */
  seconds: number[];
  /** Events per second of the median run. */
  eventsPerSecond: number;
  /** Events per second of the fastest run. */
  bestEventsPerSecond: number;
}

export async function measureScoring(items: InputItem[], opts: ScoreOptions, runs = 3): Promise<ScoreSpeed> {
  const t = performance.now();
  await scoreEvents(items, opts, async () => {});
  const firstSeconds = (performance.now() - t) / 1000;
  const seconds: number[] = [];
  let events = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const summary = await scoreEvents(items, opts, async () => {});
    seconds.push((performance.now() - t0) / 1000);
    events = summary.events;
  }
  const sorted = [...seconds].sort((a, b) => a - b);
  return {
    events,
    firstSeconds,
    seconds,
    eventsPerSecond: events / sorted[Math.floor(sorted.length / 2)],
    bestEventsPerSecond: events / sorted[0],
  };
}
