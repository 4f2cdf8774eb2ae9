/**
 * Where the bulk writer (bulk.ts) writes its operations' NDJSON: one buffer, reused request after
 * request, each operation a view of its bytes. Why: a buffer of its own per operation (a few per
 * 8 KB pool of Node's) made a new ArrayBuffer every few documents, and V8 counts each towards its
 * next full collection of the whole heap: on a scheduled Elasticsearch run (tens of thousands of
 * documents) that was a fifth of the thread's time. A request's body is then the views' span of
 * the arena, sent without a copy.
 */
export class BulkArena {
  private buf: Buffer;
  private used = 0;

  constructor(private size = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /** Starts over (the views handed out before must no longer be read). */
  reset(): void {
    this.used = 0;
  }

  /** Writes `parts` (strings as UTF-8, bytes as they are) one after the other; their view. */
  write(parts: readonly (string | Uint8Array)[]): Buffer {
    let most = 0;
    for (const p of parts) most += typeof p === 'string' ? 3 * p.length : p.length; // UTF-8: ≤ 3 bytes per UTF-16 unit
    if (this.used + most > this.buf.length) {
      // A bigger buffer from here on; the views already handed out keep the old one (their request copies them: see body()).
      this.size = Math.max(2 * this.size, most);
      this.buf = Buffer.allocUnsafe(this.size);
      this.used = 0;
    }
    const start = this.used;
    for (const p of parts) {
      if (typeof p === 'string') this.used += this.buf.write(p, this.used, 'utf8');
      else {
        this.buf.set(p, this.used);
        this.used += p.length;
      }
    }
    return this.buf.subarray(start, this.used);
  }
}

/** The views one after the other: their span when they lie so in one buffer (no copy), else a copy. */
export function body(views: readonly Buffer[]): Buffer {
  if (views.length === 0) return Buffer.alloc(0);
  const first = views[0];
  let end = first.byteOffset + first.length;
  for (let i = 1; i < views.length; i++) {
    const v = views[i];
    if (v.buffer !== first.buffer || v.byteOffset !== end) return Buffer.concat(views);
    end += v.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
