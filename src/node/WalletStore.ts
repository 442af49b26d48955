/**
 * @module WalletStore — the wallet's own small records beside the chains: settings, the
 * activity it has seen for its accounts, the peers of the invites it joined by. A port: Dexie
 * keeps it in the app, a Map in tests. Values are plain data (structured-clone safe).
 */
export interface WalletStore {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every record whose key starts with `prefix`, in key order. */
  list<T>(prefix: string): Promise<[string, T][]>;
  /** Removes every record whose key starts with `prefix`. */
  deleteAll(prefix: string): Promise<void>;
}

export function createMemoryWalletStore(): WalletStore {
  const rows = new Map<string, unknown>();
  const matching = (prefix: string): string[] =>
    [...rows.keys()].filter((k) => k.startsWith(prefix)).sort();
  return {
    get: <T>(key: string) => Promise.resolve(structuredClone(rows.get(key)) as T | undefined),
    put: (key, value) => {
      rows.set(key, structuredClone(value));
      return Promise.resolve();
    },
    delete: (key) => {
      rows.delete(key);
      return Promise.resolve();
    },
    list: <T>(prefix: string) =>
      Promise.resolve(
        matching(prefix).map((k): [string, T] => [k, structuredClone(rows.get(k)) as T]),
      ),
    deleteAll: (prefix) => {
      for (const k of matching(prefix)) rows.delete(k);
      return Promise.resolve();
    },
  };
}
