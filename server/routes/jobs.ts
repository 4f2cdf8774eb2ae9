import { z } from 'zod';
import { HttpError, route } from './types';
import { sourceOf } from './scope';

export const jobsRoute = route({
  method: 'get',
  path: '/jobs',
  privilege: 'read',
  description: 'Job runs, newest first: running ones with their progress, and history with counts and errors',
  validate: {
    query: z.object({
      source: z.string().min(1).optional(),
      type: z.enum(['train', 'score']).optional(),
      status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'abandoned']).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
  },
  handler: async (ctx, { query }) => ({ available: ctx.jobs.available, runs: ctx.jobs.available ? await ctx.jobs.list(query) : [] }),
});

export const jobRoute = route({
  method: 'get',
  path: '/jobs/{id}',
  privilege: 'read',
  public: true,
  description: "One job run: status, progress, counts, errors",
  validate: { params: z.object({ id: z.string().min(1) }) },
  handler: async (ctx, { params }) => {
    const run = ctx.jobs.available ? await ctx.jobs.get(params.id) : null;
    if (!run) throw new HttpError(404, `no job run "${params.id}"`);
    return run;
  },
});

export const startJobRoute = route({
  method: 'post',
  path: '/jobs',
  privilege: 'manage',
  public: true,
  description: 'Starts a train or score job for a source now; 409 when that job is already running',
  validate: { body: z.object({ type: z.enum(['train', 'score']), source: z.string().min(1).optional() }) },
  handler: async (ctx, { body }) => {
    if (!ctx.jobs.available) throw new HttpError(409, 'jobs need Elasticsearch: this server reads scored files only');
    const { source } = sourceOf(await ctx.settings.get(), body.source);
    return ctx.jobs.start({ type: body.type, source: source.id });
  },
});

export const cancelJobRoute = route({
  method: 'post',
  path: '/jobs/{id}/cancel',
  privilege: 'manage',
  public: true,
  description: 'Asks a running job to stop (it stops between users or pages, keeping what it finished)',
  validate: { params: z.object({ id: z.string().min(1) }) },
  handler: async (ctx, { params }) => {
    if (!ctx.jobs.available || !(await ctx.jobs.cancel(params.id))) throw new HttpError(404, `no running job "${params.id}" on this server`);
    return { cancelled: params.id };
  },
});
