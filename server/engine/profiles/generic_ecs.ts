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
    // Which program logged it (sshd, sudo, su, systemd-logind) and how an SSH login
    // authenticated (publickey, password): the system integration's auth data stream has no
    // user agent at all (packages/system/data_stream/auth test-auth.log-expected.json).
    categorical('process', 'process.name'),
    categorical('ssh_method', 'system.auth.ssh.method'),
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
