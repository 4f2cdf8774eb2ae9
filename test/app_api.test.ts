// The browser app's API client and its in-memory history.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DfpApi, type HttpClient } from '../public/api';
import { memoryHistory } from '../public/memory_history';

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
