/**
 * @module createDexieWalletStore — the wallet's own records (the node's WalletStore port) in one
 * IndexedDB table, keyed by a path-like string so a prefix is a range.
 */
import type { FreeholdDb } from './FreeholdDb';

export function createDexieWalletStore(db: FreeholdDb) {
  const range = (prefix: string) => db.walletRecords.where('key').startsWith(prefix);
  return {
    async get<T>(key: string): Promise<T | undefined> {
      return (await db.walletRecords.get(key))?.value as T | undefined;
    },
    async put(key: string, value: unknown): Promise<void> {
      await db.walletRecords.put({ key, value });
    },
    async delete(key: string): Promise<void> {
      await db.walletRecords.delete(key);
    },
    async list<T>(prefix: string): Promise<[string, T][]> {
      return (await range(prefix).toArray()).map((r): [string, T] => [r.key, r.value as T]);
    },
    async deleteAll(prefix: string): Promise<void> {
      await range(prefix).delete();
    },
  };
}
