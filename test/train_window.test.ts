// The training window: it ends at --until, else at the newest event that is not in the future.
// One future-dated document (a clock gone wrong) must not shrink every user's window: it is
// reported with its file and line and never learned. Real training, wasm backend, small data.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../datasets/synth';
import { resolveProfile } from '../server/engine/profiles';
import { initBackend } from '../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../server/engine/model/autoencoder';
import { FsModelStore } from '../server/engine/io/model_store_fs';
import { CLOCK_SKEW_MS, trainModels } from '../server/engine/jobs/train';
import type { InputItem, RawEvent } from '../server/engine/types';
import { untilOf } from '../scripts/cli/options';

const DAY = 86_400_000;
const profile = resolveProfile('azure-signin');
const config = { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 1 };
const ds = generate({ profile: 'azure-signin', seed: 31, users: 4, trainDays: 12, testDays: 0, compromisedUsers: 0, start: '2026-08-01T00:00:00Z' });
const times = ds.train.map((e) => Date.parse(String(e['@timestamp'])));
const newest = Math.max(...times);
const NOW = Date.parse('2026-12-01T00:00:00Z');

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'train.ndjson', line: i + 1 } }));
const atTime = (e: RawEvent, t: number): RawEvent => ({ ...e, '@timestamp': new Date(t).toISOString(), event: { ...(e.event as object), id: `moved-${t}` } });
const train = (events: RawEvent[], extra: { until?: number; windowDays?: number } = {}) =>
  trainModels(items(events), { profile, store: new FsModelStore(mkdtempSync(path.join(os.tmpdir(), 'dfp-window-'))), backend: 'wasm', config, minHistory: 10_000, now: () => NOW, ...extra });

before(async () => void (await initBackend('wasm')));

describe('the training window', () => {
  it('a future-dated event is reported with its line and not learned; it does not move the window', async () => {
    const base = await train(ds.train, { windowDays: 5 });
    const future = atTime(ds.train[3], NOW + 365 * DAY);
    const justAhead = atTime(ds.train[4], NOW + CLOCK_SKEW_MS / 2); // within the clock skew: learned
    const withFuture = await train([...ds.train, future, justAhead], { windowDays: 5 });
    assert.equal(withFuture.window!.end, new Date(NOW + CLOCK_SKEW_MS / 2).toISOString(), 'an event within the skew is the newest learned');
    const withoutSkewed = await train([...ds.train, future], { windowDays: 5 });
    assert.deepEqual(withoutSkewed.window, base.window, 'the window is the one without the future event');
    assert.equal(withoutSkewed.rowsInWindow, base.rowsInWindow);
    assert.equal(withoutSkewed.report.byKind()['timestamp in the future'], 1, JSON.stringify(withoutSkewed.report.byKind()));
    assert.ok(withoutSkewed.report.examples.some((e) => e.startsWith(`train.ndjson:${ds.train.length + 1}: `) && e.endsWith('not learned')), withoutSkewed.report.examples.join('\n'));
    assert.equal(withoutSkewed.events, ds.train.length + 1, 'it is still counted as read');
  });

  it('--until ends the window there: later events are not learned, the window reaches back windowDays from it', async () => {
    const until = newest - 4 * DAY;
    const s = await train(ds.train, { until, windowDays: 3 });
    assert.ok(Date.parse(s.window!.end) <= until, `window ends ${s.window!.end}, until ${new Date(until).toISOString()}`);
    assert.ok(Date.parse(s.window!.start) > until - 3 * DAY);
    assert.equal(s.rowsInWindow, times.filter((t) => t > until - 3 * DAY && t <= until).length);
    assert.ok(s.rowsInWindow > 0 && s.rowsInWindow < ds.train.length);
  });

  it('--until reads ISO times, epoch ms and date math, and refuses anything else by name', () => {
    assert.equal(untilOf({ until: '2026-10-01T00:00:00Z' }), Date.parse('2026-10-01T00:00:00Z'));
    assert.equal(untilOf({ until: '1790000000000' }), 1_790_000_000_000);
    assert.equal(untilOf({ until: 'now-1d' }, NOW), NOW - DAY);
    assert.equal(untilOf({}), undefined);
    for (const bad of ['yesterday', '1e400', '99999999999999999999']) assert.throws(() => untilOf({ until: bad }), /--until must be a time/, bad);
  });

  it('dfp train --until on the command line', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-window-cli-'));
    const input = path.join(dir, 'train.ndjson');
    writeFileSync(input, ds.train.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const until = new Date(newest - 4 * DAY).toISOString();
    const run = (extra: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
        execFile(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'dfp.ts'), 'train', '--profile', 'azure-signin', '--input', input, '--models', path.join(dir, 'models'), '--epochs', '1', '--json', '--quiet', ...extra], (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        ),
      );
    const ok = await run(['--until', until]);
    assert.equal(ok.code, 0, ok.stderr);
    const summary = JSON.parse(ok.stdout.trim().split('\n').at(-1)!) as { window: { end: string } };
    assert.ok(Date.parse(summary.window.end) <= Date.parse(until));
    const bad = await run(['--until', 'soon']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--until must be a time/);
  });
});
