/**
 * Writes scored events back to Elasticsearch, in one of two modes chosen per source:
 *
 * - `in_place`: adds the `dfp` object to the original document, an `update` (`{ doc: { dfp } }`)
 *   addressed to the hit's own `_index` (a data stream's backing index: data streams refuse
 *   updates through the stream name) and `_id`. Before the first write to an index, `dfp.*` is
 *   mapped there, and for a backing index also in its stream's `@custom` component template so
 *   that the next backing index after a rollover has it too (see dfp_mappings.ts).
 * - `scores`: one document per scored event in the data stream `logs-dfp.scores-<namespace>`,
 *   with a deterministic id (from the source `_index` and `_id`), so a re-run overwrites instead of
 *   adding. Data streams take only `create`, and ids are unique only within one backing index, so
 *   existing copies are looked up first (ids query over the whole stream) and overwritten in their
 *   own backing index with `index` + `if_seq_no`/`if_primary_term`; a `create` that still meets a
 *   409 (a copy not searchable yet, or a re-sent request already applied) is looked up with a
 *   realtime `_mget` and overwritten the same way. Copies an earlier run left unsearchable
 *   before a rollover are found too (see scores_copies.ts).
 *
 * Nothing is lost silently: every write is either written or in the report with a reason.
 * Indices found read-only (403 `cluster_block_exception` on mapping or write: `index.blocks.*`,
 * frozen or searchable-snapshot indices) are recorded once; later writes to them are reported
 * without being sent. Failures still retryable after the last retry are counted in
 * `retryableLeft`: the caller must not move its checkpoint past them. What fails no write but
 * should be seen (a stream template without `@custom`, a `@custom` we may not change) is in
 * `warnings`.
 */
import type { SourceConfig } from '../../../../common/source_config';
import type { Profile } from '../../profiles';
import { schemaOf } from '../../features/frame';
import crypto from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { BulkWriter, type BulkFailure, type BulkFlushResult } from './bulk';
import { ensureDfpMapped, ensureStreamCustomTemplate, mapNewFieldsOnStream, putScoresIndexTemplate, SCORES_TEMPLATE } from './dfp_mappings';
import { esErrorType, esStatus, isRetryableError } from './errors';
import type { RetryOptions } from './retry';
import { ScoresCopies, type Copy } from './scores_copies';
import { compileFieldPath, readFieldPath, type FieldPath } from '../../profiles/field_path';
import type { RawEvent } from '../../types';
import { encodedScoresBody, encodedUpdateBody, isEncoded, scoresDocument, updateBody, type EncodedHit, type JsonParts, type ScoredHit, type ScoresDocOptions } from './sink_body';

export type { EncodedDfp, EncodedHit, ScoredHit } from './sink_body';

export type WriteMode = 'in_place' | 'scores';

export interface EsSinkOptions {
  mode: WriteMode;
  /** Scores mode: the data stream's namespace (Fleet's rules). Default `default`. */
  namespace?: string;
  /** Scores mode: event paths copied into each scores document (user key, display name, ...). */
  keyFields?: string[];
  /** Scores mode: the source's id, kept as `dfp.source.name` so one stream can hold several sources. */
  sourceName?: string;
  /** Features whose `dfp.features.<name>` are mapped explicitly (others map by dynamic template). */
  featureNames: string[];
  /** Largest `_bulk` body in bytes. Default 5 MB. */
  maxBytes?: number;
  retry?: RetryOptions;
  refresh?: boolean | 'wait_for';
  signal?: AbortSignal;
}

export interface SinkReport {
  written: number;
  failed: number;
  /** Failures counted by "HTTP <status> <type>" (e.g. "HTTP 403 cluster_block_exception"). */
  failedByReason: Record<string, number>;
  /** The first 20 failures as "<source index>/<source id>: <reason>". */
  examples: string[];
  /** Read-only indices that refused writes. */
  readOnlyIndices: string[];
  retriedItems: number;
  /** Failures still retryable after the last retry: the caller must not advance its checkpoint. */
  retryableLeft: number;
  /** Things that did not fail a write but an operator should know (e.g. a stream whose template lacks `@custom`). */
  warnings: string[];
}

const MAX_EXAMPLES = 20;
/** Scores mode: hits looked up (one ids query) and queued together. */
const LOOKUP_BATCH = 1000;
/** Scores mode: rounds of "look up the conflicting copy, overwrite it" before a 409 is final. */
const CONFLICT_ROUNDS = 3;

/** Fleet's namespace rules: lowercase, none of \ / * ? " < > | , # : - or whitespace, ≤ 100 bytes. */
export function validateNamespace(namespace: string): void {
  const bad = (why: string): Error => new Error(`invalid data stream namespace [${namespace}]: ${why}`);
  if (namespace.trim() === '') throw bad('it is empty');
  if (namespace !== namespace.toLowerCase()) throw bad('it must be lowercase');
  if (/[*\\/?"<>|\s,#:-]/.test(namespace)) throw bad('it must not contain \\ / * ? " < > | , # : - or whitespace');
  if (Buffer.byteLength(namespace) > 100) throw bad('it must be at most 100 bytes');
}

/** The scores data stream of a namespace. */
export function scoresStreamName(namespace = 'default'): string {
  validateNamespace(namespace);
  return `${SCORES_TEMPLATE}-${namespace}`;
}

/** Id of a hit's scores document: the same for every run, so a re-run overwrites it. */
export function scoresDocId(index: string, id: string): string {
  const key = `${index}|${id}`;
  // crypto.hash (Node ≥ 20.12): one call, no Hash object an event; the same digest.
  return typeof crypto.hash === 'function' ? crypto.hash('sha1', key, 'base64url') : crypto.createHash('sha1').update(key).digest('base64url');
}

/** What an in-place write reads of its event. */
const NOTHING: RawEvent = Object.freeze({});

/**
 * What a write carries through the bulk writer: its hit. Scores mode makes the document again to
 * overwrite an existing copy after a 409 (rare): the same bytes, and a page's thousand documents
 * in parts were no longer held until the page's response came.
 */
interface Ref {
  hit: ScoredHit | EncodedHit;
}

/** An index's readiness for in-place writes: ready, or refused with the failure its writes get. */
type Prepared = { ok: true } | { ok: false; status?: number; type: string; reason: string; retryable: boolean };

/**
 * The sink options of a configured source: its write mode and namespace, its id on every scores
 * document, its profile's features mapped, and the user key and display fields copied.
 */
export function sinkOptionsOf(source: SourceConfig, profile: Profile, extra: Partial<EsSinkOptions> = {}): EsSinkOptions {
  return {
    mode: source.writeMode,
    namespace: source.namespace,
    sourceName: source.id,
    featureNames: schemaOf(profile).names,
    keyFields: [...profile.userFields, ...(profile.displayFields ?? [])],
    ...extra,
  };
}

export class EsSink {
  private readonly writer: BulkWriter<Ref>;
  private readonly retry: RetryOptions;
  /** Scores mode: the namespace and data stream written to. */
  private readonly namespace: string;
  private readonly stream: string;
  private readonly docOpts: ScoresDocOptions;
  /** Scores mode: the paths its documents read of an event (retain). */
  private readonly retained: FieldPath[];
  /** In-place: per index, its preparation (mapping, @custom), done once. */
  private readonly prepared = new Map<string, Promise<Prepared>>();
  /** In-place: indices whose preparation failed retryably, forgotten at the next flush. */
  private readonly retryPrepare = new Set<string>();
  /** Read-only index → the refusal that showed it. */
  private readonly readOnly = new Map<string, string>();
  /** Indices already warned about a mapping that cannot hold our fields. */
  private readonly mappingWarned = new Set<string>();
  /** Scores mode: hits waiting for their lookup. */
  private queued: (ScoredHit | EncodedHit)[] = [];
  /** Scores mode: finds the copies a write must overwrite. */
  private readonly copies?: ScoresCopies;
  private report = emptyReport();
  readonly total: SinkReport = emptyReport();

  constructor(
    private readonly client: Client,
    private readonly opts: EsSinkOptions,
  ) {
    this.retry = { ...opts.retry, signal: opts.signal };
    this.namespace = opts.namespace ?? 'default';
    // The namespace only matters (and is only checked) where it names the stream written to.
    this.stream = opts.mode === 'scores' ? scoresStreamName(this.namespace) : '';
    this.docOpts = { keyFields: opts.keyFields ?? [], namespace: this.namespace, ...(opts.sourceName ? { sourceName: opts.sourceName } : {}) };
    this.retained = [...new Set([...this.docOpts.keyFields, 'event.id'])].map((path) => compileFieldPath(path));
    this.writer = new BulkWriter<Ref>(client, { maxBytes: opts.maxBytes, refresh: opts.refresh, retry: opts.retry, signal: opts.signal });
    if (opts.mode === 'scores') this.copies = new ScoresCopies(client, this.stream, this.retry, (w) => this.report.warnings.push(w));
  }

  /**
   * Scores mode: puts the scores index template, and maps fields the contract gained since on an
   * existing stream (a template reaches a stream only at its next rollover; until then dfp.user_risk
   * would be mapped `long` from its first value and lose its decimals). In-place mode needs nothing
   * up front.
   */
  async setup(): Promise<void> {
    if (this.opts.mode !== 'scores') return;
    await putScoresIndexTemplate(this.client, this.retry);
    try {
      await mapNewFieldsOnStream(this.client, this.stream, this.retry);
    } catch (e) {
      // Best effort (a key with write but not manage on the stream): the next rollover maps them.
      if (this.opts.signal?.aborted) throw e;
      this.report.warnings.push(`${(e as Error).message}; dfp.user_risk may be mapped as a whole number on ${this.stream} until its next rollover`);
    }
  }

  /**
   * What of a source event this sink's writes read (`ScoredHit.event`): the key fields and
   * event.id (scores mode; each under its path, as getField finds it), nothing in place. A caller
   * that holds many events until they are written holds only this.
   */
  retain(event: RawEvent): RawEvent {
    if (this.opts.mode === 'in_place') return NOTHING;
    // Every path an own key (undefined where the event has none): getField reads an own key first.
    const kept: RawEvent = {};
    for (const path of this.retained) {
      if (path.path === '__proto__') Object.defineProperty(kept, path.path, { value: readFieldPath(event, path), enumerable: true, writable: true, configurable: true });
      else kept[path.path] = readFieldPath(event, path);
    }
    return kept;
  }

  /**
   * Queues one scored event (its `dfp` an object, or serialised already: the same bytes are
   * written); may send a `_bulk` request when the buffer is full.
   */
  async write(hit: ScoredHit | EncodedHit): Promise<void> {
    if (this.opts.mode === 'in_place') {
      const prepared = await this.prepare(hit.index);
      const readOnly = this.readOnly.get(hit.index);
      if (readOnly) return this.rejectReadOnly(hit, hit.index, readOnly);
      if (!prepared.ok) return this.rejectUnsent(hit, prepared);
      const body = isEncoded(hit) ? { source: encodedUpdateBody(hit.json) } : { body: updateBody(hit.dfp) };
      await this.writer.add({ op: 'update', _index: hit.index, _id: hit.id, ...body, retry_on_conflict: 3, ref: { hit } });
      return;
    }
    this.queued.push(hit);
    if (this.queued.length >= LOOKUP_BATCH) await this.submitQueued();
  }

  /** Sends everything written so far; the report covers what was written since the last flush. */
  async flush(): Promise<SinkReport> {
    while (this.queued.length > 0) await this.submitQueued();
    let result = await this.writer.flush();
    for (let round = 1; round <= CONFLICT_ROUNDS && this.opts.mode === 'scores'; round++) {
      const conflicts = result.failed.filter((f) => f.status === 409);
      if (conflicts.length === 0) break;
      this.take({ ...result, failed: result.failed.filter((f) => f.status !== 409) });
      await this.overwriteConflicts(conflicts);
      result = await this.writer.flush();
    }
    this.take(result);
    // Preparations that failed retryably are tried again in the next window.
    for (const index of this.retryPrepare) this.prepared.delete(index);
    this.retryPrepare.clear();
    const report = this.report;
    this.report = emptyReport();
    report.readOnlyIndices.sort();
    addReport(this.total, report);
    return report;
  }

  // ---- in place ----

  /** Maps `dfp.*` on `index` (and its stream's `@custom`) once; a refusal is remembered. */
  private prepare(index: string): Promise<Prepared> {
    let p = this.prepared.get(index);
    if (!p) {
      p = this.prepareIndex(index);
      this.prepared.set(index, p);
    }
    return p;
  }

  private async prepareIndex(index: string): Promise<Prepared> {
    try {
      await ensureDfpMapped(this.client, index, this.opts.featureNames, this.retry);
    } catch (e) {
      const failure: Prepared = { ok: false, ...this.failureOf(e) };
      if (failure.status === 403 && failure.type === 'cluster_block_exception') this.readOnly.set(index, failure.reason);
      if (failure.retryable) this.retryPrepare.add(index);
      return failure;
    }
    try {
      const warning = await ensureStreamCustomTemplate(this.client, index, this.opts.featureNames, this.retry);
      if (warning) this.report.warnings.push(warning);
    } catch (e) {
      // The backing index itself is mapped: writes go on; the next backing index is mapped on its first write.
      this.report.warnings.push(`${(e as Error).message}; dfp.* is mapped on each backing index when first written instead`);
    }
    return { ok: true };
  }

  // ---- scores ----

  /** Looks up existing copies of the next batch of queued hits and queues their writes. */
  private async submitQueued(): Promise<void> {
    const batch = this.queued.splice(0, LOOKUP_BATCH);
    const withIds = batch.map((hit) => ({ hit, docId: scoresDocId(hit.index, hit.id) }));
    let existing: Map<string, Copy>;
    try {
      existing = await this.copies!.lookUp(withIds.map((h) => h.docId));
    } catch (e) {
      for (const { hit } of withIds) this.rejectUnsent(hit, this.failureOf(e));
      return;
    }
    for (const { hit, docId } of withIds) {
      await this.writeScores(hit, docId, existing.get(docId));
    }
  }

  /** Overwrites the copy found, or creates the document through the stream. */
  private async writeScores(hit: ScoredHit | EncodedHit, docId: string, copy: Copy | undefined): Promise<void> {
    const body: { source: JsonParts } | { body: Record<string, unknown> } = isEncoded(hit) ? { source: encodedScoresBody(hit, this.docOpts) } : { body: scoresDocument(hit, this.docOpts) };
    if (!copy) {
      await this.writer.add({ op: 'create', _index: this.stream, _id: docId, ...body, ref: { hit } });
      return;
    }
    const readOnly = this.readOnly.get(copy.index);
    if (readOnly) return this.rejectReadOnly(hit, copy.index, readOnly);
    await this.writer.add({ op: 'index', _index: copy.index, _id: docId, if_seq_no: copy.seqNo, if_primary_term: copy.primaryTerm, ...body, ref: { hit } });
  }

  /** After 409s: reads each conflicting copy in real time and overwrites it (or creates it if gone). */
  private async overwriteConflicts(conflicts: BulkFailure<Ref>[]): Promise<void> {
    let copies: Map<string, Copy>;
    try {
      copies = await this.copies!.read(conflicts.map((c) => ({ index: c._index === this.stream ? undefined : c._index, id: c._id })));
    } catch (e) {
      for (const c of conflicts) this.rejectUnsent(c.ref.hit, this.failureOf(e));
      return;
    }
    for (const c of conflicts) await this.writeScores(c.ref.hit, c._id, copies.get(`${c._index}|${c._id}`) ?? copies.get(`${this.stream}|${c._id}`));
  }

  /**
   * A failed lookup or mapping call (thrown by withRetry, the client error as `cause`) as the
   * failure of the writes that needed it. Aborted work stays retryable: it was never refused.
   */
  private failureOf(e: unknown): { status?: number; type: string; reason: string; retryable: boolean } {
    const cause = (e as Error).cause ?? e;
    const type = esErrorType(cause) ?? (cause instanceof Error ? cause.name : 'error');
    return { status: esStatus(cause), type, reason: (e as Error).message, retryable: isRetryableError(cause) || this.opts.signal?.aborted === true };
  }

  // ---- the report ----

  /** Folds one bulk result into the current report; learns read-only indices from the failures. */
  private take(result: BulkFlushResult<Ref>): void {
    const r = this.report;
    r.written += result.succeeded.length;
    r.retriedItems += result.retriedItems;
    for (const f of result.failed) {
      if (f.status === 403 && f.type === 'cluster_block_exception') {
        if (!this.readOnly.has(f._index)) this.readOnly.set(f._index, f.reason);
        if (!r.readOnlyIndices.includes(f._index)) r.readOnlyIndices.push(f._index);
      }
      this.count(f.ref.hit, f.status !== undefined ? `HTTP ${f.status} ${f.type}` : f.type, f.reason, f.retryable);
    }
  }

  /** A write that was not sent because what it needed (a mapping, a lookup) failed. */
  private rejectUnsent(hit: ScoredHit | EncodedHit, failure: { status?: number; type: string; reason: string; retryable: boolean }): void {
    this.count(hit, failure.status !== undefined ? `HTTP ${failure.status} ${failure.type}` : failure.type, failure.reason, failure.retryable);
  }

  /** A write not sent because its target index is known to be read-only. */
  private rejectReadOnly(hit: ScoredHit | EncodedHit, index: string, refusal: string): void {
    if (!this.report.readOnlyIndices.includes(index)) this.report.readOnlyIndices.push(index);
    this.count(hit, 'HTTP 403 cluster_block_exception', `index [${index}] is read-only, not written (${refusal})`, false);
  }

  private count(hit: ScoredHit | EncodedHit, key: string, reason: string, retryable: boolean): void {
    const r = this.report;
    r.failed += 1;
    r.failedByReason[key] = (r.failedByReason[key] ?? 0) + 1;
    if (retryable) r.retryableLeft += 1;
    if (r.examples.length < MAX_EXAMPLES) r.examples.push(`${hit.index}/${hit.id}: ${reason}`);
    if (!retryable && isMappingRefusal(key, reason)) this.warnMapping(this.opts.mode === 'in_place' ? hit.index : this.stream, reason);
  }

  /** Once per index: its mapping cannot hold our fields, which no retry fixes. Says what will. */
  private warnMapping(index: string, reason: string): void {
    if (this.mappingWarned.has(index)) return;
    this.mappingWarned.add(index);
    const fix =
      this.opts.mode === 'in_place'
        ? `score this source in the "scores" write mode (a data stream of our own), or rename the conflicting field in ${index}'s mapping and its template (a mapped field's type cannot change: the next backing index takes the fix)`
        : `remove what changed the stream's mapping (the logs-dfp.scores@custom component template, or another template matching logs-dfp.scores-*) and roll the stream over`;
    this.report.warnings.push(`${index} cannot hold the dfp fields as it is mapped (${reason}); its events' scores are not written. To fix: ${fix}.`);
  }
}

/**
 * A refusal because the target's mapping does not fit our document: a field of ours mapped with
 * another type (put_mapping's `mapper [x] cannot be changed`), or a value Elasticsearch cannot
 * parse into the mapped type (document_parsing_exception; mapper_parsing_exception before 8.x).
 */
function isMappingRefusal(key: string, reason: string): boolean {
  if (/document_parsing_exception|mapper_parsing_exception|strict_dynamic_mapping_exception/.test(key)) return true;
  return key.endsWith('illegal_argument_exception') && /\bmapper \[/.test(reason);
}

function emptyReport(): SinkReport {
  return { written: 0, failed: 0, failedByReason: {}, examples: [], readOnlyIndices: [], retriedItems: 0, retryableLeft: 0, warnings: [] };
}

function addReport(into: SinkReport, r: SinkReport): void {
  into.written += r.written;
  into.failed += r.failed;
  for (const [k, n] of Object.entries(r.failedByReason)) into.failedByReason[k] = (into.failedByReason[k] ?? 0) + n;
  for (const e of r.examples) if (into.examples.length < MAX_EXAMPLES) into.examples.push(e);
  for (const ix of r.readOnlyIndices) if (!into.readOnlyIndices.includes(ix)) into.readOnlyIndices.push(ix);
  into.retriedItems += r.retriedItems;
  into.retryableLeft += r.retryableLeft;
  into.warnings.push(...r.warnings);
}
