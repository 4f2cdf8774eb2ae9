import type { Profile } from './types';
import { SHARED_NOVELTY_DEFAULTS } from '../score/shared_novelty';
import { categorical } from './spec';
import { FIRST_SENSITIVE_ACTION } from './aws_action_tactics';

/** Morpheus' flattened CloudTrail CSV (nested keys concatenated without separators). Files only. */
export const cloudtrailFlat: Profile = {
  name: 'cloudtrail-flat',
  description: "Morpheus' flattened CloudTrail CSV columns (files only)",
  indexPattern: '',
  userFields: ['userIdentitysessionContextsessionIssueruserName', 'userIdentityuserName', 'userIdentityarn'],
  timestampFields: ['eventTime', '@timestamp'],
  idFields: ['eventID'],
  fields: [
    categorical('provider', 'eventSource'),
    categorical('action', 'eventName'),
    categorical('action_tactic', 'eventName', 'aws-action-tactic'),
    categorical('region', 'awsRegion'),
    categorical('user_agent', 'userAgent', 'user-agent'),
    categorical('source_net', 'sourceIPAddress', 'ip-prefix'),
    categorical('error_code', 'errorCode'),
    categorical('identity_type', 'userIdentitytype'),
    categorical('api_version', 'apiVersion'),
  ],
  locationFeatures: ['source_net'],
  appFeature: 'provider',
  userRiskFloor: 6,
  firstSeen: FIRST_SENSITIVE_ACTION,
  // A service (or API) many principals start calling at once is the platform's change (score/shared_novelty.ts).
  sharedNovelty: { features: ['provider', 'action'], ...SHARED_NOVELTY_DEFAULTS },
  actionFamilies: true,
  groups: [['provider', 'action']],
};
