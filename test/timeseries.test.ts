import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fft, irfft, rfft } from '../server/engine/score/fft';
import { percentileLinear, timeseriesCheck } from '../server/engine/score/timeseries';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 0, 1); // a multiple of the hour since the epoch

/** O(n²) DFT straight from the definition, the yardstick for the fast one. */
function naiveDft(re: number[], im: number[], inverse = false): { re: number[]; im: number[] } {
  const n = re.length;
  const sign = inverse ? 1 : -1;
  const outRe: number[] = [];
  const outIm: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const a = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
      si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
    }
    outRe.push(inverse ? sr / n : sr);
    outIm.push(inverse ? si / n : si);
  }
  return { re: outRe, im: outIm };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Deterministic test signal with no special structure. */
function signal(n: number, phase: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase) * 3 + ((i * 7) % 5) - 2);
}

/**
 * Morpheus' fftAD steps written out with the naive DFT, independent of the code under test:
 * periodogram of the standardised signal, zero what is below its percentile, reconstruct,
 * |x − recon|, z = |err − mean| / std.
 */
function referenceZ(x: number[], percentile: number): number[] {
  const n = x.length;
  const m = Math.floor(n / 2) + 1;
  const full = naiveDft(x, new Array(n).fill(0));
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  const centred = naiveDft(
    x.map((v) => (v - mean) / std),
    new Array(n).fill(0),
  );
  const power = centred.re.slice(0, m).map((r, k) => (r * r + centred.im[k] ** 2) / n);
  const sorted = [...power].sort((a, b) => a - b);
  const pos = (percentile / 100) * (m - 1);
  const lo = Math.floor(pos);
  const cut = sorted[lo] + (sorted[Math.min(lo + 1, m - 1)] - sorted[lo]) * (pos - lo);
  // Ties at the cut are zeroed as a block (see timeseries.ts).
  const tol = 1e-9 * cut;
  const tie = power.filter((p) => Math.abs(p - cut) <= tol).length > 1;
  const specRe = new Array(n).fill(0);
  const specIm = new Array(n).fill(0);
  for (let k = 0; k < m; k++) {
    if (power[k] < cut - tol || (tie && Math.abs(power[k] - cut) <= tol)) continue;
    specRe[k] = full.re[k];
    specIm[k] = full.im[k];
    if (k > 0 && n - k !== k) {
      specRe[n - k] = full.re[k];
      specIm[n - k] = -full.im[k];
    }
  }
  const recon = naiveDft(specRe, specIm, true).re;
  const err = x.map((v, i) => Math.abs(v - recon[i]));
  const em = err.reduce((a, b) => a + b, 0) / n;
  const es = Math.sqrt(err.reduce((a, b) => a + (b - em) ** 2, 0) / n);
  return err.map((e) => Math.abs(e - em) / es);
}

/** Timestamps whose per-hour counts are `counts`, bin b starting at T0 + b hours, spread inside each hour. */
function eventsFor(counts: number[]): number[] {
  const ts: number[] = [];
  counts.forEach((c, b) => {
    for (let i = 0; i < c; i++) ts.push(T0 + b * HOUR + Math.floor(((i + 0.5) / c) * HOUR));
  });
  return ts;
}

const DAILY = [1, 0, 0, 0, 0, 0, 1, 3, 8, 12, 15, 14, 10, 13, 15, 12, 9, 5, 3, 2, 2, 1, 1, 1];

describe('fft helper', () => {
  for (const n of [1, 2, 7, 16, 100]) {
    it(`matches a naive DFT and inverts it, n=${n}`, () => {
      const xr = signal(n, 0.3);
      const xi = signal(n, 1.1);
      const re = Float64Array.from(xr);
      const im = Float64Array.from(xi);
      fft(re, im);
      const want = naiveDft(xr, xi);
      const tol = 1e-9 * n;
      assertClose(re, want.re, tol, 'fft re');
      assertClose(im, want.im, tol, 'fft im');
      fft(re, im, true);
      assertClose(re, xr, tol, 'ifft re');
      assertClose(im, xi, tol, 'ifft im');

      const half = rfft(xr);
      const m = Math.floor(n / 2) + 1;
      const wantReal = naiveDft(xr, new Array(n).fill(0));
      assertClose(half.re, wantReal.re.slice(0, m), tol, 'rfft re');
      assertClose(half.im, wantReal.im.slice(0, m), tol, 'rfft im');
      assertClose(irfft(half.re, half.im, n), xr, tol, 'irfft');
    });
  }

  it('percentile interpolates linearly like numpy', () => {
    assert.ok(Math.abs(percentileLinear([0, 9, 9, 36], 90) - 27.9) < 1e-12);
    assert.equal(percentileLinear([5], 90), 5);
    assert.equal(percentileLinear([3, 1, 2], 50), 2);
  });
});

describe('timeseriesCheck', () => {
  it('puts events in epoch-aligned bins and gives each event its bin', () => {
    const ts = [T0 + 2 * HOUR + 5, T0, T0 + HOUR - 1, T0 + HOUR, T0 + 2 * HOUR + 59 * 60_000];
    const r = timeseriesCheck(ts, { minBins: 1 });
    assert.deepEqual(r.binStart, [T0, T0 + HOUR, T0 + 2 * HOUR]);
    assert.deepEqual(r.counts, [2, 1, 2]);
    const bins = [2, 0, 0, 1, 2];
    bins.forEach((b, i) => assert.equal(r.eventZ[i], r.binZ[b]));

    // 30-minute bins: the same events spread over 6 bins (the 4th, 01:30–02:00, is empty).
    const half = timeseriesCheck(ts, { binMinutes: 30, minBins: 1 });
    assert.deepEqual(half.counts, [1, 1, 1, 0, 1, 1]);
    assert.deepEqual(half.binStart, [0, 1, 2, 3, 4, 5].map((b) => T0 + b * 30 * 60_000));
  });

  it('honours an explicit half-open range; events outside it get NaN and no flag', () => {
    const ts = [T0 - 1, T0 + 30 * 60_000, T0 + 3 * HOUR, NaN];
    const r = timeseriesCheck(ts, { minBins: 1 }, { start: T0, end: T0 + 3 * HOUR });
    assert.deepEqual(r.binStart, [T0, T0 + HOUR, T0 + 2 * HOUR]);
    assert.deepEqual(r.counts, [1, 0, 0]);
    assert.ok(Number.isNaN(r.eventZ[0]) && Number.isNaN(r.eventZ[2]) && Number.isNaN(r.eventZ[3]));
    assert.deepEqual(r.eventAnomaly, [false, false, false, false]);
    assert.equal(r.eventZ[1], r.binZ[0]);
  });

  it('matches a hand computation (n=6), dropping the mean as Morpheus does', () => {
    // counts [3,0,3,0,3,3]: rfft = [12, 3/2 + i3√3/2, −3/2 + i3√3/2, 6]; periodogram powers ∝
    // [0 (mean removed), 9, 9, 36]; 90th percentile = 9 + 0.7·27 = 27.9, so only k=3 survives:
    // recon = (−1)^j, residual = [2,1,2,1,2,4], mean 2, std 1 → z = [0,1,0,1,0,2].
    const ts = eventsFor([3, 0, 3, 0, 3, 3]);
    const r = timeseriesCheck(ts, { minBins: 1, threshold: 2 });
    assertClose(r.binZ, [0, 1, 0, 1, 0, 2], 1e-12, 'binZ');
    // Only the last bin's three events reach z 2.
    assert.deepEqual(r.eventAnomaly, [false, false, false, false, false, false, false, false, false, true, true, true]);

    // keepMean: recon = 2 + (−1)^j, residual [0,1,0,1,0,2], mean 2/3, std √5/3.
    const k = timeseriesCheck(ts, { minBins: 1, keepMean: true });
    const s5 = Math.sqrt(5);
    assertClose(k.binZ, [2 / s5, 1 / s5, 2 / s5, 1 / s5, 2 / s5, 4 / s5], 1e-12, 'binZ keepMean');
  });

  it('finds nothing in a purely periodic signal (daily pattern over 14 days)', () => {
    const counts = Array.from({ length: 14 * 24 }, (_, b) => DAILY[b % 24]);
    for (const keepMean of [false, true]) {
      const r = timeseriesCheck(eventsFor(counts), { threshold: 3, keepMean });
      assert.equal(r.binZ.length, 336);
      assert.ok(Math.max(...r.binZ) < 1e-6, `max z ${Math.max(...r.binZ)}`);
      assert.ok(r.eventAnomaly.every((a) => !a));
    }
  });

  it('gives a spike bin on top of the daily pattern the largest z and flags it', () => {
    const counts = Array.from({ length: 14 * 24 }, (_, b) => DAILY[b % 24]);
    const spike = 9 * 24 + 3; // 03:00 on day 9, normally silent
    counts[spike] += 40;
    const ts = eventsFor(counts);
    const r = timeseriesCheck(ts, { threshold: 3 });
    assertClose(r.binZ, referenceZ(counts, 90), 1e-6, 'binZ vs naive-DFT reference');
    const argmax = r.binZ.indexOf(Math.max(...r.binZ));
    assert.equal(argmax, spike);
    assert.ok(r.binZ[spike] >= 3, `spike z ${r.binZ[spike]}`);
    const flaggedBins = new Set(ts.filter((_, i) => r.eventAnomaly[i]).map((t) => Math.floor((t - T0) / HOUR)));
    assert.deepEqual([...flaggedBins], [spike]);
  });

  it('matches the naive reference on an irregular signal of odd length', () => {
    const counts = Array.from({ length: 101 }, (_, i) => ((i * 37) % 11) + (i % 24 < 8 ? 6 : 0));
    const r = timeseriesCheck(eventsFor(counts), { minBins: 1 });
    assertClose(r.binZ, referenceZ(counts, 90), 1e-6, 'binZ');
  });

  it('treats a series shorter than minBins as too short: every z 0, nothing flagged', () => {
    const ts = eventsFor([1, 0, 50, 1, 1]);
    const r = timeseriesCheck(ts, { threshold: 0 }); // default minBins 24 > 5 bins
    assert.deepEqual(r.counts, [1, 0, 50, 1, 1]);
    assert.deepEqual(r.binZ, [0, 0, 0, 0, 0]);
    assert.ok(r.eventAnomaly.every((a) => !a));
    const empty = timeseriesCheck([]);
    assert.deepEqual([empty.binStart, empty.counts, empty.binZ, empty.eventAnomaly], [[], [], [], []]);
  });

  it('gives z 0 to a constant series rather than dividing by zero', () => {
    const r = timeseriesCheck(eventsFor(new Array(48).fill(4)), { threshold: 0 });
    assert.ok(r.binZ.every((z) => z === 0));
  });
});
