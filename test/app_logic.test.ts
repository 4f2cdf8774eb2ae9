// The browser app's pure logic (public/logic/*) against answers shaped as the API gives them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount, formatDuration, formatFeatureValue, formatNumber, formatShare, formatTime, formatZ, plural } from '../public/logic/format';
import { zText } from '../common/z_text';
import { zoneName } from '../common/why';
import { buildUrl, parseQuery, parseRoute, routePath } from '../public/logic/routes';
import { defaultRange, LAST_24H, rangeEndingAt } from '../public/logic/range';
import { lossSeries, overTimeSeries, sparklinePoints, tsTimeline, zDomainMax, zDomainMin, zscoreTimeline } from '../public/logic/series';
import { categoryBars, categoryRows, featureShift, hourRows, numericRanges, shiftLabel, sortFeaturesByShift, summaryLine } from '../public/logic/fingerprint';
import { explainEvent, seenVsExpected, topFeatureSummary } from '../public/logic/explanation';
import { fieldErrors, toAppError } from '../public/logic/errors';
import { describeChanges, formFromSettings, isValidCron, newSourceForm, settingsFromForm, settingsPatch, validateSettingsForm } from '../public/logic/settings_form';
import { discoverPath, esqlString, rison, scoredIndexOf, splitDocRef } from '../public/logic/discover';
import { apiSortOf, jobItems, nextUserSort, splitJobs, tablePagination, userRows, versionRows } from '../public/logic/table_items';
import { OVERVIEW, SETTINGS, USERS, event, run, version } from './app_fixtures';

describe('format', () => {
  it('writes z-scores, counts, shares and numbers the same way everywhere', () => {
    assert.equal(formatZ(11.6593), '11.66');
    assert.equal(formatZ(123.4), '123');
    assert.equal(formatZ(undefined), '—');
    assert.equal(formatZ(Number.POSITIVE_INFINITY), '∞');
    // Never rounded across the threshold it is judged against (7.998 is not "8.00" beside "flagged 0").
    assert.equal(formatZ(7.98, 8), '7.98');
    assert.equal(formatZ(7.998, 8), '7.998');
    assert.equal(formatZ(7.99999, 8), '7.9999');
    assert.equal(formatZ(8.0001, 8), '8.00');
    assert.equal(formatZ(-2.5, 8), '-2.50');
    assert.equal(zText(7.98, 8, 1), '7.98', 'the CLI summary: one decimal unless it crosses');
    assert.equal(zText(9.97, 8, 1), '10.0');
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
    const suppressed = { by: 'kim', at: '2026-10-02T11:00:00.000Z', until: '2026-11-01T00:00:00.000Z', event: { index: 'azure', id: 'e1' } };
    assert.deepEqual(zscoreTimeline([event({ zscore: 9, suppressed }, '2026-10-02T10:00:00.000Z')], 8).map((p) => [p.y, p.flagged]), [[9, false]], 'suppressed: its score, not a flag');
    assert.equal(zDomainMax([3, 4], 8), 8.8, 'the threshold line stays in view');
    assert.equal(zDomainMax([20], 8), 22);
    assert.equal(zDomainMin([3, 4]), 0, 'an axis from 0 while no z is negative');
    assert.equal(zDomainMin([-2.5, 4]), -2.8, 'below the lowest negative z, so it is drawn');
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

  it('shows the hour of day as all 24 hours in clock order; its summary line names the largest shares', () => {
    const hours = { ...cat([['17', 0.5], ['09', 0.3], ['00', 0.2]]), name: 'hour' };
    const rows = hourRows(hours, { ...cat([['23', 1]]), name: 'hour' });
    assert.deepEqual(rows.map((r) => r.value), Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0')));
    assert.deepEqual([rows[0].training, rows[9].training, rows[17].training, rows[5].training], [0.2, 0.3, 0.5, 0]);
    assert.deepEqual([rows[23].recent, rows[23].isNew], [1, true]);
    assert.equal(hourRows(hours, null)[17].recent, null, 'no recent side: no recent bars');
    assert.equal(summaryLine({ ...cat([['00', 0.2], ['09', 0.3], ['17', 0.5]]), name: 'hour' }), '17 50%, 09 30%, 00 20%');
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
    // The hour of day (UTC in the scores) on the clock of the zone asked for, labelled.
    assert.equal(topFeatureSummary(event(), Infinity, 'UTC'), 'hour: 02:00 UTC (expected 14:00); risk_level: high (expected none)');
    assert.equal(topFeatureSummary(event(), Infinity, 'Asia/Kolkata'), `hour: 07:30 ${zoneName('Asia/Kolkata')} (expected 19:30); risk_level: high (expected none)`, 'half-hour zones keep their minutes');
    assert.equal(topFeatureSummary(event(), 3, 'UTC'), 'hour: 02… (expected 14…); risk_level: hi… (expected no…)');
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
    assert.equal(apiSortOf('userRisk'), 'userRisk');
    assert.equal(apiSortOf('sparkline'), null);
    // A new column starts most-first (names A to Z); the same column flips as EUI says.
    const byRisk = { sort: 'userRisk', order: 'desc' } as const;
    assert.deepEqual(nextUserSort(byRisk, { field: 'flagged', direction: 'asc' }), { sort: 'flagged', order: 'desc' });
    assert.deepEqual(nextUserSort(byRisk, { field: 'display', direction: 'asc' }), { sort: 'user', order: 'asc' });
    assert.deepEqual(nextUserSort({ sort: 'flagged', order: 'desc' }, { field: 'flagged', direction: 'asc' }), { sort: 'flagged', order: 'asc' });
    assert.deepEqual(nextUserSort(byRisk, { field: 'sparkline', direction: 'asc' }), byRisk);
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
