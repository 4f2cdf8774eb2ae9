import { dashboardObjects, dashboardsNdjson } from '../dashboards/saved_objects';
import { route } from './types';

export const dashboardsRoute = route({
  method: 'get',
  path: '/dashboards',
  privilege: 'read',
  description: 'Saved objects (data views, searches, visualizations, a dashboard) on the enriched indices, as NDJSON to import into Kibana',
  validate: {},
  handler: async () => ({ fileName: 'digital-fingerprinting-dashboards.ndjson', objects: dashboardObjects().map((o) => ({ id: o.id, type: o.type, title: String(o.attributes.title) })), ndjson: dashboardsNdjson() }),
});
