// The user page's triage is one state (issue 17), in headless Chromium against the standalone server
// over files, on the oldest Kibana we support (React 17) and the newest: an event marked benign in
// the events table shows at once in the Triage panel's history, and a decision about the user in the
// panel leaves the table's state in place, with no page reload. Then the week is scored again with
// the decision (`dfp score --triage`'s path): the user page counts the suppressed events beside the
// flagged ones, the events table's "only flagged" leaves them out, and the overview says so too.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { screenshot } from './browser';
import { RANGE, TOKEN, recordTriage, type ScoredDoc } from './fixture';
import { triagePages, triageSuite, userPageUrl } from './triage_page';
import { resolveProfile } from '../../server/engine/profiles';
import { fileEventId } from '../../server/engine/features/event_id';
import { FsModelStore } from '../../server/engine/io/model_store_fs';
import { FsTriageStore } from '../../server/engine/io/triage_store';
import { scoreEvents } from '../../server/engine/jobs/score';
import { loadBenignSuppression } from '../../server/engine/score/benign_suppression';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

const profile = resolveProfile('azure-signin');
/** The threshold the fixture's data is read with (the default setting). */
const THRESHOLD = 8;
const suite = triageSuite('dfp-e2e-triage-shared-', ({ worst }) => {
  assert.ok(worst.dfp.zscore >= THRESHOLD, 'the worst event is flagged');
});

/** The data scored again with the decisions in `<data>/triage.ndjson`, as `dfp score --triage` does; the server rereads the file. */
async function rescore(data: string): Promise<ScoredDoc[]> {
  const benign = await loadBenignSuppression(new FsTriageStore(path.join(data, 'triage.ndjson')), 'azure-signin');
  const store = new FsModelStore(path.join(data, 'azure-signin', 'models'));
  const out: ScoredDoc[] = [];
  const items = suite.docs.map(({ dfp: _, ...event }, i) => ({ kind: 'event' as const, event, source: { file: 'gen', line: i + 1 } }));
  await scoreEvents(items, { profile, store, benign }, async (doc) => void out.push(doc));
  writeFileSync(path.join(data, 'azure-signin', 'scored.ndjson'), out.map((d) => JSON.stringify(d)).join('\n') + '\n');
  return out;
}

function shared(target: KibanaTarget): void {
  describe(`one triage state on the user page, Kibana ${target.id}`, () => {
    const pages = triagePages(suite, target);
    const user = (): string => suite.worst.dfp.user;

    it("an event marked in the table shows in the Triage panel's history, and a user decision in the panel leaves the table's state, without a reload", async () => {
      const { responder: k } = pages;
      const { page } = k;
      await page.goto(userPageUrl(k, user()));
      // Answers that come late re-render the events table, and a triage popover opened before them
      // can lose its form (a known weakness, NOTES.md): let the page settle first.
      await page.waitForLoadState('networkidle');
      const panel = page.locator('[data-test-subj="dfpTriagePanel"]');
      const history = panel.locator('[data-test-subj="dfpTriageHistory"] tbody tr');
      const row = page.locator('[data-test-subj="dfpEventsTable"] [data-test-subj="dfpEventRow"]').first();
      await row.locator('[data-test-subj="dfpEventTriageOpen"]').waitFor({ timeout: 30_000 });
      await panel.locator('[data-test-subj="dfpTriageState"]').filter({ hasText: 'No decision about this user yet.' }).waitFor({ timeout: 30_000 });
      assert.equal(await history.count(), 0, 'no decision yet');
      // Set on this document: gone if the page reloads.
      await page.evaluate(() => void ((window as unknown as { dfpSamePage: boolean }).dfpSamePage = true));

      await row.locator('[data-test-subj="dfpEventTriageOpen"]').click();
      const form = page.locator('[data-test-subj="dfpEventTriageForm"]');
      await form.waitFor({ timeout: 10_000 });
      await form.locator('[data-test-subj="dfpEventTriageSelect"]').selectOption('benign');
      await form.locator('[data-test-subj="dfpEventTriageNote"]').fill('their new admin tool');
      await recordTriage(page, form);
      await row.locator('[data-test-subj="dfpEventTriageState"][data-status="benign"]').waitFor({ timeout: 30_000 });
      // The panel's history, from the same loaded state: the event's decision, at once.
      await history.first().waitFor({ timeout: 10_000 });
      assert.equal(await history.count(), 1);
      const line = await history.first().innerText();
      assert.match(line, new RegExp(`event ${fileEventId(suite.worst, profile)}`), 'about the event marked');
      assert.match(line, /Benign/);
      assert.match(line, /kim/);
      assert.match(line, /their new admin tool/);
      assert.match(await panel.locator('[data-test-subj="dfpTriageState"]').innerText(), /No decision about this user yet/, 'a decision about an event is not one about the user');

      await panel.locator('[data-test-subj="dfpTriageSelect"]').selectOption('investigating');
      await panel.locator('[data-test-subj="dfpTriageRecord"]').click();
      await panel.locator('[data-test-subj="dfpTriageState"]').filter({ hasText: 'Investigating since' }).waitFor({ timeout: 30_000 });
      assert.equal(await history.count(), 2, 'both decisions in the history');
      assert.match(await history.first().innerText(), /Investigating/, 'newest first');
      assert.equal(await row.locator('[data-test-subj="dfpEventTriageState"]').getAttribute('data-status'), 'benign', "the event's state stays on its row");
      assert.equal(await page.evaluate(() => (window as unknown as { dfpSamePage?: boolean }).dfpSamePage), true, 'the page was not reloaded');
      await screenshot(page, `e2e-triage-shared-${target.id}`);
      assert.deepEqual(k.errors, []);
      assert.deepEqual(k.failed, []);
    });

    it('scored again with the decision: the user page counts the suppressed events apart from the flagged ones, and so does the overview', async () => {
      const { data, responder: k } = pages;
      const rescored = await rescore(data);
      const mine = rescored.filter((d) => d.dfp.user === user());
      const flagged = mine.filter((d) => d.dfp.zscore >= THRESHOLD && !d.dfp.suppressed).length;
      const suppressed = mine.filter((d) => d.dfp.zscore >= THRESHOLD && d.dfp.suppressed).length;
      assert.ok(suppressed >= 1, 'the marked event (at least) is suppressed');
      const { page } = k;
      await page.goto(userPageUrl(k, user()));
      const note = page.locator('[data-test-subj="dfpUserSuppressed"]');
      await note.waitFor({ timeout: 30_000 });
      assert.match(await note.innerText(), new RegExp(`^${suppressed} suppressed`));
      assert.equal((await page.locator('[data-test-subj="dfpUserStat-flagged"] .euiStat__title').innerText()).trim(), String(flagged));
      // The switch's label (beside the button, in its parent) says how many it leaves out.
      assert.match(await page.locator('[data-test-subj="dfpOnlyFlagged"]').locator('xpath=..').innerText(), new RegExp(`${suppressed} marked benign left out`));
      // Only flagged events: as many rows as flagged (up to a page), none of them suppressed.
      const rows = page.locator('[data-test-subj="dfpEventsTable"] [data-test-subj="dfpEventRow"]');
      if (flagged > 0) await rows.first().waitFor({ timeout: 30_000 });
      assert.equal(await rows.count(), Math.min(flagged, 10));
      assert.equal(await page.locator('[data-test-subj="dfpEventsTable"] [data-test-subj="dfpEventSuppressed"]').count(), 0);

      await page.goto(`${k.base}/?token=${TOKEN}&${RANGE}`);
      const stat = page.locator('[data-test-subj="dfpStat-flagged"]');
      await stat.locator('.euiStat__title').filter({ hasText: /\d/ }).waitFor({ timeout: 30_000 });
      const [from, to] = RANGE.split('&').map((p) => Date.parse(decodeURIComponent(p.split('=')[1])));
      const all = rescored.filter((d) => typeof d.dfp.zscore === 'number' && d.dfp.zscore >= THRESHOLD && Date.parse(d['@timestamp']) >= from && Date.parse(d['@timestamp']) < to);
      assert.equal((await stat.locator('.euiStat__title').innerText()).replace(/[^\d]/g, ''), String(all.filter((d) => !d.dfp.suppressed).length));
      assert.match(await stat.innerText(), new RegExp(`${all.filter((d) => d.dfp.suppressed).length} more suppressed as benign`));
      assert.deepEqual(k.errors, []);
      assert.deepEqual(k.failed, []);
    });
  });
}

shared(OLDEST_TARGET);
shared(NEWEST_TARGET);
