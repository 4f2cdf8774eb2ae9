// Priorities at a glance and why, in words (issue 17 parts 3 and 4), in headless Chromium against
// the standalone server over scored files, on the oldest Kibana we support (React 17) and the
// newest: the planted compromised user's row says in words what was unusual and what they usually
// do, with the raw address and network; shows 0–100 risk, its level and the trend; the swimlane's
// critical cell opens that user on that hour, where the why is at the top of the page; and in
// New York the explanation's hours are New York hours, labelled, as the tables' times are.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { RANGE, TOKEN, makeScoredData, openKibana, plantedCompromises, writeScored, type KibanaPage, type ScoredDoc } from './fixture';
import { fileContext } from '../../server/standalone/context';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';
import { riskLevel } from '../../common/risk_level';
import { clockIn } from '../../common/why';
import { formatTime } from '../../public/logic/format';
import { BAND_COLOUR } from '../../public/logic/priorities';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-priorities-'));
/** RANGE's length: the previous period is the same span before it. */
const SPAN = Date.parse('2026-10-12T01:00:00.000Z') - Date.parse('2026-10-10T23:00:00.000Z');
let browser: Browser;
let docs: ScoredDoc[] = [];
/** The user with the highest dfp.user_risk: a planted compromise. */
let suspect: string;
let worst: ScoredDoc;
/** A user whose worst event has the hour of day among its top features. */
let nightOwl: ScoredDoc | undefined;

before(async () => {
  docs = await makeScoredData(path.join(dir, 'data'));
  const risky = [...docs].sort((a, b) => (b.dfp.user_risk ?? 0) - (a.dfp.user_risk ?? 0))[0];
  suspect = risky.dfp.user;
  worst = docs.filter((d) => d.dfp.user === suspect).sort((a, b) => b.dfp.zscore - a.dfp.zscore || Date.parse(b['@timestamp']) - Date.parse(a['@timestamp']))[0];
  const worstOf = (user: string) => docs.filter((d) => d.dfp.user === user && typeof d.dfp.zscore === 'number').sort((a, b) => b.dfp.zscore - a.dfp.zscore || Date.parse(b['@timestamp']) - Date.parse(a['@timestamp']))[0];
  nightOwl = [...new Set(docs.map((d) => d.dfp.user as string))].map(worstOf).find((d) => d?.dfp.top_features?.includes('hour'));
  // The previous period: the same scored events one span earlier, the suspect's before the attack (risk 0).
  const earlier = docs.map((d) => ({ ...d, '@timestamp': new Date(Date.parse(d['@timestamp']) - SPAN).toISOString(), dfp: { ...d.dfp, user_risk: d.dfp.user === suspect ? 0 : d.dfp.user_risk } }));
  writeScored(path.join(dir, 'data'), [...earlier, ...docs]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The first pixel of a colour ("rgba(231, 102, 76, 1)") on a canvas, in page coordinates. */
async function pixelOf(page: Page, selector: string, fill: string): Promise<{ x: number; y: number } | null> {
  const box = await page.locator(selector).boundingBox();
  const found = await page.locator(selector).evaluate((canvas: HTMLCanvasElement, colour: string) => {
    const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).map(Number);
    const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    for (let y = 0; y < height; y += 2) {
      for (let x = 0; x < width; x += 2) {
        const i = (y * width + x) * 4;
        if (Math.abs(data[i] - r) < 6 && Math.abs(data[i + 1] - g) < 6 && Math.abs(data[i + 2] - b) < 6) return { x: x / (canvas.width / canvas.clientWidth), y: y / (canvas.height / canvas.clientHeight) };
      }
    }
    return null;
  }, fill);
  return found && box ? { x: box.x + found.x + 3, y: box.y + found.y + 3 } : null;
}

function priorities(target: KibanaTarget): void {
  describe(`priorities on Kibana ${target.id}`, () => {
    let k: KibanaPage;

    before(async () => {
      k = await openKibana({ browser, target, appDir: path.join(dir, `app-${target.id}`), context: (await fileContext(path.join(dir, 'data'))).context, privileges: ['read'] });
    });
    after(async () => k?.close());

    it('the compromised user’s row: why in words with the usual share, raw address and network; 0–100 risk, level, flag and trend', async () => {
      const { page } = k;
      await page.goto(`${k.base}/?token=${TOKEN}&${RANGE}`);
      const row = page.locator(`[data-test-subj~="dfpUserRow"][data-user="${suspect}"]`);
      await row.locator('[data-test-subj="dfpWhySentence"]').waitFor({ timeout: 30_000 });
      // The first of the worst event's top features with a value the user never had, in their own terms.
      const top = worst.dfp.top_features.map((name: string) => ({ name, ...worst.dfp.features[name] })).find((f: ScoredDoc) => f.seen === 0 && typeof f.value === 'string' && f.usual?.length);
      assert.ok(top, 'the worst event has a never-seen value with history');
      const sentence = await row.locator('[data-test-subj="dfpWhySentence"]').innerText();
      assert.ok(sentence.includes(`${top.value} — never seen before (usually ${top.usual[0][0]} ${Math.round(top.usual[0][1] * 100)}%`), sentence);
      const context = await row.locator('[data-test-subj="dfpWhyContext"]').innerText();
      assert.ok(context.includes(`IP ${worst.source.ip}`) && context.includes(worst.source.as.organization.name), context);

      const risk = riskLevel(Math.max(...docs.filter((d) => d.dfp.user === suspect).map((d) => d.dfp.user_risk)), 10);
      assert.equal(risk.band, 'critical');
      const badge = row.locator('[data-test-subj="dfpUserRisk"]');
      assert.equal(await badge.innerText(), `${risk.score} Critical`);
      assert.equal(await badge.getAttribute('data-band'), 'critical');
      assert.equal(await row.locator('[data-test-subj="dfpUserRiskFlagged"]').count(), 1);
      const trend = row.locator('[data-test-subj="dfpUserRiskTrend"]');
      assert.deepEqual([await trend.getAttribute('data-trend'), await trend.innerText()], ['up', '▲ from 0']);
      const calm = page.locator('[data-test-subj~="dfpUserRow"]').last().locator('[data-test-subj="dfpUserRiskTrend"]');
      assert.equal(await calm.getAttribute('data-trend'), 'same', 'an innocent user at the same risk both periods');
      await screenshot(page, `e2e-priorities-${target.id}`);
      assert.deepEqual(k.errors, []);
      assert.deepEqual(k.failed, []);
    });

    it('a critical swimlane cell opens its user on that hour, with why at the top of the page', async () => {
      const { page } = k;
      await page.addInitScript(() => void ((window as unknown as { _echDebugStateFlag: boolean })._echDebugStateFlag = true));
      await page.goto(`${k.base}/?token=${TOKEN}&${RANGE}`);
      const status = page.locator('[data-test-subj="dfpSwimlane"] .echChartStatus[data-ech-render-complete="true"]');
      await status.waitFor({ state: 'attached', timeout: 30_000 });
      const state = JSON.parse((await status.getAttribute('data-ech-debug-state')) ?? 'null');
      const critical = state.heatmap.cells.filter((c: { value: number }) => c.value >= 90);
      const planted = plantedCompromises();
      assert.ok(critical.some((c: { datum: { y: string } }) => c.datum.y === suspect), 'the suspect has critical hours');
      assert.ok(critical.every((c: { datum: { y: string } }) => planted.includes(c.datum.y)), 'only planted compromises have critical hours');
      assert.equal(state.axes.y[0].labels[0], worst.user.name, 'the riskiest user in the first row, by name');
      assert.equal(critical[0].fill.replace(/\s/g, ''), `rgba(${[1, 3, 5].map((i) => parseInt(BAND_COLOUR.critical.slice(i, i + 2), 16)).join(',')},1)`, 'critical in Elastic’s colour');
      const at = await pixelOf(page, '[data-test-subj="dfpSwimlane"] canvas', critical[0].fill);
      assert.ok(at, 'a critical cell is drawn');
      await page.mouse.click(at.x, at.y);
      await page.waitForURL((url) => url.pathname.endsWith(`/users/${encodeURIComponent(suspect)}`), { timeout: 30_000 });
      const url = new URL(page.url());
      const from = Date.parse(url.searchParams.get('from')!);
      const to = Date.parse(url.searchParams.get('to')!);
      assert.ok(critical.some((c: { datum: { x: number } }) => c.datum.x <= from && to <= c.datum.x + 3_600_000 && to > from), `the page opens on a critical cell's hour: ${url.search}`);
      const why = page.locator('[data-test-subj="dfpUserWhy"]');
      await why.waitFor({ timeout: 30_000 });
      const box = (await why.boundingBox())!;
      assert.ok(box.y < 400, `why is at the top of the user page (y ${box.y})`);
      await screenshot(page, `e2e-priorities-user-${target.id}`);
      assert.deepEqual(k.errors, []);
      assert.deepEqual(k.failed, []);
    });
  });
}

priorities(OLDEST_TARGET);
priorities(NEWEST_TARGET);

describe('one labelled time zone (Kibana ' + NEWEST_TARGET.id + ', browser in New York)', () => {
  it('the why gives the hour on New York’s clock, labelled, and the table’s times say the same zone', async () => {
    assert.ok(nightOwl, 'a user whose worst event is unusual for its hour');
    const k = await openKibana({ browser, target: NEWEST_TARGET, appDir: path.join(dir, `app-${NEWEST_TARGET.id}`), context: (await fileContext(path.join(dir, 'data'))).context, privileges: ['read'] });
    const page = await browser.newPage({ timezoneId: 'America/New_York', viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${k.base}/users/${encodeURIComponent(nightOwl!.dfp.user)}?token=${TOKEN}&${RANGE}`);
      const why = page.locator('[data-test-subj="dfpUserWhy"]');
      await why.locator('[data-test-subj="dfpWhySentence"]').waitFor({ timeout: 30_000 });
      const at = Date.parse(nightOwl!['@timestamp']);
      const text = await why.innerText();
      assert.ok(text.includes(`Worst event, ${formatTime(nightOwl!['@timestamp'], 'America/New_York')} America/New_York`), text);
      assert.ok(text.includes(`at ${clockIn(at, 'America/New_York')}`) && text.includes('times in America/New_York'), text);
      assert.ok(!text.includes(`at ${clockIn(at, 'UTC')}`), 'never the UTC hour');
      await page.goto(`${k.base}/?token=${TOKEN}&${RANGE}`);
      await page.locator('[data-test-subj="dfpUsersTable"] th').filter({ hasText: 'Last seen (America/New_York)' }).waitFor({ timeout: 30_000 });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await k.close();
    }
  });
});
