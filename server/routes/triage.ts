import { z } from 'zod';
import { DEFAULTS } from '../../common/fields';
import { currentStates, triageDecisionSchema, type TriageRecord, type TriageResponse } from '../../common/triage';
import { patternOf } from '../engine/score/benign_suppression';
import { HttpError, route } from './types';
import { sourceOf } from './scope';

const sourceParams = z.object({ source: z.string().min(1) });
const DAY_MS = 86_400_000;

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
    'Records a decision about a user or one of their scored events (open, investigating, benign, compromised; assignee, note): kept with who and when, never overwritten. ' +
    'An event must exist among the source\'s scored events (404 otherwise); marked benign, its pattern (the values of its top features, read here from its scores) is not flagged for that user for `suppressDays` (default the server\'s setting, 30) and the next training learns it. ' +
    'A user marked compromised is not learned from `since` on',
  validate: { params: sourceParams, body: triageDecisionSchema },
  handler: async (ctx, { params, body }): Promise<TriageRecord> => {
    const { source, profile } = sourceOf(await ctx.settings.get(), params.source);
    const { user, event, suppressDays, ...decision } = body;
    const now = ctx.now();
    const record: TriageRecord = { target: { source: source.id, user, ...(event ? { event } : {}) }, ...decision, by: ctx.actor, at: new Date(now).toISOString() };
    if (event) {
      // The event as scored, read here: the pattern is never the browser's word.
      const found = await ctx.scores.scoredEvent({ source, profile, index: event.index, id: event.id });
      if (!found || found.user !== user) throw new HttpError(404, `no scored event ${JSON.stringify(`${event.index}/${event.id}`)} of user ${JSON.stringify(user)} in source "${source.id}"`);
      if (body.status === 'benign') {
        const pattern = patternOf(found.dfp);
        const days = suppressDays ?? ctx.benignDays ?? DEFAULTS.benignSuppressionDays;
        if (pattern.length > 0) Object.assign(record, { pattern, until: new Date(now + days * DAY_MS).toISOString() });
      }
    }
    return ctx.triage.add(record);
  },
});
