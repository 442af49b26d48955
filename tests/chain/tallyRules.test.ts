// How a proposal is decided when its voting period ends (in memory, real signatures): turnout
// against the quorum, yes against the pass threshold, each voter weighed by power or balance.
// The outcome text is chain state (the state root commits to it), so it is checked word for word.
import { describe, expect, it } from 'vitest';
import {
  entryName,
  MAX_VALIDATOR_HISTORY,
  type ChainParams,
  type Proposal,
  type ValidatorHistory,
} from '../../src/chain/stateEntries';
import { TestChain, testGenesis, type TestKey } from '../helpers/chainFixture';
import { alice, bob, carol, dave, nonceOf, propose, text, vote } from './txRulesFixture';

type Choice = 'yes' | 'no' | 'abstain';

/** Proposes in block 1 (period 1), casts the votes in block 2 where it closes; the result. */
function decide(chain: TestChain, votes: [TestKey, Choice][]): Proposal {
  chain.commit([chain.tx(alice, propose(text), nonceOf(chain, alice))]);
  const { rejected } = chain.commit(
    votes.map(([key, choice]) => chain.tx(key, vote(1, choice), nonceOf(chain, key))),
  );
  expect(rejected).toEqual([]);
  return chain.state.read(entryName.proposal(1)) as Proposal;
}

const fourEqual = () =>
  new TestChain(testGenesis([alice, bob, carol, dave], { governance: { votingPeriod: 1 } }), alice);

const TOO_FEW = 'Too few voted: the quorum is 1/2.';
const NO_SUPPORT = 'Not enough support: passing needs more than 1/2 of yes and no.';

describe('closing a proposal (in memory, real signatures)', () => {
  it.each([
    ['no votes at all', [], 'rejected', TOO_FEW, [0, 0, 0]],
    ['one vote of four: below the quorum of 1/2', [[bob, 'yes']], 'rejected', TOO_FEW, [1, 0, 0]],
    [
      'two of four, one abstaining: the quorum exactly, and yes is all of yes and no',
      [
        [bob, 'yes'],
        [carol, 'abstain'],
      ],
      'passed',
      '',
      [1, 0, 1],
    ],
    [
      'a tie of yes and no: not more than half',
      [
        [alice, 'yes'],
        [bob, 'yes'],
        [carol, 'no'],
        [dave, 'no'],
      ],
      'rejected',
      NO_SUPPORT,
      [2, 2, 0],
    ],
    [
      'three yes, one no',
      [
        [alice, 'yes'],
        [bob, 'yes'],
        [carol, 'yes'],
        [dave, 'no'],
      ],
      'passed',
      '',
      [3, 1, 0],
    ],
  ] as [string, [TestKey, Choice][], string, string, number[]][])(
    '%s',
    (_label, votes, status, outcome, [yes, no, abstain]) => {
      const p = decide(fourEqual(), votes);
      expect(p.status).toBe(status);
      expect(p.outcome).toBe(outcome);
      expect(p.tally).toEqual({
        yes: BigInt(yes!),
        no: BigInt(no!),
        abstain: BigInt(abstain!),
        total: 4n,
      });
    },
  );

  it('weighs each validator by its power', () => {
    const chain = new TestChain(
      testGenesis([alice, bob, carol], {
        validators: [
          { key: alice.publicKey, power: 3 },
          { key: bob.publicKey, power: 1 },
          { key: carol.publicKey, power: 1 },
        ],
        governance: { votingPeriod: 1 },
      }),
      alice,
    );
    // By count this is a tie; by power it is 3 to 2.
    const p = decide(chain, [
      [alice, 'yes'],
      [bob, 'no'],
      [carol, 'no'],
    ]);
    expect([p.status, p.tally]).toEqual(['passed', { yes: 3n, no: 2n, abstain: 0n, total: 5n }]);
  });

  it('weighs each holder by the balance held when the vote closes', () => {
    const chain = new TestChain(
      testGenesis([alice], {
        assets: [{ symbol: 'VOTE', name: 'Share', decimals: 0, minter: null }],
        balances: [
          { account: bob.publicKey, asset: 'VOTE', amount: 5n },
          { account: carol.publicKey, asset: 'VOTE', amount: 4n },
        ],
        governance: { voters: 'holders', voterAsset: 'VOTE', votingPeriod: 1 },
      }),
      alice,
    );
    chain.commit([chain.tx(bob, propose(text), 0)]);
    chain.commit([
      chain.tx(bob, vote(1, 'yes'), 1),
      chain.tx(carol, vote(1, 'no'), 0),
      // After voting, bob hands one share to carol: at close it is 4 to 5.
      chain.tx(bob, { kind: 'transfer', asset: 'VOTE', to: carol.publicKey, amount: 1n }, 2),
    ]);
    const p = chain.state.read(entryName.proposal(1)) as Proposal;
    expect([p.status, p.outcome]).toEqual(['rejected', NO_SUPPORT]);
    expect(p.tally).toEqual({ yes: 4n, no: 5n, abstain: 0n, total: 9n });
  });

  it('closes a proposal once: it leaves the open list, and later blocks do not count it again', () => {
    const chain = fourEqual();
    const closed = decide(chain, [
      [alice, 'yes'],
      [bob, 'yes'],
    ]);
    expect((chain.state.read(entryName.params) as ChainParams).openProposals).toEqual([]);
    chain.commit();
    expect(chain.state.read(entryName.proposal(1))).toEqual(closed);
  });

  it('keeps a proposal open until the end of its period', () => {
    const chain = new TestChain(
      testGenesis([alice, bob, carol, dave], { governance: { votingPeriod: 2 } }),
      alice,
    );
    chain.commit([chain.tx(alice, propose(text), 0)]);
    chain.commit([chain.tx(bob, vote(1), 0), chain.tx(carol, vote(1), 0)]);
    expect((chain.state.read(entryName.proposal(1)) as Proposal).status).toBe('open');
    expect((chain.state.read(entryName.params) as ChainParams).openProposals).toEqual([1]);
    chain.commit();
    expect((chain.state.read(entryName.proposal(1)) as Proposal).status).toBe('passed');
  });

  it('records each change of the signing set in the history, from the height it signs, keeping 16', () => {
    const chain = new TestChain(testGenesis([alice], { governance: { votingPeriod: 1 } }), alice);
    // Each block votes on the last block's proposal and makes the next: alice's power 2, 3, 2, …
    const setPower = (power: number) =>
      propose({ type: 'setPower', publicKey: alice.publicKey, power });
    chain.commit([chain.tx(alice, setPower(2))]);
    for (let id = 1; id <= 20; id++) {
      chain.commit([chain.tx(alice, vote(id)), chain.tx(alice, setPower(2 + (id % 2)))]);
    }
    const history = chain.state.read(entryName.validatorHistory) as ValidatorHistory;
    expect(history.sets).toHaveLength(MAX_VALIDATOR_HISTORY);
    // Proposal n passes in block n + 1 and signs from n + 3: the newest signs the next block.
    const newest = history.sets.at(-1)!;
    expect(newest.since).toBe(chain.state.height + 1);
    expect(newest.set).toEqual(chain.state.read(entryName.validators));
    const sinces = history.sets.map((s) => s.since);
    expect(sinces).toEqual(sinces.map((_, i) => newest.since - (sinces.length - 1 - i)));
  });

  it('adds nothing to the history while the set stays the same', () => {
    const chain = fourEqual();
    for (let i = 0; i < 3; i++) chain.commit();
    expect((chain.state.read(entryName.validatorHistory) as ValidatorHistory).sets).toHaveLength(1);
  });
});
