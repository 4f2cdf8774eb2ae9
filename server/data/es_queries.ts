/**
 * The Elasticsearch queries, sorts and aggregations the scores reader (es_scores_reader.ts) builds
 * its searches from: the same definitions as scores_common.ts, written as query DSL.
 */
import type { estypes } from '@elastic/elasticsearch';
import type { UserSort } from '../../common/api';
import { labelFrom } from './scores_common';

export const TIME = '@timestamp';
export const USER = 'dfp.user';
export const ZSCORE = 'dfp.zscore';
export const USER_RISK = 'dfp.user_risk';
/** Set on events a benign decision keeps from being flagged (an object: exists when any field under it does). */
export const SUPPRESSED = 'dfp.suppressed';

export type Query = estypes.QueryDslQueryContainer;
export type Aggs = Record<string, estypes.AggregationsAggregationContainer>;
/** Aggregation results as read here (the client types them as a union of every kind). */
export type AggResult = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Sorts that work where `dfp.*` is not mapped: in place, the pattern also covers indices never
 * written to (older backing indices, other namespaces), and sorting on an unmapped field fails.
 */
export function byTime(order: 'asc' | 'desc'): estypes.SortCombinations {
  return { [TIME]: { order, unmapped_type: 'date' } };
}

export function byZscore(order: 'asc' | 'desc'): estypes.SortCombinations {
  return { [ZSCORE]: { order, unmapped_type: 'float' } };
}

/** Flagged (scores_common.ts): at or above the threshold, and no benign decision suppresses it. */
export function flaggedQuery(threshold: number): Query {
  return { bool: { filter: [{ range: { [ZSCORE]: { gte: threshold } } }], must_not: [{ exists: { field: SUPPRESSED } }] } };
}

/** At or above the threshold, but suppressed: what a benign decision keeps from being flagged. */
export function suppressedQuery(threshold: number): Query {
  return { bool: { filter: [{ range: { [ZSCORE]: { gte: threshold } } }, { exists: { field: SUPPRESSED } }] } };
}

/**
 * The terms order of a sort: its metric (user risk, ties by the highest z-score, as the swimlane
 * ranks), then the key ascending (what scores_common.compareRanked does).
 */
export function rankOrder(sort: UserSort, order: 'asc' | 'desc'): estypes.AggregationsAggregateOrder {
  if (sort === 'user') return [{ _key: order }];
  if (sort === 'userRisk') return [{ max_risk: order }, { max_z: order }, { _key: 'asc' }];
  const metric = sort === 'events' ? '_count' : sort === 'maxZscore' ? 'max_z' : sort === 'flagged' ? 'flagged' : 'last_seen';
  return [{ [metric]: order }, { _key: 'asc' }];
}

/** The one sub-aggregation a ranking needs. */
export function rankMetric(sort: UserSort, threshold: number): Aggs | undefined {
  if (sort === 'userRisk') return { max_risk: { max: { field: USER_RISK } }, max_z: { max: { field: ZSCORE } } };
  if (sort === 'maxZscore') return { max_z: { max: { field: ZSCORE } } };
  if (sort === 'flagged') return { flagged: { filter: flaggedQuery(threshold) } };
  if (sort === 'lastSeen') return { last_seen: { max: { field: TIME } } };
  return undefined;
}

/** A user's label: the display fields of their newest event that has one (read by labelOfBucket). */
export function labelAggs(displayFields: string[]): Aggs {
  return {
    labelled: {
      filter: { bool: { should: displayFields.map((f) => ({ exists: { field: f } })), minimum_should_match: 1 } },
      aggs: { newest: { top_hits: { size: 1, sort: [byTime('desc')], _source: displayFields } } },
    },
  };
}

export function labelOfBucket(b: AggResult, displayFields: string[]): string | undefined {
  const source = b.labelled?.newest.hits.hits[0]?._source;
  return source ? labelFrom(source, displayFields, String(b.key)) : undefined;
}

/** Metrics that do not matter to a comparison by name. */
export const NO_METRICS = { userRisk: 0, maxZscore: 0, flagged: 0, events: 0, lastSeenMs: 0 };

export function withFilter(query: Query, filter: Query): Query {
  return { bool: { filter: [query, filter] } };
}

/** `*`, `?` and `\` are wildcard syntax: a search for them means the characters themselves. */
export function escapeWildcard(term: string): string {
  return term.replace(/[\\*?]/g, '\\$&');
}

export function totalOf(res: estypes.SearchResponse<unknown>): number {
  const t = res.hits.total;
  return typeof t === 'number' ? t : (t?.value ?? 0);
}
