// Triage of single events in the app (issue 17), in headless Chromium against the standalone server
// over files, on the oldest Kibana we support (React 17) and the newest: an analyst with the Triage
// privilege marks the user's worst event benign from the events table, the state shows on its
// row and survives a reload, and the decision is kept with the pattern the server read from the
// event; an analyst without the privilege sees the state and no action. The table's time column
// names the time zone it shows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screenshot } from './browser';
import { recordTriage } from './fixture';
import { triagePages, triageSuite, userPageUrl } from './triage_page';
import { patternOf } from '../../server/engine/score/benign_suppression';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

const suite = triageSuite('dfp-e2e-event-triage-');

function eventTriage(target: KibanaTarget): void {
  describe(`event triage on Kibana ${target.id}`, () => {
    const pages = triagePages(suite, target, { reader: true });

    it('an analyst with the Triage privilege marks an event benign from its row; the row shows it, the decision keeps its pattern', async () => {
      const { worst } = suite;
      const { data, responder } = pages;
      const { page } = responder;
      await page.goto(userPageUrl(responder, worst.dfp.user));
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
      const reader = pages.reader!;
      const { page } = reader;
      await page.goto(userPageUrl(reader, suite.worst.dfp.user));
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
