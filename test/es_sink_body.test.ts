// The sink's bodies from a serialised `dfp` (io/es/sink_body.ts) are the bytes JSON.stringify makes
// of the same body from the `dfp` object, whatever the key fields copied (nested, dotted, under
// `event`, `dfp` or `data_stream`, `@timestamp` itself), the values (UTF-8 of every length, lone
// surrogates) and the user risk (set, absent, not finite); and the bulk writer's arena
// (io/es/bulk_arena.ts) gives each operation its bytes, one request's in one span.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DfpFields } from '../common/fields';
import { encodedScoresBody, encodedUpdateBody, scoresDocument, SCORED_KEYS, updateBody, type EncodedDfp, type ScoredHit } from '../server/engine/io/es/sink_body';
import { BulkArena, body } from '../server/engine/io/es/bulk_arena';
import { EsSink } from '../server/engine/io/es/sink';
import type { Client } from '@elastic/elasticsearch';

/** A scored event's dfp object, keys in assembleDfp's order (SCORED_KEYS). */
function scored(over: Partial<DfpFields> = {}): DfpFields {
  return {
    user: 'ana\u00e9\ud800',
    anomaly_score: 1.2345,
    max_abs_z: 9.5,
    zscore: 4.25,
    is_anomaly: false,
    threshold: 8,
    top_features: ['city', 'app'],
    features: { city: { z: 9.5, pred: 'Zürich', value: '東京 🗼', seen: 0, usual: [['Zürich', 0.9]] }, app: { z: 0.25, pred: 'Teams', value: null } },
    model: { version: '3', generic: false, trained_at: '2026-04-01T00:00:00.000Z', fallback_reason: 'own model unusable: "bad"' },
    ts_anomaly: false,
    ts_zscore: 0.5,
    scored_at: '2026-04-23T00:00:00.000Z',
    ...over,
  };
}

/** The object as its lane serialises it: JSON less the closing brace, user risk in the fields beside. */
function encoded(dfp: DfpFields, risk?: { user_risk: number; user_flagged: boolean }): EncodedDfp {
  const json = Buffer.from(JSON.stringify(dfp));
  // Padding either side: the sink must read only start … end.
  const bytes = Buffer.concat([Buffer.from('xx'), json.subarray(0, json.length - 1), Buffer.from('yy')]);
  return { bytes, start: 2, end: 2 + json.length - 1, zscore: dfp.zscore!, threshold: dfp.threshold!, ...(risk ? { userRisk: risk.user_risk, userFlagged: risk.user_flagged } : {}) };
}

const joined = (parts: readonly (string | Uint8Array)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

const EVENT = {
  '@timestamp': '2026-04-22T10:00:00.000Z',
  user: { id: 'u-1', name: 'Ana \ud83d\ude00' },
  'event.dataset': 'azure.signinlogs',
  event: { id: 'e-1', kind: 'event' },
  data_stream: { namespace: 'prod' },
  dfp: { note: 'old' },
  labels: { team: ['a', 'b'], n: 3 },
};

const RISKS = [undefined, { user_risk: 12.5, user_flagged: true }, { user_risk: 0, user_flagged: false }, { user_risk: Number.POSITIVE_INFINITY, user_flagged: true }];
const KEY_FIELDS = [[], ['user.id', 'user.name'], ['event.dataset', 'user.name'], ['@timestamp', 'labels'], ['dfp.note', 'user.id'], ['data_stream.namespace', 'event.kind'], ['labels.n', 'labels.n.x', 'missing.field']];

describe('sink bodies from a serialised dfp', () => {
  it('SCORED_KEYS are the keys of a scored dfp object, in order', () => {
    assert.deepEqual(Object.keys(scored()), SCORED_KEYS);
  });

  for (const risk of RISKS) {
    it(`in place, user risk ${JSON.stringify(risk ?? 'absent')}: the update body's bytes`, () => {
      const dfp = { ...scored(), ...risk };
      assert.equal(joined(encodedUpdateBody(encoded(scored(), risk))).toString(), JSON.stringify(updateBody(dfp)));
      // A NaN zscore (written as null) changes nothing either.
      const nan = scored({ zscore: Number.NaN, anomaly_score: Number.NaN });
      assert.equal(joined(encodedUpdateBody(encoded(nan, risk))).toString(), JSON.stringify(updateBody({ ...nan, ...risk })));
    });

    for (const keyFields of KEY_FIELDS) {
      it(`scores mode, key fields ${JSON.stringify(keyFields)}, user risk ${JSON.stringify(risk ?? 'absent')}: the document's bytes`, () => {
        for (const sourceName of [undefined, 'src-\u00fc']) {
          const opts = { keyFields, namespace: 'ns1', ...(sourceName ? { sourceName } : {}) };
          const hit: Omit<ScoredHit, 'dfp'> = { index: '.ds-logs-x-1', id: 'id"1', time: '2026-04-22T10:00:00.000Z', event: EVENT };
          const want = JSON.stringify(scoresDocument({ ...hit, dfp: { ...scored(), ...risk } }, opts));
          assert.equal(joined(encodedScoresBody({ ...hit, json: encoded(scored(), risk) }, opts)).toString(), want);
        }
      });
    }
  }
});

describe('scores documents from a serialised dfp: the head written out from its plans', () => {
  // encodedScoresBody writes the key fields from a plan per set of fields present: the key order
  // of nested objects depends on which fields an event has (a parent is made by its first present
  // child), and every event of a sink shares its plans.
  const EVENTS: Record<string, unknown>[] = [
    { a: { x: 1, z: 'z\u00e9' }, b: { y: [1, { q: null }] }, event: { id: 7 } },
    { a: { z: 'only z' }, b: { y: true } },
    { 'a.z': 'dotted', b: { y: { deep: { er: 'é' } } }, 'event.id': 'e' },
    { b: { y: 'b first' }, a: { x: 0 } },
    { a: { x: null, z: undefined }, b: {} },
    {},
    { a: 'not an object', 'b.y': -0, 'c.d.e': '\ud800', event: { id: null } },
    { c: { d: { e: 1.5e300 } }, a: { x: Number.NaN } },
  ];
  for (const keyFields of [['a.x', 'b.y', 'a.z'], ['a.x', 'a.x', 'c.d.e', 'b.y', 'a.z', 'b.y'], ['c.d.e'], ['a.x', 'a.xy', 'ab.x']]) {
    it(`key fields ${JSON.stringify(keyFields)}: the same bytes as JSON.stringify, event after event`, () => {
      const opts = { keyFields, namespace: 'ns1', sourceName: 's' };
      for (const risk of RISKS) {
        for (const event of EVENTS) {
          const hit: Omit<ScoredHit, 'dfp'> = { index: 'ix', id: 'd\u00fc', time: '2026-04-22T10:00:00.000Z', event };
          for (const dfp of [scored(), scored({ zscore: Number.NaN }), scored({ zscore: undefined, threshold: undefined })]) {
            const want = JSON.stringify(scoresDocument({ ...hit, dfp: { ...dfp, ...risk } }, opts));
            assert.equal(joined(encodedScoresBody({ ...hit, json: encoded(dfp, risk) }, opts)).toString(), want, JSON.stringify(event));
          }
        }
      }
    });
  }
});

describe('what the sink retains of an event', () => {
  it('makes the same scores document as the whole event, and nothing in place', () => {
    const event = { ...EVENT, ['__proto__']: 'own' } as Record<string, unknown>;
    Object.defineProperty(event, '__proto__', { value: { odd: true }, enumerable: true });
    for (const keyFields of [...KEY_FIELDS, ['__proto__.odd', 'user.name', 'constructor']]) {
      const sink = new EsSink({} as Client, { mode: 'scores', featureNames: [], keyFields, namespace: 'ns1' });
      const kept = sink.retain(event);
      const opts = { keyFields, namespace: 'ns1' };
      const hit = { index: 'i', id: 'd', time: '2026-04-22T10:00:00.000Z', dfp: scored() };
      assert.equal(JSON.stringify(scoresDocument({ ...hit, event: kept }, opts)), JSON.stringify(scoresDocument({ ...hit, event }, opts)), JSON.stringify(keyFields));
      assert.ok(Object.keys(kept).length <= keyFields.length + 1, 'only the paths it reads');
    }
    assert.deepEqual(new EsSink({} as Client, { mode: 'in_place', featureNames: [] }).retain(EVENT), {});
  });
});

describe('the bulk arena', () => {
  it("gives each write its bytes, a batch's in one span, and copies where a batch outgrew the buffer", () => {
    const arena = new BulkArena(64);
    const parts: (string | Uint8Array)[][] = [['{"a":1}', '\n'], ['é', Buffer.from([1, 2, 3]), '\ud83d\ude00\n'], ['x'.repeat(10), '\n']];
    const views = parts.map((p) => arena.write(p));
    views.forEach((v, i) => assert.deepEqual(v, joined(parts[i])));
    const span = body(views);
    assert.deepEqual(span, Buffer.concat(views));
    assert.equal(span.buffer, views[0].buffer, 'no copy: the views lie one after the other');
    // A write larger than what is left: a new buffer, the earlier views intact; the request's body a copy.
    const big = arena.write(['y'.repeat(200), '\n']);
    assert.equal(big.toString(), `${'y'.repeat(200)}\n`);
    views.forEach((v, i) => assert.deepEqual(v, joined(parts[i])));
    assert.deepEqual(body([...views, big]), Buffer.concat([...views, big]));
    // Reset: the buffer is written from its start again.
    arena.reset();
    const again = arena.write(['z']);
    assert.equal(again.toString(), 'z');
    assert.ok(again.buffer === big.buffer && again.byteOffset === big.byteOffset, 'where the biggest write began');
  });
});
