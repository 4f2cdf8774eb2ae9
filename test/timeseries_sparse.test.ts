import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { irfft, irfftSparse, rfft, rfftSparse } from '../server/engine/score/fft';
import { percentileLinear, residualZ } from '../server/engine/score/timeseries';

/**
 * The time-series check sums the transform by its definition where that is cheaper (a user's
 * counts are mostly empty bins; the reconstruction keeps a tenth of the coefficients). Those sums
 * add the same terms as the FFT in another order: the results agree to rounding, not to the bit.
 * TOLERANCE is what this file asserts of every z (z are O(1)–O(10); rounding is ~1e-14 of them).
 */
const TOLERANCE = 1e-9;

/** residualZ as it was, with the FFT both ways (the yardstick for the sparse sums). */
function residualZByFft(signal: ArrayLike<number>, percentile: number): Float64Array {
  const n = signal.length;
  const { re, im } = rfft(signal);
  const power = new Float64Array(re.length);
  for (let k = 0; k < re.length; k++) power[k] = re[k] * re[k] + im[k] * im[k];
  power[0] = 0;
  const cut = percentileLinear(power, percentile);
  const tol = 1e-9 * cut;
  let atCut = 0;
  for (let k = 0; k < power.length; k++) if (Math.abs(power[k] - cut) <= tol) atCut++;
  for (let k = 0; k < re.length; k++) {
    if (power[k] < cut - tol || (atCut > 1 && Math.abs(power[k] - cut) <= tol)) {
      re[k] = 0;
      im[k] = 0;
    }
  }
  const recon = irfft(re, im, n);
  const err = new Float64Array(n);
  let scale = 1;
  for (let i = 0; i < n; i++) {
    err[i] = Math.abs(signal[i] - recon[i]);
    scale = Math.max(scale, Math.abs(signal[i]));
  }
  let mean = 0;
  for (const e of err) mean += e;
  mean /= n;
  let v = 0;
  for (const e of err) v += (e - mean) ** 2;
  const std = Math.sqrt(v / n);
  const z = new Float64Array(n);
  if (std > 1e-9 * scale) for (let i = 0; i < n; i++) z[i] = Math.abs(err[i] - mean) / std;
  return z;
}

/** Deterministic pseudo-random counts: `density` of the bins in working hours hold 1–5 events. */
function counts(n: number, density: number, seed: number): Float64Array {
  let s = seed;
  const rnd = (): number => (s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff;
  return Float64Array.from({ length: n }, (_, i) => (i % 24 >= 8 && i % 24 <= 18 && rnd() < density ? 1 + Math.floor(rnd() * 5) : 0));
}

function assertWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

const LENGTHS = [24, 25, 64, 100, 168, 169, 170, 256, 337];

describe('sparse transforms', () => {
  for (const n of LENGTHS) {
    it(`rfftSparse and irfftSparse agree with rfft and irfft, n=${n}`, () => {
      const x = counts(n, 0.3, n);
      const fast = rfftSparse(x);
      const ref = rfft(x);
      assertWithin(fast.re, ref.re, 1e-10, 're');
      assertWithin(fast.im, ref.im, 1e-10, 'im');
      // Every coefficient kept: the inverse gives the signal back.
      const all = Array.from({ length: ref.re.length }, (_, k) => k);
      assertWithin(irfftSparse(ref.re, ref.im, n, all), irfft(ref.re, ref.im, n), 1e-10, 'inverse');
      assertWithin(irfftSparse(ref.re, ref.im, n, all), x, 1e-10, 'round trip');
    });
  }

  it('ignores the imaginary parts of the DC and Nyquist terms, as irfft does', () => {
    const re = [3, 1, -2, 0.5, 4];
    const im = [7, 2, 1, -1, 9];
    for (const n of [8, 9]) assertWithin(irfftSparse(re, im, n, [0, 1, 2, 3, 4]), irfft(re, im, n), 1e-12, `n=${n}`);
  });
});

describe('residualZ with the sparse sums', () => {
  it(`equals the FFT's z within ${TOLERANCE} and flags the same bins, over sparse, dense, spiky and flat series`, () => {
    let compared = 0;
    for (const n of LENGTHS) {
      const series: Float64Array[] = [new Float64Array(n), new Float64Array(n).fill(2)];
      for (const density of [0.02, 0.1, 0.3, 0.7, 1]) for (let seed = 1; seed <= 6; seed++) series.push(counts(n, density, seed * 97 + n));
      const one = new Float64Array(n);
      one[Math.floor(n / 3)] = 1; // a single event: a flat spectrum, every power tied
      series.push(one);
      for (const x of series) {
        const fast = residualZ(x, 90);
        const ref = residualZByFft(x, 90);
        assertWithin(fast, ref, TOLERANCE, `n=${n}`);
        for (let i = 0; i < n; i++) if (Math.abs(ref[i] - 8) > TOLERANCE) assert.equal(fast[i] >= 8, ref[i] >= 8, `flag of bin ${i}, n=${n}`);
        compared += 1;
      }
    }
    assert.ok(compared > 250);
  });
});
