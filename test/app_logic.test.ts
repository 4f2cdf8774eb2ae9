// The browser app's logic (public/logic/*, the API client, the in-memory history) and its data
// components rendered with real React and EUI (server-side rendering: no DOM needed), against
// answers shaped as the API gives them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { EuiProvider } from '@elastic/eui';
import type { DfpSettings, FingerprintResponse, OverviewResponse, ScoredEventDoc, UsersResponse } from '../common/api';
import type { JobRun } from '../common/jobs';
import type { ModelVersionInfo } from '../common/models';
import { formatCount, formatDuration, formatFeatureValue, formatNumber, formatShare, formatTime, formatZ, plural } from '../public/logic/format';
import { buildUrl, parseQuery, parseRoute, routePath } from '../public/logic/routes';
import { defaultRange, LAST_24H, rangeEndingAt } from '../public/logic/range';
import { lossSeries, overTimeSeries, sparklinePoints, tsTimeline, zDomainMax, zscoreTimeline } from '../public/logic/series';
import { categoryBars, categoryRows, featureShift, numericRanges, shiftLabel, sortFeaturesByShift, summaryLine } from '../public/logic/fingerprint';
import { explainEvent, seenVsExpected, topFeatureSummary } from '../public/logic/explanation';
import { fieldErrors, toAppError } from '../public/logic/errors';
import { describeChanges, formFromSettings, isValidCron, newSourceForm, settingsFromForm, settingsPatch, validateSettingsForm } from '../public/logic/settings_form';
import { discoverPath, esqlString, rison, scoredIndexOf, splitDocRef } from '../public/logic/discover';
import { apiSortOf, jobItems, splitJobs, tablePagination, userRows, versionRows } from '../public/logic/table_items';
import { DfpApi, type HttpClient } from '../public/api';
import { memoryHistory } from '../public/memory_history';
import { AppContext, type AppServices } from '../public/app_context';
import { KpiStats } from '../public/components/KpiStats';
import { UsersTable } from '../public/components/UsersTable';
import { EventExplanation } from '../public/components/EventExplanation';
import { FeaturePanel } from '../public/components/FeaturePanel';
import { ModelPanel } from '../public/components/ModelPanel';
import { JobHistoryTable } from '../public/components/JobHistoryTable';
import { RunningJobs } from '../public/components/RunningJobs';
import { ModelVersionsTable } from '../public/components/ModelVersionsTable';
import { SourceEditor } from '../public/components/SourceEditor';

// ---- fixtures shaped as the API answers -------------------------------------------------------

const SETTINGS: DfpSettings = {
  zscoreThreshold: 8,
  tsThreshold: 8,
  minHistory: 300,
  schedules: { train: '0 2 * * *', score: '*/5 * * * *' },
  sources: [{ id: 'azure', profile: 'azure-signin', timeField: '@timestamp', writeMode: 'scores', namespace: 'default', settleSeconds: 300, initialLookbackHours: 24 }],
};

function event(over: Partial<ScoredEventDoc['dfp']> = {}, time = '2026-10-02T22:50:57.230Z', doc = 'logs-dfp.scores-default/abc'): ScoredEventDoc {
  return {
    doc,
    time,
    user: 'u1',
    dfp: {
      user: 'u1',
      zscore: 11.66,
      anomaly_score: 1.3,
      max_abs_z: 4.9,
      top_features: ['hour', 'risk_level'],
      features: {
        hour: { z: 4.91, pred: '14', value: '02' },
        risk_level: { z: 4.29, pred: 'none', value: 'high' },
        app: { z: 0, pred: 'Outlook', value: 'Outlook' },
        logcount: { z: 1.03, pred: 2.39, value: 2.4 },
      },
      model: { version: '3', generic: false, trained_at: '2026-11-01T00:00:00.000Z' },
      ts_anomaly: false,
      ts_zscore: 2.87,
      scored_at: '2026-11-23T11:52:47.892Z',
      ...over,
    },
  };
}

const OVERVIEW: OverviewResponse = {
  range: { from: '2026-10-01T00:00:00.000Z', to: '2026-10-02T00:00:00.000Z' },
  threshold: 8,
  totals: { events: 9973, scored: 9970, errors: 3, flagged: 19, tsFlagged: 138, users: 118, flaggedUsers: 5 },
  overTime: [
    { time: '2026-10-01T00:00:00.000Z', events: 100, flagged: 2 },
    { time: 'garbage', events: 1, flagged: 0 },
    { time: '2026-10-01T12:00:00.000Z', events: 50, flagged: 0 },
  ],
  interval: '12h',
};

const USERS: UsersResponse = {
  range: OVERVIEW.range,
  threshold: 8,
  total: 118,
  page: 2,
  perPage: 25,
  users: [
    { user: '77a5-uuid', label: 'mateo.rodriguez', events: 86, flagged: 7, maxZscore: 11.6593, lastSeen: '2026-10-05T11:24:59.043Z', sparkline: [null, 2.3, 11.66, null], topFeatures: ['hour', 'risk_level'], generic: false },
    { user: 'bob', events: 10, flagged: 0, maxZscore: 3.1, lastSeen: '2026-10-05T11:24:59.043Z', sparkline: [1, null], topFeatures: [], generic: true },
  ],
};

function version(v: number, active: boolean): ModelVersionInfo {
  return { version: v, active, trainedAt: '2026-11-01T00:00:00.000Z', backend: 'wasm', rows: 187, trainingStart: '2026-09-01T00:00:00.000Z', trainingEnd: '2026-09-28T00:00:00.000Z', epochs: 30, finalLoss: 0.21, checksum: 'x', generic: false, bytes: 1000 };
}

function run(over: Partial<JobRun>): JobRun {
  return { id: 'r1', type: 'train', source: 'azure', holder: 'kibana-1', status: 'succeeded', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:02:05.000Z', progress: { phase: 'training', done: 5, total: 20 }, counts: { users_trained: 5, rows: 1200 }, errors: [], ...over };
}

// ---- formatting --------------------------------------------------------------------------------

describe('format', () => {
  it('writes z-scores, counts, shares and numbers the same way everywhere', () => {
    assert.equal(formatZ(11.6593), '11.66');
    assert.equal(formatZ(123.4), '123');
    assert.equal(formatZ(undefined), '—');
    assert.equal(formatZ(Number.POSITIVE_INFINITY), '∞');
    assert.equal(formatCount(9973), '9,973');
    assert.equal(formatShare(0.456), '46%');
    assert.equal(formatShare(0.054), '5.4%');
    assert.equal(formatShare(0.05), '5%');
    assert.equal(formatShare(0.0004), '<0.1%');
    assert.equal(formatShare(0), '0%');
    assert.equal(formatNumber(2.390234), '2.39');
    assert.equal(formatNumber(12345.6), '12,346');
    assert.equal(plural(1, 'event'), '1 event');
    assert.equal(plural(2000, 'event'), '2,000 events');
  });

  it('writes durations in their two coarsest units', () => {
    assert.equal(formatDuration(350), '350 ms');
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
    assert.equal(formatDuration(3_900_000), '1 h 5 min');
    assert.equal(formatDuration(3 * 86_400_000 + 2 * 3_600_000), '3 d 2 h');
    assert.equal(formatDuration(-1), '—');
  });

  it('writes times in the zone asked for, and leaves what is not a time as it came', () => {
    assert.equal(formatTime('2026-10-02T22:50:57.230Z', 'UTC'), '2026-10-02 22:50:57');
    assert.equal(formatTime('2026-10-02T22:50:57.230Z', 'Asia/Tokyo'), '2026-10-03 07:50:57');
    assert.equal(formatTime('not a date'), 'not a date');
    assert.equal(formatTime(null), '—');
  });

  it("names the encoder's reserved values and booleans in words", () => {
    assert.equal(formatFeatureValue('_null'), '(none)');
    assert.equal(formatFeatureValue(null), '(none)');
    assert.equal(formatFeatureValue('_other'), '(a rare value)');
    assert.equal(formatFeatureValue(true), 'yes');
    assert.equal(formatFeatureValue(2.3999), '2.4');
    assert.equal(formatFeatureValue('Windows 10'), 'Windows 10');
  });
});

// ---- routing and range -------------------------------------------------------------------------

describe('routes', () => {
  it('maps paths to pages and back, user keys with any character in one segment', () => {
    for (const user of ['alice', 'alice@corp.example', 'CORP\\bob smith', 'a/b?c#d']) {
      const path = routePath({ page: 'user', user });
      assert.equal(path.split('/').length, 3, path);
      assert.deepEqual(parseRoute(path), { page: 'user', user });
    }
    assert.deepEqual(parseRoute('/models'), { page: 'models' });
    assert.deepEqual(parseRoute('/settings/'), { page: 'settings' });
    assert.deepEqual(parseRoute('/'), { page: 'overview' });
    assert.deepEqual(parseRoute('/nonsense/deep/path'), { page: 'overview' });
    assert.deepEqual(parseRoute('/users/%E0%A4%A'), { page: 'overview' }, 'a broken escape is not a crash');
  });

  it('keeps source and range in the query string, nothing else', () => {
    const url = buildUrl({ page: 'user', user: 'a b' }, { source: 'azure', from: 'now-7d', to: 'now' });
    assert.equal(url, '/users/a%20b?source=azure&from=now-7d&to=now');
    assert.deepEqual(parseQuery('?source=azure&from=now-7d&to=now&theme=dark'), { source: 'azure', from: 'now-7d', to: 'now' });
    assert.equal(buildUrl({ page: 'jobs' }, {}), '/jobs');
  });
});

describe('range', () => {
  const now = Date.parse('2026-11-23T14:00:00.000Z');
  it('opens on the last 24 hours while data is fresh or unknown', () => {
    assert.deepEqual(defaultRange(['2026-11-23T13:00:00.000Z'], now), LAST_24H);
    assert.deepEqual(defaultRange([null], now), LAST_24H);
    assert.deepEqual(defaultRange([], now), LAST_24H);
  });

  it('opens on the week up to the newest event when the data is older than a day', () => {
    const r = defaultRange(['2026-10-05T23:57:55.468Z', '2026-10-04T00:00:00.000Z'], now);
    assert.equal(r.to, '2026-10-05T23:59:00.000Z', 'a minute past the newest event, on the minute');
    assert.equal(Date.parse(r.to) - Date.parse(r.from), 7 * 86_400_000);
    assert.deepEqual(rangeEndingAt('2026-10-05T23:57:55.468Z', 1), { from: '2026-10-04T23:59:00.000Z', to: '2026-10-05T23:59:00.000Z' });
    assert.equal(rangeEndingAt('nope'), null);
  });
});

// ---- chart series ------------------------------------------------------------------------------

describe('series', () => {
  it('turns buckets into epoch points, dropping unparseable times', () => {
    assert.deepEqual(overTimeSeries(OVERVIEW), [
      { x: Date.parse('2026-10-01T00:00:00.000Z'), events: 100, flagged: 2 },
      { x: Date.parse('2026-10-01T12:00:00.000Z'), events: 50, flagged: 0 },
    ]);
  });

  it('keeps empty sparkline buckets as gaps, not zeros', () => {
    assert.deepEqual(sparklinePoints([null, 2.5, Number.NaN, 0]), [
      { x: 0, y: null },
      { x: 1, y: 2.5 },
      { x: 2, y: null },
      { x: 3, y: 0 },
    ]);
  });

  it('puts events on a timeline oldest first, judged against the threshold in force, unscored ones left out', () => {
    const events = [event({ zscore: 9 }, '2026-10-02T10:00:00.000Z'), event({ zscore: undefined, error: 'no user' }, '2026-10-02T09:00:00.000Z'), event({ zscore: 2 }, '2026-10-01T10:00:00.000Z')];
    const points = zscoreTimeline(events, 8);
    assert.deepEqual(points.map((p) => [p.y, p.flagged, p.i]), [
      [2, false, 2],
      [9, true, 0],
    ]);
    assert.deepEqual(tsTimeline(events, 2.5).map((p) => p.flagged), [true, true, true]);
    assert.equal(zDomainMax([3, 4], 8), 8.8, 'the threshold line stays in view');
    assert.equal(zDomainMax([20], 8), 22);
    assert.deepEqual(lossSeries([0.5, 0.3]), [
      { x: 1, y: 0.5 },
      { x: 2, y: 0.3 },
    ]);
  });
});

// ---- fingerprint -------------------------------------------------------------------------------

describe('fingerprint', () => {
  const cat = (top: [string, number][], nullShare = 0) => ({ name: 'os', kind: 'categorical' as const, rows: 100, nullShare, distinct: top.length, top: top.map(([value, share]) => ({ value, share })) });
  const num = (p50: number, std = 1) => ({ name: 'n', kind: 'numeric' as const, rows: 100, nullShare: 0, mean: p50, std, p5: p50 - 2, p50, p95: p50 + 2 });

  it('compares categorical values across both sides, marking values never seen in training', () => {
    const rows = categoryRows(cat([['Windows', 0.7], ['macOS', 0.3]]), cat([['Linux', 0.6], ['Windows', 0.3]], 0.1));
    assert.deepEqual(
      rows.map((r) => [r.value, r.training, r.recent, r.isNew]),
      [
        ['Windows', 0.7, 0.3, false],
        ['Linux', 0, 0.6, true],
        ['macOS', 0.3, 0, false],
        ['_null', 0, 0.1, true],
      ],
    );
    assert.equal(rows[3].label, '(none)');
    assert.deepEqual(categoryRows(cat([['a', 1]]), null).map((r) => r.recent), [null], 'no recent side: null, not zero');
    assert.equal(categoryBars(rows).length, 8);
    assert.equal(categoryRows(cat(Array.from({ length: 20 }, (_, i) => [`v${i}`, 0.05])), null, 5).length, 5);
  });

  it('measures how far recent behaviour moved from training', () => {
    assert.equal(featureShift({ kind: 'categorical', trained: cat([['a', 1]]), recent: cat([['a', 1]]) }), 0);
    assert.equal(featureShift({ kind: 'categorical', trained: cat([['a', 1]]), recent: cat([['b', 1]]) }), 1);
    assert.ok(Math.abs(featureShift({ kind: 'categorical', trained: cat([['a', 0.5], ['b', 0.5]]), recent: cat([['a', 1]]) })! - 0.5) < 1e-9);
    assert.equal(featureShift({ kind: 'numeric', trained: num(10, 2), recent: num(10, 2) }), 0);
    assert.equal(featureShift({ kind: 'numeric', trained: num(10, 2), recent: num(12, 2) }), 0.5);
    assert.equal(featureShift({ kind: 'numeric', trained: num(10, 2), recent: num(100, 2) }), 1, 'capped');
    const bin = (trueShare: number) => ({ name: 'b', kind: 'binary' as const, rows: 10, nullShare: 0, trueShare });
    assert.ok(Math.abs(featureShift({ kind: 'binary', trained: bin(0.9), recent: bin(0.2) })! - 0.7) < 1e-9);
    assert.equal(featureShift({ kind: 'numeric', trained: null, recent: num(1) }), null);
    assert.equal(shiftLabel(0.7).color, 'danger');
    assert.equal(shiftLabel(0.3).text, 'changed');
    assert.equal(shiftLabel(null).text, 'not comparable');
  });

  it('orders features by shift, the ones it cannot compare last', () => {
    const features = [
      { name: 'z', kind: 'numeric' as const, trained: null, recent: num(1) },
      { name: 'same', kind: 'numeric' as const, trained: num(1), recent: num(1) },
      { name: 'moved', kind: 'categorical' as const, trained: cat([['a', 1]]), recent: cat([['b', 1]]) },
    ];
    assert.deepEqual(sortFeaturesByShift(features).map((f) => f.name), ['moved', 'same', 'z']);
  });

  it('gives numeric ranges per side and one-line summaries', () => {
    assert.deepEqual(numericRanges(num(5), null), [{ side: 'training', p5: 3, p50: 5, p95: 7, mean: 5 }]);
    assert.equal(numericRanges({ ...num(5), nullShare: 1 }, null).length, 0);
    assert.equal(summaryLine(num(5)), 'median 5 (3–7)');
    assert.equal(summaryLine(cat([['Windows', 0.7], ['_null', 0.2]])), 'Windows 70%, (none) 20%');
    assert.equal(summaryLine(null), 'no data');
  });
});

// ---- explanation -------------------------------------------------------------------------------

describe('explanation', () => {
  it('lists every feature, largest z first, with value seen and value expected', () => {
    const rows = explainEvent(event());
    assert.deepEqual(rows.map((r) => r.feature), ['hour', 'risk_level', 'logcount', 'app']);
    assert.deepEqual(rows.map((r) => r.top), [true, true, false, false]);
    assert.deepEqual(rows.map((r) => r.differs), [true, true, false, false], 'numbers within 5% count as expected');
    assert.equal(seenVsExpected(rows[1]), 'high (expected none)');
    assert.equal(topFeatureSummary(event()), 'hour: 02 (expected 14); risk_level: high (expected none)');
    assert.equal(topFeatureSummary(event(), 3), 'hour: 02 (expected 14); risk_level: hi… (expected no…)');
  });

  it('shows binary features seen as 0/1 as yes/no, the same as their prediction', () => {
    const rows = explainEvent(event({ features: { weekend: { z: 0, pred: false, value: 0 }, interactive: { z: 1.5, pred: true, value: 0 } }, top_features: [] }));
    assert.deepEqual(rows.map((r) => [r.feature, r.seen, r.expected, r.differs]), [
      ['interactive', 'no', 'yes', true],
      ['weekend', 'no', 'no', false],
    ]);
  });

  it('says when the value seen was not recorded, and why an unscored event has no explanation', () => {
    const old = event({ features: { hour: { z: 5, pred: '14' } }, top_features: ['hour'] });
    assert.equal(explainEvent(old)[0].seen, '(not recorded)');
    assert.equal(explainEvent(old)[0].differs, false);
    assert.equal(topFeatureSummary(event({ features: undefined, top_features: undefined, zscore: undefined, error: 'no user field' })), 'not scored: no user field');
  });
});

// ---- errors ------------------------------------------------------------------------------------

describe('errors', () => {
  it("reads Kibana's fetch errors and the standalone page's alike", () => {
    assert.deepEqual(toAppError({ body: { statusCode: 403, error: 'Forbidden', message: 'needs dfp_manage' }, response: { status: 403 } }), { status: 403, message: 'needs dfp_manage' });
    assert.deepEqual(toAppError(Object.assign(new Error('Bad Gateway'), { response: { status: 502 } })), { status: 502, message: 'Bad Gateway' });
    assert.deepEqual(toAppError('boom'), { status: null, message: 'boom' });
    assert.deepEqual(toAppError(undefined), { status: null, message: 'the request failed' });
  });

  it('maps a 400 onto the fields it names', () => {
    const standalone = '[body.zscoreThreshold]: Too small: expected number to be >0; [body.sources.0.id]: lowercase letters, digits; [body]: Unrecognized key: "bogus"';
    assert.deepEqual(fieldErrors(standalone), { zscoreThreshold: 'Too small: expected number to be >0', 'sources.0.id': 'lowercase letters, digits', '': 'Unrecognized key: "bogus"' });
    assert.deepEqual(fieldErrors('[request body.schedules.train]: not a cron expression (e.g. "*/5 * * * *")'), { 'schedules.train': 'not a cron expression (e.g. "*/5 * * * *")' });
    assert.deepEqual(fieldErrors('[sources.0.profile]: unknown profile "nope"; expected one of: a, b'), { 'sources.0.profile': 'unknown profile "nope"; expected one of: a, b' });
    assert.deepEqual(fieldErrors('no brackets here'), {});
  });
});

// ---- settings form -----------------------------------------------------------------------------

describe('settings form', () => {
  it('accepts the settings in force unchanged and turns them back into the same settings', () => {
    const form = formFromSettings(SETTINGS);
    assert.deepEqual(validateSettingsForm(form), {});
    assert.deepEqual(settingsFromForm(form), SETTINGS);
    assert.deepEqual(settingsPatch(SETTINGS, settingsFromForm(form)), {});
    assert.deepEqual(describeChanges(SETTINGS, settingsFromForm(form)), []);
  });

  it('names each bad field by the path the server uses', () => {
    const form = formFromSettings(SETTINGS);
    const bad = {
      ...form,
      zscoreThreshold: '-1',
      tsThreshold: '8abc',
      minHistory: '2.5',
      train: 'nightly',
      sources: [form.sources[0], { ...form.sources[0], namespace: 'Bad-NS', profile: ' ' }, { ...newSourceForm(form.sources), id: 'Has Space', settleSeconds: '99999', initialLookbackHours: '0' }],
    };
    const errors = validateSettingsForm(bad);
    assert.deepEqual(Object.keys(errors).sort(), [
      'minHistory',
      'schedules.train',
      'sources.1.id',
      'sources.1.namespace',
      'sources.1.profile',
      'sources.2.id',
      'sources.2.initialLookbackHours',
      'sources.2.profile',
      'sources.2.settleSeconds',
      'tsThreshold',
      'zscoreThreshold',
    ]);
    assert.match(errors['sources.1.id'], /unique/);
  });

  it('checks cron expressions as node-cron reads them', () => {
    for (const ok of ['0 2 * * *', '*/5 * * * *', '0 0 1 jan mon', '30 0 2 * * *', '0-30/10 8-18 * * 1-5', '0 0 * * 7']) assert.ok(isValidCron(ok), ok);
    for (const bad of ['nightly', '* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '*/0 * * * *', '5-1 * * * *', '* * * * * * *', '']) assert.ok(!isValidCron(bad), bad);
  });

  it('sends only what changed, and says what it changes', () => {
    const after = { ...SETTINGS, zscoreThreshold: 6 };
    assert.deepEqual(settingsPatch(SETTINGS, after), { zscoreThreshold: 6 }, 'sources are not resent (that would grant new API keys)');
    assert.match(describeChanges(SETTINGS, after)[0], /anomaly threshold 8 → 6 \(flags change at once/);
    const moved = { ...SETTINGS, sources: [{ ...SETTINGS.sources[0], namespace: 'prod' }, { ...SETTINGS.sources[0], id: 'ct', profile: 'cloudtrail' }] };
    assert.deepEqual(Object.keys(settingsPatch(SETTINGS, moved)), ['sources']);
    assert.deepEqual(describeChanges(SETTINGS, moved), ['sources added: ct', 'sources changed: azure']);
  });
});

// ---- Discover ----------------------------------------------------------------------------------

describe('discover links', () => {
  it('encodes rison as Kibana reads it', () => {
    assert.equal(rison({ a: 1, b: 'x y', c: true, d: null, e: [1, 'z'] }), "(a:1,b:'x y',c:!t,d:!n,e:!(1,z))");
    assert.equal(rison("it's!"), "'it!'s!!'");
    assert.equal(rison('now-7d'), 'now-7d');
    assert.equal(rison('2026-10-01T00:00:00.000Z'), "'2026-10-01T00:00:00.000Z'", 'strings starting with a digit are quoted');
    assert.equal(esqlString('a"b\\c'), '"a\\"b\\\\c"');
  });

  it("opens the user's events with ES|QL over the range, or one event by its _id", () => {
    const path = discoverPath({ index: 'logs-dfp.scores-default', user: 'bob"x', from: 'now-7d', to: 'now' });
    assert.ok(path.startsWith('#/?_g='));
    const a = decodeURIComponent(path.split('&_a=')[1]);
    assert.equal(a, `(query:(esql:'FROM logs-dfp.scores-default | WHERE dfp.user == "bob\\"x" | SORT dfp.zscore DESC | LIMIT 500'),dataSource:(type:esql))`);
    assert.match(decodeURIComponent(path), /_g=\(time:\(from:now-7d,to:now\)\)/);
    const one = decodeURIComponent(discoverPath({ index: 'idx', user: 'u', from: 'now-1d', to: 'now', docId: 'abc' }));
    assert.match(one, /FROM idx METADATA _id \| WHERE dfp.user == "u" AND _id == "abc"/);
  });

  it('finds where scored events live', () => {
    assert.equal(scoredIndexOf({ writeMode: 'scores', namespace: 'prod' }), 'logs-dfp.scores-prod');
    assert.equal(scoredIndexOf({ writeMode: 'in_place', namespace: 'default', index: 'logs-azure.*' }), 'logs-azure.*');
    assert.equal(scoredIndexOf({ writeMode: 'in_place', namespace: 'default' }, '.ds-logs-azure-2026/xyz'), '.ds-logs-azure-2026');
    assert.equal(scoredIndexOf({ writeMode: 'in_place', namespace: 'default' }), null);
    assert.deepEqual(splitDocRef('logs-x/abc/def'), { index: 'logs-x', id: 'abc/def' });
    assert.equal(splitDocRef('/work/demo/scored.ndjson:12'), null, 'a file line is not a document');
  });
});

// ---- table items -------------------------------------------------------------------------------

describe('table items', () => {
  it('shows users by label, flags them against the threshold, and maps sorting and paging', () => {
    const rows = userRows(USERS);
    assert.deepEqual(rows.map((r) => [r.display, r.isFlagged]), [
      ['mateo.rodriguez', true],
      ['bob', false],
    ]);
    assert.equal(apiSortOf('display'), 'user');
    assert.equal(apiSortOf('maxZscore'), 'maxZscore');
    assert.equal(apiSortOf('sparkline'), null);
    assert.deepEqual(tablePagination(USERS), { pageIndex: 1, pageSize: 25, totalItemCount: 118, pageSizeOptions: [10, 25, 50, 100] });
  });

  it('gives jobs a progress, a duration, counts and a health colour', () => {
    const now = Date.parse('2026-11-23T10:01:00.000Z');
    const items = jobItems([run({ status: 'running', endedAt: undefined }), run({ id: 'r2', status: 'failed', progress: { phase: 'reading', done: 0, total: 0 }, errors: ['boom'] })], now);
    assert.deepEqual(items.map((j) => [j.percent, j.durationText, j.health]), [
      [25, '1 min', 'primary'],
      [null, '2 min 5 s', 'danger'],
    ]);
    assert.equal(items[0].countsText, 'users trained 5, rows 1,200');
    const { running, history } = splitJobs(items);
    assert.deepEqual([running.map((j) => j.id), history.map((j) => j.id)], [['r1'], ['r2']]);
  });

  it('lists versions newest first, every one but the active one a rollback target', () => {
    assert.deepEqual(versionRows([version(1, false), version(3, false), version(2, true)]).map((v) => [v.version, v.canRollBack]), [
      [3, true],
      [2, false],
      [1, true],
    ]);
  });
});

// ---- API client and history --------------------------------------------------------------------

describe('API client', () => {
  function recorder() {
    const calls: { method: string; path: string; query?: unknown; body?: unknown }[] = [];
    const http: HttpClient = {
      get: async <T>(path: string, o?: { query?: unknown }) => (calls.push({ method: 'GET', path, query: o?.query }), {} as T),
      post: async <T>(path: string, o?: { body?: string }) => (calls.push({ method: 'POST', path, body: o?.body === undefined ? undefined : JSON.parse(o.body) }), {} as T),
      put: async <T>(path: string, o?: { body?: string }) => (calls.push({ method: 'PUT', path, body: o?.body === undefined ? undefined : JSON.parse(o.body) }), {} as T),
    };
    return { api: new DfpApi(http), calls };
  }

  it('calls every route with its path, query and JSON body', async () => {
    const { api, calls } = recorder();
    await api.status();
    await api.overview({ source: 'azure', from: 'now-7d', to: 'now' });
    await api.users({ from: 'now-7d', to: 'now', page: 2, perPage: 25, sort: 'flagged', order: 'asc', search: '' });
    await api.fingerprint('a/b c', { from: 'now-7d', to: 'now' });
    await api.userEvents('bob', { from: 'x', to: 'y', onlyFlagged: true, sort: 'zscore' });
    await api.userRisk('bob', { from: 'x', to: 'y' });
    await api.models({ source: 'azure', page: 1 });
    await api.modelVersions('azure', null);
    await api.rollback('azure', 'bob', 2);
    await api.rollback(undefined, null, 1);
    await api.retrain('azure', 'bob');
    await api.jobs({ status: 'running' });
    await api.job('r 1');
    await api.startJob('score', 'azure');
    await api.cancelJob('r1');
    await api.settings();
    await api.updateSettings({ zscoreThreshold: 6 });
    await api.sourceKey('azure');
    await api.renewSourceKey('azure');
    assert.deepEqual(calls, [
      { method: 'GET', path: '/internal/dfp/status', query: undefined },
      { method: 'GET', path: '/internal/dfp/overview', query: { source: 'azure', from: 'now-7d', to: 'now' } },
      { method: 'GET', path: '/internal/dfp/users', query: { from: 'now-7d', to: 'now', page: 2, perPage: 25, sort: 'flagged', order: 'asc' } },
      { method: 'GET', path: '/internal/dfp/users/a%2Fb%20c/fingerprint', query: { from: 'now-7d', to: 'now' } },
      { method: 'GET', path: '/internal/dfp/users/bob/events', query: { from: 'x', to: 'y', sort: 'zscore', onlyFlagged: 'true' } },
      { method: 'GET', path: '/internal/dfp/users/bob/risk', query: { from: 'x', to: 'y' } },
      { method: 'GET', path: '/internal/dfp/models', query: { source: 'azure', page: 1 } },
      { method: 'GET', path: '/internal/dfp/models/versions', query: { source: 'azure' } },
      { method: 'POST', path: '/internal/dfp/models/rollback', body: { source: 'azure', user: 'bob', version: 2 } },
      { method: 'POST', path: '/internal/dfp/models/rollback', body: { version: 1 } },
      { method: 'POST', path: '/internal/dfp/models/retrain', body: { source: 'azure', user: 'bob' } },
      { method: 'GET', path: '/internal/dfp/jobs', query: { status: 'running' } },
      { method: 'GET', path: '/internal/dfp/jobs/r%201', query: undefined },
      { method: 'POST', path: '/internal/dfp/jobs', body: { type: 'score', source: 'azure' } },
      { method: 'POST', path: '/internal/dfp/jobs/r1/cancel', body: {} },
      { method: 'GET', path: '/internal/dfp/settings', query: undefined },
      { method: 'PUT', path: '/internal/dfp/settings', body: { zscoreThreshold: 6 } },
      { method: 'GET', path: '/internal/dfp/sources/azure/key', query: undefined },
      { method: 'POST', path: '/internal/dfp/sources/azure/key/renew', body: {} },
    ]);
  });

  it('keeps a history in memory for hosts that give none', () => {
    const h = memoryHistory('/models?source=a');
    assert.deepEqual(h.location, { pathname: '/models', search: '?source=a' });
    const seen: string[] = [];
    const stop = h.listen((l) => seen.push(l.pathname + l.search));
    h.push('/users/bob');
    stop();
    h.push('/jobs');
    assert.deepEqual(seen, ['/users/bob']);
    assert.equal(h.location.pathname, '/jobs');
  });
});

// ---- components with data (server-side rendered with real React and EUI) ------------------------

function services(over: Partial<AppServices> = {}): AppServices {
  const noop = () => {};
  return {
    api: new DfpApi({ get: async () => ({}) as never, post: async () => ({}) as never, put: async () => ({}) as never }),
    route: { page: 'overview' },
    range: { from: 'now-7d', to: 'now' },
    source: 'azure',
    settings: SETTINGS,
    status: null,
    refreshShared: noop,
    navigate: noop,
    hrefOf: (r) => (r.page === 'user' ? `/users/${encodeURIComponent(r.user)}` : `/${r.page}`),
    setRange: noop,
    setSource: noop,
    canManage: true,
    markForbidden: noop,
    colorMode: 'light',
    toasts: { success: noop, danger: noop },
    discoverUrl: (p) => `/app/discover${p}`,
    openUrl: noop,
    ...over,
  };
}

const render = (node: React.ReactElement, over: Partial<AppServices> = {}, colorMode: 'light' | 'dark' = 'light'): string =>
  renderToStaticMarkup(React.createElement(EuiProvider, { colorMode }, React.createElement(AppContext.Provider, { value: services({ colorMode, ...over }) }, node)));

const count = (html: string, needle: string): number => html.split(needle).length - 1;

describe('components', () => {
  // Rendered without a DOM: @elastic/charts reads window.devicePixelRatio and makes a
  // ResizeObserver when a chart is made, EUI's popover checks `instanceof HTMLElement`; nothing
  // else of the browser is needed.
  const g = globalThis as Record<string, unknown>;
  before(() => {
    g.window = { devicePixelRatio: 1 };
    g.HTMLElement = class {};
    g.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  });
  after(() => {
    delete g.window;
    delete g.HTMLElement;
    delete g.ResizeObserver;
  });

  it('KPI stats show the totals and the threshold', () => {
    const html = render(React.createElement(KpiStats, { overview: OVERVIEW, loading: false }));
    assert.match(html, /9,973/);
    assert.match(html, /Flagged events \(z ≥ 8\)/);
    assert.match(html, /5 \/ 118/);
    assert.match(html, /data-test-subj="dfpStat-flagged"/);
  });

  it('the users table has a row and a link per user, flagged rows marked, in light and dark', () => {
    for (const mode of ['light', 'dark'] as const) {
      const html = render(React.createElement(UsersTable, { response: USERS, loading: false, error: null, query: { page: 2, perPage: 25, sort: 'maxZscore', order: 'desc', search: '' }, onQueryChange: () => {} }), {}, mode);
      assert.equal(count(html, 'data-test-subj="dfpUserRow'), 2, mode);
      assert.equal(count(html, 'dfpUserRow-flagged'), 1);
      assert.equal(count(html, 'data-test-subj="dfpUserLink"'), 2);
      assert.match(html, /href="\/users\/77a5-uuid"/);
      assert.match(html, />mateo.rodriguez</);
      assert.match(html, /11.66/);
      assert.equal(count(html, 'data-test-subj="dfpSparkline"'), 2);
    }
    const empty = render(React.createElement(UsersTable, { response: { ...USERS, users: [], total: 0 }, loading: false, error: null, query: { page: 1, perPage: 25, sort: 'maxZscore', order: 'desc', search: 'zed' }, onQueryChange: () => {} }));
    assert.match(empty, /No user matches &quot;zed&quot; in the range/);
  });

  it('an explanation lists each feature with value seen (expected), top features first', () => {
    const html = render(React.createElement(EventExplanation, { event: event() }));
    assert.equal(count(html, 'data-test-subj="dfpExplanationRow'), 4);
    assert.equal(count(html, 'dfpExplanationRow-top'), 2);
    assert.ok(html.indexOf('data-feature="hour"') < html.indexOf('data-feature="app"'));
    assert.match(html, /high<\/strong> <span[^>]*>\(expected none\)/);
    const unscored = render(React.createElement(EventExplanation, { event: event({ error: 'no user field', features: undefined }) }));
    assert.match(unscored, /Not scored: no user field/);
  });

  it('a feature panel compares training with recent, and says when training was not kept', () => {
    const feature: FingerprintResponse['features'][number] = {
      name: 'os',
      kind: 'categorical',
      group: ['os', 'browser'],
      trained: { name: 'os', kind: 'categorical', rows: 100, nullShare: 0, distinct: 2, top: [{ value: 'Windows', share: 0.8 }, { value: 'macOS', share: 0.2 }] },
      recent: { name: 'os', kind: 'categorical', rows: 10, nullShare: 0, distinct: 1, top: [{ value: 'Linux', share: 1 }] },
      loss: { mean: 0.1, std: 1 },
    };
    const html = render(React.createElement(FeaturePanel, { feature }));
    assert.match(html, /changed a lot/);
    assert.match(html, /Windows 80%, macOS 20%/);
    assert.match(html, /Scored with browser/);
    const old = render(React.createElement(FeaturePanel, { feature: { ...feature, trained: null } }));
    assert.match(old, /not kept for this model/);
  });

  it('the model panel names own or generic, version and training', () => {
    const fp: FingerprintResponse = {
      user: 'bob',
      source: 'azure',
      profile: 'azure-signin',
      model: { own: false, version: 4, trainedAt: '2026-11-01T00:00:00.000Z', rows: 20000, window: { start: '2026-09-01T00:00:00.000Z', end: '2026-09-28T00:00:00.000Z' }, backend: 'wasm', epochs: 30, lossHistory: [0.5, 0.36], scoreScale: { median: 0.7, scale: 1 } },
      versions: [],
      features: [],
      recentEvents: 0,
      range: OVERVIEW.range,
    };
    const html = render(React.createElement(ModelPanel, { fingerprint: fp }));
    assert.match(html, /generic/);
    assert.match(html, /20,000/);
    assert.match(html, /0.36/);
    assert.match(render(React.createElement(ModelPanel, { fingerprint: { ...fp, model: null } })), /No model scores this user yet/);
  });

  it('jobs show progress bars while running and errors in history', () => {
    const now = Date.parse('2026-11-23T10:01:00.000Z');
    const running = jobItems([run({ status: 'running', endedAt: undefined })], now);
    const html = render(React.createElement(RunningJobs, { jobs: running, canManage: true, onCancel: () => {} }));
    assert.match(html, /<progress[^>]*value="25"/);
    assert.match(html, /dfpCancelJob/);
    assert.doesNotMatch(render(React.createElement(RunningJobs, { jobs: running, canManage: false, onCancel: () => {} })), /dfpCancelJob/);
    const history = render(React.createElement(JobHistoryTable, { jobs: jobItems([run({ status: 'failed', errors: ['boom'] })], now), loading: false }));
    assert.match(history, /data-status="failed"/);
    assert.match(history, /users trained 5/);
  });

  it('rollback is offered to managers only, and never for the active version', () => {
    const versions = [version(1, false), version(2, true)];
    const html = render(React.createElement(ModelVersionsTable, { user: 'bob', versions, canManage: true, onRollback: async () => {} }));
    assert.equal(count(html, 'data-test-subj="dfpRollback"'), 1);
    assert.match(html, /Roll bob back to version 1/);
    assert.equal(count(render(React.createElement(ModelVersionsTable, { user: 'bob', versions, canManage: false, onRollback: async () => {} })), 'dfpRollback'), 0);
  });

  it('a source editor shows each field with its error', () => {
    const source = formFromSettings(SETTINGS).sources[0];
    const html = render(React.createElement(SourceEditor, { index: 0, source, errors: { 'sources.0.namespace': 'lowercase letters' }, disabled: false, onChange: () => {}, onRemove: () => {} }));
    assert.match(html, /lowercase letters/);
    assert.match(html, /data-test-subj="dfpSource-0-namespace"/);
    assert.match(html, /value="azure-signin"/);
  });
});
