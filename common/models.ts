/** Stored fingerprints as the API and the app describe them (no weights). */

/** One stored version of a user's (or the generic) model, without its weights: a row of the UI's models page. */
export interface ModelVersionInfo {
  version: number;
  /** The version `load` returns when asked for none. */
  active: boolean;
  trainedAt: string;
  backend: string;
  rows: number;
  trainingStart: string;
  trainingEnd: string;
  epochs: number;
  /** Last epoch's training loss; null when trained for zero epochs. */
  finalLoss: number | null;
  /** `generic@<version>` when warm-started from the generic model. */
  warmStartFrom?: string;
  /** The model's own checksum (`FingerprintJson.checksum`). */
  checksum: string;
  generic: boolean;
  /** Size of the model's JSON in bytes (before any compression the store applies). */
  bytes: number;
}

/** A user with a model of their own. */
export interface StoredUserModels {
  user: string;
  /** Stored versions, oldest first. */
  versions: number[];
  /** The version `load` returns when asked for none. */
  active: number;
}
