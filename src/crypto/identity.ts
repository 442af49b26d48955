/**
 * @module identity — an account's key pair and did:key, derived from a BIP-39 seed by SLIP-0010.
 */
import { toDidKey } from './didKey';
import { accountPath, deriveEd25519 } from './slip10';

export interface AccountKey {
  account: number;
  publicKey: Uint8Array;
  secretKey: Uint8Array;
  did: string;
}

/** Public view of an account: safe to show, store and send. */
export interface AccountInfo {
  account: number;
  publicKey: Uint8Array;
  did: string;
}

export function deriveAccount(seed: Uint8Array, account: number): AccountKey {
  const key = deriveEd25519(seed, accountPath(account));
  key.chainCode.fill(0);
  return {
    account,
    publicKey: key.publicKey,
    secretKey: key.secretKey,
    did: toDidKey(key.publicKey),
  };
}
