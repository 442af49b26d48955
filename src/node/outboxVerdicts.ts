/**
 * @module outboxVerdicts — what became of the transactions this node submitted, after blocks
 * were committed: final, rejected for good (with why, in plain words), or still waiting. Pure:
 * the caller passes the committed state's answers (account nonces, whether a transaction
 * applies now) and performs the verdicts.
 */
import { bytesKey } from '../crypto/bytes';
import type { OutboxItem } from '../chain/ChainStore';
import { decodeTransaction, txIdOf, type SignedTransaction } from '../chain/transaction';
import type { Block } from '../chain/block';

export interface OutboxVerdict {
  item: OutboxItem;
  status: 'final' | 'rejected';
  reason: string;
}

export interface CommittedView {
  /** The sender's next nonce in the committed state. */
  nonceOf(sender: Uint8Array): number;
  /** Why `tx` cannot apply to the committed state now; undefined if it applies. */
  whyNot(tx: SignedTransaction): { name: string; shortMessage: string } | undefined;
}

export const REASON = {
  replaced: 'Another transaction with the same nonce became final first; this one never will.',
  funds: 'Not enough funds when its turn came (an earlier payment took them); it never will be.',
  earlier: 'An earlier payment from this account was rejected, so this one can never apply.',
};

/** Plain words for why a transaction at its turn does not apply. */
const reasonOf = (error: { name: string; shortMessage: string }): string =>
  error.name === 'InsufficientBalanceError'
    ? REASON.funds
    : `${error.shortMessage} It can never apply now.`;

/**
 * Verdicts for `outbox` after `blocks`: included → final; a nonce already used → rejected; at
 * the sender's turn but refused by the state (no funds, a taken record…) → rejected with the
 * reason; later ones of that sender → rejected, since the nonce before them is never filled.
 */
export function outboxVerdicts(
  outbox: readonly OutboxItem[],
  blocks: readonly Block[],
  committed: CommittedView,
): OutboxVerdict[] {
  const included = new Set(blocks.flatMap((b) => b.transactions.map((t) => bytesKey(txIdOf(t)))));
  const verdicts: OutboxVerdict[] = [];
  const waiting: { item: OutboxItem; tx: SignedTransaction }[] = [];
  for (const item of outbox) {
    if (included.has(bytesKey(item.txId))) {
      verdicts.push({ item, status: 'final', reason: '' });
      continue;
    }
    const tx = decodeTransaction(item.bytes);
    if (tx.tx.nonce < committed.nonceOf(tx.tx.sender))
      verdicts.push({ item, status: 'rejected', reason: REASON.replaced });
    else waiting.push({ item, tx });
  }
  /** Senders whose transaction at their turn was refused: everything after it is stuck. */
  const blocked = new Set<string>();
  for (const { item, tx } of waiting) {
    if (tx.tx.nonce !== committed.nonceOf(tx.tx.sender)) continue;
    const why = committed.whyNot(tx);
    if (!why) continue;
    verdicts.push({ item, status: 'rejected', reason: reasonOf(why) });
    blocked.add(bytesKey(tx.tx.sender));
  }
  for (const { item, tx } of waiting) {
    if (tx.tx.nonce > committed.nonceOf(tx.tx.sender) && blocked.has(bytesKey(tx.tx.sender)))
      verdicts.push({ item, status: 'rejected', reason: REASON.earlier });
  }
  return verdicts;
}
