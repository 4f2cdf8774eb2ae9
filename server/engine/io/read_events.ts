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
import { isUtf8 } from 'node:buffer';
import { pipeline, type Readable } from 'node:stream';
import fg from 'fast-glob';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { InputItem, RawEvent } from '../types';
import type { InputReport } from '../jobs/input_report';
import { expectedElementStarts, grouped, jsonTextCut, MAX_DEPTH, nestedDeeperThan, opensMoreThan, topLevelValues, truncateRaw } from './json_text';

const TOO_DEEP = `nested too deep: more than ${grouped(MAX_DEPTH)} levels`;

/**
 * A quoted CSV field may span lines, but a stray quote would otherwise swallow the rest of
 * the file into one record. Past these limits the first line is reported bad and reading resumes after it.
 */
const MAX_CSV_RECORD_LINES = 1_000;
const MAX_CSV_RECORD_CHARS = 1_000_000;
/** Records parsed per csv-parse call: a call per record made quoted CSV about 6x slower. */
const CSV_BATCH_RECORDS = 500;

type ErrorItem = Extract<InputItem, { kind: 'error' }>;

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
// Opening files and splitting lines

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

/** Consecutive lines of a file: lines[i] is line first + i. */
interface LineBatch {
  lines: string[];
  first: number;
}

/**
 * The lines of a byte stream, a chunk's complete lines at a time, each without its \n (the \r
 * of a CRLF is left for the caller: withoutCr). Only \n ends a line, never a lone \r. A chunk
 * is cut at its last \n, which never falls inside a UTF-8 sequence, so each batch decodes on
 * its own; lines holding invalid UTF-8 are reported with their number.
 */
async function* readLines(bytes: AsyncIterable<Buffer> | Iterable<Buffer>, file: string, report: InputReport | undefined): AsyncGenerator<LineBatch> {
  let pending: Buffer[] = []; // the start of a line not yet ended (a long line spans chunks)
  let next = 1;
  const batchOf = (block: Buffer): LineBatch => {
    const batch = splitLines(block, next, file, report);
    next += batch.lines.length;
    return batch;
  };
  for await (const chunk of bytes) {
    const last = chunk.lastIndexOf(0x0a);
    if (last === -1) {
      pending.push(chunk);
      continue;
    }
    const head = chunk.subarray(0, last);
    const block = pending.length > 0 ? Buffer.concat([...pending, head]) : head;
    pending = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    yield batchOf(block);
  }
  if (pending.length > 0) yield batchOf(Buffer.concat(pending));
}

/** Decodes a block of \n-separated lines. Valid UTF-8 (the usual case) is checked and split natively, whole. */
function splitLines(block: Buffer, first: number, file: string, report: InputReport | undefined): LineBatch {
  if (isUtf8(block)) return { lines: block.toString('utf8').split('\n'), first };
  const lines: string[] = [];
  for (let start = 0; ; ) {
    const end = block.indexOf(0x0a, start);
    const line = block.subarray(start, end === -1 ? block.length : end);
    if (!isUtf8(line)) report?.add('invalid UTF-8', 'line holds invalid UTF-8 (read as U+FFFD)', { file, line: first + lines.length });
    lines.push(line.toString('utf8'));
    if (end === -1) break;
    start = end + 1;
  }
  return { lines, first };
}

/**
 * Reads chunks until the first significant byte (not whitespace, not a BOM) shows the JSON
 * flavour and the line it is on has ended, and hands back every chunk, those read included.
 * `lastOnLine`: that line's last significant byte (a pretty-printed document's first line ends
 * with an opening bracket, which no complete NDJSON line does). Runs once per file, on its first bytes.
 */
async function peekStart(stream: Readable): Promise<{ first: number | undefined; lastOnLine: number | undefined; rest: AsyncIterable<Buffer> }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const buffered: Buffer[] = [];
  let first: number | undefined;
  let lastOnLine: number | undefined;
  for (let lineEnded = false; !lineEnded; ) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = next.value;
    let i = buffered.length === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? 3 : 0;
    buffered.push(chunk);
    if (first === undefined) {
      while (i < chunk.length && isJsonSpace(chunk[i])) i++;
      if (i === chunk.length) continue;
      first = chunk[i];
    }
    const newline = chunk.indexOf(0x0a, i);
    lineEnded = newline !== -1;
    for (let j = (lineEnded ? newline : chunk.length) - 1; j >= i; j--) {
      if (!isJsonSpace(chunk[j])) {
        lastOnLine = chunk[j];
        break;
      }
    }
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* buffered;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, lastOnLine, rest: replay() };
}

function isJsonSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0b || byte === 0x0c;
}

// ---------------------------------------------------------------------------------------------
// JSON and NDJSON

/**
 * A leading `[` means one JSON array; a first line that opens an object and ends with an opening
 * bracket (`{`, `{"expected": [`) is a pretty-printed document; anything else is NDJSON.
 */
async function* readJsonOrNdjson(file: string, bytes: Readable, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
  const { first, lastOnLine, rest } = await peekStart(bytes);
  if (first === undefined) return; // only whitespace: reported as empty by the caller
  if (first === 0x5b /* [ */) yield* readJsonArray(file, rest, report);
  else if (first === 0x7b /* { */ && (lastOnLine === 0x7b || lastOnLine === 0x5b)) yield* readJsonDocuments(file, rest, report);
  else yield* readNdjson(file, rest, report);
}

/** A JSON array cannot be split safely without a streaming parser, so it is read whole. */
async function* readJsonArray(file: string, bytes: AsyncIterable<Buffer>, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of bytes) chunks.push(chunk);
  const whole = Buffer.concat(chunks);
  // Elements are not lines: the file is counted once.
  if (!isUtf8(whole)) report?.add('invalid UTF-8', `${file}: holds invalid UTF-8 (read as U+FFFD)`);
  const content = whole.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripBom(content));
  } catch (err) {
    yield [{ kind: 'error', message: `${file}: invalid JSON array: ${reason(err)}`, source: { file, line: 0 }, raw: truncateRaw(content) }];
    return;
  }
  if (!Array.isArray(parsed)) {
    // `[...]` followed by more text fails JSON.parse above, so this is unreachable in practice.
    yield [{ kind: 'error', message: `${file}: expected a JSON array`, source: { file, line: 0 }, raw: truncateRaw(content) }];
    return;
  }
  // The array itself is one level: its elements may have MAX_DEPTH of their own.
  const mayBeDeep = opensMoreThan(content, MAX_DEPTH + 1);
  const items: InputItem[] = [];
  for (let i = 0; i < parsed.length; i++) {
    const element: unknown = parsed[i];
    const source = { file, line: i + 1 };
    if (!isPlainObject(element)) items.push({ kind: 'error', message: `element ${i + 1} is not a JSON object`, source, raw: truncateRaw(JSON.stringify(element) ?? String(element)) });
    else if (mayBeDeep && nestedDeeperThan(element, MAX_DEPTH)) items.push({ kind: 'error', message: TOO_DEEP, source, raw: jsonTextCut(element) });
    else items.push({ kind: 'event', event: element, source });
  }
  yield items;
}

/**
 * JSON written over many lines: one pretty-printed object, several one after another (`jq .`
 * output), or an Elastic pipeline-test file, `{"expected": [...]}`, whose documents are the
 * events. Read whole, like an array. Each event's line is the file line its text starts on. A
 * file that does not split into complete objects is read as NDJSON after all, line by line, as
 * before: nothing is lost, every bad line is reported.
 */
async function* readJsonDocuments(file: string, bytes: AsyncIterable<Buffer>, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of bytes) chunks.push(chunk);
  const whole = Buffer.concat(chunks);
  const text = whole.toString('utf8'); // a BOM decodes to one character on line 1: lines are unaffected
  const values = topLevelValues(text);
  if (values === null) {
    yield* readNdjson(file, [whole], report);
    return;
  }
  if (!isUtf8(whole)) report?.add('invalid UTF-8', `${file}: holds invalid UTF-8 (read as U+FFFD)`);
  const lines = new LineCounter(text);
  const mayBeDeep = opensMoreThan(text, MAX_DEPTH);
  const items: InputItem[] = [];
  for (const { start, end } of values) {
    const source = { file, line: lines.at(start) };
    const raw = text.slice(start, end);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      items.push({ kind: 'error', message: `invalid JSON: ${reason(err)}`, source, raw: truncateRaw(raw) });
      continue;
    }
    if (!isPlainObject(parsed)) items.push({ kind: 'error', message: 'not a JSON object', source, raw: truncateRaw(raw) });
    else if (isPipelineTest(parsed)) items.push(...pipelineTestItems(parsed.expected, text, start, lines, file, mayBeDeep));
    else if (mayBeDeep && nestedDeeperThan(parsed, MAX_DEPTH)) items.push({ kind: 'error', message: TOO_DEEP, source, raw: truncateRaw(raw) });
    else items.push({ kind: 'event', event: parsed, source });
  }
  yield items;
}

/** elastic-package's pipeline-test output: an object whose one key, `expected`, holds the documents. */
function isPipelineTest(value: RawEvent): value is { expected: unknown[] } {
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === 'expected' && Array.isArray(value.expected);
}

/** The documents of a pipeline-test object starting at `start`, each with the line its text starts on. */
function pipelineTestItems(documents: unknown[], text: string, start: number, lines: LineCounter, file: string, mayBeDeep: boolean): InputItem[] {
  const starts = expectedElementStarts(text, start);
  return documents.map((element, k): InputItem => {
    // starts has one offset per element when the scan agrees with JSON.parse, as it does for any valid text.
    const source = { file, line: starts.length === documents.length ? lines.at(starts[k]) : lines.at(start) };
    if (!isPlainObject(element)) return { kind: 'error', message: `expected[${k}] is not a JSON object`, source, raw: jsonTextCut(element) };
    // The wrapper object and its array are two levels: the documents may have MAX_DEPTH of their own.
    if (mayBeDeep && nestedDeeperThan(element, MAX_DEPTH)) return { kind: 'error', message: TOO_DEEP, source, raw: jsonTextCut(element) };
    return { kind: 'event', event: element, source };
  });
}

/** 1-based line numbers of offsets asked in increasing order (each call counts only the newlines since the last). */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  at(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
    }
    for (let i = this.text.indexOf('\n', this.offset); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.offset = offset;
    return this.line;
  }
}

/** One JSON object per line; streamed, so memory is bounded by the longest line. */
async function* readNdjson(file: string, bytes: AsyncIterable<Buffer> | Iterable<Buffer>, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
  for await (const { lines, first } of readLines(bytes, file, report)) {
    const items: InputItem[] = [];
    for (let i = 0; i < lines.length; i++) {
      let line = withoutCr(lines[i]);
      if (first + i === 1) line = stripBom(line);
      if (line.trim() === '') continue;
      items.push(parseNdjsonLine(line, { file, line: first + i }));
    }
    yield items;
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
  // Nesting needs two characters a level, and a bracket each: most lines are ruled out by length
  // or by counting brackets (native indexOf), before the parsed value is walked.
  if (line.length > 2 * MAX_DEPTH && opensMoreThan(line, MAX_DEPTH) && nestedDeeperThan(parsed, MAX_DEPTH)) {
    return { kind: 'error', message: TOO_DEEP, source, raw: truncateRaw(line) };
  }
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
 * CSV with a header row. Record boundaries are found from lines (a quoted field may span lines)
 * before csv-parse sees them, so line numbers are true file lines even with CRLF inside quotes,
 * and a malformed record costs only itself. csv-parse's streaming mode gets info.lines wrong
 * after CRLF inside quotes, and after a stray quote it folds the rows that follow into the bad record.
 */
async function* readCsv(file: string, bytes: Readable, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
  const records = new CsvRecordAssembler();
  const rows = new CsvRowMapper(file);
  let batch: Array<CsvRecord | ErrorSeed> = [];
  for await (const { lines, first } of readLines(bytes, file, report)) {
    for (let i = 0; i < lines.length; i++) {
      const lineNo = first + i;
      const line = withoutCr(lines[i]);
      batch.push(...records.push(lineNo === 1 ? stripBom(line) : line, lineNo));
    }
    if (batch.length >= CSV_BATCH_RECORDS) {
      yield [...rows.mapBatch(batch)];
      batch = [];
    }
  }
  batch.push(...records.end());
  yield [...rows.mapBatch(batch)];
}

/**
 * Groups lines into records by quote parity: with RFC 4180 quoting ("" inside quoted fields),
 * an odd number of quotes so far means a quoted field is still open at the end of the line.
 * Emits either complete records or a bad line it gave up on (a quote never closed within the limits).
 * Lines come without their ending, so a CRLF inside a quoted field reads as \n; a lone \r stays.
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

/** csv-parse's records, or its error message. Records are joined by \n: a lone \r is data, not a record end. */
function tryParseCsv(text: string): string[][] | string {
  try {
    return parseCsvSync(text, { relax_column_count: true, record_delimiter: '\n' }) as string[][];
  } catch (err) {
    return reason(err);
  }
}

/**
 * Header names as keys; blanks and repeats get their 1-based column number (again, while that
 * name is taken too) so no cell is overwritten.
 */
function columnNames(header: string[]): string[] {
  const given = new Set<string>(header);
  const used = new Set<string>();
  return header.map((name, i) => {
    let key = name === '' ? `column_${i + 1}` : used.has(name) ? `${name}_${i + 1}` : name;
    while (key !== name && (used.has(key) || given.has(key))) key = `${key}_${i + 1}`;
    used.add(key);
    return key;
  });
}

/**
 * Empty cells mean "no value", so their keys are left out rather than set to "". A column named
 * `__proto__` becomes an own key, as JSON.parse makes it (assignment would set the prototype).
 */
function rowToEvent(columns: string[], fields: string[]): RawEvent {
  const event: RawEvent = {};
  for (let i = 0; i < fields.length; i++) {
    const value = fields[i];
    if (value === '') continue;
    const key = columns[i];
    if (key === '__proto__') Object.defineProperty(event, key, { value, enumerable: true, writable: true, configurable: true });
    else event[key] = value;
  }
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

/** Drops the \r of a CRLF ending. */
function withoutCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 0x0d ? text.slice(0, -1) : text;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
