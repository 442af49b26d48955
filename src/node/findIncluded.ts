/**
 * @module findIncluded — which of some transactions recent blocks hold. A crash between a
 * block's commit and the outbox's delete leaves items behind whose nonce the chain has used:
 * at start each must be called final if a block holds it, and only otherwise rejected.
 */
import { bytesKey } from '../crypto/bytes';
import { txIdOf } from '../chain/transaction';
import type { ChainStore } from '../chain/ChainStore';

/** Blocks looked through at most, newest first: a crash leaves the last few behind. */
export const MAX_BLOCKS_SCANNED = 1_000;

/**
 * The ids (bytesKey) among `txIds` found in blocks from `head` down, stopping at the first gap
 * in the store or after MAX_BLOCKS_SCANNED blocks. Not by block time: a proposer's clock may be
 * off, and a block that holds the transaction must not be missed for it.
 */
export async function findIncluded(
  store: ChainStore,
  chainId: Uint8Array,
  head: number,
  txIds: Uint8Array[],
): Promise<Set<string>> {
  const wanted = new Set(txIds.map(bytesKey));
  const found = new Set<string>();
  const lowest = Math.max(1, head - MAX_BLOCKS_SCANNED + 1);
  for (let h = head; h >= lowest && found.size < wanted.size; h--) {
    const block = await store.getBlock(chainId, h);
    if (!block) break;
    for (const tx of block.transactions) {
      const id = bytesKey(txIdOf(tx));
      if (wanted.has(id)) found.add(id);
    }
  }
  return found;
}
