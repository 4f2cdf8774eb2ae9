/**
 * Seeded randomness for the generator. Every stream is derived from a seed string by label
 * (`fork`), never from another stream's state, so a user's day looks the same whatever else was
 * generated before it: output is deterministic for a seed and stable under small option changes.
 */
import seedrandom from 'seedrandom';

const HEX = '0123456789abcdef';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED_ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class Rng {
  readonly seed: string;
  private readonly f: () => number;

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.f = seedrandom.alea(this.seed);
  }

  /** An independent stream named by label. */
  fork(label: string | number): Rng {
    return new Rng(`${this.seed}/${label}`);
  }

  next(): number {
    return this.f();
  }

  float(lo: number, hi: number): number {
    return lo + (hi - lo) * this.f();
  }

  /** Integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.f() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.f() < p;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new Error('pick from empty array');
    return arr[Math.floor(this.f() * arr.length)] as T;
  }

  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w > 0 ? w : 0;
    if (total <= 0) return Math.floor(this.f() * weights.length);
    let r = this.f() * total;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w <= 0) continue;
      r -= w;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    return items[this.weightedIndex(weights)] as T;
  }

  /** Pick from [item, weight] pairs. */
  choose<T>(pairs: readonly (readonly [T, number])[]): T {
    return this.weighted(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  normal(mu = 0, sigma = 1): number {
    let u = 0;
    while (u === 0) u = this.f();
    const v = this.f();
    return mu + sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  lognormal(mu: number, sigma: number): number {
    return Math.exp(this.normal(mu, sigma));
  }

  exp(mean: number): number {
    let u = 0;
    while (u === 0) u = this.f();
    return -Math.log(u) * mean;
  }

  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 40) return Math.max(0, Math.round(this.normal(lambda, Math.sqrt(lambda))));
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.f();
    } while (p > l);
    return k - 1;
  }

  /** Marsaglia–Tsang gamma(shape, scale). */
  gamma(shape: number, scale = 1): number {
    if (shape < 1) {
      const u = this.f();
      return this.gamma(1 + shape, scale) * Math.pow(u === 0 ? 1e-12 : u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x = 0;
      let v = 0;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.f();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Over-dispersed counts: Poisson with a gamma-distributed mean (dispersion k; smaller = burstier). */
  negbin(mean: number, k: number): number {
    if (mean <= 0) return 0;
    return this.poisson(this.gamma(k, mean / k));
  }

  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.f() * (i + 1));
      const t = arr[i] as T;
      arr[i] = arr[j] as T;
      arr[j] = t;
    }
    return arr;
  }

  /** k distinct items (fewer if the array is shorter). */
  sample<T>(arr: readonly T[], k: number): T[] {
    return this.shuffle(arr.slice()).slice(0, Math.max(0, k));
  }

  /** k distinct items drawn with probability proportional to weight. */
  sampleWeighted<T>(arr: readonly T[], weights: readonly number[], k: number): T[] {
    const items = arr.slice();
    const ws = weights.slice();
    const out: T[] = [];
    while (out.length < k && items.length > 0) {
      const i = this.weightedIndex(ws);
      out.push(items[i] as T);
      items.splice(i, 1);
      ws.splice(i, 1);
    }
    return out;
  }

  chars(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.f() * alphabet.length)];
    return s;
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += hex8(this.f());
    return s.slice(0, n);
  }

  upperAlnum(n: number): string {
    return this.chars(n, UPPER_ALNUM);
  }

  /** n characters of [A-Za-z0-9], five per draw. */
  alnum(n: number): string {
    let s = '';
    while (s.length < n) {
      let v = Math.floor(this.f() * 916132832); // 62^5
      for (let k = 0; k < 5 && s.length < n; k++) {
        s += MIXED_ALNUM[v % 62];
        v = Math.floor(v / 62);
      }
    }
    return s;
  }

  /** Random (version 4 shaped) UUID. */
  uuid(): string {
    const a = (this.f() * 4294967296) >>> 0;
    const b = (this.f() * 4294967296) >>> 0;
    const c = (this.f() * 4294967296) >>> 0;
    const d = (this.f() * 4294967296) >>> 0;
    return (
      B2H[a >>> 24] + B2H[(a >>> 16) & 255] + B2H[(a >>> 8) & 255] + B2H[a & 255] + '-' +
      B2H[b >>> 24] + B2H[(b >>> 16) & 255] + '-4' + HEX[(b >>> 8) & 15] + B2H[b & 255] + '-' +
      HEX[8 + (c >>> 30)] + HEX[(c >>> 24) & 15] + B2H[(c >>> 16) & 255] + '-' + B2H[(c >>> 8) & 255] + B2H[c & 255] +
      B2H[d >>> 24] + B2H[(d >>> 16) & 255] + B2H[(d >>> 8) & 255] + B2H[d & 255]
    );
  }
}

/** Byte to two hex digits. */
const B2H: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(x: number): string {
  const v = (x * 4294967296) >>> 0;
  return (B2H[v >>> 24] as string) + B2H[(v >>> 16) & 255] + B2H[(v >>> 8) & 255] + B2H[v & 255];
}

/** FNV-1a 32-bit hash: stable derivations (IP addresses, ids) from names without a stream. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}
