/** Job runs as the API and the app describe them. */

export type JobType = 'train' | 'score';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'abandoned';
export type FinalStatus = Exclude<RunStatus, 'running' | 'abandoned'>;

export interface RunProgress {
  phase: string;
  done: number;
  total: number;
}

export interface JobRun {
  id: string;
  type: JobType;
  /** The source (profile) the job reads, e.g. `azure-signin`. */
  source: string;
  /** The lease holder that runs it. */
  holder: string;
  status: RunStatus;
  startedAt: string;
  endedAt?: string;
  progress: RunProgress;
  counts: Record<string, number>;
  /** The first 50 error messages. */
  errors: string[];
  /** How many error messages were not kept beyond the first 50. */
  errorsDropped?: number;
  message?: string;
  params?: Record<string, unknown>;
}
