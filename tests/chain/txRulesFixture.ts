// Shared by the transaction-rule tests: a chain of four validators, and helpers that submit one
// transaction with its right nonce and check that a refused one changed nothing.
import { expect } from 'vitest';
import { entryName, type Account } from '../../src/chain/stateEntries';
import type { ProposalAction, TxBody } from '../../src/chain/transaction';
import { TestChain, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';

export const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((n) =>
  testKey(`rules ${n}`),
) as [TestKey, TestKey, TestKey, TestKey];
export const outsider = testKey('rules outsider');

export function nonceOf(chain: TestChain, key: TestKey): number {
  return (chain.state.read(entryName.account(key.publicKey)) as Account | undefined)?.nonce ?? 0;
}

/** Commits one transaction of `from` with its right nonce; returns the error, or undefined. */
export function submit(chain: TestChain, from: TestKey, body: TxBody): Error | undefined {
  const { rejected } = chain.commit([chain.tx(from, body, nonceOf(chain, from))]);
  return rejected[0]?.error;
}

/** The error `body` from `from` is refused with; fails the test when it is accepted. */
export function refusal(chain: TestChain, from: TestKey, body: TxBody): Error {
  const before = nonceOf(chain, from);
  const error = submit(chain, from, body);
  expect(error, 'the transaction should have been refused').toBeDefined();
  expect(nonceOf(chain, from)).toBe(before); // nothing of it applied, not even the nonce
  return error!;
}

export function expectError(error: Error, name: string, message: RegExp): void {
  expect(error.name).toBe(name);
  expect(error.message).toMatch(message);
}

export function accepts(chain: TestChain, from: TestKey, body: TxBody): void {
  expect(submit(chain, from, body)?.message).toBeUndefined();
}

export const validatorsChain = (votingPeriod = 3) =>
  new TestChain(testGenesis([alice, bob, carol, dave], { governance: { votingPeriod } }), alice);

export const propose = (action: ProposalAction): TxBody => ({
  kind: 'propose',
  title: 'A change',
  action,
});
export const vote = (proposalId: number, choice: 'yes' | 'no' | 'abstain' = 'yes'): TxBody => ({
  kind: 'vote',
  proposalId,
  choice,
});
export const text: ProposalAction = { type: 'text', text: 'Paint the barn.' };
