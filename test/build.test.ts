// The install zip (`npm run build -- --kibana-version X.Y.Z`): its layout, its manifest against
// Kibana's legacy manifest rules, the server entry loaded from the unzipped archive, and the
// browser bundle evaluated the way Kibana's bundle loader runs it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import AdmZip from 'adm-zip';
import { buildPlugin, type BuildResult } from '../scripts/build';
import { legacyManifest, parseJsonc } from '../scripts/plugin_build/manifest';
import { SHARED_DEPS } from '../scripts/plugin_build/browser';
import { EsTestServer } from './es_server/server';
import { startKibana } from './kibana_harness';
import { PLUGIN_ID } from '../common/fields';
import React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import * as ElasticEui from '@elastic/eui';
import * as ElasticCharts from '@elastic/charts';
import * as EmotionReact from '@emotion/react';
import EmotionCache from '@emotion/cache';
import moment from 'moment';

const ROOT = path.resolve(__dirname, '..');
const PREFIX = `kibana/${PLUGIN_ID}/`;
/** The keys Kibana's legacy manifest parser knows (plugin_manifest_parser.ts); any other key fails discovery. */
const KIBANA_KNOWN_KEYS = new Set(['id', 'kibanaVersion', 'type', 'version', 'configPath', 'requiredPlugins', 'optionalPlugins', 'runtimePluginDependencies', 'ui', 'server', 'extraPublicDirs', 'requiredBundles', 'serviceFolders', 'owner', 'description', 'enabledOnAnonymousPages']);

let tmp: string;
let built: BuildResult;
let zip: AdmZip;
let entries: string[];
const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

before(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dfp-build-test-'));
  built = await buildPlugin({ kibanaVersion: '8.19.2', outDir: path.join(tmp, 'out') });
  zip = new AdmZip(built.zipPath!);
  entries = zip.getEntries().map((e) => e.entryName.replace(/\\/g, '/'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const json = (name: string): Record<string, any> => JSON.parse(zip.readAsText(`${PREFIX}${name}`));

describe('install zip', () => {
  it('is named after the plugin and its version, and reports its size', () => {
    assert.equal(path.basename(built.zipPath!), `${PLUGIN_ID}-${rootPackage.version}.zip`);
    assert.ok(built.zipBytes! > 100_000);
  });

  it('holds everything under kibana/<id>/ in the install layout', () => {
    assert.ok(entries.every((e) => e.startsWith(PREFIX)), `outside ${PREFIX}: ${entries.filter((e) => !e.startsWith(PREFIX)).slice(0, 3)}`);
    for (const f of ['kibana.json', 'package.json', 'server/index.js', 'server/plugin.js', 'server/kibana/router.js', 'server/routes/index.js', 'server/engine/io/es/model_store.js', 'common/api.js', `target/public/${PLUGIN_ID}.plugin.js`]) {
      assert.ok(entries.includes(`${PREFIX}${f}`), `${f} is in the zip`);
    }
    const code = entries.filter((e) => /^kibana\/[^/]+\/(server|common)\//.test(e) && !e.endsWith('/'));
    assert.ok(code.every((e) => e.endsWith('.js')), `only JavaScript in server/ and common/: ${code.filter((e) => !e.endsWith('.js')).slice(0, 3)}`);
  });

  it('compiles the server to CommonJS that leaves Kibana\'s modules to Kibana', () => {
    const index = zip.readAsText(`${PREFIX}server/index.js`);
    assert.match(index, /module\.exports/);
    assert.match(index, /require\("@kbn\/config-schema"\)/);
    assert.ok(!entries.some((e) => e.includes('node_modules/@kbn/')), 'no @kbn package is shipped');
  });

  it('ships the production dependencies, and no development ones', () => {
    for (const dep of Object.keys(rootPackage.dependencies)) assert.ok(entries.includes(`${PREFIX}node_modules/${dep}/package.json`), `${dep} is shipped`);
    for (const dep of ['@elastic/transport', 'undici']) assert.ok(entries.includes(`${PREFIX}node_modules/${dep}/package.json`), `transitive ${dep} is shipped`);
    for (const dep of Object.keys(rootPackage.devDependencies)) assert.ok(!entries.some((e) => e.startsWith(`${PREFIX}node_modules/${dep}/`)), `dev dependency ${dep} is not shipped`);
    assert.ok(entries.some((e) => e.endsWith('tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')), 'the wasm binaries come along');
  });

  it('writes package.json with the production dependencies', () => {
    const pkg = json('package.json');
    assert.equal(pkg.version, rootPackage.version);
    assert.deepEqual(pkg.dependencies, rootPackage.dependencies);
    assert.equal(pkg.devDependencies, undefined);
  });
});

describe('kibana.json', () => {
  it('has only keys Kibana\'s legacy manifest parser knows, and the Kibana version asked for', () => {
    const m = json('kibana.json');
    const unknown = Object.keys(m).filter((k) => !KIBANA_KNOWN_KEYS.has(k));
    assert.deepEqual(unknown, []);
    assert.equal(m.kibanaVersion, '8.19.2');
    assert.equal(m.version, rootPackage.version);
  });

  it('passes the parser\'s other rules and matches kibana.jsonc', () => {
    const m = json('kibana.json');
    const source = parseJsonc(readFileSync(path.join(ROOT, 'kibana.jsonc'), 'utf8')) as { owner: string; plugin: Record<string, unknown> };
    assert.equal(m.id, PLUGIN_ID);
    assert.match(m.id, /^[a-z][a-zA-Z0-9]*$/, 'camelCase, no dots');
    assert.equal(typeof m.owner.name, 'string');
    assert.equal(m.owner.name, source.owner);
    assert.ok(m.server === true && m.ui === true);
    assert.ok(m.type === undefined || m.type === 'standard');
    assert.deepEqual(m.requiredPlugins, ['features']);
    assert.deepEqual(m.optionalPlugins, source.plugin.optionalPlugins);
    assert.deepEqual(m.configPath, source.plugin.configPath);
  });

  it('is committed beside kibana.jsonc for `yarn plugin-helpers build`, in sync, for any Kibana version', () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, 'kibana.json'), 'utf8'));
    const expected = legacyManifest(parseJsonc(readFileSync(path.join(ROOT, 'kibana.jsonc'), 'utf8')) as Parameters<typeof legacyManifest>[0], rootPackage.version, 'kibana');
    assert.deepEqual(committed, expected, 'run `npm run build -- --manifest-only` after changing kibana.jsonc or the version');
  });

  it('refuses a Kibana version that Kibana would never match', () => {
    assert.throws(() => legacyManifest({ type: 'plugin', owner: 'o', plugin: { id: 'x' } }, '1.0.0', '8.x'), /--kibana-version must be/);
    assert.throws(() => legacyManifest({ type: 'plugin', owner: 'o', plugin: { id: 'my.plugin' } }, '1.0.0', '8.19.2'), /camelCase/);
  });
});

describe('server entry from the unzipped archive', () => {
  it('loads in the Kibana harness and serves its routes', async () => {
    const dir = path.join(tmp, 'unzipped');
    zip.extractAllTo(dir, true);
    const es = await new EsTestServer().start();
    const h = await startKibana({ pluginDir: path.join(dir, 'kibana', PLUGIN_ID), esUrl: es.url, config: { sources: [{ id: 'azure', profile: 'azure-signin' }] } });
    try {
      assert.ok(h.routes.length >= 16);
      const res = await h.request('GET', '/internal/dfp/settings', { user: 'analyst' });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.sources.map((s: { id: string }) => s.id), ['azure']);
    } finally {
      await h.stop();
      await es.stop();
    }
  });
});

/** Kibana's bundle loader (`__kbnBundles__`), as its bootstrap script defines it. */
function kbnBundles() {
  const modules = new Map<string, { bundleRequire: (key: string) => unknown; key: string }>();
  return {
    has: (k: string) => modules.has(k),
    define(k: string, bundleRequire: (key: string) => unknown, key: string) {
      if (modules.has(k)) throw new Error(`__kbnBundles__ already has a module defined for "${k}"`);
      modules.set(k, { bundleRequire, key });
    },
    get(k: string) {
      const m = modules.get(k);
      if (!m) throw new Error(`__kbnBundles__ does not have a module defined for "${k}"`);
      return m.bundleRequire(m.key);
    },
  };
}

describe('browser bundle', () => {
  const run = (code: string, sharedDeps: Record<string, unknown> = {}) => {
    const bundles = kbnBundles();
    // The browser globals the app uses beyond JavaScript's own.
    vm.runInNewContext(code, { __kbnBundles__: bundles, __kbnSharedDeps__: sharedDeps, window: {}, URLSearchParams });
    return bundles.get(`plugin/${PLUGIN_ID}/public`) as { plugin: () => { setup(core: unknown): void } };
  };

  it("defines plugin/<id>/public, whose plugin() registers the app; mounting renders the EUI app with Kibana's React into the element", async () => {
    const code = zip.readAsText(`${PREFIX}target/public/${PLUGIN_ID}.plugin.js`);
    const apps: { id: string; title: string; mount(p: unknown): Promise<() => void> }[] = [];
    // Kibana's copies of the shared libraries, except react-dom's root: recorded instead of drawn.
    const roots: { element: unknown; tree: unknown; unmounted: boolean }[] = [];
    const ReactDom = {
      createRoot(element: unknown) {
        const root = { element, tree: null as unknown, unmounted: false, render: (t: unknown) => void (root.tree = t), unmount: () => void (root.unmounted = true) };
        roots.push(root);
        return root;
      },
    };
    const shared = { React, ReactDom, ElasticEui, ElasticCharts, EmotionReact, EmotionCache, Moment: moment };
    const calls: string[] = [];
    const http = { get: async (p: string) => (calls.push(p), new Promise(() => {})), post: async () => ({}), put: async () => ({}) };
    const theme = { theme$: { subscribe: (f: (t: { darkMode: boolean }) => void) => (f({ darkMode: true }), { unsubscribe() {} }) } };
    run(code, shared).plugin().setup({ application: { register: (app: (typeof apps)[number]) => apps.push(app) }, getStartServices: async () => [{ http, theme }, {}, {}] });
    assert.equal(apps.length, 1);
    assert.equal(apps[0].id, PLUGIN_ID);
    assert.equal(apps[0].title, 'Digital Fingerprinting');

    const element = { nodeType: 1 };
    const history = { location: { pathname: '/', search: '' }, push() {}, listen: () => () => {} };
    const unmount = await apps[0].mount({ element, history, appBasePath: '/app/digitalFingerprinting' });
    assert.equal(roots.length, 1);
    assert.equal(roots[0].element, element, 'the app renders into the element Kibana gives it');
    // The tree the bundle made, drawn with the same React and EUI (no DOM: server rendering): the
    // app's frame with its tabs, waiting for its first answers.
    const g = globalThis as Record<string, unknown>;
    g.HTMLElement = class {};
    try {
      const html = renderToStaticMarkup(roots[0].tree as React.ReactElement);
      assert.match(html, /Digital Fingerprinting/);
      assert.match(html, /data-test-subj="dfpTab-settings"/);
      assert.match(html, /Loading the app/);
    } finally {
      delete g.HTMLElement;
    }
    unmount();
    assert.ok(roots[0].unmounted, 'unmount unmounts the React root');
  });

  it('takes Kibana\'s shared dependencies from __kbnSharedDeps__ instead of bundling them', async () => {
    // A public entry importing shared deps, built the same way as the plugin's.
    const root = path.join(tmp, 'fixture');
    const fixture = path.join(root, 'public');
    rmSync(root, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(fixture, { recursive: true }));
    writeFileSync(path.join(fixture, 'index.ts'), "import React from 'react';\nimport { EuiButton } from '@elastic/eui';\nimport { map } from 'rxjs';\nexport const plugin = () => ({ React, EuiButton, map });\n");
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fixture', version: '1.0.0', dependencies: {} }));
    writeFileSync(path.join(root, 'kibana.jsonc'), JSON.stringify({ type: 'plugin', id: '@kbn/fixture', owner: 'x', plugin: { id: PLUGIN_ID, server: false, browser: true } }));
    const fixtureBuild = await buildPlugin({ kibanaVersion: '8.19.2', root, outDir: path.join(root, 'out'), zip: false });
    const code = readFileSync(path.join(fixtureBuild.pluginDir, 'target', 'public', `${PLUGIN_ID}.plugin.js`), 'utf8');
    const shared = { React: { marker: 'react' }, ElasticEui: { EuiButton: 'eui-button' }, Rxjs: { map: 'rxjs-map' } };
    const got = run(code, shared).plugin() as unknown as Record<string, unknown>;
    assert.equal(got.React, shared.React, "Kibana's React itself, not a copy");
    assert.equal(got.EuiButton, 'eui-button');
    assert.equal(got.map, 'rxjs-map');
    for (const name of ['react', 'react-dom', '@elastic/eui', '@elastic/charts', '@emotion/react', 'moment', 'lodash', 'rxjs', '@kbn/i18n']) assert.ok(SHARED_DEPS[name], `${name} is external`);
  });
});
