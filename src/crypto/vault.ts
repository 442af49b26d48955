/**
 * @module vault — secret material sealed at rest: password → PBKDF2-SHA256 (NIST SP 800-132,
 * ≥ 600,000 iterations as OWASP recommends for SHA-256) → AES-256-GCM (NIST SP 800-38D) with a
 * random 96-bit IV and a random salt per vault. The record is self-describing and versioned; its
 * header (format, version, KDF parameters, cipher) is bound as additional authenticated data, so
 * lowering the iterations on disk makes unlocking fail rather than weakening the vault.
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

export const VAULT_FORMAT = 'freehold-vault';
export const VAULT_VERSION = 1;
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
  version: typeof VAULT_VERSION;
  kdf: VaultKdf;
  cipher: { name: 'AES-256-GCM'; iv: Uint8Array };
  ciphertext: Uint8Array;
  /** How many accounts the user has opened: public, so it is outside the ciphertext. */
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
 * The header bound as AAD: "<format>/1|PBKDF2-SHA256|<iterations>|" ‖ salt (16) ‖ "|AES-256-GCM".
 * The format ("freehold-vault", "freehold-wallet-file") keeps one kind of box from passing for
 * another under the same password.
 */
function header(format: string, kdf: VaultKdf): Uint8Array {
  return concatBytes(
    utf8ToBytes(`${format}/${VAULT_VERSION}|${kdf.name}|${kdf.iterations}|`),
    kdf.salt,
    utf8ToBytes('|AES-256-GCM'),
  );
}

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

/** Seals secrets under a password. The caller still owns (and should wipe) `secrets`. */
export async function sealVault(
  secrets: VaultSecrets,
  password: string,
  accounts: number,
  options: SealOptions = {},
): Promise<SealedVault> {
  const plaintext = packSecrets(secrets);
  try {
    const sealed = await sealBytes(plaintext, password, VAULT_FORMAT, options);
    return { format: VAULT_FORMAT, version: VAULT_VERSION, ...sealed, accounts };
  } finally {
    wipe(plaintext);
  }
}

/** Seals bytes under a password, bound to `format`. The caller owns (and may wipe) `plaintext`. */
export async function sealBytes(
  plaintext: Uint8Array,
  password: string,
  format: string,
  options: SealOptions = {},
): Promise<SealedBytes> {
  const iterations = options.iterations ?? MIN_PBKDF2_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS) {
    throw new WeakVaultParametersError(
      `The vault needs at least ${MIN_PBKDF2_ITERATIONS} PBKDF2 iterations.`,
    );
  }
  const subtle = subtleOf(options.subtle);
  const random = options.random ?? randomBytes;
  const pw = checkPassword(password);
  const kdf: VaultKdf = { name: 'PBKDF2-SHA256', iterations, salt: random(16) };
  const iv = random(12);
  try {
    const key = await deriveKey(subtle, pw, kdf);
    const ciphertext = new Uint8Array(
      await subtle.encrypt(
        {
          name: 'AES-GCM',
          iv: iv.slice(),
          additionalData: header(format, kdf).slice(),
          tagLength: 128,
        },
        key,
        plaintext.slice(),
      ),
    );
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
  if (value.version !== VAULT_VERSION) {
    throw new UnsupportedVaultError(
      'This vault was made by a newer Freehold; update the app to open it.',
      {
        details: `version ${String(value.version)}`,
      },
    );
  }
  return {
    format: VAULT_FORMAT,
    version: VAULT_VERSION,
    ...readSealedBytes(value),
    accounts: count(value.accounts, 'accounts'),
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
  const plaintext = await openBytes(readSealedVault(sealed), password, VAULT_FORMAT, subtle);
  try {
    return unpackSecrets(plaintext);
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
  const s = subtleOf(subtle);
  const pw = utf8ToBytes(String(password).normalize('NFKC'));
  let plaintext: Uint8Array;
  try {
    const key = await deriveKey(s, pw, record.kdf);
    plaintext = new Uint8Array(
      await s.decrypt(
        {
          name: 'AES-GCM',
          iv: record.cipher.iv.slice(),
          additionalData: header(format, record.kdf).slice(),
          tagLength: 128,
        },
        key,
        record.ciphertext.slice(),
      ),
    );
  } catch {
    // AES-GCM cannot tell a wrong password from a tampered record; both mean "not this password".
    throw new WrongPasswordError();
  } finally {
    wipe(pw);
  }
  return plaintext;
}

/** True when the stored KDF is weaker than today's minimum: re-seal it at the next unlock. */
export function vaultNeedsUpgrade(sealed: SealedVault): boolean {
  return sealed.kdf.iterations < MIN_PBKDF2_ITERATIONS;
}
