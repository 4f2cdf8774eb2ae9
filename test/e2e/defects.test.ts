// Issue 17's defects found on the way, each held in headless Chromium against the standalone
// server (on the oldest Kibana we support, React 17, and the newest): what the analyst saw wrong,
// asserted right. The data is the walkthrough's, with a few events edited so each defect shows:
// a negative z-score, a z-score just under the threshold, a user with two model versions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser';
import { AUTH, RANGE, TOKEN, makeScoredData, openKibana, writeScored, type KibanaPage, type ScoredDoc } from './fixture';
import { startCluster, type TestCluster } from '../es_cluster';
import { FsModelStore } from '../../server/engine/io/model_store_fs';
import { esContext, fileContext } from '../../server/standalone/context';
import type { WorkerJobControl } from '../../server/job_control/worker_job_control';
import { NEWEST_TARGET, OLDEST_TARGET, type KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

const dir = mkdtempSync(path.join(os.tmpdir(), 'dfp-e2e-defects-'));
const PROFILE = 'azure-signin';
let browser: Browser;
let docs: ScoredDoc[] = [];
/** Users picked for the edits: one with a negative z-score, one with its worst event just under 8, one with two model versions. */
let negative: string;
let nearThreshold: string;
let twoVersions: string;
const NEAR_Z = 7.998;

/** The name the app shows a user by: the display field of their newest event. */
const nameOf = (user: string): string => {
  const mine = docs.filter((d) => d.dfp.user === user).sort((a, b) => String(b['@timestamp']).localeCompare(String(a['@timestamp'])));
  return String(mine[0].user.name);
};
const maxZ = (user: string): number => Math.max(...docs.filter((d) => d.dfp.user === user).map((d) => d.dfp.zscore as number));

before(async () => {
  const base = path.join(dir, 'data');
  docs = await makeScoredData(base);
  const users = [...new Set(docs.map((d) => d.dfp.user as string))].sort();
  const quiet = users.filter((u) => maxZ(u) < 7);
  assert.ok(quiet.length >= 2, 'users below the threshold to edit');
  [negative, nearThreshold] = quiet;
  // One event of one user scores below the user's median; another user's worst event lands just under 8.
  docs.find((d) => d.dfp.user === negative)!.dfp.zscore = -2.5;
  const worst = docs.filter((d) => d.dfp.user === nearThreshold).sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0];
  worst.dfp.zscore = NEAR_Z;
  writeScored(base, docs);
  // A second version of one user's model, so there is an earlier one to roll back to.
  const store = new FsModelStore(path.join(base, PROFILE, 'models'));
  twoVersions = (await store.list(PROFILE)).map((m) => m.user).find((u) => u !== negative && u !== nearThreshold)!;
  const model = (await store.load(PROFILE, twoVersions))!;
  await store.save({ ...model, version: model.version + 1 });
  await store.flush();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** What a chart drew, as @elastic/charts publishes it when Kibana's test flag is set. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function chartState(page: Page, subj: string): Promise<any> {
  const status = page.locator(`[data-test-subj="${subj}"] .echChartStatus[data-ech-render-complete="true"]`);
  await status.waitFor({ state: 'attached', timeout: 30_000 });
  return JSON.parse((await status.getAttribute('data-ech-debug-state')) ?? 'null');
}

/** How many pixel rows of a bar chart's canvas show each series' colour: the bars' drawn thickness. */
async function barThickness(page: Page, subj: string): Promise<number[]> {
  const state = await chartState(page, subj);
  const colours: string[] = state.bars.map((b: { color: string }) => b.color);
  return page.evaluate(
    ({ subj, colours }) => {
      const canvas = document.querySelector(`[data-test-subj="${subj}"] canvas`) as HTMLCanvasElement;
      const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      return colours.map((hex) => {
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        let rows = 0;
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const o = (y * width + x) * 4;
            if (Math.abs(data[o] - r) < 8 && Math.abs(data[o + 1] - g) < 8 && Math.abs(data[o + 2] - b) < 8 && data[o + 3] > 200) {
              rows++;
              break;
            }
          }
        }
        return rows;
      });
    },
    { subj, colours },
  );
}

const rows = (p: Page) => p.locator('[data-test-subj~="dfpUserRow"]');
const shownNames = (p: Page) => rows(p).locator('[data-test-subj="dfpUserLink"]').allInnerTexts();
const isSorted = (xs: string[]): boolean => xs.every((x, i) => i === 0 || xs[i - 1].toLowerCase() <= x.toLowerCase());

function defects(target: KibanaTarget): void {
  describe(`issue 17's defects, fixed, on Kibana ${target.id}`, () => {
    let k: KibanaPage;
    let data: string;
    const url = (p = '/', extra = ''): string => `${k.base}${p}?token=${TOKEN}&${RANGE}${extra}`;
    before(async () => {
      // Its own copy of the data: the rollback and the late scores change it.
      data = path.join(dir, `data-${target.id}`);
      cpSync(path.join(dir, 'data'), data, { recursive: true });
      const { context } = await fileContext(data);
      k = await openKibana({ browser, target, appDir: path.join(dir, `app-${target.id}`), context });
      await k.page.addInitScript(() => void ((window as unknown as { _echDebugStateFlag: boolean })._echDebugStateFlag = true));
    });
    after(async () => k?.close());

    it('sorts "User" by the name shown, not the hidden id; the first click on "Flagged" puts the most flagged first', async () => {
      const { page } = k;
      const keys = [...new Set(docs.map((d) => d.dfp.user as string))];
      const byKey = [...keys].sort().map(nameOf);
      assert.ok(!isSorted(byKey), 'the data orders names and ids differently, so the two sorts differ');
      await page.goto(url());
      await rows(page).first().waitFor({ timeout: 30_000 });
      await page.locator('[data-test-subj="dfpUsersTable"] th').filter({ hasText: 'User' }).locator('button').click();
      await page.waitForFunction(() => document.querySelector('[data-test-subj="dfpUsersTable"] th[aria-sort="ascending"]')?.textContent?.includes('User'));
      // The answer arrives after the click: wait for sorted names (a while), then judge what is shown.
      await page
        .waitForFunction(() => {
          const names = [...document.querySelectorAll('[data-test-subj="dfpUserLink"]')].map((a) => (a.textContent ?? '').toLowerCase());
          return names.length > 1 && names.every((n, i) => i === 0 || names[i - 1] <= n);
        }, null, { timeout: 10_000 })
        .catch(() => undefined);
      const names = await shownNames(page);
      assert.ok(names.length > 1 && isSorted(names), `names A to Z: ${names.join(', ')}`);

      await page.locator('[data-test-subj="dfpUsersTable"] th').filter({ hasText: 'Flagged' }).locator('button').click();
      const sortedAs = page.locator('[data-test-subj="dfpUsersTable"] th[aria-sort]').filter({ hasText: 'Flagged' });
      await sortedAs.waitFor();
      assert.equal(await sortedAs.getAttribute('aria-sort'), 'descending', 'the first click sorts most flagged first');
      const flagged = (u: string) => docs.filter((d) => d.dfp.user === u && d.dfp.zscore >= 8).length;
      const most = Math.max(...keys.map(flagged));
      assert.ok(most > 0, 'some user has flagged events');
      const mostFlagged = keys.filter((u) => flagged(u) === most);
      await page
        .waitForFunction((users) => users.includes(document.querySelector('[data-test-subj~="dfpUserRow"]')?.getAttribute('data-user') ?? ''), mostFlagged, { timeout: 10_000 })
        .catch(() => undefined);
      const top = await rows(page).first().getAttribute('data-user');
      assert.equal(flagged(top!), most, 'the most flagged user on top');
    });

    it("draws a user's negative z-scores: the timeline's axis reaches below 0", async () => {
      const { page } = k;
      await page.goto(url(`/users/${encodeURIComponent(negative)}`));
      const state = await chartState(page, 'dfpTimeline-zscore');
      const z = state.axes.y.find((a: { id: string }) => a.id === 'z');
      assert.ok(Math.min(...z.values) < 0, `the axis has ticks below 0: ${z.values.join(', ')}`);
      const points = state.lines.flatMap((l: { points: { y: number }[] }) => l.points.map((p) => p.y));
      assert.ok(points.includes(-2.5), 'the event at -2.5 is drawn');
      await screenshot(page, `e2e-defects-${target.id}-negative-z`);
    });

    it('a user that does not exist: "No such user", no model details, and the API answers 404', async () => {
      const { page } = k;
      await page.goto(url('/users/nobody.at.all'));
      await page.locator('[data-test-subj="dfpNoSuchUser"]').waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('[data-test-subj="dfpModelPanel"]').count(), 0, 'no generic model shown as theirs');
      const api = await fetch(`${k.base}/internal/dfp/users/nobody.at.all/fingerprint?${RANGE}`, { headers: AUTH });
      assert.equal(api.status, 404);
      assert.match((await api.json()).message, /no such user "nobody.at.all"/);
      const risk = await fetch(`${k.base}/api/dfp/users/nobody.at.all/risk?${RANGE}`, { headers: AUTH });
      assert.equal(risk.status, 404);
      k.failed.length = 0; // the 404 was the point
    });

    it('fits a 1024×768 window: nothing overflows sideways, on the overview and on a user', async () => {
      const { page } = k;
      await page.setViewportSize({ width: 1024, height: 768 });
      try {
        for (const p of ['/', `/users/${encodeURIComponent(negative)}`]) {
          await page.goto(url(p));
          await page.locator('[data-test-subj~="dfpUserRow"], [data-test-subj="dfpModelPanel"]').first().waitFor({ timeout: 30_000 });
          const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
          assert.ok(scroll <= client, `${p}: the page is ${scroll} px wide in a ${client} px window`);
        }
        await screenshot(page, `e2e-defects-${target.id}-1024`);
      } finally {
        await page.setViewportSize({ width: 1400, height: 1000 });
      }
    });

    it('the hour chart shows every hour, 00 to 23, in clock order; value bars keep their height and every label', async () => {
      const { page } = k;
      const user = [...new Set(docs.map((d) => d.dfp.user as string))].find((u) => u !== negative && u !== nearThreshold && u !== twoVersions)!;
      await page.goto(url(`/users/${encodeURIComponent(user)}`));
      const hour = await chartState(page, 'dfpFeature-hour');
      const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
      assert.deepEqual(hour.axes.x[0].values, hours, 'every hour on the axis, in clock order');
      assert.deepEqual(hour.axes.x[0].labels, hours, 'and every one labelled');
      // Every value of the user's client apps keeps its label; the one-value risk feature its bars.
      const fp = await (await fetch(`${k.base}/internal/dfp/users/${encodeURIComponent(user)}/fingerprint?${RANGE}`, { headers: AUTH })).json();
      const apps = fp.features.find((f: { name: string }) => f.name === 'client_app');
      const values = new Set<string>([...(apps.trained?.top ?? []), ...(apps.recent?.top ?? [])].map((t: { value: string }) => t.value));
      const clientApps = await chartState(page, 'dfpFeature-client_app');
      assert.equal(clientApps.axes.x[0].labels.length, values.size, `a label per client app: ${clientApps.axes.x[0].labels.join(' | ')}`);
      const thickness = await barThickness(page, 'dfpFeature-risk');
      assert.equal(thickness.length, 2, 'training and recent bars');
      for (const t of thickness) assert.ok(t >= 8, `each risk bar is drawn ${t} px thick`);
      await page.locator('[data-test-subj="dfpFeature-hour"]').screenshot({ path: path.join(process.env.TEST_ARTIFACTS ?? 'test-artifacts', `e2e-defects-${target.id}-hour.png`) });
    });

    it('the models page names users: search by name finds them; the rollback toast names the user, not the id', async () => {
      const { page } = k;
      const name = nameOf(twoVersions);
      await page.goto(url('/models'));
      const row = page.locator(`[data-test-subj="dfpModelRow"][data-user="${twoVersions}"]`);
      await row.waitFor({ timeout: 30_000 });
      assert.equal(await row.locator('[data-test-subj="dfpModelUserLink"]').innerText(), name);
      await page.locator('[data-test-subj="dfpModelSearch"]').fill(name.slice(0, 6).toUpperCase());
      await page.locator('[data-test-subj="dfpModelSearch"]').press('Enter');
      await page.waitForFunction((n) => [...document.querySelectorAll('[data-test-subj="dfpModelUserLink"]')].every((a) => a.textContent?.toLowerCase().includes(n)), name.slice(0, 6).toLowerCase());
      assert.ok((await page.locator(`[data-test-subj="dfpModelRow"][data-user="${twoVersions}"]`).count()) === 1, `a search for part of "${name}" finds the user`);
      await page.getByRole('button', { name: `Show the versions of ${name}` }).click();
      await page.locator('[data-test-subj="dfpRollback"]').first().click();
      await page.locator('[data-test-subj="confirmModalConfirmButton"]').click();
      const toast = page.locator('.euiToast').filter({ hasText: 'rolled back' });
      await toast.waitFor({ timeout: 15_000 });
      const text = await toast.innerText();
      assert.ok(text.includes(name) && !text.includes(twoVersions), `the toast names ${name}: ${text}`);
    });

    it('a z-score just under the threshold is never written as at it', async () => {
      const { page } = k;
      await page.goto(url('/', `&theme=light`));
      const badge = page.locator(`[data-user="${nearThreshold}"] [data-test-subj="dfpUserMaxZ"]`);
      await badge.waitFor({ timeout: 30_000 });
      const shown = await badge.innerText();
      assert.ok(Number(shown) < 8, `${NEAR_Z} against the threshold 8 reads "${shown}"`);
      assert.equal(shown, '7.998');
    });

    it('new scores and a retrained model written beside the running server show without a restart', async () => {
      const { page } = k;
      const late = structuredClone(docs.find((d) => d.dfp.user === negative)!);
      late.user = { ...late.user, id: 'late-user-0001', name: 'late.arrival' };
      late.dfp.user = 'late-user-0001';
      writeScored(data, [...docs, late]);
      const store = new FsModelStore(path.join(data, PROFILE, 'models'));
      const model = (await store.load(PROFILE, negative))!;
      await store.save({ ...model, version: model.version + 1 });
      await store.flush();
      await page.goto(url());
      await page.locator('[data-test-subj="dfpUserSearch"]').fill('late.arrival');
      await page.locator('[data-test-subj="dfpUserSearch"]').press('Enter');
      await page.locator('[data-test-subj~="dfpUserRow"][data-user="late-user-0001"]').waitFor({ timeout: 15_000 });
      await page.goto(url('/models'));
      const versions = page.locator(`[data-test-subj="dfpModelRow"][data-user="${negative}"]`);
      await versions.waitFor({ timeout: 30_000 });
      assert.match(await versions.innerText(), new RegExp(`v${model.version + 1}`), 'the retrained version is active');
    });

    it('no Discover links where there is no Discover', async () => {
      const { page } = k;
      const flaggedUser = docs.reduce((a, b) => (b.dfp.zscore > a.dfp.zscore ? b : a)).dfp.user as string;
      await page.goto(url(`/users/${encodeURIComponent(flaggedUser)}`));
      await page.locator('[data-test-subj="dfpEventRow"]').first().waitFor({ timeout: 30_000 });
      assert.equal(await page.locator('[data-test-subj="dfpDiscoverLink"]').count(), 0);
    });

    it('no request fails on any page (no permission probe), and an admin is offered what admins do', async () => {
      const { page } = k;
      k.failed.length = 0;
      for (const p of ['/', `/users/${encodeURIComponent(negative)}`, '/models', '/jobs', '/settings']) {
        await page.goto(url(p));
        await page.locator('[data-test-subj="dfpApp"]').waitFor({ timeout: 30_000 });
        await page.waitForLoadState('networkidle');
      }
      assert.deepEqual(k.failed, []);
      await page.goto(url('/models'));
      await page.locator('[data-test-subj="dfpRetrain"]').first().waitFor({ timeout: 30_000 });
    });

    it('had no page errors on the way', () => {
      assert.deepEqual(k.errors, []);
    });
  });

  describe(`as an analyst (read only), on Kibana ${target.id}`, () => {
    let k: KibanaPage;
    before(async () => {
      const { context } = await fileContext(path.join(dir, 'data'));
      k = await openKibana({ browser, target, appDir: path.join(dir, `app-${target.id}-read`), context, privileges: ['read'] });
    });
    after(async () => k?.close());

    it('no request fails, and nothing an admin does is offered', async () => {
      const { page } = k;
      await page.goto(`${k.base}/models?token=${TOKEN}&${RANGE}`);
      await page.locator('[data-test-subj="dfpModelRow"]').first().waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('[data-test-subj="dfpRetrain"]').count(), 0);
      assert.deepEqual(k.failed, []);
      assert.deepEqual(k.errors, []);
    });
  });
}

defects(OLDEST_TARGET);
defects(NEWEST_TARGET);

describe('over a cluster with no sources yet', () => {
  let cluster: TestCluster;
  let jobs: WorkerJobControl;
  let k: KibanaPage;
  before(async () => {
    cluster = await startCluster();
    const built = esContext({ client: cluster.client, connection: { url: cluster.url, maxRetries: 0 }, indexPrefix: `.dfp-${cluster.tag}-empty`, holder: 'e2e:empty' });
    jobs = built.jobs;
    k = await openKibana({ browser, target: NEWEST_TARGET, appDir: path.join(dir, 'app-empty'), context: built.context });
  });
  after(async () => {
    await k?.close();
    await jobs?.stop();
    await cluster?.stop();
  });

  it('the API answers 200 with nothing in it, every page says "No sources yet" and leads to adding one', async () => {
    for (const p of ['/overview', '/users', '/jobs']) {
      const res = await fetch(`${k.base}/internal/dfp${p}`, { headers: AUTH });
      assert.equal(res.status, 200, `${p}: ${await res.clone().text()}`);
    }
    const { page } = k;
    for (const p of ['/', '/models', '/jobs']) {
      await page.goto(`${k.base}${p}?token=${TOKEN}`);
      await page.locator('[data-test-subj="dfpNoSources"]').waitFor({ timeout: 30_000 });
      await page.waitForLoadState('networkidle');
    }
    assert.deepEqual(k.failed, [], 'no request failed');
    await page.locator('[data-test-subj="dfpAddSource"]').click();
    await page.locator('[data-test-subj="dfpSaveSettings"]').waitFor({ timeout: 30_000 });
    assert.match(page.url(), /\/settings/);
    assert.deepEqual(k.errors, []);
  });
});
