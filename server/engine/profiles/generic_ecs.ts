import type { Profile } from './types';
import { categorical } from './spec';

/** Any ECS data: sensible defaults, meant to be overridden per source. */
export const genericEcs: Profile = {
  name: 'generic-ecs',
  description: 'Any ECS-shaped data; set the user field and feature lists to fit',
  indexPattern: 'logs-*',
  userFields: ['user.name', 'user.id'],
  timestampFields: ['@timestamp'],
  idFields: ['event.id'],
  fields: [
    categorical('action', 'event.action'),
    categorical('outcome', 'event.outcome'),
    categorical('user_agent', 'user_agent.original', 'user-agent'),
    categorical('source_net', 'source.ip', 'ip-prefix'),
    categorical('city', 'source.geo.city_name'),
    categorical('country', 'source.geo.country_iso_code'),
    categorical('asn', 'source.as.number'),
  ],
  locationFeatures: ['city', 'country'],
  appFeature: 'action',
  groups: [['source_net', 'city', 'country', 'asn']],
};
