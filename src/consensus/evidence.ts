/**
 * @module evidence — proof that a validator signed two different votes for the same height,
 * round and step. Anyone can check it with the validator's public key alone; what follows from
 * it (punishment) is the chain's governance to decide.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesToHex, compareBytes, equalBytes } from '../crypto/bytes';
import { verify } from '../crypto/ed25519';
import { idOf } from '../codec/ids';
import { findValidator, type ValidatorSet } from '../chain/validatorSet';
import { voteSigningBytes, type Vote } from './messages';

export interface DuplicateVoteEvidence {
  voteA: Vote;
  voteB: Vote;
}

export class InvalidEvidenceError extends FreeholdError {
  override name = 'InvalidEvidenceError' as const;
}

/** One order for the pair, so the same equivocation has one encoding and one id. */
export function normalizeEvidence(e: DuplicateVoteEvidence): DuplicateVoteEvidence {
  const key = (v: Vote): Uint8Array => v.blockHash ?? new Uint8Array(0);
  return compareBytes(key(e.voteA), key(e.voteB)) <= 0 ? e : { voteA: e.voteB, voteB: e.voteA };
}

export function evidenceIdOf(e: DuplicateVoteEvidence): Uint8Array {
  return idOf('evidence', normalizeEvidence(e));
}

/** Checks evidence against the validator set of its height; throws InvalidEvidenceError. */
export function verifyEvidence(
  e: DuplicateVoteEvidence,
  set: ValidatorSet,
  chainId: Uint8Array,
): void {
  const { voteA: a, voteB: b } = e;
  if (!equalBytes(a.validator, b.validator))
    throw new InvalidEvidenceError('The two votes are from different validators.');
  if (a.type !== b.type || a.height !== b.height || a.round !== b.round) {
    throw new InvalidEvidenceError('The two votes are not for the same height, round and step.');
  }
  const same =
    a.blockHash === null
      ? b.blockHash === null
      : b.blockHash !== null && equalBytes(a.blockHash, b.blockHash);
  if (same) throw new InvalidEvidenceError('The two votes agree: that is no equivocation.');
  if (!findValidator(set, a.validator)) {
    throw new InvalidEvidenceError('The signer is not a validator at that height.', {
      details: bytesToHex(a.validator),
    });
  }
  for (const v of [a, b]) {
    if (!verify(v.signature, voteSigningBytes(chainId, v), v.validator)) {
      throw new InvalidEvidenceError('A vote in the evidence has a bad signature.');
    }
  }
}
