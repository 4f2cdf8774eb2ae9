// The `filter_path` query parameter, as Elasticsearch applies it to every answer it builds (not to
// error answers: RestChannel's error builder turns filtering off). What it follows, from ES's
// AbstractRestChannel, FilterPath, FilterPathBasedFilter and Jackson's FilteringGeneratorDelegate
// (INCLUDE_ALL_AND_PATH, several matches allowed):
//
// - The value is a comma list, each entry trimmed; an entry starting with `-` excludes (the rest of
//   it is the path), the others include. Paths are dot-separated names (`\.` is a dot inside a
//   name); a name holding `*` is a glob; `**` stands for one or more levels. Array positions are no
//   part of a path: an array's elements are matched as the array itself.
// - Includes keep a property whose path matches whole (with everything under it), and the objects
//   leading to it. Under a path that only partly matched, scalars (null too) go, and an object or
//   array left empty goes too, an element of an array as well: `items.*.error` on `_bulk` keeps
//   only the failed items, so positions no longer match the request's operations.
// - Excludes drop a property whose path matches whole; an object or array they emptied goes, one
//   that was empty already stays.
// - Both: the includes are applied first, the excludes to what they kept.
// - The answer's root object is always written (`{}` when nothing is kept).
import { Json } from './errors';
import { globRegex } from './fields';

interface PathNode {
  final: boolean;
  doubleWildcard: boolean;
  terms: Map<string, PathNode>;
  wildcards: { glob: RegExp; node: PathNode }[];
}

interface BuildNode {
  final: boolean;
  children: Map<string, BuildNode>;
}

/** Inserts one path into the tree (FilterPathBuilder.insertNode): a shorter path already there wins. */
function insert(filter: string, node: BuildNode): void {
  let split = -1;
  let escaped = false;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i];
    if (c === '.') {
      split = i;
      break;
    }
    if (c === '\\' && filter[i + 1] === '.') {
      i++;
      escaped = true;
    }
  }
  const unescape = (s: string): string => (escaped ? s.replace(/\\\./g, '.') : s);
  if (split > 0) {
    const field = unescape(filter.slice(0, split));
    let child = node.children.get(field);
    if (!child) {
      child = { final: false, children: new Map() };
      node.children.set(field, child);
    }
    if (!child.final) insert(filter.slice(split + 1), child);
  } else {
    node.children.set(unescape(filter), { final: true, children: new Map() });
  }
}

function build(segment: string, node: BuildNode): PathNode {
  const out: PathNode = { final: node.final, doubleWildcard: segment === '**', terms: new Map(), wildcards: [] };
  for (const [name, child] of node.children) {
    const built = build(name, child);
    if (name.includes('*')) out.wildcards.push({ glob: globRegex(name), node: built });
    else out.terms.set(name, built);
  }
  return out;
}

function compile(paths: string[]): PathNode[] | undefined {
  const root: BuildNode = { final: false, children: new Map() };
  let any = false;
  for (const p of paths) {
    const t = p.trim();
    if (t.length === 0) continue;
    insert(t, root);
    any = true;
  }
  return any ? [build('', root)] : undefined;
}

const MATCH = 'match';
const NONE = 'none';
type Verdict = typeof MATCH | typeof NONE | PathNode[];

/**
 * Verdicts remembered per set of paths and name: the sets a verdict returns are themselves
 * remembered, so every hit of a page walks the same objects (a bench reads 60,000 hits this way).
 */
const verdicts = new WeakMap<PathNode[], Map<string, Verdict>>();

/** A property name against the paths that lead to it (FilterPathBasedFilter.evaluate). */
function evaluate(name: string, filters: PathNode[]): Verdict {
  let known = verdicts.get(filters);
  if (!known) {
    known = new Map();
    verdicts.set(filters, known);
  }
  let v = known.get(name);
  if (v === undefined) {
    v = evaluateOnce(name, filters);
    if (known.size < 10_000) known.set(name, v);
  }
  return v;
}

function evaluateOnce(name: string, filters: PathNode[]): Verdict {
  const next: PathNode[] = [];
  for (const f of filters) {
    const term = f.terms.get(name);
    if (term) {
      if (term.final) return MATCH;
      next.push(term);
    }
    for (const w of f.wildcards) {
      if (w.glob.test(name)) {
        if (w.node.final) return MATCH;
        next.push(w.node);
      }
    }
    if (f.doubleWildcard) next.push(f);
  }
  return next.length > 0 ? next : NONE;
}

/** A JSON object (a RawNumber, written as a number, is a scalar). */
const isObject = (v: Json): boolean => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** What the includes keep of a value under a partly matched path; undefined: nothing. */
function included(value: Json, filters: PathNode[]): Json | undefined {
  if (Array.isArray(value)) {
    const out = value.map((v) => included(v, filters)).filter((v) => v !== undefined);
    return out.length > 0 ? out : undefined;
  }
  if (!isObject(value)) return undefined; // a scalar, null too, is kept only by a whole match
  const out: Record<string, Json> = {};
  let kept = false;
  for (const [k, v] of Object.entries<Json>(value)) {
    const verdict = evaluate(k, filters);
    if (verdict === NONE) continue;
    const sub = verdict === MATCH ? v : included(v, verdict);
    if (sub === undefined) continue;
    out[k] = sub;
    kept = true;
  }
  return kept ? out : undefined;
}

/** What the excludes leave of a value under a partly matched path; undefined: it goes. */
function excluded(value: Json, filters: PathNode[]): Json | undefined {
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const out = value.map((v) => excluded(v, filters)).filter((v) => v !== undefined);
    return out.length > 0 ? out : undefined;
  }
  if (!isObject(value)) return value;
  const entries = Object.entries<Json>(value);
  if (entries.length === 0) return value;
  const out: Record<string, Json> = {};
  let kept = false;
  for (const [k, v] of entries) {
    const verdict = evaluate(k, filters);
    if (verdict === MATCH) continue;
    const sub = verdict === NONE ? v : excluded(v, verdict);
    if (sub === undefined) continue;
    out[k] = sub;
    kept = true;
  }
  return kept ? out : undefined;
}

/**
 * An answer body with the request's `filter_path` applied (the body itself when there is none).
 * Only object bodies are filtered; the root object always stays.
 */
export function applyFilterPath(body: Json, filterPath: string | null): Json {
  if (filterPath === null || !isObject(body)) return body;
  const { includes, excludes } = compiled(filterPath);
  let out: Json = body;
  if (includes) out = included(out, includes) ?? {};
  if (excludes) out = excluded(out, excludes) ?? {};
  return out;
}

const compiledPaths = new Map<string, { includes?: PathNode[]; excludes?: PathNode[] }>();

function compiled(filterPath: string): { includes?: PathNode[]; excludes?: PathNode[] } {
  let c = compiledPaths.get(filterPath);
  if (!c) {
    const entries = filterPath.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    c = { includes: compile(entries.filter((s) => s[0] !== '-')), excludes: compile(entries.filter((s) => s[0] === '-').map((s) => s.slice(1))) };
    if (compiledPaths.size >= 256) compiledPaths.clear();
    compiledPaths.set(filterPath, c);
  }
  return c;
}
