/**
 * What a flush of the Elasticsearch model store (model_store.ts) sends: the model documents of each
 * saved version, the conditional write of each model's head, the deletes of the versions a new head
 * drops, and how a failed one is named in the error.
 */
import { describeModel } from '../model_store';
import { chunkId, metaId, modelWhat, type ChunkDoc, type EncodedModel, type HeadDoc, type HeadVersion, type MetaDoc } from './model_docs';

/** A head as read or written, with what a conditional write of it needs. */
export interface StoredHead {
  doc: HeadDoc;
  seqNo: number;
  primaryTerm: number;
}

/** A saved model, encoded, not yet written. */
export type PendingSave = EncodedModel;

/** One model's head update in a flush: its saves over the head they were planned on. */
export interface HeadJob {
  key: string;
  saves: PendingSave[];
  base: StoredHead | null;
  next: HeadDoc;
  /** Versions the next head no longer holds: their documents go once it is written. */
  dropped: HeadVersion[];
  conflicts: number;
}

export type BulkOp =
  | { kind: 'doc'; save: PendingSave; id: string; doc: MetaDoc | ChunkDoc }
  | { kind: 'head'; job: HeadJob }
  | { kind: 'delete'; job: HeadJob; version: number; id: string };

export function docOps(s: PendingSave): BulkOp[] {
  const chunks = s.chunks.map(
    (data, chunk): BulkOp => ({ kind: 'doc', save: s, id: chunkId(s.key, s.entry, chunk), doc: { doc_type: 'chunk', key: s.key, version: s.entry.version, chunk, data } }),
  );
  return [...chunks, { kind: 'doc', save: s, id: metaId(s.key, s.entry), doc: s.meta }];
}

export function deleteOps(job: HeadJob): BulkOp[] {
  return job.dropped.flatMap((e) => [
    ...Array.from({ length: e.chunks }, (_, i): BulkOp => ({ kind: 'delete', job, version: e.version, id: chunkId(job.key, e, i) })),
    { kind: 'delete', job, version: e.version, id: metaId(job.key, e) },
  ]);
}

export function describeOp(op: BulkOp): string {
  const { model } = op.kind === 'doc' ? op.save : op.job.saves[0];
  switch (op.kind) {
    case 'doc':
      return modelWhat(model.profile, model.user, model.version);
    case 'head':
      return `${describeModel(model.profile, model.user)}, versions ${op.job.saves.map((s) => s.entry.version).join(', ')} (head document)`;
    case 'delete':
      return `${modelWhat(model.profile, model.user, op.version)} (deleting pruned document ${op.id})`;
  }
}

export function summarize(failures: string[]): string {
  const shown = failures.slice(0, 3).join('; ');
  return failures.length > 3 ? `${shown}; and ${failures.length - 3} more` : shown;
}

