/**
 * Who gets attacked. Victims are drawn per family from the accounts the technique makes sense
 * for (brute force needs a console password, volume abuse needs a principal that already reads
 * S3, an insider is a person), obvious ones first, then subtle ones; a few are accounts the
 * generic model scores (sparse users, new starters, the break-glass admin, a contractor). A plan
 * may give some victims a tooling variant (variants.ts), which can narrow who fits.
 */
import type { Window } from './calendar';
import type { Dice } from './dice';
import type { AwsFamily, AwsVictim } from './aws_attacks';
import type { Principal } from './aws_estate';
import type { EntraVictim } from './entra_attacks';
import type { Style } from './labels';
import type { Person } from './people';
import type { AwsVariant, AwsVariants, EntraVariant, EntraVariants } from './variants';

export interface FamilyCounts<V extends string = never> {
  obvious: number;
  subtle: number;
  /** Tooling variants: the first victims of each style get these, the rest the family's classic tooling. */
  variants?: { obvious?: readonly V[]; subtle?: readonly V[] };
}

export type EntraAttackPlan = { [F in keyof EntraVariants]: FamilyCounts<EntraVariants[F]> } & {
  /** Accounts with little or no history, each with the family and style planted on them. */
  generic: readonly { who: 'new-hire-scored-week' | 'new-hire-late-training' | 'sparse'; family: 'T1078' | 'T1110'; style: Style; variant?: EntraVariants['T1078' | 'T1110'] }[];
};

export type AwsAttackPlan = { [F in AwsFamily]: FamilyCounts<AwsVariants[F]> } & {
  generic: readonly { who: 'break-glass' | 'contractor'; family: 'T1078' | 'T1110'; style: Style }[];
};

/** Each victim slot of a family: its style and tooling variant (none: the classic tooling). */
function slots<V extends string>(c: FamilyCounts<V>): [Style, V | undefined][] {
  const of = (style: Style, n: number): [Style, V | undefined][] => [...Array(n).keys()].map((k) => [style, c.variants?.[style]?.[k]]);
  return [...of('obvious', c.obvious), ...of('subtle', c.subtle)];
}

/**
 * Who a variant can be planted on (a push prompt needs a phone; a personal computer, someone who
 * works at a desk of their own; a desktop app's token, a Windows or Mac of one's own; a password
 * that works without MFA, someone with no phone to register, whom the MFA policy leaves out).
 */
function fitsEntra(p: Person, variant: EntraVariant | undefined): boolean {
  if (variant === 'mfa-fatigue') return p.phone !== undefined;
  if (variant === 'personal-device') return ownDesk(p);
  if (variant === 'token-theft') return ownDesk(p) && p.laptop.os !== 'Linux';
  if (variant === 'slow-spray' || variant === 'proxy-spray') return p.phone === undefined;
  if (variant === 'consent-grant' || variant === 'graph-script') return ownDesk(p);
  // A primary refresh token lives on a Windows computer Entra joined (a kiosk's too).
  if (variant === 'prt-replay') return p.laptop.os.startsWith('Windows') && (p.laptop.trust === 'Azure AD joined' || p.laptop.trust === 'Hybrid Azure AD joined');
  if (variant === 'teamfiltration') return p.phone === undefined;
  // eDiscovery needs an administrator's rights, and their own computer.
  if (variant === 'ediscovery-export') return ownDesk(p) && p.apps.some(([a]) => a.name === 'Azure Portal' || a.name === 'Microsoft Intune');
  // FastHTTP's password works only where the MFA policy leaves the account out (no phone);
  // Copilot and SharePoint are read from a computer of one's own.
  if (variant === 'fasthttp') return p.phone === undefined;
  if (variant === 'copilot-search') return ownDesk(p);
  return true;
}

/** People who work on a computer of their own (not a teller station, not a cloud desktop). */
const ownDesk = (p: Person): boolean => p.laptop.form !== 'shared-terminal' && p.laptop.form !== 'virtual-desktop';

export function chooseEntraVictims(people: Person[], w: Window, plan: EntraAttackPlan, dice: Dice): EntraVictim[] {
  const victims: EntraVictim[] = [];
  const taken = new Set<number>();
  const established = people.filter((p) => p.kind === 'staff' && !p.sparse && p.hiredOn === undefined);
  const take = (pool: Person[], family: EntraVictim['family'], style: Style, history: EntraVictim['history'], variant?: EntraVariant): void => {
    const p = pool.find((q) => !taken.has(q.index) && fitsEntra(q, variant));
    if (!p) return;
    taken.add(p.index);
    victims.push(variant ? { person: p, family, style, history, variant } : { person: p, family, style, history });
  };
  for (const g of plan.generic) {
    const pool =
      g.who === 'sparse'
        ? people.filter((p) => p.sparse && p.hiredOn === undefined)
        : people.filter((p) => p.hiredOn !== undefined && (g.who === 'new-hire-scored-week' ? p.hiredOn >= w.testStart : p.hiredOn < w.testStart));
    take(dice.for('generic', g.who).shuffled(pool), g.family, g.style, g.who === 'sparse' ? 'sparse' : 'new-hire', g.variant);
  }
  const order: EntraVictim['family'][] = ['T1213', 'T1110', 'T1078'];
  for (const family of order) {
    // An insider works from their own laptop at home: not someone on a shared terminal or a cloud desktop.
    const pool = dice.for('victims', family).shuffled(family === 'T1213' ? established.filter(ownDesk) : established);
    for (const [style, variant] of slots<EntraVariant>(plan[family])) take(pool, family, style, 'established', variant);
  }
  return victims;
}

const members = (p: Principal): Person[] => (p.behaviour.kind === 'people' ? p.behaviour.members : []);
const tasksOf = (p: Principal): string[] => (p.behaviour.kind === 'people' ? p.behaviour.tasks.map(([t]) => t) : []);

const readsS3 = (p: Principal): boolean => tasksOf(p).some((t) => ['browseBuckets', 'athenaQuery', 'pipelineRun', 'notebook', 'etlJob'].includes(t));
const workloads = (all: Principal[], ...patterns: string[]): Principal[] =>
  patterns.flatMap((pattern) => all.filter((p) => p.behaviour.kind === 'workload' && p.behaviour.pattern === pattern));

/** Which principals a tooling variant can be planted on, best candidates first. */
function variantCandidates(variant: AwsVariant, all: Principal[]): Principal[] {
  const people = all.filter((p) => p.behaviour.kind === 'people' && members(p).length > 0 && p.createdOn === undefined);
  switch (variant) {
    case 'instance-credentials':
      // EC2 batch hosts first (instance profiles), then container tasks.
      return workloads(all, 'nightly', 'queue');
    case 'workload-iam':
      return workloads(all, 'timer', 'api');
    case 'rclone': {
      // Long-lived keys: machine users that move files, then people's own IAM users.
      const keys = all.filter((p) => p.behaviour.kind === 'machine' && (p.behaviour.job === 'partner-exchange' || p.behaviour.job === 'lims-sync'));
      return [...keys, ...people.filter((p) => p.role === 'iam-person' && readsS3(p))];
    }
    case 's3-sync':
      return people.filter(readsS3);
    case 'bucket-replication':
      return people.filter((p) => tasksOf(p).some((t) => t === 'terraformApply' || t === 'ec2Ops' || t === 'snapshots'));
    case 'ami-share':
      return people.filter((p) => tasksOf(p).includes('ec2Ops'));
    case 'athena-bulk':
      return people.filter((p) => tasksOf(p).includes('athenaQuery'));
    case 'login-profile':
      // Someone whose credentials can write IAM: identity admins, then people's own IAM users.
      return [...people.filter((p) => tasksOf(p).includes('iamAdmin')), ...people.filter((p) => p.role === 'iam-person' && !tasksOf(p).includes('iamAdmin'))];
    case 's3-cp-ec2': {
      // People who read S3 and run instances, or people's own IAM users (broad rights); else any who read S3.
      const readers = people.filter(readsS3);
      const able = readers.filter((p) => p.role === 'iam-person' || tasksOf(p).some((t) => t === 'ec2Ops' || t === 'shell'));
      return able.length > 0 ? able : readers;
    }
    case 'leaked-key':
      // Long-term keys (AKIA): people's own IAM users, then machine users that move files.
      return [...people.filter((p) => p.role === 'iam-person'), ...all.filter((p) => p.behaviour.kind === 'machine' && p.behaviour.job !== 'backups' && p.behaviour.job !== 'vendor-monitoring')];
    case 'inline-admin':
      // An IAM user that can write its own policies.
      return people.filter((p) => p.role === 'iam-person');
    case 'cross-user-key':
      return [...people.filter((p) => tasksOf(p).includes('iamAdmin')), ...people.filter((p) => p.role === 'iam-person' && !tasksOf(p).includes('iamAdmin'))];
    case 's3-select': {
      const keys = all.filter((p) => p.behaviour.kind === 'machine' && (p.behaviour.job === 'partner-exchange' || p.behaviour.job === 'lims-sync'));
      return [...people.filter(readsS3), ...keys];
    }
    case 'backup-copy':
      return people.filter((p) => tasksOf(p).some((t) => t === 'snapshots' || t === 'ec2Ops'));
    case 'federation-token':
      // GetFederationToken needs an IAM user's long-term key: people's own IAM users, then machine users.
      return [...people.filter((p) => p.role === 'iam-person'), ...all.filter((p) => p.behaviour.kind === 'machine' && p.behaviour.job !== 'backups' && p.behaviour.job !== 'vendor-monitoring')];
    case 'ssm-command':
      // People who reach instances, then people's own IAM users (broad rights).
      return [...people.filter((p) => tasksOf(p).some((t) => t === 'shell' || t === 'ec2Ops')), ...people.filter((p) => p.role === 'iam-person' && !tasksOf(p).some((t) => t === 'shell' || t === 'ec2Ops'))];
    case 'lambda-backdoor':
      return people.filter((p) => tasksOf(p).some((t) => t === 'terraformApply' || t === 'iamAdmin'));
    case 'ebs-direct':
      return people.filter((p) => tasksOf(p).some((t) => t === 'snapshots' || t === 'ec2Ops'));
    case 's3-copy-out': {
      const keys = all.filter((p) => p.behaviour.kind === 'machine' && (p.behaviour.job === 'partner-exchange' || p.behaviour.job === 'lims-sync'));
      return [...people.filter(readsS3), ...keys];
    }
    case 'llmjacking':
      // Long-term keys first (people's own IAM users, machine users), then people's sessions.
      return [...people.filter((p) => p.role === 'iam-person'), ...all.filter((p) => p.behaviour.kind === 'machine' && p.behaviour.job !== 'backups' && p.behaviour.job !== 'vendor-monitoring'), ...people.filter((p) => p.role !== 'iam-person')];
    case 'roles-anywhere':
      return [...people.filter((p) => tasksOf(p).includes('iamAdmin')), ...people.filter((p) => p.role === 'iam-person' && !tasksOf(p).includes('iamAdmin'))];
    case 'secrets-batch':
      // The owner's own reader of secrets and parameters.
      return people.filter((p) => tasksOf(p).some((t) => t === 'secrets' || t === 'params' || t === 'dynamoDebug'));
  }
}

/** Which principals each family can be planted on, best candidates first. */
function candidates(family: AwsFamily, style: Style, all: Principal[]): Principal[] {
  const people = all.filter((p) => p.behaviour.kind === 'people' && members(p).length > 0 && p.createdOn === undefined);
  switch (family) {
    case 'T1110':
      return people.filter((p) => p.role === 'iam-person');
    case 'T1537': {
      const backups = all.filter((p) => p.behaviour.kind === 'machine' && p.behaviour.job === 'backups');
      const builders = people.filter((p) => tasksOf(p).some((t) => t === 'terraformApply' || t === 'ec2Ops' || t === 'snapshots'));
      return style === 'subtle' ? [...backups, ...builders] : builders;
    }
    case 'T1098': {
      const admins = people.filter((p) => tasksOf(p).includes('iamAdmin'));
      return style === 'subtle' ? [...admins, ...people.filter((p) => tasksOf(p).includes('terraformApply'))] : people;
    }
    case 'T1213':
      return people;
    case 'T1530': {
      const readers = people.filter((p) => tasksOf(p).some((t) => ['browseBuckets', 'athenaQuery', 'pipelineRun', 'notebook'].includes(t)));
      const machines = all.filter((p) => p.behaviour.kind === 'machine' && (p.behaviour.job === 'partner-exchange' || p.behaviour.job === 'lims-sync'));
      const workloads = all.filter((p) => p.behaviour.kind === 'workload' && (p.behaviour.pattern === 'queue' || p.behaviour.pattern === 'nightly'));
      return [...readers, ...machines, ...workloads];
    }
    case 'T1078': {
      const keys = all.filter((p) => p.behaviour.kind === 'machine' && p.behaviour.job !== 'backups');
      return style === 'obvious' ? [...keys, ...people] : people;
    }
  }
}

export function chooseAwsVictims(principals: Principal[], plan: AwsAttackPlan, dice: Dice): AwsVictim[] {
  const victims: AwsVictim[] = [];
  const taken = new Set<number>();
  for (const g of plan.generic) {
    const p = principals.find((q) => (g.who === 'break-glass' ? q.role === 'break-glass' : q.createdOn !== undefined && q.behaviour.kind === 'people'));
    if (!p || taken.has(p.index)) continue;
    taken.add(p.index);
    victims.push({ principal: p, family: g.family, style: g.style, history: 'sparse' });
  }
  // Scarce candidates first, so that broad families do not use them up.
  const order: AwsFamily[] = ['T1110', 'T1537', 'T1098', 'T1213', 'T1530', 'T1078'];
  for (const family of order) {
    for (const [style, variant] of slots<AwsVariant>(plan[family]).reverse()) {
      const pool = (variant ? variantCandidates(variant, principals) : candidates(family, style, principals)).filter((p) => !taken.has(p.index));
      if (pool.length === 0) continue;
      // Subtle account manipulation and transfers go to the best-suited candidate (the backup
      // user, an identity admin); everything else to a random one.
      const bestSuited = !variant && style === 'subtle' && (family === 'T1537' || family === 'T1098');
      const p = bestSuited ? pool[0] : dice.for('aws-victim', family, victims.length).one(pool);
      taken.add(p.index);
      if (!variant) {
        victims.push({ principal: p, family, style, history: 'established' });
        continue;
      }
      const victim: AwsVictim = { principal: p, family, style, history: 'established', variant };
      if ((variant === 'workload-iam' && style === 'obvious') || variant === 'login-profile') {
        // The IAM user the intruder gives a console password to (or whose old key it re-enables): a machine user nobody signs in as.
        const target = principals.find((q) => q.role === 'machine-user' && q.behaviour.kind === 'machine' && q.behaviour.job !== 'backups' && !taken.has(q.index));
        if (target) {
          taken.add(target.index);
          victim.accomplice = target;
        }
      } else if (variant === 'cross-user-key') {
        // The other IAM user a key is made for: a person's own IAM user, else a machine user.
        const others = principals.filter((q) => q.identity.type === 'IAMUser' && q.createdOn === undefined && !taken.has(q.index) && (q.role === 'iam-person' || (q.role === 'machine-user' && q.behaviour.kind === 'machine' && q.behaviour.job !== 'backups')));
        if (others.length > 0) {
          const target = dice.for('aws-accomplice', victims.length).one(others);
          taken.add(target.index);
          victim.accomplice = target;
        }
      }
      victims.push(victim);
    }
  }
  return victims;
}
