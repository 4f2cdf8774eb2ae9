import type { FeatureKind, Profile } from '../profiles';
import type { FeatureValue, ProfileRow } from './extract';
import { DERIVED_FEATURES, DERIVED_GROUPS, UserActivity } from './derived';

/** The model's columns: the profile's fields, then the derived ones. */
export interface FeatureSchema {
  names: string[];
  kinds: FeatureKind[];
  /** Column indices scored as one unit (Profile.groups); absent: every column on its own. */
  groups?: number[][];
  /** Profile.discount by column index. */
  discount?: { column: number; values: string[]; weight: number };
  /** FieldSpec.maxValues by column (null: the encoding's own limit); absent when no field sets one. */
  maxValues?: (number | null)[];
  /** Profile.travel by index into `groups`. */
  travel?: SchemaTravel;
  /**
   * The group holding Profile.sharedNovelty's features (what a user reached: an app, a service),
   * by index into `groups`: an event whose new target is a rollout (dfp.rollout) is scored without
   * it. Absent where the rule's features are not all in one group.
   */
  target?: number;
}

/** Profile.travel as the scorers apply it: the place's and the device's group, by index into FeatureSchema.groups. */
export interface SchemaTravel {
  place: number;
  device: number;
  weight: number;
  familiarZ: number;
  /** The groups of Profile.travel.explains (neither the place's nor the device's), with the place z that makes a trip explain them. */
  explains?: number[];
  newPlaceZ?: number;
}

export function schemaOf(profile: Profile): FeatureSchema {
  const all = [...profile.fields.map((f) => ({ name: f.name, kind: f.kind })), ...DERIVED_FEATURES];
  const names = all.map((f) => f.name);
  const named = [...profile.groups.map((g) => [...g]), ...DERIVED_GROUPS];
  // A day's distinct locations and apps move with the location and app columns themselves.
  joinGroup(named, profile.locationFeatures[0], 'locincrement');
  joinGroup(named, profile.appFeature ?? undefined, 'appincrement');
  const grouped = new Set(named.flat());
  const groups = [
    ...named.map((g) => g.map((n) => names.indexOf(n)).filter((i) => i >= 0)),
    ...names.flatMap((n, i) => (grouped.has(n) ? [] : [[i]])),
  ].filter((g) => g.length > 0);
  const d = profile.discount;
  const discount = d && names.includes(d.feature) ? { column: names.indexOf(d.feature), values: d.values, weight: d.weight } : undefined;
  const caps = profile.fields.some((f) => f.maxValues !== undefined)
    ? [...profile.fields.map((f) => f.maxValues ?? null), ...DERIVED_FEATURES.map(() => null)]
    : undefined;
  const travel = travelOf(profile, names, groups);
  const target = targetOf(profile, names, groups);
  return {
    names,
    kinds: all.map((f) => f.kind),
    groups,
    ...(discount ? { discount } : {}),
    ...(caps ? { maxValues: caps } : {}),
    ...(travel ? { travel } : {}),
    ...(target !== undefined ? { target } : {}),
  };
}

/** The one group holding every feature of Profile.sharedNovelty; undefined when there is none. */
function targetOf(profile: Profile, names: string[], groups: number[][]): number | undefined {
  const features = profile.sharedNovelty?.features;
  if (!features || features.length === 0) return undefined;
  const found = new Set(features.map((n) => groups.findIndex((g) => g.includes(names.indexOf(n)))));
  const [only] = found;
  return found.size === 1 && only >= 0 ? only : undefined;
}

/** Profile.travel by group index; undefined when it is absent or its features are not separate groups (a field list overridden). */
function travelOf(profile: Profile, names: string[], groups: number[][]): SchemaTravel | undefined {
  const t = profile.travel;
  if (!t) return undefined;
  const place = groups.findIndex((g) => g.includes(names.indexOf(t.place)));
  const device = groups.findIndex((g) => g.includes(names.indexOf(t.device)));
  if (place < 0 || device < 0 || place === device) return undefined;
  const explains = [...new Set((t.explains ?? []).map((n) => groups.findIndex((g) => g.includes(names.indexOf(n)))))].filter(
    (g) => g >= 0 && g !== place && g !== device,
  );
  const away = explains.length > 0 ? { explains, newPlaceZ: t.newPlaceZ ?? 0 } : {};
  return { place, device, weight: t.weight, familiarZ: t.familiarZ, ...away };
}

/** The location columns joined as `observe` expects them ("Oslo|NO"). */
function locationKey(values: readonly FeatureValue[], cols: readonly number[]): string {
  let key = '';
  for (let i = 0; i < cols.length; i++) {
    const v = values[cols[i]];
    key += (i > 0 ? '|' : '') + (v === null || v === undefined ? '' : String(v));
  }
  return key;
}

function joinGroup(groups: string[][], anchor: string | undefined, member: string): void {
  if (!anchor) return;
  const group = groups.find((g) => g.includes(anchor));
  if (group) group.push(member);
  else groups.push([anchor, member]);
}

/** One user's events in time order, each with every column of the schema. */
export interface UserFrame {
  user: string;
  /** The first display name seen for the user, if the profile has one. */
  label?: string;
  /** Position of each row in the caller's input, so outputs keep input order. */
  inputIndex: number[];
  times: number[];
  values: FeatureValue[][];
}

/**
 * Groups rows by user, orders each user's rows by time (input order breaks ties) and appends the
 * derived features computed from each user's own history.
 * `activities` carries each user's running state across calls, for a stream scored page by page;
 * without it every call starts from nothing.
 */
export function buildUserFrames(
  rows: { inputIndex: number; row: ProfileRow }[],
  profile: Profile,
  activities?: Map<string, UserActivity>,
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
  const families = appCol >= 0 && profile.actionFamilies === true;

  const frames = new Map<string, UserFrame>();
  for (const [user, list] of byUser) {
    list.sort((a, b) => a.row.time - b.row.time || a.inputIndex - b.inputIndex);
    let activity = activities?.get(user);
    if (!activity) {
      activity = new UserActivity();
      activities?.set(user, activity);
    }
    const frame: UserFrame = { user, inputIndex: [], times: [], values: [] };
    for (const { inputIndex, row } of list) {
      const location = locationCols.length > 0 ? locationKey(row.values, locationCols) : null;
      const app = appCol >= 0 ? (row.values[appCol] as string | null) : null;
      frame.label ??= row.label;
      frame.inputIndex.push(inputIndex);
      frame.times.push(row.time);
      // The row's values, then the derived ones written in place: one array per row, no temporaries.
      const own = row.values.length;
      const values = new Array<FeatureValue>(own + DERIVED_FEATURES.length);
      for (let c = 0; c < own; c++) values[c] = row.values[c];
      activity.observeInto(row.time, location, app, values, own, families);
      frame.values.push(values);
    }
    frames.set(user, frame);
  }
  return frames;
}
