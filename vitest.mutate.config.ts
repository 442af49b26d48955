import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of the verification core: the pure core's own
 * tests, in-process and quick. No global set-up (nothing here starts a node process), no
 * browser, no network, not the simulator (seconds per run, and every mutant of a shared module
 * would pay them) and not the key vault's slow key derivation; `npm test` runs all of those.
 */
export default defineConfig({
  test: {
    include: [
      'tests/crypto/inputChecks.test.ts',
      'tests/crypto/vectors.test.ts',
      'tests/crypto/primitives.test.ts',
      'tests/crypto/wycheproof.test.ts',
      'tests/codec/**/*.test.ts',
      'tests/chain/**/*.test.ts',
      'tests/consensus/**/*.test.ts',
      'tests/light/**/*.test.ts',
    ],
    testTimeout: 60_000,
    reporters: ['default'],
  },
});
