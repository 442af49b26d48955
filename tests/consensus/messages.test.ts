// Consensus messages and evidence (pure, in memory, real signatures).
import { describe, expect, it } from 'vitest';
import { decodeConsensusMessage, encodeConsensusMessage } from '../../src/consensus/messages';
import { signVote, type Vote } from '../../src/chain/vote';
import { evidenceIdOf, verifyEvidence } from '../../src/chain/evidence';
import { sign } from '../../src/crypto/ed25519';
import { encode } from '../../src/codec/cbor';
import { genesisValidatorSet } from '../../src/chain/genesis';
import { chainIdOf } from '../../src/chain/genesis';
import { testGenesis, testKey } from '../helpers/chainFixture';
import { expectOnlyTypedErrors } from '../helpers/fuzzDecoder';
import { lazy } from '../helpers/lazy';

const [a, b] = [testKey('msg-a'), testKey('msg-b')];
const genesis = lazy(() => testGenesis([a, b]));
const chainId = (): Uint8Array => chainIdOf(genesis);
const set = lazy(() => genesisValidatorSet(genesis));
const vote = (
  blockHash: Uint8Array | null,
  key = a,
  type: 'prevote' | 'precommit' = 'prevote',
): Vote =>
  signVote(chainId(), { type, height: 3, round: 1, blockHash }, key.publicKey, (m) =>
    sign(m, key.secretKey),
  );

describe('consensus messages', () => {
  it('round-trip through their bytes', () => {
    const v = vote(new Uint8Array(32).fill(1));
    expect(decodeConsensusMessage(encodeConsensusMessage({ kind: 'vote', vote: v }))).toEqual({
      kind: 'vote',
      vote: v,
    });
  });

  it('a message is one vote or one proposal, never both or neither', () => {
    const v = vote(null);
    for (const value of [{}, { vote: v, proposal: v }]) {
      expect(() => decodeConsensusMessage(encode(value))).toThrow(
        expect.objectContaining({ name: 'DecodeError' }),
      );
    }
  });

  it('random and mutated bytes are only ever a DecodeError', () => {
    const valid = encodeConsensusMessage({ kind: 'vote', vote: vote(null) });
    expectOnlyTypedErrors(valid, [{ decode: decodeConsensusMessage, errors: ['DecodeError'] }]);
  });
});

describe('evidence of double signing', () => {
  const v1 = lazy(() => vote(new Uint8Array(32).fill(1)));
  const v2 = lazy(() => vote(new Uint8Array(32).fill(2)));

  it('two signed, conflicting votes for one slot are evidence anyone can check', () => {
    expect(() => verifyEvidence({ voteA: v1, voteB: v2 }, set, chainId())).not.toThrow();
    expect(() => verifyEvidence({ voteA: v1, voteB: vote(null) }, set, chainId())).not.toThrow();
    expect(evidenceIdOf({ voteA: v1, voteB: v2 })).toEqual(evidenceIdOf({ voteA: v2, voteB: v1 }));
  });

  it.each([
    ['the same vote twice', () => ({ voteA: v1, voteB: v1 })],
    ['two validators', () => ({ voteA: v1, voteB: vote(new Uint8Array(32).fill(2), b) })],
    ['two steps', () => ({ voteA: v1, voteB: vote(new Uint8Array(32).fill(2), a, 'precommit') })],
    [
      'a forged signature',
      () => ({ voteA: v1, voteB: { ...v2, signature: new Uint8Array(64).fill(3) } }),
    ],
    ['another chain', () => ({ voteA: v1, voteB: v2, chainId: new Uint8Array(32) })],
  ])('is refused when it shows %s', (_label, make) => {
    const e = make() as { voteA: Vote; voteB: Vote; chainId?: Uint8Array };
    expect(() => verifyEvidence(e, set, e.chainId ?? chainId())).toThrow(
      expect.objectContaining({ name: 'InvalidEvidenceError' }),
    );
  });
});
