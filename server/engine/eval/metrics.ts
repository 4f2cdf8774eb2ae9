/**
 * Detection quality against known truth (the demo's planted compromises, or a labelled set):
 * the measures the project is judged by.
 */

/** ROC AUC by the rank-sum (Mann–Whitney) formula; ties count half. NaN without both classes. */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]] === scores[idx[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[idx[k]]) {
        pos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const neg = idx.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export interface ScoredEventTruth {
  user: string;
  score: number;
  flagged: boolean;
  attack: boolean;
}

export interface QualityReport {
  events: number;
  attackEvents: number;
  eventAuc: number;
  users: number;
  compromisedUsers: number;
  userAuc: number;
  /** Of the flagged events, the share that are attacks. */
  flagPrecision: number;
  /** Of the attack events, the share flagged. */
  flagRecall: number;
  /** Of the compromised users, the share with at least one flagged event. */
  compromisedUsersFlagged: number;
  /** Of the innocent users, the share with at least one flagged event. */
  innocentUsersFlagged: number;
}

/** Events ranked by score; users ranked by their highest event score; flags as given. */
export function qualityReport(events: ScoredEventTruth[], compromised: Set<string>): QualityReport {
  const perUser = new Map<string, { max: number; flagged: boolean }>();
  let flagged = 0;
  let flaggedAttacks = 0;
  let attacks = 0;
  for (const e of events) {
    const u = perUser.get(e.user) ?? { max: -Infinity, flagged: false };
    u.max = Math.max(u.max, e.score);
    u.flagged ||= e.flagged;
    perUser.set(e.user, u);
    if (e.attack) attacks++;
    if (e.flagged) {
      flagged++;
      if (e.attack) flaggedAttacks++;
    }
  }
  const users = [...perUser.entries()];
  const innocent = users.filter(([u]) => !compromised.has(u));
  const bad = users.filter(([u]) => compromised.has(u));
  return {
    events: events.length,
    attackEvents: attacks,
    eventAuc: rocAuc(events.map((e) => e.score), events.map((e) => e.attack)),
    users: users.length,
    compromisedUsers: bad.length,
    userAuc: rocAuc(users.map(([, u]) => u.max), users.map(([name]) => compromised.has(name))),
    flagPrecision: flagged > 0 ? flaggedAttacks / flagged : NaN,
    flagRecall: attacks > 0 ? flaggedAttacks / attacks : NaN,
    compromisedUsersFlagged: bad.length > 0 ? bad.filter(([, u]) => u.flagged).length / bad.length : NaN,
    innocentUsersFlagged: innocent.length > 0 ? innocent.filter(([, u]) => u.flagged).length / innocent.length : NaN,
  };
}
