/**
 * The in-memory Elasticsearch test server (test/es_server) in a process of its own, for the bench:
 * its linear scans and JSON then use neither the bench's CPU time nor its event loop, so what the
 * bench measures of the plugin is the plugin's alone, as against a real cluster on another machine.
 *
 * `startEsServerProcess()` forks this file; the child starts the server and answers over IPC:
 * `{ url }` once listening, then `{ cpuMs }` for each `cpu` request (its own CPU time so far).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EsTestServer } from '../../test/es_server/server';

export interface EsServerProcess {
  url: string;
  /** CPU time (user + system) the server process has used so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

type FromChild = { url: string } | { cpuMs: number };

/** Env: a folder where the server process writes a CPU profile of itself when it stops (to see where the test server's time goes). */
export const SERVER_PROFILE_ENV = 'DFP_BENCH_ES_SERVER_PROFILE';

export async function startEsServerProcess(): Promise<EsServerProcess> {
  const profileDir = process.env[SERVER_PROFILE_ENV];
  const execArgv = ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
  const child = fork(__filename, ['--child'], { execArgv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the Elasticsearch test server process exited (code ${code}) before listening`)));
    child.once('message', (m: FromChild) => ('url' in m ? resolve(m.url) : reject(new Error('unexpected message'))));
  });
  child.removeAllListeners('exit');
  return {
    url,
    cpuMs: () => ask(child),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await exited;
    },
  };
}

function ask(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: FromChild): void => {
      if (!('cpuMs' in m)) return;
      child.off('message', on);
      resolve(m.cpuMs);
    };
    child.on('message', on);
    child.send('cpu');
  });
}

async function child(): Promise<void> {
  const server = await new EsTestServer().start();
  // The server logs every request (bodies included) for tests to inspect: nothing here reads the
  // log, and a bench's bulk bodies would pile up in it.
  setInterval(() => (server.requests.length = 0), 1000).unref();
  process.on('message', (m) => {
    if (m !== 'cpu') return;
    const { user, system } = process.cpuUsage();
    process.send!({ cpuMs: (user + system) / 1000 } satisfies FromChild);
  });
  process.on('disconnect', () => process.exit(0)); // the bench ended (or died): so does its server
  process.on('SIGTERM', () => process.exit(0)); // (an exit, not a kill: --cpu-prof writes its profile)
  process.send!({ url: server.url } satisfies FromChild);
}

if (process.argv.includes('--child')) {
  child().catch((e: unknown) => {
    process.stderr.write(`es test server process: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  });
}
