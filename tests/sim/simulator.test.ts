// What the simulator itself must show (in-memory network, seeded virtual clock).
import { describe, expect, it } from 'vitest';
import { CALM_NETWORK, optionsForSeed, simulate } from './simulate';
import { ignoreLockRule } from './variants';

const calm = CALM_NETWORK;

describe('simulator (in-memory network)', () => {
  it('replays a seed exactly', async () => {
    const a = await simulate(optionsForSeed(7));
    const b = await simulate(optionsForSeed(7));
    expect(b).toEqual(a);
  });

  it('catches an engine without the lock rule within 200 seeds', async () => {
    // The seeds' own fault mix, as `npm run sim -- --variant no-lock` runs it; stops at the first
    // seed where two honest nodes commit different blocks at one height.
    let caughtAt: number | null = null;
    for (let seed = 1; seed <= 200 && caughtAt === null; seed++) {
      const result = await simulate(optionsForSeed(seed, { prevoteRule: ignoreLockRule }));
      if (result.violations.some((v) => v.startsWith('agreement:'))) caughtAt = seed;
    }
    expect(caughtAt).not.toBeNull();
    expect(caughtAt).toBeLessThanOrEqual(200);
  }, 600_000);

  it("an equivocator's double votes end up as evidence in committed blocks", async () => {
    const result = await simulate(
      optionsForSeed(3, {
        ...calm,
        validators: 4,
        byzantine: ['equivocate'],
        transactions: 0,
        blocksAfterHeal: 6,
      }),
    );
    expect(result.violations).toEqual([]);
    expect(result.evidenceRecorded).toBeGreaterThan(0);
    expect(result.evidenceCommitted).toBeGreaterThan(0);
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
