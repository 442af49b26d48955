/**
 * @module LightClientError — what a light block from a peer can get wrong. Each problem is the
 * peer's fault (or its source's), so the node that catches this penalises the peer it asked.
 */
import { FreeholdError } from '../FreeholdError';

export type LightProblem =
  | 'wrongChain'
  | 'wrongHeight'
  | 'notNewer'
  | 'notAdjacent'
  | 'brokenLink'
  | 'wrongValidators'
  | 'timeNotAfter'
  | 'fromFuture'
  | 'notEnoughTrust'
  | 'invalidCommit'
  | 'invalidProof'
  | 'notCheckpoint';

export class LightClientError extends FreeholdError {
  override name = 'LightClientError' as const;
  readonly problem: LightProblem;
  constructor(
    problem: LightProblem,
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(shortMessage, options);
    this.problem = problem;
  }
}
