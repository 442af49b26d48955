/**
 * @module peerRecords — where a peer says it can be reached, signed by that peer: a libp2p peer
 * record (RFC 0003: peer id, addresses, sequence number) in a signed envelope (RFC 0002), sealed
 * with the node's own libp2p identity key. A record proves its addresses come from the peer they
 * name, so nobody can point the network's dials at addresses in another peer's name.
 */
import type { PrivateKey } from '@libp2p/interface';
import { peerIdFromPrivateKey, peerIdFromPublicKey } from '@libp2p/peer-id';
import { PeerRecord, RecordEnvelope } from '@libp2p/peer-record';
import type { Multiaddr } from '@multiformats/multiaddr';
import { FreeholdError } from '../FreeholdError';

/** A peer's address record that is malformed, badly signed, or not the signer's own. */
export class PeerRecordError extends FreeholdError {
  override name = 'PeerRecordError' as const;
}

export interface SignedAddresses {
  peer: string;
  /** Each ends in /p2p/<peer>, so a dial reaches that peer or fails. */
  addresses: Multiaddr[];
  /** Newer records have larger numbers (the signer's clock in ms). */
  seq: bigint;
}

/** This node's record: its own peer id, `addresses`, and `seq`, signed with its key. */
export async function sealPeerRecord(
  key: PrivateKey,
  addresses: Multiaddr[],
  seq: bigint,
): Promise<Uint8Array> {
  const record = new PeerRecord({
    peerId: peerIdFromPrivateKey(key),
    multiaddrs: addresses,
    seqNumber: seq,
  });
  return (await RecordEnvelope.seal(record, key)).marshal();
}

/**
 * Opens a record and checks it: an Ed25519 signer (cheap to verify, what every Freehold node
 * has), a good signature, the record naming its signer, at most `maxAddresses` addresses and none
 * of another peer. Throws PeerRecordError otherwise.
 */
export async function openPeerRecord(
  data: Uint8Array,
  maxAddresses: number,
): Promise<SignedAddresses> {
  let envelope: RecordEnvelope;
  let record: PeerRecord;
  try {
    envelope = RecordEnvelope.createFromProtobuf(data);
    if (envelope.publicKey.type !== 'Ed25519') throw new Error('not an Ed25519 key');
    if (!(await envelope.validate(PeerRecord.DOMAIN)))
      throw new PeerRecordError('An address record has a wrong signature.');
    record = PeerRecord.createFromProtobuf(envelope.payload);
  } catch (cause) {
    if (cause instanceof PeerRecordError) throw cause;
    throw new PeerRecordError('An address record is malformed.', { cause });
  }
  const signer = peerIdFromPublicKey(envelope.publicKey).toString();
  const peer = record.peerId.toString();
  if (peer !== signer) {
    throw new PeerRecordError('An address record names a peer other than its signer.', {
      details: `${peer} signed by ${signer}`,
    });
  }
  if (record.multiaddrs.length > maxAddresses) {
    throw new PeerRecordError('An address record has too many addresses.', {
      details: `${record.multiaddrs.length} of at most ${maxAddresses}`,
    });
  }
  const addresses = record.multiaddrs.map((a) => {
    const id = a.getPeerId();
    if (id === null) return a.encapsulate(`/p2p/${peer}`);
    if (id !== peer) throw new PeerRecordError('An address record has an address of another peer.');
    return a;
  });
  return { peer, addresses, seq: record.seqNumber };
}
