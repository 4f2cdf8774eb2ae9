import { z } from 'zod';
import { parseDateMath } from '../../common/date_math';
import type { DfpSettings } from '../../common/api';
import type { SourceConfig } from '../../common/source_config';
import { type Profile, profileOfSource } from '../engine/profiles';
import type { ScoresQuery } from '../data/scores_reader';
import { HttpError, type RouteContext } from './types';

/** Query parameters that say which source and time range a question is about. */
export const scopeQuery = z.object({
  source: z.string().min(1).optional(),
  from: z.string().min(1).default('now-24h'),
  to: z.string().min(1).default('now'),
});
export type ScopeQuery = z.output<typeof scopeQuery>;

/** The source a request names (or the first configured one), with its profile. */
export function sourceOf(settings: DfpSettings, id: string | undefined): { source: SourceConfig; profile: Profile } {
  if (settings.sources.length === 0) throw new HttpError(409, 'no sources are configured: an admin adds one in the settings');
  const source = id === undefined ? settings.sources[0] : settings.sources.find((s) => s.id === id);
  if (!source) throw new HttpError(404, `unknown source "${id}"; configured: ${settings.sources.map((s) => s.id).join(', ')}`);
  return { source, profile: profileOfSource(source) };
}

/** A request's source, range and threshold as a ScoresQuery; bad dates are a 400 naming the parameter. */
export async function scopeOf(ctx: RouteContext, q: ScopeQuery): Promise<ScoresQuery & { settings: DfpSettings }> {
  const settings = await ctx.settings.get();
  const { source, profile } = sourceOf(settings, q.source);
  const now = ctx.now();
  const from = parseDateMath(q.from, now);
  const to = parseDateMath(q.to, now, true);
  if (from === null) throw new HttpError(400, `[from]: "${q.from}" is not a date (ISO, epoch ms, or date math such as now-24h)`);
  if (to === null) throw new HttpError(400, `[to]: "${q.to}" is not a date (ISO, epoch ms, or date math such as now)`);
  if (from >= to) throw new HttpError(400, `[from] must be before [to] (${new Date(from).toISOString()} >= ${new Date(to).toISOString()})`);
  return { source, profile, from, to, threshold: settings.zscoreThreshold, userRiskThreshold: settings.userRiskThreshold, settings };
}
