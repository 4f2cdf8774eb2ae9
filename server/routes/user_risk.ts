import { z } from 'zod';
import type { UserRiskResponse } from '../../common/api';
import { route } from './types';
import { scopeOf, scopeQuery } from './scope';

export const userRiskRoute = route({
  method: 'get',
  path: '/users/{user}/risk',
  privilege: 'read',
  public: true,
  description: "A user's risk in a range, for automation: events, flagged events, the highest dfp.zscore and the worst events",
  validate: { params: z.object({ user: z.string().min(1) }), query: scopeQuery },
  handler: async (ctx, { params, query }): Promise<UserRiskResponse> => {
    const scope = await scopeOf(ctx, query);
    const worst = await ctx.scores.userEvents({ ...scope, user: params.user, page: 1, perPage: 5, sort: 'zscore', order: 'desc' });
    const flagged = await ctx.scores.userEvents({ ...scope, user: params.user, page: 1, perPage: 1, sort: 'zscore', order: 'desc', onlyFlagged: true });
    return {
      user: params.user,
      source: scope.source.id,
      range: worst.range,
      threshold: scope.threshold,
      events: worst.total,
      flagged: flagged.total,
      maxZscore: worst.events[0]?.dfp.zscore ?? null,
      worst: worst.events,
    };
  },
});
