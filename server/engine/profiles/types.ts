/** A profile says how to read one data source: whose event it is, when, and which fields describe it. */

import type { SharedNoveltyRule } from '../score/shared_novelty';

export type FeatureKind = 'categorical' | 'numeric' | 'binary';

/**
 * How a raw value becomes a feature value. Benign churn (browser versions, IP host parts) would
 * otherwise fill the top of every ranking, so high-cardinality strings are reduced to families.
 */
export type Transform = 'none' | 'strip-versions' | 'family' | 'user-agent' | 'ip-prefix' | 'lower' | 'message' | 'access-key-kind' | 'aws-action-tactic';

export interface FieldSpec {
  /** Feature name as shown to analysts and in `dfp.features.<name>`. */
  name: string;
  /** Document paths tried in order; the first present value wins. */
  paths: string[];
  kind: FeatureKind;
  transform?: Transform;
  /** For binary features read from strings: the values that mean true (e.g. "failure"). */
  trueValues?: string[];
  /** Values that mean "absent" (Okta writes the literal string "null" in okta.client.zone). */
  nullValues?: string[];
  /**
   * 'set': the field holds a list read whole (not its first element), as the set of its distinct
   * values, sorted and joined by ","; an empty list is absent. For lists of flags such as Okta's
   * risk_behaviors, whose order means nothing.
   */
  list?: 'set';
  /**
   * One feature read from several fields that describe one thing together (a device's trust type,
   * compliance and management). Every part is read, not only the first present one; each part
   * present (its first path present, through its own transform, `nullValues` dropped) is written
   * `<label>=<value>`, and these are joined by ", " in the order of the parts. Absent when no part
   * is. A value's `\` and `,` are escaped with a `\`, so two different combinations never read
   * alike. Categorical only; `paths` then lists every part's paths (what a source must fetch) and
   * `transform` is unused. Why: every categorical feature costs a softmax, a loss and at least
   * three one-hot slots (_null, _other, its one value) in every user's model; low-information
   * fields cost that each, combined they cost one block holding only the combinations the user
   * really has.
   */
  parts?: FieldPart[];
  /**
   * At most this many values of this feature get their own one-hot slot in a model (most frequent
   * first; the rest share `_other`), below the encoding's own limit. For high-cardinality features
   * whose long tail is churn (networks of a mobile carrier): the tail widens every layer touching
   * the input and the output, and teaches the model nothing the `_other` slot does not.
   */
  maxValues?: number;
}

/** One part of a FieldSpec read from several fields (FieldSpec.parts). */
export interface FieldPart {
  /** Written before the value ("trust=…"): non-empty, unique in the field, without ",", "=" or "\\". */
  label: string;
  /** Paths tried in order; the first present value is the part's. */
  paths: string[];
  transform?: Transform;
  /** As FieldSpec.list, for this part (default: the field's). */
  list?: 'set';
}

/**
 * One way to find the user key when no single field names the actor (CloudTrail: user.name is the
 * role, shared by everyone who assumes it). Profile.userKey tries its rules in order.
 */
export interface KeyRule {
  /** The rule applies only when this path's value starts with one of the prefixes. */
  when?: { path: string; startsWith: string[] };
  /** Paths tried in order; the first present value (transformed) is the key. */
  paths: string[];
  /** 'arn-session': the <session> of an assumed-role ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`); other values give no key. */
  transform?: 'arn-session';
}

/** Another way a profile can key its users, chosen per run by ProfileOverrides.keyBy. */
export interface KeyOption {
  description: string;
  userFields: string[];
  userKey?: KeyRule[];
  displayFields?: string[];
}

export interface Profile {
  name: string;
  description: string;
  /** Elasticsearch index pattern the integration writes to. */
  indexPattern: string;
  /**
   * Paths tried in order for the user key (the first present value is the key), or, with
   * `userKey`, every path its rules read, in the order they are tried.
   */
  userFields: string[];
  /** Rules for a key no single field holds; when set, they decide the key instead of userFields. */
  userKey?: KeyRule[];
  /** Other keyings a run may choose instead (ProfileOverrides.keyBy), by name. */
  keyOptions?: Record<string, KeyOption>;
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
   * The app feature names an action family (a CloudTrail service): the familycount feature counts
   * the user's trailing hour per family, so a bulk run of one service's calls stands out. Sign-in
   * profiles leave it off (familycount null): their app is where one signs in, a burst of
   * sign-ins is hourcount's, and a second count of it lets the autoencoder reconstruct one from
   * the other (measured: MFA-fatigue bursts scored lower).
   */
  actionFamilies?: boolean;
  /**
   * dfp.zscore above which an event adds to its user's risk (score/user_risk.ts; default
   * USER_RISK_MODEL.floor). Chosen per source on the demo generator's data, so that one user-risk
   * threshold flags ≥ 80 % of compromised users and ≤ 5 % of innocent ones for each.
   */
  userRiskFloor?: number;
  /**
   * A feature whose values the user never had are evidence toward user risk on their own, beside
   * the event's z-score (score/user_risk.ts): e.g. a principal's first persistence or exfiltration
   * call. Values in `except` (the everyday class) are not.
   */
  firstSeen?: FirstSeenEvidence;
  /**
   * The population view: which features name what a user reached (an app, a service), so that one
   * new to many users at once (a rollout) adds no z-score evidence to user risk
   * (score/shared_novelty.ts). Absent: every new value counts for its user alone.
   */
  sharedNovelty?: SharedNoveltyRule;
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
  /**
   * Travel: a new place reached with the user's own, familiar device is a trip, not an attack
   * that only the place would show. When every feature of `device`'s group has z ≤ `familiarZ`,
   * the group of `place` counts with its z scaled by `weight` (√(weight·z) in the evidence).
   * A stolen token or password used from elsewhere comes with a device, browser or client the
   * user does not have, which keeps the place's full weight. Absent: places always count fully.
   *
   * `explains`: features a trip moves too, whose groups then count at `weight` as well, once the
   * place group's z reaches `newPlaceZ` (somewhere new, not home): the hour of day in UTC shifts
   * with the time zone, and Entra's own risk verdict reacts to the unfamiliar place. Without it
   * one trip is counted three times.
   */
  travel?: { place: string; device: string; weight: number; familiarZ: number; explains?: string[]; newPlaceZ?: number };
}

/** Per-run overrides (CLI flags, Kibana source settings). Field lists replace the profile's. */
export interface ProfileOverrides {
  userField?: string;
  /** One of the profile's keyOptions (cloudtrail: "role", Morpheus' key). */
  keyBy?: string;
  timestampField?: string;
  categorical?: string[];
  numeric?: string[];
  binary?: string[];
}

/** Profile.firstSeen: a value of `feature` the user's history never had adds `evidence` to user risk. */
export interface FirstSeenEvidence {
  feature: string;
  /** Values that are no evidence however new (the everyday class: CloudTrail's "routine"). */
  except?: readonly string[];
  /** Nor values containing one of these (a composite's part: a new "managed=true" device is the company's own). */
  exceptParts?: readonly string[];
  /** Only on events where this feature has this value (a failed sign-in gave nobody access). */
  when?: { feature: string; value: string };
  evidence: number;
}
