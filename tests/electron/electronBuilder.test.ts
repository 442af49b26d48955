// The installers' configuration checked against electron-builder's own JSON schema (the one its
// CLI validates with), and the main process bundled for Electron: what can be checked without
// the Electron binary, which these machines cannot download.
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

describe('desktop packaging (Node)', () => {
  const config = load(readFileSync(resolve(ROOT, 'electron-builder.yml'), 'utf8')) as Record<
    string,
    unknown
  >;

  it("electron-builder.yml is valid against electron-builder's schema", () => {
    const schema = JSON.parse(
      readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // And a broken one is caught, so the check can fail.
    expect(validate({ ...config, linux: { target: 42 } })).toBe(false);
  });

  it('builds for Linux, Windows and macOS with the fuses set and icons from public/', () => {
    const targets = (os: string) =>
      ((config[os] as { target: string[] }).target ?? []).map((t) => t.toLowerCase());
    expect(targets('linux')).toEqual(['appimage', 'deb']);
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg']);
    expect(config.appId).toBe('org.freehold.wallet');
    expect(existsSync(resolve(ROOT, config.icon as string))).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('bundles the main process and the preload into the files the installers start', () => {
    execFileSync(process.execPath, ['--import', 'tsx', resolve(ROOT, 'electron/build.ts')], {
      cwd: ROOT,
    });
    const main = (config.extraMetadata as { main: string }).main;
    const bundle = readFileSync(resolve(ROOT, main), 'utf8');
    expect(bundle).toContain('registerSchemesAsPrivileged');
    expect(bundle).toContain('require("electron")');
    // The sandboxed preload is one file that requires nothing but electron, and exposes only
    // the LAN bridge and the lock signal.
    const preload = readFileSync(resolve(ROOT, 'dist/electron/preload.cjs'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect([...preload.matchAll(/exposeInMainWorld\("([^"]+)"/g)].map((m) => m[1])).toEqual([
      'freeholdLan',
      'freeholdShell',
    ]);
  });
});
