// Address exchange (real libp2p on loopback, this process): two peers that only know a third
// find each other through its gossip and connect directly; bare relayed addresses are never
// announced.
import { afterEach, describe, expect, it } from 'vitest';
import { isDirectAddress } from '../../src/net/addressExchange';
import type { Network } from '../../src/net/Network';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

describe('address exchange (real libp2p on loopback)', () => {
  const networks: Network[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
  });

  it('connects two peers that only know a third', async () => {
    const hub = await loopbackNetwork();
    const a = await loopbackNetwork([hub.addresses()[0]!]);
    const b = await loopbackNetwork([hub.addresses()[0]!]);
    networks.push(hub, a, b);
    const deadline = Date.now() + 30_000;
    while (!a.connectedPeers().includes(b.peerId) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(a.connectedPeers()).toContain(b.peerId);
    expect(a.links().find((l) => l.peer === b.peerId)?.transport).toBe('tcp');
  });

  it('announces direct addresses only', () => {
    const relay = '/ip4/10.0.0.1/tcp/4002/ws/p2p/12D3KooWRelay';
    expect(isDirectAddress('/ip4/10.0.0.2/tcp/4001/p2p/12D3KooWPeer')).toBe(true);
    expect(isDirectAddress(`${relay}/p2p-circuit/webrtc/p2p/12D3KooWPeer`)).toBe(true);
    expect(isDirectAddress(`${relay}/p2p-circuit/p2p/12D3KooWPeer`)).toBe(false);
  });
});
