import type { FeatureExplanation } from '../../../common/fields';
import type { Column } from '../features/columns';
import { EXACT, fromUnits, type ChunkScores, type ColumnKind } from './lane_numbers';
import { defineOwn } from './dfp_fields';

/**
 * Builds `dfp.features` of one event from a lane's chunk of results (score_lane.ts) and the
 * event's row of the table: per feature, in the model's column order, `{ z, pred, value }` with z
 * from chunk.z[at + c], pred from chunk.pred[at + c] (a categorical's from the lane's `strings`, a
 * binary's as a boolean, a number's from units) and value the table's (column `columns[c]` of row
 * `row`; null where absent).
 */
export type FeaturesBuilder = (chunk: ChunkNumbers, strings: readonly string[], at: number, table: readonly Column[], row: number) => Record<string, FeatureExplanation>;

/** What a builder reads of a chunk. */
export type ChunkNumbers = Pick<ChunkScores, 'z' | 'zExact' | 'pred' | 'predExact'>;

/** Builders by schema and table columns, kept so that a compiled one stays warm from run to run. */
const builders = new Map<string, FeaturesBuilder>();
const KEEP_BUILDERS = 32;

/**
 * The builder for a model's schema (`names`, `kinds`) reading the table's columns `columns` (−1:
 * none; `coded`: which table columns are categorical). Where the engine allows code generation, a
 * function whose body is the object literal itself (`{ "app": { z: …, pred: …, value: … }, … }`),
 * reading the table's arrays directly: one literal per event instead of adding two dozen keys one
 * by one to an empty object costs a fifth of the time (names are quoted with JSON.stringify, a
 * valid string literal), and the values go straight into the new objects (stored in a reused array
 * first, every number read became a young object referenced from the old generation, which each
 * minor collection then has to visit). Kibana may forbid code generation
 * (--disallow-code-generation-from-strings); the loop builds the same object there.
 */
export function featuresBuilder(names: readonly string[], kinds: readonly ColumnKind[], columns: Int32Array, coded: readonly boolean[], compile = true): FeaturesBuilder {
  const key = `${compile ? 1 : 0}${names.join('\u0000')}\u0001${kinds.join(',')}\u0001${columns.join(',')}\u0001${coded.map(Number).join('')}`;
  let built = builders.get(key);
  if (!built) {
    built = (compile ? compiled(names, kinds, columns, coded) : undefined) ?? looped(names, kinds, columns);
    if (builders.size >= KEEP_BUILDERS) builders.delete(builders.keys().next().value as string);
    builders.set(key, built);
  }
  return built;
}

/** The builder as one object literal; undefined where code generation is refused or a name cannot be a literal key. */
function compiled(names: readonly string[], kinds: readonly ColumnKind[], columns: Int32Array, coded: readonly boolean[]): FeaturesBuilder | undefined {
  // `__proto__: …` in a literal sets the prototype instead of making a key.
  if (names.includes('__proto__')) return undefined;
  // fromUnits, written out: a call per feature would cost what the literal saves.
  const number = (array: string, exact: string, at: string): string => `(t = ${array}[${at}]) !== ${EXACT} ? t / 1e4 : L.${exact}.get(${at})`;
  // CodedColumn.get and NumberColumn.get, written out.
  const tableArrays = new Set<number>();
  const value = (tc: number): string => {
    if (tc < 0) return 'null';
    tableArrays.add(tc);
    return coded[tc] ? `(t = I${tc}[r]) < 0 ? null : D${tc}[t]` : `(t = N${tc}[r]) !== t ? null : t`;
  };
  const entries = names.map((name, c) => {
    const at = `at + ${c}`;
    const pred = kinds[c] === 'categorical' ? `S[P[${at}]]` : kinds[c] === 'binary' ? `P[${at}] === 1` : number('P', 'predExact', at);
    return `${JSON.stringify(name)}: { z: ${number('Z', 'zExact', at)}, pred: ${pred}, value: ${value(columns[c])} }`;
  });
  const arrays = [...tableArrays].map((tc) => (coded[tc] ? `I${tc} = T[${tc}].ids, D${tc} = T[${tc}].dict.values` : `N${tc} = T[${tc}].values`));
  const head = ['Z = L.z', 'P = L.pred', ...arrays].join(', ');
  try {
    return new Function(`'use strict'; return (L, S, at, T, r) => { const ${head}; let t; return { ${entries.join(', ')} }; };`)() as FeaturesBuilder;
  } catch {
    return undefined; // EvalError: code generation from strings disallowed
  }
}

/** The same object, key by key. */
function looped(names: readonly string[], kinds: readonly ColumnKind[], columns: Int32Array): FeaturesBuilder {
  const n = names.length;
  // A feature named `__proto__` (a field path of that name) must be defined: assigned, it would set the prototype.
  const proto = names.indexOf('__proto__');
  return (chunk, strings, at, table, row) => {
    const features: Record<string, FeatureExplanation> = {};
    for (let c = 0; c < n; c++) {
      const stored = chunk.pred[at + c];
      const kind = kinds[c];
      const pred = kind === 'categorical' ? strings[stored] : kind === 'binary' ? stored === 1 : fromUnits(stored, at + c, chunk.predExact);
      const tc = columns[c];
      const explained = { z: fromUnits(chunk.z[at + c], at + c, chunk.zExact), pred, value: tc < 0 ? null : table[tc].get(row) };
      if (c === proto) defineOwn(features, names[c], explained);
      else features[names[c]] = explained;
    }
    return features;
  };
}
