// Address exchange (real libp2p on loopback, this process): two peers that only know a third
// find each other through its gossip and connect directly; bare relayed addresses are never
// announced; announcements that are not a fresh record signed by their own peer cost the peer
// that sends them.
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record';
import { multiaddr } from '@multiformats/multiaddr';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '../../src/codec/cbor';
import { ADDRESS_TOPIC, isDirectAddress } from '../../src/net/addressExchange';
import { sealPeerRecord } from '../../src/net/peerRecords';
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

  /** A hub, and a peer connected to it that sends whatever a test gives it on the topic. */
  async function hubAndSender(): Promise<{ hub: Network; sender: Network }> {
    const hub = await loopbackNetwork();
    const sender = await loopbackNetwork();
    networks.push(hub, sender);
    await sender.dial(hub.addresses()[0]!);
    await expect.poll(() => sender.topicPeers(ADDRESS_TOPIC)).toContain(hub.peerId);
    return { hub, sender };
  }

  it('A10: an unsigned announcement is rejected and costs its sender (loopback libp2p)', async () => {
    const { hub, sender } = await hubAndSender();
    const victim = '/ip4/127.0.0.1/tcp/9/p2p/' + sender.peerId;
    await sender.publish(ADDRESS_TOPIC, encode({ peer: sender.peerId, addresses: [victim] }));
    await expect.poll(() => hub.standing(sender.peerId).points).toBeGreaterThan(0);
  });

  it('A10: a record signed for another peer id is rejected and costs its sender (loopback libp2p)', async () => {
    const { hub, sender } = await hubAndSender();
    const signer = await generateKeyPair('Ed25519');
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const record = new PeerRecord({
      peerId: other,
      multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/9')],
      seqNumber: 1n,
    });
    await sender.publish(ADDRESS_TOPIC, (await RecordEnvelope.seal(record, signer)).marshal());
    await expect.poll(() => hub.standing(sender.peerId).points).toBeGreaterThan(0);
  });

  it('A10: a record older than one already taken is not acted on, and costs no one (loopback libp2p)', async () => {
    const { hub, sender } = await hubAndSender();
    const key = await generateKeyPair('Ed25519');
    const target = await loopbackNetwork([], { privateKey: privateKeyToProtobuf(key) });
    networks.push(target);
    const addresses = target.addresses().map((a) => multiaddr(a));
    // A fresh record of the target's, passed on by the sender: the hub takes it and dials.
    await sender.publish(ADDRESS_TOPIC, await sealPeerRecord(key, addresses, 2n));
    await expect.poll(() => hub.connectedPeers()).toContain(target.peerId);
    // An older one (a replay, or the target's clock set back): left alone. A later record of
    // another peer, sent after it, shows the hub has handled it.
    await sender.publish(ADDRESS_TOPIC, await sealPeerRecord(key, addresses, 1n));
    const markerKey = await generateKeyPair('Ed25519');
    const marker = await loopbackNetwork([], { privateKey: privateKeyToProtobuf(markerKey) });
    networks.push(marker);
    const markerAddresses = marker.addresses().map((a) => multiaddr(a));
    await sender.publish(ADDRESS_TOPIC, await sealPeerRecord(markerKey, markerAddresses, 1n));
    await expect.poll(() => hub.connectedPeers()).toContain(marker.peerId);
    expect(hub.standing(sender.peerId).points).toBe(0);
  });
});
