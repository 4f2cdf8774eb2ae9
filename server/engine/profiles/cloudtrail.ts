import type { Profile } from './types';
import { categorical } from './spec';

/** AWS CloudTrail, as the aws integration indexes it (user.name is the role name for AssumedRole). */
export const cloudtrail: Profile = {
  name: 'cloudtrail',
  description: 'AWS CloudTrail (logs-aws.cloudtrail-*)',
  indexPattern: 'logs-aws.cloudtrail-*',
  userFields: ['user.name', 'aws.cloudtrail.user_identity.arn'],
  timestampFields: ['@timestamp'],
  idFields: ['event.id'],
  fields: [
    categorical('provider', 'event.provider'),
    categorical('action', 'event.action'),
    categorical('region', 'cloud.region'),
    categorical('user_agent', 'user_agent.original', 'user-agent'),
    categorical('source_net', 'source.ip', 'ip-prefix'),
    categorical('country', 'source.geo.country_iso_code'),
    categorical('city', 'source.geo.city_name'),
    categorical('asn', 'source.as.number'),
    categorical('error_code', 'aws.cloudtrail.error_code'),
    categorical('identity_type', 'aws.cloudtrail.user_identity.type'),
    categorical('outcome', 'event.outcome'),
  ],
  locationFeatures: ['source_net', 'country'],
  appFeature: 'provider',
  groups: [['source_net', 'country', 'city', 'asn'], ['error_code', 'outcome'], ['provider', 'action']],
};
