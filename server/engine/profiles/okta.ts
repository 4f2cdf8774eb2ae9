import type { Profile } from './types';
import { categorical } from './spec';

/** Okta system log, as the okta integration indexes it (top-level user.id is empty there). */
export const okta: Profile = {
  name: 'okta',
  description: 'Okta system log (logs-okta.system-*)',
  indexPattern: 'logs-okta.system-*',
  userFields: ['okta.actor.id', 'okta.actor.alternate_id'],
  displayFields: ['okta.actor.alternate_id', 'okta.actor.display_name'],
  timestampFields: ['@timestamp'],
  idFields: ['event.id', 'okta.uuid'],
  fields: [
    categorical('action', 'event.action'),
    categorical('client_zone', 'okta.client.zone'),
    categorical('client_device', 'okta.client.device'),
    categorical('user_agent', ['okta.client.user_agent.raw_user_agent', 'user_agent.original'], 'user-agent'),
    categorical('browser', 'user_agent.name', 'family'),
    categorical('os', 'user_agent.os.name', 'strip-versions'),
    categorical('city', 'source.geo.city_name'),
    categorical('country', 'source.geo.country_iso_code'),
    categorical('asn', 'source.as.number'),
    categorical('result', 'okta.outcome.result'),
  ],
  locationFeatures: ['city', 'country'],
  appFeature: 'action',
  groups: [['city', 'country', 'asn'], ['user_agent', 'browser', 'os', 'client_device']],
  discount: { feature: 'result', values: ['FAILURE', 'DENY'], weight: 0.5 },
};
