// Block rules above height 1, one broken at a time (pure, real signatures): a block valid in
// every way but one is refused for that exact reason, and the state does not move.
import { describe, expect, it } from 'vitest';
import {
  InvalidBlockError,
  MAX_TIME_STEP_MS,
  buildBlock,
  executeBlock,
  executeBlockDeferred,
  validateBlock,
} from '../../src/chain/applyBlock';
import {
  MAX_BLOCK_TRANSACTIONS,
  commitHashOf,
  txRootOf,
  type Block,
  type CommitCertificate,
} from '../../src/chain/block';
import { genesisValidatorSet } from '../../src/chain/genesis';
import type { SignedTransaction } from '../../src/chain/transaction';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const checks = { verifyLastCommit: verifyCommit };
const [alice, bob] = ['alice', 'bob'].map(testKey) as [
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
];

/** A chain at height 2 and a valid block 3 on it, carrying one transfer. */
function atHeightTwo() {
  const chain = new TestChain(testGenesis([alice, bob]), alice);
  chain.commit();
  chain.commit();
  const transfer = chain.tx(alice, {
    kind: 'transfer',
    asset: 'COIN',
    to: bob.publicKey,
    amount: 5n,
  });
  const build = (time = chain.head!.time + 1000, candidates = [transfer]): Block =>
    buildBlock(chain.state, {
      parent: chain.head,
      time,
      proposer: alice.publicKey,
      candidates,
      lastCommit: chain.lastCommit,
    }).block;
  return { chain, transfer, build, block: build() };
}

/** The reason validateBlock and executeBlock give, the same for both, and the state unmoved. */
function refusal(chain: TestChain, block: Block, parent = chain.head): string {
  const before = { root: chain.state.root, height: chain.state.height };
  const reasons = [validateBlock, executeBlock].map((check) => {
    try {
      check(chain.state, block, parent, checks);
      return 'ok';
    } catch (e) {
      if (!(e instanceof InvalidBlockError)) throw e;
      return e.reason;
    }
  });
  if (reasons[1] === 'ok') return 'ok';
  expect({ root: chain.state.root, height: chain.state.height }).toEqual(before);
  expect(reasons[0]).toBe(reasons[1]);
  return reasons[1]!;
}

const withHeader = (b: Block, header: Partial<Block['header']>): Block => ({
  ...b,
  header: { ...b.header, ...header },
});
/** Different transactions with the header's root matching them: only the list is wrong. */
const withTransactions = (b: Block, transactions: SignedTransaction[]): Block => ({
  ...withHeader(b, { txRoot: txRootOf(transactions) }),
  transactions,
});
/** Another certificate with the header's hash of it matching: only the certificate is wrong. */
const withCommit = (b: Block, lastCommit: CommitCertificate | null): Block => ({
  ...withHeader(b, { lastCommitHash: commitHashOf(lastCommit) }),
  lastCommit,
});

describe('block rules above height 1 (pure)', () => {
  it('accepts the honest block', () => {
    const { chain, block } = atHeightTwo();
    expect(refusal(chain, block)).toBe('ok');
    expect(chain.state.height).toBe(3);
  });

  it('refuses a block checked against a parent the state is not at', () => {
    const { chain } = atHeightTwo();
    // Block 2 does follow header 1, but the state has already moved past it.
    expect(refusal(chain, chain.blocks[1]!, chain.blocks[0]!.header)).toBe('wrongHeight');
  });

  it('refuses a block that skips a height, or does not name its parent', () => {
    const { chain, block } = atHeightTwo();
    expect(refusal(chain, withHeader(block, { height: 4 }))).toBe('wrongHeight');
    const grandparent = chain.lastCommit!.blockHash.map((x) => x ^ 1);
    expect(refusal(chain, withHeader(block, { previousHash: grandparent }))).toBe('wrongPrevious');
  });

  it('wants a time after the parent’s, and at most ten years after it', () => {
    const { chain, build } = atHeightTwo();
    const parentTime = chain.head!.time;
    expect(refusal(chain, build(parentTime))).toBe('timeNotAfterParent');
    expect(refusal(chain, build(parentTime + MAX_TIME_STEP_MS + 1))).toBe('timeTooFarAhead');
    expect(refusal(chain, build(parentTime + MAX_TIME_STEP_MS))).toBe('ok');
  });

  it('refuses a block announcing the wrong next validator set', () => {
    const { chain, block } = atHeightTwo();
    expect(refusal(chain, withHeader(block, { nextValidatorsHash: new Uint8Array(32) }))).toBe(
      'wrongNextValidators',
    );
  });

  it('refuses more than 10,000 transactions before looking at any', () => {
    const { chain, block, transfer } = atHeightTwo();
    const many = (n: number) => withTransactions(block, Array<SignedTransaction>(n).fill(transfer));
    expect(refusal(chain, many(MAX_BLOCK_TRANSACTIONS + 1))).toBe('tooManyTransactions');
    // 10,000 is allowed by count, so the repeat is what is refused.
    expect(refusal(chain, many(MAX_BLOCK_TRANSACTIONS))).toBe('duplicateTransaction');
  });

  it('refuses the same transaction twice, and one that breaks a rule', () => {
    const { chain, block, transfer } = atHeightTwo();
    expect(refusal(chain, withTransactions(block, [transfer, transfer]))).toBe(
      'duplicateTransaction',
    );
    const overdraft = chain.tx(bob, {
      kind: 'transfer',
      asset: 'COIN',
      to: alice.publicKey,
      amount: 10n ** 12n,
    });
    expect(refusal(chain, withTransactions(block, [transfer, overdraft]))).toBe(
      'rejectedTransaction',
    );
  });

  it('refuses a block that does not carry its parent’s certificate', () => {
    const { chain, block } = atHeightTwo();
    const set = genesisValidatorSet(chain.genesis);
    const parentCert = chain.lastCommit!;
    // The certificate of block 1, validly signed, hash in the header: the wrong height.
    const older = chain.certify(chain.blocks[0]!.header, set);
    // Validly signed for height 2, but for another block than the parent.
    const sibling = chain.certify({ ...chain.head!, time: chain.head!.time + 1 }, set);
    const unsigned = { ...parentCert, signatures: [] };
    for (const commit of [null, older, sibling, unsigned]) {
      expect(refusal(chain, withCommit(block, commit))).toBe('wrongLastCommit');
    }
    // The right certificate under a header hash that is not its own.
    expect(refusal(chain, withHeader(block, { lastCommitHash: commitHashOf(older) }))).toBe(
      'wrongLastCommit',
    );
  });

  it('refuses a first block that carries a certificate or a certificate hash', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const first = buildBlock(chain.state, {
      parent: null,
      time: chain.genesis.genesisTime,
      proposer: alice.publicKey,
      candidates: [],
      lastCommit: null,
    }).block;
    const fake: CommitCertificate = {
      height: 0,
      round: 0,
      blockHash: chain.chainId,
      signatures: [],
    };
    expect(refusal(chain, { ...first, lastCommit: fake })).toBe('wrongLastCommit');
    expect(refusal(chain, withHeader(first, { lastCommitHash: new Uint8Array(32).fill(1) }))).toBe(
      'wrongLastCommit',
    );
    // At height 1 a block may share the genesis time.
    expect(refusal(chain, first)).toBe('ok');
  });

  it('checks a block in full when it is not the very one validated on this state', () => {
    const { chain, block } = atHeightTwo();
    validateBlock(chain.state, block, chain.head, checks);
    // Same contents and state root, but a proposer the validated block did not have.
    const spoiled = withHeader(block, { proposer: testKey('erin').publicKey });
    expect(() => executeBlock(chain.state, spoiled, chain.head, checks)).toThrow(
      expect.objectContaining({ reason: 'unknownProposer' }),
    );
    expect(chain.state.height).toBe(2);
    executeBlock(chain.state, block, chain.head, checks);
    expect(chain.state.height).toBe(3);
  });

  it('a deferred block is checked like any other and leaves the state as it was', () => {
    const { chain, block } = atHeightTwo();
    const root = chain.state.root;
    const spoiled = withHeader(block, { nextValidatorsHash: new Uint8Array(32) });
    expect(() => executeBlockDeferred(chain.state, spoiled, chain.head, checks)).toThrow(
      expect.objectContaining({ reason: 'wrongNextValidators' }),
    );
    expect([chain.state.height, chain.state.root]).toEqual([2, root]);
  });
});
