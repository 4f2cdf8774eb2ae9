/**
 * The standalone page (`npm run serve` hosts it at `/`; the browser tests drive it): the plugin's
 * browser bundle mounted as a chosen Kibana version mounts it. `index.html` restates Kibana's
 * bundle loader; `shared_deps.js` is that version's shared dependencies (its React, EUI, charts,
 * built from kibana_targets/<id>/); `kibana_core.js` is Kibana's plugin reader and browser core
 * (standalone_core.tsx). The plugin bundle is built for the same target, as the zip ships it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { BROWSER_BUNDLE, bundleBrowser, kbnSharedDeps, pinToTarget, SHARED_DEPS } from './browser';
import { NEWEST_TARGET, targetDir, type KibanaTarget } from './kibana_targets';
import { readManifest, REPO_ROOT } from './manifest';

/**
 * The shared dependencies the page can provide, of those its target has: the libraries the app
 * may import, each a single instance as in Kibana. Building fails if the plugin bundle takes a
 * shared dependency not here.
 */
export const PAGE_SHARED_DEPS = ['react', 'react-dom', 'react-dom/server', '@elastic/eui', '@elastic/eui-theme-borealis', '@elastic/charts', '@emotion/react', '@emotion/cache', 'moment', 'moment-timezone'] as const;

export const SHARED_DEPS_FILE = 'shared_deps.js';
export const CORE_FILE = 'kibana_core.js';

/**
 * EUI's icon modules by icon type, from the target EUI's own map (icon_map.js): up to EUI ~104 it
 * names each icon's file; later EUIs map each type to a loader, `() => import('./assets/<file>')`.
 */
function iconModules(target: KibanaTarget, root: string): Record<string, string> {
  const euiDir = path.dirname(require.resolve('@elastic/eui/package.json', { paths: [targetDir(target, root), root] }));
  const { typeToPathMap } = require(path.join(euiDir, 'lib', 'components', 'icon', 'icon_map.js')) as { typeToPathMap: Record<string, string | (() => unknown)> };
  const modules: Record<string, string> = {};
  for (const [type, entry] of Object.entries(typeToPathMap)) {
    const file = typeof entry === 'string' ? entry : /['"]\.\/assets\/([^'"]+)['"]/.exec(entry.toString())?.[1];
    if (!file) throw new Error(`EUI ${target.id}'s icon "${type}" names no asset file (icon_map.js changed shape)`);
    modules[type] = `@elastic/eui/lib/components/icon/assets/${file}`;
  }
  return modules;
}

/** The target's shared dependencies as one browser script filling `window.__kbnSharedDeps__`. */
async function bundleSharedDeps(target: KibanaTarget, root: string, outDir: string): Promise<string[]> {
  const provided = PAGE_SHARED_DEPS.filter((name) => target.sharedDeps.includes(name));
  const icons = Object.entries(iconModules(target, root));
  const entry = [
    `var deps = (window.__kbnSharedDeps__ = window.__kbnSharedDeps__ || {});`,
    // require() hands over each package's CommonJS exports, the objects Kibana's externals name.
    ...provided.map((name) => `deps[${JSON.stringify(SHARED_DEPS[name])}] = require(${JSON.stringify(name)});`),
    // Kibana loads EUI's icons on demand from its own chunks; a page has no such chunks, so every
    // icon goes into EUI's icon cache up front (else EuiIcon stays an empty placeholder).
    `require('@elastic/eui/lib/components/icon/icon').appendIconComponentCache({`,
    ...icons.map(([type, mod]) => `  ${JSON.stringify(type)}: require(${JSON.stringify(mod)}).icon,`),
    `});`,
  ].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: targetDir(target, root), loader: 'js', sourcefile: `kibana-${target.id}-shared-deps.entry.js` },
    outfile: path.join(outDir, SHARED_DEPS_FILE),
    ...BROWSER_BUNDLE,
    plugins: [pinToTarget(target, root)],
  });
  return provided;
}

/** Kibana's plugin reader and browser core for the page, on the page's shared dependencies. */
async function bundleCore(target: KibanaTarget, root: string, outDir: string): Promise<void> {
  const used = new Set<string>();
  await esbuild.build({
    entryPoints: [path.join(root, 'scripts', 'plugin_build', 'standalone_core.tsx')],
    outfile: path.join(outDir, CORE_FILE),
    ...BROWSER_BUNDLE,
    jsx: 'automatic',
    plugins: [kbnSharedDeps(used), pinToTarget(target, root)],
  });
}

/** Kibana's bundle loader (its bootstrap template's kbnBundlesLoader), restated: modules are read on first `get`. */
const BUNDLE_LOADER = `
window.__kbnSharedDeps__ = window.__kbnSharedDeps__ || {};
window.__kbnBundles__ = (function () {
  var modules = Object.create(null);
  function has(key) { return Object.prototype.hasOwnProperty.call(modules, key); }
  function define(key, bundleRequire, bundleModuleKey) {
    if (has(key)) throw new Error('__kbnBundles__ already has a module defined for "' + key + '"');
    modules[key] = { bundleRequire: bundleRequire, bundleModuleKey: bundleModuleKey };
  }
  function get(key) {
    if (!has(key)) throw new Error('__kbnBundles__ does not have a module defined for "' + key + '"');
    return modules[key].bundleRequire(modules[key].bundleModuleKey);
  }
  return { has: has, define: define, get: get };
})();`;

export interface StandaloneAppOptions {
  root?: string;
  outDir: string;
  /** The Kibana version the page plays (default: the newest supported). */
  target?: KibanaTarget;
}

/** Builds the page into `outDir`; returns the folder. `?theme=dark` (remembered) or the system's dark mode picks the dark theme. */
export async function buildStandaloneApp(opts: StandaloneAppOptions): Promise<string> {
  const root = opts.root ?? REPO_ROOT;
  const target = opts.target ?? NEWEST_TARGET;
  const manifest = await readManifest(root, '0.0.0', 'kibana');
  const outDir = path.resolve(opts.outDir);
  const used = await bundleBrowser(root, outDir, manifest.id, target);
  const provided = await bundleSharedDeps(target, root, outDir);
  const missing = used.filter((d) => !(provided as string[]).includes(d));
  if (missing.length > 0) throw new Error(`the plugin bundle takes shared dependencies the standalone page does not provide: ${missing.join(', ')} (add them to PAGE_SHARED_DEPS)`);
  await bundleCore(target, root, outDir);
  const chartsDist = path.join(path.dirname(require.resolve('@elastic/charts/package.json', { paths: [targetDir(target, root), root] })), 'dist');
  for (const mode of ['light', 'dark']) await fs.copyFile(path.join(chartsDist, `theme_only_${mode}.css`), path.join(outDir, `charts_${mode}.css`));
  const pageConfig = { pluginId: manifest.id, kibanaTarget: target.id, ...(target.sharedDeps.includes('@elastic/eui-theme-borealis') ? { themeName: target.defaultTheme } : {}) };
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="kibana-target" content="${target.id}">
<title>Digital Fingerprinting</title>
<!-- App paths (/users/…) are served this page too: resolve its files from the root. -->
<base href="/">
<link id="charts-theme" rel="stylesheet" href="charts_light.css">
</head>
<body>
<div id="app"></div>
<script>
window.__dfpPage__ = ${JSON.stringify(pageConfig)};${BUNDLE_LOADER}
</script>
<script src="${SHARED_DEPS_FILE}"></script>
<script src="target/public/${manifest.id}.plugin.js"></script>
<script src="${CORE_FILE}"></script>
</body>
</html>
`;
  await fs.writeFile(path.join(outDir, 'index.html'), html);
  return outDir;
}
