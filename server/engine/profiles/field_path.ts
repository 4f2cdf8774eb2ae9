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

/**
 * A dotted path with its split points made once, for reading the same path from many documents
 * (readFieldPath: getField's steps without slicing the path anew at every read).
 */
export interface FieldPath {
  path: string;
  /** At each dot, in order: the key before it, and the path after it. */
  splits: { head: string; rest: FieldPath }[];
}

/** `made`: the path's suffixes compiled already (each is the rest of several splits: one node each, not 2^dots). */
export function compileFieldPath(path: string, made = new Map<string, FieldPath>()): FieldPath {
  let compiled = made.get(path);
  if (compiled) return compiled;
  const splits: FieldPath['splits'] = [];
  for (let dot = path.indexOf('.'); dot !== -1; dot = path.indexOf('.', dot + 1)) splits.push({ head: path.slice(0, dot), rest: compileFieldPath(path.slice(dot + 1), made) });
  made.set(path, (compiled = { path, splits }));
  return compiled;
}

/** getField(doc, path.path), the same steps: the own key first, then each split point in order. */
export function readFieldPath(doc: unknown, path: FieldPath): unknown {
  if (doc === null || typeof doc !== 'object') return undefined;
  const obj = doc as Record<string, unknown>;
  if (Object.hasOwn(obj, path.path)) return obj[path.path];
  for (const { head, rest } of path.splits) {
    if (Object.hasOwn(obj, head)) {
      const found = readFieldPath(obj[head], rest);
      if (found !== undefined) return found;
    }
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
