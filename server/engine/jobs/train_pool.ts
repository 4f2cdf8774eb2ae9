import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FingerprintJson } from '../model/fingerprint';
import { runTrainTask, type TrainTask } from './train_task';

/** Where train tasks run: this thread, or a pool of worker threads (one backend, one core each). */
export interface Trainer {
  /** Tasks it runs at once. */
  readonly lanes: number;
  /** Runs a task; `onTrained` hears each fingerprint as it is ready. */
  run(task: TrainTask, onTrained: (index: number, json: FingerprintJson) => void): Promise<void>;
  close(): Promise<void>;
}

/** Runs tasks on the calling thread, one at a time. */
export function inlineTrainer(): Trainer {
  return {
    lanes: 1,
    async run(task, onTrained) {
      runTrainTask(task, onTrained);
    },
    async close() {},
  };
}

interface Pending {
  task: TrainTask;
  onTrained: (index: number, json: FingerprintJson) => void;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * A pool of `size` worker threads, each with its own backend. Tasks queue and go to the next idle
 * worker, so a machine's cores train different stacks at once. `close` ends the workers; tasks not
 * finished by then fail.
 */
export class TrainPool implements Trainer {
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private readonly workers: Worker[];
  private closed = false;

  constructor(readonly lanes: number, backend: string) {
    this.workers = Array.from({ length: lanes }, () => this.spawn(backend));
  }

  run(task: TrainTask, onTrained: (index: number, json: FingerprintJson) => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('train pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, onTrained, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of [...this.queue, ...this.running.values()]) p.reject(new Error('train pool closed before the task finished'));
    this.queue.length = 0;
    this.running.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(backend: string): Worker {
    const worker = startWorker(backend);
    worker.on('message', (m: { index?: number; json?: FingerprintJson; done?: boolean; error?: string }) => {
      const pending = this.running.get(worker);
      if (!pending) return;
      if (m.json !== undefined && m.index !== undefined) {
        pending.onTrained(m.index, m.json);
        return;
      }
      this.running.delete(worker);
      if (m.error !== undefined) pending.reject(new Error(m.error));
      else pending.resolve();
      this.idle.push(worker);
      this.dispatch();
    });
    worker.on('error', (err) => {
      // A worker that died (out of memory, a crash in the backend) fails its task; the pool goes on
      // with the others.
      const pending = this.running.get(worker);
      this.running.delete(worker);
      pending?.reject(new Error(`train worker failed: ${err.message}`));
    });
    this.idle.push(worker);
    return worker;
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.shift()!;
      const next = this.queue.shift()!;
      this.running.set(worker, next);
      worker.postMessage({ task: next.task });
    }
  }
}

/**
 * The worker runs train_worker beside this file: the compiled .js in a build, or the .ts source
 * (development and tests run under tsx, whose loader a worker thread does not inherit: register it).
 */
function startWorker(backend: string): Worker {
  const workerData = { backend };
  if (path.extname(__filename) !== '.ts') return new Worker(path.join(__dirname, 'train_worker.js'), { workerData });
  const entry = path.join(__dirname, 'train_worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
