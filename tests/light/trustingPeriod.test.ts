// The trusting period: each case is valid in every way but the one rule it breaks.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_CLOCK_DRIFT_MS,
  DEFAULT_TRUSTING_PERIOD_MS,
} from '../../src/light/checkTrustingPeriod';
import {
  verifyAdjacent,
  verifyNonAdjacent,
  verifyToTarget,
} from '../../src/light/verifyLightBlock';
import { lazy } from '../helpers/lazy';
import { at, problemOf, rotatingChain } from './rotatingChain';

const HOUR = 60 * 60 * 1000;

describe('trusting period (A12)', () => {
  const chain = rotatingChain();
  const first = lazy(() => at(chain, 1));
  const fetch = (h: number) => Promise.resolve(at(chain, h));

  it('A12: a trusted block older than the trusting period cannot be used to skip', async () => {
    const trustingPeriodMs = 24 * HOUR;
    const expiry = first.header.time + trustingPeriodMs;
    const skip = (now: number) => verifyNonAdjacent(first, at(chain, 5), { now, trustingPeriodMs });
    expect(await problemOf(skip(expiry - 1))).toBe('accepted');
    expect(await problemOf(skip(expiry))).toBe('ExpiredTrustError');
    await expect(skip(expiry)).rejects.toMatchObject({
      trustedHeight: 1,
      expiredAt: expiry,
      details: expect.stringContaining('expired trust') as unknown,
    });
    // Nor through bisection, which starts from the same trusted block.
    const bisect = verifyToTarget(first, at(chain, 10), fetch, { now: expiry, trustingPeriodMs });
    expect(await problemOf(bisect)).toBe('ExpiredTrustError');
  });

  it('A12: an expired trusted block cannot vouch for the next header either', async () => {
    const trustingPeriodMs = 24 * HOUR;
    const step = (now: number) => verifyAdjacent(first, at(chain, 2), { now, trustingPeriodMs });
    expect(await problemOf(step(first.header.time + trustingPeriodMs - 1))).toBe('accepted');
    expect(await problemOf(step(first.header.time + trustingPeriodMs))).toBe('ExpiredTrustError');
  });

  it('A12: by default a trusted block vouches for two weeks', async () => {
    expect(DEFAULT_TRUSTING_PERIOD_MS).toBe(14 * 24 * HOUR);
    const skip = (now: number) => verifyNonAdjacent(first, at(chain, 5), { now });
    expect(await problemOf(skip(first.header.time + DEFAULT_TRUSTING_PERIOD_MS - 1))).toBe(
      'accepted',
    );
    expect(await problemOf(skip(first.header.time + DEFAULT_TRUSTING_PERIOD_MS))).toBe(
      'ExpiredTrustError',
    );
  });

  it('A12: a header later than now plus the allowed clock drift is refused', async () => {
    const maxClockDriftMs = 5000;
    const target = at(chain, 5);
    // The trusted block is 4 s older than the target: well within its trusting period.
    const skip = (now: number) => verifyNonAdjacent(first, target, { now, maxClockDriftMs });
    expect(await problemOf(skip(target.header.time - maxClockDriftMs))).toBe('accepted');
    expect(await problemOf(skip(target.header.time - maxClockDriftMs - 1))).toBe('fromFuture');
    const step = verifyAdjacent(first, at(chain, 2), {
      now: at(chain, 2).header.time - maxClockDriftMs - 1,
      maxClockDriftMs,
    });
    await expect(step).rejects.toMatchObject({ name: 'LightClientError', problem: 'fromFuture' });
  });

  it('A12: by default a header may be ten minutes ahead of the clock', async () => {
    expect(DEFAULT_MAX_CLOCK_DRIFT_MS).toBe(10 * 60 * 1000);
    const target = at(chain, 5);
    const skip = (now: number) => verifyNonAdjacent(first, target, { now });
    expect(await problemOf(skip(target.header.time - DEFAULT_MAX_CLOCK_DRIFT_MS))).toBe('accepted');
    expect(await problemOf(skip(target.header.time - DEFAULT_MAX_CLOCK_DRIFT_MS - 1))).toBe(
      'fromFuture',
    );
  });

  it('A12: bisection checks each step against the clock, the target included', async () => {
    // Trust from height 1 is fresh, but the target is dated past the clock's drift.
    const now = at(chain, 10).header.time - DEFAULT_MAX_CLOCK_DRIFT_MS - 1;
    const run = verifyToTarget(first, at(chain, 10), fetch, { now });
    expect(await problemOf(run)).toBe('fromFuture');
    const verified = await verifyToTarget(first, at(chain, 10), fetch, { now: now + 1 });
    expect(verified.header.height).toBe(10);
  });
});
