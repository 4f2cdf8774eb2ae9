// Triage of single events in the app (issue 17), in headless Chromium against the standalone server
// over files, on the oldest Kibana we support (React 17) and the newest: an analyst with the Triage
// privilege marks the user's worst event benign from the events table, the state shows on its
// row and survives a reload, and the decision is kept with the pattern the server read from the
// event; an analyst without the privilege sees the state and no action. The table's time column
// names the time zone it shows.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { RANGE, TOKEN, makeScoredData, openKibana, recordTriage, type KibanaPage, type ScoredDoc } from './fixture';
import { fileContext } from '../../server/standalone/context';
import { patternOf } from '../../server/engine/score/benign_suppression';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-event-triage-'));
let browser: Browser;
let docs: ScoredDoc[] = [];
/** The most anomalous event: the first row of its user's events table. */
let worst: ScoredDoc;

before(async () => {
  docs = await makeScoredData(path.join(dir, 'data'));
  worst = [...docs].filter((d) => typeof d.dfp.zscore === 'number').sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0];
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function eventTriage(target: KibanaTarget): void {
  describe(`event triage on Kibana ${target.id}`, () => {
    let data: string;
    let responder: KibanaPage;
    let reader: KibanaPage;
    const url = (k: KibanaPage): string => `${k.base}/users/${encodeURIComponent(worst.dfp.user)}?token=${TOKEN}&${RANGE}`;

    before(async () => {
      data = path.join(dir, `data-${target.id}`);
      cpSync(path.join(dir, 'data'), data, { recursive: true });
      const appDir = path.join(dir, `app-${target.id}`);
      responder = await openKibana({ browser, target, appDir, context: (await fileContext(data, Date.now, 'kim')).context, privileges: ['read', 'triage'] });
      reader = await openKibana({ browser, target, appDir, context: (await fileContext(data)).context, privileges: ['read'] });
    });
    after(async () => {
      await responder?.close();
      await reader?.close();
    });

    it('an analyst with the Triage privilege marks an event benign from its row; the row shows it, the decision keeps its pattern', async () => {
      const { page } = responder;
      await page.goto(url(responder));
      // Answers that come late re-render the events table, and a triage popover opened before them
      // can lose its form (a known weakness, NOTES.md): let the page settle first.
      await page.waitForLoadState('networkidle');
      const table = page.locator('[data-test-subj="dfpEventsTable"]');
      const row = table.locator('[data-test-subj="dfpEventRow"]').first();
      await row.locator('[data-test-subj="dfpEventTriageOpen"]').waitFor({ timeout: 30_000 });
      // The time column says which zone its times are in: the browser's.
      const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
      assert.ok(zone);
      assert.ok((await table.locator('thead').first().innerText()).includes(`Time (${zone})`), 'the time column names its zone');
      assert.equal(await row.locator('[data-test-subj="dfpEventTriageState"]').count(), 0, 'no decision yet');

      await row.locator('[data-test-subj="dfpEventTriageOpen"]').click();
      const form = page.locator('[data-test-subj="dfpEventTriageForm"]');
      await form.waitFor({ timeout: 10_000 });
      await form.locator('[data-test-subj="dfpEventTriageSelect"]').selectOption('benign');
      await form.locator('[data-test-subj="dfpEventTriageDays"]').fill('3');
      await form.locator('[data-test-subj="dfpEventTriageNote"]').fill('the new admin tool');
      await recordTriage(page, form);
      const state = row.locator('[data-test-subj="dfpEventTriageState"]');
      await state.waitFor({ timeout: 30_000 });
      assert.equal(await state.getAttribute('data-status'), 'benign');
      assert.equal(await state.innerText(), 'Benign');
      await screenshot(page, `e2e-event-triage-${target.id}`);

      const stored = readFileSync(path.join(data, 'triage.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(stored.length, 1);
      const [record] = stored;
      assert.deepEqual(record.target, { source: 'azure-signin', user: worst.dfp.user, event: { index: 'azure-signin', id: worst.event.id } }, 'the worst event, by its own id');
      assert.equal(record.status, 'benign');
      assert.equal(record.by, 'kim');
      assert.equal(record.note, 'the new admin tool');
      assert.deepEqual(record.pattern, patternOf(worst.dfp), 'the pattern the server read from the event');
      assert.equal(Date.parse(record.until) - Date.parse(record.at), 3 * 86_400_000);

      await page.reload();
      await table.locator('[data-test-subj="dfpEventRow"]').first().locator('[data-test-subj="dfpEventTriageState"][data-status="benign"]').waitFor({ timeout: 30_000 });
      assert.deepEqual(responder.errors, []);
      assert.deepEqual(responder.failed, []);
    });

    it('an analyst without it sees the state on the row and no action', async () => {
      const { page } = reader;
      await page.goto(url(reader));
      const row = page.locator('[data-test-subj="dfpEventsTable"] [data-test-subj="dfpEventRow"]').first();
      await row.locator('[data-test-subj="dfpEventTriageState"]').waitFor({ timeout: 30_000 });
      assert.equal(await row.locator('[data-test-subj="dfpEventTriageState"]').innerText(), 'Benign');
      assert.equal(await page.locator('[data-test-subj="dfpEventTriageOpen"]').count(), 0);
      assert.deepEqual(reader.errors, []);
      assert.deepEqual(reader.failed, []);
    });
  });
}

eventTriage(OLDEST_TARGET);
eventTriage(NEWEST_TARGET);
