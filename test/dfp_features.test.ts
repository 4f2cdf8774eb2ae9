import { test } from 'node:test';
import assert from 'node:assert/strict';
import { featuresBuilder } from '../server/engine/jobs/dfp_features';
import { EventColumns } from '../server/engine/features/columns';
import type { FeatureValue } from '../server/engine/features/extract';
import { EXACT, fromUnits, toUnits, type ColumnKind } from '../server/engine/jobs/score_lane';

/**
 * dfp.features built as one generated object literal (where the engine allows code generation)
 * and key by key (where it does not, as in Kibana): the same object, key order and JSON.
 */
test('dfp.features: the compiled builder and the loop build the same object, odd feature names included', () => {
  const cases: { names: string[]; kinds: ColumnKind[] }[] = [
    { names: ['app', 'failed', 'hours', 'country'], kinds: ['categorical', 'binary', 'numeric', 'categorical'] },
    // Integer-like names come first in any object; a repeated name keeps its first place, last value.
    { names: ['b', '10', 'a', '2', 'b'], kinds: ['numeric', 'categorical', 'binary', 'numeric', 'categorical'] },
    { names: ['"quoted"', 'back\\slash', 'line\u2028sep', 'é', 'constructor', 'toString'], kinds: ['categorical', 'numeric', 'binary', 'categorical', 'numeric', 'binary'] },
    // A literal `__proto__:` key would set the prototype: this schema gets the loop in both (which,
    // as dfpObject always has, assigns through the __proto__ setter).
    { names: ['__proto__', 'x'], kinds: ['categorical', 'numeric'] },
  ];
  const strings = ['alpha', 'beta', '_other', '_null'];
  for (const { names, kinds } of cases) {
    const f = names.length;
    // Numbers in units (v·10⁴), and a few kept exactly: not finite, −0, beyond int32.
    const zExact = new Map<number, number>([[1, NaN], [f + 2, Infinity], [2 * f, 123456.78]]);
    const predExact = new Map<number, number>();
    const z = Int32Array.from({ length: 3 * f }, (_, i) => (zExact.has(i) ? EXACT : (i % 3) * 5000 + i));
    const pred = Int32Array.from({ length: 3 * f }, (_, i) => {
      const kind = kinds[i % f];
      if (kind === 'categorical') return i % strings.length;
      if (kind === 'binary') return i % 2;
      if (i % 4 === 0) {
        predExact.set(i, i % 8 === 0 ? -0 : -1e12);
        return EXACT;
      }
      return i * 12_500 - 30_000;
    });
    const lane = { z, zExact, pred, predExact };
    // The events' values in a table: a categorical and a numeric column read by two features
    // each, and a feature the table has no column for (a model trained on other fields).
    const table = new EventColumns({ names: ['cat', 'num'], kinds: ['categorical', 'numeric'] });
    for (const [i, values] of ([['x', 1.5], [null, null], ['y', -0]] as FeatureValue[][]).entries()) table.add(i, { user: 'u', time: 0, values });
    const columns = Int32Array.from(names, (_, c) => (c === f - 1 ? -1 : c % 2));
    const coded = table.columns.map((c) => c.coded);
    for (const row of [0, 1, 2]) {
      const compiled = featuresBuilder(names, kinds, columns, coded)(lane, strings, row * f, table.columns, row);
      const looped = featuresBuilder(names, kinds, columns, coded, false)(lane, strings, row * f, table.columns, row);
      // (With `__proto__`, each object's prototype is its own entry object: alike, not equal.)
      if (!names.includes('__proto__')) assert.deepEqual(compiled, looped, names.join());
      assert.deepEqual(Object.keys(compiled), Object.keys(looped));
      assert.equal(JSON.stringify(compiled), JSON.stringify(looped));
      assert.equal(JSON.stringify(Object.getPrototypeOf(compiled)), JSON.stringify(Object.getPrototypeOf(looped)));
      // What each entry holds: z and numbers from units (or exactly), the prediction by kind, the value.
      for (let c = 0; c < f; c++) {
        if (names.indexOf(names[c]) !== names.lastIndexOf(names[c]) || names[c] === '__proto__') continue;
        const at = row * f + c;
        const want = {
          z: zExact.get(at) ?? z[at] / 1e4,
          pred: kinds[c] === 'categorical' ? strings[pred[at]] : kinds[c] === 'binary' ? pred[at] === 1 : (predExact.get(at) ?? pred[at] / 1e4),
          value: table.value(row, columns[c]),
        };
        assert.deepEqual(looped[names[c]], want, `${names[c]}, row ${row}`);
        assert.deepEqual(compiled[names[c]], want, `${names[c]}, row ${row}`);
      }
    }
  }
});

test('numbers with 4 decimals kept as units round-trip exactly, -0, NaN, infinities and huge values included', () => {
  const values = [0, -0, 1, -1, 0.0001, -0.0001, 1.2345, -98765.4321, 214748.3647, -214748.3647, 214748.3648, -214748.3648, 1e12, NaN, Infinity, -Infinity];
  for (let i = 0; i < 10_000; i++) values.push(Math.round((i * 7919) % 2_000_000 - 1_000_000) / 1e4);
  const exact = new Map<number, number>();
  values.forEach((v, at) => {
    const stored = toUnits(v, at, exact);
    assert.ok(Object.is(fromUnits(stored, at, exact), v), `${v}`);
    assert.equal(stored === EXACT, !(Number.isFinite(v) && Math.abs(v) <= 214748.3647 && !Object.is(v, -0)), `${v} kept ${stored === EXACT ? 'exactly' : 'as units'}`);
  });
});
