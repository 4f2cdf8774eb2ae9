import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../server/engine/model/backend';
import { encodeRows, fitEncoding, layoutOf } from '../server/engine/features/encoding';
import type { FeatureValue } from '../server/engine/features/extract';
import { FeatureLoss } from '../server/engine/model/losses';
import { swapNoise } from '../server/engine/model/swap_noise';
import { makeRng } from '../server/engine/model/rng';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { Fingerprint } from '../server/engine/model/fingerprint';
import { fitLossStats, fitScoreScale, featureZ, LOSS_SCALE_FLOOR, SCORE_SCALE_FLOOR } from '../server/engine/score/zscore';

before(async () => {
  await initBackend('wasm');
});

const schema = { names: ['app', 'n', 'b'], kinds: ['categorical' as const, 'numeric' as const, 'binary' as const] };

test('per-feature losses match hand-computed cross-entropy, squared error and BCE', () => {
  const enc = fitEncoding(schema, [['a', 0, 1], ['b', 2, 0]]);
  const layout = layoutOf(enc); // [_null, _other, a, b | n | b]
  const loss = new FeatureLoss(layout);
  const output = tf.tensor2d([[0.5, -1, 2, 0, 1.5, 0.3]]);
  const target = tf.tensor2d([[0, 0, 1, 0, 1, 1]]);
  const got = Array.from(loss.compute(output, target).dataSync());
  const lse = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2) + Math.exp(0));
  const sigmoid = 1 / (1 + Math.exp(-0.3));
  const expected = [lse - 2, (1.5 - 1) ** 2, -Math.log(sigmoid)];
  got.forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-5, `feature ${i}: ${g} vs ${expected[i]}`));
  loss.dispose();
});

test('swap noise: p = 0 changes nothing; p = 0.2 swaps about a fifth of the cells, whole blocks at a time', () => {
  const rows: FeatureValue[][] = Array.from({ length: 400 }, (_, i) => [`v${i % 40}`, i, i % 2]);
  const enc = fitEncoding(schema, rows);
  const layout = layoutOf(enc);
  const clean = encodeRows(enc, layout, rows);
  assert.deepEqual(swapNoise(clean, 400, layout, 0, makeRng(1)), clean);
  const noisy = swapNoise(clean, 400, layout, 0.2, makeRng(1));
  let changedNumeric = 0;
  for (let i = 0; i < 400; i++) {
    const catBlock = noisy.subarray(i * layout.width, i * layout.width + layout.cat[0].size);
    assert.equal(catBlock.reduce((a, b) => a + b, 0), 1, 'a swapped categorical stays one-hot');
    if (noisy[i * layout.width + layout.num[0].offset] !== clean[i * layout.width + layout.num[0].offset]) changedNumeric++;
  }
  // Each cell swaps with p = 0.2 and lands on another value with probability 399/400.
  assert.ok(changedNumeric > 400 * 0.13 && changedNumeric < 400 * 0.27, `changed ${changedNumeric}`);
});

test('loss statistics: floors keep a constant feature from dividing by zero', () => {
  const losses = Float32Array.from([0.01, 2, 0.3, 0.01, 4, 0.1]); // 2 rows × 3 features
  const stats = fitLossStats(losses, 2, ['categorical', 'numeric', 'binary']);
  assert.deepEqual(stats.mean.map((m) => Number(m.toFixed(4))), [0.01, 3, 0.2]);
  assert.equal(stats.std[0], LOSS_SCALE_FLOOR.categorical);
  assert.ok(Math.abs(stats.std[1] - Math.SQRT2) < 1e-6); // sample std of 2 and 4
  assert.equal(stats.std[2], LOSS_SCALE_FLOOR.binary);
  const z = new Float64Array(3);
  featureZ(Float32Array.from([5.01, 1, 1.2]), 0, stats, z);
  assert.deepEqual(Array.from(z).map((v) => Number(v.toFixed(4))), [5, 0, 1]);
  const scale = fitScoreScale([1, 2, 3, 4, 100]);
  assert.equal(scale.median, 3);
  assert.ok(Math.abs(scale.scale - 1.4826) < 1e-9); // MAD of [2,1,0,1,97] is 1
  assert.equal(fitScoreScale([2, 2, 2]).scale, SCORE_SCALE_FLOOR);
});

function habitRows(n: number, seed: number): FeatureValue[][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => {
    const morning = rng() < 0.7;
    return [morning ? 'mail' : 'crm', morning ? 1 + rng() * 0.2 : 3 + rng() * 0.2, morning ? 1 : 0];
  });
}

const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 15, seed: 7 };

function trainOn(rows: FeatureValue[][], seed = 7): Fingerprint {
  return Fingerprint.train({
    profile: 'test',
    user: 'alice',
    schema,
    rows,
    times: rows.map((_, i) => i * 60_000),
    config: { ...config, seed },
    backend: 'wasm',
    version: 1,
  });
}

test('training learns: loss falls, unusual combinations score above habits', () => {
  const fp = trainOn(habitRows(300, 1));
  const history = fp.json.training.lossHistory;
  assert.ok(history[history.length - 1] < history[0] * 0.5, `loss ${history[0]} → ${history[history.length - 1]}`);
  const normal = fp.score(habitRows(50, 2));
  const odd = fp.score([
    ['mail', 3.1, 0], // mail with the crm hours and flag: a combination never seen
    ['payroll', 1.1, 1], // a value never seen
    ['crm', 25, 0], // a number far outside the range
  ]);
  const worstNormal = Math.max(...normal.map((s) => s.zscore));
  for (const s of odd) assert.ok(s.zscore > worstNormal, `odd ${s.zscore} vs normal max ${worstNormal}`);
  assert.equal(odd[1].predictions[0], 'mail', 'the model expected the habitual app');
  fp.dispose();
});

test('same seed → identical model; save → load → identical scores; tampering is refused', () => {
  const rows = habitRows(200, 3);
  const a = trainOn(rows, 11);
  const b = trainOn(rows, 11);
  assert.deepEqual(a.json.weights, b.json.weights);
  const c = trainOn(rows, 12);
  assert.notDeepEqual(a.json.weights, c.json.weights);
  const reloaded = Fingerprint.fromJson(JSON.parse(JSON.stringify(a.json)));
  const probe = habitRows(20, 4);
  assert.deepEqual(
    reloaded.score(probe).map((s) => s.zscore),
    a.score(probe).map((s) => s.zscore),
  );
  const tampered = JSON.parse(JSON.stringify(a.json));
  tampered.lossStats.mean[0] += 1;
  assert.throws(() => Fingerprint.fromJson(tampered), /checksum mismatch/);
  for (const fp of [a, b, c, reloaded]) fp.dispose();
});

test('warm start copies the generic model weights for the values the user shares with it', () => {
  const generic = Fingerprint.train({
    profile: 'test', user: null, schema, rows: habitRows(300, 5), times: [0], config, backend: 'wasm', version: 1,
  });
  const userRows: FeatureValue[][] = [['crm', 3, 0], ['crm', 3.1, 0], ['wiki', 1, 1]];
  const warm = Fingerprint.train({
    profile: 'test', user: 'bob', schema, rows: userRows, times: [0], config: { ...config, epochs: 0 }, backend: 'wasm', version: 1, warmStart: generic,
  });
  // With zero epochs the user's first layer is the generic one, re-indexed to the user's vocabulary.
  const gEnc = generic.json.encoding.columns[0] as { vocab: string[] };
  const uEnc = warm.json.encoding.columns[0] as { vocab: string[] };
  const gW = Buffer.from(generic.json.weights[0].w, 'base64');
  const uW = Buffer.from(warm.json.weights[0].w, 'base64');
  const hidden = generic.json.weights[0].outDim * 4;
  const rowOf = (buf: Buffer, slot: number) => buf.subarray(slot * hidden, (slot + 1) * hidden);
  assert.deepEqual(rowOf(uW, uEnc.vocab.indexOf('crm')), rowOf(gW, gEnc.vocab.indexOf('crm')));
  assert.deepEqual(rowOf(uW, uEnc.vocab.indexOf('wiki')), rowOf(gW, gEnc.vocab.indexOf('_other')));
  assert.equal(warm.json.training.warmStartFrom, 'generic@1');
  generic.dispose();
  warm.dispose();
});
