/**
 * The authentication attempt: the unit the login profiles render into documents. Benign flows
 * (per profile) and attack planners both produce attempts; each profile renders the steps its
 * integration logs (Azure: sign-ins; Okta: every system-log event; Duo: second-factor checks).
 */
import type { AppDef } from './apps';
import { Agent, browserAgent, Device, nativeAgent, toolAgent } from './devices';
import type { HumanUser } from './population';
import { Rng } from './rng';
import type { Activity, NetCtx } from './timeline';

/** policy: sign-on policy evaluation; primary: password; push: push sent; mfa: second factor; app: app sign-in/SSO; refresh: token refresh; logout. */
export type Step = 'policy' | 'primary' | 'push' | 'mfa' | 'app' | 'refresh' | 'logout';

export type AuthResult =
  | 'success'
  | 'bad_password'
  | 'locked_out'
  | 'mfa_required'
  | 'kmsi_interrupt'
  | 'mfa_denied'
  | 'mfa_timeout'
  | 'mfa_fraud'
  | 'ca_blocked'
  | 'silent_fail'
  | 'password_expired'
  | 'session_expired'
  | 'device_auth_required'
  | 'remembered'
  | 'trusted_network';

export type MfaMethod = 'push' | 'sms' | 'totp' | 'call' | 'fido' | 'passcode' | 'previously' | 'remembered' | 'none';

export type LegacyProtocol = 'Authenticated SMTP' | 'IMAP4' | 'POP3' | 'Exchange ActiveSync' | 'Other clients' | 'Exchange Web Services';

export interface Attempt {
  t: number;
  user: HumanUser;
  agent: Agent;
  /** The device, when known to the identity provider (registered id, compliance). */
  device: Device | null;
  app: AppDef;
  net: NetCtx;
  step: Step;
  result: AuthResult;
  interactive: boolean;
  mfa: MfaMethod;
  authReq: 'single' | 'multi';
  legacy?: LegacyProtocol;
  session: string;
  risk?: 'low' | 'medium' | 'high';
  /** Duo: the phone that answers the second factor, and its network. */
  authDevice?: Device | null;
  authNet?: NetCtx | null;
}

/** The parts of an attempt shared by all steps of one activity. */
export interface AttemptBase {
  user: HumanUser;
  agent: Agent;
  device: Device | null;
  app: AppDef;
  net: NetCtx;
  session: string;
  risk?: Attempt['risk'];
  authDevice?: Device | null;
  authNet?: NetCtx | null;
}

/** Builds an attempt with one fixed object shape (spreads with optional keys are slow). */
export function mkAttempt(b: AttemptBase, t: number, step: Step, result: AuthResult, interactive: boolean, mfa: MfaMethod, multi: boolean, legacy?: LegacyProtocol): Attempt {
  return {
    t,
    user: b.user,
    agent: b.agent,
    device: b.device,
    app: b.app,
    net: b.net,
    step,
    result,
    interactive,
    mfa,
    authReq: multi ? 'multi' : 'single',
    legacy,
    session: b.session,
    risk: b.risk,
    authDevice: b.authDevice,
    authNet: b.authNet,
  };
}

const agentCache = new WeakMap<Device, Map<string, Agent>>();

/** What an activity's client presents (computed once per device, client and day). */
export function agentFor(a: Pick<Activity, 'client' | 'device' | 'app' | 't'>): Agent {
  const native = a.client === 'browser' || a.client === 'legacy' ? '' : (a.app.native ?? 'office');
  const key = `${a.client}|${native}|${Math.floor(a.t / 86_400_000)}`;
  let m = agentCache.get(a.device);
  if (!m) {
    m = new Map();
    agentCache.set(a.device, m);
  }
  const hit = m.get(key);
  if (hit) return hit;
  const agent = a.client === 'browser' ? browserAgent(a.device, a.t) : a.client === 'legacy' ? toolAgent('smtp-client') : nativeAgent(a.device, a.app.native ?? 'office', a.t);
  m.set(key, agent);
  return agent;
}

/** A user's usual second factor (stable per user). */
const mfaCache = new WeakMap<HumanUser, MfaMethod>();

export function preferredMfa(u: HumanUser): MfaMethod {
  const hit = mfaCache.get(u);
  if (hit) return hit;
  const r = new Rng(`mfa:${u.objectId}`);
  const m = r.choose<MfaMethod>([
    ['push', 0.78],
    ['totp', 0.08],
    ['sms', 0.06],
    ['fido', 0.05],
    ['call', 0.03],
  ]);
  mfaCache.set(u, m);
  return m;
}

/** The phone that receives the user's pushes on a day. */
export function phoneOf(u: HumanUser, day: number): Device | null {
  let best: Device | null = null;
  for (const d of u.devices) if (d.kind === 'phone' && day >= d.from && day < d.to) best = d;
  return best;
}
