import type { SourceStatus, StatusResponse } from '../../common/api';
import { profileOfSource } from '../engine/profiles';
import { route } from './types';

export const statusRoute = route({
  method: 'get',
  path: '/status',
  privilege: 'read',
  description: 'Per source: last train and score runs, running jobs, models, and how far scoring lags behind the newest data',
  validate: {},
  handler: async (ctx): Promise<StatusResponse> => {
    const settings = await ctx.settings.get();
    const sources: SourceStatus[] = [];
    for (const source of settings.sources) {
      const profile = profileOfSource(source);
      const runs = ctx.jobs.available ? await ctx.jobs.list({ source: source.id, limit: 50 }) : [];
      const { newestEvent, scoredUpTo } = await ctx.sourceStatus(source);
      const store = ctx.models(source);
      sources.push({
        source: source.id,
        writeMode: source.writeMode,
        lastRuns: { train: runs.find((r) => r.type === 'train') ?? null, score: runs.find((r) => r.type === 'score') ?? null },
        running: runs.filter((r) => r.status === 'running'),
        newestEvent,
        scoredUpTo,
        lagSeconds: newestEvent && scoredUpTo ? Math.max(0, (Date.parse(newestEvent) - Date.parse(scoredUpTo)) / 1000) : null,
        usersWithModels: (await store.list(profile.name)).length,
        genericModel: (await store.latestVersion(profile.name, null)) > 0,
      });
    }
    const encryption = await ctx.encryption?.();
    return { jobsAvailable: ctx.jobs.available, sources, ...(encryption ? { encryption } : {}) };
  },
});
