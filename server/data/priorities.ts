/**
 * What both scores readers add to a ranked user so that analysts see priorities at a glance and
 * why (issue 17 parts 3 and 4), computed alike from the same documents:
 * - `why`: the worst event's top features with the user's history, and its raw address, network
 *   and user agent (common/why.ts turns them into a sentence);
 * - `risk`: dfp.user_risk on 0–100 with Elastic's levels (common/risk_level.ts);
 * - `trend`: against the previous period of the same length, [from − (to − from), from).
 */
import type { RankedUser, SwimlaneCell } from '../../common/api';
import { riskScoreNorm } from '../../common/fields';
import { riskLevel, riskScore100, riskTrend } from '../../common/risk_level';
import type { WhyEvidence, WhyFeature } from '../../common/why';
import { firstValue } from '../engine/profiles/field_path';

/**
 * Raw fields the sentence names, tried in order across the profiles (server/engine/profiles):
 * ECS first, then each integration's own and the flattened CloudTrail columns.
 */
export const CONTEXT_PATHS = {
  ip: ['source.ip', 'client.ip', 'source.address', 'sourceIPAddress', 'azure.signinlogs.caller_ip_address'],
  asNumber: ['source.as.number', 'client.as.number'],
  asName: ['source.as.organization.name', 'client.as.organization.name'],
  userAgent: ['user_agent.original', 'okta.client.user_agent.raw_user_agent', 'userAgent'],
} as const;

/** Every path the context reads (for an Elasticsearch `_source` filter). */
export const CONTEXT_FIELDS: readonly string[] = Object.values(CONTEXT_PATHS).flat();

/** Raw values are untrusted and may be long: kept to this many characters. */
const MAX_CONTEXT_CHARS = 300;

function text(v: unknown): string | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v);
  return s.length > MAX_CONTEXT_CHARS ? `${s.slice(0, MAX_CONTEXT_CHARS - 1)}…` : s;
}

/**
 * The evidence of one event: `doc` the whole document (for the raw fields), `dfp` its dfp object,
 * `time` its event time in ms. Top features the event does not explain are left out.
 */
export function whyOf(doc: unknown, dfp: Record<string, unknown>, time: number): WhyEvidence {
  const features = (dfp.features ?? {}) as Record<string, unknown>;
  const top = Array.isArray(dfp.top_features) ? dfp.top_features.map(String) : typeof dfp.top_features === 'string' ? [dfp.top_features] : [];
  const explained: WhyFeature[] = [];
  for (const name of top) {
    const f = Object.hasOwn(features, name) ? (features[name] as Record<string, unknown> | null) : null;
    if (!f || typeof f !== 'object' || typeof f.z !== 'number') continue;
    const value = typeof f.value === 'string' || typeof f.value === 'number' ? f.value : null;
    const expected = typeof f.pred === 'string' || typeof f.pred === 'number' || typeof f.pred === 'boolean' ? f.pred : null;
    const w: WhyFeature = { name, value, expected, z: f.z };
    if (typeof f.seen === 'number') w.seen = f.seen;
    if (Array.isArray(f.usual)) w.usual = f.usual.filter((u): u is [string, number] => Array.isArray(u) && typeof u[1] === 'number').map(([v, s]) => [String(v), s]);
    explained.push(w);
  }
  return { time: new Date(time).toISOString(), zscore: Number(dfp.zscore), features: explained, context: contextOf(doc) };
}

/** The raw address, network and user agent of an event document, where it has them. */
export function contextOf(doc: unknown): WhyEvidence['context'] {
  const context: WhyEvidence['context'] = {};
  for (const key of Object.keys(CONTEXT_PATHS) as (keyof typeof CONTEXT_PATHS)[]) {
    const v = text(firstValue(doc, CONTEXT_PATHS[key]));
    if (v !== undefined) context[key] = v;
  }
  return context;
}

/**
 * The 0–100 risk and the trend of a ranked user. `previous`: their highest dfp.user_risk in the
 * previous period (0 where they had scored events without one), null where they had no scored event.
 */
export function withPriorities(u: RankedUser, userRiskThreshold: number, previous: number | null): RankedUser {
  const risk = u.userRisk === null ? null : riskLevel(u.userRisk, userRiskThreshold);
  const before = previous === null ? null : riskScore100(previous, userRiskThreshold);
  return { ...u, risk, previousUserRisk: previous, trend: riskTrend(risk ? riskScore100(u.userRisk!, userRiskThreshold) : 0, before) };
}

/** The previous period of the same length as [from, to). */
export function previousPeriod(q: { from: number; to: number }): { from: number; to: number } {
  return { from: q.from - (q.to - q.from), to: q.from };
}

/** A swimlane cell from a bucket's highest dfp.user_risk (null: none recorded), highest dfp.zscore and event count. */
export function swimlaneCell(userRisk: number | null, maxZscore: number, events: number, threshold: number, userRiskThreshold: number): SwimlaneCell {
  const score = userRisk !== null ? riskScore100(userRisk, userRiskThreshold) : riskScoreNorm(maxZscore, threshold);
  return { score: Math.round(score * 10) / 10, userRisk, maxZscore, events };
}

/** Where events name an AS number's organisation (ECS GeoIP): what the usual networks are called. */
export const AS_NUMBER_FIELD = 'source.as.number';
export const AS_NAME_FIELD = 'source.as.organization.name';

/** AS numbers the users' sentences cite (the `asn` feature's value and usual values), other than each event's own. */
export function citedAsNumbers(users: readonly RankedUser[]): string[] {
  const numbers = new Set<string>();
  for (const u of users) {
    for (const f of u.why?.features ?? []) {
      if (f.name !== 'asn') continue;
      for (const v of [f.value, ...(f.usual ?? []).map(([n]) => n)]) if (typeof v === 'string' && /^\d+$/.test(v) && v !== u.why!.context.asNumber) numbers.add(v);
    }
  }
  return [...numbers];
}

/** Gives each user's evidence the names of the AS numbers it cites, where `names` knows them. */
export function withAsNames(users: readonly RankedUser[], names: ReadonlyMap<string, string>): void {
  if (names.size === 0) return;
  for (const u of users) {
    const cited = citedAsNumbers([u]).flatMap((n): [string, string][] => (names.has(n) ? [[n, names.get(n)!]] : []));
    if (cited.length > 0) u.why!.asNames = cited;
  }
}
