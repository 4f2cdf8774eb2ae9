/**
 * One Entra ID sign-in, rendered the way the Azure integration indexes it into
 * `logs-azure.signinlogs-*`: `azure.signinlogs.properties.*` in snake case, `source.geo` and
 * `source.as` from the geoip processors, Entra's own location under `geo`, the parsed user agent,
 * `event.outcome` from the error code. No `event.original` (the integration keeps it only on
 * request, and the scorer never reads it).
 */
import { isoMillis, isoTicks } from './calendar';
import type { Dice } from './dice';
import { parsedUserAgent, type Device, type Trust } from './devices';
import type { Emitted } from './labels';
import type { AppDef, OrgShape } from './organisations';
import { asOf, geoOf, type Network } from './world';

export type ClientApp = 'Browser' | 'Mobile Apps and Desktop clients' | 'Exchange ActiveSync' | 'IMAP4' | 'POP3' | 'Authenticated SMTP' | 'Other clients';
export type Risk = 'none' | 'low' | 'medium' | 'high';

/** What the device said about itself (attackers' devices are unknown to Entra). */
export interface DeviceClaim {
  id: string;
  name?: string;
  os: string;
  browser: string;
  trust?: Trust;
  compliant?: boolean;
  /** For the user_agent parse (phone or not, OS). */
  parseAs?: Device;
}

export interface SignIn {
  t: number;
  user: { id: string; upn: string; display: string; login: string };
  app: AppDef;
  client: ClientApp;
  interactive: boolean;
  device: DeviceClaim;
  userAgent: string;
  network: Network;
  ip: string;
  error: number;
  requirement: 'singleFactorAuthentication' | 'multiFactorAuthentication';
  conditionalAccess: 'success' | 'notApplied' | 'failure';
  risk: Risk;
  namedLocation?: string;
  /** What a non-interactive sign-in redeemed, where not a device's primary refresh token (a stolen app refresh token). */
  incomingToken?: 'refreshToken' | 'primaryRefreshToken';
  /** The authentication protocol, where not the client's usual one (a device code flow). */
  protocol?: 'deviceCode' | 'ropc';
}

const REASONS: Record<number, string> = {
  50126: 'Error validating credentials due to invalid username or password.',
  50074: 'Strong Authentication is required.',
  50140: "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in.",
  50053: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
  50076: 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access.',
  500121: 'Authentication failed during strong authentication request.',
  70044: 'The session has expired or is invalid due to sign-in frequency checks by conditional access.',
  53003: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
  50055: 'The password is expired.',
  50158: 'External security challenge not satisfied.',
};

export function renderSignIn(s: SignIn, org: OrgShape, dice: Dice): Emitted {
  const id = dice.uuid();
  const correlation = dice.uuid();
  const success = s.error === 0;
  const geo = geoOf(s.network);
  const place = s.network.place;
  const category = s.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs';
  const legacy = s.client !== 'Browser' && s.client !== 'Mobile Apps and Desktop clients';
  const status: Record<string, unknown> = { error_code: s.error };
  if (!success) status.failure_reason = REASONS[s.error] ?? 'Other.';
  const deviceDetail: Record<string, unknown> = { browser: s.device.browser, device_id: s.device.id, operating_system: s.device.os };
  if (s.device.name) deviceDetail.display_name = s.device.name;
  if (s.device.trust) {
    deviceDetail.trust_type = s.device.trust;
    deviceDetail.is_managed = s.device.trust !== 'Azure AD registered';
    deviceDetail.is_compliant = s.device.compliant === true;
  }
  const properties: Record<string, unknown> = {
    app_display_name: s.app.name,
    app_id: s.app.id,
    authentication_details: [
      {
        authentication_method: s.interactive ? (s.requirement === 'multiFactorAuthentication' ? 'Mobile app notification' : 'Password') : 'Previously satisfied',
        authentication_step_date_time: isoTicks(s.t, dice.between(0, 9999)),
        authentication_step_requirement: 'Primary authentication',
        succeeded: success,
      },
    ],
    authentication_protocol: s.protocol ?? (legacy ? 'ropc' : 'none'),
    authentication_requirement: s.requirement,
    autonomous_system_number: s.network.asn,
    client_app_used: s.client,
    conditional_access_status: s.conditionalAccess,
    correlation_id: correlation,
    created_at: isoTicks(s.t, dice.between(0, 9999)),
    cross_tenant_access_type: 'none',
    device_detail: deviceDetail,
    flagged_for_review: false,
    home_tenant_id: org.tenantId,
    id,
    incoming_token_type: s.incomingToken ?? (s.interactive ? 'none' : 'primaryRefreshToken'),
    is_interactive: s.interactive,
    is_tenant_restricted: false,
    network_location_details: s.namedLocation ? [{ network_type: 'namedNetwork', network_names: [s.namedLocation] }] : [],
    original_request_id: id,
    processing_time_ms: dice.between(40, 900),
    resource_display_name: s.app.resource,
    resource_tenant_id: org.tenantId,
    risk_detail: 'none',
    risk_level_aggregated: s.risk,
    risk_level_during_signin: s.risk,
    risk_state: s.risk === 'none' ? 'none' : 'atRisk',
    status,
    token_issuer_type: 'AzureAD',
    user_display_name: s.user.display,
    user_id: s.user.id,
    user_principal_name: s.user.upn,
    user_type: 'Member',
  };
  const doc: Record<string, unknown> = {
    '@timestamp': isoMillis(s.t),
    azure: {
      correlation_id: correlation,
      resource: { id: `/tenants/${org.tenantId}/providers/Microsoft.aadiam`, provider: 'Microsoft.aadiam' },
      signinlogs: {
        caller_ip_address: s.ip,
        category,
        identity: s.user.display,
        operation_name: 'Sign-in activity',
        operation_version: '1.0',
        properties,
        ...(success ? {} : { result_description: REASONS[s.error] ?? 'Other.' }),
        result_signature: 'None',
        result_type: String(s.error),
      },
      tenant_id: org.tenantId,
    },
    client: { ip: s.ip },
    cloud: { provider: 'azure' },
    data_stream: { dataset: 'azure.signinlogs', namespace: 'default', type: 'logs' },
    ecs: { version: '8.11.0' },
    event: {
      action: 'Sign-in activity',
      category: ['authentication'],
      dataset: 'azure.signinlogs',
      duration: 0,
      id,
      kind: 'event',
      outcome: success ? 'success' : 'failure',
      type: ['info'],
    },
    geo: {
      city_name: place.city,
      country_iso_code: place.cc,
      country_name: place.region,
      location: { lat: place.lat, lon: place.lon },
    },
    log: { level: success ? '4' : '3' },
    related: { ip: [s.ip] },
    source: { address: s.ip, ip: s.ip, as: asOf(s.network), geo },
    user: { domain: s.user.upn.split('@')[1], full_name: s.user.display, id: s.user.id, name: s.user.login },
  };
  if (!success) doc.message = REASONS[s.error] ?? 'Other.';
  if (s.userAgent) doc.user_agent = parsedUserAgent(s.userAgent, s.device.parseAs);
  return { t: s.t, doc, id, user: s.user.id };
}
