// Index management: create/exists/delete, mappings, settings (blocks), index and component
// templates, data streams.
import { EsError, Json, indexNotFound } from './errors';
import { mergeMappings } from './fields';
import { Req, Reply } from './http';
import { Store, flattenSettings, nestSettings } from './store';

const ACK = { status: 200, body: { acknowledged: true } };

export function handleIndices(store: Store, req: Req, parts: string[]): Reply | undefined {
  const m = req.method;
  const [first, second] = parts;

  if (first === '_index_template' && second && parts.length === 2) {
    if (m === 'PUT' || m === 'POST') {
      store.templates.set(second, req.body ?? {});
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
              generation: ds.indices.length,
              status: 'YELLOW',
              template: ds.template,
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
      for (const ix of store.resolve(first)) {
        ix.mappings = mergeMappings(ix.mappings, req.body ?? {});
        ix.mappingChanged();
      }
      return ACK;
    }
  }
  if (second === '_settings' && parts.length === 2) {
    if (m === 'PUT') {
      const flat = flattenSettings(req.body ?? {});
      for (const ix of store.resolve(first)) {
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
