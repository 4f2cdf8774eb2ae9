import type { Profile } from './types';
import { binary, categorical } from './spec';

const P = 'azure.signinlogs.properties';

/** Microsoft Entra ID (Azure AD) sign-in logs, as the azure integration indexes them. */
export const azureSignin: Profile = {
  name: 'azure-signin',
  description: 'Entra ID sign-in logs (logs-azure.signinlogs-*)',
  indexPattern: 'logs-azure.signinlogs-*',
  userFields: ['user.id', `${P}.user_id`, 'user.name', `${P}.user_principal_name`],
  displayFields: ['user.name', `${P}.user_principal_name`, `${P}.user_display_name`],
  timestampFields: ['@timestamp'],
  idFields: ['event.id', `${P}.id`],
  fields: [
    categorical('app', `${P}.app_display_name`),
    categorical('client_app', `${P}.client_app_used`),
    categorical('browser', [`${P}.device_detail.browser`, 'user_agent.name'], 'family'),
    categorical('os', [`${P}.device_detail.operating_system`, 'user_agent.os.name'], 'strip-versions'),
    categorical('user_agent', 'user_agent.original', 'user-agent'),
    categorical('device_trust', `${P}.device_detail.trust_type`),
    categorical('risk_level', `${P}.risk_level_during_signin`),
    binary('interactive', `${P}.is_interactive`),
    categorical('error_code', [`${P}.status.error_code`]),
    categorical('auth_requirement', `${P}.authentication_requirement`),
    categorical('conditional_access', `${P}.conditional_access_status`),
    categorical('city', ['source.geo.city_name', 'geo.city_name']),
    categorical('country', ['source.geo.country_iso_code', 'geo.country_iso_code']),
    categorical('asn', ['source.as.number', `${P}.autonomous_system_number`]),
    categorical('outcome', 'event.outcome'),
  ],
  locationFeatures: ['city', 'country'],
  appFeature: 'app',
  groups: [
    ['city', 'country', 'asn'],
    ['browser', 'os', 'user_agent', 'device_trust'],
    ['error_code', 'outcome', 'conditional_access', 'auth_requirement'],
  ],
  discount: { feature: 'outcome', values: ['failure'], weight: 0.5 },
};
