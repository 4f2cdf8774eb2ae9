/**
 * JSON text without recursion, for input of any depth: where top-level values and an `expected`
 * array's elements start (scanned, not parsed: brackets counted, strings skipped), how deep a
 * value nests, and raw or re-serialized text capped with a marker saying it was cut.
 */

/** Raw text kept on an error item is capped so one huge bad line cannot exhaust memory downstream. */
export const MAX_RAW_CHARS = 10_000;

/**
 * Events nested deeper than this are errors. Real events nest a handful of levels; a depth bomb
 * parses (V8's JSON.parse is iterative) but overflows every recursive step after it
 * (JSON.stringify, flattening, extraction). 1,000 is the nesting limit Jackson (Elasticsearch's
 * parser) has by default, and far inside what JSON.stringify manages on a deep call stack (~2,500).
 */
export const MAX_DEPTH = 1_000;

/**
 * Where each top-level JSON value of `text` starts and ends, when the text is nothing but
 * objects and arrays (whitespace between); null when it is not (text outside them, a value left
 * open, a string running past its line): such a file is read as NDJSON instead.
 */
export function topLevelValues(text: string): { start: number; end: number }[] | null {
  const out: { start: number; end: number }[] = [];
  let i = skipSpace(text, text.charCodeAt(0) === 0xfeff ? 1 : 0);
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x7b && c !== 0x5b) return null;
    const end = skipValue(text, i);
    if (end < 0) return null;
    out.push({ start: i, end });
    i = skipSpace(text, end);
  }
  return out;
}

/**
 * Start offsets of the elements of the `expected` array of the object at `start` (the last
 * `expected` key, as JSON.parse keeps the last); [] when the scan finds none.
 */
export function expectedElementStarts(text: string, start: number): number[] {
  let found: number[] = [];
  let i = skipSpace(text, start + 1);
  while (i < text.length && text.charCodeAt(i) === 0x22 /* " */) {
    const keyEnd = skipString(text, i);
    if (keyEnd < 0) return found;
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 0x3a /* : */) return found;
    i = skipSpace(text, i + 1);
    if (key === 'expected' && text.charCodeAt(i) === 0x5b) found = arrayElementStarts(text, i);
    const end = skipValue(text, i);
    if (end < 0) return found;
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === 0x2c /* , */) i = skipSpace(text, i + 1);
  }
  return found;
}

/** Start offsets of the elements of the array whose `[` is at `open`. */
function arrayElementStarts(text: string, open: number): number[] {
  const starts: number[] = [];
  let i = skipSpace(text, open + 1);
  while (i < text.length && text.charCodeAt(i) !== 0x5d /* ] */) {
    starts.push(i);
    const end = skipValue(text, i);
    if (end < 0) break;
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === 0x2c) i = skipSpace(text, i + 1);
  }
  return starts;
}

/**
 * The offset just past the JSON value starting at `i`, or −1 when it does not end. Brackets are
 * counted, not recursed into, so any depth is fine; strings are skipped whole.
 */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return skipString(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    // A number or literal: up to the next delimiter.
    while (i < text.length && !isDelimiter(text.charCodeAt(i))) i++;
    return i;
  }
  let depth = 0;
  while (i < text.length) {
    const b = text.charCodeAt(i);
    if (b === 0x22) {
      i = skipString(text, i);
      if (i < 0) return -1;
      continue;
    }
    if (b === 0x7b || b === 0x5b) depth++;
    else if (b === 0x7d || b === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return -1;
}

/** The offset just past the string whose opening quote is at `i`; −1 when it runs into a line end or the end of the text (JSON strings hold no raw line breaks). */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const b = text.charCodeAt(j);
    if (b === 0x5c /* \ */) j++;
    else if (b === 0x22) return j + 1;
    else if (b === 0x0a) return -1;
  }
  return -1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const b = text.charCodeAt(i);
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) break;
    i++;
  }
  return i;
}

function isDelimiter(b: number): boolean {
  return b === 0x2c || b === 0x5d || b === 0x7d || b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

/** Whether `text` holds more than `max` opening brackets (an upper bound on its nesting); stops counting past max. */
export function opensMoreThan(text: string, max: number): boolean {
  let n = 0;
  for (let i = text.indexOf('{'); i !== -1 && n <= max; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i !== -1 && n <= max; i = text.indexOf('[', i + 1)) n++;
  return n > max;
}

/**
 * Whether `value` nests objects and arrays more than `max` levels deep (`{"a":1}` is one level).
 * Iterative, so it answers for any depth; it stops at the first container past `max`.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') {
        values.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * Caps raw text without splitting a surrogate pair at the cut; a cut text ends with a marker
 * saying so and how long the whole was (`…[cut: 52,428,800 characters in all]`).
 */
export function truncateRaw(text: string): string {
  if (text.length <= MAX_RAW_CHARS) return text;
  return `${headOf(text)}${cutMarker(text.length)}`;
}

/** The marker a cut text ends with; `total` undefined: the whole was not measured (it was not all made). */
function cutMarker(total: number | undefined): string {
  return total === undefined ? `…[cut: more than ${grouped(MAX_RAW_CHARS)} characters]` : `…[cut: ${grouped(total)} characters in all]`;
}

/** The first MAX_RAW_CHARS characters, one fewer where the cut would split a surrogate pair. */
function headOf(text: string): string {
  const cut = /[\ud800-\udbff]/.test(text[MAX_RAW_CHARS - 1]) ? MAX_RAW_CHARS - 1 : MAX_RAW_CHARS;
  return text.slice(0, cut);
}

/** JSON text of a value of any depth (see jsonText), capped like truncateRaw. */
export function jsonTextCut(value: unknown): string {
  const { text, complete } = jsonText(value, MAX_RAW_CHARS);
  if (complete) return truncateRaw(text);
  return `${headOf(text)}${cutMarker(undefined)}`;
}

/**
 * JSON.stringify without recursion, for values nested too deep for it; it stops once it has
 * made more than `budget` characters (`complete` false). Follows JSON.stringify: toJSON is
 * called, undefined, functions and symbols are left out of objects and are null in arrays.
 */
function jsonText(value: unknown, budget: number): { text: string; complete: boolean } {
  type Frame = { items: unknown[]; i: number } | { entries: [string, unknown][]; i: number; written: number };
  const stack: Frame[] = [];
  let text = '';
  const begin = (v: unknown): void => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') v = (v as { toJSON(): unknown }).toJSON();
    if (Array.isArray(v)) {
      text += '[';
      stack.push({ items: v, i: 0 });
    } else if (v !== null && typeof v === 'object') {
      text += '{';
      stack.push({ entries: Object.entries(v), i: 0, written: 0 });
    } else {
      text += JSON.stringify(v) ?? 'null';
    }
  };
  const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  begin(value);
  while (stack.length > 0 && text.length <= budget) {
    const top = stack[stack.length - 1];
    if ('items' in top) {
      if (top.i === top.items.length) {
        text += ']';
        stack.pop();
        continue;
      }
      if (top.i > 0) text += ',';
      const v = top.items[top.i++];
      begin(skipped(v) ? null : v);
    } else {
      while (top.i < top.entries.length && skipped(top.entries[top.i][1])) top.i++;
      if (top.i === top.entries.length) {
        text += '}';
        stack.pop();
        continue;
      }
      const [key, v] = top.entries[top.i++];
      text += `${top.written++ > 0 ? ',' : ''}${JSON.stringify(key)}:`;
      begin(v);
    }
  }
  return { text, complete: stack.length === 0 };
}

/** 52428800 → "52,428,800", the same on every machine (no locale). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
