// Runs the ChainStore compliance suite against the in-memory adapter and the Dexie adapter
// (Dexie over fake-indexeddb in Node; the app runs the same adapter on Chromium's IndexedDB).
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteChainStore } from '../../src/store/createSqliteChainStore';
import type { DBCoreTable, Middleware, DBCore } from 'dexie';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { createDexieChainStore } from '../../src/store/createDexieChainStore';
import { createDexieVaultStorage } from '../../src/store/createDexieVaultStorage';
import { openFreeholdDb, SCHEMA } from '../../src/store/FreeholdDb';
import { sealVault } from '../../src/crypto/vault';
import { describeChainStore, seededChain } from './chainStoreCompliance';

let n = 0;
const dbOptions = { indexedDB, IDBKeyRange };

function dexieHarness() {
  const name = `freehold-test-${++n}`;
  const db = openFreeholdDb(name, dbOptions);
  const store = createDexieChainStore(db);
  return {
    db,
    store,
    reopen: async () => {
      await store.close();
      return createDexieChainStore(openFreeholdDb(name, dbOptions));
    },
  };
}

describeChainStore('in-memory', () => Promise.resolve({ store: createMemoryChainStore() }), {
  persistent: false,
});
describeChainStore('Dexie on fake-indexeddb', () => Promise.resolve(dexieHarness()), {
  persistent: true,
});

const sqliteDir = mkdtempSync(join(tmpdir(), 'freehold-sqlite-'));
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }));

function sqliteHarness() {
  const path = join(sqliteDir, `store-${++n}.sqlite`);
  const store = createSqliteChainStore(path);
  return {
    store,
    reopen: async () => {
      await store.close();
      return createSqliteChainStore(path);
    },
  };
}

describeChainStore('SQLite (node:sqlite) on disk', () => Promise.resolve(sqliteHarness()), {
  persistent: true,
});

describe('SQLite adapter (node:sqlite) on disk: versions', () => {
  it('refuses a store written by a newer version, with a typed error', () => {
    const path = join(sqliteDir, `store-${++n}.sqlite`);
    const db = new DatabaseSync(path);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => createSqliteChainStore(path)).toThrow(
      expect.objectContaining({ name: 'StoreVersionError' }) as Error,
    );
  });
});

describe('Dexie adapter on fake-indexeddb: atomic block commits', () => {
  it('a failure part-way through a commit leaves no part of the block behind', async () => {
    // Like a crash mid-write: once armed, the last table a commit writes refuses to write.
    let armed = false;
    const failNodes: Middleware<DBCore> = {
      stack: 'dbcore',
      name: 'fail-state-nodes',
      create: (down: DBCore) => ({
        ...down,
        table: (tableName: string): DBCoreTable => {
          const table = down.table(tableName);
          if (tableName !== 'stateNodes') return table;
          return {
            ...table,
            mutate: (req) => (armed ? Promise.reject(new Error('disk full')) : table.mutate(req)),
          };
        },
      }),
    };
    const db = openFreeholdDb(`freehold-test-${++n}`, dbOptions);
    db.use(failNodes);
    const store = createDexieChainStore(db);
    const { record, commits } = await seededChain(store, 2);
    await store.commitBlock(record.chainId, commits[0]!);
    const before = await store.loadState(record.chainId);
    armed = true;
    await expect(store.commitBlock(record.chainId, commits[1]!)).rejects.toThrow('disk full');
    armed = false;
    expect((await store.getHead(record.chainId))?.height).toBe(1);
    expect(await store.getHeader(record.chainId, 2)).toBeUndefined();
    expect(await store.getBlock(record.chainId, 2)).toBeUndefined();
    expect(await store.getCertificate(record.chainId, 1)).toBeUndefined();
    expect(await store.loadState(record.chainId)).toEqual(before);
    await store.commitBlock(record.chainId, commits[1]!); // and the same block then goes in whole
    expect((await store.getHead(record.chainId))?.height).toBe(2);
  });
});

describe('Dexie vault storage on fake-indexeddb', () => {
  it('saves, loads and clears the sealed vault; a damaged row is a typed error', async () => {
    const { db } = dexieHarness();
    const storage = createDexieVaultStorage(db);
    expect(await storage.load()).toBeUndefined();
    const sealed = await sealVault(
      { entropy: new Uint8Array(16), passphrase: new Uint8Array(0) },
      'password123',
      1,
    );
    await storage.save(sealed);
    expect(await storage.load()).toEqual(sealed);
    await db.vault.put({
      id: 'vault',
      sealed: { ...sealed, kdf: { ...sealed.kdf, salt: new Uint8Array(3) } },
    });
    await expect(storage.load()).rejects.toMatchObject({ name: 'DamagedVaultError' });
    await storage.clear();
    expect(await storage.load()).toBeUndefined();
  });
});

describe('schema versions (Dexie on fake-indexeddb)', () => {
  it('are in order and a new database opens at the newest', async () => {
    const versions = SCHEMA.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    const db = openFreeholdDb(`freehold-test-${++n}`, dbOptions);
    await db.open();
    expect(db.verno).toBe(versions.at(-1));
    expect(db.tables.map((t) => t.name).sort()).toEqual(
      [
        'blocks',
        'certificates',
        'chains',
        'consensus',
        'heads',
        'headers',
        'identities',
        'outbox',
        'peers',
        'stateEntries',
        'stateNodes',
        'vault',
        'walletRecords',
      ].sort(),
    );
    db.close();
  });
});
