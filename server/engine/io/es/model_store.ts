/**
 * Fingerprints in Elasticsearch, in the plugin's hidden `.dfp-models` index. Three kinds of document:
 *
 * - a head per model (a user's, or the profile's generic one): its stored versions and the active one.
 *   It is the only document two processes write to, so it is written with `if_seq_no`/`if_primary_term`
 *   (`create` when new); on a conflict the store re-reads it, merges its own saves in and writes again.
 * - per version, a metadata document (searchable: what the UI's models page shows) and the model's
 *   JSON gzip-compressed, base64, split into chunk documents (`binary`, not indexed) so that large
 *   models stay under request limits.
 *
 * Ids are deterministic: `<key>` for the head, where key is a hash of (profile, user) since user keys
 * may hold any character; `<key>:v<version>:<sha>` for metadata and `:<n>` after it for chunks, sha being
 * the stored bytes' sha256. Two processes saving the same version number with different contents
 * therefore never write to each other's documents; the head decides which one is stored.
 *
 * save() buffers; flush() writes the buffer with `_bulk` (chunks and metadata before the heads: the
 * index has one shard, so items apply in order), then deletes the documents of versions that the new
 * heads dropped (only once the head that drops them is written: a head can lose a conflict), then
 * refreshes so that list() sees everything.
 *
 * The documents' shapes, ids and a model's encoding into them are in model_docs.ts.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import type { FingerprintJson } from '../../model/fingerprint';
import {
  afterSave,
  DEFAULT_KEEP_VERSIONS,
  describeModel,
  MODELS_KEY_ENV,
  noSuchVersionError,
  signingKey,
  versionInfoOf,
  type ModelStore,
  type ModelVersionInfo,
  type StoredUserModels,
  type VersionSet,
} from '../model_store';
import { BulkWriter, type BulkOp as WriterOp } from './bulk';
import { deleteOps, describeOp, docOps, summarize, type BulkOp, type HeadJob, type PendingSave, type StoredHead } from './model_store_ops';
import { esStatus } from './errors';
import { ensureOwnedIndex, ownedIndexNames } from './owned_index';
import { DEFAULT_RETRY, withRetry, type RetryOptions } from './retry';
import { searchWhole } from './whole_search';
import {
  chunkId,
  decodeModel,
  encodeModel,
  infoOfMeta,
  MAPPINGS,
  metaId,
  modelKey,
  modelWhat,
  type ChunkDoc,
  type HeadDoc,
  type HeadVersion,
  type MetaDoc,
} from './model_docs';

export { modelKey };

export interface EsModelStoreOptions {
  /** Default `ownedIndexNames().models` (`.dfp-models`). */
  index?: string;
  /** Newest versions kept per model (the active one is always kept too). Default 5. */
  keepVersions?: number;
  /** Largest chunk, in base64 characters. Default 4 MiB. */
  chunkChars?: number;
  /** save() writes the buffer once it holds this much model data; also the size a bulk request aims at. Default 8 MiB. */
  bulkBytes?: number;
  /** Head documents per search page in list(). Default 1000. */
  pageSize?: number;
  /** Backoff for rejected (429) and unavailable (502–504) requests and bulk items. */
  retry?: RetryOptions;
  /**
   * Signs every saved model (HMAC-SHA256 of its checksum, in its metadata document) and refuses to
   * load one that is unsigned or wrongly signed: anyone who can write the index could otherwise
   * replace a model and recompute its sha256. Default: the `DFP_MODELS_KEY` environment variable;
   * unset or '' = checksums only.
   */
  key?: string | Buffer;
}

const MiB = 1024 * 1024;
/** Rounds of re-reading a head that another process changed before giving up. */
const MAX_HEAD_CONFLICTS = 10;

/** A model's versions as this process sees them: stored ones, overlaid with saves not written yet. */
interface HeadView extends VersionSet {
  stored: Map<number, HeadVersion>;
  buffered: Map<number, PendingSave>;
}

export class EsModelStore implements ModelStore {
  readonly index: string;
  private readonly keep: number;
  private readonly chunkChars: number;
  private readonly bulkBytes: number;
  private readonly pageSize: number;
  private readonly retry: RetryOptions;
  private readonly signingKey: Buffer | null;
  /** Heads as last read or written here, by model key; null: read and found absent. */
  private readonly heads = new Map<string, StoredHead | null>();
  /** Profiles whose heads list() has read: a key of theirs missing from `heads` has no head. */
  private readonly listed = new Set<string>();
  private pending: PendingSave[] = [];
  /** The batch being written: still visible to reads until it is stored. */
  private sending: PendingSave[] = [];
  private pendingChars = 0;
  /** Writes run one at a time, in save order. */
  private writes: Promise<void> = Promise.resolve();
  private indexReady?: Promise<void>;
  private unrefreshed = false;

  constructor(private readonly client: Client, opts: EsModelStoreOptions = {}) {
    this.index = opts.index ?? ownedIndexNames().models;
    this.keep = opts.keepVersions ?? DEFAULT_KEEP_VERSIONS;
    // Base64 in whole 4-character groups, so that each chunk decodes on its own.
    this.chunkChars = Math.max(4, Math.floor((opts.chunkChars ?? 4 * MiB) / 4) * 4);
    this.bulkBytes = opts.bulkBytes ?? 8 * MiB;
    this.pageSize = opts.pageSize ?? 1000;
    this.retry = opts.retry ?? {};
    this.signingKey = signingKey(opts.key ?? process.env[MODELS_KEY_ENV]);
  }

  async latestVersion(profile: string, user: string | null): Promise<number> {
    const key = modelKey(profile, user);
    const view = this.view(key, (await this.cachedHead(profile, key))?.doc ?? null);
    return view.versions.length > 0 ? view.versions[view.versions.length - 1] : 0;
  }

  async save(model: FingerprintJson): Promise<void> {
    const encoded = await encodeModel(model, this.chunkChars, this.signingKey);
    this.pending.push(encoded);
    this.pendingChars += encoded.chars;
    if (this.pendingChars >= this.bulkBytes) await this.writePending();
  }

  async flush(): Promise<void> {
    await this.writePending();
    if (!this.unrefreshed) return;
    await withRetry(`refresh ${this.index}`, () => this.client.indices.refresh({ index: this.index }), this.retry);
    this.unrefreshed = false;
  }

  async load(profile: string, user: string | null, version?: number): Promise<FingerprintJson | null> {
    const key = modelKey(profile, user);
    // The head is read afresh (a realtime GET): an admin may have rolled back from another process.
    const view = this.view(key, (await this.readHead(key))?.doc ?? null);
    const v = version ?? view.active;
    if (v === 0 || !view.versions.includes(v)) return null;
    const buffered = view.buffered.get(v);
    if (buffered) return structuredClone(buffered.model);
    return this.readModel(profile, user, key, view.stored.get(v)!);
  }

  async rollback(profile: string, user: string | null, version: number): Promise<void> {
    await this.writePending(); // the head must hold every saved version before it changes
    const key = modelKey(profile, user);
    for (let conflicts = 0; ; conflicts++) {
      const head = await this.readHead(key);
      const stored = head?.doc.versions.map((e) => e.version) ?? [];
      if (!head || !stored.includes(version)) throw noSuchVersionError(profile, user, version, stored);
      const doc: HeadDoc = { ...head.doc, active: version, updated_at: new Date().toISOString() };
      try {
        const res = await withRetry(
          `roll back the model of ${describeModel(profile, user)} to version ${version}`,
          () =>
            this.client.index({
              index: this.index,
              id: key,
              document: doc,
              if_seq_no: head.seqNo,
              if_primary_term: head.primaryTerm,
              refresh: 'wait_for', // another process's list() sees it at once
            }),
          this.retry,
        );
        this.heads.set(key, { doc, seqNo: res._seq_no!, primaryTerm: res._primary_term! });
        return;
      } catch (e) {
        if (esStatus((e as Error).cause) !== 409 || conflicts >= MAX_HEAD_CONFLICTS) throw e;
      }
    }
  }

  async versions(profile: string, user: string | null): Promise<ModelVersionInfo[]> {
    const key = modelKey(profile, user);
    const view = this.view(key, (await this.readHead(key))?.doc ?? null);
    return Promise.all(
      view.versions.map(async (v) => {
        const buffered = view.buffered.get(v);
        if (buffered) return versionInfoOf(buffered.model, buffered.meta.bytes, v === view.active);
        const entry = view.stored.get(v)!;
        return infoOfMeta(await this.readMeta(profile, user, key, entry), v === view.active);
      }),
    );
  }

  async list(profile: string): Promise<StoredUserModels[]> {
    return (await this.usersOf(profile)).map(({ user, versions, active }) => ({ user, versions, active }));
  }

  /**
   * Each listed user's active version and a digest of its content: the sha256 of its stored bytes
   * (model_docs.ts). A version number alone names different models once `.dfp-models` is deleted
   * and made again (numbering starts over): a process keeping models between runs (model_shelf.ts)
   * tells them apart by the digest.
   */
  async activeModels(profile: string): Promise<Map<string, { version: number; digest?: string }>> {
    return new Map((await this.usersOf(profile)).map((u) => [u.user, { version: u.active, ...(u.digest !== undefined ? { digest: u.digest } : {}) }]));
  }

  /** The profile's users with their versions, the active one, and the active one's digest (list, activeModels). */
  private async usersOf(profile: string): Promise<(StoredUserModels & { digest?: string })[]> {
    await this.readHeads(profile);
    const users = new Map<string, string>(); // model key → user
    for (const [key, head] of this.heads) {
      if (head && head.doc.profile === profile && head.doc.user !== null) users.set(key, head.doc.user);
    }
    for (const s of [...this.sending, ...this.pending]) {
      if (s.model.profile === profile && s.model.user !== null) users.set(s.key, s.model.user);
    }
    const out: (StoredUserModels & { digest?: string })[] = [];
    for (const [key, user] of users) {
      const view = this.view(key, this.heads.get(key)?.doc ?? null);
      const digest = view.buffered.get(view.active)?.entry.sha256 ?? view.stored.get(view.active)?.sha256;
      out.push({ user, versions: view.versions, active: view.active, ...(digest !== undefined ? { digest } : {}) });
    }
    return out.sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0));
  }

  // ---- reading ----

  /** The head from the cache, else read by id (a realtime GET). */
  private async cachedHead(profile: string, key: string): Promise<StoredHead | null> {
    const cached = this.heads.get(key);
    if (cached !== undefined) return cached;
    if (this.listed.has(profile)) return null;
    return this.readHead(key);
  }

  private async readHead(key: string): Promise<StoredHead | null> {
    const got = await this.getDoc<HeadDoc>(key);
    const head = got ? { doc: got.source, seqNo: got.seqNo, primaryTerm: got.primaryTerm } : null;
    this.heads.set(key, head);
    return head;
  }

  /** Pages through a profile's heads into the cache (search sees the last refresh; flush refreshes). */
  private async readHeads(profile: string): Promise<void> {
    let after: estypes.SortResults | undefined;
    for (;;) {
      // Whole pages only: a head missing from a partial answer would read as "no model".
      const res = await searchWhole<HeadDoc>(
        this.client,
        `list the models of profile ${profile} in ${this.index}`,
        {
          index: this.index,
          ignore_unavailable: true, // nothing saved yet: no index, no models
          size: this.pageSize,
          query: { bool: { filter: [{ term: { doc_type: 'head' } }, { term: { profile } }] } },
          sort: [{ key: 'asc' }],
          seq_no_primary_term: true,
          track_total_hits: false,
          ...(after ? { search_after: after } : {}),
        },
        this.retry,
      );
      const hits = res.hits.hits;
      for (const hit of hits) {
        const cached = this.heads.get(hit._id!);
        // This process may have written a head since the last refresh: keep the newer one.
        if (!cached || cached.seqNo < hit._seq_no!) {
          this.heads.set(hit._id!, { doc: hit._source!, seqNo: hit._seq_no!, primaryTerm: hit._primary_term! });
        }
      }
      if (hits.length < this.pageSize) break;
      after = hits[hits.length - 1].sort;
    }
    this.listed.add(profile);
  }

  private async readMeta(profile: string, user: string | null, key: string, entry: HeadVersion): Promise<MetaDoc> {
    const id = metaId(key, entry);
    const meta = await this.getDoc<MetaDoc>(id);
    if (!meta) throw new Error(`${modelWhat(profile, user, entry.version)}: its metadata document ${id} is missing from ${this.index}`);
    return meta.source;
  }

  /** Metadata, then chunks by id; the stored bytes must match the sha256 recorded at save. */
  private async readModel(profile: string, user: string | null, key: string, entry: HeadVersion): Promise<FingerprintJson> {
    const what = modelWhat(profile, user, entry.version);
    const meta = await this.readMeta(profile, user, key, entry);
    const ids = Array.from({ length: meta.chunks }, (_, i) => chunkId(key, entry, i));
    const chunks = await Promise.all(ids.map((id) => this.getDoc<ChunkDoc>(id)));
    const missing = chunks.findIndex((c) => c === null);
    if (missing >= 0) throw new Error(`${what}: chunk ${missing + 1} of ${meta.chunks} (document ${ids[missing]}) is missing from ${this.index}`);
    return decodeModel(chunks.map((c) => c!.source.data), meta, { profile, user, version: entry.version }, this.signingKey);
  }

  /** A document by id (realtime GET), or null when it or the index does not exist. */
  private async getDoc<T>(id: string): Promise<{ source: T; seqNo: number; primaryTerm: number } | null> {
    return withRetry(
      `read document ${id} from ${this.index}`,
      async () => {
        try {
          const res = await this.client.get<T>({ index: this.index, id });
          return res.found ? { source: res._source!, seqNo: res._seq_no!, primaryTerm: res._primary_term! } : null;
        } catch (e) {
          if (esStatus(e) === 404) return null;
          throw e;
        }
      },
      this.retry,
    );
  }

  /** A model's versions with this process's unwritten saves applied over the stored head. */
  private view(key: string, stored: HeadDoc | null): HeadView {
    let set: VersionSet = { versions: stored?.versions.map((e) => e.version) ?? [], active: stored?.active ?? 0 };
    const buffered = new Map<number, PendingSave>();
    for (const s of [...this.sending, ...this.pending]) {
      if (s.key !== key) continue;
      set = afterSave(set, s.entry.version, this.keep);
      buffered.set(s.entry.version, s);
    }
    for (const v of buffered.keys()) if (!set.versions.includes(v)) buffered.delete(v);
    return { versions: set.versions, active: set.active, stored: new Map(stored?.versions.map((e) => [e.version, e])), buffered };
  }

  // ---- writing ----

  private writePending(): Promise<void> {
    const run = this.writes.then(async () => {
      if (this.pending.length === 0) return;
      this.sending = this.pending;
      this.pending = [];
      this.pendingChars = 0;
      try {
        await this.write(this.sending);
      } finally {
        this.sending = [];
      }
    });
    this.writes = run.catch(() => undefined); // a failed write is reported to its caller, not to the next one
    return run;
  }

  private ensureIndex(): Promise<void> {
    this.indexReady ??= ensureOwnedIndex(this.client, { name: this.index, mappings: MAPPINGS }, this.retry).catch((e: unknown) => {
      this.indexReady = undefined; // try again on the next write
      throw e;
    });
    return this.indexReady;
  }

  /**
   * Writes a batch in rounds until nothing is left: documents, then heads, then deletes of dropped
   * versions. Rejected items (429/503) go again after a backoff; heads that lost a conflict are
   * re-planned on a fresh read; anything else fails the batch, naming the model and ES's reason.
   */
  private async write(batch: PendingSave[]): Promise<void> {
    await this.ensureIndex();
    const saves = new Map<string, PendingSave[]>(); // model key → its saves, in order
    for (const s of batch) saves.set(s.key, [...(saves.get(s.key) ?? []), s]);
    let heads: HeadJob[] = [];
    for (const [key, own] of saves) {
      const base = await this.cachedHead(own[0].model.profile, key);
      heads.push({ key, saves: own, conflicts: 0, ...this.plan(key, own, base) });
    }

    let docs: BulkOp[] = batch.flatMap((s) => docOps(s));
    let deletes: BulkOp[] = [];
    while (docs.length + heads.length + deletes.length > 0) {
      // One stream of requests: chunks and metadata before the heads that point at them (one shard
      // applies them in order), pruned versions' documents after.
      const ops: BulkOp[] = [...docs, ...heads.map((job): BulkOp => ({ kind: 'head', job })), ...deletes];
      const writer = new BulkWriter<BulkOp>(this.client, { maxBytes: this.bulkBytes, retry: this.retry });
      this.unrefreshed = true;
      for (const op of ops) await writer.add(this.bulkOpOf(op));
      const { succeeded, failed } = await writer.flush();
      docs = [];
      heads = [];
      deletes = [];
      for (const ok of succeeded) {
        if (ok.ref.kind !== 'head') continue;
        this.heads.set(ok.ref.job.key, { doc: ok.ref.job.next, seqNo: ok._seq_no!, primaryTerm: ok._primary_term! });
        deletes.push(...deleteOps(ok.ref.job));
      }
      const conflicted = failed.filter((f) => f.ref.kind === 'head' && f.status === 409).map((f) => (f.ref as Extract<BulkOp, { kind: 'head' }>).job);
      const failures = failed.filter((f) => !(f.ref.kind === 'head' && f.status === 409));
      if (failures.length > 0) {
        // Failures still retryable here outlasted the writer's attempts.
        const attempts = failures.some((f) => f.retryable) ? ` (after ${(this.retry.retries ?? DEFAULT_RETRY.retries) + 1} attempts)` : '';
        throw new Error(`cannot write models to ${this.index}${attempts}: ${summarize(failures.map((f) => `${describeOp(f.ref)}: ${f.error}`))}`);
      }
      for (const job of conflicted) {
        if (++job.conflicts > MAX_HEAD_CONFLICTS) {
          throw new Error(`cannot write models to ${this.index}: ${describeOp({ kind: 'head', job })}: its head kept changing under ${MAX_HEAD_CONFLICTS} conflicting writes`);
        }
        Object.assign(job, this.plan(job.key, job.saves, await this.readHead(job.key)));
        heads.push(job);
      }
    }
  }

  /** The head that `saves` (in order) make of `base`, and the versions it no longer holds. */
  private plan(key: string, saves: PendingSave[], base: StoredHead | null): Pick<HeadJob, 'base' | 'next' | 'dropped'> {
    let set: VersionSet = { versions: base?.doc.versions.map((e) => e.version) ?? [], active: base?.doc.active ?? 0 };
    const entries = new Map(base?.doc.versions.map((e) => [e.version, e]));
    const dropped: HeadVersion[] = [];
    for (const s of saves) {
      const previous = entries.get(s.entry.version);
      // The same version number with other contents (another process's save): this save replaces it.
      if (previous && previous.sha256 !== s.entry.sha256) dropped.push(previous);
      entries.set(s.entry.version, s.entry);
      const next = afterSave(set, s.entry.version, this.keep);
      for (const v of next.pruned) dropped.push(entries.get(v)!);
      set = next;
    }
    const kept = set.versions.map((v) => entries.get(v)!);
    const { model } = saves[0];
    const next: HeadDoc = {
      doc_type: 'head',
      key,
      profile: model.profile,
      user: model.user,
      generic: model.user === null,
      active: set.active,
      latest: set.versions[set.versions.length - 1],
      versions: kept,
      updated_at: new Date().toISOString(),
    };
    // Documents the new head still points at (the same version saved twice) must stay.
    const keptIds = new Set(kept.map((e) => metaId(key, e)));
    const droppedById = new Map(dropped.map((e) => [metaId(key, e), e]));
    return { base, next, dropped: [...droppedById].filter(([id]) => !keptIds.has(id)).map(([, e]) => e) };
  }

  /** A model store operation as a bulk operation: the head's write is conditional on the head it was planned on. */
  private bulkOpOf(op: BulkOp): WriterOp<BulkOp> {
    const _index = this.index;
    switch (op.kind) {
      case 'doc':
        return { op: 'index', _index, _id: op.id, body: op.doc as unknown as Record<string, unknown>, ref: op };
      case 'head': {
        const { base, next, key } = op.job;
        const body = next as unknown as Record<string, unknown>;
        return base ? { op: 'index', _index, _id: key, if_seq_no: base.seqNo, if_primary_term: base.primaryTerm, body, ref: op } : { op: 'create', _index, _id: key, body, ref: op };
      }
      case 'delete':
        return { op: 'delete', _index, _id: op.id, ref: op };
    }
  }
}
