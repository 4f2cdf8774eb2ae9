// Triage in the app (issue 17), in headless Chromium against the standalone server over files, on
// the oldest Kibana we support (React 17) and the newest: an analyst with the Triage privilege marks
// a flagged user compromised, the decision shows with who and when and survives a reload, and it is
// in `<data>/triage.ndjson` for the next training; an analyst without the privilege sees it only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { RANGE, TOKEN, makeScoredData, openKibana, type KibanaPage, type ScoredDoc } from './fixture';
import { fileContext } from '../../server/standalone/context';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-triage-'));
let browser: Browser;
let docs: ScoredDoc[] = [];
/** The user with the highest z-score: the one an analyst opens first. */
let suspect: string;

before(async () => {
  docs = await makeScoredData(path.join(dir, 'data'));
  suspect = [...docs].sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0].dfp.user as string;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

function triage(target: KibanaTarget): void {
  describe(`triage on Kibana ${target.id}`, () => {
    let data: string;
    let responder: KibanaPage;
    let reader: KibanaPage;
    const url = (k: KibanaPage): string => `${k.base}/users/${encodeURIComponent(suspect)}?token=${TOKEN}&${RANGE}`;

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

    it('an analyst with the Triage privilege marks a user compromised; it is kept, with who and when, for the next training', async () => {
      const { page } = responder;
      await page.goto(url(responder));
      const panel = page.locator('[data-test-subj="dfpTriagePanel"]');
      await panel.locator('[data-test-subj="dfpTriageState"]').filter({ hasText: 'No decision about this user yet.' }).waitFor({ timeout: 30_000 });
      await panel.locator('[data-test-subj="dfpTriageSelect"]').selectOption('compromised');
      await panel.locator('[data-test-subj="dfpTriageAssignee"]').fill('kim');
      await panel.locator('[data-test-subj="dfpTriageSince"]').fill('2026-10-11T00:00Z');
      await panel.locator('[data-test-subj="dfpTriageNote"]').fill('sign-ins from a VPN exit at night');
      await panel.locator('[data-test-subj="dfpTriageRecord"]').click();
      const history = panel.locator('[data-test-subj="dfpTriageHistory"] tbody tr');
      await history.first().waitFor({ timeout: 30_000 });
      assert.equal(await history.count(), 1);
      const row = await history.first().innerText();
      assert.match(row, /kim/);
      assert.match(row, /Compromised/);
      assert.match(row, /sign-ins from a VPN exit at night/);
      assert.equal(await panel.locator('[data-test-subj="dfpTriageStatus"]').first().innerText(), 'Compromised');
      await screenshot(page, `e2e-triage-${target.id}`);

      await page.reload();
      await panel.locator('[data-test-subj="dfpTriageState"]').filter({ hasText: 'Compromised since' }).waitFor({ timeout: 30_000 });
      assert.match(await panel.locator('[data-test-subj="dfpTriageState"]').innerText(), /by kim; assigned to kim: sign-ins from a VPN exit at night/);

      const stored = readFileSync(path.join(data, 'triage.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(stored.length, 1);
      assert.deepEqual(
        { user: stored[0].target.user, source: stored[0].target.source, status: stored[0].status, since: stored[0].since, by: stored[0].by },
        { user: suspect, source: 'azure-signin', status: 'compromised', since: '2026-10-11T00:00:00.000Z', by: 'kim' },
      );
      assert.deepEqual(responder.errors, []);
      assert.deepEqual(responder.failed, []);
    });

    it('an analyst without it sees the decision and no form', async () => {
      const { page } = reader;
      await page.goto(url(reader));
      const panel = page.locator('[data-test-subj="dfpTriagePanel"]');
      await panel.locator('[data-test-subj="dfpTriageHistory"] tbody tr').first().waitFor({ timeout: 30_000 });
      assert.equal(await panel.locator('[data-test-subj="dfpTriageRecord"]').count(), 0);
      assert.equal(await panel.locator('[data-test-subj="dfpTriageStatus"]').first().innerText(), 'Compromised');
      assert.deepEqual(reader.errors, []);
      assert.deepEqual(reader.failed, []);
    });
  });
}

triage(OLDEST_TARGET);
triage(NEWEST_TARGET);
