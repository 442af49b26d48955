/**
 * Mutation testing of the verification core (`npm run mutate`): every rule that decides what a
 * node accepts from a peer or a user should have a test that fails when the rule is broken.
 * Not part of `npm test`; the report lands in reports/ (ignored by git). StrykerJS itself is
 * installed in tools/mutation (see its package.json), so its options are not type-checked here.
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './tests/mutation/messageWording.ts'],
  // The only exclusion: mutants that change an error message's wording and nothing else.
  ignorers: ['message-wording'],
  mutate: [
    // Crypto verification: signatures and keys as received.
    'src/crypto/ed25519.ts',
    'src/crypto/didKey.ts',
    'src/crypto/hash.ts',
    'src/crypto/bytes.ts',
    // Codec: what bytes from a peer decode to, and the limits on them.
    'src/codec/**/*.ts',
    // Chain rules: blocks, transactions, state, governance.
    'src/chain/**/*.ts',
    // Consensus: certificates, messages, proposer choice, the engine.
    'src/consensus/**/*.ts',
    // Light client.
    'src/light/**/*.ts',
  ],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['html', 'json', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: 'reports/.stryker-tmp',
  concurrency: 2,
  timeoutMS: 20_000,
  thresholds: { high: 90, low: 80, break: null },
  cleanTempDir: 'always',
};
