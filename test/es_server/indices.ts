// Index management: create/exists/delete, mappings, settings (blocks), index and component
// templates, data streams and their rollover.
import { EsError, Json, illegalArgument, indexNotFound } from './errors';
import { mergeMappings } from './fields';
import { checkMappingUpdate } from './mapping_check';
import { Req, Reply } from './http';
import { Store, flattenSettings, metadataBlock, nestSettings } from './store';

const ACK = { status: 200, body: { acknowledged: true } };

export function handleIndices(store: Store, req: Req, parts: string[]): Reply | undefined {
  const m = req.method;
  const [first, second] = parts;

  if (first === '_index_template' && second && parts.length === 2) {
    if (m === 'PUT' || m === 'POST') {
      const body = req.body ?? {};
      if (req.query.get('create') === 'true' && store.templates.has(second)) throw illegalArgument(`index template [${second}] already exists`);
      // As ES: every component template named must exist, unless listed in ignore_missing_component_templates.
      const ignorable: string[] = body.ignore_missing_component_templates ?? [];
      const missing = ((body.composed_of ?? []) as string[]).filter((c) => !store.componentTemplates.has(c) && !ignorable.includes(c));
      if (missing.length > 0) {
        const why = ignorable.length === 0
          ? `index template [${second}] specifies component templates [${missing.join(', ')}] that do not exist`
          : `index template [${second}] specifies a missing component templates [${missing.join(', ')}] that does not exist and is not part of 'ignore_missing_component_templates'`;
        throw new EsError(400, 'invalid_index_template_exception', `index_template [${second}] invalid, cause [${why}]`);
      }
      store.templates.set(second, body);
      return ACK;
    }
    if (m === 'GET' || m === 'HEAD') {
      const t = store.templates.get(second);
      if (!t) throw new EsError(404, 'resource_not_found_exception', `index template matching [${second}] not found`);
      return { status: 200, body: { index_templates: [{ name: second, index_template: { composed_of: [], ...t } }] } };
    }
    if (m === 'DELETE') {
      if (!store.templates.delete(second)) throw new EsError(404, 'resource_not_found_exception', `index_template [${second}] missing`);
      return ACK;
    }
  }
  if (first === '_component_template' && second && parts.length === 2) {
    if (m === 'PUT' || m === 'POST') {
      if (req.query.get('create') === 'true' && store.componentTemplates.has(second)) throw illegalArgument(`component template [${second}] already exists`);
      store.componentTemplates.set(second, req.body ?? {});
      return ACK;
    }
    if (m === 'GET') {
      const t = store.componentTemplates.get(second);
      if (!t) throw new EsError(404, 'resource_not_found_exception', `component template matching [${second}] not found`);
      return { status: 200, body: { component_templates: [{ name: second, component_template: t }] } };
    }
  }
  if (first === '_data_stream' && parts.length <= 2) {
    if (m === 'GET') {
      const names = second ? [...store.dataStreams.keys()].filter((n) => second.split(',').some((p) => p === n || (p.includes('*') && new RegExp('^' + p.replace(/\*/g, '.*') + '$').test(n)))) : [...store.dataStreams.keys()];
      if (second && !second.includes('*') && names.length === 0) throw indexNotFound(second);
      return {
        status: 200,
        body: {
          data_streams: names.map((n) => {
            const ds = store.dataStreams.get(n)!;
            return {
              name: n,
              timestamp_field: { name: '@timestamp' },
              indices: ds.indices.map((b) => ({ index_name: b, index_uuid: store.getIndex(b).uuid, prefer_ilm: true, managed_by: 'Unmanaged' })),
              generation: ds.generation,
              status: 'YELLOW',
              // ES names the template that matches the stream now, not the one it was created with.
              template: store.matchTemplate(n)?.[0] ?? ds.template,
              next_generation_managed_by: 'Unmanaged',
              prefer_ilm: true,
              hidden: false,
              system: false,
              allow_custom_routing: false,
              replicated: false,
              rollover_on_write: false,
            };
          }),
        },
      };
    }
    if (m === 'PUT' && second) {
      store.createDataStream(second);
      return ACK;
    }
    if (m === 'DELETE' && second) {
      const ds = store.dataStreams.get(second);
      if (!ds) throw indexNotFound(second);
      for (const b of ds.indices) store.indices.delete(b);
      store.dataStreams.delete(second);
      return ACK;
    }
  }
  if (first.startsWith('_')) return undefined;

  if (second === '_rollover' && parts.length === 2 && m === 'POST') return rollover(store, req, first);

  if (parts.length === 1) {
    if (m === 'PUT') {
      const index = store.createIndex(first, req.body ?? {});
      return { status: 200, body: { acknowledged: true, shards_acknowledged: true, index: index.name } };
    }
    if (m === 'HEAD') return { status: store.resolve(first, { ignoreUnavailable: true }).length || store.indices.has(first) ? 200 : 404 };
    if (m === 'DELETE') {
      const targets = store.resolve(first);
      for (const ix of targets) {
        if (ix.dataStream) {
          throw new EsError(400, 'illegal_argument_exception', `index [${ix.name}] is the write index for data stream [${ix.dataStream}] and cannot be deleted`);
        }
      }
      for (const ix of targets) store.indices.delete(ix.name);
      return ACK;
    }
    if (m === 'GET') {
      const out: Json = {};
      for (const ix of store.resolve(first)) {
        out[ix.name] = { aliases: {}, mappings: ix.mappings, settings: nestSettings({ ...ix.settings, 'index.provided_name': ix.name, 'index.uuid': ix.uuid }) };
      }
      return { status: 200, body: out };
    }
  }
  if (second === '_mapping' && parts.length === 2) {
    if (m === 'GET') {
      const out: Json = {};
      for (const ix of store.resolve(first)) out[ix.name] = { mappings: ix.mappings };
      return { status: 200, body: out };
    }
    if (m === 'PUT' || m === 'POST') {
      const targets = store.resolve(first);
      // A read-only or metadata block on any target refuses the whole request, as in ES.
      for (const ix of targets) {
        const block = metadataBlock(ix);
        if (block) throw block;
      }
      // A type change on any target refuses the whole request; nothing is applied.
      for (const ix of targets) checkMappingUpdate(ix.mappings, req.body ?? {});
      for (const ix of targets) {
        ix.mappings = mergeMappings(ix.mappings, req.body ?? {});
        ix.mappingChanged();
      }
      return ACK;
    }
  }
  if (second === '_settings' && parts.length === 2) {
    if (m === 'PUT') {
      const flat = flattenSettings(req.body ?? {});
      const targets = store.resolve(first);
      const fixed = ['index.number_of_shards', 'index.number_of_routing_shards'].filter((k) => k in flat);
      if (fixed.length > 0) {
        throw illegalArgument(`Can't update non dynamic settings [[${fixed.join(', ')}]] for open indices [${targets.map((ix) => `[${ix.name}/${ix.uuid}]`).join(', ')}]`);
      }
      for (const ix of targets) {
        for (const [k, v] of Object.entries(flat)) {
          if (v === null) delete ix.settings[k];
          else ix.settings[k] = v;
        }
      }
      return ACK;
    }
    if (m === 'GET') {
      const out: Json = {};
      for (const ix of store.resolve(first)) out[ix.name] = { settings: nestSettings({ ...ix.settings, 'index.provided_name': ix.name, 'index.uuid': ix.uuid }) };
      return { status: 200, body: out };
    }
  }
  return undefined;
}

/**
 * POST /<data-stream>/_rollover, unconditional (conditions are not evaluated here) or `dry_run`.
 * Aliases are not supported by this server; a concrete index is refused as ES refuses it.
 */
function rollover(store: Store, req: Req, target: string): Reply {
  if (req.body?.conditions && Object.keys(req.body.conditions).length > 0) {
    throw illegalArgument('[es test server] rollover conditions are not supported; roll over unconditionally');
  }
  if (!store.dataStreams.has(target)) {
    if (store.indices.has(target)) throw illegalArgument('rollover target is a [concrete index] but one of [alias,data_stream] was expected');
    throw illegalArgument(`rollover target [${target}] does not exist`);
  }
  const dryRun = req.query.get('dry_run') === 'true';
  const ds = store.dataStreams.get(target)!;
  const result = dryRun ? { oldIndex: ds.indices[ds.indices.length - 1], newIndex: store.nextBackingIndex(ds) } : store.rolloverDataStream(target);
  return {
    status: 200,
    body: {
      acknowledged: !dryRun,
      shards_acknowledged: !dryRun,
      old_index: result.oldIndex,
      new_index: result.newIndex,
      rolled_over: !dryRun,
      dry_run: dryRun,
      lazy: false,
      conditions: {},
    },
  };
}
