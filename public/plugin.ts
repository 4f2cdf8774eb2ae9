/**
 * The browser plugin: registers the Digital Fingerprinting app. Until the EUI app lands (issue 5)
 * the app is a small status view: per source, where scoring stands and the last job runs, read
 * from GET /internal/dfp/status with the analyst's own session.
 */
import { INTERNAL_API, type StatusResponse } from '../common/api';
import { PLUGIN_ID } from '../common/fields';

// The parts of Kibana's browser core used here (nothing of Kibana's is imported at build time).
export interface HttpStart {
  get<T = unknown>(path: string, options?: { query?: Record<string, string> }): Promise<T>;
}

export interface AppMountParameters {
  element: HTMLElement;
}

export interface AppCategory {
  id: string;
  label: string;
  order?: number;
  euiIconType?: string;
}

export interface CoreSetup {
  application: {
    register(app: { id: string; title: string; category?: AppCategory; euiIconType?: string; mount(params: AppMountParameters): Promise<() => void> }): void;
  };
  getStartServices(): Promise<[{ http: HttpStart }, unknown, unknown]>;
}

/** Kibana's "Security" app category (DEFAULT_APP_CATEGORIES.security), restated. */
const SECURITY_CATEGORY: AppCategory = { id: 'securitySolution', label: 'Security', order: 3000, euiIconType: 'logoSecurity' };

export const APP_TITLE = 'Digital Fingerprinting';

export class DfpPublicPlugin {
  setup(core: CoreSetup): void {
    core.application.register({
      id: PLUGIN_ID,
      title: APP_TITLE,
      category: SECURITY_CATEGORY,
      euiIconType: 'user',
      mount: async ({ element }) => {
        const [{ http }] = await core.getStartServices();
        return mountStatusView(element, http);
      },
    });
  }

  start(): void {}

  stop(): void {}
}

/** Renders the status view into `element`; returns the unmount function. */
export function mountStatusView(element: HTMLElement, http: HttpStart): () => void {
  const doc = element.ownerDocument;
  let mounted = true;
  const add = (parent: HTMLElement, tag: string, text?: string): HTMLElement => {
    const el = doc.createElement(tag);
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  };
  const root = add(element, 'div');
  root.setAttribute('data-test-subj', 'dfpStatus');
  add(root, 'h1', APP_TITLE);
  const body = add(root, 'p', 'Loading status…');

  http.get<StatusResponse>(`${INTERNAL_API}/status`).then(
    (status) => {
      if (!mounted) return;
      body.remove();
      for (const line of statusLines(status)) add(root, 'p', line);
    },
    (e: { body?: { message?: string }; message?: string }) => {
      if (!mounted) return;
      body.textContent = `Could not load the status: ${e.body?.message ?? e.message ?? String(e)}`;
      body.setAttribute('data-test-subj', 'dfpStatusError');
    },
  );
  return () => {
    mounted = false;
    root.remove();
  };
}

/** The status as lines of text, one per fact. */
export function statusLines(status: StatusResponse): string[] {
  const lines = [status.jobsAvailable ? 'Jobs: scheduled in this Kibana' : 'Jobs: not available here (no scheduler)'];
  if (status.sources.length === 0) return [...lines, 'No sources are configured yet: an admin adds one in the settings.'];
  for (const s of status.sources) {
    const lag = s.lagSeconds === null ? 'unknown' : `${Math.round(s.lagSeconds)} s`;
    const run = (r: StatusResponse['sources'][number]['lastRuns']['train']): string => (r ? `${r.status} (${r.startedAt})` : 'never');
    lines.push(
      `${s.source} (${s.writeMode}): newest event ${s.newestEvent ?? 'none'}, scored up to ${s.scoredUpTo ?? 'nothing yet'}, lag ${lag}; ` +
        `last training ${run(s.lastRuns.train)}, last scoring ${run(s.lastRuns.score)}, ${s.running.length} running; ` +
        `${s.usersWithModels} users with models, generic model ${s.genericModel ? 'trained' : 'not trained'}`,
    );
  }
  return lines;
}
