/**
 * The plugin's manifests: kibana.jsonc (Kibana's package manifest, our source of truth) and the
 * legacy kibana.json a third-party install needs, with exactly the keys Kibana accepts.
 */
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository this build runs in. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

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

export interface PackageManifest {
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

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Writes ./kibana.json for `yarn plugin-helpers build` inside a Kibana checkout. */
export async function writeCommittedManifest(root = REPO_ROOT): Promise<string> {
  const pkgJson = readJson<{ version: string }>(path.join(root, 'package.json'));
  const manifest = await readManifest(root, pkgJson.version, 'kibana');
  const file = path.join(root, 'kibana.json');
  await fs.writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return file;
}

/** The legacy manifest of the plugin in `root` (kibana.jsonc), for a version and a Kibana version. */
export async function readManifest(root: string, version: string, kibanaVersion: string): Promise<LegacyManifest> {
  return legacyManifest(parseJsonc(await fs.readFile(path.join(root, 'kibana.jsonc'), 'utf8')) as PackageManifest, version, kibanaVersion);
}
