/**
 * How people work: the patterns a team's rota or habits give them. A routine answers, for one
 * person and one calendar day, whether they work and between which local hours. Shift rotas
 * (four on, four off, days then nights) make weekends ordinary for some people; researchers drift
 * late and look in on the lab at weekends; part-timers keep fixed days; bank branches open on
 * alternate Saturdays (with a weekday off that week); contact-centre agents work five days in
 * seven with two days off that move on each week, so their weekends are ordinary too; plant crews
 * on a three-shift rotation work six mornings, six afternoons, six nights with two days off between;
 * hospital doctors on call take a 24-hour duty every sixth day (weekends included), rest the day
 * after, and work ordinary weekdays in between; airline crews fly five duty days then have four
 * off, a block of early reports followed by a block of late ones (nights at outstations: trips.ts).
 */
import type { Dice } from './dice';
import { DAY, weekdayOf } from './calendar';

export type RoutineName = 'office' | 'early' | 'late' | 'four-on-four-off' | 'researcher' | 'part-time' | 'field' | 'on-call-admin' | 'branch' | 'contact-centre' | 'three-shift' | 'on-call-24' | 'flight-crew';

export interface Shift {
  /** Local hours; end may pass 24 (a night shift ending next morning). */
  start: number;
  end: number;
  /** A short look-in rather than a working day (weekend lab check, on-call page). */
  lookIn?: boolean;
}

/** The person-level constants a routine needs (drawn once per person). */
export interface Habits {
  routine: RoutineName;
  /** Usual local start hour. */
  start: number;
  /** Usual hours worked. */
  length: number;
  /** Phase of a shift cycle (8 days for four-on-four-off, 24 for three-shift, 6 for on-call-24, 18 for flight-crew). */
  cyclePhase: number;
  /** Weekdays (0 = Sunday) a part-timer works. */
  fixedDays: readonly number[];
}

export function drawHabits(routine: RoutineName, dice: Dice): Habits {
  const base = { routine, cyclePhase: dice.between(0, 7), fixedDays: [] as number[] };
  switch (routine) {
    case 'office':
      return { ...base, start: dice.weighted([[7, 2], [7.5, 3], [8, 5], [8.5, 4], [9, 4], [9.5, 2], [10, 1]]), length: dice.uniform(7.5, 9.5) };
    case 'early':
      return { ...base, start: dice.uniform(5.5, 6.5), length: 8 };
    case 'late':
      return { ...base, start: dice.uniform(13.5, 14.5), length: 8 };
    case 'four-on-four-off':
      return { ...base, start: dice.one([6, 7]), length: 12 };
    case 'researcher':
      return { ...base, start: dice.uniform(9.5, 11.5), length: dice.uniform(8.5, 10.5) };
    case 'part-time':
      return { ...base, start: dice.uniform(8.5, 9.5), length: dice.uniform(5, 6.5), fixedDays: dice.one([[1, 2, 4], [1, 3, 4], [2, 3, 5], [1, 2, 3]]) };
    case 'field':
      return { ...base, start: dice.uniform(7.5, 9), length: dice.uniform(8, 10) };
    case 'on-call-admin':
      return { ...base, start: dice.uniform(8, 9.5), length: dice.uniform(8, 9.5) };
    case 'branch':
      return { ...base, start: dice.uniform(8.6, 9.1), length: 8 };
    case 'contact-centre':
      return { ...base, start: dice.weighted([[6, 2], [7, 2], [8, 3], [10, 2], [12, 2]]), length: 8.5 };
    case 'three-shift':
      return { ...base, cyclePhase: dice.between(0, 23), start: 6, length: 8 };
    case 'on-call-24':
      return { ...base, cyclePhase: dice.between(0, 5), start: dice.uniform(7.5, 8.25), length: dice.uniform(8, 9) };
    case 'flight-crew':
      return { ...base, cyclePhase: dice.between(0, 17), start: dice.uniform(4.75, 6.5), length: dice.uniform(8, 10.5) };
  }
}

/**
 * The shift a person works on a day, or null for a day off. `dice` is the person's dice for that
 * day, so the same day always comes out the same.
 */
export function shiftOn(h: Habits, day: number, windowStart: number, dice: Dice): Shift | null {
  const wd = weekdayOf(day);
  const weekday = wd >= 1 && wd <= 5;
  const jitter = (sd: number): number => dice.gauss(0, sd);
  switch (h.routine) {
    case 'office':
    case 'on-call-admin': {
      if (weekday) {
        if (dice.chance(0.03)) return null; // a sick or personal day
        const start = h.start + jitter(0.4);
        return { start, end: start + h.length + jitter(0.6) - (wd === 5 ? 1 : 0) };
      }
      // Admins get paged at weekends now and then; office people mostly do not work.
      if (h.routine === 'on-call-admin' && dice.chance(0.25)) {
        const at = dice.uniform(9, 22);
        return { start: at, end: at + dice.uniform(0.3, 1.5), lookIn: true };
      }
      return null;
    }
    case 'early':
    case 'late': {
      if (!weekday && !(wd === 6 && dice.chance(0.15))) return null;
      const start = h.start + jitter(0.15);
      return { start, end: start + h.length + jitter(0.25) };
    }
    case 'four-on-four-off': {
      // Day shifts for the first four days of the cycle, off four, then the next cycle is nights.
      const n = Math.floor((day - windowStart) / DAY) + h.cyclePhase;
      const inCycle = ((n % 16) + 16) % 16;
      if (inCycle % 8 >= 4) return null;
      const nights = inCycle >= 8;
      const start = (nights ? h.start + 12 : h.start) + jitter(0.1);
      return { start, end: start + h.length + jitter(0.2) };
    }
    case 'researcher': {
      if (!weekday) {
        if (!dice.chance(0.22)) return null;
        const at = dice.uniform(10, 18);
        return { start: at, end: at + dice.uniform(0.5, 2.5), lookIn: true };
      }
      if (dice.chance(0.05)) return null;
      const start = h.start + jitter(0.9);
      return { start, end: start + h.length + jitter(1.2) };
    }
    case 'part-time': {
      if (!h.fixedDays.includes(wd)) return null;
      const start = h.start + jitter(0.3);
      return { start, end: start + h.length + jitter(0.3) };
    }
    case 'field': {
      if (!weekday) return dice.chance(0.1) ? { start: 17, end: 18.5, lookIn: true } : null;
      const start = h.start + jitter(0.8);
      return { start, end: start + h.length + jitter(1) };
    }
    case 'branch': {
      // Every other Saturday morning at the branch, and that week's Wednesday off.
      const week = Math.floor((day - windowStart) / (7 * DAY));
      const saturdayWeek = (week + h.cyclePhase) % 2 === 0;
      if (wd === 6) return saturdayWeek ? { start: 8.75 + jitter(0.1), end: 13.25 + jitter(0.1) } : null;
      if (wd === 0 || (saturdayWeek && wd === 3)) return null;
      if (dice.chance(0.03)) return null;
      const start = h.start + jitter(0.15);
      // Thursday late opening.
      return { start, end: start + h.length + (wd === 4 ? 2 : 0) + jitter(0.2) };
    }
    case 'contact-centre': {
      // Two consecutive days off, moving one day later each week.
      const week = Math.floor((day - windowStart) / (7 * DAY));
      const firstOff = (h.cyclePhase + week) % 7;
      if (wd === firstOff || wd === (firstOff + 1) % 7) return null;
      if (dice.chance(0.04)) return null;
      const start = h.start + jitter(0.1);
      return { start, end: start + h.length + jitter(0.15) };
    }
    case 'three-shift': {
      // A forward rotation of eight-hour shifts: six mornings, two off, six afternoons, two off,
      // six nights (22:00 to 06:00), two off. Weekends are ordinary days on it.
      const n = Math.floor((day - windowStart) / DAY) + h.cyclePhase;
      const k = ((n % 24) + 24) % 24;
      if (k % 8 >= 6) return null;
      if (dice.chance(0.02)) return null;
      const start = h.start + 8 * Math.floor(k / 8) + jitter(0.1);
      return { start, end: start + h.length + jitter(0.15) };
    }
    case 'on-call-24': {
      // A six-day cycle: a 24-hour duty from the morning handover (any day of the week), the day
      // after off to rest, then ordinary clinic days on the weekdays among the other four.
      const n = Math.floor((day - windowStart) / DAY) + h.cyclePhase;
      const k = ((n % 6) + 6) % 6;
      if (k === 0) {
        const start = h.start + jitter(0.1);
        return { start, end: start + 24 + jitter(0.3) };
      }
      if (k === 1 || !weekday || dice.chance(0.03)) return null;
      const start = h.start + jitter(0.3);
      return { start, end: start + h.length + jitter(0.5) };
    }
    case 'flight-crew': {
      // Five duty days then four off, any day of the week; a block of early reports, then a block
      // of late ones (reporting about seven hours later). Weekends are ordinary days on it.
      const k = crewCycleDay(h, day, windowStart);
      if (k % 9 >= 5) return null;
      if (dice.chance(0.02)) return null;
      const start = h.start + (k >= 9 ? 7 : 0) + jitter(0.4);
      return { start, end: start + h.length + jitter(0.8) };
    }
  }
}

/** A crew member's day in their 18-day cycle (0–4 early duties, 9–13 late duties, the rest off). */
export function crewCycleDay(h: Habits, day: number, windowStart: number): number {
  const n = Math.floor((day - windowStart) / DAY) + h.cyclePhase;
  return ((n % 18) + 18) % 18;
}
