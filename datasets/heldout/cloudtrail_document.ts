/**
 * One CloudTrail record, rendered the way the AWS integration indexes it into
 * `logs-aws.cloudtrail-*`: `aws.cloudtrail.*` with the identity under `user_identity` (session
 * context for assumed roles), `user.name` the IAM user or the role's name, `source.address` the
 * caller's address or the AWS service acting on the principal's behalf (then no `source.ip`),
 * geoip only for public addresses, errors in `aws.cloudtrail.error_code` / `error_message`.
 */
import { isoCompact, isoMillis } from './calendar';
import type { Dice } from './dice';
import type { Emitted } from './labels';
import { asOf, geoOf, type Network } from './world';

export type IdentityType = 'IAMUser' | 'AssumedRole';

export interface PrincipalIdentity {
  /** user.name: the IAM user, or the role for assumed-role sessions. */
  name: string;
  type: IdentityType;
  account: string;
  /** AIDA… for users, AROA… for roles. */
  principalId: string;
  /** The IAM user's or the role's ARN. */
  arn: string;
  /** A long-lived key for IAM users (AKIA…). */
  accessKeyId?: string;
}

export interface Session {
  /** Role session name (an email, an instance id, a job id). */
  name: string;
  accessKeyId: string;
  created: number;
  mfa: boolean;
  /** The AWS service that assumed the role, for service-linked roles and service-run sessions. */
  invokedBy?: string;
  /**
   * A federated user an IAM user made for itself with sts:GetFederationToken (set 6): the session
   * name is the federated user's, the IAM user issued it.
   */
  federated?: boolean;
}

export type Source = { kind: 'ip'; ip: string; network?: Network } | { kind: 'service'; name: string } | { kind: 'aws-internal' };

export interface ApiCall {
  t: number;
  who: PrincipalIdentity;
  session?: Session;
  provider: string;
  action: string;
  region: string;
  source: Source;
  userAgent: string;
  readOnly: boolean;
  category: 'Management' | 'Data';
  errorCode?: string;
  errorMessage?: string;
  requestParameters?: Record<string, unknown>;
  responseElements?: Record<string, unknown>;
  /** ConsoleLogin only. */
  console?: { success: boolean; mfa: boolean; loginTo: string };
}

const ERROR_MESSAGES: Record<string, string> = {
  AccessDenied: 'User is not authorized to perform this operation',
  'Client.UnauthorizedOperation': 'You are not authorized to perform this operation.',
  NoSuchEntityException: 'The role with name cannot be found.',
  ResourceNotFoundException: 'Requested resource not found',
  ThrottlingException: 'Rate exceeded',
  NoSuchKey: 'The specified key does not exist.',
  'Client.InvalidParameterValue': 'Value for parameter is invalid.',
  ValidationException: 'Validation failed',
};

/** `{a=1, b={c=2}}`: how the integration keeps the raw JSON parameters as a string. */
function javaMapString(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(javaMapString).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${javaMapString(x)}`).join(', ')}}`;
}

export function renderCall(c: ApiCall, dice: Dice): Emitted {
  const id = dice.uuid();
  const assumed = c.who.type === 'AssumedRole';
  const session = c.session;
  const identity: Record<string, unknown> = { type: c.who.type };
  const federated = session?.federated === true && c.who.type === 'IAMUser';
  if (federated && session) {
    // As CloudTrail writes a GetFederationToken session: the federated user, issued by the IAM user.
    identity.type = 'FederatedUser';
    identity.arn = `arn:aws:sts::${c.who.account}:federated-user/${session.name}`;
    identity.principal_id = `${c.who.account}:${session.name}`;
    identity.access_key_id = session.accessKeyId;
    identity.session_context = {
      mfa_authenticated: String(session.mfa),
      creation_date: isoCompact(session.created),
      session_issuer: { account_id: c.who.account, arn: c.who.arn, principal_id: c.who.principalId, type: 'IAMUser', user_name: c.who.name },
    };
  } else if (assumed && session) {
    identity.arn = `arn:aws:sts::${c.who.account}:assumed-role/${c.who.name}/${session.name}`;
    identity.access_key_id = session.accessKeyId;
    identity.session_context = {
      mfa_authenticated: String(session.mfa),
      creation_date: isoCompact(session.created),
      session_issuer: { account_id: c.who.account, arn: c.who.arn, principal_id: c.who.principalId, type: 'Role' },
    };
    if (session.invokedBy) identity.invoked_by = session.invokedBy;
  } else {
    identity.arn = c.who.arn;
    if (c.who.accessKeyId && c.provider !== 'signin.amazonaws.com') identity.access_key_id = c.who.accessKeyId;
  }
  const failed = c.errorCode !== undefined || (c.console !== undefined && !c.console.success);
  const cloudtrail: Record<string, unknown> = {
    event_category: c.category,
    event_type: c.console ? 'AwsConsoleSignIn' : 'AwsApiCall',
    event_version: '1.09',
    flattened: {},
    management_event: c.category === 'Management',
    read_only: c.readOnly,
    recipient_account_id: c.who.account,
    request_id: dice.uuid(),
    user_identity: identity,
  };
  const flattened = cloudtrail.flattened as Record<string, unknown>;
  if (c.errorCode) {
    cloudtrail.error_code = c.errorCode;
    cloudtrail.error_message = c.errorMessage ?? ERROR_MESSAGES[c.errorCode] ?? 'Error';
  }
  if (c.requestParameters) {
    cloudtrail.request_parameters = javaMapString(c.requestParameters);
    flattened.request_parameters = c.requestParameters;
  }
  if (c.console) {
    const extra = { LoginTo: c.console.loginTo, MobileVersion: 'No', MFAUsed: c.console.mfa ? 'Yes' : 'No' };
    cloudtrail.additional_eventdata = javaMapString(extra);
    cloudtrail.console_login = { additional_eventdata: { login_to: c.console.loginTo, mfa_used: c.console.mfa, mobile_version: false } };
    flattened.additional_eventdata = extra;
    flattened.response_elements = { ConsoleLogin: c.console.success ? 'Success' : 'Failure' };
    cloudtrail.response_elements = `{ConsoleLogin=${c.console.success ? 'Success' : 'Failure'}}`;
    if (!c.console.success) cloudtrail.error_message = 'Failed authentication';
  } else if (c.responseElements) {
    cloudtrail.response_elements = javaMapString(c.responseElements);
    flattened.response_elements = c.responseElements;
  }

  const source: Record<string, unknown> = {};
  if (c.source.kind === 'ip') {
    source.address = c.source.ip;
    source.ip = c.source.ip;
    if (c.source.network) {
      source.as = asOf(c.source.network);
      source.geo = geoOf(c.source.network);
    }
  } else {
    source.address = c.source.kind === 'service' ? c.source.name : 'AWS Internal';
  }

  const userId = federated && session ? `${c.who.account}:${session.name}` : assumed && session ? `${c.who.principalId}:${session.name}` : c.who.principalId;
  const event: Record<string, unknown> = {
    action: c.action,
    dataset: 'aws.cloudtrail',
    id,
    kind: 'event',
    outcome: failed ? 'failure' : 'success',
    provider: c.provider,
    type: ['info'],
  };
  if (c.console) event.category = ['authentication'];
  const doc: Record<string, unknown> = {
    '@timestamp': isoMillis(c.t),
    aws: { cloudtrail },
    cloud: { account: { id: c.who.account }, region: c.region },
    data_stream: { dataset: 'aws.cloudtrail', namespace: 'default', type: 'logs' },
    ecs: { version: '8.11.0' },
    event,
    related: federated ? { entity: [userId, c.who.name, c.who.arn, identity.arn], user: [c.who.name] } : assumed ? { entity: [userId, c.who.name, c.who.arn, identity.arn] } : { entity: [c.who.principalId, c.who.name, c.who.arn], user: [c.who.name] },
    source,
    // The integration also names a session's person when the session is named by an e-mail (SSO).
    user: assumed && session?.name.includes('@') ? { id: userId, name: c.who.name, email: session.name } : { id: userId, name: c.who.name },
    user_agent: parseAgent(c.userAgent),
  };
  return { t: c.t, doc, id, user: c.who.name };
}

/** The user_agent processor's view of SDK, CLI and console agents. */
function parseAgent(ua: string): Record<string, unknown> {
  const out: Record<string, unknown> = { original: ua, device: { name: 'Other' } };
  const browser = /(Edg|Firefox|Chrome|Version)\/([\d.]+)/.exec(ua);
  if (ua.startsWith('Mozilla/') && browser) {
    out.name = { Edg: 'Edge', Firefox: 'Firefox', Chrome: 'Chrome', Version: 'Safari' }[browser[1]];
    out.version = browser[2];
    return out;
  }
  const tool = /^\[?([A-Za-z][\w-]*)\/v?([\d.]+)/.exec(ua);
  if (tool) {
    out.name = tool[1];
    out.version = tool[2];
  }
  return out;
}
