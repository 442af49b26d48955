/**
 * @module endBlock — what happens after a block's transactions: proposals whose voting period
 * ends here are tallied and resolved, and validator sets move on. A change passed in block H is
 * written into the set that signs H + 2 (the header of H + 1 announces it as its "next
 * validators hash"), as in CometBFT's EndBlock validator updates.
 */
import { applyValidatorAction } from './applyTransaction';
import { exceeds, formatFraction, reaches } from './fraction';
import { InvalidProposalError } from './rejections';
import type { StateTxn } from './StateTxn';
import { MAX_VALIDATOR_HISTORY, type Proposal, type Tally } from './stateEntries';
import { findValidator, hashValidatorSet, totalPower, type ValidatorSet } from './validatorSet';
import { equalBytes } from '../crypto/bytes';

/** Weights at close: validators by power, holders by balance at close (each token counts once). */
export function tallyProposal(txn: StateTxn, proposal: Proposal): Tally {
  const rules = txn.params().governance;
  const weightOf = (voter: Uint8Array): bigint => {
    if (rules.voters === 'validators')
      return BigInt(findValidator(txn.validators(), voter)?.power ?? 0);
    return txn.balance(voter, rules.voterAsset ?? '');
  };
  const total =
    rules.voters === 'validators'
      ? BigInt(totalPower(txn.validators()))
      : (txn.asset(rules.voterAsset ?? '')?.supply ?? 0n);
  const tally: Tally = { yes: 0n, no: 0n, abstain: 0n, total };
  for (const v of proposal.votes) tally[v.choice] += weightOf(v.voter);
  return tally;
}

function resolve(
  txn: StateTxn,
  proposal: Proposal,
  next: ValidatorSet,
): { proposal: Proposal; next: ValidatorSet } {
  const rules = txn.params().governance;
  const tally = tallyProposal(txn, proposal);
  const turnout = tally.yes + tally.no + tally.abstain;
  if (!reaches(turnout, tally.total, rules.quorum) || turnout === 0n) {
    return {
      proposal: {
        ...proposal,
        status: 'rejected',
        tally,
        outcome: `Too few voted: the quorum is ${formatFraction(rules.quorum)}.`,
      },
      next,
    };
  }
  if (!exceeds(tally.yes, tally.yes + tally.no, rules.passThreshold)) {
    return {
      proposal: {
        ...proposal,
        status: 'rejected',
        tally,
        outcome: `Not enough support: passing needs more than ${formatFraction(rules.passThreshold)} of yes and no.`,
      },
      next,
    };
  }
  try {
    const action = proposal.action;
    if (action.type === 'setGovernance') {
      txn.setParams({ ...txn.params(), governance: action.rules });
      return { proposal: { ...proposal, status: 'passed', tally, outcome: '' }, next };
    }
    const changed = applyValidatorAction(next, action);
    return { proposal: { ...proposal, status: 'passed', tally, outcome: '' }, next: changed };
  } catch (cause) {
    if (!(cause instanceof InvalidProposalError)) throw cause;
    // Passed, but no longer possible (an earlier change got there first): recorded, not applied.
    return {
      proposal: { ...proposal, status: 'failed', tally, outcome: cause.shortMessage },
      next,
    };
  }
}

export function endBlock(txn: StateTxn): void {
  const params = txn.params();
  const closing = params.openProposals.filter(
    (id) => (txn.proposal(id)?.endHeight ?? 0) <= txn.height,
  );
  // The set signing H + 1 is the one announced in H - 1; changes passed now land in H + 2.
  const signingNext = txn.nextValidators();
  let next = signingNext;
  for (const id of closing) {
    const proposal = txn.proposal(id);
    if (!proposal) continue;
    const result = resolve(txn, proposal, next);
    txn.setProposal(result.proposal);
    next = result.next;
  }
  if (closing.length > 0) {
    const fresh = txn.params();
    txn.setParams({
      ...fresh,
      openProposals: fresh.openProposals.filter((id) => !closing.includes(id)),
    });
  }
  const signing = txn.validators();
  txn.setLastValidators(signing);
  txn.setValidators(signingNext);
  if (!equalBytes(hashValidatorSet(signingNext), hashValidatorSet(signing))) {
    const sets = [...txn.validatorHistory().sets, { since: txn.height + 1, set: signingNext }];
    txn.setValidatorHistory({ sets: sets.slice(-MAX_VALIDATOR_HISTORY) });
  }
  txn.setNextValidators(next);
}
