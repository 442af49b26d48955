/** @module InvalidPeerAnswerError — what a peer sent does not hold up: the peer's fault. */
import { FreeholdError } from '../FreeholdError';

export class InvalidPeerAnswerError extends FreeholdError {
  override name = 'InvalidPeerAnswerError' as const;
}
