/**
 * `npm run bench [-- --json] [-- --users N]`: training and scoring speed and peak memory on a
 * generated azure-signin workload, on the backend `auto` picks. Figures go to BENCHMARKS.md.
 */
import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem } from '../server/engine/types';
import { generate } from '../server/engine/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend, measureMatmulGflops } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';

const opts = new Command('bench')
  .option('--json', 'end with one JSON line of the figures')
  .option('--users <n>', 'users in the workload', (v) => Number(v), 200)
  .option('--days <n>', 'training days', (v) => Number(v), 28)
  .option('--backend <name>', 'backend', 'auto')
  .parse(process.argv)
  .opts<{ json?: boolean; users: number; days: number; backend: 'auto' | 'wasm' | 'cpu' }>();

const asItems = (events: Record<string, unknown>[]): InputItem[] =>
  events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

async function main(): Promise<void> {
  const say = (s: string): void => void process.stderr.write(`${s}\n`);
  const backend = await initBackend(opts.backend);
  say(`backend: ${backend.name} (${backend.detail}); ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}`);
  const ds = generate({ profile: 'azure-signin', seed: 7, users: opts.users, trainDays: opts.days, testDays: 7, compromisedUsers: Math.max(1, Math.round(opts.users / 20)) });
  say(`workload: ${opts.users} users, ${ds.train.length} training events, ${ds.test.length} events to score`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-bench-'));
  try {
    const profile = resolveProfile('azure-signin');
    const store = new FsModelStore(dir);
    const t0 = performance.now();
    const trained = await trainModels(asItems(ds.train), { profile, store, backend: backend.name });
    const trainS = (performance.now() - t0) / 1000;
    const modelled = trained.users.filter((u) => u.model !== 'generic').length;

    // Scoring: warm up once (model loading, kernel set-up), then time a full pass.
    await scoreEvents(asItems(ds.test.slice(0, 500)), { profile, store }, async () => {});
    const t1 = performance.now();
    const scored = await scoreEvents(asItems(ds.test), { profile, store }, async () => {});
    const scoreS = (performance.now() - t1) / 1000;

    const figures = {
      backend: backend.name,
      users: opts.users,
      train_rows: trained.rowsInWindow,
      epochs: DEFAULT_AUTOENCODER_CONFIG.epochs,
      train_seconds: round(trainS),
      train_rows_per_s: round(trained.rowsInWindow / trainS),
      users_per_min: round((modelled / trainS) * 60),
      score_events: scored.events,
      score_seconds: round(scoreS),
      score_events_per_s: round(scored.events / scoreS),
      matmul_gflops: round(measureMatmulGflops(512, 10)),
      peak_mb: round(process.resourceUsage().maxRSS / 1024),
    };
    say(`trained ${modelled} user models + generic on ${figures.train_rows} rows × ${figures.epochs} epochs in ${figures.train_seconds} s: ${figures.train_rows_per_s} rows/s, ${figures.users_per_min} users/min`);
    say(`scored ${figures.score_events} events in ${figures.score_seconds} s: ${figures.score_events_per_s} events/s`);
    say(`matmul ${figures.matmul_gflops} GFLOP/s; peak RSS ${figures.peak_mb} MB`);
    if (opts.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
