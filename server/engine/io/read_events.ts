/**
 * Input layer: expands file patterns and turns every file into a stream of InputItems.
 *
 * Contract: nothing read is dropped. Each record comes out either as an event or as an
 * error item naming file and line and carrying the raw text, and a bad file never stops
 * the run. Formats are detected from content (gzip magic bytes, first JSON character); only
 * CSV relies on the name (.csv / .csv.gz), because no content test tells CSV from NDJSON reliably.
 */
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import * as zlib from 'node:zlib';
import { Readable, pipeline } from 'node:stream';
import fg from 'fast-glob';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { InputItem, RawEvent } from '../types';

/** Raw text kept on an error item is capped so one huge bad line cannot exhaust memory downstream. */
export const MAX_RAW_CHARS = 10_000;

/**
 * A quoted CSV field may span lines, but a stray quote would otherwise swallow the rest of
 * the file into one record. Past these limits the first line is reported bad and reading resumes after it.
 */
const MAX_CSV_RECORD_LINES = 1_000;
const MAX_CSV_RECORD_CHARS = 1_000_000;
/** Records parsed per csv-parse call: a call per record made quoted CSV about 6x slower. */
const CSV_BATCH_RECORDS = 500;

type ErrorItem = Extract<InputItem, { kind: 'error' }>;

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

/** Streams every item of every matched file, in file order then line order. */
export async function* readEvents(patterns: string | string[]): AsyncGenerator<InputItem> {
  for (const file of await expandInputs(patterns)) {
    yield* readFileItems(file);
  }
}

/** Convenience for small inputs and tests: the whole result in memory. */
export async function readAllEvents(patterns: string | string[]): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of readEvents(patterns)) items.push(item);
  return items;
}

/**
 * One file's items. Failures that stop a file (cannot open, corrupt gzip, read error) become a
 * single line-0 error item after whatever was already read, and a file yielding nothing is
 * reported as empty, so every input file leaves a trace in the output.
 */
async function* readFileItems(file: string): AsyncGenerator<InputItem> {
  let count = 0;
  let text: Readable | undefined;
  try {
    text = await openText(file);
    const items = isCsvName(file) ? readCsv(file, text) : readJsonOrNdjson(file, text);
    for await (const item of items) {
      count++;
      yield item;
    }
  } catch (err) {
    count++;
    const what = count === 1 ? 'cannot read' : `read failed after ${count - 1} item(s)`;
    yield fileError(file, `${what}: ${reason(err)}`);
  } finally {
    text?.destroy(); // releases the file handle if the consumer stops early
  }
  if (count === 0) yield fileError(file, 'file is empty');
}

function isCsvName(file: string): boolean {
  return /\.csv(\.gz)?$/i.test(file);
}

// ---------------------------------------------------------------------------------------------
// Opening files

/**
 * Opens a file as a UTF-8 text stream, decompressing when it starts with the gzip magic bytes
 * (whatever its name says). pipeline() forwards read errors to the stream we hand out, so they
 * surface in the consumer's for-await instead of being lost.
 */
async function openText(file: string): Promise<Readable> {
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
  const text: Readable = gzipped ? pipeline(raw, zlib.createGunzip(), () => {}) : raw;
  text.setEncoding('utf8');
  return text;
}

/** Splits off the first chunks until a non-whitespace character shows the JSON flavour, without losing them. */
async function peekFirstChar(stream: Readable): Promise<{ first: string | undefined; rest: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<string>;
  const buffered: string[] = [];
  let first: string | undefined;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    buffered.push(next.value);
    first = /[^\s\ufeff]/.exec(next.value)?.[0];
  }
  async function* replay(): AsyncGenerator<string> {
    yield* buffered;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, rest: Readable.from(replay()) };
}

// ---------------------------------------------------------------------------------------------
// JSON and NDJSON

/** A leading `[` means one JSON array; anything else is NDJSON. */
async function* readJsonOrNdjson(file: string, text: Readable): AsyncGenerator<InputItem> {
  const { first, rest } = await peekFirstChar(text);
  if (first === undefined) return; // only whitespace: reported as empty by the caller
  if (first === '[') yield* readJsonArray(file, rest);
  else yield* readNdjson(file, rest);
}

/** A JSON array cannot be split safely without a streaming parser, so it is read whole. */
async function* readJsonArray(file: string, text: Readable): AsyncGenerator<InputItem> {
  let content = '';
  for await (const chunk of text) content += chunk as string;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(content));
  } catch (err) {
    yield { kind: 'error', message: `${file}: invalid JSON array: ${reason(err)}`, source: { file, line: 0 }, raw: truncateRaw(content) };
    return;
  }
  if (!Array.isArray(parsed)) {
    // `[...]` followed by more text fails JSON.parse above, so this is unreachable in practice.
    yield { kind: 'error', message: `${file}: expected a JSON array`, source: { file, line: 0 }, raw: truncateRaw(content) };
    return;
  }
  for (let i = 0; i < parsed.length; i++) {
    const element: unknown = parsed[i];
    const source = { file, line: i + 1 };
    if (isPlainObject(element)) yield { kind: 'event', event: element, source };
    else yield { kind: 'error', message: `element ${i + 1} is not a JSON object`, source, raw: truncateRaw(JSON.stringify(element) ?? String(element)) };
  }
}

/** One JSON object per line; streamed, so memory is bounded by the longest line. */
async function* readNdjson(file: string, text: Readable): AsyncGenerator<InputItem> {
  const lines = readline.createInterface({ input: text, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const rawLine of lines) {
    lineNo++;
    const line = lineNo === 1 ? stripBom(rawLine) : rawLine;
    if (line.trim() === '') continue;
    yield parseNdjsonLine(line, { file, line: lineNo });
  }
}

function parseNdjsonLine(line: string, source: { file: string; line: number }): InputItem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { kind: 'error', message: `invalid JSON: ${reason(err)}`, source, raw: truncateRaw(line) };
  }
  if (!isPlainObject(parsed)) return { kind: 'error', message: 'line is not a JSON object', source, raw: truncateRaw(line) };
  return { kind: 'event', event: parsed, source };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** A complete CSV record: its text (lines joined by \n) and the file line it starts on. */
interface CsvRecord {
  text: string;
  line: number;
}

/**
 * CSV with a header row. Record boundaries are found from readline lines (a quoted field may
 * span lines) before csv-parse sees them, so line numbers are true file lines even with CRLF
 * inside quotes, and a malformed record costs only itself. csv-parse's streaming mode gets
 * info.lines wrong after CRLF inside quotes, and after a stray quote it folds the rows that
 * follow into the bad record.
 */
async function* readCsv(file: string, text: Readable): AsyncGenerator<InputItem> {
  const lines = readline.createInterface({ input: text, crlfDelay: Infinity });
  const records = new CsvRecordAssembler();
  const rows = new CsvRowMapper(file);
  let batch: Array<CsvRecord | ErrorSeed> = [];
  let lineNo = 0;
  for await (const rawLine of lines) {
    lineNo++;
    batch.push(...records.push(lineNo === 1 ? stripBom(rawLine) : rawLine, lineNo));
    if (batch.length >= CSV_BATCH_RECORDS) {
      yield* rows.mapBatch(batch);
      batch = [];
    }
  }
  batch.push(...records.end());
  yield* rows.mapBatch(batch);
}

/**
 * Groups lines into records by quote parity: with RFC 4180 quoting ("" inside quoted fields),
 * an odd number of quotes so far means a quoted field is still open at the end of the line.
 * Emits either complete records or a bad line it gave up on (a quote never closed within the limits).
 */
class CsvRecordAssembler {
  private lines: string[] = [];
  private startLine = 0;
  private quotes = 0;
  private chars = 0;

  push(line: string, lineNo: number): Array<CsvRecord | ErrorSeed> {
    if (this.lines.length === 0 && line.trim() === '') return []; // blank line between records
    if (this.lines.length === 0) this.startLine = lineNo;
    this.lines.push(line);
    this.quotes += countQuotes(line);
    this.chars += line.length;
    if (this.quotes % 2 === 0) return [this.take()];
    if (this.lines.length > MAX_CSV_RECORD_LINES || this.chars > MAX_CSV_RECORD_CHARS) return this.giveUpOnFirstLine();
    return [];
  }

  /** At end of input an open quote can never close: resync until nothing is pending. */
  end(): Array<CsvRecord | ErrorSeed> {
    const out: Array<CsvRecord | ErrorSeed> = [];
    while (this.lines.length > 0) out.push(...this.giveUpOnFirstLine());
    return out;
  }

  /** Reports the record's first line as unterminated and re-reads the lines after it. */
  private giveUpOnFirstLine(): Array<CsvRecord | ErrorSeed> {
    const [first, ...rest] = this.lines;
    const out: Array<CsvRecord | ErrorSeed> = [{ error: 'unterminated quoted field', text: first, line: this.startLine }];
    const restStart = this.startLine + 1;
    this.reset();
    rest.forEach((line, i) => out.push(...this.push(line, restStart + i)));
    return out;
  }

  private take(): CsvRecord {
    const record = { text: this.lines.join('\n'), line: this.startLine };
    this.reset();
    return record;
  }

  private reset(): void {
    this.lines = [];
    this.quotes = 0;
    this.chars = 0;
  }
}

/** A record already known to be bad, with the reason. */
interface ErrorSeed extends CsvRecord {
  error: string;
}

/** Turns records into items: the first good record is the header, later ones become events keyed by it. */
class CsvRowMapper {
  private columns: string[] | undefined;
  private headerError: string | undefined;

  constructor(private readonly file: string) {}

  /** Items for a run of records, in order; good records are split in one batch. */
  *mapBatch(batch: Array<CsvRecord | ErrorSeed>): Generator<InputItem> {
    const good = batch.filter((r): r is CsvRecord => !('error' in r));
    const fields = splitCsvRecords(good.map((r) => r.text));
    let next = 0;
    for (const record of batch) {
      const item = 'error' in record ? this.fail(record, record.error) : this.map(record, fields[next++]);
      if (item) yield item;
    }
  }

  /** The header record yields nothing; every later record yields one item. */
  private map(record: CsvRecord, parsed: string[] | string): InputItem | undefined {
    if (this.headerError !== undefined) return this.fail(record, this.headerError);
    if (typeof parsed === 'string') {
      if (this.columns === undefined) {
        this.headerError = `CSV header on line ${record.line} could not be parsed`;
        return this.fail(record, `invalid CSV header: ${parsed}`);
      }
      return this.fail(record, `invalid CSV row: ${parsed}`);
    }
    if (this.columns === undefined) {
      this.columns = columnNames(parsed);
      return undefined;
    }
    if (parsed.length !== this.columns.length) {
      return this.fail(record, `row has ${parsed.length} fields, header has ${this.columns.length}`);
    }
    return { kind: 'event', event: rowToEvent(this.columns, parsed), source: { file: this.file, line: record.line } };
  }

  private fail(record: CsvRecord, message: string): ErrorItem {
    return { kind: 'error', message, source: { file: this.file, line: record.line }, raw: truncateRaw(record.text) };
  }
}

/**
 * Fields of each complete record, or the parser's reason for one that is malformed. Records
 * without quotes cannot contain escapes, so a plain split is exact. Quoted ones are parsed in
 * one csv-parse call; if that fails or miscounts, each is parsed alone so a bad record only
 * costs itself.
 */
function splitCsvRecords(texts: string[]): Array<string[] | string> {
  const result: Array<string[] | string | undefined> = texts.map((t) => (t.includes('"') ? undefined : t.split(',')));
  const quoted = texts.flatMap((t, i) => (result[i] === undefined ? [i] : []));
  if (quoted.length === 0) return result as Array<string[] | string>;
  const together = tryParseCsv(quoted.map((i) => texts[i]).join('\n'));
  if (Array.isArray(together) && together.length === quoted.length) {
    quoted.forEach((i, k) => (result[i] = together[k]));
  } else {
    for (const i of quoted) {
      const alone = tryParseCsv(texts[i]);
      result[i] = typeof alone === 'string' ? alone : alone.length === 1 ? alone[0] : `expected one record, found ${alone.length}`;
    }
  }
  return result as Array<string[] | string>;
}

/** csv-parse's records, or its error message. */
function tryParseCsv(text: string): string[][] | string {
  try {
    return parseCsvSync(text, { relax_column_count: true }) as string[][];
  } catch (err) {
    return reason(err);
  }
}

/** Header names as keys; blanks and repeats get their 1-based column number so no cell is overwritten. */
function columnNames(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((name, i) => {
    const key = name === '' ? `column_${i + 1}` : seen.has(name) ? `${name}_${i + 1}` : name;
    seen.add(key);
    return key;
  });
}

/** Empty cells mean "no value", so their keys are left out rather than set to "". */
function rowToEvent(columns: string[], fields: string[]): RawEvent {
  const event: RawEvent = {};
  fields.forEach((value, i) => {
    if (value !== '') event[columns[i]] = value;
  });
  return event;
}

function countQuotes(line: string): number {
  let n = 0;
  for (let i = line.indexOf('"'); i !== -1; i = line.indexOf('"', i + 1)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isPlainObject(value: unknown): value is RawEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fileError(file: string, message: string): ErrorItem {
  return { kind: 'error', message: `${file}: ${message}`, source: { file, line: 0 } };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Caps raw text without splitting a surrogate pair at the cut. */
export function truncateRaw(text: string): string {
  if (text.length <= MAX_RAW_CHARS) return text;
  const cut = /[\ud800-\udbff]/.test(text[MAX_RAW_CHARS - 1]) ? MAX_RAW_CHARS - 1 : MAX_RAW_CHARS;
  return text.slice(0, cut);
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
