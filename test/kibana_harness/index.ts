/**
 * Test support: a stand-in for Kibana's core that loads a BUILT plugin folder (…/kibana/<id>) the
 * way Kibana does and serves its routes over real HTTP. This file is the core itself: the plugin's
 * lifecycle and the contracts it is given; its parts:
 *
 * - load_plugin.ts: `require('<plugin>/server')`, with `@kbn/config-schema` resolving to
 *   config_schema.ts (Kibana provides its own); the exported `config.schema` validates the given
 *   kibana.yml settings, Kibana's way (`[config validation of [<path>].<key>]: …`); `enabled:
 *   false` disables it.
 * - Here: `plugin(initializerContext)`, `setup(core, { features, security, encryptedSavedObjects })`,
 *   `start(core, …)`, `stop()`; records routes, the feature, uiSettings and saved-object types.
 * - saved_objects.ts: saved objects limited per user to the types their feature privilege grants
 *   (grants.ts), with Kibana's automatic grants added; ui_settings.ts: advanced settings stored as
 *   Kibana stores them, in the `config` / `config-global` saved objects written through the
 *   caller's saved-objects client, so saving a global setting takes write access to `config-global`.
 * - encryptedSavedObjects with or without an encryption key (`canEncrypt`).
 * - http.ts (node:http): callers authenticate with Basic auth as one of the configured users, each
 *   holding a privilege (`all`, `read`, none) of the feature the plugin registered; a route's
 *   `security.authz.requiredPrivileges` are checked against that privilege's `api` list (403),
 *   its validation functions run like Kibana's (400 `[request body.field]: …`), `kbn-xsrf` is
 *   required on writes, handlers' responses are serialised as Kibana does.
 * - Elasticsearch: `asCurrentUser` forwards the caller's `authorization` header, `asInternalUser`
 *   sends Kibana's own, both real `@elastic/elasticsearch` clients (this repository's copy, not the
 *   plugin's: in Kibana they are Kibana's copy too).
 */
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { SavedObjectsStore, type RegisteredType, type SavedObjectsAccess } from './saved_objects';
import { grantsOf } from './grants';
import { loadPluginServer, readManifest, type PluginInstance, type PluginManifest } from './load_plugin';
import { basic, createRouter, listen } from './http';
import { CORE_TYPES, registerUiSettings, uiSettingsClient, validateUiSettingDefaults, type SoClient, type UiSettingsClient, type UiSettingsRegistry } from './ui_settings';
import type { GrantedKey, HarnessOptions, HarnessUser, LogLine, RecordedRoute } from './types';

export type { FeaturePrivilege } from './grants';
export type { GrantedKey, HarnessOptions, HarnessUser, LogLine, RecordedRoute } from './types';
export { validatePluginConfig } from './load_plugin';

export class KibanaHarness {
  readonly routes: RecordedRoute[] = [];
  readonly features: Record<string, any>[] = [];
  /** uiSettings as registered: key → params, and whether they are global. */
  readonly uiSettings: UiSettingsRegistry = new Map();
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
  readonly manifest: PluginManifest;
  pluginConfig?: Record<string, unknown>;
  url = '';

  constructor(readonly opts: HarnessOptions) {
    this.users = opts.users ?? {
      admin: { password: 'admin-pw', privilege: 'all' },
      analyst: { password: 'analyst-pw', privilege: 'read' },
      responder: { password: 'responder-pw', privilege: 'read', subFeatures: ['triage'] },
      outsider: { password: 'outsider-pw', privilege: 'none' },
    };
    this.manifest = readManifest(opts.pluginDir);
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
  uiSettingsFor(user: string): UiSettingsClient {
    return this.uiSettingsClient(true, this.savedObjects.client({ access: this.grants(user).savedObjects, encrypting: true }));
  }

  get configPath(): string {
    return Array.isArray(this.manifest.configPath) ? this.manifest.configPath.join('.') : this.manifest.configPath;
  }

  /** Loads, validates config, sets up and starts the plugin; serves its routes. False when the config disables it. */
  async start(): Promise<boolean> {
    const { initializer, config } = loadPluginServer(this.opts.pluginDir, this.manifest, this.opts.config ?? {}, this.configPath);
    this.pluginConfig = config;
    if (this.pluginConfig.enabled === false) return false;

    const initializerContext = {
      logger: { get: (...parts: string[]) => this.logger([this.manifest.id, ...parts].join('.')) },
      config: { get: () => this.pluginConfig },
      env: { packageInfo: { version: this.kibanaVersion } },
    };
    this.instance = await initializer(initializerContext);
    await this.instance.setup(this.coreSetup(), this.setupPlugins());
    validateUiSettingDefaults(this.uiSettings);
    await this.instance.start(this.coreStart(), this.startPlugins());
    this.started = true;
    const { server, url } = await listen({
      routes: this.routes,
      authenticate: (headers) => this.authenticate(headers),
      apiPrivileges: (user) => this.grants(user).api,
      requestCore: (user, headers) => this.requestCore(user, headers),
      logError: (message) => this.logs.push({ level: 'error', context: 'http', message }),
    });
    this.server = server;
    this.url = url;
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
      http: { createRouter: () => createRouter(this.routes) },
      savedObjects: {
        registerType: (t: RegisteredType) => {
          this.savedObjects.registerType(t);
          this.pluginTypes.push(t.name);
        },
      },
      uiSettings: {
        register: (s: Record<string, Record<string, unknown>>) => registerUiSettings(this.uiSettings, s, false),
        registerGlobal: (s: Record<string, Record<string, unknown>>) => registerUiSettings(this.uiSettings, s, true),
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

  private uiSettingsClient(global: boolean, so: SoClient): UiSettingsClient {
    return uiSettingsClient(this.uiSettings, this.kibanaVersion, global, so);
  }

  /** The `core` of a route handler's context: the request's own Elasticsearch, saved-objects and uiSettings clients. */
  private requestCore(user: string, headers: Record<string, unknown>): unknown {
    const grants = this.grants(user);
    // uiSettings reads and writes through the request's own saved-objects client, as Kibana's.
    const soClient = this.savedObjects.client({ access: grants.savedObjects, encrypting: true });
    return {
      elasticsearch: { client: this.scoped(headers) },
      savedObjects: { getClient: (o: { includedHiddenTypes?: string[] } = {}) => this.savedObjects.client({ includedHiddenTypes: o.includedHiddenTypes, access: grants.savedObjects, encrypting: true }) },
      uiSettings: { client: this.uiSettingsClient(false, soClient), globalClient: this.uiSettingsClient(true, soClient) },
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
