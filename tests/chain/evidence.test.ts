// Evidence of double signing carried in blocks (in memory): checked by the chain rules against
// the validator set of its own height, recorded in the state, provable there.
import { describe, expect, it } from 'vitest';
import { buildBlock, executeBlock, InvalidBlockError } from '../../src/chain/applyBlock';
import { decodeBlock, encodeBlock, evidenceHashOf, type Block } from '../../src/chain/block';
import {
  evidenceIdOf,
  normalizeEvidence,
  type DuplicateVoteEvidence,
} from '../../src/chain/evidence';
import {
  decodeEntry,
  entryName,
  stateKeyOf,
  stateValueHash,
  type EvidenceRecord,
} from '../../src/chain/stateEntries';
import { verifyStateProof } from '../../src/chain/sparseMerkleTree';
import { signVote } from '../../src/chain/vote';
import { sign } from '../../src/crypto/ed25519';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { TestChain, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';

const checks = { verifyLastCommit: verifyCommit };
const [alice, bob, carol, dave, erin] = ['alice', 'bob', 'carol', 'dave', 'erin'].map(testKey) as [
  TestKey,
  TestKey,
  TestKey,
  TestKey,
  TestKey,
];

/** Two prevotes by `key` at (height, round 0): one for a block, one for nil. */
function doubleVote(chain: TestChain, key: TestKey, height: number): DuplicateVoteEvidence {
  const vote = (blockHash: Uint8Array | null) =>
    signVote(chain.chainId, { type: 'prevote', height, round: 0, blockHash }, key.publicKey, (m) =>
      sign(m, key.secretKey),
    );
  return { voteA: vote(new Uint8Array(32).fill(height)), voteB: vote(null) };
}

/** The next block with exactly this evidence, whatever a proposer would have left out. */
function blockWith(chain: TestChain, evidence: DuplicateVoteEvidence[]): Block {
  const { block } = buildBlock(chain.state, {
    parent: chain.head,
    time: chain.head!.time + 1000,
    proposer: alice.publicKey,
    candidates: [],
    lastCommit: chain.lastCommit,
  });
  return {
    ...block,
    header: { ...block.header, evidenceHash: evidenceHashOf(evidence) },
    evidence,
  };
}

function refusal(chain: TestChain, block: Block): InvalidBlockError {
  const height = chain.state.height;
  const root = chain.state.root;
  try {
    executeBlock(chain.state, block, chain.head, checks);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidBlockError);
    expect(chain.state.height).toBe(height);
    expect(chain.state.root).toEqual(root);
    return error as InvalidBlockError;
  }
  throw new Error('expected the block to be refused');
}

describe('evidence in blocks (in memory)', () => {
  it('a block carries evidence into the state, where a proof against the header shows it', () => {
    const chain = new TestChain(testGenesis([alice, bob, carol, dave]), alice);
    chain.commit();
    chain.commit();
    const evidence = doubleVote(chain, bob, 2);
    const { block } = chain.commit([], [evidence]);
    expect(block.evidence).toEqual([evidence]);
    expect(decodeBlock(encodeBlock(block))).toEqual(block);

    const proof = chain.state.prove(entryName.evidence(evidenceIdOf(evidence)));
    const root = block.header.stateRoot;
    expect(
      verifyStateProof(root, stateKeyOf(proof.name), stateValueHash(proof.value!), proof.proof),
    ).toBe(true);
    const record = decodeEntry(proof.name, proof.value!) as EvidenceRecord;
    expect(record).toEqual({ evidence: normalizeEvidence(evidence), includedHeight: 3 });
  });

  it('refuses invalid evidence with the reason, and changes nothing', () => {
    const chain = new TestChain(testGenesis([alice, bob, carol, dave]), alice);
    chain.commit();
    chain.commit();
    const good = doubleVote(chain, bob, 1);
    chain.commit([], [good]);
    const forged = {
      ...good,
      voteB: { ...good.voteB, signature: new Uint8Array(64).fill(3) },
    };
    const agreeing = { voteA: good.voteA, voteB: good.voteA };
    const cases: [DuplicateVoteEvidence[], RegExp][] = [
      [[forged], /bad signature/],
      [[doubleVote(chain, erin, 2)], /not a validator/],
      [[doubleVote(chain, bob, 4)], /before the block/],
      [[agreeing], /agree/],
      [[good], /already recorded/],
      [[doubleVote(chain, carol, 2), doubleVote(chain, carol, 2)], /already recorded/],
    ];
    for (const [evidence, reason] of cases) {
      const error = refusal(chain, blockWith(chain, evidence));
      expect(error.reason).toBe('invalidEvidence');
      expect(error.shortMessage).toMatch(reason);
    }
    const wrongHash = blockWith(chain, [doubleVote(chain, carol, 2)]);
    const mismatched = { ...wrongHash, evidence: [doubleVote(chain, dave, 2)] };
    expect(refusal(chain, mismatched).reason).toBe('wrongEvidenceHash');
  });

  it('refuses two signed votes that are not one validator voting twice in one slot', () => {
    const chain = new TestChain(testGenesis([alice, bob, carol, dave]), alice);
    chain.commit();
    chain.commit();
    const vote = (
      key: TestKey,
      over: Partial<{ type: 'prevote' | 'precommit'; height: number; round: number }>,
      blockHash: Uint8Array | null,
    ) =>
      signVote(
        chain.chainId,
        { type: 'prevote', height: 1, round: 0, blockHash, ...over },
        key.publicKey,
        (m) => sign(m, key.secretKey),
      );
    const hash = new Uint8Array(32).fill(1);
    const pairs: [string, DuplicateVoteEvidence][] = [
      ['two validators', { voteA: vote(bob, {}, hash), voteB: vote(carol, {}, null) }],
      ['two rounds', { voteA: vote(bob, {}, hash), voteB: vote(bob, { round: 1 }, null) }],
      ['two heights', { voteA: vote(bob, {}, hash), voteB: vote(bob, { height: 2 }, null) }],
      ['two steps', { voteA: vote(bob, {}, hash), voteB: vote(bob, { type: 'precommit' }, null) }],
      ['two nil votes', { voteA: vote(bob, {}, null), voteB: vote(bob, { round: 0 }, null) }],
    ];
    for (const [label, evidence] of pairs) {
      expect(refusal(chain, blockWith(chain, [evidence])).reason, label).toBe('invalidEvidence');
    }
    // The same slot with two values is evidence, either way round, with one id.
    const real = { voteA: vote(bob, {}, hash), voteB: vote(bob, {}, null) };
    const swapped = { voteA: real.voteB, voteB: real.voteA };
    expect(evidenceIdOf(swapped)).toEqual(evidenceIdOf(real));
    expect(normalizeEvidence(swapped)).toEqual(normalizeEvidence(real));
    expect(normalizeEvidence(swapped).voteA.blockHash).toBeNull();
    expect(chain.commit([], [swapped]).block.evidence).toHaveLength(1);
  });

  it('a proposer leaves out evidence the rules would refuse', () => {
    const chain = new TestChain(testGenesis([alice, bob, carol, dave]), alice);
    chain.commit();
    const good = doubleVote(chain, dave, 1);
    const { block } = chain.commit([], [doubleVote(chain, erin, 1), good, good]);
    expect(block.evidence).toEqual([good]);
  });

  it('checks evidence against the validator set of its own height, across a set change', () => {
    const chain = new TestChain(
      testGenesis([alice, bob, carol, dave], { governance: { votingPeriod: 2 } }),
      alice,
    );
    const add = { type: 'addValidator' as const, publicKey: erin.publicKey, power: 1, name: 'e' };
    chain.commit([chain.tx(alice, { kind: 'propose', title: 'Add Erin', action: add })]);
    chain.commit(
      [alice, bob, carol].map((k) => chain.tx(k, { kind: 'vote', proposalId: 1, choice: 'yes' })),
    );
    chain.commit(); // 3: passes; Erin signs from 5
    chain.commit(); // 4
    chain.commit(); // 5
    // Erin was no validator at 4, and is one at 5.
    const before = refusal(chain, blockWith(chain, [doubleVote(chain, erin, 4)]));
    expect(before.shortMessage).toMatch(/not a validator/);
    const { block } = chain.commit([], [doubleVote(chain, erin, 5), doubleVote(chain, bob, 1)]);
    expect(block.evidence).toHaveLength(2);
  });
});
