// The transaction root and its inclusion proofs (pure): checked against RFC 6962's definition
// written out independently here (node:crypto's SHA-256), for every size up to 17 and every leaf.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { merkleProof, merkleRoot, verifyMerkleProof } from '../../src/chain/merkle';

const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** MTH(D[n]) of RFC 6962 §2.1, as the RFC states it. */
function reference(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Uint8Array.of(0), leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Uint8Array.of(1), reference(leaves.slice(0, k)), reference(leaves.slice(k)));
}

const leavesOf = (n: number): Uint8Array[] =>
  Array.from({ length: n }, (_, i) => Uint8Array.of(i, i * 7));

describe('transaction root (pure)', () => {
  it('is RFC 6962’s Merkle tree hash for 0 to 17 leaves', () => {
    for (let n = 0; n <= 17; n++) {
      expect(merkleRoot(leavesOf(n)), `${n} leaves`).toEqual(reference(leavesOf(n)));
    }
  });

  it('proves every leaf of every size up to 17, and nothing else', () => {
    for (let n = 1; n <= 17; n++) {
      const leaves = leavesOf(n);
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const path = merkleProof(leaves, i);
        const at = `${i} of ${n}`;
        expect(verifyMerkleProof(root, leaves[i]!, i, n, path), at).toBe(true);
        expect(verifyMerkleProof(root, Uint8Array.of(99), i, n, path), at).toBe(false);
        if (n > 1) {
          expect(verifyMerkleProof(root, leaves[i]!, (i + 1) % n, n, path), at).toBe(false);
          expect(verifyMerkleProof(root, leaves[i]!, i, n, path.slice(1)), at).toBe(false);
        }
        expect(verifyMerkleProof(root, leaves[i]!, i, n, [...path, root]), at).toBe(false);
      }
    }
  });

  it('refuses indexes and sizes outside the tree, and path hashes of the wrong length', () => {
    const leaves = leavesOf(5);
    const root = merkleRoot(leaves);
    const path = merkleProof(leaves, 4);
    expect(verifyMerkleProof(root, leaves[4]!, 4, 5, path)).toBe(true);
    for (const [index, size] of [
      [5, 5],
      [-1, 5],
      [0.5, 5],
      [4, 5.5],
      [4, Number.MAX_SAFE_INTEGER + 1],
    ] as const) {
      expect(verifyMerkleProof(root, leaves[4]!, index, size, path), `${index}/${size}`).toBe(
        false,
      );
    }
    const short = path.map((p, i) => (i === 0 ? p.subarray(1) : p));
    expect(verifyMerkleProof(root, leaves[4]!, 4, 5, short)).toBe(false);
  });

  it('gives a proof only for a leaf that exists', () => {
    const leaves = leavesOf(3);
    for (const index of [-1, 3, 1.5]) {
      expect(() => merkleProof(leaves, index)).toThrow(RangeError);
    }
    expect(merkleProof(leaves, 2)).toHaveLength(1);
    expect(merkleProof(leavesOf(1), 0)).toEqual([]);
  });
});
