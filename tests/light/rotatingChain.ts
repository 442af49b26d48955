// The light client's test chain: four validators, three added at height 4, three removed at 8.
import { LightClientError, type LightBlock } from '../../src/light/verifyLightBlock';
import { TestChain, testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { lazy } from '../helpers/lazy';

export const [a, b, c, d, e, f, g] = 'abcdefg'.split('').map((n) => testKey(`light-${n}`)) as [
  TestKey,
  TestKey,
  TestKey,
  TestKey,
  TestKey,
  TestKey,
  TestKey,
];

/**
 * The `problem` of the LightClientError a verification throws, else the error's `name` (another
 * class with a `problem`, such as InvalidCommitError, is named, not taken for the light
 * client's verdict), or 'accepted'.
 */
export async function problemOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (error) {
    return error instanceof LightClientError ? error.problem : (error as Error).name;
  }
  return 'accepted';
}

/**
 * Genesis {a,b,c,d}; e,f,g added (effective at 4), then a,b,c removed (effective at 8); 10 blocks.
 * Built when a test first reads it (see lazy.ts).
 */
export function rotatingChain(): TestChain {
  return lazy(buildRotatingChain);
}

function buildRotatingChain(): TestChain {
  const chain = new TestChain(testGenesis([a, b, c, d], { governance: { votingPeriod: 1 } }), d, [
    a,
    b,
    c,
    d,
    e,
    f,
    g,
  ]);
  const add = (k: TestKey) => ({
    type: 'addValidator' as const,
    publicKey: k.publicKey,
    power: 1,
    name: '',
  });
  const remove = (k: TestKey) => ({ type: 'removeValidator' as const, publicKey: k.publicKey });
  chain.commit(
    [e, f, g].map((k) => chain.tx(a, { kind: 'propose', title: 'Add', action: add(k) })),
  ); // 1
  chain.commit(
    [a, b, c].flatMap((v) =>
      [1, 2, 3].map((id) => chain.tx(v, { kind: 'vote', proposalId: id, choice: 'yes' })),
    ),
  ); // 2
  chain.commit(); // 3
  chain.commit(); // 4: e, f, g sign from here
  chain.commit(
    [a, b, c].map((k) => chain.tx(d, { kind: 'propose', title: 'Remove', action: remove(k) })),
  ); // 5
  chain.commit(
    [d, e, f, g].flatMap((v) =>
      [4, 5, 6].map((id) => chain.tx(v, { kind: 'vote', proposalId: id, choice: 'yes' })),
    ),
  ); // 6
  chain.commit(); // 7
  chain.commit(); // 8: only d, e, f, g from here
  chain.commit(); // 9
  chain.commit(); // 10
  return chain;
}

export const at = (chain: TestChain, height: number): LightBlock => chain.lightBlocks[height - 1]!;
