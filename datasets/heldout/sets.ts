/**
 * The held-out sets. Four organisations of different shape, four seeds, four sizes; 28 days to
 * learn from and the week after to score. Kept out of tuning: measure on them, never adjust to
 * them (see README.md in this folder). Sets 1 and 2 are development sets from session 9 on; set 3
 * was sealed until its first measurement (session 9) and has been looked at since; it also plants
 * tooling variants (variants.ts). Set 4 sits apart, in SEALED_SETS, so that a run that names no
 * sets never scores it (it has been measured since); set 5, a university hospital with new
 * tooling, sits beside it (measured once since); set 6, a regional airline with new tooling, is
 * sealed until the final measurement and sits beside them, as does set 7, a games studio with new
 * tooling. Name them to generate them.
 */
import type { OrgName } from './organisations';
import type { AwsAttackPlan, EntraAttackPlan } from './victims';

export interface SetSpec {
  name: string;
  org: OrgName;
  seed: number;
  /** Entra accounts (people and device mailboxes). */
  azureUsers: number;
  /** CloudTrail principals (user.name values), before any the intruders create. */
  cloudtrailPrincipals: number;
  trainDays: number;
  testDays: number;
  newHires: number;
  /** At least this many people away on business in the scored week. */
  minTrips: number;
  entra: EntraAttackPlan;
  aws: AwsAttackPlan;
}

export const SETS: readonly SetSpec[] = [
  {
    name: 'set1',
    org: 'harbourline',
    seed: 7141,
    azureUsers: 120,
    cloudtrailPrincipals: 60,
    trainDays: 28,
    testDays: 7,
    newHires: 5,
    minTrips: 6,
    entra: {
      T1078: { obvious: 2, subtle: 2 },
      T1110: { obvious: 2, subtle: 2 },
      T1213: { obvious: 1, subtle: 2 },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'obvious' },
        { who: 'sparse', family: 'T1110', style: 'obvious' },
      ],
    },
    aws: {
      T1078: { obvious: 2, subtle: 1 },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 1, subtle: 2 },
      T1530: { obvious: 1, subtle: 2 },
      T1537: { obvious: 1, subtle: 2 },
      T1213: { obvious: 1, subtle: 2 },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'obvious' },
      ],
    },
  },
  {
    name: 'set2',
    org: 'kestrel',
    seed: 90210,
    azureUsers: 300,
    cloudtrailPrincipals: 150,
    trainDays: 28,
    testDays: 7,
    newHires: 10,
    minTrips: 12,
    entra: {
      T1078: { obvious: 3, subtle: 4 },
      T1110: { obvious: 3, subtle: 3 },
      T1213: { obvious: 2, subtle: 3 },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'obvious' },
        { who: 'new-hire-late-training', family: 'T1078', style: 'subtle' },
        { who: 'sparse', family: 'T1110', style: 'obvious' },
        { who: 'sparse', family: 'T1110', style: 'subtle' },
      ],
    },
    aws: {
      T1078: { obvious: 2, subtle: 2 },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 2, subtle: 2 },
      T1530: { obvious: 2, subtle: 3 },
      T1537: { obvious: 2, subtle: 2 },
      T1213: { obvious: 2, subtle: 2 },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'obvious' },
      ],
    },
  },
  {
    // Sealed: built in session 9, scored by nobody until the final measurement (README.md).
    name: 'set3',
    org: 'maplecrest',
    seed: 52917,
    azureUsers: 200,
    cloudtrailPrincipals: 100,
    trainDays: 28,
    testDays: 7,
    newHires: 8,
    minTrips: 8,
    entra: {
      T1078: { obvious: 3, subtle: 4, variants: { obvious: ['aitm-replay', 'aitm-replay'], subtle: ['aitm-replay', 'aitm-replay'] } },
      T1110: { obvious: 3, subtle: 3, variants: { obvious: ['mfa-fatigue', 'mfa-fatigue'], subtle: ['cloud-spray', 'cloud-spray'] } },
      T1213: { obvious: 2, subtle: 2, variants: { obvious: ['personal-device'], subtle: ['personal-device'] } },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'obvious' },
        { who: 'new-hire-late-training', family: 'T1078', style: 'subtle', variant: 'aitm-replay' },
        { who: 'sparse', family: 'T1110', style: 'subtle' },
      ],
    },
    aws: {
      T1078: { obvious: 2, subtle: 1, variants: { obvious: ['instance-credentials'], subtle: ['instance-credentials'] } },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 2, subtle: 2, variants: { obvious: ['workload-iam'], subtle: ['workload-iam'] } },
      T1530: { obvious: 2, subtle: 2, variants: { obvious: ['rclone'], subtle: ['s3-sync'] } },
      T1537: { obvious: 2, subtle: 2, variants: { obvious: ['bucket-replication'], subtle: ['ami-share'] } },
      T1213: { obvious: 1, subtle: 1, variants: { obvious: ['athena-bulk'] } },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'obvious' },
      ],
    },
  },
];

/**
 * Sets nobody has scored yet, kept out of SETS (every set a run uses when it names none) until
 * their measurement: generate them by name only (`--sets set4 --generate-only`).
 */
export const SEALED_SETS: readonly SetSpec[] = [
  {
    // Sealed: built in session 11, scored by nobody until the final measurement (README.md).
    name: 'set4',
    org: 'totara',
    seed: 64283,
    azureUsers: 160,
    cloudtrailPrincipals: 80,
    trainDays: 28,
    testDays: 7,
    newHires: 6,
    minTrips: 6,
    entra: {
      T1078: { obvious: 3, subtle: 3, variants: { obvious: ['token-theft', 'aitm-replay'], subtle: ['token-theft', 'token-theft'] } },
      T1110: { obvious: 2, subtle: 3, variants: { obvious: ['mfa-fatigue'], subtle: ['slow-spray', 'slow-spray'] } },
      T1213: { obvious: 2, subtle: 2, variants: { subtle: ['personal-device'] } },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'subtle', variant: 'token-theft' },
        { who: 'new-hire-late-training', family: 'T1110', style: 'obvious' },
        { who: 'sparse', family: 'T1110', style: 'subtle', variant: 'slow-spray' },
        { who: 'sparse', family: 'T1078', style: 'obvious' },
      ],
    },
    aws: {
      T1078: { obvious: 2, subtle: 1, variants: { obvious: ['instance-credentials'] } },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 2, subtle: 2, variants: { obvious: ['login-profile', 'workload-iam'], subtle: ['login-profile'] } },
      T1530: { obvious: 2, subtle: 2, variants: { obvious: ['s3-cp-ec2'], subtle: ['s3-cp-ec2'] } },
      T1537: { obvious: 1, subtle: 2, variants: { subtle: ['ami-share'] } },
      T1213: { obvious: 2, subtle: 1, variants: { obvious: ['athena-bulk'] } },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'subtle' },
      ],
    },
  },
  {
    // Sealed: built in session 12, scored by nobody until the final measurement (README.md).
    name: 'set5',
    org: 'sormark',
    seed: 31877,
    azureUsers: 180,
    cloudtrailPrincipals: 90,
    trainDays: 28,
    testDays: 7,
    newHires: 7,
    minTrips: 6,
    entra: {
      T1078: { obvious: 3, subtle: 3, variants: { obvious: ['device-code', 'consent-grant'], subtle: ['device-code', 'consent-grant', 'token-theft'] } },
      T1110: { obvious: 2, subtle: 3, variants: { obvious: ['proxy-spray', 'mfa-fatigue'], subtle: ['proxy-spray', 'proxy-spray'] } },
      T1213: { obvious: 2, subtle: 2, variants: { obvious: ['graph-script'], subtle: ['graph-script'] } },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'obvious', variant: 'device-code' },
        { who: 'new-hire-late-training', family: 'T1078', style: 'subtle', variant: 'consent-grant' },
        { who: 'sparse', family: 'T1110', style: 'subtle', variant: 'proxy-spray' },
        { who: 'sparse', family: 'T1110', style: 'obvious' },
      ],
    },
    aws: {
      T1078: { obvious: 2, subtle: 2, variants: { obvious: ['leaked-key'], subtle: ['leaked-key'] } },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 2, subtle: 3, variants: { obvious: ['inline-admin', 'cross-user-key'], subtle: ['inline-admin', 'cross-user-key'] } },
      T1530: { obvious: 2, subtle: 2, variants: { obvious: ['s3-select'], subtle: ['s3-select'] } },
      T1537: { obvious: 1, subtle: 2, variants: { obvious: ['backup-copy'], subtle: ['backup-copy'] } },
      T1213: { obvious: 2, subtle: 1, variants: { obvious: ['athena-bulk'] } },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'subtle' },
      ],
    },
  },
  {
    // Sealed: built in session 13, scored by nobody until the final measurement (README.md).
    name: 'set6',
    org: 'skarv',
    seed: 58291,
    azureUsers: 220,
    cloudtrailPrincipals: 100,
    trainDays: 28,
    testDays: 7,
    newHires: 8,
    minTrips: 6,
    entra: {
      T1078: { obvious: 3, subtle: 3, variants: { obvious: ['prt-replay', 'token-theft'], subtle: ['prt-replay', 'device-code'] } },
      T1110: { obvious: 3, subtle: 2, variants: { obvious: ['teamfiltration', 'mfa-fatigue'], subtle: ['teamfiltration'] } },
      T1213: { obvious: 2, subtle: 2, variants: { obvious: ['ediscovery-export'], subtle: ['ediscovery-export'] } },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'subtle' },
        { who: 'new-hire-late-training', family: 'T1110', style: 'obvious', variant: 'teamfiltration' },
        { who: 'sparse', family: 'T1078', style: 'obvious', variant: 'prt-replay' },
        { who: 'sparse', family: 'T1110', style: 'subtle' },
      ],
    },
    aws: {
      T1078: { obvious: 3, subtle: 2, variants: { obvious: ['federation-token', 'ssm-command'], subtle: ['federation-token', 'ssm-command'] } },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 2, subtle: 2, variants: { obvious: ['lambda-backdoor', 'login-profile'], subtle: ['lambda-backdoor'] } },
      T1530: { obvious: 2, subtle: 2, variants: { obvious: ['ebs-direct'], subtle: ['ebs-direct', 's3-select'] } },
      T1537: { obvious: 2, subtle: 2, variants: { obvious: ['s3-copy-out'], subtle: ['s3-copy-out', 'backup-copy'] } },
      T1213: { obvious: 1, subtle: 2, variants: { obvious: ['athena-bulk'] } },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'obvious' },
      ],
    },
  },
  {
    // Sealed: built in session 14, scored by nobody until the final measurement (README.md).
    name: 'set7',
    org: 'bandada',
    seed: 40733,
    azureUsers: 190,
    cloudtrailPrincipals: 90,
    trainDays: 28,
    testDays: 7,
    newHires: 7,
    minTrips: 6,
    entra: {
      T1078: { obvious: 3, subtle: 3, variants: { obvious: ['helpdesk-reset', 'aitm-replay'], subtle: ['helpdesk-reset', 'token-theft'] } },
      T1110: { obvious: 2, subtle: 3, variants: { obvious: ['fasthttp'], subtle: ['fasthttp', 'slow-spray'] } },
      T1213: { obvious: 2, subtle: 2, variants: { obvious: ['copilot-search'], subtle: ['copilot-search'] } },
      generic: [
        { who: 'new-hire-scored-week', family: 'T1078', style: 'obvious', variant: 'helpdesk-reset' },
        { who: 'new-hire-late-training', family: 'T1078', style: 'subtle' },
        { who: 'sparse', family: 'T1110', style: 'obvious', variant: 'fasthttp' },
        { who: 'sparse', family: 'T1078', style: 'subtle' },
      ],
    },
    aws: {
      T1078: { obvious: 2, subtle: 2, variants: { obvious: ['llmjacking'], subtle: ['llmjacking'] } },
      T1110: { obvious: 1, subtle: 1 },
      T1098: { obvious: 2, subtle: 2, variants: { obvious: ['roles-anywhere'], subtle: ['roles-anywhere'] } },
      T1530: { obvious: 2, subtle: 2, variants: { subtle: ['s3-cp-ec2'] } },
      T1537: { obvious: 1, subtle: 2, variants: { obvious: ['ami-share'] } },
      T1213: { obvious: 2, subtle: 2, variants: { obvious: ['secrets-batch'], subtle: ['secrets-batch'] } },
      generic: [
        { who: 'break-glass', family: 'T1110', style: 'obvious' },
        { who: 'contractor', family: 'T1078', style: 'subtle' },
      ],
    },
  },
];

export function setNamed(name: string): SetSpec {
  const s = [...SETS, ...SEALED_SETS].find((x) => x.name === name);
  if (!s) throw new Error(`no held-out set named ${name} (have ${[...SETS, ...SEALED_SETS].map((x) => x.name).join(', ')})`);
  return s;
}
