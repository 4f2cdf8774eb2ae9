// End to end in headless Chromium: the standalone server over scored demo-like files, the built
// app at `/`. An analyst loads the overview, sorts, opens a flagged user and reads why an event is
// anomalous; an admin lowers the threshold and sees the flags change. Screenshots are artifacts.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { generate } from '../../server/engine/synth';
import { resolveProfile } from '../../server/engine/profiles';
import { initBackend } from '../../server/engine/model/backend';
import { DEFAULT_AUTOENCODER_CONFIG } from '../../server/engine/model/autoencoder';
import { FsModelStore } from '../../server/engine/io/model_store_fs';
import { trainModels } from '../../server/engine/jobs/train';
import { scoreEvents } from '../../server/engine/jobs/score';
import type { InputItem, RawEvent } from '../../server/engine/types';
import { ROUTES } from '../../server/routes';
import { createStandaloneServer } from '../../server/standalone/http_server';
import { fileContext } from '../../server/standalone/context';
import { buildPlugin } from '../../scripts/build';
import { buildStandaloneApp } from '../../scripts/plugin_build/browser';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-'));
const scored: Record<string, any>[] = [];
let server: Server;
let base: string;
let browser: Browser;
let page: Page;

const items = (events: RawEvent[]): InputItem[] => events.map((event, i) => ({ kind: 'event', event, source: { file: 'gen', line: i + 1 } }));

before(async () => {
  await initBackend('wasm');
  // Fixed dates, so the data (and which events the models flag) are the same every run; pages are
  // opened on an explicit range around the scored day.
  const ds = generate({ profile: 'azure-signin', seed: 17, users: 16, trainDays: 10, testDays: 1, compromisedUsers: 2, start: '2026-10-01T00:00:00Z' });
  const profile = resolveProfile('azure-signin');
  const sourceDir = path.join(dir, 'data', 'azure-signin');
  mkdirSync(sourceDir, { recursive: true });
  const store = new FsModelStore(path.join(sourceDir, 'models'));
  await trainModels(items(ds.train), { profile, store, backend: 'wasm', config: { ...DEFAULT_AUTOENCODER_CONFIG, epochs: 6 }, minHistory: 100 });
  await scoreEvents(items(ds.test), { profile, store }, async (doc) => void scored.push(doc));
  writeFileSync(path.join(sourceDir, 'scored.ndjson'), scored.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const appDir = await buildStandaloneApp({ outDir: path.join(dir, 'app') });
  const { context } = await fileContext(path.join(dir, 'data'));
  server = createStandaloneServer({ routes: ROUTES, context, privilegesOf: () => ['read', 'manage'], appDir });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
});
after(async () => {
  await browser?.close();
  server?.close();
});

const RANGE = `from=${encodeURIComponent('2026-10-10T23:00:00.000Z')}&to=${encodeURIComponent('2026-10-12T01:00:00.000Z')}`;
const home = (extra = ''): string => `${base}/?${RANGE}${extra}`;

/** Sets the threshold through the API, as an admin (the settings page is tested on its own). */
async function setThreshold(z: number): Promise<void> {
  const res = await fetch(`${base}/internal/dfp/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ zscoreThreshold: z }) });
  assert.equal(res.status, 200);
}

const rows = (p: Page) => p.locator('[data-test-subj~="dfpUserRow"]');
const statNumber = async (p: Page, key: string): Promise<number> => Number((await p.locator(`[data-test-subj="dfpStat-${key}"] .euiStat__title`).innerText()).replace(/[^\d]/g, ''));
const flaggedAt = (z: number): number => scored.filter((d) => d.dfp.zscore >= z).length;

it('loads the overview: users ranked by risk, with the flagged count of the data', async () => {
  await page.goto(home());
  await rows(page).first().waitFor({ timeout: 30_000 });
  assert.equal(await rows(page).count(), Math.min(25, new Set(scored.map((d) => d.dfp.user)).size));
  const worst = scored.reduce((a, b) => (b.dfp.zscore > a.dfp.zscore ? b : a));
  assert.equal(await rows(page).first().getAttribute('data-user'), worst.dfp.user, 'the riskiest user first');
  await page.locator('[data-test-subj="dfpStat-flagged"] .euiStat__title').filter({ hasText: /\d/ }).waitFor();
  assert.equal(await statNumber(page, 'flagged'), flaggedAt(8));
  await screenshot(page, 'e2e-1-overview');
});

it('sorts users by event count', async () => {
  await page.locator('[data-test-subj="dfpUsersTable"] th').filter({ hasText: 'Events' }).locator('button').click();
  const counts = new Map<string, number>();
  for (const d of scored) counts.set(d.dfp.user, (counts.get(d.dfp.user) ?? 0) + 1);
  const byEvents = (users: (string | null)[]) => users.map((u) => counts.get(u!)!);
  const monotonic = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]) || xs.every((x, i) => i === 0 || x <= xs[i - 1]);
  await page.waitForFunction(() => new URL(location.href).search.includes('sort=events') || document.querySelector('[data-test-subj="dfpUsersTable"] th[aria-sort]') !== null);
  await page.waitForTimeout(300);
  const shown = byEvents(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-user'))));
  assert.ok(shown.length > 1 && monotonic(shown), `rows ordered by events: ${shown.join(', ')}`);
  assert.ok(new Set(shown).size > 1, 'the users differ in event count, so the order means something');
  await screenshot(page, 'e2e-2-sorted');
});

it('opens a flagged user and explains an anomalous event: which features, value seen and expected', async () => {
  // A threshold the data's worst events reach, whatever the models made of them.
  const worstZ = Math.max(...scored.map((d) => d.dfp.zscore));
  await setThreshold(Math.min(8, Math.floor(worstZ * 0.9 * 100) / 100));
  await page.goto(home());
  const flagged = page.locator('[data-test-subj~="dfpUserRow-flagged"]').first();
  await flagged.waitFor({ timeout: 30_000 });
  const user = await flagged.getAttribute('data-user');
  await flagged.locator('[data-test-subj="dfpUserLink"]').click();
  await page.locator('[data-test-subj~="dfpExplanationRow"]').first().waitFor({ timeout: 30_000 });
  const worst = scored.filter((d) => d.dfp.user === user).reduce((a, b) => (b.dfp.zscore > a.dfp.zscore ? b : a));
  const top = page.locator('[data-test-subj~="dfpExplanationRow-top"]');
  const features = await top.evaluateAll((els) => els.map((e) => e.getAttribute('data-feature')));
  assert.deepEqual(features.slice(0, worst.dfp.top_features.length), worst.dfp.top_features, 'the worst event names its top features');
  const seen = await page.locator('[data-test-subj="dfpSeenExpected"]').first().innerText();
  assert.match(seen, /\(.+\)/, `value seen (expected): ${seen}`);
  assert.ok(await page.locator('[data-test-subj="dfpModelPanel"]').isVisible());
  await screenshot(page, 'e2e-3-user');
});

it('an admin lowers the threshold and sees the flags change', async () => {
  const before = (await (await fetch(`${base}/internal/dfp/settings`)).json()).zscoreThreshold as number;
  const zs = scored.map((d) => d.dfp.zscore as number).sort((a, b) => b - a);
  const lower = Math.floor(zs[Math.min(zs.length - 1, flaggedAt(before) + 5)] * 100) / 100;
  await page.goto(home());
  await page.locator('[data-test-subj="dfpTab-settings"]').click();
  const field = page.locator('[data-test-subj="dfpSetting-zscoreThreshold"]');
  await field.waitFor();
  await field.fill(String(lower));
  await page.locator('[data-test-subj="dfpSaveSettings"]').click();
  await page.waitForFunction(async (z) => (await (await fetch('/internal/dfp/settings')).json()).zscoreThreshold === z, lower);
  await screenshot(page, 'e2e-4-settings');
  await page.locator('[data-test-subj="dfpTab-overview"]').click();
  await page.locator('[data-test-subj="dfpStat-flagged"] .euiStat__title').filter({ hasText: /\d/ }).waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-test-subj="dfpStat-flagged"] .euiStat__title')?.textContent?.replace(/[^\d]/g, '') === String(n), flaggedAt(lower), { timeout: 15_000 });
  assert.equal(await statNumber(page, 'flagged'), flaggedAt(lower));
  assert.ok(flaggedAt(lower) > flaggedAt(before), `a lower threshold (${lower} < ${before}) flags more`);
  await screenshot(page, 'e2e-5-overview-lower-threshold');
});

it('offers the dashboards as an NDJSON file to import', async () => {
  await page.goto(home());
  await rows(page).first().waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test-subj="dfpDownloadDashboards"]').click()]);
  assert.equal(download.suggestedFilename(), 'digital-fingerprinting-dashboards.ndjson');
  const file = await download.path();
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
  assert.deepEqual([...new Set(lines.map((o) => o.type))].sort(), ['dashboard', 'index-pattern', 'search', 'visualization']);
});

it("mounts the install zip's own browser bundle, not just the page's build", async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-zip-'));
  const { pluginDir, manifest } = await buildPlugin({ kibanaVersion: '8.19.2', outDir: out, zip: false });
  const bundle = `${manifest.id}.plugin.js`;
  copyFileSync(path.join(pluginDir, 'target', 'public', bundle), path.join(dir, 'app', 'target', 'public', bundle));
  await page.goto(home());
  await rows(page).first().waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('[data-test-subj="dfpApp"]').count(), 1);
  await screenshot(page, 'e2e-6-zip-bundle');
});

it('renders in the dark theme too', async () => {
  const luminance = async (): Promise<number> =>
    page.evaluate(() => {
      // The panels' background: EUI paints them per theme (the body itself stays transparent).
      const panel = document.querySelector('[data-test-subj="dfpUsersTable"]')?.closest('.euiPanel') ?? document.querySelector('.euiPanel');
      const m = /rgba?\((\d+), (\d+), (\d+)/.exec(panel ? getComputedStyle(panel).backgroundColor : '') ?? ['', '128', '128', '128'];
      return (0.2126 * Number(m[1]) + 0.7152 * Number(m[2]) + 0.0722 * Number(m[3])) / 255;
    });
  await page.goto(home('&theme=light'));
  await rows(page).first().waitFor({ timeout: 30_000 });
  const light = await luminance();
  await page.goto(home('&theme=dark'));
  await rows(page).first().waitFor({ timeout: 30_000 });
  const dark = await luminance();
  assert.ok(light > 0.8 && dark < 0.3, `light page ${light.toFixed(2)}, dark page ${dark.toFixed(2)}`);
  await screenshot(page, 'e2e-7-dark');
  await page.goto(home('&theme=light'));
});

it('works from the keyboard: focus a user link, Enter opens the drilldown', async () => {
  await page.goto(home());
  await rows(page).first().waitFor({ timeout: 30_000 });
  const first = await rows(page).first().getAttribute('data-user');
  // Tab through the page until the first user link has focus (labelled controls come first).
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.getAttribute('data-test-subj') === 'dfpUserLink' ? el.closest('[data-user]')?.getAttribute('data-user') ?? null : null;
    });
    if (focused) break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-test-subj')), 'dfpUserLink', 'a user link is reachable with Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-test-subj="dfpModelPanel"]').waitFor({ timeout: 30_000 });
  assert.match(decodeURIComponent(page.url()), new RegExp(`/users/${first}`));
});
