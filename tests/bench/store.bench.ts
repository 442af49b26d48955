// Writing 1,000 blocks of 100 transactions through the ChainStore port.
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { ChainState } from '../../src/chain/ChainState';
import { buildBlock, executeBlock } from '../../src/chain/applyBlock';
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../../src/chain/block';
import { signVote } from '../../src/chain/vote';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { sign } from '../../src/crypto/ed25519';
import type { BlockCommit, ChainStore } from '../../src/chain/ChainStore';
import type { SignedTransaction } from '../../src/chain/transaction';
import { createDexieChainStore } from '../../src/store/createDexieChainStore';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { openFreeholdDb } from '../../src/store/FreeholdDb';
import { GENESIS_TIME, testGenesis, testKey } from '../helpers/chainFixture';
import { report, round } from './report';

const BLOCKS = 1000;
const TXS = 100;

/** Real blocks and state diffs. Signatures are placeholders: the store never verifies, and
 * signing 100,000 transactions would time the signer instead of the store. */
function makeCommits() {
  const validator = testKey('bench-validator');
  const senders = Array.from({ length: TXS }, (_, i) => testKey(`sender-${i}`));
  const genesis = testGenesis([validator], {
    balances: senders.map((s) => ({ account: s.publicKey, asset: 'COIN', amount: 10n ** 12n })),
  });
  const { state, diff } = ChainState.fromGenesis(genesis);
  // Transaction signatures are placeholders the store never reads; the certificates blocks carry
  // are real (the one validator signs each), since the chain rules check them.
  const certify = (header: BlockHeader): CommitCertificate => {
    const blockHash = blockHashOf(header);
    const vote = signVote(
      state.chainId,
      { type: 'precommit', height: header.height, round: 0, blockHash },
      validator.publicKey,
      (m) => sign(m, validator.secretKey),
    );
    return {
      height: header.height,
      round: 0,
      blockHash,
      signatures: [{ validator: vote.validator, signature: vote.signature }],
    };
  };
  const commits: BlockCommit[] = [];
  let parent: BlockHeader | null = null;
  for (let h = 1; h <= BLOCKS; h++) {
    const txs: SignedTransaction[] = senders.map((s, i) => ({
      tx: {
        chainId: state.chainId,
        sender: s.publicKey,
        nonce: h - 1,
        body: {
          kind: 'transfer',
          asset: 'COIN',
          to: senders[(i + h) % TXS]!.publicKey,
          amount: BigInt(h),
        },
      },
      signature: new Uint8Array(64).fill(h & 255),
    }));
    const lastCommit = parent && certify(parent);
    const { block } = buildBlock(state, {
      parent,
      time: GENESIS_TIME + h * 1000,
      proposer: validator.publicKey,
      candidates: txs,
      lastCommit,
      verifySignature: () => true,
    });
    if (block.transactions.length !== TXS) throw new Error('bench block lost transactions');
    const d = executeBlock(state, block, parent, {
      verifySignature: () => true,
      verifyLastCommit: verifyCommit,
    });
    commits.push({ block, blockHash: blockHashOf(block.header), diff: d });
    parent = block.header;
  }
  return { genesis, genesisDiff: diff, chainId: state.chainId, commits };
}

async function writeAll(store: ChainStore, data: ReturnType<typeof makeCommits>): Promise<number> {
  await store.addChain(
    { chainId: data.chainId, genesis: data.genesis, role: 'full', label: 'bench', joinedAt: 0 },
    data.genesisDiff,
  );
  const start = performance.now();
  for (const c of data.commits) await store.commitBlock(data.chainId, c);
  return (performance.now() - start) / 1000;
}

export async function storeBenches(): Promise<void> {
  const data = makeCommits();
  const entriesPerBlock = data.commits.reduce((n, c) => n + c.diff.entries.length, 0) / BLOCKS;
  for (const [adapter, store] of [
    [
      'dexie+fake-indexeddb',
      createDexieChainStore(openFreeholdDb(`bench-${Date.now()}`, { indexedDB, IDBKeyRange })),
    ],
    ['memory', createMemoryChainStore()],
  ] as const) {
    const seconds = await writeAll(store, data);
    report({
      bench: `store.write.blocks.${adapter === 'memory' ? 'memory' : 'dexie'}`,
      value: round(BLOCKS / seconds),
      unit: 'blocks/s',
      adapter,
      blocks: BLOCKS,
      transactions_per_block: TXS,
      transactions_per_s: round((BLOCKS * TXS) / seconds),
      state_entries_per_block: round(entriesPerBlock),
      target_transactions_per_s: 10_000,
    });
    await store.close();
  }
}
