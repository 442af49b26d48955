// A block over 4 MiB (the length-prefixed encoder's default cap) is committed by a validator and
// then synced by a node that joins afterwards, over real libp2p on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf, encodeBlock } from '../../src/chain/block';
import { entryName } from '../../src/chain/stateEntries';
import { ChainState } from '../../src/chain/ChainState';
import { chainIdOf } from '../../src/chain/genesis';
import { encodeTransaction, signTransaction, txIdOf } from '../../src/chain/transaction';
import { bytesToHex } from '../../src/crypto/bytes';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { GENESIS_TIME, testGenesis, testKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

const RECORDS = 950;

async function until(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('a block over 4 MiB (real libp2p on loopback, in-memory stores)', () => {
  const nodes: FreeholdNode[] = [];
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
  });

  it('A1: is committed by the validators, then synced by a node that joins later', async () => {
    const validator = testKey('large block validator');
    const author = testKey('large block author');
    const genesis = testGenesis([validator]);
    const chainId = chainIdOf(genesis);
    // Records of about 4.9 KB (16 full metadata entries): 950 of them weigh about 4.6 MB.
    const metadata: Record<string, string> = {};
    for (let i = 0; i < 16; i++) metadata[`entry-${i}`.padEnd(32, '.')] = 'x'.repeat(256);
    const txs = Array.from({ length: RECORDS }, (_, nonce) =>
      signTransaction(
        {
          chainId,
          sender: author.publicKey,
          nonce,
          body: {
            kind: 'registerRecord',
            recordId: `parcel-${nonce}`,
            contentHash: new Uint8Array(32),
            metadata,
          },
        },
        (m) => sign(m, author.secretKey),
      ),
    );
    // A validator restarting with all of them in its outbox puts them into one proposal.
    const store = createMemoryChainStore();
    await store.addChain(
      { chainId, genesis, role: 'validator', label: '', joinedAt: GENESIS_TIME },
      ChainState.fromGenesis(genesis).diff,
    );
    for (const tx of txs) {
      await store.putOutbox({
        txId: txIdOf(tx),
        chainId,
        bytes: encodeTransaction(tx),
        status: 'queued',
        attempts: 0,
        nextAttemptAt: 0,
        createdAt: 0,
        reason: '',
      });
    }
    const v = createNode({
      store,
      network: await loopbackNetwork(),
      verifier: nobleVerifier,
      maxTransactionsPerBlock: 2000,
    });
    nodes.push(v);
    const chain = await v.join(genesis, 'validator', {
      publicKey: validator.publicKey,
      sign: (m) => sign(m, validator.secretKey),
    });
    const last = entryName.record(`parcel-${RECORDS - 1}`);
    await until(() => chain.read(last) !== undefined, 120_000);
    expect(chain.read(last)).toBeDefined();

    let largest = { height: 0, bytes: 0, hash: '' };
    for (let h = 1; h <= chain.status().height; h++) {
      const block = await chain.block(h);
      if (!block) continue; // the state can be a step ahead of the store
      const bytes = encodeBlock(block).length;
      if (bytes > largest.bytes)
        largest = { height: h, bytes, hash: bytesToHex(blockHashOf(block.header)) };
    }
    expect(largest.bytes).toBeGreaterThan(4 * 1024 * 1024);

    // Far enough behind that only the sync protocol has the block, not recent gossip.
    await until(() => chain.status().height >= largest.height + 5, 60_000);
    const f = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork([v.network.addresses()[0]!]),
      verifier: nobleVerifier,
    });
    nodes.push(f);
    const follower = await f.join(genesis, 'full');
    // Stored, not only executed: catch-up writes a run after executing it.
    await until(async () => (await follower.block(largest.height)) !== undefined, 60_000);
    expect(follower.status().height).toBeGreaterThanOrEqual(largest.height);
    const synced = (await follower.block(largest.height))!;
    expect(bytesToHex(blockHashOf(synced.header))).toBe(largest.hash);
    expect(follower.read(last)).toEqual(chain.read(last));
  }, 300_000);
});
