// A chain state rebuilt from what a store kept (pure, in memory, real signatures): the same
// root and entries, able to go on; and each kind of damage to the kept bytes refused by name.
import { describe, expect, it } from 'vitest';
import { executeBlock } from '../../src/chain/applyBlock';
import { ChainState, CorruptStateError, type StateDiff } from '../../src/chain/ChainState';
import { MissingStateNodeError } from '../../src/chain/sparseMerkleTree';
import { entryName, type EntryName } from '../../src/chain/stateEntries';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { equalBytes } from '../../src/crypto/bytes';
import { sha256 } from '../../src/crypto/hash';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const [alice, bob] = ['restore alice', 'restore bob'].map(testKey) as [
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
];

/** A chain of three blocks and what a store holds after it: entries by name, every node. */
function kept() {
  const chain = new TestChain(testGenesis([alice, bob]), alice);
  const diffs: StateDiff[] = [ChainState.fromGenesis(chain.genesis).diff];
  diffs.push(
    chain.commit([
      chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 5n }),
    ]).diff,
  );
  // Bob sends everything back: his balance entry is deleted again.
  diffs.push(
    chain.commit([
      chain.tx(bob, { kind: 'transfer', asset: 'COIN', to: alice.publicKey, amount: 1_000_005n }),
    ]).diff,
  );
  diffs.push(chain.commit().diff);
  const entries = new Map<EntryName, Uint8Array>();
  for (const d of diffs)
    for (const [name, bytes] of d.entries) {
      if (bytes === null) entries.delete(name);
      else entries.set(name, bytes);
    }
  const snapshot = {
    chainId: chain.chainId,
    height: chain.state.height,
    time: chain.state.time,
    root: chain.state.root,
    entries: [...entries],
    nodes: diffs.map((d) => d.nodes),
  };
  return { chain, snapshot };
}

const failure = (restore: () => unknown): unknown => {
  try {
    restore();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('restoring a chain state (pure)', () => {
  it('gives the same root, height, time and entries, and goes on like the original', () => {
    const { chain, snapshot } = kept();
    const state = ChainState.restore(snapshot);
    expect([state.root, state.height, state.time]).toEqual([
      chain.state.root,
      chain.state.height,
      chain.state.time,
    ]);
    for (const [name] of snapshot.entries) expect(state.read(name)).toEqual(chain.state.read(name));
    expect(state.read(entryName.balance(bob.publicKey, 'COIN'))).toBeUndefined();
    const next = chain.commit();
    executeBlock(state, chain.blocks.at(-1)!, chain.blocks.at(-2)!.header, {
      verifyLastCommit: verifyCommit,
    });
    expect(state.root).toEqual(chain.state.root);
    expect(next.diff.height).toBe(4);
  });

  it('refuses an entry whose bytes the tree does not hold', () => {
    const { snapshot } = kept();
    const [name, bytes] = snapshot.entries[0]!;
    const altered = Uint8Array.from(bytes);
    altered[altered.length - 1]! ^= 1;
    const entries = [[name, altered], ...snapshot.entries.slice(1)] as [EntryName, Uint8Array][];
    expect(failure(() => ChainState.restore({ ...snapshot, entries }))).toBeInstanceOf(
      CorruptStateError,
    );
    const stranger: [EntryName, Uint8Array] = [entryName.record('never'), bytes];
    expect(
      failure(() => ChainState.restore({ ...snapshot, entries: [...snapshot.entries, stranger] })),
    ).toBeInstanceOf(CorruptStateError);
  });

  it('refuses a state without its parameters or without its validators', () => {
    const { snapshot } = kept();
    for (const missing of [entryName.params, entryName.validators]) {
      const entries = snapshot.entries.filter(([n]) => n !== missing);
      expect(
        failure(() => ChainState.restore({ ...snapshot, entries })),
        missing,
      ).toBeInstanceOf(CorruptStateError);
    }
  });

  it('refuses a tree with a node missing', () => {
    const { snapshot } = kept();
    // Every kept node but the root's own: the tree cannot be walked from its root.
    const all = snapshot.nodes.flatMap((chunk) =>
      Array.from({ length: chunk.length / 65 }, (_, i) => chunk.subarray(i * 65, i * 65 + 65)),
    );
    const nodes = all.filter((n) => !equalBytes(sha256(n), snapshot.root));
    expect(nodes.length).toBeLessThan(all.length);
    expect(failure(() => ChainState.restore({ ...snapshot, nodes }))).toBeInstanceOf(
      MissingStateNodeError,
    );
  });
});
