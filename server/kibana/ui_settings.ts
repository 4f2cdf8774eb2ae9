/**
 * Advanced settings for the numbers admins tune. Global (not per space): the background jobs that
 * apply them serve every space alike. Validated by Kibana on every write with these schemas.
 */
import { DEFAULTS, SETTINGS_KEYS } from '../../common/fields';
import type { ConfigSchemaApi, UiSettingsParams } from './types';
import { APP_TITLE } from './feature';

export const SETTINGS_CATEGORY = 'digitalFingerprinting';

const wholeNumber = (n: number): string | void => (Number.isInteger(n) ? undefined : `must be a whole number, got ${n}`);

export function dfpUiSettings(schema: ConfigSchemaApi): Record<string, UiSettingsParams> {
  return {
    [SETTINGS_KEYS.zscoreThreshold]: {
      name: `${APP_TITLE}: anomaly threshold (z-score)`,
      value: DEFAULTS.zscoreThreshold,
      description:
        'Events whose dfp.zscore (how unusual the event is for its user, in robust standard deviations of the user\'s own history) reaches this value are flagged as anomalies. ' +
        'Lower it to flag more events (more false alarms); raise it to flag fewer. The app re-ranks with a new value at once; scoring jobs write it into dfp.threshold from their next run.',
      category: [SETTINGS_CATEGORY],
      type: 'number',
      schema: schema.number({ min: 0.1, max: 1000 }),
      order: 1,
      scope: 'global',
    },
    [SETTINGS_KEYS.tsThreshold]: {
      name: `${APP_TITLE}: time-series threshold`,
      value: DEFAULTS.tsThreshold,
      description:
        'An hour in which a user\'s event count departs from their usual daily and weekly rhythm by this many standard deviations marks its events dfp.ts_anomaly. ' +
        'Lower values catch smaller bursts of activity and raise more alarms. Applies from the next scoring run.',
      category: [SETTINGS_CATEGORY],
      type: 'number',
      schema: schema.number({ min: 0.1, max: 1000 }),
      order: 2,
      scope: 'global',
    },
    [SETTINGS_KEYS.minHistory]: {
      name: `${APP_TITLE}: minimum history for a user model`,
      value: DEFAULTS.minHistory,
      description:
        'Events a user needs in the training window for a fingerprint trained from scratch. Users with fewer (down to 30) get a model warm-started from the generic one; the rest are scored by the generic model. ' +
        'Lower values give more users their own model, trained on less evidence. Applies from the next training run.',
      category: [SETTINGS_CATEGORY],
      type: 'number',
      schema: schema.number({ min: 1, max: 1_000_000, validate: wholeNumber }),
      order: 3,
      scope: 'global',
    },
    [SETTINGS_KEYS.userRiskThreshold]: {
      name: `${APP_TITLE}: user risk threshold`,
      value: DEFAULTS.userRiskThreshold,
      description:
        "A user whose dfp.user_risk reaches this value is flagged (dfp.user_flagged). A user's risk adds up what their events' z-scores exceed a floor by, and the time-series check, over the last 24 hours, halving every 6 hours: several unusual events in a few hours add up, one outlier does not. " +
        'Lower it to flag more users; raise it for fewer false alarms. The app re-ranks with a new value at once; scoring jobs write it into dfp.user_flagged from their next run.',
      category: [SETTINGS_CATEGORY],
      type: 'number',
      schema: schema.number({ min: 0.01, max: 100_000 }),
      order: 4,
      scope: 'global',
    },
  };
}
