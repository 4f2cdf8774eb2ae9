import type { FeatureKind, Profile } from '../profiles';
import type { FeatureValue, ProfileRow } from './extract';
import { DERIVED_FEATURES, UserActivity } from './derived';

/** The model's columns: the profile's fields, then the derived ones. */
export interface FeatureSchema {
  names: string[];
  kinds: FeatureKind[];
}

export function schemaOf(profile: Profile): FeatureSchema {
  const all = [...profile.fields.map((f) => ({ name: f.name, kind: f.kind })), ...DERIVED_FEATURES];
  return { names: all.map((f) => f.name), kinds: all.map((f) => f.kind) };
}

/** One user's events in time order, each with every column of the schema. */
export interface UserFrame {
  user: string;
  /** Position of each row in the caller's input, so outputs keep input order. */
  inputIndex: number[];
  times: number[];
  values: FeatureValue[][];
}

/**
 * Groups rows by user, orders each user's rows by time (input order breaks ties) and appends the
 * derived features computed from each user's own history.
 */
export function buildUserFrames(
  rows: { inputIndex: number; row: ProfileRow }[],
  profile: Profile,
): Map<string, UserFrame> {
  const byUser = new Map<string, { inputIndex: number; row: ProfileRow }[]>();
  for (const r of rows) {
    let list = byUser.get(r.row.user);
    if (!list) byUser.set(r.row.user, (list = []));
    list.push(r);
  }
  const names = profile.fields.map((f) => f.name);
  const locationCols = profile.locationFeatures.map((n) => names.indexOf(n)).filter((i) => i >= 0);
  const appCol = profile.appFeature ? names.indexOf(profile.appFeature) : -1;

  const frames = new Map<string, UserFrame>();
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.row.time - b.row.time || a.inputIndex - b.inputIndex);
    const activity = new UserActivity();
    const frame: UserFrame = { user, inputIndex: [], times: [], values: [] };
    for (const { inputIndex, row } of list) {
      const location = locationCols.length > 0 ? locationCols.map((c) => row.values[c] ?? '').join('|') : null;
      const app = appCol >= 0 ? (row.values[appCol] as string | null) : null;
      frame.inputIndex.push(inputIndex);
      frame.times.push(row.time);
      frame.values.push([...row.values, ...activity.observe(row.time, location, app)]);
    }
    frames.set(user, frame);
  }
  return frames;
}
