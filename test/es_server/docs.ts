// Single-document writes (index/create/update/delete) shared by the document APIs and _bulk,
// with ES's optimistic concurrency (if_seq_no/if_primary_term), data stream rules and blocks.
import { EsError, Json, illegalArgument, indexNotFound } from './errors';
import { applyDynamicMapping, valuesAt } from './fields';
import { checkDocument } from './mapping_check';
import { filterSource, sourceSpec } from './source_filter';
import { Req, Reply, SHARDS_WRITE, refreshMode } from './http';
import { Index, Store, writeBlock } from './store';
import { randomBytes } from 'node:crypto';

export interface WriteOp {
  action: 'index' | 'create' | 'update' | 'delete';
  index: string;
  id?: string;
  source?: Json; // index/create document, or the update body ({doc, doc_as_upsert, upsert})
  ifSeqNo?: number;
  ifPrimaryTerm?: number;
  raw?: string; // the document's JSON text as sent (error locations point into it)
}

export interface WriteResult {
  status: number;
  body: Json; // the item / response body without "status"
  index: Index;
}

const tombstones = new WeakMap<Index, Map<string, number>>(); // deleted id → last version

const conflict = (index: Index, id: string, reason: string): EsError =>
  new EsError(409, 'version_conflict_engine_exception', `[${id}]: version conflict, ${reason}`, {
    index_uuid: index.uuid,
    shard: '0',
    index: index.name,
  });

function deepMerge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries<Json>(patch)) {
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]) ? deepMerge(out[k], v) : v;
  }
  return out;
}

/**
 * Parses a document against its index's mapping as ES does: a value that does not fit is refused
 * (nothing written, the mapping unchanged); new fields are mapped dynamically, and what they
 * become must fit too (an array of a number then a word).
 */
function parseAgainstMapping(index: Index, source: Json, id: string, raw: string): void {
  const { unmapped } = checkDocument(index.mappings, index.settings, source, id, raw);
  if (!unmapped) return;
  const next = structuredClone(index.mappings);
  if (!applyDynamicMapping(next, source)) return;
  checkDocument(next, index.settings, source, id, raw);
  index.mappings = next;
  index.mappingChanged();
}

/** Applies one write; throws EsError for failures (which _bulk turns into item errors). */
export function applyWrite(store: Store, op: WriteOp): WriteResult {
  if (op.action === 'delete' || (op.action === 'update' && !op.source?.doc_as_upsert && !op.source?.upsert)) {
    if (!store.indices.has(op.index) && !store.dataStreams.has(op.index)) throw indexNotFound(op.index);
  }
  const { index, viaDataStream } = store.writeTarget(op.index);
  if (viaDataStream && op.action !== 'create') throw illegalArgument('only write ops with an op_type of create are allowed in data streams');
  if (!viaDataStream && index.dataStream) {
    if (op.action === 'create') {
      throw illegalArgument(`index request with op_type=create targeting backing indices is disallowed, target corresponding data stream [${index.dataStream}] instead`);
    }
    if (op.action === 'index' && op.ifSeqNo === undefined) {
      throw illegalArgument(
        `index request with op_type=index and no if_primary_term and if_seq_no set targeting backing indices is disallowed, target corresponding data stream [${index.dataStream}] instead`,
      );
    }
  }
  const block = writeBlock(index);
  if (block && !(op.action === 'delete' && index.settings['index.blocks.read_only_allow_delete'] === 'true')) throw block;

  const id = op.id ?? randomBytes(15).toString('base64url').slice(0, 20);
  try {
    return writeDoc(index, op, id, viaDataStream);
  } catch (e) {
    if (e instanceof EsError && op.id === undefined) e.docId = id;
    throw e;
  }
}

function writeDoc(index: Index, op: WriteOp, id: string, viaDataStream: string | undefined): WriteResult {
  const current = index.docs.get(id);
  if (op.ifSeqNo !== undefined || op.ifPrimaryTerm !== undefined) {
    const seq = op.ifSeqNo ?? -2;
    const term = op.ifPrimaryTerm ?? 0;
    if (!current) throw conflict(index, id, `required seqNo [${seq}], primary term [${term}]. but no document was found`);
    if (current.seqNo !== seq || term !== 1) {
      throw conflict(index, id, `required seqNo [${seq}], primary term [${term}]. current document has seqNo [${current.seqNo}] and primary term [1]`);
    }
  }

  const base = (result: string, version: number, seqNo: number): Json => ({
    _index: index.name,
    _id: id,
    _version: version,
    result,
    _shards: SHARDS_WRITE,
    _seq_no: seqNo,
    _primary_term: 1,
  });
  const put = (source: Json, raw: string): { version: number; seqNo: number } => {
    parseAgainstMapping(index, source, id, raw);
    if (viaDataStream && valuesAt(source, '@timestamp').length === 0) {
      throw new EsError(400, 'document_parsing_exception', '[1:1] failed to parse: data stream timestamp field [@timestamp] is missing');
    }
    const version = (current?.version ?? tombstones.get(index)?.get(id) ?? 0) + 1;
    const seqNo = ++index.seqNo;
    index.docs.set(id, { id, source, seqNo, version, ord: index.ord++, shard: index.shardOf(id) });
    return { version, seqNo };
  };

  switch (op.action) {
    case 'create':
    case 'index': {
      if (op.action === 'create' && current) throw conflict(index, id, `document already exists (current version [${current.version}])`);
      const source = op.source ?? {};
      const { version, seqNo } = put(source, op.raw ?? JSON.stringify(source));
      return { status: current ? 200 : 201, body: base(current ? 'updated' : 'created', version, seqNo), index };
    }
    case 'update': {
      const body = op.source ?? {};
      if (body.script) throw illegalArgument('[es test server] scripted updates are not supported; use doc / doc_as_upsert / upsert');
      if (!current) {
        if (!body.doc_as_upsert && !body.upsert) {
          throw new EsError(404, 'document_missing_exception', `[${id}]: document missing`, { index_uuid: index.uuid, shard: '0', index: index.name });
        }
        const created = body.upsert ?? body.doc ?? {};
        const { version, seqNo } = put(created, JSON.stringify(created));
        return { status: 201, body: base('created', version, seqNo), index };
      }
      const merged = deepMerge(current.source, body.doc ?? {});
      if (body.detect_noop !== false && JSON.stringify(merged) === JSON.stringify(current.source)) {
        return { status: 200, body: { ...base('noop', current.version, current.seqNo), _shards: { total: 0, successful: 0, failed: 0 } }, index };
      }
      const { version, seqNo } = put(merged, JSON.stringify(merged));
      return { status: 200, body: base('updated', version, seqNo), index };
    }
    case 'delete': {
      const seqNo = ++index.seqNo;
      if (!current) return { status: 404, body: base('not_found', (tombstones.get(index)?.get(id) ?? 0) + 1, seqNo), index };
      index.docs.delete(id);
      if (!tombstones.has(index)) tombstones.set(index, new Map());
      tombstones.get(index)!.set(id, current.version + 1);
      return { status: 200, body: base('deleted', current.version + 1, seqNo), index };
    }
  }
}

const num = (q: URLSearchParams, k: string): number | undefined => (q.has(k) ? Number(q.get(k)) : undefined);

/** Runs a write from the document APIs and applies ?refresh. */
function docWrite(store: Store, req: Req, op: WriteOp): Reply {
  const mode = refreshMode(req.query);
  const r = applyWrite(store, { ...op, ifSeqNo: num(req.query, 'if_seq_no'), ifPrimaryTerm: num(req.query, 'if_primary_term') });
  if (mode !== 'none') r.index.refresh();
  return { status: r.status, body: mode === 'true' ? { ...r.body, forced_refresh: true } : r.body };
}

/** Routes /<index>/_doc|_create|_update/<id>; returns undefined when the path is not a document API. */
export function handleDocs(store: Store, req: Req, parts: string[]): Reply | undefined {
  const [index, api, id] = parts;
  if (parts.length < 2 || parts.length > 3) return undefined;
  const m = req.method;
  if (api === '_doc' && parts.length === 2 && m === 'POST') {
    // Without an id the REST layer defaults op_type to create (so data streams accept it).
    const opType = (req.query.get('op_type') ?? 'create') === 'create' ? 'create' : 'index';
    return docWrite(store, req, { action: opType, index, source: req.body, raw: req.raw });
  }
  if (parts.length !== 3) return undefined;
  if (api === '_doc' && (m === 'PUT' || m === 'POST')) {
    return docWrite(store, req, { action: req.query.get('op_type') === 'create' ? 'create' : 'index', index, id, source: req.body, raw: req.raw });
  }
  if (api === '_create' && (m === 'PUT' || m === 'POST')) return docWrite(store, req, { action: 'create', index, id, source: req.body, raw: req.raw });
  if (api === '_update' && m === 'POST') return docWrite(store, req, { action: 'update', index, id, source: req.body });
  if (api === '_doc' && m === 'DELETE') return docWrite(store, req, { action: 'delete', index, id });
  if (api === '_doc' && (m === 'GET' || m === 'HEAD')) {
    // Realtime GET reads the live docs, not the last refresh. Data stream names resolve to their backing indices.
    const targets = store.resolve(index);
    for (const ix of targets) {
      const d = ix.docs.get(id);
      if (d) {
        const src = filterSource(d.source, sourceSpec(req.query));
        return {
          status: 200,
          body: { _index: ix.name, _id: id, _version: d.version, _seq_no: d.seqNo, _primary_term: 1, found: true, ...(src !== undefined ? { _source: src } : {}) },
        };
      }
    }
    return { status: 404, body: { _index: targets[0]?.name ?? index, _id: id, found: false } };
  }
  return undefined;
}

/**
 * GET|POST /_mget and /<index>/_mget: realtime reads of several documents, each answered on its
 * own (found, not found, or an error such as a missing index), with `_seq_no`/`_primary_term`.
 */
export function handleMget(store: Store, req: Req, defaultIndex: string | undefined): Reply {
  const body = req.body ?? {};
  const wanted: { _index?: string; _id: string; _source?: Json }[] = body.docs ?? (body.ids ?? []).map((id: string) => ({ _id: id }));
  if (!body.docs && !body.ids) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no documents to get;');
  // The query parameters set every doc's default; a doc's own `_source` wins.
  const defaultSource = sourceSpec(req.query);
  const docs = wanted.map(({ _index, _id: rawId, _source }) => {
    const _id = String(rawId);
    const name = _index ?? defaultIndex;
    if (!name) return { _index: null, _id, error: new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: index is missing;').body().error };
    try {
      const targets = store.resolve(name);
      // A get addresses one index; a data stream with several backing indices is ambiguous (use an ids query).
      if (targets.length !== 1) throw illegalArgument(`[es test server] _mget target [${name}] resolves to ${targets.length} indices; name a concrete index`);
      const ix = targets[0];
      const d = ix.docs.get(_id);
      if (!d) return { _index: ix.name, _id, found: false };
      const src = filterSource(d.source, _source ?? defaultSource);
      return { _index: ix.name, _id, _version: d.version, _seq_no: d.seqNo, _primary_term: 1, found: true, ...(src !== undefined ? { _source: src } : {}) };
    } catch (e) {
      if (!(e instanceof EsError)) throw e;
      return { _index: name, _id, error: e.body().error };
    }
  });
  return { status: 200, body: { docs } };
}
