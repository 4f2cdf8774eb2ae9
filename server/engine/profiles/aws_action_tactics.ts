import type { FirstSeenEvidence } from './types';

/**
 * The ATT&CK tactic an AWS API call serves when an intruder makes it, for the calls public detection
 * content singles out (MITRE ATT&CK T1098 / T1537 / T1562.008 / T1552, Stratus Red Team's AWS
 * techniques, the prebuilt CloudTrail rules of Elastic, Splunk and Sentinel). Every other call is
 * "routine". CloudTrail's `action_tactic` feature reads it, so each principal's own history says
 * how unusual it is: an administrator who attaches policies every week is not flagged for it, a
 * backup role that never touched IAM is, and the explanation can name the tactic ("first
 * account-manipulation call by this principal"). Calls named here are rare and high-impact; reads
 * that intruders also make all day (GetObject, GetSecretValue) are left out on purpose: their
 * volume is what tells, and the volume features read it.
 */
const TACTICS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    // Persistence / account manipulation (T1098, T1136): new credentials, users, trust.
    persistence: [
      'CreateAccessKey',
      'CreateLoginProfile',
      'UpdateLoginProfile',
      'CreateUser',
      'AddUserToGroup',
      'UpdateAssumeRolePolicy',
      'CreateSAMLProvider',
      'UpdateSAMLProvider',
      'CreateOpenIDConnectProvider',
      'CreateServiceSpecificCredential',
      'UploadSSHPublicKey',
      'CreateTrustAnchor',
    ],
    // Privilege escalation (T1098.003, T1484): policies attached or rewritten.
    'privilege-escalation': [
      'AttachUserPolicy',
      'AttachRolePolicy',
      'AttachGroupPolicy',
      'PutUserPolicy',
      'PutRolePolicy',
      'PutGroupPolicy',
      'CreatePolicyVersion',
      'SetDefaultPolicyVersion',
    ],
    // Exfiltration by sharing to another account or the public (T1537).
    exfiltration: [
      'ModifySnapshotAttribute',
      'ModifyImageAttribute',
      'ModifyDBSnapshotAttribute',
      'ModifyDBClusterSnapshotAttribute',
      'PutBucketPolicy',
      'PutBucketAcl',
      'PutObjectAcl',
      'DeletePublicAccessBlock',
      'DeleteBucketPublicAccessBlock',
      'PutBucketReplication',
    ],
    // Defense evasion (T1562.008, T1070): logging, detectors and MFA switched off.
    'defense-evasion': [
      'StopLogging',
      'DeleteTrail',
      'UpdateTrail',
      'PutEventSelectors',
      'DeleteFlowLogs',
      'DeleteDetector',
      'DisassociateFromMasterAccount',
      'DeleteResolverQueryLogConfig',
      'DeactivateMFADevice',
      'DeleteVirtualMFADevice',
      'DisableEbsEncryptionByDefault',
      'ScheduleKeyDeletion',
      'LeaveOrganization',
    ],
    // Credential access (T1552.005): an instance's Windows password.
    'credential-access': ['GetPasswordData'],
  }).flatMap(([tactic, actions]) => actions.map((action) => [action, tactic] as const)),
);

/** The tactic of an AWS API call (event.action), or "routine". */
export function awsActionTactic(action: string): string {
  return TACTICS.get(action) ?? ROUTINE_TACTIC;
}

/** What awsActionTactic names every call it does not single out. */
export const ROUTINE_TACTIC = 'routine';

/**
 * A principal's first call of a tactic it never used (action_tactic never seen in its history) is
 * evidence toward its user risk on its own (Profile.firstSeen), as GuardDuty's and the SIEM
 * vendors' "first time" IAM and sharing rules treat it: an intruder who creates one access key,
 * or shares one snapshot, makes one or two such calls whose z-score alone stays below the floor.
 * 8: two first calls in a day flag a principal (threshold 10), one alone does not. Chosen on the
 * development sets (held-out sets 1–2: compromised principals flagged 11 → 15 of 20 and 19 → 20
 * of 27, innocent 1 of 74 and 1 of 198 unchanged) and the demo generator (seed 42: unchanged).
 */
export const FIRST_SENSITIVE_ACTION: FirstSeenEvidence = Object.freeze({
  feature: 'action_tactic',
  except: Object.freeze([ROUTINE_TACTIC]),
  evidence: 8,
});
