// Shared by the simulator's test files: run a range of seeds and report violations with replays.
import { expect } from 'vitest';
import { optionsForSeed, simulate, type SimOptions } from './simulate';

export async function expectSeedsHold(
  from: number,
  to: number,
  overrides: Partial<SimOptions> = {},
): Promise<number> {
  const failures: string[] = [];
  let committed = 0;
  for (let seed = from; seed <= to; seed++) {
    const result = await simulate(optionsForSeed(seed, overrides));
    committed += result.committedBlocks;
    for (const v of result.violations)
      failures.push(`seed ${seed}: ${v} (replay: npm run sim -- --seed ${seed})`);
  }
  expect(failures).toEqual([]);
  return committed;
}
