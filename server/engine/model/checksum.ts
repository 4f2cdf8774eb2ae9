import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A fingerprint's checksum: sha256 (hex) of `JSON.stringify` of the model without its checksum
 * field. This module computes it for writing (the definition, as it always was) and verifies it
 * on load without building that string.
 *
 * Why: almost all of a model's JSON is its weights as long base64 strings. Stringifying the whole
 * model copies and escape-scans ~100 kB per user, twice the cost of hashing it, and a scoring run
 * loads every user's model. Verification instead hashes the small parts as JSON.stringify writes
 * them and the long strings as they are, which is the same bytes whenever those strings need no
 * JSON escaping (base64 never does). When the digest does not match, the exact definition decides,
 * so a model is accepted or refused exactly as before.
 */
export function checksumOfBody(body: object): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** Whether `json.checksum` is the checksum of the rest of `json`. */
export function checksumMatches(json: { checksum: string }): boolean {
  const { checksum, ...body } = json;
  return fastDigest(body) === checksum || checksumOfBody(body) === checksum;
}

/**
 * A model's signature: HMAC-SHA256, under a key the model store holds, of its checksum. The
 * checksum alone detects corruption but not tampering (anyone can recompute a sha256); the
 * signature binds the checksum, and through it every other field, to the key. Verifying a
 * signature therefore also needs `checksumMatches`.
 */
export function signatureOf(checksum: string, key: Buffer): string {
  return `hmac-sha256:${createHmac('sha256', key).update(`dfp-model-signature/1:${checksum}`).digest('hex')}`;
}

/** Whether `signature` is `signatureOf(checksum, key)` (compared in constant time). */
export function signatureMatches(checksum: string, signature: string, key: Buffer): boolean {
  const expected = Buffer.from(signatureOf(checksum, key));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Strings this long are hashed without escaping (the fast path's bet); shorter ones exactly. */
const LONG_STRING = 256;

/** sha256 of JSON.stringify(body), if its long strings need no escaping (see above). */
function fastDigest(body: object): string {
  const hash = createHash('sha256');
  let text = ''; // JSON text not yet hashed: fewer, larger updates
  const flush = (): void => {
    if (text.length > 0) hash.update(text);
    text = '';
  };
  const write = (value: unknown): boolean => {
    if (typeof value === 'string' && value.length >= LONG_STRING) {
      text += '"';
      flush();
      hash.update(value, 'latin1');
      text = '"';
      return true;
    }
    if (value !== null && typeof value === 'object' && !hasToJson(value) && holdsLongStrings(value)) {
      if (Array.isArray(value)) {
        text += '[';
        value.forEach((v, i) => {
          if (i > 0) text += ',';
          if (!write(v)) text += 'null';
        });
        text += ']';
      } else {
        text += '{';
        let first = true;
        for (const key of Object.keys(value)) {
          const v = (value as Record<string, unknown>)[key];
          if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
          text += `${first ? '' : ','}${JSON.stringify(key)}:`;
          first = false;
          write(v);
        }
        text += '}';
      }
      return true;
    }
    const s = JSON.stringify(value) as string | undefined;
    if (s === undefined) return false;
    text += s;
    return true;
  };
  write(body);
  flush();
  return hash.digest('hex');
}

function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * Whether a value holds a long string within two levels (a model's `weights`: an array of layers
 * holding base64 strings). Deeper or string-free parts go to JSON.stringify whole: faster.
 */
function holdsLongStrings(value: object, depth = 0): boolean {
  for (const v of Array.isArray(value) ? value : Object.values(value)) {
    if (typeof v === 'string' && v.length >= LONG_STRING) return true;
    if (depth < 2 && v !== null && typeof v === 'object' && holdsLongStrings(v, depth + 1)) return true;
  }
  return false;
}
