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
import type { JobWorkerData, JobWorkerInput, JobWorkerMessage, JobWorkerRequest } from './job_worker';

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
  /**
   * How long the score worker waits for the next score job before it ends, with the users' models
   * it keeps (default RESIDENT_IDLE_MS): longer than the score schedule's interval keeps them.
   */
  residentIdleMs?: number;
  log?: (line: string) => void;
}

/** The score worker ends after this long without a job by default: twice the default score schedule's 5 minutes, and then some. */
const RESIDENT_IDLE_MS = 15 * 60_000;

/** The score worker kept between score jobs. */
interface Resident {
  worker: Worker;
  busy: boolean;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Jobs run in worker threads under the Elasticsearch lease of (type, source): the event loop that
 * serves HTTP never trains nor scores. A start answers once the run is recorded (or with 409 when
 * another process holds the job), and the job goes on in the background.
 *
 * A train job gets a worker of its own, which ends with it. Score jobs go to one resident worker
 * that lives on between them (job_worker.ts): its scoring workers keep the users' models, so a
 * scheduled run every few minutes reads only the models that changed. It ends after
 * `residentIdleMs` without a job, or at `stop()`. (A second score job while it is busy, where
 * `maxWorkers` allows one, gets a worker of its own.)
 */
export class WorkerJobControl implements JobControl {
  readonly available = true;
  /** Every live worker, from its start to its exit (the runs it will record included). */
  private readonly workers = new Map<Worker, Promise<void>>();
  /** Jobs in flight, each settling when its worker says it finished (or dies). */
  private readonly jobs = new Set<Promise<void>>();
  /** Workers by the run they recorded: what cancel() reaches. */
  private readonly running = new Map<string, Worker>();
  /** Starts past the job-count check that have not reached their worker yet. */
  private reserved = 0;
  private resident: Resident | undefined;
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
    if (this.jobs.size + this.reserved >= max) throw new HttpError(409, `all ${max} job workers of this server are busy; try again when one finishes`);
    this.reserved += 1;
    let input: JobWorkerInput;
    try {
      input = await this.workerInput(req);
    } finally {
      this.reserved -= 1;
    }
    // stop() may have begun while the job was being prepared: it must not start after it.
    if (this.stopping) throw new HttpError(409, 'the server is stopping: no new jobs');
    return this.run(req, input);
  }

  /** Runs the job on the resident worker (a score job, when it is free) or on a worker of its own. */
  private run(req: StartJobRequest, input: JobWorkerInput): Promise<{ runId: string }> {
    const resident = input.type === 'score' && !this.resident?.busy ? this.residentWorker() : undefined;
    const worker = resident?.worker ?? this.spawn({ job: input });
    let finished!: () => void;
    const job = new Promise<void>((resolve) => (finished = resolve));
    this.jobs.add(job);
    return new Promise((resolve, reject) => {
      let runId: string | undefined;
      const end = (): void => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        worker.off('error', onError);
        if (runId !== undefined) this.running.delete(runId);
        this.jobs.delete(job);
        if (resident && this.resident === resident) this.rest(resident);
        finished();
        // Ignored when the run was recorded (the promise resolved already).
        reject(new Error(`${req.type} of ${req.source}: the job worker finished before its run was recorded`));
      };
      const onMessage = (m: JobWorkerMessage): void => {
        if (m.kind === 'started') {
          runId = m.runId;
          this.running.set(m.runId, worker);
          resolve({ runId: m.runId });
        } else if (m.kind === 'busy') {
          reject(new HttpError(409, `${req.type} of ${req.source} is already running: held by ${m.holder} until ${m.expiresAt} unless renewed`));
        } else if (m.kind === 'skipped') {
          reject(new HttpError(409, `${req.type} of ${req.source} not run: ${m.reason}`));
        } else if (m.kind === 'done') {
          this.opts.log?.(`${req.type} of ${req.source} (run ${m.runId}) ${m.status}${m.message ? `: ${m.message}` : ''}`);
        } else if (m.kind === 'error') {
          this.opts.log?.(`${req.type} of ${req.source} failed before its run was recorded: ${m.message}`);
          reject(new Error(`${req.type} of ${req.source} could not start: ${m.message.split('\n')[0]}`));
        } else end();
      };
      const onExit = (): void => end();
      const onError = (e: Error): void => {
        this.opts.log?.(`job worker for ${req.type} of ${req.source} crashed: ${e.stack ?? e.message}`);
        reject(e);
      };
      worker.on('message', onMessage);
      worker.once('exit', onExit);
      worker.on('error', onError);
      if (resident) worker.postMessage({ kind: 'job', input } satisfies JobWorkerRequest);
    });
  }

  /** The resident worker, started if there is none, marked busy and holding the process open while its job runs. */
  private residentWorker(): Resident {
    let resident = this.resident;
    if (!resident) {
      const worker = this.spawn({ resident: true });
      const r: Resident = { worker, busy: false };
      resident = this.resident = r;
      void this.workers.get(worker)!.then(() => {
        clearTimeout(r.idleTimer);
        if (this.resident === r) this.resident = undefined;
      });
    }
    clearTimeout(resident.idleTimer);
    resident.busy = true;
    resident.worker.ref();
    return resident;
  }

  /** The resident worker is free: it no longer holds the process open, and ends after its idle time. */
  private rest(resident: Resident): void {
    resident.busy = false;
    resident.worker.unref();
    resident.idleTimer = setTimeout(() => {
      if (this.resident === resident) this.resident = undefined; // the next score job starts a new one
      void resident.worker.terminate();
    }, this.opts.residentIdleMs ?? RESIDENT_IDLE_MS);
    resident.idleTimer.unref();
  }

  private spawn(data: JobWorkerData): Worker {
    const worker = startWorker(data);
    this.workers.set(worker, new Promise<void>((exited) => worker.once('exit', () => {
      this.workers.delete(worker);
      exited();
    })));
    return worker;
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
    worker.postMessage({ kind: 'cancel', reason: 'cancelled by an admin' } satisfies JobWorkerRequest);
    return true;
  }

  /**
   * Cancels every job this process runs — also those still starting, whose runs are not recorded
   * yet — waits for them to finish cleanly, and ends every worker (the resident one too).
   */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const worker of this.workers.keys()) worker.postMessage({ kind: 'cancel', reason: 'the server is stopping' } satisfies JobWorkerRequest);
    await Promise.all([...this.jobs]);
    if (this.resident) void this.resident.worker.terminate();
    await Promise.all([...this.workers.values()]);
  }

  /** Resolves when every job started so far has finished (tests, orderly shutdowns). */
  async idle(): Promise<void> {
    await Promise.all([...this.jobs]);
  }
}

/**
 * The worker runs job_worker beside this file: the compiled .js in a build, or the .ts source
 * (development and tests run under tsx, whose loader a worker thread does not inherit: register it).
 */
function startWorker(workerData: JobWorkerData): Worker {
  if (path.extname(__filename) !== '.ts') return new Worker(path.join(__dirname, 'job_worker.js'), { workerData });
  const entry = path.join(__dirname, 'job_worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
