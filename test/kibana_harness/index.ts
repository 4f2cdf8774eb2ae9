/**
 * Test support: a stand-in for Kibana's core that loads a BUILT plugin folder (…/kibana/<id>) the
 * way Kibana does and serves its routes over real HTTP.
 *
 * - `require('<plugin>/server')`, with `@kbn/config-schema` resolving to config_schema.ts (Kibana
 *   provides its own); the exported `config.schema` validates the given kibana.yml settings,
 *   Kibana's way (`[config validation of [<path>].<key>]: …`); `enabled: false` disables it.
 * - `plugin(initializerContext)`, `setup(core, { features, security, encryptedSavedObjects })`,
 *   `start(core, …)`, `stop()`; records routes, the feature, uiSettings and saved-object types.
 * - Saved objects (saved_objects.ts) limited per user to the types their feature privilege grants,
 *   with Kibana's automatic grants added; advanced settings stored as Kibana stores them, in the
 *   `config` / `config-global` saved objects written through the caller's saved-objects client, so
 *   saving a global setting takes write access to `config-global`.
 * - encryptedSavedObjects with or without an encryption key (`canEncrypt`).
 * - HTTP (node:http): callers authenticate with Basic auth as one of the configured users, each
 *   holding a privilege (`all`, `read`, none) of the feature the plugin registered; a route's
 *   `security.authz.requiredPrivileges` are checked against that privilege's `api` list (403),
 *   its validation functions run like Kibana's (400 `[request body.field]: …`), `kbn-xsrf` is
 *   required on writes, handlers' responses are serialised as Kibana does.
 * - Elasticsearch: `asCurrentUser` forwards the caller's `authorization` header, `asInternalUser`
 *   sends Kibana's own, both real `@elastic/elasticsearch` clients (this repository's copy, not the
 *   plugin's: in Kibana they are Kibana's copy too).
 */
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Module from 'node:module';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { isConfigSchema, type Type } from './config_schema';
import { BoomError, SavedObjectsStore, type RegisteredType, type SavedObjectsAccess } from './saved_objects';
import { grantsOf, type FeaturePrivilege } from './grants';

const CONFIG_SCHEMA_MODULE = require.resolve('./config_schema');

// Kibana provides `@kbn/config-schema` to plugins; so do we, for every plugin the harness loads.
const moduleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const originalResolve = moduleInternals._resolveFilename;
moduleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === '@kbn/config-schema') return CONFIG_SCHEMA_MODULE;
  return originalResolve.call(this, request, ...rest);
};

export type { FeaturePrivilege };

export interface HarnessUser {
  password: string;
  privilege: FeaturePrivilege;
  /** Sub-feature privileges (by id) given besides: a role customised as "read + triage". */
  subFeatures?: string[];
  /** A login Kibana cannot grant API keys for (a session from a PKI or Kerberos realm, say). */
  cannotGrantKeys?: boolean;
}

export interface HarnessOptions {
  /** The built plugin folder (holding kibana.json, server/, node_modules/). */
  pluginDir: string;
  /** The plugin's kibana.yml settings (under its configPath). */
  config?: Record<string, unknown>;
  esUrl: string;
  users?: Record<string, HarnessUser>;
  /** Kibana with the security plugin (default true). */
  security?: boolean;
  /** Kibana with encryptedSavedObjects (default true). */
  encryptedSavedObjects?: boolean;
  /** xpack.encryptedSavedObjects.encryptionKey set (default true); without it `canEncrypt` is false. */
  encryptionKey?: boolean;
  /** Changes the plugin's feature as registered (to test what Kibana does with other privileges). */
  featureTransform?: (feature: Record<string, any>) => Record<string, any>;
  kibanaVersion?: string;
}

/** The saved-object types Kibana core registers for advanced settings (per space and global). */
const CORE_TYPES: RegisteredType[] = [
  { name: 'config', hidden: false, namespaceType: 'single', mappings: { properties: { buildNum: { type: 'keyword' } } } },
  { name: 'config-global', hidden: false, namespaceType: 'agnostic', mappings: { properties: { buildNum: { type: 'keyword' } } } },
];

type SoClient = ReturnType<SavedObjectsStore['client']>;

export interface RecordedRoute {
  method: string;
  path: string;
  config: {
    path: string;
    validate: false | Record<string, ((data: unknown, f: unknown) => { value?: unknown; error?: Error & { path?: string[] } }) | undefined>;
    security?: { authz?: { requiredPrivileges?: string[] } };
    options?: { access?: string };
  };
  handler: (context: unknown, request: unknown, response: unknown) => Promise<{ status: number; payload?: unknown }>;
}

export interface LogLine {
  level: string;
  context: string;
  message: string;
}

export interface GrantedKey {
  id: string;
  name: string;
  api_key: string;
  owner: string;
  metadata?: Record<string, unknown>;
}

interface PluginInstance {
  setup(core: unknown, plugins: unknown): unknown;
  start(core: unknown, plugins: unknown): unknown;
  stop?(): unknown;
}

/** Kibana's validation of a plugin's config: the schema's errors under `config validation of [<path>]`. */
export function validatePluginConfig(schema: unknown, raw: Record<string, unknown>, configPath: string): Record<string, unknown> {
  if (!isConfigSchema(schema)) throw new Error('Configuration schema expected to be an instance of Type');
  return (schema as Type<Record<string, unknown>>).validate(raw, {}, `config validation of [${configPath}]`);
}

export class KibanaHarness {
  readonly routes: RecordedRoute[] = [];
  readonly features: Record<string, any>[] = [];
  /** uiSettings as registered: key → params, and whether they are global. */
  readonly uiSettings = new Map<string, { params: Record<string, any>; global: boolean }>();
  readonly savedObjects = new SavedObjectsStore();
  /** The saved-object types the plugin registered. */
  readonly pluginTypes: string[] = [];
  readonly logs: LogLine[] = [];
  readonly grantedKeys: GrantedKey[] = [];
  readonly invalidatedKeys: string[] = [];
  /** Clients this harness made (closed on stop). */
  private readonly clients: Client[] = [];
  private readonly es: Client;
  private server?: Server;
  private instance?: PluginInstance;
  private started = false;
  private stopped = false;
  readonly users: Record<string, HarnessUser>;
  readonly manifest: { id: string; configPath: string | string[]; version: string };
  pluginConfig?: Record<string, unknown>;
  url = '';

  constructor(readonly opts: HarnessOptions) {
    this.users = opts.users ?? {
      admin: { password: 'admin-pw', privilege: 'all' },
      analyst: { password: 'analyst-pw', privilege: 'read' },
      responder: { password: 'responder-pw', privilege: 'read', subFeatures: ['triage'] },
      outsider: { password: 'outsider-pw', privilege: 'none' },
    };
    this.manifest = require(path.join(opts.pluginDir, 'kibana.json'));
    this.es = new Client({ node: opts.esUrl, maxRetries: 0 });
    this.clients.push(this.es);
    for (const t of CORE_TYPES) this.savedObjects.registerType(t);
    this.savedObjects.canEncrypt = opts.encryptionKey !== false;
  }

  get kibanaVersion(): string {
    return this.opts.kibanaVersion ?? '8.19.2';
  }

  /** The global advanced settings users saved (the `config-global` object's values). */
  get uiSettingValues(): Map<string, unknown> {
    const stored = this.savedObjects.objects.get(`config-global:${this.kibanaVersion}`)?.attributes ?? {};
    return new Map(Object.entries(stored).filter(([k, v]) => k !== 'buildNum' && v !== null));
  }

  /** The global advanced settings client a request of `user` gets (their saved-object privileges apply). */
  uiSettingsFor(user: string): { get(key: string): Promise<unknown>; setMany(changes: Record<string, unknown>): Promise<void>; removeMany(keys: string[]): Promise<void> } {
    return this.uiSettingsClient(true, this.savedObjects.client({ access: this.grants(user).savedObjects, encrypting: true }));
  }

  get configPath(): string {
    return Array.isArray(this.manifest.configPath) ? this.manifest.configPath.join('.') : this.manifest.configPath;
  }

  /** Loads, validates config, sets up and starts the plugin; serves its routes. False when the config disables it. */
  async start(): Promise<boolean> {
    const entry = require(path.join(this.opts.pluginDir, 'server')) as { plugin?: unknown; config?: { schema?: unknown } };
    if (typeof entry.plugin !== 'function') throw new Error(`Definition of plugin "${this.manifest.id}" should be a function.`);
    this.pluginConfig = validatePluginConfig(entry.config?.schema, this.opts.config ?? {}, this.configPath);
    if (this.pluginConfig.enabled === false) return false;

    const initializerContext = {
      logger: { get: (...parts: string[]) => this.logger([this.manifest.id, ...parts].join('.')) },
      config: { get: () => this.pluginConfig },
      env: { packageInfo: { version: this.kibanaVersion } },
    };
    this.instance = (await (entry.plugin as (ctx: unknown) => PluginInstance)(initializerContext)) as PluginInstance;
    await this.instance.setup(this.coreSetup(), this.setupPlugins());
    for (const [key, { params }] of this.uiSettings) {
      // Kibana validates every registered default against its schema at start.
      if (!isConfigSchema(params.schema)) throw new Error(`Validation schema is not provided for [${key}] UI Setting`);
      params.schema.validate(params.value, {}, `ui settings defaults [${key}]`);
    }
    await this.instance.start(this.coreStart(), this.startPlugins());
    this.started = true;
    await this.listen();
    return true;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.started) await this.instance?.stop?.();
    this.started = false;
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
      this.server = undefined;
    }
    await Promise.all(this.clients.map((c) => c.close()));
  }

  /** An HTTP request as a user (Basic auth), or anonymous with `user: null`. */
  async request(method: string, urlPath: string, opts: { user?: string | null; body?: unknown; query?: Record<string, string>; xsrf?: boolean } = {}): Promise<{ status: number; body: any }> {
    const user = opts.user === undefined ? 'admin' : opts.user;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (user) headers.authorization = basic(user, this.users[user]?.password ?? 'wrong');
    if (opts.xsrf !== false) headers['kbn-xsrf'] = 'harness';
    const qs = opts.query ? `?${new URLSearchParams(opts.query)}` : '';
    const res = await fetch(`${this.url}${urlPath}${qs}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  private logger(context: string): unknown {
    const at = (level: string) => (message: string | Error) => this.logs.push({ level, context, message: message instanceof Error ? message.message : message });
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), get: (...parts: string[]) => this.logger([context, ...parts].join('.')) };
  }

  private coreSetup(): unknown {
    return {
      http: { createRouter: () => this.router() },
      savedObjects: {
        registerType: (t: RegisteredType) => {
          this.savedObjects.registerType(t);
          this.pluginTypes.push(t.name);
        },
      },
      uiSettings: {
        register: (s: Record<string, Record<string, unknown>>) => this.registerUiSettings(s, false),
        registerGlobal: (s: Record<string, Record<string, unknown>>) => this.registerUiSettings(s, true),
      },
      elasticsearch: {
        legacy: { config$: { subscribe: (observer: (c: unknown) => void) => (observer({ hosts: [this.opts.esUrl], ssl: { verificationMode: 'full' } }), { unsubscribe: () => {} }) } },
      },
    };
  }

  private setupPlugins(): Record<string, unknown> {
    const plugins: Record<string, unknown> = {
      features: {
        registerKibanaFeature: (f: Record<string, any>) => {
          for (const key of ['id', 'name', 'category', 'app', 'privileges']) if (f[key] === undefined) throw new Error(`[${key}]: expected value but got [undefined]`);
          for (const p of ['all', 'read']) {
            const priv = f.privileges[p];
            if (!priv?.savedObject || !Array.isArray(priv.savedObject.all) || !Array.isArray(priv.savedObject.read) || !Array.isArray(priv.ui)) throw new Error(`[privileges.${p}]: savedObject.all, savedObject.read and ui are required`);
          }
          if (this.features.some((x) => x.id === f.id)) throw new Error(`Feature with id ${f.id} is already registered.`);
          this.features.push(this.opts.featureTransform ? this.opts.featureTransform(structuredClone(f)) : f);
        },
      },
    };
    if (this.opts.security !== false) plugins.security = {};
    if (this.opts.encryptedSavedObjects !== false) {
      plugins.encryptedSavedObjects = {
        canEncrypt: this.savedObjects.canEncrypt,
        registerType: (r: { type: string; attributesToEncrypt: ReadonlySet<string> }) => this.savedObjects.registerEncrypted(r.type, r.attributesToEncrypt),
      };
    }
    return plugins;
  }

  private coreStart(): unknown {
    return {
      elasticsearch: { client: { asInternalUser: this.internalClient(), asScoped: (req: { headers: Record<string, unknown> }) => this.scoped(req.headers) } },
      savedObjects: { createInternalRepository: (includedHiddenTypes?: string[]) => this.savedObjects.client({ includedHiddenTypes, encrypting: false }) },
      uiSettings: { asScopedToClient: (so: SoClient) => this.uiSettingsClient(false, so), globalAsScopedToClient: (so: SoClient) => this.uiSettingsClient(true, so) },
    };
  }

  /** The start contracts of security and encryptedSavedObjects the plugin got (for tests that call plugin code directly). */
  startContracts: Record<string, any> = {};

  private startPlugins(): Record<string, unknown> {
    const plugins: Record<string, unknown> = {};
    if (this.opts.security !== false) {
      plugins.security = {
        authc: {
          getCurrentUser: (req: { headers: Record<string, unknown> }) => {
            const u = this.authenticate(req.headers);
            return u ? { username: u } : null;
          },
          apiKeys: {
            areAPIKeysEnabled: async () => true,
            grantAsInternalUser: async (req: { headers: Record<string, unknown> }, params: { name: string; role_descriptors: unknown; metadata?: Record<string, unknown> }) => {
              // Kibana grants for password and token logins: the request must carry them.
              const owner = this.authenticate(req.headers);
              if (!owner) throw new Error('Unable to grant an API Key, request does not contain an authorization header');
              if (this.users[owner]?.cannotGrantKeys) throw new Error(`Unable to grant an API Key for ${owner}: the login's realm does not support granting`);
              const key = { id: randomBytes(8).toString('hex'), name: params.name, api_key: randomBytes(16).toString('hex') };
              this.grantedKeys.push({ ...key, owner, metadata: params.metadata });
              return key;
            },
            invalidateAsInternalUser: async ({ ids }: { ids: string[] }) => {
              this.invalidatedKeys.push(...ids);
              return { invalidated_api_keys: ids };
            },
          },
        },
      };
    }
    if (this.opts.encryptedSavedObjects !== false) plugins.encryptedSavedObjects = { getClient: (o: { includedHiddenTypes?: string[] } = {}) => this.savedObjects.esoClient(o) };
    this.startContracts = plugins;
    return plugins;
  }

  private registerUiSettings(settings: Record<string, Record<string, unknown>>, global: boolean): void {
    for (const [key, params] of Object.entries(settings)) {
      if (this.uiSettings.has(key)) throw new Error(`uiSettings for the key [${key}] has been already registered`);
      this.uiSettings.set(key, { params, global });
    }
  }

  /**
   * Kibana's uiSettings client over `so` (the caller's saved-objects client): values live in the
   * `config` / `config-global` object with the Kibana version as id, validated with their schemas on
   * write. As Kibana's, a write is an update, then a create when there is no object yet; a read the
   * caller may not make answers the defaults.
   */
  private uiSettingsClient(global: boolean, so: SoClient) {
    const type = global ? 'config-global' : 'config';
    const id = this.kibanaVersion;
    const known = (key: string) => {
      const s = this.uiSettings.get(key);
      if (!s || s.global !== global) throw new BoomError(400, `Setting with a key [${key}] is not registered`);
      return s.params;
    };
    const read = async (): Promise<Record<string, unknown>> => {
      try {
        return (await so.get<Record<string, unknown>>(type, id)).attributes;
      } catch (e) {
        const status = (e as BoomError).output?.statusCode;
        if (status === 404 || status === 403) return {};
        throw e;
      }
    };
    const write = async (changes: Record<string, unknown>): Promise<void> => {
      try {
        await so.update(type, id, changes);
      } catch (e) {
        if ((e as BoomError).output?.statusCode !== 404) throw e;
        await so.create(type, { buildNum: 1, ...changes }, { id });
      }
    };
    return {
      get: async (key: string) => {
        const params = known(key);
        const stored = await read();
        const value = Object.hasOwn(stored, key) ? stored[key] : null;
        return value === null || value === undefined ? params.value : value;
      },
      setMany: async (changes: Record<string, unknown>) => {
        for (const [key, value] of Object.entries(changes)) {
          try {
            known(key).schema.validate(value, {}, `validation [${key}]`);
          } catch (e) {
            throw new BoomError(400, (e as Error).message);
          }
        }
        await write(changes);
      },
      removeMany: async (keys: string[]) => {
        for (const key of keys) known(key);
        await write(Object.fromEntries(keys.map((k) => [k, null])));
      },
    };
  }

  private internalClient(): Client {
    const c = this.es.child({ headers: { authorization: basic('kibana_system', 'kibana-pw') } });
    return c;
  }

  /** asScoped: a client carrying the request's own credentials. */
  scoped(headers: Record<string, unknown>): { asCurrentUser: Client; asInternalUser: Client } {
    const auth = headers.authorization;
    return { asCurrentUser: this.es.child({ headers: typeof auth === 'string' ? { authorization: auth } : {} }), asInternalUser: this.internalClient() };
  }

  /** The username of a request's Basic credentials, or null. */
  authenticate(headers: Record<string, unknown>): string | null {
    const auth = headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Basic ')) return null;
    const [user, password] = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':');
    return this.users[user]?.password === password ? user : null;
  }

  /** What a user's feature privilege grants (grants.ts). */
  private grants(user: string): { api: Set<string>; savedObjects: SavedObjectsAccess } {
    return grantsOf(this.features, this.users[user].privilege, this.users[user].subFeatures);
  }

  private router(): unknown {
    const register = (method: string) => (config: RecordedRoute['config'], handler: RecordedRoute['handler']) => {
      if (!config.path.startsWith('/')) throw new Error(`Expected route path to start with a slash, but got [${config.path}]`);
      if (config.validate !== false && typeof config.validate !== 'object') throw new Error(`Expected a valid validation logic declared with '@kbn/config-schema' package or a RouteValidationFunction at key: [validate]`);
      if (method === 'get' && config.validate && config.validate.body) throw new Error(`[${method.toUpperCase()} ${config.path}] has validate.body: GET routes have no body`);
      if (!config.security?.authz) throw new Error(`Route [${method.toUpperCase()} ${config.path}] must declare security.authz`);
      if (this.routes.some((r) => r.method === method && r.path === config.path)) throw new Error(`Route [${method.toUpperCase()} ${config.path}] is already registered`);
      this.routes.push({ method, path: config.path, config, handler });
    };
    return { get: register('get'), post: register('post'), put: register('put'), delete: register('delete') };
  }

  private async listen(): Promise<void> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((e: Error) => {
        this.logs.push({ level: 'error', context: 'http', message: e.stack ?? e.message });
        send(res, 500, { statusCode: 500, error: 'Internal Server Error', message: 'An internal server error occurred.' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toLowerCase();
    let params: Record<string, string> | null = null;
    const route = this.routes.find((r) => r.method === method && (params = matchPath(r.path, url.pathname)) !== null);
    if (!route || !params) return send(res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });

    const user = this.authenticate(req.headers);
    if (!user) return send(res, 401, { statusCode: 401, error: 'Unauthorized', message: 'Unauthorized' });
    if (method !== 'get' && !req.headers['kbn-xsrf']) return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'Request must contain a kbn-xsrf header.' });
    const grants = this.grants(user);
    const required = route.config.security?.authz?.requiredPrivileges ?? [];
    const missing = required.filter((p) => !grants.api.has(p));
    if (missing.length > 0) {
      return send(res, 403, { statusCode: 403, error: 'Forbidden', message: `API [${method.toUpperCase()} ${url.pathname}] is unauthorized for user, this action is granted by the Kibana privileges [${required.join(',')}]` });
    }

    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'Invalid request payload JSON format' });
      }
    }
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [...([] as string[]).concat(query[k]), v] : v;

    // Kibana's RouteValidator: each declared part through its function, errors as `[request <part>.<path>]: …`.
    const validated: Record<string, unknown> = { params: {}, query: {}, body: {} };
    const factory = { ok: (value: unknown) => ({ value }), badRequest: (error: Error | string, p: string[] = []) => ({ error: Object.assign(typeof error === 'string' ? new Error(error) : error, { path: p }) }) };
    for (const [part, data] of [['params', params], ['query', query], ['body', body]] as const) {
      const fn = route.config.validate ? route.config.validate[part] : undefined;
      if (!fn) continue;
      const result = fn(data, factory);
      if (result.error) {
        const where = [`request ${part}`, ...(result.error.path ?? [])].join('.');
        return send(res, 400, { statusCode: 400, error: 'Bad Request', message: `[${where}]: ${result.error.message}` });
      }
      validated[part] = result.value;
    }

    const request = { params: validated.params, query: validated.query, body: validated.body, headers: req.headers, url, route: { path: route.path, method } };
    const scoped = this.scoped(req.headers);
    // uiSettings reads and writes through the request's own saved-objects client, as Kibana's.
    const soClient = this.savedObjects.client({ access: grants.savedObjects, encrypting: true });
    const core = {
      elasticsearch: { client: scoped },
      savedObjects: { getClient: (o: { includedHiddenTypes?: string[] } = {}) => this.savedObjects.client({ includedHiddenTypes: o.includedHiddenTypes, access: grants.savedObjects, encrypting: true }) },
      uiSettings: { client: this.uiSettingsClient(false, soClient), globalClient: this.uiSettingsClient(true, soClient) },
    };
    const response = {
      ok: (o: { body?: unknown } = {}) => ({ status: 200, payload: o.body }),
      customError: (o: { statusCode: number; body?: { message: string } }) => {
        if (o.statusCode < 400 || o.statusCode >= 600) throw new Error(`Unexpected Http status code. Expected from 400 to 599, but given: ${o.statusCode}`);
        return { status: o.statusCode, payload: { statusCode: o.statusCode, error: STATUS_CODES[o.statusCode], message: o.body?.message ?? '' } };
      },
    };
    const out = await route.handler({ core: Promise.resolve(core) }, request, response);
    send(res, out.status, out.payload);
  }
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

/** Kibana's route path syntax: `{name}` and `{name?}` segments. */
function matchPath(pattern: string, actual: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = actual.split('/');
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i];
    const g = got[i];
    if (w === undefined) return null;
    const m = /^\{(\w+)(\?)?\}$/.exec(w);
    if (m) {
      if (g === undefined || g === '') {
        if (m[2]) continue;
        return null;
      }
      params[m[1]] = decodeURIComponent(g);
    } else if (w !== g) return null;
  }
  return params;
}

/** Starts a harness (see KibanaHarness); the caller stops it. */
export async function startKibana(opts: HarnessOptions): Promise<KibanaHarness> {
  const h = new KibanaHarness(opts);
  try {
    await h.start();
  } catch (e) {
    await h.stop();
    throw e;
  }
  return h;
}
