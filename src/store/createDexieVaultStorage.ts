/**
 * @module createDexieVaultStorage — the VaultStorage port on IndexedDB: one row holds the sealed
 * vault. The row is read through the vault's own checks, so a damaged row is a typed error.
 */
import type { VaultStorage } from '../crypto/keyVault';
import { readSealedVault } from '../crypto/vault';
import type { FreeholdDb } from './FreeholdDb';

export function createDexieVaultStorage(db: FreeholdDb): VaultStorage {
  return {
    async load() {
      const row = await db.vault.get('vault');
      return row && readSealedVault(row.sealed);
    },
    async save(sealed) {
      await db.vault.put({ id: 'vault', sealed });
    },
    async clear() {
      await db.vault.delete('vault');
    },
  };
}
