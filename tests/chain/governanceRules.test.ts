// Governance rules, one broken at a time: votes, proposals, the validator set's own limits and
// holder voting. Each transaction is valid in every way but one (signed, right chain, right
// nonce); each test checks for that exact rejection, then that it changed nothing.
// In memory, real signatures.
import { describe, expect, it } from 'vitest';
import { applyValidatorAction } from '../../src/chain/applyTransaction';
import { entryName, type ChainParams, type Proposal } from '../../src/chain/stateEntries';
import type { ProposalAction } from '../../src/chain/transaction';
import { MAX_POWER, MAX_VALIDATORS, type ValidatorSet } from '../../src/chain/validatorSet';
import { isAcceptedPublicKey } from '../../src/crypto/ed25519';
import { TestChain, testGenesis, type TestKey } from '../helpers/chainFixture';
import {
  accepts,
  alice,
  bob,
  carol,
  expectError,
  nonceOf,
  outsider,
  propose,
  refusal,
  text,
  validatorsChain,
  vote,
} from './txRulesFixture';

describe('votes, one rule broken (in memory, real signatures)', () => {
  it('refuses a second vote by the same voter, in a later block', () => {
    const chain = validatorsChain();
    accepts(chain, alice, propose(text));
    accepts(chain, bob, vote(1));
    const open = chain.state.read(entryName.proposal(1)) as Proposal;
    expect(open).toMatchObject({
      id: 1,
      status: 'open',
      outcome: '',
      tally: null,
      startHeight: 1,
      endHeight: 4,
    });
    const error = refusal(chain, bob, vote(1, 'no'));
    expect(error.name).toBe('AlreadyVotedError');
    const p = chain.state.read(entryName.proposal(1)) as Proposal;
    expect(p.votes.map((v) => v.choice)).toEqual(['yes']);
  });

  it('refuses a vote, and a proposal, by someone who is not a voter', () => {
    const chain = validatorsChain();
    expectError(refusal(chain, outsider, propose(text)), 'NotAVoterError', /propose/);
    accepts(chain, alice, propose(text));
    expectError(refusal(chain, outsider, vote(1)), 'NotAVoterError', /vote/);
  });

  it('refuses a vote on a proposal that does not exist', () => {
    const chain = validatorsChain();
    accepts(chain, alice, propose(text));
    expect(refusal(chain, bob, vote(2)).name).toBe('UnknownProposalError');
  });

  it('counts a vote in the proposal’s last block and refuses one after it', () => {
    // Proposed in block 1 with a period of 2: open through block 3, closed from block 4.
    const chain = validatorsChain(2);
    accepts(chain, alice, propose(text)); // 1
    chain.commit(); // 2
    accepts(chain, bob, vote(1)); // 3: the last block it is open
    expect(refusal(chain, carol, vote(1)).name).toBe('ProposalClosedError'); // 4
  });
});

describe('governance proposals, one rule broken (in memory, real signatures)', () => {
  const add = (publicKey: Uint8Array, power = 1): ProposalAction => ({
    type: 'addValidator',
    publicKey,
    power,
    name: 'new',
  });

  it('refuses adding a key that is not a valid ed25519 key', () => {
    const notAPoint = new Uint8Array(32).fill(0xff);
    expect(isAcceptedPublicKey(notAPoint)).toBe(false);
    const error = refusal(validatorsChain(), alice, propose(add(notAPoint)));
    expectError(error, 'InvalidProposalError', /key/);
  });

  it('refuses adding with power 0 or above the most, and accepts the most', () => {
    for (const power of [0, MAX_POWER + 1]) {
      const error = refusal(validatorsChain(), alice, propose(add(outsider.publicKey, power)));
      expectError(error, 'InvalidProposalError', /power/i);
    }
    accepts(validatorsChain(), alice, propose(add(outsider.publicKey, MAX_POWER)));
    accepts(validatorsChain(), alice, propose(add(outsider.publicKey, 1)));
  });

  it('refuses adding a key that is already a validator', () => {
    expectError(
      refusal(validatorsChain(), alice, propose(add(bob.publicKey))),
      'InvalidProposalError',
      /already/,
    );
  });

  it('refuses removing or re-powering a key that is not a validator', () => {
    const remove: ProposalAction = { type: 'removeValidator', publicKey: outsider.publicKey };
    const setPower: ProposalAction = { type: 'setPower', publicKey: outsider.publicKey, power: 2 };
    for (const action of [remove, setPower]) {
      expectError(
        refusal(validatorsChain(), alice, propose(action)),
        'InvalidProposalError',
        /not a validator/,
      );
    }
    accepts(
      validatorsChain(),
      alice,
      propose({ type: 'removeValidator', publicKey: bob.publicKey }),
    );
  });

  it('refuses setting a power of 0 or above the most', () => {
    for (const power of [0, MAX_POWER + 1]) {
      const action: ProposalAction = { type: 'setPower', publicKey: bob.publicKey, power };
      expectError(
        refusal(validatorsChain(), alice, propose(action)),
        'InvalidProposalError',
        /power is 1 to .* remove a validator instead/,
      );
    }
    const most: ProposalAction = { type: 'setPower', publicKey: bob.publicKey, power: MAX_POWER };
    accepts(validatorsChain(), alice, propose(most));
    const least: ProposalAction = { type: 'setPower', publicKey: bob.publicKey, power: 1 };
    accepts(validatorsChain(), alice, propose(least));
  });

  it('refuses a threshold below one half or of all power, accepts one half', () => {
    const threshold = (numerator: number, denominator: number): ProposalAction => ({
      type: 'setThreshold',
      threshold: { numerator, denominator },
    });
    for (const [n, d] of [
      [1, 3],
      [1, 1],
    ] as const) {
      expectError(
        refusal(validatorsChain(), alice, propose(threshold(n, d))),
        'InvalidProposalError',
        /at least 1\/2 of voting power and below all of it/,
      );
    }
    accepts(validatorsChain(), alice, propose(threshold(1, 2)));
  });

  it('refuses a text proposal with no text, and governance rules a genesis would refuse', () => {
    expectError(
      refusal(validatorsChain(), alice, propose({ type: 'text', text: '  \n' })),
      'InvalidProposalError',
      /needs some text/,
    );
    const chain = validatorsChain();
    const rules = (chain.state.read(entryName.params) as ChainParams).governance;
    const error = refusal(
      chain,
      alice,
      propose({ type: 'setGovernance', rules: { ...rules, votingPeriod: 0 } }),
    );
    expect(error.name).toBe('InvalidProposalError');
    expect(error.cause).toMatchObject({ name: 'InvalidGenesisError' });
  });
});

/** The error `act` throws; fails the test when it throws none. */
function refusedBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('it was accepted');
}

describe('passed proposals that can no longer apply (in memory, real signatures)', () => {
  /**
   * The first key proposes `actions` in block 1, every key votes yes on each in
   * block 2, and all close together in block 3. Returns the proposals as the state keeps them.
   */
  function passTogether(
    keys: TestKey[],
    actions: ProposalAction[],
  ): { chain: TestChain; proposals: Proposal[] } {
    const chain = new TestChain(testGenesis(keys, { governance: { votingPeriod: 2 } }), keys[0]!);
    const proposer = keys[0]!;
    const first = nonceOf(chain, proposer);
    expect(
      chain.commit(actions.map((a, i) => chain.tx(proposer, propose(a), first + i))).rejected,
    ).toEqual([]);
    const votes = keys.flatMap((k) => {
      const next = nonceOf(chain, k);
      return actions.map((_, i) => chain.tx(k, vote(i + 1), next + i));
    });
    expect(chain.commit(votes).rejected).toEqual([]);
    chain.commit();
    const proposals = actions.map(
      (_, i) => chain.state.read(entryName.proposal(i + 1)) as Proposal,
    );
    return { chain, proposals };
  }
  const outcomes = (actions: ProposalAction[], keys = [alice, bob, carol]) =>
    passTogether(keys, actions).proposals.map((p) => [p.status, p.outcome]);

  it('keeps why, word for word: the state root commits to it', () => {
    const add: ProposalAction = {
      type: 'addValidator',
      publicKey: outsider.publicKey,
      power: 1,
      name: 'o',
    };
    expect(outcomes([add, add])).toEqual([
      ['passed', ''],
      ['failed', 'That key is already a validator.'],
    ]);
    const remove: ProposalAction = { type: 'removeValidator', publicKey: carol.publicKey };
    const setPower: ProposalAction = { type: 'setPower', publicKey: carol.publicKey, power: 2 };
    expect(outcomes([remove, setPower, remove])).toEqual([
      ['passed', ''],
      ['failed', 'That key is not a validator.'],
      ['failed', 'That key is not a validator.'],
    ]);
    const removeAlice: ProposalAction = { type: 'removeValidator', publicKey: alice.publicKey };
    const removeBob: ProposalAction = { type: 'removeValidator', publicKey: bob.publicKey };
    expect(outcomes([removeBob, removeAlice], [alice, bob])).toEqual([
      ['passed', ''],
      ['failed', 'The last validator cannot be removed.'],
    ]);
  });
});

describe('a passed threshold change (in memory, real signatures)', () => {
  it('is the threshold of the set that signs from two blocks after it passed', () => {
    const chain = new TestChain(
      testGenesis([alice, bob, carol], { governance: { votingPeriod: 1 } }),
      alice,
    );
    const threshold = { numerator: 3, denominator: 4 };
    accepts(chain, alice, propose({ type: 'setThreshold', threshold })); // block 1
    const votes = [alice, bob, carol].map((k) => chain.tx(k, vote(1), nonceOf(chain, k)));
    expect(chain.commit(votes).rejected).toEqual([]); // block 2: closes and passes
    expect(chain.state.read(entryName.proposal(1))).toMatchObject({ status: 'passed' });
    const before = (chain.state.read(entryName.validators) as ValidatorSet).threshold;
    expect(before).not.toEqual(threshold);
    chain.commit();
    chain.commit(); // block 4 = H + 2
    const after = chain.state.read(entryName.validators) as ValidatorSet;
    expect(after.threshold).toEqual(threshold);
    expect(after.validators).toHaveLength(3);
  });
});

describe('validator set actions at their limits (pure)', () => {
  const member = (i: number) => {
    const publicKey = new Uint8Array(32);
    publicKey[0] = i >> 8;
    publicKey[1] = i & 0xff;
    return { publicKey, power: 1, name: '' };
  };
  const threshold = { numerator: 2, denominator: 3 };

  it('adds, removes and re-powers, keeping the set sorted', () => {
    // The key added sorts first, so appending it would leave the set out of order.
    const [first, second, third] = [alice, bob, carol].sort((a, b) =>
      Buffer.compare(a.publicKey, b.publicKey),
    ) as [TestKey, TestKey, TestKey];
    const set: ValidatorSet = {
      validators: [second, third].map((k) => ({ publicKey: k.publicKey, power: 1, name: '' })),
      threshold,
    };
    const grown = applyValidatorAction(set, {
      type: 'addValidator',
      publicKey: first.publicKey,
      power: 4,
      name: 'c',
    });
    const keys = grown.validators.map((v) => Buffer.from(v.publicKey).toString('hex'));
    expect(keys).toEqual(
      [first, second, third].map((k) => Buffer.from(k.publicKey).toString('hex')),
    );
    const shrunk = applyValidatorAction(grown, {
      type: 'removeValidator',
      publicKey: second.publicKey,
    });
    expect(shrunk.validators.map((v) => v.power).sort()).toEqual([1, 4]);
    const repowered = applyValidatorAction(shrunk, {
      type: 'setPower',
      publicKey: third.publicKey,
      power: 7,
    });
    expect(repowered.validators.map((v) => v.power).sort()).toEqual([4, 7]);
  });

  it('refuses removing the last validator', () => {
    const one: ValidatorSet = { validators: [member(1)], threshold };
    expect(
      refusedBy(() =>
        applyValidatorAction(one, { type: 'removeValidator', publicKey: member(1).publicKey }),
      ),
    ).toMatchObject({
      name: 'InvalidProposalError',
      shortMessage: 'The last validator cannot be removed.',
    });
    const two: ValidatorSet = { validators: [member(1), member(2)], threshold };
    expect(
      applyValidatorAction(two, { type: 'removeValidator', publicKey: member(1).publicKey })
        .validators,
    ).toHaveLength(1);
  });

  it('refuses growing a full set, and fills one short of full', () => {
    const full: ValidatorSet = {
      validators: Array.from({ length: MAX_VALIDATORS }, (_, i) => member(i)),
      threshold,
    };
    expect(
      refusedBy(() =>
        applyValidatorAction(full, {
          type: 'addValidator',
          publicKey: outsider.publicKey,
          power: 1,
          name: '',
        }),
      ),
    ).toMatchObject({
      name: 'InvalidProposalError',
      shortMessage: `A chain has at most ${MAX_VALIDATORS} validators.`,
    });
    const almost: ValidatorSet = { ...full, validators: full.validators.slice(1) };
    expect(
      applyValidatorAction(almost, {
        type: 'addValidator',
        publicKey: outsider.publicKey,
        power: 1,
        name: '',
      }).validators,
    ).toHaveLength(MAX_VALIDATORS);
  });
});

describe('holders vote (in memory, real signatures)', () => {
  it('lets a holder of the voting asset propose and vote, and no one else', () => {
    const chain = new TestChain(
      testGenesis([alice], {
        assets: [
          { symbol: 'COIN', name: 'Co-op coin', decimals: 2, minter: null },
          { symbol: 'VOTE', name: 'Share', decimals: 0, minter: null },
        ],
        balances: [
          { account: alice.publicKey, asset: 'COIN', amount: 10n },
          { account: bob.publicKey, asset: 'VOTE', amount: 1n },
        ],
        governance: { voters: 'holders', voterAsset: 'VOTE', votingPeriod: 3 },
      }),
      alice,
    );
    // alice validates but holds no VOTE: she may not propose; bob holds one share and may.
    expect(refusal(chain, alice, propose(text)).name).toBe('NotAVoterError');
    accepts(chain, bob, propose(text));
    expect(refusal(chain, alice, vote(1)).name).toBe('NotAVoterError');
    accepts(chain, bob, vote(1));
  });
});
