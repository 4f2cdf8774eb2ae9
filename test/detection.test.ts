import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem, RawEvent } from '../server/engine/types';
import { generate, type SynthProfile } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import { eventIdOf } from '../server/engine/features/extract';
import { qualityReport } from '../server/engine/eval/metrics';

before(async () => {
  await initBackend('wasm');
});

const items = (events: RawEvent[]): InputItem[] =>
  events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

/**
 * Planted compromises must rank above normal activity. A model that learned nothing ranks at
 * about 0.5; these bounds fail for a broken model, a broken encoding or broken calibration.
 */
async function detect(name: SynthProfile, users: number) {
  const ds = generate({ profile: name, seed: 3, users, trainDays: 21, testDays: 5, compromisedUsers: 4 });
  const profile = resolveProfile(name);
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), `dfp-detect-${name}-`)));
  const trained = await trainModels(items(ds.train), { profile, store, backend: 'wasm' });
  assert.ok(trained.users.some((u) => u.model !== 'generic'), 'some users get a model of their own');
  const out: Record<string, unknown>[] = [];
  const summary = await scoreEvents(items(ds.test), { profile, store }, async (doc) => void out.push(doc));
  assert.equal(out.length, ds.test.length, 'every event comes out');
  assert.equal(summary.errors, 0);
  const attacks = new Set(ds.truth.attackEventIds);
  const scored = out.map((doc) => {
    const dfp = doc.dfp as { user: string; zscore: number; is_anomaly: boolean };
    return { user: dfp.user, score: dfp.zscore, flagged: dfp.is_anomaly, attack: attacks.has(eventIdOf(doc, profile) ?? '') };
  });
  // The truth names compromised principals as the generator made them (CloudTrail: by role name);
  // the profile keys users its own way (an SSO session's person, account and role), so a user is
  // compromised when planted attack events are theirs.
  const q = qualityReport(scored, new Set(scored.filter((s) => s.attack).map((s) => s.user)));
  process.stderr.write(`${name}: ${JSON.stringify(q)}\n`);
  return q;
}

test('azure-signin: planted compromises rank above normal sign-ins', async () => {
  const q = await detect('azure-signin', 40);
  assert.ok(q.attackEvents > 0);
  assert.ok(q.eventAuc >= 0.98, `event ROC AUC ${q.eventAuc}`);
  assert.ok(q.userAuc >= 0.9, `user ROC AUC ${q.userAuc}`);
  assert.ok(q.flagPrecision >= 0.5, `flag precision ${q.flagPrecision}`);
  assert.ok(q.innocentUsersFlagged <= 0.1, `innocent users flagged ${q.innocentUsersFlagged}`);
});

test('cloudtrail: planted compromises rank above normal API activity', async () => {
  const q = await detect('cloudtrail', 30);
  assert.ok(q.attackEvents > 0);
  assert.ok(q.eventAuc >= 0.97, `event ROC AUC ${q.eventAuc}`);
  assert.ok(q.userAuc >= 0.9, `user ROC AUC ${q.userAuc}`);
  assert.ok(q.flagPrecision >= 0.5, `flag precision ${q.flagPrecision}`);
  assert.ok(q.innocentUsersFlagged <= 0.1, `innocent users flagged ${q.innocentUsersFlagged}`);
});
