// Which shard a document lives on, as Elasticsearch routes it: murmur3 (x86, 32 bit, seed 0) of
// the _id's UTF-16 code units, modulo the routing shards, divided by the routing factor.
import { murmur3Bytes } from '../../server/engine/process_groups/hashing';

/** Elasticsearch's hash of a routing string: each UTF-16 unit as two little-endian bytes. */
export function routingHash(routing: string): number {
  const bytes = new Uint8Array(routing.length * 2);
  for (let i = 0; i < routing.length; i++) {
    const c = routing.charCodeAt(i);
    bytes[i * 2] = c & 0xff;
    bytes[i * 2 + 1] = c >>> 8;
  }
  return murmur3Bytes(bytes);
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
