/**
 * File scoring throughput for the bench (`score_events_per_s`): `scoreEvents` over `items` with a
 * writer that drops the documents, after one warm-up call on the first 500 items, timed `runs`
 * times. The median is the figure: a run that happens to include one of V8's full collections of
 * the bench's large heap (the generated data set) takes half again as long, and one run is a coin
 * toss. Models are read from the store on every run, as a scoring job does.
 */
import type { InputItem } from '../../server/engine/types';
import { scoreEvents, type ScoreOptions } from '../../server/engine/jobs/score';

export interface ScoreSpeed {
  events: number;
  /** Seconds of each timed run. */
  seconds: number[];
  /** Events per second of the median run. */
  eventsPerSecond: number;
  /** Events per second of the fastest run. */
  bestEventsPerSecond: number;
}

export async function measureScoring(items: InputItem[], opts: ScoreOptions, runs = 3): Promise<ScoreSpeed> {
  await scoreEvents(items.slice(0, 500), opts, async () => {});
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
    seconds,
    eventsPerSecond: events / sorted[Math.floor(sorted.length / 2)],
    bestEventsPerSecond: events / sorted[0],
  };
}
