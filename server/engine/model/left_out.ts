import type { RawEvent } from '../types';
import { getField } from '../profiles/field_path';
import { COMPROMISE_LOOKBACK_DAYS, currentStates, type TriageRecord, type TriageStatus } from '../../../common/triage';
import { USER_RISK_MODEL } from '../score/risk_model';

/**
 * Poisoning resistance (issue 17): what an earlier run said about an event decides whether the
 * next training learns it. An intruder who stays a few days must not become the user's normal,
 * so an event that run scored at or above the threshold, or scored while its user's risk was
 * flagged, is left out, as is every event of a user an analyst marked compromised; an analyst's
 * "benign" overrides both (the trip was real: learn it). Events no run scored are learned.
 *
 * Read from the event's own `dfp` fields: a scored file fed back to `dfp train`, an index scored
 * in place, or (scores mode) the scores copy's fields joined onto the source event; and from the
 * analysts' marks on single events in the triage store (eventMarks), which win over the event's
 * own `dfp.triage.status`. An event a benign decision suppressed (`dfp.suppressed`: the same
 * pattern as an event marked benign) is learned like the marked one.
 */
export type LeftOutReason = 'marked compromised' | 'at or above the threshold' | 'in a flagged period';

export const LEFT_OUT_REASONS: readonly LeftOutReason[] = ['marked compromised', 'at or above the threshold', 'in a flagged period'];

/** The `dfp` fields the decision reads (what an Elasticsearch training read must fetch). */
export const LEFT_OUT_FIELDS = ['dfp.zscore', 'dfp.user_flagged', 'dfp.triage.status', 'dfp.suppressed'] as const;

/**
 * Whether training learns an event, and why not; `benign`: learned although flagged, because an
 * analyst said benign; `unvouched`: learned for now, no analyst spoke for it, so it is left out
 * after all if it falls in its user's flagged period (FlaggedPeriods). Scored or not: a source in
 * scores mode joins only its flagged copies, and an intrusion may begin before the run that
 * flagged it.
 */
export interface LearnDecision {
  leftOut?: LeftOutReason;
  benign?: boolean;
  unvouched?: boolean;
}

/**
 * Why `event` is not learned, or undefined to learn it. `threshold`: on dfp.zscore, the one in
 * force now. `compromisedFrom`: for a user an analyst marked compromised (compromisedSince), the
 * time (epoch ms) from which none of their events are learned; `time` is the event's.
 */
export function leftOutReason(event: RawEvent, threshold: number, compromisedFrom?: number, time?: number, mark?: TriageStatus): LeftOutReason | undefined {
  return learnDecision(event, threshold, compromisedFrom, time, mark).leftOut;
}

/** leftOutReason, and whether an analyst's benign (a mark, or a benign pattern's suppression) is why a flagged event is learned. `mark`: the event's state in the triage store. */
export function learnDecision(event: RawEvent, threshold: number, compromisedFrom?: number, time?: number, mark?: TriageStatus): LearnDecision {
  const own = getField(event, 'dfp.triage.status');
  const status = mark === 'benign' || mark === 'compromised' ? mark : own;
  const userCompromised = compromisedFrom !== undefined && time !== undefined && time >= compromisedFrom;
  const suppressed = getField(event, 'dfp.suppressed');
  const flagged = flaggedReason(event, threshold);
  if (status === 'benign') return flagged || userCompromised ? { benign: true } : {};
  if (status === 'compromised' || userCompromised) return { leftOut: 'marked compromised' };
  if (suppressed !== undefined && suppressed !== null) return flagged ? { benign: true } : {};
  return flagged ? { leftOut: flagged } : { unvouched: true };
}

function flaggedReason(event: RawEvent, threshold: number): LeftOutReason | undefined {
  const z = getField(event, 'dfp.zscore');
  if (typeof z === 'number' && z >= threshold) return 'at or above the threshold';
  if (getField(event, 'dfp.user_flagged') === true) return 'in a flagged period';
  return undefined;
}

/** Where an event is, as triage targets name it: its index (over files, the source's name) and id. */
export interface EventRef {
  index: string;
  id: string;
}

/** One string per event (Map key; ids are untrusted). */
export function eventRefKey(ref: EventRef): string {
  return JSON.stringify([ref.index, ref.id]);
}

/** Each marked event's state (its newest decision), by eventRefKey: what training reads for single events. */
export function eventMarks(records: Iterable<TriageRecord>): Map<string, TriageStatus> {
  const out = new Map<string, TriageStatus>();
  for (const r of currentStates(records).values()) if (r.target.event) out.set(eventRefKey(r.target.event), r.status);
  return out;
}

/**
 * Users whose state (their newest user-level decision) is compromised, and the time (epoch ms) from
 * which their events are not learned: the decision's `since`, else COMPROMISE_LOOKBACK_DAYS
 * before it. A later decision (benign: the account was cleaned up) ends it.
 */
export function compromisedSince(records: Iterable<TriageRecord>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of currentStates(records).values()) {
    if (r.target.event !== undefined || r.status !== 'compromised') continue;
    const since = r.since !== undefined ? Date.parse(r.since) : Date.parse(r.at) - COMPROMISE_LOOKBACK_DAYS * 86_400_000;
    if (Number.isFinite(since)) out.set(r.target.user, since);
  }
  return out;
}

/** A user's events left out of training, as the model keeps it: counts by reason and the first few. */
export interface LeftOut {
  events: number;
  byReason: Partial<Record<LeftOutReason, number>>;
  /** Events learned although an earlier run flagged them (or their user was marked compromised), because an analyst said benign. */
  benign?: number;
  /** The earliest left out (at most LEFT_OUT_EXAMPLES): the event id where the profile has one, its time, why. */
  examples: { id?: string; time: string; reason: LeftOutReason }[];
}

/** Events listed by name in a model; the rest are counted. */
export const LEFT_OUT_EXAMPLES = 20;

/** Every user's left-out events, kept while the training input is read. Users are untrusted: a Map. */
export class LeftOutLedger {
  private readonly users = new Map<string, LeftOut>();
  private total = 0;
  private benignTotal = 0;
  private readonly totals = new Map<LeftOutReason, number>();

  /** Counts a flagged event learned because an analyst said benign (learnDecision's `benign`). */
  learned(user: string): void {
    let entry = this.users.get(user);
    if (!entry) this.users.set(user, (entry = { events: 0, byReason: {}, examples: [] }));
    entry.benign = (entry.benign ?? 0) + 1;
    this.benignTotal += 1;
  }

  add(user: string, reason: LeftOutReason, time: number, id: string | undefined): void {
    let entry = this.users.get(user);
    if (!entry) this.users.set(user, (entry = { events: 0, byReason: {}, examples: [] }));
    entry.events += 1;
    entry.byReason[reason] = (entry.byReason[reason] ?? 0) + 1;
    entry.examples.push({ ...(id !== undefined ? { id } : {}), time: new Date(time).toISOString(), reason });
    // Input need not be in time order: keep the earliest.
    if (entry.examples.length > LEFT_OUT_EXAMPLES) {
      entry.examples.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      entry.examples.length = LEFT_OUT_EXAMPLES;
    }
    this.total += 1;
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + 1);
  }

  of(user: string): LeftOut | undefined {
    const entry = this.users.get(user);
    if (!entry) return undefined;
    entry.examples.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
    return entry;
  }

  /** The whole run's count, by reason (in LEFT_OUT_REASONS order, reasons that occurred). */
  summary(): { events: number; byReason: Partial<Record<LeftOutReason, number>>; benign?: number } {
    const byReason: Partial<Record<LeftOutReason, number>> = {};
    for (const r of LEFT_OUT_REASONS) if (this.totals.has(r)) byReason[r] = this.totals.get(r);
    return { events: this.total, byReason, ...(this.benignTotal > 0 ? { benign: this.benignTotal } : {}) };
  }
}

/**
 * How far either side of a flagged event its user's flagged period reaches: user risk's horizon,
 * the span over which the evidence that flags a user builds up and stays. An intruder's first
 * steps, before their risk crossed the threshold, and their quieter steps between flagged ones,
 * are in it; so are an innocent user's hours around a false alarm (learned once an analyst marks
 * them benign, or in a later training when no longer near a flag).
 */
export const FLAGGED_PERIOD_MS = USER_RISK_MODEL.horizonHours * 3_600_000;

/**
 * The flagged period around each user's flagged events (the whole training input read first):
 * unvouched events (LearnDecision.unvouched) within FLAGGED_PERIOD_MS of one are left out as "in
 * a flagged period". Measured on the demo generator (seed 7, 300 Entra ID users, 12
 * compromised): of a scored week's 179 attack events, 104 were left out by their own flags, 173
 * with the period; 5.9 % of the other events go with them (1.8 % before).
 */
export class FlaggedPeriods {
  private readonly flags = new Map<string, number[]>();

  /** A flagged event of `user` at `time` (epoch ms): left out for its score or flag. */
  flagged(user: string, time: number): void {
    const list = this.flags.get(user);
    if (list) list.push(time);
    else this.flags.set(user, [time]);
  }

  /** Sorts what was recorded; call once, after the last `flagged`, before `contains`. */
  seal(): this {
    for (const list of this.flags.values()) list.sort((a, b) => a - b);
    return this;
  }

  /** Whether `time` is within FLAGGED_PERIOD_MS of one of `user`'s flagged events. */
  contains(user: string, time: number): boolean {
    const list = this.flags.get(user);
    if (!list) return false;
    // The first flag at or after time − period: in the period if it is also at or before time + period.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < time - FLAGGED_PERIOD_MS) lo = mid + 1;
      else hi = mid;
    }
    return lo < list.length && list[lo] <= time + FLAGGED_PERIOD_MS;
  }
}
