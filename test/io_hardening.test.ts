/**
 * Issue 14, "one bad record stays one bad record": hostile or broken input through the readers,
 * the writers and the CLI. Every input line comes out exactly once, in order, scored or with a
 * dfp.error naming file and line; a run stops only when it cannot run at all.
 */
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { parse as parseCsv } from 'csv-parse/sync';
import { readAllEvents, readEvents } from '../server/engine/io/read_events';
import { MAX_DEPTH, MAX_RAW_CHARS } from '../server/engine/io/json_text';
import { createEventWriter } from '../server/engine/io/write_events';
import { fixture, ndjsonLines, tempDir, writeAll } from './io_hardening_support';
import { InputReport } from '../server/engine/jobs/input_report';
import { generate } from '../datasets/synth';
import type { InputItem } from '../server/engine/types';

function errorOf(item: InputItem): Extract<InputItem, { kind: 'error' }> {
  assert.equal(item.kind, 'error', `expected an error item, got ${JSON.stringify(item).slice(0, 200)}`);
  return item as Extract<InputItem, { kind: 'error' }>;
}

function eventOf(item: InputItem): Record<string, unknown> {
  assert.equal(item.kind, 'event', `expected an event, got ${JSON.stringify(item).slice(0, 200)}`);
  return (item as Extract<InputItem, { kind: 'event' }>).event;
}

/** `{"a":{"a":…1…}}` nested `depth` levels, built as text (JSON.stringify could not make it). */
function deepJson(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** The same nesting as an object, built without recursion. */
function deepObject(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: 1 };
  for (let i = 1; i < depth; i++) v = { a: v };
  return v;
}

function dfpOf(doc: Record<string, unknown>): Record<string, unknown> {
  return doc.dfp as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Item 1: keys that name Object.prototype members; CSV injection

describe('CSV keys named like Object.prototype members', () => {
  test('an event with constructor, toString and __proto__ keys does not leak into other rows (20 in, 20 out)', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv');
    // JSON.parse makes "__proto__" an own key, as every NDJSON reader does.
    const odd = JSON.parse('{"i":3,"constructor":"c","toString":"t","__proto__":{"polluted":"p"},"hasOwnProperty":"h"}') as Record<string, unknown>;
    const docs = Array.from({ length: 20 }, (_, i) => (i === 3 ? odd : { i }));
    assert.deepEqual(await writeAll(out, docs), { path: out, written: 20 });
    const rows = parseCsv(fs.readFileSync(out, 'utf8')) as string[][];
    assert.equal(rows.length, 21, 'header and twenty rows');
    const [header, ...body] = rows;
    assert.deepEqual(header, ['i', 'constructor', 'toString', '__proto__.polluted', 'hasOwnProperty']);
    assert.deepEqual(body[3], ['3', 'c', 't', 'p', 'h']);
    body.forEach((row, i) => {
      if (i !== 3) assert.deepEqual(row, [String(i), '', '', '', ''], `row ${i} has only its own cell`);
    });
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  });

  test('CSV header names __proto__, constructor and toString become the event\'s own keys', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', '__proto__,constructor,toString,user\nx,y,z,alice\n,,,bob\n');
    const items = await readAllEvents(file);
    assert.equal(items.length, 2);
    const first = eventOf(items[0]);
    assert.equal(Object.getPrototypeOf(first), Object.prototype, 'the prototype is not replaced');
    assert.deepEqual(Object.keys(first), ['__proto__', 'constructor', 'toString', 'user']);
    assert.equal(Object.getOwnPropertyDescriptor(first, '__proto__')?.value, 'x');
    assert.equal(first.constructor, 'y');
    assert.equal(first.toString, 'z');
    const second = eventOf(items[1]);
    assert.deepEqual(Object.keys(second), ['user'], 'empty cells stay absent, not inherited');
    assert.equal(Object.hasOwn(second, 'constructor'), false);
  });

  test('a repeated header name never overwrites another column, even one named like its renaming', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', 'a,a_3,a\n1,2,3\n');
    const [item] = await readAllEvents(file);
    const event = eventOf(item);
    assert.deepEqual(Object.values(event).sort(), ['1', '2', '3']);
    assert.equal(event.a, '1');
    assert.equal(event.a_3, '2');
  });
});

// ---------------------------------------------------------------------------------------------
// Item 2: nesting deeper than anything can write

describe('deeply nested JSON', () => {
  test('an NDJSON line nested 5,000 levels is an error at its line with its text; its neighbours are events', async () => {
    const dir = tempDir();
    const deep = deepJson(5_000);
    const file = fixture(dir, 'in.ndjson', `{"x":1}\n${deep}\n{"y":2}\n${deepJson(MAX_DEPTH)}\n`);
    const items = await readAllEvents(file);
    assert.equal(items.length, 4);
    assert.deepEqual(eventOf(items[0]), { x: 1 });
    const bad = errorOf(items[1]);
    assert.equal(bad.source.line, 2);
    assert.match(bad.message, /nested too deep: more than 1,000 levels/);
    assert.equal(bad.raw, `${deep.slice(0, MAX_RAW_CHARS)}…[cut: 30,001 characters in all]`);
    assert.deepEqual(eventOf(items[2]), { y: 2 });
    eventOf(items[3]); // exactly MAX_DEPTH levels is still an event

    for (const name of ['out.ndjson', 'out.csv']) {
      const out = path.join(dir, name);
      const writer = createEventWriter(out);
      for (const item of items) await writer.write(item.kind === 'event' ? item.event : { event: { original: item.raw }, dfp: { error: item.message } });
      assert.equal((await writer.close()).written, 4, name);
    }
    assert.equal(ndjsonLines(path.join(dir, 'out.ndjson')).length, 4);
  });

  test('a JSON array element nested too deep is an error at its index', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.json', `[{"x":1},${deepJson(5_000)},{"y":2}]`);
    const items = await readAllEvents(file);
    assert.deepEqual(items.map((i) => [i.source.line, i.kind]), [[1, 'event'], [2, 'error'], [3, 'event']]);
    assert.match(errorOf(items[1]).message, /nested too deep/);
    assert.ok(errorOf(items[1]).raw?.startsWith('{"a":{"a":'));
  });

  test('the writers survive a document nested deeper than JSON.stringify can go: it comes out as an error, in its place', async () => {
    const dir = tempDir();
    const deep = { event: { id: 'deep' }, payload: deepObject(100_000), dfp: { user: 'u', source: { file: 'in.ndjson', line: 2 } } };
    assert.throws(() => JSON.stringify(deep), RangeError, 'the fixture really is too deep for JSON.stringify');
    const docs = [{ n: 1 }, deep, { n: 3 }];

    const nd = path.join(dir, 'out.ndjson');
    assert.equal((await writeAll(nd, docs)).written, 3);
    const lines = ndjsonLines(nd);
    assert.equal(lines.length, 3);
    assert.deepEqual(lines[0], { n: 1 });
    assert.deepEqual(lines[2], { n: 3 });
    assert.match(String(dfpOf(lines[1]).error), /^in\.ndjson:2: nested too deep to write: more than 1,000 levels/);
    const original = String((lines[1].event as Record<string, unknown>).original);
    assert.ok(original.startsWith('{"event":{"id":"deep"},"payload":{"a":{"a":'), original.slice(0, 80));
    assert.match(original, /…\[cut: more than 10,000 characters\]$/);

    const csv = path.join(dir, 'out.csv');
    assert.equal((await writeAll(csv, docs)).written, 3);
    const rows = parseCsv(fs.readFileSync(csv, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 3);
    assert.equal(rows[0].n, '1');
    assert.match(rows[1]['dfp.error'], /nested too deep to write/);
    assert.equal(rows[2].n, '3');
  });
});

// ---------------------------------------------------------------------------------------------
// Item 3: a lone CR is data

describe('lone carriage returns', () => {
  test('NDJSON lines end at \\n (and \\r\\n) only: a lone CR inside or between records is data', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.ndjson', '{"a":1}\n{"b":"x\ry"}\n{"c":1}\r{"d":2}\n{"e":3}\r\n{"f":"\\r"}\r\r\n{"g":4}');
    const items = await readAllEvents(file);
    assert.deepEqual(items.map((i) => [i.source.line, i.kind]), [[1, 'event'], [2, 'error'], [3, 'error'], [4, 'event'], [5, 'event'], [6, 'event']]);
    assert.equal(errorOf(items[1]).raw, '{"b":"x\ry"}', 'a raw CR inside a JSON string is invalid JSON, and kept whole');
    assert.equal(errorOf(items[2]).raw, '{"c":1}\r{"d":2}');
    assert.deepEqual(eventOf(items[3]), { e: 3 });
    assert.deepEqual(eventOf(items[4]), { f: '\r' }, 'a CR before the CRLF is JSON whitespace');
    assert.deepEqual(eventOf(items[5]), { g: 4 });
  });

  test('CSV: a lone CR inside a quoted or plain field is data and does not split the row; CRLF in quotes reads as \\n', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', 'user,msg\r\nalice,"x\ry"\r\nbob,"p\r\nq"\r\ncarol,z\rw\r\ndave,"a\nb"\n');
    const items = await readAllEvents(file);
    assert.deepEqual(items.map((i) => [i.source.line, eventOf(i).user, eventOf(i).msg]), [
      [2, 'alice', 'x\ry'],
      [3, 'bob', 'p\nq'],
      [5, 'carol', 'z\rw'],
      [6, 'dave', 'a\nb'],
    ]);
  });

  test('a binary file with 270 newlines is 270 documents, each at its line', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'noise.ndjson', binaryLines(270, 7));
    const items = await readAllEvents(file);
    assert.equal(items.length, 270);
    items.forEach((item, i) => {
      assert.equal(item.source.line, i + 1);
      assert.equal(item.kind, 'error');
    });
    const out = path.join(dir, 'out.ndjson');
    const writer = createEventWriter(out);
    for (const item of items) await writer.write({ event: { original: errorOf(item).raw }, dfp: { error: errorOf(item).message } });
    await writer.close();
    assert.equal(ndjsonLines(out).length, 270);
  });
});

/** `lines` lines of random bytes (many CRs, invalid UTF-8, never \n, never blank) each ending in \n. */
function binaryLines(lines: number, seed: number): Buffer {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) & 0x7fffffff) >>> 16;
  const out: number[] = [];
  for (let l = 0; l < lines; l++) {
    out.push(0x80 + (l % 64)); // never whitespace, '[' or gzip's magic at the start of a line
    const len = 5 + (next() % 60);
    for (let i = 0; i < len; i++) {
      const b = next() % 5 === 0 ? 0x0d : next() & 0xff;
      out.push(b === 0x0a ? 0x0d : b);
    }
    out.push(0x0a);
  }
  return Buffer.from(out);
}

// ---------------------------------------------------------------------------------------------
// Item 4: invalid UTF-8, cut marker, failing disks, terminal escapes

describe('invalid UTF-8', () => {
  test('lines holding invalid UTF-8 are counted in the report with file:line; good lines are not', async () => {
    const dir = tempDir();
    const file = fixture(
      dir,
      'in.ndjson',
      Buffer.concat([
        Buffer.from('{"user":"caf\u00e9"}\n{"user":"caf'),
        Buffer.from([0xe9]),
        Buffer.from('"}\n{"ok":1}\n'),
        Buffer.from([0xff, 0xfe, 0x0a]),
        Buffer.from('{"tail":"\u00e9"}'),
      ]),
    );
    const report = new InputReport();
    const items: InputItem[] = [];
    for await (const item of readEvents(file, { report })) items.push(item);
    assert.deepEqual(items.map((i) => [i.source.line, i.kind]), [[1, 'event'], [2, 'event'], [3, 'event'], [4, 'error'], [5, 'event']]);
    assert.deepEqual(eventOf(items[1]), { user: 'caf\ufffd' }, 'the bad byte reads as U+FFFD');
    assert.deepEqual(eventOf(items[4]), { tail: '\u00e9' });
    assert.deepEqual(report.byKind(), { 'invalid UTF-8': 2 });
    assert.deepEqual(report.examples, [`${file}:2: line holds invalid UTF-8 (read as U+FFFD)`, `${file}:4: line holds invalid UTF-8 (read as U+FFFD)`]);
  });

  test('a multi-byte character split across stream chunks is not invalid', async () => {
    const dir = tempDir();
    // 64 KiB chunks: a 3-byte character across the first boundary (bytes 65,535 to 65,537).
    const pad = 'x'.repeat(65_536 - 7);
    const file = fixture(dir, 'in.ndjson', `{"p":"${pad}€"}\n{"q":"€"}\n`);
    const report = new InputReport();
    const items: InputItem[] = [];
    for await (const item of readEvents(file, { report })) items.push(item);
    assert.equal(eventOf(items[0]).p, `${pad}€`);
    assert.equal(report.total, 0);
  });

  test('a JSON array holding invalid UTF-8 is counted once, for the file', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.json', Buffer.concat([Buffer.from('[{"u":"a'), Buffer.from([0xff]), Buffer.from('"},{"u":"b"}]')]));
    const report = new InputReport();
    const items: InputItem[] = [];
    for await (const item of readEvents(file, { report })) items.push(item);
    assert.deepEqual(items.map((i) => eventOf(i).u), ['a\ufffd', 'b']);
    assert.deepEqual(report.byKind(), { 'invalid UTF-8': 1 });
    assert.equal(report.examples[0], `${file}: holds invalid UTF-8 (read as U+FFFD)`);
  });

  test('CSV lines are counted too', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', Buffer.concat([Buffer.from('user,n\nalice,1\nb'), Buffer.from([0xc3, 0x28]), Buffer.from('b,2\n')]));
    const report = new InputReport();
    for await (const item of readEvents(file, { report })) eventOf(item);
    assert.deepEqual(report.byKind(), { 'invalid UTF-8': 1 });
    assert.match(report.examples[0], /in\.csv:3: /);
  });

  test('merged reports keep one example of every kind even past the example cap', () => {
    const main = new InputReport(2);
    for (let i = 0; i < 5; i++) main.add('no user key', `n${i}`, { file: 'f', line: i + 1 });
    const reading = new InputReport();
    reading.add('invalid UTF-8', 'bad', { file: 'f', line: 9 });
    reading.add('invalid UTF-8', 'bad', { file: 'f', line: 10 });
    main.merge(reading);
    assert.deepEqual(main.byKind(), { 'no user key': 5, 'invalid UTF-8': 2 });
    assert.deepEqual(main.examples, ['f:1: n0', 'f:2: n1', 'f:9: bad']);
  });
});

describe('cut raw text', () => {
  test('says it was cut and how long the original was', async () => {
    const dir = tempDir();
    const long = '{"x": "' + 'y'.repeat(52_000);
    const file = fixture(dir, 'in.ndjson', `${long}\n`);
    const [item] = await readAllEvents(file);
    assert.equal(errorOf(item).raw, `${long.slice(0, MAX_RAW_CHARS)}…[cut: 52,007 characters in all]`);
  });
});

// ---------------------------------------------------------------------------------------------
// The CLI, end to end

describe('dfp score on hostile input', () => {
  const cli = path.join(__dirname, '..', 'scripts', 'dfp.ts');
  const evil = '\x1b]0;pwned\x07evil\x1b[2J';
  let dir = '';
  let models = '';
  let testLines: string[] = [];

  function dfp(args: string[], wrap?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const argv = [process.execPath, '--import', 'tsx', cli, ...args];
    // `wrap` runs the command under sh (for ulimit); arguments are passed as sh's $@.
    const [file, list] = wrap ? ['sh', ['-c', `${wrap}; exec "$@"`, 'sh', ...argv]] : [argv[0], argv.slice(1)];
    return new Promise((resolve) => {
      execFile(file, list, { encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  before(async () => {
    dir = tempDir();
    models = path.join(dir, 'models');
    const ds = generate({ profile: 'azure-signin', users: 3, trainDays: 12, testDays: 1, compromisedUsers: 0, seed: 14, start: '2026-09-01T00:00:00Z' });
    const first = (ds.train[0].user as { id: string }).id;
    const rename = (e: Record<string, unknown>): Record<string, unknown> => {
      const user = e.user as { id: string };
      return user.id === first ? { ...e, user: { ...user, id: evil } } : e;
    };
    fs.writeFileSync(path.join(dir, 'train.ndjson'), ds.train.map((e) => JSON.stringify(rename(e))).join('\n') + '\n');
    testLines = ds.test.map((e) => JSON.stringify(rename(e)));
    const t = await dfp(['train', '--profile', 'azure-signin', '--input', path.join(dir, 'train.ndjson'), '--models', models, '--epochs', '3', '--quiet']);
    assert.equal(t.code, 0, t.stderr);
  });

  test('deep nesting, lone CRs and a hostile user name: every line out once, in order; the terminal sees no escapes', async () => {
    // An event exactly MAX_DEPTH levels deep is read, scored and written like any other.
    const deepest = JSON.stringify({ ...(JSON.parse(testLines[1]) as Record<string, unknown>), extra: deepObject(MAX_DEPTH - 1) });
    const lines = [testLines[0], deepJson(5_000), '{"a":1}\r{"b":2}', deepest, ...testLines.slice(2)];
    const input = fixture(dir, 'mixed.ndjson', lines.join('\r\n') + '\n');
    const out = path.join(dir, 'mixed-out.ndjson');
    const s = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', models, '--out', out]);
    assert.equal(s.code, 0, s.stderr);
    const docs = ndjsonLines(out);
    assert.equal(docs.length, lines.length, 'one document per input line');
    assert.equal((docs[0].event as { id: string }).id, JSON.parse(testLines[0]).event.id);
    assert.match(String(dfpOf(docs[1]).error), /mixed\.ndjson:2: nested too deep: more than 1,000 levels/);
    assert.match(String((docs[1].event as { original: string }).original), /^\{"a":\{"a":.*…\[cut: 30,001 characters in all\]$/s);
    assert.match(String(dfpOf(docs[2]).error), /mixed\.ndjson:3: invalid JSON/);
    assert.equal((docs[2].event as { original: string }).original, '{"a":1}\r{"b":2}');
    assert.equal(dfpOf(docs[3]).error, undefined);
    assert.equal(typeof dfpOf(docs[3]).zscore, 'number');
    assert.equal(JSON.stringify(docs[3].extra), JSON.stringify(deepObject(MAX_DEPTH - 1)), 'kept whole');
    docs.slice(3).forEach((doc, i) => assert.equal((doc.event as { id: string }).id, JSON.parse(testLines[i + 1]).event.id));
    assert.ok(docs.some((d) => dfpOf(d).user === evil), 'the hostile user is scored under their real name');

    for (const stream of [s.stdout, s.stderr]) {
      assert.equal(stream.includes('\x1b'), false, 'no ESC byte reaches the terminal');
      assert.equal(stream.includes('\x07'), false, 'no BEL byte reaches the terminal');
    }
    assert.ok(s.stderr.includes('\\x1b]0;pwned\\x07evil\\x1b[2J'), s.stderr);
  });

  test('dfp models lists the hostile user escaped, and an error quoting a name shows its control characters escaped', async () => {
    const list = await dfp(['models', '--profile', 'azure-signin', '--models', models]);
    assert.equal(list.code, 0, list.stderr);
    const missing = await dfp(['models', '--profile', 'azure-signin', '--models', models, '--user', `${evil}-gone`]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^dfp: no models stored for \\x1b\]0;pwned\\x07evil\\x1b\[2J-gone/);
    for (const stream of [list.stdout, list.stderr, missing.stderr]) assert.equal(/[\x07\x1b]/.test(stream), false, 'no ESC or BEL byte reaches the terminal');
    assert.ok(list.stderr.includes('\\x1b]0;pwned\\x07evil\\x1b[2J'), list.stderr);
  });

  test('CSV output: an event with a constructor key and formula cells, 20 in, 20 out', async () => {
    const twenty = testLines.slice(0, 20).map((l, i) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      if (i === 4) Object.assign(e, { constructor: 'c', toString: 't', note: '=HYPERLINK("http://evil")' });
      return JSON.stringify(e);
    });
    const input = fixture(dir, 'twenty.ndjson', twenty.join('\n') + '\n');
    const out = path.join(dir, 'twenty.csv');
    const s = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', models, '--out', out, '--quiet']);
    assert.equal(s.code, 0, s.stderr);
    const rows = parseCsv(fs.readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    assert.equal(rows.length, 20);
    rows.forEach((row, i) => {
      assert.equal(row.constructor, i === 4 ? 'c' : '', `row ${i}`);
      assert.equal(row.note, i === 4 ? '\'=HYPERLINK("http://evil")' : '');
      assert.equal(row['event.id'], JSON.parse(twenty[i]).event.id);
    });
  });

  test('a binary file of 270 lines: 270 documents, each an error naming its line', async () => {
    const input = fixture(dir, 'noise.ndjson', binaryLines(270, 3));
    const out = path.join(dir, 'noise-out.ndjson');
    const s = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', models, '--out', out, '--quiet']);
    assert.equal(s.code, 0, s.stderr);
    const docs = ndjsonLines(out);
    assert.equal(docs.length, 270);
    docs.forEach((doc, i) => assert.match(String(dfpOf(doc).error), new RegExp(`noise\\.ndjson:${i + 1}: `)));
    assert.match(s.stderr, /input problems: 270 unreadable input/);
  });

  test(
    'lines holding invalid UTF-8 are counted in the run summary',
    async () => {
      // Line 1 says café in Latin-1: é is the lone byte 0xe9.
      const bad = Buffer.from(JSON.stringify({ ...(JSON.parse(testLines[0]) as Record<string, unknown>), note: 'caf#' }) + '\n');
      bad[bad.indexOf('caf#') + 3] = 0xe9;
      const input = fixture(dir, 'latin1.ndjson', Buffer.concat([bad, Buffer.from(testLines.slice(1).join('\n') + '\n')]));
      const out = path.join(dir, 'latin1-out.ndjson');
      const s = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', models, '--out', out, '--quiet']);
      assert.equal(s.code, 0, s.stderr);
      assert.equal(ndjsonLines(out).length, testLines.length);
      assert.match(s.stderr, /input problems: .*1 invalid UTF-8/);
      assert.match(s.stderr, /latin1\.ndjson:1: line holds invalid UTF-8/);
    },
  );

  test('a disk that fills up: the run fails naming the output and the cause, and leaves no temporary file', async () => {
    const train = fs.readFileSync(path.join(dir, 'train.ndjson'), 'utf8');
    const input = fixture(dir, 'many.ndjson', train + train);
    assert.ok(fs.statSync(input).size > 2 << 20, 'the output will pass the limit (1 MiB under dash, 2 MiB under bash)');
    const outDir = path.join(dir, 'full');
    fs.mkdirSync(outDir);
    const out = path.join(outDir, 'out.ndjson');
    // ulimit -f: writes past the limit fail with EFBIG (Node ignores SIGXFSZ), as ENOSPC would on a full disk.
    const s = await dfp(['score', '--profile', 'azure-signin', '--input', input, '--models', models, '--out', out, '--quiet'], 'ulimit -f 2048');
    assert.notEqual(s.code, 0);
    assert.ok(s.stderr.includes(`cannot write ${out}: EFBIG`), s.stderr);
    assert.deepEqual(fs.readdirSync(outDir), [], 'no output, no temporary file');
  });
});
