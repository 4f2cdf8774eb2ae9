import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from './server/engine/model/wasm_kernels';
function time(shapeA: number[], shapeB: number[], ta = false, tb = false) {
  const a = tf.randomUniform(shapeA), b = tf.randomUniform(shapeB);
  const run = () => { const c = tf.matMul(a, b, ta, tb); c.dataSync(); c.dispose(); };
  run(); let reps = 0; const t0 = performance.now(); while (performance.now() - t0 < 200) { run(); reps++; }
  a.dispose(); b.dispose();
  return (performance.now() - t0) / reps;
}
const shapes = [8, 12, 16, 20, 24, 32].map(n => [[256, n, n], [256, n, n]]);
(async () => {
  await tf.setBackend('wasm');
  const orig = shapes.map(([a, b]) => [time(a, b), time(a, b, true, false)]);
  installWasmKernelFixes();
  shapes.forEach(([a, b], i) => console.log(JSON.stringify(a), 'orig', orig[i].map(x => x.toFixed(3)), 'fixed', [time(a, b), time(a, b, true, false)].map(x => x.toFixed(3))));
})();
