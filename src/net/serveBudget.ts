/**
 * @module serveBudget — how much answering requests may cost this node: requests and reply bytes
 * per second for each peer, and the same across all peers, so many free peer ids cannot multiply
 * the cost. Token buckets; pure, the clock passed in.
 */

export interface Rate {
  /** Refilled per second. */
  perSecond: number;
  /** Most that can be saved up. */
  burst: number;
}

export interface ServeBudgetOptions {
  /** Requests one peer may make. */
  peerRequests: Rate;
  /** Reply bytes one peer may be sent. */
  peerBytes: Rate;
  /** Requests from all peers together. */
  requests: Rate;
  /** Reply bytes to all peers together. */
  bytes: Rate;
  /** Answers under way at once for one peer, and for all peers together. */
  peerMaxActive: number;
  maxActive: number;
  /** Peers remembered at once; the least recently seen is forgotten first. */
  maxPeers: number;
  now: () => number;
}

/**
 * Enough for an honest node catching up (a block of 8 MiB a second from one peer, a few peers at
 * once) and far below what ties up a 2-core device.
 */
export const DEFAULT_SERVE_BUDGET: Omit<ServeBudgetOptions, 'now'> = {
  peerRequests: { perSecond: 50, burst: 200 },
  peerBytes: { perSecond: 8 * 1024 * 1024, burst: 32 * 1024 * 1024 },
  requests: { perSecond: 200, burst: 400 },
  bytes: { perSecond: 24 * 1024 * 1024, burst: 64 * 1024 * 1024 },
  // A reader that never reads holds its answer's next frame (up to a block) in memory.
  peerMaxActive: 4,
  maxActive: 32,
  maxPeers: 1024,
};

export interface ServeBudget {
  /**
   * Whether a request from `peer` may be answered now ('ok': it is counted, and under way until
   * `done`), or which budget it is over: the peer's own, or the one all peers share.
   */
  admit(peer: string): 'ok' | 'peer' | 'all';
  /** An answer `admit` let through has ended. */
  done(peer: string): void;
  /**
   * Counts a reply frame sent to `peer`; returns whether another may follow. A frame already
   * made is sent even if it takes the budget below zero: the debt is paid back before the next.
   */
  spend(peer: string, bytes: number): boolean;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface PeerBuckets {
  requests: Bucket;
  bytes: Bucket;
}

export function createServeBudget(options: ServeBudgetOptions): ServeBudget {
  const fresh = (rate: Rate): Bucket => ({ tokens: rate.burst, at: options.now() });
  const refill = (bucket: Bucket, rate: Rate): Bucket => {
    const now = options.now();
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(rate.burst, bucket.tokens + (elapsed / 1000) * rate.perSecond);
    bucket.at = now;
    return bucket;
  };
  const all = { requests: fresh(options.requests), bytes: fresh(options.bytes) };
  const peers = new Map<string, PeerBuckets>();
  // Answers under way, per peer (no entry at zero, so it never holds more than maxActive peers).
  const active = new Map<string, number>();
  let allActive = 0;

  const of = (peer: string): PeerBuckets => {
    let p = peers.get(peer);
    if (p)
      peers.delete(peer); // re-inserted below: the map's order is least recently seen first
    else p = { requests: fresh(options.peerRequests), bytes: fresh(options.peerBytes) };
    peers.set(peer, p);
    while (peers.size > options.maxPeers) peers.delete(peers.keys().next().value!);
    return p;
  };

  return {
    admit(peer) {
      const p = of(peer);
      const mine =
        (active.get(peer) ?? 0) < options.peerMaxActive &&
        refill(p.requests, options.peerRequests).tokens >= 1 &&
        refill(p.bytes, options.peerBytes).tokens > 0;
      if (!mine) return 'peer';
      const shared =
        allActive < options.maxActive &&
        refill(all.requests, options.requests).tokens >= 1 &&
        refill(all.bytes, options.bytes).tokens > 0;
      if (!shared) return 'all';
      p.requests.tokens -= 1;
      all.requests.tokens -= 1;
      active.set(peer, (active.get(peer) ?? 0) + 1);
      allActive += 1;
      return 'ok';
    },
    done(peer) {
      const n = active.get(peer) ?? 0;
      if (n === 0) return;
      if (n === 1) active.delete(peer);
      else active.set(peer, n - 1);
      allActive -= 1;
    },
    spend(peer, bytes) {
      const p = of(peer);
      const mine = refill(p.bytes, options.peerBytes);
      const shared = refill(all.bytes, options.bytes);
      mine.tokens -= bytes;
      shared.tokens -= bytes;
      return mine.tokens > 0 && shared.tokens > 0;
    },
  };
}
