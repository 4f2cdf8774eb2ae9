/**
 * Links into Discover for a user's scored events, or one event. They use ES|QL (no data view
 * needs to exist): `FROM <index> | WHERE dfp.user == "<user>"` over the range, written in
 * Discover's URL state (rison in the hash).
 */
import type { SourceConfig } from '../../common/source_config';

/** Rison, the encoding of Kibana's URL state, for the values used here. */
export function rison(v: unknown): string {
  if (v === null || v === undefined) return '!n';
  if (typeof v === 'boolean') return v ? '!t' : '!f';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '!n';
  if (typeof v === 'string') return risonString(v);
  if (Array.isArray(v)) return `!(${v.map(rison).join(',')})`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `(${entries.map(([k, x]) => `${risonString(k)}:${rison(x)}`).join(',')})`;
}

/** Rison strings are bare when they look like identifiers; otherwise quoted, with ! and ' escaped by !. */
function risonString(s: string): string {
  if (/^[a-zA-Z_./~-][a-zA-Z0-9_./~-]*$/.test(s) && !/^[-0-9]/.test(s)) return s;
  return `'${s.replace(/!/g, '!!').replace(/'/g, "!'")}'`;
}

/** An ES|QL string literal. */
export function esqlString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * Where a source's scored events can be read: the scores data stream of its namespace, or (in
 * place) the source's own indices, from the source config or else the index of a scored document.
 */
export function scoredIndexOf(source: Pick<SourceConfig, 'writeMode' | 'namespace' | 'index'>, sampleDoc?: string): string | null {
  if (source.writeMode === 'scores') return `logs-dfp.scores-${source.namespace}`;
  if (source.index) return source.index;
  const slash = sampleDoc?.indexOf('/') ?? -1;
  return sampleDoc && slash > 0 ? sampleDoc.slice(0, slash) : null;
}

export interface DiscoverTarget {
  index: string;
  user: string;
  from: string;
  to: string;
  /** One document: its _id (the scores document, or the original in place). */
  docId?: string;
}

/** The Discover path (for application.getUrlForApp('discover', { path })) showing the user's events or one event. */
export function discoverPath(t: DiscoverTarget): string {
  const where = [`dfp.user == ${esqlString(t.user)}`, ...(t.docId ? [`_id == ${esqlString(t.docId)}`] : [])].join(' AND ');
  const esql = `FROM ${t.index}${t.docId ? ' METADATA _id' : ''} | WHERE ${where} | SORT dfp.zscore DESC | LIMIT 500`;
  const g = rison({ time: { from: t.from, to: t.to } });
  const a = rison({ query: { esql }, dataSource: { type: 'esql' } });
  return `#/?_g=${encodeURIComponent(g)}&_a=${encodeURIComponent(a)}`;
}

/** The `<index>/<id>` of a scored document (ScoredEventDoc.doc), split; null when it is not one (a file line). */
export function splitDocRef(doc: string): { index: string; id: string } | null {
  const slash = doc.indexOf('/');
  if (slash <= 0 || slash === doc.length - 1 || doc.startsWith('/')) return null;
  return { index: doc.slice(0, slash), id: doc.slice(slash + 1) };
}
