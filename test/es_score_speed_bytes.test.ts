// Scheduled scoring through Elasticsearch writes, byte for byte, what it wrote when every `dfp`
// object was built on the writing thread and stringified by the sink: the lanes' JSON (scoring
// workers, or the one lane on this thread) spliced into the bulk bodies (jobs/lane_docs.ts,
// io/es/sink_body.ts, io/es/bulk_arena.ts) gives the same bytes, in both write modes. The bulk
// bodies are caught as the client sends them; only `scored_at` (the run's clock) and the names of
// each run's own stream differ.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { esScoreBench, type WriteMode } from './es_score_speed_setup';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import type { FingerprintJson } from '../server/engine/model/fingerprint';
import { scoreEsSource, type EsScoreOptions } from '../server/engine/jobs/es_score';
import { checksumOfBody } from '../server/engine/model/checksum';
import { firstSeenEvidence, volumeZ } from '../server/engine/score/risk_evidence';
import { USER_RISK_MODEL } from '../server/engine/score/risk_model';
import { inApp } from './azure_event_edits';

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 23, users: 6, trainDays: 20, testDays: 2, compromisedUsers: 1, start: '2026-04-01T00:00:00Z' });
const testStart = Date.parse('2026-04-21T00:00:00Z');
const testEnd = Date.parse('2026-04-23T00:00:00Z');
// Cities no model has seen, in UTF-8 of two, three and four bytes: values and predictions in the JSON.
const CITIES = ['Zürich', '東京', 'Hafnarfjörður 🌋'];
// And successful sign-ins from an unmanaged device kind nobody had: azure's first-seen evidence in user risk (Profile.firstSeen).
// And an app every user starts using: a rollout, shared novelty in user risk (Profile.sharedNovelty).
const testEvents = ds.test.map((e, i) => (i % 9 === 0 ? inCity(e, CITIES[(i / 9) % 3]) : i % 11 === 5 ? unmanaged(e) : i % 7 === 3 ? inApp(e, 'Contoso Rollout') : e));
// Six users: a rollout is shared once 2 others started using it (the default, 5 others, would leave few events to see);
// every z-score is evidence (floor 0), so that the rollout's events, quiet under two epochs' models, weigh.
const rollout = { ...profile, userRiskFloor: 0, sharedNovelty: { features: ['app', 'resource'], users: 2, windowHours: 72 } };

const bench = esScoreBench({
  name: 'bytes',
  profile,
  train: ds.train,
  test: [...testEvents, unreadable()],
  epochs: 2,
  to: testStart,
  // One user's model unusable: the generic model scores them, saying why (dfp.model.fallback_reason).
  afterTrain: async (b) => {
    const users = (await b.store().list(profile.name)).map((u) => u.user);
    const broken = (await b.store().load(profile.name, users[0]))!;
    const s = b.store();
    await s.save(corrupted(broken));
    await s.flush();
  },
  // What the sink sends, as sent.
  catchBulk: true,
});

/**
 * A run over the test period (a rescore of it: no checkpoint, the same events every time) in the
 * given write mode; the bulk bodies it sent, with scored_at and its own names made the same.
 */
async function run(writeMode: WriteMode, extra: Partial<EsScoreOptions>): Promise<{ bodies: string; written: number; errors: number }> {
  const { ns, options } = await bench.newRun('b', writeMode);
  const { result: summary, bodies } = await bench.catchBulk(() =>
    scoreEsSource(bench.client, {
      ...options,
      runId: `run-${ns}`,
      range: { from: testStart, to: testEnd + 60_000 },
      now: testEnd + 60_000,
      pageSize: 40,
      writeUserRisk: false,
      ...extra,
    }),
  );
  return { bodies: bodies.join('').replace(/"scored_at":"[^"]*"/g, '"scored_at":"…"').replaceAll(ns, 'NS'), written: summary.written, errors: summary.errors };
}

describe('the lanes serialise the dfp objects: Elasticsearch receives the same bytes', () => {
  for (const writeMode of ['scores', 'in_place'] as const) {
    it(`${writeMode}: on the scoring workers and on this thread as from objects, byte for byte`, async () => {
      const reference = await run(writeMode, { workers: 2, laneJson: false, profile: rollout });
      assert.equal(reference.written, testEvents.length + 1, 'every event written');
      assert.equal(reference.errors, 1, 'the unreadable event is written with dfp.error');
      const lines = reference.bodies.split('\n').filter((l) => l.length > 0);
      assert.equal(lines.length, 2 * (testEvents.length + 1), 'an action and a body per event');
      // What the bytes cover: user risk on scored events, a model fallback, a dfp.error, unicode.
      assert.match(reference.bodies, /"user_risk":\d/);
      assert.match(reference.bodies, /"fallback_reason":"own model unusable: /);
      assert.match(reference.bodies, /"error":"[^"]+"/);
      for (const city of CITIES) assert.ok(reference.bodies.includes(`"value":${JSON.stringify(city)}`), city);
      const firstSeen = lines.filter((l) => l.includes('"device":{') && firstSeenEvidence(JSON.parse(l).dfp ?? JSON.parse(l).doc?.dfp ?? {}, profile.firstSeen) > 0);
      assert.ok(firstSeen.length > 0, 'some events carry first-seen evidence (a new unmanaged device)');
      // Volume the lanes read off each row for user risk's burst evidence (ChunkDocs.volumeZ).
      const bursts = lines.filter((l) => volumeZ((JSON.parse(l).dfp ?? JSON.parse(l).doc?.dfp ?? {}).features) >= USER_RISK_MODEL.burst!.volumeZ);
      assert.ok(bursts.length > 0, 'some events carry burst evidence (a volume feature at z 5 or more)');
      // The rollout's events add no z-score evidence: without the rule, some users' risk is higher.
      const alone = await run(writeMode, { workers: 2, laneJson: false, profile: { ...rollout, sharedNovelty: undefined } });
      assert.ok(riskSum(alone.bodies) > riskSum(reference.bodies), 'the shared rollout lowers user risk');
      // And its events are scored without the app's group: lower z-scores there, the same elsewhere.
      const [withRule, without] = [zscores(reference.bodies), zscores(alone.bodies)];
      let lowered = 0;
      assert.ok(withRule.size > 0 && withRule.size === without.size);
      for (const [id, z] of withRule) {
        const was = without.get(id)!;
        if (z.rollout) lowered += z.zscore < was.zscore ? 1 : 0;
        else assert.deepEqual([z.zscore, z.is_anomaly], [was.zscore, was.is_anomaly], `${id}: not a rollout's, scored as without the rule`);
      }
      assert.ok(lowered > 0, "some rollout's events score lower");
      for (const workers of [2, 0]) {
        const lanes = await run(writeMode, { workers, profile: rollout });
        assert.equal(lanes.written, reference.written);
        assert.equal(lanes.bodies, reference.bodies, `${writeMode}, workers ${workers}: the same bulk bodies`);
      }
    });
  }
});

/** The model with a weight changed and its checksum left: it cannot be verified. */
function corrupted(json: FingerprintJson): FingerprintJson {
  const copy = structuredClone(json);
  copy.version += 1;
  const { checksum: _, ...body } = copy;
  copy.checksum = checksumOfBody(body);
  (copy as unknown as { weights: unknown }).weights = 'not weights';
  return copy;
}

/** Each document's dfp.zscore, dfp.is_anomaly and whether it is a rollout's, by its action line's _id (either write mode). */
function zscores(bodies: string): Map<string, { zscore: number; is_anomaly: boolean; rollout: boolean }> {
  const out = new Map<string, { zscore: number; is_anomaly: boolean; rollout: boolean }>();
  const lines = bodies.split('\n').filter((l) => l.length > 0);
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const action = Object.values(JSON.parse(lines[i]) as Record<string, { _id: string }>)[0];
    const doc = JSON.parse(lines[i + 1]) as { dfp?: DfpLike; doc?: { dfp?: DfpLike } };
    const dfp = doc.dfp ?? doc.doc?.dfp;
    if (typeof dfp?.zscore === 'number') out.set(action._id, { zscore: dfp.zscore, is_anomaly: dfp.is_anomaly, rollout: dfp.rollout != null });
  }
  return out;
}
type DfpLike = { zscore?: number; is_anomaly: boolean; rollout?: unknown };

/** The sum of dfp.user_risk over the bodies. */
function riskSum(bodies: string): number {
  let sum = 0;
  for (const m of bodies.matchAll(/"user_risk":([\d.]+)/g)) sum += Number(m[1]);
  return sum;
}

/** The event with its city changed. */
function inCity(event: Record<string, unknown>, city: string): Record<string, unknown> {
  const copy = structuredClone(event) as { geo?: { city_name?: string } };
  copy.geo = { ...copy.geo, city_name: city }; // azure-signin's city (geo.city_name)
  return copy;
}

/** The event from a device that is registered but neither compliant nor managed, its sign-in a success. */
function unmanaged(event: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(event) as { azure?: { signinlogs?: { properties?: Record<string, unknown> } }; event?: Record<string, unknown> };
  const props = copy.azure?.signinlogs?.properties ?? {};
  props.device_detail = { ...(props.device_detail as object), trust_type: 'Azure AD registered', is_compliant: false, is_managed: false };
  props.status = { error_code: 0 };
  copy.event = { ...copy.event, outcome: 'success' };
  return copy;
}

/** An event the profile cannot read (no user), in the test period, with unicode in it. */
function unreadable(): Record<string, unknown> {
  return { '@timestamp': new Date(testStart + 3_600_000).toISOString(), event: { id: 'no-user-東京' }, source: { geo: { city_name: 'Zürich' } } };
}
