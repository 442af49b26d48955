/**
 * @module merkle — the transaction root: a Merkle tree hash over a list (RFC 6962 §2.1,
 * as restated in RFC 9162 §2.1.1), with inclusion proofs (§2.1.3) so one transaction can be
 * shown to be in a block without the rest.
 */
import { concatBytes, equalBytes } from '../crypto/bytes';
import { sha256 } from '../crypto/hash';

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

function hashLeaf(leaf: Uint8Array): Uint8Array {
  return sha256(concatBytes(LEAF, leaf));
}

function hashNode(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concatBytes(NODE, left, right));
}

/** Largest power of two strictly less than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]); the root of no leaves is SHA-256 of the empty string. */
export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  const level = leaves.map(hashLeaf);
  return rootOf(level, 0, level.length);
}

function rootOf(hashes: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  if (hi - lo === 1) return hashes[lo] as Uint8Array;
  const k = split(hi - lo);
  return hashNode(rootOf(hashes, lo, lo + k), rootOf(hashes, lo + k, hi));
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path for leaf `index`. */
export function merkleProof(leaves: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index ${index} is outside 0..${leaves.length - 1}`);
  }
  const hashes = leaves.map(hashLeaf);
  const path: Uint8Array[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    if (hi - lo === 1) return;
    const k = split(hi - lo);
    if (m < k) {
      walk(m, lo, lo + k);
      path.push(rootOf(hashes, lo + k, hi));
    } else {
      walk(m - k, lo + k, hi);
      path.push(rootOf(hashes, lo, lo + k));
    }
  };
  walk(index, 0, hashes.length);
  return path;
}

/** RFC 9162 §2.1.3.2: verifies an inclusion proof against a root and tree size. */
export function verifyMerkleProof(
  root: Uint8Array,
  leaf: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return false;
  }
  let fn = index;
  let sn = size - 1;
  let r = hashLeaf(leaf);
  for (const p of path) {
    if (p.length !== 32 || sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashNode(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashNode(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}
