/**
 * @module sparseMerkleTree — the authenticated map behind every state root.
 *
 * A binary sparse Merkle tree over 256-bit keys in its compact form: a leaf sits at the
 * shallowest depth where it is alone in its subtree, and an empty subtree hashes to 32 zero
 * bytes. The shape therefore depends only on the set of keys (never on insertion order), depth
 * grows as log2(n), and a batch of k changes rehashes only the k paths it touches.
 *   leaf     = H(0x00 ‖ key ‖ valueHash)
 *   internal = H(0x01 ‖ left ‖ right)
 * Node bytes are exactly those hash preimages, which is also how nodes are persisted.
 * Proofs of inclusion and exclusion verify against the root alone.
 */
import { FreeholdError } from '../FreeholdError';
import { decode, encode } from '../codec/cbor';
import { bytesKey, equalBytes } from '../crypto/bytes';
import { sha256 } from '../crypto/hash';

export const KEY_LENGTH = 32;
export const NODE_LENGTH = 65;
export const EMPTY_ROOT: Uint8Array = new Uint8Array(32);

export class MissingStateNodeError extends FreeholdError {
  override name = 'MissingStateNodeError' as const;
}

/** One change of a batch: set the key's value hash, or delete the key (null). */
export interface TreeChange {
  key: Uint8Array;
  valueHash: Uint8Array | null;
}

/** What a proof shows at the end of the key's path: nothing, or the leaf living there. */
export interface StateProof {
  /** The key the proof speaks of: a proof of absence is about one key, not a whole empty region. */
  key: Uint8Array;
  /** Sibling hashes from the root down; null stands for an empty subtree. */
  siblings: (Uint8Array | null)[];
  leaf: { key: Uint8Array; valueHash: Uint8Array } | null;
}

function bit(key: Uint8Array, depth: number): number {
  return ((key[depth >> 3] as number) >> (7 - (depth & 7))) & 1;
}

function isEmpty(hash: Uint8Array): boolean {
  return equalBytes(hash, EMPTY_ROOT);
}

const scratch = new Uint8Array(NODE_LENGTH);

function nodeHash(tag: number, a: Uint8Array, b: Uint8Array): Uint8Array {
  scratch[0] = tag;
  scratch.set(a, 1);
  scratch.set(b, 33);
  return sha256(scratch);
}

export function leafHash(key: Uint8Array, valueHash: Uint8Array): Uint8Array {
  return nodeHash(0, key, valueHash);
}

export function internalHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return nodeHash(1, left, right);
}

interface Leaf {
  readonly leaf: true;
  readonly hash: Uint8Array;
  readonly key: Uint8Array;
  readonly valueHash: Uint8Array;
}

interface Internal {
  readonly leaf: false;
  readonly hash: Uint8Array;
  readonly left: TreeNode | null;
  readonly right: TreeNode | null;
}

type TreeNode = Leaf | Internal;

/** An earlier state of the tree, to return to when a batch is not committed. */
/** A state of the tree to return to: its root and the nodes made since the last take. */
export interface TreeCheckpoint {
  readonly root: TreeNode | null;
  readonly fresh: readonly TreeNode[];
}

function hashOf(node: TreeNode | null): Uint8Array {
  return node ? node.hash : EMPTY_ROOT;
}

/** Writes a node's 65-byte preimage into `out` at `offset`. */
function writePreimage(node: TreeNode, out: Uint8Array, offset: number): void {
  if (node.leaf) {
    out[offset] = 0;
    out.set(node.key, offset + 1);
    out.set(node.valueHash, offset + 33);
  } else {
    out[offset] = 1;
    out.set(hashOf(node.left), offset + 1);
    out.set(hashOf(node.right), offset + 33);
  }
}

/**
 * The tree in memory is a persistent structure: an update copies the paths it changes and
 * shares the rest, so walking it needs no lookups and an old root stays valid for rollback.
 */
export class SparseMerkleTree {
  private rootNode: TreeNode | null = null;
  private fresh: TreeNode[] = [];

  get root(): Uint8Array {
    return hashOf(this.rootNode);
  }

  /** Rebuilds a tree from persisted node bytes (each the 65-byte preimage) and its root. */
  static fromNodes(root: Uint8Array, nodeBytes: Iterable<Uint8Array>): SparseMerkleTree {
    const byHash = new Map<string, Uint8Array>();
    for (const bytes of nodeBytes) {
      for (let off = 0; off + NODE_LENGTH <= bytes.length; off += NODE_LENGTH) {
        const node = bytes.subarray(off, off + NODE_LENGTH);
        byHash.set(bytesKey(sha256(node)), node);
      }
    }
    const link = (hash: Uint8Array): TreeNode | null => {
      if (isEmpty(hash)) return null;
      const bytes = byHash.get(bytesKey(hash));
      if (!bytes)
        throw new MissingStateNodeError('The stored state is incomplete: a node is missing.');
      if (bytes[0] === 0) {
        return {
          leaf: true,
          hash: hash.slice(),
          key: bytes.slice(1, 33),
          valueHash: bytes.slice(33, 65),
        };
      }
      return {
        leaf: false,
        hash: hash.slice(),
        left: link(bytes.subarray(1, 33)),
        right: link(bytes.subarray(33, 65)),
      };
    };
    const tree = new SparseMerkleTree();
    tree.rootNode = link(root);
    return tree;
  }

  /** Applies a batch of changes; returns the new root. Keys need not be sorted or unique (last wins). */
  update(changes: readonly TreeChange[]): Uint8Array {
    const byKey = new Map<string, TreeChange>();
    for (const c of changes) byKey.set(bytesKey(c.key), c);
    const sorted = [...byKey.values()].sort((a, b) => compareKeys(a.key, b.key));
    this.rootNode = this.updateAt(this.rootNode, 0, sorted, 0, sorted.length);
    return this.root;
  }

  /** The value hash stored under `key`, or null. */
  get(key: Uint8Array): Uint8Array | null {
    let node = this.rootNode;
    for (let depth = 0; node; depth++) {
      if (node.leaf) return equalBytes(node.key, key) ? node.valueHash : null;
      node = bit(key, depth) === 0 ? node.left : node.right;
    }
    return null;
  }

  prove(key: Uint8Array): StateProof {
    const siblings: (Uint8Array | null)[] = [];
    let node = this.rootNode;
    for (let depth = 0; node; depth++) {
      if (node.leaf) {
        return { key: key.slice(), siblings, leaf: { key: node.key, valueHash: node.valueHash } };
      }
      const right = bit(key, depth) === 1;
      const sibling = right ? node.left : node.right;
      siblings.push(sibling ? sibling.hash : null);
      node = right ? node.right : node.left;
    }
    return { key: key.slice(), siblings, leaf: null };
  }

  /** Preimages of the nodes created since the last call, back to back, for the store. */
  takeNewNodes(): Uint8Array {
    const out = new Uint8Array(this.fresh.length * NODE_LENGTH);
    this.fresh.forEach((node, i) => writePreimage(node, out, i * NODE_LENGTH));
    this.fresh = [];
    return out;
  }

  checkpoint(): TreeCheckpoint {
    return { root: this.rootNode, fresh: [...this.fresh] };
  }

  /** True while the tree is where `checkpoint` was taken. */
  isAt(checkpoint: TreeCheckpoint): boolean {
    return this.rootNode === checkpoint.root;
  }

  /**
   * Returns the tree to a checkpoint: back, dropping a batch that was not committed, or forward
   * to a batch computed earlier from that same starting point (nodes are never mutated).
   */
  rollback(checkpoint: TreeCheckpoint): void {
    this.rootNode = checkpoint.root;
    this.fresh = [...checkpoint.fresh];
  }

  private makeLeaf(key: Uint8Array, valueHash: Uint8Array): Leaf {
    const node: Leaf = { leaf: true, hash: leafHash(key, valueHash), key, valueHash };
    this.fresh.push(node);
    return node;
  }

  /** Parent of two subtrees, collapsing a lone leaf upward so the shape stays canonical. */
  private join(left: TreeNode | null, right: TreeNode | null): TreeNode | null {
    if (!left && !right) return null;
    if (!left && right?.leaf) return right;
    if (!right && left?.leaf) return left;
    const node: Internal = {
      leaf: false,
      hash: internalHash(hashOf(left), hashOf(right)),
      left,
      right,
    };
    this.fresh.push(node);
    return node;
  }

  private build(
    depth: number,
    leaves: readonly TreeChange[],
    lo: number,
    hi: number,
  ): TreeNode | null {
    if (lo === hi) return null;
    if (hi - lo === 1) {
      const only = leaves[lo] as TreeChange;
      return this.makeLeaf(only.key, only.valueHash as Uint8Array);
    }
    let mid = lo;
    while (mid < hi && bit((leaves[mid] as TreeChange).key, depth) === 0) mid++;
    return this.join(
      this.build(depth + 1, leaves, lo, mid),
      this.build(depth + 1, leaves, mid, hi),
    );
  }

  private updateAt(
    node: TreeNode | null,
    depth: number,
    changes: readonly TreeChange[],
    lo: number,
    hi: number,
  ): TreeNode | null {
    if (lo === hi) return node;
    if (!node) {
      const sets = changes.slice(lo, hi).filter((c) => c.valueHash !== null);
      return this.build(depth, sets, 0, sets.length);
    }
    if (node.leaf) {
      // A leaf meets the changes under its subtree: rebuild that subtree from all of them.
      const merged: TreeChange[] = [];
      let placed = false;
      for (let i = lo; i < hi; i++) {
        const c = changes[i] as TreeChange;
        const cmp = compareKeys(c.key, node.key);
        if (!placed && cmp > 0) {
          merged.push(node);
          placed = true;
        }
        if (cmp === 0) placed = true; // overridden (or deleted) by the change
        if (c.valueHash !== null) merged.push(c);
      }
      if (!placed) merged.push(node);
      if (merged.length === 1 && merged[0] === node) return node;
      return this.build(depth, merged, 0, merged.length);
    }
    let mid = lo;
    while (mid < hi && bit((changes[mid] as TreeChange).key, depth) === 0) mid++;
    const left = this.updateAt(node.left, depth + 1, changes, lo, mid);
    const right = this.updateAt(node.right, depth + 1, changes, mid, hi);
    if (left === node.left && right === node.right) return node;
    return this.join(left, right);
  }
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < KEY_LENGTH; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Canonical bytes of a proof: [key, siblings (bytes32 | null)…, leaf ([key, valueHash] | null)]. */
export function encodeStateProof(proof: StateProof): Uint8Array {
  return encode([
    proof.key,
    proof.siblings,
    proof.leaf ? [proof.leaf.key, proof.leaf.valueHash] : null,
  ]);
}

function readProof(bytes: Uint8Array): StateProof | null {
  try {
    const value = decode(bytes);
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [key, siblings, leaf] = value as [unknown, unknown, unknown];
    if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) return null;
    if (!Array.isArray(siblings) || siblings.length > 256) return null;
    const sibs: (Uint8Array | null)[] = [];
    for (const s of siblings) {
      if (s === null) sibs.push(null);
      else if (s instanceof Uint8Array && s.length === 32 && !isEmpty(s)) sibs.push(s);
      else return null;
    }
    if (leaf === null) return { key, siblings: sibs, leaf: null };
    if (!Array.isArray(leaf) || leaf.length !== 2) return null;
    const [k, v] = leaf as [unknown, unknown];
    if (
      !(k instanceof Uint8Array) ||
      k.length !== 32 ||
      !(v instanceof Uint8Array) ||
      v.length !== 32
    ) {
      return null;
    }
    return { key, siblings: sibs, leaf: { key: k, valueHash: v } };
  } catch {
    return null;
  }
}

/**
 * Checks a proof against a root: with `valueHash`, that the key holds exactly that value; with
 * null, that the key is absent. Never throws; any malformed input is simply `false`.
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  valueHash: Uint8Array | null,
  proofBytes: Uint8Array,
): boolean {
  if (root.length !== 32 || key.length !== KEY_LENGTH) return false;
  if (valueHash !== null && valueHash.length !== 32) return false;
  const proof = readProof(proofBytes);
  if (!proof || !equalBytes(proof.key, key)) return false;
  const depth = proof.siblings.length;
  let hash: Uint8Array;
  if (valueHash !== null) {
    if (
      !proof.leaf ||
      !equalBytes(proof.leaf.key, key) ||
      !equalBytes(proof.leaf.valueHash, valueHash)
    ) {
      return false;
    }
    hash = leafHash(key, valueHash);
  } else if (proof.leaf === null) {
    // The path ends in an empty subtree. In the compact form that cannot be the root's only
    // content below a single leaf; an empty path at depth 0 means an empty tree.
    hash = EMPTY_ROOT;
  } else {
    // Another leaf lives where the key would: it must share the key's first `depth` bits.
    if (equalBytes(proof.leaf.key, key)) return false;
    for (let d = 0; d < depth; d++) if (bit(proof.leaf.key, d) !== bit(key, d)) return false;
    hash = leafHash(proof.leaf.key, proof.leaf.valueHash);
  }
  for (let d = depth - 1; d >= 0; d--) {
    const sibling = proof.siblings[d] ?? EMPTY_ROOT;
    hash = bit(key, d) === 0 ? internalHash(hash, sibling) : internalHash(sibling, hash);
  }
  return equalBytes(hash, root);
}
