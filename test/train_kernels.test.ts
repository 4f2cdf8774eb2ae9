import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TrainKernels } from '../server/engine/model/wasm/train_kernels';
import { Adam } from '../server/engine/model/adam';
import { StackLoss } from '../server/engine/model/stacked_loss';
import { makeRng } from '../server/engine/model/rng';
import { encodeRows, fitEncoding, layoutOf } from '../server/engine/features/encoding';
import type { FeatureSchema } from '../server/engine/features/frame';
import { compileKernel, generatedModule, generatedPath } from '../scripts/build_kernels';

// The stacked trainer's WebAssembly kernels against plain statements of the same arithmetic.

const rng = makeRng('kernels');
const random = (n: number, zeros = 0): Float32Array => Float32Array.from({ length: n }, () => (rng() < zeros ? 0 : rng() * 2 - 1));

/** C = A'·B with A'(i, k) = a[i·ars + k·acs], each output summed from 0 over k in order, in f32. */
function referenceProduct(a: Float32Array, ars: number, acs: number, b: Float32Array, M: number, K: number, N: number): Float32Array {
  const c = new Float32Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s = Math.fround(s + Math.fround(a[i * ars + k * acs] * b[k * N + j]));
      c[i * N + j] = s;
    }
  return c;
}

function withKernels(run: (k: TrainKernels, put: (data: Float32Array) => number, read: (at: number, n: number) => Float32Array) => void): void {
  const k = new TrainKernels();
  k.claim();
  try {
    run(
      k,
      (data) => {
        const at = k.alloc(data.length);
        k.f32.set(data, at);
        return at;
      },
      (at, n) => k.f32.slice(at, at + n),
    );
  } finally {
    k.release();
  }
}

test('gemm equals the plain product for A and Aᵀ, bit for bit, including shapes off the 4×8 blocks', () => {
  withKernels((k, put, read) => {
    for (const [M, K, N] of [[4, 3, 8], [7, 5, 12], [13, 9, 4], [64, 100, 64], [1, 1, 4]]) {
      const a = random(M * K);
      const b = random(K * N);
      const pa = put(a);
      const pb = put(b);
      const pc = k.alloc(M * N);
      k.gemm(pa, K, 1, pb, pc, M, K, N);
      assert.deepEqual(read(pc, M * N), referenceProduct(a, K, 1, b, M, K, N), `A·B ${M}×${K}×${N}`);
      // A' = aᵀ for an `at` stored [K×M]: A'(i, k) = at[k·M + i], as the weight gradients read it.
      const at = random(K * M);
      const pat = put(at);
      k.gemm(pat, 1, M, pb, pc, M, K, N);
      assert.deepEqual(read(pc, M * N), referenceProduct(at, 1, M, b, M, K, N), `Aᵀ·B ${M}×${K}×${N}`);
    }
  });
});

test('gemmSparseA and gemmSparseAT equal the dense product on one-hot-like inputs, read as A or Aᵀ', () => {
  withKernels((k, put, read) => {
    const [M, K, N] = [37, 23, 16];
    const a = random(M * K, 0.85);
    const b = random(K * N);
    const pa = put(a);
    const pb = put(b);
    const pc = k.alloc(M * N);
    k.gemmSparseA(pa, K, 1, pb, pc, M, K, N);
    assert.deepEqual(read(pc, M * N), referenceProduct(a, K, 1, b, M, K, N));
    const at = random(K * M, 0.85);
    k.gemmSparseA(put(at), 1, M, pb, pc, M, K, N);
    assert.deepEqual(read(pc, M * N), referenceProduct(at, 1, M, b, M, K, N));
    // gemmSparseAT: the same Aᵀ·B read row by row from `at` (rows M apart), into stale memory.
    k.f32.fill(9, pc, pc + M * N);
    k.gemmSparseAT(put(at), M, pb, pc, K, M, N);
    assert.deepEqual(read(pc, M * N), referenceProduct(at, 1, M, b, M, K, N));
  });
});

test('gatherRows, biasAct, reluMask, colSum and transpose do what they say', () => {
  withKernels((k, put, read) => {
    const [M, N] = [5, 8];
    const z = random(M * N);
    const bias = random(N);
    const pz = put(z);
    k.biasAct(pz, put(bias), M, N, true);
    const expected = z.map((v, i) => Math.max(0, Math.fround(v + bias[i % N])));
    assert.deepEqual(read(pz, M * N), expected);

    const g = random(M * N);
    const act = random(M * N);
    const pg = put(g);
    k.reluMask(pg, put(act), M * N);
    assert.deepEqual(read(pg, M * N), g.map((v, i) => (act[i] > 0 ? v : 0)));

    const sums = k.alloc(N);
    k.colSum(put(g), M, N, sums);
    const colSums = new Float32Array(N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) colSums[j] = Math.fround(colSums[j] + g[i * N + j]);
    assert.deepEqual(read(sums, N), colSums);

    // gatherRows: rows 3, 0, 2 of a [4 × 5] matrix into rows 8 apart; the first 5 of each row exact.
    const src = random(4 * 5 + 4);
    const order = k.alloc(3);
    k.i32.set([3, 0, 2], order);
    const dst = k.alloc(3 * 8);
    k.gatherRows(put(src), order, 3, 5, dst, 8);
    const gathered = read(dst, 3 * 8);
    [3, 0, 2].forEach((r, i) => assert.deepEqual(gathered.subarray(i * 8, i * 8 + 5), src.subarray(r * 5, r * 5 + 5), `row ${i}`));

    const t = k.alloc(M * N);
    k.transpose(put(g), M, N, t);
    const tr = read(t, M * N);
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) assert.equal(tr[j * M + i], g[i * N + j]);
  });
});

for (const spread of [8, 200]) {
  test(`memberLoss equals StackLoss (loss and gradient), padding columns left at 0: logits spread over ${spread}`, () => {
    const schema: FeatureSchema = { names: ['app', 'country', 'hour', 'failed'], kinds: ['categorical', 'categorical', 'numeric', 'binary'] };
    const rows = Array.from({ length: 30 }, (_, i) => [`a${i % 5}`, `c${i % 3}`, i / 3, i % 7 === 0 ? 1 : 0]);
    const layout = layoutOf(fitEncoding(schema, rows));
    const target = encodeRows(fitEncoding(schema, rows), layout, rows);
    const W = Math.ceil((layout.width + 3) / 4) * 4; // a padded stride, as the stack uses
    const n = rows.length;
    const out = new Float32Array(n * W);
    const y = new Float32Array(n * W);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < layout.width; c++) {
        out[i * W + c] = (rng() - 0.5) * spread;
        y[i * W + c] = target[i * layout.width + c];
      }
    const expected = new StackLoss([layout], W).evaluate(out, y, Int32Array.from([n]), 1, n);
    withKernels((k, put, read) => {
      const ints = k.alloc(2 * layout.cat.length + layout.num.length + layout.bin.length);
      const i32 = k.i32;
      layout.cat.forEach((b, j) => ((i32[ints + 2 * j] = b.offset), (i32[ints + 2 * j + 1] = b.size)));
      layout.num.forEach((b, j) => (i32[ints + 2 * layout.cat.length + j] = b.offset));
      layout.bin.forEach((b, j) => (i32[ints + 2 * layout.cat.length + layout.num.length + j] = b.offset));
      const scale = 1 / (n * layout.lossOrder.length);
      const grad = k.alloc(n * W);
      k.f32.fill(7, grad, grad + n * W); // stale values: the kernel must overwrite every slot of its rows
      const total = k.memberLoss(put(out), put(y), grad, n, W, layout.width, ints, layout.cat.length, ints + 2 * layout.cat.length, layout.num.length, ints + 2 * layout.cat.length + layout.num.length, layout.bin.length, scale);
      assert.ok(Math.abs(total * scale - expected.memberLoss[0]) < 1e-5 * expected.memberLoss[0], `loss ${total * scale} vs ${expected.memberLoss[0]}`);
      const got = read(grad, n * W);
      let maxDiff = 0;
      // Within an f32 rounding or two of each value (StackLoss works in doubles, the kernel in f32).
      for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected.gradient[i]) / Math.max(1e-3, Math.abs(expected.gradient[i])));
      assert.ok(maxDiff < 1e-5, `gradient differs by ${maxDiff} (relative)`);
      for (let i = 0; i < n; i++) for (let c = layout.width; c < W; c++) assert.equal(got[i * W + c], 0, 'padding gets no gradient');
    });
  });
}

test('adam makes the updates of the JS Adam (tf.train.adam\'s arithmetic) step after step', () => {
  const n = 64;
  const p0 = random(n);
  const jsParams = p0.slice(); // Adam updates it in place
  const js = new Adam([jsParams], 0.005);
  withKernels((k, put, read) => {
    const p = put(p0);
    const g = k.alloc(n);
    const m = k.alloc(n);
    const v = k.alloc(n);
    for (let step = 1; step <= 20; step++) {
      const grad = random(n);
      k.f32.set(grad, g);
      k.adam(p, g, m, v, n, 0.005, 1 / (1 - 0.9 ** step), 1 / (1 - 0.999 ** step), 0.9, 0.999, 1e-7);
      js.apply([grad]);
    }
    const got = read(p, n);
    let maxDiff = 0;
    for (let i = 0; i < n; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - jsParams[i]));
    assert.ok(maxDiff < 1e-6, `parameters differ by ${maxDiff}`);
    assert.ok(got.some((x, i) => Math.abs(x - p0[i]) > 0.01), 'parameters moved');
  });
});

test('the arena has one user at a time', () => {
  const k = new TrainKernels();
  k.claim();
  assert.throws(() => k.claim(), /already in use/);
  k.release();
  k.claim();
  k.release();
});

test('the committed kernel module is the compiled AssemblyScript source (npm run build:kernels)', async () => {
  const compiled = generatedModule('train_kernels', await compileKernel('train_kernels'));
  assert.equal(readFileSync(generatedPath('train_kernels'), 'utf8'), compiled, 'run npm run build:kernels');
});
