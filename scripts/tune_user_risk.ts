/**
 * `npx tsx scripts/tune_user_risk.ts --profile P --scored FILE --truth truth.json [--scored … --truth …]`:
 * how the user-risk constants (server/engine/score/risk_model.ts USER_RISK_MODEL, and
 * DEFAULTS.userRiskThreshold) rank and flag users on scored outputs with known truth. It recomputes
 * dfp.user_risk from each event's dfp.zscore / dfp.ts_* in the file's order (as `dfp score` does)
 * for a grid of floors, half-lives and time-series weights, and prints per set the user ROC AUC by
 * risk (and by max z), and compromised / innocent users flagged at each threshold.
 *
 * Tune on the demo generator's output only (`npm run demo`, or `--users 300 --seed N`): never on
 * datasets/heldout, which measures what tuning did not see.
 */
import { Command } from 'commander';
import { readEvents } from '../server/engine/io/read_events';
import { eventIdOf } from '../server/engine/features/extract';
import { parseTime } from '../server/engine/features/event_time';
import { firstValue } from '../server/engine/profiles/field_path';
import { resolveProfile, type Profile } from '../server/engine/profiles';
import { readTruth } from '../server/engine/eval/evaluate';
import { rocAuc } from '../server/engine/eval/metrics';
import { DEFAULTS, type DfpFields } from '../common/fields';
import { USER_RISK_MODEL, type UserRiskModel } from '../server/engine/score/risk_model';
import { EventRisk } from '../server/engine/score/user_risk';
import { listOption } from './cli/options';

interface Options {
  profile: string[];
  scored: string[];
  truth: string[];
  floors: string[];
  halfLives: string[];
  tsWeights: string[];
  thresholds: string[];
  tsThreshold: number;
}

const opts = new Command('tune_user_risk')
  .requiredOption('--profile <name...>', 'profile of each scored file (one, or one per file)')
  .requiredOption('--scored <file...>', 'scored NDJSON files (dfp score output)')
  .requiredOption('--truth <file...>', 'truth.json of each scored file')
  .option('--floors <list>', 'floors to try', listOption)
  .option('--half-lives <list>', 'half-lives (hours) to try', listOption)
  .option('--ts-weights <list>', 'time-series weights to try', listOption)
  .option('--thresholds <list>', 'user-risk thresholds to report', listOption)
  .option('--ts-threshold <z>', 'the time-series threshold the files were scored with', (v) => Number(v), DEFAULTS.tsThreshold)
  .parse(process.argv)
  .opts<Options>();

interface Row {
  user: string;
  time: number;
  dfp: Pick<DfpFields, 'zscore' | 'ts_anomaly' | 'ts_zscore' | 'user'>;
}

interface Set_ {
  name: string;
  rows: Row[];
  compromised: Set<string>;
  users: string[];
  maxZ: Map<string, number>;
}

async function load(file: string, truthFile: string, profile: Profile): Promise<Set_> {
  const truth = await readTruth(truthFile);
  const attacks = new Set(truth.attackEventIds);
  const rows: Row[] = [];
  const compromised = new Set<string>();
  const maxZ = new Map<string, number>();
  for await (const item of readEvents(file)) {
    if (item.kind !== 'event') continue;
    const dfp = item.event.dfp as DfpFields | undefined;
    if (!dfp?.user || dfp.error !== undefined || typeof dfp.zscore !== 'number') continue;
    const time = parseTime(firstValue(item.event, profile.timestampFields));
    if (time === null) continue;
    rows.push({ user: dfp.user, time, dfp: { user: dfp.user, zscore: dfp.zscore, ts_anomaly: dfp.ts_anomaly, ts_zscore: dfp.ts_zscore } });
    maxZ.set(dfp.user, Math.max(maxZ.get(dfp.user) ?? -Infinity, dfp.zscore));
    const id = eventIdOf(item.event, profile);
    if (id !== undefined && attacks.has(id)) compromised.add(dfp.user);
  }
  const users = [...maxZ.keys()];
  for (const u of truth.compromisedUsers) if (maxZ.has(u)) compromised.add(u);
  return { name: file, rows, compromised, users, maxZ };
}

function peaks(set: Set_, model: UserRiskModel): Map<string, number> {
  const risk = new EventRisk(1e9, opts.tsThreshold, model);
  for (const r of set.rows) risk.apply({ ...r.dfp }, r.time);
  return new Map([...risk.peaks].map(([u, p]) => [u, p.risk]));
}

const nums = (list: string[] | undefined, fallback: number[]): number[] => (list ? list.map(Number) : fallback);

async function main(): Promise<void> {
  if (opts.scored.length !== opts.truth.length) throw new Error('give one --truth per --scored');
  const profiles = opts.scored.map((_, i) => resolveProfile(opts.profile[Math.min(i, opts.profile.length - 1)]));
  const sets: Set_[] = [];
  for (let i = 0; i < opts.scored.length; i++) sets.push(await load(opts.scored[i], opts.truth[i], profiles[i]));
  const thresholds = nums(opts.thresholds, [6, 8, 10, 12, 15, 20]);
  for (const s of sets) {
    const bad = s.users.map((u) => s.compromised.has(u));
    process.stdout.write(`${s.name}: ${s.users.length} users, ${s.compromised.size} compromised; user AUC by max z ${rocAuc(s.users.map((u) => s.maxZ.get(u)!), bad).toFixed(4)}\n`);
  }
  process.stdout.write(`thresholds ${thresholds.join(', ')}: compromised flagged / innocent flagged per set\n`);
  for (const floor of nums(opts.floors, [USER_RISK_MODEL.floor])) {
    for (const halfLifeHours of nums(opts.halfLives, [USER_RISK_MODEL.halfLifeHours])) {
      for (const tsWeight of nums(opts.tsWeights, [USER_RISK_MODEL.tsWeight])) {
        const model = { ...USER_RISK_MODEL, floor, halfLifeHours, tsWeight };
        const cells = sets.map((s) => {
          const p = peaks(s, model);
          const risk = (u: string): number => p.get(u) ?? 0;
          const auc = rocAuc(s.users.map(risk), s.users.map((u) => s.compromised.has(u)));
          const innocent = s.users.filter((u) => !s.compromised.has(u));
          const flags = thresholds.map((t) => `${[...s.compromised].filter((u) => risk(u) >= t).length}/${s.compromised.size},${innocent.filter((u) => risk(u) >= t).length}/${innocent.length}`);
          return `AUC ${auc.toFixed(4)} ${flags.join(' ')}`;
        });
        process.stdout.write(`floor ${floor} half-life ${halfLifeHours} h ts ${tsWeight}: ${cells.join(' | ')}\n`);
      }
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`tune_user_risk: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
