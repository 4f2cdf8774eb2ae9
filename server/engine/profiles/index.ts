import type { FeatureKind, FieldSpec, Profile, ProfileOverrides } from './types';
import type { SourceConfig } from '../../../common/source_config';
import { azureSignin } from './azure_signin';
import { cloudtrail } from './cloudtrail';
import { duo } from './duo';
import { okta } from './okta';
import { genericEcs } from './generic_ecs';
import { cloudtrailFlat } from './cloudtrail_flat';

export type { Profile, ProfileOverrides, FieldSpec, FieldPart, FeatureKind, KeyRule, KeyOption } from './types';

/** Profiles scored by the per-user autoencoder. `process-counts` is a separate pipeline. */
export const PROFILES: Record<string, Profile> = Object.fromEntries(
  [azureSignin, cloudtrail, duo, okta, genericEcs, cloudtrailFlat].map((p) => [p.name, p]),
);

export const PROCESS_COUNTS_PROFILE = 'process-counts';

export function profileNames(): string[] {
  return [...Object.keys(PROFILES), PROCESS_COUNTS_PROFILE];
}

/** The named profile with per-run overrides applied; throws a message listing valid names. */
export function resolveProfile(name: string, overrides: ProfileOverrides = {}): Profile {
  const base = Object.hasOwn(PROFILES, name) ? PROFILES[name] : undefined; // "constructor" is no profile
  if (!base) {
    throw new Error(`unknown profile "${name}"; expected one of: ${profileNames().join(', ')}`);
  }
  const profile: Profile = { ...base, fields: [...base.fields] };
  if (overrides.keyBy) {
    const option = base.keyOptions && Object.hasOwn(base.keyOptions, overrides.keyBy) ? base.keyOptions[overrides.keyBy] : undefined;
    if (!option) {
      const known = Object.keys(base.keyOptions ?? {});
      throw new Error(`profile "${name}" has no keying "${overrides.keyBy}"${known.length > 0 ? `; expected one of: ${known.join(', ')}` : ''}`);
    }
    profile.userFields = option.userFields;
    if (option.userKey) profile.userKey = option.userKey;
    else delete profile.userKey;
    if (option.displayFields) profile.displayFields = option.displayFields;
    else delete profile.displayFields;
  }
  if (overrides.userField) {
    profile.userFields = [overrides.userField];
    delete profile.userKey; // the one field named is the key
    delete profile.displayFields; // they described the profile's own key
  }
  if (overrides.timestampField) profile.timestampFields = [overrides.timestampField];
  const listed = [
    ...fieldsOf(overrides.categorical, 'categorical'),
    ...fieldsOf(overrides.numeric, 'numeric'),
    ...fieldsOf(overrides.binary, 'binary'),
  ];
  if (listed.length > 0) {
    profile.fields = listed;
    const names = new Set(listed.map((f) => f.name));
    profile.locationFeatures = profile.locationFeatures.filter((n) => names.has(n));
    profile.appFeature = profile.appFeature && names.has(profile.appFeature) ? profile.appFeature : null;
    profile.groups = profile.groups.map((g) => g.filter((n) => names.has(n))).filter((g) => g.length > 1);
    if (profile.discount && !names.has(profile.discount.feature)) delete profile.discount;
    if (profile.travel && !(names.has(profile.travel.place) && names.has(profile.travel.device))) delete profile.travel;
    if (profile.firstSeen && !(names.has(profile.firstSeen.feature) && (!profile.firstSeen.when || names.has(profile.firstSeen.when.feature)))) delete profile.firstSeen;
  }
  return profile;
}

/** Overridden fields are named by their path, so `dfp.features.<path>` says where they came from. */
function fieldsOf(paths: string[] | undefined, kind: FeatureKind): FieldSpec[] {
  return (paths ?? []).map((p) => ({ name: p, paths: [p], kind }));
}

/** The profile a configured source reads with (its user field override applied). */
export function profileOfSource(source: Pick<SourceConfig, 'profile' | 'userField'>): Profile {
  return resolveProfile(source.profile, { userField: source.userField });
}

/** The indices a source reads: its own pattern, else its profile's integration pattern. */
export function sourceIndex(source: Pick<SourceConfig, 'index'>, profile: Profile): string {
  return source.index ?? profile.indexPattern;
}
