import cron, { type ScheduledTask } from 'node-cron';
import type { DfpSettings } from '../../common/api';
import type { JobType } from '../../common/jobs';
import { HttpError, type SettingsStore } from '../routes/types';
import type { JobControl } from './job_control';

/**
 * Fires each source's train and score jobs on the schedules in the settings. Every Kibana instance
 * runs a scheduler; the job's Elasticsearch lease makes exactly one of them run each firing, and
 * the others hear "already running" (a 409), which is not an error here.
 */
export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private planned = '';
  private watcher?: NodeJS.Timeout;

  constructor(
    private readonly jobs: JobControl,
    private readonly settings: SettingsStore,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** (Re)plans from the settings now in force; cheap when nothing changed. Call after settings change. */
  async refresh(): Promise<void> {
    const settings = await this.settings.get();
    const plan = JSON.stringify({ schedules: settings.schedules, sources: settings.sources.map((s) => s.id) });
    if (plan === this.planned) return;
    this.stopTasks();
    this.planned = plan;
    for (const source of settings.sources) {
      for (const type of ['train', 'score'] as const) this.tasks.push(cron.schedule(scheduleOf(settings, type), () => void this.fire(type, source.id)));
    }
    this.log(`scheduled ${settings.sources.length} sources: train "${settings.schedules.train}", score "${settings.schedules.score}"`);
  }

  /**
   * Re-reads the settings every `intervalMs`: an admin's change reaches the instance that served it
   * at once (it calls refresh), and every other instance within the interval.
   */
  watch(intervalMs = 60_000): void {
    clearInterval(this.watcher);
    this.watcher = setInterval(() => {
      this.refresh().catch((e: unknown) => this.log(`could not re-read the schedules: ${(e as Error).message}`));
    }, intervalMs);
    this.watcher.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.watcher);
    this.watcher = undefined;
    this.stopTasks();
    this.planned = '';
  }

  private async fire(type: JobType, source: string): Promise<void> {
    // Cron fires on whole seconds; every instance names the firing alike (given clocks in step).
    const firing = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
    try {
      const { runId } = await this.jobs.start({ type, source, requestedBy: 'schedule', firing });
      this.log(`scheduled ${type} of ${source} started (run ${runId})`);
    } catch (e) {
      if (e instanceof HttpError && e.statusCode === 409) this.log(`scheduled ${type} of ${source} skipped: ${e.message}`);
      else this.log(`scheduled ${type} of ${source} could not start: ${(e as Error).message}`);
    }
  }

  private stopTasks(): void {
    for (const t of this.tasks) void t.stop();
    this.tasks = [];
  }
}

function scheduleOf(settings: DfpSettings, type: JobType): string {
  return type === 'train' ? settings.schedules.train : settings.schedules.score;
}
