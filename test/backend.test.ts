/**
 * Backend selection and the wasm kernel fixes. Every fixed kernel is checked against the
 * pure-JS cpu backend on the same inputs (tensors are created per backend).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Module from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { currentBackend, initBackend, measureMatmulGflops } from '../server/engine/model/backend';
import { installWasmKernelFixes } from '../server/engine/model/wasm_kernels';

// ---- helpers --------------------------------------------------------------------------

/** Deterministic values in [-1, 1), so both backends get identical inputs. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
const rand = (shape: number[], seed: number) => tf.tensor(values(tf.util.sizeFromShape(shape), seed), shape);

interface Result { shape: number[]; data: Float32Array | Int32Array }

/** Run `f` on one backend; return plain copies of its outputs; check nothing leaked. */
async function runOn(backend: 'wasm' | 'cpu', f: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  const before = tf.memory().numTensors;
  const outs = tf.tidy(f);
  const list = Array.isArray(outs) ? outs : [outs];
  const res = list.map((t) => ({ shape: t.shape, data: t.dataSync() as Float32Array | Int32Array }));
  tf.dispose(list);
  assert.equal(tf.memory().numTensors, before, `${backend}: tensors leaked`);
  return res;
}

/** Compare `f` on wasm against cpu, elementwise |w - c| <= tol * (1 + |c|). */
async function assertSameOnWasmAndCpu(label: string, f: () => tf.Tensor | tf.Tensor[], tol = 1e-4): Promise<void> {
  const wasmIdsBefore = await wasmDataIds();
  const w = await runOn('wasm', f);
  // Kernel intermediates (transposed copies, batch slices) must be freed too.
  assert.equal(await wasmDataIds(), wasmIdsBefore, `${label}: wasm kernel intermediates leaked`);
  const c = await runOn('cpu', f);
  await tf.setBackend('wasm');
  assert.equal(w.length, c.length);
  for (let k = 0; k < w.length; k++) {
    assert.deepEqual(w[k].shape, c[k].shape, `${label}[${k}]: shape`);
    for (let i = 0; i < c[k].data.length; i++) {
      const diff = Math.abs(w[k].data[i] - c[k].data[i]);
      if (!(diff <= tol * (1 + Math.abs(c[k].data[i])))) {
        assert.fail(`${label}[${k}] element ${i}: wasm ${w[k].data[i]} vs cpu ${c[k].data[i]}`);
      }
    }
  }
}

async function wasmDataIds(): Promise<number> {
  await tf.setBackend('wasm');
  return tf.backend().numDataIds();
}

const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]] as const;
/** Shape of an operand stored for the given transpose flag: [..., rows, cols] or swapped. */
const stored = (batch: number[], rows: number, cols: number, t: boolean) => (t ? [...batch, cols, rows] : [...batch, rows, cols]);

// ---- backend selection ----------------------------------------------------------------

test('auto picks wasm when tfjs-node is absent, logging each failed try', async () => {
  const logs: string[] = [];
  const info = await initBackend('auto', (m) => logs.push(m));
  assert.equal(info.name, 'wasm');
  assert.equal(info.tfBackend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.deepEqual(currentBackend(), info);
  assert.match(logs.join('\n'), /tensorflow-gpu unavailable: .*tfjs-node-gpu/);
  assert.match(logs.join('\n'), /tensorflow unavailable: .*tfjs-node/);
  assert.match(logs[logs.length - 1], /tfjs backend: wasm/);
});

test('initBackend is idempotent for the same preference', async () => {
  const first = await initBackend('auto');
  const logs: string[] = [];
  const second = await initBackend('auto', (m) => logs.push(m));
  assert.equal(second, first);
  assert.deepEqual(logs, [], 'no re-initialisation');
});

test('a forced backend that is unavailable throws, naming it and why', async () => {
  await assert.rejects(initBackend('tensorflow'), /'tensorflow'.*@tensorflow\/tfjs-node/);
  await assert.rejects(initBackend('tensorflow-gpu'), /'tensorflow-gpu'.*@tensorflow\/tfjs-node-gpu/);
  assert.equal(currentBackend()?.name, 'wasm', 'a failed attempt keeps the previous backend');
});

test('forced cpu and wasm work and can be switched back', async () => {
  assert.equal((await initBackend('cpu')).tfBackend, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal((await initBackend('wasm')).name, 'wasm');
  assert.equal((await initBackend('auto')).name, 'wasm');
});

test('measureMatmulGflops returns a positive number', () => {
  const g = measureMatmulGflops(64, 2);
  assert.ok(Number.isFinite(g) && g > 0, `got ${g}`);
});

test('installWasmKernelFixes is idempotent', () => {
  const before = tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc;
  installWasmKernelFixes();
  installWasmKernelFixes();
  assert.equal(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc, before);
  assert.ok(tf.getKernel('UnsortedSegmentSum', 'wasm'));
});

// ---- matMul ---------------------------------------------------------------------------

test('matMul 2-D, all transpose combinations, wasm = cpu', async () => {
  for (const [M, K, N] of [[37, 53, 29], [64, 64, 64], [1, 53, 29], [37, 53, 1], [37, 1, 29], [5, 3, 1]]) {
    for (const [ta, tb] of TRANSPOSES) {
      await assertSameOnWasmAndCpu(`${M}x${K}x${N} tA=${ta} tB=${tb}`, () =>
        tf.matMul(rand(stored([], M, K, ta), 1), rand(stored([], K, N, tb), 2), ta, tb));
    }
  }
});

test('matMul 3-D batched (batch 4, batch 1, broadcast), all transposes, wasm = cpu', async () => {
  const cases: Array<[number[], number[]]> = [[[4], [4]], [[1], [1]], [[4], [1]], [[1], [4]], [[2, 3], [3]]];
  // 7x11x5 products go to the original kernel's small-product path, 21x23x17 to the per-batch loop.
  for (const [M, K, N] of [[7, 11, 5], [21, 23, 17]]) {
    for (const [batchA, batchB] of cases) {
      for (const [ta, tb] of TRANSPOSES) {
        await assertSameOnWasmAndCpu(`${M}x${K}x${N} batch ${batchA}x${batchB} tA=${ta} tB=${tb}`, () =>
          tf.matMul(rand(stored(batchA, M, K, ta), 3), rand(stored(batchB, K, N, tb), 4), ta, tb));
      }
    }
  }
});

test('matMul with batch dims broadcast both ways ([2,1] x [3]) follows numpy broadcasting', async () => {
  // The cpu kernel maps flat batch indices with `%`, which is wrong for this shape pair, so
  // the reference is built from 2-D products: out[i, j] = a[i, 0] @ b[j].
  for (const [ta, tb] of TRANSPOSES) {
    const [w] = await runOn('wasm', () => tf.matMul(rand(stored([2, 1], 7, 11, ta), 3), rand(stored([3], 11, 5, tb), 4), ta, tb));
    const [ref] = await runOn('cpu', () => {
      const a = rand(stored([2, 1], 7, 11, ta), 3);
      const b = rand(stored([3], 11, 5, tb), 4);
      const rows = [0, 1].map((i) => tf.stack([0, 1, 2].map((j) =>
        tf.matMul(tf.squeeze(tf.slice(a, [i, 0, 0, 0], [1, 1, -1, -1]), [0, 1]), tf.squeeze(tf.slice(b, [j, 0, 0], [1, -1, -1]), [0]), ta, tb))));
      return tf.stack(rows);
    });
    await tf.setBackend('wasm');
    assert.deepEqual(w.shape, [2, 3, 7, 5]);
    assert.deepEqual(ref.shape, [2, 3, 7, 5]);
    for (let i = 0; i < ref.data.length; i++) assert.ok(Math.abs(w.data[i] - ref.data[i]) <= 1e-4, `tA=${ta} tB=${tb} element ${i}`);
  }
});

test('fused matMul with bias + activation, with transposes and batches, wasm = cpu', async () => {
  const cases: Array<[number[], number[]]> = [[[], []], [[4], [4]], [[4], [1]], [[1], [1]]];
  for (const [batchA, batchB] of cases) {
    for (const [ta, tb] of TRANSPOSES) {
      for (const activation of ['relu', 'linear', 'sigmoid', 'leakyrelu', 'prelu'] as const) {
        await assertSameOnWasmAndCpu(`fused ${activation} batch ${batchA}x${batchB} tA=${ta} tB=${tb}`, () =>
          tf.fused.matMul({
            a: rand(stored(batchA, 37, 53, ta), 5),
            b: rand(stored(batchB, 53, 29, tb), 6),
            transposeA: ta,
            transposeB: tb,
            bias: rand([29], 7),
            activation,
            leakyreluAlpha: 0.1,
            preluActivationWeights: activation === 'prelu' ? rand([29], 8) : undefined,
          }));
      }
    }
  }
  // A size-1 bias broadcasts over all columns.
  await assertSameOnWasmAndCpu('fused size-1 bias', () =>
    tf.fused.matMul({ a: rand([9, 6], 8), b: rand([6, 4], 9), bias: tf.tensor1d([0.25]), activation: 'relu' }));
});

// ---- gradients ------------------------------------------------------------------------

test('dense layer y = relu(xW + b): gradients w.r.t. W, b (and x) wasm = cpu', async () => {
  for (const fused of [false, true]) {
    await assertSameOnWasmAndCpu(`dense grads fused=${fused}`, () => {
      const x = rand([32, 19], 10);
      const W = tf.variable(rand([19, 13], 11));
      const b = tf.variable(rand([13], 12));
      const r = rand([32, 13], 13); // fixed upstream weights, so dy is not all ones
      const { value, grads } = tf.variableGrads(() => {
        const y = fused
          ? tf.fused.matMul({ a: x, b: W, bias: b, activation: 'relu' })
          : tf.relu(tf.add(tf.matMul(x, W), b));
        return tf.sum(tf.mul(y, r)) as tf.Scalar;
      }, [W, b]);
      const [dx] = tf.grads((xx: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(xx, W), b)), r)))([x]);
      const out = [value, grads[W.name], grads[b.name], dx];
      W.dispose();
      b.dispose();
      return out;
    });
  }
});

// ---- UnsortedSegmentSum / gather ------------------------------------------------------

test('unsortedSegmentSum forward on wasm = cpu = expected', async () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const ids = [0, 2, 0, 3]; // segment 1 is empty
  await assertSameOnWasmAndCpu('segment sum float', () =>
    tf.unsortedSegmentSum(tf.tensor2d(x, [4, 3]), tf.tensor1d(ids, 'int32'), 4));
  await assertSameOnWasmAndCpu('segment sum int32 1-D', () =>
    tf.unsortedSegmentSum(tf.tensor1d([5, 6, 7, 8], 'int32'), tf.tensor1d([1, 1, 0, 2], 'int32'), 3));
  await tf.setBackend('wasm');
  const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [4, 3]), tf.tensor1d(ids, 'int32'), 4));
  assert.deepEqual(Array.from(got.dataSync()), [1 + 7, 2 + 8, 3 + 9, 0, 0, 0, 4, 5, 6, 10, 11, 12]);
  got.dispose();
});

test('gradient of tf.gather (Embedding training) on wasm = cpu', async () => {
  await assertSameOnWasmAndCpu('gather grad axis 0', () => {
    const table = rand([10, 4], 20);
    const r = rand([6, 4], 21);
    const indices = tf.tensor1d([3, 1, 3, 7, 0, 3], 'int32');
    return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices), r)))(table);
  });
  await assertSameOnWasmAndCpu('gather grad axis 1', () => {
    const table = rand([3, 8], 22);
    const r = rand([3, 5], 23);
    const indices = tf.tensor1d([7, 2, 2, 0, 5], 'int32');
    return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, indices, 1), r)))(table);
  });
});

// ---- tfjs-node path, with stand-in packages -------------------------------------------
// tfjs-node cannot be installed here, so these tests resolve the package names to small
// stand-ins that register a 'tensorflow' backend (the cpu backend under another name).

const fakeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-fake-tfjs-node-'));
const fakeTargets = new Map<string, string>(); // request -> file
const ModuleInternals = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const originalResolve = ModuleInternals._resolveFilename;
ModuleInternals._resolveFilename = function (request: string, ...rest: unknown[]) {
  return fakeTargets.get(request) ?? originalResolve.call(this, request, ...rest);
};
after(() => {
  ModuleInternals._resolveFilename = originalResolve;
  for (const key of Object.keys(require.cache)) if (key.startsWith(fakeDir)) delete require.cache[key];
  fs.rmSync(fakeDir, { recursive: true, force: true });
});

/** Write a stand-in package; `body` runs with `tf` (our tfjs-core) in scope. */
function fakePackage(request: string, dir: string, version: string, body: string): void {
  const root = path.join(fakeDir, dir);
  fs.mkdirSync(root, { recursive: true });
  // Node caches a request's resolution per parent module; dropping the previous stand-in
  // from require.cache makes it resolve again.
  const previous = fakeTargets.get(request);
  if (previous) delete require.cache[previous];
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: request, version }));
  fs.writeFileSync(path.join(root, 'index.js'),
    `const tf = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-core'))});\n${body}\n`);
  fakeTargets.set(request, path.join(root, 'index.js'));
  fakeTargets.set(`${request}/package.json`, path.join(root, 'package.json'));
}

const REGISTER_TENSORFLOW = `
if (!tf.findBackendFactory('tensorflow')) {
  const { MathBackendCPU } = require(${JSON.stringify(require.resolve('@tensorflow/tfjs-backend-cpu'))});
  tf.registerBackend('tensorflow', () => new MathBackendCPU(), 3);
  for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
}`;

test('tfjs-node present but registering on another tfjs-core copy: unavailable', async () => {
  fakePackage('@tensorflow/tfjs-node-gpu', 'gpu-none', '9.9.9', '/* registers nothing with our core */');
  await assert.rejects(initBackend('tensorflow-gpu'), /registered no 'tensorflow' backend/);
});

test('tfjs-node that loads a tfjs-core copy of another version: unavailable', async () => {
  const otherCore = path.join(fakeDir, 'other', 'node_modules', '@tensorflow', 'tfjs-core');
  fs.mkdirSync(path.join(otherCore, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(otherCore, 'package.json'), JSON.stringify({ version: '0.0.1' }));
  fs.writeFileSync(path.join(otherCore, 'dist', 'tf-core.node.js'), 'module.exports = {};');
  fakePackage('@tensorflow/tfjs-node-gpu', 'gpu-skew', '9.9.9',
    `require(${JSON.stringify(path.join(otherCore, 'dist', 'tf-core.node.js'))});\n${REGISTER_TENSORFLOW}`);
  await assert.rejects(initBackend('tensorflow-gpu'), /another @tensorflow\/tfjs-core \(0\.0\.1/);
  // Uninstall the stand-in and its core copy again for the next test.
  delete require.cache[path.join(otherCore, 'dist', 'tf-core.node.js')];
  delete require.cache[fakeTargets.get('@tensorflow/tfjs-node-gpu')!];
  fakeTargets.delete('@tensorflow/tfjs-node-gpu');
  fakeTargets.delete('@tensorflow/tfjs-node-gpu/package.json');
});

test('tfjs-node present: forced and auto pick tensorflow; then back to wasm', async () => {
  fakePackage('@tensorflow/tfjs-node', 'node-ok', '9.9.9', REGISTER_TENSORFLOW);
  const info = await initBackend('tensorflow');
  assert.equal(info.name, 'tensorflow');
  assert.equal(info.tfBackend, 'tensorflow');
  assert.match(info.detail, /@tensorflow\/tfjs-node 9\.9\.9/);
  assert.equal(tf.getBackend(), 'tensorflow');

  const logs: string[] = [];
  const auto = await initBackend('auto', (m) => logs.push(m));
  assert.equal(auto.name, 'tensorflow');
  assert.match(logs.join('\n'), /tensorflow-gpu unavailable: .*Cannot find module '@tensorflow\/tfjs-node-gpu'/);
  assert.match(logs[logs.length - 1], /tfjs backend: tensorflow \(libtensorflow via @tensorflow\/tfjs-node 9\.9\.9\)/);

  fakeTargets.clear();
  tf.removeBackend('tensorflow');
  for (const k of tf.getKernelsForBackend('tensorflow')) tf.unregisterKernel(k.kernelName, 'tensorflow');
  assert.equal((await initBackend('wasm')).name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});
