/**
 * @module penalties — what the network remembers of peers that misbehave. Points are added for
 * each bad message (a rejected gossip message, a malformed or over-limit request) and decay over
 * time; a peer past the ban line is cut off and refused for a while. Gossipsub reads the points
 * as its application score, so a peer that sends rubbish stops being gossiped with before it
 * reaches the ban line. Pure: the clock is passed in.
 */

export interface PenaltyOptions {
  /** Points at which a peer is cut off. */
  banAt: number;
  /** How long a cut-off peer stays refused (ms). */
  banMs: number;
  /** Points forgiven per minute of good behaviour. */
  decayPerMinute: number;
  now: () => number;
}

export const DEFAULT_PENALTIES: Omit<PenaltyOptions, 'now'> = {
  banAt: 100,
  banMs: 10 * 60_000,
  decayPerMinute: 10,
};

interface Standing {
  points: number;
  at: number;
  bannedUntil: number;
  reasons: Map<string, number>;
}

export interface PenaltyBook {
  /** Adds points; returns true when this pushed the peer over the ban line. */
  add(peer: string, points: number, reason: string): boolean;
  points(peer: string): number;
  banned(peer: string): boolean;
  /** Why a peer was penalised: reason → count. */
  reasons(peer: string): Record<string, number>;
}

export function createPenaltyBook(options: PenaltyOptions): PenaltyBook {
  const peers = new Map<string, Standing>();
  const current = (peer: string): Standing | undefined => {
    const s = peers.get(peer);
    if (!s) return undefined;
    const now = options.now();
    s.points = Math.max(0, s.points - ((now - s.at) / 60_000) * options.decayPerMinute);
    s.at = now;
    if (s.points === 0 && s.bannedUntil <= now) {
      peers.delete(peer);
      return undefined;
    }
    return s;
  };
  return {
    add(peer, points, reason) {
      const now = options.now();
      const s = current(peer) ?? { points: 0, at: now, bannedUntil: 0, reasons: new Map() };
      peers.set(peer, s);
      s.points += points;
      s.reasons.set(reason, (s.reasons.get(reason) ?? 0) + 1);
      if (s.points >= options.banAt && s.bannedUntil <= now) {
        s.bannedUntil = now + options.banMs;
        return true;
      }
      return false;
    },
    points: (peer) => current(peer)?.points ?? 0,
    banned: (peer) => (current(peer)?.bannedUntil ?? 0) > options.now(),
    reasons: (peer) => Object.fromEntries(peers.get(peer)?.reasons ?? []),
  };
}
