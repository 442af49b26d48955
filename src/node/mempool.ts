/**
 * @module mempool — the transactions a node holds for its next blocks, and the policy that keeps
 * them bounded when peers send signed junk for free. Pure: the state, the clock and the peer a
 * transaction came from are passed in; no I/O, no timers.
 *
 * Why a node policy and not a chain rule or a fee: a per-account chain rule does nothing against
 * fresh keys, which cost nothing to make, and a fee would need every chain to have a currency
 * and every newcomer to get some before registering a title (a village land registry has none).
 * The damage of free junk is to the mempools (honest work ignored), so each node bounds its own:
 * transactions that move no value get a bounded share and a per-account rate, peers and senders
 * a quota, and a transfer always finds room by evicting junk. Blocks may still carry junk at the
 * rate the share lets through; chain rules are unchanged, so every existing chain keeps working.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey } from '../crypto/bytes';
import { applyTransaction } from '../chain/applyTransaction';
import type { ChainState } from '../chain/ChainState';
import { BadSignatureError, TransactionRejectedError } from '../chain/rejections';
import { entryName, type Account } from '../chain/stateEntries';
import { txIdOf, type SignedTransaction, type TxBody } from '../chain/transaction';

export interface MempoolLimits {
  /** Transactions held at most (local ones are held past it only when nothing can be evicted). */
  maxSize: number;
  /** Of them, transactions that move no value (registerRecord, issueAsset, …). */
  maxFree: number;
  /** Held per account from peers, and how far ahead of the account's nonce. */
  maxPerSender: number;
  /** Held that one peer brought in. */
  maxPerPeer: number;
  /** How long a transaction from a peer is held without getting into a block. */
  ttlMs: number;
  /** Free transactions admitted per account in `freeWindowMs`. */
  freePerAccount: number;
  freeWindowMs: number;
}

export const DEFAULT_MEMPOOL_LIMITS: MempoolLimits = {
  maxSize: 5000,
  maxFree: 1000,
  maxPerSender: 16,
  maxPerPeer: 1250,
  ttlMs: 10 * 60_000,
  freePerAccount: 8,
  freeWindowMs: 60_000,
};

export type MempoolRefusal =
  | 'duplicate'
  | 'stale'
  | 'nonceTaken'
  | 'tooFarAhead'
  | 'gap'
  | 'senderQuota'
  | 'peerQuota'
  | 'freeRate'
  | 'freeShare'
  | 'full'
  | 'doesNotApply';

/** A transaction the mempool does not take: nobody's fault, nothing changed. */
export class MempoolRefusedError extends FreeholdError {
  override name = 'MempoolRefusedError' as const;
  readonly reason: MempoolRefusal;
  constructor(reason: MempoolRefusal, shortMessage: string, options: { cause?: unknown } = {}) {
    super(shortMessage, options);
    this.reason = reason;
  }
}

export interface AdmitContext {
  state: ChainState;
  now: number;
  /** The peer that relayed it; null for this node's own submissions, never refused for quota. */
  from: string | null;
  verifySignature: (signed: SignedTransaction) => boolean;
}

/** Kinds that move an amount of an asset; every other kind costs its sender nothing. */
export function movesValue(body: TxBody): boolean {
  return body.kind === 'transfer' || body.kind === 'mint';
}

interface Entry {
  tx: SignedTransaction;
  id: string;
  sender: string;
  nonce: number;
  free: boolean;
  /** The relaying peer; null when submitted here. */
  peer: string | null;
  admittedAt: number;
  seq: number;
}

export interface Mempool {
  readonly size: number;
  /** How many held transactions move no value. */
  readonly freeSize: number;
  has(tx: SignedTransaction): boolean;
  /** Holds `tx` or throws MempoolRefusedError (or BadSignatureError, the sender's fault). */
  admit(tx: SignedTransaction, ctx: AdmitContext): void;
  /** Block candidates: each sender's in nonce order, value-moving ones first at each step. */
  candidates(): SignedTransaction[];
  /** Drops transactions (those a block builder found invalid). */
  evict(txs: readonly SignedTransaction[]): void;
  /** After a commit: drops what the state has passed and what peers' transactions outlived. */
  prune(state: ChainState, now: number): void;
  /** The account's next nonce counting what is held for it. */
  nextNonce(account: Uint8Array, accountNonce: number): number;
  /** Whether a held transaction would go into a block now. */
  workWaiting(state: ChainState, now: number, verify: AdmitContext['verifySignature']): boolean;
}

const nonceOf = (state: ChainState, sender: Uint8Array): number =>
  (state.read(entryName.account(sender)) as Account | undefined)?.nonce ?? 0;

/** A layer over the state at the next height, to try transactions in without keeping them. */
const scratch = (state: ChainState, now: number) =>
  state.begin(state.height + 1, Math.max(now, state.time + 1));

export function createMempool(limits: MempoolLimits = DEFAULT_MEMPOOL_LIMITS): Mempool {
  const byId = new Map<string, Entry>();
  const bySender = new Map<string, Map<number, Entry>>();
  const perPeer = new Map<string, number>();
  /** Admission times of free transactions per account, within the rate window. */
  const freeLog = new Map<string, number[]>();
  let freeSize = 0;
  let seq = 0;

  const refuse = (reason: MempoolRefusal, message: string, cause?: unknown): never => {
    throw new MempoolRefusedError(reason, message, cause === undefined ? {} : { cause });
  };

  const remove = (e: Entry): void => {
    if (!byId.delete(e.id)) return;
    const nonces = bySender.get(e.sender);
    nonces?.delete(e.nonce);
    if (nonces?.size === 0) bySender.delete(e.sender);
    if (e.free) freeSize--;
    if (e.peer !== null) {
      const n = (perPeer.get(e.peer) ?? 1) - 1;
      if (n > 0) perPeer.set(e.peer, n);
      else perPeer.delete(e.peer);
    }
  };

  /** Removes an entry and its sender's later ones, which cannot apply without it. */
  const removeWithFollowers = (e: Entry): void => {
    const nonces = bySender.get(e.sender);
    for (const f of [...(nonces?.values() ?? [])]) if (f.nonce >= e.nonce) remove(f);
  };

  const recentFree = (sender: string, now: number): number[] => {
    const times = (freeLog.get(sender) ?? []).filter((t) => t > now - limits.freeWindowMs);
    if (times.length > 0) freeLog.set(sender, times);
    else freeLog.delete(sender);
    return times;
  };

  /** Entries are kept in admission order, so the scan stops at the first one still in time. */
  const expire = (now: number): void => {
    for (const e of byId.values()) {
      if (e.peer === null) continue;
      if (e.admittedAt + limits.ttlMs > now) break;
      removeWithFollowers(e);
    }
  };

  /**
   * Junk to make room for a transfer: a free transaction from a peer, the last its sender has
   * held (no gap is left), from the peer holding most, the newest of those.
   */
  const victim = (): Entry | undefined => {
    let best: Entry | undefined;
    for (const e of byId.values()) {
      if (!e.free || e.peer === null) continue;
      const nonces = bySender.get(e.sender)!;
      if (nonces.has(e.nonce + 1)) continue;
      if (
        !best ||
        (perPeer.get(e.peer) ?? 0) > (perPeer.get(best.peer!) ?? 0) ||
        ((perPeer.get(e.peer) ?? 0) === (perPeer.get(best.peer!) ?? 0) && e.seq > best.seq)
      )
        best = e;
    }
    return best;
  };

  const admit = (tx: SignedTransaction, ctx: AdmitContext): void => {
    const id = bytesKey(txIdOf(tx));
    const sender = bytesKey(tx.tx.sender);
    const nonce = tx.tx.nonce;
    const free = !movesValue(tx.tx.body);
    if (byId.has(id)) refuse('duplicate', 'This transaction is already held.');
    const accountNonce = nonceOf(ctx.state, tx.tx.sender);
    if (nonce < accountNonce) refuse('stale', 'This account has moved past that nonce.');
    const nonces = bySender.get(sender);
    if (nonces?.has(nonce)) refuse('nonceTaken', 'A transaction with this nonce is held already.');
    const entry: Entry = {
      tx,
      id,
      sender,
      nonce,
      free,
      peer: ctx.from,
      admittedAt: ctx.now,
      seq: seq++,
    };
    if (ctx.from === null) {
      // This node's own: it keeps them in its outbox anyway, so it holds them whatever the
      // quotas; room is made from peers' junk when there is some.
      if (byId.size >= limits.maxSize) {
        const junk = victim();
        if (junk) remove(junk);
      }
      insert(entry);
      return;
    }
    // Cheap checks first: a flood is turned away before any signature is checked.
    if (nonce >= accountNonce + limits.maxPerSender)
      refuse('tooFarAhead', 'The nonce is too far ahead of the account.');
    if ((nonces?.size ?? 0) >= limits.maxPerSender)
      refuse('senderQuota', 'This account has as many transactions waiting as it may.');
    if ((perPeer.get(ctx.from) ?? 0) >= limits.maxPerPeer)
      refuse('peerQuota', 'This peer has brought in as many transactions as it may.');
    for (let n = accountNonce; n < nonce; n++)
      if (!nonces?.has(n)) refuse('gap', 'The transactions before this one are not held.');
    if (free && recentFree(sender, ctx.now).length >= limits.freePerAccount)
      refuse('freeRate', 'This account has sent its share of free transactions for now.');
    if (byId.size >= limits.maxSize || (free && freeSize >= limits.maxFree)) expire(ctx.now);
    let junk: Entry | undefined;
    if (free && freeSize >= limits.maxFree) {
      // A full free share is no reason to starve an honest registration: a free transaction
      // from a peer takes the place of one from the peer holding most, when that peer holds
      // more than this one would. A flood from few peers cannot keep the rest out.
      const v = victim();
      const held = (peer: string | null): number => (peer === null ? 0 : (perPeer.get(peer) ?? 0));
      if (v && held(v.peer) > held(ctx.from) + 1) junk = v;
      else refuse('freeShare', 'The share of free transactions is full.');
    }
    if (!junk && byId.size >= limits.maxSize) {
      junk = free ? undefined : victim();
      if (!junk) refuse('full', 'The mempool is full.');
    }
    if (!ctx.verifySignature(tx))
      throw new BadSignatureError('The signature does not match the sender and contents.');
    // The whole sequence from the account's nonce applies: what is held, then this one.
    const txn = scratch(ctx.state, ctx.now);
    const chainId = ctx.state.chainId;
    try {
      for (let n = accountNonce; n <= nonce; n++) {
        const t = n === nonce ? tx : nonces!.get(n)!.tx;
        applyTransaction(txn, t, {
          chainId,
          txId: txIdOf(t),
          verifySignature: ctx.verifySignature,
        });
      }
    } catch (cause) {
      if (!(cause instanceof TransactionRejectedError)) throw cause;
      refuse('doesNotApply', `It would not apply: ${cause.shortMessage}`, cause);
    }
    if (junk) remove(junk);
    if (free) freeLog.set(sender, [...recentFree(sender, ctx.now), ctx.now]);
    insert(entry);
  };

  const insert = (e: Entry): void => {
    byId.set(e.id, e);
    let nonces = bySender.get(e.sender);
    if (!nonces) bySender.set(e.sender, (nonces = new Map<number, Entry>()));
    nonces.set(e.nonce, e);
    if (e.free) freeSize++;
    if (e.peer !== null) perPeer.set(e.peer, (perPeer.get(e.peer) ?? 0) + 1);
  };

  return {
    get size() {
      return byId.size;
    },
    get freeSize() {
      return freeSize;
    },
    has: (tx) => byId.has(bytesKey(txIdOf(tx))),
    admit,

    candidates() {
      const ranked: { e: Entry; step: number }[] = [];
      for (const nonces of bySender.values()) {
        const sorted = [...nonces.values()].sort((a, b) => a.nonce - b.nonce);
        sorted.forEach((e, step) => ranked.push({ e, step }));
      }
      // A sender's n-th comes after its (n-1)-th whatever the kinds, so sequences stay in order.
      ranked.sort(
        (a, b) => a.step - b.step || Number(a.e.free) - Number(b.e.free) || a.e.seq - b.e.seq,
      );
      return ranked.map((r) => r.e.tx);
    },

    evict(txs) {
      for (const tx of txs) {
        const e = byId.get(bytesKey(txIdOf(tx)));
        if (e) remove(e);
      }
    },

    prune(state, now) {
      for (const nonces of [...bySender.values()]) {
        const first = nonces.values().next().value!;
        const accountNonce = nonceOf(state, first.tx.tx.sender);
        for (const e of [...nonces.values()]) if (e.nonce < accountNonce) remove(e);
      }
      expire(now);
      for (const sender of [...freeLog.keys()]) recentFree(sender, now);
    },

    nextNonce(account, accountNonce) {
      let next = accountNonce;
      for (const e of bySender.get(bytesKey(account))?.values() ?? [])
        next = Math.max(next, e.nonce + 1);
      return next;
    },

    workWaiting(state, now, verify) {
      for (const nonces of bySender.values()) {
        const first = nonces.values().next().value!;
        const head = nonces.get(nonceOf(state, first.tx.tx.sender));
        if (!head) continue;
        try {
          applyTransaction(scratch(state, now), head.tx, {
            chainId: state.chainId,
            txId: txIdOf(head.tx),
            verifySignature: verify,
          });
          return true;
        } catch (error) {
          if (!(error instanceof TransactionRejectedError)) throw error;
        }
      }
      return false;
    },
  };
}
