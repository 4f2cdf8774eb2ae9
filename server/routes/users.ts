import { z } from 'zod';
import { route } from './types';
import { rangeOf } from '../data/scores_common';
import { isNoSources, scopeOrEmpty, scopeQuery } from './scope';

export const usersRoute = route({
  method: 'get',
  path: '/users',
  privilege: 'read',
  description: 'Users ranked by risk in a range: paged, sortable, searchable',
  validate: {
    query: scopeQuery.extend({
      page: z.coerce.number().int().min(1).default(1),
      perPage: z.coerce.number().int().min(1).max(500).default(25),
      sort: z.enum(['userRisk', 'maxZscore', 'flagged', 'events', 'user', 'lastSeen']).default('userRisk'),
      order: z.enum(['asc', 'desc']).default('desc'),
      search: z.string().max(200).optional(),
    }),
  },
  handler: async (ctx, { query }) => {
    const { page, perPage, sort, order, search } = query;
    const scope = await scopeOrEmpty(ctx, query);
    if (isNoSources(scope)) return { range: rangeOf(scope), threshold: scope.threshold, userRiskThreshold: scope.userRiskThreshold, total: 0, page, perPage, users: [] };
    return ctx.scores.users({ ...scope, page, perPage, sort, order, search: search || undefined });
  },
});
