/**
 * @module verifyLightBlock — the light client's verification, pure: no network, no clock
 * (CometBFT light client spec, "verification": sequential for adjacent headers, skipping with a
 * trust level otherwise). A light block is a header, the certificate that committed it, and the
 * validator sets its header names. Cheap conditions (times, heights, hashes, links, set
 * membership and power) are checked before any signature.
 */
import { FreeholdError } from '../FreeholdError';
import { bytesKey, equalBytes } from '../crypto/bytes';
import { verify, type BatchVerifier, type SignatureItem } from '../crypto/ed25519';
import { blockHashOf, type BlockHeader, type CommitCertificate } from '../chain/block';
import { exceeds, type Fraction } from '../chain/fraction';
import { hashValidatorSet, totalPower, type ValidatorSet } from '../chain/validatorSet';
import { InvalidCommitError, prepareCommit } from '../consensus/verifyCommit';
import { checkTrustingPeriod, type TrustOptions } from './checkTrustingPeriod';
import { LightClientError, type LightProblem } from './LightClientError';

export { LightClientError, type LightProblem } from './LightClientError';

export interface LightBlock {
  header: BlockHeader;
  commit: CommitCertificate;
  /** The set that signed this header (its hash is header.validatorsHash). */
  validators: ValidatorSet;
  /** The set that signs the next header (its hash is header.nextValidatorsHash). */
  nextValidators: ValidatorSet;
}

/** What the light client trusts: a verified light block. */
export type TrustedBlock = LightBlock;

/** The CometBFT default: more than 1/3 of the trusted set's power must have signed. */
export const DEFAULT_TRUST_LEVEL: Fraction = { numerator: 1, denominator: 3 };

export interface VerifyOptions extends TrustOptions {
  trustLevel?: Fraction;
  /** Batch signature verifier (WebCrypto); the default checks each with noble. */
  verifier?: BatchVerifier;
}

function fail(problem: LightProblem, message: string, cause?: unknown): never {
  throw new LightClientError(problem, message, cause === undefined ? {} : { cause });
}

async function checkSignatures(items: SignatureItem[], verifier?: BatchVerifier): Promise<boolean> {
  if (verifier) return (await verifier.verifyBatch(items)).every(Boolean);
  return items.every((i) => verify(i.signature, i.message, i.publicKey));
}

/** The checks every candidate meets, whatever its distance from the trusted block. */
function checkCommon(trusted: TrustedBlock, untrusted: LightBlock): void {
  const h = untrusted.header;
  if (!equalBytes(h.chainId, trusted.header.chainId))
    fail('wrongChain', 'The header belongs to another chain.');
  if (h.height <= trusted.header.height)
    fail('notNewer', 'The header is not newer than the trusted one.');
  if (h.time <= trusted.header.time)
    fail('timeNotAfter', 'The header is not later than the trusted one.');
  if (!equalBytes(hashValidatorSet(untrusted.validators), h.validatorsHash)) {
    fail('wrongValidators', 'The validator set does not match the header.');
  }
  if (!equalBytes(hashValidatorSet(untrusted.nextValidators), h.nextValidatorsHash)) {
    fail('wrongValidators', 'The next validator set does not match the header.');
  }
}

/** The untrusted header's own certificate: more than its set's threshold signed this header. */
export async function checkOwnCommit(
  untrusted: LightBlock,
  verifier?: BatchVerifier,
): Promise<void> {
  const h = untrusted.header;
  let items: SignatureItem[];
  try {
    items = prepareCommit(untrusted.commit, untrusted.validators, {
      chainId: h.chainId,
      height: h.height,
      blockHash: blockHashOf(h),
    });
  } catch (cause) {
    if (cause instanceof InvalidCommitError) fail('invalidCommit', cause.shortMessage, cause);
    throw cause;
  }
  if (!(await checkSignatures(items, verifier)))
    fail('invalidCommit', 'A signature in the certificate is not valid.');
}

/** Sequential verification: the header right after the trusted one. */
export async function verifyAdjacent(
  trusted: TrustedBlock,
  untrusted: LightBlock,
  options: VerifyOptions = {},
): Promise<TrustedBlock> {
  // As in the spec, an expired header vouches for no header, adjacent ones included: its next
  // set is exactly the retired set whose leaked keys could sign the fork.
  checkTrustingPeriod(trusted.header, untrusted.header, options);
  checkCommon(trusted, untrusted);
  const h = untrusted.header;
  if (h.height !== trusted.header.height + 1)
    fail('notAdjacent', 'The header does not follow the trusted one.');
  if (!equalBytes(h.previousHash, blockHashOf(trusted.header)))
    fail('brokenLink', 'The header does not link to the trusted one.');
  if (!equalBytes(h.validatorsHash, trusted.header.nextValidatorsHash)) {
    fail('wrongValidators', 'The header is signed by a set the trusted header did not announce.');
  }
  await checkOwnCommit(untrusted, options.verifier);
  return untrusted;
}

/**
 * Skipping verification: more than the trust level of the trusted next set signed the new header
 * (so at least one honest validator the client trusts vouches for it), and more than the new
 * set's threshold did. Throws `notEnoughTrust` when the first fails: bisect then.
 */
export async function verifyNonAdjacent(
  trusted: TrustedBlock,
  untrusted: LightBlock,
  options: VerifyOptions = {},
): Promise<TrustedBlock> {
  if (untrusted.header.height === trusted.header.height + 1) {
    return verifyAdjacent(trusted, untrusted, options);
  }
  checkTrustingPeriod(trusted.header, untrusted.header, options);
  checkCommon(trusted, untrusted);
  const trustLevel = options.trustLevel ?? DEFAULT_TRUST_LEVEL;
  const trustedSet = trusted.nextValidators;
  const powers = new Map(trustedSet.validators.map((v) => [bytesKey(v.publicKey), v.power]));
  // Cheap first: how much trusted power the certificate claims, before any signature.
  const seen = new Set<string>();
  let claimed = 0;
  for (const s of untrusted.commit.signatures) {
    const id = bytesKey(s.validator);
    const power = powers.get(id);
    if (power === undefined || seen.has(id)) continue;
    seen.add(id);
    claimed += power;
  }
  if (!exceeds(claimed, totalPower(trustedSet), trustLevel)) {
    fail('notEnoughTrust', 'Too few of the trusted validators signed this header to skip to it.');
  }
  // Every signature of the certificate, the trusted signers' included, is checked here: a signer
  // outside the new set is refused, so the power counted above is only ever verified power.
  await checkOwnCommit(untrusted, options.verifier);
  return untrusted;
}

/** Source of light blocks by height (a peer, a store); the orchestrator owns retries. */
export type LightBlockSource = (height: number) => Promise<LightBlock>;

/**
 * The default bound on fetches for one `verifyToTarget` over `range` heights. With the stack
 * below, each height is fetched at most once, so an honest chain needs none while trust carries
 * across its set changes, and about log2(range) for each change where it runs out; twice that
 * and a few more covers two such changes in one call. Past it, BisectionLimitError hands back
 * the progress made, so an honest but long sync goes on from there.
 */
export function defaultMaxFetches(range: number): number {
  return 2 * Math.ceil(Math.log2(Math.max(range, 1) + 1)) + 8;
}

/** Bisection asked for more light blocks than allowed; what was verified so far still holds. */
export class BisectionLimitError extends FreeholdError {
  override name = 'BisectionLimitError' as const;
  readonly fetches: number;
  /** The highest block verified before the limit: a valid new trusted block. */
  readonly verified: TrustedBlock;
  constructor(fetches: number, verified: TrustedBlock, target: number) {
    super('Verifying the header took more steps than allowed.', {
      details: `${fetches} light blocks fetched, verified up to ${verified.header.height} of ${target}`,
    });
    this.fetches = fetches;
    this.verified = verified;
  }
}

export interface VerifyToTargetOptions extends VerifyOptions {
  /** Most light blocks to fetch; by default `defaultMaxFetches` of the range. */
  maxFetches?: number;
}

/**
 * Verifies `target` from `trusted`, skipping where trust allows and bisecting where it does not
 * (CometBFT light client spec, "bisection"). Returns the trusted block at the target height.
 * Every fetched block must be at the height asked (LightClientError `wrongHeight`), and at most
 * `maxFetches` are fetched (BisectionLimitError): a lying source cannot keep the client asking.
 */
export async function verifyToTarget(
  trusted: TrustedBlock,
  target: LightBlock,
  fetch: LightBlockSource,
  options: VerifyToTargetOptions = {},
): Promise<TrustedBlock> {
  const targetHeight = target.header.height;
  const maxFetches = options.maxFetches ?? defaultMaxFetches(targetHeight - trusted.header.height);
  let fetches = 0;
  let current = trusted;
  // A stack of blocks still to reach: the target, and pivots pushed on top of it. Heights fall
  // from bottom to top and every pivot lies strictly between `current` and the top, so no height
  // is asked for twice.
  const pending: LightBlock[] = [target];
  while (pending.length > 0) {
    const next = pending[pending.length - 1]!;
    try {
      current = await verifyNonAdjacent(current, next, options);
      pending.pop();
    } catch (error) {
      if (!(error instanceof LightClientError) || error.problem !== 'notEnoughTrust') throw error;
      const pivot = Math.floor((current.header.height + next.header.height) / 2);
      if (pivot <= current.header.height) throw error;
      if (fetches >= maxFetches) throw new BisectionLimitError(fetches, current, targetHeight);
      fetches++;
      const block = await fetch(pivot);
      if (block.header.height !== pivot) {
        throw new LightClientError(
          'wrongHeight',
          `Asked for the light block at height ${pivot}, got one at height ${block.header.height}.`,
        );
      }
      pending.push(block);
    }
  }
  return current;
}

/**
 * Verifies headers older than a trusted one by hash links alone: each older header's hash must
 * be the previous hash of the header after it. `older` is in descending height order.
 */
export function verifyBackwards(
  trusted: BlockHeader,
  older: readonly BlockHeader[],
): BlockHeader[] {
  let after = trusted;
  for (const h of older) {
    if (!equalBytes(h.chainId, trusted.chainId))
      fail('wrongChain', 'The header belongs to another chain.');
    if (h.height !== after.height - 1)
      fail('notAdjacent', 'Older headers must come one height at a time.');
    if (!equalBytes(blockHashOf(h), after.previousHash))
      fail('brokenLink', 'The header is not the one its successor links to.');
    after = h;
  }
  return [...older];
}
