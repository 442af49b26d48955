/**
 * @module didKey — did:key identifiers for ed25519 keys (W3C CCG did:key method):
 * "did:key:" ‖ multibase base58btc ("z") of multicodec ed25519-pub (0xed 0x01, varint) ‖ key.
 */
import { base58 } from '@scure/base';
import { FreeholdError } from '../FreeholdError';
import { concatBytes } from './bytes';
import { isAcceptedPublicKey, PUBLIC_KEY_LENGTH } from './ed25519';

export class InvalidDidError extends FreeholdError {
  override name = 'InvalidDidError' as const;
}

const ED25519_PUB = new Uint8Array([0xed, 0x01]);
const PREFIX = 'did:key:z';

export function toDidKey(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new InvalidDidError('An ed25519 public key is 32 bytes.');
  }
  return PREFIX + base58.encode(concatBytes(ED25519_PUB, publicKey));
}

export function fromDidKey(did: string): Uint8Array {
  if (typeof did !== 'string' || !did.startsWith(PREFIX)) {
    throw new InvalidDidError('Not a did:key identifier (it should start with "did:key:z").');
  }
  let raw: Uint8Array;
  try {
    raw = base58.decode(did.slice(PREFIX.length));
  } catch (cause) {
    throw new InvalidDidError('The did:key is not valid base58.', { cause });
  }
  if (raw.length !== 2 + PUBLIC_KEY_LENGTH || raw[0] !== 0xed || raw[1] !== 0x01) {
    throw new InvalidDidError('The did:key is not an ed25519 key.');
  }
  const key = raw.slice(2);
  // Off the curve, non-canonical or of small order: no signature could ever verify under it,
  // so funds sent there could never move again.
  if (!isAcceptedPublicKey(key)) {
    throw new InvalidDidError('The did:key does not hold a usable ed25519 public key.');
  }
  return key;
}
