/**
 * Cisco Duo authentication logs (`logs-cisco_duo.auth-*`): Duo only sees second-factor checks, so
 * a benign activity produces an event when it starts a session (or for apps that ask every time,
 * like VPN and RDP), with remembered devices, timed-out pushes and mistyped passcodes; rendered
 * as Elastic's cisco_duo integration indexes it (cisco_duo.auth.*, user_agent.*, source.*).
 */
import { Attempt, AttemptBase, AuthResult, agentFor, MfaMethod, mkAttempt, phoneOf, preferredMfa } from './auth';
import { asDoc, geoDoc } from './geo';
import type { Company } from './population';
import { Rng } from './rng';
import { Activity, mobileNet, NetCtx } from './timeline';
import { DAY, iso } from './time';
import type { RawEvent } from '../../server/engine/types';

function duoMethod(m: MfaMethod, hasPhone: boolean): MfaMethod {
  if (!hasPhone && (m === 'push' || m === 'sms' || m === 'call')) return 'passcode';
  return m;
}

/** Where the phone is when it answers: same Wi-Fi as the computer, or its mobile network. */
export function phoneNet(a: { user: Activity['user']; net: NetCtx; t: number; day: number }, rng: Rng): NetCtx {
  if ((a.net.kind === 'home' || a.net.kind === 'office' || a.net.kind === 'hotel') && rng.chance(0.65)) return a.net;
  const where = a.net.kind === 'attacker' ? a.user.home : a.net.where;
  return mobileNet(a.user, where, `${a.day}:${Math.floor(a.t / 7_200_000)}`, where.cc !== a.user.home.cc);
}

export function duoFlow(a: Activity, rng: Rng, remembered: Map<string, number>): Attempt[] {
  const u = a.user;
  if (u.kind !== 'human') return [];
  if (!a.sessionStart && !a.app.mfaEveryTime) return [];
  const agent = agentFor(a);
  const phone = phoneOf(u, a.day);
  const method = duoMethod(preferredMfa(u), !!phone);
  const authNet = a.device.kind === 'computer' ? phoneNet(a, rng) : a.net;
  const base: AttemptBase = { user: u, agent, device: a.device, app: a.app, net: a.net, session: a.session, authDevice: phone, authNet };
  const key = `${a.device.id || a.device.model}|${a.device.os}|${a.app.name}`;
  const until = remembered.get(key);
  if (!a.app.mfaEveryTime && until !== undefined && a.t < until) {
    return [mkAttempt({ ...base, authDevice: null, authNet: null }, a.t, 'mfa', 'remembered', true, 'remembered', true)];
  }
  const out: Attempt[] = [];
  let t = a.t;
  const add = (result: AuthResult) => {
    out.push(mkAttempt(base, t, 'mfa', result, true, method, true));
    t += rng.int(15_000, 90_000);
  };
  const r = rng.next();
  if (method === 'push' || method === 'call') {
    if (r < 0.035) add('mfa_timeout');
    else if (r < 0.043) add('mfa_denied');
  } else if (r < 0.04) add('bad_password');
  if (a.passwordDay && rng.chance(0.1)) add('mfa_timeout');
  add('success');
  if (!a.app.mfaEveryTime && a.client === 'browser' && rng.chance(0.6)) remembered.set(key, a.t + 7 * DAY);
  return out;
}

const FACTOR: Record<MfaMethod, string> = {
  push: 'duo_push',
  totp: 'duo_mobile_passcode',
  sms: 'sms_passcode',
  call: 'phone_call',
  fido: 'webauthn_credential',
  passcode: 'hardware_token',
  remembered: 'remembered_device',
  previously: 'remembered_device',
  none: 'not_available',
};

function resultReason(a: Attempt): [string, string] {
  switch (a.result) {
    case 'success':
      return ['success', a.mfa === 'push' || a.mfa === 'call' || a.mfa === 'fido' ? 'user_approved' : 'valid_passcode'];
    case 'remembered':
      return ['success', 'remembered_device'];
    case 'trusted_network':
      return ['success', 'trusted_network'];
    case 'mfa_timeout':
      return ['denied', 'no_response'];
    case 'mfa_denied':
      return ['denied', 'user_cancelled'];
    case 'mfa_fraud':
      return ['fraud', 'user_marked_fraud'];
    case 'bad_password':
      return ['denied', 'invalid_passcode'];
    case 'locked_out':
      return ['denied', 'locked_out'];
    case 'ca_blocked':
      return ['denied', 'denied_by_policy'];
    default:
      return ['error', 'error'];
  }
}

const GROUP: Record<string, string> = {
  engineering: 'Engineering',
  sales: 'Sales',
  finance: 'Finance',
  hr: 'People Team',
  it: 'IT Admins',
  support: 'Customer Support',
  marketing: 'Marketing',
  exec: 'Executives',
  legal: 'Legal',
  operations: 'Operations',
};

export function renderDuo(a: Attempt, rng: Rng, _company: Company): RawEvent | null {
  if (a.step !== 'mfa') return null;
  const u = a.user;
  const net = a.net;
  const ts = iso(a.t);
  const txid = rng.uuid();
  const [result, reason] = resultReason(a);
  const where = net.kind === 'home' || net.kind === 'office' || net.kind === 'hotel' ? net.where : net.geo.city;
  const accessDevice: Record<string, unknown> = {
    flash_version: 'uninstalled',
    geo: geoDoc(net.geo),
    ip: net.ip,
    is_encryption_enabled: a.device?.managed ? 'true' : 'unknown',
    is_firewall_enabled: a.device?.managed ? 'true' : 'unknown',
    is_password_set: a.device?.managed ? 'true' : 'unknown',
    java_version: 'uninstalled',
    location: { city: where.name, country: where.country, state: where.region },
  };
  if (net.asn) accessDevice.as = asDoc(net.asn);
  const auth: Record<string, unknown> = {
    access_device: accessDevice,
    application: { key: a.app.id, name: a.app.name },
    email: u.email,
    event_type: 'authentication',
    factor: FACTOR[a.mfa],
    isotimestamp: ts,
    reason,
    result,
    trusted_endpoint_status: a.device?.managed ? 'trusted' : 'not trusted',
    txid,
  };
  const related = [net.ip];
  if (a.authDevice && a.mfa !== 'remembered') {
    const pn = a.authNet ?? net;
    const pw = pn.kind === 'home' || pn.kind === 'office' || pn.kind === 'hotel' ? pn.where : pn.geo.city;
    const ad: Record<string, unknown> = {
      ip: pn.ip,
      location: { city: pw.name, country: pw.country, state: pw.region },
      name: a.mfa === 'passcode' ? `Hardware token ${u.duoKey.slice(2, 8)}` : `${a.authDevice.model} (${a.authDevice.phone ?? ''})`,
      geo: geoDoc(pn.geo),
    };
    if (pn.asn) ad.as = asDoc(pn.asn);
    auth.auth_device = ad;
    if (pn.ip !== net.ip) related.push(pn.ip);
  }
  const source: Record<string, unknown> = {
    geo: geoDoc(net.geo),
    ip: net.ip,
    user: { email: u.email, group: { name: [GROUP[u.dept] ?? 'Staff', 'Duo Users'] }, id: u.duoKey, name: u.username },
  };
  if (net.asn) source.as = asDoc(net.asn);
  const doc: Record<string, unknown> = {
    '@timestamp': ts,
    cisco_duo: { auth },
    ecs: { version: '8.11.0' },
    event: { category: ['authentication'], kind: 'event', outcome: result === 'success' ? 'success' : 'failure', reason, type: ['info'] },
    related: { ip: related, user: [u.username] },
    source,
    tags: ['forwarded', 'cisco_duo-auth'],
    user: { email: u.email, id: u.duoKey, name: u.username },
  };
  if (a.agent.duoBrowser || a.agent.duoOs) {
    const ua: Record<string, unknown> = {};
    if (a.agent.duoBrowser) ua.name = a.agent.duoBrowser;
    if (a.agent.duoBrowserVersion) ua.version = a.agent.duoBrowserVersion;
    if (a.agent.duoOs) ua.os = a.agent.duoOsVersion ? { name: a.agent.duoOs, version: a.agent.duoOsVersion } : { name: a.agent.duoOs };
    doc.user_agent = ua;
  }
  return doc;
}
