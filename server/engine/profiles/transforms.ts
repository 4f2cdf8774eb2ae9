import type { Transform } from './types';
import { awsActionTactic } from './aws_action_tactics';

const DOTTED_VERSION = /\bv?\d+(?:[._]\d+)+[a-z]?\b/gi;
const ANY_NUMBER = /\d+/g;
const NUMBER_RUN = /\d+(?:[._]\d+)*/g;

/** Reduces a raw string to the form the model sees (see Transform for why). */
export function applyTransform(value: string, transform: Transform | undefined): string {
  switch (transform ?? 'none') {
    case 'none':
      return value;
    case 'lower':
      return value.toLowerCase();
    case 'strip-versions':
      // "iOS 17.2.1" → "iOS", "Windows 10" stays (a bare major is meaningful for an OS).
      return squash(value.replace(DOTTED_VERSION, ''));
    case 'family':
      // "Chrome 118.0.5993" → "Chrome", "Mobile Safari 17" → "Mobile Safari".
      return squash(value.replace(ANY_NUMBER, '').replace(/[._/-]+(?=\s|$)/g, '')) || value;
    case 'user-agent':
      return userAgentSignature(value);
    case 'ip-prefix':
      return ipPrefix(value);
    case 'message':
      return messageFamily(value);
    case 'access-key-kind':
      return accessKeyKind(value);
    case 'aws-action-tactic':
      return awsActionTactic(value);
  }
}

const ARN = /\barn:[^\s"',;]+/g;
/** Numbers standing alone (counts, ids, times), not the digits of a name such as "s3" or "ec2". */
const LONE_NUMBER = /(?<![A-Za-z])\d+(?:[.,:]\d+)*/g;

/**
 * An error message without what varies between occurrences of the same error: ARNs (account,
 * role, session, resource) and numbers. CloudTrail's failed ConsoleLogin carries only
 * aws.cloudtrail.error_message ("Failed authentication"), other errors quote ARNs in theirs.
 */
export function messageFamily(message: string): string {
  return squash(message.replace(ARN, 'arn').replace(LONE_NUMBER, '')).slice(0, 120);
}

/**
 * The kind of an AWS access key, never the key: AKIA… is a long-term key (an IAM user's),
 * ASIA… a temporary one from STS (a role session). The id itself changes at every session.
 * Other 4-letter AWS prefixes (ABIA, ACCA) are kept as they are; anything else is "other".
 */
export function accessKeyKind(id: string): string {
  const prefix = id.slice(0, 4);
  if (prefix === 'AKIA') return 'long-term';
  if (prefix === 'ASIA') return 'temporary';
  return /^A[A-Z]{2}A$/.test(prefix) && id.length >= 16 ? prefix : 'other';
}

const ASSUMED_ROLE = /^arn:aws[a-z-]*:sts::\d*:assumed-role\/[^/]+\/(.+)$/;

/** The session name of an assumed-role ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`); undefined for any other value. */
export function arnSession(arn: string): string | undefined {
  const m = ASSUMED_ROLE.exec(arn);
  return m ? m[1] : undefined;
}

/**
 * A user agent without its numbers: browser upgrades (Chrome/118 → Chrome/119) keep the same
 * signature while a new tool (python-requests, a different OS) changes it. Works for agents no
 * parser knows, which is most of what CloudTrail sees (aws-cli, Boto3, SDKs, consoles).
 */
export function userAgentSignature(ua: string): string {
  return squash(ua.replace(NUMBER_RUN, '')).slice(0, 160);
}

/** IPv4 → /24, IPv6 → /48; anything else (CloudTrail puts service names here) unchanged. */
export function ipPrefix(ip: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const parts = ip.split(':');
    return `${parts.slice(0, 3).join(':')}::/48`;
  }
  return ip;
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
