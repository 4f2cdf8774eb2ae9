/**
 * Local declarations of exactly the Kibana server APIs this plugin uses. No `@kbn/*` package is on
 * npm, so nothing from Kibana is imported at build time; these shapes were read from Kibana's own
 * source (core http, saved objects, ui settings, elasticsearch; the features, security and
 * encryptedSavedObjects plugins) and are the subset we call. At run time Kibana hands us the real
 * objects; in tests, test/kibana_harness provides stand-ins with the same behaviour.
 */
import type { Client } from '@elastic/elasticsearch';

// ---------------------------------------------------------------------------------------------
// @kbn/config-schema: only the builders we call. The module is Kibana's, reached with `require`.

/** A config-schema type: validates (throwing a ValidationError naming the path) and applies defaults. */
export interface SchemaType<T> {
  validate(value: unknown, context?: Record<string, unknown>, namespace?: string): T;
}

export interface SchemaTypeOptions<T> {
  defaultValue?: T;
  /** Extra check after the type's own: a message when invalid. */
  validate?: (value: T) => string | void;
}

export interface ConfigSchemaApi {
  object<P extends Record<string, SchemaType<unknown>>>(
    props: P,
    // unknowns: keys not in `props` are refused (default), dropped ('ignore') or kept ('allow').
    options?: SchemaTypeOptions<{ [K in keyof P]: P[K] extends SchemaType<infer V> ? V : never }> & { unknowns?: 'allow' | 'ignore' | 'forbid' },
  ): SchemaType<{ [K in keyof P]: P[K] extends SchemaType<infer V> ? V : never }>;
  boolean(options?: SchemaTypeOptions<boolean>): SchemaType<boolean>;
  string(options?: SchemaTypeOptions<string> & { minLength?: number; maxLength?: number }): SchemaType<string>;
  number(options?: SchemaTypeOptions<number> & { min?: number; max?: number }): SchemaType<number>;
  arrayOf<T>(item: SchemaType<T>, options?: SchemaTypeOptions<T[]> & { minSize?: number; maxSize?: number }): SchemaType<T[]>;
  oneOf<T>(types: SchemaType<T>[], options?: SchemaTypeOptions<T>): SchemaType<T>;
  literal<T extends string | number | boolean>(value: T): SchemaType<T>;
  any(options?: SchemaTypeOptions<unknown>): SchemaType<unknown>;
  /** The value may be absent. */
  maybe<T>(type: SchemaType<T>): SchemaType<T | undefined>;
}

/** What `server/index.js` exports as `config`. */
export interface PluginConfigDescriptor<T> {
  schema: SchemaType<T>;
}

// ---------------------------------------------------------------------------------------------
// Logging and the initializer context.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string | Error): void;
  error(message: string | Error): void;
  get(...childContextPaths: string[]): Logger;
}

export interface PluginInitializerContext<Config = unknown> {
  logger: { get(...contextParts: string[]): Logger };
  config: { get<T = Config>(): T };
  env: { packageInfo: { version: string } };
}

// ---------------------------------------------------------------------------------------------
// HTTP: router, requests, responses.

export interface KibanaRequest<P = unknown, Q = unknown, B = unknown> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** A request built by hand, for `asScoped` (Kibana's `FakeRequest`). */
export interface FakeRequest {
  headers: Record<string, string>;
}

export interface RouteValidationError extends Error {
  path?: string[];
}

export interface RouteValidationResultFactory {
  ok<T>(value: T): { value: T };
  badRequest(error: Error | string, path?: string[]): { error: RouteValidationError };
}

export type RouteValidationFunction<T> = (data: unknown, result: RouteValidationResultFactory) => { value: T; error?: never } | { value?: never; error: RouteValidationError };

export interface RouteConfig<P, Q, B> {
  path: string;
  validate: { params?: RouteValidationFunction<P>; query?: RouteValidationFunction<Q>; body?: RouteValidationFunction<B> } | false;
  security: { authz: { requiredPrivileges: string[] } | { enabled: false; reason: string } };
  options?: { access?: 'internal' | 'public'; description?: string };
}

export interface IKibanaResponse {
  readonly status: number;
  readonly payload?: unknown;
}

export interface KibanaResponseFactory {
  ok(options?: { body?: unknown; headers?: Record<string, string> }): IKibanaResponse;
  customError(options: { statusCode: number; body?: { message: string } }): IKibanaResponse;
}

export interface ScopedClusterClient {
  asCurrentUser: Client;
  asInternalUser: Client;
}

/** `await context.core` in a route handler. */
export interface CoreRequestHandlerContext {
  elasticsearch: { client: ScopedClusterClient };
  savedObjects: { getClient(options?: { includedHiddenTypes?: string[] }): SavedObjectsClientContract };
  /** `globalClient` since Kibana 8.10 (with registerGlobal). */
  uiSettings: { client: IUiSettingsClient; globalClient?: IUiSettingsClient };
}

export interface RequestHandlerContext {
  core: Promise<CoreRequestHandlerContext>;
}

export type RequestHandler<P = unknown, Q = unknown, B = unknown> = (
  context: RequestHandlerContext,
  request: KibanaRequest<P, Q, B>,
  response: KibanaResponseFactory,
) => Promise<IKibanaResponse>;

export type RouteRegistrar = <P, Q, B>(config: RouteConfig<P, Q, B>, handler: RequestHandler<P, Q, B>) => void;

export interface IRouter {
  get: RouteRegistrar;
  post: RouteRegistrar;
  put: RouteRegistrar;
  delete: RouteRegistrar;
}

// ---------------------------------------------------------------------------------------------
// Saved objects.

export interface SavedObject<T> {
  id: string;
  type: string;
  attributes: T;
  version?: string;
  updated_at?: string;
}

export interface SavedObjectsFindResponse<T> {
  saved_objects: (SavedObject<T> & { score: number })[];
  total: number;
  page: number;
  per_page: number;
}

/** The saved-objects client (and the internal repository, which has the same methods). */
export interface SavedObjectsClientContract {
  get<T>(type: string, id: string): Promise<SavedObject<T>>;
  find<T>(options: { type: string; perPage?: number; page?: number }): Promise<SavedObjectsFindResponse<T>>;
  create<T>(type: string, attributes: T, options?: { id?: string; overwrite?: boolean; version?: string }): Promise<SavedObject<T>>;
  delete(type: string, id: string): Promise<unknown>;
}

/**
 * One model version of a saved-object type (Kibana 8.10+: `modelVersions` replace `migrations`).
 * `changes` lists mapping/data changes since the previous version (none for version 1: the type's
 * `mappings` are its first shape). `schemas.create` validates every create; `forwardCompatibility`
 * turns a document written by a newer Kibana (a higher version) into this version's shape.
 */
export interface SavedObjectsModelVersion {
  changes: SavedObjectsModelChange[];
  schemas?: {
    forwardCompatibility?: SchemaType<unknown> | ((attributes: unknown) => unknown);
    create?: SchemaType<unknown>;
  };
}

/** The model-version changes (the subset of kinds a later version of ours might use). */
export type SavedObjectsModelChange =
  | { type: 'mappings_addition'; addedMappings: Record<string, unknown> }
  | { type: 'mappings_deprecation'; deprecatedMappings: string[] }
  | { type: 'data_backfill'; backfillFn: (document: { id: string; attributes: unknown }) => { attributes: Record<string, unknown> } }
  | { type: 'data_removal'; removedAttributePaths: string[] };

/**
 * Keys are "1", "2", … without gaps. No `switchToModelVersionAt`: 8.10–9.0 default it to 8.10.0
 * for every type, and 9.1 removed it from the type.
 */
export interface SavedObjectsType {
  name: string;
  hidden: boolean;
  namespaceType: 'single' | 'multiple' | 'multiple-isolated' | 'agnostic';
  mappings: { dynamic?: false | 'strict'; properties: Record<string, unknown> };
  management?: { importableAndExportable?: boolean; displayName?: string };
  modelVersions?: Record<string, SavedObjectsModelVersion>;
}

// ---------------------------------------------------------------------------------------------
// Advanced settings (uiSettings).

export interface UiSettingsParams<T = unknown> {
  name: string;
  value: T;
  description: string;
  category: string[];
  type: 'number' | 'string' | 'boolean';
  schema: SchemaType<T>;
  requiresPageReload?: boolean;
  order?: number;
  scope?: 'namespace' | 'global';
}

/** Writes go to the `config` (per space) or `config-global` saved object, as the client's user. */
export interface IUiSettingsClient {
  get<T = unknown>(key: string): Promise<T>;
  setMany(changes: Record<string, unknown>): Promise<void>;
  /** Back to the registered defaults. */
  removeMany(keys: string[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Core setup and start contracts (the parts used).

export interface CoreSetup {
  http: { createRouter(): IRouter };
  savedObjects: { registerType(type: SavedObjectsType): void };
  uiSettings: { register(settings: Record<string, UiSettingsParams>): void; registerGlobal?(settings: Record<string, UiSettingsParams>): void };
  /** Deprecated in Kibana but still there: Elasticsearch hosts and TLS, for job worker threads. */
  elasticsearch?: { legacy?: { config$?: { subscribe(observer: (config: ElasticsearchConfig) => void): { unsubscribe(): void } } } };
}

export interface ElasticsearchConfig {
  hosts: string[];
  ssl?: { verificationMode?: 'none' | 'certificate' | 'full'; certificateAuthorities?: string[] };
}

export interface CoreStart {
  elasticsearch: { client: { asInternalUser: Client; asScoped(request: KibanaRequest | FakeRequest): ScopedClusterClient } };
  savedObjects: { createInternalRepository(includedHiddenTypes?: string[]): SavedObjectsClientContract };
  uiSettings: { asScopedToClient(client: SavedObjectsClientContract): IUiSettingsClient; globalAsScopedToClient?(client: SavedObjectsClientContract): IUiSettingsClient };
}

// ---------------------------------------------------------------------------------------------
// Plugins: features (required), security and encryptedSavedObjects (optional).

export interface AppCategory {
  id: string;
  label: string;
  order?: number;
  euiIconType?: string;
}

export interface FeatureKibanaPrivileges {
  app?: string[];
  api?: string[];
  catalogue?: string[];
  savedObject: { all: string[]; read: string[] };
  ui: string[];
}

export interface KibanaFeatureConfig {
  id: string;
  name: string;
  description?: string;
  category: AppCategory;
  app: string[];
  catalogue?: string[];
  privileges: { all: FeatureKibanaPrivileges; read: FeatureKibanaPrivileges };
  subFeatures?: SubFeatureConfig[];
}

/** A sub-feature: privileges a role can add to the feature's own (Kibana's SubFeatureConfig). */
export interface SubFeatureConfig {
  name: string;
  description?: string;
  privilegeGroups: {
    groupType: 'independent' | 'mutually_exclusive';
    privileges: (FeatureKibanaPrivileges & { id: string; name: string; includeIn: 'all' | 'read' | 'none' })[];
  }[];
}

export interface FeaturesPluginSetup {
  registerKibanaFeature(feature: KibanaFeatureConfig): void;
}

export interface GrantAPIKeyResult {
  id: string;
  name: string;
  api_key: string;
}

export interface SecurityPluginStart {
  authc: {
    getCurrentUser(request: KibanaRequest): { username: string } | null;
    apiKeys: {
      /** False when Elasticsearch runs without security (then there are no keys, and no credentials are needed). */
      areAPIKeysEnabled(): Promise<boolean>;
      grantAsInternalUser(
        request: KibanaRequest,
        params: { name: string; role_descriptors: Record<string, unknown>; metadata?: Record<string, unknown>; expiration?: string },
      ): Promise<GrantAPIKeyResult | null>;
      invalidateAsInternalUser(params: { ids: string[] }): Promise<unknown>;
    };
  };
}

export interface EncryptedSavedObjectsPluginSetup {
  /** False when `xpack.encryptedSavedObjects.encryptionKey` is not set: saving an encrypted attribute then fails. */
  canEncrypt: boolean;
  registerType(registration: { type: string; attributesToEncrypt: ReadonlySet<string> }): void;
}

export interface EncryptedSavedObjectsClient {
  getDecryptedAsInternalUser<T>(type: string, id: string): Promise<SavedObject<T>>;
}

export interface EncryptedSavedObjectsPluginStart {
  getClient(options?: { includedHiddenTypes?: string[] }): EncryptedSavedObjectsClient;
}

export interface DfpSetupDeps {
  features: FeaturesPluginSetup;
  security?: unknown;
  encryptedSavedObjects?: EncryptedSavedObjectsPluginSetup;
}

export interface DfpStartDeps {
  security?: SecurityPluginStart;
  encryptedSavedObjects?: EncryptedSavedObjectsPluginStart;
}
