// Priorities at a glance and why, in words (issue 17 parts 3 and 4): the 0–100 risk and its levels
// against the user-risk threshold, the trend, the sentence built from a worst event's history, and
// hours on the clock of the zone the tables use.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { riskBand, riskLevel, riskScore100, riskTrend } from '../common/risk_level';
import { countryName, utcHourIn, whyContext, whySentence, zoneName, type WhyEvidence } from '../common/why';
import { explainEvent } from '../public/logic/explanation';
import { cellRange, swimlaneBands, swimlanePoints, trendText } from '../public/logic/priorities';
import type { SwimlaneResponse } from '../common/api';

describe('risk on 0–100 with Elastic’s levels', () => {
  it('maps the user-risk threshold to 90, the start of critical, and stays under 100', () => {
    assert.equal(riskScore100(10, 10), 90);
    assert.equal(riskScore100(5, 10), 45);
    assert.equal(riskScore100(0, 10), 0);
    assert.equal(riskScore100(-3, 10), 0);
    assert.equal(riskScore100(20, 10), 95, 'one more threshold of risk: halfway from 90 to 100');
    assert.ok(riskScore100(1e6, 10) <= 100 && riskScore100(1e6, 10) > 99.9);
    assert.equal(riskScore100(Infinity, 10), 100);
    assert.throws(() => riskScore100(1, 0), /threshold must be a positive number, got 0/);
    // Relative to the threshold in force: the same risk is critical at 10 and moderate at 20.
    assert.equal(riskLevel(12, 10).band, 'critical');
    assert.equal(riskLevel(12, 20).band, 'moderate');
  });

  it('bands at Elastic’s limits: low < 40 ≤ moderate < 70 ≤ high < 90 ≤ critical', () => {
    assert.deepEqual([0, 19.9, 39.9, 40, 69.9, 70, 89.9, 90, 100].map(riskBand), ['low', 'low', 'low', 'moderate', 'moderate', 'high', 'high', 'critical', 'critical']);
  });

  it('never rounds a user across the threshold, and marks those near it', () => {
    assert.deepEqual(riskLevel(9.99, 10), { score: 89, band: 'high', near: true }, '89.9 is not yet flagged: 89, not 90');
    assert.deepEqual(riskLevel(10, 10), { score: 90, band: 'critical', near: false });
    assert.deepEqual(riskLevel(8, 10), { score: 72, band: 'high', near: true }, '80 % of the threshold is near it');
    assert.deepEqual(riskLevel(7.9, 10), { score: 71, band: 'high', near: false });
  });

  it('trends against the previous period: up, down, same within 5 points, new without events then', () => {
    assert.equal(riskTrend(80, 40), 'up');
    assert.equal(riskTrend(40, 80), 'down');
    assert.equal(riskTrend(42, 40), 'same');
    assert.equal(riskTrend(42, null), 'new');
    assert.equal(trendText({ trend: 'up', previousUserRisk: 5 }, 10), '▲ from 45');
    assert.equal(trendText({ trend: 'new', previousUserRisk: null }, 10), 'new');
  });
});

/** A compromised sign-in as the scores carry it: a new country, a new network, at night. */
function evidence(over: Partial<WhyEvidence> = {}): WhyEvidence {
  return {
    time: '2026-07-14T21:48:00.000Z',
    zscore: 12.3,
    features: [
      { name: 'country', value: 'TR', expected: 'NL', z: 9.1, seen: 0, usual: [['NL', 0.97], ['DE', 0.02]] },
      { name: 'asn', value: '9121', expected: '1136', z: 7.2, seen: 0, usual: [['1136', 0.8]] },
      { name: 'hour', value: '21', expected: '19', z: 3.1, seen: 2, usual: [['19', 0.4], ['08', 0.3]] },
    ],
    context: { ip: '78.180.12.9', asNumber: '9121', asName: 'Turk Telekom', userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/131.0' },
    ...over,
  };
}

describe('why, in words', () => {
  it('names the unusual value, that it was never seen, and what the user usually does with its share', () => {
    const text = whySentence(evidence(), { timeZone: 'UTC' });
    // The country's English name as ICU has it ("Türkiye" in current CLDR, "Turkey" before).
    assert.equal(
      text,
      `From ${countryName('TR')} — never seen before (usually Netherlands 97%, Germany 2%); via network AS 9121 (Turk Telekom) — never seen before (usually AS 1136 80%); at 21:48 — 2 times in the window (usually 19:00 40%, 08:00 30%) — times in UTC`,
    );
    assert.match(countryName('TR'), /^T(urkey|ürkiye)$/);
    assert.equal(whyContext(evidence()), 'IP 78.180.12.9 · AS 9121 Turk Telekom · Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/131.0');
  });

  it('gives hours on the clock of the zone the tables use, and names that zone', () => {
    // 21:48 UTC in July is 17:48 in New York (EDT): never "hour 21 (expected 19)".
    const text = whySentence(evidence(), { timeZone: 'America/New_York' });
    assert.match(text, /at 17:48 — 2 times in the window \(usually 15:00 40%, 04:00 30%\) — times in America\/New_York$/);
    assert.equal(utcHourIn('19', Date.parse('2026-01-14T12:00:00Z'), 'America/New_York'), '14:00', 'winter: EST, 5 hours behind');
    assert.equal(utcHourIn('19', Date.parse('2026-01-14T12:00:00Z'), 'Asia/Kolkata'), '00:30', 'half-hour zones keep their minutes');
    assert.equal(utcHourIn('n/a', 0, 'UTC'), 'n/a', 'not an hour: as it came');
    assert.equal(zoneName('UTC'), 'UTC');
  });

  it('says what the model expected where the model keeps no history, and reads volume as counts', () => {
    const generic = evidence({
      features: [
        { name: 'city', value: 'Phoenix', expected: 'Edinburgh', z: 4 },
        { name: 'hourcount', value: Math.log1p(8), expected: Math.log1p(2), z: 3 },
        { name: 'os', value: null, expected: 'Windows 10', z: 2, seen: 0, usual: [['Windows 10', 0.6]] },
      ],
      context: {},
    });
    assert.equal(whySentence(generic, { timeZone: 'UTC' }), 'From Phoenix (expected Edinburgh); 8 events in the hour before (usually about 2); without os — never seen before (usually Windows 10 60%)');
    assert.equal(whyContext(generic), '');
    assert.equal(whySentence(evidence({ features: [] })), '');
  });

  it('names an ASN only where the event says whose it is, and a country by its name', () => {
    const other = evidence({ context: { asNumber: '1136', asName: 'KPN' } });
    assert.match(whySentence(other, { timeZone: 'UTC' }), /via network AS 9121 — never seen before \(usually AS 1136 \(KPN\) 80%\)/);
    const named = evidence({ asNames: [['1136', 'KPN B.V.']] });
    assert.match(whySentence(named, { timeZone: 'UTC' }), /via network AS 9121 \(Turk Telekom\) — never seen before \(usually AS 1136 \(KPN B\.V\.\) 80%\)/, 'usual networks by the names other events give them');
    assert.equal(countryName('NL'), 'Netherlands');
    assert.equal(countryName('Netherlands'), 'Netherlands', 'a name (Okta) stays');
  });

  it('the explanation table shows the hour as the tables show times, labelled', () => {
    const rows = explainEvent({ time: '2026-07-14T21:48:00.000Z', dfp: { user: 'u', scored_at: '', top_features: ['hour'], features: { hour: { z: 3.1, pred: '19', value: '21', seen: 2, usual: [['19', 0.4]] } } } }, 'America/New_York');
    assert.deepEqual({ seen: rows[0].seen, expected: rows[0].expected, history: rows[0].history }, { seen: '17:00 America/New_York', expected: '15:00', history: '2 times in the window (usually 15:00 40%)' });
  });
});

describe('swimlane cells', () => {
  const res: SwimlaneResponse = {
    range: { from: '2026-10-11T00:30:00.000Z', to: '2026-10-11T04:00:00.000Z' },
    threshold: 8,
    userRiskThreshold: 10,
    interval: '1h',
    intervalMs: 3_600_000,
    buckets: ['2026-10-11T00:00:00.000Z', '2026-10-11T01:00:00.000Z', '2026-10-11T02:00:00.000Z', '2026-10-11T03:00:00.000Z'],
    users: [{ user: 'u1', userRisk: 12, risk: riskLevel(12, 10), cells: [{ score: 45, userRisk: 5, maxZscore: 7.99, events: 2 }, null, null, { score: 93, userRisk: 12, maxZscore: 11, events: 4 }] }],
  };

  it('draws the cells with events, coloured by Elastic’s levels, and opens the bucket clipped to the range', () => {
    const points = swimlanePoints(res);
    assert.deepEqual(points.map((p) => [p.time, p.user, p.score]), [[Date.parse('2026-10-11T00:00:00Z'), 'u1', 45], [Date.parse('2026-10-11T03:00:00Z'), 'u1', 93]]);
    assert.equal(points[0].tooltip, '2 events, highest z 7.99, user risk 5.00');
    assert.deepEqual(cellRange(res, points[0].time), { from: '2026-10-11T00:30:00.000Z', to: '2026-10-11T01:00:00.000Z' });
    assert.deepEqual(swimlaneBands().map((b) => [b.label, b.start]), [['Low', 0], ['Moderate', 40], ['High', 70], ['Critical', 90]]);
  });
});
