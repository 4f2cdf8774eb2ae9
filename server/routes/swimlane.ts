import { z } from 'zod';
import type { SwimlaneResponse } from '../../common/api';
import { bucketStarts, overviewInterval, rangeOf } from '../data/scores_common';
import { route } from './types';
import { isNoSources, scopeOrEmpty, scopeQuery } from './scope';

export const swimlaneRoute = route({
  method: 'get',
  path: '/swimlane',
  privilege: 'read',
  description: 'Users × time: the top users by risk, and per time bucket their highest risk (0–100) and z-score',
  validate: {
    query: scopeQuery.extend({
      users: z.coerce.number().int().min(1).max(100).default(10),
      buckets: z.coerce.number().int().min(1).max(100).default(48),
    }),
  },
  handler: async (ctx, { query }): Promise<SwimlaneResponse> => {
    const { users, buckets } = query;
    const scope = await scopeOrEmpty(ctx, query);
    if (!isNoSources(scope)) return ctx.scores.swimlane({ ...scope, users, buckets });
    const interval = overviewInterval(scope.from, scope.to, buckets);
    const starts = bucketStarts(scope.from, scope.to, interval.ms).map((t) => new Date(t).toISOString());
    return { range: rangeOf(scope), threshold: scope.threshold, userRiskThreshold: scope.userRiskThreshold, interval: interval.label, intervalMs: interval.ms, buckets: starts, users: [] };
  },
});
