import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FieldSpec, Profile } from '../server/engine/profiles';
import { categorical, composite } from '../server/engine/profiles/spec';
import { extractRow, type FeatureValue } from '../server/engine/features/extract';
import { schemaOf } from '../server/engine/features/frame';
import { encodeRows, fitEncoding, layoutOf, NULL_LABEL, OTHER_LABEL } from '../server/engine/features/encoding';

const ts = '2026-10-01T12:00:00Z';

const profileWith = (fields: FieldSpec[]): Profile => ({
  name: 'parts-test',
  description: '',
  indexPattern: 'x',
  userFields: ['user.name'],
  timestampFields: ['@timestamp'],
  idFields: [],
  fields,
  locationFeatures: [],
  appFeature: null,
  groups: [],
});

const valuesOf = (profile: Profile, doc: Record<string, unknown>): FeatureValue[] => {
  const out = extractRow({ '@timestamp': ts, user: { name: 'u' }, ...doc }, profile);
  assert.ok(out.ok, out.ok ? '' : out.reason);
  return out.row.values;
};

test('FieldSpec.parts: every part present is read, labelled, in order; none present is null', () => {
  const device = composite('device', [['trust', 'd.trust_type'], ['compliant', 'd.is_compliant'], ['managed', 'd.is_managed']]);
  assert.deepEqual(device.paths, ['d.trust_type', 'd.is_compliant', 'd.is_managed']);
  const p = profileWith([device, categorical('app', 'app')]);
  assert.deepEqual(valuesOf(p, { d: { trust_type: 'Azure AD joined', is_compliant: true, is_managed: false }, app: 'x' }), ['trust=Azure AD joined, compliant=true, managed=false', 'x']);
  // Absent parts are left out (labels keep the rest apart); empty strings and empty lists are absent.
  assert.deepEqual(valuesOf(p, { d: { is_managed: true } }), ['managed=true', null]);
  assert.deepEqual(valuesOf(p, { d: { trust_type: '', is_compliant: [], is_managed: [false, true] } }), ['managed=false', null]);
  assert.deepEqual(valuesOf(p, { d: {} }), [null, null]);
  assert.deepEqual(valuesOf(p, {}), [null, null]);
  // A part's paths are tried in order; each part has its own transform.
  const q = profileWith([composite('cred', [['type', 'id.type'], ['key', 'id.key', 'access-key-kind'], ['mfa', ['console.mfa_used', 'session.mfa']]])]);
  assert.deepEqual(q.fields[0].paths, ['id.type', 'id.key', 'console.mfa_used', 'session.mfa']);
  assert.deepEqual(valuesOf(q, { id: { type: 'AssumedRole', key: 'ASIAXXXXXXXXXXXXXXXX' }, session: { mfa: 'false' } }), ['type=AssumedRole, key=temporary, mfa=false']);
  assert.deepEqual(valuesOf(q, { id: { type: 'IAMUser', key: 'AKIAXXXXXXXXXXXXXXXX' }, console: { mfa_used: true }, session: { mfa: 'false' } }), ['type=IAMUser, key=long-term, mfa=true']);
  // Dotted keys as getField reads them.
  assert.deepEqual(valuesOf(p, { 'd.trust_type': 'Registered', d: { is_compliant: false } }), ['trust=Registered, compliant=false', null]);
});

test('FieldSpec.parts: two different combinations never read alike (commas and backslashes escaped)', () => {
  const p = profileWith([composite('c', [['a', 'a'], ['b', 'b']])]);
  const read = (doc: Record<string, unknown>): FeatureValue => valuesOf(p, doc)[0];
  const forged = read({ a: 'x, b=y' });
  const real = read({ a: 'x', b: 'y' });
  assert.equal(real, 'a=x, b=y');
  assert.equal(forged, 'a=x\\, b=y');
  assert.notEqual(forged, real);
  assert.notEqual(read({ a: 'x\\', b: 'y' }), read({ a: 'x\\, b=y' }));
  assert.equal(read({ a: 'x\\' }), 'a=x\\\\');
  // Objects read as JSON (then escaped), numbers and booleans as text.
  assert.equal(read({ a: { k: [1, 2] }, b: 7 }), 'a={"k":[1\\,2]}, b=7');
});

test('FieldSpec.parts: values stay right past the memo of combinations seen (it starts over when full)', () => {
  const p = profileWith([composite('c', [['a', 'a', 'lower'], ['b', 'b']])]);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 12_000; i += 1) {
      const a = i % 3 === 0 ? undefined : `X${i}`;
      const want = a === undefined ? `b=${i % 7}` : `a=x${i}, b=${i % 7}`;
      assert.equal(valuesOf(p, { a, b: i % 7 })[0], want);
    }
  }
});

test('FieldSpec.parts: values and paths named like Object.prototype keys are plain data', () => {
  const p = profileWith([
    { ...composite('c', [['constructor', 'x.constructor', 'lower'], ['__proto__', 'x.__proto__', 'lower'], ['v', 'v', 'lower']]), nullValues: ['NONE'] },
  ]);
  const read = (doc: Record<string, unknown>): FeatureValue => valuesOf(p, doc)[0];
  // Inherited keys are never read: an object without its own "constructor" has none.
  assert.equal(read({ x: {}, v: 'constructor' }), 'v=constructor');
  assert.equal(read({ x: {}, v: '__proto__' }), 'v=__proto__');
  assert.equal(read({ x: {}, v: 'toString' }), 'v=tostring');
  // Own properties of those names are read (JSON.parse makes "__proto__" an own key).
  const doc = JSON.parse('{"x": {"constructor": "Hybrid", "__proto__": "Polluted"}, "v": "NONE"}') as Record<string, unknown>;
  assert.equal(read(doc), 'constructor=hybrid, __proto__=polluted');
  // The memo of transformed values is a Map: the same raw values read again give the same result.
  assert.equal(read(doc), 'constructor=hybrid, __proto__=polluted');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  // nullValues drop a part, not the feature.
  assert.equal(read({ x: { constructor: 'A' }, v: 'NONE' }), 'constructor=a');
});

test('FieldSpec.parts: a profile naming parts wrongly is refused when read', () => {
  const bad = (spec: FieldSpec): (() => unknown) => () => extractRow({ '@timestamp': ts, user: { name: 'u' } }, profileWith([spec]));
  const part = (label: string, ...paths: string[]) => ({ label, paths });
  assert.throws(bad({ name: 'c', paths: ['a'], kind: 'categorical', parts: [part('a', 'a'), part('b', 'b')] }), /paths are missing/);
  assert.throws(bad({ name: 'c', paths: ['a'], kind: 'categorical', parts: [part('a')] }), /paths are missing/);
  assert.throws(bad({ name: 'c', paths: ['a'], kind: 'categorical', parts: [] }), /no parts/);
  assert.throws(bad({ name: 'c', paths: ['a', 'b'], kind: 'categorical', parts: [part('a', 'a'), part('a', 'b')] }), /names a part twice/);
  for (const label of ['', 'a=b', 'a,b', 'a\\b']) {
    assert.throws(bad({ name: 'c', paths: ['a', 'b'], kind: 'categorical', parts: [part(label, 'a'), part('z', 'b')] }), /part label/);
  }
  assert.throws(bad({ name: 'c', paths: ['a'], kind: 'numeric', parts: [part('a', 'a')] }), /not categorical/);
});

test('FieldSpec.maxValues: the schema carries it; the encoding keeps that many values, most frequent first', () => {
  const p = profileWith([{ ...categorical('net', 'net'), maxValues: 2 }, categorical('app', 'app')]);
  const schema = schemaOf(p);
  assert.deepEqual(schema.maxValues?.slice(0, 2), [2, null]);
  assert.ok(schema.maxValues!.slice(2).every((v) => v === null), 'derived columns have no cap');
  assert.equal(schema.maxValues!.length, schema.names.length);
  assert.equal(schemaOf(profileWith([categorical('app', 'app')])).maxValues, undefined, 'absent when no field sets one');

  const net = ['__proto__', '__proto__', '__proto__', 'constructor', 'constructor', 'a', 'b'];
  const rows: FeatureValue[][] = net.map((v, i) => [v, `app${i % 5}`, ...schema.names.slice(2).map(() => null)]);
  const enc = fitEncoding(schema, rows);
  const vocab = (c: number): string[] => (enc.columns[c] as { vocab: string[] }).vocab;
  assert.deepEqual(vocab(0), [NULL_LABEL, OTHER_LABEL, '__proto__', 'constructor']);
  assert.equal(vocab(1).length, 2 + 5, 'other columns keep the encoding limit');
  // The encoding's own limit wins when it is lower (the generic model's 256 against a cap of 2: 2; a limit of 1: 1).
  assert.deepEqual(vocab(0), (fitEncoding(schema, rows, { minCount: 1, maxCategories: 256 }).columns[0] as { vocab: string[] }).vocab);
  assert.deepEqual((fitEncoding(schema, rows, { minCount: 1, maxCategories: 1 }).columns[0] as { vocab: string[] }).vocab, [NULL_LABEL, OTHER_LABEL, '__proto__']);
  // Values beyond the cap share _other.
  const layout = layoutOf(enc);
  const x = encodeRows(enc, layout, [['b', 'app0', ...schema.names.slice(2).map(() => null)], ['constructor', 'app0', ...schema.names.slice(2).map(() => null)]]);
  const block = layout.cat.find((b) => b.column === 0)!;
  assert.deepEqual([...x.subarray(block.offset, block.offset + block.size)], [0, 1, 0, 0]);
  assert.deepEqual([...x.subarray(layout.width + block.offset, layout.width + block.offset + block.size)], [0, 0, 0, 1]);
});
