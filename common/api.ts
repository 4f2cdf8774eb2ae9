/**
 * The plugin's HTTP API: paths and the shapes of answers, shared by the server's handlers and the
 * browser app. Kibana's convention: what only the app calls lives under /internal/dfp; the few
 * routes meant for automation are also under /api/dfp.
 */
import type { DfpFields } from './fields';
import type { SourceConfig } from './source_config';
import type { FeatureSummary } from './feature_summary';
import type { JobRun } from './jobs';
import type { ModelVersionInfo, StoredUserModels } from './models';
import type { RiskLevel, RiskTrend } from './risk_level';
import type { WhyEvidence } from './why';

export const INTERNAL_API = '/internal/dfp';
export const PUBLIC_API = '/api/dfp';

/** Kibana feature privileges: analysts read, admins manage (settings, training, rollback). */
export const PRIVILEGES = { read: 'dfp_read', manage: 'dfp_manage', triage: 'dfp_triage' } as const;
export type Privilege = keyof typeof PRIVILEGES;

/** A half-open time range [from, to), ISO strings. */
export interface TimeRange {
  from: string;
  to: string;
}

export interface OverviewResponse {
  range: TimeRange;
  threshold: number;
  /**
   * `flagged`: at or above the threshold and not suppressed; `suppressed`: at or above it, but an
   * analyst marked the same pattern benign (dfp.suppressed). Users count once flagged.
   */
  totals: { events: number; scored: number; errors: number; flagged: number; tsFlagged: number; users: number; flaggedUsers: number; suppressed?: number };
  /** Events and flagged events per bucket, oldest first. */
  overTime: { time: string; events: number; flagged: number }[];
  /** Bucket width, e.g. "1h". */
  interval: string;
}

export type UserSort = 'userRisk' | 'maxZscore' | 'flagged' | 'events' | 'user' | 'lastSeen';

export interface RankedUser {
  user: string;
  /** A recognisable name when the key is an opaque id. */
  label?: string;
  events: number;
  /** Events at or above the threshold in force, less those a benign decision suppressed. */
  flagged: number;
  /** Events at or above the threshold that a benign decision keeps from being flagged (dfp.suppressed). */
  suppressed?: number;
  maxZscore: number;
  /** The user's highest dfp.user_risk in the range (null: their events were scored before user risk existed). */
  userRisk: number | null;
  /** userRisk at or above the user-risk threshold in force. */
  userFlagged: boolean;
  lastSeen: string;
  /** Max dfp.zscore per bucket over the range, oldest first (null: no events in the bucket). */
  sparkline: (number | null)[];
  /** Top features of the user's most anomalous event. */
  topFeatures: string[];
  /** Whether the user's events were scored by a model of their own. */
  generic: boolean;
  /** userRisk on 0–100 with Elastic's risk levels and "near the threshold" (common/risk_level.ts); null where userRisk is. */
  risk?: RiskLevel | null;
  /** The user's highest dfp.user_risk in the previous period of the same length (0: events without one; null: no scored event then). */
  previousUserRisk?: number | null;
  /** The 0–100 risk against that previous period. */
  trend?: RiskTrend;
  /** Why, from the worst event not suppressed as benign (else the worst): its top features with the user's history, and its raw address, network and user agent (common/why.ts). */
  why?: WhyEvidence;
}

export interface UsersResponse {
  range: TimeRange;
  threshold: number;
  /** The user-risk threshold in force (userFlagged). */
  userRiskThreshold: number;
  total: number;
  page: number;
  perPage: number;
  users: RankedUser[];
}

/** One scored event as the app shows it. */
export interface ScoredEventDoc {
  /** `<index>/<id>` of the document holding the scores (the original in place, or the scores document). */
  doc: string;
  time: string;
  user: string;
  dfp: DfpFields;
  /** The source event's identity (scores documents name it). */
  source?: { index: string; id: string };
}

export interface UserEventsResponse {
  user: string;
  range: TimeRange;
  threshold: number;
  total: number;
  page: number;
  perPage: number;
  events: ScoredEventDoc[];
}

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}

/** What admins set (Kibana: advanced settings and the plugin's saved object; standalone: a JSON file). */
export interface DfpSettings {
  zscoreThreshold: number;
  tsThreshold: number;
  /** dfp.user_risk at or above which a user is flagged (dfp.user_flagged; the app's users ranking). */
  userRiskThreshold: number;
  minHistory: number;
  schedules: { train: string; score: string };
  sources: SourceConfig[];
}

/** A user's fingerprint: the model that scores them and, feature by feature, normal against recent. */
export interface FingerprintResponse {
  user: string;
  source: string;
  profile: string;
  /** The model that scores the user: their own, or the generic one (null: none trained yet). */
  model: {
    own: boolean;
    version: number;
    trainedAt: string;
    rows: number;
    window: { start: string; end: string };
    backend: string;
    epochs: number;
    lossHistory: number[];
    warmStartFrom?: string;
    /** Events an earlier run flagged (or an analyst marked) that training left out, and why (server/engine/model/left_out.ts). */
    leftOut?: {
      events: number;
      byReason: Record<string, number>;
      examples: { id?: string; time: string; reason: string }[];
      /** Flagged events (or events of a user marked compromised) that training learned because an analyst marked them, or their pattern, benign. */
      benign?: number;
    };
    /** The user's training anomaly scores: their median and robust spread (dfp.zscore's scale). */
    scoreScale: { median: number; scale: number };
  } | null;
  /** The user's stored versions (empty for users scored by the generic model). */
  versions: ModelVersionInfo[];
  features: {
    name: string;
    kind: 'categorical' | 'numeric' | 'binary';
    /** Features that move together and count once in dfp.zscore. */
    group: string[] | null;
    /** What the model learned from (null for models trained before summaries were kept). */
    trained: FeatureSummary | null;
    /** The same over the user's scored events in the range (null when there are none). */
    recent: FeatureSummary | null;
    /** Training loss of this feature: mean and spread (the z scale). */
    loss: { mean: number; std: number } | null;
  }[];
  recentEvents: number;
  range: TimeRange;
}

export interface ModelsResponse {
  source: string;
  profile: string;
  generic: ModelVersionInfo[];
  total: number;
  page: number;
  perPage: number;
  /** Sorted by name; `label` as on the users' scored events (absent where none has one). */
  users: (StoredUserModels & { label?: string })[];
}

export interface SourceStatus {
  source: string;
  writeMode: string;
  lastRuns: { train: JobRun | null; score: JobRun | null };
  running: JobRun[];
  /** Newest event in the source's indices, and where scoring stands (null where unknown). */
  newestEvent: string | null;
  scoredUpTo: string | null;
  /** newestEvent − scoredUpTo in seconds: how far scoring lags behind the data. */
  lagSeconds: number | null;
  usersWithModels: number;
  genericModel: boolean;
}

export interface StatusResponse {
  jobsAvailable: boolean;
  sources: SourceStatus[];
  /** Kibana only: whether the API keys sources' jobs need can be stored. */
  encryption?: EncryptionStatus;
}

/** Whether Kibana can store (encrypted) the API keys that sources' background jobs run with. */
export interface EncryptionStatus {
  /** encryptedSavedObjects has an encryption key (`xpack.encryptedSavedObjects.encryptionKey`). */
  canEncrypt: boolean;
  /** Jobs need stored keys (Kibana security on, with API keys). */
  keysRequired: boolean;
  /** Present when sources cannot get the keys they need: what to set, and what stops working meanwhile. */
  message?: string;
}

/** A user's risk in a range, for automation (SOAR playbooks, scripts). */
export interface UserRiskResponse {
  user: string;
  source: string;
  range: TimeRange;
  threshold: number;
  events: number;
  flagged: number;
  maxZscore: number | null;
  /** The user's highest dfp.user_risk in the range (null: none of their events carries one), and the user-risk threshold in force. */
  userRisk: number | null;
  userRiskThreshold: number;
  /** userRisk at or above that threshold. */
  userFlagged: boolean;
  /** The user's most anomalous events, highest first (at most 5). */
  worst: ScoredEventDoc[];
  /** userRisk on 0–100 with Elastic's risk levels (common/risk_level.ts); null where userRisk is. */
  risk?: RiskLevel | null;
}

/** One cell of the users × time swimlane: the user's events in one bucket. */
export interface SwimlaneCell {
  /** What the cell's colour says, 0–100: the highest dfp.user_risk in the bucket on the risk scale (common/risk_level.ts), else (no user risk recorded) the highest dfp.zscore as event.risk_score_norm. */
  score: number;
  /** Highest dfp.user_risk in the bucket (null: none recorded). */
  userRisk: number | null;
  maxZscore: number;
  events: number;
}

/** Users × time, as the ML Anomaly Explorer's swimlane: the top users by risk, one row each, cells per time bucket. */
export interface SwimlaneResponse {
  range: TimeRange;
  threshold: number;
  userRiskThreshold: number;
  /** Bucket width ("1h") and in ms; buckets are aligned on UTC epoch multiples (the first and last may cover part of the range). */
  interval: string;
  intervalMs: number;
  /** Start of each bucket, oldest first. */
  buckets: string[];
  /** Highest dfp.user_risk first (then highest dfp.zscore, then key). */
  users: { user: string; label?: string; userRisk: number | null; risk: RiskLevel | null; cells: (SwimlaneCell | null)[] }[];
}

/** Settings before an admin changes any. */
export const DEFAULT_SCHEDULES = { train: '0 2 * * *', score: '*/5 * * * *' } as const;

/** The API key a source's background jobs run with (Kibana only): whose privileges, since when. */
export interface SourceKeyInfo {
  sourceId: string;
  keyId: string;
  keyName: string;
  owner: string;
  createdAt: string;
}

/** What `DELETE /api/dfp/saved_objects` removed before an uninstall, and what it leaves for the admin. */
export interface SavedObjectsRemovalResponse {
  /** Saved objects deleted, per type. */
  deleted: Record<string, number>;
  /** Elasticsearch ids of the sources' API keys invalidated. */
  invalidatedKeys: string[];
  /** Advanced settings put back to their defaults. */
  resetSettings: string[];
  /** Data in Elasticsearch that stays (an admin may delete it after removing the plugin). */
  remaining: { indices: string[]; indexTemplates: string[]; dataStreams: string[] };
  next: string;
}
