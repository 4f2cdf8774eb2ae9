/**
 * Run-time choice of the tfjs backend (DESIGN.md §2): native TensorFlow (GPU, then CPU)
 * when @tensorflow/tfjs-node(-gpu) is installed, else wasm (always available), else the
 * pure-JS cpu backend as the last resort.
 */
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node entry registers no gradients (the @tensorflow/tfjs bundle does that);
// training needs them, and every process that trains goes through this module.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from './wasm_kernels';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';
export interface BackendInfo {
  name: BackendName;
  /** The name tfjs knows the backend by (tf.getBackend()). */
  tfBackend: string;
  detail: string;
}

const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const NODE_PACKAGES: Partial<Record<BackendName, string>> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
};

let current: { preferred: BackendName | 'auto'; info: BackendInfo } | undefined;
let pending: { preferred: BackendName | 'auto'; promise: Promise<BackendInfo> } | undefined;

export function currentBackend(): BackendInfo | undefined {
  return current?.info;
}

/**
 * Select and initialise a backend. 'auto' tries tensorflow-gpu → tensorflow → wasm → cpu,
 * logging one line per failed try; a forced name throws if that backend is unavailable.
 * Repeating the last successful preference returns the same info without re-initialising
 * (it only re-activates the backend if something else switched away from it).
 */
export async function initBackend(preferred: BackendName | 'auto' = 'auto', log: (msg: string) => void = () => {}): Promise<BackendInfo> {
  if (current && current.preferred === preferred) {
    if (tf.getBackend() !== current.info.tfBackend) await tf.setBackend(current.info.tfBackend);
    return current.info;
  }
  // Concurrent callers with the same preference share one initialisation.
  if (pending && pending.preferred === preferred) return pending.promise;
  const promise = select(preferred, log);
  pending = { preferred, promise };
  try {
    const info = await promise;
    current = { preferred, info };
    return info;
  } finally {
    if (pending?.promise === promise) pending = undefined;
  }
}

async function select(preferred: BackendName | 'auto', log: (msg: string) => void): Promise<BackendInfo> {
  if (preferred !== 'auto') {
    try {
      return await tryBackend(preferred);
    } catch (err) {
      throw new Error(`backend '${preferred}' is unavailable: ${reason(err)}`);
    }
  }
  for (const name of AUTO_ORDER) {
    try {
      const info = await tryBackend(name);
      log(`tfjs backend: ${info.name} (${info.detail})`);
      return info;
    } catch (err) {
      log(`tfjs backend ${name} unavailable: ${reason(err)}`);
    }
  }
  throw new Error('no tfjs backend could be initialised (not even cpu)');
}

async function tryBackend(name: BackendName): Promise<BackendInfo> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const detail = loadNodeBackend(NODE_PACKAGES[name]!);
      await activate('tensorflow');
      return { name, tfBackend: 'tensorflow', detail };
    }
    case 'wasm': {
      await activate('wasm');
      installWasmKernelFixes();
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      return { name, tfBackend: 'wasm', detail: `XNNPACK, SIMD ${simd ? 'on' : 'off'}, ${getThreadsCount()} thread(s), transpose/segment-sum kernel fixes` };
    }
    case 'cpu':
      await activate('cpu');
      return { name, tfBackend: 'cpu', detail: 'pure JavaScript (slow)' };
  }
}

/**
 * require() a tfjs-node package, which registers the 'tensorflow' backend as a side effect.
 *
 * Risk: tfjs-node depends on @tensorflow/tfjs, which can bring its own nested copy of
 * @tensorflow/tfjs-core. tfjs keeps the engine and kernel registry on globalThis, so a
 * second copy still registers into the shared engine, but its Tensor class differs
 * (instanceof checks fail across copies) and a different version may disagree on kernel
 * names and attributes. So we require that the backend is visible through OUR tf import
 * and, if another core copy got loaded, that it is the same version.
 */
function loadNodeBackend(pkg: string): string {
  try {
    require(pkg);
  } catch (err) {
    throw new Error(`${pkg} could not be loaded: ${reason(err)}`);
  }
  if (tf.findBackendFactory('tensorflow') == null) {
    throw new Error(`${pkg} loaded but registered no 'tensorflow' backend with our @tensorflow/tfjs-core ${tf.version_core} (it uses another copy of tfjs-core)`);
  }
  const ourCore = require.resolve('@tensorflow/tfjs-core');
  const others = loadedCorePaths().filter((p) => p !== ourCore);
  for (const p of others) {
    const version = coreVersionAt(p);
    if (version !== tf.version_core) {
      throw new Error(`${pkg} uses another @tensorflow/tfjs-core (${version ?? 'unknown version'} at ${p}) than ours (${tf.version_core})`);
    }
  }
  let version = '';
  try {
    version = ` ${(require(`${pkg}/package.json`) as { version: string }).version}`;
  } catch {
    // version is informational only
  }
  return `libtensorflow via ${pkg}${version}${others.length ? '; note: it loaded a second tfjs-core copy of the same version' : ''}`;
}

const CORE_ENTRY = /[\\/]@tensorflow[\\/]tfjs-core[\\/]dist[\\/]tf-core\.node\.js$/;

/** Entry files of every tfjs-core copy currently in the CommonJS module cache. */
function loadedCorePaths(): string[] {
  return Object.keys(require.cache).filter((p) => CORE_ENTRY.test(p));
}

function coreVersionAt(entryFile: string): string | undefined {
  try {
    return (require(entryFile.replace(/dist[\\/]tf-core\.node\.js$/, 'package.json')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** setBackend, then a tiny matmul, so a backend that registers but cannot compute fails here. */
async function activate(tfBackend: string): Promise<void> {
  if (!(await tf.setBackend(tfBackend))) throw new Error(`tf.setBackend('${tfBackend}') failed`);
  await tf.ready();
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2])));
  const got = product.dataSync();
  product.dispose();
  if (got[0] !== 1 || got[3] !== 4) throw new Error(`backend '${tfBackend}' failed a smoke-test matmul`);
}

function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0];
}

/**
 * GFLOP/s of a plain n×n by n×n matmul on the active backend (for the benchmark).
 * One warm-up run, then `reps` timed runs, each read back so async backends finish.
 */
export function measureMatmulGflops(n = 256, reps = 10): number {
  return tf.tidy(() => {
    const a = tf.randomUniform([n, n], -1, 1, 'float32', 1);
    const b = tf.randomUniform([n, n], -1, 1, 'float32', 2);
    const run = () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    };
    run();
    const start = performance.now();
    // (Not tf.tidy(() => c.dataSync()): tidy would walk every element of the returned array.)
    for (let i = 0; i < reps; i++) run();
    const seconds = (performance.now() - start) / 1000;
    return (2 * n ** 3 * reps) / Math.max(seconds, 1e-9) / 1e9;
  });
}
