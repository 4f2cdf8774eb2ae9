/**
 * User risk's shared novelty (score/shared_novelty.ts) between scheduled runs: a run covers a few
 * minutes, a rollout days, so each run hands the adoptions of the last window to the next in one
 * state document per source (`novelty:<source>` in the state index), with only the newest adopters
 * of each value (SharedNovelty.adoptions). The document is advisory: a run that cannot read or
 * write it scores as if nobody had adopted anything yet, and says so.
 */
import type { Client } from '@elastic/elasticsearch';
import type { Adoption } from '../../score/shared_novelty';
import type { RetryOptions } from './retry';
import { CONFLICT, readStateDoc, StateDocWriter, type SeqNo } from './state_index';

export interface NoveltyState {
  source: string;
  /** As of this time (epoch ms): the run's end. */
  asOf: number;
  adoptions: Adoption[];
  runId: string;
}

/** The source's adoptions and the document's position (null: none written yet). */
export async function readNoveltyState(client: Client, index: string, source: string, retry?: RetryOptions): Promise<{ adoptions: Adoption[]; position: SeqNo | null }> {
  const doc = await readStateDoc<NoveltyState>(client, index, 'novelty', source, retry);
  if (!doc) return { adoptions: [], position: null };
  const adoptions = Array.isArray(doc.value?.adoptions) ? doc.value.adoptions : [];
  return { adoptions, position: { seqNo: doc.seqNo, primaryTerm: doc.primaryTerm } };
}

/** Writes the run's adoptions over the document it read; false when another process wrote it since. */
export async function writeNoveltyState(client: Client, index: string, state: NoveltyState, position: SeqNo | null, retry?: RetryOptions): Promise<boolean> {
  const writer = new StateDocWriter<NoveltyState>(client, index, 'novelty', state.source, position);
  return (await writer.write(state, { retry })) !== CONFLICT;
}
