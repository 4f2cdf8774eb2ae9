/**
 * Test support: Kibana's saved objects in memory, with the behaviour the plugin relies on —
 * hidden types reachable only when a client includes them, a caller's access limited to the
 * saved-object types of their feature privilege, Boom-style 404/403/400 errors, and the
 * encryptedSavedObjects plugin: registered attributes encrypted at rest (AES-256-GCM), stripped
 * from ordinary reads, decrypted only through its client, and chosen ids refused unless UUIDs.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';

/** An error shaped like Kibana's (Boom): `output.statusCode`. */
export class BoomError extends Error {
  readonly isBoom = true;
  readonly output: { statusCode: number; payload: { statusCode: number; error: string; message: string } };
  constructor(statusCode: number, message: string) {
    super(message);
    this.output = { statusCode, payload: { statusCode, error: statusCode === 404 ? 'Not Found' : statusCode === 403 ? 'Forbidden' : 'Bad Request', message } };
  }
}

export interface RegisteredType {
  name: string;
  hidden: boolean;
  namespaceType: string;
  mappings: { properties: Record<string, unknown> };
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

const UUID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|00000000-0000-0000-0000-000000000000)$/i;

export class SavedObjectsStore {
  readonly types = new Map<string, RegisteredType>();
  readonly objects = new Map<string, StoredObject>();
  /** encryptedSavedObjects registrations: type → attributes to encrypt. */
  readonly encrypted = new Map<string, Set<string>>();
  private readonly key = randomBytes(32);

  registerType(type: RegisteredType): void {
    if (this.types.has(type.name)) throw new Error(`Type '${type.name}' is already registered`);
    if (!/^[a-z][a-z0-9_-]*$/.test(type.name)) throw new Error(`Invalid saved object type name '${type.name}'`);
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
    const usable = (type: string, write: boolean): void => {
      const t = this.types.get(type);
      if (!t || (t.hidden && !opts.includedHiddenTypes?.includes(type))) throw new BoomError(400, `Unsupported saved object type: '${type}': Bad Request`);
      const allowed = write ? opts.access?.write : opts.access?.read;
      if (opts.access && !allowed!.has(type)) throw new BoomError(403, `Unable to ${write ? 'write' : 'read'} ${type}`);
    };
    const view = (o: StoredObject): { id: string; type: string; attributes: unknown; version: string; updated_at: string } => {
      const hidden = opts.encrypting ? this.encrypted.get(o.type) : undefined;
      const attributes = Object.fromEntries(Object.entries(o.attributes).filter(([k]) => !hidden?.has(k)));
      return { id: o.id, type: o.type, attributes: structuredClone(attributes), version: String(o.version), updated_at: o.updated_at };
    };
    return {
      get: async <T>(type: string, id: string) => {
        usable(type, false);
        const o = this.objects.get(`${type}:${id}`);
        if (!o) throw new BoomError(404, `Saved object [${type}/${id}] not found`);
        return view(o) as { id: string; type: string; attributes: T; version: string };
      },
      find: async <T>({ type, perPage = 20, page = 1 }: { type: string; perPage?: number; page?: number }) => {
        usable(type, false);
        const all = [...this.objects.values()].filter((o) => o.type === type).sort((a, b) => (a.id < b.id ? -1 : 1));
        const saved_objects = all.slice((page - 1) * perPage, page * perPage).map((o) => ({ ...view(o), score: 0 }) as { id: string; type: string; attributes: T; score: number });
        return { saved_objects, total: all.length, page, per_page: perPage };
      },
      create: async <T>(type: string, attributes: T, options: { id?: string; overwrite?: boolean; version?: string } = {}) => {
        usable(type, true);
        const encryptedAttrs = opts.encrypting ? this.encrypted.get(type) : undefined;
        if (encryptedAttrs && options.id && !((options.overwrite && options.version) || UUID.test(options.id))) {
          throw new BoomError(400, 'Predefined IDs are not allowed for saved objects with encrypted attributes unless the ID is a UUID.');
        }
        const id = options.id ?? randomUUID();
        const key = `${type}:${id}`;
        const existing = this.objects.get(key);
        if (existing && !options.overwrite) throw new BoomError(409, `Saved object [${type}/${id}] conflict`);
        const stored = structuredClone(attributes) as Record<string, unknown>;
        for (const a of encryptedAttrs ?? []) if (stored[a] !== undefined) stored[a] = this.encrypt(stored[a], `${type}:${id}`);
        const o: StoredObject = { type, id, attributes: stored, version: (existing?.version ?? 0) + 1, updated_at: new Date().toISOString() };
        this.objects.set(key, o);
        return view(o) as { id: string; type: string; attributes: T };
      },
      delete: async (type: string, id: string) => {
        usable(type, true);
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
        for (const a of this.encrypted.get(type) ?? []) if (typeof attributes[a] === 'string') attributes[a] = this.decrypt(attributes[a] as string, `${type}:${id}`);
        return { id, type, attributes: attributes as T, version: String(o.version) };
      },
    };
  }

  private encrypt(value: unknown, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64');
  }

  private decrypt(text: string, aad: string): unknown {
    const buf = Buffer.from(text, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(buf.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8'));
  }
}
