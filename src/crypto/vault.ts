/**
 * @module vault — secret material sealed at rest: password → PBKDF2-SHA256 (NIST SP 800-132,
 * ≥ 600,000 iterations as OWASP recommends for SHA-256) → AES-256-GCM (NIST SP 800-38D) with a
 * random 96-bit IV and a random salt per vault. The record is self-describing and versioned; its
 * header (format, version, KDF parameters, cipher and, from version 2, the account count) is bound
 * as additional authenticated data, so lowering the iterations or raising the account count on
 * disk makes unlocking fail rather than weakening the vault or stalling it.
 */
import { FreeholdError } from '../FreeholdError';
import { concatBytes, randomBytes, utf8ToBytes, wipe, type RandomBytes } from './bytes';

export class WrongPasswordError extends FreeholdError {
  override name = 'WrongPasswordError' as const;
  constructor() {
    super('The password is not correct.');
  }
}

export class WeakVaultParametersError extends FreeholdError {
  override name = 'WeakVaultParametersError' as const;
}

export class UnsupportedVaultError extends FreeholdError {
  override name = 'UnsupportedVaultError' as const;
}

export class DamagedVaultError extends FreeholdError {
  override name = 'DamagedVaultError' as const;
}

export class InvalidPasswordError extends FreeholdError {
  override name = 'InvalidPasswordError' as const;
}

export class InvalidAccountCountError extends FreeholdError {
  override name = 'InvalidAccountCountError' as const;
}

export const VAULT_FORMAT = 'freehold-vault';
/** Version 2 binds the account count into the AAD; version 1 records are read, then resealed. */
export const VAULT_VERSION = 2;
export const LEGACY_VAULT_VERSION = 1;
/** The header version of other password-sealed boxes (wallet files), which carry no count. */
const BYTES_VERSION = 1;
/**
 * Most accounts one identity opens here. Each costs a SLIP-0010 derivation at unlock (about
 * 3 ms), so the cap bounds unlock to under a second on a slow machine.
 */
export const MAX_ACCOUNTS = 256;
export const MIN_PBKDF2_ITERATIONS = 600_000;
/** More would take minutes to open: a record asking for it is refused, not run. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const MIN_PASSWORD_LENGTH = 8;

export interface VaultKdf {
  name: 'PBKDF2-SHA256';
  iterations: number;
  salt: Uint8Array;
}

/** What is stored: nothing here is secret without the password. */
export interface SealedVault {
  format: typeof VAULT_FORMAT;
  version: typeof VAULT_VERSION | typeof LEGACY_VAULT_VERSION;
  kdf: VaultKdf;
  cipher: { name: 'AES-256-GCM'; iv: Uint8Array };
  ciphertext: Uint8Array;
  /** How many accounts the user has opened: public, outside the ciphertext, bound in the AAD. */
  accounts: number;
}

/** What is sealed: BIP-39 entropy and passphrase, as bytes so they can be wiped. */
export interface VaultSecrets {
  entropy: Uint8Array;
  passphrase: Uint8Array;
}

export interface SealOptions {
  iterations?: number;
  random?: RandomBytes;
  subtle?: SubtleCrypto;
}

function subtleOf(subtle?: SubtleCrypto): SubtleCrypto {
  const s = subtle ?? globalThis.crypto?.subtle;
  if (!s)
    throw new UnsupportedVaultError('This runtime has no WebCrypto; the vault cannot be opened.');
  return s;
}

function checkPassword(password: string): Uint8Array {
  if (typeof password !== 'string' || [...password].length < MIN_PASSWORD_LENGTH) {
    throw new InvalidPasswordError(`A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  return utf8ToBytes(password.normalize('NFKC'));
}

/**
 * The header bound as AAD: "<format>/<version>|PBKDF2-SHA256|<iterations>|" ‖ salt (16) ‖
 * "|AES-256-GCM", and "|accounts=<n>" for a version 2 vault. The format ("freehold-vault",
 * "freehold-wallet-file") keeps one kind of box from passing for another under the same
 * password; the version keeps a version 2 record from being read as an unbound version 1.
 */
function header(format: string, kdf: VaultKdf, version = BYTES_VERSION, accounts?: number) {
  return concatBytes(
    utf8ToBytes(`${format}/${version}|${kdf.name}|${kdf.iterations}|`),
    kdf.salt,
    utf8ToBytes('|AES-256-GCM' + (accounts === undefined ? '' : `|accounts=${accounts}`)),
  );
}

const vaultHeader = (sealed: Pick<SealedVault, 'version' | 'kdf' | 'accounts'>): Uint8Array =>
  sealed.version === LEGACY_VAULT_VERSION
    ? header(VAULT_FORMAT, sealed.kdf, LEGACY_VAULT_VERSION)
    : header(VAULT_FORMAT, sealed.kdf, VAULT_VERSION, sealed.accounts);

/** Plaintext layout: entropy length (1 byte: 16 or 32) ‖ entropy ‖ passphrase (the rest, UTF-8). */
function packSecrets(secrets: VaultSecrets): Uint8Array {
  return concatBytes(new Uint8Array([secrets.entropy.length]), secrets.entropy, secrets.passphrase);
}

function unpackSecrets(plaintext: Uint8Array): VaultSecrets {
  const length = plaintext[0];
  if ((length !== 16 && length !== 32) || plaintext.length < 1 + length) {
    throw new DamagedVaultError('The vault holds a key of an unknown size.');
  }
  return { entropy: plaintext.slice(1, 1 + length), passphrase: plaintext.slice(1 + length) };
}

async function deriveKey(
  subtle: SubtleCrypto,
  password: Uint8Array,
  kdf: VaultKdf,
): Promise<CryptoKey> {
  const base = await subtle.importKey('raw', password.slice(), 'PBKDF2', false, ['deriveKey']);
  return subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: kdf.salt.slice(), iterations: kdf.iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** What password-sealed bytes are stored as, whatever they hold. */
export interface SealedBytes {
  kdf: VaultKdf;
  cipher: { name: 'AES-256-GCM'; iv: Uint8Array };
  ciphertext: Uint8Array;
}

/**
 * The key a password derives for one sealed record (its salt and iterations), kept while the
 * vault is unlocked so the account count can be resealed without asking for the password.
 * Non-extractable: it encrypts and decrypts, nothing reads it out.
 */
export interface VaultKey {
  key: CryptoKey;
  kdf: VaultKdf;
}

const checkAccounts = (accounts: number): number => {
  if (!Number.isSafeInteger(accounts) || accounts < 0 || accounts > MAX_ACCOUNTS) {
    throw new InvalidAccountCountError(`A vault opens at most ${MAX_ACCOUNTS} accounts.`);
  }
  return accounts;
};

/** Seals secrets under a password. The caller still owns (and should wipe) `secrets`. */
export async function sealVault(
  secrets: VaultSecrets,
  password: string,
  accounts: number,
  options: SealOptions = {},
): Promise<SealedVault> {
  return (await sealVaultKeyed(secrets, password, accounts, options)).sealed;
}

/** Seals secrets under a password at today's parameters, and returns the key it derived. */
export async function sealVaultKeyed(
  secrets: VaultSecrets,
  password: string,
  accounts: number,
  options: SealOptions = {},
): Promise<{ sealed: SealedVault; key: VaultKey }> {
  checkAccounts(accounts);
  const subtle = subtleOf(options.subtle);
  const kdf = newKdf(options);
  const pw = checkPassword(password);
  let key: CryptoKey;
  try {
    key = await deriveKey(subtle, pw, kdf);
  } finally {
    wipe(pw);
  }
  const vaultKey = { key, kdf };
  return { sealed: await resealVault(secrets, vaultKey, accounts, options), key: vaultKey };
}

/** Seals secrets again under a key already derived (a fresh IV), e.g. for a new account count. */
export async function resealVault(
  secrets: VaultSecrets,
  key: VaultKey,
  accounts: number,
  options: Omit<SealOptions, 'iterations'> = {},
): Promise<SealedVault> {
  checkAccounts(accounts);
  const subtle = subtleOf(options.subtle);
  const iv = (options.random ?? randomBytes)(12);
  const base = { format: VAULT_FORMAT, version: VAULT_VERSION, kdf: key.kdf, accounts } as const;
  const plaintext = packSecrets(secrets);
  try {
    const ciphertext = await encrypt(subtle, key.key, iv, vaultHeader(base), plaintext);
    return { ...base, cipher: { name: 'AES-256-GCM', iv }, ciphertext };
  } finally {
    wipe(plaintext);
  }
}

function newKdf(options: SealOptions): VaultKdf {
  const iterations = options.iterations ?? MIN_PBKDF2_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS) {
    throw new WeakVaultParametersError(
      `The vault needs at least ${MIN_PBKDF2_ITERATIONS} PBKDF2 iterations.`,
    );
  }
  return { name: 'PBKDF2-SHA256', iterations, salt: (options.random ?? randomBytes)(16) };
}

async function encrypt(
  subtle: SubtleCrypto,
  key: CryptoKey,
  iv: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return new Uint8Array(
    await subtle.encrypt(
      { name: 'AES-GCM', iv: iv.slice(), additionalData: aad.slice(), tagLength: 128 },
      key,
      plaintext.slice(),
    ),
  );
}

/** Seals bytes under a password, bound to `format`. The caller owns (and may wipe) `plaintext`. */
export async function sealBytes(
  plaintext: Uint8Array,
  password: string,
  format: string,
  options: SealOptions = {},
): Promise<SealedBytes> {
  const subtle = subtleOf(options.subtle);
  const kdf = newKdf(options);
  const iv = (options.random ?? randomBytes)(12);
  const pw = checkPassword(password);
  try {
    const key = await deriveKey(subtle, pw, kdf);
    const ciphertext = await encrypt(subtle, key, iv, header(format, kdf), plaintext);
    return { kdf, cipher: { name: 'AES-256-GCM', iv }, ciphertext };
  } finally {
    wipe(pw);
  }
}

/** Checks a stored record's shape before any use; a damaged record is an error, not a crash. */
export function readSealedVault(value: unknown): SealedVault {
  if (!isRecord(value)) return damaged('not a record');
  if (value.format !== VAULT_FORMAT)
    throw new UnsupportedVaultError('This is not a Freehold vault.');
  if (value.version !== VAULT_VERSION && value.version !== LEGACY_VAULT_VERSION) {
    throw new UnsupportedVaultError(
      'This vault was made by a newer Freehold; update the app to open it.',
      {
        details: `version ${String(value.version)}`,
      },
    );
  }
  return {
    format: VAULT_FORMAT,
    version: value.version,
    ...readSealedBytes(value),
    accounts: checkAccounts(count(value.accounts, 'accounts')),
  };
}

/** The KDF, cipher and ciphertext of any password-sealed record, checked. */
export function readSealedBytes(value: unknown): SealedBytes {
  if (!isRecord(value)) return damaged('not a record');
  const { kdf, cipher } = value;
  if (!isRecord(kdf) || kdf.name !== 'PBKDF2-SHA256')
    throw new UnsupportedVaultError('Unknown key derivation in the vault.');
  if (!isRecord(cipher) || cipher.name !== 'AES-256-GCM')
    throw new UnsupportedVaultError('Unknown cipher in the vault.');
  return {
    kdf: {
      name: 'PBKDF2-SHA256',
      iterations: readIterations(kdf.iterations),
      salt: bytes(kdf.salt, 16, 'kdf.salt'),
    },
    cipher: { name: 'AES-256-GCM', iv: bytes(cipher.iv, 12, 'cipher.iv') },
    ciphertext: bytes(value.ciphertext, undefined, 'ciphertext'),
  };
}

const damaged = (what: string): never => {
  throw new DamagedVaultError('The stored vault is damaged.', { details: what });
};
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const bytes = (v: unknown, length: number | undefined, what: string): Uint8Array =>
  v instanceof Uint8Array && (length === undefined || v.length === length) ? v : damaged(what);
const readIterations = (v: unknown): number => {
  const n = count(v, 'kdf.iterations');
  if (n > MAX_PBKDF2_ITERATIONS)
    throw new UnsupportedVaultError('The vault asks for more key-derivation work than allowed.');
  return n;
};
const count = (v: unknown, what: string): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : damaged(what);

/** Opens a sealed vault; a wrong password throws WrongPasswordError and changes nothing. */
export async function openVault(
  sealed: SealedVault,
  password: string,
  subtle?: SubtleCrypto,
): Promise<VaultSecrets> {
  return (await openVaultKeyed(sealed, password, subtle)).secrets;
}

/** Opens a sealed vault and returns the key its password derived, for resealing. */
export async function openVaultKeyed(
  sealed: SealedVault,
  password: string,
  subtle?: SubtleCrypto,
): Promise<{ secrets: VaultSecrets; key: VaultKey }> {
  // Checked (account count included) before any key-derivation work.
  const record = readSealedVault(sealed);
  const { plaintext, key } = await decrypt(record, password, vaultHeader(record), subtle);
  try {
    return { secrets: unpackSecrets(plaintext), key: { key, kdf: record.kdf } };
  } finally {
    wipe(plaintext);
  }
}

/** Opens bytes sealed under a password for `format`; a wrong password is WrongPasswordError. */
export async function openBytes(
  record: SealedBytes,
  password: string,
  format: string,
  subtle?: SubtleCrypto,
): Promise<Uint8Array> {
  return (await decrypt(record, password, header(format, record.kdf), subtle)).plaintext;
}

async function decrypt(
  record: SealedBytes,
  password: string,
  aad: Uint8Array,
  subtle?: SubtleCrypto,
): Promise<{ plaintext: Uint8Array; key: CryptoKey }> {
  const s = subtleOf(subtle);
  const pw = utf8ToBytes(String(password).normalize('NFKC'));
  try {
    const key = await deriveKey(s, pw, record.kdf);
    const plaintext = new Uint8Array(
      await s.decrypt(
        {
          name: 'AES-GCM',
          iv: record.cipher.iv.slice(),
          additionalData: aad.slice(),
          tagLength: 128,
        },
        key,
        record.ciphertext.slice(),
      ),
    );
    return { plaintext, key };
  } catch {
    // AES-GCM cannot tell a wrong password from a tampered record; both mean "not this password".
    throw new WrongPasswordError();
  } finally {
    wipe(pw);
  }
}

/**
 * True when the stored record is weaker than today's: too few iterations, or a version 1
 * record whose account count is not authenticated. Re-seal it at the next unlock.
 */
export function vaultNeedsUpgrade(sealed: SealedVault): boolean {
  return sealed.kdf.iterations < MIN_PBKDF2_ITERATIONS || sealed.version !== VAULT_VERSION;
}
