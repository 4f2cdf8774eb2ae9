import { z } from 'zod';
import type { ModelsResponse } from '../../common/api';
import { HttpError, route } from './types';
import { compareNames } from '../data/scores_common';
import { ALL_TIME, sourceOf } from './scope';

export const modelsRoute = route({
  method: 'get',
  path: '/models',
  privilege: 'read',
  description: "A source's fingerprints: the generic model's versions and the users with models of their own (paged, searchable by key or name, sorted by name)",
  validate: {
    query: z.object({
      source: z.string().min(1).optional(),
      page: z.coerce.number().int().min(1).default(1),
      perPage: z.coerce.number().int().min(1).max(500).default(50),
      search: z.string().max(200).optional(),
    }),
  },
  handler: async (ctx, { query }): Promise<ModelsResponse> => {
    const settings = await ctx.settings.get();
    const { source, profile } = sourceOf(settings, query.source);
    const store = ctx.models(source);
    // Models know users by key, often an opaque id: names come from the users' scored events.
    const everScored = { source, profile, ...ALL_TIME, threshold: settings.zscoreThreshold };
    const needle = query.search?.toLowerCase();
    const byName = query.search ? new Set(await ctx.scores.usersMatching(everScored, query.search)) : null;
    const stored = (await store.list(profile.name)).filter((u) => !needle || u.user.toLowerCase().includes(needle) || byName?.has(u.user));
    const labels = await ctx.scores.userLabels(everScored, stored.map((u) => u.user));
    const byKey = (a: { user: string }, b: { user: string }): number => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0);
    const users = stored.map((u) => ({ ...u, ...(labels.has(u.user) ? { label: labels.get(u.user) } : {}) })).sort((a, b) => compareNames(a, b) || byKey(a, b));
    const start = (query.page - 1) * query.perPage;
    return {
      source: source.id,
      profile: profile.name,
      generic: await store.versions(profile.name, null),
      total: users.length,
      page: query.page,
      perPage: query.perPage,
      users: users.slice(start, start + query.perPage),
    };
  },
});

/** `user` absent: the generic model. */
const modelQuery = z.object({ source: z.string().min(1).optional(), user: z.string().min(1).optional() });

export const modelVersionsRoute = route({
  method: 'get',
  path: '/models/versions',
  privilege: 'read',
  description: "A user's (or, without user, the generic model's) stored versions with their metadata",
  validate: { query: modelQuery },
  handler: async (ctx, { query }) => {
    const { source, profile } = sourceOf(await ctx.settings.get(), query.source);
    return { source: source.id, user: query.user ?? null, versions: await ctx.models(source).versions(profile.name, query.user ?? null) };
  },
});

export const modelRollbackRoute = route({
  method: 'post',
  path: '/models/rollback',
  privilege: 'manage',
  description: 'Makes an earlier stored version the one that scores the user (or the generic model) until the next training',
  validate: { body: modelQuery.extend({ version: z.number().int().min(1) }) },
  handler: async (ctx, { body }) => {
    const { source, profile } = sourceOf(await ctx.settings.get(), body.source);
    const store = ctx.models(source);
    const user = body.user ?? null;
    const versions = await store.versions(profile.name, user);
    if (!versions.some((v) => v.version === body.version)) {
      throw new HttpError(404, `no version ${body.version} of ${user === null ? 'the generic model' : `user "${user}"`}; stored: ${versions.map((v) => v.version).join(', ') || 'none'}`);
    }
    await store.rollback(profile.name, user, body.version);
    return { source: source.id, user, versions: await store.versions(profile.name, user) };
  },
});

export const modelRetrainRoute = route({
  method: 'post',
  path: '/models/retrain',
  privilege: 'manage',
  description: "Retrains one user's fingerprint now, from the source's training window",
  validate: { body: z.object({ source: z.string().min(1).optional(), user: z.string().min(1) }) },
  handler: async (ctx, { body }) => {
    const { source } = sourceOf(await ctx.settings.get(), body.source);
    return ctx.jobs.start({ type: 'train', source: source.id, user: body.user });
  },
});
