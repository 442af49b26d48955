// The gossip side of the libp2p adapter, two nodes over real libp2p on loopback (TCP, this
// process): payloads arrive as published, the same payload published again arrives again (a
// vote re-sent for a peer that missed it must not be dropped as already seen), and a message
// over the topic's cap is rejected before the handler sees it.
import { afterEach, describe, expect, it } from 'vitest';
import type { Network } from '../../src/net/Network';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

const TOPIC = '/freehold/test/gossip/1';

describe('gossip through the libp2p adapter (real libp2p on loopback)', () => {
  const networks: Network[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
  });

  async function pair(): Promise<{ a: Network; b: Network; got: Uint8Array[]; seen: number[] }> {
    const b = await loopbackNetwork();
    const a = await loopbackNetwork([b.addresses()[0]!]);
    networks.push(a, b);
    const got: Uint8Array[] = [];
    const seen: number[] = [];
    b.subscribe(TOPIC, {
      maxBytes: 64,
      validate: (data) => {
        seen.push(data.byteLength);
        return 'accept';
      },
      deliver: (data) => got.push(data.slice()),
    });
    a.subscribe(TOPIC, { maxBytes: 64, validate: () => 'accept', deliver: () => undefined });
    const deadline = Date.now() + 20_000;
    while (!a.topicPeers(TOPIC).includes(b.peerId)) {
      if (Date.now() > deadline) throw new Error('the peers never saw each other on the topic');
      await new Promise((r) => setTimeout(r, 50));
    }
    return { a, b, got, seen };
  }

  const until = async (ok: () => boolean): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  };

  it('delivers each publish, the same payload twice included, as published', async () => {
    const { a, got } = await pair();
    const vote = new Uint8Array([1, 2, 3, 4, 5]);
    await a.publish(TOPIC, vote);
    await a.publish(TOPIC, vote);
    await a.publish(TOPIC, new Uint8Array([9]));
    await until(() => got.length >= 3);
    expect(got.map((g) => [...g])).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [9]]);
  });

  it('rejects a message over the cap without showing it to the handler, and scores the sender', async () => {
    const { a, b, got, seen } = await pair();
    await a.publish(TOPIC, new Uint8Array(65));
    await a.publish(TOPIC, new Uint8Array([7]));
    await until(() => got.length >= 1);
    expect(got.map((g) => [...g])).toEqual([[7]]);
    expect(seen).toEqual([1]);
    expect(b.standing(a.peerId).points).toBeGreaterThan(0);
  });
});
