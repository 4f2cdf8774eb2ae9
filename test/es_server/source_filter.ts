// `_source` filtering as _search, get, mget and top_hits apply it: false, "field", ["a", "b.*"],
// {includes, excludes}, and the `_source` / `_source_includes` / `_source_excludes` query parameters.
import { Json } from './errors';
import { globRegex } from './fields';

export function filterSource(source: Json, spec: Json): Json | undefined {
  if (spec === undefined || spec === true) return source;
  if (spec === false) return undefined;
  const keep = compiledFilter(spec);
  const walk = (node: Json, prefix: string): Json => {
    const out: Json = {};
    for (const [k, v] of Object.entries<Json>(node)) {
      const path = prefix + k;
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const sub = walk(v, path + '.');
        if (Object.keys(sub).length) out[k] = sub;
        else if (Object.keys(v).length === 0 && keep(path)) out[k] = {};
      } else if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) {
        const arr = list(v, path);
        if (arr.length) out[k] = arr;
      } else if (keep(path)) out[k] = v;
    }
    return out;
  };
  // An array's elements under the array's own path, an array inside it staying an array
  // (Elasticsearch filters lists of lists element by element: `[["NL", 0.97]]` comes back as is).
  const list = (v: Json[], path: string): Json[] =>
    v
      .map((x) => (Array.isArray(x) ? list(x, path) : x && typeof x === 'object' ? walk(x, path + '.') : keep(path) ? x : undefined))
      .filter((x) => x !== undefined && !(typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 0) && !(Array.isArray(x) && x.length === 0));
  return walk(source, '');
}

/**
 * A spec's patterns compiled once and each path's verdict remembered: a search filters every hit
 * with the same spec, and compiling the patterns per hit made the test server the main thread's
 * biggest cost while a job read its pages (the bench's event-loop figure measured that).
 */
const filters = new Map<string, (path: string) => boolean>();

function compiledFilter(spec: Json): (path: string) => boolean {
  const key = JSON.stringify(spec);
  let keep = filters.get(key);
  if (keep) return keep;
  const inc: string[] = typeof spec === 'string' ? [spec] : Array.isArray(spec) ? spec : [].concat(spec.includes ?? spec.include ?? []);
  const exc: string[] = Array.isArray(spec) || typeof spec === 'string' ? [] : [].concat(spec.excludes ?? spec.exclude ?? []);
  const incRe = inc.map(globRegex);
  const excRe = exc.map(globRegex);
  // A path is kept when it, or one of its parent paths, matches an include pattern.
  const prefixes = (path: string): string[] => path.split('.').map((_, i, a) => a.slice(0, i + 1).join('.'));
  const verdicts = new Map<string, boolean>();
  keep = (path) => {
    let v = verdicts.get(path);
    if (v === undefined) {
      v = (incRe.length === 0 || prefixes(path).some((p) => incRe.some((r) => r.test(p)))) && !prefixes(path).some((p) => excRe.some((r) => r.test(p)));
      verdicts.set(path, v);
    }
    return v;
  };
  if (filters.size >= 256) filters.clear();
  filters.set(key, keep);
  return keep;
}

const commaList = (v: string): string[] => v.split(',').map((x) => x.trim()).filter(Boolean);

/**
 * The `_source` a request asks for. Its query parameters, when present, win over `fallback` (the
 * body's `_source`, or an mget doc's default), as FetchSourceContext.parseFromRestRequest reads
 * them: `_source=true|false` or a comma list of includes, `_source_includes` replacing that list,
 * `_source_excludes`.
 */
export function sourceSpec(q: URLSearchParams, fallback?: Json): Json {
  const source = q.get('_source');
  const includes = q.get('_source_includes');
  const excludes = q.get('_source_excludes');
  if (source === null && includes === null && excludes === null) return fallback;
  if (source === 'false') return false;
  return {
    includes: includes !== null ? commaList(includes) : source !== null && source !== 'true' ? commaList(source) : [],
    excludes: excludes !== null ? commaList(excludes) : [],
  };
}
