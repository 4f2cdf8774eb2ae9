/**
 * Azure AD / Entra ID sign-in logs (`logs-azure.signinlogs-*`): the benign sign-in flow of an
 * activity (interrupts, typos, MFA prompts, silent-refresh failures in realistic proportions) and
 * the document as Elastic's azure integration indexes it (see shared/reference/azure_signinlogs_*).
 */
import { Attempt, AttemptBase, AuthResult, agentFor, LegacyProtocol, MfaMethod, mkAttempt, preferredMfa } from './auth';
import { uaDoc } from './devices';
import { asDoc, geoDoc } from './geo';
import type { Company } from './population';
import { hash32, Rng } from './rng';
import type { Activity } from './timeline';
import { iso } from './time';
import type { RawEvent } from '../../server/engine/types';

const ERRORS: Record<AuthResult, [number, string]> = {
  success: [0, ''],
  remembered: [0, ''],
  trusted_network: [0, ''],
  bad_password: [50126, 'Error validating credentials due to invalid username or password.'],
  locked_out: [50053, 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.'],
  mfa_required: [50074, 'Strong Authentication is required.'],
  kmsi_interrupt: [50140, "This error occurred due to 'Keep me signed in' interrupt when the user was signing-in."],
  mfa_denied: [500121, 'Authentication failed during strong authentication request.'],
  mfa_timeout: [500121, 'Authentication failed during strong authentication request.'],
  mfa_fraud: [500121, 'Authentication failed during strong authentication request.'],
  ca_blocked: [53003, 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.'],
  silent_fail: [50058, 'Session information is not sufficient for single-sign-on.'],
  password_expired: [50055, 'The password is expired.'],
  session_expired: [70044, 'The session has expired or is invalid due to sign-in frequency checks by conditional access.'],
  device_auth_required: [50097, 'Device authentication is required.'],
};

const MFA_LABEL: Record<MfaMethod, string> = {
  push: 'Mobile app notification',
  totp: 'OATH verification code',
  sms: 'Text message',
  call: 'Phone call approval (Authentication phone)',
  fido: 'FIDO2 security key',
  passcode: 'OATH verification code',
  previously: 'Previously satisfied',
  remembered: 'Previously satisfied',
  none: 'Password',
};

/** Benign sign-in rows for one activity. */
export function azureFlow(a: Activity, rng: Rng): Attempt[] {
  const u = a.user;
  const base: AttemptBase = { user: u, agent: agentFor(a), device: a.device, app: a.app, net: a.net, session: a.session };
  if (u.kind !== 'human') {
    const legacy: LegacyProtocol | undefined = a.client === 'legacy' ? (hash32(u.username) % 3 === 0 ? 'Other clients' : 'Authenticated SMTP') : undefined;
    const r = rng.next();
    const result: AuthResult = r < 0.985 ? 'success' : r < 0.993 ? 'bad_password' : 'session_expired';
    return [mkAttempt(base, a.t, 'primary', result, false, 'none', false, legacy)];
  }
  const mfaNeeded = u.mfaPolicy === 'all' || (u.mfaPolicy === 'offnet' && !a.net.trusted);
  if (a.away && a.net.geo.city.cc !== u.home.cc && rng.chance(0.12)) base.risk = 'low';
  else if (a.net.kind === 'relay' && rng.chance(0.04)) base.risk = 'low';
  const out: Attempt[] = [];
  let t = a.t;
  if (a.interactive && a.sessionStart) {
    if (a.passwordDay && rng.chance(0.4)) {
      out.push(mkAttempt(base, t, 'primary', 'password_expired', true, 'none', mfaNeeded));
      t += rng.int(40_000, 240_000);
    }
    if (rng.chance(u.typo)) {
      out.push(mkAttempt(base, t, 'primary', 'bad_password', true, 'none', mfaNeeded));
      t += rng.int(6_000, 70_000);
      if (rng.chance(0.2)) {
        out.push(mkAttempt(base, t, 'primary', 'bad_password', true, 'none', mfaNeeded));
        t += rng.int(6_000, 90_000);
      }
    }
    const pPrompt = mfaNeeded ? (a.away || a.newDevice ? 0.55 : a.net.trusted ? 0.07 : 0.17) : 0;
    const prev: MfaMethod = mfaNeeded ? 'previously' : 'none';
    if (rng.chance(pPrompt)) {
      out.push(mkAttempt(base, t, 'primary', 'mfa_required', true, 'none', true));
      t += rng.int(12_000, 70_000);
      const method = preferredMfa(u);
      if (rng.chance(0.04)) {
        out.push(mkAttempt(base, t, 'mfa', 'mfa_timeout', true, method, true));
        t += rng.int(30_000, 180_000);
      }
      out.push(mkAttempt(base, t, 'primary', 'success', true, method, true));
    } else if (a.client === 'browser' && rng.chance(0.13)) {
      out.push(mkAttempt(base, t, 'primary', 'kmsi_interrupt', true, prev, mfaNeeded));
      t += rng.int(2_000, 25_000);
      out.push(mkAttempt(base, t, 'primary', 'success', true, prev, mfaNeeded));
    } else if (!a.device.managed && rng.chance(0.03)) {
      out.push(mkAttempt(base, t, 'primary', 'ca_blocked', true, 'previously', mfaNeeded));
    } else {
      out.push(mkAttempt(base, t, 'primary', 'success', true, prev, mfaNeeded));
    }
    return out;
  }
  if (a.passwordDay && a.device.kind !== 'computer' && rng.chance(0.5)) {
    // Mail apps keep the old password for a while after a change.
    out.push(mkAttempt(base, t, 'refresh', 'bad_password', false, 'none', false));
    return out;
  }
  const r = rng.next();
  const result: AuthResult = r < 0.045 ? 'silent_fail' : r < 0.053 ? 'session_expired' : r < 0.06 ? 'mfa_required' : r < 0.063 ? 'device_auth_required' : 'success';
  const multi = mfaNeeded && rng.chance(a.interactive ? 0.9 : 0.3);
  out.push(mkAttempt(base, t, a.interactive ? 'app' : 'refresh', result, a.interactive, multi ? 'previously' : 'none', multi));
  return out;
}

function clientApp(a: Attempt): string {
  if (a.legacy) return a.legacy;
  if (a.agent.client === 'browser') return 'Browser';
  if (a.agent.client === 'legacy') return 'Other clients';
  return 'Mobile Apps and Desktop clients';
}

function authDetails(a: Attempt, ts: string): Record<string, unknown>[] {
  const step = (method: string, ok: boolean, detail: string, seq: number) => ({
    authentication_method: method,
    authentication_step_date_time: ts,
    authentication_step_requirement: 'Primary authentication',
    authentication_step_result_detail: detail,
    request_sequence: seq,
    status_sequence: 0,
    succeeded: ok,
  });
  switch (a.result) {
    case 'bad_password':
    case 'locked_out':
      return [step('Password', false, 'Invalid username or password or Invalid on-premise username or password.', 0)];
    case 'mfa_denied':
    case 'mfa_fraud':
      return [step('Password', true, 'Correct password', 0), step(MFA_LABEL[a.mfa], false, 'MFA denied; user declined the authentication', 1)];
    case 'mfa_timeout':
      return [step('Password', true, 'Correct password', 0), step(MFA_LABEL[a.mfa], false, 'MFA denied; user did not respond to mobile app notification', 1)];
    case 'mfa_required':
      return [step('Password', true, 'Correct password', 0)];
    default:
      if (a.mfa === 'previously' || a.mfa === 'remembered') return [step('Previously satisfied', true, a.authReq === 'multi' ? 'MFA requirement satisfied by claim in the token' : 'First factor requirement satisfied by claim in the token', 0)];
      if (a.mfa === 'none') return [step('Password', a.result === 'success', a.result === 'success' ? 'Correct password' : 'Sign-in interrupted', 0)];
      return [step('Password', true, 'Correct password', 0), step(MFA_LABEL[a.mfa], true, 'MFA successfully completed', 1)];
  }
}

const tenantStrings = new WeakMap<Company, { resourceId: string; mfaPolicy: string; devicePolicy: string }>();

function tenant(company: Company): { resourceId: string; mfaPolicy: string; devicePolicy: string } {
  let t = tenantStrings.get(company);
  if (!t) {
    t = {
      resourceId: `/tenants/${company.tenantId}/providers/Microsoft.aadiam`,
      mfaPolicy: new Rng(`ca1:${company.tenantId}`).uuid(),
      devicePolicy: new Rng(`ca2:${company.tenantId}`).uuid(),
    };
    tenantStrings.set(company, t);
  }
  return t;
}

function caPolicy(company: Company, device: boolean, result: string): Record<string, unknown> {
  const t = tenant(company);
  return device
    ? { display_name: 'Require compliant device for Office 365', enforced_grant_controls: ['RequireCompliantDevice'], id: t.devicePolicy, result }
    : { display_name: 'Require MFA for all users', enforced_grant_controls: ['Mfa'], id: t.mfaPolicy, result };
}

export function renderAzure(a: Attempt, rng: Rng, company: Company): RawEvent | null {
  // Policy evaluations, push deliveries and logouts are not sign-ins.
  if (a.step === 'policy' || a.step === 'push' || a.step === 'logout') return null;
  const id = rng.uuid();
  // One correlation id per sign-in flow (interrupt, MFA, success share it).
  const corr = a.session;
  const [code, reason] = ERRORS[a.result];
  const ts = iso(a.t);
  const u = a.user;
  const net = a.net;
  const cap = clientApp(a);
  const legacy = cap !== 'Browser' && cap !== 'Mobile Apps and Desktop clients';
  const failed = code !== 0;
  const caStatus = legacy ? 'notApplied' : a.result === 'ca_blocked' ? 'failure' : failed && code !== 53003 ? 'notApplied' : a.authReq === 'multi' || (a.device?.managed ?? false) ? 'success' : 'notApplied';
  const deviceDetail: Record<string, unknown> = {
    browser: a.agent.azureBrowser,
    device_id: a.device?.id ?? '',
    operating_system: a.agent.azureOs,
  };
  if (a.device?.managed) {
    deviceDetail.is_compliant = true;
    deviceDetail.is_managed = true;
    deviceDetail.trust_type = a.device.trustType;
  } else if (a.device?.trustType) deviceDetail.trust_type = a.device.trustType;
  // Microsoft's own geolocation of the address (top-level geo): the person's city for fixed lines,
  // the carrier's or provider's city otherwise. The integration puts the state into country_name.
  const ms = net.kind === 'home' || net.kind === 'office' || net.kind === 'hotel' ? net.where : net.geo.city;
  const risk = a.risk ?? 'none';
  const props: Record<string, unknown> = {
    app_display_name: a.app.name,
    app_id: a.app.id,
    authentication_protocol: legacy ? 'ropc' : 'none',
    authentication_requirement: a.authReq === 'multi' ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    client_app_used: cap,
    conditional_access_status: caStatus,
    correlation_id: corr,
    created_at: ts,
    cross_tenant_access_type: 'none',
    device_detail: deviceDetail,
    flagged_for_review: false,
    home_tenant_id: company.tenantId,
    id,
    incoming_token_type: a.step === 'refresh' ? 'refreshToken' : a.mfa === 'previously' ? 'primaryRefreshToken' : 'none',
    is_interactive: a.interactive,
    is_tenant_restricted: false,
    original_request_id: id,
    processing_time_ms: Math.round(rng.lognormal(Math.log(140), 0.8)),
    resource_display_name: a.app.resource,
    resource_tenant_id: company.tenantId,
    risk_detail: 'none',
    risk_level_aggregated: risk,
    risk_level_during_signin: risk,
    risk_state: risk === 'none' ? 'none' : 'atRisk',
    service_principal_id: '',
    status: { error_code: code },
    token_issuer_name: '',
    token_issuer_type: 'AzureAD',
    user_display_name: u.displayName,
    user_id: u.objectId,
    user_principal_name: u.email,
    user_type: 'Member',
  };
  if (net.asn) props.autonomous_system_number = net.asn.number;
  // Step details come with interactive sign-ins (the reference's non-interactive rows have none).
  if (a.interactive) props.authentication_details = authDetails(a, ts);
  // Empty lists are left out (Elasticsearch indexes nothing for them either).
  if (caStatus !== 'notApplied') props.applied_conditional_access_policies = [caPolicy(company, a.result === 'ca_blocked', caStatus)];
  if (risk !== 'none') {
    const types = [risk === 'low' ? 'unfamiliarFeatures' : 'anonymizedIPAddress'];
    props.risk_event_types = types;
    props.risk_event_types_v2 = types.slice();
  }
  const source: Record<string, unknown> = { address: net.ip, geo: geoDoc(net.geo), ip: net.ip };
  if (net.asn) source.as = asDoc(net.asn);
  const signin: Record<string, unknown> = {
    caller_ip_address: net.ip,
    category: a.interactive ? 'SignInLogs' : 'NonInteractiveUserSignInLogs',
    identity: u.displayName,
    operation_name: 'Sign-in activity',
    operation_version: '1.0',
    properties: props,
    result_signature: 'None',
    result_type: String(code),
  };
  if (failed) signin.result_description = reason;
  const doc: Record<string, unknown> = {
    '@timestamp': ts,
    azure: {
      correlation_id: corr,
      resource: { id: tenant(company).resourceId, provider: 'Microsoft.aadiam' },
      signinlogs: signin,
      tenant_id: company.tenantId,
    },
    client: { ip: net.ip },
    cloud: { provider: 'azure' },
    ecs: { version: '8.11.0' },
    event: {
      action: 'Sign-in activity',
      category: ['authentication'],
      duration: 0,
      id,
      kind: 'event',
      outcome: failed ? 'failure' : 'success',
      type: ['info'],
    },
    geo: {
      city_name: ms.name,
      country_iso_code: ms.cc,
      country_name: ms.region,
      location: { lat: ms.lat, lon: ms.lon },
    },
    log: { level: '4' },
    related: { ip: [net.ip] },
    source,
    tags: ['forwarded', 'azure-signinlogs'],
    user: {
      domain: company.domain,
      full_name: u.displayName,
      id: u.objectId,
      name: u.username,
    },
  };
  if (failed) doc.message = reason;
  if (a.agent.ua) {
    doc.user_agent = uaDoc(a.agent);
  }
  return doc;
}
