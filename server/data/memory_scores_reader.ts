/**
 * Answers the app's questions about scored events from documents held in memory, as `dfp score`
 * writes them (each input event unchanged plus its `dfp` object, NDJSON): the standalone server
 * over the demo's output (`demo-output/<profile>/scored.ndjson`). Gives the same answers as the
 * Elasticsearch reader for the same events (definitions in scores_common.ts): the user comes from
 * `dfp.user`, the time from the profile's timestamp fields, the label from its display fields.
 *
 * Each query scans the source's events in its time range (kept sorted by time): fine for the
 * demo's tens of thousands of events, not meant for a production store.
 */
import type { OverviewResponse, RankedUser, ScoredEventDoc, SwimlaneResponse, UserEventsResponse, UsersResponse } from '../../common/api';
import { riskLevel } from '../../common/risk_level';
import type { Profile } from '../engine/profiles';
import type { FeatureValue } from '../engine/features/extract';
import { parseTime } from '../engine/features/event_time';
import { firstValue, getField } from '../engine/profiles/field_path';
import { readEvents } from '../engine/io/read_events';
import { fileEventId } from '../engine/features/event_id';
import type { EventQuery, ScoresQuery, ScoresReader, SwimlaneQuery, UserEventsQuery, UsersQuery } from './scores_reader';
import { AS_NAME_FIELD, AS_NUMBER_FIELD, citedAsNumbers, previousPeriod, swimlaneCell, whyOf, withAsNames, withPriorities } from './priorities';
import {
  DEFAULT_SPARKLINE_BUCKETS,
  apiDfp,
  bucketStarts,
  compareRanked,
  containsTerm,
  featureValues,
  isFlagged,
  isSuppressed,
  isUserFlagged,
  labelFrom,
  overviewInterval,
  present,
  rangeOf,
  roundZ,
  sparklineWidth,
  userRiskThresholdOf,
  type RankMetrics,
} from './scores_common';

/** One scored document and where it was read (`<file>:<line>`, shown as the event's `doc`). */
export interface ScoredFileDoc {
  ref: string;
  doc: Record<string, unknown>;
}

export interface LoadedScores {
  docs: ScoredFileDoc[];
  /** Lines that were not JSON documents (a truncated file, a stray line), with why. */
  unreadable: { file: string; line: number; message: string }[];
}

/** Reads scored NDJSON (or JSON array, gzipped or not) files: every document, and what could not be read. */
export async function loadScoredFiles(paths: string | string[]): Promise<LoadedScores> {
  const loaded: LoadedScores = { docs: [], unreadable: [] };
  for await (const item of readEvents(paths)) {
    if (item.kind === 'event') loaded.docs.push({ ref: `${item.source.file}:${item.source.line}`, doc: item.event });
    else loaded.unreadable.push({ file: item.source.file, line: item.source.line, message: item.message });
  }
  return loaded;
}

/** A document reduced to what the questions need, read once per source and profile. */
interface Row {
  ref: string;
  doc: Record<string, unknown>;
  dfp: Record<string, unknown>;
  time: number;
  /** dfp.user; null when the event could not be tied to a user. */
  user: string | null;
  /** dfp.zscore; null for an event that was not scored. */
  zscore: number | null;
  /** dfp.user_risk; null where the event has none. */
  userRisk: number | null;
  /** dfp.suppressed present: a benign decision keeps the event from being flagged. */
  suppressed: boolean;
}

export class MemoryScoresReader implements ScoresReader {
  private readonly sources: ReadonlyMap<string, readonly ScoredFileDoc[]>;
  /** Per source: its rows by time, and the timestamp fields they were read with. */
  private readonly rows = new Map<string, { timeFields: string; rows: Row[] }>();

  /** `sources`: source id → its scored documents. A source not named has no events. */
  constructor(sources: Record<string, readonly ScoredFileDoc[]> | ReadonlyMap<string, readonly ScoredFileDoc[]>) {
    this.sources = sources instanceof Map ? sources : new Map(Object.entries(sources));
  }

  async overview(q: ScoresQuery & { buckets?: number }): Promise<OverviewResponse> {
    const events = this.inRange(q);
    const interval = overviewInterval(q.from, q.to, q.buckets);
    const starts = bucketStarts(q.from, q.to, interval.ms);
    const overTime = starts.map((t) => ({ time: new Date(t).toISOString(), events: 0, flagged: 0 }));
    const totals = { events: events.length, scored: 0, errors: 0, flagged: 0, tsFlagged: 0, users: 0, flaggedUsers: 0, suppressed: 0 };
    const users = new Set<string>();
    const flaggedUsers = new Set<string>();
    for (const r of events) {
      const bucket = overTime[Math.floor(r.time / interval.ms) - Math.floor(starts[0] / interval.ms)];
      bucket.events += 1;
      if (present(r.dfp.error)) totals.errors += 1;
      if (r.dfp.ts_anomaly === true) totals.tsFlagged += 1;
      if (r.zscore === null) continue;
      totals.scored += 1;
      if (r.user !== null) users.add(r.user);
      if (isFlagged(r.zscore, q.threshold, r.suppressed)) {
        totals.flagged += 1;
        bucket.flagged += 1;
        if (r.user !== null) flaggedUsers.add(r.user);
      } else if (isSuppressed(r.zscore, q.threshold, r.suppressed)) totals.suppressed += 1;
    }
    totals.users = users.size;
    totals.flaggedUsers = flaggedUsers.size;
    return { range: rangeOf(q), threshold: q.threshold, totals, overTime, interval: interval.label };
  }

  async users(q: UsersQuery): Promise<UsersResponse> {
    const byUser = this.byUser(q, () => true);
    const term = q.search?.toLowerCase();
    const matching = [...byUser.entries()].filter(([user, rows]) => term === undefined || matchesTerm(user, rows, q.profile, term));
    const ranked = matching.map(([user, rows]) => {
      const metrics = metricsOf(user, rows, q.threshold);
      // Sorting by name needs every matching user's label, not only the page's.
      if (q.sort === 'user') metrics.label = labelOf(rows, q.profile, user);
      return { rows, metrics };
    });
    ranked.sort((a, b) => compareRanked(a.metrics, b.metrics, q.sort, q.order));
    const page = ranked.slice((q.page - 1) * q.perPage, q.page * q.perPage);
    const buckets = q.buckets ?? DEFAULT_SPARKLINE_BUCKETS;
    const onPage = new Set(page.map((r) => r.metrics.user));
    const before = this.byUser({ ...q, ...previousPeriod(q) }, (user) => onPage.has(user));
    const previous = (user: string): number | null => {
      const rows = before.get(user);
      return rows ? rows.reduce((m, r) => Math.max(m, r.userRisk ?? 0), 0) : null;
    };
    const users = page.map(({ rows, metrics }) => withPriorities(rankedUser(rows, metrics, q, buckets), userRiskThresholdOf(q), previous(metrics.user)));
    withAsNames(users, this.asNames(q, citedAsNumbers(users)));
    return { range: rangeOf(q), threshold: q.threshold, userRiskThreshold: userRiskThresholdOf(q), total: ranked.length, page: q.page, perPage: q.perPage, users };
  }

  async userEvents(q: UserEventsQuery): Promise<UserEventsResponse> {
    const events = this.scored(q).filter((r) => r.user === q.user && (!q.onlyFlagged || isFlagged(r.zscore!, q.threshold, r.suppressed)));
    const sign = q.order === 'asc' ? 1 : -1;
    // Ties: by the other key, descending (newest, or most anomalous, first).
    const risk = (r: Row): number => r.userRisk ?? Number.NEGATIVE_INFINITY;
    events.sort((a, b) =>
      q.sort === 'time'
        ? sign * (a.time - b.time) || b.zscore! - a.zscore!
        : q.sort === 'userRisk'
          ? sign * Math.sign(risk(a) === risk(b) ? 0 : risk(a) - risk(b)) || b.time - a.time
          : sign * (a.zscore! - b.zscore!) || b.time - a.time,
    );
    const page = events.slice((q.page - 1) * q.perPage, q.page * q.perPage);
    return {
      user: q.user,
      range: rangeOf(q),
      threshold: q.threshold,
      total: events.length,
      page: q.page,
      perPage: q.perPage,
      events: page.map((r) => eventDoc(r, q)),
    };
  }

  async userLabels(q: ScoresQuery, users: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(users);
    const rowsOf = this.byUser(q, (user) => wanted.has(user));
    const labels = new Map<string, string>();
    for (const [user, rows] of rowsOf) {
      const label = labelOf(rows, q.profile, user);
      if (label !== undefined) labels.set(user, label);
    }
    return labels;
  }

  async swimlane(q: SwimlaneQuery): Promise<SwimlaneResponse> {
    const interval = overviewInterval(q.from, q.to, q.buckets);
    const starts = bucketStarts(q.from, q.to, interval.ms);
    const first = Math.floor(starts[0] / interval.ms);
    const riskThreshold = userRiskThresholdOf(q);
    const rows = [...this.byUser(q, () => true)].map(([user, list]) => {
      const m = metricsOf(user, list, q.threshold);
      return { user, list, risk: m.userRisk, z: m.maxZscore };
    });
    // Highest risk, then highest z, then key (as the Elasticsearch reader's terms order).
    rows.sort((a, b) => Math.sign(b.risk - a.risk) || Math.sign(b.z - a.z) || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
    const users = rows.slice(0, Math.max(0, q.users)).map(({ user, list, risk }) => {
      const acc = starts.map(() => ({ risk: null as number | null, z: Number.NEGATIVE_INFINITY, events: 0 }));
      for (const r of list) {
        const c = acc[Math.floor(r.time / interval.ms) - first];
        c.events += 1;
        c.z = Math.max(c.z, r.zscore!);
        if (r.userRisk !== null) c.risk = Math.max(c.risk ?? Number.NEGATIVE_INFINITY, r.userRisk);
      }
      const label = labelOf(list, q.profile, user);
      const userRisk = risk === Number.NEGATIVE_INFINITY ? null : risk;
      return {
        user,
        ...(label !== undefined ? { label } : {}),
        userRisk,
        risk: userRisk === null ? null : riskLevel(userRisk, riskThreshold),
        cells: acc.map((c) => (c.events === 0 ? null : swimlaneCell(c.risk, roundZ(c.z), c.events, q.threshold, riskThreshold))),
      };
    });
    return {
      range: rangeOf(q),
      threshold: q.threshold,
      userRiskThreshold: riskThreshold,
      interval: interval.label,
      intervalMs: interval.ms,
      buckets: starts.map((t) => new Date(t).toISOString()),
      users,
    };
  }

  async usersMatching(q: ScoresQuery, term: string): Promise<string[]> {
    const lower = term.toLowerCase();
    return [...this.byUser(q, () => true)].filter(([user, rows]) => matchesTerm(user, rows, q.profile, lower)).map(([user]) => user);
  }

  /** The organisation of each AS number, from the newest of the source's events (any time) that names one. */
  private asNames(q: ScoresQuery, numbers: readonly string[]): Map<string, string> {
    const wanted = new Set(numbers);
    const names = new Map<string, string>();
    const rows = this.rowsOf(q.source.id, q.profile);
    for (let i = rows.length - 1; i >= 0 && names.size < wanted.size; i--) {
      const n = getField(rows[i].doc, AS_NUMBER_FIELD);
      const name = getField(rows[i].doc, AS_NAME_FIELD);
      const key = typeof n === 'number' || typeof n === 'string' ? String(n) : '';
      if (wanted.has(key) && !names.has(key) && typeof name === 'string' && name !== '') names.set(key, name);
    }
    return names;
  }

  /** The scored rows in the range of the users `keep` accepts, per user. */
  private byUser(q: ScoresQuery, keep: (user: string) => boolean): Map<string, Row[]> {
    const out = new Map<string, Row[]>();
    for (const r of this.scored(q)) {
      if (r.user === null || !keep(r.user)) continue;
      const list = out.get(r.user);
      if (list) list.push(r);
      else out.set(r.user, [r]);
    }
    return out;
  }

  async scoredEvent(q: EventQuery): Promise<ScoredEventDoc | null> {
    if (q.index !== q.source.id) return null;
    const found = this.rowsOf(q.source.id, q.profile).find((r) => r.zscore !== null && r.user !== null && fileEventId(r.doc, q.profile) === q.id);
    return found ? eventDoc(found, q) : null;
  }

  async recentFeatureValues(q: ScoresQuery & { user: string; limit: number }): Promise<{ events: number; values: Record<string, FeatureValue[]> }> {
    const newest = this.scored(q)
      .filter((r) => r.user === q.user)
      .sort((a, b) => b.time - a.time || b.zscore! - a.zscore!)
      .slice(0, Math.max(0, q.limit));
    return { events: newest.length, values: featureValues(newest.map((r) => r.dfp.features)) };
  }

  // ---- the source's rows ----

  /** The source's events with a time in [from, to), oldest first. */
  private inRange(q: ScoresQuery): Row[] {
    const rows = this.rowsOf(q.source.id, q.profile);
    return rows.slice(firstAtOrAfter(rows, q.from), firstAtOrAfter(rows, q.to));
  }

  private scored(q: ScoresQuery): Row[] {
    return this.inRange(q).filter((r) => r.zscore !== null);
  }

  /** Rows of a source: documents with a `dfp` object and a readable time, sorted by time. */
  private rowsOf(sourceId: string, profile: Profile): Row[] {
    const timeFields = profile.timestampFields.join(',');
    const cached = this.rows.get(sourceId);
    if (cached && cached.timeFields === timeFields) return cached.rows;
    const rows: Row[] = [];
    for (const { ref, doc } of this.sources.get(sourceId) ?? []) {
      const dfp = doc.dfp;
      if (dfp === null || typeof dfp !== 'object' || Array.isArray(dfp)) continue;
      const d = dfp as Record<string, unknown>;
      if (!present(d.scored_at)) continue;
      const time = parseTime(firstValue(doc, profile.timestampFields));
      if (time === null) continue;
      const user = typeof d.user === 'string' || typeof d.user === 'number' ? String(d.user) : null;
      const zscore = typeof d.zscore === 'number' && Number.isFinite(d.zscore) ? d.zscore : null;
      const userRisk = typeof d.user_risk === 'number' && Number.isFinite(d.user_risk) ? d.user_risk : null;
      rows.push({ ref, doc, dfp: d, time, user, zscore, userRisk, suppressed: present(d.suppressed) });
    }
    rows.sort((a, b) => a.time - b.time); // stable: equal times keep file order
    this.rows.set(sourceId, { timeFields, rows });
    return rows;
  }
}

/** Index of the first row at or after `t` (binary search over rows sorted by time). */
function firstAtOrAfter(rows: readonly Row[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].time < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function metricsOf(user: string, rows: readonly Row[], threshold: number): RankMetrics & { suppressed: number } {
  let maxZscore = Number.NEGATIVE_INFINITY;
  let userRisk = Number.NEGATIVE_INFINITY;
  let flagged = 0;
  let suppressed = 0;
  let lastSeenMs = Number.NEGATIVE_INFINITY;
  for (const r of rows) {
    maxZscore = Math.max(maxZscore, r.zscore!);
    if (r.userRisk !== null) userRisk = Math.max(userRisk, r.userRisk);
    if (isFlagged(r.zscore!, threshold, r.suppressed)) flagged += 1;
    else if (isSuppressed(r.zscore!, threshold, r.suppressed)) suppressed += 1;
    lastSeenMs = Math.max(lastSeenMs, r.time);
  }
  return { user, userRisk, maxZscore, flagged, suppressed, events: rows.length, lastSeenMs };
}

/** A ranked user's row: the worst event (highest z, then newest) names its top features and model. */
function rankedUser(rows: readonly Row[], m: RankMetrics & { suppressed: number }, q: UsersQuery, buckets: number): RankedUser {
  const width = sparklineWidth(q.from, q.to, buckets);
  const sparkline: (number | null)[] = new Array(buckets).fill(null);
  const worse = (r: Row, than: Row | undefined): boolean => !than || r.zscore! > than.zscore! || (r.zscore === than.zscore && r.time > than.time);
  let worst = rows[0];
  // Why: the worst event an analyst has not marked benign (scores_common.ts); the worst when all are.
  let worstOpen: Row | undefined;
  for (const r of rows) {
    const i = Math.floor((r.time - q.from) / width);
    sparkline[i] = Math.max(sparkline[i] ?? Number.NEGATIVE_INFINITY, r.zscore!);
    if (worse(r, worst)) worst = r;
    if (!r.suppressed && worse(r, worstOpen)) worstOpen = r;
  }
  const because = worstOpen ?? worst;
  const label = m.label ?? labelOf(rows, q.profile, m.user);
  const model = worst.dfp.model as { generic?: unknown } | undefined;
  const userRisk = m.userRisk === Number.NEGATIVE_INFINITY ? null : m.userRisk;
  return {
    user: m.user,
    ...(label !== undefined ? { label } : {}),
    events: m.events,
    flagged: m.flagged,
    suppressed: m.suppressed,
    maxZscore: worst.zscore!,
    userRisk,
    userFlagged: isUserFlagged(userRisk, userRiskThresholdOf(q)),
    lastSeen: new Date(m.lastSeenMs).toISOString(),
    sparkline: sparkline.map((z) => (z === null ? null : roundZ(z))),
    topFeatures: Array.isArray(worst.dfp.top_features) ? (worst.dfp.top_features as string[]) : [],
    generic: model?.generic === true,
    why: whyOf(because.doc, because.dfp, because.time),
  };
}

/** Whether the user's key, or a display field of one of their events, contains the (lower-cased) term. */
function matchesTerm(user: string, rows: readonly Row[], profile: Profile, lowerTerm: string): boolean {
  const displayFields = profile.displayFields ?? [];
  return containsTerm(user, lowerTerm) || rows.some((r) => displayFields.some((f) => containsTerm(getField(r.doc, f), lowerTerm)));
}

/** The user's display name from their newest event that has one (undefined: none, or it is the key). */
function labelOf(rows: readonly Row[], profile: Profile, user: string): string | undefined {
  let labelled: Row | undefined;
  for (const r of rows) if (firstValue(r.doc, profile.displayFields ?? []) !== undefined && (!labelled || r.time >= labelled.time)) labelled = r;
  return labelled ? labelFrom(labelled.doc, profile.displayFields, user) : undefined;
}

/** `source`: the event as triage decisions name it over files (the source's name, fileEventId), stable across rescoring. */
function eventDoc(r: Row, q: Pick<ScoresQuery, 'source' | 'profile'>): ScoredEventDoc {
  const { dfp, source } = apiDfp(r.dfp);
  return { doc: r.ref, time: new Date(r.time).toISOString(), user: r.user!, dfp, source: source ?? { index: q.source.id, id: fileEventId(r.doc, q.profile) } };
}
