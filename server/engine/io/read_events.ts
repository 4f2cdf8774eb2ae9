/**
 * Input layer: expands file patterns and turns every file into a stream of InputItems.
 *
 * Contract: nothing read is dropped. Each record comes out either as an event or as an
 * error item naming file and line and carrying the raw text, and a bad file never stops
 * the run. Formats are detected from content (gzip magic bytes, first JSON character); only
 * CSV relies on the name (.csv / .csv.gz), because no content test tells CSV from NDJSON reliably.
 *
 * Lines end at \n (a \r before it belongs to the ending); a lone \r is data, as in JSON itself.
 * Bytes are split into lines before they are decoded, so a line holding invalid UTF-8 is known
 * (and counted in the caller's report) instead of silently becoming U+FFFD.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { pipeline, type Readable } from 'node:stream';
import fg from 'fast-glob';
import type { InputItem } from '../types';
import type { InputReport } from '../jobs/input_report';
import { readCsv } from './read_csv';
import { readJsonOrNdjson } from './read_json';
import { fileError, reason } from './read_lines';

export interface ReadOptions {
  /**
   * Where problems that do not stop a record are counted, with file and line: lines holding
   * invalid UTF-8 (read with U+FFFD in place of the bad bytes). A run's summary merges it.
   */
  report?: InputReport;
}

// ---------------------------------------------------------------------------------------------
// Pattern expansion

/**
 * Expands glob patterns (and plain paths) to files. Each pattern's matches are sorted and
 * appended in pattern order; duplicates are dropped. A pattern matching nothing is a usage
 * error, so it throws rather than yielding an error item.
 */
export async function expandInputs(patterns: string | string[]): Promise<string[]> {
  const list = Array.isArray(patterns) ? patterns : [patterns];
  const seen = new Set<string>();
  const files: string[] = [];
  for (const pattern of list) {
    const matches = await matchPattern(pattern);
    if (matches.length === 0) throw new Error(`no input files match "${pattern}"`);
    for (const file of matches) {
      if (!seen.has(file)) {
        seen.add(file);
        files.push(file);
      }
    }
  }
  return files;
}

/** An existing file is taken literally, so names containing glob characters ([], (), !) still work. */
async function matchPattern(pattern: string): Promise<string[]> {
  const stat = await fs.promises.stat(pattern).catch(() => undefined);
  if (stat?.isFile()) return [pattern];
  const matches = await fg(pattern, { onlyFiles: true, unique: true });
  return matches.sort(compareStrings);
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Public readers

/**
 * Streams every item of every matched file, in file order then line order. The files' readers
 * hand over a chunk's items at a time; this is the one per-item async step.
 */
export async function* readEvents(patterns: string | string[], opts: ReadOptions = {}): AsyncGenerator<InputItem> {
  for (const file of await expandInputs(patterns)) {
    for await (const batch of readFileItems(file, opts.report)) {
      for (const item of batch) yield item;
    }
  }
}

/** Convenience for small inputs and tests: the whole result in memory. */
export async function readAllEvents(patterns: string | string[], opts: ReadOptions = {}): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of readEvents(patterns, opts)) items.push(item);
  return items;
}

/**
 * One file's items, in batches. Failures that stop a file (cannot open, corrupt gzip, read error)
 * become a single line-0 error item after whatever was already read, and a file yielding nothing
 * is reported as empty, so every input file leaves a trace in the output.
 */
async function* readFileItems(file: string, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
  let count = 0;
  let bytes: Readable | undefined;
  try {
    bytes = await openBytes(file);
    const batches = isCsvName(file) ? readCsv(file, bytes, report) : readJsonOrNdjson(file, bytes, report);
    for await (const batch of batches) {
      count += batch.length;
      if (batch.length > 0) yield batch;
    }
  } catch (err) {
    count++;
    const what = count === 1 ? 'cannot read' : `read failed after ${count - 1} item(s)`;
    yield [fileError(file, `${what}: ${reason(err)}`)];
  } finally {
    bytes?.destroy(); // releases the file handle if the consumer stops early
  }
  if (count === 0) yield [fileError(file, 'file is empty')];
}

function isCsvName(file: string): boolean {
  return /\.csv(\.gz)?$/i.test(file);
}

// ---------------------------------------------------------------------------------------------
// Opening files

/**
 * Opens a file as a byte stream, decompressing when it starts with the gzip magic bytes
 * (whatever its name says). pipeline() forwards read errors to the stream we hand out, so they
 * surface in the consumer's for-await instead of being lost.
 */
async function openBytes(file: string): Promise<Readable> {
  const handle = await fs.promises.open(file, 'r');
  let gzipped: boolean;
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    gzipped = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } catch (err) {
    await handle.close();
    throw err;
  }
  const raw = handle.createReadStream({ start: 0 });
  return gzipped ? pipeline(raw, zlib.createGunzip(), () => {}) : raw;
}
