import { Worker } from 'node:worker_threads';
import path from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { SourceConfig } from '../../common/source_config';
import type { EsConnection } from '../engine/io/es/client';
import { JobRuns, type JobRun, type RunFilter } from '../engine/io/es/job_runs';
import { ownedIndexNames } from '../engine/io/es/owned_index';
import type { BackendName } from '../engine/model/backend';
import { HttpError, type SettingsStore } from '../routes/types';
import type { JobControl, StartJobRequest } from './job_control';
import type { JobWorkerInput, JobWorkerMessage } from './job_worker';

export interface WorkerJobControlOptions {
  /** Reads run records (as whoever asks: Kibana passes the plugin's client for its own indices). */
  client: Client;
  settings: SettingsStore;
  /** How a job of this source reaches Elasticsearch (in Kibana: with the API key of the admin who enabled it). */
  connectionFor(source: SourceConfig): Promise<EsConnection>;
  /** Names this process in leases and runs, e.g. `kibana:<host>:<uuid>`. */
  holder: string;
  indexPrefix?: string;
  backend?: BackendName | 'auto';
  /** Jobs running at once in this process. */
  maxWorkers?: number;
  leaseTtlMs?: number;
  /** Training epochs override (tests). */
  epochs?: number;
  log?: (line: string) => void;
}

/**
 * Jobs run in worker threads, one per job, under the Elasticsearch lease of (type, source): the
 * event loop that serves HTTP never trains. A start answers once the run is recorded (or with 409
 * when another process holds the job), and the job goes on in the background.
 */
export class WorkerJobControl implements JobControl {
  readonly available = true;
  /** Every live worker, from its start to its exit (the runs it will record included). */
  private readonly workers = new Map<Worker, Promise<void>>();
  /** Workers by the run they recorded: what cancel() reaches. */
  private readonly running = new Map<string, Worker>();
  /** Starts past the worker-count check that have not spawned their worker yet. */
  private reserved = 0;
  /**
   * Workers whose run has ended (recorded) and that are only closing down: they no longer count
   * against the limit, or a job started right after another one's run shows as finished would be
   * refused as "busy".
   */
  private readonly finishing = new Set<Worker>();
  private readonly runs: JobRuns;
  private stopping = false;

  constructor(private readonly opts: WorkerJobControlOptions) {
    this.runs = new JobRuns(opts.client, { index: ownedIndexNames(opts.indexPrefix).state });
  }

  list(filter?: RunFilter): Promise<JobRun[]> {
    return this.runs.list(filter);
  }

  get(id: string): Promise<JobRun | null> {
    return this.runs.get(id);
  }

  async start(req: StartJobRequest): Promise<{ runId: string }> {
    if (this.stopping) throw new HttpError(409, 'the server is stopping: no new jobs');
    const max = this.opts.maxWorkers ?? 1;
    if (this.workers.size - this.finishing.size + this.reserved >= max) throw new HttpError(409, `all ${max} job workers of this server are busy; try again when one finishes`);
    this.reserved += 1;
    let input: JobWorkerInput;
    try {
      input = await this.workerInput(req);
    } finally {
      this.reserved -= 1;
    }
    // stop() may have begun while the job was being prepared: it must not start after it.
    if (this.stopping) throw new HttpError(409, 'the server is stopping: no new jobs');
    const worker = startWorker(input);
    const done = new Promise<void>((finished) => worker.once('exit', () => finished()));
    this.workers.set(worker, done);
    return new Promise((resolve, reject) => {
      worker.on('message', (m: JobWorkerMessage) => {
        if (m.kind === 'started') {
          this.running.set(m.runId, worker);
          void done.then(() => this.running.delete(m.runId));
          resolve({ runId: m.runId });
        } else if (m.kind === 'busy') {
          reject(new HttpError(409, `${req.type} of ${req.source} is already running: held by ${m.holder} until ${m.expiresAt} unless renewed`));
        } else if (m.kind === 'skipped') {
          reject(new HttpError(409, `${req.type} of ${req.source} not run: ${m.reason}`));
        } else if (m.kind === 'done') {
          this.finishing.add(worker);
          this.opts.log?.(`${req.type} of ${req.source} (run ${m.runId}) ${m.status}${m.message ? `: ${m.message}` : ''}`);
        } else {
          this.opts.log?.(`${req.type} of ${req.source} failed before its run was recorded: ${m.message}`);
          reject(new Error(`${req.type} of ${req.source} could not start: ${m.message.split('\n')[0]}`));
        }
      });
      worker.on('error', (e) => {
        this.opts.log?.(`job worker for ${req.type} of ${req.source} crashed: ${e.stack ?? e.message}`);
        reject(e);
      });
      void done.then(() => {
        this.workers.delete(worker);
        this.finishing.delete(worker);
        // Ignored when the run was recorded (the promise resolved already).
        reject(new Error(`${req.type} of ${req.source}: the job worker exited before its run was recorded`));
      });
    });
  }

  /** What the worker needs: the source, its connection, the settings in force. */
  private async workerInput(req: StartJobRequest): Promise<JobWorkerInput> {
    const settings = await this.opts.settings.get();
    const source = settings.sources.find((s) => s.id === req.source);
    if (!source) throw new HttpError(404, `unknown source "${req.source}"`);
    return {
      type: req.type,
      source,
      user: req.user,
      connection: await this.opts.connectionFor(source),
      indexPrefix: this.opts.indexPrefix ?? '.dfp',
      backend: this.opts.backend ?? 'auto',
      holder: this.opts.holder,
      settings: { zscoreThreshold: settings.zscoreThreshold, tsThreshold: settings.tsThreshold, userRiskThreshold: settings.userRiskThreshold, minHistory: settings.minHistory },
      leaseTtlMs: this.opts.leaseTtlMs,
      epochs: this.opts.epochs,
      firing: req.firing,
    };
  }

  async cancel(runId: string): Promise<boolean> {
    const worker = this.running.get(runId);
    if (!worker) return false;
    worker.postMessage({ kind: 'cancel', reason: 'cancelled by an admin' });
    return true;
  }

  /**
   * Cancels every job this process runs — also those still starting, whose runs are not recorded
   * yet — and waits for their workers to finish cleanly.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const worker of this.workers.keys()) worker.postMessage({ kind: 'cancel', reason: 'the server is stopping' });
    await Promise.all(this.workers.values());
  }

  /** Resolves when every job started so far has finished (tests, orderly shutdowns). */
  async idle(): Promise<void> {
    await Promise.all([...this.workers.values()]);
  }
}

/**
 * The worker runs job_worker beside this file: the compiled .js in a build, or the .ts source
 * (development and tests run under tsx, whose loader a worker thread does not inherit: register it).
 */
function startWorker(input: JobWorkerInput): Worker {
  if (path.extname(__filename) !== '.ts') return new Worker(path.join(__dirname, 'job_worker.js'), { workerData: input });
  const entry = path.join(__dirname, 'job_worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData: input });
}
