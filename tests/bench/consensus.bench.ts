// Consensus: simulated finality latency under a fixed network model, and certificate
// verification for 21 validators on the noble-only path and the fastest correct path.
import { blockHashOf } from '../../src/chain/block';
import { createWebCryptoVerifier } from '../../src/crypto/ed25519';
import { ed25519 } from '@noble/curves/ed25519.js';
import { prepareCommit, verifyCommit, verifyCommitBatch } from '../../src/consensus/verifyCommit';
import { CALM_NETWORK, optionsForSeed, simulate, SIM_TIMEOUTS } from '../sim/simulate';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';
import { median, report, round } from './report';

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function finalityBench(validators: number): Promise<void> {
  const delayMs = 10; // every message takes exactly 10 ms: one round is ~3 delays
  const samples: number[] = [];
  for (let seed = 1; seed <= 3; seed++) {
    const result = await simulate(
      optionsForSeed(seed, {
        validators,
        ...CALM_NETWORK,
        minDelayMs: delayMs,
        maxDelayMs: delayMs,
        transactions: 10,
        blocksAfterHeal: 5,
      }),
    );
    if (result.violations.length) throw new Error(result.violations.join('; '));
    samples.push(...result.finalityMs);
  }
  report({
    bench: `consensus.finality.sim.${validators}`,
    value: percentile(samples, 50),
    unit: 'virtual ms',
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    samples: samples.length,
    network: `fixed ${delayMs} ms per message, no faults`,
    one_round_ms: 3 * delayMs,
    timeouts: SIM_TIMEOUTS,
  });
}

async function certificateBench(): Promise<void> {
  const keys = Array.from({ length: 21 }, (_, i) => testKey(`bench-cert-${i}`));
  const chain = new TestChain(testGenesis(keys), keys[0]!, keys);
  for (let i = 0; i < 50; i++) chain.commit();
  const blocks = chain.lightBlocks;
  const expected = (i: number) => ({
    chainId: chain.chainId,
    height: blocks[i]!.header.height,
    blockHash: blockHashOf(blocks[i]!.header),
  });
  const time = async (run: () => Promise<void> | void): Promise<number> => {
    await run(); // warm up
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) {
      const start = performance.now();
      await run();
      runs.push(performance.now() - start);
    }
    return blocks.length / (median(runs) / 1000);
  };
  // Plain noble (ed25519.verify, strict): the baseline the issue names "the noble-only path".
  const plain = await time(() =>
    blocks.forEach((b, i) => {
      for (const item of prepareCommit(b.commit, b.validators, expected(i))) {
        if (!ed25519.verify(item.signature, item.message, item.publicKey, { zip215: false })) {
          throw new Error('a valid certificate failed');
        }
      }
    }),
  );
  report({
    bench: 'consensus.certificate.verify.noble_plain',
    value: round(plain),
    unit: 'headers/s',
    validators: 21,
  });
  // Freehold's noble path: the same rule with per-key precomputed tables for validators.
  const noble = await time(() =>
    blocks.forEach((b, i) => verifyCommit(b.commit, b.validators, expected(i))),
  );
  report({
    bench: 'consensus.certificate.verify.noble',
    value: round(noble),
    unit: 'headers/s',
    validators: 21,
    note: 'per-key precomputed tables',
  });
  const native = await createWebCryptoVerifier();
  if (!native) return;
  const fast = await time(async () => {
    await Promise.all(
      blocks.map((b, i) => verifyCommitBatch(b.commit, b.validators, expected(i), native)),
    );
  });
  report({
    bench: 'consensus.certificate.verify.webcrypto',
    value: round(fast),
    unit: 'headers/s',
    validators: 21,
    ratio_vs_noble_plain: round(fast / plain, 2),
    ratio_vs_noble: round(fast / noble, 2),
    target_ratio: 10,
  });
}

export async function consensusBenches(): Promise<void> {
  for (const n of [4, 7, 21]) await finalityBench(n);
  await certificateBench();
  await throughputBench();
}

/**
 * Committed throughput with 4 validators in one process, wall clock: from the nodes' start
 * (transactions signed beforehand by their senders, delivered at once) until every one is in a
 * committed block. Nodes admit transactions through their verdict caches with WebCrypto.
 */
export async function throughputBench(): Promise<void> {
  const verifier = await createWebCryptoVerifier();
  const transactions = 4000;
  let doneAt = 0;
  let start = 0;
  const result = await simulate(
    optionsForSeed(1, {
      validators: 4,
      ...CALM_NETWORK,
      minDelayMs: 1,
      maxDelayMs: 2,
      transactions,
      users: 100,
      submitAllAtStart: true,
      maxTransactionsPerBlock: 2000,
      blocksAfterHeal: 1,
      ...(verifier && { verifier }),
      onStarted: () => (start = performance.now()),
      onAllCommitted: () => (doneAt = performance.now()),
    }),
  );
  if (result.violations.length || doneAt === 0)
    throw new Error(`throughput run failed: ${result.violations.join('; ')}`);
  const seconds = (doneAt - start) / 1000;
  report({
    bench: 'consensus.throughput.4',
    value: round(transactions / seconds),
    unit: 'tx/s',
    transactions,
    validators: 4,
    includes: 'admission, proposing, validation and execution by every node, store writes',
    excludes: 'signing by the senders, done before the nodes start',
    target: 1000,
  });
}
