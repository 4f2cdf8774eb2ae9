/**
 * Business trips: a few days working from a hotel in another country, on one's own laptop and
 * phone, at the destination's local hours. Frequent travellers (sales, leadership, field
 * scientists) also travel during the weeks learnt from, so travel itself is not new for them;
 * the scored week's trips always go to a country the person has not been to in the window.
 */
import { DAY, isWeekend, type Window } from './calendar';
import type { Dice } from './dice';
import { crewCycleDay } from './routines';
import type { OrgShape } from './organisations';
import type { Person } from './people';
import { NETWORKS, PLACES, type NetworkName } from './world';

export interface Trip {
  /** UTC midnight of the first day away. */
  from: number;
  days: number;
  network: NetworkName;
  inScoredWeek: boolean;
  /** A crew's night at an outstation (set 6): routine for them, in both periods, never drift. */
  layover?: boolean;
}

export type TripBook = Map<number, Trip[]>;

export function tripOn(book: TripBook, person: Person, day: number): Trip | undefined {
  return book.get(person.index)?.find((t) => day >= t.from && day < t.from + t.days * DAY);
}

function canTravel(p: Person): boolean {
  const deskBound = p.laptop.form === 'shared-terminal' || p.laptop.form === 'virtual-desktop';
  const rota = p.habits.routine === 'four-on-four-off' || p.habits.routine === 'contact-centre' || p.habits.routine === 'branch' || p.habits.routine === 'three-shift' || p.habits.routine === 'flight-crew';
  return p.kind === 'staff' && !p.sparse && p.hiredOn === undefined && !deskBound && !rota;
}

/**
 * Plans everyone's trips. `stayHome` are people who must not travel in the scored week (the
 * accounts attacks are planted on, so that every trip is benign by construction).
 */
export function planTrips(
  org: OrgShape,
  people: Person[],
  w: Window,
  stayHome: Set<number>,
  minScoredTrips: number,
  dice: Dice,
  /** Some of the travellers must come from here (people who use AWS, so CloudTrail sees trips too). */
  alsoFrom?: { people: Set<number>; atLeast: number },
): TripBook {
  const book: TripBook = new Map();
  const homeCountry = (p: Person): string => PLACES[p.site.place].cc;
  const abroad = (p: Person): NetworkName[] => org.destinations.filter((n) => NETWORKS[n].place.cc !== homeCountry(p));
  const add = (p: Person, trip: Trip): void => void book.set(p.index, [...(book.get(p.index) ?? []), trip]);

  for (const p of people.filter(canTravel)) {
    const d = dice.for('trips', p.index);
    if (p.team.travel >= 0.25 && d.chance(0.6)) {
      const from = w.start + d.between(0, w.trainDays - 6) * DAY;
      add(p, { from, days: d.between(2, 4), network: d.one(abroad(p)), inScoredWeek: false });
    }
  }
  const scoredTrip = (p: Person, d: Dice): Trip => {
    const seen = new Set((book.get(p.index) ?? []).map((t) => NETWORKS[t.network].place.cc));
    const options = abroad(p).filter((n) => !seen.has(NETWORKS[n].place.cc));
    let from = w.testStart + d.between(0, 3) * DAY;
    while (isWeekend(from)) from += DAY;
    const days = Math.min(d.between(2, 4), Math.round((w.end - from) / DAY));
    return { from, days, network: d.one(options.length > 0 ? options : abroad(p)), inScoredWeek: true };
  };
  const travellers = people.filter((p) => canTravel(p) && !stayHome.has(p.index));
  let scored = 0;
  for (const p of travellers) {
    const d = dice.for('scored-trip', p.index);
    if (d.chance(p.team.travel)) {
      add(p, scoredTrip(p, d));
      scored++;
    }
  }
  const travelling = (p: Person): boolean => (book.get(p.index) ?? []).some((t) => t.inScoredWeek);
  if (alsoFrom) {
    let among = travellers.filter((p) => alsoFrom.people.has(p.index) && travelling(p)).length;
    for (const p of dice.for('aws-trips').shuffled(travellers.filter((q) => alsoFrom.people.has(q.index)))) {
      if (among >= alsoFrom.atLeast) break;
      if (travelling(p)) continue;
      add(p, scoredTrip(p, dice.for('aws-trip', p.index)));
      among++;
      scored++;
    }
  }
  // Enough travellers to measure, drawn from everyone who could go.
  for (const p of dice.for('extra-trips').shuffled(travellers)) {
    if (scored >= minScoredTrips) break;
    if (travelling(p)) continue;
    add(p, scoredTrip(p, dice.for('extra-trip', p.index)));
    scored++;
  }
  return book;
}

/**
 * Airline crews' nights away (set 6): after a duty day with another duty the next morning, some
 * crews stay at an outstation and start the next day from its hotel (the crew's own iPad, the
 * outstation's hours). Routine for them, in the weeks learnt from and the scored week alike, so
 * never labelled as drift. Nothing for organisations without crews or outstations.
 */
export function planLayovers(org: OrgShape, people: Person[], w: Window, book: TripBook, dice: Dice): void {
  const outstations = org.outstations ?? [];
  if (outstations.length === 0) return;
  for (const p of people) {
    if (p.kind !== 'staff' || p.habits.routine !== 'flight-crew') continue;
    const d = dice.for('crew', p.index);
    for (let day = w.start; day < w.end - DAY; day += DAY) {
      const k = crewCycleDay(p.habits, day, w.start) % 9;
      if (k >= 4 || p.leave.has(day) || p.leave.has(day + DAY) || (p.hiredOn !== undefined && day < p.hiredOn)) continue;
      if (!d.chance(0.3)) continue;
      book.set(p.index, [...(book.get(p.index) ?? []), { from: day + DAY, days: 1, network: d.one(outstations), inScoredWeek: false, layover: true }]);
    }
  }
}
