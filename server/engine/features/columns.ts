import type { Profile } from '../profiles';
import type { FeatureValue, ProfileRow } from './extract';
import type { FeatureSchema } from './frame';
import { DERIVED_FEATURES, UserActivity } from './derived';

/**
 * Events as columns: what scoring keeps of every event from reading it until its document is
 * written, in typed arrays. Categorical values are numbered per column (a string is kept once);
 * numbers are kept as they are, NaN standing for null (feature values are never NaN). Rows of
 * arrays and objects per event filled V8's old heap, and a full collection then marks everything
 * live, the input included, every run.
 *
 * Columns are the schema's: the profile's fields (filled by `add`), then the derived ones (by
 * `columnFrames`).
 */
export class EventColumns {
  size = 0;
  /** Input position of each row; rows are added in input order. */
  inputIndex: Int32Array;
  time: Float64Array;
  /** Index into `users`. */
  user: Int32Array;
  /** Index into `labels`, −1 when the event has none. */
  label: Int32Array;
  readonly users = new Dictionary();
  readonly labels = new Dictionary();
  readonly columns: Column[];

  /** `arrays`: where the first arrays come from (spares of an earlier run's table, say). */
  constructor(readonly schema: FeatureSchema, capacity = 1024, arrays = FRESH) {
    const n = Math.max(16, capacity);
    this.inputIndex = arrays.int32(n);
    this.time = arrays.float64(n);
    this.user = arrays.int32(n);
    this.label = arrays.int32(n);
    this.columns = schema.kinds.map((kind) => (kind === 'categorical' ? new CodedColumn(n, arrays) : new NumberColumn(n, arrays)));
  }

  /** Appends a readable event; `row.values` holds the profile's fields (the derived ones come later). */
  add(inputIndex: number, row: ProfileRow): void {
    if (this.size === this.inputIndex.length) this.grow();
    const r = this.size++;
    this.inputIndex[r] = inputIndex;
    this.time[r] = row.time;
    this.user[r] = this.users.id(row.user);
    this.label[r] = row.label === undefined ? -1 : this.labels.id(row.label);
    for (let c = 0; c < row.values.length; c++) this.columns[c].set(r, row.values[c]);
  }

  /** The value of column `c` (−1: a column the table does not have, read as null) in row `r`. */
  value(r: number, c: number): FeatureValue {
    return c < 0 ? null : this.columns[c].get(r);
  }

  /** The buffers of the table's arrays (for other arrays once the table is no longer read). */
  buffers(): ArrayBuffer[] {
    const arrays = [this.inputIndex, this.time, this.user, this.label, ...this.columns.map((c) => (c.coded ? c.ids : c.values))];
    return arrays.map((a) => a.buffer as ArrayBuffer);
  }

  private grow(): void {
    const n = this.inputIndex.length * 2;
    this.inputIndex = resized(this.inputIndex, n);
    this.time = resized(this.time, n);
    this.user = resized(this.user, n);
    this.label = resized(this.label, n);
    for (const c of this.columns) c.grow(n);
  }
}

/** A table as scoring reads it: times and columns (what a scoring worker gets of an EventColumns). */
export interface ScoringTable {
  readonly schema: FeatureSchema;
  readonly size: number;
  readonly time: Float64Array;
  readonly columns: readonly Column[];
  value(r: number, c: number): FeatureValue;
}

/** Where a table's arrays come from. */
export interface ArraySource {
  int32(n: number): Int32Array;
  float64(n: number): Float64Array;
}

const FRESH: ArraySource = { int32: (n) => new Int32Array(n), float64: (n) => new Float64Array(n) };

/** Strings numbered in order of first appearance. */
export class Dictionary {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  // The last string looked up: consecutive events often hold the same value (a country, an outcome).
  private lastString: string | undefined;
  private lastId = -1;

  id(s: string): number {
    if (s === this.lastString) return this.lastId;
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(s, id);
      this.values.push(s);
    }
    this.lastString = s;
    this.lastId = id;
    return id;
  }
}

export type Column = CodedColumn | NumberColumn;

/** A categorical column: each row's value as a number in `dict`, −1 for null. */
export class CodedColumn {
  readonly coded = true;
  ids: Int32Array;

  constructor(n: number, arrays = FRESH) {
    this.ids = arrays.int32(n);
  }

  readonly dict = new Dictionary();

  /** A column over existing ids (its dictionary to be filled in id order). */
  static over(ids: Int32Array): CodedColumn {
    const c = new CodedColumn(0);
    c.ids = ids;
    return c;
  }

  set(r: number, v: FeatureValue): void {
    if (v !== null && typeof v !== 'string') throw new TypeError(`a categorical value must be a string or null, got ${typeof v}`);
    this.ids[r] = v === null ? -1 : this.dict.id(v);
  }

  get(r: number): FeatureValue {
    const id = this.ids[r];
    return id < 0 ? null : this.dict.values[id];
  }

  grow(n: number): void {
    this.ids = resized(this.ids, n);
  }

  private memoOf: SlotMemo | undefined;

  /** Scratch for an encoder's value-id → slot lookups (see SlotMemo), sized to the dictionary now. */
  memo(): SlotMemo {
    const n = this.dict.values.length;
    if (!this.memoOf || this.memoOf.slot.length < n) this.memoOf = new SlotMemo(Math.max(n, 16));
    return this.memoOf;
  }
}

/** Per value id, a slot and the stamp of the lookup that wrote it: a new stamp forgets every slot at once. */
export class SlotMemo {
  readonly slot: Int32Array;
  readonly stamp: Int32Array;
  private last = 0;

  constructor(n: number) {
    this.slot = new Int32Array(n);
    this.stamp = new Int32Array(n);
  }

  next(): number {
    return ++this.last;
  }
}

/** A numeric or binary column: the number, NaN for null. */
export class NumberColumn {
  readonly coded = false;
  values: Float64Array;

  constructor(n: number, arrays = FRESH) {
    this.values = arrays.float64(n);
  }

  /** A column over existing numbers. */
  static over(values: Float64Array): NumberColumn {
    const c = new NumberColumn(0);
    c.values = values;
    return c;
  }

  set(r: number, v: FeatureValue): void {
    if (v !== null && typeof v !== 'number') throw new TypeError(`a numeric value must be a number or null, got ${typeof v}`);
    this.values[r] = v === null ? NaN : v;
  }

  get(r: number): FeatureValue {
    const v = this.values[r];
    return v !== v ? null : v;
  }

  grow(n: number): void {
    this.values = resized(this.values, n);
  }
}

/** One user's events in a table, in time order (input order breaks ties): buildUserFrames' UserFrame as row numbers. */
export interface ColumnFrame {
  user: string;
  /** The first display name among the user's events in time order, if any. */
  label?: string;
  rows: Int32Array;
}

/**
 * Groups the table's rows by user (users in order of first appearance), orders each user's rows by
 * time, and fills the derived columns from each user's own history: what buildUserFrames does,
 * written into the table instead of new rows. `activities` carries each user's running state across
 * calls, as for buildUserFrames (a stream scored page by page); without it every call starts anew.
 */
export function columnFrames(table: EventColumns, profile: Profile, activities?: Map<string, UserActivity>): ColumnFrame[] {
  const n = table.size;
  const users = table.users.values.length;
  // Rows by user, each user's rows in input order (a counting sort), then by time.
  const start = new Int32Array(users + 1);
  for (let r = 0; r < n; r++) start[table.user[r] + 1]++;
  for (let u = 0; u < users; u++) start[u + 1] += start[u];
  const order = new Int32Array(n);
  const next = start.slice(0, users);
  for (let r = 0; r < n; r++) order[next[table.user[r]]++] = r;
  const time = table.time;
  const derived = new DerivedColumns(table, profile);
  const frames: ColumnFrame[] = [];
  for (let u = 0; u < users; u++) {
    const rows = order.subarray(start[u], start[u + 1]);
    rows.sort((a, b) => time[a] - time[b] || a - b);
    const user = table.users.values[u];
    const activity = activities?.get(user) ?? new UserActivity();
    activities?.set(user, activity);
    let label: number = -1;
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k];
      if (label < 0) label = table.label[r];
      derived.fill(r, activity);
    }
    const frame: ColumnFrame = { user, rows };
    if (label >= 0) frame.label = table.labels.values[label];
    frames.push(frame);
  }
  return frames;
}

/** Fills a row's derived columns from the user's activity so far (rows fed in time order). */
class DerivedColumns {
  private readonly locationCols: number[];
  private readonly appCol: number;
  private readonly families: boolean;
  private readonly own: number;
  private readonly values = new Array<FeatureValue>(DERIVED_FEATURES.length);

  constructor(
    private readonly table: EventColumns,
    profile: Profile,
  ) {
    const names = profile.fields.map((f) => f.name);
    this.locationCols = profile.locationFeatures.map((name) => names.indexOf(name)).filter((i) => i >= 0);
    this.appCol = profile.appFeature ? names.indexOf(profile.appFeature) : -1;
    this.families = this.appCol >= 0 && profile.actionFamilies === true;
    this.own = profile.fields.length;
  }

  fill(r: number, activity: UserActivity): void {
    const { table, values } = this;
    const location = this.locationCols.length > 0 ? locationKey(table, r, this.locationCols) : null;
    const app = this.appCol >= 0 ? (table.value(r, this.appCol) as string | null) : null;
    activity.observeInto(table.time[r], location, app, values, 0, this.families);
    for (let d = 0; d < values.length; d++) table.columns[this.own + d].set(r, values[d]);
  }
}

/** The location columns joined as UserActivity expects them ("Oslo|NO"), as buildUserFrames joins them. */
function locationKey(table: EventColumns, r: number, cols: readonly number[]): string {
  let key = '';
  for (let i = 0; i < cols.length; i++) {
    const v = table.value(r, cols[i]);
    key += (i > 0 ? '|' : '') + (v === null ? '' : String(v));
  }
  return key;
}

/**
 * One user's rows of a table in a model's column order: `columns[c]` is the table column holding
 * the model's column c, −1 where the table has none (a model trained on other fields; read as null,
 * as alignColumns does).
 */
export interface ColumnRows {
  table: ScoringTable;
  rows: Int32Array;
  columns: Int32Array;
  readonly length: number;
}

/** The table column of each of the model's columns, by name; null when they are the same columns. */
export function columnsFor(table: FeatureSchema, model: FeatureSchema): Int32Array | null {
  if (table.names.length === model.names.length && table.names.every((n, i) => n === model.names[i])) return null;
  return Int32Array.from(model.names, (n) => table.names.indexOf(n));
}

function resized<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
