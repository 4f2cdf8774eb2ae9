import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ColumnFrame, EventColumns } from '../features/columns';
import type { FingerprintJson } from '../model/fingerprint';
import { rowsBuffers, rowsChunk } from './lane_table';
import { chunkBuffers, type ChunkScores, type LaneCounts, type LaneOptions, type LaneUsers } from './score_lane';
import { shelfBytes, type RunModels } from './model_shelf';
import type { Placement, PlacedLane } from './scored_rows';
import { MODEL_WINDOW, type FromWorker, type ToWorker } from './score_messages';
import { inOrder } from './in_order';

/**
 * File scoring on every core: a pool of scoring workers (score_worker.ts), each scoring the users
 * that hash to it, each with its own backend and its own shelf of models. Users go to the same
 * worker from run to run (a stable hash of the name), so a worker keeps the models of its users
 * and a steady run sends none. What crosses: each lane's rows as typed columns (transferred),
 * models only when the worker lacks them, and the results chunk by chunk of input as transferred
 * buffers, given back once written (see BufferPool): the calling thread writes one chunk's
 * documents while the workers score the next.
 *
 * The pool lives on between runs (like the model shelf) and ends after its idle time without a
 * run (IDLE_MS unless `keepScorePool` says otherwise); its workers never keep the process alive
 * while idle.
 */
export type { RunModels };

/** An idle pool ends after this long by default: its workers hold a backend and their share of the shelf's models. */
const IDLE_MS = 60_000;
/** How long an idle pool lives in this thread (see keepScorePool). */
let idleMs = IDLE_MS;
/** Models read ahead of the one being sent. */
const LOAD_AHEAD = 16;

/** A failure of one lane: at which table user (−1 the generic model, −2 no user in particular), and why. */
interface LaneFailure {
  user: number;
  error: unknown;
}

export class ScorePool {
  private readonly workers: Worker[];
  private readonly handlers = new Map<number, (m: FromWorker) => void>();
  private running = 0;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | undefined;
  /** Set once a worker died or the pool was closed: runs fail, and `scorePool` makes a new pool. */
  broken: Error | undefined;

  constructor(
    readonly size: number,
    readonly backend: string,
  ) {
    this.workers = Array.from({ length: size }, () => this.spawn());
  }

  /**
   * Scores every frame's user (`frames[u]` is table user u, rows in time order) in the worker the
   * name hashes to, in chunks of `chunkRows` table rows. Resolves once every lane knows its users'
   * models (the chunks follow: Placement.ready); rejects with the failure a one-thread run would
   * have met first. `counts`: the table users' counts over the days before, for the time-series
   * check (Elasticsearch runs: table user u's series is the counts' u-th); else it runs over each
   * user's rows.
   */
  async score(table: EventColumns, frames: readonly ColumnFrame[], models: RunModels, opts: LaneOptions, chunkRows: number, counts?: LaneCounts): Promise<Placement> {
    if (this.broken) throw this.broken;
    const chunks = Math.max(1, Math.ceil(table.size / chunkRows));
    const laneOf = lanesOf(frames, this.size);
    const userIndex = new Int32Array(frames.length);
    const members: number[][] = this.workers.map(() => []);
    frames.forEach((_, u) => (userIndex[u] = members[laneOf[u]].push(u) - 1));
    // Each lane's rows in table order; chunk c of a lane is its rows among table rows c·chunkRows ….
    const slot = new Int32Array(table.size);
    const count = new Int32Array(this.size);
    const chunkStart = this.workers.map(() => new Int32Array(chunks + 1));
    for (let r = 0; r < table.size; r++) {
      if (r % chunkRows === 0) chunkStart.forEach((starts, l) => (starts[r / chunkRows] = count[l]));
      slot[r] = count[laneOf[table.user[r]]]++;
    }
    chunkStart.forEach((starts, l) => starts.fill(count[l], Math.ceil(table.size / chunkRows)));

    const place = { laneOf, userIndex, slot };
    const lanes = members.map((users, l) => this.lane(l, users, table, frames, place, count[l], chunkStart[l], models, opts, counts));
    this.busy(+1);
    let finished = 0;
    for (const lane of lanes) {
      void lane.done.finally(() => {
        if (++finished === lanes.length) this.busy(-1);
      });
    }
    const settled = await Promise.allSettled(lanes.map((lane) => lane.users));
    const failures = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as LaneFailure] : []));
    if (failures.length > 0) {
      // The failure a one-thread run would have met first: the generic model, then users in order.
      throw failures.reduce((a, b) => (order(b.user) < order(a.user) ? b : a)).error;
    }
    const placed: PlacedLane[] = lanes.map((lane, l) => ({ users: lane.known!, strings: lane.strings, chunks: lane.chunks, chunkStart: chunkStart[l] }));
    return {
      lanes: placed,
      laneOfUser: laneOf,
      userIndex,
      slot,
      chunkRows,
      chunks,
      workers: this.size,
      ...(models.genericProblem !== undefined ? { genericProblem: models.genericProblem } : {}),
      ready: (c) => Promise.all(lanes.map((lane) => lane.arrived[c].promise)).then(() => {}),
    };
  }

  /** A finished run's results are no longer read: their buffers go back to their workers (see BufferPool). */
  recycle(placed: Placement): void {
    if (this.broken) return;
    placed.lanes.forEach((lane, l) => {
      const buffers = lane.chunks.flatMap((c) => (c ? chunkBuffers(c) : []));
      this.workers[l]?.postMessage({ type: 'recycle', buffers } satisfies ToWorker, buffers);
    });
  }

  close(): Promise<void> {
    this.broken ??= new Error('the scoring pool was closed');
    clearTimeout(this.idleTimer);
    this.closing ??= Promise.all(this.workers.map((w) => w.terminate())).then(() => {});
    return this.closing;
  }

  /**
   * One worker's lane of a run: its rows (`n` of them, table row r going to its row slot[r]), its
   * users' rows in time order, the models it lacks; its users, then its chunks, as they come.
   */
  private lane(
    l: number,
    users: number[],
    table: EventColumns,
    frames: readonly ColumnFrame[],
    { laneOf, userIndex, slot }: { laneOf: Uint8Array; userIndex: Int32Array; slot: Int32Array },
    n: number,
    chunkStart: Int32Array,
    models: RunModels,
    opts: LaneOptions,
    counts: LaneCounts | undefined,
  ): LaneTracker {
    const worker = this.workers[l];
    const id = this.nextId++;
    const order = new Int32Array(n);
    const rowUser = new Int32Array(n);
    for (let r = 0; r < table.size; r++) {
      const u = table.user[r];
      if (laneOf[u] !== l) continue;
      order[slot[r]] = r;
      rowUser[slot[r]] = userIndex[u];
    }
    const userRowStart = new Int32Array(users.length + 1);
    users.forEach((u, i) => (userRowStart[i + 1] = userRowStart[i] + frames[u].rows.length));
    const userRows = new Int32Array(userRowStart[users.length]);
    users.forEach((u, i) => frames[u].rows.forEach((r, k) => (userRows[userRowStart[i] + k] = slot[r])));
    const rows = rowsChunk(table, order);
    const names = users.map((u) => frames[u].user);
    const laneCounts = counts && laneSeries(counts, users);
    const send = (m: ToWorker, transfer?: ArrayBuffer[]): void => worker.postMessage(m, transfer ?? []);
    const feed = new ModelFeed(id, send, (user) => models.load(names[user]), () => models.generic!);
    const tracker = new LaneTracker(chunkStart.length - 1);
    const fail = (failure: LaneFailure): void => {
      this.handlers.delete(id);
      feed.stop();
      tracker.fail(failure);
    };
    this.handlers.set(id, (m) => {
      switch (m.type) {
        case 'need':
          return feed.need(m.users, m.generic);
        case 'took':
          return feed.took();
        case 'users':
          return tracker.know(m.users);
        case 'chunk':
          if (tracker.arrive(m.index, m.scores)) this.handlers.delete(id);
          return;
        case 'failed':
          return fail({ user: m.user >= 0 ? users[m.user] : m.user, error: (m.user >= 0 && feed.readError(m.user)) || new Error(m.message) });
      }
    });
    const generic = models.generic ? `${models.source}\u0000${models.generic.version}\u0000${models.generic.checksum}` : null;
    send(
      {
        type: 'score',
        id,
        schema: table.schema,
        opts,
        source: models.source,
        generic,
        users: names,
        versions: Float64Array.from(names, (name) => models.versionOf(name) ?? NaN),
        digests: names.map((name) => models.digestOf(name) ?? ''),
        rows,
        rowUser,
        userRows,
        userRowStart,
        chunkStart,
        ...(laneCounts ? { counts: laneCounts } : {}),
      },
      [...rowsBuffers(rows), rowUser.buffer, userRows.buffer, userRowStart.buffer, ...(laneCounts ? [laneCounts.series.buffer] : [])] as ArrayBuffer[],
    );
    return tracker;
  }

  private spawn(): Worker {
    const worker = startWorker(this.backend, Math.floor(shelfBytes() / this.size));
    worker.unref(); // idle workers never keep the process alive (`busy` refs them during a run)
    worker.on('message', (m: FromWorker) => this.handlers.get(m.id)?.(m));
    const fail = (error: Error): void => {
      // A worker that died (out of memory, a crash in the backend) fails the runs in flight; the
      // next run gets a fresh pool.
      this.broken ??= error;
      for (const [id, handler] of [...this.handlers]) handler({ type: 'failed', id, user: -2, message: error.message });
      void this.close();
    };
    worker.on('error', (err) => fail(new Error(`scoring worker failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new Error(`scoring worker exited (code ${code})`)));
    return worker;
  }

  /** Workers hold the process open while a run is in flight, and the pool ends after IDLE_MS without one. */
  private busy(delta: number): void {
    const was = this.running;
    this.running += delta;
    clearTimeout(this.idleTimer);
    if (was === 0 && this.running > 0) for (const w of this.workers) w.ref();
    if (this.running === 0) {
      for (const w of this.workers) w.unref();
      this.idleTimer = setTimeout(() => void this.close(), idleMs).unref();
    }
  }
}

/** What one lane of a run has sent back so far. */
class LaneTracker {
  known: LaneUsers | undefined;
  readonly strings: string[] = [];
  readonly chunks: ChunkScores[] = [];
  /** Per chunk: settles when it is in (or the lane failed). */
  readonly arrived: Deferred[];
  /** Settles when the users are known (or the lane failed). */
  readonly users: Promise<void>;
  /** Settles when every chunk is in (or the lane failed). */
  readonly done: Promise<void>;
  private readonly usersKnown = new Deferred();
  private left: number;

  constructor(chunks: number) {
    this.arrived = Array.from({ length: chunks }, () => new Deferred());
    this.users = this.usersKnown.promise;
    this.left = chunks;
    this.done = Promise.allSettled(this.arrived.map((d) => d.promise)).then(() => {});
  }

  know(users: LaneUsers): void {
    this.known = users;
    this.usersKnown.resolve();
  }

  /** Chunk `c` is in; true when it was the last. */
  arrive(c: number, scores: ChunkScores): boolean {
    this.strings.push(...scores.strings);
    this.chunks[c] = scores;
    this.arrived[c].resolve();
    return --this.left === 0;
  }

  fail(failure: LaneFailure): void {
    this.usersKnown.reject(failure);
    for (const d of this.arrived) d.reject(failure.error);
  }
}

/** A promise and its settling functions; a rejection no one waits for is not an unhandled one. */
class Deferred {
  readonly promise: Promise<void>;
  resolve!: () => void;
  reject!: (reason: unknown) => void;

  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.promise.catch(() => {});
  }
}

/**
 * Sends a worker the models it asks for, in order: read a few ahead from the store (inOrder), at
 * most MODEL_WINDOW ahead of what the worker has taken. A read that fails is sent as such, with
 * its message (the worker scores that user with the generic model, saying why).
 */
class ModelFeed {
  private readonly errors = new Map<number, unknown>();
  /** Sending so far (a worker asks once a run; a second ask is served after the first). */
  private sending: Promise<void> = Promise.resolve();
  private sent = 0;
  private taken = 0;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly id: number,
    private readonly send: (m: ToWorker) => void,
    private readonly load: (user: number) => Promise<FingerprintJson | null>,
    private readonly generic: () => FingerprintJson,
  ) {}

  need(users: number[], generic: boolean): void {
    if (this.stopped) return;
    if (generic) this.send({ type: 'generic', id: this.id, json: this.generic() });
    this.sending = this.sending.then(() => this.sendModels(users));
  }

  took(): void {
    this.taken += 1;
    this.wake?.();
  }

  readError(user: number): unknown {
    return this.errors.get(user);
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  private async sendModels(users: number[]): Promise<void> {
    const reads = inOrder(users, this.load, LOAD_AHEAD);
    for (const user of users) {
      const read = (await reads.next())!;
      if (!read.ok) this.errors.set(user, read.error);
      while (!this.stopped && this.sent - this.taken >= MODEL_WINDOW) await new Promise<void>((r) => (this.wake = r));
      if (this.stopped) return;
      this.send(read.ok ? { type: 'model', id: this.id, user, json: read.value } : { type: 'model', id: this.id, user, json: undefined, error: messageOf(read.error) });
      this.sent += 1;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

let shared: ScorePool | undefined;

/** The process's scoring pool of `size` workers on `backend`, kept between runs (a new one when those change or it broke). */
export function scorePool(size: number, backend: string): ScorePool {
  if (!shared || shared.broken || shared.size !== size || shared.backend !== backend) {
    void shared?.close();
    shared = new ScorePool(size, backend);
  }
  return shared;
}

/**
 * How long this thread's pool lives without a run (default IDLE_MS): a scheduled job that scores
 * every few minutes keeps its workers, and the models on their shelves, from one run to the next.
 */
export function keepScorePool(ms: number): void {
  idleMs = ms;
}

/** Ends the shared pool now (tests; a server shutting down). */
export async function closeScorePool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

/** The lane of a user: FNV-1a of the name, so a user's worker (and its kept model) stays the same between runs. */
export function laneOfUser(user: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < user.length; i++) {
    h ^= user.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % lanes;
}

/**
 * Each user's lane: by the hash of the name (laneOfUser), then evened out: while the heaviest lane
 * has more rows than the lightest by over 2 % of all rows, its largest user that fits in half the
 * difference moves to the lightest. A lane's time is about its rows, and a run waits for its
 * slowest lane. The same users and rows give the same lanes (a user's kept model stays with its
 * worker); a user moved in one run and not the next has their model read once more.
 */
export function lanesOf(frames: readonly ColumnFrame[], lanes: number): Uint8Array {
  const lane = Uint8Array.from(frames, (f) => laneOfUser(f.user, lanes));
  const rows = new Float64Array(lanes);
  frames.forEach((f, u) => (rows[lane[u]] += f.rows.length));
  const total = rows.reduce((a, b) => a + b, 0);
  for (let moves = 0; moves < frames.length; moves++) {
    let heavy = 0;
    let light = 0;
    for (let l = 1; l < lanes; l++) {
      if (rows[l] > rows[heavy]) heavy = l;
      if (rows[l] < rows[light]) light = l;
    }
    const gap = (rows[heavy] - rows[light]) / 2;
    if (gap <= 0.01 * total) break;
    let pick = -1;
    for (let u = 0; u < frames.length; u++) {
      const n = frames[u].rows.length;
      if (lane[u] === heavy && n <= gap && (pick < 0 || n > frames[pick].rows.length)) pick = u;
    }
    if (pick < 0) break;
    lane[pick] = light;
    rows[heavy] -= frames[pick].rows.length;
    rows[light] += frames[pick].rows.length;
  }
  return lane;
}

/** The series of a lane's users (table users `users`, in lane order). */
function laneSeries(counts: LaneCounts, users: number[]): LaneCounts {
  const { bins } = counts;
  const series = new Float64Array(users.length * bins);
  users.forEach((u, i) => series.set(counts.series.subarray(u * bins, (u + 1) * bins), i * bins));
  return { ...counts, series };
}

/** −1 (the generic model) before user 0; −2 (the whole lane) after every user. */
function order(user: number): number {
  return user === -2 ? Infinity : user;
}

/**
 * The worker runs score_worker beside this file: the compiled .js in a build, or the .ts source
 * (development and tests run under tsx, whose loader a worker thread does not inherit: register it).
 */
function startWorker(backend: string, shelfBytes: number): Worker {
  const workerData = { backend, shelfBytes };
  if (path.extname(__filename) !== '.ts') return new Worker(path.join(__dirname, 'score_worker.js'), { workerData });
  const entry = path.join(__dirname, 'score_worker.ts');
  return new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}
