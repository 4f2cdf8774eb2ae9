import type { ColumnFrame, ScoringTable } from '../features/columns';
import type { BufferPool } from './buffer_pool';
import { inOrder } from './in_order';
import { keptModels, type RunModels } from './model_shelf';
import { ScoreLane, type LaneCounts, type LaneOptions } from './score_lane';
import type { Placement } from './scored_rows';

/** Models read and verified ahead of the user being set up. */
const LOAD_AHEAD = 16;

/**
 * All users of a table in one lane on this thread, as one chunk: what a scoring worker does with
 * its lane (score_worker.ts), for runs too small for workers or without them. Models come from
 * this thread's shelf (kept from earlier runs where unchanged), the others read a few at a time
 * ahead of the user being set up. A model that cannot be read or verified is that user's problem
 * only: the generic model stands in, saying why.
 *
 * `frames[u]` is table user u (rows in time order). The time-series check runs over each user's
 * rows, or over their `counts` where given (user u's series is the counts' u-th).
 */
export async function scoreHere(
  table: ScoringTable & { user: Int32Array },
  frames: readonly ColumnFrame[],
  models: RunModels,
  opts: LaneOptions,
  buffers: BufferPool,
  counts?: LaneCounts,
): Promise<Placement> {
  const generic = models.genericModel;
  const own = keptModels(models);
  const owned = inOrder(frames, (f) => own(f.user), LOAD_AHEAD);
  const lane = new ScoreLane(table, opts, buffers);
  for (let u = 0; u < frames.length; u++) {
    const read = (await owned.next())!;
    if (read.ok) lane.setUser(u, read.value, generic);
    else lane.setUser(u, null, generic, messageOf(read.error));
  }
  frames.forEach((frame, u) => {
    if (!lane.scores(u)) return;
    if (counts) lane.countsTimeseries(frame.rows, counts, u);
    else lane.timeseries(frame.rows);
  });
  const chunk = lane.scoreChunk(0, table.size, table.user);
  return {
    lanes: [{ users: lane.laneUsers(), strings: chunk.strings, chunks: [chunk], chunkStart: Int32Array.of(0, table.size) }],
    laneOfUser: new Uint8Array(frames.length),
    userIndex: Int32Array.from(frames, (_, u) => u),
    slot: Int32Array.from({ length: table.size }, (_, r) => r),
    chunkRows: Math.max(1, table.size),
    chunks: 1,
    workers: 0,
    ...(models.genericProblem !== undefined ? { genericProblem: models.genericProblem } : {}),
    ready: async () => {},
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
