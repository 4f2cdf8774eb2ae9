import { z } from 'zod';
import { HttpError, route, type RouteContext } from './types';
import { sourceOf } from './scope';

function keysOf(ctx: RouteContext): NonNullable<RouteContext['sourceKeys']> {
  if (!ctx.sourceKeys) throw new HttpError(404, "API keys for background jobs exist only in Kibana with security enabled; this server's jobs run with its own credentials");
  return ctx.sourceKeys;
}

const sourceParams = z.object({ source: z.string().min(1) });

export const sourceKeyRoute = route({
  method: 'get',
  path: '/sources/{source}/key',
  privilege: 'manage',
  description: "Whose API key a source's background jobs run with, and since when",
  validate: { params: sourceParams },
  handler: async (ctx, { params }) => {
    const { source } = sourceOf(await ctx.settings.get(), params.source);
    return { source: source.id, key: await keysOf(ctx).info(source.id) };
  },
});

export const renewSourceKeyRoute = route({
  method: 'post',
  path: '/sources/{source}/key/renew',
  privilege: 'manage',
  description: "Grants a new API key for a source's jobs in the calling admin's name (their privileges from now on) and invalidates the old one",
  validate: { params: sourceParams },
  handler: async (ctx, { params }) => {
    const { source } = sourceOf(await ctx.settings.get(), params.source);
    const key = await keysOf(ctx).renew(source.id);
    if (!key) throw new HttpError(409, 'no key was granted: Kibana security is off, so jobs need no key');
    return { source: source.id, key };
  },
});
