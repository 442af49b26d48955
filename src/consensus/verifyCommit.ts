/**
 * @module verifyCommit — checks a commit certificate against a validator set: every signature is
 * a precommit of a distinct member of the set for (chain id, height, round, block hash), and the
 * signers' power is more than the set's threshold of its total. Cheap conditions are checked
 * before any signature; signatures go to a batch verifier (WebCrypto where the runtime has it).
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey, equalBytes } from '../crypto/bytes';
import { verify, type BatchVerifier, type SignatureItem } from '../crypto/ed25519';
import type { CommitCertificate } from '../chain/block';
import { exceeds } from '../chain/fraction';
import { totalPower, type ValidatorSet } from '../chain/validatorSet';
import { voteSigningBytes } from '../chain/vote';

export type CommitProblem =
  | 'wrongHeight'
  | 'wrongBlock'
  | 'unknownSigner'
  | 'duplicateSigner'
  | 'badSignature'
  | 'notEnoughPower';

export class InvalidCommitError extends FreeholdError {
  override name = 'InvalidCommitError' as const;
  readonly problem: CommitProblem;
  constructor(problem: CommitProblem, shortMessage: string, details?: string) {
    super(shortMessage, details === undefined ? {} : { details });
    this.problem = problem;
  }
}

export interface CommitExpectation {
  chainId: Uint8Array;
  height: number;
  blockHash: Uint8Array;
}

/** The structural checks and the power tally; returns the signatures still to verify. */
export function prepareCommit(
  commit: CommitCertificate,
  set: ValidatorSet,
  expected: CommitExpectation,
): SignatureItem[] {
  if (commit.height !== expected.height) {
    throw new InvalidCommitError(
      'wrongHeight',
      `The certificate is for block ${commit.height}, not ${expected.height}.`,
    );
  }
  if (!equalBytes(commit.blockHash, expected.blockHash)) {
    throw new InvalidCommitError('wrongBlock', 'The certificate is for another block.');
  }
  const members = new Map(set.validators.map((v) => [bytesKey(v.publicKey), v.power]));
  const seen = new Set<string>();
  let power = 0;
  const message = voteSigningBytes(expected.chainId, {
    type: 'precommit',
    height: commit.height,
    round: commit.round,
    blockHash: commit.blockHash,
  });
  const items: SignatureItem[] = [];
  for (const s of commit.signatures) {
    const id = bytesKey(s.validator);
    const p = members.get(id);
    if (p === undefined)
      throw new InvalidCommitError(
        'unknownSigner',
        'A signer of the certificate is not a validator.',
      );
    if (seen.has(id))
      throw new InvalidCommitError('duplicateSigner', 'A validator signed the certificate twice.');
    seen.add(id);
    power += p;
    items.push({ signature: s.signature, message, publicKey: s.validator });
  }
  if (!exceeds(power, totalPower(set), set.threshold)) {
    throw new InvalidCommitError(
      'notEnoughPower',
      'The certificate lacks the voting power the chain requires.',
      `${power} of ${totalPower(set)}, needs more than ${set.threshold.numerator}/${set.threshold.denominator}`,
    );
  }
  return items;
}

/** Synchronous check with noble (the simulator, and wherever no batch verifier is at hand). */
export function verifyCommit(
  commit: CommitCertificate,
  set: ValidatorSet,
  expected: CommitExpectation,
): void {
  for (const item of prepareCommit(commit, set, expected)) {
    if (!verify(item.signature, item.message, item.publicKey)) {
      throw new InvalidCommitError('badSignature', 'A signature in the certificate is not valid.');
    }
  }
}

/** The same verdict through a batch verifier (WebCrypto's native Ed25519 where present). */
export async function verifyCommitBatch(
  commit: CommitCertificate,
  set: ValidatorSet,
  expected: CommitExpectation,
  verifier: BatchVerifier,
): Promise<void> {
  const verdicts = await verifier.verifyBatch(prepareCommit(commit, set, expected));
  if (!verdicts.every(Boolean)) {
    throw new InvalidCommitError('badSignature', 'A signature in the certificate is not valid.');
  }
}
