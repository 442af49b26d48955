/**
 * @module messages — what validators send in consensus ("The latest gossip on BFT consensus",
 * Buchman, Kwon, Milosevic 2018, Algorithm 1): ⟨PROPOSAL, h, r, v, vr⟩, and votes (chain/vote).
 * Every signature covers the chain id and the message kind (codec/signingBytes), so a prevote
 * can never pass for a precommit, nor a vote on one chain for another.
 */
import { signingBytes } from '../codec/signingBytes';
import { asBytes, asObject, asSafeUint } from '../codec/read';
import { DecodeError, decode, encode } from '../codec/cbor';
import {
  commitHashOf,
  evidenceHashOf,
  MAX_BLOCK_BYTES,
  readBlock,
  readHeader,
  txRootOf,
  type Block,
  type BlockHeader,
} from '../chain/block';
import { equalBytes } from '../crypto/bytes';
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
  return { ...readSigned(p, path), block: readBlock(p.block) };
}

function readSigned(p: Record<string, unknown>, path: string) {
  const validRound = p.validRound === -1 ? -1 : asSafeUint(p.validRound, `${path}.validRound`);
  return {
    height: asSafeUint(p.height, `${path}.height`),
    round: asSafeUint(p.round, `${path}.round`),
    validRound,
    proposer: asBytes(p.proposer, `${path}.proposer`, 32),
    signature: asBytes(p.signature, `${path}.signature`, 64),
  };
}

/**
 * A proposal as it travels: what is signed (height, round, valid round, proposer, signature),
 * the header that the signed block hash names, and the rest of the block as opaque bytes. A
 * receiver checks the small part first and decodes the body only for a proposal it will use,
 * so a large block for a height it ignores, or signed by the wrong key, costs it no decoding.
 */
export interface ProposalEnvelope {
  height: number;
  round: number;
  validRound: number;
  proposer: Uint8Array;
  signature: Uint8Array;
  header: BlockHeader;
  /** The block without its header: transactions, last commit and evidence, encoded. */
  body: Uint8Array;
}

export type ConsensusEnvelope =
  { kind: 'proposal'; proposal: ProposalEnvelope } | { kind: 'vote'; vote: Vote };

/** Block bodies encoded, by block: a proposal is re-sent every tick while its height runs. */
const bodies = new WeakMap<Block, Uint8Array>();

function bodyOf(block: Block): Uint8Array {
  let body = bodies.get(block);
  if (!body) {
    const { transactions, lastCommit, evidence } = block;
    bodies.set(block, (body = encode({ transactions, lastCommit, evidence })));
  }
  return body;
}

export function encodeConsensusMessage(message: ConsensusMessage): Uint8Array {
  if (message.kind === 'vote') return encode({ vote: message.vote });
  const { block, ...signed } = message.proposal;
  return encode({ proposal: { ...signed, header: block.header, body: bodyOf(block) } });
}

/** Reads the envelope only: a vote whole (it is small), a proposal without decoding its body. */
export function readConsensusEnvelope(bytes: Uint8Array): ConsensusEnvelope {
  const value = asObject(decode(bytes), 'message', [], ['vote', 'proposal']);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw new DecodeError('A consensus message is one vote or one proposal.');
  if (keys[0] === 'vote') return { kind: 'vote', vote: readVote(value.vote) };
  const p = asObject(value.proposal, 'proposal', [
    'height',
    'round',
    'validRound',
    'proposer',
    'signature',
    'header',
    'body',
  ]);
  const body = asBytes(p.body, 'proposal.body');
  if (body.length > MAX_BLOCK_BYTES)
    throw new DecodeError(`A block is at most ${MAX_BLOCK_BYTES} bytes.`);
  return {
    kind: 'proposal',
    proposal: { ...readSigned(p, 'proposal'), header: readHeader(p.header), body },
  };
}

/** Decodes a proposal's body: the expensive part, for a proposal already checked. */
export function openProposal(envelope: ProposalEnvelope): Proposal {
  const { header, body, ...signed } = envelope;
  const rest = asObject(decode(body, MAX_BLOCK_BYTES), 'proposal.body', [
    'transactions',
    'lastCommit',
    'evidence',
  ]);
  const block = readBlock({ header, ...rest });
  if (
    !equalBytes(txRootOf(block.transactions), header.txRoot) ||
    !equalBytes(commitHashOf(block.lastCommit), header.lastCommitHash) ||
    !equalBytes(evidenceHashOf(block.evidence), header.evidenceHash)
  )
    throw new DecodeError('The proposal body does not match its header.');
  bodies.set(block, body);
  return { ...signed, block };
}

export function decodeConsensusMessage(bytes: Uint8Array): ConsensusMessage {
  const envelope = readConsensusEnvelope(bytes);
  if (envelope.kind === 'vote') return envelope;
  return { kind: 'proposal', proposal: openProposal(envelope.proposal) };
}

/**
 * A message from a validator's write-ahead record: as it travels now, or as written before
 * proposals travelled as envelopes (the block whole), which a record on disk may still hold.
 */
export function decodeStoredConsensusMessage(bytes: Uint8Array): ConsensusMessage {
  const value = asObject(decode(bytes), 'message', [], ['vote', 'proposal']);
  const p = value.proposal;
  if (p !== null && typeof p === 'object' && 'block' in p)
    return { kind: 'proposal', proposal: readProposal(p) };
  return decodeConsensusMessage(bytes);
}
