// Triage in the app (issue 17), in headless Chromium against the standalone server over files, on
// the oldest Kibana we support (React 17) and the newest: an analyst with the Triage privilege marks
// a flagged user compromised, the decision shows with who and when and survives a reload, and it is
// in `<data>/triage.ndjson` for the next training; an analyst without the privilege sees it only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { screenshot } from './browser';
import { triagePages, triageSuite, userPageUrl } from './triage_page';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

/** The user with the highest z-score: the one an analyst opens first. */
let suspect: string;
const suite = triageSuite('dfp-e2e-triage-', ({ docs }) => {
  suspect = [...docs].sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0].dfp.user as string;
});

function triage(target: KibanaTarget): void {
  describe(`triage on Kibana ${target.id}`, () => {
    const pages = triagePages(suite, target, { reader: true });

    it('an analyst with the Triage privilege marks a user compromised; it is kept, with who and when, for the next training', async () => {
      const { data, responder } = pages;
      const { page } = responder;
      await page.goto(userPageUrl(responder, suspect));
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
      const reader = pages.reader!;
      const { page } = reader;
      await page.goto(userPageUrl(reader, suspect));
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
