/**
 * @module createSqliteChainStore — the ChainStore port on SQLite, for the headless node. It uses
 * Node's built-in `node:sqlite` (Node ≥ 22.13): no native module to build, one file on disk.
 * The same rows as the Dexie adapter, kept as canonical bytes and read back through the checked
 * decoders. A block commit is one SQLite transaction; the journal is a write-ahead log with
 * `synchronous = FULL`, so a commit that returned survives `kill -9` and a power cut.
 *
 * Not for the browser bundle: only the headless node imports it.
 */
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import {
  StoreConflictError,
  UnknownChainError,
  type BlockCommit,
  type ChainStore,
} from '../chain/ChainStore';
import { FreeholdError } from '../FreeholdError';
import {
  blockFromBytes,
  certificateFromBytes,
  certificateToBytes,
  chainFromRow,
  chainToRow,
  headerFromBytes,
  hex,
  checkFollows,
  commitToRows,
  outboxFromRow,
  outboxToRow,
  peerFromRow,
  peerToRow,
  type ChainRow,
  type OutboxRow,
} from './rows';

export class StoreVersionError extends FreeholdError {
  override name = 'StoreVersionError' as const;
}

/** Every version of the schema, oldest first; a new version appends, never edits. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE chains (chain_id TEXT PRIMARY KEY, genesis BLOB NOT NULL, role TEXT NOT NULL,
     label TEXT NOT NULL, joined_at INTEGER NOT NULL);
   CREATE TABLE heads (chain_id TEXT PRIMARY KEY, height INTEGER NOT NULL,
     block_hash BLOB NOT NULL, state_root BLOB NOT NULL, time INTEGER NOT NULL);
   CREATE TABLE headers (chain_id TEXT, height INTEGER, bytes BLOB NOT NULL,
     PRIMARY KEY (chain_id, height)) WITHOUT ROWID;
   CREATE TABLE blocks (chain_id TEXT, height INTEGER, bytes BLOB NOT NULL,
     PRIMARY KEY (chain_id, height)) WITHOUT ROWID;
   CREATE TABLE certificates (chain_id TEXT, height INTEGER, bytes BLOB NOT NULL,
     PRIMARY KEY (chain_id, height)) WITHOUT ROWID;
   CREATE TABLE state_entries (chain_id TEXT, name TEXT, bytes BLOB NOT NULL,
     PRIMARY KEY (chain_id, name)) WITHOUT ROWID;
   CREATE TABLE state_nodes (chain_id TEXT, height INTEGER, bytes BLOB NOT NULL,
     PRIMARY KEY (chain_id, height)) WITHOUT ROWID;
   CREATE TABLE consensus (chain_id TEXT PRIMARY KEY, bytes BLOB NOT NULL);
   CREATE TABLE outbox (tx_id TEXT PRIMARY KEY, chain_id TEXT NOT NULL, bytes BLOB NOT NULL,
     status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL, reason TEXT NOT NULL);
   CREATE INDEX outbox_chain ON outbox (chain_id, created_at);
   CREATE TABLE peers (peer_id TEXT PRIMARY KEY, chain_ids TEXT NOT NULL,
     addresses TEXT NOT NULL, last_seen INTEGER NOT NULL);`,
];

/** Tables holding one chain's data, keyed by chain_id. */
const CHAIN_TABLES = [
  'chains',
  'heads',
  'headers',
  'blocks',
  'certificates',
  'state_entries',
  'state_nodes',
  'consensus',
  'outbox',
] as const;

type Row = Record<string, SQLInputValue>;

function bytes(row: Row, column: string): Uint8Array {
  const value = row[column];
  if (!(value instanceof Uint8Array))
    throw new StoreVersionError(`The stored column ${column} is not bytes.`);
  return value;
}

function num(row: Row, column: string): number {
  return Number(row[column]);
}

function str(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string')
    throw new StoreVersionError(`The stored column ${column} is not text.`);
  return value;
}

/** Opens (creating or migrating) the store at `path`; ':memory:' gives a throwaway one. */
export function createSqliteChainStore(path: string): ChainStore {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;');
  migrate(db);

  const all = (sql: string, ...params: SQLInputValue[]): Row[] => db.prepare(sql).all(...params);
  const one = (sql: string, ...params: SQLInputValue[]): Row | undefined =>
    db.prepare(sql).get(...params);
  const run = (sql: string, ...params: SQLInputValue[]): void =>
    void db.prepare(sql).run(...params);

  /** Runs `work` in one transaction: committed whole, or rolled back and rethrown. */
  const transaction = <T>(work: () => T): T => {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  };

  const requireChain = (id: string): void => {
    if (!one('SELECT 1 AS found FROM chains WHERE chain_id = ?', id))
      throw new UnknownChainError('This chain is not in the wallet.');
  };

  const writeBlocks = (chainId: Uint8Array, commits: readonly BlockCommit[]): void => {
    const id = hex(chainId);
    // Encode and check first: nothing is written unless every block can be.
    const encoded = commits.map(commitToRows);
    transaction(() => {
      const head = one('SELECT height FROM heads WHERE chain_id = ?', id);
      if (!head) throw new UnknownChainError('This chain is not in the wallet.');
      checkFollows(num(head, 'height'), commits);
      const putHeader = db.prepare('INSERT OR REPLACE INTO headers VALUES (?, ?, ?)');
      const putBlock = db.prepare('INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)');
      const putCert = db.prepare('INSERT OR REPLACE INTO certificates VALUES (?, ?, ?)');
      const putEntry = db.prepare('INSERT OR REPLACE INTO state_entries VALUES (?, ?, ?)');
      const deleteEntry = db.prepare('DELETE FROM state_entries WHERE chain_id = ? AND name = ?');
      const putNodes = db.prepare('INSERT OR REPLACE INTO state_nodes VALUES (?, ?, ?)');
      for (const [i, { block, diff }] of commits.entries()) {
        const h = block.header.height;
        const r = encoded[i]!;
        putHeader.run(id, h, r.header);
        putBlock.run(id, h, r.block);
        for (const [at, cert] of r.certificates) putCert.run(id, at, cert);
        for (const [name, value] of diff.entries) {
          if (value) putEntry.run(id, name, value);
          else deleteEntry.run(id, name);
        }
        putNodes.run(id, h, diff.nodes);
      }
      const last = commits[commits.length - 1];
      if (last) {
        run(
          'UPDATE heads SET height = ?, block_hash = ?, state_root = ?, time = ? WHERE chain_id = ?',
          last.block.header.height,
          last.blockHash,
          last.diff.root,
          last.block.header.time,
          id,
        );
      }
    });
  };

  const heightRow = (
    table: string,
    chainId: Uint8Array,
    height: number,
  ): Uint8Array | undefined => {
    const row = one(
      `SELECT bytes FROM ${table} WHERE chain_id = ? AND height = ?`,
      hex(chainId),
      height,
    );
    return row && bytes(row, 'bytes');
  };

  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async addChain(record, genesisState) {
      const row = chainToRow(record);
      transaction(() => {
        if (one('SELECT 1 AS found FROM chains WHERE chain_id = ?', row.chainId))
          throw new StoreConflictError('This chain is already in the wallet.');
        run(
          'INSERT INTO chains VALUES (?, ?, ?, ?, ?)',
          row.chainId,
          row.genesis,
          row.role,
          row.label,
          row.joinedAt,
        );
        run(
          'INSERT INTO heads VALUES (?, 0, ?, ?, ?)',
          row.chainId,
          record.chainId,
          genesisState.root,
          record.genesis.genesisTime,
        );
        const put = db.prepare('INSERT INTO state_entries VALUES (?, ?, ?)');
        for (const [name, value] of genesisState.entries)
          if (value) put.run(row.chainId, name, value);
        run('INSERT INTO state_nodes VALUES (?, 0, ?)', row.chainId, genesisState.nodes);
      });
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getChain(chainId) {
      const row = one('SELECT * FROM chains WHERE chain_id = ?', hex(chainId));
      return row && chainFromRow(toChainRow(row));
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async listChains() {
      return all('SELECT * FROM chains ORDER BY joined_at, chain_id').map((r) =>
        chainFromRow(toChainRow(r)),
      );
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async removeChain(chainId) {
      const id = hex(chainId);
      transaction(() => {
        for (const table of CHAIN_TABLES) run(`DELETE FROM ${table} WHERE chain_id = ?`, id);
      });
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async commitBlock(chainId, commit) {
      writeBlocks(chainId, [commit]);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async commitBlocks(chainId, commits) {
      writeBlocks(chainId, commits);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getHead(chainId) {
      const row = one('SELECT * FROM heads WHERE chain_id = ?', hex(chainId));
      return (
        row && {
          height: num(row, 'height'),
          blockHash: bytes(row, 'block_hash'),
          stateRoot: bytes(row, 'state_root'),
          time: num(row, 'time'),
        }
      );
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getHeader(chainId, height) {
      const row = heightRow('headers', chainId, height);
      return row && headerFromBytes(row);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getHeaders(chainId, from, to) {
      return all(
        'SELECT bytes FROM headers WHERE chain_id = ? AND height BETWEEN ? AND ? ORDER BY height',
        hex(chainId),
        from,
        to,
      ).map((r) => headerFromBytes(bytes(r, 'bytes')));
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getBlock(chainId, height) {
      const row = heightRow('blocks', chainId, height);
      return row && blockFromBytes(row);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async putCertificate(chainId, certificate) {
      const id = hex(chainId);
      transaction(() => {
        requireChain(id);
        run(
          'INSERT OR REPLACE INTO certificates VALUES (?, ?, ?)',
          id,
          certificate.height,
          certificateToBytes(certificate),
        );
      });
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getCertificate(chainId, height) {
      const row = heightRow('certificates', chainId, height);
      return row && certificateFromBytes(row);
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async loadState(chainId) {
      const id = hex(chainId);
      return transaction(() => {
        const head = one('SELECT * FROM heads WHERE chain_id = ?', id);
        if (!head) return undefined;
        return {
          height: num(head, 'height'),
          time: num(head, 'time'),
          root: bytes(head, 'state_root'),
          entries: all(
            'SELECT name, bytes FROM state_entries WHERE chain_id = ? ORDER BY name',
            id,
          ).map((r) => [str(r, 'name'), bytes(r, 'bytes')] as [string, Uint8Array]),
          nodes: all('SELECT bytes FROM state_nodes WHERE chain_id = ? ORDER BY height', id).map(
            (r) => bytes(r, 'bytes'),
          ),
        };
      });
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async putConsensusState(chainId, value) {
      const id = hex(chainId);
      transaction(() => {
        requireChain(id);
        if (value) run('INSERT OR REPLACE INTO consensus VALUES (?, ?)', id, value);
        else run('DELETE FROM consensus WHERE chain_id = ?', id);
      });
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async getConsensusState(chainId) {
      const row = one('SELECT bytes FROM consensus WHERE chain_id = ?', hex(chainId));
      return row && bytes(row, 'bytes');
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async putOutbox(item) {
      const r = outboxToRow(item);
      run(
        'INSERT OR REPLACE INTO outbox VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        r.txId,
        r.chainId,
        r.bytes,
        r.status,
        r.attempts,
        r.nextAttemptAt,
        r.createdAt,
        r.reason,
      );
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async listOutbox(chainId) {
      const rows = chainId
        ? all('SELECT * FROM outbox WHERE chain_id = ? ORDER BY created_at', hex(chainId))
        : all('SELECT * FROM outbox ORDER BY created_at');
      return rows.map((r) => outboxFromRow(toOutboxRow(r)));
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async deleteOutbox(txId) {
      run('DELETE FROM outbox WHERE tx_id = ?', hex(txId));
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async putPeer(peer) {
      const r = peerToRow(peer);
      run(
        'INSERT OR REPLACE INTO peers VALUES (?, ?, ?, ?)',
        r.peerId,
        JSON.stringify(r.chainIds),
        JSON.stringify(r.addresses),
        r.lastSeen,
      );
    },

    // eslint-disable-next-line @typescript-eslint/require-await -- async so a throw is a rejection
    async listPeers() {
      return all('SELECT * FROM peers ORDER BY peer_id').map((r) =>
        peerFromRow({
          peerId: str(r, 'peer_id'),
          chainIds: JSON.parse(str(r, 'chain_ids')) as string[],
          addresses: JSON.parse(str(r, 'addresses')) as string[],
          lastSeen: num(r, 'last_seen'),
        }),
      );
    },

    close() {
      if (db.isOpen) db.close();
      return Promise.resolve();
    },
  };
}

function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as Row;
  const version = num(row, 'user_version');
  if (version > MIGRATIONS.length) {
    throw new StoreVersionError(
      'This store was written by a newer Freehold. Update Freehold to open it.',
      { details: `store version ${version}, this build knows ${MIGRATIONS.length}` },
    );
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}

function toChainRow(r: Row): ChainRow {
  return {
    chainId: str(r, 'chain_id'),
    genesis: bytes(r, 'genesis'),
    role: str(r, 'role') as ChainRow['role'],
    label: str(r, 'label'),
    joinedAt: num(r, 'joined_at'),
  };
}

function toOutboxRow(r: Row): OutboxRow {
  return {
    txId: str(r, 'tx_id'),
    chainId: str(r, 'chain_id'),
    bytes: bytes(r, 'bytes'),
    status: str(r, 'status') as OutboxRow['status'],
    attempts: num(r, 'attempts'),
    nextAttemptAt: num(r, 'next_attempt_at'),
    createdAt: num(r, 'created_at'),
    reason: str(r, 'reason'),
  };
}
