import { z } from 'zod';
import { currentStates, triageDecisionSchema, type TriageRecord, type TriageResponse } from '../../common/triage';
import { route } from './types';
import { sourceOf } from './scope';

const sourceParams = z.object({ source: z.string().min(1) });

export const triageRoute = route({
  method: 'get',
  path: '/sources/{source}/triage',
  privilege: 'read',
  description: "Analysts' triage decisions about a source's users and events (one user's with ?user=): the full history and each one's current state",
  validate: { params: sourceParams, query: z.object({ user: z.string().min(1).optional() }).strict() },
  handler: async (ctx, { params, query }): Promise<TriageResponse> => {
    const { source } = sourceOf(await ctx.settings.get(), params.source);
    const records = await ctx.triage.records(source.id, query.user);
    return { source: source.id, records, current: [...currentStates(records).values()] };
  },
});

export const addTriageRoute = route({
  method: 'post',
  path: '/sources/{source}/triage',
  privilege: 'triage',
  description:
    'Records a decision about a user or one of their events (open, investigating, benign, compromised; assignee, note): kept with who and when, never overwritten. Benign events are learned by the next training; a user marked compromised is not learned from `since` on',
  validate: { params: sourceParams, body: triageDecisionSchema },
  handler: async (ctx, { params, body }): Promise<TriageRecord> => {
    const { source } = sourceOf(await ctx.settings.get(), params.source);
    const { user, event, ...decision } = body;
    return ctx.triage.add({ target: { source: source.id, user, ...(event ? { event } : {}) }, ...decision, by: ctx.actor, at: new Date(ctx.now()).toISOString() });
  },
});
