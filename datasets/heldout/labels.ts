/**
 * What the generators hand back: documents with their time, and on the side (never in the
 * documents) which attack family or benign drift each belongs to. Attack families are named
 * after MITRE ATT&CK techniques.
 */
export type Family = 'T1078' | 'T1110' | 'T1098' | 'T1530' | 'T1537' | 'T1213';

export const FAMILIES: Record<Family, string> = {
  T1078: 'valid accounts: stolen credentials or session used from a new country or network, with the account\'s own apps',
  T1110: 'brute force: password spray, guessing or credential stuffing (many failures, legacy protocols), then a success',
  T1098: 'account manipulation: new access keys, policies attached, trust policies opened',
  T1530: 'data from cloud storage: bulk reads with the role\'s own tool and actions at its usual hours (volume only)',
  T1537: 'transfer to another cloud account: bucket policies and ACLs granting another account, snapshots shared',
  T1213: 'insider: a burst of data access by the account\'s owner, from their own device and network, at unusual hours',
};

export type DriftKind = 'browser-release' | 'sdk-release' | 'new-app' | 'business-trip' | 'new-hire' | 'deploy-day' | 'internet-noise';

export const DRIFTS: Record<DriftKind, string> = {
  'browser-release': 'a new browser major reaches devices during the scored week',
  'sdk-release': 'new AWS CLI and SDK versions roll out during the scored week',
  'new-app': 'an application the whole company starts using during the scored week',
  'business-trip': 'a few days in a country never seen before, with the person\'s own devices and apps',
  'new-hire': 'someone (or a principal) that appeared in the last training days or in the scored week: little or no history',
  'deploy-day': 'a release day: a deployment role\'s monthly burst of rarely used actions',
  'internet-noise': 'failed sign-ins from internet scanners against accounts they do not control',
};

export type Style = 'subtle' | 'obvious';

/** How much history the victim had: the generic model scores accounts with little or none. */
export type History = 'established' | 'sparse' | 'new-hire' | 'created-by-attacker';

export interface Emitted {
  t: number;
  doc: Record<string, unknown>;
  id: string;
  /** The user key the profile reads (user.id for Entra, user.name for CloudTrail). */
  user: string;
  family?: Family;
  /** Which planted attack it belongs to (an index into the set's list of attacks). */
  attack?: number;
  drift?: DriftKind;
}

export interface PlantedAttack {
  user: string;
  family: Family;
  style: Style;
  history: History;
  /** One line: what the attacker did. */
  story: string;
  /** The tooling variant, where not the family's classic one (variants.ts). */
  variant?: string;
}
