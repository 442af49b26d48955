// C: under Vitest, the processes tests start run from the bundle made by the global setup, and
// the bundle is the real CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGenesis } from '../../src/chain/genesis';
import { encode } from '../../src/codec/cbor';
import { getPublicKey } from '../../src/crypto/ed25519';
import { BUNDLE_ENV, BUNDLED_SCRIPTS, scriptArgs } from './cliBundle';

const dir = mkdtempSync(join(tmpdir(), 'freehold-bundle-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('C: test processes start from a bundle', () => {
  it('C: every script a test starts runs from the bundle, without tsx', () => {
    const bundles = process.env[BUNDLE_ENV];
    expect(bundles).toBeTruthy();
    for (const script of BUNDLED_SCRIPTS) {
      const args = scriptArgs(script);
      expect(args).toHaveLength(1);
      expect(args[0]!.startsWith(bundles!)).toBe(true);
      expect(args[0]).toMatch(/\.mjs$/);
    }
  });

  it('C: the bundled CLI works (prints an invite for a genesis file)', () => {
    const key = getPublicKey(new Uint8Array(32).fill(7));
    const genesisFile = join(dir, 'genesis.cbor');
    writeFileSync(
      genesisFile,
      encode(
        createGenesis({
          name: 'Bundled',
          genesisTime: 1_790_000_000_000,
          validators: [{ key, power: 1, name: 'v' }],
          assets: [],
          balances: [],
        }),
      ),
    );
    const run = spawnSync(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        ...scriptArgs('src/cli/main.ts'),
        'invite',
        '--genesis',
        genesisFile,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toMatch(/^freehold:[A-Za-z0-9_-]+$/);
  });
});
