import { route } from './types';
import { scopeOf, scopeQuery } from './scope';

export const overviewRoute = route({
  method: 'get',
  path: '/overview',
  privilege: 'read',
  description: 'Counts of scored and flagged events and users in a range, and events over time',
  validate: { query: scopeQuery },
  handler: async (ctx, { query }) => ctx.scores.overview(await scopeOf(ctx, query)),
});
