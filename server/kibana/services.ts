/**
 * The real services the plugin runs with in Kibana: the route table, scored events from
 * Elasticsearch, and the scheduler (node-cron schedules firing jobs in worker threads).
 */
import { EsScoresReader } from '../data/es_scores_reader';
import { Scheduler as Schedules } from '../job_control/scheduler';
import { WorkerJobControl } from '../job_control/worker_job_control';
import { ROUTES } from '../routes';
import type { DfpPluginServices } from '../plugin';
import type { SchedulerFactory } from './scheduler_contract';
import type { ConfigSchemaApi } from './types';

export const workerScheduler: SchedulerFactory = (deps) => {
  const log = (line: string): void => deps.logger.info(line);
  const jobs = new WorkerJobControl({
    // Only its own list/get read with this client; Kibana's handlers read runs as their caller.
    client: deps.internalClient,
    settings: deps.settings,
    connectionFor: deps.connectionFor,
    holder: deps.holder,
    indexPrefix: deps.config.indexPrefix,
    backend: deps.config.backend,
    maxWorkers: deps.config.workers,
    log,
  });
  const schedules = new Schedules(jobs, deps.settings, log);
  return {
    jobs,
    start: async () => {
      await schedules.refresh();
      schedules.watch();
    },
    refresh: () => schedules.refresh(),
    stop: async () => {
      await schedules.stop();
      await jobs.stop();
    },
  };
};

export function kibanaServices(schema: ConfigSchemaApi): DfpPluginServices {
  return { schema, routes: ROUTES, scoresReader: (client) => new EsScoresReader(client), scheduler: workerScheduler };
}
