/**
 * Seeded dice for the held-out generator. Deliberately not the demo generator's randomness: an
 * sfc32 stream (128 bits of state, so event ids never collide) per *key* (seed + a path such as
 * "person/17/day/3"), so whatever one person does never shifts what another does, and a set is
 * the same on every run.
 */

/** Four 32-bit lanes hashed from the key (each lane its own multiplier), then avalanched. */
function hashKey(key: string): [number, number, number, number] {
  const lanes: [number, number, number, number] = [0x811c9dc5, 0x9e3779b9, 0x243f6a88, 0xb7e15162];
  const primes = [0x01000193, 0x5bd1e995, 0x85ebca6b, 0xc2b2ae35];
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    for (let l = 0; l < 4; l++) lanes[l] = Math.imul(lanes[l] ^ c, primes[l]);
  }
  for (let l = 0; l < 4; l++) {
    let h = lanes[l] ^ (lanes[(l + 1) % 4] >>> 7);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    lanes[l] = (h ^ (h >>> 16)) >>> 0;
  }
  return lanes;
}

export class Dice {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly key: string) {
    [this.a, this.b, this.c, this.d] = hashKey(key);
    for (let i = 0; i < 12; i++) this.roll(); // mix the seed through before use
  }

  /** Dice for a sub-story: independent of how much this stream has been used. */
  for(...path: (string | number)[]): Dice {
    return new Dice(`${this.key}/${path.join('/')}`);
  }

  /** Uniform in [0, 1) (sfc32). */
  roll(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  chance(p: number): boolean {
    return this.roll() < p;
  }

  /** Integer in [lo, hi], both inclusive. */
  between(lo: number, hi: number): number {
    return lo + Math.floor(this.roll() * (hi - lo + 1));
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.roll();
  }

  /** Normal by Box–Muller. */
  gauss(mean = 0, sd = 1): number {
    const u = Math.max(this.roll(), 1e-12);
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.roll());
  }

  /** Poisson count (Knuth for small means, normal approximation above 40). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(this.gauss(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.roll();
    while (p > limit) {
      k++;
      p *= this.roll();
    }
    return k;
  }

  one<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error(`dice ${this.key}: nothing to choose from`);
    return items[Math.floor(this.roll() * items.length)];
  }

  /** One item by weight (weights need not sum to 1). */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.roll() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  /** k distinct items, in random order. */
  some<T>(items: readonly T[], k: number): T[] {
    return this.shuffled(items).slice(0, Math.max(0, k));
  }

  shuffled<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.roll() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.roll() * 16)];
    return s;
  }

  /** Upper-case letters and digits, as AWS key and principal ids use. */
  alnum(n: number): string {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[Math.floor(this.roll() * abc.length)];
    return s;
  }

  /** A random (version 4) UUID. */
  uuid(): string {
    const h = this.hex(32).split('');
    h[12] = '4';
    h[16] = '89ab'[Math.floor(this.roll() * 4)];
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  }
}
