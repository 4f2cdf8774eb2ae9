/**
 * A train pool's worker thread: its own tfjs backend (wasm runs one core a process, DESIGN.md
 * section 2), running train tasks one after another. Messages in: `{ id, task }`. Out:
 * `{ id, index, json }` per fingerprint, then `{ id, done: true }` or `{ id, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendName } from '../model/backend';
import { runTrainTask, type TrainTask } from './train_task';

const ready = initBackend(workerData.backend as BackendName | 'auto');

parentPort!.on('message', (m: { id: number; task: TrainTask }) => {
  void ready
    .then(() => runTrainTask(m.task, (index, json) => parentPort!.postMessage({ id: m.id, index, json })))
    .then(
      () => parentPort!.postMessage({ id: m.id, done: true }),
      (err: unknown) => parentPort!.postMessage({ id: m.id, error: err instanceof Error ? err.message : String(err) }),
    );
});
