// The deterministic simulator (in-memory network, seeded virtual clock): seeds 1 to 100
// must hold agreement, validity, evidence and liveness. Split in two files so both cores run.
import { describe, it } from 'vitest';
import { expectSeedsHold } from './runSeeds';

describe('simulator (in-memory network), seeds 1–100', () => {
  for (let chunk = 0; chunk < 4; chunk++) {
    const from = 1 + chunk * 25;
    it(`seeds ${from}–${from + 24} keep every invariant`, async () => {
      await expectSeedsHold(from, from + 24);
    }, 600_000);
  }
});
