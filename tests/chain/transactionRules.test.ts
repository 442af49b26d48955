// The chain's transaction rules, one broken at a time: each transaction here is valid in every
// way but one (signed, right chain, right nonce) and each test checks for that exact rejection,
// then that the rejected transaction changed nothing. In memory, real signatures.
import { describe, expect, it } from 'vitest';
import { applyValidatorAction } from '../../src/chain/applyTransaction';
import { MAX_AMOUNT } from '../../src/chain/genesis';
import {
  entryName,
  type Account,
  type Asset,
  type ChainParams,
  type Proposal,
  type TitleRecord,
} from '../../src/chain/stateEntries';
import type { ProposalAction, TxBody } from '../../src/chain/transaction';
import { MAX_POWER, MAX_VALIDATORS, type ValidatorSet } from '../../src/chain/validatorSet';
import { isAcceptedPublicKey, sign } from '../../src/crypto/ed25519';
import { signTransaction } from '../../src/chain/transaction';
import { TestChain, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';

const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) =>
  testKey(`rules ${n}`),
) as [TestKey, TestKey, TestKey, TestKey];
const outsider = testKey('rules outsider');

function nonceOf(chain: TestChain, key: TestKey): number {
  return (chain.state.read(entryName.account(key.publicKey)) as Account | undefined)?.nonce ?? 0;
}

/** Commits one transaction of `from` with its right nonce; returns the error, or undefined. */
function submit(chain: TestChain, from: TestKey, body: TxBody): Error | undefined {
  const { rejected } = chain.commit([chain.tx(from, body, nonceOf(chain, from))]);
  return rejected[0]?.error;
}

/** The error `body` from `from` is refused with; fails the test when it is accepted. */
function refusal(chain: TestChain, from: TestKey, body: TxBody): Error {
  const before = nonceOf(chain, from);
  const error = submit(chain, from, body);
  expect(error, 'the transaction should have been refused').toBeDefined();
  expect(nonceOf(chain, from)).toBe(before); // nothing of it applied, not even the nonce
  return error!;
}

function expectError(error: Error, name: string, message: RegExp): void {
  expect(error.name).toBe(name);
  expect(error.message).toMatch(message);
}

function accepts(chain: TestChain, from: TestKey, body: TxBody): void {
  expect(submit(chain, from, body)?.message).toBeUndefined();
}

const validatorsChain = (votingPeriod = 3) =>
  new TestChain(testGenesis([alice, bob, carol, dave], { governance: { votingPeriod } }), alice);

const propose = (action: ProposalAction): TxBody => ({
  kind: 'propose',
  title: 'A change',
  action,
});
const vote = (proposalId: number, choice: 'yes' | 'no' | 'abstain' = 'yes'): TxBody => ({
  kind: 'vote',
  proposalId,
  choice,
});
const text: ProposalAction = { type: 'text', text: 'Paint the barn.' };

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
      expect(refusal(validatorsChain(), alice, propose(action)).name).toBe('InvalidProposalError');
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
      expect(refusal(validatorsChain(), alice, propose(threshold(n, d))).name).toBe(
        'InvalidProposalError',
      );
    }
    accepts(validatorsChain(), alice, propose(threshold(1, 2)));
  });

  it('refuses a text proposal with no text, and governance rules a genesis would refuse', () => {
    expect(refusal(validatorsChain(), alice, propose({ type: 'text', text: '  \n' })).name).toBe(
      'InvalidProposalError',
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

describe('validator set actions at their limits (pure)', () => {
  const member = (i: number) => {
    const publicKey = new Uint8Array(32);
    publicKey[0] = i >> 8;
    publicKey[1] = i & 0xff;
    return { publicKey, power: 1, name: '' };
  };
  const threshold = { numerator: 2, denominator: 3 };

  it('adds, removes and re-powers, keeping the set sorted', () => {
    const set: ValidatorSet = {
      validators: [alice, bob].map((k) => ({ publicKey: k.publicKey, power: 1, name: '' })),
      threshold,
    };
    const grown = applyValidatorAction(set, {
      type: 'addValidator',
      publicKey: carol.publicKey,
      power: 4,
      name: 'c',
    });
    const keys = grown.validators.map((v) => Buffer.from(v.publicKey).toString('hex'));
    expect(keys).toEqual([...keys].sort());
    expect(grown.validators).toHaveLength(3);
    const shrunk = applyValidatorAction(grown, {
      type: 'removeValidator',
      publicKey: alice.publicKey,
    });
    expect(shrunk.validators.map((v) => v.power).sort()).toEqual([1, 4]);
    const repowered = applyValidatorAction(shrunk, {
      type: 'setPower',
      publicKey: bob.publicKey,
      power: 7,
    });
    expect(repowered.validators.map((v) => v.power).sort()).toEqual([4, 7]);
  });

  it('refuses removing the last validator', () => {
    const one: ValidatorSet = { validators: [member(1)], threshold };
    expect(() =>
      applyValidatorAction(one, { type: 'removeValidator', publicKey: member(1).publicKey }),
    ).toThrow(/last validator/);
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
    expect(() =>
      applyValidatorAction(full, {
        type: 'addValidator',
        publicKey: outsider.publicKey,
        power: 1,
        name: '',
      }),
    ).toThrow(/at most/);
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

describe('assets, one rule broken (in memory, real signatures)', () => {
  const withMinter = () =>
    new TestChain(
      testGenesis([alice, bob], {
        assets: [
          { symbol: 'COIN', name: 'Co-op coin', decimals: 2, minter: null },
          { symbol: 'SEED', name: 'Seed', decimals: 0, minter: bob.publicKey },
        ],
        balances: [
          { account: alice.publicKey, asset: 'COIN', amount: 100n },
          { account: bob.publicKey, asset: 'SEED', amount: 10n },
        ],
      }),
      alice,
    );
  const mint = (amount: bigint, to = carol.publicKey): TxBody => ({
    kind: 'mint',
    asset: 'SEED',
    to,
    amount,
  });
  const supply = (chain: TestChain) => (chain.state.read(entryName.asset('SEED')) as Asset).supply;

  it('records the supply a mint adds, and credits it to the payee', () => {
    const chain = withMinter();
    accepts(chain, bob, mint(5n));
    expect(supply(chain)).toBe(15n);
    expect(chain.state.read(entryName.balance(carol.publicKey, 'SEED'))).toEqual({ amount: 5n });
  });

  it('refuses a mint past the supply cap, and accepts one up to it', () => {
    const chain = withMinter();
    const error = refusal(chain, bob, mint(MAX_AMOUNT - 9n));
    expectError(error, 'AmountOutOfRangeError', /limit/);
    expect(supply(chain)).toBe(10n);
    accepts(chain, bob, mint(MAX_AMOUNT - 10n));
    expect(supply(chain)).toBe(MAX_AMOUNT);
  });

  it('refuses a mint by anyone but the minter, and of an asset with none', () => {
    expect(refusal(withMinter(), alice, mint(1n)).name).toBe('NotMinterError');
    const fixed: TxBody = { kind: 'mint', asset: 'COIN', to: alice.publicKey, amount: 1n };
    expect(refusal(withMinter(), alice, fixed).name).toBe('NotMinterError');
    expect(refusal(withMinter(), bob, mint(0n)).name).toBe('AmountOutOfRangeError');
  });

  it('refuses a payment of nothing or more than held; pays all that is held', () => {
    const pay = (amount: bigint): TxBody => ({
      kind: 'transfer',
      asset: 'COIN',
      to: bob.publicKey,
      amount,
    });
    expect(refusal(withMinter(), alice, pay(0n)).name).toBe('AmountOutOfRangeError');
    expect(refusal(withMinter(), alice, pay(101n)).name).toBe('InsufficientBalanceError');
    // The most any amount can be is still an amount: refused for the balance, not the range.
    expect(refusal(withMinter(), alice, pay(MAX_AMOUNT)).name).toBe('InsufficientBalanceError');
    const chain = withMinter();
    accepts(chain, alice, pay(100n));
    expect(chain.state.read(entryName.balance(bob.publicKey, 'COIN'))).toEqual({ amount: 100n });
  });

  it('refuses a new asset with no supply and no minter, and accepts one with a minter', () => {
    const issue = (supply: bigint, minter: Uint8Array | null, symbol = 'NEW'): TxBody => ({
      kind: 'issueAsset',
      symbol,
      name: 'New',
      decimals: 0,
      supply,
      minter,
    });
    expect(refusal(withMinter(), alice, issue(0n, null)).name).toBe('AmountOutOfRangeError');
    accepts(withMinter(), alice, issue(0n, alice.publicKey));
    expect(refusal(withMinter(), alice, issue(5n, null, 'SEED')).name).toBe('AssetExistsError');
  });
});

describe('records, one rule broken (in memory, real signatures)', () => {
  it('refuses a record id with spaces around it', () => {
    const chain = validatorsChain();
    const register: TxBody = {
      kind: 'registerRecord',
      recordId: ' plot-1',
      contentHash: new Uint8Array(32),
      metadata: {},
    };
    expect(refusal(chain, alice, register).name).toBe('MalformedTransactionError');
    accepts(chain, alice, { ...register, recordId: 'plot-1' });
    expect(chain.state.read(entryName.record('plot-1'))).toMatchObject({
      registeredHeight: 2,
      transfers: 0,
    });
  });
});

describe('the envelope of a transaction, one rule broken (in memory, real signatures)', () => {
  const pay: TxBody = { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 1n };

  it('refuses a transaction signed for another chain, with a good signature for it', () => {
    const chain = validatorsChain();
    const other = new Uint8Array(32).fill(6);
    const tx = signTransaction(
      { chainId: other, sender: alice.publicKey, nonce: 0, body: pay },
      (m) => sign(m, alice.secretKey),
    );
    expect(chain.commit([tx]).rejected[0]?.error.name).toBe('WrongChainError');
  });

  it('refuses a signature that is not the sender’s', () => {
    const chain = validatorsChain();
    const tx = signTransaction(
      { chainId: chain.chainId, sender: alice.publicKey, nonce: 0, body: pay },
      (m) => sign(m, bob.secretKey),
    );
    expect(chain.commit([tx]).rejected[0]?.error.name).toBe('BadSignatureError');
  });

  it('refuses a nonce one ahead or one behind, takes the next one, and counts it', () => {
    const chain = validatorsChain();
    expect(chain.commit([chain.tx(alice, pay, 1)]).rejected[0]?.error.name).toBe(
      'FutureNonceError',
    );
    expect(chain.commit([chain.tx(alice, pay, 0)]).rejected).toEqual([]);
    expect(nonceOf(chain, alice)).toBe(1);
    expect(chain.commit([chain.tx(alice, pay, 0)]).rejected[0]?.error.name).toBe('StaleNonceError');
    expect(chain.state.read(entryName.balance(bob.publicKey, 'COIN'))).toEqual({
      amount: 1_000_001n,
    });
  });
});

describe('more of the state a transaction writes (in memory, real signatures)', () => {
  it('keeps a proposal’s votes in voter order, whatever order they came in', () => {
    const chain = validatorsChain();
    accepts(chain, alice, propose(text));
    const voters = [dave, carol, bob].sort((x, y) => Buffer.compare(y.publicKey, x.publicKey));
    for (const v of voters) accepts(chain, v, vote(1));
    const p = chain.state.read(entryName.proposal(1)) as Proposal;
    const hex = p.votes.map((v) => Buffer.from(v.voter).toString('hex'));
    expect(hex).toEqual([...hex].sort());
    expect(p.votes).toHaveLength(3);
  });

  it('registers a record to its sender at this height, with this transaction', () => {
    const chain = validatorsChain();
    chain.commit();
    const register: TxBody = {
      kind: 'registerRecord',
      recordId: 'plot-9',
      contentHash: new Uint8Array(32).fill(2),
      metadata: { zone: 'B' },
    };
    accepts(chain, alice, register);
    const record = chain.state.read(entryName.record('plot-9')) as TitleRecord;
    expect(record).toMatchObject({
      owner: alice.publicKey,
      contentHash: new Uint8Array(32).fill(2),
      metadata: { zone: 'B' },
      registeredHeight: 2,
      updatedHeight: 2,
      transfers: 0,
    });
    expect(record.lastTxId).toEqual(expect.any(Uint8Array));
    accepts(chain, alice, { kind: 'transferRecord', recordId: 'plot-9', to: bob.publicKey });
    const moved = chain.state.read(entryName.record('plot-9')) as TitleRecord;
    expect(moved).toMatchObject({
      owner: bob.publicKey,
      registeredHeight: 2,
      updatedHeight: 3,
      transfers: 1,
    });
    expect(moved.lastTxId).not.toEqual(record.lastTxId);
  });

  it('issues a fixed supply to its issuer, and refuses a malformed symbol', () => {
    const chain = validatorsChain();
    const issue: TxBody = {
      kind: 'issueAsset',
      symbol: 'HAY',
      name: 'Hay bales',
      decimals: 0,
      supply: 5n,
      minter: null,
    };
    accepts(chain, carol, issue);
    expect(chain.state.read(entryName.balance(carol.publicKey, 'HAY'))).toEqual({ amount: 5n });
    expect(chain.state.read(entryName.asset('HAY'))).toMatchObject({
      supply: 5n,
      issuer: carol.publicKey,
    });
    expect(refusal(chain, carol, { ...issue, symbol: 'hay' }).name).toBe(
      'MalformedTransactionError',
    );
  });

  it('changes governance to holders of an asset only when the chain has that asset', () => {
    const chain = validatorsChain();
    const rules = (chain.state.read(entryName.params) as ChainParams).governance;
    const holders = (voterAsset: string) =>
      propose({
        type: 'setGovernance',
        rules: { ...rules, voters: 'holders', voterAsset },
      });
    expect(refusal(chain, alice, holders('NOPE')).name).toBe('InvalidProposalError');
    accepts(chain, alice, holders('COIN'));
  });
});
