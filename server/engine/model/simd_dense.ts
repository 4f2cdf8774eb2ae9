/**
 * Dense layers for scoring, `out = act(x · W + b)`, in a tiny WebAssembly SIMD kernel assembled
 * here from its bytes, with a plain JS twin doing the same arithmetic where SIMD is unavailable.
 *
 * Why not tfjs: scoring runs 4 small layers per user, and a tfjs op costs tens of microseconds of
 * bookkeeping whatever its size, so thousands of users are bound by op overhead, not arithmetic.
 * This kernel costs about a microsecond per call.
 *
 * Why the results equal tfjs-wasm's bit for bit: XNNPACK's f32 GEMM (what tf.matMul runs on wasm)
 * accumulates each output from 0 over k in order, rounding each product and each sum to f32, and
 * tf.add then adds the bias. This kernel does the same arithmetic in the same order per output. It
 * skips x == 0 (one-hot inputs, ReLU zeros): adding 0·w leaves a sum unchanged. It gathers a row's
 * non-zero inputs once, then sums 16 outputs at a time in registers (half the memory traffic of
 * adding each product into the output row in memory: 1.5× faster on the scoring model's layers).
 *
 * Layout: x is [rows × K] row-major, W is [K × N4] row-major, b and each out row hold N4 values;
 * N4 is a multiple of 4 (callers pad W's and b's extra columns with zeros).
 */

export interface DenseKernel {
  readonly simd: boolean;
  /** Float32 view of the kernel's memory; read it again after `reserve` or `dense` (growing replaces it). */
  readonly f32: Float32Array;
  /** Makes the memory at least `floats` long (and room for the kernel's own scratch after them). */
  reserve(floats: number): void;
  /**
   * out = act(x · W + b), act = ReLU or identity; pointers are float indices into `f32`. Grows the
   * memory only for an input wider than SCRATCH_INPUTS.
   */
  dense(x: number, rows: number, k: number, w: number, n4: number, b: number, out: number, relu: boolean): void;
}

let shared: DenseKernel | undefined;

/** The process's kernel: SIMD when the runtime has it, else the JS twin. */
export function denseKernel(): DenseKernel {
  shared ??= wasmKernel() ?? jsKernel();
  return shared;
}

/** The JS twin: same arithmetic in the same order, no SIMD. Also the plain statement of the kernel. */
export function jsKernel(): DenseKernel {
  let f32 = new Float32Array(1 << 16);
  return {
    simd: false,
    get f32() {
      return f32;
    },
    reserve(floats: number) {
      if (f32.length >= floats) return;
      const next = new Float32Array(Math.max(floats, f32.length * 2));
      next.set(f32);
      f32 = next;
    },
    dense(x, rows, k, w, n4, b, out, relu) {
      const m = f32;
      for (let i = 0; i < rows; i++) {
        const xr = x + i * k;
        const or = out + i * n4;
        m.fill(0, or, or + n4);
        for (let kk = 0; kk < k; kk++) {
          const xk = m[xr + kk];
          if (xk === 0) continue;
          const wr = w + kk * n4;
          for (let j = 0; j < n4; j++) m[or + j] = m[or + j] + Math.fround(xk * m[wr + j]);
        }
        for (let j = 0; j < n4; j++) {
          const v = Math.fround(m[or + j] + m[b + j]);
          m[or + j] = relu ? (0 < v ? v : 0) : v;
        }
      }
    },
  };
}

/** The SIMD kernel, or undefined when this runtime cannot compile it. */
export function wasmKernel(): DenseKernel | undefined {
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(denseModule()));
  } catch {
    return undefined;
  }
  const memory = instance.exports.memory as WebAssembly.Memory;
  const run = instance.exports.dense as (...args: number[]) => void;
  let f32 = new Float32Array(memory.buffer);
  /** Floats the caller reserved; the kernel's own scratch (a row's non-zero inputs, 2 words each) lies after them. */
  let reserved = 0;
  const scratchAt = (): number => Math.ceil(reserved / 4) * 4;
  const grow = (floats: number): void => {
    const bytes = floats * 4;
    if (memory.buffer.byteLength >= bytes) return;
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
    f32 = new Float32Array(memory.buffer);
  };
  return {
    simd: true,
    get f32() {
      return f32;
    },
    reserve(floats: number) {
      reserved = Math.max(reserved, floats);
      grow(scratchAt() + 2 * SCRATCH_INPUTS);
    },
    dense(x, rows, k, w, n4, b, out, relu) {
      if (rows <= 0 || k <= 0 || n4 <= 0) throw new RangeError(`dense: empty shape ${rows}×${k}×${n4}`);
      grow(scratchAt() + 2 * k);
      run(x * 4, rows, k, w * 4, n4, b * 4, out * 4, relu ? 1 : 0, scratchAt() * 4);
    },
  };
}

/** Inputs a layer may have without the kernel growing its memory in `dense` (models here have a few hundred). */
const SCRATCH_INPUTS = 4096;

// ---------------------------------------------------------------------------------------------
// The module, assembled by hand. Its one function, in WAT-like terms (byte offsets; `for` loops
// over rows and inputs are do-whiles, the caller guarantees rows, K, N4 ≥ 1):
//
//   (func (export "dense") (param $x $rows $K $w $N4 $b $out $relu $scratch i32)
//     for i < rows:
//       xr = x + 4·i·K;  or = out + 4·i·N4
//       nz = 0                                          ;; the row's non-zero inputs, in order:
//       for k < K:                                      ;; (W row offset, value) pairs in scratch
//         xk = f32 at xr + 4k
//         if xk ≠ 0: scratch[nz] = (4·k·N4, xk); nz += 8   ;; ≠ 0 is true for NaN, which then propagates
//       j = 0
//       while j + 16 ≤ N4:                              ;; 16 outputs, 4 vectors held in registers
//         a0..a3 = 0
//         for each (wk, xk) in scratch[0 … nz):
//           s = f32x4.splat(xk);  wr = w + wk + 4j
//           a0 += s · wr[0..4];  a1 += s · wr[4..8];  a2 += …;  a3 += …
//         or[j …] = act(a + b[j …]) for a0..a3;  j += 16
//       while j < N4:                                   ;; what is left, a vector at a time
//         a0 = 0;  for each (wk, xk): a0 += splat(xk) · (w + wk + 4j)[0..4]
//         or[j …] = act(a0 + b[j …]);  j += 4
//
// Each output is still 0 + Σ_k x_k·w_kj over k in order (skipping x_k = 0), rounded to f32 at
// each step, then + b: XNNPACK's order. act = pmax(0, v) for ReLU: `0 < v ? v : 0`, tf.relu's
// result for every number.

const enum Local {
  x, rows, K, w, N4, b, out, relu, scratch, // parameters
  i, k, j, xr, or, wr, nz, t, // i32
  xk, // f32
  s, a0, a1, a2, a3, // v128
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;

function denseModule(): Uint8Array<ArrayBuffer> {
  const get = (l: Local): number[] => [0x20, l];
  const set = (l: Local): number[] => [0x21, l];
  const i32 = (n: number): number[] => [0x41, ...sleb(n)];
  const ADD = 0x6a;
  const MUL = 0x6c;
  const LT_U = 0x49;
  const GE_U = 0x4f;
  const GT_U = 0x4b;
  const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
  const load = (offset = 0): number[] => simd(0x00, 4, ...uleb(offset)); // v128.load align=16
  const store = (offset = 0): number[] => simd(0x0b, 4, ...uleb(offset)); // v128.store
  const zero = simd(0x0c, ...new Array<number>(16).fill(0)); // v128.const 0
  const splat = simd(0x13); // f32x4.splat
  const fadd = simd(0xe4); // f32x4.add
  const fmul = simd(0xe6); // f32x4.mul
  const pmax = simd(0xeb); // f32x4.pmax
  const loop = (...body: number[][]): number[] => [0x03, 0x40, ...body.flat(), 0x0b];
  const when = (cond: number[], ...body: number[][]): number[] => [...cond, 0x04, 0x40, ...body.flat(), 0x0b];
  // while (cond) { body }: a block to leave, a loop to repeat.
  const whileLoop = (exitWhen: number[], ...body: number[][]): number[] => [0x02, 0x40, 0x03, 0x40, ...exitWhen, 0x0d, 1, ...body.flat(), 0x0c, 0, 0x0b, 0x0b];
  // The tail of a do-while: l += step; continue while l < limit.
  const next = (l: Local, step: number, limit: Local): number[] =>
    [...get(l), ...i32(step), ADD, ...set(l), ...get(l), ...get(limit), LT_U, 0x0d, 0];
  const inc = (l: Local, step: number): number[] => [...get(l), ...i32(step), ADD, ...set(l)];
  // a + 4·b·c, or a + 4·b
  const addr = (a: Local, b: Local, c?: Local): number[] =>
    [...get(a), ...get(b), ...(c === undefined ? [] : [...get(c), MUL]), ...i32(4), MUL, ADD];
  // For each gathered input (t over 0 … nz step 8): s = splat(xk), wr = w + W row offset + 4j; then `body`.
  const overInputs = (...body: number[][]): number[] => [
    ...i32(0), ...set(Local.t),
    ...whileLoop(
      [...get(Local.t), ...get(Local.nz), GE_U],
      [...get(Local.scratch), ...get(Local.t), ADD, 0x2a, 2, 4, ...splat, ...set(Local.s)], // f32.load offset 4
      [...get(Local.w), ...get(Local.scratch), ...get(Local.t), ADD, 0x28, 2, 0, ADD, ...get(Local.j), ...i32(4), MUL, ADD, ...set(Local.wr)], // i32.load
      ...body,
      inc(Local.t, 8),
    ),
  ];
  // The accumulators of a block of outputs: 4 vectors, 16 outputs, held in registers (8 measured no faster).
  const BLOCK = [Local.a0, Local.a1, Local.a2, Local.a3];
  // a += s · wr[offset …]
  const mac = (a: Local, offset: number): number[] => [...get(a), ...get(Local.s), ...get(Local.wr), ...load(offset), ...fmul, ...fadd, ...set(a)];
  const code = [
    ...i32(0), ...set(Local.i),
    ...loop(
      [...addr(Local.x, Local.i, Local.K), ...set(Local.xr)],
      [...addr(Local.out, Local.i, Local.N4), ...set(Local.or)],
      // The row's non-zero inputs, in order.
      [...i32(0), ...set(Local.nz), ...i32(0), ...set(Local.k)],
      loop(
        [...addr(Local.xr, Local.k), 0x2a, 2, 0, ...set(Local.xk)], // f32.load
        when(
          [...get(Local.xk), 0x43, 0, 0, 0, 0, 0x5c], // xk ≠ 0.0
          [...get(Local.scratch), ...get(Local.nz), ADD, ...get(Local.k), ...get(Local.N4), MUL, ...i32(4), MUL, 0x36, 2, 0], // i32.store
          [...get(Local.scratch), ...get(Local.nz), ADD, ...get(Local.xk), 0x38, 2, 4], // f32.store offset 4
          inc(Local.nz, 8),
        ),
        next(Local.k, 1, Local.K),
      ),
      [...i32(0), ...set(Local.j)],
      // 16 outputs at a time.
      whileLoop(
        [...get(Local.j), ...i32(16), ADD, ...get(Local.N4), GT_U],
        ...BLOCK.map((a) => [...zero, ...set(a)]),
        overInputs(...BLOCK.map((a, v) => mac(a, 16 * v))),
        ...BLOCK.map((a, v) => output(a, 16 * v)),
        inc(Local.j, 16),
      ),
      // Then 4 at a time.
      whileLoop(
        [...get(Local.j), ...get(Local.N4), GE_U],
        [...zero, ...set(Local.a0)],
        overInputs(mac(Local.a0, 0)),
        output(Local.a0, 0),
        inc(Local.j, 4),
      ),
      next(Local.i, 1, Local.rows),
    ),
    0x0b, // end of function
  ];

  // or[j + offset …] = act(a + b[j + offset …]); act = pmax(0, ·) when relu.
  function output(a: Local, offset: number): number[] {
    return [
      ...get(a), ...addr(Local.b, Local.j), ...load(offset), ...fadd, ...set(a),
      ...when(get(Local.relu), zero, get(a), pmax, set(a)),
      ...addr(Local.or, Local.j), ...get(a), ...store(offset),
    ];
  }

  const locals = [3, ...uleb(8), I32, ...uleb(1), F32, ...uleb(5), V128];
  const fn = [...uleb(locals.length + code.length), ...locals, ...code];
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [1, 0x60, 9, ...new Array<number>(9).fill(I32), 0]), // type: (9 × i32) → ()
    ...section(3, [1, 0]), // function 0 has type 0
    ...section(5, [1, 0x00, 1]), // one memory, 1 page to start
    ...section(7, [2, ...name('dense'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...fn]),
  ]);
}

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}
