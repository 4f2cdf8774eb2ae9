/**
 * The training engine's speed on one workload (issue 6): users/min one model at a time (as
 * Morpheus trains), stacked on this thread, and stacked on a pool of worker threads; the
 * arithmetic rate that reaches; memory over the run.
 *
 * Workload: `users` users × `rows` rows each. Each user is a generated azure-signin user's feature
 * rows resampled (with replacement, seeded) to `rows`, so every user has its own vocabulary and
 * habits drawn from the generator while the size is fixed. Users are made a task at a time, as
 * the pool asks for them, so the workload itself does not grow memory with the user count.
 */
import { generate } from '../../datasets/synth';
import type { Profile } from '../../server/engine/profiles';
import { buildUserFrames, schemaOf, type UserFrame } from '../../server/engine/features/frame';
import { collectRows } from '../../server/engine/jobs/collect';
import type { FeatureValue } from '../../server/engine/features/extract';
import { DEFAULT_AUTOENCODER_CONFIG, type AutoencoderConfig } from '../../server/engine/model/autoencoder';
import type { FingerprintJson } from '../../server/engine/model/fingerprint';
import { makeRng } from '../../server/engine/model/rng';
import { TrainPool } from '../../server/engine/jobs/train_pool';
import { runTrainTask, type TrainTask, type TrainTaskInput } from '../../server/engine/jobs/train_task';

export interface TrainingBenchOptions {
  profile: Profile;
  backend: string;
  users: number;
  rows: number;
  /** Users trained one at a time for the sequential rate. */
  sequentialUsers: number;
  /** Users trained stacked on this thread (one task) for the per-core rate. */
  oneThreadUsers: number;
  workers: number;
  say: (line: string) => void;
}

export interface TrainingBenchFigures {
  users_per_min_sequential: number;
  users_per_min_stacked_one_thread: number;
  users_per_min_batched: number;
  batched_vs_sequential: number;
  workers: number;
  /** Dense-equivalent arithmetic (each user's own width, no padding) over the batched run's wall time. */
  gflops: number;
  train_rss_mb: { quarter: number; half: number; end: number; max: number };
}

const USERS_PER_TASK = 128;

export async function trainingBench(o: TrainingBenchOptions): Promise<TrainingBenchFigures> {
  const config = DEFAULT_AUTOENCODER_CONFIG;
  const bases = await baseUsers(o.profile);
  const workload = new Workload(bases, o.rows);
  const schema = schemaOf(o.profile);
  const task = (from: number, count: number, sequential = false): TrainTask => ({
    profile: o.profile.name, schema, config, backend: o.backend, sequential,
    inputs: Array.from({ length: count }, (_, k) => workload.user(from + k)),
  });
  o.say(`training workload: ${o.users} users × ${o.rows} rows (resampled from ${bases.length} generated users), ${config.epochs} epochs, ${config.encoderLayers.join('-')}-${config.decoderLayers.join('-')}`);

  // One model at a time on this thread: Fingerprint.train through the tape, as Morpheus does.
  let t0 = performance.now();
  runTrainTask(task(0, o.sequentialUsers, true), () => {});
  const sequential = perMinute(o.sequentialUsers, t0);
  o.say(`  sequential (one model at a time, one thread): ${o.sequentialUsers} users, ${sequential} users/min`);

  // Stacked on this thread: what stacking alone gives, one core.
  t0 = performance.now();
  runTrainTask(task(0, o.oneThreadUsers), () => {});
  const oneThread = perMinute(o.oneThreadUsers, t0);
  o.say(`  stacked, one thread: ${o.oneThreadUsers} users, ${oneThread} users/min`);

  // Stacked on a pool, every user of the workload: what the train job does.
  const pool = new TrainPool(o.workers, o.backend);
  const rss = new RssTrace();
  let flops = 0;
  let done = 0;
  t0 = performance.now();
  try {
    let next = 0;
    await Promise.all(
      Array.from({ length: o.workers }, async () => {
        while (next < o.users) {
          const from = next;
          const count = Math.min(USERS_PER_TASK, o.users - from);
          next += count;
          await pool.run(task(from, count), (_, json) => {
            flops += trainingFlops(json, config);
            done += 1;
            rss.at(done / o.users);
          });
          o.say(`  batched: ${done} of ${o.users} users, ${perMinute(done, t0)} users/min`);
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const batched = perMinute(o.users, t0);
  return {
    users_per_min_sequential: sequential,
    users_per_min_stacked_one_thread: oneThread,
    users_per_min_batched: batched,
    batched_vs_sequential: round(batched / sequential),
    workers: o.workers,
    gflops: round(flops / seconds / 1e9),
    train_rss_mb: rss.figures(),
  };
}

/** Generated users with enough rows to resample from, as feature rows. */
async function baseUsers(profile: Profile): Promise<UserFrame[]> {
  const ds = generate({ profile: 'azure-signin', seed: 21, users: 200, trainDays: 28, testDays: 1, compromisedUsers: 1 });
  const items = ds.train.map((event, i) => ({ kind: 'event' as const, event, source: { file: 'generated', line: i + 1 } }));
  const collected = await collectRows(items, profile, { keepItems: false });
  return [...buildUserFrames(collected.rows, profile).values()].filter((f) => f.values.length >= 100);
}

/** User k of the workload, made on request: base user k mod B, its rows resampled with seed k. */
class Workload {
  constructor(
    private readonly bases: UserFrame[],
    private readonly rows: number,
  ) {}

  user(k: number): TrainTaskInput {
    const base = this.bases[k % this.bases.length];
    const rng = makeRng(`bench-user:${k}`);
    const rows: FeatureValue[][] = [];
    const times: number[] = [];
    for (let i = 0; i < this.rows; i++) {
      const j = Math.floor(rng() * base.values.length);
      rows.push(base.values[j]);
      times.push(base.times[j]);
    }
    return { user: `bench-user-${k}`, rows, times, version: 1, warmStart: false };
  }
}

/**
 * Floating-point operations a model's training takes as dense products: per row and epoch, the
 * forward pass, the weight gradients and the input gradients of every layer but the first (2 per
 * multiply-add), at the user's own width. The kernel program skips the one-hot input's zeros in
 * the first layer, so it does less than this: the figure is the dense-equivalent rate.
 */
function trainingFlops(json: FingerprintJson, config: AutoencoderConfig): number {
  const macs = json.weights.map((l) => l.inDim * l.outDim);
  const perRow = 2 * (2 * macs.reduce((a, b) => a + b, 0) + macs.slice(1).reduce((a, b) => a + b, 0));
  return perRow * json.training.rows * config.epochs;
}

/** Resident memory while the batched run goes: at a quarter, half and all of the users, and the most. */
class RssTrace {
  private readonly marks = new Map<string, number>();
  private max = 0;
  private readonly timer = setInterval(() => this.sample(), 250);

  at(fraction: number): void {
    const rss = this.sample();
    for (const [name, f] of [['quarter', 0.25], ['half', 0.5], ['end', 1]] as const) {
      if (fraction >= f && !this.marks.has(name)) this.marks.set(name, rss);
    }
  }

  figures(): TrainingBenchFigures['train_rss_mb'] {
    clearInterval(this.timer);
    const mb = (v: number | undefined): number => round((v ?? 0) / 1e6);
    return { quarter: mb(this.marks.get('quarter')), half: mb(this.marks.get('half')), end: mb(this.marks.get('end')), max: mb(this.max) };
  }

  private sample(): number {
    const rss = process.memoryUsage.rss();
    this.max = Math.max(this.max, rss);
    return rss;
  }
}

function perMinute(users: number, since: number): number {
  return round((users / ((performance.now() - since) / 1000)) * 60);
}

/** Figures to two decimals (the bench's JSON line). */
export function round(v: number): number {
  return Math.round(v * 100) / 100;
}
