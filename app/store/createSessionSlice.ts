// The session: is there an identity, is it unlocked, its accounts, the auto-lock time; and the
// recovery phrase while a new identity is being written down.
import type { StateCreator } from 'zustand/vanilla';
import type { AccountInfo } from '../../src/crypto/identity';
import type { VaultStatus } from '../../src/crypto/keyVault';
import type { Wallet } from '../../src/node/createWallet';
import type { AppState } from './createAppStore';

export interface SessionSlice {
  vault: VaultStatus | 'loading';
  accounts: AccountInfo[];
  autoLockMs: number;
  /** Shown once after creating an identity, until the person confirms they wrote it down. */
  newMnemonic: string | null;
  /** The recovery phrase was confirmed (the wallet keeps this across reloads). */
  backedUp: boolean;
  create: (password: string) => Promise<void>;
  confirmBackup: () => Promise<void>;
  restore: (mnemonic: string, password: string) => Promise<void>;
  unlock: (password: string) => Promise<void>;
  lock: () => Promise<void>;
  setAutoLock: (ms: number) => Promise<void>;
  addAccount: () => Promise<void>;
  changePassword: (oldPassword: string, newPassword: string) => Promise<void>;
  revealMnemonic: (password: string) => Promise<string>;
  wipe: () => Promise<void>;
  exportFile: (password: string) => Promise<Uint8Array>;
  importFile: (bytes: Uint8Array, password: string) => Promise<void>;
}

export const createSessionSlice =
  (wallet: Wallet): StateCreator<AppState, [], [], SessionSlice> =>
  (set) => ({
    vault: 'loading',
    accounts: [],
    autoLockMs: 0,
    newMnemonic: null,
    backedUp: true,
    async create(password) {
      const { mnemonic } = await wallet.create(password);
      set({ newMnemonic: mnemonic });
    },
    async confirmBackup() {
      await wallet.confirmBackup();
      set({ newMnemonic: null, backedUp: true });
    },
    restore: (mnemonic, password) => wallet.restore(mnemonic, password),
    unlock: (password) => wallet.unlock(password),
    lock: () => wallet.lock(),
    setAutoLock: (ms) => wallet.setAutoLock(ms),
    addAccount: async () => void (await wallet.addAccount()),
    changePassword: (oldPassword, newPassword) => wallet.changePassword(oldPassword, newPassword),
    revealMnemonic: (password) => wallet.revealMnemonic(password),
    wipe: () => wallet.wipe(),
    exportFile: (password) => wallet.exportFile(password),
    importFile: (bytes, password) => wallet.importFile(bytes, password),
  });
