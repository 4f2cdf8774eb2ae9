/**
 * Byte streams as lines, for the NDJSON and CSV readers (read_events.ts has the contract), and the
 * small helpers every reader shares.
 */
import { isUtf8 } from 'node:buffer';
import type { InputItem, RawEvent } from '../types';
import type { InputReport } from '../jobs/input_report';

export type ErrorItem = Extract<InputItem, { kind: 'error' }>;

/** Consecutive lines of a file: lines[i] is line first + i. */
export interface LineBatch {
  lines: string[];
  first: number;
}

/**
 * The lines of a byte stream, a chunk's complete lines at a time, each without its \n (the \r
 * of a CRLF is left for the caller: withoutCr). Only \n ends a line, never a lone \r. A chunk
 * is cut at its last \n, which never falls inside a UTF-8 sequence, so each batch decodes on
 * its own; lines holding invalid UTF-8 are reported with their number.
 */
export async function* readLines(bytes: AsyncIterable<Buffer> | Iterable<Buffer>, file: string, report: InputReport | undefined): AsyncGenerator<LineBatch> {
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

export function isPlainObject(value: unknown): value is RawEvent {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fileError(file: string, message: string): ErrorItem {
  return { kind: 'error', message: `${file}: ${message}`, source: { file, line: 0 } };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Drops the \r of a CRLF ending. */
export function withoutCr(text: string): string {
  return text.charCodeAt(text.length - 1) === 0x0d ? text.slice(0, -1) : text;
}

export function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
