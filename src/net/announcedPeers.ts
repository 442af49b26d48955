/**
 * @module announcedPeers — what a node remembers of the peers it has heard announce themselves:
 * the newest record's sequence number (so an old record replayed is refused) and when it last
 * dialled them. Bounded: the least recently heard peer is forgotten first, and dials made because
 * of announcements have a budget of their own, so free peer ids cannot make the node dial without
 * end. Pure: the clock is passed in.
 */

export interface AnnouncedPeersOptions {
  /** Peers remembered at once. */
  maxPeers: number;
  /** A peer heard of again is not dialled more often than this (ms). */
  retryMs: number;
  /** Dials announcements may cause per minute, across all peers, and in a burst. */
  dialsPerMinute: number;
  dialBurst: number;
  now: () => number;
}

export const DEFAULT_ANNOUNCED_PEERS: Omit<AnnouncedPeersOptions, 'now'> = {
  maxPeers: 256,
  retryMs: 30_000,
  dialsPerMinute: 30,
  dialBurst: 10,
};

/** How a record's sequence number compares with the newest seen from its peer. */
export type Freshness = 'newer' | 'same' | 'stale';

export interface AnnouncedPeers {
  freshness(peer: string, seq: bigint): Freshness;
  /** Remembers `seq` as the peer's newest. */
  heard(peer: string, seq: bigint): void;
  /**
   * Whether to dial a peer heard of now: not dialled within `retryMs`, and within the budget of
   * dials. Counts the dial if so.
   */
  mayDial(peer: string): boolean;
  /** How many peers are remembered. */
  size(): number;
}

interface Heard {
  seq: bigint;
  dialledAt: number;
}

export function createAnnouncedPeers(options: AnnouncedPeersOptions): AnnouncedPeers {
  const peers = new Map<string, Heard>();
  const dials = { tokens: options.dialBurst, at: options.now() };
  const takeDial = (): boolean => {
    const now = options.now();
    const earned = ((now - dials.at) / 60_000) * options.dialsPerMinute;
    dials.tokens = Math.min(options.dialBurst, dials.tokens + Math.max(0, earned));
    dials.at = now;
    if (dials.tokens < 1) return false;
    dials.tokens -= 1;
    return true;
  };
  return {
    freshness(peer, seq) {
      const known = peers.get(peer)?.seq;
      if (known === undefined || seq > known) return 'newer';
      return seq === known ? 'same' : 'stale';
    },
    heard(peer, seq) {
      const h = peers.get(peer) ?? { seq, dialledAt: -Infinity };
      peers.delete(peer); // re-inserted last: the map's order is least recently heard first
      if (seq > h.seq) h.seq = seq;
      peers.set(peer, h);
      while (peers.size > options.maxPeers) peers.delete(peers.keys().next().value!);
    },
    mayDial(peer) {
      const h = peers.get(peer);
      const now = options.now();
      if (!h || now - h.dialledAt < options.retryMs || !takeDial()) return false;
      h.dialledAt = now;
      return true;
    },
    size: () => peers.size,
  };
}
