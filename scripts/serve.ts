/**
 * `npm run serve -- [--port N] [--data DIR | --es-url URL] [--kibana 8.17]`: the plugin's HTTP API (the same
 * handlers Kibana hosts) and the built browser app at `/`, without Kibana: over the demo's output
 * (made first when absent) or a cluster. For development, demos and browser tests.
 *
 * Callers need the token it prints (or --token / DFP_SERVE_TOKEN): see server/standalone/guard.ts.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import type { Privilege } from '../common/api';
import { ROUTES } from '../server/routes';
import { createStandaloneServer } from '../server/standalone/http_server';
import { esContext, fileContext } from '../server/standalone/context';
import { checkConnection, connectionFromEnv, createEsClient, type EsConnection } from '../server/engine/io/es/client';
import { defaultHolder } from '../server/engine/jobs/es_job';
import { Scheduler } from '../server/job_control/scheduler';
import { intOption, positiveFloatOption } from './cli/options';
import { DEFAULTS } from '../common/fields';
import { KIBANA_TARGETS, NEWEST_TARGET, targetById } from './plugin_build/kibana_targets';
import { buildStandaloneApp } from './plugin_build/standalone_page';

const opts = new Command('serve')
  .option('--port <n>', 'port to listen on (0: any free port)', intOption('--port'), 5650)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--data <dir>', 'scored files laid out like the demo output (default: demo-output, made first when absent)')
  .option('--es-url <url>', 'serve a cluster instead (env ES_URL); credentials as for dfp: --es-api-key, --es-username/--es-password, --es-ca')
  .option('--es-api-key <key>')
  .option('--es-username <name>')
  .option('--es-password <password>')
  .option('--es-ca <file>')
  .option('--es-index-prefix <prefix>', "prefix of the plugin's own indices", '.dfp')
  .option('--workers <n>', 'jobs run at once (with --es-url)', intOption('--workers'), 1)
  .option('--app <dir>', 'the built browser app', path.join('target', 'standalone'))
  .option('--kibana <target>', `the Kibana whose shared React, EUI and charts the page uses (${KIBANA_TARGETS.map((t) => t.id).join(', ')})`, NEWEST_TARGET.id)
  .option('--benign-days <days>', 'days an event marked benign keeps the same pattern of its user from being flagged, when the decision does not say', positiveFloatOption('--benign-days'), DEFAULTS.benignSuppressionDays)
  .option('--read-only', 'serve as an analyst (read privilege only): settings, training and rollback are refused')
  .option('--token <token>', 'the token callers must present (env DFP_SERVE_TOKEN; default: a random one, printed in the URL)')
  .option('--public-host <name...>', 'other host names to answer to (name or name:port), e.g. behind a proxy; localhost, 127.0.0.1 and [::1] always work')
  .parse(process.argv)
  .opts<{ port: number; host: string; data?: string; esUrl?: string; esApiKey?: string; esUsername?: string; esPassword?: string; esCa?: string; esIndexPrefix: string; workers: number; benignDays: number; app: string; kibana: string; readOnly?: boolean; token?: string; publicHost?: string[] }>();

const say = (line: string): void => void process.stderr.write(`${line}\n`);

/** The token from --token or DFP_SERVE_TOKEN, else 32 random bytes; a guessable one is refused. */
function tokenOf(): string {
  const given = opts.token ?? process.env.DFP_SERVE_TOKEN;
  if (given === undefined || given === '') return randomBytes(32).toString('base64url');
  if (given.length < 16) throw new Error(`the token (--token or DFP_SERVE_TOKEN) must be at least 16 characters (it is all that keeps other local users and web pages out); got ${given.length}`);
  return given;
}

async function main(): Promise<void> {
  const token = tokenOf();
  const env = connectionFromEnv();
  const esUrl = opts.esUrl ?? (opts.data ? undefined : env.url);
  let context;
  let stopJobs: () => Promise<void> = async () => {};
  if (esUrl) {
    const connection: EsConnection = { url: esUrl, apiKey: opts.esApiKey ?? env.apiKey, username: opts.esUsername ?? env.username, password: opts.esPassword ?? env.password, caFile: opts.esCa ?? env.caFile };
    const client = createEsClient(connection);
    const info = await checkConnection(client, esUrl);
    say(`elasticsearch: ${esUrl} (cluster ${info.cluster}, version ${info.version})`);
    const built = esContext({ client, connection, benignDays: opts.benignDays, indexPrefix: opts.esIndexPrefix, workers: opts.workers, holder: defaultHolder('serve'), log: say });
    context = built.context;
    // The schedules in the settings fire here too, under the same leases Kibana's take.
    const schedules = new Scheduler(built.jobs, built.context.settings, say);
    await schedules.refresh();
    schedules.watch(15_000);
    stopJobs = async () => {
      await schedules.stop();
      await built.jobs.stop();
    };
  } else {
    const dir = path.resolve(opts.data ?? 'demo-output');
    if (!opts.data && !existsSync(dir)) {
      say(`no demo output at ${dir}: making it first (npm run demo, a few minutes)`);
      const demo = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'demo.ts'), '--out', dir], { stdio: 'inherit' });
      if (demo.status !== 0) throw new Error('the demo failed; see above');
    }
    const data = await fileContext(dir, Date.now, undefined, opts.benignDays);
    say(`data: ${dir} (sources ${data.sources.map((s) => s.id).join(', ')}${data.unreadable ? `; ${data.unreadable} unreadable lines skipped` : ''})`);
    context = data.context;
  }
  const privileges: Privilege[] = opts.readOnly ? ['read'] : ['read', 'manage', 'triage'];
  // Built at every start (a few seconds), so the page always matches the source.
  const target = targetById(opts.kibana);
  say(`building the app page into ${opts.app} (as Kibana ${target.id} mounts it)`);
  await buildStandaloneApp({ outDir: opts.app, target });
  const app = opts.app;
  const server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => privileges, appDir: app, auth: { token, publicHosts: opts.publicHost }, log: say });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  // The one line tools wait for: where to point a browser. The page trades the token for a cookie.
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  process.stdout.write(
    `serving http://${hostInUrl}:${port}/?token=${encodeURIComponent(token)} (API at /internal/dfp, /api/dfp with Authorization: Bearer <token> and, on writes, kbn-xsrf; ${opts.readOnly ? 'read only' : 'admin'})\n`,
  );
  const shutdown = async (): Promise<void> => {
    server.close();
    await stopJobs();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  say(`serve: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
