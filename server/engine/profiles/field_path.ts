/**
 * Reads a dotted path from a document the way Elasticsearch sees it: nested objects
 * (`{source: {geo: {city_name}}}`), literal dotted keys (`{"source.geo.city_name": …}`) or any mix.
 * Own properties only: a path named like a property every object has ("constructor") reads the
 * document's field, not Object.prototype's.
 */
export function getField(doc: unknown, path: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  const obj = doc as Record<string, unknown>;
  if (Object.hasOwn(obj, path)) return obj[path];
  // Try every split point: "a.b.c" → obj["a"]["b.c"], obj["a.b"]["c"].
  let dot = path.indexOf('.');
  while (dot !== -1) {
    const head = path.slice(0, dot);
    if (Object.hasOwn(obj, head)) {
      const found = getField(obj[head], path.slice(dot + 1));
      if (found !== undefined) return found;
    }
    dot = path.indexOf('.', dot + 1);
  }
  return undefined;
}

/** The first non-empty value among paths; arrays yield their first element. */
export function firstValue(doc: unknown, paths: readonly string[]): unknown {
  for (const path of paths) {
    let v = getField(doc, path);
    if (Array.isArray(v)) v = v.length > 0 ? v[0] : undefined;
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}
