// Sorting hits as ES does for `sort` in _search and top_hits: fields (mapped types decide the
// order; a multi-valued field sorts by its min ascending, its max descending), _score, _doc,
// _shard_doc; missing values last in either direction.
import { Json, illegalArgument } from './errors';
import { fieldValues } from './query';
import { Doc, Index } from './store';

export interface SortKey {
  field: string; // a field, "_score", "_doc" or "_shard_doc"
  desc: boolean;
}

export type SortVal = string | number | boolean | null;

/** A hit as sorting sees it; `shard` is its index's position among those searched. */
export interface SortableHit {
  index: Index;
  doc: Doc;
  shard: number;
}

export function parseSort(sort: Json): SortKey[] {
  const list = sort === undefined ? [] : Array.isArray(sort) ? sort : [sort];
  return list.flatMap((s: Json) => {
    if (typeof s === 'string') return s.split(',').map((f) => { const [field, dir] = f.split(':'); return { field, desc: dir ? dir === 'desc' : field === '_score' }; });
    return Object.entries<Json>(s).map(([field, o]) => {
      const order = typeof o === 'string' ? o : o?.order;
      return { field, desc: order ? order === 'desc' : field === '_score' };
    });
  });
}

export function compareSortVal(a: SortVal, b: SortVal, desc: boolean): number {
  // Missing values sort last in either direction, as ES's default `missing: _last` does.
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return desc ? -c : c;
}

/** The `sort` values ES returns with a hit (booleans as 0/1, dates as epoch millis). */
export function sortValues(h: SortableHit, sort: SortKey[]): SortVal[] {
  return sort.map((s) => {
    if (s.field === '_score') return 1;
    if (s.field === '_doc') return h.doc.ord;
    if (s.field === '_shard_doc') return h.shard * 2 ** 32 + h.doc.ord;
    const fv = fieldValues(h.index, h.doc, s.field);
    if (fv.type === 'text') {
      throw illegalArgument(`Fielddata is disabled on [${s.field}] in [${h.index.name}]. Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${s.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`);
    }
    if (fv.values.length === 0) return null;
    const sorted = [...fv.values].sort((a, b) => compareSortVal(a, b, false));
    const v = s.desc ? sorted[sorted.length - 1] : sorted[0];
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  });
}

/** Compares two hits' sort values key by key. */
export function compareSortVals(a: SortVal[], b: SortVal[], sort: SortKey[]): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareSortVal(a[i], b[i], sort[i].desc);
    if (c) return c;
  }
  return 0;
}

/** Hits with their sort values, in sort order; ties keep index then insertion order. */
export function sortHits<H extends SortableHit>(hits: H[], sort: SortKey[]): { h: H; sv: SortVal[] }[] {
  const keyed = hits.map((h) => ({ h, sv: sortValues(h, sort) }));
  keyed.sort((a, b) => compareSortVals(a.sv, b.sv, sort) || a.h.shard - b.h.shard || a.h.doc.ord - b.h.doc.ord);
  return keyed;
}
