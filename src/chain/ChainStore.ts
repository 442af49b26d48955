/**
 * @module ChainStore — the port through which the protocol persists chains. The Dexie adapter
 * (IndexedDB), the SQLite one (the headless node) and the in-memory one implement it and pass
 * one compliance suite. The contract
 * that matters most: `commitBlock` writes a block, its header, its certificate and its state
 * changes in one transaction — after a crash, all of it or none.
 */
import { FreeholdError } from '../FreeholdError';
import type { Block, BlockHeader, CommitCertificate } from './block';
import type { StateDiff } from './ChainState';
import type { Genesis } from './genesis';
import type { EntryName } from './stateEntries';

export class StoreConflictError extends FreeholdError {
  override name = 'StoreConflictError' as const;
}

export class UnknownChainError extends FreeholdError {
  override name = 'UnknownChainError' as const;
}

export type ChainRole = 'full' | 'light' | 'validator';

export interface ChainRecord {
  chainId: Uint8Array;
  genesis: Genesis;
  role: ChainRole;
  /** The user's own name for the chain, if any. */
  label: string;
  joinedAt: number;
}

export interface ChainHead {
  height: number;
  blockHash: Uint8Array;
  stateRoot: Uint8Array;
  time: number;
}

/** What `ChainState.restore` needs. */
export interface StateSnapshot {
  height: number;
  time: number;
  root: Uint8Array;
  entries: [EntryName, Uint8Array][];
  nodes: Uint8Array[];
}

export interface BlockCommit {
  block: Block;
  blockHash: Uint8Array;
  diff: StateDiff;
  /** This block's own certificate, when known: stored with it, so a restart can build on it. */
  certificate?: CommitCertificate;
}

export type OutboxStatus = 'queued' | 'sent' | 'final' | 'rejected';

/** A transaction signed here and not yet known final or rejected. */
export interface OutboxItem {
  txId: Uint8Array;
  chainId: Uint8Array;
  /** Canonical bytes of the signed transaction. */
  bytes: Uint8Array;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  /** Why it was rejected, in plain words, once it was. */
  reason: string;
}

export interface PeerRecord {
  peerId: string;
  chainIds: Uint8Array[];
  addresses: string[];
  lastSeen: number;
}

export interface ChainStore {
  /** Adds a chain with its genesis state, in one transaction. */
  addChain(record: ChainRecord, genesisState: StateDiff): Promise<void>;
  getChain(chainId: Uint8Array): Promise<ChainRecord | undefined>;
  listChains(): Promise<ChainRecord[]>;
  /** Leaves a chain: removes it and everything stored for it. */
  removeChain(chainId: Uint8Array): Promise<void>;

  /**
   * Writes the next block with its state changes and the certificate it carries for its
   * parent, and moves the head, atomically. A block that is not head + 1 is a StoreConflictError.
   */
  commitBlock(chainId: Uint8Array, commit: BlockCommit): Promise<void>;
  /** Writes consecutive blocks (a catch-up batch) in one transaction: all of them or none. */
  commitBlocks(chainId: Uint8Array, commits: readonly BlockCommit[]): Promise<void>;
  getHead(chainId: Uint8Array): Promise<ChainHead | undefined>;
  getHeader(chainId: Uint8Array, height: number): Promise<BlockHeader | undefined>;
  /** Headers from `from` to `to` inclusive that are stored, in height order. */
  getHeaders(chainId: Uint8Array, from: number, to: number): Promise<BlockHeader[]>;
  getBlock(chainId: Uint8Array, height: number): Promise<Block | undefined>;
  putCertificate(chainId: Uint8Array, certificate: CommitCertificate): Promise<void>;
  getCertificate(chainId: Uint8Array, height: number): Promise<CommitCertificate | undefined>;
  loadState(chainId: Uint8Array): Promise<StateSnapshot | undefined>;

  /**
   * A validator's consensus state for the height it works on (its locks and what it signed),
   * written before anything it signs is sent, so a restart never signs against itself. Opaque
   * bytes to the store; null clears it.
   */
  putConsensusState(chainId: Uint8Array, bytes: Uint8Array | null): Promise<void>;
  getConsensusState(chainId: Uint8Array): Promise<Uint8Array | undefined>;

  putOutbox(item: OutboxItem): Promise<void>;
  listOutbox(chainId?: Uint8Array): Promise<OutboxItem[]>;
  deleteOutbox(txId: Uint8Array): Promise<void>;

  putPeer(peer: PeerRecord): Promise<void>;
  listPeers(): Promise<PeerRecord[]>;

  close(): Promise<void>;
}
