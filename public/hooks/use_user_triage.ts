import { useMemo } from 'react';
import { triageKey, type TriageRecord, type TriageResponse } from '../../common/triage';
import { useApp } from '../app_context';
import { useRequest, type RequestState } from './use_request';

/** An event as triage decisions name it (its source index and id). */
export interface EventTarget {
  index: string;
  id: string;
}

/**
 * One user's triage decisions as the user page shows them: loaded once and shared by the Triage
 * panel (decisions about the user, and the history) and the events table (each event's state), so
 * a decision recorded in either shows in both: whoever records one calls `reload`.
 */
export interface UserTriage extends RequestState<TriageResponse | null> {
  /** The source the decisions are kept under (null: none in force, nothing to load). */
  source: string | null;
  /** The newest decision about the user themselves (not one of their events). */
  userState: TriageRecord | null;
  /** The newest decision about one of the user's events. */
  eventState(target: EventTarget): TriageRecord | undefined;
}

export function useUserTriage(source: string | null | undefined, user: string): UserTriage {
  const { api } = useApp();
  const of = source ?? null;
  const request = useRequest(async () => (of ? api.triage(of, user) : null), [api, of, user]);
  const current = request.data?.current;
  // Keys, not plain-object lookups: event ids are untrusted strings.
  const states = useMemo(() => {
    const byKey = new Map<string, TriageRecord>();
    for (const r of current ?? []) byKey.set(triageKey(r.target), r);
    return byKey;
  }, [current]);
  const userState = of ? (states.get(triageKey({ source: of, user })) ?? null) : null;
  const eventState = (event: EventTarget): TriageRecord | undefined => (of ? states.get(triageKey({ source: of, user, event })) : undefined);
  return { ...request, source: of, userState, eventState };
}
