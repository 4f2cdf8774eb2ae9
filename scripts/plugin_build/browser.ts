/**
 * The browser side of the build: the plugin bundle Kibana's bundle loader takes, with Kibana's
 * shared dependencies left external and everything else resolved for the target Kibana version.
 */
import path from 'node:path';
import * as esbuild from 'esbuild';
import { targetDir, type KibanaTarget } from './kibana_targets';

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
  '@elastic/eui-theme-borealis': 'ElasticEuiThemeBorealis',
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

/** Packages that must be one copy, the target's: React (and its JSX runtime), EUI and its theme, charts. */
const TARGET_PINNED = /^(react|react-dom|@elastic\/eui|@elastic\/eui-theme-borealis|@elastic\/charts|@emotion\/react|@emotion\/cache)(\/.*)?$/;

/**
 * Resolves React, EUI and charts (and anything under them) from the target's folder, whoever
 * imports them: a package npm hoisted to the root would otherwise reach the root's React and put
 * two Reacts on one page.
 */
const PINNED = Symbol('resolved for the target');

export function pinToTarget(target: KibanaTarget, root: string): esbuild.Plugin {
  return {
    name: `kibana-${target.id}-packages`,
    setup(build) {
      const resolveDir = targetDir(target, root);
      build.onResolve({ filter: TARGET_PINNED }, async (args) => {
        if (args.pluginData === PINNED) return undefined; // our own look-up below: esbuild's resolution
        const found = await build.resolve(args.path, { kind: args.kind, resolveDir, pluginData: PINNED });
        return found.errors.length > 0 ? { errors: found.errors } : found;
      });
    },
  };
}

/** Imports of Kibana's shared dependencies read `__kbnSharedDeps__`; `used` collects which. */
export function kbnSharedDeps(used: Set<string>): esbuild.Plugin {
  const names = Object.keys(SHARED_DEPS).map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return {
    name: 'kbn-shared-deps',
    setup(build) {
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
}

/** How every browser file is bundled: one minified IIFE for today's browsers, production React. */
export const BROWSER_BUNDLE = {
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
 * The browser bundle: registers public/index's exports with Kibana's bundle loader. What is not a
 * shared dependency (the JSX runtime above all) comes from the target's own packages. Fails when
 * the bundle takes a shared dependency the target Kibana does not provide; returns those it takes.
 */
export async function bundleBrowser(root: string, pluginDir: string, id: string, target: KibanaTarget): Promise<string[]> {
  const used = new Set<string>();
  const key = `plugin/${id}/public`;
  const entry = [
    `import * as publicEntry from './public/index';`,
    `const KEY = ${JSON.stringify(key)};`,
    // Kibana's loader calls the require function with the module key given last, and expects the module's exports.
    `__kbnBundles__.define(KEY, function (moduleKey) {`,
    `  if (moduleKey !== KEY) throw new Error('${id} bundle has no module ' + moduleKey);`,
    `  return publicEntry;`,
    `}, KEY);`,
  ].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: `${id}.plugin.entry.ts` },
    outfile: path.join(pluginDir, 'target', 'public', `${id}.plugin.js`),
    ...BROWSER_BUNDLE,
    // Shared deps first: they never resolve to a package.
    plugins: [kbnSharedDeps(used), pinToTarget(target, root)],
  });
  const lacking = [...used].filter((d) => !target.sharedDeps.includes(d));
  if (lacking.length > 0) {
    throw new Error(`the browser bundle takes ${lacking.join(', ')} from Kibana's shared dependencies, which Kibana ${target.id} does not provide (${targetDir(target, root)})`);
  }
  return [...used].sort();
}
