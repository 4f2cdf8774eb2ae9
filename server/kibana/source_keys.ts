/**
 * The API keys background jobs run with (DESIGN.md section 3). Kibana's internal user is Kibana's
 * own identity, with no business reading users' data, so — as Task Manager, transforms and
 * workflows do — a key is granted for the admin who enables a source, while their request is in
 * hand; it is stored encrypted (encryptedSavedObjects), and the source's jobs connect with it. A
 * job therefore has exactly the enabling admin's privileges, and the settings page can say whose.
 */
import type { EncryptionStatus, SourceKeyInfo } from '../../common/api';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { EsConnection } from '../engine/io/es/client';
import { HttpError } from '../routes/types';
import { asCaller } from './kibana_errors';
import { SAVED_OBJECT_TYPES, sourceKeyObjectId, type SourceKeyAttributes } from './saved_objects';
import type {
  ElasticsearchConfig,
  EncryptedSavedObjectsPluginStart,
  FakeRequest,
  KibanaRequest,
  Logger,
  SavedObjectsClientContract,
  ScopedClusterClient,
  SecurityPluginStart,
} from './types';

/** What the settings page shows about a source's key (never the key itself). */
export type { SourceKeyInfo };

export interface SourceKeysDeps {
  /** Absent when Kibana runs without security: Elasticsearch then asks for no credentials. */
  security?: SecurityPluginStart;
  encryptedSavedObjects?: EncryptedSavedObjectsPluginStart;
  /** encryptedSavedObjects' setup `canEncrypt`: false without `xpack.encryptedSavedObjects.encryptionKey`. */
  canEncrypt: boolean;
  /** Kibana's `core.elasticsearch.client.asScoped`. */
  asScoped(request: KibanaRequest | FakeRequest): ScopedClusterClient;
  /** Where Elasticsearch is, for job worker threads (which make clients of their own). */
  esConfig(): ElasticsearchConfig | undefined;
  logger: Logger;
  now?: () => number;
}

export const keyName = (sourceId: string): string => `dfp-source-${sourceId}`;

/** Why keys cannot be stored, and the fix (logged at setup, reported by the status API, answered on saves). */
export function encryptionKeyMissing(pluginAvailable: boolean): string {
  const why = pluginAvailable
    ? 'Kibana has no encryption key for saved objects'
    : 'the encryptedSavedObjects plugin is not available';
  return (
    `Sources cannot get the API keys their background jobs run with: the keys are stored encrypted and ${why}. ` +
    'Set xpack.encryptedSavedObjects.encryptionKey (32 or more characters, the same on every Kibana instance; ' +
    '`bin/kibana-encryption-keys generate` makes one) in kibana.yml and restart Kibana. ' +
    'Until then sources cannot be saved nor their keys renewed; thresholds and schedules still save.'
  );
}

/** A saved-objects "not found" (Kibana's errors are Boom errors; tests may use a plain status). */
export function isNotFound(e: unknown): boolean {
  const err = e as { output?: { statusCode?: number }; statusCode?: number } | undefined;
  return err?.output?.statusCode === 404 || err?.statusCode === 404;
}

function infoOf(a: Omit<SourceKeyAttributes, 'apiKey'>): SourceKeyInfo {
  return { sourceId: a.sourceId, keyId: a.keyId, keyName: a.keyName, owner: a.owner, createdAt: a.createdAt };
}

export class SourceKeys {
  private caFile?: string;

  constructor(private readonly deps: SourceKeysDeps) {}

  /** Whether jobs need a key: Elasticsearch with security on (and so API keys) accepts nothing less. */
  async required(): Promise<boolean> {
    return this.deps.security !== undefined && (await this.deps.security.authc.apiKeys.areAPIKeysEnabled());
  }

  /**
   * Grants a key carrying the privileges of the admin making `request` and stores it, encrypted,
   * for `sourceId` (replacing and invalidating the previous one). `savedObjects` must be that
   * request's client (including our hidden types): its writes are the ones Kibana encrypts.
   * Null when Kibana runs without security (there is nothing to grant).
   */
  async grant(request: KibanaRequest, savedObjects: SavedObjectsClientContract, sourceId: string): Promise<SourceKeyInfo | null> {
    const { security } = this.deps;
    if (!security) return null;
    // Checked before granting: a key granted but not storable would stay valid, unknown to anyone.
    // 400, as Fleet answers its missing-encryption-key error: the request cannot succeed as
    // Kibana is configured (alerting and actions throw a plain Error, which Kibana makes a 500).
    if (!this.canStoreKeys() && (await this.required())) throw new HttpError(400, encryptionKeyMissing(this.deps.encryptedSavedObjects !== undefined));
    // Read before granting: a caller who may not even read the key objects gets no key made.
    const previous = await this.info(savedObjects, sourceId);
    let granted;
    try {
      granted = await security.authc.apiKeys.grantAsInternalUser(request, {
        name: keyName(sourceId),
        role_descriptors: {},
        metadata: { managed: true, source: sourceId, application: 'digitalFingerprinting' },
      });
    } catch (e) {
      throw new HttpError(400, `could not grant an API key for source "${sourceId}" with your login: ${(e as Error).message}. Keys can be granted for password or token logins; sign in that way to enable or renew a source`);
    }
    if (!granted) return null; // security disabled in Elasticsearch
    const attributes: SourceKeyAttributes = {
      sourceId,
      keyId: granted.id,
      keyName: granted.name,
      owner: security.authc.getCurrentUser(request)?.username ?? 'unknown',
      createdAt: new Date((this.deps.now ?? Date.now)()).toISOString(),
      apiKey: Buffer.from(`${granted.id}:${granted.api_key}`).toString('base64'),
    };
    try {
      await asCaller(`store the API key of source "${sourceId}"`, SAVED_OBJECT_TYPES.sourceKey, () =>
        savedObjects.create(SAVED_OBJECT_TYPES.sourceKey, attributes, { id: sourceKeyObjectId(sourceId), overwrite: true }),
      );
    } catch (e) {
      await this.invalidate(granted.id, sourceId); // never stored: nobody could use or revoke it
      throw e;
    }
    if (previous && previous.keyId !== granted.id) await this.invalidate(previous.keyId, sourceId);
    return infoOf(attributes);
  }

  /** Whether keys can be stored (encryptedSavedObjects present, with an encryption key). */
  canStoreKeys(): boolean {
    return this.deps.encryptedSavedObjects !== undefined && this.deps.canEncrypt;
  }

  /** For the status API: can keys be stored, are they needed, and what to do when they are needed but cannot be. */
  async encryptionStatus(): Promise<EncryptionStatus> {
    const canEncrypt = this.canStoreKeys();
    const keysRequired = await this.required();
    const message = !canEncrypt && keysRequired ? encryptionKeyMissing(this.deps.encryptedSavedObjects !== undefined) : undefined;
    return { canEncrypt, keysRequired, ...(message ? { message } : {}) };
  }

  /** Whose key a source runs with; null when it has none. Readable by anyone who may read our saved objects. */
  async info(savedObjects: SavedObjectsClientContract, sourceId: string): Promise<SourceKeyInfo | null> {
    try {
      const so = await asCaller(`read the API key of source "${sourceId}"`, SAVED_OBJECT_TYPES.sourceKey, () =>
        savedObjects.get<Omit<SourceKeyAttributes, 'apiKey'>>(SAVED_OBJECT_TYPES.sourceKey, sourceKeyObjectId(sourceId)), 'Read');
      return infoOf(so.attributes);
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** Forgets a removed source's key: deletes the object and invalidates the key (its id; null when there was none). */
  async revoke(savedObjects: SavedObjectsClientContract, sourceId: string): Promise<string | null> {
    const previous = await this.info(savedObjects, sourceId);
    if (!previous) return null;
    await asCaller(`remove the API key of source "${sourceId}"`, SAVED_OBJECT_TYPES.sourceKey, () => savedObjects.delete(SAVED_OBJECT_TYPES.sourceKey, sourceKeyObjectId(sourceId)));
    await this.invalidate(previous.keyId, sourceId);
    return previous.keyId;
  }

  /** The stored key, decrypted (Kibana-internal: never sent to a browser). Null when the source has none. */
  async decrypted(sourceId: string): Promise<{ info: SourceKeyInfo; encoded: string } | null> {
    const eso = this.deps.encryptedSavedObjects;
    if (!eso) return null;
    try {
      const so = await eso.getClient({ includedHiddenTypes: [SAVED_OBJECT_TYPES.sourceKey] }).getDecryptedAsInternalUser<SourceKeyAttributes>(SAVED_OBJECT_TYPES.sourceKey, sourceKeyObjectId(sourceId));
      return { info: infoOf(so.attributes), encoded: so.attributes.apiKey };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /**
   * An Elasticsearch client for a source's jobs in this process: Kibana's client scoped to a
   * request that carries only the source's key, so every call has the enabling admin's privileges.
   */
  async clientFor(sourceId: string): Promise<Client> {
    const auth = await this.authorization(sourceId);
    return this.deps.asScoped({ headers: auth ? { authorization: auth } : {} }).asCurrentUser;
  }

  /** Connection settings for a source's jobs in a worker thread (which cannot share Kibana's client). */
  async connectionFor(sourceId: string): Promise<EsConnection> {
    const es = this.deps.esConfig();
    if (!es || es.hosts.length === 0) {
      throw new Error('cannot tell job workers where Elasticsearch is: Kibana did not expose elasticsearch.hosts to plugins');
    }
    const auth = await this.authorization(sourceId);
    const conn: EsConnection = { url: es.hosts[0] };
    if (auth) conn.apiKey = auth.slice('ApiKey '.length);
    if (es.ssl?.verificationMode === 'none') conn.insecure = true;
    if (es.ssl?.certificateAuthorities?.length) conn.caFile = this.writeCa(es.ssl.certificateAuthorities);
    return conn;
  }

  /** `ApiKey <encoded>` for the source, or null where Elasticsearch runs without security; throws when a key is needed and missing. */
  private async authorization(sourceId: string): Promise<string | null> {
    // Without an encryption key nothing can be decrypted: say what to set rather than "unable to decrypt".
    if (!this.canStoreKeys()) {
      if (!(await this.required())) return null;
      throw new HttpError(400, encryptionKeyMissing(this.deps.encryptedSavedObjects !== undefined));
    }
    const stored = await this.decrypted(sourceId);
    if (stored) return `ApiKey ${stored.encoded}`;
    if (!(await this.required())) return null;
    throw new HttpError(409, `source "${sourceId}" has no API key to run its jobs with: an admin must save the source (or renew its key) in the app's settings`);
  }

  private async invalidate(keyId: string, sourceId: string): Promise<void> {
    try {
      await this.deps.security?.authc.apiKeys.invalidateAsInternalUser({ ids: [keyId] });
    } catch (e) {
      // The new key is stored either way; an old key left valid is worth a warning, not a failure.
      this.deps.logger.warn(`could not invalidate the previous API key ${keyId} of source "${sourceId}": ${(e as Error).message}`);
    }
  }

  /** Kibana's configured CAs as one PEM file (worker clients take a file), written once, owner-only. */
  private writeCa(pems: string[]): string {
    if (!this.caFile) {
      const pem = pems.join('\n');
      const file = path.join(os.tmpdir(), `dfp-es-ca-${createHash('sha256').update(pem).digest('hex').slice(0, 16)}.pem`);
      writeFileSync(file, pem, { mode: 0o600 });
      this.caFile = file;
    }
    return this.caFile;
  }
}
