import type { FingerprintJson } from '../model/fingerprint';
import { checksumMatches, signatureMatches } from '../model/checksum';

import type { ModelVersionInfo, StoredUserModels } from '../../../common/models';

export type { ModelVersionInfo, StoredUserModels };

/**
 * Where fingerprints live: a local directory here; an Elasticsearch index in the plugin.
 * `user` null means the profile's generic model. Each model keeps several versions; one of them is
 * active (the newest, unless an admin rolled back), and the store keeps the newest N plus the active one.
 */
export interface ModelStore {
  /** Highest stored version for a user (null: the generic model), 0 when none. New versions number from it. */
  latestVersion(profile: string, user: string | null): Promise<number>;
  /**
   * Stores a version; it becomes the active one unless a newer version is already stored. A store
   * shared by processes may find `model.version` taken by another writer since latestVersion():
   * the file store then stores it as the next free version and updates `model.version` and
   * `model.checksum` in place (read them after the save); the Elasticsearch store keeps the number
   * and the later head write decides.
   */
  save(model: FingerprintJson): Promise<void>;
  /** The given version, or the active one; null when there is no such model. */
  load(profile: string, user: string | null, version?: number): Promise<FingerprintJson | null>;
  /** Makes an earlier stored version the active one; throws, naming the stored versions, when it is not stored. */
  rollback(profile: string, user: string | null, version: number): Promise<void>;
  /** Every stored version's metadata, oldest first; empty when the user has no model. */
  versions(profile: string, user: string | null): Promise<ModelVersionInfo[]>;
  /** Users with a model of their own (the generic model is not listed). */
  list(profile: string): Promise<StoredUserModels[]>;
  /** Makes saved models durable together (a store may batch its writes until then). */
  flush(): Promise<void>;
}

export const DEFAULT_KEEP_VERSIONS = 5;

/** A model's stored versions (ascending) and the active one (0: none). */
export interface VersionSet {
  versions: number[];
  active: number;
}

/**
 * The bookkeeping both stores share when `saved` is stored: it joins the set, becomes active unless
 * a newer version is already there (a late save from another process must not hide a newer model;
 * going back is rollback's job), and all but the newest `keep` versions are pruned, except the active one.
 */
export function afterSave(set: VersionSet, saved: number, keep: number): VersionSet & { pruned: number[] } {
  const latestBefore = set.versions.length > 0 ? set.versions[set.versions.length - 1] : 0;
  const active = saved >= latestBefore ? saved : set.active;
  const all = [...new Set([...set.versions, saved])].sort((a, b) => a - b);
  const newest = new Set(all.slice(Math.max(0, all.length - keep)));
  const versions = all.filter((v) => newest.has(v) || v === active);
  return { versions, active, pruned: all.filter((v) => !versions.includes(v)) };
}

/** The rollback error: what was asked for and what exists. */
export function noSuchVersionError(profile: string, user: string | null, version: number, stored: number[]): Error {
  const have = stored.length > 0 ? `stored versions: ${stored.join(', ')}` : 'it has no stored versions';
  return new Error(`cannot roll back the model of ${describeModel(profile, user)} to version ${version}: ${have}`);
}

/** "user alice in profile azure-signin" / "the generic model of profile azure-signin", for messages. */
export function describeModel(profile: string, user: string | null): string {
  return user === null ? `the generic model of profile ${profile}` : `user ${JSON.stringify(user)} in profile ${profile}`;
}

/** A version's metadata as the models page shows it. `bytes`: size of the model's JSON. */
export function versionInfoOf(model: FingerprintJson, bytes: number, active: boolean): ModelVersionInfo {
  const t = model.training;
  return {
    version: model.version,
    active,
    trainedAt: model.trainedAt,
    backend: model.backend,
    rows: t.rows,
    trainingStart: t.start,
    trainingEnd: t.end,
    epochs: t.epochs,
    finalLoss: t.lossHistory.length > 0 ? t.lossHistory[t.lossHistory.length - 1] : null,
    ...(t.warmStartFrom !== undefined ? { warmStartFrom: t.warmStartFrom } : {}),
    checksum: model.checksum,
    generic: model.generic,
    bytes,
  };
}

/** The environment variable that holds a model store's signing key (see `signingKey`). */
export const MODELS_KEY_ENV = 'DFP_MODELS_KEY';

/**
 * A store's signing key from its configuration (`DFP_MODELS_KEY`, or the store's `key` option): null when none
 * is set (models then carry only their sha256 checksum, which detects corruption, not tampering).
 */
export function signingKey(key: string | Buffer | undefined): Buffer | null {
  if (key === undefined || key.length === 0) return null;
  if (key.length < 16) throw new Error(`the models key (${MODELS_KEY_ENV}) must be at least 16 characters; got ${key.length}`);
  return Buffer.isBuffer(key) ? key : Buffer.from(key, 'utf8');
}

/**
 * Refuses, naming the model and why, a model that a store with a signing key must not hand out:
 * unsigned, altered since it was signed (its checksum no longer matches it), or signed with
 * another key (or signature and checksum both altered).
 */
export function verifySignature(model: FingerprintJson, signature: unknown, key: Buffer, what: string): void {
  if (typeof signature !== 'string') {
    throw new Error(`${what}: not signed, and this model store requires signatures (${MODELS_KEY_ENV} is set): retrain it with the key, or unset the key`);
  }
  if (!checksumMatches(model)) throw new Error(`${what}: checksum mismatch, the model was altered or corrupted after it was signed`);
  if (!signatureMatches(model.checksum, signature, key)) {
    throw new Error(`${what}: signature mismatch: it was signed with another key, or altered along with its checksum; refusing it`);
  }
}
