/**
 * A scoring worker thread (see score_pool.ts): its own tfjs backend (the one the scoring thread
 * uses, so that exp/log give the same float32 results), its own shelf of models, and the buffers
 * of earlier runs' results. Messages: score_messages.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendName } from '../model/backend';
import { ScoringModel } from '../model/scoring_model';
import { ModelShelf, shelfKey } from './model_shelf';
import { LaneTable } from './lane_table';
import { ScoreLane, chunkBuffers } from './score_lane';
import { BufferPool } from './buffer_pool';
import { encodeChunkDocs } from './lane_docs';
import type { FromWorker, GenericModel, ScoreLaneRows, ToWorker, UserModel } from './score_messages';

const port = parentPort!;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);
const shelf = new ModelShelf(workerData.shelfBytes as number);
const spare = new BufferPool();
/** The last generic model decoded, by its content key. */
let generic: { key: string; model: ScoringModel } | undefined;

/** The generic model (−1) could not be decoded: the run fails there (the calling thread checked it first, so this is rare). */
class UserFailure extends Error {
  constructor(
    readonly user: number,
    message: string,
  ) {
    super(message);
  }
}

const failure = (user: number, err: unknown): UserFailure => new UserFailure(user, err instanceof Error ? err.message : String(err));

/**
 * One run's lane in this worker. Once every user's model is known (kept, or sent): the users,
 * the time-series checks, then the rows a chunk at a time, each chunk's scores sent as it is done.
 */
class LaneRun {
  private readonly lane: ScoreLane;
  private readonly table: LaneTable;
  private genericModel: ScoringModel | null = null;
  private genericReady: boolean;
  /** Users whose model is not known yet. */
  private unknown = 0;
  /** Users known to have no model of their own, waiting for the generic model. */
  private readonly forGeneric: number[] = [];
  /** The scores went back. */
  finished = false;

  constructor(private readonly m: ScoreLaneRows) {
    this.table = new LaneTable(m.schema, m.rows);
    this.lane = new ScoreLane(this.table, m.opts, spare);
    const needGeneric = m.generic !== null && generic?.key !== m.generic;
    this.genericReady = !needGeneric;
    if (m.generic !== null && !needGeneric) this.genericModel = generic!.model;
    const need: number[] = [];
    m.users.forEach((name, u) => {
      const kept = shelf.get(shelfKey(m.source, name), this.versionOf(u), this.digestOf(u));
      if (kept === undefined) need.push(u);
      else if (kept === null && !this.genericReady) this.forGeneric.push(u); // the generic model scores them, once here
      else this.lane.setUser(u, kept, this.genericModel);
    });
    this.unknown = need.length + this.forGeneric.length;
    post({ type: 'need', id: m.id, users: need, generic: needGeneric });
    this.done();
  }

  generic(m: GenericModel): void {
    try {
      generic = { key: this.m.generic!, model: ScoringModel.fromJson(m.json) };
    } catch (err) {
      throw failure(-1, err);
    }
    this.genericModel = generic.model;
    this.genericReady = true;
    for (const u of this.forGeneric.splice(0)) {
      this.lane.setUser(u, null, this.genericModel);
      this.unknown -= 1;
    }
    this.done();
  }

  model(m: UserModel): void {
    post({ type: 'took', id: this.m.id });
    // A model that cannot be read or verified is that user's problem only: the generic model stands in.
    let own: ScoringModel | null = null;
    let problem: string | undefined;
    if (m.json === undefined) problem = m.error ?? 'reading the model failed';
    else {
      try {
        own = m.json ? ScoringModel.fromJson(m.json) : null;
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err);
      }
    }
    // Not kept when unusable: the next run reads it again (it may have been retrained by then).
    if (problem === undefined) shelf.put(shelfKey(this.m.source, this.m.users[m.user]), own, this.versionOf(m.user), this.digestOf(m.user));
    this.lane.setUser(m.user, own, this.genericModel, problem);
    this.unknown -= 1;
    this.done();
  }

  private digestOf(u: number): string | undefined {
    return this.m.digests[u] || undefined;
  }

  private versionOf(u: number): number | undefined {
    const v = this.m.versions[u];
    return Number.isNaN(v) ? undefined : v;
  }

  /** Once every model is known: the users, the time-series checks, then chunk after chunk. */
  private done(): void {
    if (this.unknown > 0 || this.finished) return;
    this.finished = true;
    runs.delete(this.m.id);
    const { id, userRows, userRowStart, chunkStart, rowUser } = this.m;
    // The users first: the calling thread sets up their documents while the checks run here.
    post({ type: 'users', id, users: this.lane.laneUsers() });
    for (let u = 0; u < this.m.users.length; u++) {
      if (!this.lane.scores(u)) continue;
      const rows = userRows.subarray(userRowStart[u], userRowStart[u + 1]);
      if (this.m.counts) this.lane.countsTimeseries(rows, this.m.counts, u);
      else this.lane.timeseries(rows);
    }
    for (let c = 0; c + 1 < chunkStart.length; c++) {
      const base = chunkStart[c];
      const n = chunkStart[c + 1] - base;
      const scores = this.lane.scoreChunk(base, n, rowUser);
      const { docs } = this.m.opts;
      if (docs) {
        const users = this.lane.laneUsers();
        const opts = { ...docs, topFeatures: this.m.opts.topFeatures };
        scores.docs = encodeChunkDocs({ table: this.table, base, rowUser, users, names: this.m.users, strings: this.lane.allStrings(), chunk: scores, n, opts }, spare);
      }
      post({ type: 'chunk', id, index: c, scores }, chunkBuffers(scores));
    }
  }
}

const runs = new Map<number, LaneRun>();
const ready = initBackend(workerData.backend as BackendName | 'auto');

port.on('message', (m: ToWorker) => {
  void ready.then(() => {
    if (m.type === 'recycle') spare.give(m.buffers);
    else handle(m);
  });
});

/** A message of run `m.id`. */
function handle(m: Exclude<ToWorker, { type: 'recycle' }>): void {
  try {
    if (m.type === 'score') {
      const run = new LaneRun(m);
      if (!run.finished) runs.set(m.id, run);
      return;
    }
    const run = runs.get(m.id);
    if (!run) return; // a run that failed or finished: the rest of its messages are dropped
    if (m.type === 'generic') run.generic(m);
    else run.model(m);
  } catch (err) {
    runs.delete(m.id);
    post({ type: 'failed', id: m.id, user: err instanceof UserFailure ? err.user : -2, message: err instanceof Error ? err.message : String(err) });
  }
}
