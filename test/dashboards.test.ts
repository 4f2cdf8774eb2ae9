// The importable dashboards: well-formed saved objects whose references resolve, over fields the
// scores data stream really maps (written by the real sink to the ES test server).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardObjects, dashboardsNdjson, DASHBOARD_ID, enrichedPatterns } from '../server/dashboards/saved_objects';
import { useTestServer } from './es_cluster';
import { EsSink } from '../server/engine/io/es/sink';

const es = useTestServer();

it('is NDJSON of saved objects with unique ids, known types, and references that resolve', () => {
  const lines = dashboardsNdjson().trimEnd().split('\n');
  const objects = lines.map((l) => JSON.parse(l) as { id: string; type: string; attributes: any; references: { id: string; type: string; name: string }[] });
  assert.equal(objects.length, dashboardObjects().length);
  const ids = new Set(objects.map((o) => `${o.type}:${o.id}`));
  assert.equal(ids.size, objects.length, 'ids unique');
  for (const o of objects) {
    assert.ok(['index-pattern', 'search', 'visualization', 'dashboard'].includes(o.type), o.type);
    for (const r of o.references) assert.ok(ids.has(`${r.type}:${r.id}`), `${o.id} references ${r.type}:${r.id}, which the file holds`);
  }
  const dashboard = objects.find((o) => o.id === DASHBOARD_ID)!;
  const panels = JSON.parse(dashboard.attributes.panelsJSON) as { panelRefName: string }[];
  assert.deepEqual(panels.map((p) => p.panelRefName).sort(), dashboard.references.map((r) => r.name).sort(), 'every panel has its reference');
  assert.ok(enrichedPatterns().includes('logs-azure.signinlogs-*') && enrichedPatterns().includes('logs-aws.cloudtrail-*'));
});

it('uses only fields the scores data stream maps, with aggregatable types where it aggregates', async () => {
  const sink = new EsSink(es.client, { mode: 'scores', namespace: 'dash', featureNames: ['app'], sourceName: 'azure' });
  await sink.setup();
  await sink.write({ index: 'src', id: '1', time: '2026-05-01T00:00:00.000Z', event: { user: { id: 'u' } }, dfp: { user: 'u', zscore: 9, is_anomaly: true, threshold: 8, top_features: ['app'], anomaly_score: 1, max_abs_z: 3, features: { app: { z: 3, pred: 'mail', value: 'crm' } }, model: { version: '1', generic: false, trained_at: '2026-04-30T00:00:00.000Z' }, ts_anomaly: false, ts_zscore: 0, scored_at: '2026-05-01T00:00:01.000Z' } });
  assert.equal((await sink.flush()).written, 1);
  const mapping = Object.values(await es.client.indices.getMapping({ index: 'logs-dfp.scores-dash' }))[0].mappings;
  const typeOf = (field: string): string | undefined => {
    let node: any = mapping;
    for (const part of field.split('.')) node = node?.properties?.[part];
    return node?.type;
  };
  const used: { field: string; aggregated: 'terms' | 'max' | 'date' | null }[] = [];
  for (const o of dashboardObjects()) {
    if (o.type === 'visualization') {
      for (const agg of JSON.parse(String(o.attributes.visState)).aggs) {
        if (agg.params.field) used.push({ field: agg.params.field, aggregated: agg.type === 'terms' ? 'terms' : agg.type === 'max' ? 'max' : agg.type === 'date_histogram' ? 'date' : null });
      }
    }
    if (o.type === 'search') for (const c of o.attributes.columns as string[]) used.push({ field: c, aggregated: null });
  }
  assert.ok(used.length >= 6);
  for (const u of used) {
    const type = typeOf(u.field);
    assert.ok(type, `${u.field} is mapped`);
    if (u.aggregated === 'terms') assert.ok(['keyword', 'boolean'].includes(type!), `${u.field} is ${type}: terms need keyword`);
    if (u.aggregated === 'max') assert.ok(['float', 'double', 'long', 'half_float', 'scaled_float'].includes(type!), `${u.field} is ${type}: max needs a number`);
    if (u.aggregated === 'date') assert.equal(type, 'date');
  }
  assert.equal(typeOf('dfp.is_anomaly'), 'boolean', 'the queries filter on it');
});
