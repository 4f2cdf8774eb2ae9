/**
 * For test/score_pool.test.ts: scores an NDJSON file with the models in a directory, in a process
 * of its own (started with engine flags the test chooses), and prints whether code generation is
 * allowed, then every document's dfp without scored_at, one a line.
 *   node --import tsx test/score_child.ts MODELS INPUT WORKERS
 */
import { readFileSync } from 'node:fs';
import type { InputItem } from '../server/engine/types';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { scoreEvents } from '../server/engine/jobs/score';

async function main(): Promise<void> {
  const [models, input, workers] = process.argv.slice(2);
  await initBackend('wasm');
  let codegen = true;
  try {
    new Function('');
  } catch {
    codegen = false;
  }
  const lines = [codegen ? 'code generation allowed' : 'code generation refused'];
  const items: InputItem[] = readFileSync(input, 'utf8')
    .split('\n')
    .map((line, i) => ({ kind: 'event', event: JSON.parse(line) as Record<string, unknown>, source: { file: input, line: i + 1 } }));
  await scoreEvents(items, { profile: resolveProfile('azure-signin'), store: new FsModelStore(models), workers: Number(workers) }, async (doc) => {
    const { scored_at: _, ...dfp } = doc.dfp as Record<string, unknown>;
    lines.push(JSON.stringify(dfp));
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
