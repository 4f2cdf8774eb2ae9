import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readEvents } from '../../server/engine/io/read_events';
import type { EventWriter } from '../../server/engine/io/write_events';
import { scoreProcessGroupItems, trainProcessGroupItems } from '../../server/engine/jobs/process_groups';
import type { ProcessGroupsModelJson } from '../../server/engine/process_groups';

/** The process-counts profile keeps one fleet model: `<models>/process-counts/model.json`. */
const modelPath = (dir: string): string => path.join(dir, 'process-counts', 'model.json');

export async function trainProcessFiles(
  input: string[],
  models: string,
  opts: { seed: number; epochs?: number; backend: string },
): Promise<string> {
  const result = await trainProcessGroupItems(readEvents(input), opts);
  const file = modelPath(models);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, JSON.stringify({ ...result.model, backend: opts.backend }));
  const problems = result.errors.total + result.report.total;
  return `process-group model on ${result.windows} windows of ${result.keys} hosts (${result.events} events, ${problems} unusable) saved to ${file}`;
}

export async function scoreProcessFiles(input: string[], models: string, opts: { threshold: number }, writer: EventWriter): Promise<string> {
  const file = modelPath(models);
  let model: ProcessGroupsModelJson;
  try {
    model = JSON.parse(await fs.readFile(file, 'utf8')) as ProcessGroupsModelJson;
  } catch (err) {
    throw new Error(`cannot read process-group model ${file}: ${(err as Error).message}`);
  }
  const c = await scoreProcessGroupItems(readEvents(input), model, opts, (doc) => writer.write(doc));
  return `scored ${c.scored} of ${c.events} events (${c.errors} with dfp.error), ${c.flagged} flagged`;
}
