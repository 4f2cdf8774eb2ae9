import type { FeatureKind } from '../profiles';
import type { FeatureValue } from './extract';

/**
 * Features about how much and when a user acts, beside what they do. Morpheus' three
 * (logcount = log1p of the day's earlier events, locincrement, appincrement: per user and UTC
 * day, so far that day) plus the hour of
 * day, weekend, and the volume over the trailing hour, without which attacks that reuse a user's
 * own apps, devices and places are invisible (DESIGN.md section 6).
 */
export const DERIVED_FEATURES: { name: string; kind: FeatureKind }[] = [
  { name: 'hour', kind: 'categorical' },
  { name: 'weekend', kind: 'binary' },
  { name: 'logcount', kind: 'numeric' },
  { name: 'locincrement', kind: 'numeric' },
  { name: 'appincrement', kind: 'numeric' },
  { name: 'hourcount', kind: 'numeric' },
  { name: 'familycount', kind: 'numeric' },
];

/**
 * Volume features: log1p of a count of the user's own events (the day so far, the trailing hour,
 * the trailing hour of the same action family). Besides the autoencoder, each is judged against
 * the user's own high in the training window (score/history_evidence.ts).
 */
export const VOLUME_FEATURES: readonly string[] = ['logcount', 'hourcount', 'familycount'];

/** Derived features that move together, scored as one unit each (see Profile.groups). */
export const DERIVED_GROUPS: string[][] = [
  ['hour', 'weekend'],
  ['logcount', 'hourcount', 'familycount'],
];

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * One user's running activity state. Feed it the user's events in time order; it answers each
 * event's derived features from what came before. Keeping it per user lets a stream score one new
 * event at a time with the same values a batch would give.
 */
export class UserActivity {
  private day = -1;
  private countToday = 0;
  private readonly locationsToday = new Set<string>();
  private readonly appsToday = new Set<string>();
  /** Times of recent events, oldest first, for the trailing-hour count; those before `oldest` have expired. */
  private readonly recent: number[] = [];
  private oldest = 0;
  /** The same per action family (the profile's app feature: an Entra app, a CloudTrail provider). */
  private readonly families = new Map<string, TrailingHour>();

  /** `families`: whether `app` names an action family (Profile.actionFamilies); familycount is null otherwise. */
  observe(time: number, location: string | null, app: string | null, families = false): FeatureValue[] {
    const out = new Array<FeatureValue>(DERIVED_FEATURES.length);
    this.observeInto(time, location, app, out, 0, families);
    return out;
  }

  /** observe, writing the derived values into `out` from `at` on (no array per event). */
  observeInto(time: number, location: string | null, app: string | null, out: FeatureValue[], at: number, families = false): void {
    const day = Math.floor(time / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.countToday = 0;
      this.locationsToday.clear();
      this.appsToday.clear();
    }
    // Morpheus counts the day's earlier events (cumcount); we take log1p of that count, since a day
    // twice as busy as usual matters alike for a user with 10 events a day and one with 500.
    const logcount = Math.log1p(this.countToday);
    this.countToday += 1;
    if (location !== null) this.locationsToday.add(location);
    if (app !== null) this.appsToday.add(app);

    const recent = this.recent;
    recent.push(time);
    while (recent.length - this.oldest > 0 && recent[this.oldest] <= time - HOUR_MS) this.oldest++;
    // Drop the expired head now and then rather than shifting the array on every event.
    if (this.oldest > 64 && this.oldest * 2 > recent.length) {
      recent.splice(0, this.oldest);
      this.oldest = 0;
    }

    // A bulk download repeats one family's calls (s3 GetObject after GetObject) while the user's
    // other activity stays as usual: counted per family, the burst stands out.
    let family: TrailingHour | undefined;
    if (families) {
      family = this.families.get(app ?? '');
      if (!family) this.families.set(app ?? '', (family = new TrailingHour()));
    }

    const date = new Date(time);
    const weekday = date.getUTCDay();
    out[at] = HOURS[date.getUTCHours()];
    out[at + 1] = weekday === 0 || weekday === 6 ? 1 : 0;
    out[at + 2] = logcount;
    out[at + 3] = this.locationsToday.size;
    out[at + 4] = this.appsToday.size;
    out[at + 5] = Math.log1p(recent.length - this.oldest);
    out[at + 6] = family ? Math.log1p(family.add(time)) : null;
  }
}

/** Times of the last hour's events, oldest first: `add` answers how many, the new one included. */
class TrailingHour {
  private times: number[] = [];
  private oldest = 0;

  add(time: number): number {
    const times = this.times;
    times.push(time);
    while (times.length - this.oldest > 0 && times[this.oldest] <= time - HOUR_MS) this.oldest++;
    if (this.oldest > 64 && this.oldest * 2 > times.length) {
      this.times = times.slice(this.oldest);
      this.oldest = 0;
    }
    return this.times.length - this.oldest;
  }
}

/** "00" … "23": the hour feature's values, made once. */
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
