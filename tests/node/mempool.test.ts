// What a validator's mempool takes from gossip (real libp2p on loopback, in-memory store): a
// transfer its sender cannot pay, or one that follows nothing the sender has pending, is not
// held (nor forwarded), without blaming the peer that relayed it; a good one goes through.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTransaction, signTransaction, type TxBody } from '../../src/chain/transaction';
import { equalBytes } from '../../src/crypto/bytes';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import type { Network } from '../../src/net/Network';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { DEFAULT_MEMPOOL_LIMITS } from '../../src/node/mempool';
import { topicOf } from '../../src/node/topics';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

async function until(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('mempool admission from gossip (real libp2p on loopback, in-memory store)', () => {
  let node: FreeholdNode | undefined;
  let peer: Network | undefined;
  const others: Network[] = [];
  const relays: FreeholdNode[] = [];
  afterEach(async () => {
    for (const r of relays.splice(0)) await r.stop();
    for (const p of others.splice(0)) await p.stop();
    await peer?.stop();
    await node?.stop();
  });

  it('holds what can be paid or follows, and nothing else', async () => {
    const validator = testKey('mempool validator');
    const payer = testKey('mempool payer');
    const pauper = testKey('mempool pauper');
    const genesis = testGenesis([validator], {
      balances: [validator, payer].map((k) => ({
        account: k.publicKey,
        asset: 'COIN',
        amount: 1000n,
      })),
    });
    node = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork(),
      verifier: nobleVerifier,
      blockIntervalMs: 200,
    });
    const chain = await node.join(genesis, 'validator', {
      publicKey: validator.publicKey,
      sign: (m) => sign(m, validator.secretKey),
    });
    peer = await loopbackNetwork([node.network.addresses()[0]!]);
    const topic = topicOf(chain.chainId, 'tx');
    const deadline = Date.now() + 20_000;
    while (!peer.topicPeers(topic).includes(node.network.peerId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));

    const transfer = (from: TestKey, nonce: number, amount: bigint) =>
      encodeTransaction(
        signTransaction(
          {
            chainId: chain.chainId,
            sender: from.publicKey,
            nonce,
            body: { kind: 'transfer', asset: 'COIN', to: validator.publicKey, amount },
          },
          (m) => sign(m, from.secretKey),
        ),
      );
    await peer.publish(topic, transfer(pauper, 0, 5n)); // cannot pay
    await peer.publish(topic, transfer(payer, 3, 5n)); // follows nothing pending
    await peer.publish(topic, transfer(payer, 0, 7n)); // good
    await peer.publish(topic, transfer(payer, 1, 11n)); // follows the good one

    const until = Date.now() + 20_000;
    while (chain.balance(payer.publicKey, 'COIN') !== 1000n - 18n && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    expect(chain.balance(payer.publicKey, 'COIN')).toBe(1000n - 18n);
    expect(chain.nextNonce(payer.publicKey)).toBe(2);
    expect(chain.status().mempool).toBe(0);
    expect(chain.balance(pauper.publicKey, 'COIN')).toBe(0n);
    expect(node.network.standing(peer.peerId).points).toBe(0);
  });

  it('A2: a transaction that fails at block building is dropped, not kept for ever', async () => {
    const validator = testKey('mempool evict validator');
    const pauper = testKey('mempool evict pauper');
    const genesis = testGenesis([validator]);
    node = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork(),
      verifier: nobleVerifier,
      blockIntervalMs: 100,
    });
    const chain = await node.join(genesis, 'validator', {
      publicKey: validator.publicKey,
      sign: (m) => sign(m, validator.secretKey),
    });
    // Its own submission is held unchecked (it stays in the outbox either way); it cannot pay.
    await chain.send(
      { publicKey: pauper.publicKey, sign: (m) => sign(m, pauper.secretKey) },
      { kind: 'transfer', asset: 'COIN', to: validator.publicKey, amount: 5n },
    );
    expect(chain.status().mempool).toBe(1);
    const start = chain.status().height;
    await until(() => chain.status().height >= start + 3, 20_000);
    expect(chain.status().height).toBeGreaterThanOrEqual(start + 3);
    expect(chain.status().mempool).toBe(0);
  });

  it('A2: a flood of free transactions from fresh keys leaves a transfer final within a few blocks, the mempool bounded', async () => {
    const validator = testKey('flood validator');
    const payer = testKey('flood payer');
    const genesis = testGenesis([validator], {
      balances: [validator, payer].map((k) => ({
        account: k.publicKey,
        asset: 'COIN',
        amount: 1000n,
      })),
    });
    node = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork(),
      verifier: nobleVerifier,
      blockIntervalMs: 200,
    });
    const chain = await node.join(genesis, 'validator', {
      publicKey: validator.publicKey,
      sign: (m) => sign(m, validator.secretKey),
    });
    // The flooders reach the validator through a full node, as a household node relays for
    // phones; its free share is small so that a flood of 2000 is ten times what it holds.
    const limits = { ...DEFAULT_MEMPOOL_LIMITS, maxFree: 200, maxPerPeer: 150 };
    const relay = createNode({
      store: createMemoryChainStore(),
      network: await loopbackNetwork([node.network.addresses()[0]!]),
      verifier: nobleVerifier,
      mempoolLimits: limits,
    });
    relays.push(relay);
    const follower = await relay.join(genesis, 'full');
    let largest = 0;
    const sample = (): void => {
      largest = Math.max(largest, follower.status().mempool);
    };
    const topic = topicOf(chain.chainId, 'tx');
    const address = relay.network.addresses()[0]!;
    const flooders = [await loopbackNetwork([address]), await loopbackNetwork([address])];
    // An honest wallet reaches the validator directly: the flood is the relay's to bound.
    const honest = await loopbackNetwork([node.network.addresses()[0]!]);
    others.push(...flooders, honest);
    const [self, upstream] = [relay.network.peerId, node.network.peerId];
    await until(
      () =>
        flooders.every((f) => f.topicPeers(topic).includes(self)) &&
        honest.topicPeers(topic).includes(upstream) &&
        relay.network.topicPeers(topic).includes(upstream),
      20_000,
    );

    const signed = (from: TestKey, nonce: number, body: TxBody) =>
      encodeTransaction(
        signTransaction({ chainId: chain.chainId, sender: from.publicKey, nonce, body }, (m) =>
          sign(m, from.secretKey),
        ),
      );
    const junk = flooders.map((_, p) =>
      Array.from({ length: 1000 }, (_, i) =>
        signed(testKey(`flood junk ${p} ${i}`), 0, {
          kind: 'registerRecord',
          recordId: `junk-${p}-${i}`,
          contentHash: new Uint8Array(32),
          metadata: { note: 'x'.repeat(200) },
        }),
      ),
    );
    const sampler = setInterval(sample, 5);
    try {
      const flood = Promise.all(
        flooders.map(async (f, p) => {
          for (const bytes of junk[p]!) await f.publish(topic, bytes);
        }),
      );
      // The transfer is sent once the flood has filled the relay's free share.
      await until(() => follower.status().mempool >= limits.maxFree, 60_000);
      sample();
      expect(largest).toBeGreaterThanOrEqual(limits.maxFree);
      const sentAt = chain.status().height;
      await honest.publish(
        topic,
        signed(payer, 0, { kind: 'transfer', asset: 'COIN', to: validator.publicKey, amount: 7n }),
      );
      await until(() => chain.balance(payer.publicKey, 'COIN') === 993n, 60_000);
      expect(chain.balance(payer.publicKey, 'COIN')).toBe(993n);
      let included = 0;
      for (let h = sentAt + 1; h <= chain.status().height && !included; h++) {
        const block = await chain.block(h);
        if (block?.transactions.some((t) => equalBytes(t.tx.sender, payer.publicKey))) included = h;
      }
      // Final within a few blocks of being sent, with the free share full of junk.
      expect(included).toBeGreaterThan(sentAt);
      expect(included - sentAt).toBeLessThanOrEqual(3);
      await flood;
      sample();
    } finally {
      clearInterval(sampler);
    }
    // All the junk is free: the relay never held more than its share, plus the one transfer.
    expect(largest).toBeLessThanOrEqual(limits.maxFree + 1);
    expect(chain.status().mempool).toBeLessThanOrEqual(DEFAULT_MEMPOOL_LIMITS.maxFree + 1);
    expect(relay.network.standing(flooders[0]!.peerId).banned).toBe(false);
  }, 240_000);
});
