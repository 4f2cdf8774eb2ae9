/**
 * `npx tsx scripts/tune_synth.ts [--users 250] [--seeds 7,8] [--profiles azure-signin,cloudtrail] [--out DIR]`:
 * detection on the demo generator's data (datasets/synth) with more compromised users than the
 * demo plants (one in twelve), for tuning. Generates, trains, scores (the CLI's own commands) and
 * prints per set what `dfp evaluate` prints: event ROC AUC, user ROC AUC by user risk and by
 * highest dfp.zscore, flag precision, and users flagged by user risk. Each set's
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
import { evaluateScored, formatQuality } from '../server/engine/eval/evaluate';

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
      // The same measurement as the demo's and `dfp evaluate`'s.
      const quality = await evaluateScored(out, ds.truth, resolveProfile(name));
      console.log(`${name} seed ${seed}:\n${formatQuality(quality)}`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`tune_synth: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
