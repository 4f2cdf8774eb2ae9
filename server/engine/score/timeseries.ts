/**
 * The time-series check of Morpheus' DFP pipeline (its `timeseries` stage, `fftAD`), for one user:
 * count the user's events per bin, keep only the strongest frequencies of that count signal, and
 * flag the bins the periodic reconstruction explains worst.
 *
 * Faithful to Morpheus in the details that change results:
 * - Power comes from the periodogram of the *standardised* signal, so the DC term (the mean) has
 *   power 0 and is dropped with the weak coefficients. Dropping the mean makes the residual
 *   ≈ mean + (signal − periodic part), so the check mostly reacts to bursts above a user's rhythm
 *   rather than to quiet bins. `keepMean: true` keeps the DC term instead.
 * - The percentile is numpy's default (linear interpolation); coefficients strictly below it are zeroed.
 *   One deliberate difference: several powers equal (to 1e-9) at the cut are all zeroed, where
 *   Morpheus lets floating-point noise pick which of them survive. Equal powers are what a single
 *   spike on a periodic background produces, and zeroing the tie leaves the spike in the residual.
 * - z = |residual − mean| / std over the bins (population std), as Morpheus' `zscore`.
 * Not copied: Morpheus rounds timestamps to the second first and adds one empty bin before the window.
 */
import { irfft, irfftSparse, rfft, rfftSparse } from './fft';

export interface TimeseriesOptions {
  /** Bin width in minutes (Morpheus: 1 h). Bins are aligned to multiples of the width since the epoch. */
  binMinutes?: number;
  /** Bins with z ≥ threshold mark their events anomalous (Morpheus: 8). */
  threshold?: number;
  /** Coefficients whose power is below this percentile of all powers are zeroed (Morpheus: 90). */
  percentile?: number;
  /** Fewer bins than this: too short for a spectrum to say anything, every z is 0 (default 24). */
  minBins?: number;
  /** Keep the DC coefficient in the reconstruction (Morpheus drops it; see above). */
  keepMean?: boolean;
}

export interface TimeseriesResult {
  /** Start of each bin, epoch ms. */
  binStart: number[];
  counts: number[];
  binZ: number[];
  /** Each input event's bin z; NaN for an event outside the range or with a non-finite time. */
  eventZ: Float64Array;
  eventAnomaly: boolean[];
}

export const TIMESERIES_DEFAULTS = { binMinutes: 60, threshold: 8, percentile: 90, minBins: 24 } as const;

/** Refuse ranges that would allocate absurd signals (e.g. one event stamped 1970 among 2024 ones). */
const MAX_BINS = 5_000_000;

/**
 * Whether events from `first` to `last` (epoch ms) fit in one series of bins of `binMinutes`
 * (default 60): where they do not, timeseriesCheck refuses them.
 */
export function timeseriesFits(first: number, last: number, binMinutes: number = TIMESERIES_DEFAULTS.binMinutes): boolean {
  const binMs = binMinutes * 60_000;
  return Math.floor(last / binMs) - Math.floor(first / binMs) < MAX_BINS;
}

/**
 * Runs the check over `range` (half-open [start, end), epoch ms), or by default from the first
 * event's bin to the last event's bin.
 */
export function timeseriesCheck(
  timestampsMs: ArrayLike<number>,
  opts: TimeseriesOptions = {},
  range?: { start: number; end: number },
): TimeseriesResult {
  const binMinutes = opts.binMinutes ?? TIMESERIES_DEFAULTS.binMinutes;
  const threshold = opts.threshold ?? TIMESERIES_DEFAULTS.threshold;
  const percentile = opts.percentile ?? TIMESERIES_DEFAULTS.percentile;
  if (!(binMinutes > 0) || !Number.isFinite(binMinutes)) throw new RangeError(`binMinutes must be > 0, got ${binMinutes}`);
  if (!(percentile >= 0 && percentile <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${percentile}`);
  if (Number.isNaN(threshold)) throw new RangeError('threshold must be a number');
  const binMs = binMinutes * 60_000;

  const nEvents = timestampsMs.length;
  const eventBin = new Float64Array(nEvents);
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < nEvents; i++) {
    const t = timestampsMs[i];
    const b = Number.isFinite(t) ? Math.floor(t / binMs) : NaN;
    eventBin[i] = b;
    if (b < first) first = b;
    if (b > last) last = b;
  }
  if (range) {
    if (!Number.isFinite(range.start) || !Number.isFinite(range.end)) throw new RangeError('range start and end must be finite');
    first = Math.floor(range.start / binMs);
    last = Math.ceil(range.end / binMs) - 1;
  }
  const n = last >= first ? last - first + 1 : 0;
  if (n > MAX_BINS) {
    throw new RangeError(`time series of ${n} bins of ${binMinutes} min exceeds ${MAX_BINS}: check the timestamps or the range`);
  }

  const counts = new Float64Array(n);
  for (let i = 0; i < nEvents; i++) {
    const b = eventBin[i] - first;
    if (b >= 0 && b < n) counts[b]++;
  }
  const { binZ, tooShort } = countsZ(counts, opts);

  const eventZ = new Float64Array(nEvents);
  const eventAnomaly = new Array<boolean>(nEvents);
  for (let i = 0; i < nEvents; i++) {
    const b = eventBin[i] - first;
    const z = b >= 0 && b < n ? binZ[b] : NaN;
    eventZ[i] = z;
    eventAnomaly[i] = !tooShort && z >= threshold;
  }
  const binStart = new Array<number>(n);
  for (let b = 0; b < n; b++) binStart[b] = (first + b) * binMs;
  return { binStart, counts: Array.from(counts), binZ: Array.from(binZ), eventZ, eventAnomaly };
}

/**
 * The check's core over counts already binned (by `timeseriesCheck`, or by an Elasticsearch
 * `date_histogram`): each bin's z. A bin is anomalous when z ≥ threshold and the series is not
 * too short.
 */
export function countsZ(counts: ArrayLike<number>, opts: TimeseriesOptions = {}): { binZ: Float64Array; tooShort: boolean } {
  const percentile = opts.percentile ?? TIMESERIES_DEFAULTS.percentile;
  const minBins = opts.minBins ?? TIMESERIES_DEFAULTS.minBins;
  // Too short a series has too few coefficients for "the strongest 10 %" to describe a rhythm:
  // every z stays 0 and nothing is flagged, whatever the threshold.
  const tooShort = counts.length < Math.max(1, minBins);
  return { binZ: tooShort ? new Float64Array(counts.length) : residualZ(counts, percentile, opts.keepMean ?? false), tooShort };
}

/** Morpheus' fftAD without the threshold: the z of each bin's absolute reconstruction residual. */
export function residualZ(signal: ArrayLike<number>, percentile: number, keepMean = false): Float64Array {
  const n = signal.length;
  let nonZero = 0;
  for (let i = 0; i < n; i++) if (signal[i] !== 0) nonZero++;
  const m = n === 0 ? 0 : Math.floor(n / 2) + 1;
  // A user's counts are mostly empty bins: the transform by its definition over the non-zero ones
  // costs less than the FFT (rfftSparse); both give the same coefficients up to rounding.
  const { re, im } = nonZero * m <= transformWork(n) ? rfftSparse(signal) : rfft(signal);
  // Periodogram of the standardised signal, up to a positive factor (which no percentile notices):
  // subtracting the mean zeroes exactly the DC term, dividing by std only rescales.
  const power = new Float64Array(re.length);
  for (let k = 0; k < re.length; k++) power[k] = re[k] * re[k] + im[k] * im[k];
  power[0] = 0;
  const cut = percentileLinear(power, percentile);
  // Equal powers straddling the cut (a spike's flat spectrum does this) would otherwise be split
  // by rounding noise; a tie of several is zeroed as a block. A lone power at the cut is kept.
  const tol = 1e-9 * cut;
  let atCut = 0;
  for (let k = 0; k < power.length; k++) if (Math.abs(power[k] - cut) <= tol) atCut++;
  const kept: number[] = [];
  for (let k = 0; k < re.length; k++) {
    const weak = power[k] < cut - tol || (atCut > 1 && Math.abs(power[k] - cut) <= tol);
    if (weak && !(k === 0 && keepMean)) {
      re[k] = 0;
      im[k] = 0;
    } else kept.push(k);
  }
  // The strongest tenth of the coefficients make the reconstruction: summed directly, that is
  // cheaper than an inverse transform of them all.
  const recon = kept.length * n <= transformWork(n) ? irfftSparse(re, im, n, kept) : irfft(re, im, n);
  const err = new Float64Array(n);
  let scale = 1;
  for (let i = 0; i < n; i++) {
    err[i] = Math.abs(signal[i] - recon[i]);
    scale = Math.max(scale, Math.abs(signal[i]));
  }
  return zscoreAbs(err, scale);
}

/**
 * What a transform of length n costs, in the units of the direct sums (one multiply-add per
 * coefficient and sample): radix-2 for powers of two, else Bluestein's four transforms of the
 * power of two M ≥ 2n − 1 and its chirps (measured: n = 169 costs as much as ~6,500 direct terms).
 */
function transformWork(n: number): number {
  if (n <= 1) return 1;
  if ((n & (n - 1)) === 0) return n * Math.log2(n);
  let big = 1;
  while (big < 2 * n - 1) big <<= 1;
  return 2 * big * Math.log2(big) + 4 * big;
}

/** numpy.percentile with its default linear interpolation. */
export function percentileLinear(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length;
  if (m === 0) return NaN;
  const pos = (p / 100) * (m - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * |x − mean| / std. A residual whose spread is only floating-point noise (std ≤ 1e-9 of the
 * signal's scale) counts as constant: every z is 0 rather than a z-score of rounding errors.
 */
function zscoreAbs(x: Float64Array, scale: number): Float64Array {
  const n = x.length;
  const z = new Float64Array(n);
  if (n === 0) return z;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (x[i] - mean) ** 2;
  const std = Math.sqrt(v / n);
  if (!(std > 1e-9 * scale)) return z;
  for (let i = 0; i < n; i++) z[i] = Math.abs(x[i] - mean) / std;
  return z;
}
