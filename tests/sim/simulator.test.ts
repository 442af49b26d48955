// What the simulator itself must show (in-memory network, seeded virtual clock).
import { describe, expect, it } from 'vitest';
import { CALM_NETWORK, optionsForSeed, simulate } from './simulate';

const calm = CALM_NETWORK;

describe('simulator (in-memory network)', () => {
  it('replays a seed exactly', async () => {
    const a = await simulate(optionsForSeed(7));
    const b = await simulate(optionsForSeed(7));
    expect(b).toEqual(a);
  });

  it('a validator added by governance in block H signs from H + 2 on', async () => {
    const result = await simulate(
      optionsForSeed(1, {
        ...calm,
        transactions: 0,
        validators: 4,
        governanceAdd: true,
        blocksAfterHeal: 8,
      }),
    );
    expect(result.violations).toEqual([]);
    expect(result.proposalPassedAt).not.toBeNull();
    expect(result.newValidatorFirstSigned).not.toBeNull();
    // It cannot sign before H + 2; with a calm network its precommit makes the H + 2 certificate.
    expect(result.newValidatorFirstSigned).toBeGreaterThanOrEqual(result.proposalPassedAt! + 2);
    expect(result.newValidatorFirstSigned).toBeLessThanOrEqual(result.proposalPassedAt! + 3);
  });
});
