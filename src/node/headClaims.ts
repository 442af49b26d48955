/**
 * @module headClaims — what peers say about the chain's head, kept apart by how much it is
 * worth. A verified claim is a head whose certificate this node checked against the validator
 * set it trusts: only those count towards the sync target and hold a waiting validator back. An
 * unverified claim (a head signed by a set this node cannot check yet, after a set change it has
 * not reached) is only a hint of where to look, tried after the verified ones; a peer that
 * cannot back it with blocks loses it and is penalised by the caller. Pure: no clock, no I/O.
 */
import { bytesToHex } from '../crypto/bytes';

export interface HeadClaim {
  peer: string;
  height: number;
  verified: boolean;
  /** Hex block hash of a verified claim; '' for an unverified one. */
  hash: string;
}

/** Two certified heads at one height that differ: the set that signed them signed a fork. */
export interface ForkSighting {
  height: number;
  peers: [string, string];
  hashes: [string, string];
}

export interface HeadClaims {
  /** A head whose certificate was checked; returns a fork if another peer's differs. */
  verified(peer: string, height: number, hash: Uint8Array): ForkSighting | undefined;
  /** A head that could not be checked yet. A verified claim of the peer is never lowered. */
  unverified(peer: string, height: number): void;
  /** The peer is gone, or could not back its claim. */
  forget(peer: string): void;
  /** Claims above `height` by peers not cut off, verified first, then highest first. */
  above(height: number, usable: (peer: string) => boolean): HeadClaim[];
  /** The highest verified head above `height`, or `height`. */
  target(height: number, usable: (peer: string) => boolean): number;
  size(): number;
}

/** Peers whose claims are kept at most: a map keyed by free peer ids must stay bounded. */
export const MAX_CLAIMS = 256;

export function createHeadClaims(maxClaims = MAX_CLAIMS): HeadClaims {
  const claims = new Map<string, HeadClaim>();
  const put = (claim: HeadClaim): void => {
    claims.delete(claim.peer);
    if (claims.size >= maxClaims) {
      // Evict an unverified claim first (they are cheap to make), else the oldest.
      const victim = [...claims.values()].find((c) => !c.verified) ?? claims.values().next().value;
      if (victim) claims.delete(victim.peer);
    }
    claims.set(claim.peer, claim);
  };
  return {
    verified(peer, height, hashBytes) {
      const hash = bytesToHex(hashBytes);
      let fork: ForkSighting | undefined;
      for (const c of claims.values()) {
        if (c.verified && c.peer !== peer && c.height === height && c.hash !== hash)
          fork = { height, peers: [c.peer, peer], hashes: [c.hash, hash] };
      }
      const old = claims.get(peer);
      if (!old || !old.verified || old.height <= height)
        put({ peer, height, verified: true, hash });
      return fork;
    },
    unverified(peer, height) {
      const old = claims.get(peer);
      if (old?.verified) return;
      put({ peer, height: Math.max(height, old?.height ?? 0), verified: false, hash: '' });
    },
    forget: (peer) => void claims.delete(peer),
    above(height, usable) {
      return [...claims.values()]
        .filter((c) => c.height > height && usable(c.peer))
        .sort((a, b) => Number(b.verified) - Number(a.verified) || b.height - a.height);
    },
    target(height, usable) {
      let best = height;
      for (const c of claims.values())
        if (c.verified && c.height > best && usable(c.peer)) best = c.height;
      return best;
    },
    size: () => claims.size,
  };
}
