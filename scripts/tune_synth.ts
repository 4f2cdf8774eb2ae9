/**
 * `npx tsx scripts/tune_synth.ts [--users 250] [--seeds 7,8] [--profiles azure-signin,cloudtrail] [--out DIR]`:
 * detection on the demo generator's data (datasets/synth) with more compromised users than the
 * demo plants (one in twelve), for tuning. Generates, trains, scores (the CLI's own commands) and
 * prints per set: event ROC AUC, user ROC AUC by highest dfp.zscore and by highest dfp.user_risk,
 * users reached at several z-score thresholds, and users flagged by user risk. Each set's
 * scored.ndjson and truth.json stay under --out for scripts/tune_user_risk.ts.
 *
 * Tune here, never on datasets/heldout: that set measures what tuning did not see.
 */
import path from 'node:path';
import { Command } from 'commander';
import { generate, writeDataset, type SynthProfile } from '../datasets/synth';
import { trainCommand, scoreCommand } from './cli/commands';
import { DEFAULT_FLAGS, intOption, listOption, type CommonOptions } from './cli/options';
import { resolveProfile } from '../server/engine/profiles';
import { eventIdOf } from '../server/engine/features/extract';
import { readEvents } from '../server/engine/io/read_events';
import { rocAuc } from '../server/engine/eval/metrics';

const opts = new Command('tune_synth')
  .option('--users <n>', 'users per set', intOption('--users'), 250)
  .option('--seeds <list>', 'data and training seeds (default 7)', listOption)
  .option('--profiles <list>', 'profiles (default azure-signin,cloudtrail)', listOption)
  .option('--out <dir>', 'where the sets go', path.join('/tmp', 'dfp-tune'))
  .parse(process.argv)
  .opts<{ users: number; seeds?: string[]; profiles?: string[]; out: string }>();
const seeds = opts.seeds ?? ['7'];
const profiles = opts.profiles ?? ['azure-signin', 'cloudtrail'];

async function main(): Promise<void> {
  for (const seed of seeds.map(Number)) {
    for (const name of profiles) {
      const dir = path.join(opts.out, `${name}-${seed}`);
      const ds = generate({ profile: name as SynthProfile, seed, users: opts.users, trainDays: 28, testDays: 7, compromisedUsers: Math.round(opts.users / 12) });
      const files = writeDataset(ds, dir);
      const common: CommonOptions = { profile: name, backend: 'auto', seed };
      const models = path.join(dir, 'models');
      const out = path.join(dir, 'scored.ndjson');
      await trainCommand({ ...common, ...DEFAULT_FLAGS, input: [files.trainPath], models, quiet: true });
      await scoreCommand({ ...common, ...DEFAULT_FLAGS, input: [files.testPath], models, out, quiet: true });
      console.log(`${name} seed ${seed}: ${await measure(out, new Set(ds.truth.attackEventIds), name)}`);
    }
  }
}

async function measure(scored: string, attacks: Set<string>, name: string): Promise<string> {
  const profile = resolveProfile(name);
  const events: { user: string; z: number; attack: boolean }[] = [];
  const users = new Map<string, { z: number; risk: number; flagged: boolean; attacked: boolean }>();
  for await (const item of readEvents(scored)) {
    if (item.kind !== 'event') continue;
    const d = item.event.dfp as { user?: string; zscore?: number; user_risk?: number; user_flagged?: boolean } | undefined;
    if (!d?.user) continue;
    const id = eventIdOf(item.event, profile);
    const attack = id !== undefined && attacks.has(id);
    const z = d.zscore ?? -Infinity;
    events.push({ user: d.user, z, attack });
    const u = users.get(d.user) ?? { z: -Infinity, risk: 0, flagged: false, attacked: false };
    u.z = Math.max(u.z, z);
    u.risk = Math.max(u.risk, d.user_risk ?? 0);
    u.flagged ||= d.user_flagged === true;
    u.attacked ||= attack;
    users.set(d.user, u);
  }
  const all = [...users.values()];
  const compromised = all.filter((u) => u.attacked).length;
  const innocent = all.length - compromised;
  const reached = (t: number): string => `z≥${t}: ${all.filter((u) => u.attacked && u.z >= t).length}/${compromised}, ${all.filter((u) => !u.attacked && u.z >= t).length}/${innocent}`;
  return [
    `event AUC ${rocAuc(events.map((e) => e.z), events.map((e) => e.attack)).toFixed(4)}`,
    `user AUC by z ${rocAuc(all.map((u) => u.z), all.map((u) => u.attacked)).toFixed(3)}`,
    `by risk ${rocAuc(all.map((u) => u.risk), all.map((u) => u.attacked)).toFixed(3)}`,
    `flagged by risk: ${all.filter((u) => u.attacked && u.flagged).length}/${compromised} compromised, ${all.filter((u) => !u.attacked && u.flagged).length}/${innocent} innocent`,
    [6, 8, 10].map(reached).join('; '),
  ].join(' | ');
}

main().catch((err: unknown) => {
  process.stderr.write(`tune_synth: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
