// A trust root from an invite's checkpoint: the named block, certified, within the trusting period.
import { describe, expect, it } from 'vitest';
import { blockHashOf } from '../../src/chain/block';
import { trustFromCheckpoint } from '../../src/light/trustFromCheckpoint';
import { verifyToTarget } from '../../src/light/verifyLightBlock';
import { lazy } from '../helpers/lazy';
import { at, problemOf, rotatingChain } from './rotatingChain';

describe('trust from a checkpoint (A12)', () => {
  const chain = rotatingChain();
  const block = lazy(() => at(chain, 5));
  const checkpoint = lazy(() => ({ height: 5, hash: blockHashOf(block.header) }));
  const now = (): number => at(chain, 10).header.time;

  it('A12: the checkpoint block becomes the trust root, and sync goes on from it', async () => {
    const trusted = await trustFromCheckpoint(block, checkpoint, chain.chainId, { now: now() });
    expect(trusted.header.height).toBe(5);
    const head = await verifyToTarget(
      trusted,
      at(chain, 10),
      (h) => Promise.resolve(at(chain, h)),
      { now: now() },
    );
    expect(head.header.height).toBe(10);
  });

  it('A12: a certified block other than the one the checkpoint names is refused', async () => {
    // The same set certifies a different block at height 5: valid but for its hash.
    const header = { ...block.header, time: block.header.time + 1 };
    const fork = { ...block, header, commit: chain.certify(header, block.validators) };
    expect(
      await problemOf(trustFromCheckpoint(fork, checkpoint, chain.chainId, { now: now() })),
    ).toBe('notCheckpoint');
    expect(
      await problemOf(
        trustFromCheckpoint(fork, { height: 5, hash: blockHashOf(header) }, chain.chainId, {
          now: now(),
        }),
      ),
    ).toBe('accepted');
  });

  it('A12: a block at another height, or of another chain, is refused', async () => {
    expect(await problemOf(trustFromCheckpoint(at(chain, 6), checkpoint, chain.chainId))).toBe(
      'wrongHeight',
    );
    expect(await problemOf(trustFromCheckpoint(block, checkpoint, new Uint8Array(32)))).toBe(
      'wrongChain',
    );
  });

  it('A12: a checkpoint whose certificate does not hold is refused', async () => {
    const unsigned = { ...block, commit: { ...block.commit, signatures: [] } };
    expect(await problemOf(trustFromCheckpoint(unsigned, checkpoint, chain.chainId))).toBe(
      'invalidCommit',
    );
  });

  it('A12: a checkpoint older than the trusting period is refused as expired trust', async () => {
    const trustingPeriodMs = 60_000;
    const expiry = block.header.time + trustingPeriodMs;
    const trust = (at: number) =>
      trustFromCheckpoint(block, checkpoint, chain.chainId, { now: at, trustingPeriodMs });
    expect(await problemOf(trust(expiry - 1))).toBe('accepted');
    expect(await problemOf(trust(expiry))).toBe('ExpiredTrustError');
  });
});
