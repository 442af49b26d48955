// Property tests for the compact sparse Merkle tree (pure, in memory).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode } from '../../src/codec/cbor';
import { sha256 } from '../../src/crypto/hash';
import {
  EMPTY_ROOT,
  SparseMerkleTree,
  encodeStateProof,
  verifyStateProof,
} from '../../src/chain/sparseMerkleTree';

const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
const value = fc.uint8Array({ minLength: 0, maxLength: 40 });
const entries = fc.uniqueArray(fc.tuple(key, value), {
  minLength: 0,
  maxLength: 40,
  selector: ([k]) => Buffer.from(k).toString('hex'),
});

function treeOf(pairs: [Uint8Array, Uint8Array][], batch = true): SparseMerkleTree {
  const t = new SparseMerkleTree();
  if (batch) t.update(pairs.map(([k, v]) => ({ key: k, valueHash: sha256(v) })));
  else for (const [k, v] of pairs) t.update([{ key: k, valueHash: sha256(v) }]);
  return t;
}

/** Keys that share long prefixes, to exercise deep paths and the collapse rule. */
const clusteredKey = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 255 }))
  .map(([prefix, last]) => {
    const k = new Uint8Array(32).fill(prefix * 85);
    k[31] = last;
    return k;
  });

describe('SparseMerkleTree (in-memory)', () => {
  it('the root does not depend on insertion order or batching', () => {
    fc.assert(
      fc.property(entries, fc.integer(), (pairs, seed) => {
        const shuffled = [...pairs].sort(
          (a, b) => ((a[0][0]! * 31 + seed) % 97) - ((b[0][0]! * 31 + seed) % 97),
        );
        const a = treeOf(pairs).root;
        expect(treeOf(shuffled).root).toEqual(a);
        expect(treeOf(shuffled, false).root).toEqual(a);
      }),
    );
  });

  it('deleting keys gives the root of a tree that never had them', () => {
    fc.assert(
      fc.property(entries, fc.nat(), (pairs, cut) => {
        const keep = pairs.slice(0, cut % (pairs.length + 1));
        const drop = pairs.slice(keep.length);
        const t = treeOf(pairs);
        t.update(drop.map(([k]) => ({ key: k, valueHash: null })));
        expect(t.root).toEqual(treeOf(keep).root);
        if (keep.length === 0) expect(t.root).toEqual(EMPTY_ROOT);
      }),
    );
  });

  it('clustered keys: proofs of inclusion and exclusion verify, wrong claims do not', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(clusteredKey, {
          maxLength: 30,
          selector: (k) => Buffer.from(k).toString('hex'),
        }),
        clusteredKey,
        (keys, probe) => {
          const t = new SparseMerkleTree();
          t.update(keys.map((k) => ({ key: k, valueHash: sha256(k) })));
          for (const k of keys) {
            expect(t.get(k)).toEqual(sha256(k));
            const proof = encodeStateProof(t.prove(k));
            expect(verifyStateProof(t.root, k, sha256(k), proof)).toBe(true);
            expect(verifyStateProof(t.root, k, null, proof)).toBe(false);
            expect(verifyStateProof(t.root, k, sha256(proof), proof)).toBe(false);
          }
          const present = keys.some((k) => Buffer.from(k).equals(Buffer.from(probe)));
          const proof = encodeStateProof(t.prove(probe));
          expect(verifyStateProof(t.root, probe, null, proof)).toBe(!present);
        },
      ),
    );
  });

  it('every proof fails when any byte of the proof, key, value or root changes', () => {
    fc.assert(
      fc.property(
        entries,
        key,
        fc.boolean(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (pairs, other, absent, pos, flip) => {
          const t = treeOf(pairs);
          let k: Uint8Array;
          let vh: Uint8Array | null;
          if (absent || pairs.length === 0) {
            if (pairs.some(([pk]) => Buffer.from(pk).equals(Buffer.from(other)))) return;
            k = other;
            vh = null;
          } else {
            const [pk, pv] = pairs[pos % pairs.length]!;
            k = pk;
            vh = sha256(pv);
          }
          const proof = encodeStateProof(t.prove(k));
          expect(verifyStateProof(t.root, k, vh, proof)).toBe(true);
          const mutate = (b: Uint8Array): Uint8Array => {
            const c = b.slice();
            const i = pos % c.length;
            c[i] = c[i]! ^ flip;
            return c;
          };
          expect(verifyStateProof(t.root, k, vh, mutate(proof))).toBe(false);
          expect(verifyStateProof(t.root, k, vh, proof.subarray(0, proof.length - 1))).toBe(false);
          expect(verifyStateProof(mutate(t.root), k, vh, proof)).toBe(false);
          if (vh) expect(verifyStateProof(t.root, k, mutate(vh), proof)).toBe(false);
          expect(verifyStateProof(t.root, mutate(k), vh, proof)).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rebuilds from persisted node bytes with the same root and proofs', () => {
    fc.assert(
      fc.property(entries, (pairs) => {
        const t = treeOf(pairs);
        const copy = SparseMerkleTree.fromNodes(t.root, [t.takeNewNodes()]);
        expect(copy.root).toEqual(t.root);
        for (const [k, v] of pairs) expect(copy.get(k)).toEqual(sha256(v));
      }),
    );
  });

  it('rollback returns to the previous root', () => {
    const t = treeOf([[new Uint8Array(32).fill(1), new Uint8Array([1])]]);
    t.takeNewNodes();
    const before = t.root;
    const checkpoint = t.checkpoint();
    t.update([{ key: new Uint8Array(32).fill(2), valueHash: sha256(new Uint8Array([2])) }]);
    expect(t.root).not.toEqual(before);
    t.rollback(checkpoint);
    expect(t.takeNewNodes()).toHaveLength(0);
    expect(t.root).toEqual(before);
    expect(t.get(new Uint8Array(32).fill(2))).toBeNull();
  });
});

describe('state proofs of the wrong shape (pure)', () => {
  /** A tree of a few keys, one key's proof as a decoded list, and a re-encoder. */
  function setting() {
    const keys = [1, 2, 3, 0x81, 0xc1].map((b) => new Uint8Array(32).fill(b));
    const t = new SparseMerkleTree();
    t.update(keys.map((k) => ({ key: k, valueHash: sha256(k) })));
    const k = keys[0]!;
    const proof = decode(encodeStateProof(t.prove(k))) as [
      Uint8Array,
      (Uint8Array | null)[],
      Uint8Array[],
    ];
    const checks = (shape: unknown, valueHash: Uint8Array | null = sha256(k)) =>
      verifyStateProof(t.root, k, valueHash, encode(shape));
    return { t, k, proof, checks };
  }

  it('accepts the proof as made, and as encoded again', () => {
    const { proof, checks } = setting();
    expect(checks(proof)).toBe(true);
    expect(proof[1].some((s) => s === null)).toBe(true);
  });

  it('refuses a proof with a fourth part, or a leaf with a third', () => {
    const { proof, checks } = setting();
    expect(checks([...proof, 0])).toBe(false);
    expect(checks([proof[0], proof[1], [...proof[2], 0]])).toBe(false);
  });

  it('refuses an empty sibling written out as 32 zero bytes: one proof, one encoding', () => {
    const { proof, checks } = setting();
    const spelled = proof[1].map((s) => s ?? new Uint8Array(32));
    expect(checks([proof[0], spelled, proof[2]])).toBe(false);
  });

  it('gives false, never throws, for a sibling that is not bytes', () => {
    const { proof, checks } = setting();
    expect(checks([proof[0], proof[1].map((s) => s ?? 5), proof[2]])).toBe(false);
  });

  it('tells a checkpoint the tree is still at from one it has moved past', () => {
    const { t } = setting();
    const here = t.checkpoint();
    expect(t.isAt(here)).toBe(true);
    t.update([{ key: new Uint8Array(32).fill(9), valueHash: sha256(Uint8Array.of(9)) }]);
    expect(t.isAt(here)).toBe(false);
  });
});
