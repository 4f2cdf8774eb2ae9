import type { JobRun, JobType, RunFilter } from '../engine/io/es/job_runs';

export interface StartJobRequest {
  type: JobType;
  /** Source id. */
  source: string;
  /** Retrain just this user (train jobs only). */
  user?: string;
  /** Who asked (a Kibana username), recorded with the run. */
  requestedBy?: string;
  /** Set by the scheduler: the firing's time, so that one firing runs once across instances. */
  firing?: string;
}

/**
 * Jobs as the API sees them: the scheduler's runs in Kibana, or none where there is no
 * Elasticsearch to keep them (the standalone server over files).
 */
export interface JobControl {
  readonly available: boolean;
  list(filter?: RunFilter): Promise<JobRun[]>;
  get(id: string): Promise<JobRun | null>;
  /** Starts a job in the background; resolves once its run is recorded. A job already running → HttpError 409. */
  start(req: StartJobRequest): Promise<{ runId: string }>;
  /** Asks a running job to stop; false when it is not running here. */
  cancel(runId: string): Promise<boolean>;
}
