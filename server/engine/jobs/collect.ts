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
  const out: Collected = { items: [], rows: [], rejected: new Map(), filtered: new Set(), report: new InputReport() };
  let index = 0;
  for await (const item of items) {
    const inputIndex = index++;
    if (opts.keepItems) out.items.push(item);
    if (item.kind === 'error') {
      out.report.add('unreadable input', item.message, item.source);
      continue;
    }
    const extracted = readRow(item.event, profile, out.report, item.source);
    if (!extracted.ok) {
      out.rejected.set(inputIndex, extracted.reason);
      continue;
    }
    if (opts.userFilter && !opts.userFilter.test(extracted.row.user)) {
      out.filtered.add(inputIndex);
      continue;
    }
    out.rows.push({ inputIndex, row: extracted.row });
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
  const out: CollectedColumns = { items: [], table: new EventColumns(schemaOf(profile), opts.capacity), rejected: new Map(), filtered: new Set(), report: new InputReport() };
  const values: FeatureValue[] = [];
  let index = 0;
  for await (const item of items) {
    const inputIndex = index++;
    out.items.push(item);
    if (item.kind === 'error') {
      out.report.add('unreadable input', item.message, item.source);
      continue;
    }
    const extracted = readRow(item.event, profile, out.report, item.source, values);
    if (!extracted.ok) {
      out.rejected.set(inputIndex, extracted.reason);
      continue;
    }
    if (opts.userFilter && !opts.userFilter.test(extracted.row.user)) {
      out.filtered.add(inputIndex);
      continue;
    }
    out.table.add(inputIndex, extracted.row);
  }
  return out;
}
