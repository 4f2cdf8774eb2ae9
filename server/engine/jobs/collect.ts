import type { InputItem, RawEvent, SourceRef } from '../types';
import type { Profile } from '../profiles';
import { eventIdOf, extractRow, type ExtractOutcome, type FeatureValue, type ProfileRow } from '../features/extract';
import { eventRefKey, FlaggedPeriods, learnDecision, type EventRef, type LeftOutLedger } from '../model/left_out';
import type { TriageStatus } from '../../../common/triage';
import { InputReport } from './input_report';
import { EventColumns, type ArraySource } from '../features/columns';
import { schemaOf } from '../features/frame';

export interface Collected {
  /** Every input item, in input order (kept when scoring: each one comes out again). */
  items: InputItem[];
  /** Events the profile could read, with their position in `items`. */
  rows: { inputIndex: number; row: ProfileRow }[];
  /** Why each unreadable event (by position) could not be scored. */
  rejected: Map<number, string>;
  /** Events skipped by the user filter (by position). */
  filtered: Set<number>;
  report: InputReport;
}

export interface CollectOptions {
  /** Keep only users matching this (Morpheus' --userid_filter). */
  userFilter?: RegExp;
  /**
   * Events dated after this (epoch ms) are counted as "timestamp in the future", with their file
   * and line, and not kept: training must not learn, nor anchor its window on, a clock gone wrong.
   */
  notAfter?: number;
  /** Keep the items themselves (scoring needs them; training does not). */
  keepItems: boolean;
  /**
   * Training: events an earlier run's `dfp` fields say not to learn (left_out.ts) go to this
   * ledger instead of the rows. `threshold`: on dfp.zscore, the one in force now; `compromised`:
   * users marked compromised, from when (compromisedSince); `marks`: single events' triage states
   * (eventMarks), found through `refOf` (the event's index and id, as the triage targets name it).
   */
  leftOut?: {
    threshold: number;
    ledger: LeftOutLedger;
    compromised?: ReadonlyMap<string, number>;
    marks?: ReadonlyMap<string, TriageStatus>;
    refOf?: (item: Extract<InputItem, { kind: 'event' }>) => EventRef | undefined;
  };
}

/** The first stage of every job: read items, reduce events to rows, account for everything else. */
export async function collectRows(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  profile: Profile,
  opts: CollectOptions,
): Promise<Collected> {
  const sink = new RowList();
  const periods = opts.leftOut ? new FlaggedPeriods() : undefined;
  const unvouched: Unvouched[] = [];
  const accounts = await readItems(items, profile, opts, sink, undefined, periods && { periods, unvouched });
  if (!periods || unvouched.length === 0) return { ...accounts, rows: sink.rows };
  // The whole input read: scored events near a flagged one of their user are in its flagged period.
  periods.seal();
  const out = new Set<number>();
  for (const u of unvouched) {
    if (!periods.contains(u.user, u.time)) continue;
    out.add(u.inputIndex);
    opts.leftOut!.ledger.add(u.user, 'in a flagged period', u.time, u.id);
  }
  return { ...accounts, rows: out.size === 0 ? sink.rows : sink.rows.filter((r) => !out.has(r.inputIndex)) };
}

/** A learned event no analyst vouched for (LearnDecision.unvouched). */
interface Unvouched {
  inputIndex: number;
  user: string;
  time: number;
  id: string | undefined;
}

/** Training's record of flagged events and of the events their flagged periods may take back. */
interface PeriodRecord {
  periods: FlaggedPeriods;
  unvouched: Unvouched[];
}

/** Where readItems puts each readable event's row. */
interface RowSink {
  row(inputIndex: number, row: ProfileRow): void;
}

class RowList implements RowSink {
  readonly rows: Collected['rows'] = [];

  row(inputIndex: number, row: ProfileRow): void {
    this.rows.push({ inputIndex, row });
  }
}

/**
 * Reads every item: keeps it when asked, reduces each event to a row for `sink`, and accounts for
 * the rest (unreadable input, rejected events, events the user filter skips). `into`: reused
 * for each row's values (see extractRow), for callers that copy them out at once.
 */
async function readItems(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  profile: Profile,
  opts: CollectOptions,
  sink: RowSink,
  into?: FeatureValue[],
  record?: PeriodRecord,
): Promise<Omit<Collected, 'rows'>> {
  const reader = new ItemReader(profile, opts, sink, into, record);
  // An array or other plain iterable is read without an await per item (two promises each).
  if (!(Symbol.asyncIterator in items)) for (const item of items as Iterable<InputItem>) reader.read(item);
  else for await (const item of items) reader.read(item);
  return reader.out;
}

/**
 * readItems' work per item. A class, not a closure made per call: V8 optimizes the loop calling it
 * with the function called inlined, and a new closure each run would undo that every run.
 */
class ItemReader {
  readonly out: Omit<Collected, 'rows'> = { items: [], rejected: new Map(), filtered: new Set(), report: new InputReport() };
  private index = 0;

  constructor(
    private readonly profile: Profile,
    private readonly opts: CollectOptions,
    private readonly sink: RowSink,
    private readonly into: FeatureValue[] | undefined,
    private readonly record: PeriodRecord | undefined,
  ) {}

  read(item: InputItem): void {
    const { out, opts } = this;
    const inputIndex = this.index++;
    if (opts.keepItems) out.items.push(item);
    if (item.kind === 'error') {
      out.report.add('unreadable input', item.message, item.source);
      return;
    }
    const extracted = readRow(item.event, this.profile, out.report, item.source, this.into);
    if (!extracted.ok) {
      // Where, as an unreadable line's error says it: the event comes out with this as dfp.error.
      out.rejected.set(inputIndex, `${item.source.file}:${item.source.line}: ${extracted.reason}`);
      return;
    }
    if (opts.userFilter && !opts.userFilter.test(extracted.row.user)) {
      out.filtered.add(inputIndex);
      return;
    }
    if (opts.notAfter !== undefined && extracted.row.time > opts.notAfter) {
      out.report.add('timestamp in the future', `${new Date(extracted.row.time).toISOString()} is after ${new Date(opts.notAfter).toISOString()}: not learned`, item.source);
      out.rejected.set(inputIndex, `${item.source.file}:${item.source.line}: timestamp in the future`);
      return;
    }
    if (opts.leftOut) {
      const { row } = extracted;
      const { marks, refOf, ledger } = opts.leftOut;
      const ref = marks && marks.size > 0 ? refOf?.(item) : undefined;
      const mark = ref ? marks!.get(eventRefKey(ref)) : undefined;
      const decided = learnDecision(item.event, opts.leftOut.threshold, opts.leftOut.compromised?.get(row.user), row.time, mark);
      if (decided.leftOut !== undefined) {
        ledger.add(row.user, decided.leftOut, row.time, eventIdOf(item.event, this.profile));
        if (decided.leftOut !== 'marked compromised') this.record?.periods.flagged(row.user, row.time);
        return;
      }
      if (decided.benign) ledger.learned(row.user);
      if (decided.unvouched) this.record?.unvouched.push({ inputIndex, user: row.user, time: row.time, id: eventIdOf(item.event, this.profile) });
    }
    this.sink.row(inputIndex, extracted.row);
  }
}

/** One event reduced to a row, with what was wrong with it counted in `report` (where: file and line). `into`: see extractRow. */
export function readRow(event: RawEvent, profile: Profile, report: InputReport, where: SourceRef, into?: FeatureValue[]): ExtractOutcome {
  const extracted = extractRow(event, profile, into);
  if (!extracted.ok) {
    report.add(extracted.reason.startsWith('no user key') ? 'no user key' : 'bad timestamp', extracted.reason, where);
    return extracted;
  }
  for (const p of extracted.problems) report.add(`bad value: ${p.field}`, `${p.field}: ${p.message}`, where);
  return extracted;
}

/** What scoring keeps of its input: every item, and the readable events as columns (no objects per event). */
export interface CollectedColumns extends Omit<Collected, 'rows'> {
  table: EventColumns;
}

/**
 * collectRows for scoring: the same accounting, the events' values kept in an EventColumns table.
 * `onRows` hears when the table reaches a size (scoring workers start then, while the rest is read).
 */
export async function collectColumns(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  profile: Profile,
  opts: { userFilter?: RegExp; capacity?: number; arrays?: ArraySource; onRows?: RowCount },
): Promise<CollectedColumns> {
  const table = new EventColumns(schemaOf(profile), opts.capacity, opts.arrays);
  // One values array for every row: the table copies each row's values as it is added.
  const accounts = await readItems(items, profile, { userFilter: opts.userFilter, keepItems: true }, new TableSink(table, opts.onRows), []);
  return { ...accounts, table };
}

/** Told once, when the table has `count` rows. */
export interface RowCount {
  readonly count: number;
  reached(): void;
}

class TableSink implements RowSink {
  constructor(
    private readonly table: EventColumns,
    private readonly onRows: RowCount | undefined,
  ) {}

  row(inputIndex: number, row: ProfileRow): void {
    this.table.add(inputIndex, row);
    if (this.table.size === this.onRows?.count) this.onRows.reached();
  }
}
