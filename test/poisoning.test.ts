/**
 * Poisoning resistance (issue 17): an intruder who stays through a retraining must not become the
 * user's normal. Real training and scoring on the demo generator's data: train on the history,
 * score the week that holds the compromises, retrain on history + that scored week, score the
 * week again. Retraining on the week as raw events (what happened before) is the control: it
 * shows the attacks learned away, so the test fails if the scored week's flags stop keeping
 * events out.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InputItem, RawEvent } from '../server/engine/types';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { trainModels, type TrainSummary } from '../server/engine/jobs/train';
import { scoreEvents } from '../server/engine/jobs/score';
import { eventIdOf } from '../server/engine/features/extract';
import { rocAuc } from '../server/engine/eval/metrics';
import { compromisedSince, LeftOutLedger, leftOutReason } from '../server/engine/model/left_out';
import { collectRows } from '../server/engine/jobs/collect';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { trainReport } from '../scripts/cli/report';

before(async () => {
  await initBackend('wasm');
});

const profile = resolveProfile('azure-signin');
const ds = generate({ profile: 'azure-signin', seed: 5, users: 36, trainDays: 21, testDays: 6, compromisedUsers: 6 });
const attacks = new Set(ds.truth.attackEventIds);
const config = { epochs: 12 };

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'generated', line: i + 1 } }));

async function train(events: RawEvent[]): Promise<{ store: FsModelStore; summary: TrainSummary }> {
  const store = new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-poison-')));
  const summary = await trainModels(items(events), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, ...config } });
  return { store, summary };
}

async function score(store: FsModelStore): Promise<{ docs: RawEvent[]; auc: number; compromisedFlagged: number }> {
  const docs: RawEvent[] = [];
  await scoreEvents(items(ds.test), { profile, store }, async (doc) => void docs.push(doc));
  const rows = docs.map((doc) => ({ dfp: doc.dfp as { user: string; zscore?: number; user_flagged?: boolean }, attack: attacks.has(eventIdOf(doc, profile) ?? '') }));
  const compromised = new Set(rows.filter((r) => r.attack).map((r) => r.dfp.user));
  const flagged = new Set(rows.filter((r) => r.dfp.user_flagged === true && compromised.has(r.dfp.user)).map((r) => r.dfp.user));
  const auc = rocAuc(rows.map((r) => r.dfp.zscore ?? 0), rows.map((r) => r.attack));
  return { docs, auc, compromisedFlagged: flagged.size };
}

test('retraining on a scored week leaves its flagged events out, so its attacks stay flagged', async () => {
  const first = await train(ds.train);
  const week = await score(first.store);
  assert.ok(week.compromisedFlagged >= 3, `the first model flags compromised users (${week.compromisedFlagged})`);

  // Retrained on history + the scored week: flagged events and flagged periods are left out.
  const guarded = await train([...ds.train, ...week.docs]);
  const left = guarded.summary.leftOut;
  assert.ok(left.events > 0, 'some of the week was left out');
  assert.ok((left.byReason['at or above the threshold'] ?? 0) > 0);
  assert.match(trainReport(guarded.summary), new RegExp(`left out ${left.events} events an earlier run scored \\(\\d+ at or above the threshold`));
  const leftOutAttacks = week.docs.filter((d) => attacks.has(eventIdOf(d, profile) ?? '') && leftOutReason(d, 8) !== undefined).length;
  const attacksInWeek = week.docs.filter((d) => attacks.has(eventIdOf(d, profile) ?? '')).length;
  assert.ok(leftOutAttacks >= attacksInWeek / 2, `most attack events are left out (${leftOutAttacks} of ${attacksInWeek})`);
  const again = await score(guarded.store);

  // The control: the same week learned as raw events.
  const poisoned = await score((await train([...ds.train, ...ds.test])).store);
  process.stderr.write(`poisoning: first ${JSON.stringify({ auc: week.auc, flagged: week.compromisedFlagged })}, guarded ${JSON.stringify({ auc: again.auc, flagged: again.compromisedFlagged })}, raw ${JSON.stringify({ auc: poisoned.auc, flagged: poisoned.compromisedFlagged })}\n`);
  assert.ok(poisoned.compromisedFlagged < week.compromisedFlagged, 'learning the raw week hides compromised users (the danger this guards against)');
  assert.ok(again.compromisedFlagged >= week.compromisedFlagged - 1, `compromised users still flagged after retraining: ${again.compromisedFlagged} (first ${week.compromisedFlagged})`);
  assert.ok(again.auc >= week.auc - 0.02, `attack events still rank high: AUC ${again.auc} (first ${week.auc})`);
  assert.ok(again.compromisedFlagged > poisoned.compromisedFlagged, 'the guard keeps more compromised users flagged than learning everything');

  // The model says what it left out: the flagged users' models list their events and why.
  const models = await Promise.all([...new Set(week.docs.filter((d) => leftOutReason(d, 8) !== undefined).map((d) => (d.dfp as { user: string }).user))].map((u) => guarded.store.load(profile.name, u)));
  const listed = models.filter((m) => m?.training.leftOut !== undefined);
  assert.ok(listed.length > 0, 'models of users with left-out events record them');
  for (const m of listed) {
    assert.ok(m!.training.leftOut!.events > 0);
    assert.ok(m!.training.leftOut!.examples.length > 0 && m!.training.leftOut!.examples.length <= 20);
  }
});

test('an event marked benign is learned; one marked compromised is not, whatever its score', () => {
  const flagged = { dfp: { zscore: 12, user_flagged: true } };
  assert.equal(leftOutReason(flagged, 8), 'at or above the threshold');
  assert.equal(leftOutReason({ dfp: { ...flagged.dfp, triage: { status: 'benign' } } }, 8), undefined);
  assert.equal(leftOutReason({ dfp: { zscore: 1, triage: { status: 'compromised' } } }, 8), 'marked compromised');
  assert.equal(leftOutReason({ dfp: { zscore: 3, user_flagged: true } }, 8), 'in a flagged period');
  assert.equal(leftOutReason({ dfp: { zscore: 7.99 } }, 8), undefined);
  // Dotted keys (a flattened export) read the same; events no run scored are learned.
  assert.equal(leftOutReason({ 'dfp.zscore': 9 }, 8), 'at or above the threshold');
  assert.equal(leftOutReason({ user: { name: 'constructor' } }, 8), undefined);
  assert.equal(leftOutReason({ dfp: 'not an object' }, 8), undefined);
  // A mark in the triage store wins over the event's own dfp.triage.status; a suppressed event (a benign pattern) is learned.
  assert.equal(leftOutReason({ dfp: { zscore: 12, triage: { status: 'benign' } } }, 8, undefined, undefined, 'compromised'), 'marked compromised');
  assert.equal(leftOutReason({ dfp: { zscore: 12, triage: { status: 'compromised' } } }, 8, undefined, undefined, 'benign'), undefined);
  assert.equal(leftOutReason({ dfp: { zscore: 12, suppressed: { by: 'kim' } } }, 8), undefined);
  assert.equal(leftOutReason({ dfp: { zscore: 1, suppressed: { by: 'kim' } } }, 8, 0, 10), 'marked compromised', 'a suppression does not outweigh a user marked compromised');
});

test('a user marked compromised is not learned from the decision\'s "since" (or a week before it) while the mark stands', async () => {
  const t0 = Date.parse('2026-12-01T00:00:00Z');
  const records = [
    { target: { source: 'azure', user: 'ann' }, status: 'compromised' as const, since: '2026-11-28T00:00:00Z', by: 'kim', at: '2026-12-01T00:00:00.000Z' },
    { target: { source: 'azure', user: 'bob' }, status: 'compromised' as const, by: 'kim', at: '2026-12-01T00:00:00.000Z' },
    // Cleaned up: a later decision ends the mark.
    { target: { source: 'azure', user: 'cat' }, status: 'compromised' as const, by: 'kim', at: '2026-11-20T00:00:00.000Z' },
    { target: { source: 'azure', user: 'cat' }, status: 'benign' as const, by: 'kim', at: '2026-11-25T00:00:00.000Z' },
    // An event's mark is not the user's.
    { target: { source: 'azure', user: 'dan', event: { index: 'i', id: 'e' } }, status: 'compromised' as const, by: 'kim', at: '2026-12-01T00:00:00.000Z' },
  ];
  const since = compromisedSince(records);
  assert.deepEqual([...since.keys()].sort(), ['ann', 'bob']);
  assert.equal(since.get('ann'), Date.parse('2026-11-28T00:00:00Z'));
  assert.equal(since.get('bob'), t0 - 7 * 86_400_000);

  // Through the training read: ann's events from the 28th on are left out, her earlier ones and
  // everyone else's learned; an event of hers marked benign is learned.
  const event = (user: string, day: number, dfp?: object): RawEvent => ({ '@timestamp': new Date(Date.parse('2026-11-20T12:00:00Z') + day * 86_400_000).toISOString(), user: { name: user }, event: { id: `${user}-${day}` }, ...(dfp ? { dfp } : {}) });
  const events = [event('ann', 0), event('ann', 9), event('ann', 10, { triage: { status: 'benign' } }), event('eve', 9)];
  const ledger = new LeftOutLedger();
  const collected = await collectRows(items(events), profile, { keepItems: false, leftOut: { threshold: 8, ledger, compromised: since } });
  assert.deepEqual(collected.rows.map((r) => r.row.time), [events[0], events[2], events[3]].map((e) => Date.parse(String(e['@timestamp']))));
  assert.deepEqual(ledger.summary(), { events: 1, byReason: { 'marked compromised': 1 }, benign: 1 }, "the benign event is learned although its user is marked compromised, and counted so");
  assert.deepEqual(ledger.of('ann')?.examples, [{ id: 'ann-9', time: String(events[1]['@timestamp']), reason: 'marked compromised' }]);
});

test("an event within a day of a flagged event of its user is in that user's flagged period and not learned, unless an analyst vouched for it", async () => {
  const H = 3_600_000;
  const t0 = Date.parse('2026-11-20T12:00:00Z');
  const event = (user: string, hours: number, dfp?: object): RawEvent => ({ '@timestamp': new Date(t0 + hours * H).toISOString(), user: { name: user }, event: { id: `${user}-${hours}` }, ...(dfp ? { dfp } : {}) });
  const events = [
    event('ann', -30, { zscore: 2 }), // 30 h before her flag: learned
    event('ann', -20, { zscore: 3 }), // the intruder's first step, 20 h before: in the period
    event('ann', 0, { zscore: 11 }), // flagged
    event('ann', 5, { zscore: 1, triage: { status: 'benign' } }), // an analyst vouched for it: learned
    event('ann', 6), // never scored (the history), yet in the period: an intrusion may start before the run that flagged it
    event('ann', 23, { zscore: 4 }), // in the period
    event('ann', 25, { zscore: 4 }), // 25 h after: learned
    event('constructor', 1, { zscore: 2 }), // another user, no flag of theirs: learned
  ];
  const ledger = new LeftOutLedger();
  const collected = await collectRows(items(events), profile, { keepItems: false, leftOut: { threshold: 8, ledger } });
  const hoursKept = collected.rows.map((r) => (r.row.time - t0) / H);
  assert.deepEqual(hoursKept, [-30, 5, 25, 1]);
  assert.deepEqual(ledger.summary(), { events: 4, byReason: { 'at or above the threshold': 1, 'in a flagged period': 3 } });
  assert.deepEqual(ledger.of('ann')!.examples.map((e) => [(Date.parse(e.time) - t0) / H, e.reason]), [[-20, 'in a flagged period'], [0, 'at or above the threshold'], [6, 'in a flagged period'], [23, 'in a flagged period']]);
});
