/**
 * The CLI over Elasticsearch: `dfp train|score --es-url ...` read the integrations' indices, keep
 * models and job state in the cluster and write scores back, under the same lease and job records
 * the Kibana plugin uses, so the CLI and Kibana never run the same job at once.
 */
import { FsTriageStore } from '../../server/engine/io/triage_store';
import { EsTriageStore } from '../../server/engine/io/es/triage_store';
import { sourceIndex } from '../../server/engine/profiles';
import { Option, type Command } from 'commander';
import type { Client } from '@elastic/elasticsearch';
import Table from 'cli-table3';
import { parseSourceConfig, WRITE_MODES, type SourceConfig } from '../../common/source_config';
import { checkConnection, connectionFromEnv, createEsClient } from '../../server/engine/io/es/client';
import { EsModelStore } from '../../server/engine/io/es/model_store';
import { ownedIndexNames } from '../../server/engine/io/es/owned_index';
import { FsModelStore } from '../../server/engine/io/model_store_fs';
import type { ModelStore } from '../../server/engine/io/model_store';
import { EsSink, sinkOptionsOf } from '../../server/engine/io/es/sink';
import { Checkpoints } from '../../server/engine/io/es/checkpoints';
import { runEsJob, defaultHolder, type EsJobOutcome } from '../../server/engine/jobs/es_job';
import { trainEsSource, type EsTrainSummary } from '../../server/engine/jobs/es_train';
import { scoreEsSource, type EsScoreSummary } from '../../server/engine/jobs/es_score';
import { initBackend } from '../../server/engine/model/backend';
import { Progress } from './progress';
import { printable, trainReport } from './report';
import { intOption, profileOf, trainSettingsOf, type CommonOptions, type ScoreFlags, type TrainFlags } from './options';

export interface EsFlags {
  esUrl?: string;
  esApiKey?: string;
  esUsername?: string;
  esPassword?: string;
  esCa?: string;
  esInsecure?: boolean;
  esCompression?: boolean;
  esIndexPrefix: string;
  sourceId?: string;
  index?: string;
  timeField?: string;
  writeMode?: string;
  namespace?: string;
  settleSeconds?: number;
  initialLookbackHours?: number;
  from?: string;
  to?: string;
  models?: string;
}

const log = (msg: string): void => {
  process.stderr.write(`${msg}\n`);
};

/** Connection flags; each falls back to its environment variable (ES_URL, ES_API_KEY, ...). */
export function withEsConnection(cmd: Command): Command {
  return cmd
    .option('--es-url <url>', 'read from and write to this Elasticsearch cluster (env ES_URL)')
    .option('--es-api-key <key>', 'API key, the encoded id:key form (env ES_API_KEY)')
    .option('--es-username <name>', 'basic authentication user (env ES_USERNAME)')
    .option('--es-password <password>', 'basic authentication password (env ES_PASSWORD)')
    .option('--es-ca <file>', "PEM file of the cluster's certificate authority (env ES_CA)")
    .option('--es-insecure', 'do not verify the TLS certificate (test clusters only)')
    .option('--es-compression', 'gzip request bodies (costs CPU; for slow or metered links)')
    .option('--es-index-prefix <prefix>', "prefix of the plugin's own indices (<prefix>-models, <prefix>-state)", '.dfp');
}

/** Which data the job reads (with --es-url). */
export function withEsSource(cmd: Command): Command {
  return cmd
    .option('--source-id <id>', 'names the source\'s models, checkpoint and jobs (default: the profile name)')
    .option('--index <pattern>', "index pattern to read (default: the profile's, e.g. logs-azure.signinlogs-*)")
    .option('--time-field <field>', 'date field that orders the read and the checkpoint', '@timestamp')
    .option('--settle-seconds <n>', 'leave events newer than this for the next run (late indexing)', intOption('--settle-seconds'), 300)
    .option('--to <time>', 'read up to this time (ISO date or epoch ms; default now - settle)');
}

export function withEsScoreFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--write-mode <mode>', 'in_place: add dfp.* to the original documents; scores: one document per event in logs-dfp.scores-<namespace>').choices([...WRITE_MODES]).default('scores'))
    .option('--namespace <ns>', 'namespace of the scores data stream', 'default')
    .option('--initial-lookback-hours <n>', 'where the first incremental run starts', intOption('--initial-lookback-hours'), 24)
    .option('--from <time>', 'rescore from this time (ISO date or epoch ms) instead of the checkpoint; the checkpoint is not moved');
}

export function wantsEs(o: EsFlags): boolean {
  return Boolean(o.esUrl ?? process.env.ES_URL);
}

async function connect(o: EsFlags): Promise<{ client: Client; url: string }> {
  const env = connectionFromEnv();
  const url = o.esUrl ?? env.url;
  if (!url) throw new Error('no Elasticsearch URL: pass --es-url or set ES_URL');
  const client = createEsClient({
    url,
    apiKey: o.esApiKey ?? env.apiKey,
    username: o.esUsername ?? env.username,
    password: o.esPassword ?? env.password,
    caFile: o.esCa ?? env.caFile,
    insecure: o.esInsecure,
    compression: o.esCompression,
  });
  const info = await checkConnection(client, url);
  log(`elasticsearch: ${url} (cluster ${info.cluster}, version ${info.version})`);
  return { client, url };
}

function sourceOf(o: CommonOptions & EsFlags): SourceConfig {
  return parseSourceConfig(
    {
      id: o.sourceId ?? o.profile,
      profile: o.profile,
      index: o.index,
      timeField: o.timeField,
      userField: o.userField,
      writeMode: o.writeMode,
      namespace: o.namespace,
      settleSeconds: o.settleSeconds,
      initialLookbackHours: o.initialLookbackHours,
    },
    'source options',
  );
}

function timeOf(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw new Error(`${flag} must be an ISO date or epoch milliseconds, got "${value}"`);
  return t;
}

function storeOf(client: Client, o: EsFlags): ModelStore {
  return o.models ? new FsModelStore(o.models) : new EsModelStore(client, { index: ownedIndexNames(o.esIndexPrefix).models });
}

/** Turns a job outcome into the command's result: a busy lease or a failure is a non-zero exit. */
function resultOf<T>(what: string, outcome: EsJobOutcome<T>): T {
  if (outcome.status === 'busy') {
    const h = outcome.heldBy;
    throw new Error(`${what} is already running: lease held by ${h.holder} since ${h.acquiredAt}, expires ${h.expiresAt} unless renewed`);
  }
  if (outcome.status === 'skipped') throw new Error(`${what} skipped: ${outcome.reason}`);
  if (outcome.status !== 'succeeded') throw new Error(`${what} ${outcome.status} (run ${outcome.run.id}): ${outcome.error.message}`);
  return outcome.result;
}

/** `dfp train --es-url`: fingerprints from the source's training window, into the cluster. */
export async function esTrainCommand(o: CommonOptions & TrainFlags & EsFlags): Promise<EsTrainSummary> {
  const { client } = await connect(o);
  try {
    const source = sourceOf(o);
    const profile = profileOf({ ...o, userField: source.userField });
    const backend = await initBackend(o.backend, log);
    log(`backend: ${backend.name} (${backend.detail}); source ${source.id}: ${sourceIndex(source, profile)}`);
    const progress = new Progress(o.quiet);
    const outcome = await runEsJob(client, { type: 'train', source: source.id, holder: defaultHolder('cli'), stateIndex: ownedIndexNames(o.esIndexPrefix).state, params: { windowDays: o.windowDays } }, async ({ run, signal }) => {
      const summary = await trainEsSource(client, {
        source,
        profile,
        store: storeOf(client, o),
        backend: backend.name,
        ...trainSettingsOf(o),
        triage: o.triage ? new FsTriageStore(o.triage) : new EsTriageStore(client, { index: ownedIndexNames(o.esIndexPrefix).triage }),
        to: timeOf('--to', o.to),
        signal,
        onProgress: (p) => {
          progress.update(p.phase === 'generic' ? 'generic model' : 'user models', p.done, p.total, p.user ?? '');
          run.progress({ phase: p.phase, done: p.done, total: p.total });
        },
      });
      const own = summary.users.filter((u) => u.model !== 'generic').length;
      return { result: summary, counts: { events: summary.events, rows: summary.rowsInWindow, users: summary.users.length, models: own + (summary.generic ? 1 : 0), left_out: summary.leftOut.events } };
    });
    progress.finish();
    const summary = resultOf(`training of ${source.id}`, outcome);
    if (o.json) process.stdout.write(`${JSON.stringify({ ...summary, report: summary.report.byKind() })}\n`);
    else log(`read ${summary.index} from ${summary.read.from} to ${summary.read.to}\n${trainReport(summary)}`);
    if (summary.rowsInWindow === 0) throw new Error(`no usable events to train on in ${summary.index} between ${summary.read.from} and ${summary.read.to}`);
    return summary;
  } finally {
    await client.close();
  }
}

/** `dfp score --es-url`: scores the events since the source's checkpoint (or --from/--to) and writes them back. */
export async function esScoreCommand(o: CommonOptions & ScoreFlags & EsFlags): Promise<EsScoreSummary> {
  const { client } = await connect(o);
  try {
    const source = sourceOf(o);
    const profile = profileOf({ ...o, userField: source.userField });
    const backend = await initBackend(o.backend, log);
    log(`backend: ${backend.name} (${backend.detail}); source ${source.id}: ${sourceIndex(source, profile)}, write mode ${source.writeMode}`);
    const from = timeOf('--from', o.from);
    const to = timeOf('--to', o.to);
    if (from !== undefined && to === undefined) throw new Error('--from needs --to: a rescore covers a closed range');
    const sink = new EsSink(client, sinkOptionsOf(source, profile));
    await sink.setup();
    const outcome = await runEsJob(client, { type: 'score', source: source.id, holder: defaultHolder('cli'), stateIndex: ownedIndexNames(o.esIndexPrefix).state, params: { from: o.from, to: o.to } }, async ({ run, signal }) => {
      const summary = await scoreEsSource(client, {
        source,
        profile,
        store: storeOf(client, o),
        sink,
        checkpoints: new Checkpoints(client, { index: ownedIndexNames(o.esIndexPrefix).state }),
        runId: run.id,
        range: from !== undefined && to !== undefined ? { from, to } : undefined,
        now: to !== undefined && from === undefined ? to + source.settleSeconds * 1000 : undefined,
        threshold: o.threshold,
        tsThreshold: o.tsThreshold,
        userRiskThreshold: o.userRiskThreshold,
        triage: new EsTriageStore(client, { index: ownedIndexNames(o.esIndexPrefix).triage }),
        signal,
        onPage: (s) => {
          run.progress({ phase: 'scoring', done: s.read, total: 0 }, { read: s.read, written: s.written, failed: s.failed });
          if (!o.quiet) log(`page ${s.pages}: ${s.read} read, ${s.written} written, ${s.flagged} flagged`);
        },
      });
      return { result: summary, counts: { read: summary.read, scored: summary.scored, errors: summary.errors, flagged: summary.flagged, written: summary.written, failed: summary.failed } };
    });
    const summary = resultOf(`scoring of ${source.id}`, outcome);
    if (o.json) process.stdout.write(`${JSON.stringify({ ...summary, report: summary.report.byKind() })}\n`);
    else log(esScoreReport(summary, o.threshold));
    return summary;
  } finally {
    await client.close();
  }
}

function esScoreReport(s: EsScoreSummary, threshold: number): string {
  const lines = [
    `read ${s.read} events of ${s.source} from ${s.from} to ${s.to} in ${s.pages} pages (${s.alreadyScored} already scored)`,
    `scored ${s.scored} (${s.errors} with dfp.error) for ${s.users} users, ${s.flagged} flagged at dfp.zscore >= ${threshold}, ${s.tsFlagged} time-series anomalies`,
    `${s.usersFlagged} users flagged at dfp.user_risk >= ${s.userRiskThreshold}; ${s.userRiskDocs.written} user risk documents written to ${s.userRiskDocs.stream || '(none)'}${s.userRiskDocs.failed ? `, ${s.userRiskDocs.failed} failed` : ''}`,
    `wrote ${s.written}, ${s.failed} failed${s.failed ? `: ${Object.entries(s.failedByReason).map(([r, n]) => `${n} ${r}`).join('; ')}` : ''}`,
    ...s.failureExamples.slice(0, 5).map((e) => `  ${printable(e)}`),
    ...(s.readOnlyIndices.length ? [`read-only indices (not updated): ${s.readOnlyIndices.join(', ')}`] : []),
    ...s.warnings.map((w) => `warning: ${w}`),
    s.checkpoint ? `checkpoint: ${s.checkpoint.time}` : 'checkpoint: unchanged',
    `took ${(s.durationMs / 1000).toFixed(1)} s`,
  ];
  if (s.topEvents.length > 0) {
    const t = new Table({ head: ['time', 'user', 'z', 'top features', 'document'], ...(process.stderr.isTTY ? {} : { style: { head: [], border: [] } }) });
    for (const e of s.topEvents.slice(0, 10)) t.push([printable(e.time.slice(0, 19)), printable(e.user), e.zscore.toFixed(1), printable(e.topFeatures.join(', ')), printable(e.doc)]);
    lines.push('Most anomalous events:', t.toString());
  }
  return lines.join('\n');
}

/**
 * `dfp models`: what is stored for a profile (users and versions), one user's versions with their
 * metadata, or a rollback to an earlier version. Works on --models DIR or the cluster (--es-url).
 */
export async function modelsCommand(o: EsFlags & { profile: string; user?: string; generic?: boolean; rollback?: number; json?: boolean }): Promise<void> {
  const connection = wantsEs(o) && !o.models ? await connect(o) : null;
  try {
    if (!connection && !o.models) throw new Error('give --models DIR or --es-url URL');
    const store = connection ? storeOf(connection.client, o) : new FsModelStore(o.models!);
    const user = o.generic ? null : (o.user ?? undefined);
    if (o.rollback !== undefined) {
      if (user === undefined) throw new Error('--rollback needs --user NAME or --generic');
      await store.rollback(o.profile, user, o.rollback);
      log(`${user === null ? 'generic model' : printable(user)}: version ${o.rollback} is now active`);
    }
    if (user === undefined) {
      const users = await store.list(o.profile);
      if (o.json) return void process.stdout.write(`${JSON.stringify(users)}\n`);
      const generic = await store.versions(o.profile, null);
      log(`${o.profile}: generic model ${generic.length ? `v${generic.find((v) => v.active)?.version ?? '?'} active of ${generic.map((v) => v.version).join(', ')}` : 'none'}; ${users.length} users with models of their own`);
      const t = new Table({ head: ['user', 'active', 'versions'], ...(process.stderr.isTTY ? {} : { style: { head: [], border: [] } }) });
      for (const u of users.slice(0, 50)) t.push([printable(u.user), u.active, u.versions.join(', ')]);
      log(t.toString());
      if (users.length > 50) log(`… and ${users.length - 50} more (--json lists all)`);
      return;
    }
    const versions = await store.versions(o.profile, user);
    if (versions.length === 0) throw new Error(`no models stored for ${user === null ? 'the generic model' : printable(user)} in profile ${printable(o.profile)}`);
    if (o.json) return void process.stdout.write(`${JSON.stringify(versions)}\n`);
    const t = new Table({ head: ['version', 'active', 'trained at', 'rows', 'window', 'epochs', 'final loss', 'backend', 'warm start'], ...(process.stderr.isTTY ? {} : { style: { head: [], border: [] } }) });
    for (const v of versions) {
      t.push([v.version, v.active ? 'yes' : '', v.trainedAt.slice(0, 19), v.rows, `${v.trainingStart.slice(0, 10)} .. ${v.trainingEnd.slice(0, 10)}`, v.epochs, v.finalLoss?.toFixed(4) ?? '', v.backend, v.warmStartFrom ?? '']);
    }
    log(t.toString());
  } finally {
    await connection?.client.close();
  }
}
