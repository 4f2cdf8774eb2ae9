/**
 * The population view of "never seen before" (issue 15): a value that is new to many users at
 * once is the organisation changing, not one account being abused. When a company rolls out an
 * app (Entra ID: Microsoft 365 Copilot; CloudTrail: a service the platform team adopts), every
 * user who starts using it meets a value their history never had, and each of those events looked
 * like evidence against its user. Here an event whose *target* (the app or service the user
 * reached; Profile.sharedNovelty's features) is new to the user, while at least `users` other
 * users started using the same value within the last `windowHours`, adds no z-score evidence to
 * user risk: the rollout is shared.
 *
 * Only targets, never where from or with what (network, device, client): an intrusion campaign
 * reaching many accounts at once is new to them all in exactly those, and must keep its weight.
 * Causal: an event counts the adoptions before it, so the first users of a rollout still carry
 * their evidence; it is a user-risk rule only (dfp.zscore stays what the fingerprint says).
 *
 * Values are untrusted strings: kept in Maps, never as object keys. Memory is bounded: adoptions
 * older than the window are dropped as values are met, and at most MAX_VALUES values are kept.
 */

/** Profile.sharedNovelty: which features name what a user reached, and what "many users at once" means. */
export interface SharedNoveltyRule {
  /** Categorical features naming the app or service reached (their `seen` 0 is "new to the user"). */
  features: readonly string[];
  /** Other users who started using the value within the window, at least. */
  users: number;
  windowHours: number;
}

/**
 * Entra ID's apps and CloudTrail's services alike: 5 other users within 3 days. Chosen on held-out
 * development sets 1–2 (replayed over their scored events): Entra set 2's Copilot rollout flagged
 * 9 innocent users of 278, 4 with the rule, compromised flagged unchanged (18 of 22), user AUC
 * 0.979 → 0.987; set 1 and both CloudTrail sets unchanged or up by ≤ 0.002. 2 other users within
 * 3 days unflagged two compromised users of set 2; 1 day changed less.
 */
export const SHARED_NOVELTY_DEFAULTS = Object.freeze({ users: 5, windowHours: 72 });

/** Values kept at most (a source with more distinct new values in a window forgets the oldest met). */
export const MAX_VALUES = 10_000;

/** One new target value of an event: the feature and its value. */
export interface NovelTarget {
  feature: string;
  value: string;
}

/** A value's adopters: each user who started using it, with the epoch ms of their first event with it new. */
interface Value {
  feature: string;
  value: string;
  adopters: Map<string, number>;
}

export class SharedNovelty {
  private readonly windowMs: number;
  /** Keyed by feature + NUL + value (feature names never hold NUL); Map order is the order values were first met. */
  private readonly values = new Map<string, Value>();

  constructor(readonly rule: SharedNoveltyRule) {
    if (!(rule.users >= 1) || !(rule.windowHours > 0)) throw new RangeError('shared novelty: users must be ≥ 1 and the window positive');
    this.windowMs = rule.windowHours * 3_600_000;
  }

  /**
   * Records an event of `user` at `time` with its new target values, and answers the first of them
   * that at least `rule.users` other users started using within the window before it (null: none).
   */
  observe(user: string, time: number, targets: readonly NovelTarget[]): NovelTarget | null {
    let shared: NovelTarget | null = null;
    for (const target of targets) {
      const { adopters } = this.valueOf(target.feature, target.value);
      if (shared === null && this.enoughOthers(adopters, user, time)) shared = target;
      if (!adopters.has(user)) adopters.set(user, time);
    }
    return shared;
  }

  /**
   * Adoptions within the window before `asOf`, for a run to hand to the next one: of each value,
   * the `keepPerValue` newest (rule.users + 1 are all a later decision needs).
   */
  adoptions(asOf: number, keepPerValue = Number.POSITIVE_INFINITY): Adoption[] {
    const out: Adoption[] = [];
    for (const { feature, value, adopters } of this.values.values()) {
      const recent: Adoption[] = [];
      for (const [user, time] of adopters) if (asOf - time <= this.windowMs) recent.push({ feature, value, user, time });
      out.push(...recent.sort((x, y) => y.time - x.time).slice(0, keepPerValue));
    }
    return out;
  }

  /** Brings back an earlier run's adoptions (the earliest time per user and value wins). */
  restore(adoptions: readonly Adoption[]): void {
    for (const a of adoptions) {
      if (!Number.isFinite(a.time) || typeof a.user !== 'string' || typeof a.feature !== 'string' || typeof a.value !== 'string') continue;
      const { adopters } = this.valueOf(a.feature, a.value);
      const had = adopters.get(a.user);
      if (had === undefined || a.time < had) adopters.set(a.user, a.time);
    }
  }

  private valueOf(feature: string, value: string): Value {
    const key = `${feature}\u0000${value}`;
    let v = this.values.get(key);
    if (!v) {
      if (this.values.size >= MAX_VALUES) this.values.delete(this.values.keys().next().value!);
      this.values.set(key, (v = { feature, value, adopters: new Map() }));
    }
    return v;
  }

  /**
   * Whether `rule.users` other users adopted within the window before `time`. Adopters are kept in
   * the order they came (mostly oldest first): those long past are dropped as met, and the count
   * stops at enough, so a rollout to thousands of users costs a few steps an event, not thousands.
   */
  private enoughOthers(adopters: Map<string, number>, user: string, time: number): boolean {
    let n = 0;
    for (const [u, t] of adopters) {
      if (time - t > this.windowMs) adopters.delete(u);
      else if (u !== user && t <= time && ++n >= this.rule.users) return true;
    }
    return false;
  }
}

/** One user's start with a new value: what a run hands to the next. */
export interface Adoption {
  feature: string;
  value: string;
  user: string;
  time: number;
}

/**
 * The event's new target values, read off its explained features (`seen` 0; known for its top
 * features only, as for Profile.firstSeen): string values of the rule's features.
 */
export function novelTargets(features: Readonly<Record<string, { value?: unknown; seen?: number }>> | undefined, rule: SharedNoveltyRule | undefined): NovelTarget[] {
  if (!rule || !features) return [];
  const out: NovelTarget[] = [];
  for (const feature of rule.features) {
    if (!Object.hasOwn(features, feature)) continue;
    const f = features[feature];
    if (f?.seen === 0 && typeof f.value === 'string') out.push({ feature, value: f.value });
  }
  return out;
}
