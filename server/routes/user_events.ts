import { z } from 'zod';
import { route } from './types';
import { scopeOf, scopeQuery } from './scope';

export const userEventsRoute = route({
  method: 'get',
  path: '/users/{user}/events',
  privilege: 'read',
  description: "One user's scored events with per-feature z, values seen and predictions",
  validate: {
    params: z.object({ user: z.string().min(1) }),
    query: scopeQuery.extend({
      page: z.coerce.number().int().min(1).default(1),
      perPage: z.coerce.number().int().min(1).max(500).default(25),
      sort: z.enum(['time', 'zscore']).default('zscore'),
      order: z.enum(['asc', 'desc']).default('desc'),
      onlyFlagged: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    }),
  },
  handler: async (ctx, { params, query }) => {
    const { page, perPage, sort, order, onlyFlagged } = query;
    return ctx.scores.userEvents({ ...(await scopeOf(ctx, query)), user: params.user, page, perPage, sort, order, onlyFlagged });
  },
});
