/**
 * Builds the Kibana install zip (DESIGN.md section 3):
 *
 *   kibana/<id>/kibana.json              legacy manifest, derived from kibana.jsonc
 *   kibana/<id>/package.json             name, version, production dependencies
 *   kibana/<id>/server/**.js, common/**.js   CommonJS, one file per source file
 *   kibana/<id>/target/public/<id>.plugin.js   the browser bundle, Kibana's shared deps external
 *   kibana/<id>/node_modules/**          production dependencies
 *
 *   npm run build -- --kibana-version 8.19.2        → build/<id>-<version>.zip
 *   npm run build -- --manifest-only                → rewrites ./kibana.json (kibanaVersion "kibana"),
 *                                                     the manifest `yarn plugin-helpers build` reads
 */
import { execFile } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import * as esbuild from 'esbuild';
import fg from 'fast-glob';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

/** Every key Kibana's legacy manifest parser accepts (plugin_manifest_parser.ts, KNOWN_MANIFEST_FIELDS); any other key is an error. */
export const LEGACY_MANIFEST_KEYS = [
  'id',
  'kibanaVersion',
  'type',
  'version',
  'configPath',
  'requiredPlugins',
  'optionalPlugins',
  'runtimePluginDependencies',
  'ui',
  'server',
  'extraPublicDirs',
  'requiredBundles',
  'serviceFolders',
  'owner',
  'description',
  'enabledOnAnonymousPages',
] as const;

export interface LegacyManifest {
  id: string;
  version: string;
  kibanaVersion: string;
  owner: { name: string };
  description?: string;
  server: boolean;
  ui: boolean;
  requiredPlugins: string[];
  optionalPlugins: string[];
  requiredBundles: string[];
  configPath: string | string[];
}

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

interface PackageManifest {
  type?: string;
  id?: string;
  owner?: string | { name: string };
  description?: string;
  plugin?: {
    id?: string;
    server?: boolean;
    browser?: boolean;
    configPath?: string | string[];
    requiredPlugins?: string[];
    optionalPlugins?: string[];
    requiredBundles?: string[];
  };
}

/** JSON with `//` and `/* *\/` comments and trailing commas (kibana.jsonc). */
export function parseJsonc(text: string): unknown {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error('unterminated /* comment');
      i = end + 1;
    } else out += c;
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1'));
}

/** The legacy kibana.json for a Kibana version (x.y.z, or "kibana": any version) from kibana.jsonc. */
export function legacyManifest(pkg: PackageManifest, version: string, kibanaVersion: string): LegacyManifest {
  const p = pkg.plugin;
  if (pkg.type !== 'plugin' || !p?.id) throw new Error('kibana.jsonc: expected "type": "plugin" with a "plugin.id"');
  // Kibana refuses ids with dots or not in camelCase (they name config paths and loggers).
  if (!/^[a-z][a-zA-Z0-9]*$/.test(p.id)) throw new Error(`kibana.jsonc: plugin.id "${p.id}" must be camelCase (letters and digits, starting lowercase)`);
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(kibanaVersion) && kibanaVersion !== 'kibana') {
    throw new Error(`--kibana-version must be the Kibana version to install into (x.y.z, e.g. 8.19.2) or "kibana"; got "${kibanaVersion}"`);
  }
  const owner = typeof pkg.owner === 'string' ? pkg.owner : pkg.owner?.name;
  if (!owner) throw new Error('kibana.jsonc: "owner" is required (the legacy manifest needs owner.name)');
  const manifest: LegacyManifest = {
    id: p.id,
    version,
    kibanaVersion,
    owner: { name: owner },
    ...(pkg.description ? { description: pkg.description } : {}),
    server: p.server ?? false,
    ui: p.browser ?? false,
    requiredPlugins: p.requiredPlugins ?? [],
    optionalPlugins: p.optionalPlugins ?? [],
    requiredBundles: p.requiredBundles ?? [],
    configPath: p.configPath ?? p.id,
  };
  // Kibana fails discovery on any key its parser does not know.
  const unknown = Object.keys(manifest).filter((k) => !(LEGACY_MANIFEST_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`kibana.json would carry keys Kibana refuses: ${unknown.join(', ')}`);
  return manifest;
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

export interface BuildOptions {
  kibanaVersion: string;
  /** Repository root (default: this script's). */
  root?: string;
  /** Where the plugin folder and the zip go (default <root>/build). */
  outDir?: string;
  /** Make the zip (default true); without it the plugin folder alone is built. */
  zip?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  /** The built plugin folder, laid out as inside the zip (…/kibana/<id>). */
  pluginDir: string;
  manifest: LegacyManifest;
  zipPath?: string;
  zipBytes?: number;
}

export async function buildPlugin(opts: BuildOptions): Promise<BuildResult> {
  const root = opts.root ?? ROOT;
  const outDir = path.resolve(opts.outDir ?? path.join(root, 'build'));
  const log = opts.log ?? (() => {});
  const pkgJson = readJson<{ name: string; version: string; description?: string; license?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>(
    path.join(root, 'package.json'),
  );
  const manifest = legacyManifest(parseJsonc(await fs.readFile(path.join(root, 'kibana.jsonc'), 'utf8')) as PackageManifest, pkgJson.version, opts.kibanaVersion);
  const pluginDir = path.join(outDir, 'kibana', manifest.id);
  await fs.rm(pluginDir, { recursive: true, force: true });
  await fs.mkdir(pluginDir, { recursive: true });

  log(`compiling server and common to CommonJS`);
  await compileServer(root, pluginDir);
  log(`bundling the browser plugin`);
  await bundleBrowser(root, pluginDir, manifest.id);

  await fs.writeFile(path.join(pluginDir, 'kibana.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const runtimePackage = {
    name: pkgJson.name,
    version: pkgJson.version,
    description: pkgJson.description,
    license: pkgJson.license,
    private: true,
    dependencies: pkgJson.dependencies ?? {},
    // Not bundled (they download libtensorflow at install time); `npm install` in the plugin folder adds them where that works.
    optionalDependencies: pkgJson.optionalDependencies ?? {},
  };
  await fs.writeFile(path.join(pluginDir, 'package.json'), `${JSON.stringify(runtimePackage, null, 2)}\n`);
  for (const doc of ['README.md', 'LICENSE', 'NOTICE.txt']) {
    await fs.copyFile(path.join(root, doc), path.join(pluginDir, doc)).catch(() => undefined);
  }
  log(`copying production node_modules`);
  await copyProductionModules(root, pluginDir);

  if (opts.zip === false) return { pluginDir, manifest };
  const zipPath = path.join(outDir, `${manifest.id}-${manifest.version}.zip`);
  log(`zipping`);
  const zip = new AdmZip();
  zip.addLocalFolder(pluginDir, `kibana/${manifest.id}`);
  await fs.rm(zipPath, { force: true });
  await zip.writeZipPromise(zipPath);
  return { pluginDir, manifest, zipPath, zipBytes: (await fs.stat(zipPath)).size };
}

/** server/** and common/** to CommonJS, one output file per source file, in the same tree. */
async function compileServer(root: string, pluginDir: string): Promise<void> {
  const entryPoints = await fg(['server/**/*.ts', 'common/**/*.ts'], { cwd: root, ignore: ['**/*.d.ts', '**/*.test.ts'], absolute: true });
  await esbuild.build({
    entryPoints,
    outbase: root,
    outdir: pluginDir,
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
}

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
async function bundleBrowser(root: string, pluginDir: string, id: string): Promise<string[]> {
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
  const root = opts.root ?? ROOT;
  const manifest = legacyManifest(parseJsonc(await fs.readFile(path.join(root, 'kibana.jsonc'), 'utf8')) as PackageManifest, '0.0.0', 'kibana');
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

/** Files a running plugin never reads: type declarations, TypeScript sources, source maps. */
const SKIPPED_IN_MODULES = /(\.d\.[cm]?ts|\.[cm]?ts|\.map)$/;

/** What `npm ls --omit=dev --all` lists, each package copied to the same place under the plugin. */
async function copyProductionModules(root: string, pluginDir: string): Promise<void> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: root, maxBuffer: 64 * 1024 * 1024 }));
  } catch (e) {
    // npm ls exits non-zero on tree problems (e.g. an extraneous package) but still lists the tree.
    stdout = (e as { stdout?: string }).stdout ?? '';
    if (!stdout.trim()) throw new Error(`npm ls failed: ${(e as Error).message}`);
  }
  const packages = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && path.resolve(l) !== path.resolve(root));
  for (const dir of packages) {
    const rel = path.relative(root, dir);
    if (!rel.startsWith('node_modules')) throw new Error(`npm ls listed a production package outside node_modules: ${dir}`);
    const nested = path.join(dir, 'node_modules');
    await fs.cp(dir, path.join(pluginDir, rel), {
      recursive: true,
      dereference: true,
      // Nested packages are listed (and copied) on their own; dev-only ones are not listed at all.
      filter: (src) => src !== nested && !SKIPPED_IN_MODULES.test(src),
    });
  }
}

/** Writes ./kibana.json for `yarn plugin-helpers build` inside a Kibana checkout. */
export async function writeCommittedManifest(root = ROOT): Promise<string> {
  const pkgJson = readJson<{ version: string }>(path.join(root, 'package.json'));
  const manifest = legacyManifest(parseJsonc(await fs.readFile(path.join(root, 'kibana.jsonc'), 'utf8')) as PackageManifest, pkgJson.version, 'kibana');
  const file = path.join(root, 'kibana.json');
  await fs.writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  if (argv.includes('--help')) {
    console.log('usage: npm run build -- --kibana-version X.Y.Z [--out-dir DIR]\n       npm run build -- --manifest-only   (rewrites ./kibana.json for yarn plugin-helpers)\n       npm run build -- --standalone-app  (the app page npm run serve hosts at /, in target/standalone)');
    return;
  }
  if (argv.includes('--standalone-app')) {
    const dir = await buildStandaloneApp({ outDir: arg('--out-dir') ?? path.join(ROOT, 'target', 'standalone') });
    console.log(`wrote ${dir}`);
    for (const f of await fg(['**/*.{html,js,css}'], { cwd: dir })) console.log(`  ${f}: ${((await fs.stat(path.join(dir, f))).size / 1024).toFixed(0)} KiB`);
    return;
  }
  if (argv.includes('--manifest-only')) {
    console.log(`wrote ${await writeCommittedManifest()}`);
    return;
  }
  const kibanaVersion = arg('--kibana-version');
  if (!kibanaVersion) throw new Error('--kibana-version X.Y.Z is required: the Kibana version the zip installs into (it must match exactly)');
  const result = await buildPlugin({ kibanaVersion, outDir: arg('--out-dir'), log: (l) => console.log(l) });
  console.log(`${result.zipPath} (${(result.zipBytes! / 1024 / 1024).toFixed(1)} MiB)`);
  console.log(`install: bin/kibana-plugin install file://${result.zipPath}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  });
}
