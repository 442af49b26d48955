import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['node_modules'],
    // Bundles the CLI once, so node processes started by tests do not compile at start-up.
    globalSetup: ['tests/globalSetup.ts'],
    testTimeout: 60_000,
    // expect.poll waits this long by default: long enough for a block on a busy machine.
    expect: { poll: { timeout: 20_000, interval: 100 } },
    reporters: ['default'],
  },
});
