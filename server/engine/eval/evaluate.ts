import { promises as fs } from 'node:fs';
import { z } from 'zod';
import type { DfpFields } from '../../../common/fields';
import type { Profile } from '../profiles';
import { eventIdOf } from '../features/extract';
import { readEvents } from '../io/read_events';
import { qualityReport, type QualityReport } from './metrics';

/** Which events are attacks and which users were compromised (the demo writes this as truth.json). */
const TruthSchema = z.object({
  compromisedUsers: z.array(z.string()),
  attackEventIds: z.array(z.string()),
});
export type Truth = z.infer<typeof TruthSchema>;

export async function readTruth(file: string): Promise<Truth> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read truth file ${file}: ${(err as Error).message}`);
  }
  const parsed = TruthSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`truth file ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Reads a scored output and measures it against the truth: events ranked by dfp.zscore, users by
 * their highest dfp.user_risk and flagged by any dfp.user_flagged (an output without user risk: by
 * their highest dfp.zscore and any dfp.is_anomaly), event flags from dfp.is_anomaly. Events with
 * dfp.error rank lowest.
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
      ...(typeof dfp.user_risk === 'number' ? { userRisk: dfp.user_risk } : {}),
      ...(typeof dfp.user_flagged === 'boolean' ? { userFlagged: dfp.user_flagged } : {}),
    });
  }
  // Compromised = whoever the scorer keyed the planted attack events to (a profile may key people
  // other than the generator named them: an SSO session rather than its role), plus the truth's
  // names that appear as users.
  const seen = new Set(events.map((e) => e.user));
  const compromised = new Set(events.filter((e) => e.attack).map((e) => e.user));
  for (const user of truth.compromisedUsers) if (seen.has(user)) compromised.add(user);
  return qualityReport(events, compromised);
}

export function formatQuality(q: QualityReport): string {
  const pct = (v: number): string => (Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  return [
    `events: ROC AUC ${q.eventAuc.toFixed(4)} over ${q.events} events (${q.attackEvents} attack events)`,
    q.userRanking === 'user_risk'
      ? `users:  ROC AUC ${q.userAuc.toFixed(4)} by user risk (${q.userAucByZscore.toFixed(4)} by highest z) over ${q.users} users (${q.compromisedUsers} compromised)`
      : `users:  ROC AUC ${q.userAuc.toFixed(4)} by highest z over ${q.users} users (${q.compromisedUsers} compromised)`,
    `flags:  ${pct(q.flagPrecision)} of flagged events are attacks; ${pct(q.flagRecall)} of attack events flagged`,
    q.userRanking === 'user_risk'
      ? `users flagged by risk: ${pct(q.compromisedUsersFlagged)} of compromised, ${pct(q.innocentUsersFlagged)} of innocent (with a flagged event: ${pct(q.compromisedUsersWithFlaggedEvent)}, ${pct(q.innocentUsersWithFlaggedEvent)})`
      : `users flagged: ${pct(q.compromisedUsersFlagged)} of compromised, ${pct(q.innocentUsersFlagged)} of innocent`,
  ].join('\n');
}
