/**
 * @module createVerdictCache — a node verifies a transaction's signature once, when it reaches
 * the mempool (in batches, through the fastest verifier at hand), and block validation and
 * execution reuse that verdict. Verdicts are keyed by tx id, which hashes the whole signed
 * transaction, signature included: the same id is the same bytes, so the verdict holds.
 */
import { bytesKey } from '../crypto/bytes';
import type { BatchVerifier } from '../crypto/ed25519';
import {
  transactionSigningBytes,
  txIdOf,
  verifyTransactionSignature,
  type SignedTransaction,
} from './transaction';

export interface VerdictCache {
  /** Verifies transactions not seen before in one batch; returns each one's verdict. */
  admit(transactions: readonly SignedTransaction[], verifier: BatchVerifier): Promise<boolean[]>;
  /** For ExecuteOptions.verifySignature: the cached verdict, or a noble check for a stranger. */
  verifySignature: (signed: SignedTransaction) => boolean;
  readonly size: number;
}

export function createVerdictCache(limit = 100_000): VerdictCache {
  const verdicts = new Map<string, boolean>();
  const remember = (id: string, verdict: boolean): void => {
    if (verdicts.size >= limit) verdicts.delete(verdicts.keys().next().value as string);
    verdicts.set(id, verdict);
  };
  return {
    async admit(transactions, verifier) {
      const ids = transactions.map((t) => bytesKey(txIdOf(t)));
      const unknown = transactions.filter((_, i) => !verdicts.has(ids[i]!));
      const fresh = await verifier.verifyBatch(
        unknown.map((t) => ({
          signature: t.signature,
          message: transactionSigningBytes(t.tx),
          publicKey: t.tx.sender,
        })),
      );
      unknown.forEach((t, i) => remember(bytesKey(txIdOf(t)), fresh[i]!));
      return ids.map((id) => verdicts.get(id) ?? false);
    },
    verifySignature(signed) {
      const id = bytesKey(txIdOf(signed));
      let verdict = verdicts.get(id);
      if (verdict === undefined) remember(id, (verdict = verifyTransactionSignature(signed)));
      return verdict;
    },
    get size() {
      return verdicts.size;
    },
  };
}
