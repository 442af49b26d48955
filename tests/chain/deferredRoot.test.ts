// Blocks applied with their state roots deferred to the end of a run (pure, in memory): the
// same state and root as applying them one by one, and a wrong root undoes the whole run.
import { describe, expect, it } from 'vitest';
import { executeBlockDeferred } from '../../src/chain/applyBlock';
import { ChainState, StateRootMismatchError } from '../../src/chain/ChainState';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { bytesToHex } from '../../src/crypto/bytes';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

function chainOf(blocks: number): TestChain {
  const keys = [0, 1, 2].map((i) => testKey(`deferred ${i}`));
  const chain = new TestChain(testGenesis(keys), keys[0]!);
  for (let h = 1; h <= blocks; h++)
    chain.commit([
      chain.tx(keys[h % 3]!, {
        kind: 'transfer',
        asset: 'COIN',
        to: keys[(h + 1) % 3]!.publicKey,
        amount: BigInt(h),
      }),
    ]);
  return chain;
}

function applyDeferred(chain: TestChain, upTo: number): ChainState {
  const { state } = ChainState.fromGenesis(chain.genesis);
  let parent = null;
  for (const block of chain.blocks.slice(0, upTo)) {
    executeBlockDeferred(state, block, parent, { verifyLastCommit: verifyCommit });
    parent = block.header;
  }
  return state;
}

describe('deferred state roots (pure)', () => {
  it('settles a run to the root and entries that block-by-block execution gives', () => {
    const chain = chainOf(8);
    const state = applyDeferred(chain, 8);
    expect(() => state.root).toThrow(/settle/);
    const diff = state.settle(chain.head!.stateRoot);
    expect(bytesToHex(diff.root)).toBe(bytesToHex(chain.state.root));
    expect(diff.height).toBe(8);
    expect(state.height).toBe(8);
    // Each changed entry once, with its final value, and the tree nodes to persist.
    expect(new Set(diff.entries.map(([name]) => name)).size).toBe(diff.entries.length);
    expect(diff.nodes.length).toBeGreaterThan(0);
    for (const [name] of diff.entries) expect(state.read(name)).toEqual(chain.state.read(name));
  });

  it('undoes the whole run when the root does not match', () => {
    const chain = chainOf(6);
    const { state: untouched } = ChainState.fromGenesis(chain.genesis);
    const state = applyDeferred(chain, 6);
    const wrong = chain.blocks[2]!.header.stateRoot; // a real root, of the wrong height
    expect(() => state.settle(wrong)).toThrow(StateRootMismatchError);
    expect(state.height).toBe(0);
    expect(state.time).toBe(untouched.time);
    expect(bytesToHex(state.root)).toBe(bytesToHex(untouched.root));
    // Every entry the run touched reads as before it, including those it created.
    const touched = applyDeferred(chain, 6).settle(chain.head!.stateRoot).entries;
    expect(touched.some(([name]) => untouched.read(name) === undefined)).toBe(true);
    for (const [name] of touched) expect(state.read(name)).toEqual(untouched.read(name));
    // And it goes on from there as if nothing had happened.
    let parent = null;
    for (const block of chain.blocks) {
      executeBlockDeferred(state, block, parent, { verifyLastCommit: verifyCommit });
      parent = block.header;
    }
    expect(bytesToHex(state.settle(chain.head!.stateRoot).root)).toBe(bytesToHex(chain.state.root));
  });
});
