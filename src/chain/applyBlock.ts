/**
 * @module applyBlock — the rules that check a block against its parent and the state it builds
 * on, its execution, and how a proposer builds one. Nothing touches the committed state unless
 * every rule holds and the computed state root equals the header's.
 *
 * Just over 450 lines since the byte budget: buildBlock (the proposer's side) is the part to
 * move to a file of its own.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey, equalBytes } from '../crypto/bytes';
import { applyTransaction } from './applyTransaction';
import {
  BLOCK_BYTE_BUDGET,
  MAX_BLOCK_TRANSACTIONS,
  ZERO_HASH,
  blockHashOf,
  blockSizeOf,
  commitHashOf,
  evidenceHashOf,
  txRootOf,
  type Block,
  type BlockHeader,
  type CommitCertificate,
} from './block';
import { StateRootMismatchError, type ChainState, type StateDiff } from './ChainState';
import { endBlock } from './endBlock';
import type { StateTxn } from './StateTxn';
import { TransactionRejectedError } from './rejections';
import { txIdOf, txSizeOf, type SignedTransaction } from './transaction';
import { findValidator, hashValidatorSet, type ValidatorSet } from './validatorSet';
import {
  InvalidEvidenceError,
  MAX_BLOCK_EVIDENCE,
  evidenceIdOf,
  normalizeEvidence,
  verifyEvidence,
  type DuplicateVoteEvidence,
  type VerifySignature,
} from './evidence';

export type InvalidBlockReason =
  | 'wrongChain'
  | 'wrongHeight'
  | 'wrongPrevious'
  | 'timeNotAfterParent'
  | 'timeTooFarAhead'
  | 'wrongValidators'
  | 'wrongNextValidators'
  | 'unknownProposer'
  | 'wrongTxRoot'
  | 'wrongLastCommit'
  | 'duplicateTransaction'
  | 'tooManyTransactions'
  | 'tooLarge'
  | 'rejectedTransaction'
  | 'wrongEvidenceHash'
  | 'invalidEvidence'
  | 'wrongStateRoot';

/**
 * How far one block's time may run ahead of its parent's. A proposer that could jump to the end
 * of representable time would leave no valid time for the next block; ten years keeps a chain
 * that was switched off for years able to resume. Validators also refuse proposals from their
 * own future (consensus), so in practice blocks follow the clock.
 */
export const MAX_TIME_STEP_MS = 10 * 366 * 24 * 60 * 60 * 1000;

/** How many blocks back evidence may reach (the validator history must reach too). */
export const MAX_EVIDENCE_AGE = 100_000;

export class InvalidBlockError extends FreeholdError {
  override name = 'InvalidBlockError' as const;
  readonly reason: InvalidBlockReason;
  constructor(
    reason: InvalidBlockReason,
    shortMessage: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(shortMessage, options);
    this.reason = reason;
  }
}

/**
 * Checks the certificate a block carries for its parent against the set that signed the parent;
 * throws if it is not a valid certificate. Certificates are the consensus layer's to verify
 * (consensus/verifyCommit), so the chain rules take the check as an argument, and a required
 * one: no caller can apply a block without saying how its parent's certificate is checked.
 */
export type VerifyLastCommit = (
  commit: CommitCertificate,
  signers: ValidatorSet,
  expected: { chainId: Uint8Array; height: number; blockHash: Uint8Array },
) => void;

export interface ExecuteOptions {
  verifyLastCommit: VerifyLastCommit;
  /** A signature verdict from a batch verifier; the default checks each with noble. */
  verifySignature?: (signed: SignedTransaction) => boolean;
  /** Checks the vote signatures in evidence; the default checks each with noble. */
  verifyVoteSignature?: VerifySignature;
}

/**
 * Checks what ties a block to its parent and its header to its contents: chain, height, the
 * parent's hash, the transaction root, the evidence hash and the certificate of the parent it
 * carries (its place, not its signatures). Needs no state: a run of blocks can be checked to
 * hang together before any of it is executed.
 */
export function checkBlockLinks(
  block: Block,
  chainId: Uint8Array,
  parent: BlockHeader | null,
): void {
  const h = block.header;
  const fail = (reason: InvalidBlockReason, message: string): never => {
    throw new InvalidBlockError(reason, message, { details: `block ${h.height}` });
  };
  if (!equalBytes(h.chainId, chainId)) fail('wrongChain', 'The block belongs to another chain.');
  const parentHeight = parent?.height ?? 0;
  if (h.height !== parentHeight + 1)
    fail('wrongHeight', `Expected block ${parentHeight + 1}, got ${h.height}.`);
  const previous = parent ? blockHashOf(parent) : chainId;
  if (!equalBytes(h.previousHash, previous))
    fail('wrongPrevious', 'The block does not follow its parent.');
  if (block.transactions.length > MAX_BLOCK_TRANSACTIONS) {
    fail('tooManyTransactions', `A block holds at most ${MAX_BLOCK_TRANSACTIONS} transactions.`);
  }
  // Over the budget a block would still decode, but a node that missed it might never fetch it
  // through a sync frame or a proposal.
  if (blockSizeOf(block) > BLOCK_BYTE_BUDGET)
    fail('tooLarge', `An encoded block is at most ${BLOCK_BYTE_BUDGET} bytes.`);
  const seen = new Set<string>();
  for (const tx of block.transactions) {
    const id = bytesKey(txIdOf(tx));
    if (seen.has(id)) fail('duplicateTransaction', 'The block holds the same transaction twice.');
    seen.add(id);
  }
  if (!equalBytes(h.txRoot, txRootOf(block.transactions)))
    fail('wrongTxRoot', 'The transaction root does not match.');
  if (block.evidence.length > MAX_BLOCK_EVIDENCE) {
    fail('invalidEvidence', `A block holds at most ${MAX_BLOCK_EVIDENCE} items of evidence.`);
  }
  if (!equalBytes(h.evidenceHash, evidenceHashOf(block.evidence)))
    fail('wrongEvidenceHash', 'The evidence hash does not match.');
  if (h.height === 1) {
    if (block.lastCommit !== null || !equalBytes(h.lastCommitHash, ZERO_HASH)) {
      fail('wrongLastCommit', 'The first block carries no previous certificate.');
    }
  } else {
    const c = block.lastCommit;
    if (!c || c.height !== h.height - 1 || !equalBytes(c.blockHash, h.previousHash)) {
      fail('wrongLastCommit', 'The block does not carry the certificate of its parent.');
    }
    if (!equalBytes(h.lastCommitHash, commitHashOf(c))) {
      fail('wrongLastCommit', 'The last commit hash does not match the certificate.');
    }
  }
}

/**
 * Checks the block's header and contents against its parent header (null at height 1) and the
 * state after the parent. Certificate signatures are the consensus layer's to verify.
 */
export function checkBlockAgainstParent(
  block: Block,
  state: ChainState,
  parent: BlockHeader | null,
  verifyLastCommit: VerifyLastCommit,
): void {
  const h = block.header;
  const fail = (reason: InvalidBlockReason, message: string): never => {
    throw new InvalidBlockError(reason, message, { details: `block ${h.height}` });
  };
  if ((parent?.height ?? 0) !== state.height)
    fail('wrongHeight', 'The state is not at the parent block.');
  checkBlockLinks(block, state.chainId, parent);
  const parentTime = parent ? parent.time : state.time;
  if (!Number.isSafeInteger(h.time) || (parent ? h.time <= parentTime : h.time < parentTime)) {
    fail('timeNotAfterParent', 'The block time is not after its parent.');
  }
  if (h.time - parentTime > MAX_TIME_STEP_MS) {
    fail('timeTooFarAhead', 'The block time is more than ten years after its parent.');
  }
  const txn = state.begin(h.height, h.time);
  const signers = txn.validators();
  if (!equalBytes(h.validatorsHash, hashValidatorSet(signers))) {
    fail('wrongValidators', 'The block names the wrong validator set.');
  }
  if (!equalBytes(h.nextValidatorsHash, hashValidatorSet(txn.nextValidators()))) {
    fail('wrongNextValidators', 'The block announces the wrong next validator set.');
  }
  if (!findValidator(signers, h.proposer))
    fail('unknownProposer', 'The proposer is not a validator.');
  const c = block.lastCommit;
  if (c) {
    try {
      verifyLastCommit(c, txn.lastValidators(), {
        chainId: state.chainId,
        height: c.height,
        blockHash: c.blockHash,
      });
    } catch (cause) {
      throw new InvalidBlockError(
        'wrongLastCommit',
        'The certificate of the parent block is not valid.',
        {
          cause,
          details: cause instanceof Error ? cause.message : String(cause),
        },
      );
    }
  }
}

/** Executes a checked block's transactions and end-of-block rules in a layer over `state`. */
function run(state: ChainState, block: Block, options: ExecuteOptions) {
  const h = block.header;
  const txn = state.begin(h.height, h.time);
  block.transactions.forEach((tx, i) => {
    try {
      applyTransaction(txn, tx, { chainId: state.chainId, txId: txIdOf(tx), ...options });
    } catch (cause) {
      if (!(cause instanceof TransactionRejectedError)) throw cause;
      throw new InvalidBlockError(
        'rejectedTransaction',
        `Transaction ${i + 1} of the block breaks a rule: ${cause.shortMessage}`,
        {
          cause,
        },
      );
    }
  });
  block.evidence.forEach((evidence, i) => {
    try {
      recordEvidence(txn, evidence, state.chainId, options.verifyVoteSignature);
    } catch (cause) {
      if (!(cause instanceof InvalidEvidenceError)) throw cause;
      throw new InvalidBlockError(
        'invalidEvidence',
        `Evidence ${i + 1} of the block is not valid: ${cause.shortMessage}`,
        { cause },
      );
    }
  });
  endBlock(txn);
  return txn;
}

/**
 * Checks evidence against the validator set of its height and writes it into the state; throws
 * InvalidEvidenceError if it is invalid, from the block's future, too old, or already recorded.
 */
function recordEvidence(
  txn: StateTxn,
  evidence: DuplicateVoteEvidence,
  chainId: Uint8Array,
  verifySignature?: VerifySignature,
) {
  const height = evidence.voteA.height;
  if (height >= txn.height) {
    throw new InvalidEvidenceError('Evidence must be from a height before the block.');
  }
  const set = txn.height - height <= MAX_EVIDENCE_AGE ? txn.validatorsAt(height) : undefined;
  if (!set) throw new InvalidEvidenceError('The evidence is too old to be included.');
  verifyEvidence(evidence, set, chainId, verifySignature);
  const id = evidenceIdOf(evidence);
  if (txn.evidence(id)) throw new InvalidEvidenceError('The evidence is already recorded.');
  txn.setEvidence(id, { evidence: normalizeEvidence(evidence), includedHeight: txn.height });
}

/**
 * Checks and applies a block. On success the state has moved to the block and the returned
 * diff is what the store writes with it; on any failure the state is unchanged.
 */
export function executeBlock(
  state: ChainState,
  block: Block,
  parent: BlockHeader | null,
  options: ExecuteOptions,
): StateDiff {
  // A block validated against this very state, unmoved since, commits the layer validation
  // built: every rule already held for it, and running them again would give the same writes.
  const earlier = validated.get(state);
  validated.delete(state);
  let txn: StateTxn;
  if (
    earlier &&
    earlier.block === block &&
    earlier.height === state.height &&
    equalBytes(earlier.root, state.root)
  ) {
    txn = earlier.txn;
  } else {
    checkBlockAgainstParent(block, state, parent, options.verifyLastCommit);
    txn = run(state, block, options);
  }
  try {
    return state.commit(txn, block.header.stateRoot);
  } catch (cause) {
    if (cause instanceof StateRootMismatchError) {
      throw new InvalidBlockError('wrongStateRoot', cause.shortMessage, {
        cause,
        ...(cause.details !== undefined && { details: cause.details }),
      });
    }
    throw cause;
  }
}

/**
 * Checks and applies a block whose state root is checked later, with its run's, by
 * `state.settle` (a run of blocks a certificate vouches for). On failure the state is as it
 * was before this block.
 */
export function executeBlockDeferred(
  state: ChainState,
  block: Block,
  parent: BlockHeader | null,
  options: ExecuteOptions,
): void {
  checkBlockAgainstParent(block, state, parent, options.verifyLastCommit);
  state.commitDeferred(run(state, block, options));
}

/**
 * The same rules as `executeBlock`, leaving the state untouched: valid(v) for a proposed block.
 * Throws InvalidBlockError naming the rule broken.
 */
export function validateBlock(
  state: ChainState,
  block: Block,
  parent: BlockHeader | null,
  options: ExecuteOptions,
): void {
  checkBlockAgainstParent(block, state, parent, options.verifyLastCommit);
  const txn = run(state, block, options);
  const root = state.previewRoot(txn);
  if (!equalBytes(root, block.header.stateRoot)) {
    throw new InvalidBlockError(
      'wrongStateRoot',
      'The block claims a state its transactions do not produce.',
    );
  }
  validated.set(state, { block, height: state.height, root: state.root, txn });
}

/** Per state, the last block that passed `validateBlock` there, with the layer it built. */
const validated = new WeakMap<
  ChainState,
  { block: Block; height: number; root: Uint8Array; txn: StateTxn }
>();

export interface BuildBlockParams {
  parent: BlockHeader | null;
  time: number;
  proposer: Uint8Array;
  /** Candidates in the order to try them (the mempool's order). */
  candidates: readonly SignedTransaction[];
  lastCommit: CommitCertificate | null;
  maxTransactions?: number;
  /** A smaller byte budget than BLOCK_BYTE_BUDGET, which is the most it can be. */
  maxBytes?: number;
  verifySignature?: (signed: SignedTransaction) => boolean;
  /** Evidence to carry; items that are invalid or already recorded are left out. */
  evidence?: readonly DuplicateVoteEvidence[];
  verifyVoteSignature?: VerifySignature;
}

export interface BuiltBlock {
  block: Block;
  /** Candidates left out because they are invalid now, with the rule each broke. */
  rejected: { tx: SignedTransaction; error: TransactionRejectedError }[];
}

/**
 * Builds the next block from candidates, leaving the state untouched. It stops at the first
 * candidate that would take it past the transaction count or the byte budget: those left are
 * not invalid, only for a later block.
 */
export function buildBlock(state: ChainState, params: BuildBlockParams): BuiltBlock {
  const height = state.height + 1;
  const txn = state.begin(height, params.time);
  const included: SignedTransaction[] = [];
  const rejected: BuiltBlock['rejected'] = [];
  const seen = new Set<string>();
  const limit = Math.min(params.maxTransactions ?? MAX_BLOCK_TRANSACTIONS, MAX_BLOCK_TRANSACTIONS);
  const budget = Math.min(params.maxBytes ?? BLOCK_BYTE_BUDGET, BLOCK_BYTE_BUDGET);
  const offered = (params.evidence ?? []).slice(0, MAX_BLOCK_EVIDENCE);
  // What the block weighs besides its transactions, with all the evidence offered (it carries
  // at most that) and the longest head its list of transactions can have.
  const draft: BlockHeader = {
    chainId: state.chainId,
    height,
    time: params.time,
    previousHash: ZERO_HASH,
    txRoot: ZERO_HASH,
    stateRoot: ZERO_HASH,
    validatorsHash: ZERO_HASH,
    nextValidatorsHash: ZERO_HASH,
    proposer: params.proposer,
    lastCommitHash: ZERO_HASH,
    evidenceHash: ZERO_HASH,
  };
  let bytes =
    blockSizeOf({
      header: draft,
      transactions: [],
      lastCommit: params.lastCommit,
      evidence: offered,
    }) + 4;
  for (const tx of params.candidates) {
    if (included.length >= limit || bytes + txSizeOf(tx) > budget) break;
    const id = txIdOf(tx);
    if (seen.has(bytesKey(id))) continue;
    try {
      applyTransaction(txn, tx, {
        chainId: state.chainId,
        txId: id,
        ...(params.verifySignature && { verifySignature: params.verifySignature }),
      });
      included.push(tx);
      bytes += txSizeOf(tx);
      seen.add(bytesKey(id));
    } catch (error) {
      if (!(error instanceof TransactionRejectedError)) throw error;
      rejected.push({ tx, error });
    }
  }
  const evidence: DuplicateVoteEvidence[] = [];
  for (const e of offered) {
    try {
      recordEvidence(txn, e, state.chainId, params.verifyVoteSignature);
      evidence.push(e);
    } catch (error) {
      if (!(error instanceof InvalidEvidenceError)) throw error;
    }
  }
  const validatorsHash = hashValidatorSet(txn.validators());
  const nextValidatorsHash = hashValidatorSet(txn.nextValidators());
  endBlock(txn);
  const header: BlockHeader = {
    chainId: state.chainId,
    height,
    time: params.time,
    previousHash: params.parent ? blockHashOf(params.parent) : state.chainId,
    txRoot: txRootOf(included),
    stateRoot: state.previewRoot(txn),
    validatorsHash,
    nextValidatorsHash,
    proposer: params.proposer,
    lastCommitHash: commitHashOf(params.lastCommit),
    evidenceHash: evidenceHashOf(evidence),
  };
  const block = { header, transactions: included, lastCommit: params.lastCommit, evidence };
  return { block, rejected };
}
