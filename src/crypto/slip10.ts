/**
 * @module slip10 — ed25519 key derivation by SLIP-0010 (hardened only, as ed25519 requires),
 * through micro-key-producer's implementation, checked by the spec's vectors 1 and 2.
 */
import { HDKey } from 'micro-key-producer/slip10.js';
import { FreeholdError } from '../FreeholdError';

export class InvalidSeedError extends FreeholdError {
  override name = 'InvalidSeedError' as const;
}

export class InvalidDerivationPathError extends FreeholdError {
  override name = 'InvalidDerivationPathError' as const;
}

/**
 * Freehold's accounts: m/44'/7337'/account'/0'/0'. Coin type 7337 is not registered in SLIP-44;
 * it is chosen so Freehold keys never coincide with another wallet's keys from the same phrase.
 */
export const FREEHOLD_COIN_TYPE = 7337;
export const MAX_ACCOUNT = 2 ** 31 - 1;

export function accountPath(account: number): string {
  if (!Number.isInteger(account) || account < 0 || account > MAX_ACCOUNT) {
    throw new InvalidDerivationPathError(
      'Account number must be a whole number from 0 to 2^31 − 1.',
    );
  }
  return `m/44'/${FREEHOLD_COIN_TYPE}'/${account}'/0'/0'`;
}

const HARDENED_PATH = /^m(\/\d+')*$/;

export interface DerivedKey {
  secretKey: Uint8Array;
  chainCode: Uint8Array;
  publicKey: Uint8Array;
}

/** SLIP-0010 §"Private parent key → private child key" for ed25519 along a hardened path. */
export function deriveEd25519(seed: Uint8Array, path: string): DerivedKey {
  if (!HARDENED_PATH.test(path)) {
    throw new InvalidDerivationPathError(
      "ed25519 derivation takes hardened steps only, like m/44'/0'.",
      {
        details: `path ${path}`,
      },
    );
  }
  // BIP-32 (which SLIP-0010 follows): a hardened index is below 2^31 before the offset.
  if (path.split('/').some((step) => step !== 'm' && Number(step.slice(0, -1)) > MAX_ACCOUNT)) {
    throw new InvalidDerivationPathError('A derivation step must be from 0 to 2^31 − 1.', {
      details: `path ${path}`,
    });
  }
  // BIP-32: a seed is 128 to 512 bits.
  if (!(seed instanceof Uint8Array) || seed.length < 16 || seed.length > 64) {
    throw new InvalidSeedError('A seed is 16 to 64 bytes.');
  }
  const key = HDKey.fromMasterSeed(seed).derive(path);
  return {
    secretKey: key.privateKey,
    chainCode: key.chainCode,
    publicKey: key.publicKeyRaw,
  };
}
