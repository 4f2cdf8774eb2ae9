// Answers shaped as the API gives them, for the app's logic and component tests.
import type { DfpSettings, OverviewResponse, ScoredEventDoc, UsersResponse } from '../common/api';
import type { JobRun } from '../common/jobs';
import type { ModelVersionInfo } from '../common/models';

// ---- fixtures shaped as the API answers -------------------------------------------------------

export const SETTINGS: DfpSettings = {
  zscoreThreshold: 8,
  tsThreshold: 8,
  userRiskThreshold: 10,
  minHistory: 300,
  schedules: { train: '0 2 * * *', score: '*/5 * * * *' },
  sources: [{ id: 'azure', profile: 'azure-signin', timeField: '@timestamp', writeMode: 'scores', namespace: 'default', settleSeconds: 300, initialLookbackHours: 24 }],
};

export function event(over: Partial<ScoredEventDoc['dfp']> = {}, time = '2026-10-02T22:50:57.230Z', doc = 'logs-dfp.scores-default/abc'): ScoredEventDoc {
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

export const OVERVIEW: OverviewResponse = {
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

export const USERS: UsersResponse = {
  range: OVERVIEW.range,
  threshold: 8,
  userRiskThreshold: 10,
  total: 118,
  page: 2,
  perPage: 25,
  users: [
    { user: '77a5-uuid', label: 'mateo.rodriguez', events: 86, flagged: 7, maxZscore: 11.6593, userRisk: 23.4567, userFlagged: true, lastSeen: '2026-10-05T11:24:59.043Z', sparkline: [null, 2.3, 11.66, null], topFeatures: ['hour', 'risk_level'], generic: false,
      risk: { score: 96, band: 'critical', near: false }, previousUserRisk: 4, trend: 'up',
      why: { time: '2026-10-05T11:20:00.000Z', zscore: 11.6593, features: [{ name: 'country', value: 'TR', expected: 'NL', z: 9, seen: 0, usual: [['NL', 0.97]] }], context: { ip: '78.180.12.9', asNumber: '9121', asName: 'Turk Telekom' } } },
    { user: 'bob', events: 10, flagged: 0, maxZscore: 3.1, userRisk: null, userFlagged: false, lastSeen: '2026-10-05T11:24:59.043Z', sparkline: [1, null], topFeatures: [], generic: true },
  ],
};

export function version(v: number, active: boolean): ModelVersionInfo {
  return { version: v, active, trainedAt: '2026-11-01T00:00:00.000Z', backend: 'wasm', rows: 187, trainingStart: '2026-09-01T00:00:00.000Z', trainingEnd: '2026-09-28T00:00:00.000Z', epochs: 30, finalLoss: 0.21, checksum: 'x', generic: false, bytes: 1000 };
}

export function run(over: Partial<JobRun>): JobRun {
  return { id: 'r1', type: 'train', source: 'azure', holder: 'kibana-1', status: 'succeeded', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:02:05.000Z', progress: { phase: 'training', done: 5, total: 20 }, counts: { users_trained: 5, rows: 1200 }, errors: [], ...over };
}

// ---- formatting --------------------------------------------------------------------------------
