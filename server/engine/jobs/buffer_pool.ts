/**
 * Buffers given back after a run, for the next run's typed arrays. Why: V8 counts every new
 * array buffer a thread gets towards its next full collection, and the scoring thread's heap
 * holds the whole input (a bench's or a server's): a run's results (~10 MB for 35k events)
 * brought that collection — hundreds of milliseconds — every few runs. Buffers that go back and
 * forth between threads instead (transferred, then given back) leave that count where it was.
 */
export type NumberArray = Int32Array | Int16Array | Uint16Array | Uint8Array | Float64Array;
export type ArrayKind<T extends NumberArray> = { new (buffer: ArrayBuffer, offset: number, length: number): T; new (length: number): T; BYTES_PER_ELEMENT: number };

export class BufferPool {
  private spare: ArrayBuffer[] = [];
  private bytes = 0;

  constructor(private readonly maxBytes = 256 * 1024 * 1024) {}

  /** A zeroed array of `length` over a spare buffer (the smallest that fits), else a new one. */
  take<T extends NumberArray>(kind: ArrayKind<T>, length: number): T {
    const need = length * kind.BYTES_PER_ELEMENT;
    let best = -1;
    for (let i = 0; i < this.spare.length; i++) {
      const size = this.spare[i].byteLength;
      if (size >= need && (best < 0 || size < this.spare[best].byteLength)) best = i;
    }
    // A new array is a view of a buffer of its own too: arrays made either way then look the same
    // to V8's compiled code (a first run with new arrays and the next with spares otherwise differ).
    if (best < 0) return new kind(new ArrayBuffer(need), 0, length);
    const [buffer] = this.spare.splice(best, 1);
    this.bytes -= buffer.byteLength;
    const array = new kind(buffer, 0, length);
    array.fill(0);
    return array;
  }

  /** Buffers no longer used (their arrays must not be read again). */
  give(buffers: Iterable<ArrayBuffer>): void {
    for (const b of buffers) {
      // (A detached buffer has no bytes; one given twice would back two arrays.)
      if (b.byteLength === 0 || this.bytes + b.byteLength > this.maxBytes || this.spare.includes(b)) continue;
      this.spare.push(b);
      this.bytes += b.byteLength;
    }
  }
}
