import type { OverviewResponse, ScoredEventDoc, SwimlaneResponse, UserEventsResponse, UserSort, UsersResponse } from '../../common/api';
import type { SourceConfig } from '../../common/source_config';
import type { Profile } from '../engine/profiles';
import type { FeatureValue } from '../engine/features/extract';

/** Which scored events a question is about: one source, a time range, the threshold in force. */
export interface ScoresQuery {
  source: SourceConfig;
  profile: Profile;
  /** Half-open [from, to), epoch ms. */
  from: number;
  to: number;
  /** Events with dfp.zscore at or above this count as flagged (the setting now, not at scoring time). */
  threshold: number;
  /** Users whose highest dfp.user_risk is at or above this are flagged (the setting now). Default DEFAULTS.userRiskThreshold. */
  userRiskThreshold?: number;
}

export interface UsersQuery extends ScoresQuery {
  page: number;
  perPage: number;
  sort: UserSort;
  order: 'asc' | 'desc';
  /** Case-insensitive substring of the user key or display name. */
  search?: string;
  /** Sparkline buckets over the range. Default 24. */
  buckets?: number;
}

export interface UserEventsQuery extends ScoresQuery {
  user: string;
  page: number;
  perPage: number;
  /** `userRisk`: by dfp.user_risk (events without one last when descending). */
  sort: 'time' | 'zscore' | 'userRisk';
  order: 'asc' | 'desc';
  onlyFlagged?: boolean;
}

export interface SwimlaneQuery extends ScoresQuery {
  /** Rows: the top users by risk. */
  users: number;
  /** At most this many time buckets (nice widths, as the overview's histogram). */
  buckets: number;
}

/** One event of a source, as triage targets name it. */
export interface EventQuery extends Pick<ScoresQuery, 'source' | 'profile'> {
  index: string;
  id: string;
}

/**
 * Questions the app asks about scored events. Two answers to each: from Elasticsearch (the scores
 * data stream, or the source's own documents when scores are written in place) and from scored
 * files in memory (the standalone server over the demo's output). Both must answer alike.
 */
export interface ScoresReader {
  overview(q: ScoresQuery & { buckets?: number }): Promise<OverviewResponse>;
  users(q: UsersQuery): Promise<UsersResponse>;
  userEvents(q: UserEventsQuery): Promise<UserEventsResponse>;
  /** Display names of the users given (from each one's newest scored event in the range that has one); users without one are left out. */
  userLabels(q: ScoresQuery, users: readonly string[]): Promise<Map<string, string>>;
  /** Users whose key, or a display name on one of their scored events in the range, contains `term` (case ignored). */
  usersMatching(q: ScoresQuery, term: string): Promise<string[]>;
  /** Users × time: the top `users` by risk, cells of at most `buckets` nice time buckets (SwimlaneResponse). */
  swimlane(q: SwimlaneQuery): Promise<SwimlaneResponse>;
  /**
   * The scored event a triage decision names (issue 17): by the source event's index and id
   * (over files: the source's name and fileEventId), whatever its time; null when there is none.
   */
  scoredEvent(q: EventQuery): Promise<ScoredEventDoc | null>;
  /** The values the model saw (`dfp.features.<name>.value`) in the user's newest `limit` scored events of the range. */
  recentFeatureValues(q: ScoresQuery & { user: string; limit: number }): Promise<{ events: number; values: Record<string, FeatureValue[]> }>;
}
