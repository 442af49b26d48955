// What a validator's mempool takes from gossip (real libp2p on loopback, in-memory store): a
// transfer its sender cannot pay, or one that follows nothing the sender has pending, is not
// held (nor forwarded), without blaming the peer that relayed it; a good one goes through.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeTransaction, signTransaction } from '../../src/chain/transaction';
import { nobleVerifier, sign } from '../../src/crypto/ed25519';
import type { Network } from '../../src/net/Network';
import { createNode, type FreeholdNode } from '../../src/node/createNode';
import { topicOf } from '../../src/node/topics';
import { createMemoryChainStore } from '../../src/store/createMemoryChainStore';
import { testGenesis, testKey, type TestKey } from '../helpers/chainFixture';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

describe('mempool admission from gossip (real libp2p on loopback, in-memory store)', () => {
  let node: FreeholdNode | undefined;
  let peer: Network | undefined;
  afterEach(async () => {
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
});
