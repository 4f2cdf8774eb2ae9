import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../server/engine/model/backend';
import type { FeatureValue } from '../server/engine/features/extract';
import type { FeatureSchema } from '../server/engine/features/frame';
import { makeRng } from '../server/engine/model/rng';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { evidence, Fingerprint, usableTarget, weightOf, type FingerprintJson } from '../server/engine/model/fingerprint';
import { userZ } from '../server/engine/score/zscore';
import { ScoringModel } from '../server/engine/model/scoring_model';
import { BatchScorer, type ScoreJob } from '../server/engine/model/batch_scorer';
import { fixed4, predictionOf } from '../server/engine/model/predictions';
import { jsKernel, wasmKernel, type DenseKernel } from '../server/engine/model/simd_dense';
import { checksumMatches, checksumOfBody } from '../server/engine/model/checksum';
import { topColumnsInto, topFeatures } from '../server/engine/jobs/dfp_fields';

before(async () => {
  await initBackend('wasm');
});

const schema: FeatureSchema = {
  names: ['app', 'country', 'hours', 'failed', 'outcome'],
  kinds: ['categorical', 'categorical', 'numeric', 'binary', 'categorical'],
  groups: [[0, 1], [2], [3, 4]],
  discount: { column: 4, values: ['failure'], weight: 0.5 },
};
const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 4 };

/** A user's habits: `apps` apps and `countries` countries, so vocabularies (encoded widths) differ. */
function userRows(n: number, apps: number, countries: number, seed: string): FeatureValue[][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => {
    const a = Math.floor(rng() ** 2 * apps);
    const failed = rng() < 0.1;
    return [
      rng() < 0.03 ? null : `app${a}`,
      `c${Math.floor(rng() * countries)}`,
      rng() < 0.05 ? null : 8 + a + rng() * 2,
      rng() < 0.05 ? null : failed ? 1 : 0,
      failed ? 'failure' : 'success',
    ];
  });
}

function train(user: string | null, rows: FeatureValue[][]): Fingerprint {
  return Fingerprint.train({ profile: 'test', user, schema, rows, times: rows.map((_, i) => i * 60_000), config, backend: 'wasm', version: 1 });
}

/** The stored form, as a store hands it back. */
const stored = (fp: Fingerprint): FingerprintJson => JSON.parse(JSON.stringify(fp.json)) as FingerprintJson;

test('dense kernel: x·W + b (+ReLU) equals tf.matMul then tf.add (then tf.relu) bit for bit, SIMD and JS alike', () => {
  const kernels: DenseKernel[] = [jsKernel()];
  const simd = wasmKernel();
  if (simd) kernels.push(simd);
  const rng = makeRng('kernel');
  // Output widths that are whole blocks of 16, blocks and a rest, and less than a block.
  // (And one input wider than the kernel's scratch: it grows its memory mid-call.)
  const shapes = [[70, 105, 64, true], [33, 64, 107, false], [5, 32, 64, true], [1, 3, 1, false], [40, 130, 132, false], [9, 64, 16, true], [4, 1, 20, true], [3, 17, 12, false], [2, 5000, 8, true]] as const;
  for (const [m, k, n, relu] of shapes) {
    const n4 = Math.ceil(n / 4) * 4;
    const x = Float32Array.from({ length: m * k }, () => (rng() < 0.6 ? 0 : rng() * 4 - 2)); // sparse, like one-hot and ReLU outputs
    const w = Float32Array.from({ length: k * n }, () => rng() - 0.5);
    const b = Float32Array.from({ length: n }, () => rng() - 0.5);
    const y = tf.tidy(() => {
      const out = tf.add(tf.matMul(tf.tensor2d(x, [m, k]), tf.tensor2d(w, [k, n])), tf.tensor1d(b));
      return relu ? tf.relu(out) : out;
    });
    const want = y.dataSync() as Float32Array;
    y.dispose();
    for (const kernel of kernels) {
      const [xAt, wAt] = [0, m * k];
      const bAt = wAt + k * n4;
      const outAt = bAt + n4;
      kernel.reserve(outAt + m * n4);
      const mem = kernel.f32;
      mem.fill(0, 0, outAt + m * n4);
      mem.set(x, xAt);
      for (let r = 0; r < k; r++) mem.set(w.subarray(r * n, (r + 1) * n), wAt + r * n4);
      mem.set(b, bAt);
      kernel.dense(xAt, m, k, wAt, n4, bAt, outAt, relu);
      let differing = 0;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (kernel.f32[outAt + i * n4 + j] !== want[i * n + j]) differing++;
      assert.equal(differing, 0, `${kernel.simd ? 'SIMD' : 'JS'} kernel, ${m}×${k}×${n}`);
    }
  }
});

test('many users in one batch score exactly as each alone through Fingerprint.score', () => {
  const alice = train('alice', userRows(260, 3, 2, 'alice'));
  const bob = train('bob', userRows(240, 9, 6, 'bob')); // a wider encoding
  const generic = train(null, [...userRows(300, 12, 8, 'g1'), ...userRows(300, 4, 3, 'g2')]);
  const models = [alice, bob, generic].map((fp) => ScoringModel.fromJson(stored(fp)));
  assert.notEqual(models[0].layout.width, models[1].layout.width, 'the users differ in encoded width');
  // Unseen values, nulls, numbers far out of range, a discounted failure: every loss path.
  const probe = (seed: string, n: number): FeatureValue[][] => [
    ...userRows(n, 14, 10, seed),
    ['app99', 'c77', 55, 1, 'failure'],
    [null, null, null, null, null],
  ];
  const cases: { fp: Fingerprint; model: ScoringModel; rows: FeatureValue[][] }[] = [
    { fp: alice, model: models[0], rows: probe('p1', 40) },
    { fp: bob, model: models[1], rows: probe('p2', 25) },
    { fp: generic, model: models[2], rows: probe('p3', 30) }, // a user without a model of their own
    { fp: alice, model: models[0], rows: probe('p4', 2500) }, // more rows than one kernel block
    { fp: generic, model: models[2], rows: probe('p5', 1) },
  ];
  const scorer = new BatchScorer();
  // Twice: the second call reuses (and here grows) the first call's arrays.
  for (const jobs of [cases.slice(0, 3), cases]) {
    const scores = scorer.score(jobs.map(({ model, rows }): ScoreJob => ({ model, rows })));
    jobs.forEach(({ fp, model, rows }, j) => {
      const want = fp.score(rows);
      const f = schema.names.length;
      const preds = new Float64Array(f);
      want.forEach((w, i) => {
        const g = scores.rowStart[j] + i;
        const where = `job ${j} row ${i}`;
        assert.equal(scores.anomalyScore[g], w.anomalyScore, `${where}: anomaly score`);
        assert.equal(scores.maxAbsZ[g], w.maxAbsZ, `${where}: max z`);
        assert.equal(scores.zscore[g], w.zscore, `${where}: zscore`);
        assert.deepEqual(Array.from(scores.z.subarray(scores.zStart[j] + i * f, scores.zStart[j] + (i + 1) * f)), Array.from(w.z), `${where}: z`);
        scores.predictions(j, i, preds, 0);
        assert.deepEqual(Array.from(preds, (p, c) => predictionOf(model, c, p)), w.predictions, `${where}: predictions`);
      });
    });
  }
  for (const fp of [alice, bob, generic]) fp.dispose();
});

test("a model with a target group also scores each row without it (zShared: a rollout's event)", () => {
  // The app and country group is the target: what the user reached, as Profile.sharedNovelty names it.
  const targeted: FeatureSchema = { ...schema, target: 0 };
  const rows = userRows(220, 3, 2, 'carol');
  const fp = Fingerprint.train({ profile: 'test', user: 'carol', schema: targeted, rows, times: rows.map((_, i) => i * 60_000), config, backend: 'wasm', version: 1 });
  const plain = train('dave', userRows(220, 3, 2, 'dave'));
  const [carol, dave] = [fp, plain].map((f) => ScoringModel.fromJson(stored(f)));
  assert.equal(carol.target, 0);
  assert.equal(dave.target, undefined);
  const probe = [...userRows(30, 14, 10, 'p6'), ['app99', 'c77', 9, 0, 'success'], ['app99', 'c77', 9, 1, 'failure']];
  const scores = new BatchScorer().score([{ model: carol, rows: probe }, { model: dave, rows: probe }]);
  const f = schema.names.length;
  let lowered = 0;
  probe.forEach((row, i) => {
    const g = scores.rowStart[0] + i;
    // The same evidence with the target group's z at 0: its √ adds nothing.
    const z = Float64Array.from(scores.z.subarray(scores.zStart[0] + i * f, scores.zStart[0] + (i + 1) * f));
    z[0] = 0;
    z[1] = 0;
    const want = userZ(evidence(z, targeted.groups) * weightOf(row, targeted), carol.scale);
    assert.ok(Math.abs(scores.zShared[g] - want) < 1e-9, `row ${i}: ${scores.zShared[g]} vs ${want}`);
    assert.ok(scores.zShared[g] <= scores.zscore[g]);
    if (scores.zShared[g] < scores.zscore[g] - 0.5) lowered += 1;
    assert.ok(Number.isNaN(scores.zShared[scores.rowStart[1] + i]), 'no target group: NaN');
  });
  assert.ok(lowered >= 2, 'the new app and country weigh in the z-score and not in zShared');
  // A stored target that is not one of the model's groups, or is a travel group, is ignored.
  const groups = [[0, 1], [2], [3, 4]];
  assert.equal(usableTarget(3, groups, undefined), undefined);
  assert.equal(usableTarget(-1, groups, undefined), undefined);
  assert.equal(usableTarget('0', groups, undefined), undefined);
  assert.equal(usableTarget(0, groups, { place: 0, device: 2, weight: 0.25, familiarZ: 0.5 }), undefined);
  assert.equal(usableTarget(1, groups, { place: 0, device: 2, weight: 0.25, familiarZ: 0.5 }), 1);
  fp.dispose();
  plain.dispose();
});

test('loading for scoring verifies the checksum as Fingerprint.fromJson does', () => {
  const fp = train('carol', userRows(120, 3, 2, 'carol'));
  const json = stored(fp);
  fp.dispose();
  assert.ok(checksumMatches(json));
  const tampered = stored(fp);
  tampered.weights[1].w = tampered.weights[1].w.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  assert.throws(() => ScoringModel.fromJson(tampered), /checksum mismatch for carol v1/);
  assert.throws(() => Fingerprint.fromJson(tampered), /checksum mismatch for carol v1/);
  const statsTampered = stored(fp);
  statsTampered.lossStats.mean[0] += 1;
  assert.throws(() => ScoringModel.fromJson(statsTampered), /checksum mismatch/);

  // The fast path hashes long strings unescaped; one that needs escaping must still verify exactly.
  const body = { a: 1, weights: [{ w: `${'x'.repeat(300)}"\\\n\u2028é`, b: 'short' }], tail: [null, 'z'] };
  const odd = { ...body, checksum: checksumOfBody(body) };
  assert.ok(checksumMatches(odd), 'a string needing JSON escapes verifies');
  const changed = { ...odd, a: 2 } as { checksum: string };
  assert.ok(!checksumMatches(changed), 'and a changed model still fails');
});

test('top features: the k largest z > 0, ties in column order, as sorting all of them gives', () => {
  const rng = makeRng('top');
  const names = Array.from({ length: 12 }, (_, i) => `f${i}`);
  const bySort = (z: Float64Array, k: number): string[] =>
    names.map((name, c) => ({ name, z: z[c] })).filter((f) => f.z > 0).sort((a, b) => b.z - a.z).slice(0, k).map((f) => f.name);
  for (let trial = 0; trial < 2000; trial++) {
    // Few distinct values: many ties and zeros.
    const z = Float64Array.from(names, () => (rng() < 0.4 ? 0 : Math.floor(rng() * 4) / 2));
    for (const k of [0, 1, 3, 12, 20, 2.5, -1, NaN]) assert.deepEqual(topFeatures(names, z, 0, k), bySort(z, k), `trial ${trial}, k ${k}`);
    // As column numbers, into a row of a shared array that still holds an earlier row's.
    const out = new Int16Array(3 * 12).fill(7);
    const n = topColumnsInto(z, 0, 12, 3, out, 12);
    assert.deepEqual(Array.from(out.subarray(12, 12 + n), (c) => names[c]), bySort(z, 3));
    assert.ok(out.subarray(0, 12).every((c) => c === 7) && out.subarray(12 + 3).every((c) => c === 7), 'nothing written outside the row');
  }
});

test('numeric predictions: fixed4 is Number(x.toFixed(4)), ties, signs and huge values included', () => {
  const rng = makeRng('fixed4');
  const f32 = new Float32Array(1);
  const values = [0, -0, 0.00005, -0.00005, 1.00005, -2.50005, 2.5e-5, 1e-7, -1e-7, 5e-324, 214748.36475, 1e15, -1e21, 1e21, NaN, Infinity, -Infinity];
  for (let i = 0; i < 200_000; i++) {
    f32[0] = (rng() - 0.5) * 16; // a float32 network output…
    values.push(f32[0] * (rng() * 50) + (rng() - 0.5) * 100); // …times a std, plus a mean
    values.push((Math.round((rng() - 0.5) * 2e6) + 0.5) / 1e4); // ties at the fifth decimal
    values.push((rng() - 0.5) * 1e-3);
  }
  for (const x of values) {
    assert.ok(Object.is(fixed4(x), Number(x.toFixed(4))), `${x}`);
    assert.ok(Object.is(fixed4(-x), Number((-x).toFixed(4))), `${-x}`);
  }
});
