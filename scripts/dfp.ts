#!/usr/bin/env -S npx tsx
/**
 * The `dfp` command line: train, score, run — the engine over files (no server needed).
 */
import { Command, Option } from 'commander';
import { profileNames } from '../server/engine/profiles';
import { evaluateCommand, runCommand, scoreCommand, trainCommand } from './cli/commands';
import { DEFAULT_FLAGS, floatOption, intOption, listOption } from './cli/options';

function withCommon(cmd: Command): Command {
  return cmd
    .requiredOption('--profile <name>', `data source profile: ${profileNames().join(', ')}`)
    .option('--user-field <path>', "override the profile's user key field")
    .option('--timestamp-field <path>', "override the profile's timestamp field")
    .option('--categorical <paths>', 'categorical feature fields (comma-separated, repeatable); replaces the profile list', listOption)
    .option('--numeric <paths>', 'numeric feature fields; replaces the profile list', listOption)
    .option('--binary <paths>', 'binary feature fields; replaces the profile list', listOption)
    .option('--userid-filter <regex>', 'only users whose key matches')
    .addOption(new Option('--backend <name>', 'tensorflow backend').choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).default('auto'))
    .option('--seed <n>', 'random seed (training is reproducible for a seed)', intOption('--seed'), 42)
    .option('--epochs <n>', 'training epochs', intOption('--epochs'))
    .option('--json', 'print the summary as one JSON line on stdout')
    .option('--quiet', 'no progress output');
}

const withTrainFlags = (cmd: Command): Command =>
  cmd
    .option('--min-history <n>', 'events a user needs for a model of their own', intOption('--min-history'), DEFAULT_FLAGS.minHistory)
    .option('--min-history-warm-start <n>', 'events a user needs for a model warm-started from the generic one', intOption('--min-history-warm-start'), DEFAULT_FLAGS.minHistoryWarmStart)
    .option('--window-days <n>', 'learn only the last N days before the newest event', intOption('--window-days'), DEFAULT_FLAGS.windowDays);

const withScoreFlags = (cmd: Command): Command =>
  cmd
    .option('--threshold <z>', 'flag events with dfp.zscore at or above this', floatOption('--threshold'), DEFAULT_FLAGS.threshold)
    .option('--ts-threshold <z>', 'time-series residual z that marks dfp.ts_anomaly', floatOption('--ts-threshold'), DEFAULT_FLAGS.tsThreshold);

const program = new Command('dfp')
  .description('Digital fingerprinting: per-user autoencoders over login and CloudTrail events')
  .showHelpAfterError();

withTrainFlags(withCommon(program.command('train')))
  .description('train a fingerprint per user (and a generic one) from events')
  .requiredOption('--input <glob...>', 'input files: NDJSON, JSON array or CSV, optionally .gz')
  .requiredOption('--models <dir>', 'model directory')
  .action(async (o) => void (await trainCommand(o)));

withScoreFlags(withCommon(program.command('score')))
  .description('score events against the stored fingerprints')
  .requiredOption('--input <glob...>', 'input files: NDJSON, JSON array or CSV, optionally .gz')
  .requiredOption('--models <dir>', 'model directory')
  .requiredOption('--out <file>', 'output: .ndjson (default) or .csv, optionally .gz')
  .action(async (o) => void (await scoreCommand(o)));

withScoreFlags(withTrainFlags(withCommon(program.command('run'))))
  .description('train on --train, then score --input')
  .requiredOption('--train <glob...>', 'training input files')
  .requiredOption('--input <glob...>', 'input files to score')
  .requiredOption('--out <file>', 'output file')
  .option('--models <dir>', 'model directory (default: models/ beside --out)')
  .action(runCommand);

program
  .command('evaluate')
  .description('measure a scored output against known truth (e.g. the demo\'s truth.json)')
  .requiredOption('--profile <name>', 'the profile the events were scored with (for event ids)')
  .requiredOption('--scored <glob...>', 'scored output files')
  .requiredOption('--truth <file>', 'JSON: { compromisedUsers: [...], attackEventIds: [...] }')
  .option('--json', 'print the report as one JSON line on stdout')
  .action(async (o) => void (await evaluateCommand(o)));

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`dfp: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
