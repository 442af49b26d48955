// The chain state's own bookkeeping (pure, in memory): what genesis writes, what a refused
// commit leaves, deletions, a preview that went stale, and entry proofs against the root.
import { describe, expect, it } from 'vitest';
import { ChainState, StateRootMismatchError } from '../../src/chain/ChainState';
import { genesisValidatorSet } from '../../src/chain/genesis';
import { entryName, stateKeyOf, stateValueHash } from '../../src/chain/stateEntries';
import { verifyStateProof } from '../../src/chain/sparseMerkleTree';
import { testGenesis, testKey } from '../helpers/chainFixture';

const [alice, bob] = ['state alice', 'state bob'].map(testKey) as [
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
];
const fresh = () => ChainState.fromGenesis(testGenesis([alice, bob]));

describe('chain state (pure)', () => {
  it('genesis writes its parameters, the three validator sets, their history, balances and assets', () => {
    const { state } = fresh();
    const genesis = testGenesis([alice, bob]);
    const set = genesisValidatorSet(genesis);
    const names = [...state.allEntries()].map(([name]) => name).sort();
    expect(names).toEqual(
      [
        entryName.params,
        entryName.validators,
        entryName.nextValidators,
        entryName.lastValidators,
        entryName.validatorHistory,
        entryName.asset('COIN'),
        entryName.balance(alice.publicKey, 'COIN'),
        entryName.balance(bob.publicKey, 'COIN'),
      ].sort(),
    );
    for (const name of [entryName.validators, entryName.nextValidators, entryName.lastValidators])
      expect(state.read(name)).toEqual(set);
    expect(state.read(entryName.validatorHistory)).toEqual({ sets: [{ since: 1, set }] });
    expect(state.read(entryName.params)).toEqual({
      name: 'Test Co-op',
      governance: genesis.governance,
      proposalCount: 0,
      openProposals: [],
    });
    expect(state.read(entryName.asset('COIN'))).toEqual({
      ...genesis.assets[0],
      supply: 2_000_000n,
      issuer: null,
    });
  });

  it('a commit refused for its root leaves root, height, time and entries as they were', () => {
    const { state } = fresh();
    const before = { root: state.root, height: state.height, time: state.time };
    const txn = state.begin(1, before.time + 1);
    txn.setBalance(alice.publicKey, 'COIN', 7n);
    expect(() => state.commit(txn, new Uint8Array(32))).toThrow(StateRootMismatchError);
    expect({ root: state.root, height: state.height, time: state.time }).toEqual(before);
    expect(state.balance(alice.publicKey, 'COIN')).toBe(1_000_000n);
  });

  it('a zero balance or nonce is no entry at all, in the state and in the diff', () => {
    const { state } = fresh();
    const txn = state.begin(1, state.time + 1);
    txn.setBalance(bob.publicKey, 'COIN', 0n);
    txn.setAccount(alice.publicKey, { nonce: 0 });
    const diff = state.commit(txn);
    expect(state.read(entryName.balance(bob.publicKey, 'COIN'))).toBeUndefined();
    expect(state.read(entryName.account(alice.publicKey))).toBeUndefined();
    expect(diff.entries).toEqual([
      [entryName.balance(bob.publicKey, 'COIN'), null],
      [entryName.account(alice.publicKey), null],
    ]);
    expect([diff.height, state.height, state.time]).toEqual([1, 1, txn.time]);
  });

  it('a layer changed after its preview is staged again, not taken from the preview', () => {
    const { state } = fresh();
    const txn = state.begin(1, state.time + 1);
    txn.setBalance(alice.publicKey, 'COIN', 5n);
    const previewed = state.previewRoot(txn);
    txn.setBalance(bob.publicKey, 'COIN', 6n);
    const diff = state.commit(txn);
    expect(diff.root).not.toEqual(previewed);
    expect(diff.entries.map(([name]) => name).sort()).toEqual(
      [entryName.balance(alice.publicKey, 'COIN'), entryName.balance(bob.publicKey, 'COIN')].sort(),
    );
    // A fresh state given the same writes reaches the same root.
    const { state: other } = fresh();
    const same = other.begin(1, txn.time);
    same.setBalance(alice.publicKey, 'COIN', 5n);
    same.setBalance(bob.publicKey, 'COIN', 6n);
    expect(other.commit(same).root).toEqual(diff.root);
  });

  it('proves an entry that is there and one that is not, against its root', () => {
    const { state } = fresh();
    const present = state.prove(entryName.params);
    expect(present.value).not.toBeNull();
    expect(
      verifyStateProof(
        state.root,
        stateKeyOf(present.name),
        stateValueHash(present.value!),
        present.proof,
      ),
    ).toBe(true);
    const absent = state.prove(entryName.record('none'));
    expect(absent.value).toBeNull();
    expect(verifyStateProof(state.root, stateKeyOf(absent.name), null, absent.proof)).toBe(true);
  });
});
