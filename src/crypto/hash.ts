/**
 * @module hash — SHA-256 (FIPS 180-4) and domain-tagged hashing for every id and commitment.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from './bytes';

export { sha256 };

export const HASH_LENGTH = 32;

/**
 * H(tag ‖ 0x00 ‖ parts…): the tag keeps a hash made for one purpose from standing for another.
 * Tags are fixed ASCII strings without NUL, so the separator makes the split unambiguous.
 */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  const h = sha256.create().update(tagPrefix(tag));
  for (const part of parts) h.update(part);
  return h.digest();
}

const prefixes = new Map<string, Uint8Array>();

/** tag ‖ 0x00, encoded once per tag (tags are a handful of constants). */
function tagPrefix(tag: string): Uint8Array {
  let prefix = prefixes.get(tag);
  if (!prefix) {
    prefix = concatBytes(utf8ToBytes(tag), new Uint8Array([0]));
    if (prefixes.size < 64) prefixes.set(tag, prefix);
  }
  return prefix;
}
