/**
 * CSV inputs with a header row (read_events.ts has the contract).
 */
import type { Readable } from 'node:stream';
import { parse as parseCsvSync } from 'csv-parse/sync';
import type { InputItem, RawEvent } from '../types';
import type { InputReport } from '../jobs/input_report';
import { truncateRaw } from './json_text';
import { readLines, reason, stripBom, withoutCr, type ErrorItem } from './read_lines';

/**
 * A quoted CSV field may span lines, but a stray quote would otherwise swallow the rest of
 * the file into one record. Past these limits the first line is reported bad and reading resumes after it.
 */
const MAX_CSV_RECORD_LINES = 1_000;
const MAX_CSV_RECORD_CHARS = 1_000_000;
/** Records parsed per csv-parse call: a call per record made quoted CSV about 6x slower. */
const CSV_BATCH_RECORDS = 500;

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
export async function* readCsv(file: string, bytes: Readable, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
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
