// AssemblyScript: the stacked trainer's arithmetic (see ../train_kernels.ts for how it is used).
// Compiled by `npm run build:kernels` into ../train_kernels_wasm.ts; a test checks the two agree.
//
// Conventions: pointers are byte offsets into this module's memory, float arrays are f32 and
// 16-byte aligned, matrices are row-major, and every N (output columns) is a multiple of 4.
// Each output of a product accumulates from 0 over k in order, as one f32 sum per output: the
// arithmetic of a plain matmul, so results do not depend on how outputs are blocked.

/** The first free (16-byte aligned) byte: the caller's arena starts here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/**
 * C[M×N] = A'·B where A'(i, k) = A[i·ars + k·acs] (so A' can be A or Aᵀ) and B is [K×N].
 * Register-blocked: 4 rows × 8 columns of C live in 8 vectors while k runs.
 */
export function gemm(a: usize, ars: i32, acs: i32, b: usize, c: usize, M: i32, K: i32, N: i32): void {
  const ai = (<usize>ars) << 2;
  const ak = (<usize>acs) << 2;
  const bRow = (<usize>N) << 2;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const aRows = a + <usize>i * ai;
    const cRows = c + <usize>i * bRow;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let pa = aRows;
      let pb = b + ((<usize>j) << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(s, b0));
        c01 = f32x4.add(c01, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + ai);
        c10 = f32x4.add(c10, f32x4.mul(s, b0));
        c11 = f32x4.add(c11, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + 2 * ai);
        c20 = f32x4.add(c20, f32x4.mul(s, b0));
        c21 = f32x4.add(c21, f32x4.mul(s, b1));
        s = v128.load32_splat(pa + 3 * ai);
        c30 = f32x4.add(c30, f32x4.mul(s, b0));
        c31 = f32x4.add(c31, f32x4.mul(s, b1));
        pa += ak;
        pb += bRow;
      }
      const pc = cRows + ((<usize>j) << 2);
      v128.store(pc, c00);
      v128.store(pc, c01, 16);
      v128.store(pc + bRow, c10);
      v128.store(pc + bRow, c11, 16);
      v128.store(pc + 2 * bRow, c20);
      v128.store(pc + 2 * bRow, c21, 16);
      v128.store(pc + 3 * bRow, c30);
      v128.store(pc + 3 * bRow, c31, 16);
    }
    for (; j < N; j += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let pa = aRows;
      let pb = b + ((<usize>j) << 2);
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(pb);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa + ai), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa + 2 * ai), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa + 3 * ai), b0));
        pa += ak;
        pb += bRow;
      }
      const pc = cRows + ((<usize>j) << 2);
      v128.store(pc, c0);
      v128.store(pc + bRow, c1);
      v128.store(pc + 2 * bRow, c2);
      v128.store(pc + 3 * bRow, c3);
    }
  }
  for (; i < M; i++) {
    const aRow = a + <usize>i * ai;
    const cRow = c + <usize>i * bRow;
    for (let j = 0; j < N; j += 4) {
      let c0 = f32x4.splat(0);
      let pa = aRow;
      let pb = b + ((<usize>j) << 2);
      for (let k = 0; k < K; k++) {
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
        pa += ak;
        pb += bRow;
      }
      v128.store(cRow + ((<usize>j) << 2), c0);
    }
  }
}

/**
 * The same product for a mostly-zero A' (one-hot encoded inputs): each row of C is the sum of
 * the rows of B that A' selects, scaled, skipping zeros. Adding 0·b would leave each sum as it
 * is, so the result is the dense product's, at the cost of the nonzeros only.
 */
export function gemmSparseA(a: usize, ars: i32, acs: i32, b: usize, c: usize, M: i32, K: i32, N: i32): void {
  const ai = (<usize>ars) << 2;
  const ak = (<usize>acs) << 2;
  const bRow = (<usize>N) << 2;
  for (let i = 0; i < M; i++) {
    const cRow = c + <usize>i * bRow;
    memory.fill(cRow, 0, bRow);
    let pa = a + <usize>i * ai;
    for (let k = 0; k < K; k++) {
      const x = load<f32>(pa);
      pa += ak;
      if (x == 0) continue;
      const s = f32x4.splat(x);
      const bk = b + <usize>k * bRow;
      for (let j: usize = 0; j < bRow; j += 16) {
        v128.store(cRow + j, f32x4.add(v128.load(cRow + j), f32x4.mul(s, v128.load(bk + j))));
      }
    }
  }
}

/**
 * C[K×N] = Aᵀ·G for a mostly-zero A [M×K] (rows `lda` apart; the first layer's weight gradient):
 * A is read row by row, and each nonzero A[i, k] adds A[i, k]·G[i, :] to row k of C. Each output
 * still sums over i in order, so this equals gemmSparseA on Aᵀ, reading A in its own order.
 */
export function gemmSparseAT(a: usize, lda: i32, g: usize, c: usize, M: i32, K: i32, N: i32): void {
  const cRow = (<usize>N) << 2;
  memory.fill(c, 0, <usize>K * cRow);
  for (let i = 0; i < M; i++) {
    const aRow = a + <usize>i * ((<usize>lda) << 2);
    const gRow = g + <usize>i * cRow;
    for (let k = 0; k < K; k++) {
      const x = load<f32>(aRow + ((<usize>k) << 2));
      if (x == 0) continue;
      const s = f32x4.splat(x);
      const ck = c + <usize>k * cRow;
      for (let j: usize = 0; j < cRow; j += 16) {
        v128.store(ck + j, f32x4.add(v128.load(ck + j), f32x4.mul(s, v128.load(gRow + j))));
      }
    }
  }
}

/**
 * Row i of dst (rows `stride` floats apart) ← row order[i] of src (rows `width` apart), i < count.
 * Copies four floats at a time, so up to 3 floats past a row's width come along: they land in the
 * destination row's padding, which no kernel reads (and `stride` ≥ width rounded up to 4). The
 * caller keeps 3 floats of room after src. (memory.copy calls out of wasm: slower at ~100 floats.)
 */
export function gatherRows(src: usize, order: usize, count: i32, width: i32, dst: usize, stride: i32): void {
  const w = (<usize>width) << 2;
  const s = (<usize>stride) << 2;
  for (let i = 0; i < count; i++) {
    const from = src + (<usize>load<i32>(order + ((<usize>i) << 2))) * w;
    const to = dst + <usize>i * s;
    for (let k: usize = 0; k < w; k += 16) v128.store(to + k, v128.load(from + k));
  }
}

/** Z[M×N] += bias (per column), then ReLU when `relu`. */
export function biasAct(z: usize, bias: usize, M: i32, N: i32, relu: bool): void {
  const row = (<usize>N) << 2;
  const zero = f32x4.splat(0);
  for (let i = 0; i < M; i++) {
    const zr = z + <usize>i * row;
    for (let j: usize = 0; j < row; j += 16) {
      let v = f32x4.add(v128.load(zr + j), v128.load(bias + j));
      if (relu) v = f32x4.pmax(zero, v);
      v128.store(zr + j, v);
    }
  }
}

/** g[k] = 0 where act[k] ≤ 0: ReLU's derivative (1 where its output is positive). */
export function reluMask(g: usize, act: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const end = g + ((<usize>n) << 2);
  for (; g < end; g += 16, act += 16) {
    v128.store(g, v128.and(v128.load(g), f32x4.gt(v128.load(act), zero)));
  }
}

/** out[j] = Σ_i g[i, j] over M rows of N: a bias's gradient. */
export function colSum(g: usize, M: i32, N: i32, out: usize): void {
  const row = (<usize>N) << 2;
  memory.fill(out, 0, row);
  for (let i = 0; i < M; i++) {
    const gr = g + <usize>i * row;
    for (let j: usize = 0; j < row; j += 16) v128.store(out + j, f32x4.add(v128.load(out + j), v128.load(gr + j)));
  }
}

/** dst[N×M] = src[M×N]ᵀ. */
export function transpose(src: usize, M: i32, N: i32, dst: usize): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      store<f32>(dst + ((<usize>(j * M + i)) << 2), load<f32>(src + ((<usize>(i * N + j)) << 2)));
    }
  }
}

/**
 * One member's reconstruction loss over its first `rows` rows (each `width` floats apart, its own
 * layout in the first `ownWidth`), and its gradient scaled by `scale`, written to `grad` with 0 in
 * the padding (StackLoss in ../../stacked_loss.ts states the same in JS): cross-entropy per
 * categorical block (softmax − target), squared error per numeric (2·(prediction − target)),
 * binary cross-entropy on logits (sigmoid − target). `cat` holds nCat (offset, size) pairs, `num`
 * and `bin` offsets, all i32. Returns the unscaled loss sum.
 *
 * The exponentials, one per categorical slot, are most of the work: each row's are taken four at
 * a time (exp4), each slot shifted by its block's maximum, which the row's gradient holds first.
 */
export function memberLoss(
  out: usize, target: usize, grad: usize, rows: i32, width: i32, ownWidth: i32,
  cat: usize, nCat: i32, num: usize, nNum: i32, bin: usize, nBin: i32, scale: f32,
): f64 {
  let total: f64 = 0;
  const stride = (<usize>width) << 2;
  const own = (<usize>ownWidth) << 2;
  for (let i = 0; i < rows; i++) {
    const o = out + <usize>i * stride;
    const t = target + <usize>i * stride;
    const g = grad + <usize>i * stride;
    // g ← each categorical slot's block maximum (0 elsewhere), then g ← exp(o − g) for the row.
    memory.fill(g, 0, stride);
    for (let b = 0; b < nCat; b++) {
      const from = (<usize>load<i32>(cat + ((<usize>b) << 3))) << 2;
      const to = from + ((<usize>load<i32>(cat + ((<usize>b) << 3), 4)) << 2);
      let max = -Infinity as f32;
      for (let k = from; k < to; k += 4) max = Mathf.max(max, load<f32>(o + k));
      for (let k = from; k < to; k += 4) store<f32>(g + k, max);
    }
    for (let k: usize = 0; k < stride; k += 16) v128.store(g + k, exp4(f32x4.sub(v128.load(o + k), v128.load(g + k))));
    memory.fill(g + own, 0, stride - own);
    for (let b = 0; b < nCat; b++) {
      const from = (<usize>load<i32>(cat + ((<usize>b) << 3))) << 2;
      const to = from + ((<usize>load<i32>(cat + ((<usize>b) << 3), 4)) << 2);
      let max = -Infinity as f32;
      let sum: f32 = 0;
      let targetLogit: f32 = 0;
      for (let k = from; k < to; k += 4) {
        const x = load<f32>(o + k);
        max = Mathf.max(max, x);
        sum += load<f32>(g + k);
        targetLogit += x * load<f32>(t + k);
      }
      total += <f64>(Mathf.log(sum) + max - targetLogit);
      for (let k = from; k < to; k += 4) store<f32>(g + k, scale * (load<f32>(g + k) / sum - load<f32>(t + k)));
    }
    for (let j = 0; j < nNum; j++) {
      const k = (<usize>load<i32>(num + ((<usize>j) << 2))) << 2;
      const d = load<f32>(o + k) - load<f32>(t + k);
      total += <f64>(d * d);
      store<f32>(g + k, scale * 2 * d);
    }
    for (let j = 0; j < nBin; j++) {
      const k = (<usize>load<i32>(bin + ((<usize>j) << 2))) << 2;
      const x = load<f32>(o + k);
      const y = load<f32>(t + k);
      const e = Mathf.exp(-Mathf.abs(x));
      total += <f64>(Mathf.max(x, 0) - x * y + Mathf.log(1 + e));
      const sigmoid: f32 = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      store<f32>(g + k, scale * (sigmoid - y));
    }
  }
  return total;
}

/**
 * eˣ for four lanes (Cephes' expf: x = n·ln2 + r, |r| ≤ ln2/2, a degree-7 polynomial for eʳ, 2ⁿ
 * built in the exponent bits): within ~2 ulp of Mathf.exp; inputs clamped to [−87.3, 88.3],
 * where e^x stays a normal f32.
 */
// @ts-ignore: decorator
@inline
function exp4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.33654)), f32x4.splat(88.37626));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2n);
}

/**
 * One Adam update of n parameters (n % 4 == 0), as tf.train.adam makes it:
 * m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²;  p ← p − lr·c1·m / (√(c2·v) + ε),
 * with c1 = 1/(1−β1^t), c2 = 1/(1−β2^t) passed in.
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, c1: f32, c2: f32, beta1: f32, beta2: f32, epsilon: f32): void {
  const b1 = f32x4.splat(beta1);
  const b2 = f32x4.splat(beta2);
  const a1 = f32x4.splat(1 - beta1);
  const a2 = f32x4.splat(1 - beta2);
  const step = f32x4.splat(lr * c1);
  const vScale = f32x4.splat(c2);
  const eps = f32x4.splat(epsilon);
  const bytes = (<usize>n) << 2;
  for (let k: usize = 0; k < bytes; k += 16) {
    const gk = v128.load(g + k);
    const mk = f32x4.add(f32x4.mul(b1, v128.load(m + k)), f32x4.mul(a1, gk));
    const vk = f32x4.add(f32x4.mul(b2, v128.load(v + k)), f32x4.mul(f32x4.mul(a2, gk), gk));
    v128.store(m + k, mk);
    v128.store(v + k, vk);
    const update = f32x4.div(f32x4.mul(step, mk), f32x4.add(f32x4.sqrt(f32x4.mul(vk, vScale)), eps));
    v128.store(p + k, f32x4.sub(v128.load(p + k), update));
  }
}
