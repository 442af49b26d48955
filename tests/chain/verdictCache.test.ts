// The mempool's verdict cache (pure, in memory): one check per transaction, never a stale verdict.
import { describe, expect, it } from 'vitest';
import { createVerdictCache } from '../../src/chain/createVerdictCache';
import { nobleVerifier, type BatchVerifier } from '../../src/crypto/ed25519';
import { TestChain, testGenesis, testKey } from '../helpers/chainFixture';

const [alice, bob] = [testKey('cache-alice'), testKey('cache-bob')];

describe('verdict cache', () => {
  it('verifies each transaction once, and a changed transaction afresh', async () => {
    const chain = new TestChain(testGenesis([alice]), alice);
    const good = chain.tx(alice, {
      kind: 'transfer',
      asset: 'COIN',
      to: bob.publicKey,
      amount: 5n,
    });
    const forged = {
      ...good,
      tx: { ...good.tx, body: { ...good.tx.body, amount: 500n } },
    } as typeof good;
    let checked = 0;
    const counting: BatchVerifier = {
      name: 'counting',
      verifyBatch: (items) => {
        checked += items.length;
        return nobleVerifier.verifyBatch(items);
      },
    };
    const cache = createVerdictCache();
    expect(await cache.admit([good, forged], counting)).toEqual([true, false]);
    expect(await cache.admit([good, forged], counting)).toEqual([true, false]);
    expect(checked).toBe(2);
    expect(cache.verifySignature(good)).toBe(true);
    expect(cache.verifySignature(forged)).toBe(false);
    const other = chain.tx(alice, {
      kind: 'transfer',
      asset: 'COIN',
      to: bob.publicKey,
      amount: 6n,
    });
    expect(cache.verifySignature(other)).toBe(true); // a stranger is checked on the spot
    expect(cache.size).toBe(3);
  });

  it('keeps at most its limit of verdicts, dropping the oldest', async () => {
    const chain = new TestChain(testGenesis([alice]), alice);
    const txs = [1n, 2n, 3n].map((amount) =>
      chain.tx(alice, { kind: 'transfer', asset: 'COIN', to: bob.publicKey, amount }),
    );
    // A verifier that refuses everything: a verdict taken from the cache is then visibly false.
    const refusing: BatchVerifier = {
      name: 'refusing',
      verifyBatch: (items) => Promise.resolve(items.map(() => false)),
    };
    const cache = createVerdictCache(2);
    expect(await cache.admit(txs, refusing)).toEqual([false, false, false]);
    expect(cache.size).toBe(2);
    // The first was dropped: it is checked afresh (and is good); the last is still cached.
    expect(cache.verifySignature(txs[0]!)).toBe(true);
    expect(cache.verifySignature(txs[2]!)).toBe(false);
  });
});
