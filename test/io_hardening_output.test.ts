/**
 * Issue 14, the output side: CSV cells that a spreadsheet would run, an output that fails mid-way,
 * and terminal escapes in what the CLI prints. (Input: io_hardening.test.ts.)
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { createEventWriter } from '../server/engine/io/write_events';
import { InputReport } from '../server/engine/jobs/input_report';
import { printable, scoreReport } from '../scripts/cli/report';
import type { ScoreSummary } from '../server/engine/jobs/score';
import { tempDir, writeAll } from './io_hardening_support';

describe('CSV output and formula injection (OWASP)', () => {
  test('cells starting with = + - @ tab CR get a leading quote and are quoted; numbers and @names stay as they are', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'out.csv');
    const cells: Record<string, unknown> = {
      eq: '=HYPERLINK("http://evil","x")',
      plus: '+1+2',
      minus: '-2+3',
      at: '@SUM(A1)',
      tab: '\t=1',
      cr: '\r=1',
      num: -3.2,
      numText: '-3.2',
      exp: -1e-7,
      inner: 'a=b, c',
      plain: 'alice',
      name: '@timestamp',
      call: '@x(1)',
    };
    await writeAll(out, [cells]);
    const text = fs.readFileSync(out, 'utf8');
    const [, row] = text.split('\n');
    assert.equal(
      row,
      ['"\'=HYPERLINK(""http://evil"",""x"")"', '"\'+1+2"', '"\'-2+3"', '"\'@SUM(A1)"', '"\'\t=1"', '"\'\r=1"', '-3.2', '-3.2', '-1e-7', '"a=b, c"', 'alice', '@timestamp', '"\'@x(1)"'].join(','),
    );
    const [, parsed] = parseCsv(text) as string[][];
    assert.deepEqual(parsed, ['\'=HYPERLINK("http://evil","x")', "'+1+2", "'-2+3", "'@SUM(A1)", "'\t=1", "'\r=1", '-3.2', '-3.2', '-1e-7', 'a=b, c', 'alice', '@timestamp', "'@x(1)"]);
    // The header is escaped too: a key is as untrusted as a value.
    await writeAll(out, [{ '=cmd': 1 }]);
    assert.equal(fs.readFileSync(out, 'utf8').split('\n')[0], '"\'=cmd"');
  });
});

describe('a failing output', () => {
  test('ENOSPC: the error names the output and the cause (/dev/full)', { skip: !fs.existsSync('/dev/full') }, async () => {
    for (const name of ['/dev/full']) {
      const writer = createEventWriter(name);
      await assert.rejects(async () => {
        for (let i = 0; i < 1_000; i++) await writer.write({ i, pad: 'x'.repeat(200) });
        await writer.close();
      }, (err: Error) => {
        assert.match(err.message, /^cannot write \/dev\/full: ENOSPC/);
        assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
        return true;
      });
      await assert.rejects(writer.close(), /cannot write \/dev\/full: ENOSPC/, 'close after a failure reports it again');
    }
  });

  test('output goes to a temporary file renamed on close: an old output stays whole until then', async () => {
    const dir = tempDir();
    for (const name of ['out.ndjson', 'out.csv.gz']) {
      const out = path.join(dir, name);
      fs.writeFileSync(out, 'old\n');
      const writer = createEventWriter(out);
      await writer.write({ a: 1 });
      assert.equal(fs.readFileSync(out, 'utf8'), 'old\n', 'not touched while writing');
      const temporary = (): string[] => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
      for (let waited = 0; temporary().length === 0 && waited < 2_000; waited += 10) await new Promise((r) => setTimeout(r, 10)); // the file opens asynchronously
      assert.equal(temporary().length, 1);
      assert.match(temporary()[0], new RegExp(`^\\.${name.replace(/\./g, '\\.')}\\..*\\.tmp$`), 'hidden, beside the output, named after it');
      await writer.close();
      assert.notEqual(fs.readFileSync(out, 'utf8'), 'old\n');
    }
    assert.deepEqual(fs.readdirSync(dir).sort(), ['out.csv.gz', 'out.ndjson'], 'no temporary or spool file left');
  });
});

describe('terminal escapes in the report', () => {
  const evil = '\x1b]0;pwned\x07evil\x1b[2J';

  test('printable shows control characters escaped', () => {
    assert.equal(printable(evil), '\\x1b]0;pwned\\x07evil\\x1b[2J');
    assert.equal(printable('tab\there\nnl\x7f\u009b\u202e'), 'tab\\x09here\\x0anl\\x7f\\x9b\\u202e');
    assert.equal(printable('café 東京 🙂'), 'café 東京 🙂', 'ordinary text unchanged');
  });

  test('scoreReport escapes user names, values and examples', () => {
    const report = new InputReport();
    report.add('no user key', `value ${evil}`, { file: 'in\x1b.ndjson', line: 1 });
    const summary = {
      events: 1, scored: 1, errors: 0, flagged: 1, tsFlagged: 0, workers: 0, durationMs: 1, report,
      users: [{ user: evil, label: `${evil}label`, events: 1, flagged: 1, maxZscore: 9, generic: false, worstIndex: 0, worstTopFeatures: [`app${evil}`] }],
      topEvents: [{ inputIndex: 0, user: evil, zscore: 9, time: 0, why: [{ feature: 'app', seen: evil, expected: `x${evil}` }] }],
    } as unknown as ScoreSummary;
    const text = scoreReport(summary, 8);
    assert.equal(text.includes('\x1b'), false, 'no ESC byte');
    assert.equal(text.includes('\x07'), false, 'no BEL byte');
    assert.ok(text.includes('\\x1b]0;pwned\\x07evil\\x1b[2J'));
    assert.ok(text.includes('in\\x1b.ndjson:1'));
  });
});

