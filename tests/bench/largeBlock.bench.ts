// The largest block that syncs: a block filled to the proposer's byte budget, served by a peer
// and taken by a node that joins afterwards, over real libp2p on loopback (in-memory stores).
import { BLOCK_BYTE_BUDGET, encodeBlock, type Block } from '../../src/chain/block';
import type { CommitCertificate } from '../../src/chain/block';
import { nobleVerifier } from '../../src/crypto/ed25519';
import { createNode } from '../../src/node/createNode';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';
import { servingPeer } from '../helpers/servingPeer';
import { report, round } from './report';

export async function largeBlockBenches(): Promise<void> {
  const keys = [0, 1, 2, 3].map((i) => testKey(`large block bench ${i}`));
  const chain = new TestChain(testGenesis(keys), keys[0]!);
  const metadata: Record<string, string> = {};
  for (let i = 0; i < 16; i++) metadata[`entry-${i}`.padEnd(32, '.')] = 'x'.repeat(256);
  const candidates = Array.from({ length: 2400 }, (_, n) =>
    chain.tx(keys[n % 4]!, {
      kind: 'registerRecord',
      recordId: `parcel-${n}`,
      contentHash: new Uint8Array(32),
      metadata,
    }),
  );
  chain.commit(candidates);
  chain.commit(); // the full block's certificate travels in this one
  const blocks: Block[] = chain.blocks;
  const certificates: CommitCertificate[] = chain.lightBlocks.map((l) => l.commit);
  const bytes = encodeBlock(blocks[0]!).length;

  const server = await servingPeer(blocks, certificates);
  const started = performance.now();
  let synced = 0;
  const node = createNode({
    store: createMemoryChainStore(),
    network: await loopbackNetwork([server.addresses()[0]!]),
    verifier: nobleVerifier,
    onEvent: (e) => {
      if (e.type === 'committed') synced = Math.max(synced, e.height);
    },
  });
  await node.join(chain.genesis, 'full');
  const deadline = Date.now() + 120_000;
  while (synced < blocks.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const ms = performance.now() - started;
  report({
    bench: 'sync.largestBlock',
    value: synced >= 1 ? bytes : 0,
    unit: 'bytes',
    transactions: blocks[0]!.transactions.length,
    budget: BLOCK_BYTE_BUDGET,
    synced: synced >= blocks.length,
    ms: round(ms),
    measure:
      'a block filled to the proposer byte budget, synced by a node joining afterwards over loopback libp2p',
  });
  await node.stop();
  await server.stop();
}
