/**
 * Typed client for the plugin's HTTP API (common/api.ts, server/routes/*) over Kibana's browser
 * http service, which sends the analyst's own session: every answer is what their privileges allow.
 */
import {
  INTERNAL_API,
  type DfpSettings,
  type FingerprintResponse,
  type ModelsResponse,
  type OverviewResponse,
  type SourceKeyInfo,
  type StatusResponse,
  type SwimlaneResponse,
  type UserEventsResponse,
  type UserRiskResponse,
  type UsersResponse,
  type UserSort,
} from '../common/api';
import type { JobRun, JobType, RunStatus } from '../common/jobs';
import type { TriageDecision, TriageRecord, TriageResponse } from '../common/triage';
import type { ModelVersionInfo } from '../common/models';

type Query = Record<string, string | number | boolean | undefined>;

/** The part of Kibana's HttpStart used here (JSON bodies are sent as strings, as Kibana expects). */
export interface HttpClient {
  get<T = unknown>(path: string, options?: { query?: Record<string, string | number | boolean> }): Promise<T>;
  post<T = unknown>(path: string, options?: { body?: string }): Promise<T>;
  put<T = unknown>(path: string, options?: { body?: string }): Promise<T>;
}

/** Which source and time range a question is about. */
export interface Scope {
  source?: string;
  from: string;
  to: string;
}

export interface UsersQuery extends Scope {
  page?: number;
  perPage?: number;
  sort?: UserSort;
  order?: 'asc' | 'desc';
  search?: string;
}

export interface UserEventsQuery extends Scope {
  page?: number;
  perPage?: number;
  sort?: 'time' | 'zscore';
  order?: 'asc' | 'desc';
  onlyFlagged?: boolean;
}

export interface JobsQuery {
  source?: string;
  type?: JobType;
  status?: RunStatus;
  limit?: number;
}

export interface JobsResponse {
  available: boolean;
  runs: JobRun[];
}

export interface VersionsResponse {
  source: string;
  user: string | null;
  versions: ModelVersionInfo[];
}

/** Drops unset parameters (Kibana's http would send "undefined"). */
function query(q: Query): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

const userPath = (user: string, rest: string): string => `${INTERNAL_API}/users/${encodeURIComponent(user)}/${rest}`;

export class DfpApi {
  constructor(private readonly http: HttpClient) {}

  status(): Promise<StatusResponse> {
    return this.http.get(`${INTERNAL_API}/status`);
  }

  overview(scope: Scope): Promise<OverviewResponse> {
    return this.http.get(`${INTERNAL_API}/overview`, { query: query({ ...scope }) });
  }

  users(q: UsersQuery): Promise<UsersResponse> {
    return this.http.get(`${INTERNAL_API}/users`, { query: query({ ...q }) });
  }

  fingerprint(user: string, scope: Scope): Promise<FingerprintResponse> {
    return this.http.get(userPath(user, 'fingerprint'), { query: query({ ...scope }) });
  }

  userEvents(user: string, q: UserEventsQuery): Promise<UserEventsResponse> {
    const { onlyFlagged, ...rest } = q;
    return this.http.get(userPath(user, 'events'), { query: query({ ...rest, onlyFlagged: onlyFlagged === undefined ? undefined : String(onlyFlagged) }) });
  }

  /** Users × time: the top `users` by risk over at most `buckets` time buckets. */
  swimlane(q: Scope & { users?: number; buckets?: number }): Promise<SwimlaneResponse> {
    return this.http.get(`${INTERNAL_API}/swimlane`, { query: query({ ...q }) });
  }

  userRisk(user: string, scope: Scope): Promise<UserRiskResponse> {
    return this.http.get(userPath(user, 'risk'), { query: query({ ...scope }) });
  }

  models(q: { source?: string; page?: number; perPage?: number; search?: string }): Promise<ModelsResponse> {
    return this.http.get(`${INTERNAL_API}/models`, { query: query({ ...q }) });
  }

  /** A user's stored versions; without a user, the generic model's. */
  modelVersions(source: string | undefined, user: string | null): Promise<VersionsResponse> {
    return this.http.get(`${INTERNAL_API}/models/versions`, { query: query({ source, user: user ?? undefined }) });
  }

  rollback(source: string | undefined, user: string | null, version: number): Promise<VersionsResponse> {
    return this.http.post(`${INTERNAL_API}/models/rollback`, { body: JSON.stringify({ source, ...(user === null ? {} : { user }), version }) });
  }

  retrain(source: string | undefined, user: string): Promise<JobRun> {
    return this.http.post(`${INTERNAL_API}/models/retrain`, { body: JSON.stringify({ source, user }) });
  }

  jobs(q: JobsQuery = {}): Promise<JobsResponse> {
    return this.http.get(`${INTERNAL_API}/jobs`, { query: query({ ...q }) });
  }

  job(id: string): Promise<JobRun> {
    return this.http.get(`${INTERNAL_API}/jobs/${encodeURIComponent(id)}`);
  }

  startJob(type: JobType, source: string | undefined): Promise<JobRun> {
    return this.http.post(`${INTERNAL_API}/jobs`, { body: JSON.stringify({ type, source }) });
  }

  cancelJob(id: string): Promise<{ cancelled: string }> {
    return this.http.post(`${INTERNAL_API}/jobs/${encodeURIComponent(id)}/cancel`, { body: '{}' });
  }

  settings(): Promise<DfpSettings> {
    return this.http.get(`${INTERNAL_API}/settings`);
  }

  updateSettings(patch: Partial<DfpSettings>): Promise<DfpSettings> {
    return this.http.put(`${INTERNAL_API}/settings`, { body: JSON.stringify(patch) });
  }

  sourceKey(source: string): Promise<{ source: string; key: SourceKeyInfo | null }> {
    return this.http.get(`${INTERNAL_API}/sources/${encodeURIComponent(source)}/key`);
  }

  dashboards(): Promise<{ fileName: string; objects: { id: string; type: string; title: string }[]; ndjson: string }> {
    return this.http.get(`${INTERNAL_API}/dashboards`);
  }

  /** Decisions about a source's users and events (one user's with `user`). */
  triage(source: string, user?: string): Promise<TriageResponse> {
    return this.http.get(`${INTERNAL_API}/sources/${encodeURIComponent(source)}/triage`, { query: query({ user }) });
  }

  addTriage(source: string, decision: TriageDecision): Promise<TriageRecord> {
    return this.http.post(`${INTERNAL_API}/sources/${encodeURIComponent(source)}/triage`, { body: JSON.stringify(decision) });
  }

  renewSourceKey(source: string): Promise<{ source: string; key: SourceKeyInfo }> {
    return this.http.post(`${INTERNAL_API}/sources/${encodeURIComponent(source)}/key/renew`, { body: '{}' });
  }
}
