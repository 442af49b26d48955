/**
 * @module applyTransaction — the chain's rules for one transaction. It either applies whole,
 * in a child layer merged on success, or throws a typed rejection and changes nothing.
 */
import { bytesToHex, compareBytes, equalBytes } from '../crypto/bytes';
import { isAcceptedPublicKey } from '../crypto/ed25519';
import {
  InvalidGenesisError,
  MAX_AMOUNT,
  isValidThreshold,
  validateAssetDefinition,
  validateGovernance,
} from './genesis';
import {
  AlreadyVotedError,
  AmountOutOfRangeError,
  AssetExistsError,
  BadSignatureError,
  FutureNonceError,
  InsufficientBalanceError,
  InvalidProposalError,
  LimitReachedError,
  MalformedTransactionError,
  NotAVoterError,
  NotMinterError,
  NotOwnerError,
  ProposalClosedError,
  RecordExistsError,
  StaleNonceError,
  UnknownAssetError,
  UnknownProposalError,
  UnknownRecordError,
  WrongChainError,
} from './rejections';
import type { StateTxn } from './StateTxn';
import { MAX_OPEN_PROPOSALS, MAX_VOTES_PER_PROPOSAL, type Asset } from './stateEntries';
import {
  verifyTransactionSignature,
  type ProposalAction,
  type SignedTransaction,
  type TxBody,
} from './transaction';
import { findValidator, MAX_POWER, MAX_VALIDATORS, type ValidatorSet } from './validatorSet';

export interface ApplyContext {
  chainId: Uint8Array;
  txId: Uint8Array;
  /** Signature check; the default is the noble path. A caller that verified in a batch passes its verdict. */
  verifySignature?: (signed: SignedTransaction) => boolean;
}

function credit(txn: StateTxn, who: Uint8Array, asset: string, amount: bigint): void {
  txn.setBalance(who, asset, txn.balance(who, asset) + amount);
}

function debit(txn: StateTxn, who: Uint8Array, asset: string, amount: bigint): void {
  const have = txn.balance(who, asset);
  if (have < amount) {
    throw new InsufficientBalanceError(
      `Not enough ${asset}: the account holds ${have}, the payment needs ${amount}.`,
    );
  }
  txn.setBalance(who, asset, have - amount);
}

function requireAsset(txn: StateTxn, symbol: string): Asset {
  const asset = txn.asset(symbol);
  if (!asset) throw new UnknownAssetError(`This chain has no asset ${symbol}.`);
  return asset;
}

function requirePositive(amount: bigint): void {
  if (amount <= 0n || amount > MAX_AMOUNT)
    throw new AmountOutOfRangeError('The amount must be above zero.');
}

/** Is `who` entitled to propose and vote under the chain's current rules? */
export function isVoter(txn: StateTxn, who: Uint8Array): boolean {
  const rules = txn.params().governance;
  if (rules.voters === 'validators') return findValidator(txn.validators(), who) !== undefined;
  return txn.balance(who, rules.voterAsset ?? '') > 0n;
}

/** Applies a governance action to a validator set; throws InvalidProposalError if it cannot. */
export function applyValidatorAction(set: ValidatorSet, action: ProposalAction): ValidatorSet {
  switch (action.type) {
    case 'addValidator': {
      if (!isAcceptedPublicKey(action.publicKey))
        throw new InvalidProposalError('The new validator key is not a valid ed25519 key.');
      if (action.power < 1 || action.power > MAX_POWER)
        throw new InvalidProposalError(`Voting power is 1 to ${MAX_POWER}.`);
      if (findValidator(set, action.publicKey))
        throw new InvalidProposalError('That key is already a validator.');
      if (set.validators.length >= MAX_VALIDATORS) {
        throw new InvalidProposalError(`A chain has at most ${MAX_VALIDATORS} validators.`);
      }
      const validators = [
        ...set.validators,
        { publicKey: action.publicKey, power: action.power, name: action.name },
      ];
      return {
        ...set,
        validators: validators.sort((a, b) => compareBytes(a.publicKey, b.publicKey)),
      };
    }
    case 'removeValidator': {
      if (!findValidator(set, action.publicKey))
        throw new InvalidProposalError('That key is not a validator.');
      if (set.validators.length === 1)
        throw new InvalidProposalError('The last validator cannot be removed.');
      return {
        ...set,
        validators: set.validators.filter((v) => !equalBytes(v.publicKey, action.publicKey)),
      };
    }
    case 'setPower': {
      if (!findValidator(set, action.publicKey))
        throw new InvalidProposalError('That key is not a validator.');
      if (action.power < 1 || action.power > MAX_POWER) {
        throw new InvalidProposalError(
          `Voting power is 1 to ${MAX_POWER}; remove a validator instead of giving it none.`,
        );
      }
      return {
        ...set,
        validators: set.validators.map((v) =>
          equalBytes(v.publicKey, action.publicKey) ? { ...v, power: action.power } : v,
        ),
      };
    }
    case 'setThreshold':
      if (!isValidThreshold(action.threshold)) {
        throw new InvalidProposalError(
          'The threshold is at least 1/2 of voting power and below all of it.',
        );
      }
      return { ...set, threshold: action.threshold };
    case 'setGovernance':
    case 'text':
      return set;
  }
}

function checkProposal(txn: StateTxn, action: ProposalAction): void {
  if (action.type === 'setGovernance') {
    const assets = action.rules.voterAsset
      ? [txn.asset(action.rules.voterAsset)].filter((a) => a !== undefined)
      : [];
    try {
      validateGovernance(action.rules, assets);
    } catch (cause) {
      if (cause instanceof InvalidGenesisError)
        throw new InvalidProposalError(cause.shortMessage, { cause });
      throw cause;
    }
  } else if (action.type === 'text') {
    if (action.text.trim().length === 0)
      throw new InvalidProposalError('A text proposal needs some text.');
  } else {
    applyValidatorAction(txn.nextValidators(), action);
  }
}

function applyBody(txn: StateTxn, sender: Uint8Array, body: TxBody, txId: Uint8Array): void {
  switch (body.kind) {
    case 'transfer': {
      requireAsset(txn, body.asset);
      requirePositive(body.amount);
      debit(txn, sender, body.asset, body.amount);
      credit(txn, body.to, body.asset, body.amount);
      return;
    }
    case 'issueAsset': {
      validateAssetDefinition(body, (_problem, message) => {
        throw new MalformedTransactionError(message);
      });
      if (txn.asset(body.symbol))
        throw new AssetExistsError(`An asset ${body.symbol} already exists on this chain.`);
      if (body.supply === 0n && body.minter === null) {
        throw new AmountOutOfRangeError(
          'An asset with no supply needs a minter, or it could never exist.',
        );
      }
      const { symbol, name, decimals, supply, minter } = body;
      txn.setAsset({ symbol, name, decimals, supply, minter, issuer: sender });
      credit(txn, sender, symbol, supply);
      return;
    }
    case 'mint': {
      const asset = requireAsset(txn, body.asset);
      if (!asset.minter || !equalBytes(asset.minter, sender)) {
        throw new NotMinterError(`Only the minter of ${body.asset} may create more of it.`);
      }
      requirePositive(body.amount);
      if (asset.supply + body.amount > MAX_AMOUNT)
        throw new AmountOutOfRangeError(`The supply of ${body.asset} would exceed its limit.`);
      txn.setAsset({ ...asset, supply: asset.supply + body.amount });
      credit(txn, body.to, body.asset, body.amount);
      return;
    }
    case 'registerRecord': {
      if (body.recordId.trim() !== body.recordId) {
        throw new MalformedTransactionError('A record id has no leading or trailing spaces.');
      }
      if (txn.record(body.recordId))
        throw new RecordExistsError(`A record "${body.recordId}" is already registered.`);
      txn.setRecord({
        recordId: body.recordId,
        owner: sender,
        contentHash: body.contentHash,
        metadata: body.metadata,
        registeredHeight: txn.height,
        updatedHeight: txn.height,
        transfers: 0,
        lastTxId: txId,
      });
      return;
    }
    case 'transferRecord': {
      const record = txn.record(body.recordId);
      if (!record) throw new UnknownRecordError(`No record "${body.recordId}" is registered.`);
      if (!equalBytes(record.owner, sender))
        throw new NotOwnerError(`Only the owner of "${body.recordId}" may transfer it.`);
      txn.setRecord({
        ...record,
        owner: body.to,
        updatedHeight: txn.height,
        transfers: record.transfers + 1,
        lastTxId: txId,
      });
      return;
    }
    case 'propose': {
      if (!isVoter(txn, sender))
        throw new NotAVoterError('Only those who vote on this chain may propose.');
      checkProposal(txn, body.action);
      const params = txn.params();
      if (params.openProposals.length >= MAX_OPEN_PROPOSALS) {
        throw new LimitReachedError(
          `At most ${MAX_OPEN_PROPOSALS} proposals can be open at once; wait for one to close.`,
        );
      }
      const id = params.proposalCount + 1;
      txn.setProposal({
        id,
        proposer: sender,
        title: body.title,
        action: body.action,
        startHeight: txn.height,
        endHeight: txn.height + params.governance.votingPeriod,
        votes: [],
        status: 'open',
        outcome: '',
        tally: null,
      });
      txn.setParams({ ...params, proposalCount: id, openProposals: [...params.openProposals, id] });
      return;
    }
    case 'vote': {
      const proposal = txn.proposal(body.proposalId);
      if (!proposal) throw new UnknownProposalError(`There is no proposal #${body.proposalId}.`);
      if (proposal.status !== 'open' || txn.height > proposal.endHeight) {
        throw new ProposalClosedError(`Voting on proposal #${body.proposalId} has closed.`);
      }
      if (!isVoter(txn, sender))
        throw new NotAVoterError('Only those who vote on this chain may vote.');
      if (proposal.votes.some((v) => equalBytes(v.voter, sender))) {
        throw new AlreadyVotedError(`This account already voted on proposal #${body.proposalId}.`);
      }
      if (proposal.votes.length >= MAX_VOTES_PER_PROPOSAL) {
        throw new LimitReachedError(
          `Proposal #${body.proposalId} has taken all the votes it can hold.`,
        );
      }
      const votes = [...proposal.votes, { voter: sender, choice: body.choice }].sort((a, b) =>
        compareBytes(a.voter, b.voter),
      );
      txn.setProposal({ ...proposal, votes });
      return;
    }
  }
}

/** Applies one signed transaction to `txn`, or throws a TransactionRejectedError and writes nothing. */
export function applyTransaction(
  txn: StateTxn,
  signed: SignedTransaction,
  ctx: ApplyContext,
): void {
  const { tx } = signed;
  if (!equalBytes(tx.chainId, ctx.chainId)) {
    throw new WrongChainError('This transaction was signed for another chain.');
  }
  const verifySignature = ctx.verifySignature ?? verifyTransactionSignature;
  if (!verifySignature(signed)) {
    throw new BadSignatureError('The signature does not match the sender and contents.');
  }
  const expected = txn.account(tx.sender).nonce;
  if (tx.nonce < expected) {
    throw new StaleNonceError(
      `Already applied: this account's next transaction is number ${expected}.`,
      {
        details: `nonce ${tx.nonce} < ${expected} for ${bytesToHex(tx.sender).slice(0, 16)}`,
      },
    );
  }
  if (tx.nonce > expected) {
    throw new FutureNonceError(
      `Out of order: this account's next transaction is number ${expected}.`,
      {
        details: `nonce ${tx.nonce} > ${expected}`,
      },
    );
  }
  const layer = txn.child();
  applyBody(layer, tx.sender, tx.body, ctx.txId);
  const after = layer.account(tx.sender);
  layer.setAccount(tx.sender, { ...after, nonce: after.nonce + 1 });
  layer.mergeInto(txn);
}
