import { HttpError, route } from './types';

export const removeSavedObjectsRoute = route({
  method: 'delete',
  path: '/saved_objects',
  privilege: 'manage',
  public: true,
  description:
    "Before uninstalling the plugin: deletes its saved objects (settings, sources, their API keys, which are invalidated) and resets its advanced settings, so that Kibana's next upgrade migration finds no objects of unknown types; lists the Elasticsearch data left",
  validate: {},
  handler: async (ctx) => {
    if (!ctx.removeSavedObjects) throw new HttpError(404, 'saved objects exist only in Kibana; this server keeps its settings in its own file or index');
    return ctx.removeSavedObjects();
  },
});
