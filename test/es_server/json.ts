// JSON the way Elasticsearch reads and writes it where JavaScript's JSON would lose digits: long
// values above 2^53 (epoch nanoseconds, Long.MAX_VALUE for a missing sort value) go out as plain
// JSON numbers, and a search body's integer literals above 2^53 come in exact (as BigInt), since
// Elasticsearch parses the literal text, not the double a JavaScript client meant.
import { randomBytes } from 'node:crypto';
import { Json } from './errors';

const NONCE = randomBytes(6).toString('hex');
const MARK = `\u0000num${NONCE}:`;
const MARKED = new RegExp(`"\\\\u0000num${NONCE}:(-?\\d+)"`, 'g');

/** A number written verbatim into the JSON text (a long that a double cannot hold). */
export class RawNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return MARK + this.text;
  }
}

/** JSON text of an answer body, long values written as numbers. */
export function stringify(body: Json): string {
  const text = JSON.stringify(body);
  return text.includes(NONCE) ? text.replace(MARKED, '$1') : text;
}

const LONG_LITERAL = /\d{16,}/;
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Parses a request body; integer literals that a double cannot hold exactly become BigInt.
 * Bodies without a 16-digit run (nearly all) take the plain JSON.parse path.
 */
export function parseBody(raw: string): Json {
  if (!LONG_LITERAL.test(raw)) return JSON.parse(raw);
  let out = '';
  let from = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '"') {
      // Skip the string, escapes included.
      for (i++; i < raw.length && raw[i] !== '"'; i++) if (raw[i] === '\\') i++;
      continue;
    }
    if (c !== '-' && (c < '0' || c > '9')) continue;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(raw);
    if (!m) continue;
    const literal = m[0];
    if (!m[1] && !m[2] && !Number.isSafeInteger(Number(literal))) {
      out += raw.slice(from, i) + JSON.stringify(MARK + literal);
      from = i + literal.length;
    }
    i += literal.length - 1;
  }
  out += raw.slice(from);
  return JSON.parse(out, (_k, v) => (typeof v === 'string' && v.startsWith(MARK) ? BigInt(v.slice(MARK.length)) : v));
}
