/**
 * @module FreeholdDb — the wallet's IndexedDB schema (Dexie), with its versions in order.
 * A new version appends to SCHEMA (never edits an old one) with an upgrade for existing data;
 * Dexie runs the upgrades in order when an older database opens.
 */
import { Dexie, type DexieOptions, type EntityTable, type Transaction } from 'dexie';
import type { SealedVault } from '../crypto/vault';
import type {
  ChainRow,
  ConsensusRow,
  EntryRow,
  HeadRow,
  HeightRow,
  OutboxRow,
  PeerRow,
} from './rows';

export interface VaultRow {
  id: 'vault';
  sealed: SealedVault;
}

export interface IdentityRow {
  account: number;
  did: string;
  label: string;
}

export interface WalletRecordRow {
  key: string;
  value: unknown;
}

interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void>;
}

/** Every version of the schema, oldest first. */
export const SCHEMA: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      vault: 'id',
      identities: 'account',
      chains: 'chainId',
      heads: 'chainId',
      headers: '[chainId+height]',
      blocks: '[chainId+height]',
      certificates: '[chainId+height]',
      stateEntries: '[chainId+name]',
      stateNodes: '[chainId+height]',
      outbox: 'txId, chainId, [status+nextAttemptAt]',
      peers: 'peerId, lastSeen',
    },
  },
  {
    // A validator's consensus write-ahead state, one row per chain.
    version: 2,
    stores: { consensus: 'chainId' },
  },
  {
    // The wallet's own records (settings, activity, invite peers), keyed by a path-like string.
    version: 3,
    stores: { walletRecords: 'key' },
  },
];

export const DB_NAME = 'freehold';

export type FreeholdDb = Dexie & {
  vault: EntityTable<VaultRow, 'id'>;
  identities: EntityTable<IdentityRow, 'account'>;
  chains: EntityTable<ChainRow, 'chainId'>;
  heads: EntityTable<HeadRow, 'chainId'>;
  headers: Dexie.Table<HeightRow, [string, number]>;
  blocks: Dexie.Table<HeightRow, [string, number]>;
  certificates: Dexie.Table<HeightRow, [string, number]>;
  stateEntries: Dexie.Table<EntryRow, [string, string]>;
  stateNodes: Dexie.Table<HeightRow, [string, number]>;
  outbox: EntityTable<OutboxRow, 'txId'>;
  peers: EntityTable<PeerRow, 'peerId'>;
  consensus: EntityTable<ConsensusRow, 'chainId'>;
  walletRecords: EntityTable<WalletRecordRow, 'key'>;
};

/**
 * Opens (creating or upgrading) the wallet database. In a browser the defaults find IndexedDB;
 * in Node pass `indexedDB` and `IDBKeyRange` (fake-indexeddb in tests).
 *
 * Every transaction asks for `strict` durability: Chromium's default (`relaxed`) reports a
 * commit before it reaches the disk, so after a power cut a validator could restart without
 * the vote it already sent (and sign against it), or lose a block, a vault or an outbox item
 * it reported as saved. Writes here are few and small; the cost is one flush per commit.
 */
export function openFreeholdDb(name = DB_NAME, options: DexieOptions = {}): FreeholdDb {
  const db = new Dexie(name, { ...options, chromeTransactionDurability: 'strict' }) as FreeholdDb;
  for (const v of SCHEMA) {
    const version = db.version(v.version).stores(v.stores);
    if (v.upgrade) version.upgrade(v.upgrade);
  }
  return db;
}
