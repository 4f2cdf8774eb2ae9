/**
 * Job runs in the state index, for the UI and for audits: one document per train or score run
 * (`run:<uuid>`), written when it starts, while it progresses (throttled), and when it ends.
 *
 * - Visibility: start, finish and markAbandoned write with `refresh: wait_for`, so a `list` right
 *   after them sees the run and its status. Progress writes do not wait; `get` (realtime) sees them
 *   at once, `list` after the index's next refresh.
 * - Ordering: every write of a run is conditional on the run's last write, and `finish` waits for
 *   any progress write in flight before its own; no progress write starts after `finish`. So a
 *   progress write never lands over a final status, and a run marked abandoned by another process
 *   is never silently set back to running.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { esStatus } from './errors';
import { Lease, leaseExpired } from './lease';
import { withRetry } from './retry';
import { CONFLICT, DEFAULT_STATE_INDEX, StateDocWriter, readStateDoc, writeStateDoc } from './state_index';

import type { FinalStatus, JobRun, JobType, RunProgress, RunStatus } from '../../../../common/jobs';
import { requireWhole, WHOLE_RESULTS } from './whole_search';

export type { FinalStatus, JobRun, JobType, RunProgress, RunStatus };

export interface RunHandle {
  readonly id: string;
  /** Records progress (counts are merged by key); written at most every progressIntervalMs. Never throws. */
  progress(p: RunProgress, counts?: Record<string, number>): void;
  /** Records an error message (the first MAX_RUN_ERRORS are kept); written with the next progress. */
  error(message: string): void;
  /** Writes the final status after any progress write in flight; throws when the run document was
   *  changed by another process (marked abandoned) or cannot be written. */
  finish(status: FinalStatus, counts?: Record<string, number>, message?: string): Promise<JobRun>;
}

export interface JobRunsOptions {
  /** State index. Default `.dfp-state`. */
  index?: string;
  /** Least time between two progress writes of one run. Default 2000. */
  progressIntervalMs?: number;
  /** Wall clock for the run's timestamps and lease expiry checks. Default `Date.now`. */
  now?: () => number;
  /** Told about progress writes that failed (the run goes on; the next write carries the state). */
  onError?: (e: Error) => void;
}

export interface RunFilter {
  type?: JobType;
  source?: string;
  status?: RunStatus;
  /** Default 50, at most 10,000. */
  limit?: number;
}

export const MAX_RUN_ERRORS = 50;
export const DEFAULT_PROGRESS_INTERVAL_MS = 2000;
const DEFAULT_LIST_LIMIT = 50;
const MAX_LIST_LIMIT = 10_000;

/** The lease a job holds while it runs: one per job type and source. */
export const jobLeaseName = (type: JobType, source: string): string => `${type}:${source}`;

const iso = (ms: number): string => new Date(ms).toISOString();

export class JobRuns {
  private readonly index: string;
  private readonly progressIntervalMs: number;
  private readonly now: () => number;
  private readonly onError?: (e: Error) => void;

  constructor(
    private readonly client: Client,
    opts: JobRunsOptions = {},
  ) {
    this.index = opts.index ?? DEFAULT_STATE_INDEX;
    this.progressIntervalMs = opts.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError;
  }

  /** Records a new run as `running` (visible to `list` on return). */
  async start(type: JobType, source: string, holder: string, params?: Record<string, unknown>): Promise<RunHandle> {
    const run: JobRun = {
      id: randomUUID(),
      type,
      source,
      holder,
      status: 'running',
      startedAt: iso(this.now()),
      progress: { phase: 'starting', done: 0, total: 0 },
      counts: {},
      errors: [],
      ...(params ? { params } : {}),
    };
    const doc = new StateDocWriter<JobRun>(this.client, this.index, 'run', run.id, null);
    if ((await doc.write(run, { refresh: 'wait_for' })) === CONFLICT) throw new Error(`job run ${run.id} already exists in ${this.index}`); // a uuid collision
    return new RunWriter(run, doc, this.progressIntervalMs, this.now, this.onError);
  }

  /** Runs, newest first. */
  async list(filter: RunFilter = {}): Promise<JobRun[]> {
    const limit = Math.min(Math.max(1, filter.limit ?? DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT);
    const terms: Record<string, unknown>[] = [{ term: { type: 'run' } }];
    if (filter.type) terms.push({ term: { 'run.type': filter.type } });
    if (filter.source) terms.push({ term: { 'run.source': filter.source } });
    if (filter.status) terms.push({ term: { 'run.status': filter.status } });
    return this.search(terms, [], limit, 'list job runs');
  }

  async get(id: string): Promise<JobRun | null> {
    return (await readStateDoc<JobRun>(this.client, this.index, 'run', id))?.value ?? null;
  }

  /**
   * Marks as `abandoned` the runs of this job still `running` (other than `exceptRunId`) whose
   * holder no longer holds the job's lease: their process died or lost the lease without finishing.
   * A run whose holder still holds an unexpired lease is left alone, even when that holder is the
   * caller. Returns how many runs were marked.
   */
  async markAbandoned(type: JobType, source: string, exceptRunId: string): Promise<number> {
    const candidates = await this.search(
      [{ term: { type: 'run' } }, { term: { 'run.type': type } }, { term: { 'run.source': source } }, { term: { 'run.status': 'running' } }],
      [{ term: { 'run.id': exceptRunId } }],
      MAX_LIST_LIMIT,
      `find running ${type} runs of ${source}`,
    );
    if (candidates.length === 0) return 0;
    const leaseName = jobLeaseName(type, source);
    const lease = await Lease.read(this.client, leaseName, this.index);
    const t = this.now();
    let marked = 0;
    for (const candidate of candidates) {
      if (lease && lease.holder === candidate.holder && !leaseExpired(lease, t)) continue;
      // Search shows the last refresh; decide on the realtime document and write only over it.
      const doc = await readStateDoc<JobRun>(this.client, this.index, 'run', candidate.id);
      if (!doc || doc.value.status !== 'running') continue;
      const why = lease
        ? leaseExpired(lease, t)
          ? `its lease "${leaseName}" expired at ${lease.expiresAt}`
          : `lease "${leaseName}" is now held by ${lease.holder}`
        : `lease "${leaseName}" is not held`;
      const abandoned: JobRun = {
        ...doc.value,
        status: 'abandoned',
        endedAt: iso(t),
        message: `abandoned: holder ${doc.value.holder} stopped without finishing (${why})`,
      };
      const written = await writeStateDoc(this.client, this.index, 'run', abandoned.id, abandoned, doc, { refresh: 'wait_for' });
      // A conflict means its holder just wrote to it: alive after all.
      if (written !== CONFLICT) marked++;
    }
    return marked;
  }

  private async search(filter: Record<string, unknown>[], mustNot: Record<string, unknown>[], size: number, what: string): Promise<JobRun[]> {
    return withRetry(`${what} in ${this.index}`, async () => {
      try {
        const res = await this.client.search<{ run: JobRun }>({
          index: this.index,
          ...WHOLE_RESULTS, // a running run missing from a partial answer would never be marked abandoned
          size,
          query: { bool: { filter, ...(mustNot.length ? { must_not: mustNot } : {}) } },
          // Newest first; the id only makes the order of runs started in the same millisecond stable.
          sort: [{ 'run.startedAt': { order: 'desc' } }, { 'run.id': { order: 'asc' } }],
          track_total_hits: false,
        });
        return requireWhole(res, `${what} in ${this.index}`).hits.hits.flatMap((h) => (h._source ? [h._source.run] : []));
      } catch (e) {
        if (esStatus(e) === 404) return []; // no state index yet: no runs
        throw e;
      }
    });
  }
}

/** One run's writes: throttled progress, then the final status. */
class RunWriter implements RunHandle {
  private lastWriteAt = 0;
  private timer?: NodeJS.Timeout;
  /** The chain of progress writes; finish waits on it. */
  private writing: Promise<void> = Promise.resolve();
  private dirty = false;
  private finished = false;
  /** Set when another process changed the run: progress stops being written. */
  private changedElsewhere = false;

  constructor(
    private readonly run: JobRun,
    /** The run document's writes: a progress write that threw may still have landed. */
    private readonly doc: StateDocWriter<JobRun>,
    private readonly intervalMs: number,
    private readonly now: () => number,
    private readonly onError?: (e: Error) => void,
  ) {}

  get id(): string {
    return this.run.id;
  }

  progress(p: RunProgress, counts?: Record<string, number>): void {
    if (this.finished) return;
    this.run.progress = { phase: p.phase, done: p.done, total: p.total };
    if (counts) Object.assign(this.run.counts, counts);
    this.schedule();
  }

  error(message: string): void {
    if (this.finished) return;
    if (this.run.errors.length < MAX_RUN_ERRORS) this.run.errors.push(message);
    else this.run.errorsDropped = (this.run.errorsDropped ?? 0) + 1;
    this.schedule();
  }

  async finish(status: FinalStatus, counts?: Record<string, number>, message?: string): Promise<JobRun> {
    if (this.finished) throw new Error(`job run ${this.run.id} is already finished`);
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    if (counts) Object.assign(this.run.counts, counts);
    const final: JobRun = { ...this.run, status, endedAt: iso(this.now()), ...(message !== undefined ? { message } : {}) };
    const written = await this.doc.write(final, { refresh: 'wait_for' });
    if (written === CONFLICT) {
      const now = await this.doc.read().catch(() => null);
      throw new Error(
        `job run ${final.id} was changed by another process (now ${now ? `'${now.value.status}'${now.value.message ? `: ${now.value.message}` : ''}` : 'deleted'}); its final status '${status}' was not written`,
      );
    }
    return final;
  }

  /** Writes at once when the last write is at least intervalMs old, else once it is. */
  private schedule(): void {
    this.dirty = true;
    if (this.timer || this.changedElsewhere) return;
    const wait = Math.max(0, this.lastWriteAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.writeProgress());
    }, wait);
    // A run's pending progress write must not keep a finished process alive.
    this.timer.unref();
  }

  private async writeProgress(): Promise<void> {
    if (this.finished || !this.dirty || this.changedElsewhere) return;
    this.dirty = false;
    this.lastWriteAt = Date.now();
    // A copy: progress() may change the run while this write is in flight.
    const snapshot: JobRun = structuredClone(this.run);
    try {
      // No retry: a failed progress write is reported, and the next one (or finish) carries the state.
      const written = await this.doc.write(snapshot, { retry: { retries: 0 } });
      if (written === CONFLICT) {
        this.changedElsewhere = true;
        this.onError?.(new Error(`job run ${snapshot.id} was changed by another process; its progress is no longer written`));
      }
    } catch (e) {
      this.onError?.(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
