// Block pacing of a lone validator (real libp2p with no peers, in-memory store): a transaction
// that cannot go into a block (its sender has nothing) does not end the pause between blocks,
// so junk cannot make blocks come back to back. Timers never fire early, so every gap between
// two commits is at least the interval however slow the machine.
import { afterEach, describe, expect, it } from 'vitest';
import { signTransaction } from '../../src/chain/transaction';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { testGenesis, testKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

const INTERVAL_MS = 150;

describe('block pacing (real libp2p with no peers, in-memory store)', () => {
  let node: FreeholdNode | undefined;
  afterEach(async () => {
    await node?.stop();
    node = undefined;
  });

  it('keeps the pause when the only waiting transaction cannot apply', async () => {
    const validator = testKey('pacing validator');
    const pauper = testKey('pacing pauper'); // no balance at genesis
    const commits: number[] = [];
    node = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork(),
      verifier: nobleVerifier,
      blockIntervalMs: INTERVAL_MS,
      onEvent: (e) => {
        if (e.type === 'committed') commits.push(performance.now());
      },
    });
    const chain = await node.join(testGenesis([validator]), 'validator', {
      publicKey: validator.publicKey,
      sign: (m) => sign(m, validator.secretKey),
    });
    while (commits.length < 2) await new Promise((r) => setTimeout(r, 20));
    const junk = signTransaction(
      {
        chainId: chain.chainId,
        sender: pauper.publicKey,
        nonce: 0,
        body: { kind: 'transfer', asset: 'COIN', to: validator.publicKey, amount: 5n },
      },
      (m) => sign(m, pauper.secretKey),
    );
    const from = commits.length;
    await chain.submit(junk);
    expect(chain.status().mempool).toBe(1);
    while (commits.length < from + 6) await new Promise((r) => setTimeout(r, 20));
    const gaps = commits.slice(from).map((t, i) => t - commits[from + i - 1]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - 1);
    expect(chain.balance(pauper.publicKey, 'COIN')).toBe(0n);
  });
});
