import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { expandInputs, readAllEvents, readEvents } from '../server/engine/io/read_events';
import { MAX_RAW_CHARS } from '../server/engine/io/json_text';
import { createEventWriter, errorDocument, formatError } from '../server/engine/io/write_events';
import type { InputItem } from '../server/engine/types';

const tempDirs: string[] = [];
after(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dfp-io-'));
  tempDirs.push(dir);
  return dir;
}

/** Writes a fixture file and returns its path. */
function fixture(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}

/** Items in a compact form that is easy to compare exactly. */
function summarize(items: InputItem[]): unknown[] {
  return items.map((item) =>
    item.kind === 'event'
      ? { line: item.source.line, event: item.event }
      : { line: item.source.line, error: item.message, raw: item.raw },
  );
}

function errorsOf(items: InputItem[]): Array<Extract<InputItem, { kind: 'error' }>> {
  return items.filter((i): i is Extract<InputItem, { kind: 'error' }> => i.kind === 'error');
}

describe('NDJSON input', () => {
  test('malformed line, non-object lines and blank lines keep exact line numbers', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.ndjson', ['{"a":1}', '', '{"a":', '42', '   ', '[1,2]', '{"b":{"c":2}}', ''].join('\n'));
    const items = await readAllEvents(file);
    assert.equal(items.length, 5);
    assert.deepEqual(items[0], { kind: 'event', event: { a: 1 }, source: { file, line: 1 } });
    const bad = items[1];
    assert.equal(bad.kind, 'error');
    assert.equal(bad.source.line, 3);
    assert.match(bad.kind === 'error' ? bad.message : '', /^invalid JSON: .+/);
    assert.equal(bad.kind === 'error' ? bad.raw : undefined, '{"a":');
    assert.deepEqual(summarize(items.slice(2)), [
      { line: 4, error: 'line is not a JSON object', raw: '42' },
      { line: 6, error: 'line is not a JSON object', raw: '[1,2]' },
      { line: 7, event: { b: { c: 2 } } },
    ]);
  });

  test('CRLF line endings and a UTF-8 BOM are tolerated', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.ndjson', '\ufeff{"a":1}\r\n\r\n{"a":2}\r\n');
    assert.deepEqual(summarize(await readAllEvents(file)), [
      { line: 1, event: { a: 1 } },
      { line: 3, event: { a: 2 } },
    ]);
  });

  test('raw text of a bad line is capped at 10,000 characters', async () => {
    const dir = tempDir();
    const longBad = '{"x": "' + 'y'.repeat(20_000);
    const file = fixture(dir, 'in.ndjson', longBad + '\n{"ok":true}\n');
    const items = await readAllEvents(file);
    assert.equal(items.length, 2);
    const [bad] = errorsOf(items);
    assert.equal(bad.raw, `${longBad.slice(0, MAX_RAW_CHARS)}…[cut: 20,007 characters in all]`, 'the cut says so, and how long the line was');
    assert.deepEqual(items[1].kind === 'event' ? items[1].event : undefined, { ok: true });
  });
});

describe('JSON array input', () => {
  test('non-object elements become error items at their 1-based index', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.json', '  \n[\n {"a":1},\n 5,\n "s",\n {"b":2}\n]\n');
    assert.deepEqual(summarize(await readAllEvents(file)), [
      { line: 1, event: { a: 1 } },
      { line: 2, error: 'element 2 is not a JSON object', raw: '5' },
      { line: 3, error: 'element 3 is not a JSON object', raw: '"s"' },
      { line: 4, event: { b: 2 } },
    ]);
  });

  test('an array that does not parse is one error item naming the file and the reason', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'broken.json', '[{"a":1}, {"b":');
    const items = await readAllEvents(file);
    assert.equal(items.length, 1);
    const [err] = errorsOf(items);
    assert.equal(err.source.line, 0);
    assert.ok(err.message.startsWith(`${file}: invalid JSON array: `), err.message);
    assert.equal(err.raw, '[{"a":1}, {"b":');
  });

  test('the extension is not trusted: .json holding NDJSON is read as NDJSON', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'lines.json', '{"a":1}\n{"a":2}\n');
    assert.deepEqual(summarize(await readAllEvents(file)), [
      { line: 1, event: { a: 1 } },
      { line: 2, event: { a: 2 } },
    ]);
  });
});

describe('CSV input', () => {
  const csv = [
    'user,ip,action', //            line 1: header
    'alice,1.2.3.4,login', //       line 2
    'bob,,logout', //               line 3: empty cell
    '', //                          line 4: blank
    'carol,5.6.7.8', //             line 5: short row
    '"dave ""d""","multi', //       line 6: quoted field spanning lines 6-7
    'line",x',
    'eve,9.9.9.9,login,extra', //   line 8: long row
    'frank,1.1.1.1,login', //       line 9
  ];
  const expected = [
    { line: 2, event: { user: 'alice', ip: '1.2.3.4', action: 'login' } },
    { line: 3, event: { user: 'bob', action: 'logout' } },
    { line: 5, error: 'row has 2 fields, header has 3', raw: 'carol,5.6.7.8' },
    { line: 6, event: { user: 'dave "d"', ip: 'multi\nline', action: 'x' } },
    { line: 8, error: 'row has 4 fields, header has 3', raw: 'eve,9.9.9.9,login,extra' },
    { line: 9, event: { user: 'frank', ip: '1.1.1.1', action: 'login' } },
  ];

  test('short and long rows are errors at their line; empty cells are omitted', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', csv.join('\n') + '\n');
    assert.deepEqual(summarize(await readAllEvents(file)), expected);
  });

  test('line numbers stay true with CRLF endings and a BOM', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', '\ufeff' + csv.join('\r\n'));
    assert.deepEqual(summarize(await readAllEvents(file)), expected);
  });

  test('a stray quote costs only its own line', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv', 'a,b\n1,2\n3,x"y\n5,6\n"ok",7\n7,"q"z\n"fine","8"\n9,10\n');
    const items = await readAllEvents(file);
    assert.deepEqual(
      items.map((i) => [i.source.line, i.kind]),
      [[2, 'event'], [3, 'error'], [4, 'event'], [5, 'event'], [6, 'error'], [7, 'event'], [8, 'event']],
    );
    const [unterminated, invalid] = errorsOf(items);
    assert.equal(unterminated.message, 'unterminated quoted field');
    assert.equal(unterminated.raw, '3,x"y');
    assert.match(invalid.message, /^invalid CSV row: /);
    assert.equal(invalid.raw, '7,"q"z');
    assert.deepEqual(items[3].kind === 'event' ? items[3].event : undefined, { a: 'ok', b: '7' });
    assert.deepEqual(items[5].kind === 'event' ? items[5].event : undefined, { a: 'fine', b: '8' });
  });

  test('line numbers hold across parse batches', async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 1500 }, (_, i) => (i % 7 === 0 ? `"r${i}\nx",${i}` : `r${i},${i}`));
    const file = fixture(dir, 'many.csv', 'name,n\n' + rows.join('\n') + '\n');
    const items = await readAllEvents(file);
    assert.equal(items.length, 1500);
    let line = 2;
    items.forEach((item, i) => {
      assert.equal(item.kind, 'event');
      assert.equal(item.source.line, line);
      assert.equal(item.kind === 'event' ? item.event.n : undefined, String(i));
      line += i % 7 === 0 ? 2 : 1;
    });
  });
});

describe('gzip input', () => {
  test('gzipped NDJSON is detected by magic bytes, whatever the name', async () => {
    const dir = tempDir();
    const body = zlib.gzipSync('{"a":1}\nnot json\n{"a":2}\n');
    const named = fixture(dir, 'a.ndjson.gz', body);
    const misnamed = fixture(dir, 'b.ndjson', body);
    for (const file of [named, misnamed]) {
      assert.deepEqual(
        (await readAllEvents(file)).map((i) => [i.source.line, i.kind]),
        [[1, 'event'], [2, 'error'], [3, 'event']],
      );
    }
  });

  test('gzipped CSV', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'in.csv.gz', zlib.gzipSync('user,action\nalice,login\nbob\n'));
    assert.deepEqual(summarize(await readAllEvents(file)), [
      { line: 2, event: { user: 'alice', action: 'login' } },
      { line: 3, error: 'row has 1 fields, header has 2', raw: 'bob' },
    ]);
  });

  test('a truncated gzip keeps what was read and reports the failure', async () => {
    const dir = tempDir();
    const body = zlib.gzipSync('{"n":1}\n'.repeat(5000));
    const file = fixture(dir, 'cut.ndjson.gz', body.subarray(0, body.length - 10));
    const items = await readAllEvents(file);
    const events = items.filter((i) => i.kind === 'event');
    assert.ok(events.length > 0);
    const errors = errorsOf(items);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].source.line, 0);
    assert.ok(errors[0].message.startsWith(`${file}: read failed after`), errors[0].message);
    assert.equal(items.at(-1), errors[0]);
  });
});

describe('empty and unreadable files', () => {
  test('an empty file is one line-0 error item', async () => {
    const dir = tempDir();
    for (const [name, content] of [
      ['empty.ndjson', ''],
      ['blank.ndjson', '\n  \n\n'],
      ['empty-array.json', '[]'],
      ['header-only.csv', 'a,b\n'],
      ['empty.ndjson.gz', zlib.gzipSync('')],
    ] as const) {
      const file = fixture(dir, name, content);
      assert.deepEqual(await readAllEvents(file), [
        { kind: 'error', message: `${file}: file is empty`, source: { file, line: 0 } },
      ]);
    }
  });

  test('a file that vanishes before it is opened is an error item, and reading goes on', async () => {
    const dir = tempDir();
    fixture(dir, 'a.ndjson', '{"a":1}\n');
    const gone = fixture(dir, 'b.ndjson', '{"b":1}\n');
    fixture(dir, 'c.ndjson', '{"c":1}\n');
    const items: InputItem[] = [];
    for await (const item of readEvents(path.join(dir, '*.ndjson'))) {
      if (items.length === 0) fs.rmSync(gone);
      items.push(item);
    }
    assert.equal(items.length, 3);
    assert.equal(items[1].kind, 'error');
    assert.deepEqual(items[1].source, { file: gone, line: 0 });
    assert.match(items[1].kind === 'error' ? items[1].message : '', /cannot read: .*ENOENT/);
    assert.deepEqual(items[2].kind === 'event' ? items[2].event : undefined, { c: 1 });
  });
});

describe('input expansion', () => {
  test('a glob expands to sorted files, read in that order', async () => {
    const dir = tempDir();
    const b = fixture(dir, 'b.ndjson', '{"f":"b"}\n');
    const a = fixture(dir, 'a.ndjson', '{"f":"a"}\n');
    fixture(dir, 'ignored.txt', 'x');
    const pattern = path.join(dir, '*.ndjson');
    assert.deepEqual(await expandInputs(pattern), [a, b]);
    const items = await readAllEvents(pattern);
    assert.deepEqual(items.map((i) => i.source.file), [a, b]);
  });

  test('plain paths work, even with glob characters in the name; duplicates are dropped', async () => {
    const dir = tempDir();
    const odd = fixture(dir, 'logs[1].ndjson', '{"a":1}\n');
    assert.deepEqual(await expandInputs([odd, odd]), [odd]);
  });

  test('a pattern matching nothing throws with the pattern in the message', async () => {
    const dir = tempDir();
    const file = fixture(dir, 'a.ndjson', '{"a":1}\n');
    const missing = path.join(dir, 'nothing-*.ndjson');
    await assert.rejects(expandInputs([file, missing]), { message: `no input files match "${missing}"` });
    await assert.rejects(readAllEvents(missing), /no input files match/);
  });
});

describe('event writer', () => {
  const docs = [
    { '@timestamp': '2024-01-01T00:00:00Z', user: { name: 'alice' }, tags: ['a', 'b'], dfp: { score: 1.5, anomalous: false } },
    { user: { name: 'bob', id: 7 }, source: { ip: '1.2.3.4' }, note: 'with, comma and "quotes"\nand a newline', gone: null },
  ];

  test('NDJSON round trip, creating missing parent directories', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'nested', 'deeper', 'out.ndjson');
    const writer = createEventWriter(out);
    for (const doc of docs) await writer.write(doc);
    assert.deepEqual(await writer.close(), { path: out, written: 2 });
    const items = await readAllEvents(out);
    assert.deepEqual(items.map((i) => (i.kind === 'event' ? i.event : i)), docs);
  });

  test('.gz output is gzip and reads back equal, across many writes (backpressure)', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.ndjson.gz');
    const writer = createEventWriter(out);
    const many = Array.from({ length: 20_000 }, (_, i) => ({ i, pad: 'x'.repeat(50) }));
    for (const doc of many) await writer.write(doc);
    assert.equal((await writer.close()).written, many.length);
    const bytes = fs.readFileSync(out);
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b]);
    const items = await readAllEvents(out);
    assert.deepEqual(items.map((i) => (i.kind === 'event' ? i.event : i)), many);
  });

  test('CSV: nested objects become dotted columns, union in first-seen order', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv');
    const writer = createEventWriter(out);
    for (const doc of docs) await writer.write(doc);
    await writer.close();
    const rows = parseCsv(fs.readFileSync(out, 'utf8')) as string[][];
    assert.deepEqual(rows, [
      ['@timestamp', 'user.name', 'tags', 'dfp.score', 'dfp.anomalous', 'user.id', 'source.ip', 'note', 'gone'],
      ['2024-01-01T00:00:00Z', 'alice', '["a","b"]', '1.5', 'false', '', '', '', ''],
      ['', 'bob', '', '', '', '7', '1.2.3.4', 'with, comma and "quotes"\nand a newline', ''],
    ]);
    assert.deepEqual(fs.readdirSync(dir), ['out.csv'], 'spool file is removed');
  });

  test('CSV .gz output reads back through the CSV reader', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv.gz');
    const writer = createEventWriter(out);
    for (const doc of docs) await writer.write(doc);
    await writer.close();
    const items = await readAllEvents(out);
    assert.deepEqual(summarize(items), [
      { line: 2, event: { '@timestamp': '2024-01-01T00:00:00Z', 'user.name': 'alice', tags: '["a","b"]', 'dfp.score': '1.5', 'dfp.anomalous': 'false' } },
      { line: 3, event: { 'user.name': 'bob', 'user.id': '7', 'source.ip': '1.2.3.4', note: 'with, comma and "quotes"\nand a newline' } },
    ]);
  });

  test('write after close is refused; close is idempotent', async () => {
    const dir = tempDir();
    const writer = createEventWriter(path.join(dir, 'out.ndjson'));
    await writer.write({ a: 1 });
    const first = await writer.close();
    assert.deepEqual(await writer.close(), first);
    await assert.rejects(writer.write({ a: 2 }), /write after close/);
  });

  test('an output that cannot be created rejects instead of hanging or crashing', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'taken');
    fs.mkdirSync(out); // a directory where the file should go
    const writer = createEventWriter(out);
    await assert.rejects(async () => {
      for (let i = 0; i < 100_000; i++) await writer.write({ i, pad: 'x'.repeat(100) });
      await writer.close();
    }, /EISDIR/);
  });
});

describe('errorDocument', () => {
  test('carries the raw text, the located message and the source', () => {
    const doc = errorDocument({ message: 'invalid JSON: oops', source: { file: 'in.ndjson', line: 3 }, raw: '{"a":' }, { job: 'j1' });
    const dfp = doc.dfp as Record<string, unknown>;
    assert.deepEqual(doc.event, { original: '{"a":' });
    assert.equal(dfp.error, 'in.ndjson:3: invalid JSON: oops');
    assert.equal(dfp.user, null);
    assert.deepEqual(dfp.source, { file: 'in.ndjson', line: 3 });
    assert.ok(!Number.isNaN(Date.parse(dfp.scored_at as string)));
    assert.equal(new Date(dfp.scored_at as string).toISOString(), dfp.scored_at);
    assert.equal(doc.job, 'j1');
    assert.deepEqual(Object.keys(doc), ['event', 'dfp', 'job']);
  });

  test('omits event.original without raw, and does not repeat the file for file-level errors', () => {
    const doc = errorDocument({ message: 'in.ndjson: file is empty', source: { file: 'in.ndjson', line: 0 } });
    assert.equal('event' in doc, false);
    assert.equal((doc.dfp as Record<string, unknown>).error, 'in.ndjson: file is empty');
    assert.equal(formatError({ message: 'cannot read', source: { file: 'x.csv', line: 0 } }), 'x.csv: cannot read');
  });
});
