import { test } from 'node:test';
import assert from 'node:assert/strict';
import { historyEvidence, RARITY_PSEUDO_COUNT, VOLUME_Z_PER_NAT } from '../server/engine/score/history_evidence';
import type { Encoding } from '../server/engine/features/encoding';
import type { UserHistory } from '../server/engine/model/history';

// One categorical column (country) and one volume column (hourcount, log1p units).
const encoding: Encoding = {
  columns: [
    { name: 'country', kind: 'categorical', vocab: ['_null', '_other', 'NL', 'DE', 'BE'] },
    { name: 'hourcount', kind: 'numeric', mean: 1, std: 0.5 },
  ],
};

function history(counts: number[], otherValues: number, volumeHigh: number | null = Math.log1p(6)): UserHistory {
  const rows = counts.reduce((a, b) => a + b, 0);
  const none = counts.map(() => null);
  return { rows, hours: new Array(24).fill(0), columns: [{ counts, first: none, last: none, otherValues }, null], volumeHigh: [null, volumeHigh] };
}

test('rarity: a value never seen outweighs one seen once, which outweighs the usual one; the usual one is no evidence', () => {
  // 97 NL, 2 DE, 1 BE, nothing lumped: a value never seen falls in _other with count 0.
  const ev = historyEvidence({ encoding, history: history([0, 0, 97, 2, 1], 0) })!;
  const z = ev.slotZ[0]!;
  const [, never, nl, de, be] = z;
  assert.equal(nl, 0, 'the usual value');
  assert.ok(never > be && be > de && de > 0, `never ${never} > once ${be} > twice ${de} > 0`);
  // By the formula: surprise −ln((n + a)/(N + a(K + 1))) against the rows' own (counted out) mean.
  const a = RARITY_PSEUDO_COUNT;
  const denominator = 100 + a * 4;
  assert.ok(Math.abs(never - be - Math.log((1 + a) / a)) < 1e-9, 'never vs once differ by ln((1 + a)/a) (same spread)');
  assert.ok(never > 3, `a new country for a user who is always in NL is strong evidence: ${never}`);
  assert.ok(-Math.log(a / denominator) > never, 'the spread floor (1 nat) caps nothing here: z < raw surprise');
});

test('rarity: for a user with many values, a new one is weak evidence', () => {
  // 20 countries (5 kept + 15 lumped): new values are this user's normal.
  const varied = historyEvidence({ encoding, history: history([0, 60, 10, 10, 10], 15) })!.slotZ[0]!;
  const steady = historyEvidence({ encoding, history: history([0, 0, 97, 2, 1], 0) })!.slotZ[0]!;
  assert.ok(varied[1] < steady[1] / 2, `varied user's unseen ${varied[1]} vs steady user's ${steady[1]}`);
});

test('rarity, training side: each row counted out of its own count (a value seen once is new to the next event)', () => {
  const scoring = historyEvidence({ encoding, history: history([0, 0, 97, 2, 1], 0) })!.slotZ[0]!;
  const training = historyEvidence({ encoding, history: history([0, 0, 97, 2, 1], 0) }, true)!.slotZ[0]!;
  // (one row fewer in the window too: equal but for ln(104/103))
  assert.ok(Math.abs(training[4] - scoring[1]) < 0.01, `BE (once) counted out = never seen: ${training[4]} vs ${scoring[1]}`);
  assert.ok(training[3] > scoring[3], 'DE (twice) counted out weighs more');
});

test('volume: z of 3 per doubling past the user\'s own high, none at or below it', () => {
  const ev = historyEvidence({ encoding, history: history([0, 0, 1, 0, 0], 0, 2) })!;
  const v = ev.volume[1]!;
  const zOf = (raw: number): number => Math.max(0, (raw - 1) / 0.5 - v.high) * v.perUnit;
  assert.equal(zOf(2), 0);
  assert.equal(zOf(1), 0);
  assert.ok(Math.abs(zOf(2 + Math.LN2) - 3) < 1e-9);
  assert.ok(Math.abs(zOf(2 + 2 * Math.LN2) - 6) < 1e-9, 'two doublings: 6');
  assert.ok(Math.abs(VOLUME_Z_PER_NAT * Math.LN2 - 3) < 1e-12);
});

test('no history (the generic model, models made before it): no evidence tables', () => {
  assert.equal(historyEvidence({ encoding }), null);
  assert.equal(historyEvidence({ encoding, history: { rows: 0, hours: [], columns: [] } }), null);
  // A history whose counts do not fit the vocabulary (a damaged model) gives that column nothing.
  const bad = historyEvidence({ encoding, history: history([1, 2], 0) })!;
  assert.equal(bad.slotZ[0], null);
});
