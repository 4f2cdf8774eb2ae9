/**
 * Test support: Kibana's saved objects in memory, with the behaviour the plugin relies on —
 * - types checked at registration as Kibana checks them (name, management and hidden flags, model
 *   versions: integer keys from 1 without gaps, added mappings present in `mappings`), plus the rule
 *   Kibana's CI enforces on new types: every model version declares `create` and
 *   `forwardCompatibility` schemas;
 * - each create validated with the type's latest `create` schema (Kibana's 400 on a bad attribute);
 * - hidden types reachable only when a client includes them;
 * - a caller's access limited to the saved-object types of their feature privilege, refused as
 *   Kibana's security layer refuses (Boom 403 `Unable to <action> <type>`; `find` of types the
 *   caller may not read answers an empty page, as Kibana's does);
 * - the encryptedSavedObjects plugin: registered attributes encrypted at rest (AES-256-GCM),
 *   stripped from ordinary reads, decrypted only through its client, chosen ids refused unless
 *   UUIDs; without an encryption key (`canEncrypt: false`) saving or decrypting such an attribute
 *   fails, as Kibana's does.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { isConfigSchema, type Type } from './config_schema';

/** An error shaped like Kibana's (Boom): `isBoom`, `output.statusCode`, `output.payload`. */
export class BoomError extends Error {
  readonly isBoom = true;
  readonly output: { statusCode: number; payload: { statusCode: number; error: string; message: string } };
  constructor(statusCode: number, message: string) {
    super(message);
    const error = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict' }[statusCode as 400 | 403 | 404 | 409] ?? 'Error';
    this.output = { statusCode, payload: { statusCode, error, message } };
  }
}

interface ModelVersion {
  changes: { type: string; addedMappings?: Record<string, unknown> }[];
  schemas?: { create?: unknown; forwardCompatibility?: unknown };
}

export interface RegisteredType {
  name: string;
  hidden: boolean;
  hiddenFromHttpApis?: boolean;
  namespaceType: string;
  mappings: { properties: Record<string, unknown> };
  management?: { importableAndExportable?: boolean; onExport?: unknown; visibleInManagement?: boolean };
  modelVersions?: Record<string, ModelVersion> | (() => Record<string, ModelVersion>);
  switchToModelVersionAt?: string;
}

interface StoredObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  version: number;
  updated_at: string;
}

/** Which types a caller may read and write (from their feature privilege); undefined: anything (internal). */
export interface SavedObjectsAccess {
  read: Set<string>;
  write: Set<string>;
}

type Action = 'get' | 'find' | 'create' | 'update' | 'delete';

const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000)$/i;

/** `a.b.c` paths of the leaves of a mappings `properties` tree, as Kibana flattens them. */
function mappingLeaves(properties: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(properties)) {
    const v = value as { properties?: Record<string, unknown> };
    if (v && typeof v === 'object' && v.properties) for (const [p, t] of mappingLeaves(v.properties, `${prefix}${key}.`)) out.set(p, t);
    else out.set(`${prefix}${key}`, JSON.stringify(value));
  }
  return out;
}

/** Kibana's checks of a type at registration and migrator setup (see the file comment). */
export function validateType(type: RegisteredType): void {
  const { name, management, hidden, hiddenFromHttpApis } = type;
  if (management?.onExport && !management.importableAndExportable) throw new Error(`Type ${name}: 'management.importableAndExportable' must be 'true' when specifying 'management.onExport'`);
  if (management?.visibleInManagement !== undefined && !management.importableAndExportable) {
    throw new Error(`Type ${name}: 'management.importableAndExportable' must be 'true' when specifying 'management.visibleInManagement'`);
  }
  if (hidden === true && hiddenFromHttpApis === false) throw new Error(`Type ${name}: 'hiddenFromHttpApis' cannot be 'false' when specifying 'hidden' as 'true'`);
  // 8.10–9.0 default it to 8.10.0 and refuse a later one; 9.1 removed it.
  if (type.switchToModelVersionAt !== undefined) {
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(type.switchToModelVersionAt);
    if (!m) throw new Error(`Type ${name}: invalid switchToModelVersionAt provided: ${type.switchToModelVersionAt}`);
    if (Number(m[1]) * 1e6 + Number(m[2]) * 1e3 + Number(m[3]) > 8_010_000) throw new Error(`Type ${name}: provided switchToModelVersionAt (${type.switchToModelVersionAt}) is higher than maximum (8.10.0)`);
  }
  const versions = typeof type.modelVersions === 'function' ? type.modelVersions() : (type.modelVersions ?? {});
  const keys = Object.keys(versions);
  if (keys.length === 0) return;
  const numbers = keys.map((k) => {
    const n = parseFloat(k);
    if (!Number.isInteger(n)) throw new Error('Model version must be an integer');
    return n;
  });
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  if (min > 1) throw new Error(`Type ${name}: model versioning must start with version 1`);
  const leaves = mappingLeaves(type.mappings.properties);
  for (const v of Object.values(versions)) {
    for (const change of v.changes) {
      if (change.type !== 'mappings_addition') continue;
      for (const [p, t] of mappingLeaves(change.addedMappings ?? {})) {
        if (!leaves.has(p)) throw new Error(`Type ${name}: mappings added on model versions not present on the global mappings definition: ${p}`);
        if (leaves.get(p) !== t) throw new Error(`Type ${name}: mappings added on model versions differs from the global mappings definition: ${p}`);
      }
    }
  }
  const missing: number[] = [];
  for (let i = min; i <= max; i++) if (!numbers.includes(i)) missing.push(i);
  if (missing.length > 0) throw new Error(`Type ${name}: gaps between model versions aren't allowed (missing versions: ${missing.join(',')})`);
  for (const [key, v] of Object.entries(versions)) {
    const { create, forwardCompatibility } = v.schemas ?? {};
    if (!isConfigSchema(create)) throw new Error(`Type ${name}: model version ${key} needs a create schema (@kbn/config-schema)`);
    if (!isConfigSchema(forwardCompatibility) && typeof forwardCompatibility !== 'function') throw new Error(`Type ${name}: model version ${key} needs a forwardCompatibility schema`);
  }
}

/** The `create` schema of a type's latest model version, if it has model versions. */
function latestCreateSchema(type: RegisteredType): Type<unknown> | undefined {
  const versions = typeof type.modelVersions === 'function' ? type.modelVersions() : type.modelVersions;
  if (!versions || Object.keys(versions).length === 0) return undefined;
  const latest = Math.max(...Object.keys(versions).map(Number));
  return versions[String(latest)].schemas?.create as Type<unknown> | undefined;
}

export class SavedObjectsStore {
  readonly types = new Map<string, RegisteredType>();
  readonly objects = new Map<string, StoredObject>();
  /** encryptedSavedObjects registrations: type → attributes to encrypt. */
  readonly encrypted = new Map<string, Set<string>>();
  /** Whether encryptedSavedObjects has an encryption key (`xpack.encryptedSavedObjects.encryptionKey`). */
  canEncrypt = true;
  private readonly key = randomBytes(32);

  registerType(type: RegisteredType): void {
    if (this.types.has(type.name)) throw new Error(`Type '${type.name}' is already registered`);
    if (!/^[a-z][a-z0-9_-]*$/.test(type.name)) throw new Error(`Invalid saved object type name '${type.name}'`);
    validateType(type);
    this.types.set(type.name, type);
  }

  registerEncrypted(type: string, attributes: ReadonlySet<string>): void {
    if (this.encrypted.has(type)) throw new Error(`The "${type}" saved object type is already registered.`);
    this.encrypted.set(type, new Set(attributes));
  }

  /**
   * A saved-objects client. `access` limits types as Kibana's security does for a user; `encrypting`
   * (clients from a request) applies encryptedSavedObjects; the internal repository does not.
   */
  client(opts: { includedHiddenTypes?: string[]; access?: SavedObjectsAccess; encrypting: boolean }) {
    const known = (type: string): RegisteredType => {
      const t = this.types.get(type);
      if (!t || (t.hidden && !opts.includedHiddenTypes?.includes(type))) throw new BoomError(400, `Unsupported saved object type: '${type}': Bad Request`);
      return t;
    };
    const allowed = (type: string, action: Action): boolean => {
      if (!opts.access) return true;
      return (action === 'get' || action === 'find' ? opts.access.read : opts.access.write).has(type);
    };
    const usable = (type: string, action: Action): RegisteredType => {
      const t = known(type);
      if (!allowed(type, action)) throw new BoomError(403, `Unable to ${action} ${type}`);
      return t;
    };
    const view = (o: StoredObject): { id: string; type: string; attributes: unknown; version: string; updated_at: string } => {
      const hidden = opts.encrypting ? this.encrypted.get(o.type) : undefined;
      const attributes = Object.fromEntries(Object.entries(o.attributes).filter(([k]) => !hidden?.has(k)));
      return { id: o.id, type: o.type, attributes: structuredClone(attributes), version: String(o.version), updated_at: o.updated_at };
    };
    /** Stores `attributes` (encrypting registered ones), over `base` for an update. */
    const write = (type: string, id: string, attributes: Record<string, unknown>, existing: StoredObject | undefined, base: Record<string, unknown> = {}): StoredObject => {
      const stored = structuredClone(attributes);
      const encryptedAttrs = opts.encrypting ? this.encrypted.get(type) : undefined;
      for (const a of encryptedAttrs ?? []) if (stored[a] !== undefined) stored[a] = this.encrypt(a, stored[a], `${type}:${id}`);
      const o: StoredObject = { type, id, attributes: { ...base, ...stored }, version: (existing?.version ?? 0) + 1, updated_at: new Date().toISOString() };
      this.objects.set(`${type}:${id}`, o);
      return o;
    };
    return {
      get: async <T>(type: string, id: string) => {
        usable(type, 'get');
        const o = this.objects.get(`${type}:${id}`);
        if (!o) throw new BoomError(404, `Saved object [${type}/${id}] not found`);
        return view(o) as { id: string; type: string; attributes: T; version: string };
      },
      find: async <T>({ type, perPage = 20, page = 1 }: { type: string; perPage?: number; page?: number }) => {
        known(type);
        const all = allowed(type, 'find') ? [...this.objects.values()].filter((o) => o.type === type).sort((a, b) => (a.id < b.id ? -1 : 1)) : [];
        const saved_objects = all.slice((page - 1) * perPage, page * perPage).map((o) => ({ ...view(o), score: 0 }) as { id: string; type: string; attributes: T; score: number });
        return { saved_objects, total: all.length, page, per_page: perPage };
      },
      create: async <T>(type: string, attributes: T, options: { id?: string; overwrite?: boolean; version?: string } = {}) => {
        const t = usable(type, 'create');
        const encryptedAttrs = opts.encrypting ? this.encrypted.get(type) : undefined;
        if (encryptedAttrs && options.id && !((options.overwrite && options.version) || UUID.test(options.id))) {
          throw new BoomError(400, 'Predefined IDs are not allowed for saved objects with encrypted attributes unless the ID is a UUID.');
        }
        try {
          latestCreateSchema(t)?.validate(attributes, {}, 'attributes');
        } catch (e) {
          throw new BoomError(400, `${(e as Error).message}: Bad Request`);
        }
        const id = options.id ?? randomUUID();
        const existing = this.objects.get(`${type}:${id}`);
        if (existing && !options.overwrite) throw new BoomError(409, `Saved object [${type}/${id}] conflict`);
        return view(write(type, id, attributes as Record<string, unknown>, existing)) as { id: string; type: string; attributes: T };
      },
      /** Partial update of an existing object (404 when there is none), as Kibana's. */
      update: async <T>(type: string, id: string, attributes: Partial<T>) => {
        usable(type, 'update');
        const existing = this.objects.get(`${type}:${id}`);
        if (!existing) throw new BoomError(404, `Saved object [${type}/${id}] not found`);
        return view(write(type, id, attributes as Record<string, unknown>, existing, existing.attributes));
      },
      delete: async (type: string, id: string) => {
        usable(type, 'delete');
        if (!this.objects.delete(`${type}:${id}`)) throw new BoomError(404, `Saved object [${type}/${id}] not found`);
        return {};
      },
    };
  }

  /** encryptedSavedObjects' start contract: decrypts as Kibana's internal user. */
  esoClient(opts: { includedHiddenTypes?: string[] }) {
    return {
      getDecryptedAsInternalUser: async <T>(type: string, id: string) => {
        const t = this.types.get(type);
        if (!t || (t.hidden && !opts.includedHiddenTypes?.includes(type))) throw new BoomError(400, `Unsupported saved object type: '${type}': Bad Request`);
        const o = this.objects.get(`${type}:${id}`);
        if (!o) throw new BoomError(404, `Saved object [${type}/${id}] not found`);
        const attributes = { ...o.attributes };
        for (const a of this.encrypted.get(type) ?? []) if (typeof attributes[a] === 'string') attributes[a] = this.decrypt(a, attributes[a] as string, `${type}:${id}`);
        return { id, type, attributes: attributes as T, version: String(o.version) };
      },
    };
  }

  private encrypt(attribute: string, value: unknown, aad: string): string {
    // Kibana's EncryptionError: a plain Error (not Boom), the reason as its cause.
    if (!this.canEncrypt) throw new Error(`Unable to encrypt attribute "${attribute}"`, { cause: new Error('Encryption is disabled because of missing encryption key.') });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  private decrypt(attribute: string, text: string, aad: string): unknown {
    if (!this.canEncrypt) throw new Error(`Unable to decrypt attribute "${attribute}"`);
    const buf = Buffer.from(text, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(buf.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8'));
  }
}
