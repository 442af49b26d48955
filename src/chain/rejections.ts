/**
 * @module rejections — why a transaction was refused. Each failure is its own class with a
 * literal name (matched by name across IPC); the message is what the person is told.
 * A rejected transaction changes nothing: the state machine never applies part of one.
 */
import { FreeholdError } from '../FreeholdError';

export class TransactionRejectedError extends FreeholdError {
  override name: string = 'TransactionRejectedError';
}

export class BadSignatureError extends TransactionRejectedError {
  override name = 'BadSignatureError' as const;
}
export class WrongChainError extends TransactionRejectedError {
  override name = 'WrongChainError' as const;
}
export class StaleNonceError extends TransactionRejectedError {
  override name = 'StaleNonceError' as const;
}
export class FutureNonceError extends TransactionRejectedError {
  override name = 'FutureNonceError' as const;
}
export class InsufficientBalanceError extends TransactionRejectedError {
  override name = 'InsufficientBalanceError' as const;
}
export class UnknownAssetError extends TransactionRejectedError {
  override name = 'UnknownAssetError' as const;
}
export class AssetExistsError extends TransactionRejectedError {
  override name = 'AssetExistsError' as const;
}
export class NotMinterError extends TransactionRejectedError {
  override name = 'NotMinterError' as const;
}
export class AmountOutOfRangeError extends TransactionRejectedError {
  override name = 'AmountOutOfRangeError' as const;
}
export class RecordExistsError extends TransactionRejectedError {
  override name = 'RecordExistsError' as const;
}
export class UnknownRecordError extends TransactionRejectedError {
  override name = 'UnknownRecordError' as const;
}
export class NotOwnerError extends TransactionRejectedError {
  override name = 'NotOwnerError' as const;
}
export class UnknownProposalError extends TransactionRejectedError {
  override name = 'UnknownProposalError' as const;
}
export class ProposalClosedError extends TransactionRejectedError {
  override name = 'ProposalClosedError' as const;
}
export class NotAVoterError extends TransactionRejectedError {
  override name = 'NotAVoterError' as const;
}
export class AlreadyVotedError extends TransactionRejectedError {
  override name = 'AlreadyVotedError' as const;
}
export class InvalidProposalError extends TransactionRejectedError {
  override name = 'InvalidProposalError' as const;
}
/** A bound that keeps state readable was reached (votes on a proposal, open proposals). */
export class LimitReachedError extends TransactionRejectedError {
  override name = 'LimitReachedError' as const;
}
export class MalformedTransactionError extends TransactionRejectedError {
  override name = 'MalformedTransactionError' as const;
}
