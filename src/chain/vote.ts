/**
 * @module vote — a validator's signed prevote or precommit: ⟨PREVOTE|PRECOMMIT, h, r, id(v)⟩ of
 * "The latest gossip on BFT consensus". Consensus exchanges votes; the chain keeps them in
 * certificates and in evidence of double signing, so the vote itself belongs to the chain model.
 */
import { signingBytes } from '../codec/signingBytes';
import { asBytes, asNullable, asObject, asOneOf, asSafeUint } from '../codec/read';

export type VoteType = 'prevote' | 'precommit';

/** The signed part of a vote; `blockHash` null is a vote for nil. */
export interface VoteBody {
  type: VoteType;
  height: number;
  round: number;
  blockHash: Uint8Array | null;
}

export interface Vote extends VoteBody {
  validator: Uint8Array;
  signature: Uint8Array;
}

export function voteSigningBytes(chainId: Uint8Array, vote: VoteBody): Uint8Array {
  return signingBytes(chainId, vote.type, {
    height: vote.height,
    round: vote.round,
    blockHash: vote.blockHash,
  });
}

export function signVote(
  chainId: Uint8Array,
  body: VoteBody,
  validator: Uint8Array,
  sign: (message: Uint8Array) => Uint8Array,
): Vote {
  return { ...body, validator, signature: sign(voteSigningBytes(chainId, body)) };
}

export function readVote(value: unknown, path = 'vote'): Vote {
  const v = asObject(value, path, [
    'type',
    'height',
    'round',
    'blockHash',
    'validator',
    'signature',
  ]);
  return {
    type: asOneOf(v.type, `${path}.type`, ['prevote', 'precommit'] as const),
    height: asSafeUint(v.height, `${path}.height`),
    round: asSafeUint(v.round, `${path}.round`),
    blockHash: asNullable(v.blockHash, (b) => asBytes(b, `${path}.blockHash`, 32)),
    validator: asBytes(v.validator, `${path}.validator`, 32),
    signature: asBytes(v.signature, `${path}.signature`, 64),
  };
}
