/**
 * @module keyVault — the wallet's keeper of secrets: create or restore an identity, unlock,
 * lock (on demand or after idle time), change the password, reveal the phrase, sign.
 * Storage of the sealed record is a port (`VaultStorage`); the clock is injected.
 */
import { FreeholdError } from '../FreeholdError';
import { equalBytes, utf8ToBytes, wipe, type RandomBytes } from './bytes';
import { sign } from './ed25519';
import { deriveAccount, type AccountInfo, type AccountKey } from './identity';
import {
  entropyMnemonic,
  generateMnemonic,
  mnemonicEntropy,
  mnemonicSeed,
  type MnemonicStrength,
} from './mnemonic';
import {
  InvalidAccountCountError,
  MAX_ACCOUNTS,
  openVault,
  openVaultKeyed,
  readSealedVault,
  resealVault,
  sealVaultKeyed,
  vaultNeedsUpgrade,
  type SealedVault,
  type SealOptions,
  type VaultKey,
  type VaultSecrets,
} from './vault';

export { InvalidAccountCountError, MAX_ACCOUNTS };

/** Where the sealed vault lives (IndexedDB in the app, memory in tests). */
export interface VaultStorage {
  load(): Promise<SealedVault | undefined>;
  save(vault: SealedVault): Promise<void>;
  clear(): Promise<void>;
}

export class VaultLockedError extends FreeholdError {
  override name = 'VaultLockedError' as const;
  constructor() {
    super('The wallet is locked. Unlock it with your password.');
  }
}

export class VaultExistsError extends FreeholdError {
  override name = 'VaultExistsError' as const;
  constructor() {
    super('This device already holds an identity. Wipe it first to create or restore another.');
  }
}

export class NoVaultError extends FreeholdError {
  override name = 'NoVaultError' as const;
  constructor() {
    super('No identity on this device yet. Create one or restore it from its recovery phrase.');
  }
}

export class UnknownAccountError extends FreeholdError {
  override name = 'UnknownAccountError' as const;
}

export class InvalidIdleTimeError extends FreeholdError {
  override name = 'InvalidIdleTimeError' as const;
}

export type VaultStatus = 'empty' | 'locked' | 'unlocked';

export interface KeyVault {
  status(): Promise<VaultStatus>;
  /** Creates a new identity; returns the phrase once so the user can write it down. */
  create(options: {
    password: string;
    strength?: MnemonicStrength;
    passphrase?: string;
  }): Promise<{ mnemonic: string }>;
  restore(options: {
    mnemonic: string;
    password: string;
    passphrase?: string;
    accounts?: number;
  }): Promise<void>;
  unlock(password: string): Promise<void>;
  lock(): void;
  changePassword(oldPassword: string, newPassword: string): Promise<void>;
  revealMnemonic(password: string): Promise<string>;
  /** Opens the next account (the next SLIP-0010 index) and returns it. */
  addAccount(): Promise<AccountInfo>;
  accounts(): AccountInfo[];
  sign(account: number, message: Uint8Array): Uint8Array;
  /** Records activity now; `lockIfIdle` measures idle time from the last touch. */
  touch(): void;
  lockIfIdle(): boolean;
  /** True when unlocked and idle for longer than the auto-lock time (nothing is locked). */
  idle(): boolean;
  /** Changes the idle time before auto-lock; 0 turns auto-lock off. */
  setIdleMs(ms: number): void;
  /** Removes the vault from this device for good. */
  wipe(): Promise<void>;
  /** The sealed record as stored, for a wallet file; only when `password` opens it. */
  exportSealed(password: string): Promise<SealedVault>;
  /** Installs a sealed record from a wallet file on an empty device and unlocks it. */
  importSealed(sealed: SealedVault, password: string): Promise<void>;
}

export interface KeyVaultInit {
  storage: VaultStorage;
  now: () => number;
  /** Idle time before auto-lock; 0 turns auto-lock off. */
  idleMs?: number;
  iterations?: number;
  random?: RandomBytes;
  subtle?: SubtleCrypto;
}

export const DEFAULT_IDLE_MS = 5 * 60 * 1000;

interface Unlocked {
  secrets: VaultSecrets;
  keys: AccountKey[];
  /** The stored record's key, to reseal a new account count without the password. */
  vaultKey: VaultKey;
}

/** Derives accounts [from, to) from the sealed secrets; the seed is wiped before returning. */
function deriveRange(secrets: VaultSecrets, from: number, to: number): AccountKey[] {
  const passphrase = new TextDecoder().decode(secrets.passphrase);
  const seed = mnemonicSeed(entropyMnemonic(secrets.entropy), passphrase);
  try {
    return Array.from({ length: to - from }, (_, i) => deriveAccount(seed, from + i));
  } finally {
    wipe(seed);
  }
}

export function createKeyVault(init: KeyVaultInit): KeyVault {
  const { storage, now } = init;
  let idleMs = init.idleMs ?? DEFAULT_IDLE_MS;
  const sealOptions: SealOptions = {
    ...(init.iterations !== undefined && { iterations: init.iterations }),
    ...(init.random && { random: init.random }),
    ...(init.subtle && { subtle: init.subtle }),
  };
  let unlocked: Unlocked | undefined;
  let lastActivity = now();
  // Operations that await storage run one at a time: two overlapping creates, or an account
  // added while the password changes, must not interleave their reads and writes.
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  const forget = (): void => {
    if (!unlocked) return;
    wipe(unlocked.secrets.entropy, unlocked.secrets.passphrase);
    for (const k of unlocked.keys) wipe(k.secretKey);
    unlocked = undefined;
  };

  const install = async (
    secrets: VaultSecrets,
    password: string,
    accounts: number,
  ): Promise<void> => {
    const { sealed, key } = await sealVaultKeyed(secrets, password, accounts, sealOptions);
    const keys = deriveRange(secrets, 0, accounts);
    await storage.save(sealed);
    forget();
    unlocked = { secrets, keys, vaultKey: key };
    lastActivity = now();
  };

  const requireUnlocked = (): Unlocked => {
    if (!unlocked) throw new VaultLockedError();
    return unlocked;
  };

  const loadSealed = async (): Promise<SealedVault> => {
    const sealed = await storage.load();
    if (!sealed) throw new NoVaultError();
    return sealed;
  };

  const ensureEmpty = async (): Promise<void> => {
    if (await storage.load()) throw new VaultExistsError();
  };

  const isIdle = (): boolean =>
    unlocked !== undefined && idleMs !== 0 && now() - lastActivity >= idleMs;

  return {
    async status() {
      if (unlocked) return 'unlocked';
      return (await storage.load()) ? 'locked' : 'empty';
    },

    create({ password, strength = 256, passphrase = '' }) {
      return exclusive(async () => {
        await ensureEmpty();
        const mnemonic = generateMnemonic(strength, init.random);
        const secrets = { entropy: mnemonicEntropy(mnemonic), passphrase: utf8ToBytes(passphrase) };
        await install(secrets, password, 1);
        return { mnemonic };
      });
    },

    restore({ mnemonic, password, passphrase = '', accounts = 1 }) {
      return exclusive(async () => {
        if (!Number.isSafeInteger(accounts) || accounts < 1 || accounts > MAX_ACCOUNTS) {
          throw new InvalidAccountCountError(`Restore 1 to ${MAX_ACCOUNTS} accounts.`);
        }
        await ensureEmpty();
        const secrets = { entropy: mnemonicEntropy(mnemonic), passphrase: utf8ToBytes(passphrase) };
        await install(secrets, password, accounts);
      });
    },

    unlock(password) {
      return exclusive(async () => {
        const sealed = await loadSealed();
        const { secrets, key } = await openVaultKeyed(sealed, password, init.subtle);
        const keys = deriveRange(secrets, 0, Math.max(1, sealed.accounts));
        forget();
        const session: Unlocked = { secrets, keys, vaultKey: key };
        unlocked = session;
        lastActivity = now();
        if (vaultNeedsUpgrade(sealed)) {
          const upgraded = await sealVaultKeyed(secrets, password, sealed.accounts, sealOptions);
          await storage.save(upgraded.sealed);
          session.vaultKey = upgraded.key;
        }
      });
    },

    lock: forget,

    changePassword(oldPassword, newPassword) {
      return exclusive(async () => {
        const sealed = await loadSealed();
        const secrets = await openVault(sealed, oldPassword, init.subtle);
        try {
          const resealed = await sealVaultKeyed(secrets, newPassword, sealed.accounts, sealOptions);
          await storage.save(resealed.sealed);
          if (unlocked) unlocked.vaultKey = resealed.key;
        } finally {
          wipe(secrets.entropy, secrets.passphrase);
        }
        lastActivity = now();
      });
    },

    revealMnemonic(password) {
      return exclusive(async () => {
        const secrets = await openVault(await loadSealed(), password, init.subtle);
        try {
          return entropyMnemonic(secrets.entropy);
        } finally {
          wipe(secrets.entropy, secrets.passphrase);
        }
      });
    },

    addAccount() {
      return exclusive(async () => {
        const session = requireUnlocked();
        if (session.keys.length >= MAX_ACCOUNTS) {
          throw new InvalidAccountCountError(
            `An identity has at most ${MAX_ACCOUNTS} accounts here.`,
          );
        }
        const next = session.keys.length;
        // Derive from the session's secrets before any await: a lock meanwhile wipes them.
        const [key] = deriveRange(session.secrets, next, next + 1);
        if (!key) throw new UnknownAccountError('Could not open a new account.');
        try {
          const sealed = await loadSealed();
          if (unlocked !== session) throw new VaultLockedError();
          // The count is authenticated, so it is resealed under the session's key; a record
          // resealed elsewhere meanwhile (another password) needs the password again.
          if (!equalBytes(sealed.kdf.salt, session.vaultKey.kdf.salt)) {
            forget();
            throw new VaultLockedError();
          }
          await storage.save(
            await resealVault(session.secrets, session.vaultKey, next + 1, sealOptions),
          );
        } catch (error) {
          wipe(key.secretKey);
          throw error;
        }
        if (unlocked !== session) {
          wipe(key.secretKey);
          throw new VaultLockedError();
        }
        session.keys.push(key);
        lastActivity = now();
        return { account: key.account, publicKey: key.publicKey, did: key.did };
      });
    },

    accounts() {
      return requireUnlocked().keys.map(({ account, publicKey, did }) => ({
        account,
        publicKey,
        did,
      }));
    },

    sign(account, message) {
      const key = requireUnlocked().keys.find((k) => k.account === account);
      if (!key) throw new UnknownAccountError(`Account ${account} does not exist in this wallet.`);
      // No touch here: a validator signs on its own every block; idle time counts a person.
      return sign(message, key.secretKey);
    },

    setIdleMs(ms) {
      if (!Number.isSafeInteger(ms) || ms < 0) {
        throw new InvalidIdleTimeError(
          'The auto-lock time must be a whole number of ms, 0 or more.',
        );
      }
      idleMs = ms;
    },

    touch() {
      lastActivity = now();
    },

    idle: isIdle,

    lockIfIdle() {
      if (!isIdle()) return false;
      forget();
      return true;
    },

    wipe() {
      return exclusive(async () => {
        forget();
        await storage.clear();
      });
    },

    exportSealed(password) {
      return exclusive(async () => {
        const sealed = await loadSealed();
        const secrets = await openVault(sealed, password, init.subtle);
        wipe(secrets.entropy, secrets.passphrase);
        return sealed;
      });
    },

    importSealed(sealed, password) {
      return exclusive(async () => {
        await ensureEmpty();
        // Checks the account count before any key-derivation work.
        const record = readSealedVault(sealed);
        const { secrets } = await openVaultKeyed(record, password, init.subtle);
        // Stored at today's parameters (iterations, a fresh salt, version), never as it came:
        // a file sealed with 1 iteration would otherwise stay that weak until the next unlock.
        let today: Awaited<ReturnType<typeof sealVaultKeyed>>;
        try {
          today = await sealVaultKeyed(secrets, password, record.accounts, sealOptions);
          await storage.save(today.sealed);
        } catch (error) {
          wipe(secrets.entropy, secrets.passphrase);
          throw error;
        }
        forget();
        const keys = deriveRange(secrets, 0, Math.max(1, record.accounts));
        unlocked = { secrets, keys, vaultKey: today.key };
        lastActivity = now();
      });
    },
  };
}
