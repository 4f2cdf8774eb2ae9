/**
 * Triage (issue 17): an analyst's decision about a user or one of their events, kept as an audit
 * trail. Every decision is a record of its own, never an update, so the history shows who decided
 * what and when; a target's state is its newest record. Shared by the browser and the server.
 */
import { z } from 'zod';

export const TRIAGE_STATUSES = ['open', 'investigating', 'benign', 'compromised'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

/** What a decision is about: a user of a source, or one event of theirs (its index and id). */
export interface TriageTarget {
  source: string;
  user: string;
  event?: { index: string; id: string };
}

export interface TriageRecord {
  target: TriageTarget;
  status: TriageStatus;
  assignee?: string;
  note?: string;
  /**
   * A user marked compromised: since when (ISO 8601). Training leaves out the user's events from
   * then on while the user stays compromised (model/left_out.ts); default COMPROMISE_LOOKBACK_DAYS
   * before the decision.
   */
  since?: string;
  /**
   * An event marked benign: its pattern, the values of its top features as its scores said
   * (taken by the server from the event's `dfp` fields, never from the browser). Until `until`,
   * the user's events with the same values of all these features are not flagged
   * (server/engine/score/benign_suppression.ts).
   */
  pattern?: BenignPattern;
  /** When that suppression ends (ISO 8601): the decision + its days (default DEFAULTS.benignSuppressionDays). */
  until?: string;
  /** Who decided (the Kibana user, or the standalone server's user). */
  by: string;
  /** When (ISO 8601), set by the server. */
  at: string;
}

/** A benign event's top features and the value each had (`dfp.features.<name>.value`), largest z first. */
export type BenignPattern = { feature: string; value: string | number | null }[];

/** GET /sources/{source}/triage. */
export interface TriageResponse {
  source: string;
  /** Every decision, oldest first: the audit trail. */
  records: TriageRecord[];
  /** Each target's state: its newest decision. */
  current: TriageRecord[];
}

/** The longest a benign pattern may be suppressed for (a year: a benign trip is not forever). */
export const MAX_SUPPRESS_DAYS = 366;

const text = (max: number) => z.string().trim().min(1).max(max);

/** What an analyst sends: the target within the route's source, and the decision. */
export const triageDecisionSchema = z
  .object({
    user: text(1024),
    event: z.object({ index: text(255), id: text(512) }).strict().optional(),
    status: z.enum(TRIAGE_STATUSES),
    assignee: text(256).optional(),
    note: z.string().max(10_000).optional(),
    since: z.string().datetime({ offset: true }).optional(),
    /** An event marked benign: for how many days its pattern is not flagged (default: the server's setting). */
    suppressDays: z.number().positive().max(MAX_SUPPRESS_DAYS).optional(),
  })
  .strict()
  .refine((d) => d.suppressDays === undefined || (d.event !== undefined && d.status === 'benign'), {
    message: 'suppressDays is for an event marked benign',
    path: ['suppressDays'],
  });
export type TriageDecision = z.infer<typeof triageDecisionSchema>;

/** How far before the decision a compromise is taken to have started when the analyst does not say. */
export const COMPROMISE_LOOKBACK_DAYS = 7;

/** One string per target (for Maps: user names and ids are untrusted, never object keys). */
export function triageKey(target: TriageTarget): string {
  return JSON.stringify([target.source, target.user, target.event?.index ?? null, target.event?.id ?? null]);
}

/** Each target's newest record, from records in any order (ties: the later in the list wins). */
export function currentStates(records: Iterable<TriageRecord>): Map<string, TriageRecord> {
  const current = new Map<string, TriageRecord>();
  for (const r of records) {
    const key = triageKey(r.target);
    const seen = current.get(key);
    if (!seen || seen.at <= r.at) current.set(key, r);
  }
  return current;
}
