/**
 * @module addressExchange — peers tell each other where they can be reached directly, on one
 * gossip topic, so that two browsers holding a slot on the same relay find each other and set
 * up WebRTC without anyone passing addresses by hand. Every few seconds a node announces its
 * direct addresses (TCP, WebSocket, WebRTC through a relay; never a bare relayed address, which
 * is only good for the handshake); a node that hears of a peer it is not connected to dials it.
 * An announcement proves nothing: the dial itself authenticates the peer (noise), so a wrong
 * address only costs a failed dial. One that does not parse is rejected and costs its sender.
 */
import type { Libp2p } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr';
import { decode, encode } from '../codec/cbor';
import { asArray, asObject, asString } from '../codec/read';
import type { Network } from './Network';
import type { PenaltyBook } from './penalties';

export const ADDRESS_TOPIC = '/freehold/addresses/1';
const ANNOUNCE_MS = 5000;
/** A peer heard of again is not dialled more often than this. */
const REDIAL_MS = 30_000;
const MAX_ADDRESSES = 16;
const MAX_ADDRESS_LENGTH = 512;
const MAX_BYTES = 16 * 1024;

interface Announcement {
  peer: string;
  addresses: Multiaddr[];
}

/** An address that gives a direct connection: not a bare circuit through a relay. */
export function isDirectAddress(address: string): boolean {
  const parts = address.split('/');
  return parts.includes('webrtc') || !parts.includes('p2p-circuit');
}

function readAnnouncement(data: Uint8Array): Announcement {
  const v = asObject(decode(data, MAX_BYTES), 'announcement', ['peer', 'addresses']);
  const peer = peerIdFromString(asString(v.peer, 'announcement.peer', 128)).toString();
  const addresses = asArray(v.addresses, 'announcement.addresses', MAX_ADDRESSES).map((a, i) => {
    const address = multiaddr(asString(a, `announcement.addresses[${i}]`, MAX_ADDRESS_LENGTH));
    if (address.getPeerId() !== peer) throw new Error('an address of another peer');
    return address;
  });
  return { peer, addresses };
}

/** Starts announcing and listening; returns the function that stops it. */
export function exchangeAddresses(node: Libp2p, network: Network, book: PenaltyBook): () => void {
  const self = node.peerId.toString();
  const tried = new Map<string, number>();
  network.subscribe(ADDRESS_TOPIC, {
    maxBytes: MAX_BYTES,
    validate: (data) => {
      readAnnouncement(data); // throws: reject
      return 'accept';
    },
    deliver: (data) => {
      const { peer, addresses } = readAnnouncement(data);
      if (peer === self || book.banned(peer) || addresses.length === 0) return;
      if (node.getConnections(peerIdFromString(peer)).length > 0) return;
      if (Date.now() - (tried.get(peer) ?? 0) < REDIAL_MS) return;
      tried.set(peer, Date.now());
      void node.dial(addresses, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    },
  });
  const announce = (): void => {
    const addresses = node
      .getMultiaddrs()
      .map((a) => a.toString())
      .filter(isDirectAddress)
      .slice(0, MAX_ADDRESSES);
    if (addresses.length === 0 || network.connectedPeers().length === 0) return;
    void network.publish(ADDRESS_TOPIC, encode({ peer: self, addresses })).catch(() => undefined);
  };
  const timer = setInterval(announce, ANNOUNCE_MS);
  return () => clearInterval(timer);
}
