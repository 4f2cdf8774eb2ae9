/**
 * The browser side of the build: the plugin bundle Kibana's bundle loader takes (Kibana's shared
 * dependencies left external), and the standalone page that plays Kibana's part for it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { readManifest, REPO_ROOT } from './manifest';

/**
 * Kibana's shared browser dependencies (kbn-ui-shared-deps-src `externals`): the bundle must use
 * Kibana's copies, found on `window.__kbnSharedDeps__`, never bundle its own.
 */
export const SHARED_DEPS: Record<string, string> = {
  react: 'React',
  'react-dom': 'ReactDom',
  'react-dom/server': 'ReactDomServer',
  'react-router': 'ReactRouter',
  'react-router-dom': 'ReactRouterDom',
  '@elastic/eui': 'ElasticEui',
  '@elastic/charts': 'ElasticCharts',
  '@emotion/react': 'EmotionReact',
  '@emotion/cache': 'EmotionCache',
  moment: 'Moment',
  'moment-timezone': 'MomentTimezone',
  lodash: 'Lodash',
  'lodash/fp': 'LodashFp',
  rxjs: 'Rxjs',
  '@kbn/i18n': 'KbnI18n',
  '@kbn/i18n-react': 'KbnI18nReact',
  '@kbn/ui-theme': 'KbnUiTheme',
  '@tanstack/react-query': 'ReactQuery',
  classnames: 'Classnames',
  history: 'History',
  uuid: 'Uuid',
  tslib: 'TsLib',
};

/** How every browser file is bundled: one minified IIFE for today's browsers, production React. */
const BROWSER_BUNDLE = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
} satisfies esbuild.BuildOptions;

/**
 * The browser bundle: registers public/index's exports with Kibana's bundle loader. Returns the
 * shared dependencies it takes from `__kbnSharedDeps__` (the page hosting it must provide them).
 */
export async function bundleBrowser(root: string, pluginDir: string, id: string): Promise<string[]> {
  const used = new Set<string>();
  const key = `plugin/${id}/public`;
  const entry = [
    `import * as publicEntry from './public/index';`,
    `const KEY = ${JSON.stringify(key)};`,
    // Kibana calls the require function with the key given last, and expects the module's exports.
    `__kbnBundles__.define(KEY, function (moduleKey) {`,
    `  if (moduleKey !== KEY) throw new Error('${id} bundle has no module ' + moduleKey);`,
    `  return publicEntry;`,
    `}, KEY);`,
  ].join('\n');
  const sharedDeps: esbuild.Plugin = {
    name: 'kbn-shared-deps',
    setup(build) {
      const names = Object.keys(SHARED_DEPS).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
      build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => {
        used.add(args.path);
        return { path: args.path, namespace: 'kbn-shared-deps' };
      });
      build.onLoad({ filter: /.*/, namespace: 'kbn-shared-deps' }, (args) => ({
        contents: `module.exports = __kbnSharedDeps__[${JSON.stringify(SHARED_DEPS[args.path])}];`,
        loader: 'js',
      }));
    },
  };
  await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: `${id}.plugin.entry.ts` },
    outfile: path.join(pluginDir, 'target', 'public', `${id}.plugin.js`),
    ...BROWSER_BUNDLE,
    plugins: [sharedDeps],
  });
  return [...used].sort();
}

/**
 * What the standalone page provides as `__kbnSharedDeps__` (names from SHARED_DEPS): the libraries
 * the app imports, each a single instance as in Kibana. Building fails if the plugin bundle
 * takes a shared dependency that is not here.
 */
export const STANDALONE_SHARED_DEPS = ['react', 'react-dom', '@elastic/eui', '@elastic/charts', '@emotion/react', '@emotion/cache', 'moment', 'moment-timezone'] as const;

export const SHARED_DEPS_FILE = 'shared_deps.js';

/** Kibana's shared dependencies for the standalone page: one browser IIFE filling `window.__kbnSharedDeps__`. */
async function bundleSharedDeps(root: string, outDir: string): Promise<void> {
  const entry = [
    `var deps = (window.__kbnSharedDeps__ = window.__kbnSharedDeps__ || {});`,
    // require() hands over each package's CommonJS exports, the objects Kibana's externals name.
    ...STANDALONE_SHARED_DEPS.map((name) => `deps[${JSON.stringify(SHARED_DEPS[name])}] = require(${JSON.stringify(name)});`),
  ].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'js', sourcefile: 'shared_deps.entry.js' },
    outfile: path.join(outDir, SHARED_DEPS_FILE),
    ...BROWSER_BUNDLE,
  });
}

/**
 * The browser bundle on a page of its own, for the standalone server (`npm run serve`, app at `/`):
 * `index.html` plays Kibana's part — the bundle loader, the shared dependencies (shared_deps.js,
 * plus @elastic/charts' stylesheets, which Kibana also loads for its plugins) and the browser core
 * the plugin uses (app registration, start services, `http.get/post/put` with the page's own fetch,
 * the theme, navigation, a history over the page's URL) — and mounts the plugin's app full page.
 * The bundle is the one the zip ships. `?theme=dark` (remembered) or the system's dark mode picks
 * the dark theme.
 */
export async function buildStandaloneApp(opts: { root?: string; outDir: string }): Promise<string> {
  const root = opts.root ?? REPO_ROOT;
  const manifest = await readManifest(root, '0.0.0', 'kibana');
  const outDir = path.resolve(opts.outDir);
  const used = await bundleBrowser(root, outDir, manifest.id);
  const missing = used.filter((d) => !(STANDALONE_SHARED_DEPS as readonly string[]).includes(d));
  if (missing.length > 0) throw new Error(`the plugin bundle takes shared dependencies the standalone page does not provide: ${missing.join(', ')} (add them to STANDALONE_SHARED_DEPS)`);
  await bundleSharedDeps(root, outDir);
  const chartsDist = path.join(path.dirname(require.resolve('@elastic/charts/package.json', { paths: [root] })), 'dist');
  for (const mode of ['light', 'dark']) await fs.copyFile(path.join(chartsDist, `theme_only_${mode}.css`), path.join(outDir, `charts_${mode}.css`));
  const bundle = `target/public/${manifest.id}.plugin.js`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Digital Fingerprinting</title>
<!-- App paths (/users/…) are served this page too: resolve its files from the root. -->
<base href="/">
<link id="charts-theme" rel="stylesheet" href="charts_light.css">
</head>
<body>
<div id="app"></div>
<script>
  // Kibana's side of the contract, restated: the bundle registry; shared_deps.js fills the shared dependencies.
  window.__kbnSharedDeps__ = window.__kbnSharedDeps__ || {};
  window.__kbnBundles__ = { modules: {}, define: function (key, req, moduleKey) { this.modules[key] = req(moduleKey); } };
</script>
<script src="${SHARED_DEPS_FILE}"></script>
<script src="${bundle}"></script>
<script>
  (function () {
    // Kibana's http service: JSON in and out; failures carry the API's body and the response's status.
    function request(method, path, options) {
      var query = options && options.query ? '?' + new URLSearchParams(options.query).toString() : '';
      var init = { method: method, headers: { accept: 'application/json' } };
      if (options && options.body !== undefined) { init.body = options.body; init.headers['content-type'] = 'application/json'; }
      return fetch(path + query, init).then(function (res) {
        return res.text().then(function (text) {
          var body = null;
          try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text }; }
          if (!res.ok) {
            var e = new Error(body && body.message ? body.message : res.statusText);
            e.body = body; e.response = { status: res.status };
            throw e;
          }
          return body;
        });
      });
    }
    var http = {
      get: function (path, options) { return request('GET', path, options); },
      post: function (path, options) { return request('POST', path, options); },
      put: function (path, options) { return request('PUT', path, options); },
    };

    // Kibana's theme service: dark mode from ?theme= (remembered) or the system setting.
    var params = new URLSearchParams(location.search);
    var asked = params.get('theme');
    try { if (asked === 'dark' || asked === 'light') localStorage.setItem('dfp:theme', asked); else asked = localStorage.getItem('dfp:theme'); } catch (e) {}
    var media = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    var darkMode = function () { return asked ? asked === 'dark' : !!(media && media.matches); };
    var themeListeners = [];
    var applyTheme = function () {
      var dark = darkMode();
      document.getElementById('charts-theme').href = dark ? 'charts_dark.css' : 'charts_light.css';
      themeListeners.forEach(function (f) { f({ darkMode: dark }); });
    };
    if (media && media.addEventListener) media.addEventListener('change', applyTheme);
    var theme = {
      theme$: {
        subscribe: function (f) {
          themeListeners.push(f);
          f({ darkMode: darkMode() });
          return { unsubscribe: function () { themeListeners = themeListeners.filter(function (x) { return x !== f; }); } };
        },
      },
    };
    applyTheme();

    // Kibana's ScopedHistory: paths relative to the app, which is mounted at the root here.
    var historyListeners = [];
    var here = function () { return { pathname: location.pathname, search: location.search }; };
    var notify = function () { var l = here(); historyListeners.forEach(function (f) { f(l); }); };
    window.addEventListener('popstate', notify);
    var history = {
      get location() { return here(); },
      push: function (path) { window.history.pushState(null, '', path); notify(); },
      listen: function (f) { historyListeners.push(f); return function () { historyListeners = historyListeners.filter(function (x) { return x !== f; }); }; },
    };

    var appId = ${JSON.stringify(manifest.id)};
    var application = {
      // Other apps (Discover) do not exist here; their URLs are Kibana's shape all the same.
      getUrlForApp: function (id, options) { var p = (options && options.path) || ''; return id === appId ? p || '/' : '/app/' + id + p; },
      navigateToUrl: function (url) { window.location.assign(url); return Promise.resolve(); },
    };

    var apps = [];
    var coreStart = { http: http, theme: theme, application: application };
    var core = {
      application: { register: function (app) { apps.push(app); } },
      getStartServices: function () { return Promise.resolve([coreStart, {}, {}]); },
    };
    var publicModule = window.__kbnBundles__.modules[${JSON.stringify(`plugin/${manifest.id}/public`)}];
    var instance = publicModule.plugin({ env: { mode: { dev: false, prod: true } } });
    instance.setup(core, {});
    if (instance.start) instance.start(coreStart, {});
    apps[0].mount({ element: document.getElementById('app'), history: history, appBasePath: '/', theme$: theme.theme$ });
  })();
</script>
</body>
</html>
`;
  await fs.writeFile(path.join(outDir, 'index.html'), html);
  return outDir;
}
