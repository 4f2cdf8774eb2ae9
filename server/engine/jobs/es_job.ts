import type { Client } from '@elastic/elasticsearch';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Lease, type LeaseInfo } from '../io/es/lease';
import { JobRuns, jobLeaseName, type JobRun, type JobType, type RunHandle } from '../io/es/job_runs';

export interface EsJobOptions {
  type: JobType;
  /** The source id the job works on: one lease and one run history per (type, source). */
  source: string;
  /** Who runs it, as shown to admins: e.g. `kibana:<host>:<pid>` or `cli:<host>:<pid>`. */
  holder?: string;
  stateIndex?: string;
  leaseTtlMs?: number;
  params?: Record<string, unknown>;
  /** Cancels the job from outside (Kibana stopping, an admin's cancel). */
  signal?: AbortSignal;
  /**
   * A scheduled firing's time (ISO): skip when a run of this job started at or after it. Every
   * Kibana instance fires the same schedule; the lease keeps their runs apart, this keeps the
   * later ones from repeating a run the first one already made.
   */
  firing?: string;
}

export interface EsJobContext {
  run: RunHandle;
  /** Aborted when the job is cancelled or its lease is lost: stop, and do not move checkpoints. */
  signal: AbortSignal;
}

export type EsJobOutcome<T> =
  | { status: 'succeeded'; run: JobRun; result: T }
  | { status: 'failed' | 'cancelled'; run: JobRun; error: Error }
  | { status: 'busy'; heldBy: LeaseInfo }
  | { status: 'skipped'; reason: string };

/** A default holder name: which machine and process, plus a random part so two runs never match. */
export function defaultHolder(kind: string): string {
  return `${kind}:${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Runs one job under the Elasticsearch lease for (type, source), so two processes (two Kibana
 * instances, or Kibana and the CLI) never run it at once: take the lease (or report who holds it),
 * record the run, keep the lease alive while `body` works, record the outcome, let go.
 */
export async function runEsJob<T>(
  client: Client,
  opts: EsJobOptions,
  body: (ctx: EsJobContext) => Promise<{ result: T; counts: Record<string, number>; message?: string }>,
): Promise<EsJobOutcome<T>> {
  const holder = opts.holder ?? defaultHolder('dfp');
  const acquired = await Lease.acquire(client, { index: opts.stateIndex, name: jobLeaseName(opts.type, opts.source), holder, ttlMs: opts.leaseTtlMs });
  if (!(acquired instanceof Lease)) return { status: 'busy', heldBy: acquired.heldBy };
  const lease = acquired;
  lease.keepAlive();
  const runs = new JobRuns(client, { index: opts.stateIndex });
  try {
    if (opts.firing !== undefined) {
      const latest = (await runs.list({ type: opts.type, source: opts.source, limit: 1 }))[0];
      if (latest && Date.parse(latest.startedAt) >= Date.parse(opts.firing)) {
        return { status: 'skipped', reason: `the firing at ${opts.firing} already ran (run ${latest.id} by ${latest.holder})` };
      }
    }
    const run = await runs.start(opts.type, opts.source, holder, opts.params);
    // Holding the lease means no one else is running this job: runs still marked running died.
    await runs.markAbandoned(opts.type, opts.source, run.id);
    const signal = opts.signal ? AbortSignal.any([lease.signal, opts.signal]) : lease.signal;
    try {
      const { result, counts, message } = await body({ run, signal });
      return { status: 'succeeded', run: await run.finish('succeeded', counts, message), result };
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const status = opts.signal?.aborted ? 'cancelled' : 'failed';
      run.error(error.message);
      return { status, run: await run.finish(status, undefined, error.message), error };
    }
  } finally {
    await lease.release();
  }
}
