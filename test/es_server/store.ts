// In-memory cluster state: indices (index.number_of_shards shards, documents routed to them by
// _id as ES routes them; primary term 1), templates, data streams, points in time. Each index
// keeps the live docs (what realtime GET sees) and the docs as of the last refresh (what search
// sees), which is how ES's refresh semantics show up to clients.
import { randomBytes } from 'node:crypto';
import { EsError, Json, illegalArgument, indexNotFound } from './errors';
import { FieldInfo, composeMappings, flattenMapping, globRegex, mergeMappings } from './fields';
import { defaultRoutingShards, shardOf } from './routing';

export interface Doc {
  id: string;
  source: Json;
  seqNo: number;
  version: number;
  ord: number; // Lucene-like doc id: insertion order, renewed on every write
  shard: number; // the shard its _id routes to
}

export class Index {
  readonly uuid = randomBytes(16).toString('base64url').slice(0, 22);
  readonly docs = new Map<string, Doc>();
  searchable = new Map<string, Doc>();
  seqNo = -1;
  ord = 0;
  readonly shards: number;
  readonly routingShards: number;
  private fieldCache?: Map<string, FieldInfo>;
  constructor(
    readonly name: string,
    public mappings: Json,
    public settings: Record<string, string>, // flat "index.x.y" keys, string values as ES returns
    readonly dataStream?: string,
  ) {
    this.shards = Number(settings['index.number_of_shards'] ?? 1);
    this.routingShards = Number(settings['index.number_of_routing_shards'] ?? defaultRoutingShards(this.shards));
  }

  /** The shard a document with this _id lives on. */
  shardOf(id: string): number {
    return shardOf(id, this.shards, this.routingShards);
  }

  get fields(): Map<string, FieldInfo> {
    return (this.fieldCache ??= flattenMapping(this.mappings));
  }
  mappingChanged(): void {
    this.fieldCache = undefined;
  }
  refresh(): void {
    this.searchable = new Map(this.docs);
  }
  get hidden(): boolean {
    return this.settings['index.hidden'] === 'true';
  }
}

export interface DataStream {
  name: string;
  template: string;
  indices: string[];
  generation: number; // of the newest backing index; only grows (indices may be removed)
}

export interface Pit {
  id: string;
  indices: { index: Index; docs: Map<string, Doc> }[];
  expiresAt: number;
}

/** Flattens settings bodies ({index: {blocks: {write: true}}}, {"index.blocks.write": true}, {blocks: ...}). */
export function flattenSettings(settings: Json): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (node: Json, prefix: string): void => {
    for (const [k, v] of Object.entries<Json>(node ?? {})) {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v, prefix + k + '.');
      else out[prefix + k] = v === null ? (null as unknown as string) : String(v);
    }
  };
  walk(settings, '');
  const norm: Record<string, string> = {};
  for (const [k, v] of Object.entries(out)) norm[k.startsWith('index.') ? k : 'index.' + k] = v;
  return norm;
}

export function nestSettings(flat: Record<string, string>): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(flat)) {
    const parts = k.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts[parts.length - 1]] = v;
  }
  return out;
}

export class Store {
  readonly indices = new Map<string, Index>();
  readonly templates = new Map<string, Json>();
  readonly componentTemplates = new Map<string, Json>();
  readonly dataStreams = new Map<string, DataStream>();
  readonly pits = new Map<string, Pit>();

  reset(): void {
    this.indices.clear();
    this.templates.clear();
    this.componentTemplates.clear();
    this.dataStreams.clear();
    this.pits.clear();
  }

  /** Highest-priority index template whose index_patterns match `name`. */
  matchTemplate(name: string): [string, Json] | undefined {
    let best: [string, Json] | undefined;
    for (const [tname, t] of this.templates) {
      const patterns: string[] = [].concat(t.index_patterns ?? []);
      if (!patterns.some((p) => globRegex(p).test(name))) continue;
      if (!best || (t.priority ?? 0) > (best[1].priority ?? 0)) best = [tname, t];
    }
    return best;
  }

  /** Mappings and settings a template gives: its component templates first, then its own. */
  composeTemplate(t: Json): { mappings: Json; settings: Json } {
    let mappings: Json = {};
    let settings: Json = {};
    const parts = [...(t.composed_of ?? []).map((c: string) => this.componentTemplates.get(c)?.template ?? {}), t.template ?? {}];
    for (const p of parts) {
      if (p.mappings) mappings = composeMappings(mappings, p.mappings);
      if (p.settings) settings = { ...settings, ...flattenSettings(p.settings) };
    }
    return { mappings, settings };
  }

  createIndex(name: string, body: Json, dataStream?: string): Index {
    validateIndexName(name);
    const existing = this.indices.get(name);
    if (existing) {
      throw new EsError(400, 'resource_already_exists_exception', `index [${name}/${existing.uuid}] already exists`, {
        index_uuid: existing.uuid,
        index: name,
      });
    }
    if (this.dataStreams.has(name)) {
      throw new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], already exists as data stream`, {
        index_uuid: '_na_',
        index: name,
      });
    }
    const tmpl = this.matchTemplate(dataStream ?? name);
    const fromTemplate = tmpl ? this.composeTemplate(tmpl[1]) : { mappings: {}, settings: {} };
    let mappings = composeMappings(fromTemplate.mappings, body?.mappings ?? {});
    const settings: Record<string, string> = {
      'index.number_of_shards': '1',
      'index.number_of_replicas': '1',
      ...fromTemplate.settings,
      ...flattenSettings(body?.settings),
    };
    const shards = settings['index.number_of_shards'];
    if (!/^\d+$/.test(shards) || Number(shards) < 1 || Number(shards) > 1024) {
      const why = /^\d+$/.test(shards) ? `must be ${Number(shards) < 1 ? '>= 1' : '<= 1024'}` : 'not a number';
      throw illegalArgument(`Failed to parse value [${shards}] for setting [index.number_of_shards] ${why}`);
    }
    if (dataStream) {
      mappings = mergeMappings({ _data_stream_timestamp: { enabled: true } }, mappings);
      mappings = mergeMappings(mappings, { properties: { '@timestamp': { type: 'date', ...(mappings.properties?.['@timestamp'] ?? {}) } } });
      settings['index.hidden'] = 'true';
    }
    const index = new Index(name, mappings, settings, dataStream);
    this.indices.set(name, index);
    return index;
  }

  /** Creates the data stream `name` (its template must have data_stream: {}), with one backing index. */
  createDataStream(name: string, now = new Date()): DataStream {
    const tmpl = this.dataStreamTemplate(name);
    const ds: DataStream = { name, template: tmpl, indices: [], generation: 0 };
    this.addBackingIndex(ds, now);
    this.dataStreams.set(name, ds);
    return ds;
  }

  /**
   * Rolls a data stream over: a new backing index `.ds-<name>-<yyyy.MM.dd>-<generation>` created
   * from the template matching the stream now (component templates included) becomes the write index.
   */
  rolloverDataStream(name: string, now = new Date()): { oldIndex: string; newIndex: string } {
    const ds = this.dataStreams.get(name);
    if (!ds) throw illegalArgument(`rollover target [${name}] does not exist`);
    const oldIndex = ds.indices[ds.indices.length - 1];
    ds.template = this.dataStreamTemplate(name);
    return { oldIndex, newIndex: this.addBackingIndex(ds, now) };
  }

  /** The name of the index template with data_stream: {} that matches `name` now. */
  dataStreamTemplate(name: string): string {
    const tmpl = this.matchTemplate(name);
    if (!tmpl || !tmpl[1].data_stream) throw illegalArgument(`no matching index template found for data stream [${name}]`);
    return tmpl[0];
  }

  /** The name the stream's next backing index gets. */
  nextBackingIndex(ds: DataStream, now = new Date()): string {
    const day = now.toISOString().slice(0, 10).replace(/-/g, '.');
    return `.ds-${ds.name}-${day}-${String(ds.generation + 1).padStart(6, '0')}`;
  }

  private addBackingIndex(ds: DataStream, now: Date): string {
    const backing = this.nextBackingIndex(ds, now);
    this.createIndex(backing, {}, ds.name);
    ds.indices.push(backing);
    ds.generation += 1;
    return backing;
  }

  getIndex(name: string): Index {
    const index = this.indices.get(name);
    if (!index) throw indexNotFound(name);
    return index;
  }

  /**
   * Resolves a write target: a concrete index, a data stream (its write index), or — when absent —
   * auto-creates it (as a data stream when a data_stream template matches).
   */
  writeTarget(name: string): { index: Index; viaDataStream?: string } {
    const ds = this.dataStreams.get(name);
    if (ds) return { index: this.getIndex(ds.indices[ds.indices.length - 1]), viaDataStream: name };
    const existing = this.indices.get(name);
    if (existing) return { index: existing };
    const tmpl = this.matchTemplate(name);
    if (tmpl?.[1].data_stream) {
      const created = this.createDataStream(name);
      return { index: this.getIndex(created.indices[0]), viaDataStream: name };
    }
    return { index: this.createIndex(name, {}) };
  }

  /**
   * Resolves a search/count target expression: comma list, wildcards, data streams (→ backing
   * indices). Wildcards skip hidden and dot indices unless the pattern itself starts with a dot.
   */
  resolve(expr: string | undefined, opts: { ignoreUnavailable?: boolean } = {}): Index[] {
    const names = !expr || expr === '_all' ? ['*'] : expr.split(',').map((s) => s.trim()).filter(Boolean);
    const out = new Map<string, Index>();
    for (const n of names) {
      if (n.includes('*')) {
        const re = globRegex(n);
        for (const [dsName, ds] of this.dataStreams) {
          if (re.test(dsName)) for (const b of ds.indices) out.set(b, this.getIndex(b));
        }
        for (const index of this.indices.values()) {
          const dot = index.name.startsWith('.');
          if (!re.test(index.name)) continue;
          if ((dot || index.hidden) && !n.startsWith('.')) continue;
          out.set(index.name, index);
        }
      } else if (this.dataStreams.has(n)) {
        for (const b of this.dataStreams.get(n)!.indices) out.set(b, this.getIndex(b));
      } else if (this.indices.has(n)) {
        out.set(n, this.indices.get(n)!);
      } else if (!opts.ignoreUnavailable) {
        throw indexNotFound(n);
      }
    }
    return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

function validateIndexName(name: string): void {
  const bad = (why: string): EsError =>
    new EsError(400, 'invalid_index_name_exception', `Invalid index name [${name}], ${why}`, { index_uuid: '_na_', index: name });
  if (name !== name.toLowerCase()) throw bad('must be lowercase');
  if (/^[_\-+]/.test(name)) throw bad("must not start with '_', '-', or '+'");
  if (/[\\/*?"<>| ,#:]/.test(name)) throw bad('must not contain the following characters [\'\\\', \'/\', \'*\', \'?\', \'"\', \'<\', \'>\', \'|\', \' \', \',\']');
}

/** Index blocks as ES reports them: status and the block's description. */
const BLOCKS: Record<string, [number, string]> = {
  read_only: [403, 'FORBIDDEN/5/index read-only (api)'],
  metadata: [403, 'FORBIDDEN/9/index metadata (api)'],
  write: [403, 'FORBIDDEN/8/index write (api)'],
  read_only_allow_delete: [429, 'TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block'],
};

function firstBlock(index: Index, kinds: string[]): EsError | undefined {
  const kind = kinds.find((k) => index.settings[`index.blocks.${k}`] === 'true');
  if (!kind) return undefined;
  const [status, text] = BLOCKS[kind];
  return new EsError(status, 'cluster_block_exception', `index [${index.name}] blocked by: [${text}];`);
}

/**
 * The block that stops mapping and settings changes to `index` (PUT _mapping), as ES returns it:
 * read_only and metadata blocks refuse them; a write block alone does not.
 */
export function metadataBlock(index: Index): EsError | undefined {
  return firstBlock(index, ['read_only', 'metadata', 'read_only_allow_delete']);
}

/** The block that stops writes to `index`, as the 403/429 error ES returns, if any. */
export function writeBlock(index: Index): EsError | undefined {
  return firstBlock(index, ['read_only', 'write', 'read_only_allow_delete']);
}
