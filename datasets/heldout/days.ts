/**
 * A person's day, decided once and seen by both logs: whether they work, between which local
 * hours, and from where (the office, home, the road, a hotel abroad). The Entra sign-ins and the
 * AWS calls of the same person on the same day come from the same place.
 */
import type { Window } from './calendar';
import type { Dice } from './dice';
import type { OrgShape } from './organisations';
import type { Person } from './people';
import { shiftOn, type Shift } from './routines';
import { tripOn, type Trip, type TripBook } from './trips';
import { addressIn, NETWORKS, PLACES, type Network } from './world';

export type Where = 'office' | 'home' | 'road' | 'hotel';

export interface Life {
  org: OrgShape;
  window: Window;
  trips: TripBook;
  dice: Dice;
}

export interface DayPlan {
  day: number;
  /** null: not working (weekend, leave, off shift, not yet hired). */
  shift: Shift | null;
  where: Where;
  /** UTC offset of where the person is. */
  offset: number;
  trip?: Trip;
  onLeave: boolean;
}

export interface Connection {
  network: Network;
  ip: string;
  namedLocation?: string;
}

export function planDay(p: Person, day: number, life: Life): DayPlan {
  const d = life.dice.for('day', p.index, day);
  const trip = tripOn(life.trips, p, day);
  const place = trip ? NETWORKS[trip.network].place : PLACES[p.site.place];
  const offset = place.offset[life.org.season];
  const hired = p.hiredOn === undefined || day >= p.hiredOn;
  const onLeave = p.leave.has(day);
  const shift = !hired || onLeave || siteClosed(p, day) ? null : shiftOn(p.habits, day, life.window.start, d);
  let where: Where;
  if (trip) where = 'hotel';
  else if (!shift || shift.lookIn) where = 'home';
  else if (p.laptop.form === 'shared-terminal') where = 'office';
  else if (p.habits.routine === 'field') where = d.weighted([['office', 0.35], ['home', 0.25], ['road', 0.4]] as const);
  else where = d.chance(p.team.remote) ? 'home' : 'office';
  return { day, shift, where, offset, trip, onLeave };
}

/** The network a laptop reaches the internet through, from where the person is. */
export function laptopConnection(p: Person, plan: DayPlan, life: Life, d: Dice): Connection {
  const site = p.site;
  const pool = life.org.virtualDesktops;
  if (p.laptop.form === 'virtual-desktop' && pool) {
    // A cloud desktop leaves through its host pool's few gateway addresses, wherever its user sits.
    const net = NETWORKS[pool.network];
    return { network: net, ip: `${net.prefixes[0]}.${30 + d.between(0, 3)}`, namedLocation: pool.namedLocation };
  }
  switch (plan.where) {
    case 'office': {
      const net = NETWORKS[site.office];
      // A site's few NAT addresses.
      return { network: net, ip: `${net.prefixes[0]}.${10 + d.between(0, 3)}`, namedLocation: site.namedLocation };
    }
    case 'home': {
      if (site.edges) {
        // Remote traffic leaves through the secure web gateway; now and then through a fallback data centre.
        const edge = NETWORKS[d.chance(0.94) ? site.edges[0] : (site.edges[1] ?? 'zscalerFrankfurt')];
        return { network: edge, ip: addressIn(edge, d) };
      }
      return { network: NETWORKS[p.home], ip: p.homeAddress };
    }
    case 'road': {
      const net = NETWORKS[site.mobile];
      return { network: net, ip: addressIn(net, d) };
    }
    case 'hotel': {
      const net = NETWORKS[plan.trip?.network ?? site.office];
      return { network: net, ip: addressIn(net, life.dice.for('hotel', p.index, plan.trip?.from ?? 0)) };
    }
  }
}

export const isHired = (p: Person, day: number): boolean => p.hiredOn === undefined || day >= p.hiredOn;

/** Whether the person's site is shut on a day (a holiday shutdown). */
export const siteClosed = (p: Person, day: number): boolean => p.site.closed?.includes(new Date(day).toISOString().slice(0, 10)) === true;
