import type { InputItem, RawEvent, SourceRef } from '../types';
import type { Profile } from '../profiles';
import { extractRow, type ExtractOutcome, type FeatureValue, type ProfileRow } from '../features/extract';
import { InputReport } from './input_report';
import { EventColumns } from '../features/columns';
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
  /** Keep the items themselves (scoring needs them; training does not). */
  keepItems: boolean;
}

/** The first stage of every job: read items, reduce events to rows, account for everything else. */
export async function collectRows(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  profile: Profile,
  opts: CollectOptions,
): Promise<Collected> {
  const rows: Collected['rows'] = [];
  const accounts = await readItems(items, profile, opts, (inputIndex, row) => rows.push({ inputIndex, row }));
  return { ...accounts, rows };
}

/**
 * Reads every item: keeps it when asked, reduces each event to a row for `keep`, and accounts for
 * the rest (unreadable input, rejected events, events the user filter skips). `into`: reused
 * for each row's values (see extractRow), for callers that copy them out at once.
 */
async function readItems(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  profile: Profile,
  opts: CollectOptions,
  keep: (inputIndex: number, row: ProfileRow) => void,
  into?: FeatureValue[],
): Promise<Omit<Collected, 'rows'>> {
  const out: Omit<Collected, 'rows'> = { items: [], rejected: new Map(), filtered: new Set(), report: new InputReport() };
  let index = 0;
  for await (const item of items) {
    const inputIndex = index++;
    if (opts.keepItems) out.items.push(item);
    if (item.kind === 'error') {
      out.report.add('unreadable input', item.message, item.source);
      continue;
    }
    const extracted = readRow(item.event, profile, out.report, item.source, into);
    if (!extracted.ok) {
      out.rejected.set(inputIndex, extracted.reason);
      continue;
    }
    if (opts.userFilter && !opts.userFilter.test(extracted.row.user)) {
      out.filtered.add(inputIndex);
      continue;
    }
    keep(inputIndex, extracted.row);
  }
  return out;
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

/** collectRows for scoring: the same accounting, the events' values kept in an EventColumns table. */
export async function collectColumns(
  items: AsyncIterable<InputItem> | Iterable<InputItem>,
  profile: Profile,
  opts: { userFilter?: RegExp; capacity?: number },
): Promise<CollectedColumns> {
  const table = new EventColumns(schemaOf(profile), opts.capacity);
  // One values array for every row: the table copies each row's values as it is added.
  const accounts = await readItems(items, profile, { userFilter: opts.userFilter, keepItems: true }, (inputIndex, row) => table.add(inputIndex, row), []);
  return { ...accounts, table };
}
