import { z } from 'zod';
import type { FingerprintResponse } from '../../common/api';
import { schemaOf } from '../engine/features/frame';
import { summarizeColumn } from '../engine/features/summary';
import type { FingerprintJson } from '../engine/model/fingerprint';
import { HOUR_FEATURE, recentHours, trainedHours } from './hour_summary';
import { route } from './types';
import { assertKnownUser, scopeOf, scopeQuery } from './scope';

/** Events whose values make up the "recent" side: enough for shares to mean something, bounded. */
const RECENT_EVENTS = 2000;

export const userFingerprintRoute = route({
  method: 'get',
  path: '/users/{user}/fingerprint',
  privilege: 'read',
  description: "One user's fingerprint: the model that scores them, and each feature's training distribution against recent events; 404 for a user with no model and no scored event",
  validate: { params: z.object({ user: z.string().min(1) }), query: scopeQuery },
  handler: async (ctx, { params, query }): Promise<FingerprintResponse> => {
    const scope = await scopeOf(ctx, query);
    await assertKnownUser(ctx, scope, params.user);
    const store = ctx.models(scope.source);
    const own = await store.load(scope.profile.name, params.user);
    const model = own ?? (await store.load(scope.profile.name, null));
    const versions = own ? await store.versions(scope.profile.name, params.user) : [];
    const recent = await ctx.scores.recentFeatureValues({ ...scope, user: params.user, limit: RECENT_EVENTS });
    const schema = model?.schema ?? schemaOf(scope.profile);
    return {
      user: params.user,
      source: scope.source.id,
      profile: scope.profile.name,
      model: model ? modelOf(model, !!own) : null,
      versions,
      features: schema.names.map((name, c) => {
        const kind = schema.kinds[c];
        const values = recent.values[name];
        const hour = name === HOUR_FEATURE && kind === 'categorical';
        const stored = model?.summary?.[c] ?? null;
        return {
          name,
          kind,
          group: groupOf(schema.groups, c, schema.names),
          trained: hour && model ? trainedHours(model, stored) : stored,
          recent: values && values.length > 0 ? (hour ? recentHours(values) : summarizeColumn(name, kind, values)) : null,
          loss: model ? { mean: model.lossStats.mean[c], std: model.lossStats.std[c] } : null,
        };
      }),
      recentEvents: recent.events,
      range: { from: new Date(scope.from).toISOString(), to: new Date(scope.to).toISOString() },
    };
  },
});

function modelOf(m: FingerprintJson, own: boolean): NonNullable<FingerprintResponse['model']> {
  return {
    own,
    version: m.version,
    trainedAt: m.trainedAt,
    rows: m.training.rows,
    window: { start: m.training.start, end: m.training.end },
    backend: m.backend,
    epochs: m.training.epochs,
    lossHistory: m.training.lossHistory,
    ...(m.training.warmStartFrom ? { warmStartFrom: m.training.warmStartFrom } : {}),
    ...(m.training.leftOut ? { leftOut: leftOutOf(m.training.leftOut) } : {}),
    scoreScale: { median: m.scoreScale.median, scale: m.scoreScale.scale },
  };
}

/** What training left out, and how many flagged events it learned because an analyst said benign. */
function leftOutOf(left: NonNullable<FingerprintJson['training']['leftOut']>): NonNullable<NonNullable<FingerprintResponse['model']>['leftOut']> {
  return {
    events: left.events,
    byReason: { ...left.byReason },
    examples: left.examples,
    ...(left.benign !== undefined && left.benign > 0 ? { benign: left.benign } : {}),
  };
}

/** The names of the features scored as one unit with column c (null when it stands alone). */
function groupOf(groups: number[][] | undefined, c: number, names: string[]): string[] | null {
  const group = groups?.find((g) => g.includes(c));
  return group && group.length > 1 ? group.map((i) => names[i]) : null;
}
