#!/usr/bin/env -S npx tsx
/**
 * The `dfp` command line: train, score, run — the engine over files (no server needed), or over an
 * Elasticsearch cluster with --es-url (models, checkpoints and job runs kept in the cluster).
 */
import { promises as fs } from 'node:fs';
import { Command, Option } from 'commander';
import { dashboardsNdjson } from '../server/dashboards/saved_objects';
import { profileNames } from '../server/engine/profiles';
import { evaluateCommand, runCommand, scoreCommand, trainCommand } from './cli/commands';
import { DEFAULT_FLAGS, floatOption, intOption, listOption, positiveFloatOption } from './cli/options';
import { esScoreCommand, esTrainCommand, modelsCommand, wantsEs, withEsConnection, withEsScoreFlags, withEsSource } from './cli/es';
import { printable } from './cli/report';

function withCommon(cmd: Command): Command {
  return cmd
    .requiredOption('--profile <name>', `data source profile: ${profileNames().join(', ')}`)
    .option('--user-field <path>', "override the profile's user key field")
    .option('--key-by <keying>', 'another way the profile keys users (cloudtrail: role, one user per role name as Morpheus does)')
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
    .option('--window-days <n>', 'learn only the last N days of the window', intOption('--window-days'), DEFAULT_FLAGS.windowDays)
    .option('--until <time>', 'the training window ends here (ISO, epoch ms, now-1d); default: the newest event not in the future (files), now minus the settle time (Elasticsearch)')
    .option('--workers <n>', 'worker threads, one backend each, training (and with `dfp run`, scoring) at once (default: one a core)', intOption('--workers'))
    .option('--sequential', 'train one model at a time on one thread, as Morpheus does (for comparison)')
    .option('--triage <file>', "analysts' triage decisions (the standalone server keeps them in <data>/triage.ndjson; with --es-url default the cluster's triage index): users marked compromised are not learned from then on, events marked benign are, events marked compromised never; with dfp run, the benign events' patterns are not flagged while in force");

const withScoreFlags = (cmd: Command): Command =>
  cmd
    .option('--threshold <z>', 'flag events with dfp.zscore at or above this', floatOption('--threshold'), DEFAULT_FLAGS.threshold)
    .option('--ts-threshold <z>', 'time-series residual z that marks dfp.ts_anomaly', floatOption('--ts-threshold'), DEFAULT_FLAGS.tsThreshold)
    .option('--user-risk-threshold <r>', 'flag users whose dfp.user_risk (decayed evidence of their events over 24 h) reaches this', positiveFloatOption('--user-risk-threshold'), DEFAULT_FLAGS.userRiskThreshold);

const program = new Command('dfp')
  .description('Digital fingerprinting: per-user autoencoders over login and CloudTrail events')
  .showHelpAfterError();

withEsSource(withEsConnection(withTrainFlags(withCommon(program.command('train')))))
  .description('train a fingerprint per user (and a generic one) from files, or from Elasticsearch with --es-url')
  .option('--input <glob...>', 'input files: NDJSON, JSON array or CSV, optionally .gz')
  .option('--models <dir>', 'model directory (with --es-url: default the cluster\'s model index)')
  .option('--threshold <z>', 'events an earlier run scored at or above this dfp.zscore, or while their user was flagged, are not learned (unless dfp.triage.status is benign)', floatOption('--threshold'), DEFAULT_FLAGS.threshold)
  .action(async (o) => {
    if (wantsEs(o)) await esTrainCommand(o);
    else await trainCommand(required(o, ['input', 'models']));
  });

withEsScoreFlags(withEsSource(withEsConnection(withScoreFlags(withCommon(program.command('score'))))))
  .description('score events against the stored fingerprints: files to a file, or with --es-url the events since the last run, written back to the cluster')
  .option('--input <glob...>', 'input files: NDJSON, JSON array or CSV, optionally .gz')
  .option('--models <dir>', 'model directory (with --es-url: default the cluster\'s model index)')
  .option('--out <file>', 'output: .ndjson (default) or .csv, optionally .gz')
  .option('--workers <n>', 'scoring worker threads, one backend each (default: one a core, for inputs of 8,192 events or more; 1: the main thread)', intOption('--workers'))
  .option('--triage <file>', "analysts' triage decisions (the standalone server keeps them in <data>/triage.ndjson): a user's events with the same pattern as one marked benign are not flagged while the mark is in force (dfp.suppressed)")
  .action(async (o) => {
    if (wantsEs(o)) await esScoreCommand(o);
    else await scoreCommand(required(o, ['input', 'models', 'out']));
  });

withScoreFlags(withTrainFlags(withCommon(program.command('run'))))
  .description('train on --train, then score --input')
  .requiredOption('--train <glob...>', 'training input files')
  .requiredOption('--input <glob...>', 'input files to score')
  .requiredOption('--out <file>', 'output file')
  .option('--models <dir>', 'model directory (default: models/ beside --out)')
  .action(runCommand);

withEsConnection(program.command('models'))
  .description('list stored fingerprints, show one user\'s versions, or roll a user back to an earlier version')
  .requiredOption('--profile <name>', 'the profile the models belong to')
  .option('--models <dir>', 'model directory (or --es-url for the cluster\'s model index)')
  .option('--user <key>', "one user's versions")
  .option('--generic', "the generic model's versions")
  .option('--rollback <version>', 'make this version the active one (with --user or --generic)', intOption('--rollback'))
  .option('--json', 'print as JSON on stdout')
  .action(modelsCommand);

program
  .command('dashboards')
  .description('write the Kibana saved objects (data views, searches, visualizations, a dashboard) for the enriched indices, to import in Kibana')
  .requiredOption('--out <file>', 'NDJSON file to write')
  .action(async (o: { out: string }) => {
    await fs.writeFile(o.out, dashboardsNdjson());
    process.stderr.write(`wrote ${o.out}: import it in Kibana (Stack Management > Saved objects > Import)\n`);
  });

program
  .command('evaluate')
  .description('measure a scored output against known truth (e.g. the demo\'s truth.json)')
  .requiredOption('--profile <name>', 'the profile the events were scored with (for event ids)')
  .requiredOption('--scored <glob...>', 'scored output files')
  .requiredOption('--truth <file>', 'JSON: { compromisedUsers: [...], attackEventIds: [...] }')
  .option('--json', 'print the report as one JSON line on stdout')
  .action(async (o) => void (await evaluateCommand(o)));

/** Options that are required unless --es-url is given, checked like commander's own. */
function required<T extends Record<string, unknown>, K extends keyof T & string>(o: T, names: K[]): T & { [P in K]-?: NonNullable<T[P]> } {
  const missing = names.filter((n) => o[n] === undefined);
  if (missing.length > 0) {
    throw new Error(`required option${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'--${n}'`).join(', ')} not specified (or give --es-url to use Elasticsearch)`);
  }
  return o as T & { [P in K]-?: NonNullable<T[P]> };
}

program.parseAsync(process.argv).catch((err: unknown) => {
  // Messages may quote input (a user name, a path): control characters are shown, not sent to the terminal.
  process.stderr.write(`dfp: ${(err instanceof Error ? err.message : String(err)).split('\n').map(printable).join('\n')}\n`);
  process.exit(1);
});
