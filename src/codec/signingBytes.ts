/**
 * @module signingBytes — the only bytes Freehold ever signs.
 * Every signature covers (protocol tag, chain id, message kind, payload), so nothing signed
 * for one chain or one purpose verifies for another (DESIGN principle 4).
 */
import { encode } from './cbor';
import { abytes } from '../crypto/bytes';

/** Protocol tag and version; bump it and every old signature stops verifying. */
export const PROTOCOL_TAG = 'freehold/1';

/** Every kind of signed message. Adding one is a protocol change. */
export const SIGNED_KINDS = ['transaction', 'prevote', 'precommit', 'proposal'] as const;
export type SignedKind = (typeof SIGNED_KINDS)[number];

export function signingBytes(chainId: Uint8Array, kind: SignedKind, payload: unknown): Uint8Array {
  abytes(chainId, 32, 'chain id');
  return encode([PROTOCOL_TAG, chainId, kind, payload]);
}
