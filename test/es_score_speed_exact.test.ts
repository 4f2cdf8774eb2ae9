// Scheduled scoring through Elasticsearch at full speed, and still exact (jobs/es_page.ts): the
// same documents on scoring workers as on one thread and in batches of any size, the same scores
// as scoring the same events from files, and users' models kept between runs while their active
// version holds (one shelf for files and Elasticsearch: jobs/model_shelf.ts). Over HTTP against
// the in-memory test server (or ES_URL).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { esScoreBench } from './es_score_speed_setup';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import type { DfpFields } from '../common/fields';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { checksumOfBody } from '../server/engine/model/checksum';
import { scoreEsSource, type EsScoreOptions, type EsScoreSummary } from '../server/engine/jobs/es_score';
import { scoreEvents } from '../server/engine/jobs/score';
import { extractRow } from '../server/engine/features/extract';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 17, users: 10, trainDays: 10, testDays: 2, compromisedUsers: 1, start: '2026-03-01T00:00:00Z' });
const testStart = Date.parse('2026-03-11T00:00:00Z');
const testEnd = Date.parse('2026-03-13T00:00:00Z');
const N = ds.test.length;

const bench = esScoreBench({ name: 'speed', profile, train: ds.train, test: ds.test, epochs: 3, to: testStart });
const store = () => bench.store();

/** A full run over the test period into a scores stream of its own; each event's dfp by event id. */
async function run(extra: Partial<EsScoreOptions> = {}): Promise<{ summary: EsScoreSummary; dfp: Map<string, DfpFields> }> {
  const { client, cluster, names } = bench;
  const { ns, options } = await bench.newRun('r');
  const summary = await scoreEsSource(client, {
    ...options,
    modelsKey: `${cluster.url}|${names.models}`,
    runId: ns,
    now: testEnd + 60_000,
    pageSize: 50,
    ...extra,
  });
  assert.equal(summary.written, N, 'every event written once');
  const scores = `logs-dfp.scores-${ns}`;
  await client.indices.refresh({ index: scores });
  const res = await client.search<{ event: { id: string }; dfp: DfpFields }>({ index: scores, size: 10_000, query: { match_all: {} } });
  return { summary, dfp: new Map(res.hits.hits.map((h) => [h._source!.event.id, h._source!.dfp])) };
}

/** A dfp object without what differs from run to run (when, which source). */
function stable(dfp: DfpFields): Omit<DfpFields, 'scored_at'> {
  const { scored_at: _at, source: _source, ...rest } = dfp as DfpFields & { source?: unknown };
  return rest;
}

const userOf = (e: Record<string, unknown>): string | undefined => {
  const row = extractRow(e, profile);
  return row.ok ? row.row.user : undefined;
};
const idOf = (e: Record<string, unknown>): string => (e.event as { id: string }).id;

describe('scheduled scoring through Elasticsearch', () => {
  it('on scoring workers as on this thread, in batches of any size: the same documents, bit for bit', async () => {
    const workers = await run({ workers: 2, batchEvents: 20_000 });
    const here = await run({ workers: 0, batchEvents: 20_000 });
    assert.ok(workers.summary.scored > 0 && workers.summary.flagged >= 0);
    assert.equal(workers.dfp.size, N);
    for (const [id, dfp] of workers.dfp) assert.deepEqual(stable(here.dfp.get(id)!), stable(dfp), `event ${id}`);
    // Page by page (a batch of one page) differs only in the time-series window, which ends at the batch's newest event.
    const pages = await run({ workers: 2, batchEvents: 1 });
    assert.equal(pages.summary.pages, workers.summary.pages);
    for (const [id, dfp] of workers.dfp) {
      const { ts_zscore: _z, ts_anomaly: _a, user_risk: _r, user_flagged: _f, ...rest } = stable(pages.dfp.get(id)!);
      const { ts_zscore: _z2, ts_anomaly: _a2, user_risk: _r2, user_flagged: _f2, ...want } = stable(dfp);
      assert.deepEqual(rest, want, `event ${id}`);
    }
  });

  it('the same events and models give the same scores as from files (all but the time-series check and user risk)', async () => {
    const es = await run();
    const fromFiles = new Map<string, DfpFields>();
    await scoreEvents(
      ds.test.map((event, i) => ({ kind: 'event' as const, event, source: { file: 'test', line: i + 1 } })),
      { profile, store: store() },
      async (doc) => void fromFiles.set((doc.event as { id: string }).id, doc.dfp as DfpFields),
    );
    assert.equal(fromFiles.size, N);
    // As written: JSON has no −0 (a prediction of −0 from files reads 0 back from Elasticsearch).
    const without = (d: DfpFields): Partial<DfpFields> => {
      const { ts_zscore: _z, ts_anomaly: _a, user_risk: _r, user_flagged: _f, ...rest } = stable(d);
      return JSON.parse(JSON.stringify(rest));
    };
    let scored = 0;
    for (const [id, file] of fromFiles) {
      assert.deepEqual(without(es.dfp.get(id)!), without(file), `event ${id}`);
      if (file.zscore !== undefined) scored += 1;
    }
    assert.ok(scored > N / 2, 'most events scored');
  });

  it("users' models stay on the scoring workers and this thread between runs while the store names the same version", async () => {
    for (const workers of [2, 0]) {
      const users = (await store().list(profile.name)).map((u) => u.user).filter((u) => ds.test.some((e) => userOf(e) === u));
      assert.ok(users.length >= 2, 'users with models of their own score in the test period');
      const first = await run({ workers });
      const again = await run({ workers });
      assert.equal(again.summary.modelsRead, 0, `workers ${workers}: a later run reads no model (the first read ${first.summary.modelsRead})`);
      for (const [id, dfp] of again.dfp) assert.deepEqual(stable(dfp).model, stable(first.dfp.get(id)!).model);

      // A retrained model (a new active version) is read at the next run, and scores its user's events.
      const victim = users[0];
      const old = (await store().load(profile.name, victim))!;
      const retrained = withVersion(old, old.version + 1);
      const s = store();
      await s.save(retrained);
      await s.flush();
      try {
        const next = await run({ workers });
        assert.equal(next.summary.modelsRead, 1, `workers ${workers}: only the retrained model is read`);
        for (const e of ds.test.filter((x) => userOf(x) === victim)) assert.equal(next.dfp.get(idOf(e))?.model?.version, String(retrained.version));
      } finally {
        await store().rollback(profile.name, victim, old.version);
      }
      // A rollback is the active version changing too: the kept newer model is not used.
      const rolledBack = await run({ workers });
      assert.equal(rolledBack.summary.modelsRead, 1);
      for (const e of ds.test.filter((x) => userOf(x) === victim)) assert.equal(rolledBack.dfp.get(idOf(e))?.model?.version, String(old.version));
    }
  });
});

/** The model as another version: the same weights, its checksum made anew. */
function withVersion(json: FingerprintJson, version: number): FingerprintJson {
  const copy: FingerprintJson = { ...json, version };
  const { checksum: _, ...body } = copy;
  copy.checksum = checksumOfBody(body);
  return copy;
}
