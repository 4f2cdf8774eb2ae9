/**
 * Output layer: writes scored events (and error documents for unreadable input) as NDJSON or
 * CSV, gzipped when the path ends in .gz. Writes respect backpressure, so memory stays bounded
 * however many events are written.
 *
 * A file output is written to a temporary file beside it and renamed over it on close, so a run
 * that fails (a full disk) leaves the old output whole and no torn one; the temporary file is
 * removed and the error names the output and the cause. Devices and pipes are written directly.
 * A document that cannot be serialized (nested too deep) comes out as an error document in its
 * place: one bad record never stops the others.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { once } from 'node:events';
import { PassThrough, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SourceRef } from '../types';
import { MAX_DEPTH, grouped, jsonTextCut, nestedDeeperThan } from './json_text';

export interface EventWriter {
  write(doc: Record<string, unknown>): Promise<void>;
  close(): Promise<{ path: string; written: number }>;
}

/**
 * Picks the format from the name: .csv → CSV, anything else → NDJSON; a trailing .gz adds gzip.
 * Throws at once when the output's directory cannot be made, so a run fails before its work.
 */
export function createEventWriter(outPath: string): EventWriter {
  const gzip = /\.gz$/i.test(outPath);
  const csv = /\.csv(\.gz)?$/i.test(outPath);
  try {
    fs.mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
  } catch (err) {
    throw outputError(outPath, err);
  }
  const target = outputTarget(outPath);
  if (target instanceof Error) return new FailedWriter(outputError(outPath, target));
  return csv ? new CsvEventWriter(target, gzip) : new NdjsonEventWriter(target, gzip);
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

/**
 * What is written in place of a document that JSON.stringify (or flattening) cannot handle: an
 * error document keeping the start of its text, located where the document says it came from
 * (dfp.source, which error documents carry). The reader already turns events nested deeper
 * than MAX_DEPTH into errors; this is for documents that reach a writer by another way.
 */
function unwritableDocument(doc: Record<string, unknown>, err: unknown): Record<string, unknown> {
  const dfp = isPlainObject(doc.dfp) ? doc.dfp : {};
  const source = isSourceRef(dfp.source) ? dfp.source : undefined;
  const why = nestedDeeperThan(doc, MAX_DEPTH) ? `nested too deep to write: more than ${grouped(MAX_DEPTH)} levels` : `cannot be written: ${reason(err)}`;
  const { dfp: _ours, ...event } = doc;
  return {
    event: { original: jsonTextCut(event) },
    dfp: {
      error: source ? formatError({ message: why, source }) : why,
      scored_at: typeof dfp.scored_at === 'string' ? dfp.scored_at : new Date().toISOString(),
      user: typeof dfp.user === 'string' ? dfp.user : null,
      ...(source ? { source: { file: source.file, line: source.line } } : {}),
    },
  };
}

function isSourceRef(value: unknown): value is SourceRef {
  return isPlainObject(value) && typeof value.file === 'string' && typeof value.line === 'number';
}

// ---------------------------------------------------------------------------------------------
// Where the bytes go

interface OutputTarget {
  outPath: string;
  /** The file written: a temporary name beside outPath, or outPath itself when direct. */
  writePath: string;
  /** A device, pipe or symlink (/dev/stdout, a FIFO): written in place, nothing to rename or remove. */
  direct: boolean;
}

/** Where to write `outPath`, or why it cannot be written (a directory in the way). */
function outputTarget(outPath: string): OutputTarget | Error {
  let stat: fs.Stats | undefined;
  let link = false;
  try {
    stat = fs.statSync(outPath, { throwIfNoEntry: false });
    link = fs.lstatSync(outPath, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
  if (stat?.isDirectory()) return Object.assign(new Error('EISDIR: illegal operation on a directory'), { code: 'EISDIR' });
  // A symlink is written through (a rename would replace the link itself).
  const direct = link || (stat !== undefined && !stat.isFile());
  return { outPath, writePath: direct ? outPath : siblingName(outPath, 'tmp'), direct };
}

/** A hidden, unique name beside `outPath` (same file system, so the rename is atomic), ending `.<suffix>`. */
function siblingName(outPath: string, suffix: string, dir = path.dirname(path.resolve(outPath))): string {
  const tag = `${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}`;
  return path.join(dir, `.${path.basename(outPath)}.${tag}.${suffix}`);
}

/** "cannot write <output>: <cause>", keeping the cause's errno code (ENOSPC, EACCES…). */
function outputError(outPath: string, err: unknown): Error {
  const error = new Error(`cannot write ${outPath}: ${reason(err)}`, { cause: err });
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

// ---------------------------------------------------------------------------------------------
// Text sink: one file, optionally gzipped, with backpressure

interface TextSink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** Stops writing and lets go of the file (after a failure); never rejects. */
  abort(): Promise<void>;
}

/**
 * Opens a file for streamed text. Errors from the file (permission denied, disk full) are
 * remembered and rethrown on the next write or on close, instead of crashing the process.
 */
function openTextSink(filePath: string, gzip: boolean): TextSink {
  const head: Transform = gzip ? zlib.createGzip() : new PassThrough();
  const done = pipeline(head, fs.createWriteStream(filePath));
  let failure: unknown;
  done.catch((err: unknown) => {
    failure ??= err;
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

  async function abort(): Promise<void> {
    head.destroy();
    await done.catch(() => {});
  }

  return { write, close, abort };
}

// ---------------------------------------------------------------------------------------------
// Writers

/**
 * Shared bookkeeping: counting, refusing writes after close, and failing whole: the first error
 * removes what was written (discard) and every later write or close reports it, naming the output.
 */
abstract class BaseWriter implements EventWriter {
  protected written = 0;
  private closing: Promise<{ path: string; written: number }> | undefined;
  private failure: Error | undefined;

  constructor(protected readonly target: OutputTarget) {}

  protected get outPath(): string {
    return this.target.outPath;
  }

  async write(doc: Record<string, unknown>): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.closing) throw new Error(`${this.outPath}: write after close`);
    try {
      await this.writeDoc(doc);
    } catch (err) {
      throw await this.fail(err);
    }
    this.written++;
  }

  /** Idempotent: a second close returns the first result. */
  close(): Promise<{ path: string; written: number }> {
    this.closing ??= (async () => {
      if (this.failure) throw this.failure;
      try {
        await this.finish();
        if (!this.target.direct) await fs.promises.rename(this.target.writePath, this.outPath);
      } catch (err) {
        throw await this.fail(err);
      }
      return { path: this.outPath, written: this.written };
    })();
    return this.closing;
  }

  private async fail(err: unknown): Promise<Error> {
    if (!this.failure) {
      this.failure = outputError(this.outPath, err);
      await this.discard();
      if (!this.target.direct) await fs.promises.rm(this.target.writePath, { force: true }).catch(() => {});
    }
    return this.failure;
  }

  protected abstract writeDoc(doc: Record<string, unknown>): Promise<void>;
  /** Completes target.writePath (the rename follows). */
  protected abstract finish(): Promise<void>;
  /** Lets go of everything open or spooled after a failure. */
  protected abstract discard(): Promise<void>;
}

/** A writer whose output cannot be written at all (a directory in the way): every call reports why. */
class FailedWriter implements EventWriter {
  constructor(private readonly error: Error) {}

  write(): Promise<void> {
    return Promise.reject(this.error);
  }

  close(): Promise<{ path: string; written: number }> {
    return Promise.reject(this.error);
  }
}

/** One JSON object per line, straight to the output. */
class NdjsonEventWriter extends BaseWriter {
  private readonly sink: TextSink;

  constructor(target: OutputTarget, gzip: boolean) {
    super(target);
    this.sink = openTextSink(target.writePath, gzip);
  }

  protected writeDoc(doc: Record<string, unknown>): Promise<void> {
    let line: string;
    try {
      line = JSON.stringify(doc);
    } catch (err) {
      line = JSON.stringify(unwritableDocument(doc, err));
    }
    return this.sink.write(line + '\n');
  }

  protected finish(): Promise<void> {
    return this.sink.close();
  }

  protected discard(): Promise<void> {
    return this.sink.abort();
  }
}

/**
 * CSV needs its header first, but the columns are only known once every document is seen.
 * Rows are flattened and spooled as NDJSON next to the output (same disk, not a RAM-backed
 * /tmp; the system's temporary directory for a device output), then written as CSV with the
 * union of columns on close. A spooled row is [column number, cell, …]: column names, which
 * come from the input, are only ever Map keys.
 */
class CsvEventWriter extends BaseWriter {
  private readonly columns = new Map<string, number>();
  private readonly spoolPath: string;
  private readonly spool: TextSink;
  private out: TextSink | undefined;

  constructor(
    target: OutputTarget,
    private readonly gzip: boolean,
  ) {
    super(target);
    this.spoolPath = siblingName(target.outPath, 'spool.tmp', target.direct ? os.tmpdir() : undefined);
    this.spool = openTextSink(this.spoolPath, false);
  }

  protected writeDoc(doc: Record<string, unknown>): Promise<void> {
    let flat: Map<string, string>;
    try {
      flat = flattenForCsv(doc);
    } catch (err) {
      flat = flattenForCsv(unwritableDocument(doc, err));
    }
    const cells: Array<number | string> = [];
    for (const [column, text] of flat) {
      let c = this.columns.get(column);
      if (c === undefined) this.columns.set(column, (c = this.columns.size));
      cells.push(c, text);
    }
    return this.spool.write(JSON.stringify(cells) + '\n');
  }

  protected async finish(): Promise<void> {
    await this.spool.close();
    await this.writeCsvFromSpool();
    await fs.promises.rm(this.spoolPath, { force: true });
  }

  protected async discard(): Promise<void> {
    await this.spool.abort();
    await this.out?.abort();
    await fs.promises.rm(this.spoolPath, { force: true }).catch(() => {});
  }

  private async writeCsvFromSpool(): Promise<void> {
    const names = [...this.columns.keys()];
    const out = (this.out = openTextSink(this.target.writePath, this.gzip));
    if (names.length > 0) await out.write(csvLine(names));
    // The spool is our own JSON: no raw CR or LF inside a line, so readline splits it exactly.
    const lines = readline.createInterface({ input: fs.createReadStream(this.spoolPath, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      const cells = JSON.parse(line) as Array<number | string>;
      const row = new Array<string>(names.length).fill('');
      for (let k = 0; k < cells.length; k += 2) row[cells[k] as number] = cells[k + 1] as string;
      await out.write(csvLine(row));
    }
    await out.close();
  }
}

// ---------------------------------------------------------------------------------------------
// CSV text

/**
 * A cell a spreadsheet would run as a formula: OWASP's CSV-injection list (= + - @ tab CR) and
 * NUL (OWASP ASVS 1.2.10).
 */
const FORMULA_START = /^[=+\-@\t\r\0]/;
/**
 * Cells left as they are although they start like a formula: a plain decimal number (JSON's
 * syntax: -3.2 is a number to a spreadsheet), and `@` before a bare name (ECS's `@timestamp`,
 * Logstash's `@version`: no call, no DDE `|`, no `!` reference, so nothing a spreadsheet can run;
 * quoting it would rename the column for every reader, ours included).
 */
const NOT_A_FORMULA = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|@[A-Za-z_][A-Za-z0-9_.]*)$/;
/** Quoted: RFC 4180's specials, and `;`, the separator of spreadsheets in many locales. */
const NEEDS_QUOTES = /[",;\r\n]/;

/**
 * One CSV cell, header names included (keys come from input too). A cell that would start a
 * formula gets a leading `'` (which spreadsheets take as "text") and is always quoted, as OWASP
 * advises; numbers and `@name` are written as they are (NOT_A_FORMULA).
 */
export function csvCell(text: string): string {
  if (FORMULA_START.test(text) && !NOT_A_FORMULA.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(cells: string[]): string {
  return `${cells.map(csvCell).join(',')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Flattening

/**
 * Nested objects become dotted columns ({a:{b:1}} → "a.b"), in first-seen order (a later
 * duplicate, such as a literal "a.b" key, wins); arrays are kept whole as JSON, since a cell
 * per element would make the column set depend on array lengths. Values become text here, so
 * false and 0 are written, not left empty. A Map, so a column named `constructor` or
 * `__proto__` is just a name.
 */
export function flattenForCsv(doc: Record<string, unknown>): Map<string, string> {
  const row = new Map<string, string>();
  flattenInto(row, '', doc);
  return row;
}

function flattenInto(row: Map<string, string>, prefix: string, value: Record<string, unknown>): void {
  for (const [key, child] of Object.entries(value)) {
    const column = prefix === '' ? key : `${prefix}.${key}`;
    if (child === undefined) continue;
    if (isPlainObject(child) && Object.keys(child).length > 0) flattenInto(row, column, child);
    else row.set(column, cellText(child));
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

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
