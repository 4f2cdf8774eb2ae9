// The user's history in words: the shared phrase, the app's explanation and the CLI's report.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { historyText } from '../common/history_text';
import { explainEvent, seenVsExpected, topFeatureSummary } from '../public/logic/explanation';
import { whyText } from '../scripts/cli/report';
import { event } from './app_fixtures';

describe('history text', () => {
  it('says how often the user had the value and what they usually have', () => {
    assert.equal(historyText(0, [['NL', 0.97], ['DE', 0.02]]), 'never seen before (usually NL 97%, DE 2%)');
    assert.equal(historyText(1, [['Teams', 0.8]]), 'once in the window (usually Teams 80%)');
    assert.equal(historyText(3, [['Teams', 0.8]]), '3 times in the window (usually Teams 80%)');
    assert.equal(historyText(3, [['Teams', 0.996], ['x', 0.004]]), '3 times in the window (usually Teams 100%, x <1%)');
    assert.equal(historyText(12, []), '12 times in the window', 'a user whose values were all missing has no usual value');
    assert.equal(historyText(undefined, [['NL', 0.5]]), 'usually NL 50%', 'a lumped rare value: the count cannot say');
    assert.equal(historyText(undefined, undefined), undefined);
    assert.equal(historyText(undefined, []), undefined);
  });
});

describe('explanation with the user\'s history', () => {
  const withHistory = () =>
    event({
      top_features: ['country', 'app', 'hour'],
      features: {
        country: { z: 6.2, pred: 'NL', value: 'TR', seen: 0, usual: [['NL', 0.97], ['DE', 0.02]] },
        app: { z: 4.1, pred: 'Teams', value: 'Outlook', seen: 3, usual: [['Teams', 0.8]] },
        hour: { z: 3, pred: 14, value: 2 },
        os: { z: 0.2, pred: 'Windows', value: 'Windows' },
      },
    });

  it('says top categorical features in the user\'s terms, others as the model expected', () => {
    const rows = explainEvent(withHistory(), 'UTC');
    assert.deepEqual(rows.map((r) => [r.feature, r.history]), [
      ['country', 'never seen before (usually NL 97%, DE 2%)'],
      ['app', '3 times in the window (usually Teams 80%)'],
      ['hour', undefined],
      ['os', undefined],
    ]);
    assert.equal(seenVsExpected(rows[0]), 'TR — never seen before (usually NL 97%, DE 2%)');
    assert.equal(seenVsExpected(rows[2]), '02:00 UTC (expected 14:00)');
    assert.equal(
      topFeatureSummary(withHistory(), Infinity, 'UTC'),
      'country: TR — never seen before (usually NL 97%, DE 2%); app: Outlook — 3 times in the window (usually Teams 80%); hour: 02:00 UTC (expected 14:00)',
    );
    assert.equal(topFeatureSummary(withHistory(), 12).split('; ')[0], 'country: TR — never seen …');
  });

  it('falls back to the model\'s expectation for events without history (older models)', () => {
    const rows = explainEvent(event());
    assert.ok(rows.every((r) => r.history === undefined));
    assert.equal(topFeatureSummary(event(), Infinity, 'UTC'), 'hour: 02:00 UTC (expected 14:00); risk_level: high (expected none)');
  });
});

describe('CLI report', () => {
  it('says a top feature in the user\'s terms where the model keeps their history', () => {
    assert.equal(whyText({ feature: 'app', seen: 'Outlook', expected: 'Teams', history: { seen: 3, usual: [['Teams', 0.8]] } }), 'app = Outlook — 3 times in the window (usually Teams 80%)');
    assert.equal(whyText({ feature: 'country', seen: 'TR', expected: 'NL', history: { seen: 0, usual: [['NL', 0.97]] } }), 'country = TR — never seen before (usually NL 97%)');
    assert.equal(whyText({ feature: 'logcount', seen: 40, expected: 3.2 }), 'logcount = 40 (3.2)');
  });
});
