/**
 * Signed feature hashing of a window's process → count map into a fixed-size vector, so hosts with
 * any set of process names share one small network input.
 *
 * Bucket and sign follow scikit-learn's FeatureHasher: h = MurmurHash3_x86_32(UTF-8 of the
 * lower-cased name, seed 0) read as a signed 32-bit integer, bucket = |h| mod dims, sign = + when
 * h ≥ 0. The sign makes colliding names cancel on average instead of piling up. Each name adds
 * ±log1p(count), so one process started thousands of times does not drown the others.
 */

export const DEFAULT_DIMS = 16;

/** The hashing key of a process name: trimmed, lower-cased (Windows names are case-insensitive). */
export function normaliseProcessName(name: string): string {
  return name.trim().toLowerCase();
}

/** MurmurHash3 x86 32-bit of the string's UTF-8 bytes, as an unsigned 32-bit integer. */
export function murmurhash3_32(text: string, seed = 0): number {
  return murmur3Bytes(Buffer.from(text, 'utf8'), seed) >>> 0;
}

/** MurmurHash3 x86 32-bit of bytes, as a signed 32-bit integer (Java's int, as Elasticsearch's routing uses it). */
export function murmur3Bytes(bytes: Uint8Array, seed = 0): number {
  const len = bytes.length;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = len & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2] << 16;
    if (tail >= 2) k ^= bytes[blocks + 1] << 8;
    k ^= bytes[blocks];
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Where a process name lands: its bucket in [0, dims) and the sign it adds with. */
export function processBucket(name: string, dims = DEFAULT_DIMS): { bucket: number; sign: 1 | -1 } {
  const h = murmurhash3_32(normaliseProcessName(name)) | 0;
  return { bucket: Math.abs(h) % dims, sign: h >= 0 ? 1 : -1 };
}

/** Σ over processes of sign·log1p(count) in each process's bucket. Zero or negative counts add nothing. */
export function hashProcessCounts(counts: Map<string, number>, dims = DEFAULT_DIMS): Float32Array {
  if (!Number.isInteger(dims) || dims < 1) throw new RangeError(`dims must be a positive integer, got ${dims}`);
  const v = new Float64Array(dims);
  for (const [name, count] of counts) {
    if (!(count > 0)) continue;
    const { bucket, sign } = processBucket(name, dims);
    v[bucket] += sign * Math.log1p(count);
  }
  return Float32Array.from(v);
}
