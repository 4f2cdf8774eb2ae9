// What `npm run demo` and `npm run serve` say to someone running them for the first time: the
// demo names its backend once (the native TensorFlow packages that are not installed are not
// news) and ends pointing to the analyst's view; serve keeps off Kibana's port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const script = (name: string): string => path.join(__dirname, '..', 'scripts', name);
const run = (name: string, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', script(name), ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });

test('the demo says its backend once, without "Cannot find module" noise, and ends pointing to npm run serve', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'dfp-demo-'));
  const r = run('demo.ts', '--users', '6', '--profiles', 'azure-signin', '--out', out, '--quiet');
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /Cannot find module/);
  assert.deepEqual(r.stderr.match(/^(tfjs )?backend\b.*$/gm), [r.stderr.match(/^backend: .*$/m)?.[0]], 'one backend line, for training and scoring both');
  const last = r.stderr.trimEnd().split('\n').at(-1) ?? '';
  assert.match(last, /npm run serve -- --data /, `the last line: ${last}`);
  assert.doesNotMatch(last, /dfp -- run/);
});

test('serve listens on 5650 by default, not on Kibana\'s 5601', () => {
  const r = run('serve.ts', '--help');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout.replace(/\s+/g, " "), /--port <n> [^-]*\(default: 5650\)/);
});
