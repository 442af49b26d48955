/**
 * @module checkTrustingPeriod — how long a verified header may vouch for newer ones, and how far
 * ahead of the caller's clock a header may be (CometBFT light client spec, "trusting period" and
 * "clock drift"). Pure: the caller passes its clock as `now`.
 */
import { FreeholdError } from '../FreeholdError';
import type { BlockHeader } from '../chain/block';
import { LightClientError } from './LightClientError';

/**
 * Two weeks. CometBFT takes 2/3 of the unbonding period, while a fork's signers can still be
 * slashed; Freehold has no bonds, validator sets change by governance. What the period bounds
 * here is how long a retired set still matters: a client whose trusted header predates a set's
 * removal follows that set's signatures until the header expires, so a retired device's key must
 * stay safe (or be wiped) this long after its removal. Two weeks is a rule a household can keep,
 * and a wallet opened weekly, or after a holiday, still resumes without a new checkpoint.
 */
export const DEFAULT_TRUSTING_PERIOD_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Ten minutes. A block's time is its proposer's clock, and Freehold's devices may run for
 * months on a LAN with no time server (a clock crystal drifts about a minute a month); ten
 * minutes covers that and a clock set by hand, and extends a two-week trust by 0.05%.
 * DIFF FROM SPEC: CometBFT's light client defaults to 10 s, for validators on NTP.
 */
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 10 * 60 * 1000;

export interface TrustOptions {
  /**
   * The caller's clock, ms since the Unix epoch. Without it neither rule below is checked.
   * DIFF FROM SPEC: optional only until every caller passes its clock.
   */
  now?: number;
  /** How long after its time a trusted header may vouch for newer ones. */
  trustingPeriodMs?: number;
  /** How far a header's time may be ahead of `now`. */
  maxClockDriftMs?: number;
}

/** The trusted header is too old to vouch for anything: the client needs a fresh trust root. */
export class ExpiredTrustError extends FreeholdError {
  override name = 'ExpiredTrustError' as const;
  readonly trustedHeight: number;
  /** When the trust ran out, ms since the Unix epoch. */
  readonly expiredAt: number;
  constructor(trustedHeight: number, expiredAt: number) {
    super('The trusted header is too old to verify newer ones; a recent checkpoint is needed.', {
      details: `expired trust: height ${trustedHeight}, trusted until ${new Date(expiredAt).toISOString()}`,
    });
    this.trustedHeight = trustedHeight;
    this.expiredAt = expiredAt;
  }
}

function readNow(options: TrustOptions): number | undefined {
  const { now } = options;
  if (now !== undefined && !Number.isSafeInteger(now)) {
    // A NaN clock would pass every comparison below and switch both rules off unseen.
    throw new RangeError('now must be a time in ms since the Unix epoch.');
  }
  return now;
}

/** Throws ExpiredTrustError when `trusted` is at least the trusting period old at `now`. */
export function checkNotExpired(trusted: BlockHeader, options: TrustOptions): void {
  const now = readNow(options);
  if (now === undefined) return;
  const expiredAt = trusted.time + (options.trustingPeriodMs ?? DEFAULT_TRUSTING_PERIOD_MS);
  if (now >= expiredAt) throw new ExpiredTrustError(trusted.height, expiredAt);
}

/** Refuses a header dated later than `now` plus the allowed drift: its trust would outlive the period. */
export function checkNotFromFuture(header: BlockHeader, options: TrustOptions): void {
  const now = readNow(options);
  if (now === undefined) return;
  const latest = now + (options.maxClockDriftMs ?? DEFAULT_MAX_CLOCK_DRIFT_MS);
  if (header.time > latest) {
    throw new LightClientError('fromFuture', 'The header is dated later than this clock allows.', {
      details: `height ${header.height}: time ${header.time}, latest allowed ${latest}`,
    });
  }
}

/** Both rules for one verification step: `trusted` still vouches, `untrusted` is not ahead. */
export function checkTrustingPeriod(
  trusted: BlockHeader,
  untrusted: BlockHeader,
  options: TrustOptions,
): void {
  checkNotExpired(trusted, options);
  checkNotFromFuture(untrusted, options);
}
