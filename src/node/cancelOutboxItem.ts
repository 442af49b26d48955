/**
 * @module cancelOutboxItem — which outbox items a cancel takes away: the one asked for, if no
 * peer has it yet, and the later ones of the same sender, which could never apply without it.
 * Pure; the node deletes what it returns.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey, equalBytes } from '../crypto/bytes';
import type { OutboxItem } from '../chain/ChainStore';
import { decodeTransaction } from '../chain/transaction';

export class CannotCancelError extends FreeholdError {
  override name = 'CannotCancelError' as const;
}

/** The items to remove to cancel `txId`; a CannotCancelError if one was already sent. */
export function cancelOutboxItem(outbox: readonly OutboxItem[], txId: Uint8Array): OutboxItem[] {
  const item = outbox.find((o) => equalBytes(o.txId, txId));
  if (!item)
    throw new CannotCancelError(
      'That transaction is no longer waiting here: it is final, or was rejected.',
    );
  // Once a peer has it, it may be in a block whatever this device does.
  const sentAlready = 'It was already sent to peers and may still become final.';
  if (item.status !== 'queued') throw new CannotCancelError(sentAlready);
  const { sender, nonce } = decodeTransaction(item.bytes).tx;
  const later = outbox.filter((o) => {
    if (o === item) return false;
    const tx = decodeTransaction(o.bytes).tx;
    return bytesKey(tx.sender) === bytesKey(sender) && tx.nonce > nonce;
  });
  if (later.some((o) => o.status !== 'queued')) throw new CannotCancelError(sentAlready);
  return [item, ...later];
}
