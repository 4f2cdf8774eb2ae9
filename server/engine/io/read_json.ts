/**
 * JSON inputs (read_events.ts has the contract): NDJSON, one JSON array, pretty-printed documents
 * and Elastic pipeline-test files. The first significant bytes tell which.
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { InputItem, RawEvent } from '../types';
import type { InputReport } from '../jobs/input_report';
import { expectedElementStarts, grouped, jsonTextCut, MAX_DEPTH, nestedDeeperThan, opensMoreThan, topLevelValues, truncateRaw } from './json_text';
import { isPlainObject, readLines, reason, stripBom, withoutCr } from './read_lines';

const TOO_DEEP = `nested too deep: more than ${grouped(MAX_DEPTH)} levels`;

/**
 * A leading `[` means one JSON array; a first line that opens an object and ends with an opening
 * bracket (`{`, `{"expected": [`) is a pretty-printed document; anything else is NDJSON.
 */
export async function* readJsonOrNdjson(file: string, bytes: Readable, report: InputReport | undefined): AsyncGenerator<InputItem[]> {
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
