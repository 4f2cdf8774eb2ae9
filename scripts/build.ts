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
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import * as esbuild from 'esbuild';
import fg from 'fast-glob';
import { bundleBrowser } from './plugin_build/browser';
import { KIBANA_TARGETS, NEWEST_TARGET, SUPPORTED_VERSIONS, targetById, targetFor, type KibanaTarget } from './plugin_build/kibana_targets';
import { buildStandaloneApp } from './plugin_build/standalone_page';
import { readJson, readManifest, REPO_ROOT, writeCommittedManifest, type LegacyManifest } from './plugin_build/manifest';

const execFileAsync = promisify(execFile);

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
  /** The shared-dependency target the browser bundle was built and checked for. */
  target: KibanaTarget;
  zipPath?: string;
  zipBytes?: number;
}

export async function buildPlugin(opts: BuildOptions): Promise<BuildResult> {
  const root = opts.root ?? REPO_ROOT;
  const outDir = path.resolve(opts.outDir ?? path.join(root, 'build'));
  const log = opts.log ?? (() => {});
  // First: an unsupported version is refused before anything is built.
  const target = targetFor(opts.kibanaVersion);
  const pkgJson = readJson<{ name: string; version: string; description?: string; license?: string; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>(
    path.join(root, 'package.json'),
  );
  const manifest = await readManifest(root, pkgJson.version, opts.kibanaVersion);
  const pluginDir = path.join(outDir, 'kibana', manifest.id);
  await fs.rm(pluginDir, { recursive: true, force: true });
  await fs.mkdir(pluginDir, { recursive: true });

  log(`compiling server and common to CommonJS`);
  await compileServer(root, pluginDir);
  log(`bundling the browser plugin for Kibana ${target.id}'s shared dependencies`);
  await bundleBrowser(root, pluginDir, manifest.id, target);

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

  if (opts.zip === false) return { pluginDir, manifest, target };
  const zipPath = path.join(outDir, `${manifest.id}-${manifest.version}.zip`);
  log(`zipping`);
  const zip = new AdmZip();
  zip.addLocalFolder(pluginDir, `kibana/${manifest.id}`);
  await fs.rm(zipPath, { force: true });
  await zip.writeZipPromise(zipPath);
  return { pluginDir, manifest, target, zipPath, zipBytes: (await fs.stat(zipPath)).size };
}

/**
 * server/** and common/** to CommonJS, one output file per source file, in the same tree. The
 * AssemblyScript sources (assembly/) are not TypeScript for Node: their compiled form ships inside
 * the generated *_wasm.ts modules.
 */
async function compileServer(root: string, pluginDir: string): Promise<void> {
  const entryPoints = await fg(['server/**/*.ts', 'common/**/*.ts'], { cwd: root, ignore: ['**/*.d.ts', '**/*.test.ts', '**/assembly/**'], absolute: true });
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

async function main(argv: string[]): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  };
  if (argv.includes('--help')) {
    console.log(
      [
        `usage: npm run build -- --kibana-version X.Y.Z [--out-dir DIR]   (supported: Kibana ${SUPPORTED_VERSIONS})`,
        '       npm run build -- --manifest-only   (rewrites ./kibana.json for yarn plugin-helpers)',
        `       npm run build -- --standalone-app [--kibana ${KIBANA_TARGETS.map((t) => t.id).join('|')}]  (the app page npm run serve hosts at /, in target/standalone)`,
      ].join('\n'),
    );
    return;
  }
  if (argv.includes('--standalone-app')) {
    const target = targetById(arg('--kibana') ?? NEWEST_TARGET.id);
    const dir = await buildStandaloneApp({ outDir: arg('--out-dir') ?? path.join(REPO_ROOT, 'target', 'standalone'), target });
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
  console.log(`${result.zipPath} (${(result.zipBytes! / 1024 / 1024).toFixed(1)} MiB), browser bundle for Kibana ${result.target.id}'s shared dependencies`);
  console.log(`install: bin/kibana-plugin install file://${result.zipPath}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`build failed: ${e.message}`);
    process.exit(1);
  });
}
