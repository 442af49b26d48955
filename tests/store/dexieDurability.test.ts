// A7: the Dexie adapters ask IndexedDB for strict durability on every write, so a vote, a block,
// the vault or an outbox item reported as saved is on disk. Observed under fake-indexeddb: the
// options each IDBDatabase.transaction call receives, and the durability of the transaction it
// makes (Chromium's default is `relaxed`, which reports a commit before it is flushed).
import { IDBDatabase, IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealVault } from '../../src/crypto/vault';
import { createDexieChainStore } from '../../src/store/createDexieChainStore';
import { createDexieVaultStorage } from '../../src/store/createDexieVaultStorage';
import { createDexieWalletStore } from '../../src/store/createDexieWalletStore';
import { openFreeholdDb } from '../../src/store/FreeholdDb';
import { seededChain } from './chainStoreCompliance';

interface Seen {
  mode: string;
  asked: unknown;
  durability: unknown;
}

describe('A7: Dexie on fake-indexeddb asks for strict durability', () => {
  const seen: Seen[] = [];
  const proto = IDBDatabase.prototype;
  const original = Object.getOwnPropertyDescriptor(proto, 'transaction')!
    .value as IDBDatabase['transaction'];
  beforeAll(() => {
    proto.transaction = function (this: IDBDatabase, ...args: Parameters<typeof original>) {
      const tx = original.apply(this, args);
      const [, mode, options] = args;
      seen.push({
        mode: mode ?? 'readonly',
        asked: options?.durability,
        durability: tx.durability,
      });
      return tx;
    };
  });
  afterAll(() => {
    proto.transaction = original;
  });

  it('A7: block commits, consensus write-ahead state, outbox, vault and wallet records are strict', async () => {
    const db = openFreeholdDb('freehold-durability', { indexedDB, IDBKeyRange });
    const store = createDexieChainStore(db);
    const { record, commits } = await seededChain(store, 1);
    seen.length = 0;

    await store.commitBlock(record.chainId, commits[0]!);
    await store.putConsensusState(record.chainId, new Uint8Array([1, 2, 3]));
    await store.putOutbox({
      txId: new Uint8Array(32),
      chainId: record.chainId,
      bytes: new Uint8Array(1),
      status: 'queued',
      attempts: 0,
      nextAttemptAt: 0,
      createdAt: 0,
      reason: '',
    });
    await createDexieVaultStorage(db).save(
      await sealVault(
        { entropy: new Uint8Array(16), passphrase: new Uint8Array(0) },
        'password123',
        1,
      ),
    );
    await createDexieWalletStore(db).put('settings/lock', 5);

    const writes = seen.filter((s) => s.mode === 'readwrite');
    expect(writes.length).toBeGreaterThanOrEqual(5);
    for (const w of writes) expect(w).toMatchObject({ asked: 'strict', durability: 'strict' });
    await store.close();
  });
});
