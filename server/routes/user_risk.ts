import { z } from 'zod';
import type { UserRiskResponse } from '../../common/api';
import { route } from './types';
import { assertKnownUser, scopeOf, scopeQuery } from './scope';
import { isUserFlagged, userRiskThresholdOf } from '../data/scores_common';
import { riskLevel } from '../../common/risk_level';

export const userRiskRoute = route({
  method: 'get',
  path: '/users/{user}/risk',
  privilege: 'read',
  public: true,
  description: "A user's risk in a range, for automation: events, flagged events, the highest dfp.zscore and dfp.user_risk, and the worst events; 404 for a user with no model and no scored event",
  validate: { params: z.object({ user: z.string().min(1) }), query: scopeQuery },
  handler: async (ctx, { params, query }): Promise<UserRiskResponse> => {
    const scope = await scopeOf(ctx, query);
    await assertKnownUser(ctx, scope, params.user);
    const worst = await ctx.scores.userEvents({ ...scope, user: params.user, page: 1, perPage: 5, sort: 'zscore', order: 'desc' });
    const flagged = await ctx.scores.userEvents({ ...scope, user: params.user, page: 1, perPage: 1, sort: 'zscore', order: 'desc', onlyFlagged: true });
    const riskiest = await ctx.scores.userEvents({ ...scope, user: params.user, page: 1, perPage: 1, sort: 'userRisk', order: 'desc' });
    const userRisk = riskiest.events[0]?.dfp.user_risk ?? null;
    const userRiskThreshold = userRiskThresholdOf(scope);
    return {
      user: params.user,
      source: scope.source.id,
      range: worst.range,
      threshold: scope.threshold,
      events: worst.total,
      flagged: flagged.total,
      maxZscore: worst.events[0]?.dfp.zscore ?? null,
      userRisk,
      userRiskThreshold,
      userFlagged: isUserFlagged(userRisk, userRiskThreshold),
      worst: worst.events,
      risk: userRisk === null ? null : riskLevel(userRisk, userRiskThreshold),
    };
  },
});
