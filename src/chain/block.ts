/**
 * @module block — a block is a header, its transactions, the commit certificate of the block
 * before it, and evidence of double signing. The block hash is the tagged hash of the canonical
 * header; the header binds the transactions (tx root), the state after them (state root), the
 * validator sets, the previous certificate (last commit hash) and the evidence (evidence hash).
 */
import { DecodeError, decode, encode } from '../codec/cbor';
import { idOf } from '../codec/ids';
import { asArray, asBytes, asNullable, asObject, asSafeUint } from '../codec/read';
import { merkleProof, merkleRoot, verifyMerkleProof } from './merkle';
import { readSignedTransaction, txIdOf, txSizeOf, type SignedTransaction } from './transaction';
import { MAX_VALIDATORS } from './validatorSet';
import {
  MAX_BLOCK_EVIDENCE,
  evidenceIdOf,
  readEvidence,
  type DuplicateVoteEvidence,
} from './evidence';

export const MAX_BLOCK_TRANSACTIONS = 10_000;
export const MAX_BLOCK_BYTES = 8 * 1024 * 1024;
export const ZERO_HASH: Uint8Array = new Uint8Array(32);

/**
 * The most an encoded block (header, transactions, the parent's certificate and evidence) may
 * weigh: what a proposer fills and the block rules enforce. It stays under MAX_BLOCK_BYTES,
 * which readers accept, by the room the envelopes need: a sync frame adds the block's own
 * certificate (at most MAX_VALIDATORS signatures, about 120 KB), a proposal its signature.
 */
export const BLOCK_BYTE_BUDGET = MAX_BLOCK_BYTES - 256 * 1024;

export interface BlockHeader {
  chainId: Uint8Array;
  height: number;
  /** Milliseconds since the Unix epoch, after the parent's. */
  time: number;
  /** Hash of the parent header; for height 1, the chain id (the genesis hash). */
  previousHash: Uint8Array;
  txRoot: Uint8Array;
  /** The state root after this block's transactions. */
  stateRoot: Uint8Array;
  /** The set that signs this block. */
  validatorsHash: Uint8Array;
  /** The set that signs the next block. */
  nextValidatorsHash: Uint8Array;
  proposer: Uint8Array;
  /** Hash of `lastCommit`; zero for height 1. */
  lastCommitHash: Uint8Array;
  /** Merkle root of the ids of the block's evidence. */
  evidenceHash: Uint8Array;
}

export interface CommitSignature {
  validator: Uint8Array;
  signature: Uint8Array;
}

/** Signatures of validators over (chain id, height, round, block hash) reaching the threshold. */
export interface CommitCertificate {
  height: number;
  round: number;
  blockHash: Uint8Array;
  signatures: CommitSignature[];
}

export interface Block {
  header: BlockHeader;
  transactions: SignedTransaction[];
  /** The certificate that committed the parent; null at height 1. */
  lastCommit: CommitCertificate | null;
  /** Double signing seen at earlier heights, carried into the state. */
  evidence: DuplicateVoteEvidence[];
}

/** Hashes by header object: protocol values are never mutated, so an object's hash is fixed. */
const headerHashes = new WeakMap<BlockHeader, Uint8Array>();

export function blockHashOf(header: BlockHeader): Uint8Array {
  let hash = headerHashes.get(header);
  if (!hash) headerHashes.set(header, (hash = idOf('header', header)));
  return hash.slice();
}

export function commitHashOf(commit: CommitCertificate | null): Uint8Array {
  return commit === null ? ZERO_HASH : idOf('commit', commit);
}

export function txRootOf(transactions: readonly SignedTransaction[]): Uint8Array {
  return merkleRoot(transactions.map(txIdOf));
}

export function evidenceHashOf(evidence: readonly DuplicateVoteEvidence[]): Uint8Array {
  return merkleRoot(evidence.map(evidenceIdOf));
}

/** Proof that the transaction at `index` is in the block: its id and audit path to the tx root. */
export interface TransactionInclusion {
  txId: Uint8Array;
  index: number;
  size: number;
  path: Uint8Array[];
}

export function proveTransaction(block: Block, index: number): TransactionInclusion {
  const ids = block.transactions.map(txIdOf);
  return { txId: ids[index] as Uint8Array, index, size: ids.length, path: merkleProof(ids, index) };
}

export function verifyTransactionInclusion(
  header: BlockHeader,
  inclusion: TransactionInclusion,
): boolean {
  return verifyMerkleProof(
    header.txRoot,
    inclusion.txId,
    inclusion.index,
    inclusion.size,
    inclusion.path,
  );
}

export function readHeader(value: unknown, path = 'header'): BlockHeader {
  const h = asObject(value, path, [
    'chainId',
    'height',
    'time',
    'previousHash',
    'txRoot',
    'stateRoot',
    'validatorsHash',
    'nextValidatorsHash',
    'proposer',
    'lastCommitHash',
    'evidenceHash',
  ]);
  return {
    chainId: asBytes(h.chainId, `${path}.chainId`, 32),
    height: asSafeUint(h.height, `${path}.height`),
    time: asSafeUint(h.time, `${path}.time`),
    previousHash: asBytes(h.previousHash, `${path}.previousHash`, 32),
    txRoot: asBytes(h.txRoot, `${path}.txRoot`, 32),
    stateRoot: asBytes(h.stateRoot, `${path}.stateRoot`, 32),
    validatorsHash: asBytes(h.validatorsHash, `${path}.validatorsHash`, 32),
    nextValidatorsHash: asBytes(h.nextValidatorsHash, `${path}.nextValidatorsHash`, 32),
    proposer: asBytes(h.proposer, `${path}.proposer`, 32),
    lastCommitHash: asBytes(h.lastCommitHash, `${path}.lastCommitHash`, 32),
    evidenceHash: asBytes(h.evidenceHash, `${path}.evidenceHash`, 32),
  };
}

export function readCommitCertificate(value: unknown, path = 'commit'): CommitCertificate {
  const c = asObject(value, path, ['height', 'round', 'blockHash', 'signatures']);
  return {
    height: asSafeUint(c.height, `${path}.height`),
    round: asSafeUint(c.round, `${path}.round`),
    blockHash: asBytes(c.blockHash, `${path}.blockHash`, 32),
    signatures: asArray(c.signatures, `${path}.signatures`, MAX_VALIDATORS).map((s, i) => {
      const o = asObject(s, `${path}.signatures[${i}]`, ['validator', 'signature']);
      return {
        validator: asBytes(o.validator, `${path}.signatures[${i}].validator`, 32),
        signature: asBytes(o.signature, `${path}.signatures[${i}].signature`, 64),
      };
    }),
  };
}

export function readBlock(value: unknown): Block {
  const b = asObject(value, 'block', ['header', 'transactions', 'lastCommit', 'evidence']);
  return {
    header: readHeader(b.header, 'block.header'),
    transactions: asArray(b.transactions, 'block.transactions', MAX_BLOCK_TRANSACTIONS).map(
      (t, i) => readSignedTransaction(t, `block.transactions[${i}]`),
    ),
    lastCommit: asNullable(b.lastCommit, (c) => readCommitCertificate(c, 'block.lastCommit')),
    evidence: asArray(b.evidence, 'block.evidence', MAX_BLOCK_EVIDENCE).map((e, i) =>
      readEvidence(e, `block.evidence[${i}]`),
    ),
  };
}

/** Bytes of the CBOR head of a list of `n` items (RFC 8949 §3.1). */
function listHeadBytes(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
}

/**
 * The length of `encodeBlock(block)`, without encoding the transactions again: their sizes are
 * known from their ids, and an item in a list encodes as it does alone.
 */
export function blockSizeOf(block: Block): number {
  let size = encode({ ...block, transactions: [] }).length - 1;
  size += listHeadBytes(block.transactions.length);
  for (const tx of block.transactions) size += txSizeOf(tx);
  return size;
}

export function encodeBlock(block: Block): Uint8Array {
  return encode(block);
}

/** Decodes a block from bytes; a DecodeError says what is wrong. */
export function decodeBlock(bytes: Uint8Array): Block {
  if (bytes.length > MAX_BLOCK_BYTES)
    throw new DecodeError(`A block is at most ${MAX_BLOCK_BYTES} bytes.`);
  return readBlock(decode(bytes, MAX_BLOCK_BYTES));
}
