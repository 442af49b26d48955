/**
 * @module ids — content ids: a tagged SHA-256 of canonical bytes, and the short forms people read.
 */
import { base32crockford } from '@scure/base';
import { taggedHash } from '../crypto/hash';
import { encode } from './cbor';

/** Kinds of content that get an id; the tag keeps a chain id from ever equalling a tx id. */
export type IdKind =
  'genesis' | 'transaction' | 'header' | 'validators' | 'commit' | 'record' | 'evidence';

/** The id of a value: H("freehold/1/<kind>" ‖ 0 ‖ canonical bytes). */
export function idOf(kind: IdKind, value: unknown): Uint8Array {
  return taggedHash(`freehold/1/${kind}`, encode(value));
}

export function idOfBytes(kind: IdKind, bytes: Uint8Array): Uint8Array {
  return taggedHash(`freehold/1/${kind}`, bytes);
}

/** Eight Crockford base32 characters of the id, grouped 4-4: enough to tell chains apart by eye. */
export function shortId(id: Uint8Array): string {
  const s = base32crockford.encode(id.subarray(0, 5));
  return `${s.slice(0, 4)}-${s.slice(4, 8)}`;
}
