/**
 * Output layer: writes scored events (and error documents for unreadable input) as NDJSON or
 * CSV, gzipped when the path ends in .gz. Writes respect backpressure, so memory stays bounded
 * however many events are written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { once } from 'node:events';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import type { SourceRef } from '../types';

export interface EventWriter {
  write(doc: Record<string, unknown>): Promise<void>;
  close(): Promise<{ path: string; written: number }>;
}

/** Picks the format from the name: .csv → CSV, anything else → NDJSON; a trailing .gz adds gzip. */
export function createEventWriter(outPath: string): EventWriter {
  fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  const gzip = /\.gz$/i.test(outPath);
  const csv = /\.csv(\.gz)?$/i.test(outPath);
  return csv ? new CsvEventWriter(outPath, gzip) : new NdjsonEventWriter(outPath, gzip);
}

// ---------------------------------------------------------------------------------------------
// Error documents

/** Builds the output document for an input item that could not be read, keeping its raw text. */
export function errorDocument(
  item: { message: string; source: SourceRef; raw?: string },
  extra?: Record<string, unknown>,
): Record<string, unknown> {
  const { file, line } = item.source;
  return {
    ...(item.raw !== undefined ? { event: { original: item.raw } } : {}),
    dfp: {
      error: formatError(item),
      scored_at: new Date().toISOString(),
      user: null,
      source: { file, line },
    },
    ...extra,
  };
}

/**
 * "<file>:<line>: <message>". File-level problems (line 0) already name the file in their
 * message, so they are not prefixed twice.
 */
export function formatError(item: { message: string; source: SourceRef }): string {
  const { file, line } = item.source;
  if (line > 0) return `${file}:${line}: ${item.message}`;
  return item.message.startsWith(`${file}:`) ? item.message : `${file}: ${item.message}`;
}

// ---------------------------------------------------------------------------------------------
// Text sink: one output file, optionally gzipped, with backpressure

interface TextSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens a file for streamed text. Errors from the file (e.g. permission denied) are remembered
 * and rethrown on the next write or on close, instead of crashing the process.
 */
function openTextSink(filePath: string, gzip: boolean): TextSink {
  const head: Transform = gzip ? zlib.createGzip() : new PassThrough();
  const done = pipeline(head, fs.createWriteStream(filePath));
  let failure: unknown;
  done.catch((err: unknown) => {
    failure = err;
  });

  async function write(text: string): Promise<void> {
    if (failure !== undefined) throw failure;
    if (head.write(text)) return;
    // Race drain against the pipeline so a failing file rejects instead of hanging forever.
    const drained = once(head, 'drain');
    drained.catch(() => {});
    await Promise.race([drained, done]);
  }

  async function close(): Promise<void> {
    if (failure !== undefined) throw failure;
    head.end();
    await done;
  }

  return { write, close };
}

// ---------------------------------------------------------------------------------------------
// Writers

/** Shared bookkeeping: counting, and refusing writes after close. */
abstract class BaseWriter implements EventWriter {
  protected written = 0;
  private closing: Promise<{ path: string; written: number }> | undefined;

  constructor(protected readonly outPath: string) {}

  async write(doc: Record<string, unknown>): Promise<void> {
    if (this.closing) throw new Error(`${this.outPath}: write after close`);
    await this.writeDoc(doc);
    this.written++;
  }

  /** Idempotent: a second close returns the first result. */
  close(): Promise<{ path: string; written: number }> {
    this.closing ??= this.finish().then(() => ({ path: this.outPath, written: this.written }));
    return this.closing;
  }

  protected abstract writeDoc(doc: Record<string, unknown>): Promise<void>;
  protected abstract finish(): Promise<void>;
}

/** One JSON object per line, straight to the output. */
class NdjsonEventWriter extends BaseWriter {
  private readonly sink: TextSink;

  constructor(outPath: string, gzip: boolean) {
    super(outPath);
    this.sink = openTextSink(outPath, gzip);
  }

  protected writeDoc(doc: Record<string, unknown>): Promise<void> {
    return this.sink.write(JSON.stringify(doc) + '\n');
  }

  protected finish(): Promise<void> {
    return this.sink.close();
  }
}

/**
 * CSV needs its header first, but the columns are only known once every document is seen.
 * Rows are flattened and spooled as NDJSON next to the output (same disk, not a RAM-backed
 * /tmp), then written as CSV with the union of columns on close.
 */
class CsvEventWriter extends BaseWriter {
  private readonly columns = new Set<string>();
  private readonly spoolPath: string;
  private readonly spool: TextSink;

  constructor(
    outPath: string,
    private readonly gzip: boolean,
  ) {
    super(outPath);
    const dir = path.dirname(path.resolve(outPath));
    const tag = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;
    this.spoolPath = path.join(dir, `.${path.basename(outPath)}.${tag}.spool.ndjson`);
    this.spool = openTextSink(this.spoolPath, false);
  }

  protected writeDoc(doc: Record<string, unknown>): Promise<void> {
    const row = flattenForCsv(doc);
    for (const key of Object.keys(row)) this.columns.add(key);
    return this.spool.write(JSON.stringify(row) + '\n');
  }

  protected async finish(): Promise<void> {
    try {
      await this.spool.close();
      await this.writeCsvFromSpool();
    } finally {
      await fs.promises.rm(this.spoolPath, { force: true });
    }
  }

  private async writeCsvFromSpool(): Promise<void> {
    const columns = [...this.columns];
    const out = openTextSink(this.outPath, this.gzip);
    try {
      if (columns.length > 0) await out.write(stringifyCsv([columns]));
      const lines = readline.createInterface({ input: fs.createReadStream(this.spoolPath, 'utf8'), crlfDelay: Infinity });
      for await (const line of lines) {
        const row = JSON.parse(line) as Record<string, string>;
        await out.write(stringifyCsv([columns.map((c) => row[c] ?? '')]));
      }
    } finally {
      await out.close();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Flattening

/**
 * Nested objects become dotted columns ({a:{b:1}} → "a.b"); arrays are kept whole as JSON,
 * since a cell per element would make the column set depend on array lengths. Values are
 * stringified here because csv-stringify's default turns false into an empty cell.
 */
export function flattenForCsv(doc: Record<string, unknown>): Record<string, string> {
  const row: Record<string, string> = {};
  flattenInto(row, '', doc);
  return row;
}

function flattenInto(row: Record<string, string>, prefix: string, value: Record<string, unknown>): void {
  for (const [key, child] of Object.entries(value)) {
    const column = prefix === '' ? key : `${prefix}.${key}`;
    if (child === undefined) continue;
    if (isPlainObject(child) && Object.keys(child).length > 0) flattenInto(row, column, child);
    else row[column] = cellText(child);
  }
}

function cellText(value: unknown): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value); // arrays, and {} so it is not silently dropped
  return String(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
