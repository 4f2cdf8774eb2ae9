import type { FingerprintJson } from '../model/fingerprint';

/** Where fingerprints live: a local directory here; an Elasticsearch index in the plugin. */
export interface ModelStore {
  /** Highest stored version for a user (null: the generic model), 0 when none. */
  latestVersion(profile: string, user: string | null): Promise<number>;
  save(model: FingerprintJson): Promise<void>;
  /** The given version, or the latest; null when the user has no model. */
  load(profile: string, user: string | null, version?: number): Promise<FingerprintJson | null>;
  /** Users with a model of their own, with their stored versions (oldest first). */
  list(profile: string): Promise<{ user: string; versions: number[] }[]>;
  /** Makes saved models durable together (a store may batch its bookkeeping until then). */
  flush(): Promise<void>;
}
