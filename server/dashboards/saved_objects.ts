/**
 * Kibana saved objects for dashboards on the enriched data: data views on the scores data stream
 * and on the integrations' indices enriched in place, a saved search of anomalous events, three
 * aggregation-based visualizations and a dashboard of them. Exported as the NDJSON that Kibana's
 * Saved Objects import (Stack Management, or POST /api/saved_objects/_import) takes.
 *
 * Flags here are `dfp.is_anomaly` as stored at scoring time; the app applies the threshold in force.
 */
import { PROFILES } from '../engine/profiles';

type SavedObject = {
  id: string;
  type: 'index-pattern' | 'search' | 'visualization' | 'dashboard';
  attributes: Record<string, unknown>;
  references: { id: string; name: string; type: string }[];
  coreMigrationVersion: string;
  typeMigrationVersion?: string;
};

export const DATA_VIEW_IDS = { scores: 'dfp-scores-data-view', enriched: 'dfp-enriched-data-view' } as const;
export const DASHBOARD_ID = 'dfp-anomalies-dashboard';

/** The integrations' index patterns (profiles with one): where in-place scores live. */
export function enrichedPatterns(): string[] {
  return [...new Set(Object.values(PROFILES).map((p) => p.indexPattern).filter((p) => p.startsWith('logs-')))].sort();
}

const CORE = '8.8.0';

function dataView(id: string, title: string, name: string): SavedObject {
  return { id, type: 'index-pattern', attributes: { title, name, timeFieldName: '@timestamp', allowNoIndex: true }, references: [], coreMigrationVersion: CORE, typeMigrationVersion: '8.0.0' };
}

/** The search source a saved search or visualization reads: a query, and the data view by reference. */
function searchSource(query: string): Record<string, unknown> {
  return {
    searchSourceJSON: JSON.stringify({ query: { query, language: 'kuery' }, filter: [], indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index' }),
  };
}

const dataViewRef = (id: string) => [{ id, name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' }];

function visualization(id: string, title: string, visState: Record<string, unknown>, query: string): SavedObject {
  return {
    id,
    type: 'visualization',
    attributes: { title, description: '', uiStateJSON: '{}', version: 1, visState: JSON.stringify({ title, ...visState }), kibanaSavedObjectMeta: searchSource(query) },
    references: dataViewRef(DATA_VIEW_IDS.scores),
    coreMigrationVersion: CORE,
    typeMigrationVersion: '8.5.0',
  };
}

export function dashboardObjects(): SavedObject[] {
  const overTime = visualization(
    'dfp-anomalies-over-time',
    'DFP: anomalous events over time',
    {
      type: 'histogram',
      params: { type: 'histogram', addTooltip: true, addLegend: false, categoryAxes: [{ id: 'CategoryAxis-1', position: 'bottom', show: true, type: 'category' }], valueAxes: [{ id: 'ValueAxis-1', position: 'left', show: true, type: 'value', title: { text: 'anomalous events' } }], seriesParams: [{ data: { id: '1', label: 'anomalous events' }, mode: 'stacked', show: true, type: 'histogram', valueAxis: 'ValueAxis-1' }] },
      aggs: [
        { id: '1', enabled: true, type: 'count', schema: 'metric', params: {} },
        { id: '2', enabled: true, type: 'date_histogram', schema: 'segment', params: { field: '@timestamp', interval: 'auto', min_doc_count: 1, extended_bounds: {} } },
      ],
    },
    'dfp.is_anomaly : true',
  );
  const topUsers = visualization(
    'dfp-top-users',
    'DFP: users by highest dfp.zscore',
    {
      type: 'table',
      params: { perPage: 20, showPartialRows: false, showMetricsAtAllLevels: false, showTotal: false },
      aggs: [
        { id: '1', enabled: true, type: 'max', schema: 'metric', params: { field: 'dfp.zscore', customLabel: 'highest dfp.zscore' } },
        { id: '3', enabled: true, type: 'count', schema: 'metric', params: { customLabel: 'events' } },
        { id: '2', enabled: true, type: 'terms', schema: 'bucket', params: { field: 'dfp.user', size: 50, order: 'desc', orderBy: '1', customLabel: 'user' } },
      ],
    },
    'dfp.zscore : *',
  );
  const topFeatures = visualization(
    'dfp-top-features',
    'DFP: features that made events anomalous',
    {
      type: 'pie',
      params: { type: 'pie', addTooltip: true, addLegend: true, legendPosition: 'right', isDonut: true, labels: { show: true, values: true, last_level: true, truncate: 100 } },
      aggs: [
        { id: '1', enabled: true, type: 'count', schema: 'metric', params: {} },
        { id: '2', enabled: true, type: 'terms', schema: 'segment', params: { field: 'dfp.top_features', size: 10, order: 'desc', orderBy: '1' } },
      ],
    },
    'dfp.is_anomaly : true',
  );
  const anomalies: SavedObject = {
    id: 'dfp-anomalous-events',
    type: 'search',
    attributes: {
      title: 'DFP: anomalous events',
      description: 'Scored events at or above the threshold in force when they were scored, most anomalous first',
      columns: ['dfp.user', 'dfp.zscore', 'dfp.top_features', 'dfp.model.generic', 'dfp.source.name'],
      sort: [['dfp.zscore', 'desc']],
      kibanaSavedObjectMeta: searchSource('dfp.is_anomaly : true'),
    },
    references: dataViewRef(DATA_VIEW_IDS.scores),
    coreMigrationVersion: CORE,
    typeMigrationVersion: '8.0.0',
  };
  const panels = [
    { ref: overTime, grid: { x: 0, y: 0, w: 48, h: 12 } },
    { ref: topUsers, grid: { x: 0, y: 12, w: 24, h: 16 } },
    { ref: topFeatures, grid: { x: 24, y: 12, w: 24, h: 16 } },
    { ref: anomalies, grid: { x: 0, y: 28, w: 48, h: 18 } },
  ];
  const dashboard: SavedObject = {
    id: DASHBOARD_ID,
    type: 'dashboard',
    attributes: {
      title: 'Digital Fingerprinting: anomalies',
      description: 'Anomalous sign-ins and API calls found by the per-user fingerprints (logs-dfp.scores-*)',
      timeRestore: false,
      optionsJSON: JSON.stringify({ useMargins: true, syncColors: false, hidePanelTitles: false }),
      panelsJSON: JSON.stringify(panels.map((p, i) => ({ version: CORE, type: p.ref.type, gridData: { ...p.grid, i: String(i + 1) }, panelIndex: String(i + 1), embeddableConfig: {}, panelRefName: `panel_${i + 1}` }))),
      kibanaSavedObjectMeta: { searchSourceJSON: JSON.stringify({ query: { query: '', language: 'kuery' }, filter: [] }) },
    },
    references: panels.map((p, i) => ({ id: p.ref.id, name: `panel_${i + 1}`, type: p.ref.type })),
    coreMigrationVersion: CORE,
    typeMigrationVersion: '8.9.0',
  };
  return [
    dataView(DATA_VIEW_IDS.scores, 'logs-dfp.scores-*', 'DFP scores'),
    dataView(DATA_VIEW_IDS.enriched, enrichedPatterns().join(','), 'DFP enriched sources (in place)'),
    anomalies,
    overTime,
    topUsers,
    topFeatures,
    dashboard,
  ];
}

/** One object per line, as Kibana's import wants. */
export function dashboardsNdjson(): string {
  return dashboardObjects().map((o) => JSON.stringify(o)).join('\n') + '\n';
}
