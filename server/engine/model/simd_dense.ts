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
 * skips x == 0 (one-hot inputs, ReLU zeros): adding 0·w leaves a sum unchanged.
 *
 * Layout: x is [rows × K] row-major, W is [K × N4] row-major, b and each out row hold N4 values;
 * N4 is a multiple of 4 (callers pad W's and b's extra columns with zeros).
 */

export interface DenseKernel {
  readonly simd: boolean;
  /** Float32 view of the kernel's memory; read it again after `reserve` (growing replaces it). */
  readonly f32: Float32Array;
  /** Makes the memory at least `floats` long. */
  reserve(floats: number): void;
  /** out = act(x · W + b), act = ReLU or identity; pointers are float indices into `f32`. */
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
  return {
    simd: true,
    get f32() {
      return f32;
    },
    reserve(floats: number) {
      const bytes = floats * 4;
      if (memory.buffer.byteLength >= bytes) return;
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536));
      f32 = new Float32Array(memory.buffer);
    },
    dense(x, rows, k, w, n4, b, out, relu) {
      if (rows <= 0 || k <= 0 || n4 <= 0) throw new RangeError(`dense: empty shape ${rows}×${k}×${n4}`);
      run(x * 4, rows, k, w * 4, n4, b * 4, out * 4, relu ? 1 : 0);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The module, assembled by hand. Its one function, in WAT-like terms (byte offsets; every loop is
// a do-while, the caller guarantees rows, K, N4 ≥ 1):
//
//   (func (export "dense") (param $x $rows $K $w $N4 $b $out $relu i32)
//     for i < rows:
//       xr = x + 4·i·K;  or = out + 4·i·N4
//       for j < N4 step 4:  or[j..j+4] = 0
//       for k < K:
//         xk = f32 at xr + 4k
//         if xk ≠ 0:                                   ;; true for NaN, which then propagates
//           s = f32x4.splat(xk);  wr = w + 4·k·N4
//           for j < N4 step 4:  or[j..] = f32x4.add(or[j..], f32x4.mul(s, wr[j..]))
//       for j < N4 step 4:
//         v = f32x4.add(or[j..], b[j..]);  if relu: v = f32x4.pmax(0, v)
//         or[j..] = v
//
// pmax(0, v) is `0 < v ? v : 0`, tf.relu's result for every number.

const enum Local {
  x, rows, K, w, N4, b, out, relu, // parameters
  i, k, j, xr, or, wr, p, // i32
  xk, // f32
  s, // v128
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
  const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
  const load = simd(0x00, 4, 0); // v128.load align=16 offset=0
  const store = simd(0x0b, 4, 0); // v128.store
  const zero = simd(0x0c, ...new Array<number>(16).fill(0)); // v128.const 0
  const splat = simd(0x13); // f32x4.splat
  const fadd = simd(0xe4); // f32x4.add
  const fmul = simd(0xe6); // f32x4.mul
  const pmax = simd(0xeb); // f32x4.pmax
  const loop = (...body: number[][]): number[] => [0x03, 0x40, ...body.flat(), 0x0b];
  const when = (cond: number[], ...body: number[][]): number[] => [...cond, 0x04, 0x40, ...body.flat(), 0x0b];
  // The tail of a do-while: l += step; continue while l < limit.
  const next = (l: Local, step: number, limit: Local): number[] =>
    [...get(l), ...i32(step), ADD, ...set(l), ...get(l), ...get(limit), LT_U, 0x0d, 0];
  // a + 4·b·c, or a + 4·b
  const addr = (a: Local, b: Local, c?: Local): number[] =>
    [...get(a), ...get(b), ...(c === undefined ? [] : [...get(c), MUL]), ...i32(4), MUL, ADD];
  const biasLoop = (relu: boolean): number[] => [
    ...i32(0), ...set(Local.j),
    ...loop(
      [...addr(Local.or, Local.j), ...set(Local.p)],
      [...get(Local.p), ...get(Local.p), ...load, ...addr(Local.b, Local.j), ...load, ...fadd],
      relu ? [...set(Local.s), ...zero, ...get(Local.s), ...pmax] : [],
      store,
      next(Local.j, 4, Local.N4),
    ),
  ];

  const code = [
    ...i32(0), ...set(Local.i),
    ...loop(
      [...addr(Local.x, Local.i, Local.K), ...set(Local.xr)],
      [...addr(Local.out, Local.i, Local.N4), ...set(Local.or)],
      [...i32(0), ...set(Local.j)],
      loop([...addr(Local.or, Local.j), ...zero, ...store], next(Local.j, 4, Local.N4)),
      [...i32(0), ...set(Local.k)],
      loop(
        [...addr(Local.xr, Local.k), 0x2a, 2, 0, ...set(Local.xk)], // f32.load
        when(
          [...get(Local.xk), 0x43, 0, 0, 0, 0, 0x5c], // xk ≠ 0.0
          [...get(Local.xk), ...splat, ...set(Local.s)],
          [...addr(Local.w, Local.k, Local.N4), ...set(Local.wr)],
          [...i32(0), ...set(Local.j)],
          loop(
            [...addr(Local.or, Local.j), ...set(Local.p)],
            [...get(Local.p), ...get(Local.p), ...load, ...get(Local.s), ...addr(Local.wr, Local.j), ...load, ...fmul, ...fadd, ...store],
            next(Local.j, 4, Local.N4),
          ),
        ),
        next(Local.k, 1, Local.K),
      ),
      when(get(Local.relu), biasLoop(true)),
      when([...get(Local.relu), 0x45 /* i32.eqz */], biasLoop(false)),
      next(Local.i, 1, Local.rows),
    ),
    0x0b, // end of function
  ];
  const locals = [3, ...uleb(7), I32, ...uleb(1), F32, ...uleb(1), V128];
  const fn = [...uleb(locals.length + code.length), ...locals, ...code];
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'ascii')];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
    ...section(1, [1, 0x60, 8, ...new Array<number>(8).fill(I32), 0]), // type: (8 × i32) → ()
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
