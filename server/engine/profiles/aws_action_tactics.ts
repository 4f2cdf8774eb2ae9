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
  return TACTICS.get(action) ?? 'routine';
}
