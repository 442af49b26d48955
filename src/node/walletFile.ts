/**
 * @module walletFile — the whole wallet as one file a person can keep or move to another device:
 * the sealed vault as stored (already encrypted under the password) and the chains it follows
 * (genesis and peers) with its settings, sealed under the same password (PBKDF2 → AES-256-GCM,
 * crypto/vault). Canonical CBOR; anything wrong with a file is an InvalidWalletFileError.
 */
import { FreeholdError } from '../FreeholdError';
import { decode, encode } from '../codec/cbor';
import { asArray, asObject, asSafeUint, asString } from '../codec/read';
import { wipe } from '../crypto/bytes';
import {
  openBytes,
  readSealedBytes,
  readSealedVault,
  sealBytes,
  type SealedBytes,
  type SealedVault,
  type SealOptions,
} from '../crypto/vault';
import { readGenesis, type Genesis } from '../chain/genesis';
import { MAX_ADDRESS_LENGTH, MAX_INVITE_PEERS } from './invite';

export const WALLET_FILE_FORMAT = 'freehold-wallet-file';
const VERSION = 1;
/** Chains a file may list; far more than a person follows. */
const MAX_CHAINS = 256;

export class InvalidWalletFileError extends FreeholdError {
  override name = 'InvalidWalletFileError' as const;
}

export interface WalletFileContents {
  chains: { genesis: Genesis; peers: string[] }[];
  autoLockMs: number;
}

export async function sealWalletFile(
  vault: SealedVault,
  contents: WalletFileContents,
  password: string,
  options: SealOptions = {},
): Promise<Uint8Array> {
  const plaintext = encode(contents);
  try {
    const sealed = await sealBytes(plaintext, password, WALLET_FILE_FORMAT, options);
    return encode({ format: WALLET_FILE_FORMAT, version: VERSION, vault, contents: sealed });
  } finally {
    wipe(plaintext);
  }
}

export async function openWalletFile(
  bytes: Uint8Array,
  password: string,
  subtle?: SubtleCrypto,
): Promise<{ vault: SealedVault; contents: WalletFileContents }> {
  let file: Record<string, unknown>;
  let vault: SealedVault;
  let sealed: SealedBytes;
  try {
    file = asObject(decode(bytes), 'file', ['format', 'version', 'vault', 'contents']);
    if (file.format !== WALLET_FILE_FORMAT) throw new Error('format');
    vault = readSealedVault(file.vault);
    sealed = readSealedBytes(file.contents);
  } catch (cause) {
    throw new InvalidWalletFileError('This is not a Freehold wallet file, or it is damaged.', {
      cause,
    });
  }
  if (file.version !== VERSION) {
    throw new InvalidWalletFileError('This wallet file was made by a newer Freehold; update it.');
  }
  // A wrong password is the vault's own WrongPasswordError; it changes nothing.
  const plaintext = await openBytes(sealed, password, WALLET_FILE_FORMAT, subtle);
  try {
    const c = asObject(decode(plaintext), 'contents', ['chains', 'autoLockMs']);
    return {
      vault,
      contents: {
        autoLockMs: asSafeUint(c.autoLockMs, 'autoLockMs'),
        chains: asArray(c.chains, 'chains', MAX_CHAINS).map((value, i) => {
          const chain = asObject(value, `chains[${i}]`, ['genesis', 'peers']);
          return {
            genesis: readGenesis(chain.genesis),
            peers: asArray(chain.peers, `chains[${i}].peers`, MAX_INVITE_PEERS).map((p, j) =>
              asString(p, `chains[${i}].peers[${j}]`, MAX_ADDRESS_LENGTH),
            ),
          };
        }),
      },
    };
  } catch (cause) {
    throw new InvalidWalletFileError('The wallet file is damaged.', { cause });
  } finally {
    wipe(plaintext);
  }
}
