/**
 * A train pool's worker thread: its own tfjs backend (wasm runs one core a process, DESIGN.md
 * section 2), running train tasks one after another (the pool sends the next only when this one
 * ends). Messages in: `{ task }`. Out: `{ index, json }` per fingerprint, then `{ done: true }` or
 * `{ error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendName } from '../model/backend';
import { runTrainTask, type TrainTask } from './train_task';

const ready = initBackend(workerData.backend as BackendName | 'auto');

parentPort!.on('message', (m: { task: TrainTask }) => {
  void ready
    .then(() => runTrainTask(m.task, (index, json) => parentPort!.postMessage({ index, json })))
    .then(
      () => parentPort!.postMessage({ done: true }),
      (err: unknown) => parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) }),
    );
});
