// Signed address records: only a record its own peer signed, with a few addresses of that peer,
// is opened; everything else is a PeerRecordError.
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record';
import { multiaddr } from '@multiformats/multiaddr';
import { describe, expect, it } from 'vitest';
import { openPeerRecord, sealPeerRecord } from '../../src/net/peerRecords';

const tcp = (port: number) => multiaddr(`/ip4/192.168.1.20/tcp/${port}`);

describe('peer records', () => {
  it('A10: opens a record its peer signed, every address ending in that peer', async () => {
    const key = await generateKeyPair('Ed25519');
    const peer = peerIdFromPrivateKey(key).toString();
    const data = await sealPeerRecord(
      key,
      [tcp(4001), multiaddr(`/ip4/10.0.0.2/tcp/4002/ws/p2p/${peer}`)],
      7n,
    );
    const record = await openPeerRecord(data, 8);
    expect(record.peer).toBe(peer);
    expect(record.seq).toBe(7n);
    expect(record.addresses.map((a) => a.toString())).toEqual([
      `/ip4/192.168.1.20/tcp/4001/p2p/${peer}`,
      `/ip4/10.0.0.2/tcp/4002/ws/p2p/${peer}`,
    ]);
  });

  it('A10: refuses a record that names a peer other than its signer', async () => {
    const signer = await generateKeyPair('Ed25519');
    const victim = peerIdFromPrivateKey(await generateKeyPair('Ed25519'));
    const record = new PeerRecord({ peerId: victim, multiaddrs: [tcp(4001)], seqNumber: 1n });
    const data = (await RecordEnvelope.seal(record, signer)).marshal();
    await expect(openPeerRecord(data, 8)).rejects.toMatchObject({ name: 'PeerRecordError' });
  });

  it('A10: refuses a record whose signature does not cover its contents', async () => {
    const key = await generateKeyPair('Ed25519');
    const peerId = peerIdFromPrivateKey(key);
    const signed = await RecordEnvelope.seal(
      new PeerRecord({ peerId, multiaddrs: [tcp(4001)], seqNumber: 1n }),
      key,
    );
    const swapped = new RecordEnvelope({
      publicKey: signed.publicKey,
      payloadType: signed.payloadType,
      payload: new PeerRecord({ peerId, multiaddrs: [tcp(6666)], seqNumber: 1n }).marshal(),
      signature: signed.signature,
    });
    await expect(openPeerRecord(swapped.marshal(), 8)).rejects.toMatchObject({
      name: 'PeerRecordError',
      shortMessage: 'An address record has a wrong signature.',
    });
    await expect(openPeerRecord(new Uint8Array([1, 2, 3]), 8)).rejects.toMatchObject({
      name: 'PeerRecordError',
    });
  });

  it('A10: refuses a record with too many addresses, or an address of another peer', async () => {
    const key = await generateKeyPair('Ed25519');
    const many = Array.from({ length: 9 }, (_, i) => tcp(4000 + i));
    await expect(openPeerRecord(await sealPeerRecord(key, many, 1n), 8)).rejects.toMatchObject({
      name: 'PeerRecordError',
    });
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString();
    const theirs = multiaddr(`/ip4/192.168.1.30/tcp/4001/p2p/${other}`);
    await expect(openPeerRecord(await sealPeerRecord(key, [theirs], 1n), 8)).rejects.toMatchObject({
      name: 'PeerRecordError',
    });
  });
});
