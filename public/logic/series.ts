/** Chart data from API answers: what @elastic/charts draws, built where it can be tested. */
import type { OverviewResponse, ScoredEventDoc } from '../../common/api';

export interface OverTimePoint {
  x: number;
  events: number;
  flagged: number;
}

/** Events and flagged events per bucket, as epoch-ms points (buckets with unparseable times dropped). */
export function overTimeSeries(overview: OverviewResponse): OverTimePoint[] {
  return overview.overTime
    .map((b) => ({ x: Date.parse(b.time), events: b.events, flagged: b.flagged }))
    .filter((p) => Number.isFinite(p.x));
}

export interface SparkPoint {
  x: number;
  y: number | null;
}

/** A user's sparkline: bucket index against max z; empty buckets stay null (a gap, not a zero). */
export function sparklinePoints(sparkline: (number | null)[]): SparkPoint[] {
  return sparkline.map((y, x) => ({ x, y: y === null || !Number.isFinite(y) ? null : y }));
}

export interface ZPoint {
  x: number;
  y: number;
  flagged: boolean;
  /** Index of the source event in the list given, to open it from the chart. */
  i: number;
}

/**
 * dfp.zscore over time, oldest first; events without a score (dfp.error) are left out.
 * `flagged` is judged against the threshold in force, as the API's "flagged" is: an event a benign
 * decision suppressed (dfp.suppressed) keeps its score but is not flagged.
 */
export function zscoreTimeline(events: ScoredEventDoc[], threshold: number): ZPoint[] {
  return timeline(events, (e) => e.dfp.zscore, threshold, (e) => !e.dfp.suppressed);
}

/** The time-series check's residual z (dfp.ts_zscore) over time, against its own threshold. */
export function tsTimeline(events: ScoredEventDoc[], tsThreshold: number): ZPoint[] {
  return timeline(events, (e) => e.dfp.ts_zscore, tsThreshold);
}

function timeline(events: ScoredEventDoc[], z: (e: ScoredEventDoc) => number | undefined, threshold: number, flaggable: (e: ScoredEventDoc) => boolean = () => true): ZPoint[] {
  const points: ZPoint[] = [];
  events.forEach((e, i) => {
    const x = Date.parse(e.time);
    const y = z(e);
    if (Number.isFinite(x) && y !== undefined && Number.isFinite(y)) points.push({ x, y, flagged: y >= threshold && flaggable(e), i });
  });
  return points.sort((a, b) => a.x - b.x || a.i - b.i);
}

/** Upper end of a z axis: the data's maximum or the threshold, with headroom so the line shows. */
export function zDomainMax(values: number[], threshold: number): number {
  const top = Math.max(threshold, ...values.filter(Number.isFinite));
  return Math.ceil(top * 1.1 * 10) / 10;
}

/**
 * Lower end of a z axis: 0, or below the lowest value with the same headroom. dfp.zscore is
 * measured from the user's median, so ordinary events score below 0; an axis from 0 hid them.
 */
export function zDomainMin(values: number[]): number {
  const low = Math.min(0, ...values.filter(Number.isFinite));
  return low < 0 ? Math.floor(low * 1.1 * 10) / 10 : 0;
}

/** Training loss per epoch, for the model panel. */
export function lossSeries(lossHistory: number[]): { x: number; y: number }[] {
  return lossHistory.map((y, i) => ({ x: i + 1, y }));
}
