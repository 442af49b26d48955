// The consensus engine alone, driven message by message (pure, real signatures, no network).
import { describe, expect, it } from 'vitest';
import { buildBlock, validateBlock } from '../../src/chain/applyBlock';
import { blockHashOf, type Block } from '../../src/chain/block';
import { ChainState } from '../../src/chain/ChainState';
import { genesisValidatorSet } from '../../src/chain/genesis';
import { sign } from '../../src/crypto/ed25519';
import {
  createConsensusEngine,
  type EngineOutput,
  type PrevoteRule,
} from '../../src/consensus/createConsensusEngine';
import { proposalSigningBytes, type ConsensusMessage } from '../../src/consensus/messages';
import { signVote } from '../../src/chain/vote';
import { proposerOf } from '../../src/consensus/proposer';
import { verifyCommit } from '../../src/consensus/verifyCommit';
import { GENESIS_TIME, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { ignoreLockRule } from '../sim/variants';
import { lazy } from '../helpers/lazy';

const keys = ['p', 'q', 'r', 's'].map((n) => testKey(`engine-${n}`));
const genesis = lazy(() => testGenesis(keys));
const set = lazy(() => genesisValidatorSet(genesis));
const state = lazy(() => ChainState.fromGenesis(genesis).state);
const chainId = (): Uint8Array => state.chainId;
const keyOf = (publicKey: Uint8Array): TestKey =>
  keys.find((k) => Buffer.from(k.publicKey).equals(Buffer.from(publicKey)))!;

/** A valid block for height 1; different times make different values. */
const blockAt = (time: number): Block =>
  buildBlock(state, {
    parent: null,
    time,
    proposer: proposerOf(set, 1, 0).publicKey,
    candidates: [],
    lastCommit: null,
  }).block;

const proposal = (round: number, block: Block, validRound = -1): ConsensusMessage => {
  const proposer = keyOf(proposerOf(set, 1, round).publicKey);
  const blockHash = blockHashOf(block.header);
  const signature = sign(
    proposalSigningBytes(chainId(), { height: 1, round, blockHash, validRound }),
    proposer.secretKey,
  );
  return {
    kind: 'proposal',
    proposal: {
      height: 1,
      round,
      block: { ...block, header: { ...block.header, proposer: proposer.publicKey } },
      validRound,
      proposer: proposer.publicKey,
      signature,
    },
  };
};

const vote = (
  key: TestKey,
  type: 'prevote' | 'precommit',
  round: number,
  block: Block | null,
): ConsensusMessage => ({
  kind: 'vote',
  vote: signVote(
    chainId(),
    { type, height: 1, round, blockHash: block ? blockHashOf(block.header) : null },
    key.publicKey,
    (m) => sign(m, key.secretKey),
  ),
});

/** An engine for a validator that proposes in none of the rounds used here. */
function engineFor(rule?: PrevoteRule) {
  const proposers = [0, 1, 2].map((r) =>
    Buffer.from(proposerOf(set, 1, r).publicKey).toString('hex'),
  );
  const me = keys.find((k) => !proposers.includes(Buffer.from(k.publicKey).toString('hex')))!;
  const engine = createConsensusEngine({
    chainId: chainId(),
    height: 1,
    validators: set,
    self: { publicKey: me.publicKey, sign: (m) => sign(m, me.secretKey) },
    getValue: () => blockAt(GENESIS_TIME + 1),
    isValid: (block) => {
      try {
        validateBlock(state, block, null, { verifyLastCommit: verifyCommit });
        return true;
      } catch {
        return false;
      }
    },
    ...(rule && { prevoteRule: rule }),
  });
  engine.start();
  return { engine, me, others: keys.filter((k) => k !== me) };
}

const votesOut = (outputs: EngineOutput[]) =>
  outputs.flatMap((o) =>
    o.type === 'broadcast' && o.message.kind === 'vote' ? [o.message.vote] : [],
  );

describe('consensus engine (pure)', () => {
  it("decides an equivocating proposer's second value when a quorum precommits it", () => {
    const { engine, others } = engineFor();
    // Proposals keep the proposer as header.proposer; build both from the round-0 proposer.
    const a = (proposal(0, blockAt(GENESIS_TIME + 10)) as { proposal: { block: Block } }).proposal
      .block;
    const b = (proposal(0, blockAt(GENESIS_TIME + 20)) as { proposal: { block: Block } }).proposal
      .block;
    engine.onMessage(proposal(0, a));
    engine.onMessage(proposal(0, b));
    const outputs = others.flatMap((k) => engine.onMessage(vote(k, 'precommit', 0, b)));
    const decision = outputs.find((o) => o.type === 'decide');
    expect(decision && decision.type === 'decide' && blockHashOf(decision.block.header)).toEqual(
      blockHashOf(b.header),
    );
    expect(decision?.type === 'decide' && decision.certificate.signatures).toHaveLength(3);
  });

  it('a node locked on a value prevotes nil for a fresh proposal; without the lock rule it would not', () => {
    for (const [rule, expectNil] of [
      [undefined, true],
      [ignoreLockRule, false],
    ] as const) {
      const { engine, others } = engineFor(rule);
      const a = (proposal(0, blockAt(GENESIS_TIME + 10)) as { proposal: { block: Block } }).proposal
        .block;
      engine.onMessage(proposal(0, a));
      // A quorum prevotes A: the node precommits A and locks on it (lines 36–41).
      const locked = others.slice(0, 2).flatMap((k) => engine.onMessage(vote(k, 'prevote', 0, a)));
      expect(votesOut(locked).some((v) => v.type === 'precommit' && v.blockHash !== null)).toBe(
        true,
      );
      // Round 0 ends without a decision; round 1's proposer offers a fresh value C.
      engine.onTimeout({ step: 'precommit', height: 1, round: 0 });
      expect(engine.round).toBe(1);
      const c = (proposal(1, blockAt(GENESIS_TIME + 30)) as { proposal: { block: Block } }).proposal
        .block;
      const prevotes = votesOut(engine.onMessage(proposal(1, c))).filter(
        (v) => v.type === 'prevote' && v.round === 1,
      );
      expect(prevotes).toHaveLength(1);
      expect(prevotes[0]!.blockHash === null).toBe(expectNil);
    }
  });
});
