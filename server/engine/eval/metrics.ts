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

/**
 * Ranks (1 = lowest, ties share one) of items ordered by their first key, then their second: what
 * rocAuc needs to rank by two keys. Users ranked by risk, ties (the many users with none) broken by
 * their highest z-score, as the app lists them.
 */
export function ranksByTwoKeys(first: ArrayLike<number>, second: ArrayLike<number>): number[] {
  const idx = Array.from({ length: first.length }, (_, i) => i).sort((a, b) => first[a] - first[b] || second[a] - second[b]);
  const ranks = new Array<number>(first.length);
  let rank = 0;
  idx.forEach((i, k) => {
    const j = idx[k - 1];
    if (k === 0 || first[i] !== first[j] || second[i] !== second[j]) rank += 1;
    ranks[i] = rank;
  });
  return ranks;
}

export interface ScoredEventTruth {
  user: string;
  /** The event's dfp.zscore (events are ranked by it). */
  score: number;
  /** The event's dfp.is_anomaly. */
  flagged: boolean;
  attack: boolean;
  /** The event's dfp.user_risk, where the output has it. */
  userRisk?: number;
  /** The event's dfp.user_flagged, where the output has it. */
  userFlagged?: boolean;
}

export interface QualityReport {
  events: number;
  attackEvents: number;
  eventAuc: number;
  users: number;
  compromisedUsers: number;
  /**
   * Users ranked by their highest dfp.user_risk, ties by their highest dfp.zscore (by the latter
   * alone where no event has a user risk): see userRanking.
   */
  userAuc: number;
  /** What ranked users: their highest `user_risk`, or (an output without user risk) their highest `zscore`. */
  userRanking: 'user_risk' | 'zscore';
  /** Users ranked by their highest dfp.zscore, for comparison. */
  userAucByZscore: number;
  /** Of the flagged events, the share that are attacks. */
  flagPrecision: number;
  /** Of the attack events, the share flagged. */
  flagRecall: number;
  /**
   * Of the compromised users, the share flagged: by any dfp.user_flagged (by any flagged event where
   * no event carries dfp.user_flagged, an older output): see userRanking.
   */
  compromisedUsersFlagged: number;
  /** Of the innocent users, the share flagged, likewise. */
  innocentUsersFlagged: number;
  /** Of the compromised / innocent users, the share with at least one flagged event (dfp.is_anomaly), for comparison. */
  compromisedUsersWithFlaggedEvent: number;
  innocentUsersWithFlaggedEvent: number;
}

/**
 * Events ranked by score. Users ranked by their highest dfp.user_risk and flagged by any
 * dfp.user_flagged when the output carries them, else by their highest event score and any
 * flagged event.
 */
export function qualityReport(events: ScoredEventTruth[], compromised: Set<string>): QualityReport {
  const perUser = new Map<string, { max: number; flagged: boolean; risk: number; userFlagged: boolean }>();
  let flagged = 0;
  let flaggedAttacks = 0;
  let attacks = 0;
  let withRisk = false;
  let withUserFlag = false;
  for (const e of events) {
    let u = perUser.get(e.user);
    if (!u) perUser.set(e.user, (u = { max: -Infinity, flagged: false, risk: 0, userFlagged: false }));
    u.max = Math.max(u.max, e.score);
    u.flagged ||= e.flagged;
    if (typeof e.userRisk === 'number' && !Number.isNaN(e.userRisk)) {
      withRisk = true;
      u.risk = Math.max(u.risk, e.userRisk);
    }
    if (typeof e.userFlagged === 'boolean') {
      withUserFlag = true;
      u.userFlagged ||= e.userFlagged;
    }
    if (e.attack) attacks++;
    if (e.flagged) {
      flagged++;
      if (e.attack) flaggedAttacks++;
    }
  }
  const users = [...perUser.entries()];
  const innocent = users.filter(([u]) => !compromised.has(u));
  const bad = users.filter(([u]) => compromised.has(u));
  const isBad = users.map(([name]) => compromised.has(name));
  const share = (group: typeof users, pick: (u: { flagged: boolean; userFlagged: boolean }) => boolean): number =>
    group.length > 0 ? group.filter(([, u]) => pick(u)).length / group.length : NaN;
  const userFlag = (u: { flagged: boolean; userFlagged: boolean }): boolean => (withUserFlag ? u.userFlagged : u.flagged);
  const byZscore = rocAuc(users.map(([, u]) => u.max), isBad);
  return {
    events: events.length,
    attackEvents: attacks,
    eventAuc: rocAuc(events.map((e) => e.score), events.map((e) => e.attack)),
    users: users.length,
    compromisedUsers: bad.length,
    userAuc: withRisk ? rocAuc(ranksByTwoKeys(users.map(([, u]) => u.risk), users.map(([, u]) => u.max)), isBad) : byZscore,
    userRanking: withRisk ? 'user_risk' : 'zscore',
    userAucByZscore: byZscore,
    flagPrecision: flagged > 0 ? flaggedAttacks / flagged : NaN,
    flagRecall: attacks > 0 ? flaggedAttacks / attacks : NaN,
    compromisedUsersFlagged: share(bad, userFlag),
    innocentUsersFlagged: share(innocent, userFlag),
    compromisedUsersWithFlaggedEvent: share(bad, (u) => u.flagged),
    innocentUsersWithFlaggedEvent: share(innocent, (u) => u.flagged),
  };
}
