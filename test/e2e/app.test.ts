// End to end in headless Chromium: the standalone server over scored demo-like files, the app at
// `/` mounted the way a given Kibana version mounts it: that version's bundle loader, its own
// shared React, EUI and charts (kibana_targets/), its theme. The whole walkthrough runs on the
// oldest and the newest Kibana we support; the versions between get the mount check. An analyst
// loads the overview, sorts, opens a flagged user and reads why an event is anomalous; an admin
// lowers the threshold and sees the flags change. Any page error fails the version's suite, and
// so does an icon that renders blank. Screenshots are artifacts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { AUTH, RANGE, TOKEN, makeScoredData, openKibana as openPage, writeScored, type KibanaPage, type ScoredDoc } from './fixture';
import { fileContext } from '../../server/standalone/context';
import { buildPlugin } from '../../scripts/build';
import { KIBANA_TARGETS, NEWEST_TARGET, OLDEST_TARGET, targetPackageVersion, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-'));
let scored: ScoredDoc[] = [];
let browser: Browser;

before(async () => {
  scored = await makeScoredData(path.join(dir, 'data'));
  plantRollouts(scored);
  writeScored(path.join(dir, 'data'), scored);
  browser = await launchBrowser();
});

/**
 * Each user's worst event as if a rollout explained one of its features (dfp.rollout, which the
 * population view writes: score/shared_novelty.ts), so the user page shows the rollout's note. Its
 * least unusual feature: the explanation's first rows stay as they were.
 */
function plantRollouts(docs: ScoredDoc[]): void {
  const worst = new Map<string, ScoredDoc>();
  for (const d of docs) if (typeof d.dfp.zscore === 'number' && !(d.dfp.zscore <= (worst.get(d.dfp.user)?.dfp.zscore ?? -Infinity))) worst.set(d.dfp.user, d);
  for (const d of worst.values()) {
    const [feature, f] = Object.entries(d.dfp.features as Record<string, { z: number; value: unknown }>).sort((a, b) => a[1].z - b[1].z)[0];
    d.dfp.rollout = { feature, value: String(f.value), users: 5, window_hours: 72 };
  }
}
after(async () => {
  await browser?.close();
});

async function openKibana(target: KibanaTarget): Promise<KibanaPage> {
  // Each version its own data folder: an admin's threshold change stays in its own suite.
  const dataDir = path.join(dir, `data-${target.id}`);
  mkdirSync(path.join(dataDir, 'azure-signin'), { recursive: true });
  copyFileSync(path.join(dir, 'data', 'azure-signin', 'scored.ndjson'), path.join(dataDir, 'azure-signin', 'scored.ndjson'));
  const { context } = await fileContext(dataDir);
  return openPage({ browser, target, appDir: path.join(dir, `app-${target.id}`), context });
}

/**
 * The EUI icons on the page that show nothing: still a loading placeholder after a few seconds
 * (EUI could not load the icon) or an svg with nothing in it. Empty when every icon is drawn.
 */
async function blankIcons(page: Page, within = 'body'): Promise<string[]> {
  await page.waitForFunction(() => document.querySelectorAll('svg.euiIcon[data-is-loading="true"]').length === 0, null, { timeout: 5_000 }).catch(() => undefined);
  return page.evaluate(
    (root) =>
      [...document.querySelectorAll(`${root} svg.euiIcon`)]
        .filter((svg) => svg.getAttribute('data-is-loading') === 'true' || svg.childElementCount === 0)
        .map((svg) => svg.getAttribute('data-icon-type') ?? svg.closest('[data-test-subj]')?.getAttribute('data-test-subj') ?? svg.parentElement?.className ?? '?'),
    within,
  );
}

/** How many EUI icons are on the page (under `within`). */
const iconCount = (page: Page, within = 'body'): Promise<number> => page.evaluate((root) => document.querySelectorAll(`${root} svg.euiIcon`).length, within);

const rows = (p: Page) => p.locator('[data-test-subj~="dfpUserRow"]');
const statNumber = async (p: Page, key: string): Promise<number> => Number((await p.locator(`[data-test-subj="dfpStat-${key}"] .euiStat__title`).innerText()).replace(/[^\d]/g, ''));
const flaggedAt = (z: number): number => scored.filter((d) => d.dfp.zscore >= z).length;

/** The background of the app's panels: EUI paints them from the theme in force. */
async function panelBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const panel = document.querySelector('[data-test-subj="dfpUsersTable"]')?.closest('.euiPanel') ?? document.querySelector('.euiPanel');
    return panel ? getComputedStyle(panel).backgroundColor : '';
  });
}

const rgb = (hex: string): string => {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  return `rgb(${[0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)).join(', ')})`;
};

/** The dark panel colour of the theme that Kibana version renders (Borealis on 9.x, Amsterdam on 8.x), from that version's own theme package. */
function darkPanelColour(target: KibanaTarget): string {
  const from = { paths: [path.resolve('kibana_targets', target.id), process.cwd()] };
  type Theme = { root: { colors: { DARK: Record<string, string> } } };
  const theme: Theme =
    target.defaultTheme === 'borealis'
      ? (require(require.resolve('@elastic/eui-theme-borealis', from)) as { EuiThemeBorealis: Theme }).EuiThemeBorealis
      : (require(require.resolve('@elastic/eui', from)) as { EuiThemeAmsterdam: Theme }).EuiThemeAmsterdam;
  return rgb(theme.root.colors.DARK.emptyShade);
}

/** The full walkthrough, on one Kibana version's shared dependencies. */
function walkthrough(target: KibanaTarget): void {
  describe(`the app on Kibana ${target.id} (React ${targetPackageVersion(target, 'react')}, EUI ${targetPackageVersion(target, '@elastic/eui')}, charts ${targetPackageVersion(target, '@elastic/charts')})`, () => {
    let k: KibanaPage;
    const shot = (name: string) => screenshot(k.page, `e2e-${target.id}-${name}`);
    const home = (extra = ''): string => `${k.base}/?token=${TOKEN}&${RANGE}${extra}`;
    /** Sets the threshold through the API, as an admin (the settings page is tested on its own). */
    const setThreshold = async (z: number): Promise<void> => {
      const res = await fetch(`${k.base}/internal/dfp/settings`, { method: 'PUT', headers: { ...AUTH, 'kbn-xsrf': 'e2e', 'content-type': 'application/json' }, body: JSON.stringify({ zscoreThreshold: z }) });
      assert.equal(res.status, 200);
    };
    before(async () => void (k = await openKibana(target)));
    after(async () => k?.close());

    it('mounts on that version: its React, its EUI, no page errors, every icon drawn', async () => {
      const { page } = k;
      await page.goto(home());
      await rows(page).first().waitFor({ timeout: 30_000 });
      const versions = await page.evaluate(() => {
        const deps = (window as unknown as { __kbnSharedDeps__: Record<string, { version?: string }> }).__kbnSharedDeps__;
        return { react: deps.React.version, target: document.querySelector('meta[name="kibana-target"]')?.getAttribute('content') };
      });
      assert.deepEqual(versions, { react: targetPackageVersion(target, 'react'), target: target.id }, 'the page hands the bundle the target Kibana React');
      // Sort arrows, the pagination's arrows, the date picker: icons EUI loads lazily, blank on a page that cannot load them.
      await page.locator('.euiPagination svg.euiIcon').first().waitFor({ state: 'attached' });
      assert.deepEqual(await blankIcons(page), [], 'every icon on the overview is drawn');
      assert.ok((await iconCount(page, '.euiPagination')) >= 2, "the pagination's arrows are there to check");
      assert.ok((await iconCount(page)) >= 10, `the overview has icons to check: ${await iconCount(page)}`);
      assert.deepEqual(k.errors, []);
    });

    it('loads the overview: users ranked by risk, with the flagged count of the data', async () => {
      const { page } = k;
      await page.goto(home());
      await rows(page).first().waitFor({ timeout: 30_000 });
      assert.equal(await rows(page).count(), Math.min(25, new Set(scored.map((d) => d.dfp.user)).size));
      const worst = scored.reduce((a, b) => (b.dfp.zscore > a.dfp.zscore ? b : a));
      assert.equal(await rows(page).first().getAttribute('data-user'), worst.dfp.user, 'the riskiest user first');
      await page.locator('[data-test-subj="dfpStat-flagged"] .euiStat__title').filter({ hasText: /\d/ }).waitFor();
      assert.equal(await statNumber(page, 'flagged'), flaggedAt(8));
      await shot('1-overview');
    });

    it('sorts users by event count', async () => {
      const { page } = k;
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
      await shot('2-sorted');
    });

    it('opens a flagged user and explains an anomalous event: which features, value seen and expected; every icon drawn', async () => {
      const { page } = k;
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
      assert.equal(await iconCount(page, '[data-test-subj="dfpBackToOverview"]'), 1, 'the "All users" link has its arrow');
      // The rollout planted on the worst event: its note, and its icon among those drawn below.
      const rollout = page.locator('[data-test-subj="dfpRollout"]').first();
      const note = await rollout.innerText();
      const said = `${worst.dfp.rollout.feature} ${worst.dfp.rollout.value} is new to this user, and a rollout: at least 5 other users started using it within 72 h`;
      assert.ok(note.includes(said), `the rollout note: ${note}`);
      assert.equal(await iconCount(page, '[data-test-subj="dfpRollout"]'), 1, 'the rollout note has its icon');
      assert.deepEqual(await blankIcons(page), [], 'every icon on the user page is drawn (the "All users" back arrow and the rollout note\'s among them)');
      await shot('3-user');
    });

    it('an admin lowers the threshold and sees the flags change', async () => {
      const { page } = k;
      const before = (await (await fetch(`${k.base}/internal/dfp/settings`, { headers: AUTH })).json()).zscoreThreshold as number;
      const zs = scored.map((d) => d.dfp.zscore as number).sort((a, b) => b - a);
      const lower = Math.floor(zs[Math.min(zs.length - 1, flaggedAt(before) + 5)] * 100) / 100;
      await page.goto(home());
      await page.locator('[data-test-subj="dfpTab-settings"]').click();
      const field = page.locator('[data-test-subj="dfpSetting-zscoreThreshold"]');
      await field.waitFor();
      await field.fill(String(lower));
      await page.locator('[data-test-subj="dfpSaveSettings"]').click();
      await page.waitForFunction(async (z) => (await (await fetch('/internal/dfp/settings')).json()).zscoreThreshold === z, lower);
      assert.deepEqual(await blankIcons(page), [], 'every icon on the settings page is drawn');
      await shot('4-settings');
      await page.locator('[data-test-subj="dfpTab-overview"]').click();
      await page.locator('[data-test-subj="dfpStat-flagged"] .euiStat__title').filter({ hasText: /\d/ }).waitFor();
      await page.waitForFunction((n) => document.querySelector('[data-test-subj="dfpStat-flagged"] .euiStat__title')?.textContent?.replace(/[^\d]/g, '') === String(n), flaggedAt(lower), { timeout: 15_000 });
      assert.equal(await statNumber(page, 'flagged'), flaggedAt(lower));
      assert.ok(flaggedAt(lower) > flaggedAt(before), `a lower threshold (${lower} < ${before}) flags more`);
      await shot('5-overview-lower-threshold');
    });

    it('offers the dashboards as an NDJSON file to import', async () => {
      const { page } = k;
      await page.goto(home());
      await rows(page).first().waitFor({ timeout: 30_000 });
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test-subj="dfpDownloadDashboards"]').click()]);
      assert.equal(download.suggestedFilename(), 'digital-fingerprinting-dashboards.ndjson');
      const file = await download.path();
      const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string });
      assert.deepEqual([...new Set(lines.map((o) => o.type))].sort(), ['dashboard', 'index-pattern', 'search', 'visualization']);
    });

    it(`takes the theme from Kibana: light and dark, ${target.defaultTheme === 'borealis' ? 'Borealis' : 'Amsterdam'}`, async () => {
      const { page } = k;
      const luminance = (css: string): number => {
        const m = /rgba?\((\d+), (\d+), (\d+)/.exec(css) ?? ['', '128', '128', '128'];
        return (0.2126 * Number(m[1]) + 0.7152 * Number(m[2]) + 0.0722 * Number(m[3])) / 255;
      };
      await page.goto(home('&theme=light'));
      await rows(page).first().waitFor({ timeout: 30_000 });
      const light = luminance(await panelBackground(page));
      await page.goto(home('&theme=dark'));
      await rows(page).first().waitFor({ timeout: 30_000 });
      const dark = await panelBackground(page);
      assert.ok(light > 0.8 && luminance(dark) < 0.3, `light page ${light.toFixed(2)}, dark page ${dark}`);
      assert.equal(dark, darkPanelColour(target), `the panels wear Kibana ${target.id}'s dark theme`);
      await shot('6-dark');
      await page.goto(home('&theme=light'));
    });

    it('works from the keyboard: focus a user link, Enter opens the drilldown', async () => {
      const { page } = k;
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

    it(`mounts the install zip's own browser bundle for Kibana ${target.id}`, async () => {
      const { page } = k;
      const out = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-zip-'));
      const kibanaVersion = `${target.minors[0]}.0`;
      const { pluginDir, manifest, target: built } = await buildPlugin({ kibanaVersion, outDir: out, zip: false });
      assert.equal(built.id, target.id);
      const bundle = `${manifest.id}.plugin.js`;
      copyFileSync(path.join(pluginDir, 'target', 'public', bundle), path.join(k.appDir, 'target', 'public', bundle));
      await page.goto(home());
      await rows(page).first().waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('[data-test-subj="dfpApp"]').count(), 1);
      await shot('7-zip-bundle');
    });

    it('had no page errors on the way', () => {
      assert.deepEqual(k.errors, []);
    });
  });
}

walkthrough(OLDEST_TARGET);
walkthrough(NEWEST_TARGET);

// The versions between: the app mounts on their shared dependencies, with no page errors.
for (const target of KIBANA_TARGETS.filter((t) => t !== OLDEST_TARGET && t !== NEWEST_TARGET)) {
  describe(`the app on Kibana ${target.id} (React ${targetPackageVersion(target, 'react')}, EUI ${targetPackageVersion(target, '@elastic/eui')})`, () => {
    let k: KibanaPage;
    before(async () => void (k = await openKibana(target)));
    after(async () => k?.close());
    it('mounts, shows the overview and a user, every icon drawn, no page errors', async () => {
      const { page } = k;
      await page.goto(`${k.base}/?token=${TOKEN}&${RANGE}`);
      await rows(page).first().waitFor({ timeout: 30_000 });
      await rows(page).first().locator('[data-test-subj="dfpUserLink"]').click();
      await page.locator('[data-test-subj="dfpModelPanel"]').waitFor({ timeout: 30_000 });
      assert.deepEqual(await blankIcons(page), []);
      await screenshot(page, `e2e-${target.id}-user`);
      assert.deepEqual(k.errors, []);
    });
  });
}
