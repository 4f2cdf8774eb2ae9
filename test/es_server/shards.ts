// The shards a search or count reaches, and the parts of the answer that come from them: which
// shards the pre-filter (can_match) skips, the `_shards` header with its failures, and the error
// Elasticsearch answers when every shard failed or a failure meets allow_partial_search_results=false.
import { EsError, Json } from './errors';
import { fieldInfo, fieldValues, rangeBounds } from './query';
import { KeyPlanOf, SortKey, SortVal, compareSortVal, convertAfter, sortValues } from './sort';
import { Doc, Index } from './store';

/** The node every shard lives on (one node, as in a single-node cluster). */
export const NODE_ID = 'kH4bGzeXRd2QhAYT2j6Oiw';

/** One shard of one index as a search sees it: its docs (last refresh or PIT snapshot), in doc order. */
export interface ShardTarget {
  index: Index;
  shard: number;
  position: number; // the shard request index: its place among all shards searched
  docs: Doc[];
}

/** Splits each index's docs into its shards, ordered by index name then shard number. */
export function shardTargets(views: { index: Index; docs: Map<string, Doc> }[]): ShardTarget[] {
  const out: ShardTarget[] = [];
  for (const { index, docs } of views) {
    const perShard: Doc[][] = Array.from({ length: index.shards }, () => []);
    for (const d of docs.values()) perShard[d.shard].push(d);
    perShard.forEach((list, shard) => out.push({ index, shard, position: out.length, docs: list.sort((a, b) => a.ord - b.ord) }));
  }
  return out;
}

export interface ShardFailure {
  target: ShardTarget;
  error: EsError;
}

/** Whether the query rewrites to match_none on this shard (ES's can_match: ranges against the shard's min/max). */
function matchesNothing(query: Json, t: ShardTarget): boolean {
  if (!query) return false;
  const [kind] = Object.keys(query);
  const q = query[kind];
  switch (kind) {
    case 'match_none':
      return true;
    case 'term':
    case 'terms':
    case 'range':
    case 'exists': {
      const field = kind === 'exists' ? q?.field : Object.keys(q ?? {}).find((k) => k !== 'boost' && k !== '_name');
      if (field === undefined || field === '_id' || field === '_index') return false;
      if (!fieldInfo(t.index, field)) return true; // unmapped on this index
      if (kind !== 'range') return false;
      let min: Json;
      let max: Json;
      for (const d of t.docs) {
        const { type, values } = fieldValues(t.index, d, field);
        if (type === 'text') return false;
        for (const v of values) {
          if (min === undefined || v < min) min = v;
          if (max === undefined || v > max) max = v;
        }
      }
      if (min === undefined) return true; // no values on this shard
      try {
        const b = rangeBounds(fieldInfo(t.index, field), fieldInfo(t.index, field)!.type, q[field]);
        const below = b.hi !== undefined && (b.hiInclusive ? min > b.hi : min >= b.hi);
        const above = b.lo !== undefined && (b.loInclusive ? max < b.lo : max <= b.lo);
        return below || above;
      } catch {
        return false; // a bad bound fails the shard in the query phase instead
      }
    }
    case 'bool': {
      const list = (x: Json): Json[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
      const required = [...list(q.must), ...list(q.filter)];
      if (required.some((c) => matchesNothing(c, t))) return true;
      const should = list(q.should);
      return required.length === 0 && should.length > 0 && (q.minimum_should_match ?? 1) !== 0 && should.every((c) => matchesNothing(c, t));
    }
    default:
      return false;
  }
}

/** Aggregations that must see every doc (global, terms with min_doc_count 0) keep every shard. */
function mustVisitAllDocs(aggs: Json): boolean {
  return Object.values<Json>(aggs ?? {}).some((def) => {
    if (def === null || typeof def !== 'object') return false;
    if ('global' in def || def.terms?.min_doc_count === 0) return true;
    return mustVisitAllDocs(def.aggs ?? def.aggregations);
  });
}

export interface PreFilter {
  query: Json;
  aggs?: Json;
  sort: SortKey[];
  plansOf: KeyPlanOf;
  searchAfter?: Json[];
  trackTotalHits: Json;
  preFilterShardSize?: number;
}

/**
 * The shards the pre-filter phase skips. It runs when the primary sort is a field sort (or an
 * index is read-only) and more than one shard is searched, or past 128 shards, or past
 * `pre_filter_shard_size`; it skips shards the query cannot match and, with track_total_hits
 * false, shards whose primary sort values all lie before `search_after`. One shard always runs.
 */
export function skippedShards(targets: ShardTarget[], p: PreFilter): Set<number> {
  const primaryFieldSort = p.sort.length > 0 && p.sort[0].field !== '_score';
  const readOnly = targets.some((t) => t.index.settings['index.blocks.write'] === 'true' || t.index.settings['index.blocks.read_only'] === 'true');
  const threshold = p.preFilterShardSize ?? (primaryFieldSort || readOnly ? 1 : 128);
  const rewritable = p.query !== undefined && !('match_all' in (p.query ?? {})) && !mustVisitAllDocs(p.aggs);
  const skipped = new Set<number>();
  if (threshold >= targets.length || !(rewritable || primaryFieldSort)) return skipped;
  for (const t of targets) {
    if (rewritable && matchesNothing(p.query, t)) skipped.add(t.position);
    else if (primaryFieldSort && beforeSearchAfter(t, p)) skipped.add(t.position);
  }
  // ES runs at least one shard so the answer has its full shape.
  if (skipped.size === targets.length) skipped.delete(targets[0].position);
  return skipped;
}

/** Whether every value of the primary sort field on this shard sorts before `search_after` (ES's canMatchSearchAfter). */
function beforeSearchAfter(t: ShardTarget, p: PreFilter): boolean {
  const key = p.sort[0];
  if (!p.searchAfter || p.trackTotalHits !== false || key.missing !== undefined || key.field.startsWith('_')) return false;
  let plan;
  let after: SortVal;
  try {
    plan = p.plansOf(t.index)[0];
    if (!plan.info) return false;
    after = convertAfter(p.searchAfter[0], key, plan);
  } catch {
    return false; // the query phase reports it
  }
  let seen = false;
  for (const d of t.docs) {
    const v = sortValues({ index: t.index, doc: d, shard: t.position }, [key], [plan])[0];
    if (v === plan.missing) continue;
    seen = true;
    if (compareSortVal(v, after, key) >= 0) return false;
  }
  return seen;
}

/** The `_shards` header of a search or count answer. */
export function shardsHeader(total: number, skipped: number, failures: ShardFailure[], withSkipped = true): Json {
  const header: Json = { total, successful: total - failures.length, ...(withSkipped ? { skipped } : {}), failed: failures.length };
  if (failures.length > 0) header.failures = grouped(failures);
  return header;
}

/** Failures as ES lists them: one per index and cause (ExceptionsHelper.groupBy). */
function grouped(failures: ShardFailure[]): Json[] {
  const seen = new Set<string>();
  const out: Json[] = [];
  for (const f of failures) {
    const key = JSON.stringify([f.target.index.name, f.error.type, f.error.reason]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ shard: f.target.shard, index: f.target.index.name, node: NODE_ID, reason: f.error.cause_() });
  }
  return out;
}

/**
 * SearchPhaseExecutionException: "all shards failed", or "Partial shards failure" when partial
 * results are not allowed. Its status: a 502-504 of any shard, else any 5xx, else the first shard's.
 */
export function phaseFailure(reason: string, failures: ShardFailure[]): EsError {
  const statuses = failures.map((f) => f.error.status);
  const status = statuses.find((s) => s >= 502 && s <= 504) ?? statuses.find((s) => s >= 500) ?? statuses[0];
  const failedShards = grouped(failures);
  const rootCauses = failedShards.map((f) => {
    const { caused_by: _c, ...root } = f.reason;
    return root;
  });
  return new EsError(status, 'search_phase_execution_exception', reason, { phase: 'query', grouped: true, failed_shards: failedShards }, rootCauses);
}
