/**
 * `npm run demo`: the whole job on generated data, no server needed. For azure-signin and
 * cloudtrail: weeks of realistic activity with benign change and a few planted compromises →
 * train → score → who is flagged and why → quality measured against the planted truth.
 */
import { Command } from 'commander';
import path from 'node:path';
import { generate, writeDataset, type SynthProfile } from '../datasets/synth';
import { evaluateScored, formatQuality } from '../server/engine/eval/evaluate';
import { resolveProfile } from '../server/engine/profiles';
import { scoreCommand, trainCommand } from './cli/commands';
import { DEFAULT_FLAGS, type CommonOptions } from './cli/options';

const opts = new Command('demo')
  .option('--out <dir>', 'where to write everything', 'demo-output')
  .option('--users <n>', 'users per data source', (v) => Number(v), 120)
  .option('--seed <n>', 'seed for data and training', (v) => Number(v), 42)
  .option('--profiles <names>', 'comma-separated data sources', 'azure-signin,cloudtrail')
  .option('--quiet', 'no progress bars')
  .parse(process.argv)
  .opts<{ out: string; users: number; seed: number; profiles: string; quiet?: boolean }>();

const SOURCES: { profile: SynthProfile; trainDays: number; testDays: number }[] = [
  { profile: 'azure-signin', trainDays: 28, testDays: 7 },
  { profile: 'cloudtrail', trainDays: 28, testDays: 7 },
];

async function main(): Promise<void> {
  const root = path.resolve(opts.out);
  const say = (s: string): void => void process.stderr.write(`${s}\n`);
  say(`demo output: ${root}`);
  const wanted = opts.profiles.split(',').map((p) => p.trim());
  for (const source of SOURCES.filter((s) => wanted.includes(s.profile))) {
    const dir = path.join(root, source.profile);
    say(`\n=== ${source.profile}: generating ${opts.users} users, ${source.trainDays} days to learn, ${source.testDays} days to score`);
    const ds = generate({
      profile: source.profile,
      seed: opts.seed,
      users: opts.users,
      trainDays: source.trainDays,
      testDays: source.testDays,
      compromisedUsers: Math.max(2, Math.round(opts.users / 25)),
    });
    const files = writeDataset(ds, dir);
    say(`${ds.train.length} training events → ${files.trainPath}; ${ds.test.length} to score → ${files.testPath}; planted compromises → ${files.truthPath}`);

    const common: CommonOptions = { profile: source.profile, backend: 'auto', seed: opts.seed, quiet: opts.quiet };
    const models = path.join(dir, 'models');
    const out = path.join(dir, 'scored.ndjson');
    await trainCommand({ ...common, ...DEFAULT_FLAGS, input: [files.trainPath], models });
    await scoreCommand({ ...common, ...DEFAULT_FLAGS, input: [files.testPath], models, out });

    say(`\nPlanted compromises: ${ds.truth.attacks.map((a) => `${a.user} (${a.kind})`).join(', ')}`);
    const quality = await evaluateScored(out, ds.truth, resolveProfile(source.profile));
    say(`Measured against them:\n${formatQuality(quality)}`);
  }
  say(`\nEverything is under ${root}. See it as an analyst would: npm run serve${opts.out === 'demo-output' ? '' : ` -- --data ${opts.out}`} (then open the URL it prints)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
