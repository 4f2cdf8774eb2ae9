/** A profile says how to read one data source: whose event it is, when, and which fields describe it. */

export type FeatureKind = 'categorical' | 'numeric' | 'binary';

/**
 * How a raw value becomes a feature value. Benign churn (browser versions, IP host parts) would
 * otherwise fill the top of every ranking, so high-cardinality strings are reduced to families.
 */
export type Transform = 'none' | 'strip-versions' | 'family' | 'user-agent' | 'ip-prefix' | 'lower';

export interface FieldSpec {
  /** Feature name as shown to analysts and in `dfp.features.<name>`. */
  name: string;
  /** Document paths tried in order; the first present value wins. */
  paths: string[];
  kind: FeatureKind;
  transform?: Transform;
  /** For binary features read from strings: the values that mean true (e.g. "failure"). */
  trueValues?: string[];
}

export interface Profile {
  name: string;
  description: string;
  /** Elasticsearch index pattern the integration writes to. */
  indexPattern: string;
  /** Paths tried in order for the user key. */
  userFields: string[];
  /** Paths tried in order for a name an analyst recognises (the key may be an opaque id). */
  displayFields?: string[];
  timestampFields: string[];
  /** Paths tried in order for a stable event id (for outputs and dedup). */
  idFields: string[];
  fields: FieldSpec[];
  /** Feature names whose combination is a "location" for the locincrement feature. */
  locationFeatures: string[];
  /** Feature name counted by the appincrement feature. */
  appFeature: string | null;
  /**
   * Features that move together (travel changes city, country and network at once; a failure
   * sets error code and outcome). Each group counts once in the anomaly score, by its largest z,
   * so one benign change does not weigh like three independent surprises.
   */
  groups: string[][];
  /**
   * Events whose feature holds one of these values count at `weight` in the evidence dfp.zscore is
   * calibrated on. For sign-ins: a failed authentication gave nobody access; internet-wide
   * password sprays fail against many innocent accounts every day and would otherwise outrank
   * real compromises, whose successful sign-ins carry the evidence. Absent: every event counts fully.
   */
  discount?: { feature: string; values: string[]; weight: number };
}

/** Per-run overrides (CLI flags, Kibana source settings). Field lists replace the profile's. */
export interface ProfileOverrides {
  userField?: string;
  timestampField?: string;
  categorical?: string[];
  numeric?: string[];
  binary?: string[];
}
