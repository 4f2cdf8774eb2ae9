import type { InputItem, RawEvent } from '../types';
import { errorDocument } from '../io/write_events';
import {
  scoreProcessGroups,
  trainProcessGroups,
  type ProcessGroupsModelJson,
  type ProcessGroupsTrainResult,
} from '../process_groups';
import { InputReport } from './input_report';

/** The process-counts profile as a job: items in, model out; items in, every item out again. */

export async function trainProcessGroupItems(
  items: AsyncIterable<InputItem>,
  opts: { seed?: number; epochs?: number },
): Promise<ProcessGroupsTrainResult & { report: InputReport }> {
  const report = new InputReport();
  const events: RawEvent[] = [];
  for await (const item of items) {
    if (item.kind === 'error') report.add('unreadable input', item.message, item.source);
    else events.push(item.event);
  }
  return { ...trainProcessGroups(events, { seed: opts.seed, epochs: opts.epochs }), report };
}

export async function scoreProcessGroupItems(
  items: AsyncIterable<InputItem>,
  model: ProcessGroupsModelJson,
  opts: { threshold: number },
  write: (doc: Record<string, unknown>) => Promise<void>,
): Promise<{ events: number; scored: number; errors: number; flagged: number }> {
  const all: InputItem[] = [];
  for await (const item of items) all.push(item);
  const events = all.flatMap((i) => (i.kind === 'event' ? [i.event] : []));
  const fields = scoreProcessGroups(events, model, { threshold: opts.threshold });
  const counts = { events: all.length, scored: 0, errors: 0, flagged: 0 };
  let k = 0;
  for (const item of all) {
    if (item.kind === 'error') {
      counts.errors += 1;
      await write(errorDocument(item));
      continue;
    }
    const dfp = fields[k++];
    if (dfp.error) counts.errors += 1;
    else counts.scored += 1;
    if (dfp.is_anomaly) counts.flagged += 1;
    await write({ ...item.event, dfp });
  }
  return counts;
}
