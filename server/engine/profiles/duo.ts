import type { Profile } from './types';
import { categorical, composite } from './spec';

const A = 'cisco_duo.auth';

/** Cisco Duo authentication logs, as the cisco_duo integration indexes them. */
export const duo: Profile = {
  name: 'duo',
  description: 'Cisco Duo authentication logs (logs-cisco_duo.auth-*)',
  indexPattern: 'logs-cisco_duo.auth-*',
  userFields: ['user.id', 'user.name'],
  displayFields: ['user.name'],
  timestampFields: ['@timestamp'],
  idFields: ['event.id', `${A}.txid`],
  fields: [
    categorical('app', `${A}.application.name`),
    categorical('factor', `${A}.factor`),
    categorical('result', `${A}.result`),
    categorical('reason', `${A}.reason`),
    categorical('browser', 'user_agent.name', 'family'),
    categorical('os', 'user_agent.os.name', 'strip-versions'),
    // The access device's posture, "true" / "false" / "unknown" as the integration writes it
    // (test-auth.log-expected.json), and whether Duo trusts the endpoint, read as one feature
    // (FieldSpec.parts: four features of a value or two each cost four softmaxes and 12+ slots).
    composite('access_device', [
      ['encryption', `${A}.access_device.is_encryption_enabled`],
      ['firewall', `${A}.access_device.is_firewall_enabled`],
      ['password', `${A}.access_device.is_password_set`],
      ['trusted', `${A}.trusted_endpoint_status`],
    ]),
    categorical('city', 'source.geo.city_name'),
    categorical('country', 'source.geo.country_iso_code'),
    categorical('asn', 'source.as.number'),
    // A user's regular networks get slots, a carrier's churn shares `_other` (FieldSpec.maxValues).
    { ...categorical('source_net', 'source.ip', 'ip-prefix'), maxValues: 8 },
    // The second factor: which enrolled device ("My iPhone X (734-555-2342)") and where it
    // approved the push from: a push approved from an unusual network is the tell of a stolen
    // or added device. auth_device.ip may be private and then has no geo.
    categorical('auth_device', `${A}.auth_device.name`),
    { ...categorical('auth_device_net', `${A}.auth_device.ip`, 'ip-prefix'), maxValues: 8 },
    categorical('auth_device_country', `${A}.auth_device.geo.country_iso_code`),
    categorical('outcome', 'event.outcome'),
  ],
  locationFeatures: ['city', 'country'],
  appFeature: 'app',
  groups: [
    ['city', 'country', 'asn', 'source_net'],
    ['browser', 'os', 'access_device'],
    ['auth_device', 'auth_device_net', 'auth_device_country'],
    ['result', 'reason', 'outcome'],
  ],
  discount: { feature: 'outcome', values: ['failure'], weight: 0.5 },
  // As azure-signin's (Profile.travel); on the demo generator's data it raised event AUC on both seeds.
  travel: { place: 'country', device: 'access_device', weight: 0.25, familiarZ: 0.5 },
};
