// The Kibana versions the plugin is built for: which version maps to which shared-dependency
// target, the refusal of any other, the bundle built per target (React 17's legacy mount where
// Kibana's ReactDom has no createRoot), the check that a bundle takes nothing its Kibana lacks,
// and public/ type-checked against each version's own React, EUI and charts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { buildPlugin } from '../scripts/build';
import { bundleBrowser } from '../scripts/plugin_build/browser';
import { KIBANA_TARGETS, SUPPORTED_VERSIONS, targetById, targetFor } from '../scripts/plugin_build/kibana_targets';
import { typecheckTarget } from '../scripts/typecheck_targets';
import { PLUGIN_ID } from '../common/fields';

const ROOT = path.resolve(__dirname, '..');
let tmp: string;
before(() => void (tmp = mkdtempSync(path.join(os.tmpdir(), 'dfp-targets-'))));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('Kibana versions', () => {
  it('maps each supported release to its shared-dependency target', () => {
    assert.equal(targetFor('8.17.0').id, '8.17');
    assert.equal(targetFor('8.17.4').id, '8.17');
    assert.equal(targetFor('8.19.2').id, '8.19');
    assert.equal(targetFor('9.4.1').id, '9.4');
    assert.equal(targetFor('8.17.0').react, 17);
    assert.equal(targetFor('9.4.0').defaultTheme, 'borealis');
  });

  it('refuses a version outside the tested range, listing the supported ones', () => {
    for (const v of ['7.17.0', '8.16.3', '8.18.0', '9.0.0', '10.0.0']) {
      assert.throws(() => targetFor(v), (e: Error) => e.message.includes(`Kibana ${v} is outside the tested range`) && e.message.includes(SUPPORTED_VERSIONS), v);
    }
    assert.equal(SUPPORTED_VERSIONS, KIBANA_TARGETS.map((t) => `${t.minors[0]}.x`).join(', '));
    assert.throws(() => targetFor('8.17'), /x\.y\.z/);
    assert.throws(() => targetById('7.10'), /no Kibana target "7.10"/);
  });

  it('npm run build refuses an unsupported version before building anything', async () => {
    const out = path.join(tmp, 'refused');
    await assert.rejects(buildPlugin({ kibanaVersion: '9.0.0', outDir: out }), new RegExp(`tested on Kibana ${SUPPORTED_VERSIONS.replace(/\./g, '\\.')}`));
    const cli = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'build.ts'), '--kibana-version', '8.18.1', '--out-dir', out]).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, /Kibana 8\.18\.1 is outside the tested range: the plugin is tested on Kibana 8\.17\.x, 8\.19\.x, 9\.4\.x/);
  });
});

/** Kibana's bundle loader (its bootstrap template's kbnBundlesLoader), as a bundle sees it. */
function runBundle(code: string, sharedDeps: Record<string, unknown>): { plugin: () => { setup(core: unknown): void } } {
  const modules = new Map<string, () => unknown>();
  const bundles = { define: (key: string, req: (k: string) => unknown, k: string) => modules.set(key, () => req(k)), get: (key: string) => modules.get(key)!() };
  vm.runInNewContext(code, { __kbnBundles__: bundles, __kbnSharedDeps__: sharedDeps, window: {}, URLSearchParams });
  return bundles.get(`plugin/${PLUGIN_ID}/public`) as ReturnType<typeof runBundle>;
}

describe('the browser bundle per Kibana version', () => {
  it("mounts with React 17's render where Kibana's ReactDom has no createRoot (8.17), and unmounts", async () => {
    const built = await buildPlugin({ kibanaVersion: '8.17.0', outDir: path.join(tmp, 'b817'), zip: false });
    assert.equal(built.target.id, '8.17');
    const code = readFileSync(path.join(built.pluginDir, 'target', 'public', `${PLUGIN_ID}.plugin.js`), 'utf8');
    // Kibana 8.17's ReactDom, as far as mounting goes: render / unmountComponentAtNode only.
    const calls: string[] = [];
    const ReactDom = { render: (_tree: unknown, el: { id: string }) => void calls.push(`render ${el.id}`), unmountComponentAtNode: (el: { id: string }) => (calls.push(`unmount ${el.id}`), true) };
    const React17 = require(path.join(ROOT, 'kibana_targets', '8.17', 'node_modules', 'react'));
    const apps: { mount(p: unknown): Promise<() => void> }[] = [];
    const contexts: unknown[] = [];
    // Kibana's rendering service wraps the app in Kibana's render context: the app must go through it.
    const rendering = { addContext: (el: unknown) => (contexts.push(el), React17.createElement('div', null, el)) };
    runBundle(code, { React: React17, ReactDom, ElasticEui: {}, ElasticCharts: {} })
      .plugin()
      .setup({ application: { register: (app: (typeof apps)[number]) => apps.push(app) }, getStartServices: async () => [{ http: {}, rendering }, {}, {}] });
    const unmount = await apps[0].mount({ element: { id: 'app-root' }, history: { location: { pathname: '/', search: '' }, push() {}, listen: () => () => {} } });
    assert.deepEqual(calls, ['render app-root']);
    assert.equal(contexts.length, 1, "the app renders inside Kibana's render context");
    unmount();
    assert.deepEqual(calls, ['render app-root', 'unmount app-root']);
  });

  it("bundles the target React's own JSX runtime (React 17 for 8.17, 18 for 9.4), never a React itself", async () => {
    const jsx = async (version: string): Promise<string> => {
      const built = await buildPlugin({ kibanaVersion: version, outDir: path.join(tmp, `jsx-${version}`), zip: false });
      return readFileSync(path.join(built.pluginDir, 'target', 'public', `${PLUGIN_ID}.plugin.js`), 'utf8');
    };
    const [old, newest] = await Promise.all([jsx('8.17.0'), jsx('9.4.0')]);
    // React 17's runtime falls back to numeric element tags where Symbol.for is missing; 18's does not.
    assert.match(old, /60103/);
    assert.doesNotMatch(newest, /60103/);
    for (const code of [old, newest]) assert.doesNotMatch(code, /__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED\s*=|react-dom\.production/, 'no React or ReactDom of its own');
  });

  it('refuses a bundle that takes a shared dependency its Kibana lacks', async () => {
    const root = path.join(tmp, 'fixture');
    mkdirSync(path.join(root, 'public'), { recursive: true });
    writeFileSync(path.join(root, 'public', 'index.ts'), "import { EuiThemeBorealis } from '@elastic/eui-theme-borealis';\nexport const plugin = () => ({ EuiThemeBorealis });\n");
    await assert.rejects(bundleBrowser(root, path.join(root, 'out'), PLUGIN_ID, targetById('8.17')), /takes @elastic\/eui-theme-borealis from Kibana's shared dependencies, which Kibana 8\.17 does not provide/);
    const used = await bundleBrowser(root, path.join(root, 'out'), PLUGIN_ID, targetById('9.4'));
    assert.deepEqual(used, ['@elastic/eui-theme-borealis']);
  });
});

describe("public/ against each version's own types", () => {
  it('compiles against every supported version', async () => {
    for (const target of KIBANA_TARGETS) await typecheckTarget(target);
  });

  it("fails where the code uses what a version lacks: React 18's createRoot on 8.17, a newer EUI component on 8.17 and 8.19", async () => {
    const probe = path.join(tmp, 'probe.ts');
    writeFileSync(probe, "import { createRoot } from 'react-dom/client';\nimport { EuiSplitButton } from '@elastic/eui';\nexport const used = [createRoot, EuiSplitButton];\n");
    await assert.rejects(typecheckTarget(targetById('8.17'), [probe]), (e: Error) => /no exported member 'createRoot'/.test(e.message) && /no exported member 'EuiSplitButton'/.test(e.message));
    await assert.rejects(typecheckTarget(targetById('8.19'), [probe]), (e: Error) => !/createRoot/.test(e.message) && /EuiSplitButton/.test(e.message));
    await typecheckTarget(targetById('9.4'), [probe]);
  });
});
