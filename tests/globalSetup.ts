// Vitest's global setup: bundles the scripts tests start as processes, once per run, so that no
// node process compiles TypeScript at start-up (see tests/helpers/cliBundle.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUNDLE_ENV, bundleScripts } from './helpers/cliBundle';

export default async function setup(): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'freehold-bundle-'));
  await bundleScripts(dir);
  // Test workers start after this and inherit the environment.
  process.env[BUNDLE_ENV] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
