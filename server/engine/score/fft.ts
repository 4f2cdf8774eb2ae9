/**
 * Discrete Fourier transforms of any length in O(n log n), with numpy's conventions:
 * the forward transform is unnormalised, the inverse divides by n, and `rfft`/`irfft` work on the
 * signal's exact length (no zero padding), so results match `numpy.fft.rfft(x)` / `irfft(X, n)`.
 *
 * Powers of two use an iterative radix-2 transform; every other length goes through Bluestein's
 * chirp-z algorithm (a circular convolution done with power-of-two transforms).
 */

/** In-place complex DFT of (re, im), any length. `inverse` computes the inverse DFT (scaled by 1/n). */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n) throw new RangeError(`fft: re and im lengths differ (${n} vs ${im.length})`);
  if (n <= 1) return;
  if (inverse) {
    // ifft(x) = conj(fft(conj(x))) / n: one forward kernel serves both directions.
    for (let i = 0; i < n; i++) im[i] = -im[i];
    forward(re, im);
    const s = 1 / n;
    for (let i = 0; i < n; i++) {
      re[i] *= s;
      im[i] = -im[i] * s;
    }
    return;
  }
  forward(re, im);
}

/** The non-negative-frequency half (n/2 + 1 coefficients) of the DFT of a real signal. */
export function rfft(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = Float64Array.from(x);
  const im = new Float64Array(n);
  fft(re, im);
  const m = Math.floor(n / 2) + 1;
  return { re: re.slice(0, n === 0 ? 0 : m), im: im.slice(0, n === 0 ? 0 : m) };
}

/**
 * The real signal of length n whose rfft is (re, im). Like numpy, the imaginary parts of the DC
 * term and (n even) the Nyquist term are ignored, and coefficients beyond n/2 + 1 are not read.
 */
export function irfft(re: ArrayLike<number>, im: ArrayLike<number>, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const m = Math.floor(n / 2) + 1;
  if (re.length < m || im.length < m) throw new RangeError(`irfft: need ${m} coefficients for n=${n}`);
  const fr = new Float64Array(n);
  const fi = new Float64Array(n);
  fr[0] = re[0];
  for (let k = 1; k < m; k++) {
    fr[k] = re[k];
    fi[k] = im[k];
    // Hermitian symmetry fills the negative frequencies of a real signal.
    if (n - k !== k) {
      fr[n - k] = re[k];
      fi[n - k] = -im[k];
    }
  }
  if (n % 2 === 0) fi[n / 2] = 0;
  fft(fr, fi, true);
  return fr;
}

function forward(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) === 0) radix2(re, im);
  else bluestein(re, im);
}

/** Iterative Cooley–Tukey for n a power of two; twiddles from a table computed directly (no drift). */
function radix2(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  const { cos, sin } = twiddles(n);
  for (let size = 2; size <= n; size <<= 1) {
    const h = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < h; k++) {
        const wr = cos[k * step];
        const wi = sin[k * step];
        const a = start + k;
        const b = a + h;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

/**
 * Bluestein: X_k = w_k · Σ_j (x_j w_j) · conj(w_{k−j}) with w_j = exp(−iπ j²/n), a convolution
 * evaluated with power-of-two FFTs of length M ≥ 2n − 1.
 */
function bluestein(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  const { m, wr, wi, br, bi } = chirp(n);
  // Working arrays reused from call to call (a scoring run transforms a series per user).
  if (work.re.length < m) work = { re: new Float64Array(m), im: new Float64Array(m) };
  const ar = work.re.subarray(0, m);
  const ai = work.im.subarray(0, m);
  ar.fill(0, n);
  ai.fill(0, n);
  for (let j = 0; j < n; j++) {
    ar[j] = re[j] * wr[j] - im[j] * wi[j];
    ai[j] = re[j] * wi[j] + im[j] * wr[j];
  }
  radix2(ar, ai);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * br[k] - ai[k] * bi[k];
    const i = ar[k] * bi[k] + ai[k] * br[k];
    ar[k] = r;
    ai[k] = i;
  }
  // Inverse of length m via the conjugate trick, then the final chirp.
  for (let k = 0; k < m; k++) ai[k] = -ai[k];
  radix2(ar, ai);
  const s = 1 / m;
  for (let k = 0; k < n; k++) {
    const cr = ar[k] * s;
    const ci = -ai[k] * s;
    re[k] = cr * wr[k] - ci * wi[k];
    im[k] = cr * wi[k] + ci * wr[k];
  }
}

let work = { re: new Float64Array(0), im: new Float64Array(0) };

// Tables that depend only on the length, kept between calls: a scoring run transforms one series
// per user, mostly of a handful of lengths. Same values as computing them each time.
const TABLES_KEPT = 256;
const twiddleTables = new Map<number, { cos: Float64Array; sin: Float64Array }>();
const chirpTables = new Map<number, { m: number; wr: Float64Array; wi: Float64Array; br: Float64Array; bi: Float64Array }>();

function remember<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= TABLES_KEPT) map.clear();
    v = make();
    map.set(key, v);
  }
  return v;
}

/** exp(−2πik/n) for k < n/2, computed directly (no drift). */
function twiddles(n: number): { cos: Float64Array; sin: Float64Array } {
  return remember(twiddleTables, n, () => {
    const half = n >> 1;
    const cos = new Float64Array(half);
    const sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      const a = (-2 * Math.PI * k) / n;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
    return { cos, sin };
  });
}

/** Bluestein's chirp w_j for length n, and the transform of its conjugate (the convolution's filter). */
function chirp(n: number): { m: number; wr: Float64Array; wi: Float64Array; br: Float64Array; bi: Float64Array } {
  return remember(chirpTables, n, () => {
    let m = 1;
    while (m < 2 * n - 1) m <<= 1;
    // j² mod 2n keeps the chirp's angle small, so large j lose no precision.
    const wr = new Float64Array(n);
    const wi = new Float64Array(n);
    const twoN = 2 * n;
    for (let j = 0; j < n; j++) {
      const a = (-Math.PI * ((j * j) % twoN)) / n;
      wr[j] = Math.cos(a);
      wi[j] = Math.sin(a);
    }
    const br = new Float64Array(m);
    const bi = new Float64Array(m);
    br[0] = wr[0];
    bi[0] = -wi[0];
    for (let j = 1; j < n; j++) {
      br[j] = br[m - j] = wr[j];
      bi[j] = bi[m - j] = -wi[j];
    }
    radix2(br, bi);
    return { m, wr, wi, br, bi };
  });
}

/**
 * `rfft(x)` by the definition, summed over the non-zero samples only, with exact table values
 * exp(−2πi·t/n): O(nonzero · n/2). A user's event counts are mostly empty bins (an hour-binned
 * week of a few dozen events), where this is several times cheaper than the transform (n = 169 is
 * odd and not a power of two: Bluestein, four transforms of 512). Equal to `rfft` up to rounding
 * (the sums are the same terms, added in another order).
 */
export function rfftSparse(x: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const m = n === 0 ? 0 : Math.floor(n / 2) + 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  if (n === 0) return { re, im };
  const { cos, sin } = unitCircle(n);
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (v === 0) continue;
    // t = j·k mod n, stepped by j
    for (let k = 0, t = 0; k < m; k++, t += j) {
      if (t >= n) t -= n;
      re[k] += v * cos[t];
      im[k] -= v * sin[t];
    }
  }
  return { re, im };
}

/**
 * `irfft(re, im, n)` by the definition when only the coefficients `kept` (ascending, each < n/2 + 1)
 * are non-zero: O(kept · n). With numpy's conventions: the imaginary parts of the DC and (n even)
 * Nyquist terms are ignored, every other coefficient stands for itself and its mirror image.
 */
export function irfftSparse(re: ArrayLike<number>, im: ArrayLike<number>, n: number, kept: ArrayLike<number>): Float64Array {
  const out = new Float64Array(n);
  if (n === 0) return out;
  const { cos, sin } = unitCircle(n);
  for (let q = 0; q < kept.length; q++) {
    const k = kept[q];
    const edge = k === 0 || 2 * k === n;
    const a = edge ? re[k] : 2 * re[k];
    const b = edge ? 0 : 2 * im[k];
    // out[i] += Re((a + ib)·exp(2πi·ki/n)) = a·cos − b·sin, t = k·i mod n stepped by k
    for (let i = 0, t = 0; i < n; i++, t += k) {
      if (t >= n) t -= n;
      out[i] += a * cos[t] - b * sin[t];
    }
  }
  const s = 1 / n;
  for (let i = 0; i < n; i++) out[i] *= s;
  return out;
}

const circleTables = new Map<number, { cos: Float64Array; sin: Float64Array }>();

/** cos and sin of 2π·t/n for t < n, computed directly (no drift); the sine's sign as exp(+2πi·t/n). */
function unitCircle(n: number): { cos: Float64Array; sin: Float64Array } {
  return remember(circleTables, n, () => {
    const cos = new Float64Array(n);
    const sin = new Float64Array(n);
    for (let t = 0; t < n; t++) {
      const a = (2 * Math.PI * t) / n;
      cos[t] = Math.cos(a);
      sin[t] = Math.sin(a);
    }
    return { cos, sin };
  });
}
