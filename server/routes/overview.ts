import type { OverviewResponse } from '../../common/api';
import { overviewInterval, rangeOf } from '../data/scores_common';
import { route } from './types';
import { isNoSources, scopeOrEmpty, scopeQuery } from './scope';

export const overviewRoute = route({
  method: 'get',
  path: '/overview',
  privilege: 'read',
  description: 'Counts of scored and flagged events and users in a range, and events over time',
  validate: { query: scopeQuery },
  handler: async (ctx, { query }): Promise<OverviewResponse> => {
    const scope = await scopeOrEmpty(ctx, query);
    if (!isNoSources(scope)) return ctx.scores.overview(scope);
    const totals = { events: 0, scored: 0, errors: 0, flagged: 0, tsFlagged: 0, users: 0, flaggedUsers: 0, suppressed: 0 };
    return { range: rangeOf(scope), threshold: scope.threshold, totals, overTime: [], interval: overviewInterval(scope.from, scope.to).label };
  },
});
