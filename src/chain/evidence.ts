/**
 * @module evidence — proof that a validator signed two different votes for the same height,
 * round and step. Anyone can check it with the validator's public key alone. Blocks carry it
 * into the state, where the app shows it; what follows from it (punishment) is the chain's
 * governance to decide.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesToHex, compareBytes, equalBytes } from '../crypto/bytes';
import { verify } from '../crypto/ed25519';
import { idOf } from '../codec/ids';
import { asObject } from '../codec/read';
import { findValidator, type ValidatorSet } from './validatorSet';
import { readVote, voteSigningBytes, type Vote } from './vote';

/** Checks one signature: noble by default, or a cache of verdicts the caller already holds. */
export type VerifySignature = (
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
) => boolean;

/** Evidence items one block may carry. */
export const MAX_BLOCK_EVIDENCE = 100;

export interface DuplicateVoteEvidence {
  voteA: Vote;
  voteB: Vote;
}

export class InvalidEvidenceError extends FreeholdError {
  override name = 'InvalidEvidenceError' as const;
}

export function readEvidence(value: unknown, path = 'evidence'): DuplicateVoteEvidence {
  const e = asObject(value, path, ['voteA', 'voteB']);
  return { voteA: readVote(e.voteA, `${path}.voteA`), voteB: readVote(e.voteB, `${path}.voteB`) };
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
  verifySignature: VerifySignature = verify,
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
    if (!verifySignature(v.signature, voteSigningBytes(chainId, v), v.validator)) {
      throw new InvalidEvidenceError('A vote in the evidence has a bad signature.');
    }
  }
}
