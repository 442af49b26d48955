// The processes tests start (`freehold node`, `freehold start`, the LAN's bad peer) run from one
// esbuild bundle per script, made once per test run by the global setup. Started through tsx,
// each process resolved and compiled hundreds of modules at start-up: about 2 s of CPU per
// node, 8–12 s of wall time on a loaded 2-core machine, enough to miss a LAN test's deadline.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** Where the global setup put the bundles; unset outside Vitest (then tsx runs the source). */
export const BUNDLE_ENV = 'FREEHOLD_TEST_BUNDLE';

/** The scripts tests run as processes, relative to the repository root. */
export const BUNDLED_SCRIPTS = ['src/cli/main.ts', 'tests/net/badPeer.ts'] as const;

const bundleOf = (dir: string, script: string): string =>
  join(dir, script.replace(/\.ts$/, '.mjs'));

/** Bundles every script, with its dependencies, into `dir` (mirroring the source paths). */
export async function bundleScripts(dir: string): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [...BUNDLED_SCRIPTS],
    outbase: ROOT,
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'warning',
    // CommonJS dependencies call require(); an ES module bundle has none of its own.
    banner: {
      js: "import { createRequire as freeholdRequire } from 'node:module'; const require = freeholdRequire(import.meta.url);",
    },
  });
}

/** Node's arguments to run `script` (a path from the root): the bundle if built, else tsx. */
export function scriptArgs(script: string): string[] {
  const dir = process.env[BUNDLE_ENV];
  const bundle = dir && bundleOf(dir, script);
  return bundle && existsSync(bundle) ? [bundle] : ['--import', 'tsx', join(ROOT, script)];
}
