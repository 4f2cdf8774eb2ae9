import type { Profile } from './types';
import { categorical } from './spec';

/** Cisco Duo authentication logs, as the cisco_duo integration indexes them. */
export const duo: Profile = {
  name: 'duo',
  description: 'Cisco Duo authentication logs (logs-cisco_duo.auth-*)',
  indexPattern: 'logs-cisco_duo.auth-*',
  userFields: ['user.id', 'user.name'],
  displayFields: ['user.name'],
  timestampFields: ['@timestamp'],
  idFields: ['event.id', 'cisco_duo.auth.txid'],
  fields: [
    categorical('app', 'cisco_duo.auth.application.name'),
    categorical('factor', 'cisco_duo.auth.factor'),
    categorical('result', 'cisco_duo.auth.result'),
    categorical('reason', 'cisco_duo.auth.reason'),
    categorical('browser', 'user_agent.name', 'family'),
    categorical('os', 'user_agent.os.name', 'strip-versions'),
    categorical('city', 'source.geo.city_name'),
    categorical('country', 'source.geo.country_iso_code'),
    categorical('asn', 'source.as.number'),
    categorical('outcome', 'event.outcome'),
  ],
  locationFeatures: ['city', 'country'],
  appFeature: 'app',
  groups: [['city', 'country', 'asn'], ['browser', 'os'], ['result', 'reason', 'outcome']],
  discount: { feature: 'outcome', values: ['failure'], weight: 0.5 },
};
