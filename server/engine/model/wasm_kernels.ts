/**
 * Fixes for @tensorflow/tfjs-backend-wasm 4.22 kernels (see DESIGN.md §2).
 *
 * 1. BatchMatMul / _FusedMatMul: the C++ kernel takes the XNNPACK fast path only when
 *    neither operand is transposed AND both have batch size 1. Anything else falls into
 *    `slow_batch_matmul`, which is 10-30x slower and, for the fused kernel with a bias,
 *    wrong (measured: off by up to ~2 against the cpu backend). Every dense-layer gradient
 *    is a transposed matmul, so training hits it constantly.
 *    The wrappers below transpose explicitly (wasm Transpose kernel) and fold or split
 *    batch dims so that each call to the original kernel is a single [1,M,K] x [1,K,N]
 *    product, then free their intermediates. (Exception: many tiny unfused batched
 *    products, where the slow path is correct and cheaper; see SMALL_PRODUCT.)
 * 2. UnsortedSegmentSum is not registered for wasm, so tf.gather's gradient (Embedding
 *    training) throws. A plain JS kernel over the wasm heap is added.
 *
 * installWasmKernelFixes() can run before or after the wasm backend initialises: the
 * wrappers carry the original setupFunc, which tfjs re-runs on every setBackend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm'; // registers the original wasm kernels we wrap
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];

// Marks our wrappers. A global symbol so that a second copy of this module (or a second
// call) recognises an already-installed wrapper and does not wrap it twice.
const FIXED = Symbol.for('dfp.wasmKernelFix');

export function installWasmKernelFixes(): void {
  const transpose = requireWasmKernel(tf.Transpose).kernelFunc;
  wrapMatMulKernel(tf.BatchMatMul, transpose);
  wrapMatMulKernel(tf._FusedMatMul, transpose);
  if (tf.getKernel(tf.UnsortedSegmentSum, 'wasm') === undefined) {
    tf.registerKernel({
      kernelName: tf.UnsortedSegmentSum,
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
    });
  }
}

function requireWasmKernel(name: string): tf.KernelConfig {
  const k = tf.getKernel(name, 'wasm');
  if (k === undefined) throw new Error(`wasm kernel ${name} is not registered; is @tensorflow/tfjs-backend-wasm loaded?`);
  return k;
}

function wrapMatMulKernel(name: string, transposeKernel: tf.KernelFunc): void {
  const original = requireWasmKernel(name);
  if ((original.kernelFunc as unknown as Record<symbol, unknown>)[FIXED]) return;
  const fused = name === tf._FusedMatMul;
  const kernelFunc = ((args: KernelArgs) =>
    fastMatMul(args, original.kernelFunc, transposeKernel, fused)) as tf.KernelFunc;
  (kernelFunc as unknown as Record<symbol, unknown>)[FIXED] = true;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}

const SMALL_PRODUCT = 6000; // M*K*N per batch; see fastMatMul

/** Same tensor data under another shape; never disposed (it owns nothing). */
function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

/**
 * Shared body of both wrappers. `inputs` may also hold bias / preluActivationWeights
 * (fused kernel); they are passed through to every call of the original kernel.
 */
function fastMatMul(args: KernelArgs, originalKernel: tf.KernelFunc, transposeKernel: tf.KernelFunc, fused: boolean): TensorInfo {
  const backend = args.backend as BackendWasm;
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const { a, b, bias, ...rest } = args.inputs as Record<string, TensorInfo | undefined>;
  // Non-float inputs: let the original kernel raise its own error.
  if (!a || !b || a.dtype !== 'float32' || b.dtype !== 'float32') return originalKernel(args) as TensorInfo;

  // Shapes as if untransposed: A is [...outerA, M, K], B is [...outerB, K, N].
  const tA = !!attrs.transposeA;
  const tB = !!attrs.transposeB;
  const [M, K] = tA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const [K2, N] = tB ? b.shape.slice(-2).reverse() : b.shape.slice(-2);
  if (K !== K2) {
    throw new Error(`Error in matMul: inner shapes (${K}) and (${K2}) of Tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${tA} and transposeB=${tB} must match.`);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const outBatchDims = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const outShape = [...outBatchDims, M, N];
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);

  // Many tiny batched products (below ~18x18x18): the per-batch overhead of the loop below
  // (allocations, one XNNPACK operator per slice, ~4 us) costs more than the slow path.
  // That path is correct for the unfused kernel when batches are equal or A's is 1 (it maps
  // batch indices with `%`, as the cpu backend does). Measured with 256 batches: 16^3 slow
  // path wins, 20^3 loop wins.
  if (!fused && batchB > 1 && M * K * N < SMALL_PRODUCT && (batchA === batchB || batchA === 1)) {
    return originalKernel(args) as TensorInfo;
  }

  const temps: TensorInfo[] = []; // freed in `finally`; views are never listed here
  const own = (t: TensorInfo) => (temps.push(t), t);

  // Explicit transpose of the last two dims. When one of them is 1 the data layout is
  // unchanged, so a reshaped view suffices.
  const untranspose = (x: TensorInfo): TensorInfo => {
    const r = x.shape.length;
    const shape = [...x.shape.slice(0, -2), x.shape[r - 1], x.shape[r - 2]];
    if (x.shape[r - 1] === 1 || x.shape[r - 2] === 1) return view(x, shape);
    const perm = [...Array(r - 2).keys(), r - 1, r - 2];
    return own(transposeKernel({ inputs: { x }, backend, attrs: { perm } }) as TensorInfo);
  };

  try {
    const a2 = tA ? untranspose(a) : a;
    const b2 = tB ? untranspose(b) : b;

    // The xnn fast path reads exactly N bias values; a size-1 bias (legal by broadcasting)
    // would be read out of bounds, so expand it.
    let biasIn = bias;
    if (bias && tf.util.sizeFromShape(bias.shape) === 1 && N !== 1) {
      const value = backend.typedArrayFromHeap(bias)[0];
      biasIn = own(backend.makeOutput([N], bias.dtype));
      backend.typedArrayFromHeap(biasIn).fill(value);
    }

    const call = (x: TensorInfo, y: TensorInfo): TensorInfo =>
      originalKernel({
        inputs: { ...rest, a: x, b: y, ...(biasIn ? { bias: biasIn } : {}) },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;

    if (batchB === 1) {
      // Shared right operand (the dense-layer case): fold A's batch into its rows,
      // one fast [1, batchA*M, K] x [1, K, N] product.
      const out = call(view(a2, [1, batchA * M, K]), view(b2, [1, K, N]));
      out.shape = outShape;
      return out;
    }

    // Batched right operand: one fast product per output batch, with numpy broadcasting,
    // copying each operand slice into its own [1, ., .] tensor.
    const out = backend.makeOutput(outShape, 'float32');
    const outBatch = tf.util.sizeFromShape(outBatchDims);
    try {
      for (let i = 0; i < outBatch; i++) {
        const ai = broadcastIndex(i, outBatchDims, outerA);
        const bi = broadcastIndex(i, outBatchDims, outerB);
        const aSlice = own(backend.makeOutput([1, M, K], 'float32'));
        const bSlice = own(backend.makeOutput([1, K, N], 'float32'));
        // Heap views are taken after every allocation: malloc may grow (and detach) the heap.
        backend.typedArrayFromHeap(aSlice).set(backend.typedArrayFromHeap(a2).subarray(ai * M * K, (ai + 1) * M * K));
        backend.typedArrayFromHeap(bSlice).set(backend.typedArrayFromHeap(b2).subarray(bi * K * N, (bi + 1) * K * N));
        const r = own(call(aSlice, bSlice));
        backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(r), i * M * N);
        // Free this batch's slices now rather than at the end, to keep peak memory flat.
        for (const t of temps.splice(temps.length - 3)) backend.disposeData(t.dataId);
      }
    } catch (err) {
      backend.disposeData(out.dataId);
      throw err;
    }
    return out;
  } finally {
    for (const t of temps) backend.disposeData(t.dataId);
  }
}

/** Flat index into `inDims` (right-aligned, size-1 dims broadcast) of flat index `i` over `outDims`. */
function broadcastIndex(i: number, outDims: number[], inDims: number[]): number {
  let index = 0;
  let inStride = 1;
  for (let d = 1; d <= outDims.length; d++) {
    const coord = i % outDims[outDims.length - d];
    i = Math.floor(i / outDims[outDims.length - d]);
    const inDim = inDims.length - d >= 0 ? inDims[inDims.length - d] : 1;
    if (inDim !== 1) index += coord * inStride;
    inStride *= inDim;
  }
  return index;
}

/**
 * out[s, ...] = sum of x[j, ...] over j with segmentIds[j] == s. segmentIds covers the
 * leading dims of x (1-D in practice: tf.gather's gradient); ids outside
 * [0, numSegments) are dropped, as in TensorFlow.
 */
function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: BackendWasm; attrs: { numSegments: number } }): TensorInfo {
  const { inputs: { x, segmentIds }, backend, attrs: { numSegments } } = args;
  const idsRank = segmentIds.shape.length;
  const outShape = [numSegments, ...x.shape.slice(idsRank)];
  const inner = tf.util.sizeFromShape(x.shape.slice(idsRank));
  const out = backend.makeOutput(outShape, x.dtype);
  // Views after makeOutput (it may grow the heap). makeOutput memory is not zeroed.
  const outVals = backend.typedArrayFromHeap(out);
  const xVals = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  outVals.fill(0);
  for (let j = 0; j < ids.length; j++) {
    const s = ids[j];
    if (s < 0 || s >= numSegments) continue;
    const src = j * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) outVals[dst + k] += xVals[src + k];
  }
  return out;
}
