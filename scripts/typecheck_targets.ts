/**
 * `npm run typecheck:kibana`: public/ type-checked against each supported Kibana version's own
 * React, EUI and charts types (kibana_targets/<id>/): the app must use nothing a version lacks
 * (React 17 has no `createRoot`; EUI 97 lacks components EUI 115 has). Each target gets a
 * tsconfig whose paths name exactly where that target's packages are installed, with no fallback
 * to the root's newer ones.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KIBANA_TARGETS, targetDir, type KibanaTarget } from './plugin_build/kibana_targets';
import { REPO_ROOT } from './plugin_build/manifest';

/** The modules the app may import, and where their types are. */
const TYPED_PACKAGES: Record<string, string> = {
  react: '@types/react',
  'react-dom': '@types/react-dom',
  '@elastic/eui': '@elastic/eui',
  '@elastic/charts': '@elastic/charts',
};

/** Entry points a React version may or may not have: mapped to the target's file, or to a module that exports nothing. */
const SUBPATHS: Record<string, string[]> = { react: ['jsx-runtime', 'jsx-dev-runtime'], 'react-dom': ['client', 'server'] };

/** The package's folder for this target: its own copy, else the one npm hoisted to the root. */
function packageDir(target: KibanaTarget, name: string): string {
  const own = path.join(targetDir(target), 'node_modules', name);
  return existsSync(path.join(own, 'package.json')) ? own : path.join(REPO_ROOT, 'node_modules', name);
}

function tsconfigFor(target: KibanaTarget, absent: string): object {
  // Exact mappings only: a `*` mapping that finds no file would fall back to the root's packages.
  const paths: Record<string, string[]> = {};
  for (const [module, pkg] of Object.entries(TYPED_PACKAGES)) {
    const dir = packageDir(target, pkg);
    paths[module] = [dir];
    for (const sub of SUBPATHS[module] ?? []) {
      const file = path.join(dir, `${sub}.d.ts`);
      paths[`${module}/${sub}`] = [existsSync(file) ? file : absent];
    }
  }
  return {
    extends: path.join(REPO_ROOT, 'tsconfig.json'),
    compilerOptions: { paths, typeRoots: [path.dirname(packageDir(target, '@types/react'))], types: [] },
    include: [path.join(REPO_ROOT, 'public', '**', '*.ts'), path.join(REPO_ROOT, 'public', '**', '*.tsx')],
  };
}

/** Type-checks public/ (and `extraFiles`, for tests) against the target; throws with tsc's report. */
export async function typecheckTarget(target: KibanaTarget, extraFiles: string[] = []): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `dfp-tsc-${target.id}-`));
  const absent = path.join(dir, 'absent.d.ts');
  writeFileSync(absent, `// A module this Kibana's React does not have: importing anything from it is an error.\nexport {};\n`);
  const config = path.join(dir, 'tsconfig.json');
  const tsconfig = tsconfigFor(target, absent) as { include: string[] };
  tsconfig.include.push(...extraFiles);
  writeFileSync(config, JSON.stringify(tsconfig, null, 2));
  const tsc = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsc');
  try {
    await promisify(execFile)(tsc, ['--noEmit', '-p', config], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    const out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}`.trim();
    throw new Error(`public/ does not compile against Kibana ${target.id}'s shared dependencies:\n${out}`);
  }
}

async function main(): Promise<void> {
  for (const target of KIBANA_TARGETS) {
    await typecheckTarget(target);
    console.log(`public/ compiles against Kibana ${target.id}'s React, EUI and charts`);
  }
}

if (require.main === module) {
  main().catch((e: Error) => {
    console.error(e.message);
    process.exit(1);
  });
}
