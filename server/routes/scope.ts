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
  return { source, profile, ...rangeOfQuery(ctx, q), threshold: settings.zscoreThreshold, userRiskThreshold: settings.userRiskThreshold, settings };
}

/**
 * The scope, or the empty scope of a deployment with no sources yet (none configured, none named):
 * a new install is an empty state the app explains, not an error. The range is checked all the same.
 */
export async function scopeOrEmpty(ctx: RouteContext, q: ScopeQuery): Promise<(ScoresQuery & { settings: DfpSettings }) | NoSources> {
  const settings = await ctx.settings.get();
  if (settings.sources.length > 0 || q.source !== undefined) return scopeOf(ctx, q);
  return { noSources: true, ...rangeOfQuery(ctx, q), threshold: settings.zscoreThreshold, userRiskThreshold: settings.userRiskThreshold };
}

export interface NoSources {
  noSources: true;
  from: number;
  to: number;
  threshold: number;
  userRiskThreshold: number;
}

export function isNoSources(scope: object): scope is NoSources {
  return 'noSources' in scope;
}

function rangeOfQuery(ctx: RouteContext, q: ScopeQuery): { from: number; to: number } {
  const now = ctx.now();
  const from = parseDateMath(q.from, now);
  const to = parseDateMath(q.to, now, true);
  if (from === null) throw new HttpError(400, `[from]: "${q.from}" is not a date (ISO, epoch ms, or date math such as now-24h)`);
  if (to === null) throw new HttpError(400, `[to]: "${q.to}" is not a date (ISO, epoch ms, or date math such as now)`);
  if (from >= to) throw new HttpError(400, `[from] must be before [to] (${new Date(from).toISOString()} >= ${new Date(to).toISOString()})`);
  return { from, to };
}

/** A user's events at any time (from the epoch: the stores filter on epoch milliseconds). */
export const ALL_TIME = { from: 0, to: Date.UTC(9999, 11, 31) };

/**
 * A 404 for a user the source has never heard of: no model of their own and no scored event at
 * any time (a mistyped or stale link). A known user with nothing in the range is not an error.
 */
export async function assertKnownUser(ctx: RouteContext, scope: ScoresQuery, user: string): Promise<void> {
  if ((await ctx.models(scope.source).latestVersion(scope.profile.name, user)) > 0) return;
  const any = await ctx.scores.userEvents({ ...scope, ...ALL_TIME, user, page: 1, perPage: 1, sort: 'time', order: 'desc' });
  if (any.total === 0) throw new HttpError(404, `no such user "${user}" in source "${scope.source.id}": no model and no scored event`);
}
