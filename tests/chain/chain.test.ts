// The chain's rules in memory: genesis, transactions, blocks, governance, proofs.
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/codec/cbor';
import { toDidKey } from '../../src/crypto/didKey';
import {
  createGenesis,
  chainIdOf,
  readGenesis,
  InvalidGenesisError,
} from '../../src/chain/genesis';
import {
  executeBlock,
  buildBlock,
  InvalidBlockError,
  validateBlock,
} from '../../src/chain/applyBlock';
import {
  blockHashOf,
  decodeBlock,
  type Block,
  encodeBlock,
  proveTransaction,
  verifyTransactionInclusion,
} from '../../src/chain/block';
import {
  entryName,
  stateKeyOf,
  stateValueHash,
  decodeEntry,
  type Balance,
  MAX_OPEN_PROPOSALS,
  MAX_VOTES_PER_PROPOSAL,
  type Proposal,
} from '../../src/chain/stateEntries';
import { verifyStateProof } from '../../src/chain/sparseMerkleTree';
import {
  hashValidatorSet,
  findValidator,
  MAX_VALIDATORS,
  type ValidatorSet,
} from '../../src/chain/validatorSet';
import { applyValidatorAction } from '../../src/chain/applyTransaction';
import { decodeTransaction, encodeTransaction } from '../../src/chain/transaction';
import { GENESIS_TIME, TestChain, testGenesis, testKey } from '../helpers/chainFixture';
import { verifyCommit } from '../../src/consensus/verifyCommit';

/** The chain rules' certificate check, as the consensus layer supplies it. */
const checks = { verifyLastCommit: verifyCommit };

const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map(testKey) as [
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
  ReturnType<typeof testKey>,
];
const erin = testKey('erin');

function genesisError(fn: () => unknown): InvalidGenesisError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidGenesisError);
    return e as InvalidGenesisError;
  }
  throw new Error('expected InvalidGenesisError');
}

describe('genesis', () => {
  it('has one id whatever order the founder listed things in, and survives encoding', () => {
    const a = testGenesis([alice, bob, carol]);
    const b = testGenesis([carol, alice, bob]);
    expect(chainIdOf(a)).toEqual(chainIdOf(b));
    const again = readGenesis(decode(encode(a)));
    expect(chainIdOf(again)).toEqual(chainIdOf(a));
  });

  it('accepts validators given by did:key', () => {
    const g = createGenesis({
      name: 'Home',
      genesisTime: 0,
      validators: [{ key: toDidKey(alice.publicKey) }, { key: bob.publicKey }],
    });
    expect(g.validators.map((v) => v.publicKey)).toContainEqual(alice.publicKey);
  });

  it.each([
    ['no validators', { validators: [] }, 'validators', 'missing'],
    [
      'threshold below 1/2',
      { threshold: { numerator: 1, denominator: 3 } },
      'threshold',
      'outOfRange',
    ],
    [
      'threshold of all',
      { threshold: { numerator: 1, denominator: 1 } },
      'threshold',
      'outOfRange',
    ],
    [
      'duplicate validator',
      { validators: [{ key: alice.publicKey }, { key: alice.publicKey }] },
      'validators',
      'duplicate',
    ],
    ['zero power', { validators: [{ key: alice.publicKey, power: 0 }] }, 'validators', 'zeroPower'],
    ['invalid key', { validators: [{ key: new Uint8Array(32) }] }, 'validators', 'invalidKey'],
    [
      'unknown asset balance',
      { balances: [{ account: alice.publicKey, asset: 'GOLD', amount: 1n }] },
      'balances',
      'unknownAsset',
    ],
    [
      'zero balance',
      { balances: [{ account: alice.publicKey, asset: 'COIN', amount: 0n }] },
      'balances',
      'outOfRange',
    ],
    [
      'holders vote with an unknown asset',
      { governance: { voters: 'holders' as const, voterAsset: 'GOLD' } },
      'governance',
      'unknownAsset',
    ],
    ['empty name', { name: '  ' }, 'name', 'outOfRange'],
  ])('rejects %s naming the field', (_label, override, field, problem) => {
    const e = genesisError(() => testGenesis([alice, bob], override));
    expect(e.name).toBe('InvalidGenesisError');
    expect(e.field).toBe(field);
    expect(e.problem).toBe(problem);
  });

  it('rejects a genesis whose lists are not in canonical order', () => {
    const g = testGenesis([alice, bob, carol]);
    const shuffled = { ...g, validators: [...g.validators].reverse() };
    expect(genesisError(() => readGenesis(decode(encode(shuffled)))).problem).toBe('notCanonical');
  });
});

describe('transactions', () => {
  it('transfers move balances and bump the nonce', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const { rejected } = chain.commit([
      chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: erin.publicKey, amount: 250n }),
    ]);
    expect(rejected).toEqual([]);
    expect(chain.state.balance(erin.publicKey, 'COIN')).toBe(250n);
    expect(chain.state.account(alice.publicKey)).toEqual({ nonce: 1 });
    expect(chain.state.balancesOf(alice.publicKey)).toEqual({ COIN: 999_750n });
  });

  it.each([
    [
      'BadSignatureError',
      (c: TestChain) => ({
        ...c.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 1n }),
        signature: new Uint8Array(64),
      }),
    ],
    [
      'WrongChainError',
      () => {
        const other = new TestChain(testGenesis([carol]), carol);
        return other.tx(
          alice,
          { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 1n },
          0,
        );
      },
    ],
    [
      'FutureNonceError',
      (c: TestChain) =>
        c.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 1n }, 5),
    ],
    [
      'InsufficientBalanceError',
      (c: TestChain) =>
        c.tx(erin, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 1n }),
    ],
    [
      'UnknownAssetError',
      (c: TestChain) =>
        c.tx(alice, { kind: 'transfer', asset: 'GOLD', to: bob.publicKey, amount: 1n }),
    ],
    [
      'AmountOutOfRangeError',
      (c: TestChain) =>
        c.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 0n }),
    ],
    [
      'NotMinterError',
      (c: TestChain) => c.tx(alice, { kind: 'mint', asset: 'COIN', to: bob.publicKey, amount: 1n }),
    ],
    [
      'AssetExistsError',
      (c: TestChain) =>
        c.tx(alice, {
          kind: 'issueAsset',
          symbol: 'COIN',
          name: 'Again',
          decimals: 0,
          supply: 1n,
          minter: null,
        }),
    ],
    [
      'NotAVoterError',
      (c: TestChain) =>
        c.tx(erin, { kind: 'propose', title: 'Hi', action: { type: 'text', text: 'hello' } }),
    ],
    [
      'UnknownProposalError',
      (c: TestChain) => c.tx(alice, { kind: 'vote', proposalId: 9, choice: 'yes' }),
    ],
    [
      'UnknownRecordError',
      (c: TestChain) =>
        c.tx(alice, { kind: 'transferRecord', recordId: 'lot-1', to: bob.publicKey }),
    ],
  ])('a %s is rejected whole and changes nothing', (name, make) => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const bad = make(chain);
    const { rejected, block } = chain.commit([bad]);
    expect(rejected.map((r) => r.error.name)).toEqual([name]);
    expect(block.transactions).toEqual([]);
    // Forcing it into a block is an invalid block, and the state stays where it was.
    const root = chain.state.root;
    const forced = { ...block, header: { ...block.header, height: block.header.height + 1 } };
    forced.transactions = [bad];
    expect(() => executeBlock(chain.state, forced, chain.head, checks)).toThrow(InvalidBlockError);
    expect(chain.state.root).toEqual(root);
    expect(chain.state.height).toBe(1);
  });

  it('a replayed transaction is stale', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const t = chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 1n });
    chain.commit([t]);
    expect(chain.commit([t]).rejected.map((r) => r.error.name)).toEqual(['StaleNonceError']);
  });

  it('issues and mints an asset only by its minter', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    chain.commit([
      chain.tx(bob, {
        kind: 'issueAsset',
        symbol: 'SEED',
        name: 'Seed bank',
        decimals: 0,
        supply: 10n,
        minter: bob.publicKey,
      }),
    ]);
    chain.commit([chain.tx(bob, { kind: 'mint', asset: 'SEED', to: carol.publicKey, amount: 5n })]);
    expect(chain.state.balance(bob.publicKey, 'SEED')).toBe(10n);
    expect(chain.state.balance(carol.publicKey, 'SEED')).toBe(5n);
  });

  it('records: registered once, moved only by their owner', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const register = {
      kind: 'registerRecord' as const,
      recordId: 'parcel/12-B',
      contentHash: new Uint8Array(32).fill(7),
      metadata: { area: '1200 m²' },
    };
    chain.commit([chain.tx(alice, register)]);
    const second = chain.commit([
      chain.tx(bob, register),
      chain.tx(carol, { kind: 'transferRecord', recordId: 'parcel/12-B', to: carol.publicKey }),
    ]);
    expect(second.rejected.map((r) => r.error.name)).toEqual([
      'RecordExistsError',
      'NotOwnerError',
    ]);
    chain.commit([
      chain.tx(alice, { kind: 'transferRecord', recordId: 'parcel/12-B', to: bob.publicKey }),
    ]);
    const name = entryName.record('parcel/12-B');
    const rec = chain.state.read(name) as { owner: Uint8Array; transfers: number };
    expect(rec.owner).toEqual(bob.publicKey);
    expect(rec.transfers).toBe(1);
  });
});

describe('governance', () => {
  it('a validator added by vote in block H signs from H + 2', () => {
    const chain = new TestChain(
      testGenesis([alice, bob, carol, dave], { governance: { votingPeriod: 2 } }),
      alice,
    );
    const add = {
      type: 'addValidator' as const,
      publicKey: erin.publicKey,
      power: 1,
      name: 'erin',
    };
    chain.commit([chain.tx(alice, { kind: 'propose', title: 'Add Erin', action: add })]); // block 1, closes at 3
    chain.commit(
      [alice, bob, carol].map((k) => chain.tx(k, { kind: 'vote', proposalId: 1, choice: 'yes' })),
    ); // block 2
    chain.commit([]); // block 3: the vote closes and passes (H = 3)
    const proposal = chain.state.read(entryName.proposal(1)) as Proposal;
    expect(proposal.status).toBe('passed');
    expect(proposal.tally).toEqual({ yes: 3n, no: 0n, abstain: 0n, total: 4n });
    const b3 = chain.head!;
    const b4 = chain.commit([]).block.header;
    const b5 = chain.commit([]).block.header;
    const withErin = (hash: Uint8Array) => {
      const set = chain.state.read(entryName.validators) as ValidatorSet;
      return { hash, hasErin: findValidator(set, erin.publicKey) !== undefined };
    };
    expect(b3.nextValidatorsHash).toEqual(b3.validatorsHash); // announced by H + 1, not H
    expect(b4.nextValidatorsHash).not.toEqual(b4.validatorsHash); // H + 1 announces the new set
    expect(b5.validatorsHash).toEqual(b4.nextValidatorsHash); // H + 2 is signed by it
    expect(withErin(b5.validatorsHash).hasErin).toBe(true);
    expect(hashValidatorSet(chain.state.read(entryName.validators) as ValidatorSet)).toEqual(
      b5.validatorsHash,
    );
  });

  it('a proposal without quorum is rejected with the reason', () => {
    const chain = new TestChain(
      testGenesis([alice, bob, carol, dave], { governance: { votingPeriod: 1 } }),
      alice,
    );
    chain.commit([
      chain.tx(alice, {
        kind: 'propose',
        title: 'Paint the barn',
        action: { type: 'text', text: 'Red.' },
      }),
    ]);
    chain.commit([chain.tx(alice, { kind: 'vote', proposalId: 1, choice: 'yes' })]);
    const p = chain.state.read(entryName.proposal(1)) as Proposal;
    expect(p.status).toBe('rejected');
    expect(p.outcome).toMatch(/quorum/);
    expect(
      chain.commit([chain.tx(bob, { kind: 'vote', proposalId: 1, choice: 'yes' })]).rejected[0]
        ?.error.name,
    ).toBe('ProposalClosedError');
  });
});

describe('executing a block that was validated first', () => {
  const proposal = (chain: TestChain, amount: bigint) =>
    buildBlock(chain.state, {
      parent: chain.head,
      time: (chain.head?.time ?? GENESIS_TIME) + 1000,
      proposer: alice.publicKey,
      candidates: [
        chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: erin.publicKey, amount }),
      ],
      lastCommit: chain.lastCommit,
    }).block;

  it('commits exactly what executing it afresh commits', () => {
    const a = new TestChain(testGenesis([alice, bob]), alice);
    const b = new TestChain(testGenesis([alice, bob]), alice);
    const block = proposal(a, 7n);
    validateBlock(a.state, block, null, checks);
    const reused = executeBlock(a.state, block, null, checks);
    const fresh = executeBlock(b.state, block, null, checks);
    expect(reused).toEqual(fresh);
    expect(a.state.root).toEqual(b.state.root);
  });

  it('checks it again when the state moved since validation', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const stale = proposal(chain, 7n);
    validateBlock(chain.state, stale, null, checks);
    chain.commit([]); // another block 1 is committed meanwhile
    expect(() => executeBlock(chain.state, stale, chain.head, checks)).toThrow(
      expect.objectContaining({ name: 'InvalidBlockError' }),
    );
    expect(chain.state.height).toBe(1);
  });
});

describe("a block's certificate for its parent", () => {
  it('is checked against the set that signed the parent: forged or short certificates are refused', () => {
    const chain = new TestChain(testGenesis([alice, bob, carol, dave]), alice);
    chain.commit();
    const real = chain.lastCommit!;
    const build = (lastCommit: typeof real) =>
      buildBlock(chain.state, {
        parent: chain.head,
        time: chain.head!.time + 1000,
        proposer: alice.publicKey,
        candidates: [],
        lastCommit,
      }).block;
    const forged = {
      ...real,
      signatures: real.signatures.map((s) => ({ ...s, signature: new Uint8Array(64).fill(9) })),
    };
    const short = { ...real, signatures: real.signatures.slice(0, 2) }; // 2 of 4: not more than 2/3
    for (const bad of [forged, short]) {
      expect(() => executeBlock(chain.state, build(bad), chain.head, checks)).toThrow(
        expect.objectContaining({ name: 'InvalidBlockError', reason: 'wrongLastCommit' }),
      );
    }
    expect(chain.state.height).toBe(1);
    executeBlock(chain.state, build(real), chain.head, checks);
    expect(chain.state.height).toBe(2);
  });
});

describe('limits that keep the state readable', () => {
  it('a validator set is never grown past what readers accept', () => {
    const full: ValidatorSet = {
      validators: Array.from({ length: MAX_VALIDATORS }, (_, i) => ({
        publicKey: Uint8Array.from({ length: 32 }, (_, j) => (j < 4 ? (i >> (8 * j)) & 255 : 1)),
        power: 1,
        name: '',
      })),
      threshold: { numerator: 2, denominator: 3 },
    };
    expect(() =>
      applyValidatorAction(full, {
        type: 'addValidator',
        publicKey: erin.publicKey,
        power: 1,
        name: '',
      }),
    ).toThrow(expect.objectContaining({ name: 'InvalidProposalError' }));
  });

  it('votes stop at the most a proposal holds, and that proposal still reads back', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    chain.commit([
      chain.tx(alice, { kind: 'propose', title: 'Busy', action: { type: 'text', text: 'x' } }),
    ]);
    const txn = chain.state.begin(chain.state.height, chain.state.time);
    const proposal = txn.proposal(1)!;
    const votes = Array.from({ length: MAX_VOTES_PER_PROPOSAL }, (_, i) => ({
      voter: Uint8Array.from({ length: 32 }, (_, j) => (j < 4 ? (i >> (8 * j)) & 255 : 9)),
      choice: 'yes' as const,
    }));
    txn.setProposal({ ...proposal, votes });
    chain.state.commit(txn);
    const stored = chain.state.prove(entryName.proposal(1));
    expect((decodeEntry(stored.name, stored.value!) as Proposal).votes).toHaveLength(
      MAX_VOTES_PER_PROPOSAL,
    );
    const { rejected } = chain.commit([
      chain.tx(bob, { kind: 'vote', proposalId: 1, choice: 'no' }),
    ]);
    expect(rejected.map((r) => r.error.name)).toEqual(['LimitReachedError']);
  });

  it('proposals stop at the most that may be open at once', () => {
    const chain = new TestChain(
      testGenesis([alice, bob], { governance: { votingPeriod: 1000 } }),
      alice,
    );
    const propose = () =>
      chain.tx(alice, { kind: 'propose', title: 'More', action: { type: 'text', text: 'x' } });
    chain.commit(Array.from({ length: MAX_OPEN_PROPOSALS }, propose));
    const params = chain.state.read(entryName.params) as { openProposals: number[] };
    expect(params.openProposals).toHaveLength(MAX_OPEN_PROPOSALS);
    expect(chain.commit([propose()]).rejected.map((r) => r.error.name)).toEqual([
      'LimitReachedError',
    ]);
  });
});

describe('proofs and blocks', () => {
  it('account state verifies by proof against the header state root; absence too', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    chain.commit([
      chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: erin.publicKey, amount: 42n }),
    ]);
    const root = chain.head!.stateRoot;
    const present = chain.state.prove(entryName.balance(erin.publicKey, 'COIN'));
    expect(
      verifyStateProof(
        root,
        stateKeyOf(present.name),
        stateValueHash(present.value!),
        present.proof,
      ),
    ).toBe(true);
    expect((decodeEntry(present.name, present.value!) as Balance).amount).toBe(42n);
    const absent = chain.state.prove(entryName.balance(dave.publicKey, 'COIN'));
    expect(absent.value).toBeNull();
    expect(verifyStateProof(root, stateKeyOf(absent.name), null, absent.proof)).toBe(true);
  });

  it('a transaction is proven in its block by the tx root', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const txs = [1n, 2n, 3n].map((amount) =>
      chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount }),
    );
    const { block } = chain.commit(txs);
    for (let i = 0; i < 3; i++)
      expect(verifyTransactionInclusion(block.header, proveTransaction(block, i))).toBe(true);
    const wrong = { ...proveTransaction(block, 0), index: 1 };
    expect(verifyTransactionInclusion(block.header, wrong)).toBe(false);
  });

  it('blocks and transactions round-trip through their bytes', () => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const t = chain.tx(alice, {
      kind: 'registerRecord',
      recordId: 'r1',
      contentHash: new Uint8Array(32),
      metadata: { area: '1200 m²', zone: 'B' },
    });
    const { block } = chain.commit([t]);
    expect(decodeTransaction(encodeTransaction(t))).toEqual(t);
    const again = decodeBlock(encodeBlock(block));
    expect(blockHashOf(again.header)).toEqual(blockHashOf(block.header));
  });

  it.each([
    [
      'wrongPrevious',
      (b: Block) => ({ ...b, header: { ...b.header, previousHash: new Uint8Array(32).fill(1) } }),
    ],
    [
      'timeNotAfterParent',
      (b: Block) => ({ ...b, header: { ...b.header, time: GENESIS_TIME - 1 } }),
    ],
    [
      'unknownProposer',
      (b: Block) => ({ ...b, header: { ...b.header, proposer: erin.publicKey } }),
    ],
    ['wrongTxRoot', (b: Block) => ({ ...b, header: { ...b.header, txRoot: new Uint8Array(32) } })],
    [
      'wrongStateRoot',
      (b: Block) => ({ ...b, header: { ...b.header, stateRoot: new Uint8Array(32).fill(3) } }),
    ],
    [
      'wrongValidators',
      (b: Block) => ({ ...b, header: { ...b.header, validatorsHash: new Uint8Array(32) } }),
    ],
    [
      'wrongLastCommit',
      (b: Block) => ({
        ...b,
        lastCommit: { height: 0, round: 0, blockHash: new Uint8Array(32), signatures: [] },
      }),
    ],
    ['wrongChain', (b: Block) => ({ ...b, header: { ...b.header, chainId: new Uint8Array(32) } })],
    [
      'timeTooFarAhead',
      (b: Block) => ({ ...b, header: { ...b.header, time: Number.MAX_SAFE_INTEGER } }),
    ],
  ])('a block with %s is refused and the state is unchanged', (reason, spoil) => {
    const chain = new TestChain(testGenesis([alice, bob]), alice);
    const built = buildBlock(chain.state, {
      parent: null,
      time: GENESIS_TIME + 1000,
      proposer: alice.publicKey,
      candidates: [
        chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount: 5n }),
      ],
      lastCommit: null,
    });
    const root = chain.state.root;
    expect(() => validateBlock(chain.state, spoil(built.block), null, checks)).toThrow(
      expect.objectContaining({ name: 'InvalidBlockError', reason }),
    );
    let error: unknown;
    try {
      executeBlock(chain.state, spoil(built.block), null, checks);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'InvalidBlockError', reason });
    expect(() => validateBlock(chain.state, built.block, null, checks)).not.toThrow();
    expect(chain.state.root).toEqual(root);
    expect(chain.state.height).toBe(0);
    executeBlock(chain.state, built.block, null, checks); // the honest block still applies
    expect(chain.state.height).toBe(1);
  });
});
