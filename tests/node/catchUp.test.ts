// A full node catching up through the sync protocol from a peer that serves a prepared chain,
// over real libp2p on loopback (TCP, both ends in this process). Blocks arrive in runs vouched
// for by the certificate of their last block; a run with anything wrong in it is refused whole
// and the peer is faulted.
import { afterEach, describe, expect, it } from 'vitest';
import { blockHashOf, type Block } from '../../src/chain/block';
import { bytesToHex } from '../../src/crypto/bytes';
import { nobleVerifier } from '../../src/crypto/ed25519';
import type { NodeEvent } from '../../src/node/createChainNode';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';
import type { CommitCertificate } from '../../src/chain/block';
import { loopbackNetwork } from '../helpers/loopbackNetwork';
import { servingPeer } from '../helpers/servingPeer';

const HEIGHT = 12;

function preparedChain(): TestChain {
  const validators = [0, 1, 2, 3].map((i) => testKey(`catch-up test validator ${i}`));
  const chain = new TestChain(testGenesis(validators), validators[0]!);
  for (let h = 1; h <= HEIGHT; h++) {
    const from = validators[h % 4]!;
    const to = validators[(h + 1) % 4]!;
    chain.commit([
      chain.tx(from, { kind: 'transfer', asset: 'COIN', to: to.publicKey, amount: 5n }),
    ]);
  }
  return chain;
}

describe('catch-up from a peer (real libp2p on loopback, in-memory stores)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  async function joinFrom(
    chain: TestChain,
    blocks: Block[],
    certificates: CommitCertificate[],
  ): Promise<{ node: FreeholdNode; events: NodeEvent[]; settled: Promise<NodeEvent> }> {
    const peer = await servingPeer(blocks, certificates);
    cleanup.push(() => peer.stop());
    const events: NodeEvent[] = [];
    let settle: (e: NodeEvent) => void = () => undefined;
    const settled = new Promise<NodeEvent>((r) => (settle = r));
    const node = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork([peer.addresses()[0]!]),
      verifier: nobleVerifier,
      onEvent: (e) => {
        events.push(e);
        if ((e.type === 'synced' && e.to === HEIGHT) || e.type === 'peerFault') settle(e);
      },
    });
    cleanup.push(() => node.stop());
    await node.join(chain.genesis, 'full');
    return { node, events, settled };
  }

  const certificatesOf = (chain: TestChain): CommitCertificate[] =>
    chain.lightBlocks.map((l) => l.commit);

  it('takes a certified chain and ends on its head', async () => {
    const chain = preparedChain();
    const { node, events, settled } = await joinFrom(chain, chain.blocks, certificatesOf(chain));
    expect((await settled).type).toBe('synced');
    const status = node.status()[0]!;
    expect(status.height).toBe(HEIGHT);
    expect(status.hash).toBe(bytesToHex(blockHashOf(chain.head!)));
    expect(events.filter((e) => e.type === 'peerFault')).toEqual([]);
  });

  it('refuses a run whose transaction was altered, and faults the peer', async () => {
    const chain = preparedChain();
    const blocks = chain.blocks.map((b, i) => {
      if (i !== 4) return b;
      const tx = b.transactions[0]!;
      const body = { ...tx.tx.body, amount: 500n } as typeof tx.tx.body;
      return { ...b, transactions: [{ ...tx, tx: { ...tx.tx, body } }] };
    });
    const { node, settled } = await joinFrom(chain, blocks, certificatesOf(chain));
    const fault = await settled;
    expect(fault.type).toBe('peerFault');
    expect(fault.type === 'peerFault' && fault.reason).toMatch(/^sync: .*transaction root/);
    expect(node.status()[0]!.height).toBe(0);
  });

  it('refuses a run whose last certificate does not verify, and faults the peer', async () => {
    const chain = preparedChain();
    const certificates = certificatesOf(chain).map((c, i) => {
      if (i !== HEIGHT - 1) return c;
      const signature = c.signatures[0]!.signature.slice();
      signature[5]! ^= 1;
      return { ...c, signatures: [{ ...c.signatures[0]!, signature }, ...c.signatures.slice(1)] };
    });
    const { node, settled } = await joinFrom(chain, chain.blocks, certificates);
    expect(await settled).toMatchObject({ type: 'peerFault' });
    expect(node.status()[0]!.height).toBe(0);
  });
});
