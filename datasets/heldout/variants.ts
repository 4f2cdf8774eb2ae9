/**
 * Attack tooling variants (set 3 on): other ways of doing what a family does, written from public
 * write-ups, labelled with the family they belong to so that the per-family tables stay as they
 * are. A victim without a variant gets the family's classic tooling (entra_attacks.ts,
 * aws_attacks.ts); these live in entra_tooling.ts and aws_tooling.ts, the four set 4 added in
 * entra_tooling2.ts and aws_tooling2.ts, the nine set 5 added in entra_tooling3.ts and
 * aws_tooling3.ts, the eight set 6 added in entra_tooling4.ts and aws_tooling4.ts, and the six set 7 added in
 * entra_tooling5.ts and aws_tooling5.ts.
 */

/** The variants each Entra family may use. */
export interface EntraVariants {
  T1078: 'aitm-replay' | 'token-theft' | 'device-code' | 'consent-grant' | 'prt-replay' | 'helpdesk-reset';
  T1110: 'mfa-fatigue' | 'cloud-spray' | 'slow-spray' | 'proxy-spray' | 'teamfiltration' | 'fasthttp';
  T1213: 'personal-device' | 'graph-script' | 'ediscovery-export' | 'copilot-search';
}

/** The variants each CloudTrail family may use. */
export interface AwsVariants {
  T1078: 'instance-credentials' | 'leaked-key' | 'federation-token' | 'ssm-command' | 'llmjacking';
  T1110: never;
  T1098: 'workload-iam' | 'login-profile' | 'inline-admin' | 'cross-user-key' | 'lambda-backdoor' | 'roles-anywhere';
  T1530: 'rclone' | 's3-sync' | 's3-cp-ec2' | 's3-select' | 'ebs-direct';
  T1537: 'bucket-replication' | 'ami-share' | 'backup-copy' | 's3-copy-out';
  T1213: 'athena-bulk' | 'secrets-batch';
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
  // Set 5 on (entra_tooling3.ts, aws_tooling3.ts).
  'device-code':
    'device code phishing: the victim types the intruder\'s code at the device login page on their own computer (protocol deviceCode, a first-party public client such as Microsoft Authentication Broker or Azure CLI), and the intruder redeems the refresh token from its own infrastructure; obvious: from a hosting range abroad, a device registered and mail read at once; subtle: a few redemptions through a residential proxy in the victim\'s country (Microsoft, Storm-2372 device code phishing, February 2025; Volexity, device code authentication phishing, February 2025; ATT&CK T1528, T1078.004)',
  'consent-grant':
    'illicit consent grant: the victim consents to a look-alike multi-tenant application, whose delegated refresh token then reads mail and files through Microsoft Graph, non-interactively, as the victim; obvious: from a hosting range abroad, every hour day and night; subtle: from a cloud region in the victim\'s own country, a few times in working hours (Microsoft, detect and remediate illicit consent grants; Proofpoint and Microsoft on OAuth consent phishing, 2021–2024; ATT&CK T1528, T1550.001)',
  'proxy-spray':
    'a password spray through a residential proxy network: one try per exit address, geolocated in the victims\' own country, across many accounts within an hour or two, with a desktop client\'s ROPC flow; the password of an account without MFA works and the token is used, each request from another proxy exit (obvious) or a couple of times from one home-country line (subtle); the other tries are innocent noise, in both periods (Okta, credential stuffing through residential proxies, April 2024; Microsoft, Midnight Blizzard, January 2024; ATT&CK T1110.003, T1090.002)',
  'graph-script':
    'the owner pulls SharePoint and OneDrive through Microsoft Graph with a script (Microsoft Graph Command Line Tools, PowerShell SDK) from their own computer at home: late at night (obvious) or on a Saturday morning (subtle) (ATT&CK T1213.002, T1530; Microsoft Graph PowerShell SDK as used in insider data theft cases)',
  'leaked-key':
    'a long-term IAM user access key (AKIA) leaked in a public repository and used from a country the account never works in; obvious: an automated harvester within the hour from a hosting range, GetCallerIdentity, SES and EC2 quota checks, GPU instances launched in several regions; subtle: a handful of the owner\'s usual S3 reads with boto3 from a home line abroad in its working hours (Palo Alto Unit 42, EleKtra-Leak, 2023; Permiso, SES abuse with leaked keys, 2023; ATT&CK T1078.004, T1552.001)',
  'inline-admin':
    'an IAM user escalates itself with an inline policy (PutUserPolicy, Action * on Resource *) and uses the new rights on secrets and parameters; obvious: from a hosting range at night with stolen keys; subtle: from the owner\'s own network and CLI in working hours, named like a debugging policy (Rhino Security Labs, AWS IAM privilege escalation methods: iam:PutUserPolicy; ATT&CK T1098.003)',
  'cross-user-key':
    'an access key created for another IAM user (CreateAccessKey with a user name not the caller\'s), then used from a VPS: obvious, both at night from hosting ranges abroad; subtle, the key made in working hours from the admin\'s own network and tool, used the next day from a hosting range in the home country (Rhino Security Labs, iam:CreateAccessKey; Pacu iam__backdoor_users_keys; Stratus Red Team aws.persistence.iam-create-backdoor-user-keys; ATT&CK T1098.001)',
  's3-select':
    'objects read with S3 Select (SelectObjectContent, SELECT * FROM s3object) instead of GetObject, a query per object: obvious, stolen keys from a hosting range at night over the clinical and research exports; subtle, the principal\'s credentials from a commercial VPN exit in its own country in working hours (ATT&CK T1530)',
  'backup-copy':
    'AWS Backup recovery points copied to a vault in another account (StartCopyJob with a destination vault outside the organisation): obvious, vaults listed and every recent recovery point copied at night from hosting; subtle, two copy jobs from the infrastructure admin\'s own network and CLI in working hours, as a disaster-recovery test would look (AWS Backup cross-account copy; ATT&CK T1537)',
  // Set 6 on (entra_tooling4.ts, aws_tooling4.ts).
  'prt-replay':
    'a primary refresh token (the device-bound SSO token of an Entra-joined Windows computer or kiosk) taken from the victim\'s machine and replayed as a browser SSO cookie elsewhere, so the sign-ins carry the victim\'s own device id, trust and MFA claim but come from another network; obvious: from a hosting range abroad at night across mail, files and Teams, then a rogue device registered with it; subtle: a few SSO sign-ins to the victim\'s own apps from a residential line in the victim\'s country in working hours (Dirk-jan Mollema, "Abusing Azure AD SSO with the Primary Refresh Token", 2020, and ROADtx, "Phishing for Primary Refresh Tokens", 2023; ATT&CK T1550.004, T1528)',
  teamfiltration:
    'a password spray with the TeamFiltration framework: waves across many accounts from AWS hosts, each wave from another AWS region, through the Microsoft Teams client\'s ROPC flow with an outdated Teams desktop user agent; an account without MFA falls, and its token is redeemed for the other Microsoft clients of its family (OneDrive, Outlook, Office) from the same host, at once and at length (obvious) or a couple of times the next day (subtle); the other tries are innocent noise, in both periods (Proofpoint, "Attackers unleash TeamFiltration: account takeover campaign", UNK_SneakyStrike, June 2025; ATT&CK T1110.003, T1528)',
  'ediscovery-export':
    'an IT administrator abuses Microsoft Purview eDiscovery: content searches across other people\'s mailboxes and sites and an export, through the compliance portal, a tool the administrator never used before; obvious: from home late at night; subtle: from the office in working hours, a short session (Microsoft Purview, "Search the audit log for eDiscovery activities"; ATT&CK T1213.002, T1114.002)',
  'federation-token':
    'an IAM user\'s long-term key turned into a federated user that survives the key\'s deletion (sts:GetFederationToken), and a console session made from it through the federation endpoint (GetSigninToken, then ConsoleLogin as a FederatedUser); obvious: from a hosting range at night, the console used to look around and read Windows administrator passwords (ec2:GetPasswordData); subtle: the token made from the owner\'s own network and CLI in working hours, the console used the next day from a VPN exit in the home country for the owner\'s usual reads (Stratus Red Team aws.persistence.sts-federation-token; Hacking the Cloud, "Survive access key deletion with sts:GetFederationToken"; NetSPI aws_consoler; Stratus Red Team aws.credential-access.ec2-get-password-data; ATT&CK T1078.004, T1550.001)',
  'ssm-command':
    'stolen credentials used to run commands on the estate\'s instances through Systems Manager (ssm:SendCommand with AWS-RunShellScript, results read back with GetCommandInvocation); obvious: from a hosting range at night, instance inventory then commands on many instances fetching the instance role\'s credentials; subtle: the owner\'s session replayed through a residential proxy in its country in working hours, one command on two or three instances beside the owner\'s usual Session Manager work (Mitiga, "Abusing the SSM agent as a remote access trojan", 2023; Stratus Red Team aws.execution.ssm-send-command; ATT&CK T1651, T1078.004)',
  'lambda-backdoor':
    'persistence through Lambda: obvious, at night from a hosting range, a role with AdministratorAccess, a new function running as it, a public function URL (auth NONE) and a resource policy letting anyone invoke it, then the function\'s role making IAM keys; subtle, from the engineer\'s own network and tool in working hours, a resource policy on an existing function letting a stranger account invoke it (Stratus Red Team aws.persistence.lambda-backdoor-function; Rhino Security Labs, AWS IAM privilege escalation: iam:PassRole with lambda:CreateFunction; ATT&CK T1098, T1546)',
  'ebs-direct':
    'an EBS snapshot read block by block through the EBS direct APIs (ListSnapshotBlocks, GetSnapshotBlock) instead of being shared or mounted: obvious, stolen keys from a hosting range at night over one or two snapshots; subtle, the principal\'s credentials and boto3 from a commercial VPN exit in its own country in working hours, part of one snapshot (Rhino Security Labs, dsnap, 2022; ATT&CK T1530)',
  's3-copy-out':
    'objects copied server-side into a bucket in another account (s3:CopyObject, the destination a stranger\'s bucket, the source the organisation\'s): obvious, from a hosting range at night, bucket after bucket; subtle, `aws s3 cp --recursive` between the two buckets from the owner\'s own network and CLI in working hours, to a bucket named like a disaster-recovery archive (ATT&CK T1537; the cross-account server-side copy of the S3 CopyObject API, as AWS documents it: the caller needs only read on the source and write on the destination)',
  // Set 7 on (entra_tooling5.ts, aws_tooling5.ts).
  'helpdesk-reset':
    'help-desk social engineering: the intruder, posing as the employee, has the service desk reset the password and MFA, registers an authenticator of their own (Security info, My Sign-ins) from a new, unmanaged computer and signs in as the victim; obvious: through a commercial VPN or hosting exit in the evening, then straight across the identity provider\'s apps (Azure portal, SharePoint, cloud console SSO); subtle: from a residential proxy in the victim\'s country in working hours, to the victim\'s own apps (CISA and FBI advisory AA23-320A, Scattered Spider, 2023; Microsoft Threat Intelligence, "Octo Tempest crosses boundaries to facilitate extortion, encryption, and destruction", 2023; ATT&CK T1078.004, T1556.006, T1656)',
  fasthttp:
    'a high-rate password brute force with the FastHTTP Go library (user agent "fasthttp") through the ROPC flow, from residential and hosting addresses in many countries, Brazil first: hundreds of tries on the victim\'s account in minutes (obvious) or a few dozen over an evening (subtle), lockouts and MFA demands among them, until the password of an account without MFA works and the mailbox is read (Guardz and SpearTip, reported by BleepingComputer, "FastHTTP used in new high-speed Microsoft 365 password brute-force attacks", January 2025; ATT&CK T1110.001, T1110.003)',
  'copilot-search':
    'the owner asks Microsoft 365 Copilot, which they never used before, to find what they should not have (passwords, salaries, contracts) across SharePoint, then opens the documents it names: obvious, from home late at night, long and many; subtle, a short session from the usual place in working hours (Pen Test Partners, "Exploiting Copilot AI for SharePoint", 2025; Zenity, "Living off Microsoft Copilot", Black Hat USA 2024; ATT&CK T1213.002)',
  llmjacking:
    'stolen cloud credentials used to run large language models on the victim\'s bill: Bedrock probed (GetModelInvocationLoggingConfiguration to see whether prompts are logged, ListFoundationModels, GetFoundationModelAvailability), model access requested (PutUseCaseForModelAccess, CreateFoundationModelAgreement), then InvokeModel again and again; obvious: from a hosting range at night, in several regions, hundreds of invocations; subtle: a few probes and a few dozen invocations from a cloud address in working hours (Sysdig Threat Research, "LLMjacking: stolen cloud credentials used in new AI attack", May 2024, and its follow-up, September 2024; Permiso, "Exploiting hosted models", 2024; ATT&CK T1078.004, T1496)',
  'roles-anywhere':
    'persistence through IAM Roles Anywhere: a trust anchor holding the intruder\'s own certificate authority (CreateTrustAnchor), a profile naming a role (CreateProfile), the role\'s trust policy opened to rolesanywhere.amazonaws.com (UpdateAssumeRolePolicy), then X.509 sessions from outside (CreateSession) and the role used; obvious: at night from hosting, the role the intruder\'s, its sessions reading secrets and listing buckets hours later; subtle: from the admin\'s own network and CLI in working hours, a trust anchor named like a partner\'s CI, no session in the week (Stratus Red Team aws.persistence.rolesanywhere-create-trust-anchor; Datadog Security Labs; ATT&CK T1098.003, T1098)',
  'secrets-batch':
    'the owner dumps Secrets Manager with BatchGetSecretValue (up to 20 secrets a call, filtered by tag or name) instead of reading secrets one by one: obvious, at night from home, every secret in several regions; subtle, a handful of batch calls in working hours from the usual place and CLI (Stratus Red Team aws.credential-access.secretsmanager-batch-retrieve-secrets; AWS, BatchGetSecretValue, 2023; ATT&CK T1213, T1555.006)',
};
