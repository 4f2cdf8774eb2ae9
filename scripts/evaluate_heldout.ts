/**
 * `npm run evaluate:heldout`: detection quality on the held-out sets (datasets/heldout/), which are
 * built independently of the demo generator and kept out of tuning. For each set and profile:
 * generate train.ndjson / test.ndjson / truth.json, run the real pipeline (`dfp run`, in a child
 * process, its log beside the data), and measure the scored week against the truth per ATT&CK
 * family. Prints a table and writes <out>/report.json.
 *
 * Measures:
 * - event AUC per family: that family's attack events against all non-attack events, ranked by
 *   dfp.zscore; macro event AUC is their mean (each family counts once, whatever its size);
 * - user AUC: users ranked by their highest dfp.user_risk, ties (most users have none) by their
 *   highest dfp.zscore as the app lists them (and, beside it, by their highest
 *   dfp.zscore), compromised against innocent;
 * - users flagged: by user risk (any event with dfp.user_flagged: dfp.user_risk ≥ the user-risk
 *   threshold in force), and by event (any event with dfp.is_anomaly: dfp.zscore ≥ the threshold).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Command } from 'commander';
import Table from 'cli-table3';
import { DEFAULTS } from '../common/fields';
import { qualityReport, rocAuc, type QualityReport } from '../server/engine/eval/metrics';
import { generateSet, HELDOUT_PROFILES, setNamed, SETS, writeHeldout, type HeldoutProfile, type HeldoutTruth } from '../datasets/heldout';
import { FAMILIES, type DriftKind, type Family } from '../datasets/heldout/labels';
import { intOption, floatOption, listOption } from './cli/options';

interface Options {
  out: string;
  sets: string[];
  profiles: string[];
  threshold: number;
  userRiskThreshold: number;
  epochs?: number;
  seed: number;
  scale: number;
  workers?: number;
  keepModels?: boolean;
  generateOnly?: boolean;
}

const opts = new Command('evaluate:heldout')
  .description('generate the held-out sets, run dfp on them, and report detection quality per attack family')
  .option('--out <dir>', 'where the sets, models, scored events and report.json go', 'heldout-output')
  .option('--sets <names>', `which sets (${SETS.map((s) => s.name).join(', ')})`, listOption)
  .option('--profiles <names>', `which profiles (${HELDOUT_PROFILES.join(', ')})`, listOption)
  .option('--threshold <z>', 'flag threshold on dfp.zscore', floatOption('--threshold'), DEFAULTS.zscoreThreshold)
  .option('--user-risk-threshold <r>', 'flag threshold on dfp.user_risk', floatOption('--user-risk-threshold'), DEFAULTS.userRiskThreshold)
  .option('--epochs <n>', "training epochs (default: the CLI's own default)", intOption('--epochs'))
  .option('--seed <n>', 'training seed', intOption('--seed'), 42)
  .option('--scale <f>', 'scale the sets down for a quick look (0.25 = a quarter of the users); 1 for the real measurement', floatOption('--scale'), 1)
  .option('--workers <n>', 'dfp worker threads (default: one a core)', intOption('--workers'))
  .option('--keep-models', 'keep models from an earlier run instead of training afresh')
  .option('--generate-only', 'write the sets and stop (no training, no report)')
  .parse(process.argv)
  .opts<Options>();

const say = (s: string): void => void process.stderr.write(`${s}\n`);

// ------------------------------------------------------------------ running dfp

/**
 * The training window's end: the newest training event, as dfp's default takes it for history
 * that is in the past. Given explicitly, because a set dated after this machine's clock (set 4)
 * would otherwise be refused as "timestamp in the future", as it should be in live use.
 */
function trainingEnd(train: readonly Record<string, unknown>[]): string {
  let newest = Number.NEGATIVE_INFINITY;
  for (const doc of train) {
    const t = Date.parse(String(doc['@timestamp']));
    if (t > newest) newest = t;
  }
  if (!Number.isFinite(newest)) throw new Error('evaluate:heldout: the training events carry no @timestamp');
  return new Date(newest).toISOString();
}

/** `dfp run` in a child process, its output in run.log: the same code path an operator runs. */
function runDfp(profile: HeldoutProfile, dir: string, train: string, test: string, scored: string, until: string): Promise<number> {
  const started = Date.now();
  const args = ['--import', 'tsx', path.join('scripts', 'dfp.ts'), 'run', '--profile', profile, '--train', train, '--input', test, '--out', scored, '--models', path.join(dir, 'models'), '--until', until, '--seed', String(opts.seed), '--threshold', String(opts.threshold), '--user-risk-threshold', String(opts.userRiskThreshold), '--quiet'];
  if (opts.epochs !== undefined) args.push('--epochs', String(opts.epochs));
  if (opts.workers !== undefined) args.push('--workers', String(opts.workers));
  const log = fs.openSync(path.join(dir, 'run.log'), 'w');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', log, log] });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(log);
      if (code === 0) resolve((Date.now() - started) / 1000);
      else reject(new Error(`dfp run exited with ${code}: see ${path.join(dir, 'run.log')}`));
    });
  });
}

// ------------------------------------------------------------------ measuring

interface FamilyResult {
  attackEvents: number;
  eventAuc: number;
  users: number;
  /** Victims with a flagged event, and victims flagged by their risk. */
  usersFlagged: number;
  usersRiskFlagged: number;
}

interface DriftResult {
  events: number;
  eventsFlagged: number;
  /** Personal drift kinds only: innocent users with this drift, and how many were flagged. */
  users?: number;
  usersFlagged?: number;
}

export interface RunResult {
  set: string;
  organisation: string;
  profile: HeldoutProfile;
  events: number;
  users: number;
  macroEventAuc: number;
  families: Partial<Record<Family, FamilyResult>>;
  byStyle: Record<'subtle' | 'obvious', { users: number; usersFlagged: number }>;
  /** Compromised users the generic model scored (too little or no history). */
  genericVictims: { users: number; usersFlagged: number };
  quality: QualityReport;
  /** Users with a flagged event (dfp.is_anomaly). */
  compromisedFlagged: number;
  compromised: number;
  innocentFlagged: number;
  innocent: number;
  /** Users flagged by their risk (dfp.user_flagged on any event). */
  compromisedRiskFlagged: number;
  innocentRiskFlagged: number;
  drift: Partial<Record<DriftKind, DriftResult>>;
  seconds: { generate: number; dfpRun: number; evaluate: number };
}

interface ScoredEvent {
  id: string;
  user: string;
  z: number;
  flagged: boolean;
  generic: boolean;
  userRisk?: number;
  userFlagged?: boolean;
}

async function readScored(file: string, idField: string): Promise<ScoredEvent[]> {
  const out: ScoredEvent[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  const [a, b] = idField.split('.');
  for await (const line of lines) {
    if (!line) continue;
    const doc = JSON.parse(line) as Record<string, Record<string, unknown>>;
    const dfp = doc.dfp as { user?: string; zscore?: number; is_anomaly?: boolean; model?: { generic?: boolean }; user_risk?: number; user_flagged?: boolean } | undefined;
    if (!dfp?.user) continue;
    out.push({
      id: String(doc[a]?.[b] ?? ''),
      user: dfp.user,
      z: dfp.zscore ?? -Infinity,
      flagged: dfp.is_anomaly === true,
      generic: dfp.model?.generic === true,
      ...(typeof dfp.user_risk === 'number' ? { userRisk: dfp.user_risk } : {}),
      ...(typeof dfp.user_flagged === 'boolean' ? { userFlagged: dfp.user_flagged } : {}),
    });
  }
  return out;
}

/** Drift kinds that concern one user rather than everyone. */
const PERSONAL: readonly DriftKind[] = ['business-trip', 'new-hire', 'deploy-day'];

/**
 * Users are whoever the scorer keyed events to (dfp.user): a profile may key them otherwise than
 * the generator names them (CloudTrail: an SSO session's person, a role's ARN), so the
 * compromised users are the keys of the planted attack events, and the users with benign drift
 * the keys of the drift events.
 */
function measure(events: ScoredEvent[], truth: HeldoutTruth): Omit<RunResult, 'set' | 'organisation' | 'profile' | 'seconds'> {
  const attackOf = new Map<string, number>();
  truth.attacks.forEach((a, i) => a.eventIds.forEach((id) => attackOf.set(id, i)));
  const userAttack = new Map<string, number>();
  for (const e of events) {
    const i = attackOf.get(e.id);
    if (i !== undefined && !userAttack.has(e.user)) userAttack.set(e.user, i);
  }
  const seen = new Set(events.map((e) => e.user));
  truth.attacks.forEach((a, i) => a.users.forEach((u) => seen.has(u) && !userAttack.has(u) && userAttack.set(u, i)));
  const compromised = new Set(userAttack.keys());
  const isAttack = (e: ScoredEvent): boolean => attackOf.has(e.id);
  const quality = qualityReport(
    events.map((e) => ({ user: e.user, score: e.z, flagged: e.flagged, attack: isAttack(e), userRisk: e.userRisk, userFlagged: e.userFlagged })),
    compromised,
  );
  const flaggedUsers = new Set(events.filter((e) => e.flagged).map((e) => e.user));
  const riskFlaggedUsers = new Set(events.filter((e) => e.userFlagged === true).map((e) => e.user));
  const genericUsers = new Set(events.filter((e) => e.generic).map((e) => e.user));

  const normal = events.filter((e) => !isAttack(e));
  const families: Partial<Record<Family, FamilyResult>> = {};
  for (const family of Object.keys(FAMILIES) as Family[]) {
    const attacks = events.filter((e) => truth.attackFamilies[e.id] === family);
    if (attacks.length === 0) continue;
    const ranked = [...attacks, ...normal];
    const victims = [...userAttack].filter(([, i]) => truth.attacks[i].family === family).map(([u]) => u);
    families[family] = {
      attackEvents: attacks.length,
      eventAuc: rocAuc(ranked.map((e) => e.z), ranked.map((_, i) => i < attacks.length)),
      users: victims.length,
      usersFlagged: victims.filter((u) => flaggedUsers.has(u)).length,
      usersRiskFlagged: victims.filter((u) => riskFlaggedUsers.has(u)).length,
    };
  }
  const aucs = Object.values(families).map((f) => f.eventAuc).filter((v) => !Number.isNaN(v));
  const byStyle = { subtle: { users: 0, usersFlagged: 0 }, obvious: { users: 0, usersFlagged: 0 } };
  for (const [user, i] of userAttack) {
    const s = byStyle[truth.attacks[i].style];
    s.users++;
    if (flaggedUsers.has(user)) s.usersFlagged++;
  }
  const genericVictims = [...compromised].filter((u) => genericUsers.has(u));

  const drift: Partial<Record<DriftKind, DriftResult>> = {};
  const driftUsers = new Map<DriftKind, Set<string>>();
  for (const e of events) {
    const kind = truth.driftEvents[e.id];
    if (!kind) continue;
    const r = (drift[kind] ??= { events: 0, eventsFlagged: 0 });
    r.events++;
    if (e.flagged) r.eventsFlagged++;
    if (PERSONAL.includes(kind) && !compromised.has(e.user)) driftUsers.set(kind, (driftUsers.get(kind) ?? new Set()).add(e.user));
  }
  for (const [kind, users] of driftUsers) {
    const r = drift[kind] as DriftResult;
    r.users = users.size;
    r.usersFlagged = [...users].filter((u) => flaggedUsers.has(u)).length;
  }
  const innocent = [...seen].filter((u) => !compromised.has(u));
  return {
    events: events.length,
    users: seen.size,
    macroEventAuc: aucs.length > 0 ? aucs.reduce((s, v) => s + v, 0) / aucs.length : NaN,
    families,
    byStyle,
    genericVictims: { users: genericVictims.length, usersFlagged: genericVictims.filter((u) => flaggedUsers.has(u)).length },
    quality,
    compromisedFlagged: [...compromised].filter((u) => flaggedUsers.has(u)).length,
    compromised: compromised.size,
    innocentFlagged: innocent.filter((u) => flaggedUsers.has(u)).length,
    innocent: innocent.length,
    compromisedRiskFlagged: [...compromised].filter((u) => riskFlaggedUsers.has(u)).length,
    innocentRiskFlagged: innocent.filter((u) => riskFlaggedUsers.has(u)).length,
    drift,
  };
}

// ------------------------------------------------------------------ reporting

const auc = (v: number | undefined): string => (v === undefined ? '' : Number.isNaN(v) ? 'n/a' : v.toFixed(3));
const share = (k: number, n: number): string => `${k}/${n}${n > 0 ? ` (${Math.round((100 * k) / n)}%)` : ''}`;
const plain = process.stdout.isTTY ? {} : { style: { head: [], border: [] } };

function tables(results: RunResult[]): string {
  const families = Object.keys(FAMILIES) as Family[];
  const main = new Table({
    head: ['set', 'profile', 'events (attack)', 'macro event AUC', ...families.map((f) => `${f} AUC`), 'user AUC by risk', 'user AUC by max z', 'compromised flagged by risk', 'innocent flagged by risk', 'compromised with a flagged event', 'innocent with a flagged event'],
    ...plain,
  });
  for (const r of results) {
    const byRisk = r.quality.userRanking === 'user_risk';
    main.push([
      r.set,
      r.profile,
      `${r.events} (${r.quality.attackEvents})`,
      auc(r.macroEventAuc),
      ...families.map((f) => auc(r.families[f]?.eventAuc)),
      byRisk ? auc(r.quality.userAuc) : 'n/a',
      auc(r.quality.userAucByZscore),
      byRisk ? share(r.compromisedRiskFlagged, r.compromised) : 'n/a',
      byRisk ? share(r.innocentRiskFlagged, r.innocent) : 'n/a',
      share(r.compromisedFlagged, r.compromised),
      share(r.innocentFlagged, r.innocent),
    ]);
  }
  const users = new Table({ head: ['set', 'profile', ...families.map((f) => `${f} users flagged (with a flagged event, and by risk)`), 'obvious', 'subtle', 'generic-model victims', 'all-attack event AUC', 'flag precision'], ...plain });
  for (const r of results) {
    users.push([
      r.set,
      r.profile,
      ...families.map((f) => (r.families[f] ? `${r.families[f].usersFlagged}/${r.families[f].users} (risk ${r.families[f].usersRiskFlagged})` : '')),
      `${r.byStyle.obvious.usersFlagged}/${r.byStyle.obvious.users}`,
      `${r.byStyle.subtle.usersFlagged}/${r.byStyle.subtle.users}`,
      `${r.genericVictims.usersFlagged}/${r.genericVictims.users}`,
      auc(r.quality.eventAuc),
      Number.isNaN(r.quality.flagPrecision) ? 'n/a' : `${(100 * r.quality.flagPrecision).toFixed(0)}%`,
    ]);
  }
  const kinds: DriftKind[] = ['browser-release', 'sdk-release', 'new-app', 'business-trip', 'new-hire', 'deploy-day', 'internet-noise'];
  const drift = new Table({ head: ['set', 'profile', ...kinds.map((k) => `${k}: events flagged / users flagged`)], ...plain });
  for (const r of results) {
    drift.push([
      r.set,
      r.profile,
      ...kinds.map((k) => {
        const d = r.drift[k];
        if (!d) return '';
        const ev = `${d.eventsFlagged}/${d.events}`;
        return d.users === undefined ? ev : `${ev} / ${d.usersFlagged}/${d.users}`;
      }),
    ]);
  }
  return [
    `Detection on the held-out sets at dfp.zscore >= ${opts.threshold}, dfp.user_risk >= ${opts.userRiskThreshold}:`,
    main.toString(),
    'Compromised users flagged, per family and kind:',
    users.toString(),
    'Benign drift in the scored week (never attacks):',
    drift.toString(),
  ].join('\n');
}

// ------------------------------------------------------------------ main

/** Which engine was measured: the commit, and whether server/ or common/ had uncommitted changes. */
function engineVersion(): { commit?: string; uncommittedEngineChanges?: boolean } {
  const git = (...args: string[]): string | undefined => {
    const r = spawnSync('git', args, { cwd: path.resolve(__dirname, '..'), encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const commit = git('rev-parse', 'HEAD');
  const dirty = git('status', '--porcelain', '--', 'server', 'common');
  return commit === undefined ? {} : { commit, uncommittedEngineChanges: (dirty ?? '') !== '' };
}

async function main(): Promise<void> {
  const root = path.resolve(opts.out);
  const sets = (opts.sets ?? SETS.map((s) => s.name)).map(setNamed);
  const profiles = (opts.profiles ?? HELDOUT_PROFILES) as HeldoutProfile[];
  for (const p of profiles) if (!HELDOUT_PROFILES.includes(p)) throw new Error(`unknown profile ${p} (have ${HELDOUT_PROFILES.join(', ')})`);
  const started = Date.now();
  const results: RunResult[] = [];
  say(`held-out evaluation into ${root}${opts.scale !== 1 ? ` (scaled by ${opts.scale}: not the real measurement)` : ''}`);
  for (const spec of sets) {
    for (const profile of profiles) {
      const dir = path.join(root, spec.name, profile);
      let t = Date.now();
      // One profile at a time: a set's documents are large, and only one is needed at once.
      const ds = generateSet(spec, { profiles: [profile], scale: opts.scale })[profile];
      if (!ds) throw new Error(`no ${profile} data for ${spec.name}`);
      const files = writeHeldout(ds, dir);
      const truth = ds.truth;
      const generate = (Date.now() - t) / 1000;
      say(`${spec.name}/${profile}: ${ds.train.length} training and ${ds.test.length} scored events, ${truth.attacks.length} planted attacks (${generate.toFixed(0)} s to generate)`);
      if (opts.generateOnly) continue;
      if (!opts.keepModels) fs.rmSync(path.join(dir, 'models'), { recursive: true, force: true });
      const scored = path.join(dir, 'scored.ndjson');
      const dfpRun = await runDfp(profile, dir, files.trainPath, files.testPath, scored, trainingEnd(ds.train));
      t = Date.now();
      const measured = measure(await readScored(scored, truth.idField), truth);
      const result: RunResult = { set: spec.name, organisation: truth.organisation, profile, ...measured, seconds: { generate, dfpRun, evaluate: (Date.now() - t) / 1000 } };
      results.push(result);
      say(
        `  dfp run ${dfpRun.toFixed(0)} s; macro event AUC ${auc(result.macroEventAuc)}, user AUC ${auc(result.quality.userAuc)} by ${result.quality.userRanking === 'user_risk' ? 'risk' : 'max z'} (${auc(result.quality.userAucByZscore)} by max z), ` +
          `flagged by risk: compromised ${share(result.compromisedRiskFlagged, result.compromised)}, innocent ${share(result.innocentRiskFlagged, result.innocent)}; ` +
          `with a flagged event: compromised ${share(result.compromisedFlagged, result.compromised)}, innocent ${share(result.innocentFlagged, result.innocent)}`,
      );
    }
  }
  if (opts.generateOnly) return;
  const seconds = (Date.now() - started) / 1000;
  const report = { generatedAt: new Date().toISOString(), engine: engineVersion(), threshold: opts.threshold, userRiskThreshold: opts.userRiskThreshold, epochs: opts.epochs ?? 'cli default', seed: opts.seed, scale: opts.scale, seconds, families: FAMILIES, results };
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, 'report.json'), `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`);
  process.stdout.write(`${tables(results)}\n`);
  say(`took ${(seconds / 60).toFixed(1)} min; report: ${path.join(root, 'report.json')}`);
}

main().catch((err: unknown) => {
  say(`evaluate:heldout: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
