/**
 * The Kibana feature that turns our privileges into roles an admin can assign: `read` lets an
 * analyst use the app and its read routes; `all` also changes settings, trains and rolls back;
 * the Triage sub-feature (in `all`, or added to `read`) records analysts' decisions.
 * Route authorization (`requiredPrivileges`) checks the `api` names listed here.
 */
import { PRIVILEGES } from '../../common/api';
import { PLUGIN_ID } from '../../common/fields';
import type { AppCategory, KibanaFeatureConfig } from './types';
import { SAVED_OBJECT_TYPES } from './saved_objects';

/** Kibana's own "Security" app category (DEFAULT_APP_CATEGORIES.security), restated: nothing of Kibana's is imported. */
export const SECURITY_CATEGORY: AppCategory = { id: 'securitySolution', label: 'Security', order: 3000, euiIconType: 'logoSecurity' };

export const APP_TITLE = 'Digital Fingerprinting';

/** Kibana's saved-object type holding global advanced settings. */
export const GLOBAL_SETTINGS_TYPE = 'config-global';

export function dfpFeature(): KibanaFeatureConfig {
  const ours = [SAVED_OBJECT_TYPES.settings, SAVED_OBJECT_TYPES.source];
  return {
    id: PLUGIN_ID,
    name: APP_TITLE,
    description: 'Behavioural fingerprints of users from login and CloudTrail data: anomaly scores, models and their schedules.',
    category: SECURITY_CATEGORY,
    app: [PLUGIN_ID, 'kibana'],
    privileges: {
      all: {
        app: [PLUGIN_ID, 'kibana'],
        api: [PRIVILEGES.read, PRIVILEGES.manage],
        // The API key objects only ever change through a manager's request (granting a key).
        // config-global: the thresholds are global advanced settings, saved as the manager. Kibana
        // grants every feature privilege read on config/config-global, write only where listed
        // (its own advancedSettings feature writes just `config`; global settings otherwise take
        // the Global All base privilege).
        savedObject: { all: [...ours, SAVED_OBJECT_TYPES.sourceKey, GLOBAL_SETTINGS_TYPE], read: [] },
        ui: ['show', 'manage'],
      },
      read: {
        app: [PLUGIN_ID, 'kibana'],
        api: [PRIVILEGES.read],
        // Reading the key objects shows whose key a source runs with; the key itself stays encrypted.
        savedObject: { all: [], read: [...ours, SAVED_OBJECT_TYPES.sourceKey] },
        ui: ['show'],
      },
    },
    // Acting on what the app shows (marking users and events benign or compromised) is a
    // privilege of its own: `all` includes it, a `read` role can be given it alone.
    subFeatures: [
      {
        name: 'Triage',
        description: 'Mark users and events open, investigating, benign or compromised; the next training learns from it.',
        privilegeGroups: [
          {
            groupType: 'independent',
            privileges: [{ id: 'triage', name: 'Triage users and events', includeIn: 'all', api: [PRIVILEGES.triage], savedObject: { all: [], read: [] }, ui: ['triage'] }],
          },
        ],
      },
    ],
  };
}
