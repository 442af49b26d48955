/**
 * @module addressExchange — peers tell each other where they can be reached directly, on one
 * gossip topic, so that two browsers holding a slot on the same relay find each other and set
 * up WebRTC without anyone passing addresses by hand. Every few seconds a node announces its
 * direct addresses (TCP, WebSocket, WebRTC through a relay; never a bare relayed address, which
 * is only good for the handshake) as a peer record signed with its libp2p key; a node that hears
 * of a peer it is not connected to dials it.
 * Only signed records are taken: one that is malformed, badly signed, names a peer other than its
 * signer, or is older than one already seen is rejected and costs the peer that sent it. The
 * peers remembered, the addresses taken per record and the dials announcements cause are bounded
 * (announcedPeers), so free peer ids buy no more than a few failed dials a minute.
 */
import type { Libp2p, PrivateKey } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { multiaddr } from '@multiformats/multiaddr';
import type { Network } from './Network';
import type { PenaltyBook } from './penalties';
import {
  createAnnouncedPeers,
  DEFAULT_ANNOUNCED_PEERS,
  type AnnouncedPeersOptions,
} from './announcedPeers';
import { openPeerRecord, sealPeerRecord, type SignedAddresses } from './peerRecords';

export const ADDRESS_TOPIC = '/freehold/addresses/2';
const ANNOUNCE_MS = 5000;
/** Addresses in one record: more than a device has interfaces worth announcing. */
export const MAX_ADDRESSES = 8;
const MAX_BYTES = 8 * 1024;

/** An address that gives a direct connection: not a bare circuit through a relay. */
export function isDirectAddress(address: string): boolean {
  const parts = address.split('/');
  return parts.includes('webrtc') || !parts.includes('p2p-circuit');
}

export interface AddressExchangeOptions {
  /** The node's libp2p identity key: its records are signed with it. */
  privateKey: PrivateKey;
  now: () => number;
  peers?: Partial<Omit<AnnouncedPeersOptions, 'now'>>;
}

/** Starts announcing and listening; returns the function that stops it. */
export function exchangeAddresses(
  node: Libp2p,
  network: Network,
  book: PenaltyBook,
  options: AddressExchangeOptions,
): () => void {
  const self = node.peerId.toString();
  const heard = createAnnouncedPeers({
    ...DEFAULT_ANNOUNCED_PEERS,
    ...options.peers,
    now: options.now,
  });
  // Opened in validate, used in deliver: the same bytes object reaches both.
  const opened = new WeakMap<Uint8Array, SignedAddresses>();
  network.subscribe(ADDRESS_TOPIC, {
    maxBytes: MAX_BYTES,
    validate: async (data) => {
      const record = await openPeerRecord(data, MAX_ADDRESSES); // throws: reject
      const freshness = heard.freshness(record.peer, record.seq);
      // The same record again came round another way; an older one is a replay, or its
      // signer's clock stepped back (a phone set right): neither is acted on, nor an offence.
      if (freshness !== 'newer') return 'ignore';
      // Taken now, not at delivery, so a record validated next is judged against this one.
      heard.heard(record.peer, record.seq);
      opened.set(data, record);
      return 'accept';
    },
    deliver: (data) => {
      const record = opened.get(data);
      if (!record) return;
      const { peer, addresses } = record;
      if (peer === self || book.banned(peer)) return;
      const direct = addresses.filter((a) => isDirectAddress(a.toString()));
      if (direct.length === 0 || node.getConnections(peerIdFromString(peer)).length > 0) return;
      if (!heard.mayDial(peer)) return;
      void node.dial(direct, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    },
  });
  let stopped = false;
  // Each record newer than the last even if the clock steps back while running.
  let seq = 0n;
  const announce = async (): Promise<void> => {
    const addresses = node
      .getMultiaddrs()
      .map((a) => a.toString())
      .filter(isDirectAddress)
      .slice(0, MAX_ADDRESSES)
      .map((a) => multiaddr(a));
    if (stopped || addresses.length === 0 || network.connectedPeers().length === 0) return;
    seq = BigInt(options.now()) > seq ? BigInt(options.now()) : seq + 1n;
    const record = await sealPeerRecord(options.privateKey, addresses, seq);
    await network.publish(ADDRESS_TOPIC, record);
  };
  const timer = setInterval(() => void announce().catch(() => undefined), ANNOUNCE_MS);
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
