/**
 * What the plugin needs from the job scheduler (node-cron schedules, job workers), and how route
 * handlers see its jobs: run records read with the caller's own client (an analyst who cannot
 * read the state index sees no runs through us either), starts and cancels through the scheduler.
 */
import type { Client } from '@elastic/elasticsearch';
import type { SourceConfig } from '../../common/source_config';
import type { EsConnection } from '../engine/io/es/client';
import { JobRuns } from '../engine/io/es/job_runs';
import type { JobControl } from '../job_control/job_control';
import { HttpError, type SettingsStore } from '../routes/types';
import type { DfpConfig } from '../config';
import type { Logger } from './types';

/** What the plugin gives the scheduler when Kibana starts. */
export interface SchedulerDeps {
  config: DfpConfig;
  logger: Logger;
  /** Names this Kibana instance in leases and job runs. */
  holder: string;
  /** Settings as in force (no request: the internal saved-objects repository). */
  settings: SettingsStore;
  /** Connection settings for a source's jobs in a worker thread: its API key (throws when it has none). */
  connectionFor(source: SourceConfig): Promise<EsConnection>;
  /** Kibana's client scoped to a source's API key, for work on this thread. */
  clientFor(source: SourceConfig): Promise<Client>;
  /**
   * Kibana's own identity: for Kibana's things only. It has no rights on users' data and may have
   * none on the plugin's indices (route handlers read job runs as their caller instead).
   */
  internalClient: Client;
}

export interface Scheduler {
  jobs: JobControl;
  /** Starts the schedules. */
  start(): void | Promise<void>;
  /** Re-plans after an admin changed the settings through this instance. */
  refresh?(): Promise<void>;
  /** Stops the schedules and the running jobs, resolving once they ended. */
  stop(): Promise<void>;
}

export type SchedulerFactory = (deps: SchedulerDeps) => Scheduler;

/** The jobs a route handler sees for one request. */
export function jobsForRequest(scheduler: Scheduler | undefined, client: Client, stateIndex: string, username: string | undefined): JobControl {
  const runs = new JobRuns(client, { index: stateIndex });
  return {
    available: scheduler?.jobs.available ?? false,
    list: (filter) => runs.list(filter),
    get: (id) => runs.get(id),
    start: async (req) => {
      if (!scheduler) throw new HttpError(503, 'the job scheduler is not running in this Kibana instance');
      return scheduler.jobs.start({ ...req, requestedBy: req.requestedBy ?? username });
    },
    cancel: async (runId) => (scheduler ? scheduler.jobs.cancel(runId) : false),
  };
}
