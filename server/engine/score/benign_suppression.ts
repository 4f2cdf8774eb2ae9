/**
 * Benign suppression (issue 17): an analyst who marks an event benign says "this is normal for this
 * user". Until the mark's `until`, the user's other events with the same pattern, the same values
 * of all of the marked event's top features (`TriageRecord.pattern`), keep their scores but are
 * not flagged: `dfp.is_anomaly` false, `dfp.suppressed` naming the decision, and no evidence
 * toward the user's risk (score/user_risk.ts skips them).
 *
 * "Same" means every feature of the pattern, not only those that are top features of the new
 * event: a benign trip to Lisbon on the user's own laptop (country, city, ASN) does not suppress
 * Lisbon on a browser never seen, whose pattern has the browser in it. Only the same user: the
 * same values for a colleague stay flagged. The mark is in force for events dated before
 * `until` (also earlier ones, so rescoring the week the analyst looked at takes it into
 * account); a later decision about the same event (investigating, compromised) ends it.
 *
 * Pure (no I/O but `loadBenignSuppression`). Users and values are untrusted: Maps, own keys only.
 */
import type { DfpFields, FeatureExplanation, Suppressed } from '../../../common/fields';
import { currentStates, type BenignPattern, type TriageRecord } from '../../../common/triage';
import type { TriageStore } from '../io/triage_store';

interface InForce {
  pattern: BenignPattern;
  /** Epoch ms: events dated at or after this are flagged again. */
  until: number;
  suppressed: Suppressed;
}

export class BenignSuppression {
  private readonly byUser = new Map<string, InForce[]>();
  /** Events this instance suppressed (apply). */
  applied = 0;

  /** From a source's triage trail: each event whose newest decision is benign with a pattern. */
  constructor(records: Iterable<TriageRecord>) {
    for (const r of currentStates(records).values()) {
      const event = r.target.event;
      if (!event || r.status !== 'benign' || !r.pattern || r.pattern.length === 0 || r.until === undefined) continue;
      const until = Date.parse(r.until);
      if (!Number.isFinite(until)) continue;
      let list = this.byUser.get(r.target.user);
      if (!list) this.byUser.set(r.target.user, (list = []));
      list.push({ pattern: r.pattern, until, suppressed: { by: r.by, at: r.at, until: new Date(until).toISOString(), event: { index: event.index, id: event.id } } });
    }
    // The mark lasting longest first: an event matching two says the one that holds longer.
    for (const list of this.byUser.values()) list.sort((a, b) => b.until - a.until);
  }

  /** Patterns in force for some event (any user). */
  get size(): number {
    let n = 0;
    for (const list of this.byUser.values()) n += list.length;
    return n;
  }

  /** Whether some pattern of `user`'s is kept (in force or not: `match` decides by the event's time). */
  covers(user: string): boolean {
    return this.byUser.has(user);
  }

  /** The decision that suppresses a scored event of `user` dated `time` (epoch ms) with these features, if one does. */
  match(user: string, features: Readonly<Record<string, FeatureExplanation>> | undefined, time: number): Suppressed | undefined {
    const list = this.byUser.get(user);
    if (!list || !features || !Number.isFinite(time)) return undefined;
    for (const p of list) if (time < p.until && samePattern(p.pattern, features)) return p.suppressed;
    return undefined;
  }

  /**
   * The scoring step: a scored event (not dfp.error) that matches keeps its scores, is not flagged,
   * and says why (dfp.suppressed). Call it before user risk is applied. Returns whether it matched.
   */
  apply(dfp: DfpFields, time: number): boolean {
    if (dfp.error !== undefined || dfp.user === null || this.byUser.size === 0) return false;
    const by = this.match(dfp.user, dfp.features, time);
    if (!by) return false;
    dfp.is_anomaly = false;
    dfp.suppressed = { ...by, event: { ...by.event } };
    this.applied += 1;
    return true;
  }
}

/** Every feature of the pattern has the same value on the event (a feature the event lacks matches only a null). */
function samePattern(pattern: BenignPattern, features: Readonly<Record<string, FeatureExplanation>>): boolean {
  for (const { feature, value } of pattern) {
    const seen = Object.hasOwn(features, feature) ? (features[feature]?.value ?? null) : null;
    if (!sameValue(seen, value)) return false;
  }
  return true;
}

/** Equal values; a number and its string form are one value (Elasticsearch's keyword mapping may hand either back). */
function sameValue(a: string | number | null, b: string | number | null): boolean {
  if (a === null || b === null) return a === b;
  return a === b || String(a) === String(b);
}

/**
 * A benign event's pattern, from its `dfp` fields: each top feature with the value it had. Features
 * without an explanation are left out; an event not scored has none (empty).
 */
export function patternOf(dfp: Pick<DfpFields, 'top_features' | 'features' | 'error'>): BenignPattern {
  // != null: a document scored in place carries `error: null` (the sink clears what a rescore may leave).
  if (dfp.error != null || !Array.isArray(dfp.top_features) || !dfp.features) return [];
  const out: BenignPattern = [];
  for (const feature of dfp.top_features) {
    if (typeof feature !== 'string' || !Object.hasOwn(dfp.features, feature)) continue;
    const v = dfp.features[feature]?.value;
    out.push({ feature, value: typeof v === 'string' || typeof v === 'number' ? v : null });
  }
  return out;
}

/** The source's benign patterns in force, from its triage store (files or `.dfp-triage`): what a scoring job calls once per run. */
export async function loadBenignSuppression(store: TriageStore, source: string): Promise<BenignSuppression> {
  return new BenignSuppression(await store.records(source));
}
