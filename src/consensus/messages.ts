/**
 * @module messages — what validators send in consensus ("The latest gossip on BFT consensus",
 * Buchman, Kwon, Milosevic 2018, Algorithm 1): ⟨PROPOSAL, h, r, v, vr⟩, and votes (chain/vote).
 * Every signature covers the chain id and the message kind (codec/signingBytes), so a prevote
 * can never pass for a precommit, nor a vote on one chain for another.
 */
import { signingBytes } from '../codec/signingBytes';
import { asBytes, asObject, asSafeUint } from '../codec/read';
import { DecodeError, decode, encode } from '../codec/cbor';
import { readBlock, type Block } from '../chain/block';
import { readVote, type Vote } from '../chain/vote';

export interface Proposal {
  height: number;
  round: number;
  block: Block;
  /** The round whose prevotes justify re-proposing a value (vr in the paper), or −1. */
  validRound: number;
  proposer: Uint8Array;
  signature: Uint8Array;
}

/** The proposal signature covers the block hash, not the block: the hash binds the block. */
export function proposalSigningBytes(
  chainId: Uint8Array,
  p: { height: number; round: number; blockHash: Uint8Array; validRound: number },
): Uint8Array {
  return signingBytes(chainId, 'proposal', {
    height: p.height,
    round: p.round,
    blockHash: p.blockHash,
    validRound: p.validRound,
  });
}

export type ConsensusMessage =
  { kind: 'proposal'; proposal: Proposal } | { kind: 'vote'; vote: Vote };

export function readProposal(value: unknown, path = 'proposal'): Proposal {
  const p = asObject(value, path, [
    'height',
    'round',
    'block',
    'validRound',
    'proposer',
    'signature',
  ]);
  const validRound = p.validRound === -1 ? -1 : asSafeUint(p.validRound, `${path}.validRound`);
  return {
    height: asSafeUint(p.height, `${path}.height`),
    round: asSafeUint(p.round, `${path}.round`),
    block: readBlock(p.block),
    validRound,
    proposer: asBytes(p.proposer, `${path}.proposer`, 32),
    signature: asBytes(p.signature, `${path}.signature`, 64),
  };
}

export function encodeConsensusMessage(message: ConsensusMessage): Uint8Array {
  return encode(message.kind === 'vote' ? { vote: message.vote } : { proposal: message.proposal });
}

export function decodeConsensusMessage(bytes: Uint8Array): ConsensusMessage {
  const value = asObject(decode(bytes), 'message', [], ['vote', 'proposal']);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new DecodeError('A consensus message is one vote or one proposal.');
  if (keys[0] === 'vote') return { kind: 'vote', vote: readVote(value.vote) };
  return { kind: 'proposal', proposal: readProposal(value.proposal) };
}
