/**
 * Okta System Log (`logs-okta.system-*`): the event sequence of a benign activity (sign-on policy,
 * session start with the odd typo, push + MFA when challenged, app SSO, token refreshes) and the
 * document as Elastic's okta integration indexes it (okta.actor, okta.client, okta.outcome, ...).
 */
import { Attempt, AttemptBase, AuthResult, agentFor, MfaMethod, mkAttempt, preferredMfa } from './auth';
import { uaDoc } from './devices';
import { asDoc, geoDoc } from './geo';
import type { Company } from './population';
import { Rng } from './rng';
import type { Activity } from './timeline';
import { iso } from './time';
import type { RawEvent } from '../../server/engine/types';

export function oktaFlow(a: Activity, rng: Rng): Attempt[] {
  const u = a.user;
  const base: AttemptBase = { user: u, agent: agentFor(a), device: a.device, app: a.app, net: a.net, session: a.session };
  const out: Attempt[] = [];
  let t = a.t;
  const add = (step: Attempt['step'], result: AuthResult, interactive: boolean, mfa: MfaMethod, multi: boolean, lo = 1_500, hi = 9_000): void => {
    out.push(mkAttempt(base, t, step, result, interactive, mfa, multi));
    t += rng.int(lo, hi);
  };
  if (u.kind !== 'human') {
    add('primary', rng.chance(0.99) ? 'success' : 'bad_password', false, 'none', false);
    if (rng.chance(0.5)) add('app', 'success', false, 'none', false);
    return out;
  }
  if (a.sessionStart && a.client !== 'mobile') {
    const pPrompt = a.away || a.newDevice ? 0.9 : a.net.trusted ? 0.25 : 0.6;
    const prompt = rng.chance(pPrompt);
    if (a.away && rng.chance(0.15)) base.risk = 'low';
    add('policy', prompt ? 'mfa_required' : 'success', true, 'none', prompt, 50, 400);
    if (rng.chance(u.typo)) {
      add('primary', 'bad_password', true, 'none', false, 6_000, 60_000);
      if (rng.chance(0.15)) add('primary', 'bad_password', true, 'none', false, 6_000, 60_000);
    }
    if (a.passwordDay && rng.chance(0.4)) add('primary', 'password_expired', true, 'none', false, 60_000, 240_000);
    add('primary', 'success', true, 'none', prompt, 300, 2_000);
    if (prompt) {
      const method = preferredMfa(u);
      if (method === 'push') {
        add('push', 'success', true, method, true, 4_000, 25_000);
        if (rng.chance(0.04)) {
          add('mfa', 'mfa_timeout', true, method, true, 5_000, 60_000);
          add('push', 'success', true, method, true, 4_000, 25_000);
        }
      }
      add('mfa', 'success', true, method, true, 500, 3_000);
    }
    if (a.app.name !== 'Okta Dashboard') add('app', 'success', true, 'previously', prompt);
    return out;
  }
  if (a.client === 'mobile' || (a.client === 'desktop' && rng.chance(0.5))) {
    add('refresh', rng.chance(0.985) ? 'success' : 'session_expired', false, 'previously', false);
    return out;
  }
  add('app', rng.chance(0.994) ? 'success' : 'ca_blocked', true, 'previously', true);
  if (rng.chance(0.02)) {
    t += rng.int(60_000, 3_600_000);
    add('logout', 'success', true, 'none', false);
  }
  return out;
}

interface OktaEventDef {
  type: string;
  message: string;
  result: string;
  reason?: string;
  category: string[];
  etype: string[];
}

function eventDef(a: Attempt): OktaEventDef {
  const auth = ['authentication'];
  const info = ['info'];
  switch (a.step) {
    case 'policy':
      return {
        type: 'policy.evaluate_sign_on',
        message: 'Evaluation of sign-on policy',
        result: a.result === 'success' ? 'ALLOW' : a.result === 'mfa_required' ? 'CHALLENGE' : 'DENY',
        reason: `Sign-on policy evaluation resulted in ${a.result === 'success' ? 'ALLOW' : a.result === 'mfa_required' ? 'CHALLENGE' : 'DENY'}`,
        category: auth,
        etype: info,
      };
    case 'primary': {
      const session = ['authentication', 'session'];
      const st = ['start', 'user'];
      if (a.result === 'success') return { type: 'user.session.start', message: 'User login to Okta', result: 'SUCCESS', category: session, etype: st };
      const reason = a.result === 'locked_out' ? 'LOCKED_OUT' : a.result === 'password_expired' ? 'PASSWORD_EXPIRED' : a.result === 'ca_blocked' ? 'POLICY_DENY' : 'INVALID_CREDENTIALS';
      return { type: 'user.session.start', message: 'User login to Okta', result: 'FAILURE', reason, category: session, etype: st };
    }
    case 'push':
      return { type: 'system.push.send_factor_verify_push', message: 'Push notification sent for verification', result: 'SUCCESS', category: auth, etype: info };
    case 'mfa':
      if (a.result === 'mfa_denied' || a.result === 'mfa_fraud') return { type: 'user.mfa.okta_verify.deny_push', message: 'User rejected Okta push verify', result: 'FAILURE', reason: 'User rejected Okta push verify', category: auth, etype: info };
      if (a.result === 'mfa_timeout') return { type: 'user.authentication.auth_via_mfa', message: 'Authentication of user via MFA', result: 'FAILURE', reason: 'VERIFICATION_ERROR', category: auth, etype: info };
      return { type: 'user.authentication.auth_via_mfa', message: 'Authentication of user via MFA', result: 'SUCCESS', category: auth, etype: info };
    case 'refresh':
      return { type: 'app.oauth2.token.grant.refresh_token', message: 'OAuth2 refresh token is granted', result: a.result === 'success' ? 'SUCCESS' : 'FAILURE', ...(a.result === 'success' ? {} : { reason: 'invalid_grant' }), category: auth, etype: info };
    case 'logout':
      return { type: 'user.session.end', message: 'User logout from Okta', result: 'SUCCESS', category: ['authentication', 'session'], etype: ['end', 'user'] };
    default:
      return a.result === 'success'
        ? { type: 'user.authentication.sso', message: 'User single sign on to app', result: 'SUCCESS', category: auth, etype: info }
        : { type: 'user.authentication.sso', message: 'User single sign on to app', result: 'FAILURE', reason: 'POLICY_DENY', category: auth, etype: info };
  }
}

const MFA_FACTOR: Record<MfaMethod, string> = {
  push: 'OKTA_VERIFY_PUSH',
  totp: 'OTP',
  sms: 'SMS',
  call: 'CALL',
  fido: 'FIDO_WEBAUTHN',
  passcode: 'OTP',
  previously: 'PASSWORD_AS_FACTOR',
  remembered: 'PASSWORD_AS_FACTOR',
  none: 'PASSWORD_AS_FACTOR',
};

export function renderOkta(a: Attempt, rng: Rng, _company: Company): RawEvent {
  const id = rng.uuid();
  const def = eventDef(a);
  const u = a.user;
  const net = a.net;
  const ts = iso(a.t);
  const where = net.kind === 'home' || net.kind === 'office' || net.kind === 'hotel' ? net.where : net.geo.city;
  const outcome = def.result === 'SUCCESS' || def.result === 'ALLOW' ? 'success' : def.result === 'CHALLENGE' ? 'unknown' : 'failure';
  const v6 = net.ip.includes(':');
  const requestId = rng.alnum(27);
  const debug: Record<string, unknown> = {
    request_id: requestId,
    request_uri: a.step === 'app' ? `/app/${a.app.resource}/${a.app.id}/sso/saml` : a.step === 'refresh' ? '/oauth2/v1/token' : '/idp/idx/identify',
    threat_suspected: 'false',
    url: a.step === 'app' ? `/app/${a.app.resource}/${a.app.id}/sso/saml?` : '/idp/idx/identify?',
    dt_hash: rng.hex(64),
  };
  if (a.risk && (a.step === 'primary' || a.step === 'policy')) {
    debug.risk_level = a.risk.toUpperCase();
    debug.risk_reasons = a.risk === 'low' ? ['Anomalous Location'] : ['Anomalous Device', 'Anomalous Location'];
  }
  const okta: Record<string, unknown> = {
    actor: { alternate_id: u.email, display_name: u.displayName, id: u.oktaId, type: 'User' },
    authentication_context: {
      authentication_step: 0,
      external_session_id: `102${a.session.replace(/-/g, '').slice(0, 22)}`,
      ...(a.step === 'mfa' || a.step === 'push' ? { credential_type: MFA_FACTOR[a.mfa] } : {}),
    },
    client: {
      device: a.agent.oktaDevice,
      ip: net.ip,
      user_agent: { browser: a.agent.oktaBrowser, os: a.agent.oktaOs, raw_user_agent: a.agent.ua || 'unknown' },
      zone: net.trusted ? (net.kind === 'vpn' ? 'Corporate VPN' : 'Corporate Network') : 'null',
    },
    debug_context: { debug_data: debug },
    display_message: def.message,
    event_type: def.type,
    outcome: def.reason ? { reason: def.reason, result: def.result } : { result: def.result },
    request: {
      ip_chain: [
        {
          geographical_context: {
            city: where.name,
            country: where.country,
            geolocation: { lat: where.lat, lon: where.lon },
            postal_code: String(10000 + (Math.abs(Math.round(where.lat * 1000)) % 89999)),
            state: where.region,
          },
          ip: net.ip,
          version: v6 ? 'V6' : 'V4',
        },
      ],
    },
    transaction: { id: requestId, type: 'WEB' },
    uuid: id,
  };
  if (net.asn) {
    okta.security_context = {
      as: asDoc(net.asn),
      domain: net.asn.domain,
      is_proxy: net.kind === 'vpn' || net.kind === 'relay' || net.asn.kind === 'vpn',
      isp: net.asn.org.toLowerCase(),
    };
  }
  if (a.step === 'app' || a.step === 'refresh') {
    okta.target = [{ alternate_id: a.app.name, display_name: a.app.name, id: a.app.id, type: 'AppInstance' }];
  }
  const userName = u.username;
  const source: Record<string, unknown> = { geo: geoDoc(net.geo), ip: net.ip, user: { full_name: u.displayName, id: u.oktaId, name: userName } };
  if (net.asn) source.as = asDoc(net.asn);
  const client: Record<string, unknown> = {
    geo: { city_name: where.name, country_name: where.country, location: { lat: where.lat, lon: where.lon }, region_name: where.region },
    ip: net.ip,
    user: { full_name: u.displayName, id: u.oktaId, name: userName },
  };
  if (net.asn) {
    client.as = { organization: { name: net.asn.org.toLowerCase() } };
    client.domain = net.asn.domain;
  }
  const doc: Record<string, unknown> = {
    '@timestamp': ts,
    client,
    ecs: { version: '8.11.0' },
    event: { action: def.type, category: def.category, id, kind: 'event', outcome, type: def.etype },
    okta,
    related: { ip: [net.ip], user: [u.displayName] },
    source,
    tags: ['forwarded', 'okta-system'],
    user: { full_name: u.displayName, name: userName },
  };
  if (a.agent.ua) doc.user_agent = uaDoc(a.agent);
  return doc;
}
