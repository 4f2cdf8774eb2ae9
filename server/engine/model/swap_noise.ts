import type { Layout } from '../features/encoding';
import type { Rng } from './rng';

/**
 * dfencoder's swap noise: each cell (a whole one-hot block for a categorical) is replaced, with
 * probability p, by the same column's value from a random row. The network must then rebuild a
 * feature from the others, which is what makes unusual combinations reconstruct badly.
 * Writes to `into` when given (the stacked trainer's buffers), else to a new array.
 */
export function swapNoise(clean: Float32Array, n: number, layout: Layout, p: number, rng: Rng, into?: Float32Array): Float32Array {
  const noisy = into ?? new Float32Array(clean.length);
  noisy.set(clean.subarray(0, n * layout.width));
  if (p <= 0 || n < 2) return noisy;
  const w = layout.width;
  const blocks: [number, number][] = [
    ...layout.cat.map((b): [number, number] => [b.offset, b.size]),
    ...layout.num.map((b): [number, number] => [b.offset, 1]),
    ...layout.bin.map((b): [number, number] => [b.offset, 1]),
  ];
  for (let i = 0; i < n; i++) {
    for (const [offset, size] of blocks) {
      if (rng() >= p) continue;
      const from = Math.floor(rng() * n) * w + offset;
      const to = i * w + offset;
      for (let k = 0; k < size; k++) noisy[to + k] = clean[from + k];
    }
  }
  return noisy;
}
