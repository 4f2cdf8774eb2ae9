import { z } from 'zod';
import cron from 'node-cron';
import { sourceConfigSchema } from '../../common/source_config';
import { resolveProfile } from '../engine/profiles';
import { HttpError, route } from './types';

export const getSettingsRoute = route({
  method: 'get',
  path: '/settings',
  privilege: 'read',
  description: 'Thresholds, schedules and sources in force',
  validate: {},
  handler: async (ctx) => ctx.settings.get(),
});

const cronExpression = z.string().refine((v) => cron.validate(v), { message: 'not a cron expression (e.g. "*/5 * * * *")' });

export const settingsPatch = z
  .object({
    zscoreThreshold: z.number().positive().max(1000),
    tsThreshold: z.number().positive().max(1000),
    userRiskThreshold: z.number().positive().max(100_000),
    minHistory: z.number().int().min(1).max(1_000_000),
    schedules: z.object({ train: cronExpression, score: cronExpression }).strict(),
    sources: z.array(sourceConfigSchema),
  })
  .strict()
  .partial();

export const updateSettingsRoute = route({
  method: 'put',
  path: '/settings',
  privilege: 'manage',
  description: 'Changes thresholds, schedules or sources; a new threshold changes which events count as flagged at once',
  validate: { body: settingsPatch },
  handler: async (ctx, { body }) => {
    if (body.sources) {
      const ids = body.sources.map((s) => s.id);
      const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
      if (twice.length > 0) throw new HttpError(400, `[sources]: source ids must be unique; repeated: ${[...new Set(twice)].join(', ')}`);
      body.sources.forEach((s, i) => {
        try {
          resolveProfile(s.profile);
        } catch (e) {
          throw new HttpError(400, `[sources.${i}.profile]: ${(e as Error).message}`);
        }
      });
    }
    return ctx.settings.update(body);
  },
});
