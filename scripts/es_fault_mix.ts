/**
 * A seeded mix of faults for the in-memory Elasticsearch test server, as a busy or flaky cluster
 * gives them: a share of requests get a 429 or a 503, a slow answer, or a connection dropped before
 * the request was applied or after (the answer lost), and a share of bulk items a 429 of their own.
 * Off until `on` is set, so that seeding and checking the data see a healthy cluster.
 */
import type { EsTestServer } from '../test/es_server/server';
import type { Req } from '../test/es_server/http';

export type FaultKind = '429' | '503' | 'slow answer' | 'dropped before applied' | 'dropped after applied' | 'bulk item 429';
export type FaultCounts = Record<FaultKind, number>;

/** Each request fault's share of the faulted requests, and what the server does. */
const MIX: { kind: Exclude<FaultKind, 'bulk item 429'>; share: number; rule: { status?: number; delayMs?: number; destroySocket?: 'before' | 'mid-response' } }[] = [
  { kind: '429', share: 0.35, rule: { status: 429 } },
  { kind: '503', share: 0.15, rule: { status: 503 } },
  { kind: 'slow answer', share: 0.2, rule: { delayMs: 300 } },
  { kind: 'dropped before applied', share: 0.15, rule: { destroySocket: 'before' } },
  { kind: 'dropped after applied', share: 0.15, rule: { destroySocket: 'mid-response' } },
];

/** mulberry32: a small seeded generator, so a soak's fault sequence can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultMix {
  /** Faults are injected only while on. */
  on = false;
  /** Sees every request first (e.g. to kill a process when its bulk arrives). */
  onRequest?: (req: Req) => void;
  readonly counts: FaultCounts = { '429': 0, '503': 0, 'slow answer': 0, 'dropped before applied': 0, 'dropped after applied': 0, 'bulk item 429': 0 };

  /** `rate`: share of requests given a fault; bulk items get a 429 at a quarter of it. */
  constructor(server: EsTestServer, rate: number, seed: number) {
    const random = seeded(seed);
    const drawn = new WeakMap<Req, FaultKind | null>();
    const draw = (): FaultKind | null => {
      let r = random() / rate;
      if (r >= 1) return null;
      for (const m of MIX) {
        if (r < m.share) return m.kind;
        r -= m.share;
      }
      return null;
    };
    const kindOf = (req: Req): FaultKind | null => {
      if (!drawn.has(req)) drawn.set(req, this.on ? draw() : null);
      return drawn.get(req)!;
    };
    // The server tries its rules in order; this one only watches.
    server.faults.inject({
      when: (req) => {
        this.onRequest?.(req);
        return false;
      },
    });
    for (const m of MIX) {
      server.faults.inject({
        ...m.rule,
        when: (req) => {
          if (kindOf(req) !== m.kind) return false;
          this.counts[m.kind]++;
          return true;
        },
      });
    }
    server.faults.bulkItemFailures({
      status: 429,
      predicate: () => {
        if (!this.on || random() >= rate / 4) return false;
        this.counts['bulk item 429']++;
        return true;
      },
    });
  }
}
