/** What the hostile-input tests (io_hardening*.test.ts) share: temporary directories removed after the file's tests, fixtures, writing and reading outputs. */
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createEventWriter } from '../server/engine/io/write_events';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-io14-'));
  tempDirs.push(dir);
  return dir;
}

export function fixture(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

export async function writeAll(out: string, docs: Record<string, unknown>[]): Promise<{ path: string; written: number }> {
  const writer = createEventWriter(out);
  for (const doc of docs) await writer.write(doc);
  return writer.close();
}

export function ndjsonLines(file: string): Record<string, unknown>[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

