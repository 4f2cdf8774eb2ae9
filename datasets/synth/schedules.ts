/**
 * Working-hour schedules of people: several shapes (office, early, late, flex, night shifts,
 * weekend workers), drawn per person and department, and which one applies on a given day.
 */
import type { Dept } from './apps';
import { clamp, Rng } from './rng';

export type ScheduleShape = 'office' | 'early' | 'late' | 'flex' | 'night' | 'weekend';

export interface Schedule {
  shape: ScheduleShape;
  /** Local hour the working day usually starts (night shifts: ~21). */
  start: number;
  /** Usual length of the working window, hours. */
  length: number;
  /** Day-to-day standard deviation of the start, hours. */
  jitter: number;
  /** Probability of working on each day of the week (0 = Sunday). */
  workdays: number[];
  /** Probability of an evening check on the phone. */
  eveningP: number;
}

const SHAPES: readonly (readonly [ScheduleShape, number])[] = [
  ['office', 0.57],
  ['early', 0.1],
  ['late', 0.1],
  ['flex', 0.13],
  ['night', 0.04],
  ['weekend', 0.06],
];

export function makeSchedule(rng: Rng, shape: ScheduleShape): Schedule {
  const weekday = (p: number, sat: number, sun: number) => [sun, p, p, p, p, p, sat];
  switch (shape) {
    case 'early':
      return { shape, start: clamp(rng.normal(6.3, 0.5), 5, 7.5), length: clamp(rng.normal(8.5, 0.7), 7, 10), jitter: rng.float(0.2, 0.6), workdays: weekday(0.96, rng.float(0, 0.1), rng.float(0, 0.06)), eveningP: rng.float(0, 0.25) };
    case 'late':
      return { shape, start: clamp(rng.normal(10.8, 0.7), 9.5, 13), length: clamp(rng.normal(9.5, 0.8), 8, 12), jitter: rng.float(0.4, 1.0), workdays: weekday(0.95, rng.float(0.02, 0.2), rng.float(0.02, 0.15)), eveningP: rng.float(0.2, 0.6) };
    case 'flex':
      return { shape, start: clamp(rng.normal(9, 1.3), 6, 13), length: clamp(rng.normal(11, 1.5), 8, 15), jitter: rng.float(1.2, 2.5), workdays: weekday(0.93, rng.float(0.05, 0.35), rng.float(0.05, 0.3)), eveningP: rng.float(0.3, 0.8) };
    case 'night': {
      // Shift work: four or five nights a week, not always Monday to Friday.
      const days = rng.shuffle([0, 1, 2, 3, 4, 5, 6]).slice(0, rng.int(4, 5));
      const w = [0, 0, 0, 0, 0, 0, 0].map((_, i) => (days.includes(i) ? 0.95 : 0.04));
      return { shape, start: clamp(rng.normal(21.5, 1), 19, 23.5), length: clamp(rng.normal(8.5, 0.6), 7, 10), jitter: rng.float(0.2, 0.7), workdays: w, eveningP: rng.float(0.1, 0.4) };
    }
    case 'weekend': {
      const off = rng.sample([1, 2, 3, 4], 2);
      const w = [0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95].map((p, i) => (off.includes(i) ? 0.05 : p));
      return { shape, start: clamp(rng.normal(9, 1.5), 6.5, 13), length: clamp(rng.normal(8.5, 0.8), 6, 10), jitter: rng.float(0.3, 1), workdays: w, eveningP: rng.float(0, 0.4) };
    }
    default:
      return { shape: 'office', start: clamp(rng.normal(8.6, 0.8), 6.5, 11), length: clamp(rng.normal(8.8, 0.9), 6.5, 11), jitter: rng.float(0.25, 1.0), workdays: weekday(0.96, rng.float(0.01, 0.12), rng.float(0.01, 0.08)), eveningP: rng.float(0, 0.5) };
  }
}

export function pickShape(rng: Rng, dept: Dept): ScheduleShape {
  if (dept === 'support' || dept === 'operations') {
    return rng.choose<ScheduleShape>([['office', 0.4], ['early', 0.12], ['late', 0.12], ['flex', 0.08], ['night', 0.13], ['weekend', 0.15]]);
  }
  return rng.choose(SHAPES);
}

export function scheduleOn(u: { schedules: { from: number; s: Schedule }[] }, day: number): Schedule {
  let s = (u.schedules[0] as { s: Schedule }).s;
  for (const c of u.schedules) if (c.from <= day) s = c.s;
  return s;
}
