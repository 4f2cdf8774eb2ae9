import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { userFilterOf, type CommonOptions } from '../scripts/cli/options';

/** Nested quantifiers: a backtracking engine tries ~2^52 ways to split the name before failing. */
const EVIL = String.raw`^([a-z0-9]+\.?)+@corp\.example$`;
const LONG_NAME = `${'a'.repeat(52)}!`; // 53 characters that almost match

const filterOf = (pattern: string): RegExp | undefined => userFilterOf({ useridFilter: pattern } as CommonOptions);

test('--userid-filter: a pattern with nested quantifiers answers at once on a 53-character name', () => {
  const filter = filterOf(EVIL)!;
  const started = performance.now();
  assert.equal(filter.test(LONG_NAME), false);
  assert.equal(filter.test('john.doe@corp.example'), true);
  assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
  // Everything that asks a RegExp to match goes through the linear-time engine.
  assert.equal(LONG_NAME.replace(filter, 'x'), LONG_NAME);
  assert.equal(filter.exec(LONG_NAME), null);
  assert.deepEqual([...(filter.exec('jo.e@corp.example') ?? [])], ['jo.e@corp.example', 'e']);
});

test('--userid-filter: unanchored search as before; syntax a linear-time engine cannot run is refused by name', () => {
  assert.equal(filterOf('ali')!.test('xalice'), true);
  assert.equal(filterOf('^ali')!.test('xalice'), false);
  assert.equal(filterOf('^(?:alice|bob)$')!.test('bob'), true);
  assert.throws(() => filterOf(String.raw`(a)\1`), /--userid-filter .*backreferences and lookaround are not supported.*invalid escape sequence/s);
  assert.throws(() => filterOf('(?=a)'), /--userid-filter .*Perl syntax/);
  assert.throws(() => filterOf('(a'), /--userid-filter is not a valid regular expression: .*missing closing \)/);
});

test('dfp train --userid-filter with that pattern finishes, training only the matching user', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-filter-'));
  const day = 86_400_000;
  const start = Date.UTC(2026, 8, 1, 9);
  const lines: string[] = [];
  for (let d = 0; d < 10; d++) {
    for (let k = 0; k < 4; k++) {
      for (const user of ['john.doe@corp.example', LONG_NAME]) {
        const t = start + d * day + k * 3_600_000;
        lines.push(JSON.stringify({
          '@timestamp': new Date(t).toISOString(),
          event: { id: `${user}-${t}`, outcome: 'success' },
          user: { id: user },
          source: { geo: { city_name: 'Austin', country_iso_code: 'US' } },
          azure: { signinlogs: { properties: { app_display_name: 'Teams', client_app_used: 'Browser', status: { error_code: 0 } } } },
        }));
      }
    }
  }
  writeFileSync(path.join(dir, 'train.ndjson'), lines.join('\n'));
  const cli = path.join(__dirname, '..', 'scripts', 'dfp.ts');
  // A backtracking engine spends hours on each of the 40 events of the long name: the timeout catches it.
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'train', '--profile', 'azure-signin', '--input', path.join(dir, 'train.ndjson'),
    '--models', path.join(dir, 'models'), '--epochs', '1', '--min-history-warm-start', '10', '--userid-filter', EVIL, '--json', '--quiet'],
  { encoding: 'utf8', env: { ...process.env, CI: '1' }, timeout: 60_000 });
  assert.equal(r.signal, null, `dfp train was still running after 60 s: ${r.stderr}`);
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(r.stdout) as { users: { user: string }[] };
  assert.deepEqual(summary.users.map((u) => u.user), ['john.doe@corp.example']);
});
