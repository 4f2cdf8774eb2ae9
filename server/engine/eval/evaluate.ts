import type { DfpFields } from '../../../common/fields';
import type { Profile } from '../profiles';
import { eventIdOf } from '../features/extract';
import { readEvents } from '../io/read_events';
import { qualityReport, type QualityReport } from './metrics';

/** Which events are attacks and which users were compromised (the demo writes this as truth.json). */
export interface Truth {
  compromisedUsers: string[];
  attackEventIds: string[];
}

/**
 * Reads a scored output and measures it against the truth: events ranked by dfp.zscore, users by
 * their highest dfp.zscore, flags from dfp.is_anomaly. Events with dfp.error rank lowest.
 */
export async function evaluateScored(scoredPaths: string | string[], truth: Truth, profile: Profile): Promise<QualityReport> {
  const attacks = new Set(truth.attackEventIds);
  const events = [];
  for await (const item of readEvents(scoredPaths)) {
    if (item.kind !== 'event') continue;
    const dfp = item.event.dfp as DfpFields | undefined;
    if (!dfp?.user) continue;
    const id = eventIdOf(item.event, profile);
    events.push({
      user: dfp.user,
      score: dfp.zscore ?? -Infinity,
      flagged: dfp.is_anomaly === true,
      attack: id !== undefined && attacks.has(id),
    });
  }
  return qualityReport(events, new Set(truth.compromisedUsers));
}

export function formatQuality(q: QualityReport): string {
  const pct = (v: number): string => (Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  return [
    `events: ROC AUC ${q.eventAuc.toFixed(4)} over ${q.events} events (${q.attackEvents} attack events)`,
    `users:  ROC AUC ${q.userAuc.toFixed(4)} over ${q.users} users (${q.compromisedUsers} compromised)`,
    `flags:  ${pct(q.flagPrecision)} of flagged events are attacks; ${pct(q.flagRecall)} of attack events flagged`,
    `users flagged: ${pct(q.compromisedUsersFlagged)} of compromised, ${pct(q.innocentUsersFlagged)} of innocent`,
  ].join('\n');
}
