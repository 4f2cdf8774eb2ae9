/**
 * Attack tooling variants (set 3 on): other ways of doing what a family does, written from public
 * write-ups, labelled with the family they belong to so that the per-family tables stay as they
 * are. A victim without a variant gets the family's classic tooling (entra_attacks.ts,
 * aws_attacks.ts); these live in entra_tooling.ts and aws_tooling.ts, and the four set 4 added
 * in entra_tooling2.ts and aws_tooling2.ts.
 */

/** The variants each Entra family may use. */
export interface EntraVariants {
  T1078: 'aitm-replay' | 'token-theft';
  T1110: 'mfa-fatigue' | 'cloud-spray' | 'slow-spray';
  T1213: 'personal-device';
}

/** The variants each CloudTrail family may use. */
export interface AwsVariants {
  T1078: 'instance-credentials';
  T1110: never;
  T1098: 'workload-iam' | 'login-profile';
  T1530: 'rclone' | 's3-sync' | 's3-cp-ec2';
  T1537: 'bucket-replication' | 'ami-share';
  T1213: 'athena-bulk';
}

export type EntraVariant = EntraVariants[keyof EntraVariants];
export type AwsVariant = AwsVariants[keyof AwsVariants];

/** What each variant is, and where it comes from. */
export const VARIANTS: Record<EntraVariant | AwsVariant, string> = {
  'aitm-replay':
    'adversary-in-the-middle phishing: the victim signs in through a proxy on a hosting range (their own browser, their MFA), then the stolen session cookie is replayed from a VPN exit in another city with the victim\'s user agent and apps (Microsoft Threat Intelligence, AiTM phishing to BEC, 2022; ATT&CK T1557, T1550.004)',
  'mfa-fatigue':
    'the password is known; push prompts are sent again and again at night until the victim approves one, then a session (ATT&CK T1621; the Uber and Lapsus$ intrusions of 2022)',
  'cloud-spray':
    'low-and-slow password spray through rotating cloud gateway addresses (FireProx-style API Gateway), one try a day with a PowerShell client, through a client conditional access does not cover (ATT&CK T1110.003; MSOLSpray)',
  'personal-device':
    'the owner pulls SharePoint documents to an unmanaged personal computer on the home line (ATT&CK T1213.002)',
  'instance-credentials':
    'a batch host\'s or task\'s role credentials taken (SSRF to the metadata service) and used from outside AWS, or from another account\'s EC2 in the same region (the Capital One breach of 2019; GuardDuty InstanceCredentialExfiltration.OutsideAWS / InsideAWS)',
  'workload-iam':
    'a workload role\'s credentials give an IAM user a console password and AdministratorAccess, then the console is used; or the workload attaches AdministratorAccess to its own role from its own address (ATT&CK T1098.001; Rhino Security Labs, AWS IAM privilege escalation methods)',
  rclone: 'stolen long-lived keys used with rclone from a hosting range to copy buckets (ATT&CK S1040 Rclone, T1530)',
  's3-sync': 'a person\'s CLI credentials used for `aws s3 sync` from a commercial VPN exit in the home country, in working hours (ATT&CK T1530)',
  'bucket-replication': 'versioning turned on and a replication rule added that copies a bucket to another account, with a role created for it, at night from hosting (ATT&CK T1537)',
  'ami-share': 'an instance imaged and the image\'s launch permission given to another account, from the engineer\'s own network and tool (ATT&CK T1537; Stratus Red Team aws.exfiltration.ec2-share-ami)',
  'athena-bulk': 'the owner running Athena queries over customer tables at night from home and fetching every result (ATT&CK T1213)',
  // Set 4 on (entra_tooling2.ts, aws_tooling2.ts).
  'token-theft':
    'a desktop app\'s refresh token stolen from the victim\'s computer (infostealer) and redeemed, non-interactively, from a hosting or cloud range in the victim\'s own country, also for the other apps of its client family (Microsoft, "Token tactics", 2022; Storm-2372\'s regionally appropriate proxies, 2025; Secureworks, family of client IDs, 2022; ATT&CK T1528, T1550.001, T1078.004)',
  'slow-spray':
    'a password spray kept under lockout and alerting thresholds for weeks: one try per account every few days, each from another residential router, with an ordinary browser; the password of an account outside the MFA policy (no phone) works, and the session is used (Microsoft, Midnight Blizzard, January 2024; Storm-0940 and CovertNetwork-1658, October 2024; ATT&CK T1110.003)',
  'login-profile':
    'additional cloud credentials for an existing IAM user: a console password created (CreateLoginProfile) for a machine user, then its console used; or, subtle, an inactive old access key of a machine user re-enabled (UpdateAccessKey) in working hours and used the next day (ATT&CK T1098.001; Rhino Security Labs\' Pacu iam__backdoor_users_password and iam__backdoor_users_keys; Stratus Red Team aws.persistence.iam-create-user-login-profile)',
  's3-cp-ec2':
    'stolen credentials copied onto an EC2 instance in the victim\'s own account and `aws s3 cp --recursive` run there, so the reads come from the account\'s own region; obvious: the instance launched for it from a hosting range at night and terminated after; subtle: the team\'s jump host reached through Session Manager in working hours (ATT&CK T1530 with T1578.002)',
};
