/**
 * Kibana's side of the standalone page, in the browser. It reads the plugin from Kibana's bundle
 * loader the way Kibana's plugin reader does, gives it the parts of Kibana's browser core the app
 * uses (http with the page's own fetch, theme, application, rendering, a history over the page's
 * URL) and mounts the app full page. React and EUI here are the page's shared dependencies, i.e.
 * the target Kibana version's, exactly as the plugin sees them.
 */
import { createElement, useEffect, useState, type ReactElement, type ReactNode } from 'react';
import { EuiProvider } from '@elastic/eui';

/** What index.html says about the Kibana the page plays. */
interface PageConfig {
  pluginId: string;
  kibanaTarget: string;
  /** Kibana's theme name where that Kibana has one (8.18+: CoreTheme.name); absent on older ones. */
  themeName?: 'amsterdam' | 'borealis';
}

interface KbnBundles {
  get(key: string): { plugin?: unknown };
}

type Listener<T> = (value: T) => void;
interface CoreTheme {
  darkMode: boolean;
  name?: string;
}

const page = window as unknown as { __dfpPage__: PageConfig; __kbnBundles__: KbnBundles; __kbnSharedDeps__: Record<string, Record<string, unknown> | undefined> };
const config = page.__dfpPage__;

interface PublicPlugin {
  setup(core: unknown, deps: unknown): void;
  start?(core: unknown, deps: unknown): void;
}

/** Kibana's plugin reader: the bundle's `plugin` export must be a function. */
function readPlugin(id: string): (context: unknown) => PublicPlugin {
  const plugin = page.__kbnBundles__.get(`plugin/${id}/public`)?.plugin;
  if (typeof plugin !== 'function') throw new Error(`Definition of plugin "${id}" should be a function.`);
  return plugin as (context: unknown) => PublicPlugin;
}

/** Kibana's http service: JSON in and out; failures carry the API's body and the response's status. */
async function request(method: string, path: string, options?: { query?: Record<string, string>; body?: string }): Promise<unknown> {
  const query = options?.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options?.body !== undefined) headers['content-type'] = 'application/json';
  // As Kibana's http service: writes carry kbn-xsrf (the server refuses them without it). The
  // token travels in the page's HttpOnly cookie, which fetch sends to its own origin.
  if (method !== 'GET') headers['kbn-xsrf'] = 'standalone';
  const res = await fetch(path + query, { method, headers, body: options?.body });
  const text = await res.text();
  let body: { message?: string } | null = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text };
  }
  if (!res.ok) throw Object.assign(new Error(body?.message ?? res.statusText), { body, response: { status: res.status } });
  return body;
}
const http = {
  get: (path: string, options?: { query?: Record<string, string> }) => request('GET', path, options),
  post: (path: string, options?: { body?: string }) => request('POST', path, options),
  put: (path: string, options?: { body?: string }) => request('PUT', path, options),
  delete: (path: string, options?: { query?: Record<string, string> }) => request('DELETE', path, options),
};

/** Kibana's theme service: dark mode from ?theme= (remembered) or the system setting; the theme's name where that Kibana has one. */
function themeService() {
  let asked = new URLSearchParams(location.search).get('theme');
  try {
    if (asked === 'dark' || asked === 'light') localStorage.setItem('dfp:theme', asked);
    else asked = localStorage.getItem('dfp:theme');
  } catch {
    // storage refused (private mode): the system setting decides
  }
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  const current = (): CoreTheme => ({ darkMode: asked ? asked === 'dark' : Boolean(media?.matches), ...(config.themeName ? { name: config.themeName } : {}) });
  let listeners: Listener<CoreTheme>[] = [];
  const apply = () => {
    const theme = current();
    const link = document.getElementById('charts-theme') as HTMLLinkElement | null;
    if (link) link.href = theme.darkMode ? 'charts_dark.css' : 'charts_light.css';
    for (const f of listeners) f(theme);
  };
  media?.addEventListener?.('change', apply);
  apply();
  return {
    theme$: {
      subscribe(f: Listener<CoreTheme>) {
        listeners.push(f);
        f(current());
        return { unsubscribe: () => void (listeners = listeners.filter((x) => x !== f)) };
      },
    },
    getTheme: current,
  };
}
const theme = themeService();

/** The EUI theme Kibana renders with: Borealis where Kibana names it, else EUI's Amsterdam. */
function euiTheme(name: string | undefined): unknown {
  if (name === 'borealis') return page.__kbnSharedDeps__.ElasticEuiThemeBorealis?.EuiThemeBorealis;
  return page.__kbnSharedDeps__.ElasticEui?.EuiThemeAmsterdam; // EUI ≤ 104 still has it; absent later, EUI's default then
}

/** Kibana's KibanaRenderContextProvider, as far as the app sees it: EUI's provider with Kibana's theme, following its changes. */
function RenderContext({ children }: { children: ReactNode }): ReactElement {
  const [current, setCurrent] = useState<CoreTheme>(theme.getTheme());
  useEffect(() => {
    const sub = theme.theme$.subscribe(setCurrent);
    return () => sub.unsubscribe();
  }, []);
  const themeObject = euiTheme(current.name);
  return createElement(EuiProvider, { colorMode: current.darkMode ? 'dark' : 'light', ...(themeObject ? { theme: themeObject } : {}) } as never, children);
}
const rendering = { addContext: (element: ReactNode): ReactElement => createElement(RenderContext, null, element) };

/** Kibana's ScopedHistory: paths relative to the app, which is mounted at the root here. */
function pageHistory() {
  let listeners: Listener<{ pathname: string; search: string }>[] = [];
  const here = () => ({ pathname: location.pathname, search: location.search });
  const notify = () => listeners.forEach((f) => f(here()));
  window.addEventListener('popstate', notify);
  return {
    get location() {
      return here();
    },
    push(path: string) {
      window.history.pushState(null, '', path);
      notify();
    },
    listen(f: Listener<{ pathname: string; search: string }>) {
      listeners.push(f);
      return () => void (listeners = listeners.filter((x) => x !== f));
    },
  };
}

/**
 * Kibana's application service. Only this app exists here (no Discover), and `applications$` says
 * so, as Kibana's lists the apps the user can open. `capabilities` as Kibana's core reads them at
 * start (POST /api/core/capabilities): what the user may do.
 */
function applicationService(capabilities: Record<string, Record<string, unknown>>) {
  const apps = new Map([[config.pluginId, { id: config.pluginId, title: document.title }]]);
  return {
    getUrlForApp: (id: string, options?: { path?: string }) => (id === config.pluginId ? options?.path || '/' : `/app/${id}${options?.path ?? ''}`),
    navigateToUrl: (url: string) => Promise.resolve(window.location.assign(url)),
    applications$: {
      subscribe(f: Listener<Map<string, unknown>>) {
        f(apps);
        return { unsubscribe: () => {} };
      },
    },
    capabilities,
  };
}

interface RegisteredApp {
  mount(params: unknown): Promise<() => void> | (() => void);
}

async function start(): Promise<void> {
  const apps: RegisteredApp[] = [];
  const capabilities = (await http.post('/api/core/capabilities', { body: JSON.stringify({ applications: [config.pluginId] }) })) as Record<string, Record<string, unknown>>;
  const coreStart = { http, theme, application: applicationService(capabilities), rendering };
  const coreSetup = {
    application: { register: (app: RegisteredApp) => void apps.push(app) },
    getStartServices: () => Promise.resolve([coreStart, {}, {}]),
  };
  const instance = readPlugin(config.pluginId)({ opaqueId: Symbol(config.pluginId), env: { mode: { dev: false, prod: true } }, config: { get: () => ({}) } });
  instance.setup(coreSetup, {});
  instance.start?.(coreStart, {});
  if (apps.length !== 1) throw new Error(`the plugin registered ${apps.length} apps; the page mounts exactly one`);
  const element = document.getElementById('app');
  if (!element) throw new Error('the page has no #app element');
  await apps[0].mount({ element, history: pageHistory(), appBasePath: '/', theme$: theme.theme$ });
}

// Kibana shows a fatal error screen when a plugin fails to start; the page shows the message.
start().catch((e: Error) => {
  const el = document.getElementById('app');
  if (el) el.textContent = `The app failed to start: ${e.message}`;
  throw e;
});
