/**
 * The Kibana versions the plugin is built for and tested on, and the shared browser dependencies
 * each hands its plugins. A bundle never brings its own React, EUI or charts: it runs on the
 * target's (DESIGN.md section 3), so each target's versions are installed side by side in
 * kibana_targets/<id>/ (npm workspaces), the app is type-checked against them
 * (kibana_targets/<id>/tsconfig.json) and the browser tests mount it on them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './manifest';

export interface KibanaTarget {
  /** The folder under kibana_targets/ holding this target's packages. */
  id: string;
  /** Kibana minor versions this target is (x.y: any patch of them). */
  minors: string[];
  /** Kibana's React major: 17 has no `createRoot`. */
  react: 17 | 18;
  /** The theme Kibana renders by default. */
  defaultTheme: 'amsterdam' | 'borealis';
  /**
   * Which of Kibana's shared-dependency names (kbn-ui-shared-deps-src `externals`) this version
   * provides, of those a plugin might take; a bundle taking one it lacks would read `undefined`.
   */
  sharedDeps: readonly string[];
}

/** Every version since 8.x has these (kbn-ui-shared-deps-src definitions). */
const COMMON_SHARED_DEPS = [
  'react',
  'react-dom',
  'react-dom/server',
  'react-router',
  'react-router-dom',
  '@elastic/eui',
  '@elastic/charts',
  '@emotion/react',
  '@emotion/cache',
  'moment',
  'moment-timezone',
  'lodash',
  'lodash/fp',
  'rxjs',
  '@kbn/i18n',
  '@kbn/i18n-react',
  '@kbn/ui-theme',
  '@tanstack/react-query',
  'classnames',
  'history',
  'uuid',
  'tslib',
] as const;

/** Oldest first. Versions: README "Kibana versions" (where each was read). */
export const KIBANA_TARGETS: readonly KibanaTarget[] = [
  { id: '8.17', minors: ['8.17'], react: 17, defaultTheme: 'amsterdam', sharedDeps: COMMON_SHARED_DEPS },
  { id: '8.19', minors: ['8.19'], react: 18, defaultTheme: 'amsterdam', sharedDeps: [...COMMON_SHARED_DEPS, '@elastic/eui-theme-borealis'] },
  { id: '9.4', minors: ['9.4'], react: 18, defaultTheme: 'borealis', sharedDeps: [...COMMON_SHARED_DEPS, '@elastic/eui-theme-borealis'] },
];

export const OLDEST_TARGET = KIBANA_TARGETS[0];
export const NEWEST_TARGET = KIBANA_TARGETS[KIBANA_TARGETS.length - 1];

/** "8.17.x, 8.19.x, 9.4.x": what the error for an unsupported version lists. */
export const SUPPORTED_VERSIONS = KIBANA_TARGETS.flatMap((t) => t.minors.map((m) => `${m}.x`)).join(', ');

/** The target a Kibana version runs on; an error listing the supported ones for any other. */
export function targetFor(kibanaVersion: string): KibanaTarget {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(kibanaVersion);
  if (!m) throw new Error(`--kibana-version must be a Kibana release as x.y.z (e.g. 8.17.0), got "${kibanaVersion}"`);
  const minor = `${Number(m[1])}.${Number(m[2])}`;
  const target = KIBANA_TARGETS.find((t) => t.minors.includes(minor));
  if (!target) {
    throw new Error(
      `Kibana ${kibanaVersion} is outside the tested range: the plugin is tested on Kibana ${SUPPORTED_VERSIONS} (each version's own React, EUI and charts). ` +
        `Build for one of those, or add the version to scripts/plugin_build/kibana_targets.ts with its shared dependencies in kibana_targets/`,
    );
  }
  return target;
}

export function targetById(id: string): KibanaTarget {
  const target = KIBANA_TARGETS.find((t) => t.id === id);
  if (!target) throw new Error(`no Kibana target "${id}": the targets are ${KIBANA_TARGETS.map((t) => t.id).join(', ')}`);
  return target;
}

/** kibana_targets/<id>: the target's package.json and (after npm ci) its own node_modules. */
export function targetDir(target: KibanaTarget, root = REPO_ROOT): string {
  return path.join(root, 'kibana_targets', target.id);
}

/** The installed version of a package for this target. */
export function targetPackageVersion(target: KibanaTarget, name: string, root = REPO_ROOT): string {
  const dir = targetDir(target, root);
  const own = path.join(dir, 'node_modules', name, 'package.json');
  const file = existsSync(own) ? own : path.join(root, 'node_modules', name, 'package.json');
  return (require(file) as { version: string }).version;
}
