// Bisection against lying sources: every fetched block at the height asked, and a bound on fetches.
import { describe, expect, it } from 'vitest';
import {
  defaultMaxFetches,
  verifyToTarget,
  type LightBlock,
  type LightBlockSource,
} from '../../src/light/verifyLightBlock';
import { at, problemOf, rotatingChain } from './rotatingChain';

/** A source that records each height asked and gives up loudly if asked without end. */
function counting(answer: (height: number) => LightBlock): {
  fetch: LightBlockSource;
  asked: number[];
} {
  const asked: number[] = [];
  const fetch: LightBlockSource = (height) => {
    asked.push(height);
    if (asked.length > 1000) throw new Error('the client kept asking');
    return Promise.resolve(answer(height));
  };
  return { fetch, asked };
}

describe('bisection (A5)', () => {
  const chain = rotatingChain();
  // Trusting {a,b,c,d}, a two-thirds trust level takes two pivots to reach 10 ({d,e,f,g}).
  const strict = { trustLevel: { numerator: 2, denominator: 3 } };

  it('A5: a peer answering every pivot with the same far block is refused at once', async () => {
    const { fetch, asked } = counting(() => at(chain, 10));
    const run = verifyToTarget(at(chain, 1), at(chain, 10), fetch);
    await expect(run).rejects.toMatchObject({
      name: 'LightClientError',
      problem: 'wrongHeight',
      shortMessage: 'Asked for the light block at height 5, got one at height 10.',
    });
    expect(asked).toEqual([5]);
  });

  it('A5: a valid block at another height than asked is refused, naming both', async () => {
    // Height 6 would verify from 1 as well as 5 does: only the height check refuses it.
    const { fetch } = counting((h) => at(chain, h + 1));
    const error = verifyToTarget(at(chain, 1), at(chain, 10), fetch);
    await expect(error).rejects.toMatchObject({ name: 'LightClientError', problem: 'wrongHeight' });
    await expect(error).rejects.toThrow(
      'Asked for the light block at height 5, got one at height 6.',
    );
  });

  it('A5: bisection stops at its fetch limit with the progress made, and goes on from it', async () => {
    const honest = counting((h) => at(chain, h));
    const limited = verifyToTarget(at(chain, 1), at(chain, 10), honest.fetch, {
      ...strict,
      maxFetches: 1,
    });
    expect(await problemOf(limited)).toBe('BisectionLimitError');
    const error = (await limited.catch((e: unknown) => e)) as {
      fetches: number;
      verified: LightBlock;
    };
    expect(error.fetches).toBe(1);
    expect(error.verified.header.height).toBe(5);
    expect(honest.asked).toEqual([5]);
    const resumed = await verifyToTarget(error.verified, at(chain, 10), honest.fetch, strict);
    expect(resumed.header.height).toBe(10);
    expect(honest.asked).toEqual([5, 7]);
  });

  it('A5: the default limit grows with the range, about twice its log2', () => {
    expect(defaultMaxFetches(1)).toBe(10);
    expect(defaultMaxFetches(9)).toBe(16);
    expect(defaultMaxFetches(1_000_000_000)).toBe(68);
  });
});
