import type { ZodType } from 'zod';
import type { DfpSettings, EncryptionStatus, Privilege, SavedObjectsRemovalResponse, SourceKeyInfo } from '../../common/api';
import type { SourceConfig } from '../../common/source_config';
import type { ModelStore } from '../engine/io/model_store';
import type { TriageStore } from '../engine/io/triage_store';
import type { ScoresReader } from '../data/scores_reader';
import type { JobControl } from '../job_control/job_control';

/**
 * What a handler works with, built per request by the adapter (Kibana's router or the standalone
 * server): readers scoped to the caller (in Kibana, the analyst's own Elasticsearch privileges),
 * the model store, job control and settings.
 */
export interface RouteContext {
  scores: ScoresReader;
  /** The model store of a source (models are kept per profile; sources of one profile share them). */
  models(source: SourceConfig): ModelStore;
  jobs: JobControl;
  settings: SettingsStore;
  /** Newest event in a source's indices and the time scoring reached (its checkpoint). */
  sourceStatus(source: SourceConfig): Promise<{ newestEvent: string | null; scoredUpTo: string | null }>;
  /** Clock, for tests. */
  now(): number;
  /** Analysts' triage decisions (common/triage.ts). */
  triage: TriageStore;
  /** Who is calling, as decisions record it (Kibana: the logged-in user). */
  actor: string;
  /** Days an event marked benign suppresses its pattern when the decision does not say (default DEFAULTS.benignSuppressionDays). */
  benignDays?: number;
  /** The API keys sources' jobs run with: present in Kibana (with security), absent elsewhere. */
  sourceKeys?: {
    info(sourceId: string): Promise<SourceKeyInfo | null>;
    /** Grants a new key in the calling admin's name, replacing the old one. */
    renew(sourceId: string): Promise<SourceKeyInfo | null>;
  };
  /** Kibana only: whether those keys can be stored (encryptedSavedObjects has an encryption key). */
  encryption?(): Promise<EncryptionStatus>;
  /** Kibana only: deletes the plugin's saved objects (before an uninstall). */
  removeSavedObjects?(): Promise<SavedObjectsRemovalResponse>;
}

export interface SettingsStore {
  get(): Promise<DfpSettings>;
  /** Validated by the caller; returns the settings now in force. */
  update(patch: Partial<DfpSettings>): Promise<DfpSettings>;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/**
 * One HTTP route, independent of the server that hosts it: method, path (relative to the API
 * base, `{name}` for path parameters), who may call it, input schemas, and a plain handler.
 */
export interface RouteDef<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  privilege: Privilege;
  /** Also served under the public /api/dfp base, for automation. */
  public?: boolean;
  description: string;
  validate: { params?: ZodType<P>; query?: ZodType<Q>; body?: ZodType<B> };
  handler(ctx: RouteContext, input: RouteInput<P, Q, B>): Promise<R>;
}

/** An error with an HTTP status, thrown by handlers for the adapter to answer with. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** Defines a route with its input types inferred from its schemas. */
export function route<P, Q, B, R>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}
