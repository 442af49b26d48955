/**
 * @module ChainState — the committed state of one chain: its entries and the sparse Merkle tree
 * that commits to them. Blocks are applied in a StateTxn; `commit` moves a layer in, updating
 * the tree only for the entries it changed, and returns what the store must write.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesToHex, equalBytes } from '../crypto/bytes';
import { chainIdOf, genesisValidatorSet, type Genesis } from './genesis';
import { SparseMerkleTree, encodeStateProof, type TreeCheckpoint } from './sparseMerkleTree';
import { StateTxn, type StateReader } from './StateTxn';
import {
  decodeEntry,
  encodeEntry,
  entryName,
  stateKeyOf,
  stateValueHash,
  type Account,
  type Asset,
  type Balance,
  type EntryName,
  type StateValue,
} from './stateEntries';

export class StateRootMismatchError extends FreeholdError {
  override name = 'StateRootMismatchError' as const;
}

export class CorruptStateError extends FreeholdError {
  override name = 'CorruptStateError' as const;
}

/** What one commit changed: written beside its block in one store transaction. */
export interface StateDiff {
  height: number;
  root: Uint8Array;
  /** Entry bytes by name; null deletes the entry. */
  entries: [EntryName, Uint8Array | null][];
  /** New tree nodes (65-byte preimages), concatenated. */
  nodes: Uint8Array;
}

/** What a proof of one entry carries. */
export interface EntryProof {
  name: EntryName;
  /** Canonical bytes of the entry, or null when it is absent. */
  value: Uint8Array | null;
  proof: Uint8Array;
}

interface Staged {
  txn: StateTxn;
  revision: number;
  before: TreeCheckpoint;
  after: TreeCheckpoint;
  encoded: [EntryName, Uint8Array | null][];
  root: Uint8Array;
}

export class ChainState implements StateReader {
  private readonly entries = new Map<EntryName, StateValue>();
  private readonly tree: SparseMerkleTree;
  private _height = 0;
  private _time: number;
  /** The last layer staged, kept so committing a previewed layer does not redo its work. */
  private lastStaged: Staged | undefined;
  /** Layers moved in by `commitDeferred` and not yet in the tree: each entry's value before. */
  private deferred:
    | { from: { height: number; time: number }; before: Map<EntryName, StateValue | undefined> }
    | undefined;

  private constructor(
    readonly chainId: Uint8Array,
    tree: SparseMerkleTree,
    time: number,
  ) {
    this.tree = tree;
    this._time = time;
  }

  /** Height of the last committed block (0: the genesis state). */
  get height(): number {
    return this._height;
  }

  /** Time of the last committed block (ms), or the genesis time. */
  get time(): number {
    return this._time;
  }

  get root(): Uint8Array {
    this.requireSettled();
    return this.tree.root;
  }

  /** False while blocks committed with deferred roots await `settle`. */
  get settled(): boolean {
    return !this.deferred;
  }

  private requireSettled(): void {
    if (this.deferred)
      throw new Error('Blocks were committed with their roots deferred: settle first.');
  }

  /** The genesis state and the diff that persists it. */
  static fromGenesis(genesis: Genesis): { state: ChainState; diff: StateDiff } {
    const state = new ChainState(chainIdOf(genesis), new SparseMerkleTree(), genesis.genesisTime);
    const txn = new StateTxn(state, 0, genesis.genesisTime);
    const set = genesisValidatorSet(genesis);
    txn.setParams({
      name: genesis.name,
      governance: genesis.governance,
      proposalCount: 0,
      openProposals: [],
    });
    txn.setValidators(set);
    txn.setNextValidators(set);
    txn.setLastValidators(set);
    txn.setValidatorHistory({ sets: [{ since: 1, set }] });
    const supply = new Map<string, bigint>();
    for (const b of genesis.balances) {
      txn.setBalance(b.account, b.asset, b.amount);
      supply.set(b.asset, (supply.get(b.asset) ?? 0n) + b.amount);
    }
    for (const a of genesis.assets) {
      const asset: Asset = { ...a, supply: supply.get(a.symbol) ?? 0n, issuer: null };
      txn.setAsset(asset);
    }
    const diff = state.commit(txn);
    return { state, diff };
  }

  /** Rebuilds the state from what the store kept, checking every entry against the tree. */
  static restore(snapshot: {
    chainId: Uint8Array;
    height: number;
    time: number;
    root: Uint8Array;
    entries: Iterable<[EntryName, Uint8Array]>;
    nodes: Iterable<Uint8Array>;
  }): ChainState {
    const state = new ChainState(
      snapshot.chainId,
      SparseMerkleTree.fromNodes(snapshot.root, snapshot.nodes),
      snapshot.time,
    );
    state._height = snapshot.height;
    let count = 0;
    for (const [name, bytes] of snapshot.entries) {
      const held = state.tree.get(stateKeyOf(name));
      if (!held || !equalBytes(held, stateValueHash(bytes))) {
        throw new CorruptStateError('The stored state does not match its root.', {
          details: `entry ${name}`,
        });
      }
      state.entries.set(name, decodeEntry(name, bytes));
      count++;
    }
    if (!state.entries.has(entryName.params) || !state.entries.has(entryName.validators)) {
      throw new CorruptStateError('The stored state is missing its chain parameters.', {
        details: `${count} entries`,
      });
    }
    return state;
  }

  read(name: EntryName): StateValue | undefined {
    return this.entries.get(name);
  }

  /** A layer for the block at `height` with time `time`. */
  begin(height: number, time: number): StateTxn {
    return new StateTxn(this, height, time);
  }

  /**
   * Moves a layer into the state. With `expectedRoot`, a mismatch rolls everything back and
   * throws StateRootMismatchError: the state is as it was.
   */
  commit(txn: StateTxn, expectedRoot?: Uint8Array): StateDiff {
    this.requireSettled();
    const staged = this.stage(txn);
    if (expectedRoot && !equalBytes(staged.root, expectedRoot)) {
      this.tree.rollback(staged.before);
      throw new StateRootMismatchError(
        'The block claims a state its transactions do not produce.',
        {
          details: `computed ${bytesToHex(staged.root)}, header ${bytesToHex(expectedRoot)}`,
        },
      );
    }
    for (const [name, value] of txn.changes()) {
      if (value === null) this.entries.delete(name);
      else this.entries.set(name, value);
    }
    this._height = txn.height;
    this._time = txn.time;
    this.lastStaged = undefined;
    return {
      height: txn.height,
      root: staged.root,
      entries: staged.encoded,
      nodes: this.tree.takeNewNodes(),
    };
  }

  /**
   * Moves a layer's entries in without touching the tree: for a run of blocks that a
   * certificate vouches for, whose state is checked once, against the last block's root, by
   * `settle`. Until then the state reads as after the layer but has no root.
   */
  commitDeferred(txn: StateTxn): void {
    this.lastStaged = undefined;
    this.deferred ??= { from: { height: this._height, time: this._time }, before: new Map() };
    const { before } = this.deferred;
    for (const [name, value] of txn.changes()) {
      if (!before.has(name)) before.set(name, this.entries.get(name));
      if (value === null) this.entries.delete(name);
      else this.entries.set(name, value);
    }
    this._height = txn.height;
    this._time = txn.time;
  }

  /**
   * Brings the tree up to every deferred layer and checks the root. Returns one diff for them
   * all, at the last layer's height: each changed entry once, with its final value. On a
   * mismatch the deferred layers are undone and StateRootMismatchError is thrown.
   */
  settle(expectedRoot: Uint8Array): StateDiff {
    const deferred = this.deferred;
    if (!deferred) throw new Error('Nothing was committed with its root deferred.');
    const treeBefore = this.tree.checkpoint();
    const encoded: [EntryName, Uint8Array | null][] = [];
    for (const name of deferred.before.keys()) {
      const value = this.entries.get(name);
      encoded.push([name, value === undefined ? null : encodeEntry(value)]);
    }
    const root = this.tree.update(
      encoded.map(([name, bytes]) => ({
        key: stateKeyOf(name),
        valueHash: bytes === null ? null : stateValueHash(bytes),
      })),
    );
    this.deferred = undefined;
    if (!equalBytes(root, expectedRoot)) {
      this.tree.rollback(treeBefore);
      for (const [name, value] of deferred.before) {
        if (value === undefined) this.entries.delete(name);
        else this.entries.set(name, value);
      }
      this._height = deferred.from.height;
      this._time = deferred.from.time;
      throw new StateRootMismatchError(
        'The blocks claim a state their transactions do not produce.',
        {
          details: `computed ${bytesToHex(root)}, header ${bytesToHex(expectedRoot)}`,
        },
      );
    }
    return { height: this._height, root, entries: encoded, nodes: this.tree.takeNewNodes() };
  }

  /** The root `txn` would produce, leaving the state untouched (for a proposer building a block). */
  previewRoot(txn: StateTxn): Uint8Array {
    this.requireSettled();
    const staged = this.stage(txn);
    this.tree.rollback(staged.before);
    return staged.root;
  }

  /**
   * Encodes a layer's entries and moves the tree to the root they give. A layer previewed
   * earlier, unchanged since and on the same starting tree, is not encoded and hashed again:
   * the tree moves forward to the batch the preview computed (validation, then execution).
   */
  private stage(txn: StateTxn): Staged {
    const previewed = this.lastStaged;
    this.lastStaged = undefined;
    if (
      previewed?.txn === txn &&
      previewed.revision === txn.revision &&
      this.tree.isAt(previewed.before)
    ) {
      this.tree.rollback(previewed.after);
      return previewed;
    }
    const before = this.tree.checkpoint();
    const encoded: [EntryName, Uint8Array | null][] = [];
    for (const [name, value] of txn.changes()) {
      encoded.push([name, value === null ? null : encodeEntry(value)]);
    }
    const root = this.tree.update(
      encoded.map(([name, bytes]) => ({
        key: stateKeyOf(name),
        valueHash: bytes === null ? null : stateValueHash(bytes),
      })),
    );
    const staged = {
      txn,
      revision: txn.revision,
      before,
      after: this.tree.checkpoint(),
      encoded,
      root,
    };
    this.lastStaged = staged;
    return staged;
  }

  /** Proof of one entry (present or absent) against the current root. */
  prove(name: EntryName): EntryProof {
    this.requireSettled();
    const value = this.entries.get(name);
    return {
      name,
      value: value === undefined ? null : encodeEntry(value),
      proof: encodeStateProof(this.tree.prove(stateKeyOf(name))),
    };
  }

  account(publicKey: Uint8Array): Account | undefined {
    return this.entries.get(entryName.account(publicKey)) as Account | undefined;
  }

  balance(publicKey: Uint8Array, symbol: string): bigint {
    return (
      (this.entries.get(entryName.balance(publicKey, symbol)) as Balance | undefined)?.amount ?? 0n
    );
  }

  /** Every non-zero balance of an account. A scan of the state: for views, not for rules. */
  balancesOf(publicKey: Uint8Array): Record<string, bigint> {
    const prefix = entryName.balance(publicKey, '');
    const out: Record<string, bigint> = {};
    for (const [name, value] of this.entries) {
      if (name.startsWith(prefix)) out[name.slice(prefix.length)] = (value as Balance).amount;
    }
    return out;
  }

  /** Every entry, for a full snapshot (tests, export). */
  allEntries(): IterableIterator<[EntryName, StateValue]> {
    return this.entries.entries();
  }
}
