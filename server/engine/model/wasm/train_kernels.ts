import { WASM_BASE64 } from './train_kernels_wasm';

/**
 * The stacked trainer's arithmetic as WebAssembly SIMD (source: assembly/train_kernels.ts, where
 * each function says what it computes), with a bump arena over the module's memory.
 *
 * Why our own kernels: a stacked step is a few dozen small products per user (64×100×64), and
 * tfjs-wasm runs each as an XNNPACK call that packs its weights first, reaching ~15–22 GFLOP/s;
 * these register-blocked products reach ~50 at those sizes, the one-hot first layer costs only its
 * nonzeros, and the loss and Adam run in the same memory with no copies to and from the backend.
 *
 * Pointers are float indices into `f32` (the kernels take bytes; the wrappers convert).
 */
export class TrainKernels {
  private readonly exports: KernelExports;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;
  private view: Float32Array;
  private intView: Int32Array;
  private uintView: Uint32Array;

  constructor() {
    const module = new WebAssembly.Module(Buffer.from(WASM_BASE64, 'base64'));
    const instance = new WebAssembly.Instance(module, {});
    this.exports = instance.exports as unknown as KernelExports;
    this.memory = this.exports.memory;
    this.base = this.exports.heapBase() / 4;
    this.top = this.base;
    this.view = new Float32Array(this.memory.buffer);
    this.intView = new Int32Array(this.memory.buffer);
    this.uintView = new Uint32Array(this.memory.buffer);
  }

  /** Float32 view of the whole memory; views taken before an `alloc` that grows it are stale. */
  get f32(): Float32Array {
    return this.view;
  }

  get i32(): Int32Array {
    return this.intView;
  }

  get u32(): Uint32Array {
    return this.uintView;
  }

  private claimed = false;

  /**
   * Takes the arena for one user (a stack's program) with nothing allocated; `release` gives it
   * back. One user at a time: a second claim before the release is a bug and throws. The memory
   * itself stays as large as it grew.
   */
  claim(): void {
    if (this.claimed) throw new Error('TrainKernels: the arena is already in use');
    this.claimed = true;
    this.top = this.base;
  }

  release(): void {
    this.claimed = false;
    this.top = this.base;
  }

  /** `floats` zeroed floats, 16-byte aligned; returns their index. */
  alloc(floats: number): number {
    const at = this.top;
    this.top = at + Math.ceil(floats / 4) * 4;
    const bytes = this.top * 4;
    if (bytes > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / 65536));
      this.view = new Float32Array(this.memory.buffer);
      this.intView = new Int32Array(this.memory.buffer);
      this.uintView = new Uint32Array(this.memory.buffer);
    }
    this.view.fill(0, at, this.top);
    return at;
  }

  /** C[M×N] = A'·B, A'(i, k) = A[i·ars + k·acs], B [K×N]; N a multiple of 4. */
  gemm(a: number, ars: number, acs: number, b: number, c: number, M: number, K: number, N: number): void {
    this.exports.gemm(a * 4, ars, acs, b * 4, c * 4, M, K, N);
  }

  /** The same product skipping zeros of A' (one-hot inputs). */
  gemmSparseA(a: number, ars: number, acs: number, b: number, c: number, M: number, K: number, N: number): void {
    this.exports.gemmSparseA(a * 4, ars, acs, b * 4, c * 4, M, K, N);
  }

  /** C[K×N] = Aᵀ·G for a mostly-zero A [M×K] with rows `lda` apart, reading A row by row. */
  gemmSparseAT(a: number, lda: number, g: number, c: number, M: number, K: number, N: number): void {
    this.exports.gemmSparseAT(a * 4, lda, g * 4, c * 4, M, K, N);
  }

  /** Row i of dst (`stride` apart) ← row order[i] of src (`width` apart); `order` an int index. */
  gatherRows(src: number, order: number, count: number, width: number, dst: number, stride: number): void {
    this.exports.gatherRows(src * 4, order * 4, count, width, dst * 4, stride);
  }

  /** Z[M×N] += bias per column, then ReLU when `relu`. */
  biasAct(z: number, bias: number, M: number, N: number, relu: boolean): void {
    this.exports.biasAct(z * 4, bias * 4, M, N, relu ? 1 : 0);
  }

  /** g = 0 where act ≤ 0, over n floats (a multiple of 4). */
  reluMask(g: number, act: number, n: number): void {
    this.exports.reluMask(g * 4, act * 4, n);
  }

  /** out[N] = column sums of g[M×N]. */
  colSum(g: number, M: number, N: number, out: number): void {
    this.exports.colSum(g * 4, M, N, out * 4);
  }

  /** dst[N×M] = src[M×N]ᵀ. */
  transpose(src: number, M: number, N: number, dst: number): void {
    this.exports.transpose(src * 4, M, N, dst * 4);
  }

  /**
   * One member's loss over `rows` rows `width` apart (its own layout in the first `ownWidth`) and
   * its gradient × `scale`, 0 in the padding (see StackLoss); `cat` holds (offset, size) pairs,
   * `num` and `bin` offsets, as i32 at those int indices. Returns the unscaled sum.
   */
  memberLoss(out: number, target: number, grad: number, rows: number, width: number, ownWidth: number, cat: number, nCat: number, num: number, nNum: number, bin: number, nBin: number, scale: number): number {
    return this.exports.memberLoss(out * 4, target * 4, grad * 4, rows, width, ownWidth, cat * 4, nCat, num * 4, nNum, bin * 4, nBin, scale);
  }

  /** One Adam update of n parameters (a multiple of 4); c1, c2 are the bias corrections. */
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, c1: number, c2: number, beta1: number, beta2: number, epsilon: number): void {
    this.exports.adam(p * 4, g * 4, m * 4, v * 4, n, lr, c1, c2, beta1, beta2, epsilon);
  }
}

interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  gemm(a: number, ars: number, acs: number, b: number, c: number, M: number, K: number, N: number): void;
  gemmSparseA(a: number, ars: number, acs: number, b: number, c: number, M: number, K: number, N: number): void;
  gemmSparseAT(a: number, lda: number, g: number, c: number, M: number, K: number, N: number): void;
  gatherRows(src: number, order: number, count: number, width: number, dst: number, stride: number): void;
  biasAct(z: number, bias: number, M: number, N: number, relu: number): void;
  reluMask(g: number, act: number, n: number): void;
  colSum(g: number, M: number, N: number, out: number): void;
  transpose(src: number, M: number, N: number, dst: number): void;
  memberLoss(out: number, target: number, grad: number, rows: number, width: number, ownWidth: number, cat: number, nCat: number, num: number, nNum: number, bin: number, nBin: number, scale: number): number;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, c1: number, c2: number, beta1: number, beta2: number, epsilon: number): void;
}

let shared: TrainKernels | null | undefined;

/** This thread's kernels, or null where the runtime cannot compile WebAssembly SIMD. */
export function trainKernels(): TrainKernels | null {
  if (shared === undefined) {
    try {
      shared = new TrainKernels();
    } catch {
      shared = null;
    }
  }
  return shared;
}
