// The app's data components rendered with real React and EUI (server-side rendering: no DOM
// needed), against answers shaped as the API gives them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { EuiProvider } from '@elastic/eui';
import type { FingerprintResponse } from '../common/api';
import { formFromSettings } from '../public/logic/settings_form';
import { jobItems } from '../public/logic/table_items';
import { DfpApi } from '../public/api';
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
import { OVERVIEW, SETTINGS, USERS, event, run, version } from './app_fixtures';

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
    canTriage: true,
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
    assert.doesNotMatch(html, /suppressed/, 'nothing suppressed: nothing said');
    const quieted = render(React.createElement(KpiStats, { overview: { ...OVERVIEW, totals: { ...OVERVIEW.totals, suppressed: 3 } }, loading: false }));
    assert.match(quieted, /Flagged events \(z ≥ 8; 3 more suppressed as benign\)/, 'suppressed events counted beside the flags');
  });

  it('the users table shows suppressed events beside the flagged count; a user whose every high event is suppressed is not marked flagged', () => {
    const [mateo, other] = USERS.users;
    const users = { ...USERS, users: [{ ...mateo, flagged: 0, suppressed: 4 }, { ...other, suppressed: 0 }] };
    const html = render(React.createElement(UsersTable, { response: users, loading: false, error: null, query: { page: 1, perPage: 25, sort: 'flagged', order: 'desc', search: '' }, onQueryChange: () => {} }));
    assert.equal(count(html, 'data-test-subj="dfpUserFlaggedSuppressed"'), 1);
    assert.match(html, /\(4 suppressed\)/);
    assert.ok(mateo.maxZscore >= USERS.threshold, 'his highest z is at or above the threshold');
    assert.equal(count(html, 'dfpUserRow-flagged'), 0, 'not flagged: an analyst said his high events are benign');
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

  it('the users table shows each user\'s risk and badges the users flagged by it; sorted by risk it marks that column', () => {
    const html = render(React.createElement(UsersTable, { response: USERS, loading: false, error: null, query: { page: 2, perPage: 25, sort: 'userRisk', order: 'desc', search: '' }, onQueryChange: () => {} }));
    assert.equal(count(html, 'data-test-subj="dfpUserRisk"'), 2, 'a risk per user');
    assert.match(html, /data-band="critical"[^>]*>(?:<[^>]+>)*96 Critical</, 'the risk on 0–100 with its level');
    assert.match(html, /data-trend="up"[^>]*>(?:<[^>]+>)*▲ from 36</, 'the trend, from the previous period’s 0–100');
    assert.match(html, /never seen before \(usually Netherlands 97%\)/, 'why, in words');
    assert.match(html, /IP 78\.180\.12\.9 · AS 9121 Turk Telekom/, 'the raw address and network');
    assert.equal(count(html, 'data-test-subj="dfpUserRiskFlagged"'), 1, 'one user flagged by risk');
    assert.equal(count(html, 'dfpUserRow-riskFlagged'), 1);
    assert.match(html, />—</, 'a user without a risk (scored before it existed) shows a dash');
    assert.match(html, /aria-sort="descending"[^>]*>(?:(?!<\/th>).)*Risk/s, 'the Risk column is the sorted one');
  });

  it('an explanation lists each feature with value seen (expected), top features first', () => {
    const html = render(React.createElement(EventExplanation, { event: event() }));
    assert.equal(count(html, 'data-test-subj="dfpExplanationRow'), 4);
    assert.equal(count(html, 'dfpExplanationRow-top'), 2);
    assert.ok(html.indexOf('data-feature="hour"') < html.indexOf('data-feature="app"'));
    assert.match(html, /high<\/strong> <span[^>]*>\(expected none\)/);
    const unscored = render(React.createElement(EventExplanation, { event: event({ error: 'no user field', features: undefined }) }));
    assert.match(unscored, /Not scored: no user field/);
    assert.equal(count(html, 'dfpRollout'), 0, 'no rollout, no word of one');
  });

  it("an explanation says when a rollout explains the event's new app, in the note and on the app's row", () => {
    const rollout = { feature: 'app', value: 'Zoom Workplace', users: 5, window_hours: 72 };
    const html = render(React.createElement(EventExplanation, { event: event({ rollout }) }));
    assert.match(html, /data-test-subj="dfpRollout"(?:(?!<\/p>).)*app <strong>Zoom Workplace<\/strong> is new to this user, and a rollout: at least 5 other users started using it within 72 h before, so it counts neither in this event&#x27;s z-score nor in the user&#x27;s risk/s);
    assert.match(html, /data-feature="app"(?:(?!<\/tr>).)*a rollout: at least 5 other users/s, "the app's own row says it too");
    assert.doesNotMatch(html, /data-feature="hour"(?:(?!<\/tr>).)*a rollout/s, 'only the row of the feature the rollout names');
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
    assert.doesNotMatch(html, /Left out of training/, 'nothing to say when nothing was left out');
    const left = { events: 12, byReason: { 'at or above the threshold': 9, 'in a flagged period': 3 }, examples: [{ id: 'ev-1', time: '2026-10-11T02:14:00.000Z', reason: 'at or above the threshold' }] };
    const withLeft = render(React.createElement(ModelPanel, { fingerprint: { ...fp, model: { ...fp.model!, leftOut: left } } }));
    assert.match(withLeft, /Left out of training/);
    assert.match(withLeft, /12 events: 9 at or above the threshold, 3 in a flagged period; the first .*\(ev-1\)/);
    assert.doesNotMatch(withLeft, /marked benign/);
    const learned = render(React.createElement(ModelPanel, { fingerprint: { ...fp, model: { ...fp.model!, leftOut: { ...left, benign: 2 } } } }));
    assert.match(learned, /data-test-subj="dfpModelBenign"[^>]*>learned 2 flagged events an analyst marked benign</);
    const onlyLearned = render(React.createElement(ModelPanel, { fingerprint: { ...fp, model: { ...fp.model!, leftOut: { events: 0, byReason: {}, examples: [], benign: 1 } } } }));
    assert.match(onlyLearned, /learned 1 flagged event an analyst marked benign/);
    assert.doesNotMatch(onlyLearned, /Left out of training/, 'nothing left out: no "0 events" line');
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
