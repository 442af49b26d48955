// The vault and KeyVault with real WebCrypto (Node's) and an in-memory VaultStorage.
import { describe, expect, it } from 'vitest';
import { createKeyVault, type VaultStorage } from '../../src/crypto/keyVault';
import {
  MAX_PBKDF2_ITERATIONS,
  MIN_PBKDF2_ITERATIONS,
  openVault,
  sealVault,
  type SealedVault,
} from '../../src/crypto/vault';
import { verify } from '../../src/crypto/ed25519';
import { fromDidKey } from '../../src/crypto/didKey';
import { concatBytes, utf8ToBytes } from '../../src/crypto/bytes';
import { mnemonicEntropy } from '../../src/crypto/mnemonic';
import bip39 from '../vectors/bip39-english.json';

function memoryStorage(): VaultStorage & { value: SealedVault | undefined; saves: number } {
  const s = {
    value: undefined as SealedVault | undefined,
    saves: 0,
    load: () => Promise.resolve(s.value && structuredClone(s.value)),
    save: (v: SealedVault) => {
      s.saves++;
      s.value = structuredClone(v);
      return Promise.resolve();
    },
    clear: () => {
      s.value = undefined;
      return Promise.resolve();
    },
  };
  return s;
}

function clock(start = 0) {
  const c = { t: start, now: () => c.t };
  return c;
}

const PASSWORD = 'correct horse battery';
const MNEMONIC = bip39.vectors[0]!.mnemonic;

/**
 * A version 1 record as older Freeholds wrote it (header without the account count), with any
 * iteration count: built here from the documented layout, since sealVault refuses weak ones.
 */
async function sealLegacy(iterations: number, accounts: number): Promise<SealedVault> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const base = await crypto.subtle.importKey('raw', utf8ToBytes(PASSWORD), 'PBKDF2', false, [
    'deriveKey',
  ]);
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt'],
  );
  const aad = concatBytes(
    utf8ToBytes(`freehold-vault/1|PBKDF2-SHA256|${iterations}|`),
    salt,
    utf8ToBytes('|AES-256-GCM'),
  );
  const entropy = mnemonicEntropy(MNEMONIC);
  const plaintext = concatBytes(new Uint8Array([entropy.length]), entropy);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plaintext),
  );
  return {
    format: 'freehold-vault',
    version: 1,
    kdf: { name: 'PBKDF2-SHA256', iterations, salt },
    cipher: { name: 'AES-256-GCM', iv },
    ciphertext,
    accounts,
  } as unknown as SealedVault;
}

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('sealed vault format', () => {
  const secrets = () => ({ entropy: new Uint8Array(16).fill(9), passphrase: new Uint8Array(0) });

  it('stores its parameters and opens with the password only', async () => {
    const sealed = await sealVault(secrets(), PASSWORD, 1);
    expect(sealed.kdf).toMatchObject({ name: 'PBKDF2-SHA256', iterations: MIN_PBKDF2_ITERATIONS });
    expect(sealed.kdf.salt).toHaveLength(16);
    expect(sealed.cipher.iv).toHaveLength(12);
    expect((await openVault(sealed, PASSWORD)).entropy).toEqual(secrets().entropy);
    const wrong = await caught(openVault(sealed, 'not the password'));
    expect(wrong.name).toBe('WrongPasswordError');
  });

  it('refuses a record that asks for absurd work before doing any of it', async () => {
    const sealed = await sealVault(secrets(), PASSWORD, 1);
    const heavy = { ...sealed, kdf: { ...sealed.kdf, iterations: MAX_PBKDF2_ITERATIONS + 1 } };
    expect((await caught(openVault(heavy, PASSWORD))).name).toBe('UnsupportedVaultError');
    const vault = createKeyVault({ storage: memoryStorage(), now: clock().now });
    const many = { ...sealed, accounts: 1_000_000 };
    expect((await caught(vault.importSealed(many, PASSWORD))).name).toBe(
      'InvalidAccountCountError',
    );
    expect(await vault.status()).toBe('empty');
  });

  it('two seals of the same secret differ (random salt and IV)', async () => {
    const a = await sealVault(secrets(), PASSWORD, 1);
    const b = await sealVault(secrets(), PASSWORD, 1);
    expect(a.kdf.salt).not.toEqual(b.kdf.salt);
    expect(a.ciphertext).not.toEqual(b.ciphertext);
  });

  it('lowering the iterations on disk makes it fail to open, not weaker', async () => {
    const sealed = await sealVault(secrets(), PASSWORD, 1);
    const tampered = { ...sealed, kdf: { ...sealed.kdf, iterations: 1000 } };
    expect((await caught(openVault(tampered, PASSWORD))).name).toBe('WrongPasswordError');
  });

  it('refuses weak parameters and short passwords', async () => {
    expect((await caught(sealVault(secrets(), PASSWORD, 1, { iterations: 1000 }))).name).toBe(
      'WeakVaultParametersError',
    );
    expect((await caught(sealVault(secrets(), 'short', 1))).name).toBe('InvalidPasswordError');
  });

  it('a damaged record is a typed error', async () => {
    const sealed = await sealVault(secrets(), PASSWORD, 1);
    expect(
      (await caught(openVault({ ...sealed, version: 9 } as unknown as SealedVault, PASSWORD))).name,
    ).toBe('UnsupportedVaultError');
  });
});

describe('KeyVault', () => {
  it('creates, locks, unlocks, signs with a did:key identity', async () => {
    const storage = memoryStorage();
    const vault = createKeyVault({ storage, now: clock().now });
    expect(await vault.status()).toBe('empty');
    const { mnemonic } = await vault.create({ password: PASSWORD, strength: 128 });
    expect(mnemonic.split(' ')).toHaveLength(12);
    const [account] = vault.accounts();
    expect(account!.did).toMatch(/^did:key:z6Mk/);
    const msg = new Uint8Array([1, 2, 3]);
    expect(verify(vault.sign(0, msg), msg, fromDidKey(account!.did))).toBe(true);
    vault.lock();
    expect(await vault.status()).toBe('locked');
    expect(() => vault.sign(0, msg)).toThrow(expect.objectContaining({ name: 'VaultLockedError' }));
    await vault.unlock(PASSWORD);
    expect(vault.accounts()[0]!.did).toBe(account!.did);
  });

  it('a wrong password is a typed error and changes nothing', async () => {
    const storage = memoryStorage();
    const vault = createKeyVault({ storage, now: clock().now });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    vault.lock();
    const before = structuredClone(storage.value);
    const saves = storage.saves;
    const error = await caught(vault.unlock('wrong password!'));
    expect(error.name).toBe('WrongPasswordError');
    expect(error.message).not.toContain('wrong password!');
    expect(await vault.status()).toBe('locked');
    expect(storage.saves).toBe(saves);
    expect(storage.value).toEqual(before);
    expect((await caught(vault.changePassword('wrong password!', 'another password'))).name).toBe(
      'WrongPasswordError',
    );
    expect(storage.value).toEqual(before);
  });

  it('restore gives the same identity; reveal needs the password; change password works', async () => {
    const first = createKeyVault({ storage: memoryStorage(), now: clock().now });
    await first.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    const second = createKeyVault({ storage: memoryStorage(), now: clock().now });
    await second.restore({
      mnemonic: `  ${MNEMONIC.toUpperCase()} `,
      password: 'another password',
    });
    expect(second.accounts()[0]!.did).toBe(first.accounts()[0]!.did);
    expect(await first.revealMnemonic(PASSWORD)).toBe(MNEMONIC);
    expect((await caught(first.revealMnemonic('nope nope nope'))).name).toBe('WrongPasswordError');
    await first.changePassword(PASSWORD, 'new password here');
    first.lock();
    expect((await caught(first.unlock(PASSWORD))).name).toBe('WrongPasswordError');
    await first.unlock('new password here');
    expect(first.accounts()[0]!.did).toBe(second.accounts()[0]!.did);
  });

  it('opens further accounts that survive a lock', async () => {
    const vault = createKeyVault({ storage: memoryStorage(), now: clock().now });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    const second = await vault.addAccount();
    expect(second.account).toBe(1);
    expect(second.did).not.toBe(vault.accounts()[0]!.did);
    vault.lock();
    await vault.unlock(PASSWORD);
    expect(vault.accounts().map((a) => a.did)).toContain(second.did);
  });

  it('locks itself after idle time, and not before', async () => {
    const c = clock(1000);
    const vault = createKeyVault({ storage: memoryStorage(), now: c.now, idleMs: 60_000 });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    c.t += 59_000;
    expect(vault.lockIfIdle()).toBe(false);
    vault.touch();
    c.t += 59_000;
    expect(vault.lockIfIdle()).toBe(false);
    vault.sign(0, new Uint8Array([1])); // a validator's own signature is not a person's action
    c.t += 2_000;
    expect(vault.lockIfIdle()).toBe(true);
    expect(await vault.status()).toBe('locked');
  });

  it('takes a new idle time, and 0 turns auto-lock off', async () => {
    const c = clock(1000);
    const vault = createKeyVault({ storage: memoryStorage(), now: c.now, idleMs: 60_000 });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    vault.setIdleMs(0);
    c.t += 10 * 60_000;
    expect(vault.lockIfIdle()).toBe(false);
    vault.setIdleMs(5_000);
    expect(vault.lockIfIdle()).toBe(true);
    expect(() => vault.setIdleMs(-1)).toThrow(
      expect.objectContaining({ name: 'InvalidIdleTimeError' }),
    );
  });

  it('refuses a bad phrase with a typed error that does not echo it', async () => {
    const vault = createKeyVault({ storage: memoryStorage(), now: clock().now });
    const bad = MNEMONIC.replace(/about$/, 'abandon');
    const error = await caught(vault.restore({ mnemonic: bad, password: PASSWORD }));
    expect(error.name).toBe('InvalidMnemonicError');
    expect(error.message).not.toContain('abandon');
    expect(await vault.status()).toBe('empty');
  });

  it('creating over an existing identity is refused; wipe removes it', async () => {
    const vault = createKeyVault({ storage: memoryStorage(), now: clock().now });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    expect((await caught(vault.create({ password: PASSWORD }))).name).toBe('VaultExistsError');
    await vault.wipe();
    expect(await vault.status()).toBe('empty');
  });

  it('a lock while an account is being added refuses it, rather than deriving from wiped secrets', async () => {
    const storage = memoryStorage();
    const slow: VaultStorage = {
      load: () => new Promise((resolve) => setTimeout(() => void storage.load().then(resolve), 20)),
      save: (v) => storage.save(v),
      clear: () => storage.clear(),
    };
    const vault = createKeyVault({ storage: slow, now: clock().now });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    const adding = vault.addAccount();
    setTimeout(() => vault.lock(), 5);
    expect((await caught(adding)).name).toBe('VaultLockedError');
    expect(storage.value?.accounts).toBe(1);
    await vault.unlock(PASSWORD);
    const added = await vault.addAccount();
    const fresh = createKeyVault({ storage: memoryStorage(), now: clock().now });
    await fresh.restore({ mnemonic: MNEMONIC, password: PASSWORD, accounts: 2 });
    expect(added.did).toBe(fresh.accounts()[1]!.did);
  });

  it('two overlapping creates leave one identity, and the phrase shown is the one stored', async () => {
    const storage = memoryStorage();
    const vault = createKeyVault({ storage, now: clock().now });
    const results = await Promise.allSettled([
      vault.create({ password: PASSWORD }),
      vault.create({ password: PASSWORD }),
    ]);
    const made = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(made).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      name: 'VaultExistsError',
    });
    const shown = (made[0] as PromiseFulfilledResult<{ mnemonic: string }>).value.mnemonic;
    expect(await vault.revealMnemonic(PASSWORD)).toBe(shown);
  });

  it('refuses an impossible number of accounts to restore', async () => {
    const vault = createKeyVault({ storage: memoryStorage(), now: clock().now });
    for (const accounts of [0, Number.NaN, 1.5, 10_000]) {
      expect(
        (await caught(vault.restore({ mnemonic: MNEMONIC, password: PASSWORD, accounts }))).name,
      ).toBe('InvalidAccountCountError');
    }
    expect(await vault.status()).toBe('empty');
  });

  it('A13(a): an account count raised on disk is refused at unlock, before any derivation', async () => {
    const storage = memoryStorage();
    const vault = createKeyVault({ storage, now: clock().now });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD, accounts: 2 });
    vault.lock();
    const honest = structuredClone(storage.value!);
    // Within the cap but not what the password sealed: the count is authenticated.
    storage.value = { ...honest, accounts: 200 };
    expect((await caught(vault.unlock(PASSWORD))).name).toBe('WrongPasswordError');
    expect(await vault.status()).toBe('locked');
    // Beyond the cap: refused before the key derivation, whatever the password.
    storage.value = { ...honest, accounts: 4000 };
    expect((await caught(vault.unlock(PASSWORD))).name).toBe('InvalidAccountCountError');
    expect((await caught(vault.unlock('not the password'))).name).toBe('InvalidAccountCountError');
    // A version 2 record cannot pass for an unauthenticated version 1 either.
    storage.value = { ...honest, version: 1, accounts: 200 } as unknown as SealedVault;
    expect((await caught(vault.unlock(PASSWORD))).name).toBe('WrongPasswordError');
    storage.value = honest;
    await vault.unlock(PASSWORD);
    expect(vault.accounts()).toHaveLength(2);
  });

  it('A13(a): accounts added, also after a password change, stay authenticated', async () => {
    const storage = memoryStorage();
    const vault = createKeyVault({ storage, now: clock().now });
    await vault.restore({ mnemonic: MNEMONIC, password: PASSWORD });
    await vault.addAccount();
    await vault.changePassword(PASSWORD, 'another password');
    await vault.addAccount();
    expect(storage.value!.accounts).toBe(3);
    vault.lock();
    await vault.unlock('another password');
    expect(vault.accounts()).toHaveLength(3);
    vault.lock();
    storage.value = { ...storage.value!, accounts: 4 };
    expect((await caught(vault.unlock('another password'))).name).toBe('WrongPasswordError');
  });

  it('A13(a): a version 1 vault (count not bound) opens and is resealed with its count bound', async () => {
    const storage = memoryStorage();
    storage.value = await sealLegacy(MIN_PBKDF2_ITERATIONS, 2);
    const vault = createKeyVault({ storage, now: clock().now });
    await vault.unlock(PASSWORD);
    expect(vault.accounts()).toHaveLength(2);
    expect(storage.value.version).toBe(2);
    vault.lock();
    storage.value = { ...storage.value, accounts: 5 };
    expect((await caught(vault.unlock(PASSWORD))).name).toBe('WrongPasswordError');
  });

  it('A13(b): an imported vault with 1 KDF iteration is stored at today’s parameters at once', async () => {
    const weak = await sealLegacy(1, 1);
    const storage = memoryStorage();
    const vault = createKeyVault({ storage, now: clock().now });
    await vault.importSealed(weak, PASSWORD);
    const stored = storage.value!;
    expect(stored.kdf.iterations).toBe(MIN_PBKDF2_ITERATIONS);
    expect(stored.kdf.salt).not.toEqual(weak.kdf.salt);
    expect(stored.version).toBe(2);
    const first = vault.accounts()[0]!.did;
    vault.lock();
    await vault.unlock(PASSWORD);
    expect(vault.accounts()[0]!.did).toBe(first);
    // A wrong password on import stores nothing.
    const other = createKeyVault({ storage: memoryStorage(), now: clock().now });
    expect((await caught(other.importSealed(weak, 'not the password'))).name).toBe(
      'WrongPasswordError',
    );
    expect(await other.status()).toBe('empty');
  });
});
