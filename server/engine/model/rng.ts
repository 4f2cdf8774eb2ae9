import seedrandom from 'seedrandom';

/** A seeded uniform [0, 1) generator: every random choice in training goes through one of these. */
export type Rng = () => number;

export function makeRng(seed: number | string): Rng {
  // Alea: ~5x faster than seedrandom's default ARC4, and training draws a number per cell per
  // epoch (swap noise), which made the generator a visible share of training time.
  return seedrandom.alea(String(seed));
}

/** Fisher–Yates shuffle of 0..n-1, into `into` when given. */
export function permutation(n: number, rng: Rng, into?: Uint32Array): Uint32Array {
  const p = into ?? new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
