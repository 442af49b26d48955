/**
 * @module rows — how protocol values become stored rows and back, shared by every ChainStore
 * adapter. Protocol values are kept as their canonical bytes and read back through the same
 * checked decoders a peer's message goes through, so a damaged row is an error, not a crash.
 */
import { decode, encode } from '../codec/cbor';
import { bytesToHex, hexToBytes } from '../crypto/bytes';
import {
  decodeBlock,
  encodeBlock,
  readCommitCertificate,
  readHeader,
  type Block,
  type BlockHeader,
  type CommitCertificate,
} from '../chain/block';
import { readGenesis } from '../chain/genesis';
import {
  StoreConflictError,
  type BlockCommit,
  type ChainRecord,
  type ChainRole,
  type OutboxItem,
  type PeerRecord,
} from '../chain/ChainStore';
import { equalBytes } from '../crypto/bytes';

export const hex = bytesToHex;
export const unhex = hexToBytes;

export interface ChainRow {
  chainId: string;
  genesis: Uint8Array;
  role: ChainRole;
  label: string;
  joinedAt: number;
}

export interface HeadRow {
  chainId: string;
  height: number;
  blockHash: Uint8Array;
  stateRoot: Uint8Array;
  time: number;
}

/** A row of bytes at a height: headers, blocks, certificates, state node batches. */
export interface HeightRow {
  chainId: string;
  height: number;
  bytes: Uint8Array;
}

export interface EntryRow {
  chainId: string;
  name: string;
  bytes: Uint8Array;
}

export interface ConsensusRow {
  chainId: string;
  bytes: Uint8Array;
}

/** An outbox item with its ids as hex, so IndexedDB can index them. */
export type OutboxRow = Omit<OutboxItem, 'txId' | 'chainId'> & { txId: string; chainId: string };

export interface PeerRow {
  peerId: string;
  chainIds: string[];
  addresses: string[];
  lastSeen: number;
}

export function chainToRow(r: ChainRecord): ChainRow {
  return {
    chainId: hex(r.chainId),
    genesis: encode(r.genesis),
    role: r.role,
    label: r.label,
    joinedAt: r.joinedAt,
  };
}

export function chainFromRow(row: ChainRow): ChainRecord {
  return {
    chainId: unhex(row.chainId),
    genesis: readGenesis(decode(row.genesis)),
    role: row.role,
    label: row.label,
    joinedAt: row.joinedAt,
  };
}

export function headerToBytes(h: BlockHeader): Uint8Array {
  return encode(h);
}

export function headerFromBytes(bytes: Uint8Array): BlockHeader {
  return readHeader(decode(bytes));
}

export function blockToBytes(b: Block): Uint8Array {
  return encodeBlock(b);
}

export function blockFromBytes(bytes: Uint8Array): Block {
  return decodeBlock(bytes);
}

export function certificateToBytes(c: CommitCertificate): Uint8Array {
  return encode(c);
}

export function certificateFromBytes(bytes: Uint8Array): CommitCertificate {
  return readCommitCertificate(decode(bytes));
}

/** A block commit as every adapter stores it: header, block, and the certificates it carries. */
export interface CommitRows {
  header: Uint8Array;
  block: Uint8Array;
  /** [height, bytes]: the parent's (block.lastCommit) and the block's own, when known. */
  certificates: (readonly [number, Uint8Array])[];
}

export function commitToRows({ block, certificate }: BlockCommit): CommitRows {
  return {
    header: headerToBytes(block.header),
    block: blockToBytes(block),
    certificates: [block.lastCommit, certificate ?? null].flatMap((c) =>
      c ? [[c.height, certificateToBytes(c)] as const] : [],
    ),
  };
}

/** Throws StoreConflictError unless the commits follow the head one height at a time. */
export function checkFollows(headHeight: number, commits: readonly BlockCommit[]): void {
  let height = headHeight;
  for (const { block, diff } of commits) {
    const h = block.header.height;
    if (h !== height + 1 || diff.height !== h || !equalBytes(diff.root, block.header.stateRoot))
      throw new StoreConflictError(`Block ${h} does not follow the stored head ${height}.`);
    height = h;
  }
}

export function outboxToRow(o: OutboxItem): OutboxRow {
  return { ...o, txId: hex(o.txId), chainId: hex(o.chainId) };
}

export function outboxFromRow(row: OutboxRow): OutboxItem {
  return { ...row, txId: unhex(row.txId), chainId: unhex(row.chainId) };
}

export function peerToRow(p: PeerRecord): PeerRow {
  return { ...p, chainIds: p.chainIds.map(hex) };
}

export function peerFromRow(row: PeerRow): PeerRecord {
  return { ...row, chainIds: row.chainIds.map(unhex) };
}
