/**
 * Answers the app's questions about scored events from Elasticsearch, with the client it is given
 * (in Kibana the analyst's own `asCurrentUser` client: it only searches, and only the source's
 * indices). Definitions shared with the in-memory reader are in scores_common.ts.
 *
 * Where a source's scored events are:
 * - `writeMode: 'scores'`: the data stream `logs-dfp.scores-<namespace>`, documents whose
 *   `dfp.source.name` is the source's id;
 * - `writeMode: 'in_place'`: the source's own indices (`source.index`, else the profile's
 *   pattern), documents that have `dfp.scored_at`.
 * Both are filtered on `@timestamp`, the event's time (the scores document copies it; a source's
 * `timeField` such as `event.ingested` orders scoring, not the analyst's view). A source not
 * scored yet (no stream, no index) answers with zeros, not an error.
 *
 * Limits (Elasticsearch's, stated where they bite):
 * - `users` ranks at most 10,000 users (MAX_RANKED_USERS): pages past that are empty; `total`
 *   still counts every user, with a cardinality aggregation (near exact below 40,000 distinct
 *   users, approximate above). With `search`, at most 10,000 matching users (the first by key)
 *   are ranked and counted. Sorted by `user` (the display name), the first 10,000 users by key
 *   are read with their labels and sorted here.
 * - Rankings by a sub-aggregation (max z, flagged count, last seen) are exact on one shard; on
 *   several, Elasticsearch's shard_size over-fetch makes them near exact (max descending is exact).
 * - Aggregated z-scores (sparklines) are rounded to the engine's 1e-4 (dfp.zscore is mapped `float`);
 *   a user's maxZscore is read from their worst event's source, exactly as written.
 * - `userEvents` and `recentFeatureValues` page within the first 10,000 events (max_result_window).
 */
import { sourceIndex } from '../engine/profiles';
import type { Client, estypes } from '@elastic/elasticsearch';
import type { OverviewResponse, RankedUser, ScoredEventDoc, SwimlaneResponse, UserEventsResponse, UsersResponse } from '../../common/api';
import { riskLevel } from '../../common/risk_level';
import type { FeatureValue } from '../engine/features/extract';
import { firstValue } from '../engine/profiles/field_path';
import { requireWhole, WHOLE_RESULTS } from '../engine/io/es/whole_search';
import { esStatus } from '../engine/io/es/errors';
import { scoresStreamName } from '../engine/io/es/sink';
import type { EventQuery, ScoresQuery, ScoresReader, SwimlaneQuery, UserEventsQuery, UsersQuery } from './scores_reader';
import { AS_NAME_FIELD, AS_NUMBER_FIELD, CONTEXT_FIELDS, citedAsNumbers, contextOf, previousPeriod, swimlaneCell, whyOf, withAsNames, withPriorities } from './priorities';
import {
  DEFAULT_SPARKLINE_BUCKETS,
  apiDfp,
  bucketStarts,
  compareRanked,
  featureValues,
  overviewInterval,
  isUserFlagged,
  rangeOf,
  roundZ,
  sparklineWidth,
  userRiskThresholdOf,
} from './scores_common';
import {
  NO_METRICS,
  SUPPRESSED,
  TIME,
  USER,
  USER_RISK,
  ZSCORE,
  byTime,
  byZscore,
  escapeWildcard,
  flaggedQuery,
  labelAggs,
  labelOfBucket,
  rankMetric,
  rankOrder,
  suppressedQuery,
  totalOf,
  withFilter,
  type AggResult,
  type Aggs,
  type Query,
} from './es_queries';

/** Users one ranking can reach: the terms aggregation's size. */
export const MAX_RANKED_USERS = 10_000;
/** Elasticsearch's default index.max_result_window: from + size of a search. */
const MAX_RESULT_WINDOW = 10_000;
/** Buckets one search may return, under Elasticsearch's default search.max_buckets (65,535). */
const MAX_BUCKETS_PER_SEARCH = 50_000;
/** Highest precision_threshold the cardinality aggregation takes: counts below it are near exact. */
const CARDINALITY_PRECISION = 40_000;


export class EsScoresReader implements ScoresReader {
  constructor(private readonly client: Client) {}

  async overview(q: ScoresQuery & { buckets?: number }): Promise<OverviewResponse> {
    const interval = overviewInterval(q.from, q.to, q.buckets);
    const flagged = flaggedQuery(q.threshold);
    const res = await this.search(q, {
      size: 0,
      track_total_hits: true,
      query: this.scope(q),
      aggs: {
        scored: { filter: { exists: { field: ZSCORE } }, aggs: { users: { cardinality: { field: USER, precision_threshold: CARDINALITY_PRECISION } } } },
        errors: { filter: { exists: { field: 'dfp.error' } } },
        ts: { filter: { term: { 'dfp.ts_anomaly': true } } },
        flagged: { filter: flagged, aggs: { users: { cardinality: { field: USER, precision_threshold: CARDINALITY_PRECISION } } } },
        suppressed: { filter: suppressedQuery(q.threshold) },
        over_time: {
          date_histogram: { field: TIME, fixed_interval: `${interval.ms}ms`, min_doc_count: 0, extended_bounds: { min: q.from, max: q.to - 1 } },
          aggs: { flagged: { filter: flagged } },
        },
      },
    });
    const a = (res.aggregations ?? {}) as AggResult;
    const counted = new Map<number, { events: number; flagged: number }>();
    for (const b of a.over_time?.buckets ?? []) counted.set(Number(b.key), { events: b.doc_count, flagged: b.flagged.doc_count });
    return {
      range: rangeOf(q),
      threshold: q.threshold,
      totals: {
        events: totalOf(res),
        scored: a.scored?.doc_count ?? 0,
        errors: a.errors?.doc_count ?? 0,
        flagged: a.flagged?.doc_count ?? 0,
        tsFlagged: a.ts?.doc_count ?? 0,
        users: a.scored?.users.value ?? 0,
        flaggedUsers: a.flagged?.users.value ?? 0,
        suppressed: a.suppressed?.doc_count ?? 0,
      },
      // Every bucket of the range, also where nothing was indexed (no stream yet: no aggregation at all).
      overTime: bucketStarts(q.from, q.to, interval.ms).map((t) => ({ time: new Date(t).toISOString(), ...(counted.get(t) ?? { events: 0, flagged: 0 }) })),
      interval: interval.label,
    };
  }

  /**
   * Two searches (three with `search`, more for a long page): rank users by the sort's one metric, then compute the
   * page's users in full (sparkline, worst event, label). One search with every sub-aggregation
   * for every user would exceed search.max_buckets (65,535) with a few thousand users.
   */
  async users(q: UsersQuery): Promise<UsersResponse> {
    const empty = { range: rangeOf(q), threshold: q.threshold, userRiskThreshold: userRiskThresholdOf(q), total: 0, page: q.page, perPage: q.perPage, users: [] as RankedUser[] };
    const matched = q.search ? await this.usersMatching(q, q.search) : undefined;
    if (matched?.length === 0) return empty;
    const scope = matched ? withFilter(this.scoredScope(q), { terms: { [USER]: matched } }) : this.scoredScope(q);
    const start = (q.page - 1) * q.perPage;
    const size = Math.min(q.page * q.perPage, MAX_RANKED_USERS);
    // By name: a keyword order cannot follow the label, so every user's label is read and sorted here.
    const byName = q.sort === 'user' && (q.profile.displayFields ?? []).length > 0;
    const ranking = await this.search(q, {
      size: 0,
      query: scope,
      aggs: {
        total: { cardinality: { field: USER, precision_threshold: CARDINALITY_PRECISION } },
        ranked: byName
          ? { terms: { field: USER, size: MAX_RANKED_USERS, order: { _key: 'asc' } }, aggs: labelAggs(q.profile.displayFields ?? []) }
          : { terms: { field: USER, size: Math.max(1, size), order: rankOrder(q.sort, q.order) }, aggs: rankMetric(q.sort, q.threshold) },
      },
    });
    const ranked = (ranking.aggregations ?? {}) as AggResult;
    const total: number = matched?.length ?? ranked.total?.value ?? 0;
    let buckets: AggResult[] = ranked.ranked?.buckets ?? [];
    if (byName) {
      const named = buckets.map((b) => ({ user: String(b.key), label: labelOfBucket(b, q.profile.displayFields ?? []) }));
      named.sort((a, b) => compareRanked({ ...NO_METRICS, ...a }, { ...NO_METRICS, ...b }, 'user', q.order));
      buckets = named.map((n) => ({ key: n.user }));
    }
    const keys: string[] = buckets.slice(start, start + q.perPage).map((b: AggResult) => String(b.key));
    if (keys.length === 0) return { ...empty, total };
    const details = new Map<string, RankedUser>();
    /** Each worst event's source document (scores mode), for its raw context. */
    const refs = new Map<string, { index: string; id: string }>();
    // Each user brings up to `buckets` + 4 buckets: stay well under search.max_buckets (65,535).
    const perSearch = Math.max(1, Math.floor(MAX_BUCKETS_PER_SEARCH / ((q.buckets ?? DEFAULT_SPARKLINE_BUCKETS) + 4)));
    for (let i = 0; i < keys.length; i += perSearch) {
      for (const [k, u] of await this.userDetails(q, keys.slice(i, i + perSearch), refs)) details.set(k, u);
    }
    if (q.source.writeMode === 'scores') await this.rawContext(details, refs);
    const previous = await this.highestRisk({ ...q, ...previousPeriod(q) }, keys);
    const riskThreshold = userRiskThresholdOf(q);
    const users = keys.flatMap((k) => {
      const u = details.get(k);
      return u ? [withPriorities(u, riskThreshold, previous.has(k) ? previous.get(k)! : null)] : [];
    });
    withAsNames(users, await this.asNames(q, citedAsNumbers(users)));
    return { ...empty, total, users };
  }

  /**
   * The organisation of each AS number, from the newest of the source's events (any time) that
   * names one: the source's own documents (in scores mode, not the scores stream, which lacks them).
   */
  private async asNames(q: ScoresQuery, numbers: string[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    if (numbers.length === 0) return names;
    const index = q.source.writeMode === 'scores' ? sourceIndex(q.source, q.profile) : this.target(q);
    const res = await this.client
      .search({
        index,
        ignore_unavailable: true,
        allow_no_indices: true,
        ...WHOLE_RESULTS,
        size: 0,
        query: { bool: { filter: [{ terms: { [AS_NUMBER_FIELD]: numbers } }, { exists: { field: AS_NAME_FIELD } }] } },
        aggs: { asn: { terms: { field: AS_NUMBER_FIELD, size: numbers.length }, aggs: { newest: { top_hits: { size: 1, sort: [byTime('desc')], _source: [AS_NAME_FIELD] } } } } },
      })
      .catch((e: unknown) => {
        // An index the analyst may not read, or where the field is not a number: the numbers stay bare.
        if (esStatus(e) === 400 || esStatus(e) === 403 || esStatus(e) === 404) return null;
        throw e;
      });
    for (const b of ((res?.aggregations as AggResult | undefined)?.asn?.buckets ?? []) as AggResult[]) {
      const name = firstValue(b.newest.hits.hits[0]?._source, [AS_NAME_FIELD]);
      if (typeof name === 'string' && name !== '') names.set(String(b.key), name);
    }
    return names;
  }

  /**
   * Scores documents keep the user's key fields, not the event's address, network or user agent:
   * those of each worst event come from the source document it names (`dfp.source`), one mget per
   * page. A source document gone, or an index the analyst may not read, leaves that context empty.
   */
  private async rawContext(users: Map<string, RankedUser>, refs: Map<string, { index: string; id: string }>): Promise<void> {
    const wanted = [...refs].filter(([user]) => users.get(user)?.why);
    if (wanted.length === 0) return;
    const res = await this.client.mget({ docs: wanted.map(([, ref]) => ({ _index: ref.index, _id: ref.id, _source: [...CONTEXT_FIELDS] })) }).catch((e: unknown) => {
      if (esStatus(e) === 403 || esStatus(e) === 404) return null;
      throw e;
    });
    res?.docs.forEach((d, i) => {
      if ('found' in d && d.found) users.get(wanted[i][0])!.why!.context = contextOf(d._source);
    });
  }

  /** Per user of `keys` with a scored event in the range: their highest dfp.user_risk there (0: none recorded). */
  private async highestRisk(q: ScoresQuery, keys: string[]): Promise<Map<string, number>> {
    const res = await this.search(q, {
      size: 0,
      query: withFilter(this.scoredScope(q), { terms: { [USER]: keys } }),
      aggs: { users: { terms: { field: USER, size: Math.max(1, keys.length) }, aggs: { max_risk: { max: { field: USER_RISK } } } } },
    });
    const out = new Map<string, number>();
    for (const b of ((res.aggregations as AggResult | undefined)?.users?.buckets ?? []) as AggResult[]) {
      out.set(String(b.key), typeof b.max_risk?.value === 'number' ? roundZ(b.max_risk.value) : 0);
    }
    return out;
  }

  async swimlane(q: SwimlaneQuery): Promise<SwimlaneResponse> {
    const interval = overviewInterval(q.from, q.to, q.buckets);
    const starts = bucketStarts(q.from, q.to, interval.ms);
    const riskThreshold = userRiskThresholdOf(q);
    const displayFields = q.profile.displayFields ?? [];
    const peaks: Aggs = { max_risk: { max: { field: USER_RISK } }, max_z: { max: { field: ZSCORE } } };
    const res = await this.search(q, {
      size: 0,
      query: this.scoredScope(q),
      aggs: {
        users: {
          // Highest risk, then highest z, then key; an empty max ranks last descending.
          terms: { field: USER, size: Math.max(1, q.users), order: [{ max_risk: 'desc' }, { max_z: 'desc' }, { _key: 'asc' }] },
          aggs: { ...peaks, ...(displayFields.length > 0 ? labelAggs(displayFields) : {}), cells: { date_histogram: { field: TIME, fixed_interval: `${interval.ms}ms`, min_doc_count: 1 }, aggs: peaks } },
        },
      },
    });
    const first = Math.floor(starts[0] / interval.ms);
    const buckets = ((res.aggregations as AggResult | undefined)?.users?.buckets ?? []) as AggResult[];
    const users = buckets.slice(0, Math.max(0, q.users)).map((b) => {
      const user = String(b.key);
      const cells: SwimlaneResponse['users'][number]['cells'] = starts.map(() => null);
      for (const c of b.cells.buckets as AggResult[]) {
        const i = Math.floor(Number(c.key) / interval.ms) - first;
        if (i < 0 || i >= cells.length || c.doc_count === 0) continue;
        const risk = typeof c.max_risk?.value === 'number' ? roundZ(c.max_risk.value) : null;
        cells[i] = swimlaneCell(risk, roundZ(c.max_z.value), c.doc_count, q.threshold, riskThreshold);
      }
      const label = labelOfBucket(b, displayFields);
      const userRisk = typeof b.max_risk?.value === 'number' ? roundZ(b.max_risk.value) : null;
      return { user, ...(label !== undefined ? { label } : {}), userRisk, risk: userRisk === null ? null : riskLevel(userRisk, riskThreshold), cells };
    });
    return { range: rangeOf(q), threshold: q.threshold, userRiskThreshold: riskThreshold, interval: interval.label, intervalMs: interval.ms, buckets: starts.map((t) => new Date(t).toISOString()), users };
  }

  async userEvents(q: UserEventsQuery): Promise<UserEventsResponse> {
    const from = (q.page - 1) * q.perPage;
    const size = Math.max(0, Math.min(q.perPage, MAX_RESULT_WINDOW - from));
    let query = withFilter(this.scoredScope(q), { term: { [USER]: q.user } });
    if (q.onlyFlagged) query = withFilter(query, flaggedQuery(q.threshold));
    const dir = q.order;
    // Ties: by the other key, descending (newest, or most anomalous, first).
    const sort = q.sort === 'time' ? [byTime(dir), byZscore('desc')] : q.sort === 'userRisk' ? [{ [USER_RISK]: { order: dir, unmapped_type: 'float' } } as estypes.SortCombinations, byTime('desc')] : [byZscore(dir), byTime('desc')];
    const res = await this.search(q, { from: size > 0 ? from : 0, size, track_total_hits: true, query, sort, _source: [TIME, 'dfp'] });
    return {
      user: q.user,
      range: rangeOf(q),
      threshold: q.threshold,
      total: totalOf(res),
      page: q.page,
      perPage: q.perPage,
      events: res.hits.hits.map((h) => eventDoc(h, q.user)),
    };
  }

  async scoredEvent(q: EventQuery): Promise<ScoredEventDoc | null> {
    // Within the source's own documents only: the index named is the caller's word.
    const where: Query[] =
      q.source.writeMode === 'scores'
        ? [{ term: { 'dfp.source.name': q.source.id } }, { term: { 'dfp.source.index': q.index } }, { term: { 'dfp.source.id': q.id } }]
        : [{ term: { _index: q.index } }, { ids: { values: [q.id] } }];
    const res = await this.search(q, { size: 1, query: { bool: { filter: [...where, { exists: { field: ZSCORE } }] } }, sort: [byTime('desc')], _source: [TIME, 'dfp'] });
    const hit = res.hits.hits[0];
    return hit ? eventDoc(hit, '') : null;
  }

  async recentFeatureValues(q: ScoresQuery & { user: string; limit: number }): Promise<{ events: number; values: Record<string, FeatureValue[]> }> {
    const size = Math.max(0, Math.min(q.limit, MAX_RESULT_WINDOW));
    const res = await this.search(q, {
      size,
      track_total_hits: false,
      query: withFilter(this.scoredScope(q), { term: { [USER]: q.user } }),
      sort: [byTime('desc'), byZscore('desc')],
      _source: ['dfp.features.*.value'],
    });
    const features = res.hits.hits.map((h) => (h._source as { dfp?: { features?: unknown } } | undefined)?.dfp?.features);
    return { events: features.length, values: featureValues(features) };
  }

  // ---- where and what ----

  /** The index (pattern) holding the source's scored events. */
  private target(q: Pick<ScoresQuery, 'source' | 'profile'>): string {
    return q.source.writeMode === 'scores' ? scoresStreamName(q.source.namespace) : sourceIndex(q.source, q.profile);
  }

  /** The source's scored documents (scores and errors) with an event time in [from, to). */
  private scope(q: ScoresQuery): Query {
    const ofSource: Query = q.source.writeMode === 'scores' ? { term: { 'dfp.source.name': q.source.id } } : { exists: { field: 'dfp.scored_at' } };
    return { bool: { filter: [ofSource, { range: { [TIME]: { gte: q.from, lt: q.to, format: 'epoch_millis' } } }] } };
  }

  /** Only the events that have a score. */
  private scoredScope(q: ScoresQuery): Query {
    return withFilter(this.scope(q), { exists: { field: ZSCORE } });
  }

  private async search(q: Pick<ScoresQuery, 'source' | 'profile'>, body: estypes.SearchRequest): Promise<estypes.SearchResponse<unknown>> {
    // A source not scored yet has no stream or index: its answers are empty, not a 404. A partial
    // answer (a shard down) would show the analyst fewer users and events without a word: refused.
    const res = await this.client.search({ index: this.target(q), ignore_unavailable: true, allow_no_indices: true, ...WHOLE_RESULTS, ...body });
    return requireWhole(res, `read the scores of ${q.source.id}`);
  }

  /**
   * Users whose key, or a display field on one of their scored events, contains `term` (case
   * ignored): a user-level match, so that all of a matching user's events are counted after.
   */
  async usersMatching(q: ScoresQuery, term: string): Promise<string[]> {
    const pattern = `*${escapeWildcard(term)}*`;
    const fields = [USER, ...(q.profile.displayFields ?? [])];
    const res = await this.search(q, {
      size: 0,
      query: withFilter(this.scoredScope(q), { bool: { should: fields.map((f) => ({ wildcard: { [f]: { value: pattern, case_insensitive: true } } })), minimum_should_match: 1 } }),
      aggs: { users: { terms: { field: USER, size: MAX_RANKED_USERS, order: { _key: 'asc' } } } },
    });
    return ((res.aggregations as AggResult | undefined)?.users?.buckets ?? []).map((b: AggResult) => String(b.key));
  }

  async userLabels(q: ScoresQuery, users: readonly string[]): Promise<Map<string, string>> {
    const displayFields = q.profile.displayFields ?? [];
    const labels = new Map<string, string>();
    if (displayFields.length === 0) return labels;
    for (let i = 0; i < users.length; i += MAX_RANKED_USERS) {
      const keys = users.slice(i, i + MAX_RANKED_USERS);
      const res = await this.search(q, {
        size: 0,
        query: withFilter(this.scoredScope(q), { terms: { [USER]: keys } }),
        aggs: { users: { terms: { field: USER, size: keys.length }, aggs: labelAggs(displayFields) } },
      });
      for (const b of ((res.aggregations as AggResult | undefined)?.users?.buckets ?? []) as AggResult[]) {
        const label = labelOfBucket(b, displayFields);
        if (label !== undefined) labels.set(String(b.key), label);
      }
    }
    return labels;
  }

  /** Everything a ranked user shows, for the page's users only. */
  private async userDetails(q: UsersQuery, keys: string[], refs: Map<string, { index: string; id: string }>): Promise<Map<string, RankedUser>> {
    const buckets = q.buckets ?? DEFAULT_SPARKLINE_BUCKETS;
    const width = sparklineWidth(q.from, q.to, buckets);
    const displayFields = q.profile.displayFields ?? [];
    const worstHit: estypes.AggregationsAggregationContainer = {
      top_hits: { size: 1, sort: [byZscore('desc'), byTime('desc')], _source: [TIME, ZSCORE, 'dfp.top_features', 'dfp.model.generic', 'dfp.features', 'dfp.source', ...CONTEXT_FIELDS] },
    };
    const aggs: Aggs = {
      flagged: { filter: flaggedQuery(q.threshold) },
      suppressed: { filter: suppressedQuery(q.threshold) },
      last_seen: { max: { field: TIME } },
      max_risk: { max: { field: USER_RISK } },
      // Buckets aligned on `from` (offset), so bucket i covers [from + i·width, from + (i+1)·width).
      spark: {
        date_histogram: { field: TIME, fixed_interval: `${width}ms`, offset: `${q.from % width}ms`, min_doc_count: 1 },
        aggs: { max_z: { max: { field: ZSCORE } } },
      },
      worst: worstHit,
      // Why: the worst event an analyst has not marked benign (scores_common.ts); the worst when all are.
      worst_open: { filter: { bool: { must_not: [{ exists: { field: SUPPRESSED } }] } }, aggs: { top: worstHit } },
    };
    if (displayFields.length > 0) Object.assign(aggs, labelAggs(displayFields));
    const res = await this.search(q, {
      size: 0,
      query: withFilter(this.scoredScope(q), { terms: { [USER]: keys } }),
      aggs: { users: { terms: { field: USER, size: keys.length }, aggs } },
    });
    const out = new Map<string, RankedUser>();
    for (const b of ((res.aggregations as AggResult | undefined)?.users?.buckets ?? []) as AggResult[]) {
      const user = String(b.key);
      const worstSource = b.worst.hits.hits[0]?._source ?? {};
      const worst = worstSource.dfp ?? {};
      const whySource = b.worst_open.top.hits.hits[0]?._source ?? worstSource;
      const whyDfp = whySource.dfp ?? {};
      const whyTime = firstValue(whySource, [TIME]);
      if (typeof whyDfp.source?.index === 'string' && typeof whyDfp.source?.id === 'string') refs.set(user, { index: whyDfp.source.index, id: whyDfp.source.id });
      const sparkline: (number | null)[] = new Array(buckets).fill(null);
      for (const s of b.spark.buckets) {
        const i = Math.round((Number(s.key) - q.from) / width);
        if (i >= 0 && i < buckets && s.max_z.value !== null) sparkline[i] = roundZ(s.max_z.value);
      }
      const label = labelOfBucket(b, displayFields);
      // Rounded as written (dfp.user_risk is mapped `float`: the max comes back in single precision).
      const userRisk = typeof b.max_risk?.value === 'number' ? roundZ(b.max_risk.value) : null;
      out.set(user, {
        user,
        ...(label !== undefined ? { label } : {}),
        events: b.doc_count,
        flagged: b.flagged.doc_count,
        suppressed: b.suppressed.doc_count,
        maxZscore: Number(worst.zscore),
        userRisk,
        userFlagged: isUserFlagged(userRisk, userRiskThresholdOf(q)),
        lastSeen: new Date(Number(b.last_seen.value)).toISOString(),
        sparkline,
        topFeatures: Array.isArray(worst.top_features) ? worst.top_features.map(String) : typeof worst.top_features === 'string' ? [worst.top_features] : [],
        generic: worst.model?.generic === true,
        why: whyOf(whySource, whyDfp, typeof whyTime === 'number' ? whyTime : Date.parse(String(whyTime))),
      });
    }
    return out;
  }
}


function eventDoc(h: estypes.SearchHit<unknown>, user: string): ScoredEventDoc {
  const src = (h._source ?? {}) as Record<string, unknown>;
  const { dfp, source } = apiDfp(src.dfp);
  const time = firstValue(src, [TIME]);
  return {
    doc: `${h._index}/${h._id}`,
    time: new Date(typeof time === 'number' ? time : Date.parse(String(time))).toISOString(),
    user: dfp.user ?? user,
    dfp,
    ...(source ? { source } : {}),
  };
}
