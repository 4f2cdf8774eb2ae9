import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from './server/engine/model/wasm_kernels';
function time(label: string, shapeA: number[], shapeB: number[], ta = false, tb = false) {
  const a = tf.randomUniform(shapeA), b = tf.randomUniform(shapeB);
  const run = () => { const c = tf.matMul(a, b, ta, tb); c.dataSync(); c.dispose(); };
  run(); let reps = 0; const t0 = performance.now(); while (performance.now() - t0 < 300) { run(); reps++; }
  const ms = (performance.now() - t0) / reps;
  console.log(label, JSON.stringify(shapeA), JSON.stringify(shapeB), `tA=${ta} tB=${tb}`, ms.toFixed(3), 'ms');
  a.dispose(); b.dispose();
}
const suite = (l: string) => {
  time(l, [64, 32, 32], [64, 32, 32]);
  time(l, [8, 128, 128], [8, 128, 128]);
  time(l, [512, 8, 8], [512, 8, 8]);
  time(l, [16, 256, 64], [64, 32]);
  time(l, [16, 256, 64], [16, 256, 32], true, false);
  time(l, [256, 128], [256, 64], true, false);
  time(l, [256, 64], [128, 64], false, true);
};
(async () => {
  await tf.setBackend('wasm');
  suite('orig ');
  installWasmKernelFixes();
  suite('fixed');
})();
