// POST /_bulk and /<index>/_bulk: NDJSON action/source pairs, applied in order, one result per
// item; a failed item carries status + error and flips `errors` to true, as in ES.
import { EsError, Json, illegalArgument } from './errors';
import { Req, Reply, refreshMode } from './http';
import { applyWrite, WriteOp } from './docs';
import { Index, Store } from './store';

/** Decides whether item `i` should be failed artificially (fault injection). */
export type ItemFault = (item: { action: string; index: string; id?: string; position: number }) => EsError | undefined;

export function handleBulk(store: Store, req: Req, defaultIndex: string | undefined, itemFault?: ItemFault): Reply {
  const started = Date.now();
  const lines = req.raw.split('\n').filter((l) => l.trim() !== '');
  const items: Json[] = [];
  const touched = new Set<Index>();
  for (let i = 0; i < lines.length; i++) {
    let meta: Json;
    try {
      meta = JSON.parse(lines[i]);
    } catch {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]`);
    }
    const action = Object.keys(meta)[0] as WriteOp['action'];
    if (!['index', 'create', 'update', 'delete'].includes(action)) {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected field [create], [delete], [index] or [update] but found [${action}]`);
    }
    const m = meta[action] ?? {};
    let source: Json;
    if (action !== 'delete') {
      i++;
      if (i >= lines.length) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
      source = JSON.parse(lines[i]);
    }
    const index = m._index ?? defaultIndex;
    if (!index) throw new EsError(400, 'action_request_validation_exception', `Validation Failed: 1: index is missing;`);
    // ES reads the _id token as text: a number (or boolean) id becomes its string.
    const id = m._id === undefined || m._id === null ? undefined : String(m._id);
    const op: WriteOp = { action, index, id, source, ifSeqNo: m.if_seq_no, ifPrimaryTerm: m.if_primary_term, raw: action === 'delete' ? undefined : lines[i] };
    const wireAction = action === 'index' && m.op_type === 'create' ? 'create' : action;
    if (wireAction === 'create') op.action = 'create';
    try {
      const injected = itemFault?.({ action: wireAction, index, id, position: items.length });
      if (injected) throw injected;
      const r = applyWrite(store, op);
      touched.add(r.index);
      items.push({ [wireAction]: { ...r.body, status: r.status } });
    } catch (e) {
      if (!(e instanceof EsError)) throw e;
      const target = store.dataStreams.get(index)?.indices.at(-1) ?? index;
      items.push({ [wireAction]: { _index: target, _id: id ?? e.docId ?? null, status: e.status, error: e.cause_() } });
    }
  }
  // ES sets errors only for items that carry an error object; a 404 delete is not one.
  const errors = items.some((it) => Object.values<Json>(it)[0].error !== undefined);
  if (refreshMode(req.query) !== 'none') for (const ix of touched) ix.refresh();
  return { status: 200, body: { errors, took: Date.now() - started, items } };
}
