// The chain's transaction rules for assets, records and the signed envelope, one broken at a
// time: each transaction here is valid in every way but one (signed, right chain, right nonce)
// and each test checks for that exact rejection, then that the rejected transaction changed
// nothing. Governance's rules are in governanceRules.test.ts. In memory, real signatures.
import { describe, expect, it } from 'vitest';
import { MAX_AMOUNT } from '../../src/chain/genesis';
import {
  entryName,
  type Asset,
  type ChainParams,
  type Proposal,
  type TitleRecord,
} from '../../src/chain/stateEntries';
import type { TxBody } from '../../src/chain/transaction';
import { sign } from '../../src/crypto/ed25519';
import { signTransaction } from '../../src/chain/transaction';
import { TestChain, testGenesis } from '../helpers/chainFixture';
import {
  accepts,
  alice,
  bob,
  carol,
  dave,
  expectError,
  nonceOf,
  propose,
  refusal,
  text,
  validatorsChain,
  vote,
} from './txRulesFixture';

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
