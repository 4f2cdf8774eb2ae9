import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import seedrandom from 'seedrandom';
import type { RawEvent } from '../server/engine/types';
import { hashProcessCounts, murmurhash3_32, processBucket } from '../server/engine/process_groups/hashing';
import { windowProcessEvents } from '../server/engine/process_groups/windows';
import { extractProcessEvent } from '../server/engine/process_groups/profile';
import { distanceStats, ProcessGroupModel } from '../server/engine/process_groups/model';
import { scoreProcessGroups, trainProcessGroups } from '../server/engine/process_groups/index';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2024, 2, 4); // a Monday, 00:00 UTC

before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

// ---- synthetic process start events -------------------------------------------------------------

/** Each host's stable mix: mean starts per hour (office apps only in working hours). */
const MIXES: Record<string, Record<string, number>> = {
  'ws-01': { 'svchost.exe': 30, 'chrome.exe': 12, 'outlook.exe': 2, 'teams.exe': 4, 'explorer.exe': 1, 'conhost.exe': 3 },
  'ws-02': { 'svchost.exe': 25, 'msedge.exe': 15, 'outlook.exe': 3, 'teams.exe': 5, 'excel.exe': 2, 'winword.exe': 2 },
  'ws-03': { 'svchost.exe': 35, 'chrome.exe': 8, 'slack.exe': 6, 'code.exe': 10, 'git.exe': 6, 'node.exe': 8 },
  'srv-db': { 'svchost.exe': 40, 'sqlservr.exe': 2, 'sqlagent.exe': 3, 'conhost.exe': 5, 'cmd.exe': 2 },
  'srv-web': { 'svchost.exe': 45, 'w3wp.exe': 10, 'conhost.exe': 4, 'csc.exe': 1 },
};
const HOSTS = Object.keys(MIXES);
const DISCOVERY: Record<string, number> = {
  'whoami.exe': 2,
  'net.exe': 4,
  'sc.exe': 2,
  'query.exe': 1,
  'ipconfig.exe': 1,
  'nltest.exe': 1,
  'systeminfo.exe': 1,
};

function poisson(rng: () => number, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rng();
  } while (p > l);
  return k - 1;
}

function startEvent(time: number, host: string, process: string): RawEvent {
  return {
    '@timestamp': new Date(time).toISOString(),
    host: { name: host },
    process: { name: process, executable: `C:\\Windows\\System32\\${process}` },
    event: { category: ['process'], type: ['start'], action: 'start' },
  };
}

/** Routine activity of every host for `hours` hours from hour `fromHour` after T0. */
function routine(rng: () => number, fromHour: number, hours: number): RawEvent[] {
  const out: RawEvent[] = [];
  for (const [host, mix] of Object.entries(MIXES)) {
    for (let h = fromHour; h < fromHour + hours; h++) {
      const office = h % 24 >= 8 && h % 24 < 18 ? 1 : 0.25;
      for (const [name, rate] of Object.entries(mix)) {
        const lambda = name === 'svchost.exe' || host.startsWith('srv') ? rate : rate * office;
        for (let i = poisson(rng, lambda); i > 0; i--) out.push(startEvent(T0 + h * HOUR + Math.floor(rng() * HOUR), host, name));
      }
    }
  }
  return out;
}

function burst(rng: () => number, host: string, hour: number): RawEvent[] {
  const out: RawEvent[] = [];
  for (const [name, n] of Object.entries(DISCOVERY)) {
    for (let i = 0; i < n; i++) out.push(startEvent(T0 + hour * HOUR + Math.floor(rng() * HOUR), host, name));
  }
  return out;
}

const TRAIN_DAYS = 10;
const data = (() => {
  const rng = seedrandom('process-groups-test');
  const train = routine(rng, 0, TRAIN_DAYS * 24);
  const heldOut = routine(rng, TRAIN_DAYS * 24, 2 * 24);
  // One discovery burst per host, during working hours of the held-out days.
  const burstHours = HOSTS.map((_, i) => TRAIN_DAYS * 24 + (i % 2) * 24 + 9 + i);
  const bursts = HOSTS.flatMap((host, i) => burst(rng, host, burstHours[i]));
  return { train, heldOut, bursts, burstWindows: new Set(HOSTS.map((h, i) => `${h}@${T0 + burstHours[i] * HOUR}`)) };
})();

const TRAIN_OPTS = { seed: 7, epochs: 40, trainedAt: new Date('2024-03-14T00:00:00Z') };

// ---- hashing -----------------------------------------------------------------------------------

describe('process-count hashing', () => {
  it('computes MurmurHash3 x86_32 (published test vectors)', () => {
    assert.equal(murmurhash3_32(''), 0);
    assert.equal(murmurhash3_32('', 1), 0x514e28b7);
    assert.equal(murmurhash3_32('hello'), 0x248bfa47);
    assert.equal(murmurhash3_32('The quick brown fox jumps over the lazy dog'), 0x2e4ff723);
  });

  it('picks bucket |h| mod 16 and the sign of h (as a signed int) for known names', () => {
    // h (signed) from MurmurHash3_x86_32, seed 0, checked against an independent implementation:
    // whoami.exe −837235502, svchost.exe 2011056465, chrome.exe −1494866396, net.exe 1037866485,
    // teams.exe −959464962, sc.exe 954440050.
    assert.deepEqual(processBucket('whoami.exe'), { bucket: 837235502 % 16, sign: -1 });
    assert.deepEqual(processBucket('whoami.exe'), { bucket: 14, sign: -1 });
    assert.deepEqual(processBucket('svchost.exe'), { bucket: 1, sign: 1 });
    assert.deepEqual(processBucket('chrome.exe'), { bucket: 12, sign: -1 });
    assert.deepEqual(processBucket('net.exe'), { bucket: 5, sign: 1 });
    assert.deepEqual(processBucket('teams.exe'), { bucket: 2, sign: -1 });
    assert.deepEqual(processBucket('sc.exe'), { bucket: 2, sign: 1 });
    assert.deepEqual(processBucket('  WhoAmI.EXE '), processBucket('whoami.exe'));
    assert.deepEqual(processBucket('net.exe', 7), { bucket: 1037866485 % 7, sign: 1 });
  });

  it('adds ±log1p(count) per bucket; colliding names of opposite sign cancel', () => {
    const v = hashProcessCounts(new Map([['svchost.exe', 30], ['whoami.exe', 2], ['chrome.exe', 0], ['teams.exe', 3], ['sc.exe', 3]]));
    const want = new Float32Array(16);
    want[1] = Math.log1p(30);
    want[14] = -Math.log1p(2);
    // teams.exe (−) and sc.exe (+) share bucket 2: equal counts cancel exactly.
    assert.deepEqual(Array.from(v), Array.from(want));
    const w = hashProcessCounts(new Map([['teams.exe', 4], ['sc.exe', 1], ['SVCHOST.EXE', 30]]));
    assert.equal(w[2], Math.fround(Math.log1p(1) - Math.log1p(4)));
    assert.equal(w[1], Math.fround(Math.log1p(30)));
    assert.deepEqual(hashProcessCounts(new Map([['a', 1]]), 4).length, 4);
  });
});

// ---- windows -----------------------------------------------------------------------------------

describe('windowProcessEvents', () => {
  it('groups per key into epoch-aligned tumbling windows with counts and event indices', () => {
    const events = [
      { time: T0 + 61 * MIN, key: 'b', process: 'cmd.exe' }, // 0: b, 01:00 window
      { time: T0 + 5 * MIN, key: 'a', process: 'net.exe' }, // 1: a, 00:00
      { time: T0 + 59 * MIN + 59_999, key: 'a', process: 'net.exe' }, // 2: a, 00:00 (last ms)
      { time: T0 + 60 * MIN, key: 'a', process: 'whoami.exe' }, // 3: a, 01:00 (first ms)
      { time: T0 + 30 * MIN, key: 'a', process: 'sc.exe' }, // 4: a, 00:00
      { time: T0 + 3 * HOUR + 1, key: 'a', process: 'net.exe' }, // 5: a, 03:00
    ];
    const w = windowProcessEvents(events, 60);
    assert.deepEqual(
      w.map((x) => ({ key: x.key, start: x.start, end: x.end, counts: Object.fromEntries(x.counts), idx: x.eventIndices })),
      [
        { key: 'a', start: T0, end: T0 + HOUR, counts: { 'net.exe': 2, 'sc.exe': 1 }, idx: [1, 2, 4] },
        { key: 'a', start: T0 + HOUR, end: T0 + 2 * HOUR, counts: { 'whoami.exe': 1 }, idx: [3] },
        { key: 'a', start: T0 + 3 * HOUR, end: T0 + 4 * HOUR, counts: { 'net.exe': 1 }, idx: [5] },
        { key: 'b', start: T0 + HOUR, end: T0 + 2 * HOUR, counts: { 'cmd.exe': 1 }, idx: [0] },
      ],
    );
    // 15-minute windows: a's first hour splits into 00:00, 00:30 and 00:45.
    const q = windowProcessEvents(events, 15).filter((x) => x.key === 'a' && x.start < T0 + HOUR);
    assert.deepEqual(
      q.map((x) => [(x.start - T0) / MIN, x.eventIndices]),
      [
        [0, [1]],
        [30, [4]],
        [45, [2]],
      ],
    );
    assert.throws(() => windowProcessEvents(events, 0), RangeError);
  });
});

// ---- profile -----------------------------------------------------------------------------------

describe('extractProcessEvent', () => {
  const ts = '2024-03-04T10:15:00.000Z';
  it('reads nested Endpoint and Sysmon documents and flat dotted keys', () => {
    assert.deepEqual(
      extractProcessEvent({ '@timestamp': ts, host: { name: 'ws-01' }, process: { name: 'WhoAmI.exe' }, event: { category: ['process'], type: ['start'] } }),
      { ok: true, time: Date.parse(ts), key: 'ws-01', process: 'whoami.exe' },
    );
    assert.deepEqual(
      extractProcessEvent({ '@timestamp': ts, 'host.name': 'ws-01', 'process.executable': 'C:\\Windows\\System32\\net.exe', 'event.code': '1', 'event.module': 'sysmon' }),
      { ok: true, time: Date.parse(ts), key: 'ws-01', process: 'net.exe' },
    );
    assert.deepEqual(extractProcessEvent({ '@timestamp': ts, host: { name: 'lx' }, process: { executable: '/usr/bin/id' } }), {
      ok: true,
      time: Date.parse(ts),
      key: 'lx',
      process: 'id',
    });
    assert.deepEqual(
      extractProcessEvent({ '@timestamp': ts, host: { name: 'ws-01' }, user: { name: 'alice' }, process: { name: 'sc.exe' } }, { keyBy: 'user' }),
      { ok: true, time: Date.parse(ts), key: 'alice', process: 'sc.exe' },
    );
  });

  it('gives a reason for events it cannot use', () => {
    const reason = (e: RawEvent, keyBy?: 'user') => {
      const r = extractProcessEvent(e, { keyBy });
      return r.ok ? null : r.reason;
    };
    assert.equal(reason({ '@timestamp': ts, host: { name: 'ws-01' }, event: { type: ['start'] } }), 'missing process.name and process.executable');
    assert.equal(reason({ '@timestamp': ts, host: { name: 'ws-01' }, process: { name: '  ' } }), 'missing process.name and process.executable');
    assert.equal(reason({ '@timestamp': ts, process: { name: 'net.exe' } }), 'missing host.name');
    assert.equal(reason({ '@timestamp': ts, host: { name: 'h' }, process: { name: 'net.exe' } }, 'user'), 'missing user.name');
    assert.equal(reason({ host: { name: 'h' }, process: { name: 'net.exe' } }), 'missing @timestamp');
    assert.equal(reason({ '@timestamp': 'yesterday', host: { name: 'h' }, process: { name: 'net.exe' } }), 'unparseable @timestamp: "yesterday"');
    assert.equal(
      reason({ '@timestamp': ts, host: { name: 'h' }, process: { name: 'net.exe' }, event: { category: ['process'], type: ['end'] } }),
      'not a process start event (event.type: end)',
    );
    assert.equal(
      reason({ '@timestamp': ts, host: { name: 'h' }, process: { name: 'chrome.exe' }, event: { category: 'network' } }),
      'not a process event (event.category: network)',
    );
    assert.equal(
      reason({ '@timestamp': ts, 'host.name': 'h', 'process.name': 'chrome.exe', 'event.code': 3, 'event.provider': 'Microsoft-Windows-Sysmon' }),
      'not a Sysmon process creation (event.code: 3)',
    );
  });
});

// ---- model and pipeline --------------------------------------------------------------------------

describe('process-group autoencoder', () => {
  it('trains on routine windows and ranks discovery bursts above routine held-out windows', () => {
    const trained = trainProcessGroups(data.train, TRAIN_OPTS);
    assert.equal(trained.windows, HOSTS.length * TRAIN_DAYS * 24);
    assert.equal(trained.keys, HOSTS.length);
    assert.equal(trained.errors.total, 0);
    assert.ok(trained.model.training.final_loss < 0.5, `final loss ${trained.model.training.final_loss}`);

    const events = [...data.heldOut, ...data.bursts];
    const scored = scoreProcessGroups(events, trained.model, { threshold: 4, windowMinutes: 60, now: new Date('2024-03-20T00:00:00Z') });
    assert.equal(scored.length, events.length);

    const windows = new Map<string, { z: number; burst: boolean; top: string[] }>();
    events.forEach((e, i) => {
      const d = scored[i];
      assert.equal(d.error, undefined);
      const start = Math.floor(Date.parse(e['@timestamp'] as string) / HOUR) * HOUR;
      const id = `${d.user}@${start}`;
      const prev = windows.get(id);
      if (prev) assert.equal(prev.z, d.zscore, 'every event of a window carries the window z');
      windows.set(id, { z: d.zscore!, burst: data.burstWindows.has(id), top: d.top_features! });
    });
    const ranked = [...windows.values()].sort((a, b) => b.z - a.z);
    const burstRanks = ranked.map((w, i) => (w.burst ? i : -1)).filter((i) => i >= 0);
    // All burst windows in the top, above every routine held-out window, and flagged.
    assert.deepEqual(burstRanks, HOSTS.map((_, i) => i));
    const routineZ = ranked.filter((w) => !w.burst).map((w) => w.z);
    assert.ok(routineZ.filter((z) => z >= 4).length <= Math.ceil(0.03 * routineZ.length), `routine flagged: ${routineZ.slice(0, 5)}`);
    for (const w of ranked.filter((x) => x.burst)) {
      assert.ok(w.z >= 4, `burst z ${w.z}`);
      // The top processes are discovery tools.
      assert.ok(w.top.filter((p) => p in DISCOVERY).length >= 2, `top ${w.top}`);
    }
  });

  it('fills the output contract per event and gives unusable events an error', () => {
    const trained = trainProcessGroups(data.train.slice(0, 4000), { ...TRAIN_OPTS, epochs: 5 });
    const events: RawEvent[] = [
      data.bursts[0],
      { '@timestamp': '2024-03-14T10:00:00Z', host: { name: 'ws-01' }, event: { category: ['process'], type: ['start'] } },
      { '@timestamp': '2024-03-14T10:00:00Z', process: { name: 'net.exe' } },
    ];
    const out = scoreProcessGroups(events, trained.model, { threshold: 3, now: new Date('2024-03-20T00:00:00Z') });
    assert.equal(out.length, 3);
    const d = out[0];
    assert.equal(d.user, 'ws-01');
    assert.equal(d.threshold, 3);
    assert.equal(d.is_anomaly, d.zscore! >= 3);
    assert.equal(typeof d.anomaly_score, 'number');
    assert.ok(d.anomaly_score! >= 0);
    assert.deepEqual(d.model, { version: trained.model.version, generic: true, trained_at: '2024-03-14T00:00:00.000Z' });
    assert.match(trained.model.version, /^pg-[0-9a-f]{8}$/);
    assert.equal(d.scored_at, '2024-03-20T00:00:00.000Z');
    assert.deepEqual(out[1], { user: 'ws-01', error: 'missing process.name and process.executable', scored_at: '2024-03-20T00:00:00.000Z' });
    assert.deepEqual(out[2], { user: null, error: 'missing host.name', scored_at: '2024-03-20T00:00:00.000Z' });
    assert.throws(() => scoreProcessGroups(events, trained.model, { threshold: 3, windowMinutes: 30 }), /60-minute windows/);

    // A host never seen in training (even one named like an Object.prototype member) is scored
    // against the fleet's statistics.
    const [unknown] = scoreProcessGroups([startEvent(T0, 'constructor', 'toString')], trained.model, { threshold: 3 });
    assert.equal(unknown.user, 'constructor');
    assert.equal(unknown.zscore, (unknown.anomaly_score! - trained.model.distance.median) / trained.model.distance.scale);
    assert.deepEqual(unknown.top_features, ['tostring']);
  });

  it('reports training events it cannot use and refuses to train on none', () => {
    const bad = [{ '@timestamp': 'x', host: { name: 'h' }, process: { name: 'a' } }, { host: { name: 'h' } }];
    assert.throws(() => trainProcessGroups(bad), /no usable process start events/);
    const r = trainProcessGroups([...data.train.slice(0, 2000), ...bad], { ...TRAIN_OPTS, epochs: 2 });
    assert.equal(r.errors.total, 2);
    assert.deepEqual(r.errors.byReason, { 'unparseable @timestamp: "x"': 1, 'missing @timestamp': 1 });
    assert.deepEqual(r.errors.sample.map((s) => s.index), [2000, 2001]);
  });

  const vectors = (() => {
    const ev = data.train.map((e) => extractProcessEvent(e)).flatMap((r) => (r.ok ? [r] : []));
    return windowProcessEvents(ev, 60).map((w) => hashProcessCounts(w.counts));
  })();
  const probe = vectors.slice(0, 50);

  it('is deterministic for a seed', () => {
    const a = ProcessGroupModel.train(vectors, { seed: 3, epochs: 3 });
    const b = ProcessGroupModel.train(vectors, { seed: 3, epochs: 3 });
    const c = ProcessGroupModel.train(vectors, { seed: 4, epochs: 3 });
    try {
      assert.deepEqual(Array.from(a.distances(probe)), Array.from(b.distances(probe)));
      assert.notDeepEqual(Array.from(a.distances(probe)), Array.from(c.distances(probe)));
      assert.equal(a.version, b.version);
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  it('round-trips through toJSON → JSON text → fromJSON with identical distances', () => {
    const a = ProcessGroupModel.train(vectors, { seed: 5, epochs: 3 });
    const json = a.toJSON();
    const b = ProcessGroupModel.fromJSON(JSON.parse(JSON.stringify(json)));
    try {
      assert.deepEqual(Array.from(b.distances(probe)), Array.from(a.distances(probe)));
      assert.deepEqual(b.toJSON(), json);
      assert.deepEqual(b.stats, a.stats);
    } finally {
      a.dispose();
      b.dispose();
    }
    assert.throws(() => ProcessGroupModel.fromJSON({ ...json, format: 'x' } as never), /format/);
    assert.throws(() => ProcessGroupModel.fromJSON({ ...json, layers: json.layers.slice(1) }), /layers/);
  });

  it('keeps robust distance statistics finite for a perfectly regular host', () => {
    const s = distanceStats([1, 1, 1, 1, 1]);
    assert.equal(s.median, 1);
    assert.ok(s.scale > 0 && Number.isFinite(s.scale));
    // median 2, |d − 2| = [1, 0, 0, 0, 8] → MAD 0 → floor max(0.05·2, 0.05) = 0.1
    assert.deepEqual(distanceStats([1, 2, 2, 2, 10]), { median: 2, scale: 0.1, count: 5 });
    // median 3, |d − 3| = [2, 1, 0, 1, 2] → MAD 1 → 1.4826
    assert.deepEqual(distanceStats([1, 2, 3, 4, 5]), { median: 3, scale: 1.4826, count: 5 });
  });
});
