import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../server/engine/model/backend';
import { encodeRows, fitEncoding, layoutOf } from '../server/engine/features/encoding';
import type { FeatureValue } from '../server/engine/features/extract';
import type { FeatureSchema } from '../server/engine/features/frame';
import { FeatureLoss } from '../server/engine/model/losses';
import { makeRng } from '../server/engine/model/rng';
import { Autoencoder, DEFAULT_AUTOENCODER_CONFIG, initialWeights } from '../server/engine/model/autoencoder';
import { StackLoss } from '../server/engine/model/stacked_loss';
import { planStacks, stepsPerEpoch, trainStack, type StackMember } from '../server/engine/model/stacked_training';
import { Fingerprint, type TrainInput } from '../server/engine/model/fingerprint';

before(async () => {
  await initBackend('wasm');
});

const schema: FeatureSchema = {
  names: ['app', 'country', 'hour', 'failed'],
  kinds: ['categorical', 'categorical', 'numeric', 'binary'],
};
const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 6 };

/** A user's habits: `apps` distinct apps and `countries` countries, so vocabularies (widths) differ. */
function userRows(n: number, apps: number, countries: number, seed: string): FeatureValue[][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => {
    const a = Math.floor(rng() ** 2 * apps);
    return [`app${a}`, `c${Math.floor(rng() * countries)}`, 8 + a + rng() * 2, rng() < 0.05 ? 1 : 0];
  });
}

function member(rows: FeatureValue[][]): StackMember {
  const enc = fitEncoding(schema, rows);
  const layout = layoutOf(enc);
  return { layout, clean: encodeRows(enc, layout, rows), rows: rows.length, init: initialWeights(layout, config) };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test('the stack loss and its gradient equal FeatureLoss and its tape gradient, padding ignored', () => {
  // Two members with different vocabularies in rows of the wider's width; 3 rows of room, 2 and 3 used.
  const a = member(userRows(50, 3, 2, 'a'));
  const b = member(userRows(50, 6, 4, 'b'));
  assert.notEqual(a.layout.width, b.layout.width);
  const rng = makeRng('out');
  const R = 3;
  const W = Math.max(a.layout.width, b.layout.width);
  const out = Float32Array.from({ length: 2 * R * W }, () => rng() * 6 - 3);
  const target = new Float32Array(2 * R * W);
  const rows = Int32Array.from([2, 3]);
  const members = [a, b];
  // Targets: the members' own encoded rows, each at the start of its W-wide row.
  members.forEach((m, u) => {
    for (let i = 0; i < rows[u]; i++) target.set(m.clean.subarray(i * m.layout.width, (i + 1) * m.layout.width), (u * R + i) * W);
  });
  const { gradient, memberLoss } = new StackLoss([a.layout, b.layout], W).evaluate(out, target, rows, 2, R);

  members.forEach((m, u) => {
    // The same outputs in the member's own layout, through FeatureLoss on the tape.
    const w = m.layout.width;
    const own = new Float32Array(rows[u] * w);
    const ownTarget = new Float32Array(rows[u] * w);
    for (let i = 0; i < rows[u]; i++) {
      own.set(out.subarray((u * R + i) * W, (u * R + i) * W + w), i * w);
      ownTarget.set(target.subarray((u * R + i) * W, (u * R + i) * W + w), i * w);
    }
    const loss = new FeatureLoss(m.layout);
    const y = tf.tensor2d(ownTarget, [rows[u], w]);
    const meanLoss = (o: tf.Tensor): tf.Scalar => tf.mean(loss.compute(o as tf.Tensor2D, y));
    const expectedLoss = meanLoss(tf.tensor2d(own, [rows[u], w])).dataSync()[0];
    const expectedGrad = tf.grad(meanLoss)(tf.tensor2d(own, [rows[u], w])).dataSync() as Float32Array;
    assert.ok(Math.abs(memberLoss[u] - expectedLoss) < 1e-5, `member ${u}: loss ${memberLoss[u]} vs ${expectedLoss}`);
    const got = new Float32Array(rows[u] * w);
    for (let i = 0; i < rows[u]; i++) got.set(gradient.subarray((u * R + i) * W, (u * R + i) * W + w), i * w);
    assert.ok(maxAbsDiff(got, expectedGrad) < 1e-6, `member ${u}: gradient differs by ${maxAbsDiff(got, expectedGrad)}`);
    // Nothing outside the member's own rows and slots.
    let outside = 0;
    for (let k = u * R * W; k < (u + 1) * R * W; k++) outside += Math.abs(gradient[k]);
    let inside = 0;
    for (const v of got) inside += Math.abs(v);
    assert.ok(Math.abs(outside - inside) < 1e-6, `member ${u}: gradient leaks into padding`);
    loss.dispose();
  });
});

for (const kind of ['kernels', 'tensors'] as const) {
  test(`${kind}: a member trained in a stack with others of other widths and sizes ends where it would in a stack of its own`, () => {
    const members = [member(userRows(420, 4, 2, 'x')), member(userRows(390, 9, 5, 'y')), member(userRows(440, 2, 1, 'z'))];
    assert.equal(new Set(members.map((m) => m.layout.width)).size, 3, 'widths differ');
    assert.equal(new Set(members.map((m) => stepsPerEpoch(m.rows, config))).size, 1, 'same steps an epoch');
    const together = trainStack(members, config, kind);
    members.forEach((m, u) => {
      const [alone] = trainStack([m], config, kind);
      alone.weights.forEach((l, i) => {
        const d = maxAbsDiff(together[u].weights[i].w, l.w);
        assert.ok(d < 1e-5, `member ${u} layer ${i}: weights differ by ${d}`);
      });
      alone.lossHistory.forEach((v, e) => assert.ok(Math.abs(v - together[u].lossHistory[e]) < 1e-6 * Math.max(1, v), `epoch ${e}`));
    });
  });

  test(`${kind}: a stacked member learns what the one-model trainer (tape and tf.train.adam) learns from the same start`, () => {
    const m = member(userRows(400, 5, 3, 'alone'));
    const [stacked] = trainStack([m, member(userRows(410, 8, 2, 'other'))], config, kind);
    const net = Autoencoder.fromWeights(m.layout, m.init);
    const reference = net.train(m.clean, m.rows, config);
    // Same losses epoch by epoch, to float rounding (their sums run in another order).
    reference.forEach((v, e) => assert.ok(Math.abs(v - stacked.lossHistory[e]) / v < 1e-3, `epoch ${e}: ${stacked.lossHistory[e]} vs ${v}`));
    assert.ok(reference[reference.length - 1] < reference[0] * 0.8, 'training lowered the loss');
    // The per-row losses of the two trained networks agree.
    const a = net.evaluate(m.clean, m.rows).losses;
    const other = Autoencoder.fromWeights(m.layout, stacked.weights);
    const b = other.evaluate(m.clean, m.rows).losses;
    let meanA = 0;
    for (const v of a) meanA += v / a.length;
    assert.ok(maxAbsDiff(a, b) < 0.05 * Math.max(1, meanA) + 0.05, `per-row losses differ by ${maxAbsDiff(a, b)}`);
    net.dispose();
    other.dispose();
  });
}

test('Fingerprint.trainMany gives each user the fingerprint Fingerprint.train gives it alone', () => {
  const inputs: TrainInput[] = [
    ['ann', userRows(330, 3, 2, 'ann')],
    ['bob', userRows(520, 7, 4, 'bob')],
    ['cy', userRows(340, 5, 1, 'cy')],
  ].map(([user, rows]) => ({
    profile: 'test', user: user as string, schema, rows: rows as FeatureValue[][], times: (rows as FeatureValue[][]).map((_, i) => i * 60_000),
    config, backend: 'wasm', version: 1,
  }));
  const seen: number[] = [];
  const many = Fingerprint.trainMany(inputs, { onTrained: (i) => seen.push(i) });
  assert.deepEqual([...seen].sort(), [0, 1, 2]);
  inputs.forEach((input, i) => {
    const alone = Fingerprint.train(input);
    assert.equal(many[i].json.user, input.user);
    assert.deepEqual(many[i].json.encoding, alone.json.encoding);
    alone.json.training.lossHistory.forEach((v, e) => assert.ok(Math.abs(v - many[i].json.training.lossHistory[e]) / v < 1e-3, `${input.user} epoch ${e}`));
    // Scores of the training rows agree closely: the same model up to float rounding.
    const a = alone.score(input.rows.slice(0, 50));
    const b = many[i].score(input.rows.slice(0, 50));
    a.forEach((s, k) => assert.ok(Math.abs(s.zscore - b[k].zscore) < 0.25 + 0.05 * Math.abs(s.zscore), `${input.user} row ${k}: ${s.zscore} vs ${b[k].zscore}`));
    alone.dispose();
    many[i].dispose();
  });
});

test('planStacks: equal steps an epoch in a stack, capped in members, step cells and epoch data, and every member placed once', () => {
  const rows = [40, 100, 130, 300, 310, 500, 505, 900, 4000, 4100, 64, 65, ...Array.from({ length: 150 }, (_, i) => 449 + i)];
  const members = rows.map((r, i) => ({ rows: r, width: 50 + (i % 7) * 10 }));
  const stacks = planStacks(members, config, 64, 500_000);
  assert.deepEqual(stacks.flat().sort((a, b) => a - b), members.map((_, i) => i));
  for (const s of stacks) {
    assert.ok(s.length <= 64);
    assert.equal(new Set(s.map((i) => stepsPerEpoch(members[i].rows, config))).size, 1);
  }
  // 4000 and 4100 rows take batches of 500 and 513; they must not sit with 64-row batches.
  const big = stacks.find((s) => s.includes(8))!;
  assert.ok(big.every((i) => members[i].rows >= 3000), `stack with the 4000-row user: ${big.map((i) => members[i].rows)}`);
  // The epoch's data is capped too: long histories go to smaller stacks.
  const capped = planStacks(members, config, 64, 500_000, 100_000);
  assert.deepEqual(capped.flat().sort((a, b) => a - b), members.map((_, i) => i));
  for (const s of capped) {
    const data = s.reduce((sum, i) => sum + members[i].rows * members[i].width, 0);
    assert.ok(s.length === 1 || data <= 100_000, `stack of ${s.length} holds ${data} cells`);
  }
  assert.ok(capped.length > stacks.length, 'the cap split stacks');
});

test('trainStack refuses members that take different numbers of steps', () => {
  assert.throws(() => trainStack([member(userRows(100, 3, 2, 'p')), member(userRows(400, 3, 2, 'q'))], config), /different numbers of steps/);
});
