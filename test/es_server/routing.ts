// Which shard a document lives on, as Elasticsearch routes it: murmur3 (x86, 32 bit, seed 0) of
// the _id's UTF-16 code units, modulo the routing shards, divided by the routing factor.

function murmur3(bytes: Uint8Array): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = 0;
  const blocks = bytes.length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = bytes.length & 3;
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
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Elasticsearch's hash of a routing string: each UTF-16 unit as two little-endian bytes. */
export function routingHash(routing: string): number {
  const bytes = new Uint8Array(routing.length * 2);
  for (let i = 0; i < routing.length; i++) {
    const c = routing.charCodeAt(i);
    bytes[i * 2] = c & 0xff;
    bytes[i * 2 + 1] = c >>> 8;
  }
  return murmur3(bytes);
}

/** The default number of routing shards for an index of `shards` shards (ES 7+): shards × 2^n ≤ 1024, split at least once. */
export function defaultRoutingShards(shards: number): number {
  const log2Shards = shards <= 1 ? 0 : 32 - Math.clz32(shards - 1);
  return shards * 2 ** Math.max(1, 10 - log2Shards);
}

/** The shard of a document with this _id. */
export function shardOf(id: string, shards: number, routingShards: number): number {
  if (shards === 1) return 0;
  const h = routingHash(id);
  return Math.floor((((h % routingShards) + routingShards) % routingShards) / (routingShards / shards));
}
