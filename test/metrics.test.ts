import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qualityReport, ranksByTwoKeys, rocAuc } from '../server/engine/eval/metrics';

test('ROC AUC: perfect, inverted, ties and hand-computed cases', () => {
  assert.equal(rocAuc([0.1, 0.2, 0.9, 0.8], [false, false, true, true]), 1);
  assert.equal(rocAuc([0.9, 0.8, 0.1, 0.2], [false, false, true, true]), 0);
  assert.equal(rocAuc([1, 1, 1, 1], [false, true, false, true]), 0.5);
  // positives 0.5, 0.9; negatives 0.1, 0.6, 0.7: pairs won = 0.5>0.1, 0.9>all three → 4 of 6.
  assert.ok(Math.abs(rocAuc([0.5, 0.9, 0.1, 0.6, 0.7], [true, true, false, false, false]) - 4 / 6) < 1e-12);
  assert.ok(Number.isNaN(rocAuc([1, 2], [true, true])));
});

test('quality report: users by their worst event, flags by user', () => {
  const r = qualityReport(
    [
      { user: 'a', score: 9, flagged: true, attack: true },
      { user: 'a', score: 1, flagged: false, attack: false },
      { user: 'b', score: 5, flagged: true, attack: false },
      { user: 'c', score: 2, flagged: false, attack: false },
    ],
    new Set(['a']),
  );
  assert.equal(r.eventAuc, 1);
  assert.equal(r.userAuc, 1);
  assert.equal(r.flagPrecision, 0.5);
  assert.equal(r.flagRecall, 1);
  assert.equal(r.innocentUsersFlagged, 0.5);
  assert.equal(r.compromisedUsersFlagged, 1);
});

test('quality report: users by their highest user risk and flagged by dfp.user_flagged, when the output has them', () => {
  const r = qualityReport(
    [
      // a: one big outlier, little risk; b: several moderate events that add up; c: quiet.
      { user: 'a', score: 9, flagged: true, attack: false, userRisk: 2, userFlagged: false },
      { user: 'b', score: 5, flagged: false, attack: true, userRisk: 4, userFlagged: false },
      { user: 'b', score: 6, flagged: false, attack: true, userRisk: 8, userFlagged: true },
      { user: 'c', score: 1, flagged: false, attack: false, userRisk: 0, userFlagged: false },
    ],
    new Set(['b']),
  );
  assert.equal(r.userRanking, 'user_risk');
  assert.equal(r.userAuc, 1, 'b has the most risk');
  assert.equal(r.userAucByZscore, 0.5, 'by max z, b ranks between a and c');
  assert.equal(r.compromisedUsersFlagged, 1);
  assert.equal(r.innocentUsersFlagged, 0, 'a has a flagged event but is not flagged by risk');
  assert.equal(r.innocentUsersWithFlaggedEvent, 0.5);
  assert.equal(r.compromisedUsersWithFlaggedEvent, 0);
  assert.equal(r.eventAuc, 0.5, 'events stay ranked by z: the attack events 5 and 6 beat 1, not 9');
});

test('quality report: users with the same risk (most have none) are ranked by their highest z-score', () => {
  const r = qualityReport(
    [
      { user: 'quiet-attacker', score: 5, flagged: false, attack: true, userRisk: 0, userFlagged: false },
      { user: 'quiet', score: 1, flagged: false, attack: false, userRisk: 0, userFlagged: false },
      { user: 'calm', score: 2, flagged: false, attack: false, userRisk: 0, userFlagged: false },
      { user: 'risky', score: 9, flagged: true, attack: false, userRisk: 12, userFlagged: true },
    ],
    new Set(['quiet-attacker']),
  );
  // Tied at risk 0 with two innocents, the attacker's z 5 ranks above both; only 'risky' is above it.
  assert.equal(r.userAuc, 2 / 3);
  assert.deepEqual(ranksByTwoKeys([0, 0, 0, 12, 0], [5, 1, 2, 9, 5]), [3, 1, 2, 4, 3]);
});

test('quality report: an output without user risk ranks and flags users by their events', () => {
  const r = qualityReport([{ user: 'a', score: 9, flagged: true, attack: true }, { user: 'b', score: 1, flagged: false, attack: false }], new Set(['a']));
  assert.equal(r.userRanking, 'zscore');
  assert.equal(r.userAuc, r.userAucByZscore);
  assert.equal(r.compromisedUsersFlagged, 1);
});
