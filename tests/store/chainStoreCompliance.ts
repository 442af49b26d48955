// One compliance suite for the ChainStore port; every adapter runs it.
import { describe, expect, it } from 'vitest';
import type { ChainRecord, ChainStore } from '../../src/chain/ChainStore';
import { ChainState } from '../../src/chain/ChainState';
import { blockHashOf } from '../../src/chain/block';
import { entryName } from '../../src/chain/stateEntries';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const [alice, bob, erin] = ['alice', 'bob', 'erin'].map(testKey) as [
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
];

export interface StoreHarness {
  store: ChainStore;
  /** Closes and opens the same store again, for adapters that persist. */
  reopen?: () => Promise<ChainStore>;
}

/** A chain with `blocks` committed in memory, and what the store needs to mirror it. */
export async function seededChain(store: ChainStore, blocks: number) {
  const genesis = testGenesis([alice, bob]);
  const { state, diff } = ChainState.fromGenesis(genesis);
  const record: ChainRecord = {
    chainId: state.chainId,
    genesis,
    role: 'full',
    label: 'Test',
    joinedAt: 1,
  };
  await store.addChain(record, diff);
  const chain = new TestChain(genesis, alice);
  const commits = [];
  for (let i = 0; i < blocks; i++) {
    const c = chain.commit([
      chain.tx(alice, {
        kind: 'transfer',
        asset: 'COIN',
        to: erin.publicKey,
        amount: BigInt(i + 1),
      }),
    ]);
    const commit = { block: c.block, blockHash: blockHashOf(c.block.header), diff: c.diff };
    commits.push(commit);
  }
  return { chain, record, commits };
}

export function describeChainStore(
  name: string,
  setup: () => Promise<StoreHarness>,
  { persistent }: { persistent: boolean },
): void {
  describe(`ChainStore compliance: ${name}`, () => {
    it('adds, lists and refuses a chain twice', async () => {
      const { store } = await setup();
      const { record, chain } = await seededChain(store, 0);
      expect((await store.getChain(record.chainId))?.genesis).toEqual(record.genesis);
      expect((await store.listChains()).map((c) => c.label)).toEqual(['Test']);
      const { diff } = ChainState.fromGenesis(record.genesis);
      await expect(store.addChain(record, diff)).rejects.toMatchObject({
        name: 'StoreConflictError',
      });
      expect((await store.getHead(record.chainId))?.stateRoot).toEqual(chain.state.root);
    });

    it('commits blocks in order and reads back headers, blocks, certificates and state', async () => {
      const { store } = await setup();
      const { chain, record, commits } = await seededChain(store, 3);
      for (const c of commits) await store.commitBlock(record.chainId, c);
      const head = await store.getHead(record.chainId);
      expect(head).toMatchObject({
        height: 3,
        blockHash: commits[2]!.blockHash,
        stateRoot: chain.state.root,
      });
      expect((await store.getHeaders(record.chainId, 1, 3)).map((h) => h.height)).toEqual([
        1, 2, 3,
      ]);
      expect((await store.getHeaders(record.chainId, 2, 9)).map((h) => h.height)).toEqual([2, 3]);
      const block = await store.getBlock(record.chainId, 2);
      expect(block && blockHashOf(block.header)).toEqual(commits[1]!.blockHash);
      expect((await store.getCertificate(record.chainId, 1))?.blockHash).toEqual(
        commits[0]!.blockHash,
      );
      const snapshot = await store.loadState(record.chainId);
      const restored = ChainState.restore({ chainId: record.chainId, ...snapshot! });
      expect(restored.root).toEqual(chain.state.root);
      expect(restored.height).toBe(3);
      expect(restored.balance(erin.publicKey, 'COIN')).toBe(6n);
      const name = entryName.balance(erin.publicKey, 'COIN');
      expect(restored.prove(name).proof).toEqual(chain.state.prove(name).proof);
    });

    it('refuses a block that does not follow the head, and writes nothing', async () => {
      const { store } = await setup();
      const { record, commits } = await seededChain(store, 2);
      await expect(store.commitBlock(record.chainId, commits[1]!)).rejects.toMatchObject({
        name: 'StoreConflictError',
      });
      expect((await store.getHead(record.chainId))?.height).toBe(0);
      expect(await store.getHeader(record.chainId, 2)).toBeUndefined();
      await expect(store.commitBlock(new Uint8Array(32), commits[0]!)).rejects.toMatchObject({
        name: 'UnknownChainError',
      });
    });

    it("commits a batch of blocks whole, with the last block's own certificate", async () => {
      const { store } = await setup();
      const { chain, record, commits } = await seededChain(store, 4);
      const own = { ...commits[3]!.block.lastCommit!, height: 4, blockHash: commits[3]!.blockHash };
      await store.commitBlocks(record.chainId, [
        ...commits.slice(0, 3),
        { ...commits[3]!, certificate: own },
      ]);
      expect((await store.getHead(record.chainId))?.height).toBe(4);
      expect((await store.getCertificate(record.chainId, 3))?.blockHash).toEqual(
        commits[2]!.blockHash,
      );
      expect((await store.getCertificate(record.chainId, 4))?.blockHash).toEqual(
        commits[3]!.blockHash,
      );
      const snapshot = await store.loadState(record.chainId);
      expect(ChainState.restore({ chainId: record.chainId, ...snapshot! }).root).toEqual(
        chain.state.root,
      );
    });

    it('refuses a batch with a gap, and writes none of it', async () => {
      const { store } = await setup();
      const { record, commits } = await seededChain(store, 3);
      await expect(
        store.commitBlocks(record.chainId, [commits[0]!, commits[2]!]),
      ).rejects.toMatchObject({ name: 'StoreConflictError' });
      expect((await store.getHead(record.chainId))?.height).toBe(0);
      expect(await store.getBlock(record.chainId, 1)).toBeUndefined();
      expect(await store.getHeaders(record.chainId, 0, 10)).toEqual([]);
    });

    it('keeps, replaces and clears the consensus state of a chain', async () => {
      const { store } = await setup();
      const { record } = await seededChain(store, 0);
      expect(await store.getConsensusState(record.chainId)).toBeUndefined();
      await store.putConsensusState(record.chainId, new Uint8Array([1, 2]));
      await store.putConsensusState(record.chainId, new Uint8Array([3]));
      expect(await store.getConsensusState(record.chainId)).toEqual(new Uint8Array([3]));
      await store.putConsensusState(record.chainId, null);
      expect(await store.getConsensusState(record.chainId)).toBeUndefined();
      await expect(
        store.putConsensusState(new Uint8Array(32), new Uint8Array([1])),
      ).rejects.toMatchObject({ name: 'UnknownChainError' });
    });

    it('keeps the outbox in creation order and updates items in place', async () => {
      const { store } = await setup();
      const { record } = await seededChain(store, 0);
      const item = (n: number) => ({
        txId: new Uint8Array(32).fill(n),
        chainId: record.chainId,
        bytes: new Uint8Array([n]),
        status: 'queued' as const,
        attempts: 0,
        nextAttemptAt: 0,
        createdAt: 100 - n,
        reason: '',
      });
      await store.putOutbox(item(1));
      await store.putOutbox(item(2));
      await store.putOutbox({ ...item(1), status: 'rejected', reason: 'Not enough COIN' });
      const list = await store.listOutbox(record.chainId);
      expect(list.map((o) => o.txId[0])).toEqual([2, 1]);
      expect(list[1]).toMatchObject({ status: 'rejected', reason: 'Not enough COIN' });
      await store.deleteOutbox(item(2).txId);
      expect((await store.listOutbox()).length).toBe(1);
    });

    it('remembers peers', async () => {
      const { store } = await setup();
      await store.putPeer({
        peerId: '12D3KooWpeer',
        chainIds: [new Uint8Array(32).fill(5)],
        addresses: ['/ip4/10.0.0.2/tcp/4001'],
        lastSeen: 7,
      });
      expect(await store.listPeers()).toEqual([
        {
          peerId: '12D3KooWpeer',
          chainIds: [new Uint8Array(32).fill(5)],
          addresses: ['/ip4/10.0.0.2/tcp/4001'],
          lastSeen: 7,
        },
      ]);
    });

    it('leaving a chain removes everything stored for it', async () => {
      const { store } = await setup();
      const { record, commits } = await seededChain(store, 2);
      for (const c of commits) await store.commitBlock(record.chainId, c);
      await store.putOutbox({
        txId: new Uint8Array(32),
        chainId: record.chainId,
        bytes: new Uint8Array(1),
        status: 'queued',
        attempts: 0,
        nextAttemptAt: 0,
        createdAt: 0,
        reason: '',
      });
      await store.putConsensusState(record.chainId, new Uint8Array([9]));
      await store.removeChain(record.chainId);
      expect(await store.getConsensusState(record.chainId)).toBeUndefined();
      expect(await store.getChain(record.chainId)).toBeUndefined();
      expect(await store.getHead(record.chainId)).toBeUndefined();
      expect(await store.getHeaders(record.chainId, 0, 10)).toEqual([]);
      expect(await store.loadState(record.chainId)).toBeUndefined();
      expect(await store.listOutbox(record.chainId)).toEqual([]);
    });

    if (!persistent) return;

    it('keeps everything across a reopen', async () => {
      const harness = await setup();
      if (!harness.reopen) throw new Error('a persistent adapter must say how to reopen it');
      const { chain, record, commits } = await seededChain(harness.store, 2);
      for (const c of commits) await harness.store.commitBlock(record.chainId, c);
      await harness.store.putConsensusState(record.chainId, new Uint8Array([4, 2]));
      const again = await harness.reopen();
      expect((await again.getHead(record.chainId))?.height).toBe(2);
      expect(await again.getConsensusState(record.chainId)).toEqual(new Uint8Array([4, 2]));
      const snapshot = await again.loadState(record.chainId);
      expect(ChainState.restore({ chainId: record.chainId, ...snapshot! }).root).toEqual(
        chain.state.root,
      );
    });
  });
}
