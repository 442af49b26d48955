// Offline as the platform reports it (real libp2p on loopback, this process): while a network is
// told the device is offline it holds no connection, makes none and accepts none; back online it
// dials the addresses it keeps at once.
import { afterEach, describe, expect, it } from 'vitest';
import type { Network } from '../../src/net/Network';
import { loopbackNetwork } from '../helpers/loopbackNetwork';

async function until(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('offline switch (real libp2p on loopback)', () => {
  const networks: Network[] = [];
  afterEach(async () => {
    for (const n of networks.splice(0)) await n.stop();
  });

  it('drops every connection while offline, refuses new ones, and redials when back', async () => {
    const peer = await loopbackNetwork();
    const device = await loopbackNetwork();
    networks.push(peer, device);
    const address = peer.addresses().find((a) => a.includes('/p2p/'))!;
    device.keepDialling(address);
    await until('the first connection', () => device.connectedPeers().includes(peer.peerId));

    device.setOffline(true);
    expect(device.connectedPeers()).toEqual([]);
    await until('the peer to see the hang-up', () => peer.connectedPeers().length === 0);
    await expect(device.dial(address)).rejects.toMatchObject({ name: 'NetworkError' });
    // The peer cannot reach in either, and the kept address is not redialled meanwhile.
    await expect(peer.dial(device.addresses()[0]!)).rejects.toMatchObject({ name: 'NetworkError' });
    await new Promise((r) => setTimeout(r, 3500));
    expect(device.connectedPeers()).toEqual([]);

    device.setOffline(false);
    await until('the redial', () => device.connectedPeers().includes(peer.peerId), 5_000);
  });
});
