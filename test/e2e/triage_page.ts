// What the triage suites share (triage, event_triage, triage_shared): scored data made once per
// suite and a browser, then per Kibana target a copy of the data and the app opened on it as an
// analyst with the Triage privilege (kim), and as one with read only where the suite wants one.
import { after, before } from 'node:test';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { RANGE, TOKEN, makeScoredData, openKibana, type KibanaPage, type ScoredDoc } from './fixture';
import { fileContext } from '../../server/standalone/context';
import type { KibanaTarget } from '../../scripts/plugin_build/kibana_targets';

/** A suite's shared state, filled in by the hooks triageSuite registers. */
export interface TriageSuite {
  /** The suite's folder: the scored data made once in `<dir>/data`. */
  readonly dir: string;
  browser: Browser;
  docs: ScoredDoc[];
  /** The most anomalous event: the first row of its user's events table. */
  worst: ScoredDoc;
}

/**
 * Registers the suite's before and after at the top level: the data scored (makeScoredData), then
 * `scored` (what the suite reads or checks of the data: a second top-level before would run
 * alongside this one, not after it, on Node 20), and the browser launched; then closed.
 */
export function triageSuite(prefix: string, scored?: (suite: TriageSuite) => void): TriageSuite {
  const suite = { dir: mkdtempSync(path.join(os.tmpdir(), prefix)), docs: [] } as unknown as TriageSuite;
  before(async () => {
    suite.docs = await makeScoredData(path.join(suite.dir, 'data'));
    suite.worst = [...suite.docs].filter((d) => typeof d.dfp.zscore === 'number').sort((a, b) => b.dfp.zscore - a.dfp.zscore)[0];
    scored?.(suite);
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
  });
  return suite;
}

/** One target's pages, filled in by the hooks triagePages registers. */
export interface TriagePages {
  /** This target's copy of the suite's data (the server reads and writes it). */
  data: string;
  /** An analyst (kim) with the read and Triage privileges. */
  responder: KibanaPage;
  /** An analyst with read only, where asked for. */
  reader?: KibanaPage;
}

/** Registers, inside a target's describe, its before and after: the data copied, the pages opened, then closed. */
export function triagePages(suite: TriageSuite, target: KibanaTarget, o: { reader?: boolean } = {}): TriagePages {
  const pages = {} as TriagePages;
  before(async () => {
    pages.data = path.join(suite.dir, `data-${target.id}`);
    cpSync(path.join(suite.dir, 'data'), pages.data, { recursive: true });
    const appDir = path.join(suite.dir, `app-${target.id}`);
    const { browser } = suite;
    pages.responder = await openKibana({ browser, target, appDir, context: (await fileContext(pages.data, Date.now, 'kim')).context, privileges: ['read', 'triage'] });
    if (o.reader) pages.reader = await openKibana({ browser, target, appDir, context: (await fileContext(pages.data)).context, privileges: ['read'] });
  });
  after(async () => {
    await pages.responder?.close();
    await pages.reader?.close();
  });
  return pages;
}

/** A user's page in the scored range. */
export function userPageUrl(k: KibanaPage, user: string): string {
  return `${k.base}/users/${encodeURIComponent(user)}?token=${TOKEN}&${RANGE}`;
}
